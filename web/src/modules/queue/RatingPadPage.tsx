/**
 * /pad — the counter's rating pad (服务评价器): a tablet facing the customer, paired with one counter by its
 * device token (`device_rating_pad`, opened once with `?token=…`). After the clerk finishes, it asks the
 * customer to rate the service 1–5 with optional reasons and a few words; one rating per finished ticket,
 * within the hall's rating window. Between customers it greets with the counter and the clerk's name.
 * While the counter has a visit awaiting the customer (issue #13) it is the customer's second screen: the
 * lines and the total, the service-password keypad and the signature (`PadVisit`).
 */
import {
  FrownFilled,
  FrownOutlined,
  MehOutlined,
  SmileFilled,
  SmileOutlined,
  StarFilled,
} from '@ant-design/icons';
import { Alert, Button, Flex, Input, Spin, Tag, Typography } from 'antd';
import { useCallback, useEffect, useMemo, useState } from 'react';
import { RATING_REASONS, RATING_REASON_CODES } from '../../../../src/modules/queue/clerk-contract.ts';
import type { PadState, RatingReason } from '../../../../src/modules/queue/clerk-contract.ts';
import { errorText } from '../../platform/api.ts';
import { useLang, useT } from '../../platform/i18n.tsx';
import { deviceToken, queueClient } from './client.ts';
import { PadVisit } from '../visits/PadVisit.tsx';
import type { PadVisitState } from '../visits/PadVisit.tsx';
import { AccessProblem } from './DevicePage.tsx';
import { useHallStream, useInterval } from './hooks.tsx';

const messages = {
  welcome: { zh: '欢迎光临', en: 'Welcome' },
  counter: { zh: '{n}号窗口', en: 'Counter {n}' },
  clerk: { zh: '服务人员：{name}', en: 'Served by {name}' },
  ask: { zh: '请您为本次服务评价', en: 'Please rate our service' },
  ticket: { zh: '号票 {number}', en: 'Ticket {number}' },
  why: { zh: '您的感受（可多选）', en: 'What stood out (optional)' },
  comment: { zh: '其他意见或建议（可选，100字以内）', en: 'Anything else (optional, up to 100 characters)' },
  submit: { zh: '提交评价', en: 'Send' },
  thanks: { zh: '感谢您的评价！', en: 'Thank you for your rating!' },
  thanksHint: { zh: '祝您生活愉快，欢迎再次光临', en: 'Have a nice day' },
  idleHint: {
    zh: '办理完毕后，请在此为我们的服务评价',
    en: 'When you are done, please rate our service here',
  },
  chooseScore: { zh: '请先选择满意程度', en: 'Choose a score first' },
  lang: { zh: 'English', en: '中文' },
};

/** The five faces of the pad, worst to best. */
const SCORES = [
  { score: 1, Face: FrownFilled, zh: '非常不满意', en: 'Very unsatisfied', color: '#cf1322' },
  { score: 2, Face: FrownOutlined, zh: '不满意', en: 'Unsatisfied', color: '#fa541c' },
  { score: 3, Face: MehOutlined, zh: '一般', en: 'Neutral', color: '#d48806' },
  { score: 4, Face: SmileOutlined, zh: '满意', en: 'Satisfied', color: '#52c41a' },
  { score: 5, Face: SmileFilled, zh: '非常满意', en: 'Very satisfied', color: '#389e0d' },
] as const;

/** Reasons that fit a score: praise for 4–5, complaints for 1–3. */
const PRAISE: readonly RatingReason[] = ['fast', 'friendly', 'expert'];
const reasonsFor = (score: number | null): RatingReason[] =>
  score === null ? [] : RATING_REASON_CODES.filter((r) => score >= 4 === PRAISE.includes(r));

export default function RatingPadPage() {
  const token = useMemo(() => deviceToken('pad'), []);
  const client = useMemo(() => queueClient(token), [token]);
  const { t, pick } = useT(messages);
  const { lang, setLang } = useLang();
  const [state, setState] = useState<PadState | null>(null);
  const [problem, setProblem] = useState<unknown>(null);
  const [score, setScore] = useState<number | null>(null);
  const [reasons, setReasons] = useState<RatingReason[]>([]);
  const [comment, setComment] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [thanked, setThanked] = useState<string | null>(null);
  const [visit, setVisit] = useState<PadVisitState | null>(null);

  const load = useCallback(async () => {
    try {
      const [pad, atCounter] = await Promise.all([
        client.get<PadState>('/api/rating-pad'),
        // The visit awaiting the customer; a pad without one (or a server without visits) rates as before.
        client.get<{ visit: PadVisitState | null }>('/api/counter-pad/visit').catch(() => ({ visit: null })),
      ]);
      setState(pad);
      setVisit(atCounter.visit && atCounter.visit.status !== 'closed' ? atCounter.visit : null);
      setProblem(null);
    } catch (e) {
      setProblem(e);
    }
  }, [client]);
  useEffect(() => {
    void load();
  }, [load]);
  // Faster while a visit is at the counter: the clerk's requests (password, signature) show at once.
  useInterval(() => void load(), visit ? 1500 : 5000);
  useHallStream(state?.hallId, token, () => void load());

  // A new ticket to rate: start afresh.
  const ticketId = state?.ticket?.id ?? null;
  useEffect(() => {
    setScore(null);
    setReasons([]);
    setComment('');
    setError(null);
  }, [ticketId]);
  // The thanks stay a few seconds.
  useEffect(() => {
    if (!thanked) return;
    const id = window.setTimeout(() => setThanked(null), 6000);
    return () => window.clearTimeout(id);
  }, [thanked]);

  const submit = async () => {
    if (!state?.ticket || score === null) return;
    setBusy(true);
    setError(null);
    try {
      await client.post('/api/rating-pad/ratings', {
        ticketId: state.ticket.id,
        score,
        reasons: reasons.filter((r) => reasonsFor(score).includes(r)),
        comment: comment.trim(),
      });
      setThanked(state.ticket.id);
      await load();
    } catch (e) {
      setError(e);
      await load();
    } finally {
      setBusy(false);
    }
  };

  if (problem && !state) return <AccessProblem kind="pad" error={problem} onRetry={() => void load()} />;
  if (!state) {
    return (
      <div style={{ padding: 96, textAlign: 'center' }}>
        <Spin size="large" />
      </div>
    );
  }

  const clerk = state.ticket?.clerkName || state.clerkName;
  return (
    <div
      data-testid="page-pad"
      style={{
        minHeight: '100vh',
        background: 'linear-gradient(160deg, #fff 0%, #fde8ea 100%)',
        display: 'flex',
        flexDirection: 'column',
        padding: '20px 32px',
        boxSizing: 'border-box',
      }}
    >
      <Flex justify="space-between" align="center" gap={16}>
        <Flex align="center" gap={12} style={{ minWidth: 0 }}>
          <span
            style={{
              background: '#c8102e',
              color: '#fff',
              borderRadius: 8,
              width: 40,
              height: 40,
              display: 'inline-flex',
              alignItems: 'center',
              justifyContent: 'center',
              fontSize: 22,
              fontWeight: 700,
              flex: 'none',
            }}
          >
            服
          </span>
          <Typography.Text strong style={{ fontSize: 20, whiteSpace: 'nowrap' }} ellipsis>
            {lang === 'zh-CN' ? state.hallName : state.hallNameEn || state.hallName}
          </Typography.Text>
          <Tag
            color="red"
            style={{ fontSize: 18, padding: '4px 12px', whiteSpace: 'nowrap' }}
            data-testid="pad-counter"
          >
            {t('counter', { n: state.counter.number })}
          </Tag>
        </Flex>
        <Button
          size="large"
          onClick={() => setLang(lang === 'zh-CN' ? 'en-US' : 'zh-CN')}
          data-testid="lang-switch"
        >
          {t('lang')}
        </Button>
      </Flex>

      {visit ? (
        <PadVisit visit={visit} client={client} onChanged={load} />
      ) : (
        <Flex vertical align="center" justify="center" gap={20} style={{ flex: 1, textAlign: 'center' }}>
          {thanked && !state.ticket ? (
            <div data-testid="pad-thanks">
              <SmileOutlined style={{ fontSize: 96, color: '#389e0d' }} />
              <Typography.Title level={1} style={{ margin: '16px 0 8px' }}>
                {t('thanks')}
              </Typography.Title>
              <Typography.Text style={{ fontSize: 22 }}>{t('thanksHint')}</Typography.Text>
            </div>
          ) : state.ticket ? (
            <>
              <Typography.Title level={1} style={{ margin: 0 }} data-testid="pad-ask">
                {t('ask')}
              </Typography.Title>
              <Typography.Text style={{ fontSize: 20 }} type="secondary">
                <span data-testid="pad-ticket">{t('ticket', { number: state.ticket.number })}</span>
                {clerk ? ` · ${t('clerk', { name: clerk })}` : ''}
              </Typography.Text>
              <Flex gap={16} wrap justify="center" role="radiogroup" aria-label={t('ask')}>
                {SCORES.map((s) => {
                  const chosen = score === s.score;
                  return (
                    <button
                      key={s.score}
                      type="button"
                      role="radio"
                      aria-checked={chosen}
                      data-testid={`pad-score-${s.score}`}
                      onClick={() => setScore(s.score)}
                      style={{
                        width: 150,
                        height: 150,
                        borderRadius: 20,
                        border: `3px solid ${chosen ? s.color : '#e5e5e5'}`,
                        background: chosen ? `${s.color}18` : '#fff',
                        cursor: 'pointer',
                        display: 'flex',
                        flexDirection: 'column',
                        alignItems: 'center',
                        justifyContent: 'center',
                        gap: 6,
                        boxShadow: chosen ? `0 4px 16px ${s.color}40` : '0 1px 4px rgba(0,0,0,0.06)',
                      }}
                    >
                      <s.Face style={{ fontSize: 52, color: s.color }} />
                      <span aria-hidden style={{ color: '#fadb14', fontSize: 16, letterSpacing: 1 }}>
                        {Array.from({ length: s.score }, (_, i) => (
                          <StarFilled key={i} />
                        ))}
                      </span>
                      <span style={{ fontSize: 18, fontWeight: 600, color: s.color, whiteSpace: 'nowrap' }}>
                        {pick(s)}
                      </span>
                    </button>
                  );
                })}
              </Flex>
              {score !== null && (
                <Flex vertical gap={12} align="center" style={{ width: '100%', maxWidth: 760 }}>
                  <Typography.Text style={{ fontSize: 18 }}>{t('why')}</Typography.Text>
                  <Flex gap={10} wrap justify="center">
                    {reasonsFor(score).map((r) => (
                      <Tag.CheckableTag
                        key={r}
                        checked={reasons.includes(r)}
                        onChange={(on) =>
                          setReasons((list) => (on ? [...list, r] : list.filter((x) => x !== r)))
                        }
                        data-testid={`pad-reason-${r}`}
                        style={{
                          fontSize: 18,
                          padding: '8px 16px',
                          border: '1px solid #d9d9d9',
                          borderRadius: 20,
                        }}
                      >
                        {pick(RATING_REASONS[r])}
                      </Tag.CheckableTag>
                    ))}
                  </Flex>
                  <Input.TextArea
                    value={comment}
                    onChange={(e) => setComment(e.target.value)}
                    maxLength={100}
                    showCount
                    autoSize={{ minRows: 2, maxRows: 3 }}
                    placeholder={t('comment')}
                    aria-label={t('comment')}
                    data-testid="pad-comment"
                    style={{ fontSize: 18 }}
                  />
                </Flex>
              )}
              {error !== null && (
                <Alert type="error" showIcon title={errorText(error, lang)} data-testid="pad-error" />
              )}
              <Button
                type="primary"
                size="large"
                disabled={score === null}
                loading={busy}
                onClick={() => void submit()}
                data-testid="pad-submit"
                style={{ minWidth: 260, height: 64, fontSize: 24 }}
              >
                {score === null ? t('chooseScore') : t('submit')}
              </Button>
            </>
          ) : (
            <div data-testid="pad-idle">
              <Typography.Title level={1} style={{ margin: 0, fontSize: 56 }}>
                {t('welcome')}
              </Typography.Title>
              {state.clerkName && (
                <Typography.Title level={3} style={{ margin: '16px 0 0' }} data-testid="pad-clerk">
                  {t('clerk', { name: state.clerkName })}
                </Typography.Title>
              )}
              <Typography.Paragraph type="secondary" style={{ fontSize: 20, marginTop: 24 }}>
                {t('idleHint')}
              </Typography.Paragraph>
            </div>
          )}
        </Flex>
      )}
    </div>
  );
}
