/** The duty manager's card on the floor view: visits of the hall still open (left open at closing time too). */
import { Card, Table, Tag } from 'antd';
import { useEffect, useState } from 'react';
import type { z } from 'zod';
import type { VisitSummary } from '../../../../src/modules/visits/contract.ts';
import { api } from '../../platform/api.ts';
import type { PageOf } from '../../platform/api.ts';
import { useT } from '../../platform/i18n.tsx';
import { formatDateTime } from '../../platform/labels.ts';
import { messages } from './messages.ts';
import { yuan } from './money.ts';

type Summary = z.infer<typeof VisitSummary>;

/** Reloaded whenever `refresh` changes (each new view of the hall). */
export function OpenVisitsCard({ hallId, refresh }: { hallId: string; refresh: unknown }) {
  const { t } = useT(messages);
  const [list, setList] = useState<PageOf<Summary> | null>(null);
  const [failed, setFailed] = useState(false);
  useEffect(() => {
    let alive = true;
    api
      .get<PageOf<Summary>>('/api/visits', { hallId, status: 'open', limit: 100 })
      .then((l) => {
        if (!alive) return;
        setList(l);
        setFailed(false);
      })
      .catch(() => alive && setFailed(true));
    return () => {
      alive = false;
    };
  }, [hallId, refresh]);
  if (failed && !list) return null;
  return (
    <Card
      title={t('openVisits')}
      style={{ marginBottom: 16 }}
      data-testid="floor-open-visits"
      loading={!list}
      extra={list ? <Tag color={list.total > 0 ? 'orange' : 'green'}>{list.total}</Tag> : undefined}
    >
      {list && (
        <Table<Summary>
          size="small"
          rowKey="id"
          pagination={false}
          dataSource={list.items}
          locale={{ emptyText: t('noOpenVisits') }}
          scroll={{ x: true }}
          columns={[
            { title: t('counter'), dataIndex: 'counterName' },
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
