/** /repairs: a hall's repair orders by status (2§2.1.7), each moved on a step or its spare phone taken back. */
import { ReloadOutlined } from '@ant-design/icons';
import { Button, Card, Flex, Radio, Tooltip } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import type { Repair } from '../../../../src/modules/repairs/contract.ts';
import { hasPermission } from '../../platform/access.ts';
import { api } from '../../platform/api.ts';
import type { PageOf } from '../../platform/api.ts';
import { useMe } from '../../platform/auth.tsx';
import { useFeedback } from '../../platform/feedback.ts';
import { useT } from '../../platform/i18n.tsx';
import { PageTitle } from '../../platform/Page.tsx';
import { UnitSelect } from '../../platform/units.tsx';
import { RepairsTable } from './RepairsTable.tsx';
import { messages } from './messages.ts';

const STATUSES = ['received', 'sent', 'returned', 'collected'] as const;
type Status = (typeof STATUSES)[number];

export default function RepairsPage() {
  const { t } = useT(messages);
  const me = useMe();
  const feedback = useFeedback();
  const [hallId, setHallId] = useState(me.unitId);
  const [status, setStatus] = useState<Status | 'all'>('received');
  const [items, setItems] = useState<Repair[]>([]);
  const [counts, setCounts] = useState<Partial<Record<Status, number>>>({});
  const [loading, setLoading] = useState(false);

  const load = useCallback(async () => {
    setLoading(true);
    try {
      const all = await api.get<PageOf<Repair>>('/api/repairs', { hallId, limit: 200 });
      const byStatus: Partial<Record<Status, number>> = {};
      for (const r of all.items) byStatus[r.status] = (byStatus[r.status] ?? 0) + 1;
      setCounts(byStatus);
      setItems(status === 'all' ? all.items : all.items.filter((r) => r.status === status));
    } catch (e) {
      feedback.error(e);
      setItems([]);
    } finally {
      setLoading(false);
    }
  }, [hallId, status, feedback]);
  useEffect(() => {
    void load();
  }, [load]);

  return (
    <div data-testid="page-repairs">
      <PageTitle title={t('title')} />
      <Card style={{ marginBottom: 16 }}>
        <Flex gap={12} wrap align="center">
          <UnitSelect
            style={{ width: 260 }}
            value={hallId}
            onChange={(v: string) => setHallId(v)}
            placeholder={t('hallPick')}
            data-testid="repairs-hall"
          />
          <Radio.Group
            optionType="button"
            value={status}
            onChange={(e) => setStatus(e.target.value as Status | 'all')}
            data-testid="repairs-status"
            options={[
              ...STATUSES.map((s) => ({ value: s, label: `${t(`status.${s}`)} ${counts[s] ?? 0}` })),
              { value: 'all', label: t('all') },
            ]}
          />
          <Tooltip title={t('refresh')}>
            <Button icon={<ReloadOutlined />} onClick={() => void load()} aria-label={t('refresh')} />
          </Tooltip>
        </Flex>
      </Card>
      <Card>
        <RepairsTable
          items={items}
          loading={loading}
          onChanged={() => void load()}
          writes={hasPermission(me, 'repair.write')}
        />
      </Card>
    </div>
  );
}
