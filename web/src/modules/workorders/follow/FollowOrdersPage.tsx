/**
 * /m/orders and /m/orders/:number — the customer follows their work orders (工单) on the phone's narrow
 * screen (the e-channel, 6§): prove the contact number with a one-time SMS code (purpose `work_order`), see
 * the orders replied to that number (number, kind, state, due time, reply), open one for the steps that
 * concern them, add information (an order waiting for them goes on), rate a replied order once (1–5), or
 * reopen it within the window the server gives (`mayReopenUntil`); after it, the appeal route. The code's
 * answer is a short-lived capability of that phone only (`/api/e/…`), kept in sessionStorage for the tab.
 * Times are shown in Asia/Shanghai (an order as the customer sees it carries no unit).
 */
import { Alert, Button, Card, Empty, Flex, Input, Rate, Result, Spin, Tag, Timeline, Typography } from 'antd';
import { useCallback, useEffect, useMemo, useState } from 'react';
import type { ReactNode } from 'react';
import { useNavigate, useParams } from 'react-router';
import { MOBILE_PATTERN } from '../../../../../src/core/phone.ts';
import type { FollowedOrder } from '../../../../../src/modules/workorders/contract.ts';
import { AddInformation, CustomerReopen } from '../../../../../src/modules/workorders/contract.ts';
import { ApiError, errorText } from '../../../platform/api.ts';
import { useLang, useT } from '../../../platform/i18n.tsx';
import { maxLengthOf } from '../../../platform/limits.ts';
import { queueClient } from '../../queue/client.ts';
import { dateTimeIn } from '../../queue/hooks.tsx';
import { messages } from './messages.ts';

type Msg = keyof typeof messages;
const ZONE = 'Asia/Shanghai';
const SESSION_KEY = 'fuwu.orders.phone';
const publicClient = queueClient(null);

/** The proven phone's capability (the answer to its code), kept for this tab only. */
interface PhoneSession {
  token: string;
  phone: string;
  masked: string;
}

function storedSession(): PhoneSession | null {
  try {
    const v = JSON.parse(window.sessionStorage.getItem(SESSION_KEY) ?? 'null') as PhoneSession | null;
    return v && typeof v.token === 'string' && typeof v.masked === 'string' ? v : null;
  } catch {
    return null;
  }
}
function storeSession(s: PhoneSession | null): void {
  try {
    if (s) window.sessionStorage.setItem(SESSION_KEY, JSON.stringify(s));
    else window.sessionStorage.removeItem(SESSION_KEY);
  } catch {
    // not remembered: the tab asks again
  }
}

const STATE_COLOURS: Record<FollowedOrder['state'], string> = {
  new: 'blue',
  assigned: 'processing',
  dispatched: 'processing',
  waiting_customer: 'orange',
  waiting_third_party: 'default',
  answered: 'cyan',
  replied: 'green',
  closed: 'default',
};

function StateTag({ state }: { state: FollowedOrder['state'] }) {
  const { t } = useT(messages);
  return (
    <Tag color={STATE_COLOURS[state]} data-testid="mo-state" style={{ marginInlineEnd: 0 }}>
      {t(`state.${state}` as Msg)}
    </Tag>
  );
}

/** A label and its value on one line. */
function Line({ label, children }: { label: string; children: ReactNode }) {
  return (
    <Flex justify="space-between" gap={12} style={{ fontSize: 14, lineHeight: '22px' }}>
      <Typography.Text type="secondary" style={{ flex: 'none' }}>
        {label}
      </Typography.Text>
      <span style={{ textAlign: 'right' }}>{children}</span>
    </Flex>
  );
}

/** Proving the phone: the number, a code by SMS, the code. */
function PhoneLogin({ onProven }: { onProven: (s: PhoneSession) => void }) {
  const { t, lang } = useT(messages);
  const [phone, setPhone] = useState('');
  const [code, setCode] = useState('');
  const [sent, setSent] = useState<{ to: string; minutes: number } | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const run = async (work: () => Promise<void>) => {
    setBusy(true);
    setError(null);
    try {
      await work();
    } catch (e) {
      setError(errorText(e, lang));
    } finally {
      setBusy(false);
    }
  };
  const sendCode = () =>
    run(async () => {
      const answer = await publicClient.post<{ to: string; expiresInSeconds: number }>('/api/e/codes', {
        phone,
        purpose: 'work_order',
      });
      setSent({ to: answer.to, minutes: Math.round(answer.expiresInSeconds / 60) });
      setCode('');
    });
  const verify = () =>
    run(async () => {
      const answer = await publicClient.post<{ token: string; phone: string }>('/api/e/sessions', {
        phone,
        code,
      });
      onProven({ token: answer.token, phone, masked: answer.phone });
    });

  return (
    <Card>
      {error && (
        <Alert
          type="error"
          showIcon
          title={error}
          data-testid="mo-error"
          style={{ marginBottom: 12 }}
          closable={{ onClose: () => setError(null) }}
        />
      )}
      <Typography.Text strong>{t('phone')}</Typography.Text>
      <Typography.Paragraph type="secondary" style={{ fontSize: 13, margin: '4px 0 0' }}>
        {t('phoneHint')}
      </Typography.Paragraph>
      <Flex gap={8} style={{ margin: '8px 0 12px' }}>
        <Input
          size="large"
          type="tel"
          inputMode="numeric"
          maxLength={11}
          value={phone}
          placeholder={t('phonePlaceholder')}
          onChange={(e) => setPhone(e.target.value.replace(/\D/g, ''))}
          status={phone.length === 11 && !MOBILE_PATTERN.test(phone) ? 'error' : undefined}
          data-testid="mo-phone"
        />
        <Button
          size="large"
          loading={busy && !sent}
          disabled={!MOBILE_PATTERN.test(phone)}
          onClick={() => void sendCode()}
          data-testid="mo-send-code"
        >
          {sent ? t('resend') : t('sendCode')}
        </Button>
      </Flex>
      {sent && (
        <>
          <Typography.Paragraph type="secondary" style={{ fontSize: 13 }} data-testid="mo-code-sent">
            {t('codeSent', { to: sent.to, m: sent.minutes })}
          </Typography.Paragraph>
          <Typography.Text strong>{t('code')}</Typography.Text>
          <Flex gap={8} style={{ margin: '6px 0 4px' }}>
            <Input
              size="large"
              inputMode="numeric"
              autoComplete="one-time-code"
              maxLength={6}
              value={code}
              placeholder={t('codePlaceholder')}
              onChange={(e) => setCode(e.target.value.replace(/\D/g, ''))}
              data-testid="mo-code"
            />
            <Button
              size="large"
              type="primary"
              loading={busy}
              disabled={code.length !== 6}
              onClick={() => void verify()}
              data-testid="mo-verify"
            >
              {t('verify')}
            </Button>
          </Flex>
        </>
      )}
    </Card>
  );
}

/**
 * Rating with the survey code the reply's SMS carried: order number + code + stars, no phone code needed
 * (POST /api/e/work-orders/{number}/survey). The number comes from the link when it has one.
 */
function SurveyRating({ initialNumber }: { initialNumber: string | undefined }) {
  const { t, lang } = useT(messages);
  const [number, setNumber] = useState(initialNumber ?? '');
  const [code, setCode] = useState('');
  const [score, setScore] = useState(0);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<number | null>(null);
  const submit = async () => {
    setBusy(true);
    setError(null);
    try {
      const answer = await publicClient.post<{ satisfaction: number }>(
        `/api/e/work-orders/${encodeURIComponent(number.trim().toUpperCase())}/survey`,
        { code, score },
      );
      setDone(answer.satisfaction);
    } catch (e) {
      setError(errorText(e, lang));
    } finally {
      setBusy(false);
    }
  };
  if (done !== null)
    return (
      <Card size="small" data-testid="mo-survey-done">
        <Result status="success" title={t('surveyThanks')} subTitle={t('ratedScore', { n: done })} />
      </Card>
    );
  return (
    <Card size="small" title={t('surveyTitle')} data-testid="mo-survey">
      <Typography.Paragraph type="secondary" style={{ fontSize: 13 }}>
        {t('surveyHint')}
      </Typography.Paragraph>
      {error && (
        <Alert
          type="error"
          showIcon
          title={error}
          data-testid="mo-survey-error"
          style={{ marginBottom: 12 }}
        />
      )}
      <Flex vertical gap={8}>
        <Input
          size="large"
          value={number}
          placeholder={t('surveyNumber')}
          maxLength={24}
          onChange={(e) => setNumber(e.target.value)}
          data-testid="mo-survey-number"
        />
        <Input
          size="large"
          value={code}
          placeholder={t('surveyCode')}
          maxLength={8}
          autoComplete="off"
          onChange={(e) => setCode(e.target.value.toUpperCase().replace(/[^0-9A-Z]/g, ''))}
          data-testid="mo-survey-code"
        />
        <div data-testid="mo-survey-stars">
          <Rate value={score} onChange={setScore} style={{ fontSize: 28 }} />
        </div>
        <Button
          size="large"
          type="primary"
          block
          loading={busy}
          disabled={!number.trim() || code.length !== 8 || score === 0}
          onClick={() => void submit()}
          data-testid="mo-survey-submit"
        >
          {t('rateSubmit')}
        </Button>
      </Flex>
    </Card>
  );
}

/** One order in the list: a card to tap. */
function OrderCard({ order, onOpen }: { order: FollowedOrder; onOpen: () => void }) {
  const { t } = useT(messages);
  return (
    <Card
      size="small"
      hoverable
      onClick={onOpen}
      data-testid={`mo-order-${order.number}`}
      styles={{ body: { padding: 14 } }}
    >
      <Flex justify="space-between" align="center" gap={8}>
        <Typography.Text strong style={{ fontFamily: 'monospace', fontSize: 15 }}>
          {order.number}
        </Typography.Text>
        <StateTag state={order.state} />
      </Flex>
      <div style={{ fontSize: 15, margin: '6px 0' }}>
        <Tag style={{ marginInlineEnd: 6 }}>{t(`kind.${order.kind}` as Msg)}</Tag>
        {order.title}
      </div>
      <Line label={t('created')}>{dateTimeIn(order.createdAt, ZONE)}</Line>
      {order.state !== 'replied' && order.state !== 'closed' && (
        <Line label={t('due')}>
          {order.resolutionDueAt ? dateTimeIn(order.resolutionDueAt, ZONE) : t('dueNone')}
        </Line>
      )}
      {order.reply && (
        <Typography.Paragraph
          ellipsis={{ rows: 2 }}
          style={{ margin: '8px 0 0', background: '#f6ffed', padding: '6px 8px', borderRadius: 6 }}
        >
          {t('replyPrefix')}
          {order.reply}
        </Typography.Paragraph>
      )}
    </Card>
  );
}

/** One order: its reply, what the customer may do with it, its steps. */
function OrderDetail({
  order,
  busy,
  onInformation,
  onRate,
  onReopen,
}: {
  order: FollowedOrder;
  busy: boolean;
  onInformation: (text: string) => Promise<boolean>;
  onRate: (score: number) => Promise<boolean>;
  onReopen: (text: string) => Promise<boolean>;
}) {
  const { t, pick } = useT(messages);
  const [info, setInfo] = useState('');
  const [score, setScore] = useState(0);
  const [reopening, setReopening] = useState(false);
  const [why, setWhy] = useState('');
  const scores = [1, 2, 3, 4, 5].map((n) => t(`score.${n}` as Msg));
  const done = order.state === 'replied' || order.state === 'closed';

  return (
    <Flex vertical gap={12} data-testid="mo-detail">
      <Card styles={{ body: { padding: 16 } }}>
        <Flex justify="space-between" align="center" gap={8}>
          <Typography.Text strong style={{ fontFamily: 'monospace', fontSize: 16 }} data-testid="mo-number">
            {order.number}
          </Typography.Text>
          <StateTag state={order.state} />
        </Flex>
        <div style={{ fontSize: 16, fontWeight: 500, margin: '8px 0' }}>
          <Tag style={{ marginInlineEnd: 6 }}>{t(`kind.${order.kind}` as Msg)}</Tag>
          {order.title}
        </div>
        <Line label={t('created')}>{dateTimeIn(order.createdAt, ZONE)}</Line>
        {!done && (
          <Line label={t('due')}>
            {order.resolutionDueAt ? dateTimeIn(order.resolutionDueAt, ZONE) : t('dueNone')}
          </Line>
        )}
        {order.reply && (
          <Alert
            type="success"
            style={{ marginTop: 12 }}
            title={t('reply')}
            description={<span data-testid="mo-reply">{order.reply}</span>}
          />
        )}
      </Card>

      {order.state === 'waiting_customer' && (
        <Alert type="warning" showIcon title={t('waitingYou')} data-testid="mo-waiting-you" />
      )}

      {order.mayRate && (
        <Card title={t('rateTitle')} size="small" data-testid="mo-rate-card">
          <Flex vertical align="center" gap={8}>
            <div data-testid="mo-rate">
              <Rate value={score} onChange={setScore} tooltips={scores} style={{ fontSize: 32 }} />
            </div>
            <Typography.Text type="secondary">{score > 0 ? scores[score - 1] : '\u00a0'}</Typography.Text>
            <Button
              type="primary"
              block
              size="large"
              disabled={score === 0}
              loading={busy}
              onClick={() => void onRate(score)}
              data-testid="mo-rate-submit"
            >
              {t('rateSubmit')}
            </Button>
          </Flex>
        </Card>
      )}
      {order.satisfaction !== null && (
        <Card size="small" data-testid="mo-rated">
          <Flex justify="space-between" align="center">
            <Typography.Text>{t('rated')}</Typography.Text>
            <span>
              <Rate disabled value={order.satisfaction} style={{ fontSize: 18 }} />{' '}
              <Typography.Text type="secondary">{scores[order.satisfaction - 1]}</Typography.Text>
            </span>
          </Flex>
        </Card>
      )}

      {order.mayReopenUntil && (
        <Card size="small">
          <Typography.Paragraph type="secondary" style={{ fontSize: 13 }} data-testid="mo-reopen-until">
            {t('reopenUntil', { until: dateTimeIn(order.mayReopenUntil, ZONE) })}
          </Typography.Paragraph>
          {reopening ? (
            <Flex vertical gap={8}>
              <Input.TextArea
                rows={3}
                value={why}
                maxLength={maxLengthOf(CustomerReopen, 'text')}
                placeholder={t('reopenPlaceholder')}
                onChange={(e) => setWhy(e.target.value)}
                data-testid="mo-reopen-text"
              />
              <Flex gap={8}>
                <Button block onClick={() => setReopening(false)}>
                  {t('cancel')}
                </Button>
                <Button
                  block
                  danger
                  type="primary"
                  loading={busy}
                  disabled={!why.trim()}
                  onClick={() =>
                    void onReopen(why.trim()).then((ok) => {
                      if (ok) {
                        setReopening(false);
                        setWhy('');
                      }
                    })
                  }
                  data-testid="mo-reopen-submit"
                >
                  {t('reopenSubmit')}
                </Button>
              </Flex>
            </Flex>
          ) : (
            <Button block onClick={() => setReopening(true)} data-testid="mo-reopen">
              {t('reopen')}
            </Button>
          )}
        </Card>
      )}
      {done && !order.mayReopenUntil && (
        <Typography.Paragraph type="secondary" style={{ fontSize: 13, margin: 0 }} data-testid="mo-appeal">
          {t('appealHint')}
        </Typography.Paragraph>
      )}

      {!done && (
        <Card title={t('addInfo')} size="small">
          <Flex vertical gap={8}>
            <Input.TextArea
              rows={3}
              value={info}
              maxLength={maxLengthOf(AddInformation, 'text')}
              placeholder={t('addInfoPlaceholder')}
              onChange={(e) => setInfo(e.target.value)}
              data-testid="mo-info-text"
            />
            <Button
              block
              loading={busy}
              disabled={!info.trim()}
              onClick={() => void onInformation(info.trim()).then((ok) => ok && setInfo(''))}
              data-testid="mo-info-submit"
            >
              {t('submit')}
            </Button>
          </Flex>
        </Card>
      )}

      <Card title={t('steps')} size="small">
        <Timeline
          data-testid="mo-steps"
          style={{ marginTop: 8 }}
          items={[...order.steps].reverse().map((s, i) => ({
            key: `${s.at}-${i}`,
            color: i === 0 ? 'blue' : 'gray',
            content: (
              <Flex justify="space-between" gap={8}>
                <span>{pick(s.label)}</span>
                <Typography.Text type="secondary" style={{ fontSize: 13 }}>
                  {dateTimeIn(s.at, ZONE)}
                </Typography.Text>
              </Flex>
            ),
          }))}
        />
      </Card>
    </Flex>
  );
}

export default function FollowOrdersPage() {
  const { number } = useParams();
  const navigate = useNavigate();
  const { t, lang } = useT(messages);
  const { setLang } = useLang();
  const [session, setSession] = useState<PhoneSession | null>(storedSession);
  const client = useMemo(() => queueClient(session?.token ?? null), [session]);
  const [orders, setOrders] = useState<FollowedOrder[] | null>(null);
  const [order, setOrder] = useState<FollowedOrder | null>(null);
  const [problem, setProblem] = useState<unknown>(null);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const forget = useCallback(() => {
    storeSession(null);
    setSession(null);
    setOrders(null);
    setOrder(null);
  }, []);

  const load = useCallback(async () => {
    if (!session) return;
    setProblem(null);
    try {
      if (number)
        setOrder(await client.get<FollowedOrder>(`/api/e/work-orders/${encodeURIComponent(number)}`));
      else setOrders(await client.get<FollowedOrder[]>('/api/e/work-orders'));
    } catch (e) {
      if (e instanceof ApiError && e.status === 401) forget();
      else setProblem(e);
    }
  }, [client, session, number, forget]);
  useEffect(() => {
    setOrder(null);
    setError(null);
    setNotice(null);
    void load();
  }, [load]);

  const proven = (s: PhoneSession) => {
    storeSession(s);
    setSession(s);
  };
  const changePhone = () => {
    // The capability ends on the server too (best effort: it runs out by itself).
    if (session)
      void fetch('/api/e/session', {
        method: 'DELETE',
        headers: { Authorization: `Bearer ${session.token}` },
      }).catch(() => undefined);
    forget();
    if (number) void navigate('/m/orders');
  };

  /** A command on the open order: the answer is the order as the customer now sees it. */
  const command = async (path: string, body: object, done: Msg): Promise<boolean> => {
    if (!order) return false;
    setBusy(true);
    setError(null);
    setNotice(null);
    try {
      setOrder(await client.post<FollowedOrder>(`/api/e/work-orders/${order.number}/${path}`, body));
      setNotice(t(done));
      return true;
    } catch (e) {
      if (e instanceof ApiError && e.status === 401) forget();
      setError(errorText(e, lang));
      return false;
    } finally {
      setBusy(false);
    }
  };

  let body: ReactNode;
  if (!session)
    body = (
      <Flex vertical gap={12}>
        <PhoneLogin onProven={proven} />
        <SurveyRating initialNumber={number} />
      </Flex>
    );
  else if (problem)
    body = (
      <Result
        status={problem instanceof ApiError && problem.status === 404 ? '404' : 'warning'}
        title={
          problem instanceof ApiError && problem.status === 404 ? t('notFound') : errorText(problem, lang)
        }
        data-testid="mo-problem"
        extra={
          <Flex gap={8} justify="center">
            {number && <Button onClick={() => void navigate('/m/orders')}>{t('back')}</Button>}
            <Button onClick={() => void load()}>{t('retry')}</Button>
          </Flex>
        }
      />
    );
  else if (number)
    body = order ? (
      <OrderDetail
        order={order}
        busy={busy}
        onInformation={(text) => command('information', { text }, 'infoAdded')}
        onRate={(score) => command('rating', { score }, 'thanks')}
        onReopen={(text) => command('reopen', { text }, 'reopened')}
      />
    ) : (
      <Spin style={{ display: 'block', padding: 48 }} />
    );
  else if (orders === null) body = <Spin style={{ display: 'block', padding: 48 }} />;
  else if (orders.length === 0)
    body = (
      <Card data-testid="mo-empty">
        <Empty description={t('none')}>
          <Typography.Text type="secondary" style={{ fontSize: 13 }}>
            {t('noneHint')}
          </Typography.Text>
        </Empty>
      </Card>
    );
  else
    body = (
      <Flex vertical gap={10} data-testid="mo-list">
        {orders.map((o) => (
          <OrderCard key={o.number} order={o} onOpen={() => void navigate(`/m/orders/${o.number}`)} />
        ))}
      </Flex>
    );

  return (
    <div data-testid="page-my-orders" style={{ minHeight: '100vh', background: '#f5f5f5' }}>
      <div style={{ background: '#c8102e', color: '#fff', padding: '14px 16px' }}>
        <Flex justify="space-between" align="center">
          <span style={{ fontSize: 18, fontWeight: 600 }}>{t('title')}</span>
          <Button
            size="small"
            ghost
            onClick={() => setLang(lang === 'zh-CN' ? 'en-US' : 'zh-CN')}
            data-testid="mo-lang"
          >
            {t('lang')}
          </Button>
        </Flex>
        <div style={{ fontSize: 13, opacity: 0.9, marginTop: 4 }}>{t('subtitle')}</div>
      </div>
      <div style={{ maxWidth: 480, margin: '0 auto', padding: 16 }}>
        {session && (
          <Flex justify="space-between" align="center" style={{ marginBottom: 12 }}>
            {number ? (
              <Button
                type="link"
                style={{ padding: 0 }}
                onClick={() => void navigate('/m/orders')}
                data-testid="mo-back"
              >
                ‹ {t('back')}
              </Button>
            ) : (
              <Tag color="green" data-testid="mo-verified" style={{ fontSize: 14, padding: '4px 8px' }}>
                ✓ {t('verified', { to: session.masked })}
              </Tag>
            )}
            <Button type="link" onClick={changePhone} data-testid="mo-change-phone">
              {t('changePhone')}
            </Button>
          </Flex>
        )}
        {error && (
          <Alert
            type="error"
            showIcon
            title={error}
            data-testid="mo-error"
            style={{ marginBottom: 12 }}
            closable={{ onClose: () => setError(null) }}
          />
        )}
        {notice && (
          <Alert
            type="success"
            showIcon
            title={notice}
            data-testid="mo-notice"
            style={{ marginBottom: 12 }}
            closable={{ onClose: () => setNotice(null) }}
          />
        )}
        {body}
      </div>
    </div>
  );
}
