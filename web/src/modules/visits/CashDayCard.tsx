/**
 * The clerk's cash day (日结) on the counter page: a button that opens a drawer with today's receipts and
 * pay-outs by method (`GET /api/visits/cash-day`, the caller's own payments at the hall), the cash due in the
 * drawer, and once a day the close with the cash counted (`POST /api/visits/cash-day/close`): the difference
 * shown; a second close is refused by the server and its message shown in place.
 */
import { AccountBookOutlined, ReloadOutlined } from '@ant-design/icons';
import { Alert, Button, Descriptions, Drawer, Flex, Form, Input, Popconfirm, Statistic, Tag } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import type { z } from 'zod';
import { PAYMENT_METHODS, PAYMENT_METHOD_CODES } from '../../../../src/core/visit-money.ts';
import type { CashDay } from '../../../../src/modules/visits/contract.ts';
import { ApiError, api } from '../../platform/api.ts';
import { useFeedback } from '../../platform/feedback.ts';
import { useT } from '../../platform/i18n.tsx';
import { formatDateTime } from '../../platform/labels.ts';
import { buttonTestId } from '../../platform/testid.ts';
import { messages } from './messages.ts';
import { yuan, yuanToFen } from './money.ts';

const COUNTED = /^\s*\d{1,8}(\.\d{1,2})?\s*$/;

type Day = z.infer<typeof CashDay>;

export function CashDayCard({ hallId }: { hallId: string }) {
  const { t } = useT(messages);
  const [open, setOpen] = useState(false);
  return (
    <>
      <Flex justify="end" style={{ marginTop: 12 }}>
        <Button icon={<AccountBookOutlined />} onClick={() => setOpen(true)} data-testid="cash-day-open">
          {t('cashDay')}
        </Button>
      </Flex>
      <Drawer
        open={open}
        onClose={() => setOpen(false)}
        title={t('cashDay')}
        size={440}
        destroyOnHidden
        data-testid="cash-day"
      >
        {open && <CashDayBody hallId={hallId} />}
      </Drawer>
    </>
  );
}

function CashDayBody({ hallId }: { hallId: string }) {
  const { t, pick, lang } = useT(messages);
  const feedback = useFeedback();
  const [day, setDay] = useState<Day | null>(null);
  const [refusal, setRefusal] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [form] = Form.useForm<{ counted: string }>();

  const load = useCallback(async () => {
    try {
      setDay(await api.get<Day>('/api/visits/cash-day', { hallId }));
    } catch (e) {
      feedback.error(e);
    }
  }, [hallId, feedback]);
  useEffect(() => {
    void load();
  }, [load]);

  const close = async () => {
    const v = await form.validateFields();
    const countedCashFen = yuanToFen(v.counted);
    if (countedCashFen === null) return;
    setBusy(true);
    setRefusal(null);
    try {
      setDay(await api.post<Day>('/api/visits/cash-day/close', { hallId, countedCashFen }));
      feedback.success(t('dayClosed'));
    } catch (e) {
      if (e instanceof ApiError) setRefusal(e.messageIn(lang));
      else feedback.error(e);
    } finally {
      setBusy(false);
    }
  };

  if (!day) return <Flex justify="center">…</Flex>;
  const closed = day.closed;
  return (
    <Flex vertical gap={12}>
      <Descriptions
        size="small"
        column={1}
        bordered
        data-testid="cash-day-summary"
        items={[
          { key: 'date', label: t('cashDayDate'), children: day.date },
          { key: 'clerk', label: t('clerk'), children: day.staffName },
          { key: 'visits', label: t('cashDayVisits'), children: day.visits },
          {
            key: 'received',
            label: t('received'),
            children: <span data-testid="cash-day-received">{yuan(day.receivedFen)}</span>,
          },
          {
            key: 'paidOut',
            label: t('paidOut'),
            children: <span data-testid="cash-day-paid-out">{yuan(day.paidOutFen)}</span>,
          },
          ...PAYMENT_METHOD_CODES.map((m) => ({
            key: m,
            label: `${t('byMethod')} · ${pick(PAYMENT_METHODS[m])}`,
            children: <span data-testid={`cash-day-method-${m}`}>{yuan(day.byMethod[m] ?? 0)}</span>,
          })),
        ]}
      />
      <Statistic
        title={t('cashDue')}
        value={yuan(day.cashFen)}
        data-testid="cash-day-due"
        styles={{ content: { fontSize: 26 } }}
      />
      {refusal && <Alert type="error" showIcon title={refusal} data-testid="cash-day-refusal" />}
      {closed ? (
        <Alert
          type={closed.differenceFen === 0 ? 'success' : 'warning'}
          showIcon
          data-testid="cash-day-closed"
          title={
            <Flex vertical gap={4}>
              <span>
                <Tag color="green">{t('dayClosed')}</Tag>
                {t('closedAt')}：{formatDateTime(closed.at)}
              </span>
              <span>
                {t('counted')}：<b>{yuan(closed.countedCashFen)}</b>
              </span>
              <span data-testid="cash-day-difference">
                {t('difference')}：
                <b>
                  {closed.differenceFen > 0 ? '+' : ''}
                  {yuan(closed.differenceFen)}
                </b>
              </span>
            </Flex>
          }
        />
      ) : (
        <Form form={form} layout="vertical">
          <Form.Item
            name="counted"
            label={t('counted')}
            rules={[{ required: true, pattern: COUNTED, message: t('yuanRule') }]}
          >
            <Input prefix="¥" inputMode="decimal" maxLength={14} data-testid="cash-day-counted" />
          </Form.Item>
          <Popconfirm
            title={t('closeDayConfirm')}
            okText={t('ok')}
            cancelText={t('cancel')}
            onConfirm={() => void close()}
            okButtonProps={buttonTestId('cash-day-close-confirm')}
          >
            <Button type="primary" block loading={busy} data-testid="cash-day-close">
              {t('closeDay')}
            </Button>
          </Popconfirm>
        </Form>
      )}
      <Button icon={<ReloadOutlined />} onClick={() => void load()} data-testid="cash-day-reload">
        {t('reload')}
      </Button>
    </Flex>
  );
}
