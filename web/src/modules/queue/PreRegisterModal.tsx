/** Pre-registration (预登记/预受理): the business and ID details a counter finds filled in when it calls the ticket. */
import { Form, Input, Select } from 'antd';
import { useEffect, useState } from 'react';
import { ID_DOC_KINDS, ID_DOC_KIND_CODES } from '../../../../src/core/id-documents.ts';
import type { IdDocKind } from '../../../../src/core/id-documents.ts';
import type { Ticket } from '../../../../src/modules/queue/contract.ts';
import { FormModal } from '../../platform/FormModal.tsx';
import { api } from '../../platform/api.ts';
import { useFeedback } from '../../platform/feedback.ts';
import { useT } from '../../platform/i18n.tsx';
import { common } from '../../platform/messages.ts';
import { buttonTestId } from '../../platform/testid.ts';
import { BUSINESS_SUGGESTIONS } from './labels.ts';

const messages = {
  ...common,
  title: { zh: '预登记 {number}', en: 'Pre-register {number}' },
  business: { zh: '办理业务', en: 'Business' },
  businessHint: { zh: '可选择或直接输入，回车确认', en: 'Choose or type, Enter to add' },
  businessRule: { zh: '请至少填写一项业务', en: 'Give at least one business' },
  customerName: { zh: '客户姓名', en: 'Customer name' },
  idDocKind: { zh: '证件类型', en: 'ID document' },
  idDocNumber: { zh: '证件号码', en: 'Document number' },
  idRule: { zh: '请同时填写证件类型和号码', en: 'Give both the kind and the number' },
  note: { zh: '备注', en: 'Note' },
  saved: { zh: '已预登记 {number}', en: '{number} pre-registered' },
};

interface Values {
  business: string[];
  customerName?: string;
  idDocKind?: IdDocKind;
  idDocNumber?: string;
  note?: string;
}

export function PreRegisterModal({
  ticketId,
  onClose,
  onSaved,
}: {
  ticketId: string;
  onClose: () => void;
  onSaved: (t: Ticket) => void;
}) {
  const { t, pick } = useT(messages);
  const feedback = useFeedback();
  const [form] = Form.useForm<Values>();
  const [ticket, setTicket] = useState<Ticket | null>(null);
  const kind = Form.useWatch('idDocKind', form);

  useEffect(() => {
    let live = true;
    api
      .get<Ticket>(`/api/tickets/${ticketId}`)
      .then((tk) => {
        if (!live) return;
        setTicket(tk);
        const pre = tk.preRegistration;
        if (pre) {
          form.setFieldsValue({
            business: pre.business,
            customerName: pre.customerName,
            ...(pre.idDocKind ? { idDocKind: pre.idDocKind as IdDocKind } : {}),
            note: pre.note,
          });
        }
      })
      .catch((e: unknown) => feedback.error(e));
    return () => {
      live = false;
    };
  }, [ticketId, form, feedback]);

  const submit = async () => {
    const v = await form.validateFields();
    try {
      const body = {
        business: v.business,
        customerName: v.customerName?.trim() ?? '',
        note: v.note?.trim() ?? '',
        ...(v.idDocKind && v.idDocNumber
          ? { idDocKind: v.idDocKind, idDocNumber: v.idDocNumber.trim() }
          : {}),
      };
      const saved = await api.post<Ticket>(`/api/tickets/${ticketId}/pre-registration`, body);
      feedback.success(t('saved', { number: saved.number }));
      onSaved(saved);
    } catch (e) {
      feedback.formError(form, e);
    }
  };

  return (
    <FormModal
      title={t('title', { number: ticket?.number ?? '' })}
      onCancel={onClose}
      onSubmit={submit}
      width={560}
      okButtonProps={buttonTestId('prereg-submit')}
    >
      <Form<Values> form={form} layout="vertical" initialValues={{ business: [] }}>
        <Form.Item
          name="business"
          label={t('business')}
          extra={t('businessHint')}
          rules={[{ required: true, type: 'array', min: 1, message: t('businessRule') }]}
        >
          <Select
            mode="tags"
            data-testid="prereg-business-input"
            options={BUSINESS_SUGGESTIONS.map((b) => ({ value: b.zh, label: pick(b) }))}
          />
        </Form.Item>
        <Form.Item name="customerName" label={t('customerName')}>
          <Input maxLength={80} data-testid="prereg-name" />
        </Form.Item>
        <Form.Item name="idDocKind" label={t('idDocKind')}>
          <Select
            allowClear
            data-testid="prereg-id-kind"
            showSearch={{ optionFilterProp: 'label' }}
            options={ID_DOC_KIND_CODES.map((k) => ({ value: k, label: pick(ID_DOC_KINDS[k]) }))}
          />
        </Form.Item>
        <Form.Item
          name="idDocNumber"
          label={t('idDocNumber')}
          dependencies={['idDocKind']}
          rules={[
            ({ getFieldValue }) => ({
              validator: (_, value: string | undefined) =>
                Boolean(getFieldValue('idDocKind')) === Boolean(value?.trim())
                  ? Promise.resolve()
                  : Promise.reject(new Error(t('idRule'))),
            }),
          ]}
        >
          <Input maxLength={30} disabled={!kind} data-testid="prereg-id-number-input" />
        </Form.Item>
        <Form.Item name="note" label={t('note')}>
          <Input.TextArea maxLength={200} rows={2} data-testid="prereg-note" />
        </Form.Item>
      </Form>
    </FormModal>
  );
}
