/**
 * /visits/:visitId — one visit outside the counter (a manager's or an auditor's view): what was done, the
 * totals, the document, and the after-signing card (reprint, corrections, void for a manager).
 */
import { PrinterOutlined, ShopOutlined } from '@ant-design/icons';
import { Button, Card, Descriptions, Result, Space, Table, Tag } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { useParams } from 'react-router';
import type { z } from 'zod';
import type { CatalogueInForce, Visit, VisitLine } from '../../../../src/modules/visits/contract.ts';
import { api, errorText } from '../../platform/api.ts';
import { useT } from '../../platform/i18n.tsx';
import { formatDateTime } from '../../platform/labels.ts';
import { AfterSigning } from './AfterSigning.tsx';
import { messages } from './messages.ts';
import { yuan } from './money.ts';

type Catalogue = z.infer<typeof CatalogueInForce>;
const STATUS_COLOR = { open: 'processing', signed: 'green', closed: 'default', voided: 'red' } as const;

export default function VisitPage() {
  const { visitId = '' } = useParams();
  const { t, pick, lang } = useT(messages);
  const [visit, setVisit] = useState<Visit | null>(null);
  const [catalogue, setCatalogue] = useState<Catalogue | null>(null);
  const [problem, setProblem] = useState<unknown>(null);

  const load = useCallback(
    async (next?: Visit) => {
      try {
        setVisit(next ?? (await api.get<Visit>(`/api/visits/${encodeURIComponent(visitId)}`)));
        setProblem(null);
      } catch (e) {
        setProblem(e);
      }
    },
    [visitId],
  );
  useEffect(() => {
    void load();
    api
      .get<Catalogue>('/api/business-types')
      .then(setCatalogue)
      .catch(() => setCatalogue(null));
  }, [load]);

  if (problem && !visit) return <Result status="warning" title={errorText(problem, lang)} />;
  if (!visit) return <Card loading />;
  return (
    <Card
      data-testid="visit-page"
      title={
        <Space wrap>
          <ShopOutlined />
          {t('panel')}
          {visit.ticketNumber && <Tag color="red">{visit.ticketNumber}</Tag>}
          <Tag color={STATUS_COLOR[visit.status]} data-testid="visit-status">
            {t(`status.${visit.status}`)}
          </Tag>
        </Space>
      }
      extra={
        visit.document && (
          <Button icon={<PrinterOutlined />} href={`/visits/${visit.id}/print`} target="_blank">
            {t('print')}
          </Button>
        )
      }
    >
      <Descriptions
        size="small"
        column={{ xs: 1, md: 3 }}
        items={[
          { key: 'hall', label: t('counter'), children: `${visit.hallName} · ${visit.counterName}` },
          { key: 'clerk', label: t('clerk'), children: visit.staffName },
          { key: 'customer', label: t('customer'), children: visit.customer?.name ?? '—' },
          { key: 'opened', label: t('openedAt'), children: formatDateTime(visit.openedAt) },
          { key: 'total', label: t('total'), children: yuan(visit.totals.totalFen) },
          { key: 'paid', label: t('paid'), children: yuan(visit.totals.paidFen) },
        ]}
      />
      <Table<VisitLine>
        size="small"
        rowKey="id"
        pagination={false}
        style={{ margin: '12px 0' }}
        dataSource={visit.lines.filter((l) => l.status === 'done')}
        scroll={{ x: true }}
        columns={[
          { title: t('seq'), dataIndex: 'seq', width: 50 },
          {
            title: t('business'),
            key: 'b',
            render: (_: unknown, l) =>
              `${pick({ zh: l.businessZh, en: l.businessEn })}${l.subscriptionNumber ? ` · ${l.subscriptionNumber}` : ''}`,
          },
          { title: t('fee'), dataIndex: 'feeFen', align: 'right', render: (f: number) => yuan(f) },
        ]}
      />
      <AfterSigning visit={visit} catalogue={catalogue} onChanged={load} />
    </Card>
  );
}
