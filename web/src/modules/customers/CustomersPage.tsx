/** /customers: search by name or full number, filter by tier and kind; masked data; detail drawer. */
import { DownloadOutlined, PlusOutlined, ReloadOutlined } from '@ant-design/icons';
import { Button, Flex, Input, Select, Table, Tag, Tooltip } from 'antd';
import { useState } from 'react';
import { ID_DOC_KINDS } from '../../../../src/core/id-documents.ts';
import type { Customer } from '../../../../src/modules/customers/contract.ts';
import { CustomerQuery } from '../../../../src/modules/customers/contract.ts';
import { maxLengthOf } from '../../platform/limits.ts';
import { customerMay } from '../../platform/access.ts';
import { useMe } from '../../platform/auth.tsx';
import { useT } from '../../platform/i18n.tsx';
import { usePagedList } from '../../platform/usePagedList.ts';
import { CLUB_TIER_CODES, CLUB_TIERS, CUSTOMER_KIND_CODES, CUSTOMER_KINDS } from '../../platform/labels.ts';
import type { ClubTier, CustomerKind } from '../../platform/labels.ts';
import { PageTitle } from '../../platform/Page.tsx';
import { UnitSelect, unitName, useUnits } from '../../platform/units.tsx';
import { CreateCustomerModal } from './CustomerForms.tsx';
import { CustomerDrawer } from './CustomerDrawer.tsx';
import { messages } from './messages.ts';

interface Filters {
  q?: string;
  tier?: ClubTier;
  kind?: CustomerKind;
  unitId?: string;
}

/** The export of the current search (an .xlsx download, masked like the list). */
function exportHref(filters: Filters): string {
  const query = new URLSearchParams(
    Object.entries(filters).filter((e): e is [string, string] => typeof e[1] === 'string' && e[1] !== ''),
  );
  return `/api/customers/export${query.size > 0 ? `?${query.toString()}` : ''}`;
}

export default function CustomersPage() {
  const me = useMe();
  const { t, pick, lang } = useT(messages);
  const { byId } = useUnits();
  const { data, loading, load, filters, setFilter, pagination } = usePagedList<Customer, Filters>(
    '/api/customers',
  );
  const mayCreate = customerMay(me, 'write');
  const [q, setQ] = useState('');
  const [openId, setOpenId] = useState<string | null>(null);
  const [adding, setAdding] = useState(false);

  return (
    <div data-testid="page-customers">
      <PageTitle
        title={t('title')}
        extra={
          <Flex gap={8}>
            <Tooltip title={t('exportNote')}>
              <Button icon={<DownloadOutlined />} href={exportHref(filters)} data-testid="export-customers">
                {t('export')}
              </Button>
            </Tooltip>
            {mayCreate && (
              <Button
                type="primary"
                icon={<PlusOutlined />}
                onClick={() => setAdding(true)}
                data-testid="add-customer"
              >
                {t('addCustomer')}
              </Button>
            )}
          </Flex>
        }
      />
      <Flex gap={12} wrap style={{ marginBottom: 16 }}>
        <Input.Search
          allowClear
          maxLength={maxLengthOf(CustomerQuery, 'q')}
          enterButton={t('search')}
          placeholder={t('searchHint')}
          style={{ width: 360 }}
          value={q}
          onChange={(e) => {
            setQ(e.target.value);
            if (!e.target.value) setFilter({ q: undefined });
          }}
          onSearch={(v) => setFilter({ q: v.trim() || undefined })}
          data-testid="customers-search"
        />
        <Select<ClubTier>
          allowClear
          placeholder={t('tier')}
          style={{ width: 150 }}
          value={filters.tier}
          onChange={(v) => setFilter({ tier: v ?? undefined })}
          options={CLUB_TIER_CODES.map((k) => ({ value: k, label: pick(CLUB_TIERS[k]) }))}
          data-testid="customers-filter-tier"
        />
        <Select<CustomerKind>
          allowClear
          placeholder={t('kind')}
          style={{ width: 150 }}
          value={filters.kind}
          onChange={(v) => setFilter({ kind: v ?? undefined })}
          options={CUSTOMER_KIND_CODES.map((k) => ({ value: k, label: pick(CUSTOMER_KINDS[k]) }))}
          data-testid="customers-filter-kind"
        />
        <UnitSelect
          allowClear
          placeholder={t('servingUnit')}
          style={{ width: 240 }}
          value={filters.unitId}
          onChange={(v) => setFilter({ unitId: v ?? undefined })}
          data-testid="customers-filter-unit"
        />
        <Tooltip title={t('refresh')}>
          <Button icon={<ReloadOutlined />} onClick={() => void load()} aria-label={t('refresh')} />
        </Tooltip>
      </Flex>
      <Table<Customer>
        rowKey="id"
        data-testid="customers-table"
        loading={loading}
        dataSource={data.items}
        scroll={{ x: 1000 }}
        locale={{ emptyText: t('noResults') }}
        onRow={(r) => ({ onClick: () => setOpenId(r.id), style: { cursor: 'pointer' } })}
        pagination={{
          ...pagination,
          showTotal: (n) => t('total', { n }),
        }}
        columns={[
          {
            title: t('customerName'),
            dataIndex: 'name',
            width: 180,
            render: (v: string, r) => (
              <a
                onClick={(e) => {
                  e.stopPropagation();
                  setOpenId(r.id);
                }}
                data-testid={`customer-open-${r.id}`}
              >
                {v}
              </a>
            ),
          },
          {
            title: t('kind'),
            dataIndex: 'kind',
            width: 120,
            render: (k: CustomerKind) => pick(CUSTOMER_KINDS[k]),
          },
          {
            title: t('idDoc'),
            key: 'doc',
            width: 260,
            render: (_, r) => (
              <Flex vertical>
                <span style={{ fontSize: 12, color: '#8c8c8c' }}>{pick(ID_DOC_KINDS[r.idDocKind])}</span>
                <code>{r.idDocNumber}</code>
              </Flex>
            ),
          },
          { title: t('phone'), dataIndex: 'contactPhone', width: 140 },
          {
            title: t('tier'),
            dataIndex: 'clubTier',
            width: 120,
            render: (k: ClubTier) => <Tag color={CLUB_TIERS[k].color}>{pick(CLUB_TIERS[k])}</Tag>,
          },
          {
            title: t('tag3g'),
            dataIndex: 'is3g',
            width: 70,
            align: 'center',
            render: (v: boolean) =>
              v ? <Tag color="cyan">3G</Tag> : <span style={{ color: '#bfbfbf' }}>—</span>,
          },
          {
            title: t('servingUnit'),
            dataIndex: 'unitId',
            ellipsis: true,
            render: (id: string, r) => {
              const u = byId.get(id);
              return u ? unitName(u, lang) : r.unitName;
            },
          },
        ]}
      />
      {openId && (
        <CustomerDrawer customerId={openId} onClose={() => setOpenId(null)} onChanged={() => void load()} />
      )}
      {adding && (
        <CreateCustomerModal
          onClose={() => setAdding(false)}
          onSaved={(c) => {
            setAdding(false);
            void load();
            setOpenId(c.id);
          }}
        />
      )}
    </div>
  );
}
