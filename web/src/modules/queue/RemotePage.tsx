/**
 * /m/halls/:hallId — the e-channel's remote ticket (远程取号) for a phone's narrow screen: take a ticket for
 * today within the opening hours with one's mobile number, follow the live position and expected wait
 * (reloaded when the ticket's stream says it or its line moved, and every 15 s), be told when near the
 * front or called, cancel. Runs with the e-channel's device token (`?token=…`, a kiosk device registered
 * above the hall) or a staff session. That token is every phone's: the phone keeps the ticket's holder key
 * (answered by its take) and shows it to follow or cancel the ticket.
 */
import {
  Alert,
  Button,
  Card,
  Flex,
  Input,
  Popconfirm,
  Radio,
  Result,
  Spin,
  Statistic,
  Tag,
  Typography,
} from 'antd';
import { useCallback, useEffect, useMemo, useState } from 'react';
import type { KioskState, Ticket } from '../../../../src/modules/queue/contract.ts';
import { MOBILE_PATTERN } from '../../../../src/core/phone.ts';
import { ApiError, errorText } from '../../platform/api.ts';
import { useLang, useT } from '../../platform/i18n.tsx';
import { buttonTestId } from '../../platform/testid.ts';
import { followStream, holderHeader } from './client.ts';
import { AccessProblem, DevicePage } from './DevicePage.tsx';
import type { Device } from './DevicePage.tsx';
import { timeIn, useCoalesced, useInterval } from './hooks.tsx';
import { TICKET_STATUS } from './labels.ts';

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
  yourNumber: { zh: '您的号码', en: 'Your number' },
  ahead: { zh: '前面等待', en: 'Ahead of you' },
  people: { zh: '人', en: 'people' },
  wait: { zh: '预计等待', en: 'Estimated wait' },
  minutes: { zh: '分钟', en: 'min' },
  noCounter: { zh: '暂无台席开放', en: 'No counter open yet' },
  nearFront: {
    zh: '即将轮到您，请尽快到厅等候叫号',
    en: 'You are near the front: please come to the hall now',
  },
  called: { zh: '请到 {n} 号窗口办理', en: 'Please go to counter {n}' },
  serving: { zh: '正在为您办理', en: 'You are being served' },
  finished: { zh: '本次服务已结束，感谢您的光临', en: 'Your visit is over. Thank you' },
  cancel: { zh: '取消排队', en: 'Cancel my ticket' },
  cancelConfirm: { zh: '确定取消此号？', en: 'Cancel this ticket?' },
  cancelled: { zh: '已取消排队', en: 'Ticket cancelled' },
  again: { zh: '重新取号', en: 'Take another ticket' },
  takenAt: { zh: '取号时间 {time}', en: 'Taken at {time}' },
  live: { zh: '实时更新', en: 'Live' },
  yes: { zh: '确定', en: 'Yes' },
  no: { zh: '再等等', en: 'No' },
  lang: { zh: 'English', en: '中文' },
};

const storageKey = (hallId: string) => `fuwu.remote.ticket.${hallId}`;

/** The phone's ticket at a hall: its id and the holder key its take answered. */
interface Held {
  id: string;
  key: string;
}

function storedTicket(hallId: string): Held | null {
  try {
    const held = JSON.parse(window.localStorage.getItem(storageKey(hallId)) ?? 'null') as Held | null;
    return typeof held?.id === 'string' && typeof held.key === 'string' ? held : null;
  } catch {
    return null;
  }
}
function storeTicket(hallId: string, held: Held | null): void {
  try {
    if (held) window.localStorage.setItem(storageKey(hallId), JSON.stringify(held));
    else window.localStorage.removeItem(storageKey(hallId));
  } catch {
    // not remembered
  }
}

function Remote({ client, hallId }: Device) {
  const { t, lang } = useT(messages);
  const { setLang } = useLang();
  const [hall, setHall] = useState<KioskState | null>(null);
  const [loadError, setLoadError] = useState<unknown>(null);
  const [held, setHeld] = useState<Held | null>(() => storedTicket(hallId));
  const ticketId = held?.id ?? null;
  const holder = useMemo(() => holderHeader(held?.key ?? null), [held]);
  const [ticket, setTicket] = useState<Ticket | null>(null);
  const [phone, setPhone] = useState('');
  const [category, setCategory] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const loadHall = useCallback(async () => {
    try {
      setHall(await client.get<KioskState>(`/api/halls/${hallId}/kiosk`));
      setLoadError(null);
    } catch (e) {
      setLoadError(e);
    }
  }, [client, hallId]);

  const loadTicket = useCallback(async () => {
    if (!ticketId) return;
    try {
      setTicket(await client.get<Ticket>(`/api/tickets/${ticketId}`, undefined, holder));
    } catch (e) {
      if (e instanceof ApiError && (e.status === 404 || e.status === 403)) {
        storeTicket(hallId, null);
        setHeld(null);
        setTicket(null);
      }
    }
  }, [client, hallId, ticketId, holder]);

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
    if (!ticketId || !active) return;
    return followStream(`/api/tickets/${ticketId}/stream`, client.token, onStreamEvent, undefined, holder);
  }, [ticketId, active, client.token, onStreamEvent, holder]);
  useInterval(() => void (active ? loadTicket() : loadHall()), active ? 15_000 : 30_000);

  const take = async () => {
    if (!category) return;
    setBusy(true);
    setError(null);
    try {
      const created = await client.post<Ticket>(`/api/halls/${hallId}/tickets`, { category, phone });
      // A staff session taking a remote ticket on this page gets no key: it follows the ticket as staff.
      const mine = { id: created.id, key: created.holderKey ?? '' };
      storeTicket(hallId, mine);
      setHeld(mine);
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
      setTicket(await client.post<Ticket>(`/api/tickets/${ticket.id}/cancel`, undefined, holder));
    } catch (e) {
      setError(errorText(e, lang));
    } finally {
      setBusy(false);
    }
  };

  const again = () => {
    storeTicket(hallId, null);
    setHeld(null);
    setTicket(null);
    void loadHall();
  };

  const categories = hall?.categories ?? [];
  const chosen = useMemo(() => categories.find((c) => c.code === category), [categories, category]);

  if (loadError && !hall)
    return <AccessProblem kind="remote" error={loadError} onRetry={() => void loadHall()} />;
  if (!hall) {
    return (
      <div style={{ padding: 64, textAlign: 'center' }}>
        <Spin size="large" />
      </div>
    );
  }
  const hallName = lang === 'en-US' && hall.hall.nameEn ? hall.hall.nameEn : hall.hall.name;
  const status = ticket ? TICKET_STATUS[ticket.status] : null;

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
              style={{ margin: '6px 0 16px' }}
            />
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
              disabled={!hall.hall.open || !MOBILE_PATTERN.test(phone) || !chosen}
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
          <Card data-testid="remote-ticket">
            <Flex vertical align="center" gap={4}>
              <Typography.Text type="secondary">{t('yourNumber')}</Typography.Text>
              <div style={{ fontSize: 56, fontWeight: 800, lineHeight: 1.1 }} data-testid="remote-number">
                {ticket.number}
              </div>
              <div>
                {lang === 'en-US' ? ticket.categoryNameEn : ticket.categoryName}{' '}
                {status && (
                  <Tag color={status.color} data-testid="remote-status">
                    {lang === 'en-US' ? status.en : status.zh}
                  </Tag>
                )}
              </div>
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                {t('takenAt', { time: timeIn(ticket.takenAt, hall.hall.timeZone) })}
                {active && (
                  <>
                    {' · '}
                    <span style={{ color: '#52c41a' }}>● {t('live')}</span>
                  </>
                )}
              </Typography.Text>
            </Flex>

            {ticket.status === 'waiting' && (
              <>
                <Flex justify="space-around" style={{ margin: '20px 0 8px' }}>
                  <Statistic
                    title={t('ahead')}
                    value={ticket.peopleAhead ?? 0}
                    suffix={t('people')}
                    data-testid="remote-ahead"
                  />
                  <Statistic
                    title={t('wait')}
                    value={
                      ticket.estimatedWaitMinutes === null
                        ? '—'
                        : Math.max(1, Math.round(ticket.estimatedWaitMinutes))
                    }
                    suffix={ticket.estimatedWaitMinutes === null ? undefined : t('minutes')}
                    data-testid="remote-wait"
                  />
                </Flex>
                {ticket.estimatedWaitMinutes === null && (
                  <Typography.Paragraph type="secondary" style={{ textAlign: 'center' }}>
                    {t('noCounter')}
                  </Typography.Paragraph>
                )}
                {ticket.nearFront && (
                  <Alert type="info" showIcon title={t('nearFront')} data-testid="remote-near-front" />
                )}
              </>
            )}
            {ticket.status === 'called' && ticket.counter && (
              <Result
                status="success"
                title={t('called', { n: ticket.counter.number })}
                data-testid="remote-called"
                style={{ padding: '16px 0' }}
              />
            )}
            {ticket.status === 'serving' && (
              <Result status="success" title={t('serving')} style={{ padding: '16px 0' }} />
            )}
            {['done', 'no_show', 'not_served'].includes(ticket.status) && (
              <Result status="info" title={t('finished')} style={{ padding: '16px 0' }} />
            )}
            {ticket.status === 'cancelled' && (
              <Result
                status="info"
                title={t('cancelled')}
                data-testid="remote-cancelled"
                style={{ padding: '16px 0' }}
              />
            )}

            {(ticket.status === 'waiting' || ticket.status === 'parked') && (
              <Popconfirm
                title={t('cancelConfirm')}
                okText={t('yes')}
                cancelText={t('no')}
                onConfirm={() => void cancel()}
                okButtonProps={buttonTestId('remote-cancel-confirm')}
              >
                <Button
                  danger
                  block
                  size="large"
                  loading={busy}
                  style={{ marginTop: 16 }}
                  data-testid="remote-cancel"
                >
                  {t('cancel')}
                </Button>
              </Popconfirm>
            )}
            {!active && (
              <Button block size="large" style={{ marginTop: 16 }} onClick={again} data-testid="remote-again">
                {t('again')}
              </Button>
            )}
          </Card>
        )}
      </div>
    </div>
  );
}

export default function RemotePage() {
  return <DevicePage kind="remote">{(d) => <Remote {...d} />}</DevicePage>;
}
