/**
 * /m/t/:ticketId#<link> — what the QR code on a ticket slip opens on the customer's phone: that one ticket,
 * live (its place, expected wait, its call), and cancelling it while it waits. The slip's follow link is in
 * the address's fragment, which the browser never sends to a server; the page sends it in the
 * `X-Follow-Token` header (`/api/e/follow/…`). No login, no phone code; the link opens this ticket only and
 * stops at the end of its day.
 */
import { Alert, Button, Flex, Result, Spin } from 'antd';
import { useCallback, useEffect, useMemo, useState } from 'react';
import { useParams } from 'react-router';
import type { Ticket } from '../../../../src/modules/queue/contract.ts';
import { ApiError, errorText } from '../../platform/api.ts';
import { useLang, useT } from '../../platform/i18n.tsx';
import { followStream, queueClient } from './client.ts';
import { useCoalesced, useInterval } from './hooks.tsx';
import { ACTIVE_STATUSES, RemoteTicketCard } from './RemoteTicket.tsx';

const messages = {
  title: { zh: '我的排队号', en: 'My ticket' },
  gone: { zh: '此号票链接无效或已过期', en: 'This ticket link is not valid or has expired' },
  goneHint: {
    zh: '号票二维码仅限取号当日使用，且只能查看该号票。',
    en: 'A slip’s QR code works on the day of the ticket only, and for that ticket only.',
  },
  retry: { zh: '重试', en: 'Retry' },
  lang: { zh: 'English', en: '中文' },
};

const client = queueClient(null);

/** The slip's link from the address's fragment (`#<token>`). */
function linkOf(hash: string): string {
  return decodeURIComponent(hash.replace(/^#/, '')).trim();
}

function Followed({ ticketId, link }: { ticketId: string; link: string }) {
  const { t, lang } = useT(messages);
  const { setLang } = useLang();
  const [ticket, setTicket] = useState<Ticket | null>(null);
  const [problem, setProblem] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const headers = useMemo(() => ({ 'X-Follow-Token': link }), [link]);

  const load = useCallback(async () => {
    try {
      setTicket(await client.get<Ticket>(`/api/e/follow/${ticketId}`, undefined, headers));
      setProblem(null);
    } catch (e) {
      setProblem(e);
    }
  }, [ticketId, headers]);

  useEffect(() => {
    void load();
  }, [load]);
  const active = ticket !== null && ACTIVE_STATUSES.includes(ticket.status);
  const onStreamEvent = useCoalesced(() => void load(), 300);
  useEffect(() => {
    if (!active) return;
    return followStream(`/api/e/follow/${ticketId}/stream`, null, onStreamEvent, undefined, headers);
  }, [ticketId, active, headers, onStreamEvent]);
  useInterval(() => void load(), active ? 15_000 : null);

  const cancel = async () => {
    setBusy(true);
    setError(null);
    try {
      setTicket(await client.post<Ticket>(`/api/e/follow/${ticketId}/cancel`, {}, headers));
    } catch (e) {
      setError(errorText(e, lang));
    } finally {
      setBusy(false);
    }
  };

  const gone = problem instanceof ApiError && (problem.status === 404 || problem.status === 400);
  return (
    <div data-testid="page-follow" style={{ minHeight: '100vh', background: '#f5f5f5' }}>
      <div style={{ background: '#c8102e', color: '#fff', padding: '14px 16px' }}>
        <Flex justify="space-between" align="center">
          <span style={{ fontSize: 18, fontWeight: 600 }}>{t('title')}</span>
          <Button size="small" ghost onClick={() => setLang(lang === 'zh-CN' ? 'en-US' : 'zh-CN')}>
            {t('lang')}
          </Button>
        </Flex>
        {ticket && (
          <div style={{ fontSize: 16, marginTop: 4 }} data-testid="follow-hall-name">
            {ticket.hallName}
          </div>
        )}
      </div>
      <div style={{ maxWidth: 480, margin: '0 auto', padding: 16 }}>
        {error && (
          <Alert
            type="error"
            showIcon
            title={error}
            data-testid="follow-error"
            style={{ marginBottom: 12 }}
            closable={{ onClose: () => setError(null) }}
          />
        )}
        {gone && !ticket ? (
          <Result status="warning" title={t('gone')} subTitle={t('goneHint')} data-testid="follow-gone" />
        ) : problem && !ticket ? (
          <Result
            status="error"
            title={errorText(problem, lang)}
            extra={<Button onClick={() => void load()}>{t('retry')}</Button>}
          />
        ) : !ticket ? (
          <div style={{ padding: 64, textAlign: 'center' }}>
            <Spin size="large" />
          </div>
        ) : (
          <RemoteTicketCard
            ticket={ticket}
            timeZone="Asia/Shanghai"
            busy={busy}
            onCancel={() => void cancel()}
          />
        )}
      </div>
    </div>
  );
}

export default function FollowPage() {
  const { ticketId } = useParams();
  const link = linkOf(window.location.hash);
  if (!ticketId || !link) return <Followed ticketId={ticketId ?? '-'} link={link || '-'} />;
  return <Followed ticketId={ticketId} link={link} />;
}
