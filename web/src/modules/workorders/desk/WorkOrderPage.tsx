/**
 * /work-orders/:orderId — one order at the handling desk: its header (number, kind, state, priority, the
 * owner who answers for it to the end — 首问负责 — the assignee, the units), its live clocks, the dispatch
 * hops with their own limits, the timeline, the files, and the actions the caller may take now (the
 * server's `may`): claim, assign, dispatch, answer, pause and resume, note, transfer, reply, close, reopen,
 * attach. Each command carries the version the person saw when they began it; the server judges, and its
 * refusal (say 409, someone else was first) is shown and the order reloaded. The order follows the stream.
 */
import { ArrowLeftOutlined, DownloadOutlined, PaperClipOutlined } from '@ant-design/icons';
import {
  Alert,
  Button,
  Card,
  Col,
  Descriptions,
  Empty,
  Flex,
  Form,
  Input,
  InputNumber,
  List,
  Modal,
  Popconfirm,
  Radio,
  Result,
  Row,
  Select,
  Space,
  Spin,
  Table,
  Tag,
  Timeline,
  Typography,
  Upload,
} from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { Link, useParams } from 'react-router';
import type { z } from 'zod';
import type {
  Hop,
  Person,
  WorkOrderDetail,
  WorkUnit,
} from '../../../../../src/modules/workorders/contract.ts';
import { Dispatch, Note, Transfer } from '../../../../../src/modules/workorders/contract.ts';
import { ApiError, api, errorText } from '../../../platform/api.ts';
import { maxLengthOf } from '../../../platform/limits.ts';
import { useFeedback } from '../../../platform/feedback.ts';
import { useT } from '../../../platform/i18n.tsx';
import { formatDateTime } from '../../../platform/labels.ts';
import { PageTitle } from '../../../platform/Page.tsx';
import { buttonTestId } from '../../../platform/testid.ts';
import { messages } from './messages.ts';
import type { Msg } from './shared.tsx';
import { LiveClock, PriorityTag, StateTag, useNow, useOrderStream, useUnitName } from './shared.tsx';
import { ESCALATION_LEVEL_LABELS } from '../../../../../src/core/sla.ts';

type HopView = z.infer<typeof Hop>;
type PersonView = z.infer<typeof Person>;
type UnitView = z.infer<typeof WorkUnit>;

/** The actions with a dialog; claim and close are one click (close confirmed), attach is an upload. */
type DialogAction =
  'assign' | 'dispatch' | 'answer' | 'pause' | 'resume' | 'note' | 'transfer' | 'reply' | 'reopen';
const DIALOGS: readonly DialogAction[] = [
  'assign',
  'dispatch',
  'answer',
  'pause',
  'resume',
  'note',
  'transfer',
  'reply',
  'reopen',
];
/** The API path of each action (the note's is `notes`). */
const PATHS: Record<DialogAction | 'claim' | 'close', string> = {
  claim: 'claim',
  assign: 'assign',
  dispatch: 'dispatch',
  answer: 'answer',
  pause: 'pause',
  resume: 'resume',
  note: 'notes',
  transfer: 'transfer',
  reply: 'reply',
  close: 'close',
  reopen: 'reopen',
};

function base64Of(file: File): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result).replace(/^data:[^,]*,/, ''));
    reader.onerror = () => reject(reader.error ?? new Error('read'));
    reader.readAsDataURL(file);
  });
}

export default function WorkOrderPage() {
  const { orderId = '' } = useParams();
  const { t, lang, pick } = useT(messages);
  const feedback = useFeedback();
  const now = useNow(1000);
  const unitLabel = useUnitName();
  /** `（…）` in Chinese, ` (…)` in English. */
  const paren = (text: string) => (lang === 'en-US' ? ` (${text})` : `（${text}）`);
  const [order, setOrder] = useState<WorkOrderDetail | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [dialog, setDialog] = useState<{ action: DialogAction; version: number } | null>(null);
  const [busy, setBusy] = useState<string | null>(null);

  const load = useCallback(async () => {
    try {
      setOrder(await api.get<WorkOrderDetail>(`/api/work-orders/${orderId}`));
      setError(null);
    } catch (e) {
      setError(e);
    }
  }, [orderId]);
  useEffect(() => {
    void load();
  }, [load]);
  useOrderStream(
    useCallback(
      (id: string | null) => {
        if (id === null || id === orderId) void load();
      },
      [orderId, load],
    ),
  );

  /** Runs a command; a refusal is shown and the order reloaded (it may have changed meanwhile). */
  const run = async (action: keyof typeof PATHS, body: Record<string, unknown>) => {
    setBusy(action);
    try {
      const next = await api.post<WorkOrderDetail>(`/api/work-orders/${orderId}/${PATHS[action]}`, body);
      setOrder(next);
      feedback.success(t('done', { action: t(`act.${action}`) }));
    } catch (e) {
      feedback.error(e);
      void load();
    } finally {
      setBusy(null);
    }
  };

  const attach = async (file: File) => {
    setBusy('attach');
    try {
      setOrder(
        await api.post<WorkOrderDetail>(`/api/work-orders/${orderId}/attachments`, {
          name: file.name,
          mime: file.type || 'application/octet-stream',
          dataBase64: await base64Of(file),
        }),
      );
      feedback.success(t('done', { action: t('act.attach') }));
    } catch (e) {
      feedback.error(e);
    } finally {
      setBusy(null);
    }
  };

  if (error && !order)
    return (
      <Result
        status={error instanceof ApiError && error.status === 404 ? '404' : 'error'}
        title={errorText(error, lang)}
        extra={
          <Link to="/work-orders">
            <Button>{t('back')}</Button>
          </Link>
        }
      />
    );
  if (!order)
    return (
      <div style={{ padding: 64, textAlign: 'center' }}>
        <Spin size="large" />
      </div>
    );

  const may = new Set(order.may);
  const clocks = [
    { key: 'response', label: t('responseClock'), clock: order.clocks.response },
    { key: 'resolution', label: t('resolutionClock'), clock: order.clocks.resolution },
    { key: 'answer', label: t('answerClock'), clock: order.clocks.answer },
  ].filter((c) => c.clock !== null);

  return (
    <div data-testid="page-work-order" data-version={order.version} data-state={order.state}>
      <PageTitle
        title={
          <Space wrap>
            <Link to="/work-orders" aria-label={t('back')}>
              <ArrowLeftOutlined />
            </Link>
            <span data-testid="wo-number">{order.number}</span>
            <Tag>{t(`kind.${order.kind}`)}</Tag>
            <StateTag state={order.state} t={t} testId="wo-state" />
            <PriorityTag priority={order.priority} t={t} />
          </Space>
        }
      />
      <Row gutter={16}>
        <Col xs={24} xl={16}>
          <Card style={{ marginBottom: 16 }}>
            <Typography.Title level={5} style={{ marginTop: 0 }} data-testid="wo-title">
              {order.title}
            </Typography.Title>
            <Typography.Paragraph style={{ whiteSpace: 'pre-wrap' }}>
              {order.description}
            </Typography.Paragraph>
            <Descriptions
              size="small"
              bordered
              column={{ xs: 1, md: 2 }}
              data-testid="wo-header"
              items={[
                {
                  key: 'owner',
                  label: t('owner'),
                  children: (
                    <span data-testid="wo-owner">
                      {order.owner.name}
                      {paren(unitLabel(order.owner.unit))}
                    </span>
                  ),
                },
                {
                  key: 'assignee',
                  label: t('assignee'),
                  children: <span data-testid="wo-assignee">{order.assignee?.name ?? t('unassigned')}</span>,
                },
                {
                  key: 'handling',
                  label: t('handlingUnit'),
                  children: <span data-testid="wo-handling">{unitLabel(order.handlingUnit)}</span>,
                },
                { key: 'concerns', label: t('concernsUnit'), children: unitLabel(order.concernsUnit) },
                {
                  key: 'customer',
                  label: t('customer'),
                  children: `${order.customer?.name ?? t('noCustomer')} · ${order.contactPhone}`,
                },
                {
                  key: 'category',
                  label: t('category'),
                  children: pick(order.category),
                },
                { key: 'channel', label: t('channel'), children: t(`channel.${order.channel}`) },
                { key: 'created', label: t('createdAt'), children: formatDateTime(order.createdAt) },
                { key: 'policy', label: t('policy'), children: pick(order.policy) },
                ...(order.regulatorRef
                  ? [{ key: 'ref', label: t('regulatorRef'), children: order.regulatorRef }]
                  : []),
                ...(order.reply ? [{ key: 'reply', label: t('reply'), children: order.reply }] : []),
                ...(order.satisfaction !== null
                  ? [{ key: 'sat', label: t('satisfaction'), children: `${order.satisfaction} / 5` }]
                  : []),
              ]}
            />
          </Card>
          <Card title={t('hops')} style={{ marginBottom: 16 }} size="small">
            <HopTable hops={order.hops} now={now} t={t} unitLabel={unitLabel} />
          </Card>
          <Card title={t('timeline')} size="small" data-testid="wo-timeline">
            <Timeline
              items={order.timeline.map((s) => ({
                key: s.id,
                content: (
                  <div data-step={s.step}>
                    <Space wrap size={4}>
                      <Typography.Text strong>{pick(s.label)}</Typography.Text>
                      <Typography.Text type="secondary">
                        {formatDateTime(s.at)} · {s.actorName}
                        {s.unit ? paren(unitLabel(s.unit)) : ''}
                      </Typography.Text>
                    </Space>
                    {s.text && (
                      <div style={{ whiteSpace: 'pre-wrap' }}>
                        <Typography.Text>{s.text}</Typography.Text>
                      </div>
                    )}
                  </div>
                ),
              }))}
            />
          </Card>
        </Col>
        <Col xs={24} xl={8}>
          <Card title={t('clocks')} size="small" style={{ marginBottom: 16 }} data-testid="wo-clocks">
            <Flex vertical gap={8}>
              {clocks.map((c) => (
                <Flex key={c.key} justify="space-between" align="center" gap={8} wrap>
                  <Typography.Text>
                    {c.label}
                    <Typography.Text type="secondary">{paren(pick(c.clock!.target))}</Typography.Text>
                  </Typography.Text>
                  <LiveClock clock={c.clock} now={now} t={t} testId={`wo-clock-${c.key}`} />
                </Flex>
              ))}
              {order.escalationLevel && (
                <Alert
                  type="warning"
                  showIcon
                  title={t('escalatedTo', { level: pick(ESCALATION_LEVEL_LABELS[order.escalationLevel]) })}
                  data-testid="wo-escalation"
                />
              )}
            </Flex>
          </Card>
          <Card title={t('actions')} size="small" style={{ marginBottom: 16 }} data-testid="wo-actions">
            {order.may.length === 0 ? (
              <Typography.Text type="secondary">{t('noActions')}</Typography.Text>
            ) : (
              <Flex wrap gap={8}>
                {may.has('claim') && (
                  <Popconfirm
                    title={t('claimConfirm')}
                    okButtonProps={buttonTestId('wo-claim-confirm')}
                    onConfirm={() => void run('claim', { version: order.version })}
                  >
                    <Button type="primary" loading={busy === 'claim'} data-testid="wo-act-claim">
                      {t('act.claim')}
                    </Button>
                  </Popconfirm>
                )}
                {DIALOGS.filter((a) => may.has(a)).map((a) => (
                  <Button
                    key={a}
                    data-testid={`wo-act-${a}`}
                    type={a === 'reply' || a === 'answer' ? 'primary' : 'default'}
                    onClick={() => setDialog({ action: a, version: order.version })}
                  >
                    {t(`act.${a}`)}
                  </Button>
                ))}
                {may.has('close') && (
                  <Popconfirm
                    title={t('closeConfirm')}
                    okButtonProps={buttonTestId('wo-close-confirm')}
                    onConfirm={() => void run('close', { version: order.version })}
                  >
                    <Button type="primary" loading={busy === 'close'} data-testid="wo-act-close">
                      {t('act.close')}
                    </Button>
                  </Popconfirm>
                )}
                {may.has('attach') && (
                  <Upload
                    showUploadList={false}
                    beforeUpload={(file) => {
                      void attach(file);
                      return false;
                    }}
                  >
                    <Button
                      icon={<PaperClipOutlined />}
                      loading={busy === 'attach'}
                      data-testid="wo-act-attach"
                    >
                      {t('act.attach')}
                    </Button>
                  </Upload>
                )}
              </Flex>
            )}
          </Card>
          <Card
            title={t('attachments')}
            size="small"
            style={{ marginBottom: 16 }}
            data-testid="wo-attachments"
          >
            {order.attachments.length === 0 ? (
              <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('noAttachments')} />
            ) : (
              <List
                size="small"
                dataSource={order.attachments}
                renderItem={(f) => (
                  <List.Item key={f.id}>
                    <a href={`/api/work-orders/${order.id}/attachments/${f.id}`} download={f.name}>
                      <DownloadOutlined /> {f.name}
                    </a>
                    <Typography.Text type="secondary">
                      {Math.ceil(f.size / 1024)} KB · {f.addedBy}
                    </Typography.Text>
                  </List.Item>
                )}
              />
            )}
          </Card>
          {(order.earlier.length > 0 || order.links.length > 0) && (
            <Card title={t('earlierOrders')} size="small" data-testid="wo-earlier">
              <List
                size="small"
                dataSource={[
                  ...order.links.map((l) => ({ ...l.other, tag: l.kind })),
                  ...order.earlier.map((e) => ({ ...e, tag: null })),
                ]}
                renderItem={(o) => (
                  <List.Item key={o.id}>
                    <Space wrap size={4}>
                      <Link to={`/work-orders/${o.id}`}>{o.number}</Link>
                      <StateTag state={o.state} t={t} />
                      {o.tag && <Tag>{t(`link.${o.tag}`)}</Tag>}
                      <Typography.Text>{o.title}</Typography.Text>
                    </Space>
                  </List.Item>
                )}
              />
            </Card>
          )}
        </Col>
      </Row>
      {dialog && (
        <ActionDialog
          order={order}
          action={dialog.action}
          version={dialog.version}
          t={t}
          onClose={() => setDialog(null)}
          onDone={(next) => {
            setDialog(null);
            setOrder(next);
            feedback.success(t('done', { action: t(`act.${dialog.action}`) }));
          }}
          onRefused={() => {
            setDialog(null);
            void load();
          }}
        />
      )}
    </div>
  );
}

function HopTable({
  hops,
  now,
  t,
  unitLabel,
}: {
  hops: HopView[];
  now: number;
  t: Msg;
  unitLabel: (u: { id: string; name: string }) => string;
}) {
  if (hops.length === 0) return <Typography.Text type="secondary">{t('noHops')}</Typography.Text>;
  return (
    <Table<HopView>
      rowKey="id"
      size="small"
      pagination={false}
      data-testid="wo-hops"
      dataSource={hops}
      scroll={{ x: 640 }}
      columns={[
        { title: t('hopFrom'), key: 'from', render: (_: unknown, h) => `${unitLabel(h.from)} · ${h.sentBy}` },
        { title: t('hopTo'), key: 'to', render: (_: unknown, h) => unitLabel(h.to) },
        { title: t('hopSent'), key: 'sent', render: (_: unknown, h) => formatDateTime(h.sentAt) },
        {
          title: t('hopDue'),
          key: 'due',
          render: (_: unknown, h) => {
            const over = h.answeredAt ? h.overdue : now >= Date.parse(h.dueAt);
            return (
              <Space size={4} wrap>
                <span>{formatDateTime(h.dueAt)}</span>
                {over && <Tag color="red">{t('hopOverdue')}</Tag>}
              </Space>
            );
          },
        },
        {
          title: t('hopAnswer'),
          key: 'answer',
          render: (_: unknown, h) =>
            h.answeredAt ? (
              <span>
                {h.answer} <Typography.Text type="secondary">{formatDateTime(h.answeredAt)}</Typography.Text>
              </span>
            ) : (
              <Tag color="processing">{t('hopOpen')}</Tag>
            ),
        },
      ]}
    />
  );
}

interface DialogValues {
  staffId?: string;
  toUnitId?: string;
  toStaffId?: string;
  note?: string;
  text?: string;
  reason?: string;
  state?: 'waiting_customer' | 'waiting_third_party';
  dueHours?: number | null;
}

/**
 * The dialog of one command: its fields, the version seen when it opened (a change meanwhile is the
 * server's 409), the server's field problems on the fields and any other refusal shown, then reloaded.
 */
function ActionDialog({
  order,
  action,
  version,
  t,
  onClose,
  onDone,
  onRefused,
}: {
  order: WorkOrderDetail;
  action: DialogAction;
  version: number;
  t: Msg;
  onClose: () => void;
  onDone: (next: WorkOrderDetail) => void;
  onRefused: () => void;
}) {
  const [form] = Form.useForm<DialogValues>();
  const feedback = useFeedback();
  const { lang } = useT(messages);
  const [people, setPeople] = useState<PersonView[]>([]);
  const [targets, setTargets] = useState<UnitView[]>([]);
  const [busy, setBusy] = useState(false);
  const unitLabel = useUnitName();
  const required = [{ required: true, whitespace: true, message: t('required') }];

  useEffect(() => {
    if (action === 'assign' || action === 'transfer')
      api
        .get<PersonView[]>(`/api/work-orders/${order.id}/people`, { for: action })
        .then(setPeople, feedback.error);
    if (action === 'dispatch')
      api.get<UnitView[]>(`/api/work-orders/${order.id}/dispatch-targets`).then(setTargets, feedback.error);
  }, [action, order.id, feedback]);

  const bodyOf = (v: DialogValues): Record<string, unknown> => {
    switch (action) {
      case 'assign':
        return v.staffId ? { version, staffId: v.staffId } : { version, mode: 'least_loaded' };
      case 'dispatch':
        return {
          version,
          toUnitId: v.toUnitId,
          note: v.note,
          ...(v.dueHours ? { dueMinutes: Math.round(v.dueHours * 60) } : {}),
        };
      case 'pause':
        return { version, state: v.state, note: v.note };
      case 'transfer':
        return { version, toStaffId: v.toStaffId, reason: v.reason };
      default:
        return { version, text: v.text };
    }
  };

  const submit = async () => {
    let v: DialogValues;
    try {
      v = await form.validateFields();
    } catch {
      return;
    }
    setBusy(true);
    try {
      onDone(await api.post<WorkOrderDetail>(`/api/work-orders/${order.id}/${PATHS[action]}`, bodyOf(v)));
    } catch (e) {
      const fields = e instanceof ApiError ? (e.problem.errors ?? []) : [];
      if (fields.length > 0) {
        // The problem stays on its field (dueMinutes is asked in hours); the dialog stays open.
        form.setFields(
          fields.map((fe) => ({
            name: (fe.path === 'body.dueMinutes'
              ? 'dueHours'
              : fe.path.replace(/^body\./, '')) as keyof DialogValues,
            errors: [fe.messages[lang]],
          })),
        );
        feedback.error(e);
      } else {
        feedback.error(e);
        onRefused();
      }
    } finally {
      setBusy(false);
    }
  };

  const personOptions = people.map((p) => ({
    value: p.staffId,
    label: `${p.name} · ${unitLabel(p.unit)} · ${p.onDuty ? t('onDuty') : t('offDuty')} · ${t('load', { n: p.load })}`,
  }));

  return (
    <Modal
      open
      title={`${t(`act.${action}`)} · ${order.number}`}
      okText={t(`act.${action}`)}
      cancelText={lang === 'en-US' ? 'Cancel' : '取消'}
      onOk={() => void submit()}
      onCancel={onClose}
      confirmLoading={busy}
      destroyOnHidden
      okButtonProps={buttonTestId('wo-dialog-ok')}
    >
      <Form<DialogValues>
        form={form}
        layout="vertical"
        data-testid={`wo-dialog-${action}`}
        initialValues={{ state: 'waiting_customer' }}
      >
        {action === 'assign' && (
          <Form.Item name="staffId" label={t('person')} extra={t('autoAssign')}>
            <Select
              allowClear
              showSearch={{ optionFilterProp: 'label' }}
              options={personOptions}
              data-testid="wo-person"
            />
          </Form.Item>
        )}
        {action === 'transfer' && (
          <>
            <Form.Item
              name="toStaffId"
              label={t('toOwner')}
              rules={[{ required: true, message: t('required') }]}
            >
              <Select
                showSearch={{ optionFilterProp: 'label' }}
                options={personOptions}
                data-testid="wo-person"
              />
            </Form.Item>
            <Form.Item name="reason" label={t('reason')} rules={required}>
              <Input.TextArea rows={2} maxLength={maxLengthOf(Transfer, 'reason')} data-testid="wo-reason" />
            </Form.Item>
          </>
        )}
        {action === 'dispatch' && (
          <>
            <Form.Item
              name="toUnitId"
              label={t('target')}
              rules={[{ required: true, message: t('required') }]}
            >
              <Select
                showSearch={{ optionFilterProp: 'label' }}
                options={targets.map((u) => ({ value: u.id, label: unitLabel(u) }))}
                data-testid="wo-target"
              />
            </Form.Item>
            <Form.Item name="dueHours" label={t('dueHours')} extra={t('dueHoursHint')}>
              <InputNumber
                min={0.5}
                max={1440}
                step={1}
                style={{ width: '100%' }}
                data-testid="wo-due-hours"
              />
            </Form.Item>
          </>
        )}
        {action === 'pause' && (
          <Form.Item name="state" label={t('pauseState')}>
            <Radio.Group
              options={[
                { value: 'waiting_customer', label: t('state.waiting_customer') },
                { value: 'waiting_third_party', label: t('state.waiting_third_party') },
              ]}
            />
          </Form.Item>
        )}
        {(action === 'dispatch' || action === 'pause') && (
          <Form.Item name="note" label={t('note')} rules={required}>
            <Input.TextArea rows={3} maxLength={maxLengthOf(Dispatch, 'note')} data-testid="wo-note" />
          </Form.Item>
        )}
        {['answer', 'resume', 'note', 'reply', 'reopen'].includes(action) && (
          <Form.Item name="text" label={action === 'reply' ? t('reply') : t('text')} rules={required}>
            <Input.TextArea rows={4} maxLength={maxLengthOf(Note, 'text')} data-testid="wo-text" />
          </Form.Item>
        )}
      </Form>
    </Modal>
  );
}
