/**
 * The customer of a visit when the ticket did not bring one: found by the whole phone or ID number (answers
 * masked), or registered as a new customer for a new account (PUT /api/visits/{id}/customer).
 */
import { UserAddOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Col, Empty, Flex, Form, Input, List, Radio, Row, Select, Tag } from 'antd';
import { useState } from 'react';
import { ID_DOC_KINDS, docKindsFor } from '../../../../src/core/id-documents.ts';
import type { IdDocKind } from '../../../../src/core/id-documents.ts';
import type { Visit } from '../../../../src/modules/visits/contract.ts';
import { FormModal } from '../../platform/FormModal.tsx';
import { ApiError, api } from '../../platform/api.ts';
import { useFeedback } from '../../platform/feedback.ts';
import { useT } from '../../platform/i18n.tsx';
import { CUSTOMER_KINDS, CUSTOMER_KIND_CODES } from '../../platform/labels.ts';
import type { CustomerKind } from '../../platform/labels.ts';
import { buttonTestId } from '../../platform/testid.ts';
import { messages } from './messages.ts';

/** A customer found at the counter (masked). */
export interface CustomerHit {
  id: string;
  kind: CustomerKind;
  name: string;
  idDocKind?: string;
  idDocNumber?: string;
  contactPhone?: string;
}

const hitsOf = (answer: unknown): CustomerHit[] =>
  Array.isArray(answer)
    ? (answer as CustomerHit[])
    : answer && typeof answer === 'object' && 'items' in answer
      ? ((answer as { items: CustomerHit[] }).items ?? [])
      : answer && typeof answer === 'object' && 'id' in answer
        ? [answer as CustomerHit]
        : [];

export function CustomerFinder({ visit, onSet }: { visit: Visit; onSet: () => Promise<void> | void }) {
  const { t, pick, lang } = useT(messages);
  const feedback = useFeedback();
  const [by, setBy] = useState<'phone' | 'idDocNumber'>('phone');
  const [text, setText] = useState('');
  const [hits, setHits] = useState<CustomerHit[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [creating, setCreating] = useState(false);

  const search = async () => {
    const q = text.normalize('NFKC').replace(/\s+/g, '');
    if (!q) return;
    setError(null);
    try {
      setHits(hitsOf(await api.get<unknown>('/api/visits/customer-search', { [by]: q })));
    } catch (e) {
      setHits(null);
      setError(e instanceof ApiError ? e.messageIn(lang) : String(e));
    }
  };
  const choose = async (customerId: string) => {
    try {
      await api.put(`/api/visits/${visit.id}/customer`, { customerId });
      feedback.success(t('customerSet'));
      await onSet();
    } catch (e) {
      feedback.error(e);
    }
  };

  return (
    <Card size="small" title={t('findCustomer')} data-testid="visit-customer-finder">
      <Flex gap={8} wrap>
        <Radio.Group
          value={by}
          onChange={(e) => setBy(e.target.value as typeof by)}
          optionType="button"
          options={[
            { value: 'phone', label: t('byPhone') },
            { value: 'idDocNumber', label: t('byId') },
          ]}
          data-testid="visit-search-by"
        />
        <Input.Search
          autoFocus
          value={text}
          onChange={(e) => setText(e.target.value)}
          onSearch={() => void search()}
          placeholder={t('searchHint')}
          enterButton={t('search')}
          style={{ flex: 1, minWidth: 240 }}
          maxLength={40}
          data-testid="visit-search"
        />
        <Button icon={<UserAddOutlined />} onClick={() => setCreating(true)} data-testid="visit-new-customer">
          {t('newCustomer')}
        </Button>
      </Flex>
      {error && (
        <Alert
          type="error"
          showIcon
          title={error}
          style={{ marginTop: 8 }}
          data-testid="visit-search-error"
        />
      )}
      {hits !== null &&
        (hits.length === 0 ? (
          <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('noHit')} />
        ) : (
          <List
            size="small"
            style={{ marginTop: 8 }}
            dataSource={hits}
            data-testid="visit-search-hits"
            renderItem={(h) => (
              <List.Item
                actions={[
                  <Button
                    key="c"
                    type="link"
                    onClick={() => void choose(h.id)}
                    data-testid={`visit-choose-${h.id}`}
                  >
                    {t('choose')}
                  </Button>,
                ]}
              >
                <Flex gap={8} wrap align="center">
                  <b>{h.name}</b>
                  <Tag>{pick(CUSTOMER_KINDS[h.kind] ?? { zh: h.kind, en: h.kind })}</Tag>
                  {h.contactPhone && <span>{h.contactPhone}</span>}
                  {h.idDocNumber && <span>{h.idDocNumber}</span>}
                </Flex>
              </List.Item>
            )}
          />
        ))}
      {creating && (
        <NewCustomerModal
          visitId={visit.id}
          onClose={() => setCreating(false)}
          onDone={async () => {
            setCreating(false);
            await onSet();
          }}
        />
      )}
    </Card>
  );
}

interface NewCustomerForm {
  kind: CustomerKind;
  name: string;
  idDocKind: IdDocKind;
  idDocNumber: string;
  idDocExpiresOn?: string;
  contactPhone: string;
  address: string;
}

function NewCustomerModal({
  visitId,
  onClose,
  onDone,
}: {
  visitId: string;
  onClose: () => void;
  onDone: () => Promise<void>;
}) {
  const { t, pick } = useT(messages);
  const feedback = useFeedback();
  const [form] = Form.useForm<NewCustomerForm>();
  const kind = (Form.useWatch('kind', form) ?? 'individual') as CustomerKind;
  const kinds = docKindsFor(kind);
  const submit = async () => {
    const v = await form.validateFields();
    try {
      await api.put(`/api/visits/${visitId}/customer`, {
        newCustomer: {
          ...v,
          idDocNumber: v.idDocNumber.normalize('NFKC').replace(/\s+/g, ''),
          ...(v.idDocExpiresOn ? {} : { idDocExpiresOn: undefined }),
        },
      });
      feedback.success(t('customerSet'));
      await onDone();
    } catch (e) {
      feedback.formError(form, e, ['newCustomer']);
    }
  };
  return (
    <FormModal
      title={t('newCustomerTitle')}
      onCancel={onClose}
      onSubmit={submit}
      okText={t('register')}
      okButtonProps={buttonTestId('visit-new-customer-submit')}
    >
      <Form<NewCustomerForm>
        form={form}
        layout="vertical"
        initialValues={{ kind: 'individual', idDocKind: 'resident_id', address: '' }}
        onValuesChange={(changed: Partial<NewCustomerForm>) => {
          if (changed.kind) form.setFieldValue('idDocKind', docKindsFor(changed.kind)[0]);
        }}
      >
        <Form.Item name="kind" label={t('kind')}>
          <Radio.Group
            options={CUSTOMER_KIND_CODES.map((k) => ({ value: k, label: pick(CUSTOMER_KINDS[k]) }))}
            data-testid="visit-new-kind"
          />
        </Form.Item>
        <Row gutter={12}>
          <Col span={12}>
            <Form.Item
              name="name"
              label={t('customerName')}
              rules={[{ required: true, min: 2, message: t('required') }]}
            >
              <Input maxLength={80} data-testid="visit-new-name" />
            </Form.Item>
          </Col>
          <Col span={12}>
            <Form.Item
              name="contactPhone"
              label={t('contactPhone')}
              rules={[{ required: true, message: t('required') }]}
            >
              <Input maxLength={20} inputMode="tel" data-testid="visit-new-phone" />
            </Form.Item>
          </Col>
          <Col span={12}>
            <Form.Item name="idDocKind" label={t('idDocKind')}>
              <Select
                data-testid="visit-new-doc-kind"
                options={kinds.map((k) => ({ value: k, label: pick(ID_DOC_KINDS[k]) }))}
              />
            </Form.Item>
          </Col>
          <Col span={12}>
            <Form.Item
              name="idDocNumber"
              label={t('idDocNumber')}
              rules={[{ required: true, min: 5, message: t('required') }]}
            >
              <Input maxLength={40} autoComplete="off" data-testid="visit-new-doc-number" />
            </Form.Item>
          </Col>
          <Col span={12}>
            <Form.Item name="idDocExpiresOn" label={t('idDocExpires')}>
              <Input type="date" maxLength={10} data-testid="visit-new-doc-expires" />
            </Form.Item>
          </Col>
          <Col span={12}>
            <Form.Item name="address" label={t('address')}>
              <Input maxLength={200} data-testid="visit-new-address" />
            </Form.Item>
          </Col>
        </Row>
      </Form>
    </FormModal>
  );
}
