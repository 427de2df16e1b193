/** The 80 mm ticket slip the kiosk and the floor guide print (window.print prints only the slip). */
import { QRCode } from 'antd';
import type { Ticket } from '../../../../src/modules/queue/contract.ts';
import { useT } from '../../platform/i18n.tsx';
import { dateTimeIn } from './hooks.tsx';
import './queue.css';

const messages = {
  yourNumber: { zh: '您的排队号', en: 'Your number' },
  category: { zh: '业务类别', en: 'Service' },
  ahead: { zh: '前面等待', en: 'Ahead of you' },
  people: { zh: '{n} 人', en: '{n}' },
  wait: { zh: '预计等待', en: 'Estimated wait' },
  minutes: { zh: '约 {n} 分钟', en: 'about {n} min' },
  noCounter: { zh: '暂无台席开放', en: 'no counter open yet' },
  takenAt: { zh: '取号时间', en: 'Taken at' },
  priority: { zh: 'VIP/3G 优先服务', en: 'VIP/3G priority' },
  appointment: { zh: '预约客户', en: 'Appointment' },
  note: {
    zh: '请留意叫号屏及语音提示，过号请重新取号',
    en: 'Watch the display and listen for your number; a missed number needs a new ticket',
  },
  thanks: { zh: '中国联通 · 感谢您的耐心等候', en: 'China Unicom · Thank you for waiting' },
  scan: {
    zh: '手机扫码查看排队进度、取消排队（限当日）',
    en: 'Scan to follow your turn or cancel (today only)',
  },
};

/** The address a slip's QR code opens: the ticket's follow page, its link in the fragment (never sent to a server). */
export function followUrl(ticket: Ticket, origin = window.location.origin): string | null {
  if (!ticket.follow) return null;
  return `${origin}/m/t/${ticket.id}#${encodeURIComponent(ticket.follow.token)}`;
}

export function TicketSlip({ ticket, timeZone }: { ticket: Ticket; timeZone?: string }) {
  const { t, lang } = useT(messages);
  const category = lang === 'en-US' && ticket.categoryNameEn ? ticket.categoryNameEn : ticket.categoryName;
  const follow = followUrl(ticket);
  return (
    <div className="fuwu-slip" data-testid="ticket-slip">
      <div className="fuwu-slip-hall">{ticket.hallName}</div>
      <div style={{ textAlign: 'center', marginTop: '2mm' }}>{t('yourNumber')}</div>
      <div className="fuwu-slip-number" data-testid="slip-number">
        {ticket.number}
      </div>
      {(ticket.vip || ticket.channel === 'appointment') && (
        <div style={{ textAlign: 'center', fontWeight: 600 }}>
          {ticket.channel === 'appointment' ? t('appointment') : t('priority')}
        </div>
      )}
      <div className="fuwu-slip-row">
        <span>{t('category')}</span>
        <span data-testid="slip-category">{category}</span>
      </div>
      <div className="fuwu-slip-row">
        <span>{t('ahead')}</span>
        <span data-testid="slip-ahead">{t('people', { n: ticket.peopleAhead ?? 0 })}</span>
      </div>
      <div className="fuwu-slip-row">
        <span>{t('wait')}</span>
        <span data-testid="slip-wait">
          {ticket.estimatedWaitMinutes === null
            ? t('noCounter')
            : t('minutes', { n: Math.max(1, Math.round(ticket.estimatedWaitMinutes)) })}
        </span>
      </div>
      <div className="fuwu-slip-row">
        <span>{t('takenAt')}</span>
        <span>{dateTimeIn(ticket.takenAt, timeZone)}</span>
      </div>
      {follow && (
        <div className="fuwu-slip-qr" data-testid="slip-qr" data-url={follow}>
          <QRCode value={follow} type="svg" size={120} bordered={false} errorLevel="L" />
          <div>{t('scan')}</div>
        </div>
      )}
      <div className="fuwu-slip-note">{t('note')}</div>
      <div style={{ textAlign: 'center', fontSize: 10, marginTop: '1mm' }}>{t('thanks')}</div>
    </div>
  );
}
