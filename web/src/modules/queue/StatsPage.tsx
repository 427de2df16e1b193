/**
 * /queue/stats — queue statistics (排队统计) of a hall, or of a city or province for all its halls, over a
 * date range, by hall, day, category, counter or clerk: average and 90th-percentile wait, share within
 * 30 min, VIP/3G share within 5 min, transaction time and share within 10 min, no-shows, tickets by
 * channel — a table and two charts.
 */
import { DownloadOutlined, ReloadOutlined } from '@ant-design/icons';
import { Alert, Button, Card, DatePicker, Empty, Flex, Radio, Skeleton, Table, Tooltip } from 'antd';
import type { TableColumnsType } from 'antd';
import dayjs from 'dayjs';
import type { Dayjs } from 'dayjs';
import { lazy, Suspense, useCallback, useEffect, useMemo, useState } from 'react';
import { HALL_KINDS } from '../../../../src/core/org.ts';
import type { UnitKind } from '../../../../src/core/org.ts';
import type { Stats, StatsRow } from '../../../../src/modules/queue/contract.ts';
import { api, errorText } from '../../platform/api.ts';
import { useMe } from '../../platform/auth.tsx';
import { useT } from '../../platform/i18n.tsx';
import { common } from '../../platform/messages.ts';
import { PageTitle } from '../../platform/Page.tsx';
import { UnitSelect, useUnits } from '../../platform/units.tsx';
import { CHANNELS } from './labels.ts';
import type { ChartLabels } from './StatsCharts.tsx';

const StatsCharts = lazy(() => import('./StatsCharts.tsx'));

const messages = {
  ...common,
  title: { zh: '排队统计', en: 'Queue statistics' },
  unitPick: { zh: '营业厅或上级单位', en: 'Hall or a unit above' },
  by: { zh: '统计维度', en: 'By' },
  'by.hall': { zh: '营业厅', en: 'Hall' },
  'by.day': { zh: '日期', en: 'Day' },
  'by.category': { zh: '业务类别', en: 'Service' },
  'by.counter': { zh: '台席', en: 'Counter' },
  'by.clerk': { zh: '员工', en: 'Clerk' },
  tickets: { zh: '取号数', en: 'Tickets' },
  served: { zh: '办结', en: 'Served' },
  noShows: { zh: '过号', en: 'No-shows' },
  notServed: { zh: '未服务', en: 'Not served' },
  cancelled: { zh: '取消', en: 'Cancelled' },
  transferred: { zh: '转移/暂挂', en: 'Transferred/parked' },
  wait: { zh: '等待时长', en: 'Wait' },
  avg: { zh: '平均', en: 'Average' },
  p90: { zh: '90%分位', en: '90th pct' },
  within30: { zh: '{n}分钟内', en: 'Within {n} min' },
  vipWithin: { zh: 'VIP/3G {n}分钟内', en: 'VIP/3G within {n} min' },
  transaction: { zh: '办理时长', en: 'Transaction' },
  selling: { zh: '平均营销', en: 'Avg selling' },
  channels: { zh: '取号渠道', en: 'Channels' },
  minutes: { zh: '分钟', en: 'min' },
  share: { zh: '占比', en: 'Share' },
  avgWait: { zh: '平均等待', en: 'Average wait' },
  p90Wait: { zh: '90%分位等待', en: '90th pct wait' },
  normalShare: { zh: '{n}分钟内占比', en: 'Within {n} min' },
  vipShare: { zh: 'VIP/3G {n}分钟内占比', en: 'VIP/3G within {n} min' },
  txShare: { zh: '办理{n}分钟内占比', en: 'Transactions within {n} min' },
  noData: { zh: '所选范围内没有排队数据', en: 'No queue data in this range' },
  total: { zh: '合计', en: 'Total' },
  charts: { zh: '图表', en: 'Charts' },
  table: { zh: '明细', en: 'Details' },
  ratings: { zh: '客户评价（服务评价器）', en: 'Customer ratings (rating pads)' },
  ratingCount: { zh: '评价数', en: 'Ratings' },
  ratingAverage: { zh: '平均分（1–5）', en: 'Average (1–5)' },
  satisfied: { zh: '满意率（4–5分）', en: 'Satisfied (4–5)' },
  export: { zh: '导出 Excel', en: 'Export to Excel' },
  exportNote: {
    zh: '按当前单位、日期和统计维度导出明细表',
    en: 'The table of the chosen unit, dates and grouping',
  },
};

type By = Stats['by'];
const BYS: By[] = ['hall', 'day', 'category', 'counter', 'clerk'];

const minutes = (m: number | null) => (m === null ? '—' : (Math.round(m * 10) / 10).toFixed(1));
const percent = (s: number | null) => (s === null ? '—' : `${(Math.round(s * 1000) / 10).toFixed(1)}%`);
const limitOf = (d: StatsRow['wait'], fallback: number) => d.limitsMinutes[0] ?? fallback;

export default function StatsPage() {
  const me = useMe();
  const { t, pick, lang } = useT(messages);
  const { byId } = useUnits();
  const [unitId, setUnitId] = useState<string>(me.unitId);
  const [range, setRange] = useState<[Dayjs, Dayjs] | null>(null);
  const [by, setBy] = useState<By>('hall');
  const [stats, setStats] = useState<Stats | null>(null);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<unknown>(null);

  // "Today" is the server's day (its clock may differ from the browser's): the last 7 days up to it.
  const timeZone = byId.get(me.unitId)?.timeZone ?? 'Asia/Shanghai';
  useEffect(() => {
    let live = true;
    api
      .get<{ time: string }>('/api/health')
      .then((h) => {
        if (!live) return;
        const today = dayjs(new Date(h.time).toLocaleDateString('en-CA', { timeZone }));
        setRange([today.subtract(6, 'day'), today]);
      })
      .catch(() => live && setRange([dayjs().subtract(6, 'day'), dayjs()]));
    return () => {
      live = false;
    };
  }, [timeZone]);

  // A hall alone is best seen by day; a unit above it by hall.
  useEffect(() => {
    const kind = byId.get(unitId)?.kind;
    if (kind) setBy((b) => (b === 'hall' && HALL_KINDS.includes(kind as UnitKind) ? 'day' : b));
  }, [unitId, byId]);

  const load = useCallback(async () => {
    if (!range) return;
    setLoading(true);
    setError(null);
    try {
      setStats(
        await api.get<Stats>('/api/queue/stats', {
          unitId,
          from: range[0].format('YYYY-MM-DD'),
          to: range[1].format('YYYY-MM-DD'),
          by,
        }),
      );
    } catch (e) {
      setError(e);
      setStats(null);
    } finally {
      setLoading(false);
    }
  }, [unitId, range, by]);

  useEffect(() => {
    void load();
  }, [load]);

  const rows = useMemo(() => stats?.rows ?? [], [stats]);
  const waitLimit = rows.map((r) => limitOf(r.normalWait, 30)).find(Boolean) ?? 30;
  const vipLimit = rows.map((r) => limitOf(r.vipWait, 5)).find(Boolean) ?? 5;
  const txLimit = rows.map((r) => limitOf(r.transaction, 10)).find(Boolean) ?? 10;

  const labels: ChartLabels = useMemo(
    () => ({
      avgWait: t('avgWait'),
      p90Wait: t('p90Wait'),
      normalShare: t('normalShare', { n: waitLimit }),
      vipShare: t('vipShare', { n: vipLimit }),
      txShare: t('txShare', { n: txLimit }),
      minutes: t('minutes'),
      share: t('share'),
      waitLimit,
      channels: Object.fromEntries(Object.entries(CHANNELS).map(([k, v]) => [k, pick(v)])),
      noShows: t('noShows'),
      tickets: t('tickets'),
    }),
    [t, pick, waitLimit, vipLimit, txLimit],
  );

  const columns: TableColumnsType<StatsRow> = [
    { title: t(`by.${stats?.by ?? by}`), dataIndex: 'label', fixed: 'left', width: 180 },
    { title: t('tickets'), dataIndex: 'tickets', align: 'right' },
    { title: t('served'), dataIndex: 'served', align: 'right' },
    { title: t('noShows'), dataIndex: 'noShows', align: 'right' },
    { title: t('notServed'), dataIndex: 'notServed', align: 'right' },
    { title: t('cancelled'), dataIndex: 'cancelled', align: 'right' },
    ...(stats?.by === 'counter' || stats?.by === 'clerk'
      ? [{ title: t('transferred'), dataIndex: 'transferred', align: 'right' as const }]
      : []),
    {
      title: `${t('wait')}（${t('minutes')}）`,
      children: [
        {
          title: t('avg'),
          key: 'wa',
          align: 'right',
          render: (_: unknown, r: StatsRow) => minutes(r.wait.averageMinutes),
        },
        {
          title: t('p90'),
          key: 'wp',
          align: 'right',
          render: (_: unknown, r: StatsRow) => minutes(r.wait.p90Minutes),
        },
        {
          title: t('within30', { n: waitLimit }),
          key: 'wn',
          align: 'right',
          render: (_: unknown, r: StatsRow) => percent(r.normalWait.withinLimitShare),
        },
        {
          title: t('vipWithin', { n: vipLimit }),
          key: 'wv',
          align: 'right',
          render: (_: unknown, r: StatsRow) => percent(r.vipWait.withinLimitShare),
        },
      ],
    },
    {
      title: `${t('transaction')}（${t('minutes')}）`,
      children: [
        {
          title: t('avg'),
          key: 'ta',
          align: 'right',
          render: (_: unknown, r: StatsRow) => minutes(r.transaction.averageMinutes),
        },
        {
          title: t('p90'),
          key: 'tp',
          align: 'right',
          render: (_: unknown, r: StatsRow) => minutes(r.transaction.p90Minutes),
        },
        {
          title: t('within30', { n: txLimit }),
          key: 'tw',
          align: 'right',
          render: (_: unknown, r: StatsRow) => percent(r.transaction.withinLimitShare),
        },
        {
          title: t('selling'),
          key: 'ts',
          align: 'right',
          render: (_: unknown, r: StatsRow) => minutes(r.averageSellingMinutes),
        },
      ],
    },
    {
      title: t('ratings'),
      children: [
        {
          title: t('ratingCount'),
          key: 'rc',
          align: 'right',
          render: (_: unknown, r: StatsRow) => (
            <span data-testid={`stats-rating-count-${r.key}`}>{r.ratings.count}</span>
          ),
        },
        {
          title: t('ratingAverage'),
          key: 'ra',
          align: 'right',
          render: (_: unknown, r: StatsRow) => (
            <span data-testid={`stats-rating-average-${r.key}`}>
              {r.ratings.average === null ? '—' : r.ratings.average.toFixed(2)}
            </span>
          ),
        },
        {
          title: t('satisfied'),
          key: 'rs',
          align: 'right',
          render: (_: unknown, r: StatsRow) => percent(r.ratings.satisfiedShare),
        },
      ],
    },
    {
      title: t('channels'),
      key: 'channels',
      render: (_: unknown, r: StatsRow) =>
        Object.entries(r.byChannel)
          .map(([c, n]) => `${CHANNELS[c] ? pick(CHANNELS[c]!) : c} ${n}`)
          .join(' · '),
    },
  ];

  return (
    <div data-testid="page-queue-stats">
      <PageTitle title={t('title')} />
      <Card style={{ marginBottom: 16 }}>
        <Flex gap={12} wrap align="center">
          <UnitSelect
            style={{ width: 260 }}
            value={unitId}
            onChange={(v: string) => setUnitId(v)}
            placeholder={t('unitPick')}
            data-testid="stats-unit"
          />
          <DatePicker.RangePicker
            value={range}
            allowClear={false}
            onChange={(v) => v && v[0] && v[1] && setRange([v[0], v[1]])}
            data-testid="stats-range"
          />
          <Radio.Group
            optionType="button"
            value={by}
            onChange={(e) => setBy(e.target.value as By)}
            data-testid="stats-by"
            options={BYS.map((b) => ({ value: b, label: t(`by.${b}`) }))}
          />
          <Tooltip title={t('refresh')}>
            <Button icon={<ReloadOutlined />} onClick={() => void load()} aria-label={t('refresh')} />
          </Tooltip>
        </Flex>
      </Card>
      {error !== null && (
        <Alert type="error" showIcon title={errorText(error, lang)} style={{ marginBottom: 16 }} />
      )}
      <Card title={t('charts')} style={{ marginBottom: 16 }}>
        {loading && !stats ? (
          <Skeleton active />
        ) : rows.length === 0 ? (
          <Empty description={t('noData')} data-testid="stats-empty" />
        ) : (
          <Suspense fallback={<Skeleton active />}>
            <StatsCharts rows={rows} labels={labels} line={stats?.by === 'day' && rows.length > 1} />
          </Suspense>
        )}
      </Card>
      <Card
        title={t('table')}
        extra={
          range && (
            <Tooltip title={t('exportNote')}>
              <Button
                icon={<DownloadOutlined />}
                href={`/api/queue/stats/export?${new URLSearchParams({
                  unitId,
                  from: range[0].format('YYYY-MM-DD'),
                  to: range[1].format('YYYY-MM-DD'),
                  by,
                }).toString()}`}
                disabled={rows.length === 0}
                data-testid="stats-export"
              >
                {t('export')}
              </Button>
            </Tooltip>
          )
        }
      >
        <Table<StatsRow>
          rowKey="key"
          size="small"
          bordered
          loading={loading}
          data-testid="stats-table"
          dataSource={rows}
          columns={columns}
          pagination={false}
          scroll={{ x: 'max-content' }}
        />
      </Card>
    </div>
  );
}
