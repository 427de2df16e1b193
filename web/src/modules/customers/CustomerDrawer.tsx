/** The detail of one customer: masked data, subscriptions, and the logged reveal of the full data. */
import { EditOutlined, EyeOutlined, PlusOutlined } from '@ant-design/icons';
import { Alert, Button, Descriptions, Drawer, Flex, Popconfirm, Spin, Table, Tag, Typography } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { ID_DOC_KINDS } from '../../../../src/core/id-documents.ts';
import type { CustomerDetail, Subscription } from '../../../../src/modules/customers/contract.ts';
import { customerMay } from '../../platform/access.ts';
import { api } from '../../platform/api.ts';
import { useMe } from '../../platform/auth.tsx';
import { useFeedback } from '../../platform/feedback.ts';
import { useT } from '../../platform/i18n.tsx';
import { CLUB_TIERS, CUSTOMER_KINDS, formatDateTime } from '../../platform/labels.ts';
import { buttonTestId } from '../../platform/testid.ts';
import { unitName, useUnits } from '../../platform/units.tsx';
import { AddSubscriptionModal, EditCustomerModal } from './CustomerForms.tsx';
import { SUBSCRIPTION_KINDS, SUBSCRIPTION_STATUSES } from './labels.ts';
import { messages } from './messages.ts';

interface Revealed {
  idDocNumber: string;
  contactPhone: string;
  address: string;
}

export function CustomerDrawer({
  customerId,
  onClose,
  onChanged,
}: {
  customerId: string;
  onClose: () => void;
  onChanged: () => void;
}) {
  const me = useMe();
  const { t, pick, lang } = useT(messages);
  const feedback = useFeedback();
  const { byId } = useUnits();
  const [detail, setDetail] = useState<CustomerDetail | null>(null);
  const [revealed, setRevealed] = useState<Revealed | null>(null);
  const [revealing, setRevealing] = useState(false);
  const [editing, setEditing] = useState(false);
  const [addingSub, setAddingSub] = useState(false);
  const mayReveal = customerMay(me, 'reveal');
  const mayWrite = customerMay(me, 'write');

  const load = useCallback(async () => {
    try {
      setDetail(await api.get<CustomerDetail>(`/api/customers/${customerId}`));
    } catch (e) {
      feedback.error(e);
    }
  }, [customerId, feedback]);

  useEffect(() => {
    setRevealed(null);
    void load();
  }, [load]);

  const reveal = async () => {
    setRevealing(true);
    try {
      setRevealed(await api.post<Revealed>(`/api/customers/${customerId}/reveal`));
    } catch (e) {
      feedback.error(e);
    } finally {
      setRevealing(false);
    }
  };

  const unit = detail ? byId.get(detail.unitId) : undefined;

  return (
    <Drawer
      open
      size={720}
      title={detail ? `${t('detail')} · ${detail.name}` : t('detail')}
      onClose={onClose}
      destroyOnHidden
      data-testid="customer-drawer"
      extra={
        detail &&
        mayWrite && (
          <Button icon={<EditOutlined />} onClick={() => setEditing(true)} data-testid="customer-edit">
            {t('edit')}
          </Button>
        )
      }
    >
      {!detail ? (
        <Spin />
      ) : (
        <Flex vertical gap={16}>
          <Descriptions
            bordered
            size="small"
            column={{ xs: 1, sm: 1, md: 2 }}
            items={[
              { key: 'name', label: t('customerName'), children: detail.name },
              { key: 'kind', label: t('kind'), children: pick(CUSTOMER_KINDS[detail.kind]) },
              {
                key: 'tier',
                label: t('tier'),
                children: (
                  <Tag color={CLUB_TIERS[detail.clubTier].color}>{pick(CLUB_TIERS[detail.clubTier])}</Tag>
                ),
              },
              { key: '3g', label: t('is3g'), children: detail.is3g ? <Tag color="cyan">3G</Tag> : t('no') },
              {
                key: 'docKind',
                label: t('idDocKind'),
                children: pick(ID_DOC_KINDS[detail.idDocKind]),
                span: 'filled',
              },
              {
                key: 'docNo',
                label: t('idDocNumber'),
                span: 'filled',
                children: (
                  <Typography.Text code data-testid="customer-doc-number">
                    {revealed?.idDocNumber ?? detail.idDocNumber}
                  </Typography.Text>
                ),
              },
              {
                key: 'phone',
                label: t('phone'),
                span: 'filled',
                children: (
                  <span data-testid="customer-phone">{revealed?.contactPhone ?? detail.contactPhone}</span>
                ),
              },
              {
                key: 'address',
                label: t('address'),
                span: 'filled',
                children: (
                  <span data-testid="customer-address">{(revealed?.address ?? detail.address) || '—'}</span>
                ),
              },
              {
                key: 'unit',
                label: t('servingUnit'),
                children: unit ? unitName(unit, lang) : detail.unitName,
              },
              { key: 'updated', label: t('updatedAt'), children: formatDateTime(detail.updatedAt) },
            ]}
          />
          {revealed ? (
            <Alert type="warning" showIcon title={t('revealed')} data-testid="reveal-logged" />
          ) : (
            <Alert
              type="info"
              showIcon
              title={t('revealNote')}
              action={
                mayReveal && (
                  <Popconfirm
                    title={t('reveal')}
                    description={<div style={{ maxWidth: 280 }}>{t('revealConfirm')}</div>}
                    okText={t('reveal')}
                    cancelText={t('cancel')}
                    onConfirm={() => void reveal()}
                    okButtonProps={buttonTestId('reveal-confirm')}
                  >
                    <Button icon={<EyeOutlined />} loading={revealing} data-testid="reveal-button">
                      {t('reveal')}
                    </Button>
                  </Popconfirm>
                )
              }
            />
          )}
          <Flex justify="space-between" align="center">
            <Typography.Title level={5} style={{ margin: 0 }}>
              {t('subscriptions')}
            </Typography.Title>
            {mayWrite && (
              <Button
                size="small"
                icon={<PlusOutlined />}
                onClick={() => setAddingSub(true)}
                data-testid="subscription-add"
              >
                {t('addSubscription')}
              </Button>
            )}
          </Flex>
          <Table<Subscription>
            size="small"
            rowKey="id"
            pagination={false}
            dataSource={detail.subscriptions}
            locale={{ emptyText: t('noSubscriptions') }}
            data-testid="subscriptions-table"
            columns={[
              {
                title: t('subKind'),
                dataIndex: 'kind',
                render: (k: Subscription['kind']) => pick(SUBSCRIPTION_KINDS[k]),
              },
              { title: t('subNumber'), dataIndex: 'number', render: (v: string) => <code>{v}</code> },
              { title: t('subPlan'), dataIndex: 'plan', render: (v: string) => v || '—' },
              {
                title: t('subStatus'),
                dataIndex: 'status',
                render: (s: Subscription['status']) => (
                  <Tag color={SUBSCRIPTION_STATUSES[s].color}>{pick(SUBSCRIPTION_STATUSES[s])}</Tag>
                ),
              },
              { title: t('subSince'), dataIndex: 'since', width: 110 },
            ]}
          />
        </Flex>
      )}
      {detail && editing && (
        <EditCustomerModal
          customer={detail}
          onClose={() => setEditing(false)}
          onSaved={() => {
            setEditing(false);
            setRevealed(null);
            void load();
            onChanged();
          }}
        />
      )}
      {addingSub && (
        <AddSubscriptionModal
          customerId={customerId}
          onClose={() => setAddingSub(false)}
          onSaved={() => {
            setAddingSub(false);
            void load();
          }}
        />
      )}
    </Drawer>
  );
}
