/**
 * /work-orders/report — the complaint report (投诉报表) of a unit for a period of local dates (complaint
 * handlers, supervisors, statisticians): indicator 1 of 2§3.7, the halls' service-quality complaint rate,
 * against its target, a bar chart and a table of each hall's complaints; per kind of order the time limits
 * kept (taken, handled, on time, overdue while open) and the customers' satisfaction; the Excel export of
 * the same; and, read-only, the time-limit rules in force so people see what the figures are measured on.
 * The unit picker lists the caller's reach for the report (a centre's: the province or city it serves).
 */
import { DownloadOutlined, ReloadOutlined } from '@ant-design/icons';
import {
  Alert,
  Button,
  Card,
  Col,
  DatePicker,
  Flex,
  Row,
  Space,
  Statistic,
  Table,
  Tag,
  Tooltip,
  TreeSelect,
  Typography,
  theme,
} from 'antd';
import ReactEChartsCore from 'echarts-for-react/esm/core';
import { BarChart } from 'echarts/charts';
import { GridComponent, LegendComponent, MarkLineComponent, TooltipComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import dayjs from 'dayjs';
import type { Dayjs } from 'dayjs';
import { useCallback, useEffect, useMemo, useState } from 'react';
import type { ReactNode } from 'react';
import type { z } from 'zod';
import type {
  ReportUnit,
  WorkOrderPolicy,
  WorkOrderReport,
} from '../../../../../src/modules/workorders/contract.ts';
import { api, errorText, queryString } from '../../../platform/api.ts';
import { ClauseRef, WithClauses } from '../../../platform/Clause.tsx';
import { useT } from '../../../platform/i18n.tsx';
import type { Lang, T } from '../../../platform/i18n.tsx';
import { CLUB_TIERS } from '../../../platform/labels.ts';
import { PageTitle } from '../../../platform/Page.tsx';
import { messages } from './messages.ts';

echarts.use([BarChart, GridComponent, LegendComponent, TooltipComponent, MarkLineComponent, CanvasRenderer]);

type Policy = z.infer<typeof WorkOrderPolicy>;
type KindRow = WorkOrderReport['byKind'][number];
type CategoryRow = WorkOrderReport['byCategory'][number];
type UnitRow = WorkOrderReport['byUnit'][number];
type Msg = keyof typeof messages;

const DAY = 'YYYY-MM-DD';
const pct = (v: number | null) => (v === null ? '—' : `${(Math.round(v * 1000) / 10).toFixed(1)}%`);

/** Today's local date in a time zone, 'YYYY-MM-DD'. */
function todayIn(timeZone: string): string {
  return new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(new Date());
}

interface TreeOption {
  value: string;
  title: string;
  children: TreeOption[];
}

/** The units as a tree (a unit whose parent is not listed is a root), in the order the server gave. */
function treeOf(units: ReportUnit[], lang: Lang): TreeOption[] {
  const nodes = new Map<string, TreeOption>(
    units.map((u) => [
      u.id,
      { value: u.id, title: lang === 'en-US' && u.nameEn ? u.nameEn : u.name, children: [] },
    ]),
  );
  const roots: TreeOption[] = [];
  for (const u of units) {
    const node = nodes.get(u.id)!;
    const parent = u.parentId ? nodes.get(u.parentId) : undefined;
    (parent ? parent.children : roots).push(node);
  }
  return roots;
}

export default function ReportPage() {
  const { t, lang, pick } = useT(messages);
  const [units, setUnits] = useState<ReportUnit[] | null>(null);
  const [unitId, setUnitId] = useState<string | undefined>();
  const [range, setRange] = useState<[Dayjs, Dayjs] | null>(null);
  const [report, setReport] = useState<WorkOrderReport | null>(null);
  const [policies, setPolicies] = useState<Policy[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [loading, setLoading] = useState(false);
  // No growing bars for a person who asked for less motion (antd's motion token follows that wish).
  const motion = theme.useToken().token.motion !== false;

  // The units first: the default is the widest one (the first, in path order), this month in its time zone.
  useEffect(() => {
    api.get<ReportUnit[]>('/api/work-orders/report/units').then((list) => {
      setUnits(list);
      const first = list[0];
      if (!first) return;
      setUnitId(first.id);
      const today = dayjs(todayIn(first.timeZone));
      setRange([today.startOf('month'), today]);
    }, setError);
    api.get<Policy[]>('/api/work-order-policies').then(setPolicies, setError);
  }, []);

  const query = useMemo(
    () => (unitId && range ? { unitId, from: range[0].format(DAY), to: range[1].format(DAY) } : null),
    [unitId, range],
  );
  const load = useCallback(async () => {
    if (!query) return;
    setLoading(true);
    setError(null);
    try {
      setReport(await api.get<WorkOrderReport>('/api/work-orders/report', query));
    } catch (e) {
      setError(e);
      setReport(null);
    } finally {
      setLoading(false);
    }
  }, [query]);
  useEffect(() => {
    void load();
  }, [load]);

  const treeData = useMemo(() => treeOf(units ?? [], lang), [units, lang]);
  /** A unit's name in the language (the report gives the Chinese one; the unit list has both). */
  const nameOf = useCallback(
    (id: string, fallback: string) => {
      const u = units?.find((x) => x.id === id);
      return u && lang === 'en-US' && u.nameEn ? u.nameEn : fallback;
    },
    [units, lang],
  );
  const unitLabel = useMemo(() => {
    const u = units?.find((x) => x.id === report?.unitId);
    return u ? (lang === 'en-US' && u.nameEn ? u.nameEn : u.name) : '';
  }, [units, report, lang]);

  const verdict = (met: boolean | null, testId?: string) =>
    met === null ? (
      <Tag data-testid={testId}>{t('noHalls')}</Tag>
    ) : met ? (
      <Tag color="green" data-testid={testId}>
        {t('met')}
      </Tag>
    ) : (
      <Tag color="red" data-testid={testId}>
        {t('notMet')}
      </Tag>
    );

  const option = useMemo(() => {
    if (!report) return null;
    const target = report.complaintRate.target;
    return {
      tooltip: { trigger: 'axis' },
      grid: { left: 40, right: 72, top: 24, bottom: 56 },
      xAxis: {
        type: 'category',
        data: report.halls.map((h) => nameOf(h.unitId, h.name)),
        axisLabel: { interval: 0, width: 96, overflow: 'break' },
      },
      yAxis: {
        type: 'value',
        min: 0,
        minInterval: 1,
        max: (v: { max: number }) => Math.max(Math.ceil(v.max), Math.ceil(target * 2)),
      },
      animation: motion,
      animationDuration: 300,
      series: [
        {
          name: t('complaintsSeries'),
          type: 'bar',
          barMaxWidth: 48,
          data: report.halls.map((h) => ({
            value: h.complaints,
            itemStyle: { color: h.met ? '#1677ff' : '#cf1322' },
          })),
          label: { show: true, position: 'top' },
          markLine: {
            symbol: 'none',
            lineStyle: { type: 'dashed', color: '#fa8c16' },
            label: {
              formatter: t('targetBelow', { value: target }),
              position: 'insideEndTop',
              color: '#d46b08',
            },
            data: [{ yAxis: target }],
          },
        },
      ],
    };
  }, [report, t, motion, nameOf]);

  const exportHref = query ? `/api/work-orders/report/export${queryString(query)}` : undefined;
  const rate = report?.complaintRate;

  return (
    <div data-testid="page-workorder-report">
      <PageTitle
        title={t('title')}
        extra={
          <Tooltip title={t('exportNote')}>
            <Button
              icon={<DownloadOutlined />}
              href={exportHref}
              disabled={!exportHref}
              data-testid="wr-export"
            >
              {t('export')}
            </Button>
          </Tooltip>
        }
      />
      <Typography.Paragraph type="secondary">
        <WithClauses text={t('intro')} />
      </Typography.Paragraph>
      <Card style={{ marginBottom: 16 }}>
        <Flex gap={12} wrap align="center">
          <TreeSelect<string>
            style={{ width: 280 }}
            showSearch={{ treeNodeFilterProp: 'title' }}
            treeDefaultExpandAll
            popupMatchSelectWidth={false}
            treeData={treeData}
            value={unitId}
            loading={units === null}
            onChange={(v: string) => setUnitId(v)}
            placeholder={t('unitPick')}
            data-testid="wr-unit"
          />
          <DatePicker.RangePicker
            value={range}
            allowClear={false}
            onChange={(v) => v && v[0] && v[1] && setRange([v[0], v[1]])}
            data-testid="wr-range"
          />
          <Tooltip title={t('refresh')}>
            <Button icon={<ReloadOutlined />} onClick={() => void load()} aria-label={t('refresh')} />
          </Tooltip>
        </Flex>
      </Card>
      {error !== null && (
        <Alert type="error" showIcon title={errorText(error, lang)} style={{ marginBottom: 16 }} />
      )}
      {report && rate && (
        <>
          <Row gutter={16} style={{ marginBottom: 16 }}>
            <Col xs={24} lg={8}>
              <Card data-testid="wr-rate" style={{ height: '100%' }}>
                <Statistic
                  title={
                    <Space size={4} wrap>
                      <span>{t('indicator')}</span>
                      <ClauseRef refText="2§3.7" />
                    </Space>
                  }
                  value={rate.rate === null ? '—' : rate.rate.toFixed(2)}
                  styles={{ content: { color: rate.met === false ? '#cf1322' : undefined } }}
                />
                <Typography.Paragraph type="secondary" style={{ margin: '8px 0' }}>
                  {unitLabel} · {report.from} ~ {report.to}
                </Typography.Paragraph>
                <Flex gap={8} align="center" wrap>
                  <Typography.Text data-testid="wr-ratio">
                    {t('ratio', { n: rate.numerator, d: rate.denominator })}
                  </Typography.Text>
                  <Typography.Text type="secondary">
                    {t('targetBelow', { value: rate.target })}
                  </Typography.Text>
                  {verdict(rate.met, 'wr-verdict')}
                </Flex>
              </Card>
            </Col>
            <Col xs={24} lg={16}>
              <Card title={t('chart')} data-testid="wr-chart" style={{ height: '100%' }}>
                {option && report.halls.length > 0 ? (
                  <ReactEChartsCore echarts={echarts} option={option} style={{ height: 280 }} notMerge />
                ) : (
                  <Typography.Text type="secondary">{t('noHalls')}</Typography.Text>
                )}
              </Card>
            </Col>
          </Row>
          <Row gutter={16}>
            <Col xs={24} lg={8}>
              <Card title={t('halls')} style={{ marginBottom: 16 }}>
                <Table
                  rowKey="unitId"
                  size="small"
                  loading={loading}
                  pagination={false}
                  data-testid="wr-halls"
                  dataSource={report.halls}
                  columns={[
                    {
                      title: t('hall'),
                      key: 'name',
                      render: (_: unknown, h: WorkOrderReport['halls'][number]) => nameOf(h.unitId, h.name),
                    },
                    { title: t('complaints'), dataIndex: 'complaints', align: 'right' },
                    {
                      title: t('verdict'),
                      key: 'met',
                      render: (_: unknown, h: WorkOrderReport['halls'][number]) => verdict(h.met),
                    },
                  ]}
                />
              </Card>
            </Col>
            <Col xs={24} lg={16}>
              <Card title={t('byKind')} style={{ marginBottom: 16 }}>
                <FiguresTable<KindRow>
                  rows={report.byKind}
                  rowKey="kind"
                  loading={loading}
                  testId="wr-kinds"
                  label={{ title: t('kind'), render: (k) => t(`kind.${k.kind}` as Msg) }}
                />
              </Card>
            </Col>
          </Row>
          <Row gutter={16}>
            <Col xs={24} lg={12}>
              <Card title={t('byCategory')} style={{ marginBottom: 16 }}>
                <FiguresTable<CategoryRow>
                  rows={report.byCategory}
                  rowKey="categoryId"
                  loading={loading}
                  testId="wr-categories"
                  label={{ title: t('category'), render: (c) => pick(c) }}
                />
              </Card>
            </Col>
            <Col xs={24} lg={12}>
              <Card title={t('byUnit')} style={{ marginBottom: 16 }}>
                <FiguresTable<UnitRow>
                  rows={report.byUnit}
                  rowKey={(u) => u.unitId ?? 'elsewhere'}
                  loading={loading}
                  testId="wr-units"
                  label={{
                    title: t('unit'),
                    render: (u) => (u.unitId === null ? t('elsewhere') : nameOf(u.unitId, u.name)),
                  }}
                />
              </Card>
            </Col>
          </Row>
          <Backlog
            backlog={report.backlog}
            motion={motion}
            timeZone={units?.find((u) => u.id === report.unitId)?.timeZone}
          />
        </>
      )}
      {policies && (
        <Card title={t('policies')} data-testid="wr-policies">
          <Typography.Paragraph type="secondary">{t('policiesNote')}</Typography.Paragraph>
          <Table<Policy>
            rowKey="id"
            size="small"
            pagination={false}
            dataSource={policies}

            columns={[
              { title: t('policy'), key: 'name', render: (_, p) => pick(p) },
              {
                title: t('condition'),
                key: 'condition',
                render: (_, p) => <Condition policy={p} />,
              },
              {
                title: t('firstResponse'),
                key: 'first',
                render: (_, p) => (p.firstResponse ? pick(p.firstResponse) : '—'),
              },
              {
                title: t('resolution'),
                key: 'resolution',
                render: (_, p) => (p.orderDeadline ? t('orderDeadline') : pick(p.resolution)),
              },
              { title: t('answer'), key: 'answer', render: (_, p) => (p.answer ? pick(p.answer) : '—') },
              {
                title: t('pauses'),
                key: 'pauses',
                render: (_, p) =>
                  p.pauseStates.length === 0
                    ? t('noPause')
                    : p.pauseStates.map((s) => t(`pause.${s}` as Msg)).join(lang === 'en-US' ? ', ' : '、'),
              },
              {
                title: t('escalation'),
                key: 'escalation',
                render: (_, p) => (
                  <Flex vertical gap={2}>
                    {p.escalation.map((e) => (
                      <span key={e.level}>
                        <Typography.Text type="secondary">{threshold(e.threshold, t)}</Typography.Text>{' '}
                        {pick(e)}
                      </span>
                    ))}
                  </Flex>
                ),
              },
            ]}
          />
        </Card>
      )}
    </div>
  );
}

type Figures = WorkOrderReport['byKind'][number];
type BacklogView = WorkOrderReport['backlog'];

/** The time-limit figures of a group per row: taken, handled, on time, overdue, open, closed, satisfaction. */
function FiguresTable<R extends Omit<Figures, 'kind'>>({
  rows,
  rowKey,
  loading,
  testId,
  label,
}: {
  rows: R[];
  rowKey: string | ((row: R) => string);
  loading: boolean;
  testId: string;
  label: { title: string; render: (row: R) => ReactNode };
}) {
  const { t } = useT(messages);
  return (
    <Table<R>
      rowKey={rowKey}
      size="small"
      loading={loading}
      pagination={false}
      data-testid={testId}
      locale={{ emptyText: t('noOrders') }}
      dataSource={rows}
      scroll={{ x: 'max-content' }}
      columns={[
        { title: label.title, key: 'label', render: (_, r) => label.render(r) },
        { title: t('taken'), dataIndex: 'taken', align: 'right' },
        { title: t('handled'), dataIndex: 'handled', align: 'right' },
        {
          title: t('onTime'),
          key: 'onTime',
          align: 'right',
          render: (_, k) => `${pct(k.onTimeShare)} (${k.handledOnTime}/${k.handled})`,
        },
        {
          title: t('openOverdue'),
          key: 'openOverdue',
          align: 'right',
          render: (_, k) => (k.openOverdue > 0 ? <Tag color="red">{k.openOverdue}</Tag> : k.openOverdue),
        },
        { title: t('open'), dataIndex: 'open', align: 'right' },
        { title: t('closed'), dataIndex: 'closed', align: 'right' },
        {
          title: t('satisfaction'),
          key: 'satisfaction',
          align: 'right',
          render: (_, k) =>
            k.satisfaction === null
              ? '—'
              : `${k.satisfaction.toFixed(1)} / 5 · ${t('rated', { n: k.rated })}`,
        },
      ]}
    />
  );
}

/** The backlog now (积压): how many, how many overdue, the oldest; a bar per age band, overdue stacked in red. */
function Backlog({
  backlog,
  motion,
  timeZone,
}: {
  backlog: BacklogView;
  motion: boolean;
  /** The unit's: the time shown is its wall clock. */
  timeZone: string | undefined;
}) {
  const { t, lang } = useT(messages);
  const days = (h: number) => Math.round(h / 24);
  const bandName = (b: BacklogView['bands'][number]) =>
    b.toHours === null
      ? t('bandFrom', { d: days(b.fromHours) })
      : b.fromHours === 0
        ? t('bandUnder', { d: days(b.toHours) })
        : t('bandBetween', { a: days(b.fromHours), b: days(b.toHours) });
  const option = {
    tooltip: { trigger: 'axis' },
    legend: { bottom: 0 },
    grid: { left: 40, right: 24, top: 24, bottom: 56 },
    xAxis: { type: 'category', data: backlog.bands.map(bandName) },
    yAxis: { type: 'value', min: 0, minInterval: 1 },
    animation: motion,
    animationDuration: 300,
    series: [
      {
        name: t('inTime'),
        type: 'bar',
        stack: 'age',
        barMaxWidth: 56,
        itemStyle: { color: '#1677ff' },
        data: backlog.bands.map((b) => b.open - b.overdue),
      },
      {
        name: t('overdue'),
        type: 'bar',
        stack: 'age',
        barMaxWidth: 56,
        itemStyle: { color: '#cf1322' },
        data: backlog.bands.map((b) => b.overdue),
      },
    ],
  };
  return (
    <Card title={t('backlog')} data-testid="wr-backlog" style={{ marginBottom: 16 }}>
      <Row gutter={16}>
        <Col xs={24} lg={8}>
          <Flex vertical gap={12}>
            <Statistic title={t('backlogOpen')} value={backlog.open} />
            <Statistic
              title={t('overdue')}
              value={backlog.overdue}
              styles={{ content: { color: backlog.overdue > 0 ? '#cf1322' : undefined } }}
            />
            <Statistic
              title={t('oldest')}
              value={
                backlog.oldestHours === null ? '—' : t('days', { n: (backlog.oldestHours / 24).toFixed(1) })
              }
            />
            <Typography.Text type="secondary">
              {t('backlogAsOf', { at: new Date(backlog.asOf).toLocaleString(lang, { timeZone }) })}
            </Typography.Text>
          </Flex>
        </Col>
        <Col xs={24} lg={16}>
          <ReactEChartsCore echarts={echarts} option={option} style={{ height: 260 }} notMerge />
        </Col>
      </Row>
    </Card>
  );
}

/** An escalation step's threshold in words: '80%' → share used; '+1440min' → a time after the breach. */
function threshold(text: string, t: T<typeof messages>): string {
  if (/^\d+(\.\d+)?%$/.test(text)) return t('usedShare', { p: text });
  const after = /^\+(\d+)min$/.exec(text);
  if (after) {
    const minutes = Number(after[1]);
    const d = minutes % 60 === 0 ? t('hours', { n: minutes / 60 }) : t('minutes', { n: minutes });
    return t('afterBreach', { d });
  }
  return text;
}

/** A policy's condition as tags: kinds, channels, customer tiers, category, attributes. */
function Condition({ policy }: { policy: Policy }) {
  const { t, pick } = useT(messages);
  const c = policy.condition;
  const word = (prefix: string, code: string) => {
    const key = `${prefix}.${code}`;
    return key in messages ? t(key as Msg) : code;
  };
  const tags = [
    ...c.kinds.map((k) => <Tag key={`k-${k}`}>{word('kind', k)}</Tag>),
    ...c.channels.map((ch) => (
      <Tag key={`c-${ch}`} color="blue">
        {t('channel')}: {word('channel', ch)}
      </Tag>
    )),
    ...c.customerTiers.map((tier) => (
      <Tag key={`t-${tier}`} color="gold">
        {t('tier')}: {tier in CLUB_TIERS ? pick(CLUB_TIERS[tier as keyof typeof CLUB_TIERS]) : tier}
      </Tag>
    )),
    ...(c.category
      ? [
          <Tag key="cat" color="purple">
            {t('category')}: {c.category}
          </Tag>,
        ]
      : []),
    ...Object.entries(c.attributes).map(([k, v]) => (
      <Tag key={`a-${k}`} color="cyan">
        {word('attr', k)}: {word('value', v)}
      </Tag>
    )),
  ];
  return tags.length > 0 ? (
    <Flex wrap gap={4}>
      {tags}
    </Flex>
  ) : (
    <>{t('anyOrder')}</>
  );
}
