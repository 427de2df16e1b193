/**
 * A customer's open repairs at the counter (2§2.1.7): their repair orders not yet collected, with the next
 * step, and the intake form (device, IMEI checked by the server's Luhn rule, fault, the intake checklist, a
 * spare phone lent). Embedded in the visit panel's customer card: `<RepairsPanel customerId hallId visitId? />`.
 */
import { Button, Card, Checkbox, Flex, Form, Input, Modal, Switch } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import type { Repair } from '../../../../src/modules/repairs/contract.ts';
import { hasPermission } from '../../platform/access.ts';
import { api, ApiError, fieldPath } from '../../platform/api.ts';
import type { PageOf } from '../../platform/api.ts';
import { useMe } from '../../platform/auth.tsx';
import { useFeedback } from '../../platform/feedback.ts';
import { useT } from '../../platform/i18n.tsx';
import { buttonTestId } from '../../platform/testid.ts';
import { RepairsTable } from './RepairsTable.tsx';
import { messages } from './messages.ts';

interface IntakeForm {
  brand: string;
  model: string;
  imei: string;
  fault: string;
  spareImei?: string;
  appearance: string;
  accessories?: string;
  powersOn: boolean;
  dataBackedUp: boolean;
  timelineTold: boolean;
}

export function RepairsPanel({
  customerId,
  hallId,
  visitId,
}: {
  customerId: string;
  hallId: string;
  visitId?: string;
}) {
  const { t, lang } = useT(messages);
  const me = useMe();
  const feedback = useFeedback();
  const writes = hasPermission(me, 'repair.write');
  const [items, setItems] = useState<Repair[]>([]);
  const [loading, setLoading] = useState(false);
  const [open, setOpen] = useState(false);
  const [saving, setSaving] = useState(false);
  const [form] = Form.useForm<IntakeForm>();

  const load = useCallback(async () => {
    setLoading(true);
    try {
      // The open ones only: a collected repair is done with and leaves the counter's view.
      const all = await api.get<PageOf<Repair>>('/api/repairs', { customerId, limit: 200 });
      setItems(all.items.filter((r) => r.status !== 'collected'));
    } catch (e) {
      feedback.error(e);
    } finally {
      setLoading(false);
    }
  }, [customerId, feedback]);
  useEffect(() => {
    void load();
  }, [load]);

  const submit = async (v: IntakeForm) => {
    setSaving(true);
    try {
      await api.post<Repair>('/api/repairs', {
        customerId,
        hallId,
        ...(visitId ? { visitId } : {}),
        brand: v.brand,
        model: v.model,
        imei: v.imei,
        fault: v.fault,
        ...(v.spareImei ? { spareImei: v.spareImei } : {}),
        intakeCheck: {
          appearance: v.appearance,
          accessories: v.accessories ?? '',
          powersOn: v.powersOn,
          dataBackedUp: v.dataBackedUp,
          timelineTold: v.timelineTold,
        },
      });
      feedback.success(t('intakeDone'));
      setOpen(false);
      form.resetFields();
      void load();
    } catch (e) {
      const fields = e instanceof ApiError ? (e.problem.errors ?? []) : [];
      if (fields.length > 0)
        form.setFields(
          fields.map((f) => ({
            name: fieldPath(f.path).filter((p) => p !== 'intakeCheck') as (keyof IntakeForm)[],
            errors: [f.messages[lang]],
          })) as Parameters<typeof form.setFields>[0],
        );
      feedback.error(e);
    } finally {
      setSaving(false);
    }
  };

  const imeiRule = { pattern: /^[\d\s-]{15,20}$/, message: t('imeiRule') };
  return (
    <Card
      size="small"
      title={t('customerRepairs')}
      data-testid="repairs-panel"
      extra={
        writes && (
          <Button size="small" onClick={() => setOpen(true)} data-testid="repair-intake">
            {t('intake')}
          </Button>
        )
      }
    >
      <RepairsTable items={items} loading={loading} onChanged={() => void load()} writes={writes} />
      <Modal
        open={open}
        title={t('intake')}
        okText={t('submit')}
        cancelText={t('cancel')}
        confirmLoading={saving}
        onOk={() => form.submit()}
        onCancel={() => setOpen(false)}
        destroyOnHidden
        okButtonProps={buttonTestId('repair-submit')}
      >
        <Form<IntakeForm>
          form={form}
          layout="vertical"
          onFinish={(v) => void submit(v)}
          initialValues={{ powersOn: true, dataBackedUp: false, timelineTold: false }}
        >
          <Flex gap={8}>
            <Form.Item
              name="brand"
              label={t('brand')}
              rules={[{ required: true, message: t('required') }]}
              style={{ flex: 1 }}
            >
              <Input data-testid="repair-brand" maxLength={40} />
            </Form.Item>
            <Form.Item
              name="model"
              label={t('model')}
              rules={[{ required: true, message: t('required') }]}
              style={{ flex: 1 }}
            >
              <Input data-testid="repair-model" maxLength={60} />
            </Form.Item>
          </Flex>
          <Form.Item
            name="imei"
            label={t('imei')}
            rules={[{ required: true, message: t('required') }, imeiRule]}
          >
            <Input data-testid="repair-imei" inputMode="numeric" maxLength={20} />
          </Form.Item>
          <Form.Item
            name="fault"
            label={t('fault')}
            rules={[{ required: true, min: 2, message: t('required') }]}
          >
            <Input.TextArea data-testid="repair-fault" rows={2} maxLength={500} />
          </Form.Item>
          <Form.Item
            name="appearance"
            label={`${t('check')} · ${t('appearance')}`}
            rules={[{ required: true, message: t('required') }]}
          >
            <Input data-testid="repair-appearance" maxLength={200} />
          </Form.Item>
          <Form.Item name="accessories" label={t('accessories')}>
            <Input maxLength={200} />
          </Form.Item>
          <Flex gap={16} wrap>
            <Form.Item name="powersOn" label={t('powersOn')} valuePropName="checked">
              <Switch />
            </Form.Item>
            <Form.Item name="dataBackedUp" valuePropName="checked">
              <Checkbox>{t('dataBackedUp')}</Checkbox>
            </Form.Item>
            <Form.Item
              name="timelineTold"
              valuePropName="checked"
              rules={[
                {
                  validator: (_, v) => (v ? Promise.resolve() : Promise.reject(new Error(t('timelineRule')))),
                },
              ]}
            >
              <Checkbox data-testid="repair-timeline">{t('timelineTold')}</Checkbox>
            </Form.Item>
          </Flex>
          <Form.Item name="spareImei" label={t('spareImei')} rules={[imeiRule]}>
            <Input data-testid="repair-spare-imei" inputMode="numeric" maxLength={20} />
          </Form.Item>
        </Form>
      </Modal>
    </Card>
  );
}

export default RepairsPanel;
