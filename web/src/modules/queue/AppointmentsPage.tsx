/**
 * /queue/appointments — appointments (预约办理, 2§3.6.6): club diamond and gold members and 3G VIP customers
 * book a slot of a day (each slot has a capacity); the day's bookings with their state; cancel a booking.
 * Checking in happens at the kiosk or with the floor guide, by phone number.
 */
import { ReloadOutlined } from '@ant-design/icons';
import {
  Alert,
  Button,
  Card,
  DatePicker,
  Empty,
  Flex,
  Form,
  Input,
  Popconfirm,
  Select,
  Table,
  Tag,
  Tooltip,
} from 'antd';
import dayjs from 'dayjs';
import type { Dayjs } from 'dayjs';
import { useCallback, useEffect, useState } from 'react';
import type { z } from 'zod';
import type { Appointment, HallQueueConfigView, Slots } from '../../../../src/modules/queue/contract.ts';
import { PHONE_PATTERN } from '../../../../src/core/phone.ts';
import { FormModal } from '../../platform/FormModal.tsx';
import { api, errorText } from '../../platform/api.ts';
import { useFeedback } from '../../platform/feedback.ts';
import { useT } from '../../platform/i18n.tsx';
import { CLUB_TIERS } from '../../platform/labels.ts';
import { common } from '../../platform/messages.ts';
import { PageTitle } from '../../platform/Page.tsx';
import { buttonTestId } from '../../platform/testid.ts';
import { HallSelect, timeIn, useHallChoice } from './hooks.tsx';
import { APPOINTMENT_STATUS } from './labels.ts';

type SlotList = z.infer<typeof Slots>;
type Slot = SlotList['slots'][number];

const messages = {
  ...common,
  title: { zh: '预约办理', en: 'Appointments' },
  intro: {
    zh: '钻石卡、金卡会员及3G VIP客户可预约办理时段；到厅后在取号机或引导台凭手机号签到，优先叫号。',
    en: 'Diamond and gold members and 3G VIP customers book a slot; at the hall they check in with their phone number at the kiosk or the floor guide and are called first.',
  },
  date: { zh: '日期', en: 'Date' },
  slots: { zh: '可预约时段', en: 'Slots' },
  free: { zh: '余 {n}', en: '{n} free' },
  full: { zh: '已约满', en: 'Full' },
  past: { zh: '已过', en: 'Past' },
  book: { zh: '预约', en: 'Book' },
  bookTitle: { zh: '预约 {time}', en: 'Book {time}' },
  phone: { zh: '客户手机号码', en: 'Customer’s phone' },
  phoneRule: { zh: '请输入有效的电话号码', en: 'Enter a valid phone number' },
  category: { zh: '办理业务', en: 'Service' },
  booked: { zh: '已预约 {time}', en: 'Booked {time}' },
  list: { zh: '当日预约', en: 'Bookings of the day' },
  slot: { zh: '时段', en: 'Slot' },
  customer: { zh: '客户', en: 'Customer' },
  state: { zh: '状态', en: 'State' },
  ticket: { zh: '号票', en: 'Ticket' },
  cancelBooking: { zh: '取消预约', en: 'Cancel' },
  cancelConfirm: { zh: '确定取消此预约？', en: 'Cancel this booking?' },
  cancelled: { zh: '预约已取消', en: 'Booking cancelled' },
  noSlots: { zh: '该日不营业或没有可预约的时段', en: 'The hall is closed that day or has no slots' },
  noBookings: { zh: '当日没有预约', en: 'No bookings that day' },
  is3g: { zh: '3G', en: '3G' },
};

export default function AppointmentsPage() {
  const { t, pick, lang } = useT(messages);
  const feedback = useFeedback();
  const { hallId, setHallId, halls, hall } = useHallChoice();
  const timeZone = hall?.timeZone ?? 'Asia/Shanghai';
  const [date, setDate] = useState<Dayjs | null>(null);
  const [serverNow, setServerNow] = useState<number | null>(null);
  const [slots, setSlots] = useState<SlotList | null>(null);
  const [list, setList] = useState<Appointment[]>([]);
  const [config, setConfig] = useState<HallQueueConfigView | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [loading, setLoading] = useState(false);
  const [booking, setBooking] = useState<Slot | null>(null);

  // The server's today (its clock may differ from the browser's).
  useEffect(() => {
    let live = true;
    api
      .get<{ time: string }>('/api/health')
      .then((h) => {
        if (!live) return;
        setServerNow(Date.parse(h.time));
        setDate(dayjs(new Date(h.time).toLocaleDateString('en-CA', { timeZone })));
      })
      .catch(() => live && setDate(dayjs()));
    return () => {
      live = false;
    };
  }, [timeZone]);

  useEffect(() => {
    if (!hallId) return;
    api
      .get<HallQueueConfigView>(`/api/halls/${hallId}/queue-config`)
      .then(setConfig)
      .catch(() => setConfig(null));
  }, [hallId]);

  const load = useCallback(async () => {
    if (!hallId || !date) return;
    const d = date.format('YYYY-MM-DD');
    setLoading(true);
    setError(null);
    try {
      const [s, l, h] = await Promise.all([
        api.get<SlotList>(`/api/halls/${hallId}/appointment-slots`, { date: d }),
        api.get<Appointment[]>(`/api/halls/${hallId}/appointments`, { date: d }),
        api.get<{ time: string }>('/api/health'),
      ]);
      setSlots(s);
      setList(l);
      setServerNow(Date.parse(h.time));
    } catch (e) {
      setError(e);
      setSlots(null);
      setList([]);
    } finally {
      setLoading(false);
    }
  }, [hallId, date]);

  useEffect(() => {
    void load();
  }, [load]);

  const cancel = async (a: Appointment) => {
    try {
      await api.post<Appointment>(`/api/appointments/${a.id}/cancel`);
      feedback.success(t('cancelled'));
      await load();
    } catch (e) {
      feedback.error(e);
    }
  };

  const categoryName = (code: string) => {
    const c = config?.categories.find((x) => x.code === code);
    return c ? pick({ zh: c.name, en: c.nameEn }) : code;
  };

  return (
    <div data-testid="page-appointments">
      <PageTitle
        title={t('title')}
        extra={
          <>
            {halls.length > 1 && <HallSelect halls={halls} value={hallId} onChange={setHallId} />}
            <DatePicker
              value={date}
              allowClear={false}
              onChange={(d) => d && setDate(d)}
              data-testid="appointments-date"
            />
            <Tooltip title={t('refresh')}>
              <Button icon={<ReloadOutlined />} onClick={() => void load()} aria-label={t('refresh')} />
            </Tooltip>
          </>
        }
      />
      <Alert type="info" showIcon title={t('intro')} style={{ marginBottom: 16 }} />
      {error !== null && (
        <Alert type="error" showIcon title={errorText(error, lang)} style={{ marginBottom: 16 }} />
      )}
      <Card
        title={t('slots')}
        style={{ marginBottom: 16 }}
        loading={loading && !slots}
        data-testid="appointment-slots"
      >
        {slots && slots.slots.length === 0 && <Empty description={t('noSlots')} />}
        <div
          style={{ display: 'grid', gridTemplateColumns: 'repeat(auto-fill, minmax(150px, 1fr))', gap: 10 }}
        >
          {slots?.slots.map((s) => {
            const past = serverNow !== null && Date.parse(s.start) <= serverNow;
            const label = `${timeIn(s.start, timeZone)}–${timeIn(s.end, timeZone)}`;
            return (
              <Button
                key={s.start}
                style={{ height: 64, display: 'flex', flexDirection: 'column', justifyContent: 'center' }}
                disabled={past || s.free === 0}
                onClick={() => setBooking(s)}
                data-testid={`slot-${timeIn(s.start, timeZone).replace(':', '')}`}
              >
                <span style={{ fontWeight: 600 }}>{label}</span>
                <span style={{ fontSize: 12, color: s.free === 0 ? '#cf1322' : '#52c41a' }}>
                  {past ? t('past') : s.free === 0 ? t('full') : t('free', { n: s.free })} · {s.booked}/
                  {slots.capacity}
                </span>
              </Button>
            );
          })}
        </div>
      </Card>
      <Card title={t('list')}>
        <Table<Appointment>
          rowKey="id"
          size="middle"
          loading={loading}
          pagination={false}
          dataSource={list}
          data-testid="appointments-table"
          locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('noBookings')} /> }}
          columns={[
            {
              title: t('slot'),
              key: 'slot',
              render: (_: unknown, a) => `${timeIn(a.slotStart, timeZone)}–${timeIn(a.slotEnd, timeZone)}`,
            },
            { title: t('category'), dataIndex: 'category', render: (c: string) => categoryName(c) },
            {
              title: t('customer'),
              key: 'customer',
              render: (_: unknown, a) => (
                <Flex gap={4} wrap>
                  <span>{a.phone}</span>
                  {a.tier && <Tag color={CLUB_TIERS[a.tier].color}>{pick(CLUB_TIERS[a.tier])}</Tag>}
                  {a.is3g && <Tag color="cyan">{t('is3g')}</Tag>}
                </Flex>
              ),
            },
            {
              title: t('state'),
              dataIndex: 'status',
              render: (s: string) => {
                const st = APPOINTMENT_STATUS[s];
                return (
                  <Tag color={st?.color} data-testid="appointment-status">
                    {st ? pick(st) : s}
                  </Tag>
                );
              },
            },
            {
              title: t('actions'),
              key: 'actions',
              render: (_: unknown, a) =>
                a.status === 'booked' ? (
                  <Popconfirm
                    title={t('cancelConfirm')}
                    okText={t('ok')}
                    cancelText={t('cancel')}
                    onConfirm={() => void cancel(a)}
                    okButtonProps={buttonTestId('appointment-cancel-confirm')}
                  >
                    <Button size="small" danger data-testid="appointment-cancel">
                      {t('cancelBooking')}
                    </Button>
                  </Popconfirm>
                ) : null,
            },
          ]}
        />
      </Card>
      {booking && hallId && (
        <BookModal
          hallId={hallId}
          slot={booking}
          timeZone={timeZone}
          categories={(config?.categories ?? []).map((c) => ({
            value: c.code,
            label: pick({ zh: c.name, en: c.nameEn }),
          }))}
          onClose={() => setBooking(null)}
          onBooked={() => {
            setBooking(null);
            void load();
          }}
        />
      )}
    </div>
  );
}

function BookModal({
  hallId,
  slot,
  timeZone,
  categories,
  onClose,
  onBooked,
}: {
  hallId: string;
  slot: Slot;
  timeZone: string;
  categories: { value: string; label: string }[];
  onClose: () => void;
  onBooked: () => void;
}) {
  const { t } = useT(messages);
  const feedback = useFeedback();
  const [form] = Form.useForm<{ phone: string; category: string }>();
  const time = `${timeIn(slot.start, timeZone)}–${timeIn(slot.end, timeZone)}`;
  const submit = async () => {
    const v = await form.validateFields();
    try {
      await api.post<Appointment>(`/api/halls/${hallId}/appointments`, {
        phone: v.phone.trim(),
        category: v.category,
        slotStart: slot.start,
      });
      feedback.success(t('booked', { time }));
      onBooked();
    } catch (e) {
      feedback.formError(form, e);
    }
  };
  return (
    <FormModal
      title={t('bookTitle', { time })}
      onCancel={onClose}
      onSubmit={submit}
      okText={t('book')}
      okButtonProps={buttonTestId('book-submit')}
    >
      <Form form={form} layout="vertical" initialValues={{ category: categories[0]?.value }}>
        <Form.Item
          name="phone"
          label={t('phone')}
          rules={[{ required: true, pattern: PHONE_PATTERN, message: t('phoneRule') }]}
        >
          <Input inputMode="tel" maxLength={13} data-testid="book-phone" />
        </Form.Item>
        <Form.Item name="category" label={t('category')} rules={[{ required: true }]}>
          <Select options={categories} data-testid="book-category" />
        </Form.Item>
      </Form>
    </FormModal>
  );
}
