/**
 * The duty manager's card on the floor view: the hall's visits still open (left open at closing time too) and,
 * one click away, the signed, closed or voided ones; each opens its visit page (reprint, correction, void).
 */
import { Card, Segmented, Table, Tag } from 'antd';
import { useEffect, useState } from 'react';
import { Link } from 'react-router';
import type { z } from 'zod';
import type { VisitStatus, VisitSummary } from '../../../../src/modules/visits/contract.ts';
import { api } from '../../platform/api.ts';
import type { PageOf } from '../../platform/api.ts';
import { useT } from '../../platform/i18n.tsx';
import { formatDateTime } from '../../platform/labels.ts';
import { messages } from './messages.ts';
import { yuan } from './money.ts';

type Summary = z.infer<typeof VisitSummary>;
type Status = z.infer<typeof VisitStatus>;
const STATUSES: Status[] = ['open', 'signed', 'closed', 'voided'];

/** Reloaded whenever `refresh` changes (each new view of the hall). */
export function OpenVisitsCard({ hallId, refresh }: { hallId: string; refresh: unknown }) {
  const { t } = useT(messages);
  const [list, setList] = useState<PageOf<Summary> | null>(null);
  const [failed, setFailed] = useState(false);
  const [status, setStatus] = useState<Status>('open');
  useEffect(() => {
    let alive = true;
    api
      .get<PageOf<Summary>>('/api/visits', { hallId, status, limit: 100 })
      .then((l) => {
        if (!alive) return;
        setList(l);
        setFailed(false);
      })
      .catch(() => alive && setFailed(true));
    return () => {
      alive = false;
    };
  }, [hallId, status, refresh]);
  if (failed && !list) return null;
  return (
    <Card
      title={t('openVisits')}
      style={{ marginBottom: 16 }}
      data-testid="floor-open-visits"
      loading={!list}
      extra={
        list ? (
          <Tag color={status === 'open' && list.total > 0 ? 'orange' : 'green'}>{list.total}</Tag>
        ) : undefined
      }
    >
      <Segmented<Status>
        size="small"
        style={{ marginBottom: 8 }}
        value={status}
        onChange={setStatus}
        data-testid="floor-visits-status"
        options={STATUSES.map((s) => ({ value: s, label: t(`status.${s}`) }))}
      />
      {list && (
        <Table<Summary>
          size="small"
          rowKey="id"
          pagination={false}
          dataSource={list.items}
          locale={{ emptyText: status === 'open' ? t('noOpenVisits') : t('noVisits') }}
          scroll={{ x: true }}
          columns={[
            {
              title: t('counter'),
              dataIndex: 'counterName',
              render: (name: string, v: Summary) => (
                <Link to={`/visits/${v.id}`} data-testid={`floor-visit-${v.id}`}>
                  {name}
                </Link>
              ),
            },
            { title: t('ticket'), dataIndex: 'ticketNumber', render: (n: string | null) => n ?? '—' },
            { title: t('clerk'), dataIndex: 'staffName' },
            { title: t('customer'), dataIndex: 'customerName', render: (n: string) => n || '—' },
            { title: t('linesN'), dataIndex: 'lines', width: 70 },
            { title: t('total'), dataIndex: 'totalFen', align: 'right', render: (f: number) => yuan(f) },
            { title: t('balance'), dataIndex: 'balanceFen', align: 'right', render: (f: number) => yuan(f) },
            { title: t('openedAt'), dataIndex: 'openedAt', render: (d: string) => formatDateTime(d) },
          ]}
        />
      )}
    </Card>
  );
}
