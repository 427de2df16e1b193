/**
 * The clerk's parts of the counter page (issue #12): the clerk's own figures of the day (served, average
 * handling time, share within the transaction limit, customers' ratings), and calling a specific ticket
 * number with a reason instead of the next.
 */
import { AutoComplete, Card, Col, Form, Input, Row, Select, Statistic, Tooltip } from 'antd';
import { useEffect, useState } from 'react';
import { CALL_REASONS, CALL_REASON_CODES } from '../../../../src/modules/queue/clerk-contract.ts';
import type { CallReason, ClerkDay } from '../../../../src/modules/queue/clerk-contract.ts';
import type { QueueState, Ticket } from '../../../../src/modules/queue/contract.ts';
import { FormModal } from '../../platform/FormModal.tsx';
import { api } from '../../platform/api.ts';
import { useFeedback } from '../../platform/feedback.ts';
import { useT } from '../../platform/i18n.tsx';
import { common } from '../../platform/messages.ts';
import { buttonTestId } from '../../platform/testid.ts';

const messages = {
  ...common,
  myDay: { zh: '我的今日业绩', en: 'My day' },
  served: { zh: '已服务', en: 'Served' },
  people: { zh: '人', en: '' },
  average: { zh: '平均办理时长', en: 'Average handling' },
  minutes: { zh: '分钟', en: 'min' },
  within: { zh: '{n} 分钟内办结', en: 'Within {n} min' },
  withinHint: {
    zh: '办理时长（开始办理至业务办理完毕，不含营销）不超过单项业务办理时限的占比',
    en: 'Share handled (start to business done, selling not counted) within the single-transaction limit',
  },
  rating: { zh: '客户评价', en: 'Customer rating' },
  ratingCount: { zh: '{n} 次评价', en: '{n} ratings' },
  noRating: { zh: '暂无评价', en: 'No ratings yet' },
  callNumber: { zh: '叫指定号', en: 'Call a number' },
  callNumberTitle: { zh: '叫指定号码', en: 'Call a specific number' },
  number: { zh: '号码', en: 'Ticket number' },
  numberRule: { zh: '请输入号码，如 A012', en: 'Enter a ticket number such as A012' },
  reason: { zh: '原因', en: 'Reason' },
  reasonRule: { zh: '请选择原因', en: 'Choose a reason' },
  note: { zh: '说明', en: 'Note' },
  noteRule: { zh: '选择“其他原因”时请写明原因（2–100 字）', en: 'Say why in 2 to 100 characters' },
  noteHint: { zh: '可选；选“其他原因”时必填', en: 'Optional; required for “Other”' },
  callOk: { zh: '已呼叫 {number}', en: 'Called {number}' },
};

/**
 * The clerk's own figures today at the hall; reloaded whenever `refresh` changes (each new view of the
 * hall's state, which is fetched again on every event of the hall).
 */
export function MyDay({ hallId, refresh }: { hallId: string; refresh: unknown }) {
  const { t } = useT(messages);
  const [day, setDay] = useState<ClerkDay | null>(null);
  useEffect(() => {
    let alive = true;
    api
      .get<ClerkDay>('/api/queue/my-day', { hallId })
      .then((d) => alive && setDay(d))
      .catch(() => alive && setDay(null));
    return () => {
      alive = false;
    };
  }, [hallId, refresh]);
  const share = day?.handling.withinLimitShare ?? null;
  return (
    <Card size="small" title={t('myDay')} style={{ marginBottom: 16 }} data-testid="my-day" loading={!day}>
      {day && (
        <Row gutter={[16, 8]}>
          <Col xs={12} md={6}>
            <Statistic
              title={t('served')}
              value={day.served}
              suffix={t('people')}
              data-testid="my-day-served"
            />
          </Col>
          <Col xs={12} md={6}>
            <Statistic
              title={t('average')}
              value={day.handling.averageMinutes ?? '—'}
              precision={day.handling.averageMinutes === null ? undefined : 1}
              suffix={day.handling.averageMinutes === null ? undefined : t('minutes')}
              data-testid="my-day-average"
            />
          </Col>
          <Col xs={12} md={6}>
            <Tooltip title={t('withinHint')}>
              <Statistic
                title={t('within', { n: day.transactionMinutes })}
                value={share === null ? '—' : Math.round(share * 1000) / 10}
                suffix={share === null ? undefined : '%'}
                data-testid="my-day-within"
              />
            </Tooltip>
          </Col>
          <Col xs={12} md={6}>
            <Statistic
              title={t('rating')}
              value={day.ratings.average ?? '—'}
              precision={day.ratings.average === null ? undefined : 1}
              suffix={
                day.ratings.count > 0 ? `/ 5 · ${t('ratingCount', { n: day.ratings.count })}` : t('noRating')
              }
              data-testid="my-day-rating"
            />
          </Col>
        </Row>
      )}
    </Card>
  );
}

interface CallForm {
  number: string;
  reason: CallReason;
  note?: string;
}

/** Calls a specific waiting number at the counter, with a reason; the numbers waiting are offered. */
export function CallNumberModal({
  counterId,
  waiting,
  onClose,
  onDone,
}: {
  counterId: string;
  waiting: QueueState['waiting'];
  onClose: () => void;
  onDone: (t: Ticket) => void;
}) {
  const { t, pick } = useT(messages);
  const feedback = useFeedback();
  const [form] = Form.useForm<CallForm>();
  const reason = Form.useWatch('reason', form);
  const submit = async () => {
    const v = await form.validateFields();
    try {
      const called = await api.post<Ticket>(`/api/counters/${counterId}/call-number`, {
        number: v.number.trim().toUpperCase(),
        reason: v.reason,
        note: v.note?.trim() ?? '',
      });
      feedback.success(t('callOk', { number: called.number }));
      onDone(called);
    } catch (e) {
      feedback.formError(form, e);
    }
  };
  const numbers = waiting.filter((w) => w.status === 'waiting').map((w) => w.number);
  return (
    <FormModal
      title={t('callNumberTitle')}
      onCancel={onClose}
      onSubmit={submit}
      okText={t('callNumber')}
      okButtonProps={buttonTestId('call-number-submit')}
    >
      <Form form={form} layout="vertical" data-testid="call-number-form">
        <Form.Item
          name="number"
          label={t('number')}
          rules={[{ required: true, pattern: /^\s*[A-Za-z]{1,2}\d{1,5}\s*$/, message: t('numberRule') }]}
        >
          <AutoComplete
            allowClear
            data-testid="call-number-number"
            placeholder="A012"
            options={numbers.map((n) => ({ value: n, label: n }))}
            filterOption={(input, option) => String(option?.value ?? '').includes(input.trim().toUpperCase())}
          />
        </Form.Item>
        <Form.Item name="reason" label={t('reason')} rules={[{ required: true, message: t('reasonRule') }]}>
          <Select
            showSearch={{ optionFilterProp: 'label' }}
            data-testid="call-number-reason"
            options={CALL_REASON_CODES.map((r) => ({ value: r, label: pick(CALL_REASONS[r]) }))}
          />
        </Form.Item>
        <Form.Item
          name="note"
          label={t('note')}
          extra={t('noteHint')}
          rules={[
            {
              required: reason === 'other',
              min: 2,
              whitespace: true,
              message: t('noteRule'),
            },
          ]}
        >
          <Input maxLength={100} showCount data-testid="call-number-note" />
        </Form.Item>
      </Form>
    </FormModal>
  );
}
