/**
 * /m/halls/:hallId — the e-channel's remote ticket (远程取号) for a phone's narrow screen: prove one's mobile
 * number with a one-time SMS code, take a ticket for today within the opening hours, follow the live
 * position and expected wait (reloaded when the ticket's stream says it or its line moved, and every 15 s),
 * be told when near the front or called, cancel. Needs no device token: the hall's public view is open, and
 * the code's answer is a short-lived capability of that phone only (`/api/e/…`), kept in sessionStorage.
 */
import { Alert, Button, Card, Flex, Input, Radio, Result, Spin, Tag, Typography } from 'antd';
import { useCallback, useEffect, useMemo, useState } from 'react';
import type { KioskState, Ticket } from '../../../../src/modules/queue/contract.ts';
import { MOBILE_PATTERN } from '../../../../src/core/phone.ts';
import { useParams } from 'react-router';
import { ApiError, errorText } from '../../platform/api.ts';
import { useLang, useT } from '../../platform/i18n.tsx';
import { followStream, queueClient } from './client.ts';
import { timeIn, useCoalesced, useInterval } from './hooks.tsx';
import { RemoteTicketCard } from './RemoteTicket.tsx';

const messages = {
  title: { zh: '远程取号', en: 'Remote ticket' },
  openUntil: { zh: '营业中 · 今日至 {time}', en: 'Open · until {time} today' },
  closed: { zh: '当前不在营业时间，暂不能取号', en: 'The hall is closed now: no tickets' },
  phone: { zh: '手机号码', en: 'Mobile number' },
  phonePlaceholder: { zh: '请输入11位手机号码', en: '11-digit mobile number' },
  phoneInvalid: { zh: '请输入有效的11位手机号码', en: 'Enter a valid 11-digit mobile number' },
  category: { zh: '办理业务', en: 'Service' },
  waitingNow: { zh: '等待 {n} 人', en: '{n} waiting' },
  take: { zh: '取号', en: 'Take a ticket' },
  rules: {
    zh: '仅限当日营业时间内取号，每个号码每天限取1张；过号需重新取号。',
    en: 'Tickets for today within opening hours only, one per number a day; a missed number needs a new one.',
  },
  lang: { zh: 'English', en: '中文' },
  sendCode: { zh: '获取验证码', en: 'Send me a code' },
  resend: { zh: '重新获取', en: 'Send again' },
  code: { zh: '短信验证码', en: 'Code from the SMS' },
  codePlaceholder: { zh: '6位数字', en: '6 digits' },
  codeSent: { zh: '验证码已发送至 {to}，{m} 分钟内有效', en: 'A code was sent to {to}; it lasts {m} min' },
  verify: { zh: '验证', en: 'Verify' },
  verified: { zh: '已验证 {to}', en: 'Verified {to}' },
  changePhone: { zh: '更换号码', en: 'Another number' },
  noHall: { zh: '无法打开此营业厅的远程取号', en: 'This hall’s remote tickets cannot be opened' },
  retry: { zh: '重试', en: 'Retry' },
};

/** The proven phone's capability (the answer to its code), kept for this tab only. */
interface PhoneSession {
  token: string;
  phone: string;
  masked: string;
  expiresAt: string;
}
const SESSION_KEY = 'fuwu.remote.phone';
const ticketKey = (hallId: string) => `fuwu.remote.ticket.${hallId}`;

function stored<T>(key: string, valid: (v: T) => boolean): T | null {
  try {
    const v = JSON.parse(window.sessionStorage.getItem(key) ?? 'null') as T | null;
    return v !== null && valid(v) ? v : null;
  } catch {
    return null;
  }
}
function store(key: string, value: unknown): void {
  try {
    if (value === null) window.sessionStorage.removeItem(key);
    else window.sessionStorage.setItem(key, JSON.stringify(value));
  } catch {
    // not remembered
  }
}
// Its expiry is the server's to enforce (a 401 forgets it): the phone's clock may be off.
const liveSession = (s: PhoneSession) => typeof s.token === 'string' && typeof s.phone === 'string';

const publicClient = queueClient(null);

function Remote({ hallId }: { hallId: string }) {
  const { t, lang } = useT(messages);
  const { setLang } = useLang();
  const [hall, setHall] = useState<KioskState | null>(null);
  const [loadError, setLoadError] = useState<unknown>(null);
  const [session, setSession] = useState<PhoneSession | null>(() => stored(SESSION_KEY, liveSession));
  const client = useMemo(() => queueClient(session?.token ?? null), [session]);
  const [ticketId, setTicketId] = useState<string | null>(() =>
    stored<string>(ticketKey(hallId), (v) => typeof v === 'string'),
  );
  const [ticket, setTicket] = useState<Ticket | null>(null);
  const [phone, setPhone] = useState(session?.phone ?? '');
  const [code, setCode] = useState('');
  const [sent, setSent] = useState<{ to: string; minutes: number } | null>(null);
  const [category, setCategory] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const loadHall = useCallback(async () => {
    try {
      setHall(await publicClient.get<KioskState>(`/api/e/halls/${hallId}`));
      setLoadError(null);
    } catch (e) {
      setLoadError(e);
    }
  }, [hallId]);

  const forgetTicket = useCallback(() => {
    store(ticketKey(hallId), null);
    setTicketId(null);
    setTicket(null);
  }, [hallId]);

  const loadTicket = useCallback(async () => {
    if (!ticketId || !session) return;
    try {
      setTicket(await client.get<Ticket>(`/api/e/tickets/${ticketId}`));
    } catch (e) {
      if (e instanceof ApiError && e.status === 401) {
        store(SESSION_KEY, null);
        setSession(null);
      } else if (e instanceof ApiError && (e.status === 404 || e.status === 403)) forgetTicket();
    }
  }, [client, ticketId, session, forgetTicket]);

  useEffect(() => {
    void loadHall();
  }, [loadHall]);
  useEffect(() => {
    void loadTicket();
  }, [loadTicket]);

  const active = ticket !== null && ['waiting', 'called', 'serving', 'parked'].includes(ticket.status);
  // The ticket's own events (called, near the front …) and `line.moved` (its place or expected wait may
  // have changed) reload it; polling catches what a dropped stream missed.
  const onStreamEvent = useCoalesced(() => void loadTicket(), 300);
  useEffect(() => {
    if (!ticketId || !active || !client.token) return;
    return followStream(`/api/e/tickets/${ticketId}/stream`, client.token, onStreamEvent);
  }, [ticketId, active, client.token, onStreamEvent]);
  useInterval(() => void (active ? loadTicket() : loadHall()), active ? 15_000 : 30_000);

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
        purpose: 'ticket',
        hallId,
      });
      setSent({ to: answer.to, minutes: Math.round(answer.expiresInSeconds / 60) });
      setCode('');
    });

  const verify = () =>
    run(async () => {
      const answer = await publicClient.post<{ token: string; expiresAt: string; phone: string }>(
        '/api/e/sessions',
        { phone, code },
      );
      const s: PhoneSession = {
        token: answer.token,
        phone,
        masked: answer.phone,
        expiresAt: answer.expiresAt,
      };
      store(SESSION_KEY, s);
      setSession(s);
      setSent(null);
      setCode('');
    });

  const changePhone = () => {
    store(SESSION_KEY, null);
    setSession(null);
    setSent(null);
    setPhone('');
  };

  const take = async () => {
    if (!category || !session) return;
    setBusy(true);
    setError(null);
    try {
      const created = await client.post<Ticket>(`/api/e/halls/${hallId}/tickets`, {
        category,
        phone: session.phone,
      });
      store(ticketKey(hallId), created.id);
      setTicketId(created.id);
      setTicket(created);
    } catch (e) {
      setError(errorText(e, lang));
    } finally {
      setBusy(false);
    }
  };

  const cancel = async () => {
    if (!ticket) return;
    setBusy(true);
    setError(null);
    try {
      setTicket(await client.post<Ticket>(`/api/e/tickets/${ticket.id}/cancel`));
    } catch (e) {
      setError(errorText(e, lang));
    } finally {
      setBusy(false);
    }
  };

  const again = () => {
    forgetTicket();
    void loadHall();
  };

  const categories = hall?.categories ?? [];
  const chosen = useMemo(() => categories.find((c) => c.code === category), [categories, category]);

  if (loadError && !hall) {
    return (
      <Result
        status="warning"
        title={t('noHall')}
        subTitle={errorText(loadError, lang)}
        data-testid="device-problem"
        extra={
          <Button onClick={() => void loadHall()} data-testid="remote-retry">
            {t('retry')}
          </Button>
        }
      />
    );
  }
  if (!hall) {
    return (
      <div style={{ padding: 64, textAlign: 'center' }}>
        <Spin size="large" />
      </div>
    );
  }
  const hallName = lang === 'en-US' && hall.hall.nameEn ? hall.hall.nameEn : hall.hall.name;

  return (
    <div data-testid="page-remote" style={{ minHeight: '100vh', background: '#f5f5f5' }}>
      <div style={{ background: '#c8102e', color: '#fff', padding: '14px 16px' }}>
        <Flex justify="space-between" align="center">
          <span style={{ fontSize: 18, fontWeight: 600 }}>{t('title')}</span>
          <Button size="small" ghost onClick={() => setLang(lang === 'zh-CN' ? 'en-US' : 'zh-CN')}>
            {t('lang')}
          </Button>
        </Flex>
        <div style={{ fontSize: 16, marginTop: 4 }} data-testid="remote-hall-name">
          {hallName}
        </div>
        <div style={{ fontSize: 13, opacity: 0.9 }}>
          {hall.hall.open && hall.hall.closesAt
            ? t('openUntil', { time: timeIn(hall.hall.closesAt, hall.hall.timeZone) })
            : t('closed')}
        </div>
      </div>

      <div style={{ maxWidth: 480, margin: '0 auto', padding: 16 }}>
        {error && (
          <Alert
            type="error"
            showIcon
            title={error}
            data-testid="remote-error"
            style={{ marginBottom: 12 }}
            closable={{ onClose: () => setError(null) }}
          />
        )}

        {!ticket && (
          <Card>
            {!hall.hall.open && (
              <Alert type="warning" showIcon title={t('closed')} style={{ marginBottom: 12 }} />
            )}
            <Typography.Text strong>{t('phone')}</Typography.Text>
            {session ? (
              <Flex justify="space-between" align="center" style={{ margin: '6px 0 16px' }}>
                <Tag color="green" data-testid="remote-verified" style={{ fontSize: 14, padding: '4px 8px' }}>
                  ✓ {t('verified', { to: session.masked })}
                </Tag>
                <Button type="link" onClick={changePhone} data-testid="remote-change-phone">
                  {t('changePhone')}
                </Button>
              </Flex>
            ) : (
              <>
                <Flex gap={8} style={{ margin: '6px 0 12px' }}>
                  <Input
                    size="large"
                    type="tel"
                    inputMode="numeric"
                    maxLength={11}
                    value={phone}
                    placeholder={t('phonePlaceholder')}
                    onChange={(e) => setPhone(e.target.value.replace(/\D/g, ''))}
                    status={phone.length === 11 && !MOBILE_PATTERN.test(phone) ? 'error' : undefined}
                    data-testid="remote-phone"
                  />
                  <Button
                    size="large"
                    loading={busy && !sent}
                    disabled={!MOBILE_PATTERN.test(phone)}
                    onClick={() => void sendCode()}
                    data-testid="remote-send-code"
                  >
                    {sent ? t('resend') : t('sendCode')}
                  </Button>
                </Flex>
                {sent && (
                  <>
                    <Typography.Paragraph
                      type="secondary"
                      style={{ fontSize: 13 }}
                      data-testid="remote-code-sent"
                    >
                      {t('codeSent', { to: sent.to, m: sent.minutes })}
                    </Typography.Paragraph>
                    <Typography.Text strong>{t('code')}</Typography.Text>
                    <Flex gap={8} style={{ margin: '6px 0 16px' }}>
                      <Input
                        size="large"
                        inputMode="numeric"
                        autoComplete="one-time-code"
                        maxLength={6}
                        value={code}
                        placeholder={t('codePlaceholder')}
                        onChange={(e) => setCode(e.target.value.replace(/\D/g, ''))}
                        data-testid="remote-code"
                      />
                      <Button
                        size="large"
                        type="primary"
                        loading={busy}
                        disabled={code.length !== 6}
                        onClick={() => void verify()}
                        data-testid="remote-verify"
                      >
                        {t('verify')}
                      </Button>
                    </Flex>
                  </>
                )}
              </>
            )}
            <Typography.Text strong>{t('category')}</Typography.Text>
            <Radio.Group
              value={category}
              onChange={(e) => setCategory(e.target.value as string)}
              style={{ display: 'flex', flexDirection: 'column', gap: 8, margin: '6px 0 16px' }}
              data-testid="remote-categories"
            >
              {categories.map((c) => (
                <Radio.Button
                  key={c.code}
                  value={c.code}
                  style={{ height: 'auto', padding: '8px 12px', borderRadius: 8, lineHeight: 1.4 }}
                >
                  <Flex justify="space-between" gap={8} data-testid={`remote-category-${c.code}`}>
                    <span>{lang === 'en-US' ? c.nameEn : c.name}</span>
                    <span style={{ color: '#8c8c8c' }}>{t('waitingNow', { n: c.waiting })}</span>
                  </Flex>
                </Radio.Button>
              ))}
            </Radio.Group>
            <Button
              type="primary"
              size="large"
              block
              loading={busy}
              disabled={!hall.hall.open || !session || !chosen}
              onClick={() => void take()}
              data-testid="remote-take"
            >
              {t('take')}
            </Button>
            <Typography.Paragraph type="secondary" style={{ marginTop: 12, marginBottom: 0, fontSize: 13 }}>
              {t('rules')}
            </Typography.Paragraph>
          </Card>
        )}

        {ticket && (
          <RemoteTicketCard
            ticket={ticket}
            timeZone={hall.hall.timeZone}
            busy={busy}
            onCancel={() => void cancel()}
            onAgain={again}
          />
        )}
      </div>
    </div>
  );
}

export default function RemotePage() {
  const { hallId } = useParams();
  if (!hallId) return <Result status="warning" title="?" />;
  return <Remote hallId={hallId} />;
}
