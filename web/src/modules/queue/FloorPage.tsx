/**
 * /floor — the duty manager's floor view (现场监控): live queues (waiting, oldest wait against its limit),
 * counters open/paused/serving and for how long, and the alerts — warned at 80 % of a limit, breached
 * after it — each with how many more counters to open (the server's Erlang C advice). Follows the hall's
 * event stream and refreshes every 5 s, so time-based warnings appear as time passes. The duty manager
 * may pause a counter although many wait (an override the server records), resume or close it.
 */
import {
  AlertOutlined,
  DesktopOutlined,
  MobileOutlined,
  PauseCircleOutlined,
  PlayCircleOutlined,
  PoweroffOutlined,
  ReloadOutlined,
} from '@ant-design/icons';
import {
  Alert,
  Badge,
  Button,
  Card,
  Col,
  Empty,
  Flex,
  Form,
  Input,
  List,
  Popconfirm,
  Progress,
  Row,
  Space,
  Statistic,
  Table,
  Tag,
  Tooltip,
  Typography,
} from 'antd';
import { useCallback, useState } from 'react';
import type { QueueState } from '../../../../src/modules/queue/contract.ts';
import { FormModal } from '../../platform/FormModal.tsx';
import { hasPermission } from '../../platform/access.ts';
import { api, errorText } from '../../platform/api.ts';
import { useMe } from '../../platform/auth.tsx';
import { useFeedback } from '../../platform/feedback.ts';
import { useT } from '../../platform/i18n.tsx';
import { CLUB_TIERS } from '../../platform/labels.ts';
import { common } from '../../platform/messages.ts';
import { PageTitle } from '../../platform/Page.tsx';
import { buttonTestId } from '../../platform/testid.ts';
import { HallSelect, timeIn, useHallChoice, useLiveView } from './hooks.tsx';
import {
  ALERT_KINDS,
  ALERT_LEVELS,
  COUNTER_KINDS,
  COUNTER_STATES,
  TICKET_STATUS,
  counterName,
} from './labels.ts';
import { OpenVisitsCard } from '../visits/OpenVisitsCard.tsx';

const messages = {
  ...common,
  title: { zh: '现场监控', en: 'Floor view' },
  live: { zh: '实时', en: 'Live' },
  offline: { zh: '重连中', en: 'Reconnecting' },
  updated: { zh: '更新于 {time}', en: 'Updated {time}' },
  limits: {
    zh: '时限：等待 {wait} 分钟 · VIP/3G {vip} 分钟 · 单笔办理 {tx} 分钟 · {warn}% 时预警',
    en: 'Limits: wait {wait} min · VIP/3G {vip} min · transaction {tx} min · warned at {warn}%',
  },
  tickets: { zh: '今日取号', en: 'Tickets today' },
  waiting: { zh: '等候中', en: 'Waiting' },
  served: { zh: '已办结', en: 'Served' },
  noShows: { zh: '过号', en: 'No-shows' },
  openCounters: { zh: '开放台席', en: 'Open counters' },
  alerts: { zh: '预警与超时', en: 'Warnings and breaches' },
  noAlerts: { zh: '当前没有预警', en: 'No warnings now' },
  openMore: { zh: '建议再开 {n} 个台席', en: 'Open {n} more counter(s)' },
  hallAdvice: { zh: '全厅建议', en: 'For the hall' },
  acknowledge: { zh: '已知悉', en: 'Acknowledge' },
  acknowledged: { zh: '{by} 已知悉', en: 'Seen by {by}' },
  acknowledgedOk: { zh: '已记录知悉', en: 'Acknowledgement recorded' },
  enough: { zh: '台席充足', en: 'Enough counters' },
  noneServing: { zh: '没有开放的台席服务此队列', en: 'No open counter serves this queue' },
  queues: { zh: '队列', en: 'Queues' },
  queue: { zh: '队列', en: 'Queue' },
  oldest: { zh: '最长等待 / 时限', en: 'Oldest wait / limit' },
  arrivals: { zh: '到达/小时', en: 'Arrivals/h' },
  mean: { zh: '平均办理', en: 'Mean service' },
  estimate: { zh: '预计等待', en: 'Est. wait' },
  needed: { zh: '需要台席', en: 'Counters needed' },
  toOpen: { zh: '需增开', en: 'To open' },
  counters: { zh: '台席', en: 'Counters' },
  counter: { zh: '台席', en: 'Counter' },
  kind: { zh: '类型', en: 'Kind' },
  state: { zh: '状态', en: 'State' },
  since: { zh: '持续', en: 'For' },
  clerk: { zh: '服务人员', en: 'Clerk' },
  profile: { zh: '工作模式', en: 'Profile' },
  currentTicket: { zh: '当前客户', en: 'Customer' },
  minutesN: { zh: '{n} 分钟', en: '{n} min' },
  idle: { zh: '空闲', en: 'Idle' },
  waitingList: { zh: '等候中的号票', en: 'Waiting tickets' },
  number: { zh: '号码', en: 'Number' },
  category: { zh: '业务', en: 'Service' },
  waited: { zh: '已等待', en: 'Waited' },
  preRegistered: { zh: '已预登记', en: 'Pre-registered' },
  pauseOverride: { zh: '批准暂停', en: 'Approve a pause' },
  pauseTitle: { zh: '批准 {name} 暂停服务', en: 'Approve a pause of {name}' },
  pauseHint: {
    zh: '等候人数较多时暂停需值班经理批准，批准将记入审计日志。',
    en: 'A pause while many wait needs the duty manager’s approval; it is recorded in the audit log.',
  },
  reason: { zh: '暂停原因', en: 'Reason' },
  reasonRule: { zh: '请填写 2–100 个字的原因', en: 'Give a reason of 2 to 100 characters' },
  paused: { zh: '{name} 已暂停', en: '{name} paused' },
  resume: { zh: '恢复', en: 'Resume' },
  resumed: { zh: '{name} 已恢复服务', en: '{name} resumed' },
  closeCounter: { zh: '关闭', en: 'Close' },
  closeConfirm: { zh: '确定关闭此台席？', en: 'Close this counter?' },
  closed: { zh: '{name} 已关闭', en: '{name} closed' },
  openDisplay: { zh: '叫号屏', en: 'Display' },
  openKiosk: { zh: '取号机', en: 'Kiosk' },
  openRemote: { zh: '远程取号页', en: 'Remote page' },
  hallClosed: { zh: '营业厅当前不在营业时间', en: 'The hall is closed now' },
  pauseReason: { zh: '原因：{reason}', en: 'Reason: {reason}' },
};

type LiveCounter = QueueState['counters'][number];

export default function FloorPage() {
  const me = useMe();
  const { t, pick, lang } = useT(messages);
  const feedback = useFeedback();
  const { hallId, setHallId, halls } = useHallChoice();
  const fetchState = useCallback((id: string) => api.get<QueueState>(`/api/halls/${id}/queue`), []);
  const live = useLiveView(hallId, fetchState, { everyMs: 5000 });
  const state = live.view;
  const [pausing, setPausing] = useState<LiveCounter | null>(null);
  const maySupervise = hasPermission(me, 'queue.supervise');

  const act = async (fn: () => Promise<unknown>, ok: string) => {
    try {
      await fn();
      feedback.success(ok);
      await live.reload();
    } catch (e) {
      feedback.error(e);
    }
  };

  if (!state) {
    return (
      <div data-testid="page-floor">
        <PageTitle title={t('title')} />
        {live.error !== null ? (
          <Alert type="error" showIcon title={errorText(live.error, lang)} />
        ) : (
          <Card loading />
        )}
      </div>
    );
  }

  const limits = state.limits;
  const openCount = state.counters.filter((c) => c.state === 'open').length;
  const warnPct = Math.round(limits.warnShare * 100);

  return (
    <div data-testid="page-floor">
      <PageTitle
        title={
          <Space>
            {t('title')}
            <Badge
              status={live.connected ? 'processing' : 'warning'}
              text={
                <Typography.Text type="secondary" style={{ fontSize: 13, fontWeight: 400 }}>
                  {live.connected ? t('live') : t('offline')} ·{' '}
                  {t('updated', { time: timeIn(state.at, state.hall.timeZone, true) })}
                </Typography.Text>
              }
            />
          </Space>
        }
        extra={
          <>
            {halls.length > 1 && <HallSelect halls={halls} value={hallId} onChange={setHallId} />}
            <Button icon={<ReloadOutlined />} onClick={() => void live.reload()}>
              {t('refresh')}
            </Button>
            <Button icon={<DesktopOutlined />} href={`/display/${state.hall.id}`} target="_blank">
              {t('openDisplay')}
            </Button>
            <Button icon={<DesktopOutlined />} href={`/kiosk/${state.hall.id}`} target="_blank">
              {t('openKiosk')}
            </Button>
            <Button icon={<MobileOutlined />} href={`/m/halls/${state.hall.id}`} target="_blank">
              {t('openRemote')}
            </Button>
          </>
        }
      />
      <Typography.Paragraph type="secondary" style={{ marginTop: -8 }}>
        {t('limits', {
          wait: limits.waitMinutes,
          vip: limits.vipWaitMinutes,
          tx: limits.transactionMinutes,
          warn: warnPct,
        })}
      </Typography.Paragraph>
      {!state.hall.open && (
        <Alert type="info" showIcon title={t('hallClosed')} style={{ marginBottom: 16 }} />
      )}

      <Row gutter={[16, 16]} style={{ marginBottom: 16 }}>
        {[
          { key: 'tickets', value: state.totals.tickets },
          { key: 'waiting', value: state.totals.waiting },
          { key: 'served', value: state.totals.served },
          { key: 'noShows', value: state.totals.noShows },
          { key: 'openCounters', value: `${openCount} / ${state.counters.length}` },
          { key: 'alerts', value: state.alertRows.length },
        ].map((s) => (
          <Col key={s.key} xs={12} md={8} xl={4}>
            <Card size="small">
              <Statistic
                title={t(s.key as keyof typeof messages)}
                value={s.value}
                data-testid={`floor-total-${s.key}`}
                styles={
                  s.key === 'alerts' && state.alertRows.length > 0
                    ? { content: { color: '#cf1322' } }
                    : undefined
                }
              />
            </Card>
          </Col>
        ))}
      </Row>

      <Card
        title={
          <Space>
            <AlertOutlined style={{ color: state.alertRows.length > 0 ? '#cf1322' : undefined }} />
            {t('alerts')}
          </Space>
        }
        extra={
          <Tooltip title={t('hallAdvice')}>
            <Tag
              color={state.advice.countersToOpen > 0 ? 'red' : 'green'}
              style={{ fontSize: 14, padding: '2px 10px' }}
              data-testid="floor-advice"
              data-count={state.advice.countersToOpen}
            >
              {pick(state.advice.message)}
            </Tag>
          </Tooltip>
        }
        style={{ marginBottom: 16 }}
        data-testid="floor-alerts"
      >
        {state.alertRows.length === 0 ? (
          <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('noAlerts')} />
        ) : (
          <List
            size="small"
            dataSource={state.alertRows}
            renderItem={(a) => {
              const share =
                a.queue === null ? 0 : (state.queues.find((q) => q.code === a.queue)?.countersToOpen ?? 0);
              return (
                <List.Item
                  key={a.key}
                  data-testid={`alert-${a.oldestNumber}`}
                  data-key={a.key}
                  data-level={a.level}
                  data-acknowledged={a.acknowledged !== null}
                  style={{ background: a.level === 'breach' ? '#fff1f0' : '#fffbe6', paddingInline: 12 }}
                >
                  <Flex justify="space-between" align="center" wrap gap={8} style={{ width: '100%' }}>
                    <Space wrap>
                      <Tag color={ALERT_LEVELS[a.level].color}>{pick(ALERT_LEVELS[a.level])}</Tag>
                      <Tag>{pick(ALERT_KINDS[a.kind])}</Tag>
                      <span>{pick(a.message)}</span>
                    </Space>
                    <Space wrap>
                      {a.kind !== 'transaction' &&
                        (share > 0 ? (
                          <Tag
                            color="red"
                            style={{ fontSize: 14, padding: '2px 10px' }}
                            data-testid="alert-counters"
                          >
                            {t('openMore', { n: share })}
                          </Tag>
                        ) : (
                          <Tag color="green">{t('enough')}</Tag>
                        ))}
                      {a.acknowledged !== null ? (
                        <Tag data-testid="alert-acknowledged">
                          {t('acknowledged', { by: a.acknowledged.by })}
                        </Tag>
                      ) : (
                        maySupervise && (
                          <Button
                            size="small"
                            data-testid="alert-acknowledge"
                            onClick={() =>
                              void act(
                                () =>
                                  api.post(`/api/halls/${state.hall.id}/queue/alerts/acknowledge`, {
                                    key: a.key,
                                  }),
                                t('acknowledgedOk'),
                              )
                            }
                          >
                            {t('acknowledge')}
                          </Button>
                        )
                      )}
                    </Space>
                  </Flex>
                </List.Item>
              );
            }}
          />
        )}
      </Card>

      <Row gutter={16}>
        <Col xs={24} xxl={12}>
          <Card title={t('queues')} style={{ marginBottom: 16 }} data-testid="floor-queues">
            <Table<QueueState['queues'][number]>
              rowKey="code"
              size="small"
              pagination={false}
              scroll={{ x: 'max-content' }}
              dataSource={state.queues}
              columns={[
                {
                  title: t('queue'),
                  key: 'name',
                  render: (_: unknown, q) => (
                    <Space size={4}>
                      <Tag color={q.vip ? 'gold' : 'blue'}>{q.prefix}</Tag>
                      {pick({ zh: q.name, en: q.nameEn })}
                    </Space>
                  ),
                },
                { title: t('waiting'), dataIndex: 'waiting', align: 'right' },
                {
                  title: t('oldest'),
                  key: 'oldest',
                  width: 200,
                  render: (_: unknown, q) => {
                    const limit = q.vip ? limits.vipWaitMinutes : limits.waitMinutes;
                    if (q.oldestWaitMinutes === null) return '—';
                    const share = q.oldestWaitMinutes / limit;
                    return (
                      <Tooltip title={t('minutesN', { n: q.oldestWaitMinutes })}>
                        <Flex vertical>
                          <span>
                            {Math.floor(q.oldestWaitMinutes)} / {limit}
                          </span>
                          <Progress
                            percent={Math.min(100, Math.round(share * 100))}
                            size="small"
                            showInfo={false}
                            strokeColor={
                              share >= 1 ? '#cf1322' : share >= limits.warnShare ? '#fa8c16' : '#52c41a'
                            }
                          />
                        </Flex>
                      </Tooltip>
                    );
                  },
                },
                { title: t('openCounters'), dataIndex: 'openCounters', align: 'right' },
                { title: t('arrivals'), dataIndex: 'arrivalsPerHour', align: 'right' },
                {
                  title: t('mean'),
                  dataIndex: 'meanServiceMinutes',
                  align: 'right',
                  render: (m: number) => t('minutesN', { n: m }),
                },
                {
                  title: t('estimate'),
                  dataIndex: 'estimatedWaitMinutes',
                  align: 'right',
                  // Shown as the kiosk, the slip and the remote page show it (at least 1 minute).
                  render: (m: number | null, q) => (
                    <span data-testid={`queue-estimate-${q.code}`}>
                      {m === null ? '—' : t('minutesN', { n: Math.max(1, m) })}
                    </span>
                  ),
                },
                { title: t('needed'), dataIndex: 'countersNeeded', align: 'right' },
                {
                  title: t('toOpen'),
                  dataIndex: 'countersToOpen',
                  align: 'right',
                  render: (n: number, q) => (
                    <span
                      data-testid={`queue-to-open-${q.code}`}
                      style={{ color: n > 0 ? '#cf1322' : undefined }}
                    >
                      {n > 0 ? `+${n}` : 0}
                    </span>
                  ),
                },
              ]}
            />
          </Card>
        </Col>
        <Col xs={24} xxl={12}>
          <Card title={t('counters')} style={{ marginBottom: 16 }} data-testid="floor-counters">
            <Table<LiveCounter>
              rowKey="id"
              size="small"
              pagination={false}
              scroll={{ x: 'max-content' }}
              dataSource={state.counters}
              rowClassName={() => 'floor-counter-row'}
              columns={[
                {
                  title: t('counter'),
                  key: 'name',
                  render: (_: unknown, c) => (
                    <span data-testid={`floor-counter-${c.number}`}>{pick(counterName(c))}</span>
                  ),
                },
                {
                  title: t('kind'),
                  dataIndex: 'kind',
                  render: (k: LiveCounter['kind']) => (
                    <Tag color={COUNTER_KINDS[k].color}>{pick(COUNTER_KINDS[k])}</Tag>
                  ),
                },
                {
                  title: t('state'),
                  key: 'state',
                  render: (_: unknown, c) => (
                    <Tooltip
                      title={c.state === 'paused' ? t('pauseReason', { reason: c.pauseReason }) : undefined}
                    >
                      <Tag
                        color={COUNTER_STATES[c.state].color}
                        data-testid={`floor-counter-state-${c.number}`}
                      >
                        {pick(COUNTER_STATES[c.state])}
                      </Tag>
                    </Tooltip>
                  ),
                },
                {
                  title: t('since'),
                  dataIndex: 'minutesInState',
                  align: 'right',
                  render: (m: number) => t('minutesN', { n: Math.floor(m) }),
                },
                { title: t('clerk'), dataIndex: 'staffName', render: (n: string) => n || '—' },
                {
                  title: t('currentTicket'),
                  key: 'current',
                  render: (_: unknown, c) => {
                    if (!c.currentNumber || !c.currentStatus) return c.state === 'open' ? t('idle') : '—';
                    const over =
                      c.currentStatus === 'serving' && (c.currentMinutes ?? 0) >= limits.transactionMinutes;
                    return (
                      <Space size={4}>
                        <b>{c.currentNumber}</b>
                        <Tag color={TICKET_STATUS[c.currentStatus].color}>
                          {pick(TICKET_STATUS[c.currentStatus])}
                        </Tag>
                        <span style={{ color: over ? '#cf1322' : undefined }}>
                          {t('minutesN', { n: Math.floor(c.currentMinutes ?? 0) })}
                        </span>
                      </Space>
                    );
                  },
                },
                ...(maySupervise
                  ? [
                      {
                        title: t('actions'),
                        key: 'actions',
                        render: (_: unknown, c: LiveCounter) => (
                          <Space size={4}>
                            {c.state === 'open' && (
                              <Button
                                size="small"
                                icon={<PauseCircleOutlined />}
                                disabled={c.busy}
                                onClick={() => setPausing(c)}
                                data-testid={`floor-pause-${c.number}`}
                              >
                                {t('pauseOverride')}
                              </Button>
                            )}
                            {c.state === 'paused' && (
                              <Button
                                size="small"
                                icon={<PlayCircleOutlined />}
                                onClick={() =>
                                  void act(
                                    () => api.post(`/api/counters/${c.id}/resume`),
                                    t('resumed', { name: pick(counterName(c)) }),
                                  )
                                }
                                data-testid={`floor-resume-${c.number}`}
                              >
                                {t('resume')}
                              </Button>
                            )}
                            {c.state !== 'closed' && (
                              <Popconfirm
                                title={t('closeConfirm')}
                                okText={t('ok')}
                                cancelText={t('cancel')}
                                onConfirm={() =>
                                  void act(
                                    () => api.post(`/api/counters/${c.id}/close`),
                                    t('closed', { name: pick(counterName(c)) }),
                                  )
                                }
                              >
                                <Button size="small" danger icon={<PoweroffOutlined />} disabled={c.busy}>
                                  {t('closeCounter')}
                                </Button>
                              </Popconfirm>
                            )}
                          </Space>
                        ),
                      },
                    ]
                  : []),
              ]}
            />
          </Card>
        </Col>
      </Row>

      {hallId && <OpenVisitsCard hallId={hallId} refresh={state.at} />}

      <Card title={t('waitingList')} data-testid="floor-waiting">
        <Table<QueueState['waiting'][number]>
          rowKey="id"
          size="small"
          pagination={{ pageSize: 20, hideOnSinglePage: true }}
          dataSource={state.waiting}
          columns={[
            { title: t('number'), dataIndex: 'number', render: (n: string) => <b>{n}</b> },
            {
              title: t('queue'),
              dataIndex: 'queue',
              render: (code: string) => {
                const q = state.queues.find((x) => x.code === code);
                return q ? pick({ zh: q.name, en: q.nameEn }) : code;
              },
            },
            {
              title: t('category'),
              dataIndex: 'category',
              render: (code: string) => {
                const c = state.categories.find((x) => x.code === code);
                return c ? pick({ zh: c.name, en: c.nameEn }) : code;
              },
            },
            {
              title: t('waited'),
              key: 'waited',
              render: (_: unknown, w) => {
                const limit = w.vip ? limits.vipWaitMinutes : limits.waitMinutes;
                const share = w.waitingMinutes / limit;
                return (
                  <span
                    style={{
                      color: share >= 1 ? '#cf1322' : share >= limits.warnShare ? '#d46b08' : undefined,
                    }}
                  >
                    {Math.floor(w.waitingMinutes)} / {limit}
                  </span>
                );
              },
            },
            {
              title: '',
              key: 'tags',
              render: (_: unknown, w) => (
                <Space size={2} wrap>
                  {w.vip && <Tag color="gold">VIP</Tag>}
                  {w.tier && w.tier !== 'ordinary' && (
                    <Tag color={CLUB_TIERS[w.tier].color}>{pick(CLUB_TIERS[w.tier])}</Tag>
                  )}
                  {w.is3g && <Tag color="cyan">3G</Tag>}
                  {w.preRegistered && <Tag color="green">{t('preRegistered')}</Tag>}
                </Space>
              ),
            },
          ]}
        />
      </Card>

      {pausing && (
        <OverridePauseModal
          counter={pausing}
          onClose={() => setPausing(null)}
          onDone={() => {
            setPausing(null);
            void live.reload();
          }}
        />
      )}
    </div>
  );
}

function OverridePauseModal({
  counter,
  onClose,
  onDone,
}: {
  counter: LiveCounter;
  onClose: () => void;
  onDone: () => void;
}) {
  const { t, pick } = useT(messages);
  const feedback = useFeedback();
  const [form] = Form.useForm<{ reason: string }>();
  const submit = async () => {
    const v = await form.validateFields();
    try {
      await api.post(`/api/counters/${counter.id}/pause`, { reason: v.reason.trim(), override: true });
      feedback.success(t('paused', { name: pick(counterName(counter)) }));
      onDone();
    } catch (e) {
      feedback.formError(form, e);
    }
  };
  return (
    <FormModal
      title={t('pauseTitle', { name: pick(counterName(counter)) })}
      onCancel={onClose}
      onSubmit={submit}
      okText={t('pauseOverride')}
      okButtonProps={buttonTestId('floor-pause-submit')}
    >
      <Typography.Paragraph type="secondary">{t('pauseHint')}</Typography.Paragraph>
      <Form form={form} layout="vertical">
        <Form.Item
          name="reason"
          label={t('reason')}
          rules={[{ required: true, whitespace: true, min: 2, max: 100, message: t('reasonRule') }]}
        >
          <Input maxLength={100} data-testid="floor-pause-reason" />
        </Form.Item>
      </Form>
    </FormModal>
  );
}
