/**
 * /counter — the clerk's workstation (台席): open a counter with a work profile, call the next customer
 * (nobody waiting is said so), recall, start, "business done, now selling", transfer, park, finish with the
 * outcome, no-show; pause with a reason (refused while too many wait — the server's message is shown),
 * resume, close. The customer's tier and 3G flag (never the full number), the pre-registered details and
 * the transaction's clock against its limit.
 */
import {
  CheckCircleOutlined,
  ClockCircleOutlined,
  EyeOutlined,
  FileAddOutlined,
  NotificationOutlined,
  NumberOutlined,
  PauseCircleOutlined,
  PlayCircleOutlined,
  PoweroffOutlined,
  RetweetOutlined,
  SoundOutlined,
  StopOutlined,
  SwapOutlined,
  UserDeleteOutlined,
  VerticalAlignBottomOutlined,
} from '@ant-design/icons';
import {
  Alert,
  AutoComplete,
  Button,
  Card,
  Checkbox,
  Col,
  Descriptions,
  Empty,
  Flex,
  Form,
  Input,
  Popconfirm,
  Progress,
  Radio,
  Row,
  Select,
  Space,
  Statistic,
  Table,
  Tag,
  Typography,
} from 'antd';
import { useCallback, useEffect, useMemo, useState } from 'react';
import { useNavigate } from 'react-router';
import { ID_DOC_KINDS } from '../../../../src/core/id-documents.ts';
import type { IdDocKind } from '../../../../src/core/id-documents.ts';
import type {
  Counter,
  HallQueueConfigView,
  QueueState,
  Ticket,
} from '../../../../src/modules/queue/contract.ts';
import { FormModal } from '../../platform/FormModal.tsx';
import { hasPermission } from '../../platform/access.ts';
import { ApiError, api, errorText } from '../../platform/api.ts';
import type { PageOf } from '../../platform/api.ts';
import { useMe } from '../../platform/auth.tsx';
import { useFeedback } from '../../platform/feedback.ts';
import { useT } from '../../platform/i18n.tsx';
import { CLUB_TIERS } from '../../platform/labels.ts';
import { common } from '../../platform/messages.ts';
import { PageTitle } from '../../platform/Page.tsx';
import { buttonTestId } from '../../platform/testid.ts';
import { CallNumberModal, MyDay } from './CounterClerk.tsx';
import { HallSelect, clockText, useHallChoice, useLiveView } from './hooks.tsx';
import {
  BUSINESS_SUGGESTIONS,
  CHANNELS,
  COUNTER_KINDS,
  COUNTER_STATES,
  OUTCOMES,
  TICKET_STATUS,
  counterName,
} from './labels.ts';
import type { OutcomeCode } from './labels.ts';
import { CashDayCard } from '../visits/CashDayCard.tsx';
import { VisitPanel } from '../visits/VisitPanel.tsx';
import { IntakeModal } from '../workorders/desk/IntakeModal.tsx';

const messages = {
  ...common,
  title: { zh: '台席叫号', en: 'Counter' },
  chooseCounter: { zh: '选择台席', en: 'Choose a counter' },
  chooseHint: {
    zh: '选择本班次的台席和工作模式后开启服务。',
    en: 'Choose the counter and work profile of your shift, then open it.',
  },
  number: { zh: '窗口', en: 'No.' },
  counterName: { zh: '台席', en: 'Counter' },
  kind: { zh: '类型', en: 'Kind' },
  state: { zh: '状态', en: 'State' },
  clerk: { zh: '服务人员', en: 'Clerk' },
  profile: { zh: '工作模式', en: 'Work profile' },
  open: { zh: '开启', en: 'Open' },
  opened: { zh: '已开启{name}', en: '{name} is open' },
  callNext: { zh: '叫下一位', en: 'Call next' },
  callNumber: { zh: '叫指定号', en: 'Call a number' },
  takeComplaint: { zh: '记录投诉', en: 'Take a complaint' },
  callFrom: { zh: '叫号范围', en: 'Call from' },
  anyQueue: { zh: '按工作模式', en: 'By the work profile' },
  nobody: { zh: '当前没有等候您台席的客户', en: 'Nobody is waiting for this counter' },
  called: { zh: '已呼叫 {number}', en: 'Called {number}' },
  recall: { zh: '重呼', en: 'Recall' },
  start: { zh: '开始办理', en: 'Start' },
  businessDone: { zh: '业务办理完毕，开始营销', en: 'Business done, now selling' },
  transfer: { zh: '转移', en: 'Transfer' },
  park: { zh: '暂挂', en: 'Park' },
  finish: { zh: '办结', en: 'Finish' },
  noShow: { zh: '过号', en: 'No-show' },
  noShowConfirm: { zh: '客户未到，标记为过号？', en: 'The customer did not come: mark a no-show?' },
  pause: { zh: '暂停服务', en: 'Pause' },
  resume: { zh: '恢复服务', en: 'Resume' },
  close: { zh: '关闭台席', en: 'Close counter' },
  closeConfirm: { zh: '确定关闭台席？', en: 'Close the counter?' },
  closedOk: { zh: '台席已关闭', en: 'Counter closed' },
  pausedOk: { zh: '已暂停服务', en: 'Paused' },
  resumedOk: { zh: '已恢复服务', en: 'Resumed' },
  current: { zh: '当前客户', en: 'Current customer' },
  noCurrent: { zh: '暂无客户，请叫号', en: 'No customer: call the next one' },
  pausedSince: { zh: '暂停中：{reason}', en: 'Paused: {reason}' },
  category: { zh: '业务类别', en: 'Service' },
  queue: { zh: '队列', en: 'Queue' },
  customer: { zh: '客户', en: 'Customer' },
  tier: { zh: '俱乐部等级', en: 'Club tier' },
  walkIn: { zh: '未登记号码', en: 'No phone given' },
  phone: { zh: '手机号码', en: 'Phone' },
  channel: { zh: '取号渠道', en: 'Channel' },
  waited: { zh: '等待时长', en: 'Waited' },
  minutesN: { zh: '{n} 分钟', en: '{n} min' },
  recalls: { zh: '重呼次数', en: 'Recalls' },
  transfers: { zh: '转移次数', en: 'Transfers' },
  transaction: { zh: '办理时长', en: 'Transaction' },
  limitN: { zh: '时限 {n} 分钟', en: 'limit {n} min' },
  selling: { zh: '营销时长（不计入办理时限）', en: 'Selling (not counted)' },
  notStarted: { zh: '客户到台后请点「开始办理」', en: 'Press “Start” when the customer is at the counter' },
  overLimit: { zh: '已超过办理时限', en: 'Over the transaction limit' },
  nearLimit: { zh: '即将达到办理时限', en: 'Near the transaction limit' },
  preReg: { zh: '预登记信息', en: 'Pre-registration' },
  noPreReg: { zh: '无预登记', en: 'Not pre-registered' },
  business: { zh: '办理业务', en: 'Business' },
  customerName: { zh: '客户姓名', en: 'Name' },
  idDoc: { zh: '证件', en: 'ID document' },
  note: { zh: '备注', en: 'Note' },
  preBy: { zh: '登记人', en: 'Registered by' },
  reveal: { zh: '查看完整号码', en: 'Show in full' },
  waitingNow: { zh: '等候情况', en: 'Waiting now' },
  oldest: { zh: '最长等待', en: 'Oldest' },
  parked: { zh: '暂挂的客户', en: 'Parked customers' },
  takeBack: { zh: '恢复办理', en: 'Take back' },
  pauseTitle: { zh: '暂停服务', en: 'Pause service' },
  reason: { zh: '暂停原因', en: 'Reason' },
  reasonRule: { zh: '请填写 2–100 个字的原因', en: 'Give a reason of 2 to 100 characters' },
  override: { zh: '值班经理批准（排队人数较多时暂停）', en: 'Duty manager override (pause while many wait)' },
  askManager: {
    zh: '如确需暂停，请联系值班经理在「现场监控」中批准。',
    en: 'If you must pause, ask the duty manager to approve it in the floor view.',
  },
  transferTitle: { zh: '转移客户', en: 'Transfer the customer' },
  toQueue: { zh: '转入队列', en: 'To a queue' },
  toCounter: { zh: '转给台席', en: 'To a counter' },
  newCategory: { zh: '改为业务类别（可选）', en: 'New service (optional)' },
  transferred: { zh: '{number} 已转移', en: '{number} transferred' },
  parkTitle: { zh: '暂挂客户', en: 'Park the customer' },
  parkReason: { zh: '原因（如：回家取证件）', en: 'Reason (e.g. fetching a document)' },
  parkedOk: { zh: '{number} 已暂挂', en: '{number} parked' },
  finishTitle: { zh: '办结', en: 'Finish' },
  outcome: { zh: '办理结果', en: 'Outcome' },
  businessDoneList: { zh: '已办理业务', en: 'Business done' },
  finished: { zh: '{number} 已办结', en: '{number} finished' },
  noShowOk: { zh: '{number} 已过号', en: '{number} marked a no-show' },
  sellingOk: { zh: '已记录业务办理完毕，开始营销', en: 'Business done recorded: now selling' },
  priority: { zh: 'VIP/3G', en: 'VIP/3G' },
  is3g: { zh: '3G客户', en: '3G customer' },
  noHall: { zh: '您的单位下没有营业厅', en: 'No hall in your unit' },
  notOpen: { zh: '—', en: '—' },
  minutesInState: { zh: '{n} 分钟', en: '{n} min' },
};

type LiveCounter = QueueState['counters'][number];

const PAUSE_REASONS = [
  { zh: '用餐', en: 'Meal break' },
  { zh: '培训', en: 'Training' },
  { zh: '设备故障', en: 'Equipment fault' },
  { zh: '临时离开', en: 'Short break' },
  { zh: '交接班', en: 'Shift handover' },
];

export default function CounterPage() {
  const me = useMe();
  const { t, lang } = useT(messages);
  const feedback = useFeedback();
  const { hallId, setHallId, halls } = useHallChoice();
  const [config, setConfig] = useState<HallQueueConfigView | null>(null);
  const fetchState = useCallback((id: string) => api.get<QueueState>(`/api/halls/${id}/queue`), []);
  const live = useLiveView(hallId, fetchState, { everyMs: 5000 });
  const state = live.view;

  useEffect(() => {
    if (!hallId) return;
    let alive = true;
    setConfig(null);
    api
      .get<HallQueueConfigView>(`/api/halls/${hallId}/queue-config`)
      .then((c) => alive && setConfig(c))
      .catch((e: unknown) => alive && feedback.error(e));
    return () => {
      alive = false;
    };
  }, [hallId, feedback]);

  const mine = state?.counters.find((c) => c.staffId === me.id && c.state !== 'closed') ?? null;

  if (halls.length === 0 && !hallId) {
    return <Empty description={t('noHall')} />;
  }

  return (
    <div data-testid="page-counter">
      <PageTitle
        title={t('title')}
        extra={
          halls.length > 1 ? <HallSelect halls={halls} value={hallId} onChange={setHallId} /> : undefined
        }
      />
      {hallId && <MyDay hallId={hallId} refresh={state} />}
      {live.error !== null && !state && <Alert type="error" showIcon title={errorText(live.error, lang)} />}
      {state && config && !mine && (
        <ChooseCounter state={state} config={config} onOpened={() => void live.reload()} />
      )}
      {state && config && mine && (
        <Workstation
          key={mine.id}
          live={mine}
          state={state}
          config={config}
          now={live.now}
          reloadState={live.reload}
        />
      )}
      {(!state || !config) && live.error === null && <Card loading />}
    </div>
  );
}

function ChooseCounter({
  state,
  config,
  onOpened,
}: {
  state: QueueState;
  config: HallQueueConfigView;
  onOpened: () => void;
}) {
  const { t, pick } = useT(messages);
  const feedback = useFeedback();
  const [profiles, setProfiles] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState<string | null>(null);
  const profileOptions = config.profiles.map((p) => ({
    value: p.id,
    label: pick({ zh: p.name, en: p.nameEn }),
  }));

  const open = async (c: LiveCounter) => {
    setBusy(c.id);
    try {
      const opened = await api.post<Counter>(`/api/counters/${c.id}/open`, {
        profileId: profiles[c.id] ?? c.defaultProfileId,
      });
      feedback.success(t('opened', { name: opened.name }));
      onOpened();
    } catch (e) {
      feedback.error(e);
    } finally {
      setBusy(null);
    }
  };

  return (
    <Card title={t('chooseCounter')}>
      <Typography.Paragraph type="secondary">{t('chooseHint')}</Typography.Paragraph>
      <Table<LiveCounter>
        rowKey="id"
        size="middle"
        pagination={false}
        dataSource={state.counters}
        data-testid="counter-choose-table"
        columns={[
          { title: t('number'), dataIndex: 'number', width: 70 },
          { title: t('counterName'), key: 'name', render: (_: unknown, c) => pick(counterName(c)) },
          {
            title: t('kind'),
            dataIndex: 'kind',
            render: (k: LiveCounter['kind']) => (
              <Tag color={COUNTER_KINDS[k].color}>{pick(COUNTER_KINDS[k])}</Tag>
            ),
          },
          {
            title: t('state'),
            dataIndex: 'state',
            render: (s: LiveCounter['state']) => (
              <Tag color={COUNTER_STATES[s].color}>{pick(COUNTER_STATES[s])}</Tag>
            ),
          },
          { title: t('clerk'), dataIndex: 'staffName', render: (n: string) => n || '—' },
          {
            title: t('profile'),
            key: 'profile',
            render: (_: unknown, c) =>
              c.state === 'closed' ? (
                <Select
                  style={{ width: 180 }}
                  data-testid={`counter-profile-${c.number}`}
                  value={profiles[c.id] ?? c.defaultProfileId}
                  onChange={(v: string) => setProfiles((p) => ({ ...p, [c.id]: v }))}
                  options={profileOptions}
                />
              ) : (
                (c.profile?.name ?? '—')
              ),
          },
          {
            title: t('actions'),
            key: 'actions',
            render: (_: unknown, c) => (
              <Button
                type="primary"
                disabled={c.state !== 'closed'}
                loading={busy === c.id}
                onClick={() => void open(c)}
                data-testid={`counter-open-${c.number}`}
              >
                {t('open')}
              </Button>
            ),
          },
        ]}
      />
    </Card>
  );
}

function Workstation({
  live,
  state,
  config,
  now,
  reloadState,
}: {
  live: LiveCounter;
  state: QueueState;
  config: HallQueueConfigView;
  now: number;
  reloadState: () => Promise<void>;
}) {
  const me = useMe();
  const { t, pick, lang } = useT(messages);
  const feedback = useFeedback();
  const [counter, setCounter] = useState<Counter | null>(null);
  const [parked, setParked] = useState<Ticket[]>([]);
  const [busy, setBusy] = useState<string | null>(null);
  const [fromQueue, setFromQueue] = useState<string | undefined>();
  const [modal, setModal] = useState<'pause' | 'transfer' | 'park' | 'finish' | 'call-number' | null>(null);
  const [revealed, setRevealed] = useState<string | null>(null);
  const [intake, setIntake] = useState(false);
  const navigate = useNavigate();
  const [nobody, setNobody] = useState(false);

  const load = useCallback(async () => {
    try {
      const [c, p] = await Promise.all([
        api.get<Counter>(`/api/counters/${live.id}`),
        api.get<PageOf<Ticket>>(`/api/halls/${live.hallId}/tickets`, { status: 'parked', limit: 100 }),
      ]);
      setCounter(c);
      setParked(p.items.filter((x) => x.counter?.id === live.id));
    } catch (e) {
      feedback.error(e);
    }
  }, [live.id, live.hallId, feedback]);

  // The live state changes on every event of the hall: reload the counter with it.
  useEffect(() => {
    void load();
  }, [load, state.at, live.state, live.currentNumber, live.currentStatus]);

  const ticket = counter?.currentTicket ?? null;
  useEffect(() => setRevealed(null), [ticket?.id]);

  const run = async <T,>(key: string, fn: () => Promise<T>, ok?: (r: T) => string | null) => {
    setBusy(key);
    try {
      const r = await fn();
      const text = ok?.(r);
      if (text) feedback.success(text);
      await Promise.all([load(), reloadState()]);
      return r;
    } catch (e) {
      feedback.error(e);
      await load();
      return undefined;
    } finally {
      setBusy(null);
    }
  };

  const callNext = () =>
    run(
      'call',
      async () => {
        setNobody(false);
        const called = await api.post<Ticket | undefined>(
          `/api/counters/${live.id}/call-next`,
          fromQueue ? { queue: fromQueue } : {},
        );
        setNobody(!called);
        return called;
      },
      (r) => (r ? t('called', { number: r.number }) : null),
    );

  const ticketCmd = (cmd: string, body?: unknown, ok?: (r: Ticket) => string | null) =>
    ticket && run(cmd, () => api.post<Ticket>(`/api/tickets/${ticket.id}/${cmd}`, body), ok);

  const profileQueues = useMemo(() => {
    const p = config.profiles.find((x) => x.id === live.profile?.id);
    const codes = [...new Set((p?.rules ?? []).map((r) => r.queue))];
    return codes.map((code) => {
      const q = config.queues.find((x) => x.code === code);
      return { value: code, label: q ? `${q.prefix} · ${pick({ zh: q.name, en: q.nameEn })}` : code };
    });
  }, [config, live.profile?.id, pick]);

  const limit = state.limits.transactionMinutes;
  const startedMs = ticket?.startedAt ? Date.parse(ticket.startedAt) : null;
  const doneMs = ticket?.businessDoneAt ? Date.parse(ticket.businessDoneAt) : null;
  const txMs = startedMs === null ? 0 : Math.max(0, (doneMs ?? now) - startedMs);
  const sellMs = doneMs === null ? 0 : Math.max(0, now - doneMs);
  const share = txMs / (limit * 60_000);
  const mayReveal = hasPermission(me, 'queue.reveal');
  const mayTakeOrder = hasPermission(me, 'workorder.create');

  const reveal = async () => {
    if (!ticket) return;
    try {
      const pre = await api.post<{ idDocNumber: string }>(
        `/api/tickets/${ticket.id}/pre-registration/reveal`,
      );
      setRevealed(pre.idDocNumber);
    } catch (e) {
      feedback.error(e);
    }
  };

  const paused = live.state === 'paused';
  const tier = ticket?.customer?.tier ?? null;

  /** After a ticket command in a dialog: close it, say so, and reload the counter and the hall. */
  const ticketDone = (message: 'transferred' | 'parkedOk' | 'finished') => (r: { number: string }) => {
    setModal(null);
    feedback.success(t(message, { number: r.number }));
    void Promise.all([load(), reloadState()]);
  };

  return (
    <>
      <Card
        style={{ marginBottom: 16 }}
        styles={{ body: { padding: '12px 20px' } }}
        data-testid="counter-bar"
      >
        <Flex justify="space-between" align="center" wrap gap={12}>
          <Space size="middle" wrap>
            <Typography.Title level={4} style={{ margin: 0 }} data-testid="counter-name">
              {pick(counterName(live))}
            </Typography.Title>
            <Tag color={COUNTER_KINDS[live.kind].color}>{pick(COUNTER_KINDS[live.kind])}</Tag>
            <Tag color={COUNTER_STATES[live.state].color} data-testid="counter-state">
              {pick(COUNTER_STATES[live.state])}
            </Tag>
            <Typography.Text type="secondary">
              {t('profile')}：{live.profile?.name ?? '—'}
            </Typography.Text>
            {paused && (
              <Typography.Text type="warning" data-testid="counter-pause-reason">
                {t('pausedSince', { reason: live.pauseReason })}
              </Typography.Text>
            )}
          </Space>
          <Space wrap>
            {mayTakeOrder && (
              <Button
                icon={<FileAddOutlined />}
                data-testid="counter-take-complaint"
                onClick={() => setIntake(true)}
              >
                {t('takeComplaint')}
              </Button>
            )}
            {paused ? (
              <Button
                icon={<PlayCircleOutlined />}
                type="primary"
                loading={busy === 'resume'}
                data-testid="counter-resume"
                onClick={() =>
                  void run(
                    'resume',
                    () => api.post<Counter>(`/api/counters/${live.id}/resume`),
                    () => t('resumedOk'),
                  )
                }
              >
                {t('resume')}
              </Button>
            ) : (
              <Button
                icon={<PauseCircleOutlined />}
                disabled={ticket !== null}
                data-testid="counter-pause"
                onClick={() => setModal('pause')}
              >
                {t('pause')}
              </Button>
            )}
            <Popconfirm
              title={t('closeConfirm')}
              okText={t('ok')}
              cancelText={t('cancel')}
              okButtonProps={buttonTestId('counter-close-confirm')}
              onConfirm={() =>
                void run(
                  'close',
                  () => api.post<Counter>(`/api/counters/${live.id}/close`),
                  () => t('closedOk'),
                )
              }
            >
              <Button
                icon={<PoweroffOutlined />}
                danger
                disabled={ticket !== null}
                data-testid="counter-close"
              >
                {t('close')}
              </Button>
            </Popconfirm>
          </Space>
        </Flex>
      </Card>

      <Row gutter={16}>
        <Col xs={24} xl={16}>
          <Card
            title={t('current')}
            data-testid="counter-current"
            extra={
              ticket && (
                <Tag color={TICKET_STATUS[ticket.status].color} data-testid="current-status">
                  {pick(TICKET_STATUS[ticket.status])}
                </Tag>
              )
            }
          >
            {!ticket && (
              <Flex vertical align="center" gap={16} style={{ padding: '24px 0' }}>
                <Typography.Text type="secondary" style={{ fontSize: 16 }}>
                  {paused ? t('pausedSince', { reason: live.pauseReason }) : t('noCurrent')}
                </Typography.Text>
                {nobody && !paused && (
                  <Alert type="info" showIcon title={t('nobody')} data-testid="counter-nobody" />
                )}
                <Space wrap>
                  <Select
                    allowClear
                    placeholder={t('anyQueue')}
                    value={fromQueue}
                    onChange={(v: string | undefined) => setFromQueue(v)}
                    options={profileQueues}
                    style={{ width: 220 }}
                    data-testid="counter-call-queue"
                    disabled={paused}
                  />
                  <Button
                    type="primary"
                    size="large"
                    icon={<NotificationOutlined />}
                    loading={busy === 'call'}
                    disabled={paused}
                    onClick={() => void callNext()}
                    data-testid="counter-call-next"
                    style={{ minWidth: 180, height: 48, fontSize: 18 }}
                  >
                    {t('callNext')}
                  </Button>
                  <Button
                    size="large"
                    icon={<NumberOutlined />}
                    disabled={paused}
                    onClick={() => setModal('call-number')}
                    data-testid="counter-call-number"
                    style={{ height: 48 }}
                  >
                    {t('callNumber')}
                  </Button>
                </Space>
              </Flex>
            )}
            {ticket && (
              <>
                <Flex gap={32} wrap align="center" style={{ marginBottom: 16 }}>
                  <div>
                    <div
                      style={{ fontSize: 64, fontWeight: 800, lineHeight: 1, color: '#c8102e' }}
                      data-testid="current-number"
                    >
                      {ticket.number}
                    </div>
                    <Space size={4} wrap style={{ marginTop: 8 }} data-testid="current-customer">
                      {ticket.vip && <Tag color="gold">{t('priority')}</Tag>}
                      {tier && (
                        <Tag color={CLUB_TIERS[tier].color} data-testid="current-tier">
                          {pick(CLUB_TIERS[tier])}
                        </Tag>
                      )}
                      {ticket.customer?.is3g && (
                        <Tag color="cyan" data-testid="current-3g">
                          {t('is3g')}
                        </Tag>
                      )}
                      {ticket.channel === 'appointment' && (
                        <Tag color="purple">{pick(CHANNELS.appointment!)}</Tag>
                      )}
                    </Space>
                  </div>
                  <TransactionClock
                    started={startedMs !== null}
                    txMs={txMs}
                    sellMs={doneMs === null ? null : sellMs}
                    limit={limit}
                    share={share}
                  />
                </Flex>
                <Descriptions
                  size="small"
                  column={{ xs: 1, md: 2 }}
                  bordered
                  items={[
                    {
                      key: 'category',
                      label: t('category'),
                      children: lang === 'en-US' ? ticket.categoryNameEn : ticket.categoryName,
                    },
                    { key: 'queue', label: t('queue'), children: ticket.queueName },
                    {
                      key: 'customer',
                      label: t('customer'),
                      children: ticket.customer?.displayName || t('walkIn'),
                    },
                    { key: 'phone', label: t('phone'), children: ticket.phone || '—' },
                    {
                      key: 'channel',
                      label: t('channel'),
                      children: CHANNELS[ticket.channel] ? pick(CHANNELS[ticket.channel]!) : ticket.channel,
                    },
                    {
                      key: 'waited',
                      label: t('waited'),
                      children:
                        ticket.waitMinutes === null
                          ? '—'
                          : `${t('minutesN', { n: Math.round(ticket.waitMinutes) })}${
                              ticket.waitLimitMinutes
                                ? ` / ${t('limitN', { n: ticket.waitLimitMinutes })}`
                                : ''
                            }`,
                    },
                    { key: 'recalls', label: t('recalls'), children: ticket.recalls },
                    { key: 'transfers', label: t('transfers'), children: ticket.transfers },
                  ]}
                />
                <PreRegistration
                  ticket={ticket}
                  revealed={revealed}
                  onReveal={mayReveal ? () => void reveal() : null}
                />
                <Flex wrap gap={8} style={{ marginTop: 16 }} data-testid="counter-actions">
                  {ticket.status === 'called' && (
                    <>
                      <Button
                        type="primary"
                        icon={<PlayCircleOutlined />}
                        loading={busy === 'start'}
                        data-testid="counter-start"
                        onClick={() => void ticketCmd('start')}
                      >
                        {t('start')}
                      </Button>
                      <Button
                        icon={<SoundOutlined />}
                        loading={busy === 'recall'}
                        data-testid="counter-recall"
                        onClick={() =>
                          void ticketCmd('recall', undefined, (r) => t('called', { number: r.number }))
                        }
                      >
                        {t('recall')}
                      </Button>
                      <Popconfirm
                        title={t('noShowConfirm')}
                        okText={t('ok')}
                        cancelText={t('cancel')}
                        okButtonProps={buttonTestId('counter-no-show-confirm')}
                        onConfirm={() =>
                          void ticketCmd('no-show', undefined, (r) => t('noShowOk', { number: r.number }))
                        }
                      >
                        <Button icon={<UserDeleteOutlined />} danger data-testid="counter-no-show">
                          {t('noShow')}
                        </Button>
                      </Popconfirm>
                    </>
                  )}
                  {ticket.status === 'serving' && !ticket.businessDoneAt && (
                    <Button
                      type="primary"
                      icon={<CheckCircleOutlined />}
                      loading={busy === 'business-done'}
                      data-testid="counter-business-done"
                      onClick={() => void ticketCmd('business-done', undefined, () => t('sellingOk'))}
                    >
                      {t('businessDone')}
                    </Button>
                  )}
                  <Button
                    icon={<StopOutlined />}
                    type={ticket.status === 'serving' && ticket.businessDoneAt ? 'primary' : 'default'}
                    data-testid="counter-finish"
                    onClick={() => setModal('finish')}
                  >
                    {t('finish')}
                  </Button>
                  <Button
                    icon={<SwapOutlined />}
                    data-testid="counter-transfer"
                    onClick={() => setModal('transfer')}
                  >
                    {t('transfer')}
                  </Button>
                  <Button
                    icon={<VerticalAlignBottomOutlined />}
                    data-testid="counter-park"
                    onClick={() => setModal('park')}
                  >
                    {t('park')}
                  </Button>
                </Flex>
              </>
            )}
          </Card>
        </Col>
        <Col xs={24} xl={8}>
          <Card
            title={t('waitingNow')}
            size="small"
            style={{ marginBottom: 16 }}
            data-testid="counter-waiting"
          >
            <Table
              rowKey="code"
              size="small"
              pagination={false}
              dataSource={state.queues}
              columns={[
                {
                  title: t('queue'),
                  key: 'q',
                  render: (_: unknown, q: QueueState['queues'][number]) =>
                    `${q.prefix} · ${pick({ zh: q.name, en: q.nameEn })}`,
                },
                { title: pick({ zh: '人数', en: 'Waiting' }), dataIndex: 'waiting', width: 70 },
                {
                  title: t('oldest'),
                  dataIndex: 'oldestWaitMinutes',
                  width: 90,
                  render: (m: number | null) => (m === null ? '—' : t('minutesN', { n: Math.floor(m) })),
                },
              ]}
            />
          </Card>
          <Card title={t('parked')} size="small" data-testid="counter-parked">
            {parked.length === 0 ? (
              <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} />
            ) : (
              parked.map((p) => (
                <Flex key={p.id} justify="space-between" align="center" style={{ padding: '4px 0' }}>
                  <span>
                    <b>{p.number}</b> {lang === 'en-US' ? p.categoryNameEn : p.categoryName}
                  </span>
                  <Button
                    size="small"
                    icon={<RetweetOutlined />}
                    disabled={ticket !== null || paused}
                    data-testid={`counter-take-back-${p.number}`}
                    onClick={() =>
                      void run('resume-ticket', () => api.post<Ticket>(`/api/tickets/${p.id}/resume`))
                    }
                  >
                    {t('takeBack')}
                  </Button>
                </Flex>
              ))
            )}
          </Card>
        </Col>
      </Row>

      <VisitPanel
        hallId={live.hallId}
        counterId={live.id}
        ticket={ticket}
        onChanged={() => Promise.all([load(), reloadState()]).then(() => undefined)}
      />
      <CashDayCard hallId={live.hallId} />

      {modal === 'pause' && (
        <PauseModal
          counterId={live.id}
          onClose={() => setModal(null)}
          onDone={() => void Promise.all([load(), reloadState()])}
        />
      )}
      {modal === 'transfer' && ticket && (
        <TransferModal
          ticket={ticket}
          config={config}
          state={state}
          counterId={live.id}
          onClose={() => setModal(null)}
          onDone={ticketDone('transferred')}
        />
      )}
      {modal === 'call-number' && (
        <CallNumberModal
          counterId={live.id}
          waiting={state.waiting.filter((w) => profileQueues.some((q) => q.value === w.queue))}
          onClose={() => setModal(null)}
          onDone={() => {
            setModal(null);
            setNobody(false);
            void Promise.all([load(), reloadState()]);
          }}
        />
      )}
      {modal === 'park' && ticket && (
        <ParkModal ticket={ticket} onClose={() => setModal(null)} onDone={ticketDone('parkedOk')} />
      )}
      {modal === 'finish' && ticket && (
        <FinishModal ticket={ticket} onClose={() => setModal(null)} onDone={ticketDone('finished')} />
      )}
      {intake && (
        <IntakeModal
          prefill={
            ticket
              ? {
                  ticketId: ticket.id,
                  ticketNumber: ticket.number,
                  customerName: ticket.customer?.displayName ?? '',
                  phone: ticket.phone,
                }
              : undefined
          }
          onClose={() => setIntake(false)}
          onCreated={(o) => {
            setIntake(false);
            void navigate(`/work-orders/${o.id}`);
          }}
        />
      )}
    </>
  );
}

function TransactionClock({
  started,
  txMs,
  sellMs,
  limit,
  share,
}: {
  started: boolean;
  txMs: number;
  sellMs: number | null;
  limit: number;
  share: number;
}) {
  const { t } = useT(messages);
  const color = share >= 1 ? '#cf1322' : share >= 0.8 ? '#d46b08' : '#389e0d';
  if (!started) {
    return (
      <Alert
        type="info"
        showIcon
        icon={<ClockCircleOutlined />}
        title={t('notStarted')}
        style={{ flex: 1 }}
      />
    );
  }
  return (
    <div style={{ flex: 1, minWidth: 260 }} data-testid="counter-timer">
      <Flex align="baseline" gap={12}>
        <Statistic
          title={`${t('transaction')}（${t('limitN', { n: limit })}）`}
          value={clockText(txMs)}
          styles={{ content: { color, fontVariantNumeric: 'tabular-nums', fontSize: 36 } }}
        />
        {sellMs !== null && (
          <Statistic
            title={t('selling')}
            value={clockText(sellMs)}
            styles={{ content: { fontVariantNumeric: 'tabular-nums', fontSize: 24 } }}
          />
        )}
      </Flex>
      <Progress percent={Math.min(100, Math.round(share * 100))} showInfo={false} strokeColor={color} />
      {share >= 1 ? (
        <Typography.Text type="danger">{t('overLimit')}</Typography.Text>
      ) : share >= 0.8 ? (
        <Typography.Text type="warning">{t('nearLimit')}</Typography.Text>
      ) : null}
    </div>
  );
}

function PreRegistration({
  ticket,
  revealed,
  onReveal,
}: {
  ticket: Ticket;
  revealed: string | null;
  onReveal: (() => void) | null;
}) {
  const { t, pick } = useT(messages);
  const pre = ticket.preRegistration;
  return (
    <Card
      size="small"
      type="inner"
      title={t('preReg')}
      style={{ marginTop: 16, background: pre ? '#f6ffed' : undefined }}
      data-testid="prereg-panel"
    >
      {!pre ? (
        <Typography.Text type="secondary">{t('noPreReg')}</Typography.Text>
      ) : (
        <Descriptions
          size="small"
          column={{ xs: 1, md: 2 }}
          items={[
            {
              key: 'business',
              label: t('business'),
              span: 2,
              children: (
                <Space size={4} wrap data-testid="prereg-business">
                  {pre.business.map((b) => (
                    <Tag key={b} color="green">
                      {b}
                    </Tag>
                  ))}
                </Space>
              ),
            },
            { key: 'name', label: t('customerName'), children: pre.customerName || '—' },
            {
              key: 'id',
              label: t('idDoc'),
              children: pre.idDocKind ? (
                <Space size={4} wrap>
                  <span>
                    {pre.idDocKind in ID_DOC_KINDS
                      ? pick(ID_DOC_KINDS[pre.idDocKind as IdDocKind])
                      : pre.idDocKind}
                  </span>
                  <span data-testid="prereg-id-number">{revealed ?? pre.idDocNumber}</span>
                  {onReveal && !revealed && (
                    <Button
                      size="small"
                      type="link"
                      icon={<EyeOutlined />}
                      onClick={onReveal}
                      data-testid="prereg-reveal"
                    >
                      {t('reveal')}
                    </Button>
                  )}
                </Space>
              ) : (
                '—'
              ),
            },
            { key: 'note', label: t('note'), children: pre.note || '—' },
            { key: 'by', label: t('preBy'), children: pre.by },
          ]}
        />
      )}
    </Card>
  );
}

function PauseModal({
  counterId,
  onClose,
  onDone,
}: {
  counterId: string;
  onClose: () => void;
  onDone: () => void;
}) {
  const me = useMe();
  const { t, pick, lang } = useT(messages);
  const feedback = useFeedback();
  const [form] = Form.useForm<{ reason: string; override: boolean }>();
  const [refusal, setRefusal] = useState<string | null>(null);
  const maySupervise = hasPermission(me, 'queue.supervise');

  const submit = async () => {
    const v = await form.validateFields();
    setRefusal(null);
    try {
      await api.post<Counter>(`/api/counters/${counterId}/pause`, {
        reason: v.reason.trim(),
        override: Boolean(v.override),
      });
      feedback.success(t('pausedOk'));
      onClose();
      onDone();
    } catch (e) {
      if (e instanceof ApiError && e.status === 409) setRefusal(e.messageIn(lang));
      else feedback.formError(form, e);
    }
  };

  return (
    <FormModal
      title={t('pauseTitle')}
      onCancel={onClose}
      onSubmit={submit}
      okText={t('pause')}
      okButtonProps={buttonTestId('pause-submit')}
      cancelButtonProps={buttonTestId('pause-cancel')}
    >
      {refusal && (
        <Alert
          type="error"
          showIcon
          data-testid="pause-refused"
          title={refusal}
          description={maySupervise ? undefined : t('askManager')}
          style={{ marginBottom: 16 }}
        />
      )}
      <Form form={form} layout="vertical" initialValues={{ reason: '', override: false }}>
        <Form.Item
          name="reason"
          label={t('reason')}
          rules={[{ required: true, whitespace: true, min: 2, max: 100, message: t('reasonRule') }]}
        >
          <AutoComplete
            options={PAUSE_REASONS.map((r) => ({ value: pick(r) }))}
            showSearch={{
              filterOption: (input, option) => String(option?.value ?? '').includes(input.trim()),
            }}
            data-testid="pause-reason"
            placeholder={PAUSE_REASONS.map((r) => pick(r)).join(' / ')}
          />
        </Form.Item>
        {maySupervise && (
          <Form.Item name="override" valuePropName="checked">
            <Checkbox data-testid="pause-override">{t('override')}</Checkbox>
          </Form.Item>
        )}
      </Form>
    </FormModal>
  );
}

function TransferModal({
  ticket,
  config,
  state,
  counterId,
  onClose,
  onDone,
}: {
  ticket: Ticket;
  config: HallQueueConfigView;
  state: QueueState;
  counterId: string;
  onClose: () => void;
  onDone: (t: Ticket) => void;
}) {
  const { t, pick } = useT(messages);
  const feedback = useFeedback();
  const [form] = Form.useForm<{
    to: 'queue' | 'counter';
    queue?: string;
    counterId?: string;
    category?: string;
  }>();
  const to = Form.useWatch('to', form) ?? 'queue';

  const submit = async () => {
    const v = await form.validateFields();
    try {
      const body =
        v.to === 'queue'
          ? { queue: v.queue, ...(v.category ? { category: v.category } : {}) }
          : { counterId: v.counterId, ...(v.category ? { category: v.category } : {}) };
      onDone(await api.post<Ticket>(`/api/tickets/${ticket.id}/transfer`, body));
    } catch (e) {
      feedback.formError(form, e);
    }
  };

  return (
    <FormModal
      title={`${t('transferTitle')} ${ticket.number}`}
      onCancel={onClose}
      onSubmit={submit}
      okText={t('transfer')}
      okButtonProps={buttonTestId('transfer-submit')}
    >
      <Form form={form} layout="vertical" initialValues={{ to: 'queue' }}>
        <Form.Item name="to">
          <Radio.Group
            data-testid="transfer-to"
            options={[
              { value: 'queue', label: t('toQueue') },
              { value: 'counter', label: t('toCounter') },
            ]}
          />
        </Form.Item>
        {to === 'queue' ? (
          <Form.Item name="queue" label={t('toQueue')} rules={[{ required: true, message: t('required') }]}>
            <Select
              showSearch={{ optionFilterProp: 'label' }}
              data-testid="transfer-queue"
              // Never its own queue: the same counter would call it again at once (the server refuses it too).
              options={config.queues
                .filter((q) => q.code !== ticket.queue)
                .map((q) => ({
                  value: q.code,
                  label: `${q.prefix} · ${pick({ zh: q.name, en: q.nameEn })}`,
                }))}
            />
          </Form.Item>
        ) : (
          <Form.Item
            name="counterId"
            label={t('toCounter')}
            rules={[{ required: true, message: t('required') }]}
          >
            <Select
              showSearch={{ optionFilterProp: 'label' }}
              data-testid="transfer-counter"
              options={state.counters
                .filter((c) => c.id !== counterId)
                .map((c) => ({
                  value: c.id,
                  label: `${pick(counterName(c))}（${pick(COUNTER_STATES[c.state])}${c.staffName ? ` · ${c.staffName}` : ''}）`,
                }))}
            />
          </Form.Item>
        )}
        <Form.Item name="category" label={t('newCategory')}>
          <Select
            allowClear
            data-testid="transfer-category"
            options={config.categories.map((c) => ({
              value: c.code,
              label: pick({ zh: c.name, en: c.nameEn }),
            }))}
          />
        </Form.Item>
      </Form>
    </FormModal>
  );
}

function ParkModal({
  ticket,
  onClose,
  onDone,
}: {
  ticket: Ticket;
  onClose: () => void;
  onDone: (t: Ticket) => void;
}) {
  const { t } = useT(messages);
  const feedback = useFeedback();
  const [reason, setReason] = useState('');
  const submit = async () => {
    try {
      onDone(await api.post<Ticket>(`/api/tickets/${ticket.id}/park`, { reason: reason.trim() }));
    } catch (e) {
      feedback.error(e);
    }
  };
  return (
    <FormModal
      title={`${t('parkTitle')} ${ticket.number}`}
      onCancel={onClose}
      onSubmit={submit}
      okText={t('park')}
      okButtonProps={buttonTestId('park-submit')}
    >
      <Input
        placeholder={t('parkReason')}
        maxLength={100}
        value={reason}
        onChange={(e) => setReason(e.target.value)}
        data-testid="park-reason"
      />
    </FormModal>
  );
}

function FinishModal({
  ticket,
  onClose,
  onDone,
}: {
  ticket: Ticket;
  onClose: () => void;
  onDone: (t: Ticket) => void;
}) {
  const { t, pick } = useT(messages);
  const feedback = useFeedback();
  const [form] = Form.useForm<{ outcome: OutcomeCode; business: string[] }>();
  const submit = async () => {
    const v = await form.validateFields();
    try {
      onDone(await api.post<Ticket>(`/api/tickets/${ticket.id}/finish`, v));
    } catch (e) {
      feedback.formError(form, e);
    }
  };
  const initialBusiness =
    ticket.business.length > 0 ? ticket.business : (ticket.preRegistration?.business ?? []);
  return (
    <FormModal
      title={`${t('finishTitle')} ${ticket.number}`}
      onCancel={onClose}
      onSubmit={submit}
      okText={t('finish')}
      okButtonProps={buttonTestId('finish-submit')}
    >
      <Form form={form} layout="vertical" initialValues={{ outcome: 'served', business: initialBusiness }}>
        <Form.Item name="outcome" label={t('outcome')}>
          <Radio.Group
            data-testid="finish-outcome"
            options={(Object.keys(OUTCOMES) as OutcomeCode[]).map((o) => ({
              value: o,
              label: pick(OUTCOMES[o]),
            }))}
          />
        </Form.Item>
        <Form.Item name="business" label={t('businessDoneList')}>
          <Select
            mode="tags"
            data-testid="finish-business"
            options={BUSINESS_SUGGESTIONS.map((b) => ({ value: b.zh, label: pick(b) }))}
          />
        </Form.Item>
      </Form>
    </FormModal>
  );
}
