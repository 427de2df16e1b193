/**
 * /queue/guide — the floor guide's tablet (引导员): issue a ticket for a customer (with the phone number
 * for VIP/3G priority), check a customer in for an appointment, and pre-register (预登记/预受理) the
 * business and ID details on a waiting ticket so the counter finds them filled in.
 */
import { DesktopOutlined, FormOutlined, PrinterOutlined, ScheduleOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Col, Empty, Flex, Input, Row, Space, Table, Tag, Typography } from 'antd';
import { useCallback, useState } from 'react';
import type { z } from 'zod';
import type { CheckedIn, QueueState, Ticket } from '../../../../src/modules/queue/contract.ts';
import { PHONE_PATTERN } from '../../../../src/core/phone.ts';
import { api, errorText } from '../../platform/api.ts';
import { useFeedback } from '../../platform/feedback.ts';
import { useT } from '../../platform/i18n.tsx';
import { CLUB_TIERS } from '../../platform/labels.ts';
import { common } from '../../platform/messages.ts';
import { PageTitle } from '../../platform/Page.tsx';
import { HallSelect, useHallChoice, useLiveView } from './hooks.tsx';
import { CHANNELS } from './labels.ts';
import { PreRegisterModal } from './PreRegisterModal.tsx';
import { TicketSlip } from './TicketSlip.tsx';

const messages = {
  ...common,
  title: { zh: '引导取号', en: 'Floor guide' },
  issue: { zh: '为客户取号', en: 'Issue a ticket' },
  phone: { zh: '手机号码（可选，VIP/3G客户优先）', en: 'Phone (optional: VIP/3G priority)' },
  phoneInvalid: { zh: '请输入有效的手机号码', en: 'Enter a valid phone number' },
  chooseCategory: { zh: '选择业务类别取号', en: 'Choose the service to issue' },
  waitingN: { zh: '等待 {n}', en: '{n} waiting' },
  waitAbout: { zh: '约 {n} 分钟', en: '≈{n} min' },
  issued: { zh: '已取号 {number}', en: 'Issued {number}' },
  print: { zh: '打印号票', en: 'Print' },
  preRegister: { zh: '预登记', en: 'Pre-register' },
  edit: { zh: '修改', en: 'Edit' },
  checkIn: { zh: '预约签到', en: 'Appointment check-in' },
  checkInPhone: { zh: '预约时登记的手机号码', en: 'Phone number of the booking' },
  doCheckIn: { zh: '签到', en: 'Check in' },
  checkedIn: { zh: '签到成功：{number}', en: 'Checked in: {number}' },
  late: { zh: '已迟到，按普通客户取号：{number}', en: 'Late: ordinary ticket {number}' },
  waiting: { zh: '等候中的客户', en: 'Waiting customers' },
  number: { zh: '号码', en: 'Number' },
  category: { zh: '业务', en: 'Service' },
  customer: { zh: '客户', en: 'Customer' },
  waited: { zh: '已等待', en: 'Waited' },
  minutesN: { zh: '{n} 分钟', en: '{n} min' },
  channel: { zh: '渠道', en: 'Channel' },
  preReg: { zh: '预登记', en: 'Pre-reg.' },
  done: { zh: '已登记', en: 'Done' },
  notYet: { zh: '未登记', en: 'Not yet' },
  openKiosk: { zh: '打开取号机页面', en: 'Open the kiosk page' },
  openDisplay: { zh: '打开叫号屏', en: 'Open the display' },
  closed: { zh: '营业厅当前不在营业时间', en: 'The hall is closed now' },
  noWaiting: { zh: '暂无等候的客户', en: 'Nobody is waiting' },
};

type CheckedInReply = z.infer<typeof CheckedIn>;

export default function GuidePage() {
  const { t, pick, lang } = useT(messages);
  const feedback = useFeedback();
  const { hallId, setHallId, halls } = useHallChoice();
  const fetchState = useCallback((id: string) => api.get<QueueState>(`/api/halls/${id}/queue`), []);
  const live = useLiveView(hallId, fetchState, { everyMs: 10_000 });
  const state = live.view;
  const [phone, setPhone] = useState('');
  const [checkInPhone, setCheckInPhone] = useState('');
  const [issued, setIssued] = useState<Ticket | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const [preFor, setPreFor] = useState<string | null>(null);

  const issue = async (category: string) => {
    if (!hallId) return;
    setBusy(category);
    try {
      const ticket = await api.post<Ticket>(`/api/halls/${hallId}/tickets`, {
        category,
        ...(phone.trim() ? { phone: phone.trim() } : {}),
      });
      setIssued(ticket);
      setPhone('');
      feedback.success(t('issued', { number: ticket.number }));
      void live.reload();
    } catch (e) {
      feedback.error(e);
    } finally {
      setBusy(null);
    }
  };

  const checkIn = async () => {
    if (!hallId) return;
    setBusy('checkin');
    try {
      const r = await api.post<CheckedInReply>(`/api/halls/${hallId}/check-in`, {
        phone: checkInPhone.trim(),
      });
      setIssued(r.ticket);
      setCheckInPhone('');
      feedback.success(
        r.verdict === 'on_time'
          ? t('checkedIn', { number: r.ticket.number })
          : t('late', { number: r.ticket.number }),
      );
      void live.reload();
    } catch (e) {
      feedback.error(e);
    } finally {
      setBusy(null);
    }
  };

  const categoryName = (code: string) => {
    const c = state?.categories.find((x) => x.code === code);
    return c ? pick({ zh: c.name, en: c.nameEn }) : code;
  };
  const phoneBad = phone.trim() !== '' && !PHONE_PATTERN.test(phone.trim());

  return (
    <div data-testid="page-guide">
      <PageTitle
        title={t('title')}
        extra={
          <>
            {halls.length > 1 && <HallSelect halls={halls} value={hallId} onChange={setHallId} />}
            {hallId && (
              <>
                <Button icon={<DesktopOutlined />} href={`/kiosk/${hallId}`} target="_blank">
                  {t('openKiosk')}
                </Button>
                <Button icon={<DesktopOutlined />} href={`/display/${hallId}`} target="_blank">
                  {t('openDisplay')}
                </Button>
              </>
            )}
          </>
        }
      />
      {live.error !== null && !state && <Alert type="error" showIcon title={errorText(live.error, lang)} />}
      {state && !state.hall.open && (
        <Alert type="warning" showIcon title={t('closed')} style={{ marginBottom: 16 }} />
      )}
      <Row gutter={16}>
        <Col xs={24} lg={10}>
          <Card title={t('issue')} style={{ marginBottom: 16 }} loading={!state}>
            <Typography.Text>{t('phone')}</Typography.Text>
            <Input
              size="large"
              inputMode="tel"
              value={phone}
              maxLength={13}
              onChange={(e) => setPhone(e.target.value.replace(/[^\d-]/g, ''))}
              status={phoneBad ? 'error' : undefined}
              data-testid="guide-phone"
              style={{ margin: '6px 0 4px' }}
            />
            {phoneBad && <Typography.Text type="danger">{t('phoneInvalid')}</Typography.Text>}
            <Typography.Paragraph type="secondary" style={{ margin: '12px 0 8px' }}>
              {t('chooseCategory')}
            </Typography.Paragraph>
            <div
              style={{
                display: 'grid',
                gridTemplateColumns: 'repeat(auto-fill, minmax(150px, 1fr))',
                gap: 10,
              }}
            >
              {state?.categories.map((c) => (
                <Button
                  key={c.code}
                  size="large"
                  style={{ height: 72, display: 'flex', flexDirection: 'column', justifyContent: 'center' }}
                  loading={busy === c.code}
                  disabled={phoneBad || !state.hall.open || (busy !== null && busy !== c.code)}
                  onClick={() => void issue(c.code)}
                  data-testid={`guide-category-${c.code}`}
                >
                  <span style={{ fontSize: 17, fontWeight: 600 }}>{pick({ zh: c.name, en: c.nameEn })}</span>
                  <span style={{ fontSize: 12, color: '#8c8c8c' }} data-testid={`guide-wait-${c.code}`}>
                    {t('waitingN', { n: c.waiting })}
                    {c.estimatedWaitMinutes !== null &&
                      ` · ${t('waitAbout', { n: Math.max(1, c.estimatedWaitMinutes) })}`}
                  </span>
                </Button>
              ))}
            </div>
          </Card>

          <Card title={t('checkIn')} size="small" style={{ marginBottom: 16 }}>
            <Space.Compact style={{ width: '100%' }}>
              <Input
                placeholder={t('checkInPhone')}
                inputMode="tel"
                maxLength={13}
                value={checkInPhone}
                onChange={(e) => setCheckInPhone(e.target.value.replace(/[^\d-]/g, ''))}
                data-testid="guide-checkin-phone"
              />
              <Button
                type="primary"
                icon={<ScheduleOutlined />}
                loading={busy === 'checkin'}
                disabled={!PHONE_PATTERN.test(checkInPhone.trim())}
                onClick={() => void checkIn()}
                data-testid="guide-checkin"
              >
                {t('doCheckIn')}
              </Button>
            </Space.Compact>
          </Card>

          {issued && (
            <Card
              title={t('issued', { number: issued.number })}
              data-testid="guide-issued"
              extra={
                <Space>
                  <Button
                    icon={<FormOutlined />}
                    onClick={() => setPreFor(issued.id)}
                    data-testid="guide-issued-prereg"
                  >
                    {t('preRegister')}
                  </Button>
                  <Button icon={<PrinterOutlined />} onClick={() => window.print()}>
                    {t('print')}
                  </Button>
                </Space>
              }
            >
              <TicketSlip ticket={issued} timeZone={state?.hall.timeZone} />
            </Card>
          )}
        </Col>
        <Col xs={24} lg={14}>
          <Card title={t('waiting')} data-testid="guide-waiting" loading={!state}>
            <Table<QueueState['waiting'][number]>
              rowKey="id"
              size="middle"
              pagination={{ pageSize: 15, hideOnSinglePage: true }}
              dataSource={state?.waiting ?? []}
              locale={{
                emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('noWaiting')} />,
              }}
              columns={[
                {
                  title: t('number'),
                  dataIndex: 'number',
                  render: (n: string) => <b data-testid={`guide-row-${n}`}>{n}</b>,
                },
                { title: t('category'), dataIndex: 'category', render: (c: string) => categoryName(c) },
                {
                  title: t('customer'),
                  key: 'customer',
                  render: (_: unknown, w) => (
                    <Space size={2} wrap>
                      {w.vip && <Tag color="gold">VIP</Tag>}
                      {w.tier && w.tier !== 'ordinary' && (
                        <Tag color={CLUB_TIERS[w.tier].color}>{pick(CLUB_TIERS[w.tier])}</Tag>
                      )}
                      {w.is3g && <Tag color="cyan">3G</Tag>}
                    </Space>
                  ),
                },
                {
                  title: t('channel'),
                  dataIndex: 'channel',
                  render: (c: string) => (CHANNELS[c] ? pick(CHANNELS[c]!) : c),
                },
                {
                  title: t('waited'),
                  dataIndex: 'waitingMinutes',
                  render: (m: number) => t('minutesN', { n: Math.floor(m) }),
                },
                {
                  title: t('preReg'),
                  key: 'pre',
                  render: (_: unknown, w) => (
                    <Flex gap={6} align="center">
                      {w.preRegistered ? <Tag color="green">{t('done')}</Tag> : <Tag>{t('notYet')}</Tag>}
                      <Button
                        size="small"
                        icon={<FormOutlined />}
                        onClick={() => setPreFor(w.id)}
                        data-testid={`guide-prereg-${w.number}`}
                      >
                        {w.preRegistered ? t('edit') : t('preRegister')}
                      </Button>
                    </Flex>
                  ),
                },
              ]}
            />
          </Card>
        </Col>
      </Row>
      {preFor && (
        <PreRegisterModal
          ticketId={preFor}
          onClose={() => setPreFor(null)}
          onSaved={(tk) => {
            setPreFor(null);
            if (issued?.id === tk.id) setIssued(tk);
            void live.reload();
          }}
        />
      )}
    </div>
  );
}
