/**
 * /kiosk/:hallId — the ticket kiosk (取号机): a full-screen touch page. Choose a service, optionally key in
 * a phone number (the server finds diamond/gold/3G customers and queues them as VIP), or check in for an
 * appointment by phone number; the 80 mm slip is shown and printed. Runs with the kiosk's device token
 * (`?token=…`) or a logged-in floor guide's or manager's session.
 */
import { ArrowLeftOutlined, FullscreenOutlined, PrinterOutlined, ScheduleOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Flex, Spin, Tag, Typography } from 'antd';
import { useCallback, useEffect, useRef, useState } from 'react';
import type { CheckedIn, KioskState, Ticket } from '../../../../src/modules/queue/contract.ts';
import { MOBILE_PATTERN } from '../../../../src/core/phone.ts';
import type { z } from 'zod';
import { errorText } from '../../platform/api.ts';
import { useLang, useT } from '../../platform/i18n.tsx';
import type { StreamEvent } from './client.ts';
import { AccessProblem, DevicePage } from './DevicePage.tsx';
import type { Device } from './DevicePage.tsx';
import { timeIn, useHallStream, useInterval, useServerClock } from './hooks.tsx';
import { Keypad, groupedPhone } from './Keypad.tsx';
import { TicketSlip } from './TicketSlip.tsx';
import './queue.css';

type CheckedInReply = z.infer<typeof CheckedIn>;

const messages = {
  welcome: { zh: '欢迎光临', en: 'Welcome' },
  choose: { zh: '请选择您要办理的业务', en: 'Please choose a service' },
  waiting: { zh: '等待 {n} 人', en: '{n} waiting' },
  about: { zh: '约 {n} 分钟', en: '≈ {n} min' },
  noCounter: { zh: '暂无台席', en: 'no counter open' },
  checkIn: { zh: '预约签到', en: 'Appointment check-in' },
  checkInHint: { zh: '已预约的客户请凭手机号签到', en: 'Booked customers check in with their phone number' },
  phoneTitle: { zh: '输入手机号码（可选）', en: 'Your mobile number (optional)' },
  phoneHint: {
    zh: '钻石卡、金卡会员及3G客户输入手机号可优先办理',
    en: 'Diamond and gold members and 3G customers are served first with their number',
  },
  checkInTitle: { zh: '请输入预约时登记的手机号码', en: 'The phone number you booked with' },
  skip: { zh: '不输入，直接取号', en: 'Skip — just a ticket' },
  take: { zh: '确认取号', en: 'Take a ticket' },
  doCheckIn: { zh: '签到取号', en: 'Check in' },
  back: { zh: '返回', en: 'Back' },
  print: { zh: '打印号票', en: 'Print' },
  done: { zh: '完成', en: 'Done' },
  autoBack: { zh: '{n} 秒后返回首页', en: 'Back to start in {n} s' },
  service: { zh: '业务：{name}', en: 'Service: {name}' },
  closed: { zh: '营业厅当前不在营业时间', en: 'The hall is closed now' },
  closesAt: { zh: '今日营业至 {time}', en: 'Open today until {time}' },
  onTime: { zh: '签到成功，您将优先办理', en: 'Checked in: you will be served first' },
  late: {
    zh: '您已超过预约时段，已为您按普通客户取号',
    en: 'You are past your slot: you have an ordinary ticket',
  },
  phoneInvalid: { zh: '请输入11位手机号码', en: 'Enter an 11-digit mobile number' },
  fullscreen: { zh: '全屏', en: 'Full screen' },
  attractTouch: { zh: '请触摸屏幕取号', en: 'Touch the screen to take a ticket' },
  attractOther: { zh: 'Touch the screen to take a ticket', en: '请触摸屏幕取号' },
  attractWaiting: { zh: '当前等候 {n} 人', en: '{n} waiting now' },
  lang: { zh: 'English', en: '中文' },
};

type Step =
  | { kind: 'home' }
  | { kind: 'phone'; category: KioskState['categories'][number] }
  | { kind: 'checkin' }
  | { kind: 'slip'; ticket: Ticket; verdict?: CheckedInReply['verdict'] };

const SLIP_SECONDS = 30;

function Kiosk({ client, hallId }: Device) {
  const { t, lang } = useT(messages);
  const { setLang } = useLang();
  const [state, setState] = useState<KioskState | null>(null);
  const [loadError, setLoadError] = useState<unknown>(null);
  const [step, setStep] = useState<Step>({ kind: 'home' });
  const [phone, setPhone] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [countdown, setCountdown] = useState(SLIP_SECONDS);
  const clock = useServerClock(1000);
  const { sync } = clock;
  const pending = useRef<number | null>(null);

  const load = useCallback(async () => {
    try {
      const s = await client.get<KioskState>(`/api/halls/${hallId}/kiosk`);
      setState(s);
      sync(s.at);
      setLoadError(null);
    } catch (e) {
      setLoadError(e);
    }
  }, [client, hallId, sync]);

  useEffect(() => {
    void load();
  }, [load]);
  useInterval(() => void load(), 30_000);
  const onEvent = useCallback(
    (e: StreamEvent) => {
      if (!e.event.startsWith('ticket.') && !e.event.startsWith('counter.') && e.event !== 'reconnected')
        return;
      if (pending.current !== null) return;
      pending.current = window.setTimeout(() => {
        pending.current = null;
        void load();
      }, 300);
    },
    [load],
  );
  useHallStream(state ? hallId : undefined, client.token, onEvent);

  const home = useCallback(() => {
    setStep({ kind: 'home' });
    setPhone('');
    setError(null);
  }, []);

  // The attract screen after `queue.kioskIdleMinutes` without a touch; a touch brings back the start.
  const [idle, setIdle] = useState(false);
  const lastTouch = useRef(Date.now());
  useEffect(() => {
    const touched = () => {
      lastTouch.current = Date.now();
    };
    const events = ['pointerdown', 'keydown', 'touchstart'] as const;
    for (const e of events) window.addEventListener(e, touched, { passive: true });
    return () => {
      for (const e of events) window.removeEventListener(e, touched);
    };
  }, []);
  const idleMs = (state?.idleMinutes ?? 1) * 60_000;
  useInterval(
    () => {
      if (Date.now() - lastTouch.current < idleMs || busy) return;
      setIdle(true);
      home();
      setLang('zh-CN');
    },
    idle ? null : 1000,
  );
  const wake = () => {
    lastTouch.current = Date.now();
    setIdle(false);
    home();
  };

  useInterval(
    () => {
      if (step.kind !== 'slip') return;
      setCountdown((n) => {
        if (n <= 1) {
          home();
          return SLIP_SECONDS;
        }
        return n - 1;
      });
    },
    step.kind === 'slip' ? 1000 : null,
  );

  const take = async (category: string, withPhone: string | null) => {
    setBusy(true);
    setError(null);
    try {
      const ticket = await client.post<Ticket>(`/api/halls/${hallId}/tickets`, {
        category,
        ...(withPhone ? { phone: withPhone } : {}),
      });
      setCountdown(SLIP_SECONDS);
      setStep({ kind: 'slip', ticket });
      setPhone('');
      void load();
    } catch (e) {
      setError(errorText(e, lang));
    } finally {
      setBusy(false);
    }
  };

  const checkIn = async () => {
    setBusy(true);
    setError(null);
    try {
      const reply = await client.post<CheckedInReply>(`/api/halls/${hallId}/check-in`, { phone });
      setCountdown(SLIP_SECONDS);
      setStep({ kind: 'slip', ticket: reply.ticket, verdict: reply.verdict });
      setPhone('');
      void load();
    } catch (e) {
      setError(errorText(e, lang));
    } finally {
      setBusy(false);
    }
  };

  if (loadError && !state) {
    return <AccessProblem kind="kiosk" error={loadError} onRetry={() => void load()} />;
  }
  if (!state) {
    return (
      <div style={{ padding: 96, textAlign: 'center' }}>
        <Spin size="large" />
      </div>
    );
  }

  const hallName = lang === 'en-US' && state.hall.nameEn ? state.hall.nameEn : state.hall.name;
  const notice = state.notices.map((n) => (lang === 'en-US' && n.en ? n.en : n.zh)).join('　　');
  const big = { fontSize: 26, height: 72, paddingInline: 32 };

  return (
    <div
      data-testid="page-kiosk"
      style={{
        minHeight: '100vh',
        background: 'linear-gradient(180deg, #fff5f5 0%, #f5f7fa 40%)',
        display: 'flex',
        flexDirection: 'column',
      }}
    >
      <Flex
        align="center"
        justify="space-between"
        className="kiosk-header"
        style={{ background: '#c8102e', color: '#fff', padding: '16px 32px', gap: 16 }}
      >
        <div>
          <div style={{ fontSize: 16, opacity: 0.85 }}>{t('welcome')}</div>
          <div style={{ fontSize: 30, fontWeight: 700 }} data-testid="kiosk-hall-name">
            {hallName}
          </div>
        </div>
        <Flex align="center" gap={16}>
          <span style={{ fontSize: 40, fontWeight: 600, fontVariantNumeric: 'tabular-nums' }}>
            {timeIn(new Date(clock.now).toISOString(), state.hall.timeZone)}
          </span>
          <Button
            size="large"
            ghost
            data-testid="kiosk-lang"
            onClick={() => setLang(lang === 'zh-CN' ? 'en-US' : 'zh-CN')}
          >
            {t('lang')}
          </Button>
          <Button
            size="large"
            ghost
            icon={<FullscreenOutlined />}
            aria-label={t('fullscreen')}
            onClick={() => void document.documentElement.requestFullscreen?.().catch(() => undefined)}
          />
        </Flex>
      </Flex>
      {notice && (
        <div
          style={{
            background: '#fff1b8',
            color: '#614700',
            overflow: 'hidden',
            fontSize: 20,
            padding: '8px 0',
          }}
        >
          <span className="fuwu-marquee">{notice}</span>
        </div>
      )}

      <div
        style={{
          flex: 1,
          padding: '24px 32px',
          maxWidth: 1280,
          width: '100%',
          margin: '0 auto',
          boxSizing: 'border-box',
        }}
      >
        {!state.hall.open && (
          <Alert
            type="warning"
            showIcon
            data-testid="kiosk-closed"
            style={{ fontSize: 20, marginBottom: 24 }}
            title={t('closed')}
          />
        )}
        {error && (
          <Alert
            type="error"
            showIcon
            closable={{ onClose: () => setError(null) }}
            data-testid="kiosk-error"
            style={{ fontSize: 20, marginBottom: 24 }}
            title={error}
          />
        )}

        {step.kind === 'home' && (
          <>
            <Typography.Title level={2} style={{ textAlign: 'center', margin: '8px 0 24px' }}>
              {t('choose')}
            </Typography.Title>
            <div
              style={{
                display: 'grid',
                gridTemplateColumns: 'repeat(auto-fill, minmax(320px, 1fr))',
                gap: 20,
              }}
            >
              {state.categories.map((c) => (
                <button
                  key={c.code}
                  type="button"
                  data-testid={`kiosk-category-${c.code}`}
                  disabled={!state.hall.open}
                  onClick={() => {
                    setError(null);
                    setPhone('');
                    setStep({ kind: 'phone', category: c });
                  }}
                  style={{
                    cursor: state.hall.open ? 'pointer' : 'not-allowed',
                    border: 'none',
                    borderRadius: 16,
                    padding: '28px 24px',
                    background: state.hall.open ? '#fff' : '#f0f0f0',
                    boxShadow: '0 4px 14px rgba(200,16,46,0.12)',
                    borderLeft: '10px solid #c8102e',
                    textAlign: 'left',
                    minHeight: 150,
                  }}
                >
                  <div style={{ fontSize: 36, fontWeight: 700, color: '#1f1f1f' }}>
                    {lang === 'en-US' ? c.nameEn : c.name}
                  </div>
                  <div style={{ fontSize: 18, color: '#8c8c8c' }}>{lang === 'en-US' ? c.name : c.nameEn}</div>
                  <div style={{ fontSize: 20, color: '#c8102e', marginTop: 12 }}>
                    {t('waiting', { n: c.waiting })}
                    {' · '}
                    {c.estimatedWaitMinutes === null
                      ? t('noCounter')
                      : t('about', { n: Math.max(1, c.estimatedWaitMinutes) })}
                  </div>
                </button>
              ))}
            </div>
            <Flex justify="center" style={{ marginTop: 32 }}>
              <Button
                size="large"
                icon={<ScheduleOutlined />}
                data-testid="kiosk-checkin"
                disabled={!state.hall.open}
                onClick={() => {
                  setError(null);
                  setPhone('');
                  setStep({ kind: 'checkin' });
                }}
                style={{ ...big, borderColor: '#c8102e', color: '#c8102e' }}
              >
                {t('checkIn')}
              </Button>
            </Flex>
            <Typography.Paragraph
              type="secondary"
              style={{ textAlign: 'center', fontSize: 18, marginTop: 8 }}
            >
              {t('checkInHint')}
            </Typography.Paragraph>
          </>
        )}

        {(step.kind === 'phone' || step.kind === 'checkin') && (
          <Card className="fuwu-kiosk-step" styles={{ body: { padding: 24 } }} data-testid="kiosk-step">
            <div className="fuwu-kiosk-step-grid">
              <div className="fuwu-kiosk-step-info">
                <Button size="large" icon={<ArrowLeftOutlined />} onClick={home} data-testid="kiosk-back">
                  {t('back')}
                </Button>
                <Typography.Title level={2} style={{ textAlign: 'center', margin: '12px 0 4px' }}>
                  {step.kind === 'phone'
                    ? t('service', { name: lang === 'en-US' ? step.category.nameEn : step.category.name })
                    : t('checkIn')}
                </Typography.Title>
                <Typography.Title level={4} style={{ textAlign: 'center', margin: 0 }}>
                  {step.kind === 'phone' ? t('phoneTitle') : t('checkInTitle')}
                </Typography.Title>
                {step.kind === 'phone' && (
                  <Typography.Paragraph
                    type="secondary"
                    style={{ textAlign: 'center', fontSize: 18, margin: '8px 0 0' }}
                  >
                    {t('phoneHint')}
                  </Typography.Paragraph>
                )}
                <div
                  data-testid="kiosk-phone"
                  style={{
                    fontSize: 44,
                    letterSpacing: 4,
                    textAlign: 'center',
                    border: '2px solid #d9d9d9',
                    borderRadius: 12,
                    height: 80,
                    lineHeight: '76px',
                    margin: '16px auto 0',
                    maxWidth: 420,
                    fontVariantNumeric: 'tabular-nums',
                    whiteSpace: 'nowrap',
                  }}
                >
                  {groupedPhone(phone) || ' '}
                </div>
                <Typography.Paragraph
                  type="warning"
                  style={{ textAlign: 'center', fontSize: 18, margin: '8px 0 0', minHeight: 28 }}
                >
                  {phone.length > 0 && !MOBILE_PATTERN.test(phone) ? t('phoneInvalid') : ''}
                </Typography.Paragraph>
              </div>
              <div className="fuwu-kiosk-step-pad">
                <Keypad value={phone} onChange={setPhone} testId="kiosk-key" />
              </div>
              <Flex className="fuwu-kiosk-step-actions" justify="center" gap={16} wrap>
                {step.kind === 'phone' ? (
                  <>
                    <Button
                      size="large"
                      style={big}
                      loading={busy}
                      data-testid="kiosk-skip"
                      onClick={() => void take(step.category.code, null)}
                    >
                      {t('skip')}
                    </Button>
                    <Button
                      size="large"
                      type="primary"
                      style={big}
                      loading={busy}
                      disabled={!MOBILE_PATTERN.test(phone)}
                      data-testid="kiosk-take"
                      onClick={() => void take(step.category.code, phone)}
                    >
                      {t('take')}
                    </Button>
                  </>
                ) : (
                  <Button
                    size="large"
                    type="primary"
                    style={big}
                    loading={busy}
                    disabled={!MOBILE_PATTERN.test(phone)}
                    data-testid="kiosk-checkin-submit"
                    onClick={() => void checkIn()}
                  >
                    {t('doCheckIn')}
                  </Button>
                )}
              </Flex>
            </div>
          </Card>
        )}

        {step.kind === 'slip' && (
          <Flex vertical align="center" gap={20}>
            {step.verdict && (
              <Alert
                type={step.verdict === 'on_time' ? 'success' : 'warning'}
                showIcon
                data-testid="kiosk-verdict"
                style={{ fontSize: 20 }}
                title={step.verdict === 'on_time' ? t('onTime') : t('late')}
              />
            )}
            {step.ticket.vip && !step.verdict && <Tag color="gold">VIP / 3G</Tag>}
            <div className="fuwu-slip-zoom">
              <TicketSlip ticket={step.ticket} timeZone={state.hall.timeZone} />
            </div>
            <Flex gap={16}>
              <Button
                size="large"
                type="primary"
                icon={<PrinterOutlined />}
                style={big}
                data-testid="kiosk-print"
                onClick={() => window.print()}
              >
                {t('print')}
              </Button>
              <Button size="large" style={big} data-testid="kiosk-done" onClick={home}>
                {t('done')}
              </Button>
            </Flex>
            <Typography.Text type="secondary" style={{ fontSize: 18 }}>
              {t('autoBack', { n: countdown })}
            </Typography.Text>
          </Flex>
        )}
      </div>
      {idle && (
        <button type="button" className="fuwu-kiosk-attract" data-testid="kiosk-attract" onClick={wake}>
          <div style={{ fontSize: 'clamp(28px, 4vh, 48px)', opacity: 0.9 }}>{t('welcome')}</div>
          <div style={{ fontSize: 'clamp(40px, 7vh, 88px)', fontWeight: 800 }}>{hallName}</div>
          <div
            style={{
              fontSize: 'clamp(56px, 10vh, 140px)',
              fontWeight: 700,
              fontVariantNumeric: 'tabular-nums',
            }}
          >
            {timeIn(new Date(clock.now).toISOString(), state.hall.timeZone)}
          </div>
          <div
            className="fuwu-kiosk-attract-touch"
            style={{ fontSize: 'clamp(36px, 6vh, 80px)', fontWeight: 700 }}
          >
            {t('attractTouch')}
          </div>
          <div style={{ fontSize: 'clamp(20px, 3vh, 36px)', opacity: 0.85 }}>{t('attractOther')}</div>
          <div style={{ fontSize: 'clamp(20px, 3vh, 36px)', opacity: 0.85 }}>
            {t('attractWaiting', { n: state.categories.reduce((n, c) => n + c.waiting, 0) })}
          </div>
        </button>
      )}
      {state.hall.closesAt && state.hall.open && (
        <div style={{ textAlign: 'center', color: '#8c8c8c', padding: 12, fontSize: 16 }}>
          {t('closesAt', { time: timeIn(state.hall.closesAt, state.hall.timeZone) })}
        </div>
      )}
    </div>
  );
}

export default function KioskPage() {
  return <DevicePage kind="kiosk">{(d) => <Kiosk {...d} />}</DevicePage>;
}
