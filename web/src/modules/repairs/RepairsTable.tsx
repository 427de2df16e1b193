/** A table of repair orders with the next step's button and the spare phone's state (shared by the page and panel). */
import { Button, Space, Table, Tag } from 'antd';
import type { Repair } from '../../../../src/modules/repairs/contract.ts';
import { api } from '../../platform/api.ts';
import { useFeedback } from '../../platform/feedback.ts';
import { useT } from '../../platform/i18n.tsx';
import { formatDateTime } from '../../platform/labels.ts';
import { messages } from './messages.ts';

const NEXT = { received: 'sent', sent: 'returned', returned: 'collected', collected: null } as const;
const COLOR = { received: 'blue', sent: 'orange', returned: 'green', collected: 'default' } as const;

export function RepairsTable({
  items,
  loading,
  onChanged,
  writes,
}: {
  items: Repair[];
  loading: boolean;
  onChanged: () => void;
  writes: boolean;
}) {
  const { t } = useT(messages);
  const feedback = useFeedback();
  const act = async (path: string, body?: unknown) => {
    try {
      await api.post<Repair>(path, body);
      feedback.success(t('stepped'));
      onChanged();
    } catch (e) {
      feedback.error(e);
    }
  };
  return (
    <Table<Repair>
      rowKey="id"
      size="small"
      loading={loading}
      dataSource={items}
      pagination={false}
      scroll={{ x: 'max-content' }}
      locale={{ emptyText: t('empty') }}
      data-testid="repairs-table"
      columns={[
        { title: t('device'), key: 'device', render: (_, r) => `${r.brand} ${r.model}` },
        { title: t('imei'), dataIndex: 'imei' },
        { title: t('fault'), dataIndex: 'fault', ellipsis: true },
        {
          title: t('status'),
          key: 'status',
          render: (_, r) => (
            <Tag color={COLOR[r.status]} data-testid={`repair-status-${r.id}`}>
              {t(`status.${r.status}`)}
            </Tag>
          ),
        },
        {
          title: t('spare'),
          key: 'spare',
          render: (_, r) =>
            r.spareImei ? (
              <Tag color={r.spareReturnedAt ? 'default' : 'gold'}>
                {r.spareImei} · {r.spareReturnedAt ? t('spareIn') : t('spareOut')}
              </Tag>
            ) : (
              t('none')
            ),
        },
        { title: t('received'), key: 'received', render: (_, r) => formatDateTime(r.receivedAt) },
        {
          title: t('actions'),
          key: 'actions',
          render: (_, r) => {
            const next = NEXT[r.status];
            if (!writes) return null;
            return (
              <Space size={4}>
                {next && (
                  <Button
                    size="small"
                    type="primary"
                    data-testid={`repair-step-${r.id}`}
                    onClick={() => void act(`/api/repairs/${r.id}/steps`, { to: next })}
                  >
                    {t(`to.${next}`)}
                  </Button>
                )}
                {r.spareImei && !r.spareReturnedAt && r.status !== 'collected' && (
                  <Button
                    size="small"
                    data-testid={`repair-spare-${r.id}`}
                    onClick={() => void act(`/api/repairs/${r.id}/spare-returned`)}
                  >
                    {t('spareBack')}
                  </Button>
                )}
              </Space>
            );
          },
        },
      ]}
    />
  );
}
