/** Editing a unit (PATCH /api/units/:id) and adding a child unit (POST /api/units). */
import { Alert, AutoComplete, Col, Divider, Form, Input, Row, Select, Switch } from 'antd';
import { useMemo, useState } from 'react';
import { UNIT_KINDS } from '../../../../src/core/org.ts';
import type { UnitKind } from '../../../../src/core/org.ts';
import type { Unit, UnitDetail } from '../../../../src/modules/org/contract.ts';
import { FormModal } from '../../platform/FormModal.tsx';
import { ApiError, api } from '../../platform/api.ts';
import { useFeedback } from '../../platform/feedback.ts';
import { useT } from '../../platform/i18n.tsx';
import { buttonTestId } from '../../platform/testid.ts';
import { HoursEditor, hoursWellFormed } from './hours.tsx';
import type { OpeningHours } from './hours.tsx';
import { messages } from './messages.ts';

function knownTimeZones(): string[] {
  try {
    return Intl.supportedValuesOf('timeZone');
  } catch {
    return ['Asia/Shanghai', 'Asia/Urumqi', 'Asia/Hong_Kong', 'Asia/Macau', 'Asia/Taipei', 'UTC'];
  }
}

function validTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

function TimeZoneInput(props: { value?: string; onChange?: (v: string) => void; 'data-testid'?: string }) {
  const all = useMemo(knownTimeZones, []);
  const [search, setSearch] = useState('');
  const options = useMemo(() => {
    const s = search.toLowerCase();
    const first = ['Asia/Shanghai', 'Asia/Urumqi', 'Asia/Hong_Kong', 'Asia/Macau'];
    const list = s
      ? all.filter((z) => z.toLowerCase().includes(s))
      : [...first, ...all.filter((z) => !first.includes(z))];
    return list.slice(0, 50).map((z) => ({ value: z }));
  }, [all, search]);
  return <AutoComplete {...props} options={options} onSearch={setSearch} style={{ width: '100%' }} />;
}

interface EditForm {
  name: string;
  nameEn: string;
  address: string;
  timeZone: string;
  active: boolean;
}

export function EditUnitModal({
  unit,
  onClose,
  onSaved,
}: {
  unit: UnitDetail;
  onClose: () => void;
  onSaved: (u: Unit) => void;
}) {
  const { t, lang } = useT(messages);
  const feedback = useFeedback();
  const [form] = Form.useForm<EditForm>();
  // the hours live beside the form: their problems are shown in one place above the editor
  const [hours, setHours] = useState<OpeningHours>(unit.openingHours);
  const [hoursErrors, setHoursErrors] = useState<string[]>([]);

  const submit = async () => {
    const v = await form.validateFields();
    if (!hoursWellFormed(hours)) {
      setHoursErrors([t('timeRule')]);
      return;
    }
    setHoursErrors([]);
    try {
      const saved = await api.patch<Unit>(`/api/units/${unit.id}`, {
        name: v.name.trim(),
        nameEn: (v.nameEn ?? '').trim(),
        address: (v.address ?? '').trim(),
        timeZone: v.timeZone.trim(),
        active: v.active,
        openingHours: hours,
      });
      feedback.success(t('saved'));
      onSaved(saved);
    } catch (e) {
      const fieldErrors = e instanceof ApiError ? (e.problem.errors ?? []) : [];
      const aboutHours = fieldErrors.filter((f) => /^(body\.)?openingHours/.test(f.path));
      const others = fieldErrors.filter((f) => !aboutHours.includes(f));
      if (aboutHours.length > 0) setHoursErrors(aboutHours.map((f) => f.messages[lang]));
      if (e instanceof ApiError && aboutHours.length > 0 && others.length === 0) return;
      feedback.formError(form, e instanceof ApiError ? new ApiError({ ...e.problem, errors: others }) : e);
    }
  };

  return (
    <FormModal
      title={`${t('editUnit')} · ${unit.name}`}
      onCancel={onClose}
      onSubmit={submit}
      width={820}
      okButtonProps={buttonTestId('unit-save')}
      styles={{ body: { maxHeight: 'calc(100vh - 220px)', overflowY: 'auto', paddingRight: 8 } }}
    >
      <Form<EditForm>
        form={form}
        layout="vertical"
        initialValues={{
          name: unit.name,
          nameEn: unit.nameEn,
          address: unit.address,
          timeZone: unit.timeZone,
          active: unit.active,
        }}
        data-testid="unit-form"
      >
        <Row gutter={16}>
          <Col xs={24} sm={12}>
            <Form.Item
              name="name"
              label={t('unitName')}
              rules={[{ required: true, min: 2, max: 80, whitespace: true, message: t('nameRule') }]}
            >
              <Input maxLength={80} data-testid="unit-form-name" />
            </Form.Item>
          </Col>
          <Col xs={24} sm={12}>
            <Form.Item name="nameEn" label={t('nameEn')} rules={[{ max: 120 }]}>
              <Input maxLength={120} data-testid="unit-form-name-en" />
            </Form.Item>
          </Col>
          <Col xs={24}>
            <Form.Item name="address" label={t('address')} rules={[{ max: 200 }]}>
              <Input maxLength={200} data-testid="unit-form-address" />
            </Form.Item>
          </Col>
          <Col xs={24} sm={12}>
            <Form.Item
              name="timeZone"
              label={t('timeZone')}
              rules={[
                { required: true, message: t('tzRule') },
                {
                  validator: async (_r, v: string | undefined) => {
                    if (v && !validTimeZone(v.trim())) throw new Error(t('tzRule'));
                  },
                },
              ]}
            >
              <TimeZoneInput data-testid="unit-form-timezone" />
            </Form.Item>
          </Col>
          <Col xs={24} sm={12}>
            <Form.Item name="active" label={t('unitActive')} valuePropName="checked">
              <Switch
                checkedChildren={t('active')}
                unCheckedChildren={t('inactive')}
                data-testid="unit-form-active"
              />
            </Form.Item>
          </Col>
        </Row>
      </Form>
      <Divider titlePlacement="start" style={{ marginTop: 0 }}>
        {t('openingHours')}
      </Divider>
      {hoursErrors.length > 0 && (
        <Alert
          type="error"
          showIcon
          style={{ marginBottom: 12 }}
          data-testid="hours-error"
          title={hoursErrors.length === 1 ? hoursErrors[0] : undefined}
          description={
            hoursErrors.length > 1 ? (
              <ul style={{ margin: 0, paddingInlineStart: 18 }}>
                {hoursErrors.map((m) => (
                  <li key={m}>{m}</li>
                ))}
              </ul>
            ) : undefined
          }
        />
      )}
      <HoursEditor value={hours} onChange={setHours} />
    </FormModal>
  );
}

interface CreateForm {
  kind: UnitKind;
  code: string;
  name: string;
  nameEn: string;
  address: string;
  timeZone: string;
}

export function AddChildModal({
  parent,
  kinds,
  onClose,
  onSaved,
}: {
  parent: UnitDetail;
  kinds: UnitKind[];
  onClose: () => void;
  onSaved: (u: Unit) => void;
}) {
  const { t, pick } = useT(messages);
  const feedback = useFeedback();
  const [form] = Form.useForm<CreateForm>();

  const submit = async () => {
    const v = await form.validateFields();
    try {
      const created = await api.post<Unit>('/api/units', {
        parentId: parent.id,
        kind: v.kind,
        code: v.code.trim(),
        name: v.name.trim(),
        nameEn: (v.nameEn ?? '').trim(),
        address: (v.address ?? '').trim(),
        timeZone: (v.timeZone ?? 'Asia/Shanghai').trim(),
      });
      feedback.success(t('created'));
      onSaved(created);
    } catch (e) {
      feedback.formError(form, e);
    }
  };

  return (
    <FormModal
      title={t('addChildUnder', { name: parent.name })}
      onCancel={onClose}
      onSubmit={submit}
      width={560}
      okButtonProps={buttonTestId('unit-create')}
    >
      <Form<CreateForm>
        form={form}
        layout="vertical"
        initialValues={{
          kind: kinds.length === 1 ? kinds[0] : undefined,
          timeZone: parent.timeZone || 'Asia/Shanghai',
        }}
        data-testid="unit-create-form"
      >
        <Form.Item name="kind" label={t('kind')} rules={[{ required: true, message: t('kindRequired') }]}>
          <Select
            data-testid="unit-create-kind"
            options={kinds.map((k) => ({ value: k, label: pick(UNIT_KINDS[k]) }))}
          />
        </Form.Item>
        <Form.Item
          name="code"
          label={t('code')}
          extra={t('codeRule')}
          rules={[{ required: true, pattern: /^[A-Za-z0-9_-]{2,32}$/, message: t('codeRule') }]}
        >
          <Input maxLength={32} data-testid="unit-create-code" />
        </Form.Item>
        <Form.Item
          name="name"
          label={t('unitName')}
          rules={[{ required: true, min: 2, max: 80, whitespace: true, message: t('nameRule') }]}
        >
          <Input maxLength={80} data-testid="unit-create-name" />
        </Form.Item>
        <Form.Item name="nameEn" label={t('nameEn')} rules={[{ max: 120 }]}>
          <Input maxLength={120} data-testid="unit-create-name-en" />
        </Form.Item>
        <Form.Item name="address" label={t('address')} rules={[{ max: 200 }]}>
          <Input maxLength={200} data-testid="unit-create-address" />
        </Form.Item>
        <Form.Item
          name="timeZone"
          label={t('timeZone')}
          rules={[
            {
              validator: async (_r, v: string | undefined) => {
                if (v && !validTimeZone(v.trim())) throw new Error(t('tzRule'));
              },
            },
          ]}
        >
          <TimeZoneInput data-testid="unit-create-timezone" />
        </Form.Item>
      </Form>
    </FormModal>
  );
}
