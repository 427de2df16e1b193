/** /audit: the event log (who, which unit, what, on what, before/after, when, from where). */
import { ReloadOutlined } from '@ant-design/icons';
import { Button, DatePicker, Flex, Select, Table, Tag, Tooltip, Typography } from 'antd';
import type { Dayjs } from 'dayjs';
import { useState } from 'react';
import type { AuditEvent } from '../../../../src/modules/audit/contract.ts';
import { EVENT_TYPES, SUBJECT_TYPES, eventLabel, subjectLabel } from '../../../../src/platform/words.ts';
import { WithClauses } from '../../platform/Clause.tsx';
import { ChangeTable } from './ChangeTable.tsx';
import { useT } from '../../platform/i18n.tsx';
import { usePagedList } from '../../platform/usePagedList.ts';
import { formatDateTime } from '../../platform/labels.ts';
import { common } from '../../platform/messages.ts';
import { PageTitle } from '../../platform/Page.tsx';
import { UnitSelect, unitName, useUnits } from '../../platform/units.tsx';

const messages = {
  ...common,
  title: { zh: '审计日志', en: 'Audit log' },
  intro: {
    zh: '每一次变更和每一次查看完整客户信息都会记录：操作人、单位、动作、对象、变更前后、时间和来源地址（2§3.5.2）。',
    en: 'Every change and every view of full customer data is recorded: who, which unit, what, on what, before/after, when and from where (2§3.5.2).',
  },
  action: { zh: '动作', en: 'Action' },
  actionHint: { zh: '动作', en: 'Action' },
  changes: { zh: '变更内容', en: 'What changed' },
  subjectType: { zh: '对象类型', en: 'Subject type' },
  subject: { zh: '对象', en: 'Subject' },
  at: { zh: '时间', en: 'Time' },
  actor: { zh: '操作人', en: 'Actor' },
  unitFilter: { zh: '单位（含下级）', en: 'Unit (with its subtree)' },
  before: { zh: '变更前', en: 'Before' },
  after: { zh: '变更后', en: 'After' },
  requestId: { zh: '请求编号', en: 'Request id' },
  clientIp: { zh: '来源地址', en: 'Client address' },
  empty: { zh: '（无）', en: '(none)' },
  noEvents: { zh: '没有符合条件的记录', en: 'No events match' },
  startDate: { zh: '开始日期', en: 'From' },
  endDate: { zh: '结束日期', en: 'To' },
  kindStaff: { zh: '员工', en: 'Staff' },
  kindDevice: { zh: '设备', en: 'Device' },
  kindSystem: { zh: '系统', en: 'System' },
};

/** A readable name of the subject from its before/after record (name, label, user name, date …). */
function subjectName(r: AuditEvent): string | null {
  for (const side of [r.after, r.before]) {
    if (side && typeof side === 'object') {
      const rec = side as Record<string, unknown>;
      for (const k of ['name', 'label', 'username', 'date', 'key', 'code']) {
        const v = rec[k];
        if (typeof v === 'string' && v) return v;
      }
    }
  }
  return null;
}

interface Filters {
  action?: string;
  subjectType?: string;
  unitId?: string;
  from?: string;
  to?: string;
}

export default function AuditPage() {
  const { t, lang } = useT(messages);
  const { byId } = useUnits();
  const {
    data,
    loading,
    load,
    filters,
    setFilter: apply,
    clearFilters,
    pagination,
  } = usePagedList<AuditEvent, Filters>('/api/audit');
  const [action, setAction] = useState('');
  const [subjectType, setSubjectType] = useState('');
  const [range, setRange] = useState<[Dayjs | null, Dayjs | null] | null>(null);

  const search = () =>
    apply({
      action: action.trim() || undefined,
      subjectType: subjectType.trim() || undefined,
      from: range?.[0] ? range[0].startOf('day').toISOString() : undefined,
      to: range?.[1] ? range[1].endOf('day').toISOString() : undefined,
    });

  const resetAll = () => {
    setAction('');
    setSubjectType('');
    setRange(null);
    clearFilters();
  };

  const w = (b: { zh: string; en: string }) => (lang === 'en-US' ? b.en : b.zh);
  const actionOptions = Object.entries(EVENT_TYPES).map(([value, l]) => ({ value, label: w(l) }));

  const kindLabel = (k: string) =>
    k === 'staff' ? t('kindStaff') : k === 'device' ? t('kindDevice') : k === 'system' ? t('kindSystem') : k;

  return (
    <div data-testid="page-audit">
      <PageTitle title={t('title')} />
      <Typography.Paragraph type="secondary">
        <WithClauses text={t('intro')} />
      </Typography.Paragraph>
      <Flex gap={12} wrap style={{ marginBottom: 16 }}>
        <Select
          allowClear
          showSearch={{ optionFilterProp: 'label' }}
          placeholder={t('actionHint')}
          value={action || undefined}
          onChange={(v: string | undefined) => setAction(v ?? '')}
          options={actionOptions}
          style={{ width: 260 }}
          data-testid="audit-filter-action"
        />
        <Select
          allowClear
          showSearch={{ optionFilterProp: 'label' }}
          placeholder={t('subjectType')}
          value={subjectType || undefined}
          onChange={(v: string | undefined) => setSubjectType(v ?? '')}
          options={Object.entries(SUBJECT_TYPES).map(([value, l]) => ({
            value,
            label: lang === 'en-US' ? l.en : l.zh,
          }))}
          style={{ width: 180 }}
          data-testid="audit-filter-subject-type"
        />
        <DatePicker.RangePicker
          value={range}
          onChange={(v) => setRange(v)}
          placeholder={[t('startDate'), t('endDate')]}
          allowEmpty={[true, true]}
          data-testid="audit-filter-range"
        />
        <UnitSelect
          allowClear
          placeholder={t('unitFilter')}
          style={{ width: 220 }}
          value={filters.unitId}
          onChange={(v) => apply({ unitId: v ?? undefined })}
          data-testid="audit-filter-unit"
        />
        <Button type="primary" onClick={search} data-testid="audit-search">
          {t('search')}
        </Button>
        <Button onClick={resetAll}>{t('reset')}</Button>
        <Tooltip title={t('refresh')}>
          <Button icon={<ReloadOutlined />} onClick={() => void load()} aria-label={t('refresh')} />
        </Tooltip>
      </Flex>
      <Table<AuditEvent>
        rowKey="id"
        data-testid="audit-table"
        loading={loading}
        dataSource={data.items}
        scroll={{ x: 1000 }}
        size="middle"
        locale={{ emptyText: t('noEvents') }}
        pagination={{
          ...pagination,
          pageSizeOptions: [20, 50, 100, 200],
          showTotal: (n) => t('total', { n }),
        }}
        expandable={{
          expandedRowRender: (r) => (
            <Flex vertical gap={8}>
              <Typography.Text strong>{t('changes')}</Typography.Text>
              <ChangeTable before={r.before} after={r.after} lang={lang} />
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                {t('requestId')}: {r.requestId || '—'} · {t('clientIp')}: {r.clientIp || '—'} ·{' '}
                {w(subjectLabel(r.subjectType))}: {r.subjectId}
              </Typography.Text>
            </Flex>
          ),
        }}
        columns={[
          { title: t('at'), dataIndex: 'at', width: 170, render: (v: string) => formatDateTime(v) },
          {
            title: t('actor'),
            key: 'actor',
            width: 160,
            render: (_, r) => (
              <Flex gap={4} align="center" wrap>
                <span>{r.actorName || '—'}</span>
                {r.actorKind !== 'staff' && <Tag>{kindLabel(r.actorKind)}</Tag>}
              </Flex>
            ),
          },
          {
            title: t('unit'),
            dataIndex: 'unitId',
            width: 180,
            ellipsis: true,
            render: (id: string, r) => {
              const u = byId.get(id);
              return u ? unitName(u, lang) : r.unitName;
            },
          },
          {
            title: t('action'),
            dataIndex: 'action',
            width: 200,
            render: (v: string) => (
              <Tooltip title={v}>
                <Tag
                  data-testid="audit-action"
                  color={
                    v.includes('viewed') || v.includes('exported')
                      ? 'orange'
                      : v.includes('fail') || v.includes('lock')
                        ? 'red'
                        : 'blue'
                  }
                >
                  {w(eventLabel(v))}
                </Tag>
              </Tooltip>
            ),
          },
          {
            title: t('subject'),
            key: 'subject',
            render: (_, r) => {
              const name = subjectName(r);
              return (
                <span>
                  <Typography.Text type="secondary" data-testid="audit-subject-type">
                    {w(subjectLabel(r.subjectType))}
                  </Typography.Text>{' '}
                  <Tooltip title={r.subjectId}>
                    {name ? (
                      <span>{name}</span>
                    ) : (
                      <code>{r.subjectId.length > 24 ? `${r.subjectId.slice(0, 8)}…` : r.subjectId}</code>
                    )}
                  </Tooltip>
                </span>
              );
            },
          },
        ]}
      />
    </div>
  );
}
