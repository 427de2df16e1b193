/** Forms of the customers page: new customer, edit, new subscription. */
import { Checkbox, Col, DatePicker, Divider, Form, Input, Row, Select, Switch } from 'antd';
import type { FormInstance } from 'antd';
import type { Dayjs } from 'dayjs';
import { docKindsFor, ID_DOC_KINDS, idDocumentProblem } from '../../../../src/core/id-documents.ts';
import type { IdDocKind } from '../../../../src/core/id-documents.ts';
import type { Customer, CustomerDetail, Subscription } from '../../../../src/modules/customers/contract.ts';
import { PHONE_PATTERN } from '../../../../src/core/phone.ts';
import { FormModal } from '../../platform/FormModal.tsx';
import { api } from '../../platform/api.ts';
import { useMe } from '../../platform/auth.tsx';
import { useFeedback } from '../../platform/feedback.ts';
import { useT } from '../../platform/i18n.tsx';
import type { Lang } from '../../platform/i18n.tsx';
import { CLUB_TIER_CODES, CLUB_TIERS, CUSTOMER_KIND_CODES, CUSTOMER_KINDS } from '../../platform/labels.ts';
import type { ClubTier, CustomerKind } from '../../platform/labels.ts';
import { buttonTestId } from '../../platform/testid.ts';
import { UnitSelect } from '../../platform/units.tsx';
import { SUBSCRIPTION_KINDS, SUBSCRIPTION_STATUSES } from './labels.ts';
import type { SubscriptionKind, SubscriptionStatus } from './labels.ts';
import { messages } from './messages.ts';

const SERVICE_NUMBER = /^[0-9A-Za-z-]{5,20}$/;

interface CreateForm {
  unitId: string;
  kind: CustomerKind;
  name: string;
  idDocKind: IdDocKind;
  idDocNumber: string;
  contactPhone: string;
  address: string;
  clubTier: ClubTier;
  is3g: boolean;
  subKind: SubscriptionKind;
  subNumber: string;
  subPlan: string;
}

function docValidatorFor(form: FormInstance<CreateForm>, lang: Lang) {
  return async (_r: unknown, value: string | undefined) => {
    if (!value) return;
    const kind = form.getFieldValue('idDocKind') as IdDocKind | undefined;
    if (!kind) return;
    const problem = idDocumentProblem(kind, value);
    if (problem) throw new Error(lang === 'en-US' ? problem.en : problem.zh);
  };
}

export function CreateCustomerModal({
  onClose,
  onSaved,
}: {
  onClose: () => void;
  onSaved: (c: Customer) => void;
}) {
  const me = useMe();
  const { t, pick, lang } = useT(messages);
  const feedback = useFeedback();
  const [form] = Form.useForm<CreateForm>();
  const kind = (Form.useWatch('kind', form) ?? 'individual') as CustomerKind;
  const docValidator = docValidatorFor(form, lang);
  const docKinds = docKindsFor(kind);

  const submit = async () => {
    const v = await form.validateFields();
    try {
      const subscriptions = v.subNumber?.trim()
        ? [{ kind: v.subKind, number: v.subNumber.trim(), plan: (v.subPlan ?? '').trim() }]
        : [];
      const created = await api.post<Customer>('/api/customers', {
        unitId: v.unitId,
        kind: v.kind,
        name: v.name.trim(),
        idDocKind: v.idDocKind,
        idDocNumber: v.idDocNumber.trim().toUpperCase(),
        contactPhone: v.contactPhone.trim(),
        address: (v.address ?? '').trim(),
        clubTier: v.clubTier,
        is3g: Boolean(v.is3g),
        subscriptions,
      });
      feedback.success(t('created'));
      onSaved(created);
    } catch (e) {
      feedback.formError(form, e);
    }
  };

  return (
    <FormModal
      title={t('addCustomer')}
      onCancel={onClose}
      onSubmit={submit}
      width={720}
      okButtonProps={buttonTestId('customer-form-submit')}
      styles={{ body: { maxHeight: 'calc(100vh - 220px)', overflowY: 'auto', paddingRight: 8 } }}
    >
      <Form<CreateForm>
        form={form}
        layout="vertical"
        data-testid="customer-form"
        initialValues={{
          unitId: me.unitId,
          kind: 'individual',
          idDocKind: 'resident_id',
          clubTier: 'ordinary',
          is3g: false,
          subKind: 'mobile',
        }}
        onValuesChange={(changed: Partial<CreateForm>) => {
          if (changed.kind) {
            const allowed = docKindsFor(changed.kind);
            const current = form.getFieldValue('idDocKind') as IdDocKind;
            if (!allowed.includes(current)) form.setFieldValue('idDocKind', allowed[0]);
          }
          if (changed.idDocKind && form.getFieldValue('idDocNumber'))
            void form.validateFields(['idDocNumber']);
        }}
      >
        <Row gutter={16}>
          <Col xs={24} sm={12}>
            <Form.Item
              name="unitId"
              label={t('servingUnit')}
              rules={[{ required: true, message: t('unitRequired') }]}
            >
              <UnitSelect data-testid="customer-form-unit" />
            </Form.Item>
          </Col>
          <Col xs={24} sm={12}>
            <Form.Item name="kind" label={t('kind')} rules={[{ required: true }]}>
              <Select
                data-testid="customer-form-kind"
                options={CUSTOMER_KIND_CODES.map((k) => ({ value: k, label: pick(CUSTOMER_KINDS[k]) }))}
              />
            </Form.Item>
          </Col>
          <Col xs={24}>
            <Form.Item
              name="name"
              label={t('customerName')}
              rules={[{ required: true, min: 2, max: 80, whitespace: true, message: t('nameRule') }]}
            >
              <Input maxLength={80} data-testid="customer-form-name" />
            </Form.Item>
          </Col>
          <Col xs={24} sm={10}>
            <Form.Item
              name="idDocKind"
              label={t('idDocKind')}
              extra={kind === 'group' ? t('groupDocNote') : undefined}
              rules={[{ required: true, message: t('docRequired') }]}
            >
              <Select
                data-testid="customer-form-doc-kind"
                popupMatchSelectWidth={false}
                options={docKinds.map((k) => ({ value: k, label: pick(ID_DOC_KINDS[k]) }))}
              />
            </Form.Item>
          </Col>
          <Col xs={24} sm={14}>
            <Form.Item
              name="idDocNumber"
              label={t('idDocNumber')}
              normalize={(v: string) => v?.toUpperCase()}
              rules={[{ required: true, message: t('docNumberRequired') }, { validator: docValidator }]}
            >
              <Input maxLength={30} autoComplete="off" data-testid="customer-form-doc-number" />
            </Form.Item>
          </Col>
          <Col xs={24} sm={12}>
            <Form.Item
              name="contactPhone"
              label={t('phone')}
              rules={[{ required: true, pattern: PHONE_PATTERN, message: t('phoneRule') }]}
            >
              <Input maxLength={16} autoComplete="off" data-testid="customer-form-phone" />
            </Form.Item>
          </Col>
          <Col xs={12} sm={6}>
            <Form.Item name="clubTier" label={t('tier')}>
              <Select
                data-testid="customer-form-tier"
                options={CLUB_TIER_CODES.map((k) => ({ value: k, label: pick(CLUB_TIERS[k]) }))}
              />
            </Form.Item>
          </Col>
          <Col xs={12} sm={6}>
            <Form.Item name="is3g" label={t('is3g')} valuePropName="checked">
              <Switch data-testid="customer-form-3g" />
            </Form.Item>
          </Col>
          <Col xs={24}>
            <Form.Item name="address" label={t('address')} rules={[{ max: 200 }]}>
              <Input maxLength={200} data-testid="customer-form-address" />
            </Form.Item>
          </Col>
        </Row>
        <Divider titlePlacement="start" plain style={{ marginTop: 0 }}>
          {t('firstSubscription')}
        </Divider>
        <Row gutter={16}>
          <Col xs={24} sm={7}>
            <Form.Item name="subKind" label={t('subKind')}>
              <Select
                options={Object.entries(SUBSCRIPTION_KINDS).map(([k, v]) => ({ value: k, label: pick(v) }))}
              />
            </Form.Item>
          </Col>
          <Col xs={24} sm={9}>
            <Form.Item
              name="subNumber"
              label={t('subNumber')}
              rules={[{ pattern: SERVICE_NUMBER, message: t('numberRule') }]}
            >
              <Input maxLength={20} data-testid="customer-form-sub-number" />
            </Form.Item>
          </Col>
          <Col xs={24} sm={8}>
            <Form.Item name="subPlan" label={t('subPlan')} rules={[{ max: 60 }]}>
              <Input maxLength={60} data-testid="customer-form-sub-plan" />
            </Form.Item>
          </Col>
        </Row>
      </Form>
    </FormModal>
  );
}

interface EditForm {
  name: string;
  contactPhone: string;
  address: string;
  clubTier: ClubTier;
  is3g: boolean;
}

export function EditCustomerModal({
  customer,
  onClose,
  onSaved,
}: {
  customer: CustomerDetail;
  onClose: () => void;
  onSaved: () => void;
}) {
  const { t, pick } = useT(messages);
  const feedback = useFeedback();
  const [form] = Form.useForm<EditForm>();

  const submit = async () => {
    const v = await form.validateFields();
    const patch: Record<string, unknown> = {};
    if (v.name.trim() !== customer.name) patch.name = v.name.trim();
    if (v.contactPhone?.trim()) patch.contactPhone = v.contactPhone.trim();
    if (v.address?.trim()) patch.address = v.address.trim();
    if (v.clubTier !== customer.clubTier) patch.clubTier = v.clubTier;
    if (v.is3g !== customer.is3g) patch.is3g = v.is3g;
    if (Object.keys(patch).length === 0) {
      onClose();
      return;
    }
    try {
      await api.patch(`/api/customers/${customer.id}`, patch);
      feedback.success(t('saved'));
      onSaved();
    } catch (e) {
      feedback.formError(form, e);
    }
  };

  return (
    <FormModal
      title={`${t('editCustomer')} · ${customer.name}`}
      onCancel={onClose}
      onSubmit={submit}
      width={560}
      okButtonProps={buttonTestId('customer-edit-submit')}
    >
      <Form<EditForm>
        form={form}
        layout="vertical"
        initialValues={{
          name: customer.name,
          clubTier: customer.clubTier,
          is3g: customer.is3g,
          contactPhone: '',
          address: '',
        }}
      >
        <Form.Item
          name="name"
          label={t('customerName')}
          rules={[{ required: true, min: 2, max: 80, whitespace: true, message: t('nameRule') }]}
        >
          <Input maxLength={80} />
        </Form.Item>
        <Form.Item
          name="contactPhone"
          label={t('phone')}
          extra={`${t('keepBlank')}：${customer.contactPhone}`}
          rules={[{ pattern: PHONE_PATTERN, message: t('phoneRule') }]}
        >
          <Input maxLength={16} autoComplete="off" />
        </Form.Item>
        <Form.Item
          name="address"
          label={t('address')}
          extra={`${t('keepBlank')}：${customer.address || '—'}`}
          rules={[{ max: 200 }]}
        >
          <Input maxLength={200} />
        </Form.Item>
        <Row gutter={16}>
          <Col span={12}>
            <Form.Item name="clubTier" label={t('tier')}>
              <Select options={CLUB_TIER_CODES.map((k) => ({ value: k, label: pick(CLUB_TIERS[k]) }))} />
            </Form.Item>
          </Col>
          <Col span={12}>
            <Form.Item name="is3g" label={t('is3g')} valuePropName="checked">
              <Checkbox />
            </Form.Item>
          </Col>
        </Row>
      </Form>
    </FormModal>
  );
}

interface SubForm {
  kind: SubscriptionKind;
  number: string;
  plan: string;
  status: SubscriptionStatus;
  since?: Dayjs;
}

export function AddSubscriptionModal({
  customerId,
  onClose,
  onSaved,
}: {
  customerId: string;
  onClose: () => void;
  onSaved: (s: Subscription) => void;
}) {
  const { t, pick } = useT(messages);
  const feedback = useFeedback();
  const [form] = Form.useForm<SubForm>();

  const submit = async () => {
    const v = await form.validateFields();
    try {
      const created = await api.post<Subscription>(`/api/customers/${customerId}/subscriptions`, {
        kind: v.kind,
        number: v.number.trim(),
        plan: (v.plan ?? '').trim(),
        status: v.status,
        ...(v.since ? { since: v.since.format('YYYY-MM-DD') } : {}),
      });
      feedback.success(t('saved'));
      onSaved(created);
    } catch (e) {
      feedback.formError(form, e);
    }
  };

  return (
    <FormModal title={t('addSubscription')} onCancel={onClose} onSubmit={submit} width={520}>
      <Form<SubForm> form={form} layout="vertical" initialValues={{ kind: 'mobile', status: 'active' }}>
        <Row gutter={16}>
          <Col span={12}>
            <Form.Item name="kind" label={t('subKind')}>
              <Select
                options={Object.entries(SUBSCRIPTION_KINDS).map(([k, v]) => ({ value: k, label: pick(v) }))}
              />
            </Form.Item>
          </Col>
          <Col span={12}>
            <Form.Item name="status" label={t('subStatus')}>
              <Select
                options={Object.entries(SUBSCRIPTION_STATUSES).map(([k, v]) => ({
                  value: k,
                  label: pick(v),
                }))}
              />
            </Form.Item>
          </Col>
        </Row>
        <Form.Item
          name="number"
          label={t('subNumber')}
          rules={[{ required: true, pattern: SERVICE_NUMBER, message: t('numberRule') }]}
        >
          <Input maxLength={20} />
        </Form.Item>
        <Form.Item name="plan" label={t('subPlan')} rules={[{ max: 60 }]}>
          <Input maxLength={60} />
        </Form.Item>
        <Form.Item name="since" label={t('subSince')}>
          <DatePicker style={{ width: '100%' }} />
        </Form.Item>
      </Form>
    </FormModal>
  );
}
