/**
 * /work-orders — the handling desk's list (工单处理): my orders (owned by me or assigned to me) and the unit
 * board (every order of my unit and the units below, as the server scopes it), filtered by kind, state,
 * unit and due time, the soonest due first; each row with its live clocks counting down (amber near the
 * limit, red once breached). The list follows the work-order stream, so another person's change appears
 * without a reload. Fast intake opens from here (and from the counter page).
 */
import { PlusOutlined, ReloadOutlined } from '@ant-design/icons';
import { Badge, Button, Card, Flex, Segmented, Select, Space, Table, Tag, Typography } from 'antd';
import { useCallback, useState } from 'react';
import type { HTMLAttributes } from 'react';
import { Link, useNavigate } from 'react-router';
import type { WorkOrder, WorkOrderQuery } from '../../../../../src/modules/workorders/contract.ts';
import { useT } from '../../../platform/i18n.tsx';
import { PageTitle } from '../../../platform/Page.tsx';
import { usePagedList } from '../../../platform/usePagedList.ts';
import { IntakeModal } from './IntakeModal.tsx';
import { messages } from './messages.ts';
import {
  KINDS,
  LiveClock,
  PriorityTag,
  STATES,
  StateTag,
  useNow,
  useOrderStream,
  OrderUnitSelect,
  useUnitName,
} from './shared.tsx';

type Tab = 'mine' | 'owned' | 'assigned' | 'board';
type Filters = Partial<
  Pick<WorkOrderQuery, 'kind' | 'state' | 'unitId' | 'owner' | 'assignee' | 'dueBefore'>
> & {
  mine?: boolean;
};
type Due = 'overdue' | '1h' | '4h' | '24h';
const DUE_MS: Record<Due, number> = { overdue: 0, '1h': 3_600_000, '4h': 4 * 3_600_000, '24h': 86_400_000 };

const TAB_FILTERS: Record<Tab, Filters> = {
  mine: { mine: true, owner: undefined, assignee: undefined },
  owned: { mine: undefined, owner: 'me', assignee: undefined },
  assigned: { mine: undefined, owner: undefined, assignee: 'me' },
  board: { mine: undefined, owner: undefined, assignee: undefined },
};

export default function WorkOrdersPage() {
  const { t } = useT(messages);
  const navigate = useNavigate();
  const now = useNow(1000);
  const unitLabel = useUnitName();
  const list = usePagedList<WorkOrder, Filters>('/api/work-orders', TAB_FILTERS.mine);
  const { setFilter, load } = list;
  const [tab, setTab] = useState<Tab>('mine');
  const [due, setDue] = useState<Due | undefined>();
  const [intake, setIntake] = useState(false);

  const onChange = useCallback(() => void load(), [load]);
  const connected = useOrderStream(onChange);

  const chooseTab = (next: Tab) => {
    setTab(next);
    setFilter(TAB_FILTERS[next]);
  };
  const chooseDue = (next: Due | undefined) => {
    setDue(next);
    setFilter({ dueBefore: next ? new Date(Date.now() + DUE_MS[next]).toISOString() : undefined });
  };

  const columns = [
    {
      title: t('number'),
      key: 'number',
      width: 170,
      render: (_: unknown, o: WorkOrder) => (
        <Link to={`/work-orders/${o.id}`} data-testid={`wo-link-${o.number}`}>
          {o.number}
        </Link>
      ),
    },
    {
      title: t('kind'),
      key: 'kind',
      width: 110,
      render: (_: unknown, o: WorkOrder) => <Tag>{t(`kind.${o.kind}`)}</Tag>,
    },
    {
      title: t('title'),
      key: 'title',
      ellipsis: true,
      render: (_: unknown, o: WorkOrder) => (
        <Space size={4}>
          {o.priority !== 'normal' && <PriorityTag priority={o.priority} t={t} />}
          <span>{o.title}</span>
        </Space>
      ),
    },
    {
      title: t('customer'),
      key: 'customer',
      width: 150,
      render: (_: unknown, o: WorkOrder) => (
        <div>
          <div>{o.customer?.name ?? t('noCustomer')}</div>
          <Typography.Text type="secondary">{o.contactPhone}</Typography.Text>
        </div>
      ),
    },
    {
      title: t('state'),
      key: 'state',
      width: 130,
      render: (_: unknown, o: WorkOrder) => <StateTag state={o.state} t={t} testId="wo-row-state" />,
    },
    {
      title: `${t('owner')} / ${t('assignee')}`,
      key: 'people',
      width: 200,
      render: (_: unknown, o: WorkOrder) => (
        <div>
          <div>{o.owner.name}</div>
          <Typography.Text type="secondary" data-testid="wo-row-assignee">
            {o.assignee ? o.assignee.name : `${unitLabel(o.handlingUnit)} · ${t('unassigned')}`}
          </Typography.Text>
        </div>
      ),
    },
    {
      title: t('clocks'),
      key: 'clocks',
      width: 230,
      render: (_: unknown, o: WorkOrder) => (
        <Flex vertical gap={4} align="flex-start">
          {o.clocks.response && !o.clocks.response.metAt && (
            <LiveClock
              clock={o.clocks.response}
              now={now}
              t={t}
              label={t('responseClock')}
              testId="wo-row-response"
            />
          )}
          <LiveClock
            clock={o.clocks.resolution}
            now={now}
            t={t}
            label={t('resolutionClock')}
            testId="wo-row-resolution"
          />
          {o.escalationLevel && <Tag color="volcano">{t('escalation')}</Tag>}
        </Flex>
      ),
    },
  ];

  return (
    <div data-testid="page-work-orders">
      <PageTitle
        title={t('listTitle')}
        extra={
          <>
            <Badge
              status={connected ? 'success' : 'warning'}
              text={t(connected ? 'live' : 'offline')}
              data-testid="wo-live"
              data-connected={connected ? 'yes' : 'no'}
            />
            <Button icon={<ReloadOutlined />} onClick={() => void load()}>
              {t('refresh')}
            </Button>
            <Button
              type="primary"
              icon={<PlusOutlined />}
              onClick={() => setIntake(true)}
              data-testid="wo-new"
            >
              {t('newOrder')}
            </Button>
          </>
        }
      />
      <Card>
        <Flex wrap gap={12} style={{ marginBottom: 16 }} align="center">
          <Segmented<Tab>
            value={tab}
            onChange={chooseTab}
            data-testid="wo-tabs"
            options={[
              { value: 'mine', label: t('tabMine') },
              { value: 'owned', label: t('tabOwned') },
              { value: 'assigned', label: t('tabAssigned') },
              { value: 'board', label: <span data-testid="wo-tab-board">{t('tabBoard')}</span> },
            ]}
          />
          <Select
            allowClear
            placeholder={t('filterKind')}
            style={{ width: 140 }}
            value={list.filters.kind}
            onChange={(kind: WorkOrder['kind'] | undefined) => setFilter({ kind })}
            options={KINDS.map((k) => ({ value: k, label: t(`kind.${k}`) }))}
            data-testid="wo-filter-kind"
          />
          <Select
            allowClear
            placeholder={t('filterState')}
            style={{ width: 170 }}
            value={list.filters.state}
            onChange={(state: Filters['state']) => setFilter({ state })}
            options={[
              { value: 'open', label: t('stateOpen') },
              ...STATES.map((s) => ({ value: s, label: t(`state.${s}`) })),
            ]}
            data-testid="wo-filter-state"
          />
          <OrderUnitSelect
            allowClear
            placeholder={t('filterUnit')}
            style={{ width: 220 }}
            value={list.filters.unitId}
            onChange={(unitId: string | undefined) => setFilter({ unitId })}
            data-testid="wo-filter-unit"
          />
          <Select<Due>
            allowClear
            placeholder={t('filterDue')}
            style={{ width: 170 }}
            value={due}
            onChange={chooseDue}
            options={(['overdue', '1h', '4h', '24h'] as const).map((d) => ({
              value: d,
              label: t(`due.${d}`),
            }))}
            data-testid="wo-filter-due"
          />
        </Flex>
        <Table<WorkOrder>
          rowKey="id"
          size="middle"
          data-testid="wo-table"
          loading={list.loading && list.data.items.length === 0}
          dataSource={list.data.items}
          columns={columns}
          pagination={list.pagination}
          scroll={{ x: 1100 }}
          onRow={(o) => ({ 'data-number': o.number }) as HTMLAttributes<HTMLTableRowElement>}
        />
      </Card>
      {intake && (
        <IntakeModal
          onClose={() => setIntake(false)}
          onCreated={(o) => {
            setIntake(false);
            void navigate(`/work-orders/${o.id}`);
          }}
        />
      )}
    </div>
  );
}
