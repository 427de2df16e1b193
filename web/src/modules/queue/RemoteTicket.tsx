/**
 * A remote or followed ticket on a phone's screen: its number, status, place and expected wait while it
 * waits, the counter when called, and cancelling while it waits (the e-channel's remote page and the
 * page a slip's QR code opens).
 */
import { Alert, Button, Card, Flex, Popconfirm, Result, Statistic, Tag, Typography } from 'antd';
import type { Ticket } from '../../../../src/modules/queue/contract.ts';
import { useT } from '../../platform/i18n.tsx';
import { buttonTestId } from '../../platform/testid.ts';
import { timeIn } from './hooks.tsx';
import { TICKET_STATUS } from './labels.ts';

const messages = {
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
};

export const ACTIVE_STATUSES: readonly string[] = ['waiting', 'called', 'serving', 'parked'];

export function RemoteTicketCard({
  ticket,
  timeZone,
  busy,
  onCancel,
  onAgain,
}: {
  ticket: Ticket;
  timeZone: string;
  busy: boolean;
  onCancel: () => void;
  onAgain?: () => void;
}) {
  const { t, lang } = useT(messages);
  const status = TICKET_STATUS[ticket.status];
  const active = ACTIVE_STATUSES.includes(ticket.status);
  return (
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
          {t('takenAt', { time: timeIn(ticket.takenAt, timeZone) })}
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
          onConfirm={onCancel}
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
      {!active && onAgain && (
        <Button block size="large" style={{ marginTop: 16 }} onClick={onAgain} data-testid="remote-again">
          {t('again')}
        </Button>
      )}
    </Card>
  );
}
