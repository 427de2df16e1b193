/**
 * One piece of business for the visit's customer: the form generated from the business type's field
 * definitions, the retention step first for a cancellation, the identity step the type needs, the ID copy of
 * a new account, and the type's notes beside it (knowledge at hand). A refusal shows the server's reason in
 * place and keeps what was typed.
 */
import { CameraOutlined, CheckCircleFilled, UploadOutlined } from '@ant-design/icons';
import {
  Alert,
  Button,
  Card,
  Checkbox,
  Col,
  Flex,
  Form,
  Input,
  InputNumber,
  Radio,
  Row,
  Select,
  Space,
  Switch,
  Tag,
  Typography,
} from 'antd';
import type { FormInstance } from 'antd';
import { useEffect, useMemo, useRef, useState } from 'react';
import type { z } from 'zod';
import type { BusinessType, FieldDef } from '../../../../src/core/business-catalogue.ts';
import { IDENTITY_CHECKS, luhnValid } from '../../../../src/core/business-catalogue.ts';
import { ID_DOC_KINDS, acceptedDocKinds, originOfDocKind } from '../../../../src/core/id-documents.ts';
import type { IdDocKind } from '../../../../src/core/id-documents.ts';
import type { CatalogueInForce, Visit } from '../../../../src/modules/visits/contract.ts';
import type { AddTransaction } from '../../../../src/modules/visits/contract.ts';
import { ApiError, api, fieldPath } from '../../platform/api.ts';
import { useFeedback } from '../../platform/feedback.ts';
import { useT } from '../../platform/i18n.tsx';
import { messages } from './messages.ts';
import { yuan, yuanToFen } from './money.ts';

type Catalogue = z.infer<typeof CatalogueInForce>;
type Method = 'document' | 'pad' | 'keypad' | 'none';

interface FormShape {
  subscriptionId?: string;
  values: Record<string, string | number | boolean | undefined>;
  method: Method;
  docKind?: IdDocKind;
  docNumber?: string;
  docExpires?: string;
  password?: string;
  ownerInPerson: boolean;
  offered: string[];
  accepted: string | null;
}

/** The shapes `fieldsSchema` checks (the server says the last word; these catch a slip before sending). */
const DIGITS: Partial<Record<FieldDef['kind'], RegExp>> = {
  phone: /^(1\d{10}|0\d{9,11})$/,
  iccid: /^89[0-9A-F]{17,18}$/,
  imei: /^\d{15}$/,
  serial: /^[0-9A-Z]{4,40}$/,
};

export function feeLabel(type: BusinessType, pick: (b: { zh: string; en: string }) => string): string {
  if (type.fee.kind === 'fixed') return type.fee.fen === 0 ? '' : yuan(type.fee.fen);
  const key = type.fee.field;
  const f = type.fields.find((x) => x.key === key);
  return `${type.fee.sign < 0 ? '−' : ''}${f ? pick(f) : key}`;
}

function methodsOf(type: BusinessType): Method[] {
  switch (type.identity) {
    case 'id_document':
      return ['document'];
    case 'password':
      return ['pad', 'keypad'];
    case 'either':
      return ['document', 'pad', 'keypad'];
    default:
      return ['none'];
  }
}

/** An image file or a camera frame as a JPEG data URL no wider than 1600 px (the server takes ≤ 2 MB). */
function toJpeg(source: CanvasImageSource, w: number, h: number): string {
  const scale = Math.min(1, 1600 / Math.max(w, h));
  const c = document.createElement('canvas');
  c.width = Math.round(w * scale);
  c.height = Math.round(h * scale);
  c.getContext('2d')?.drawImage(source, 0, 0, c.width, c.height);
  return c.toDataURL('image/jpeg', 0.85);
}

function IdCopy({ value, onChange }: { value: string | null; onChange: (v: string | null) => void }) {
  const { t } = useT(messages);
  const file = useRef<HTMLInputElement>(null);
  const video = useRef<HTMLVideoElement>(null);
  const [stream, setStream] = useState<MediaStream | null>(null);
  const [cameraError, setCameraError] = useState(false);
  useEffect(() => () => stream?.getTracks().forEach((tr) => tr.stop()), [stream]);
  useEffect(() => {
    if (video.current && stream) video.current.srcObject = stream;
  }, [stream]);

  const openCamera = async () => {
    setCameraError(false);
    try {
      setStream(await navigator.mediaDevices.getUserMedia({ video: { facingMode: 'environment' } }));
    } catch {
      setCameraError(true);
    }
  };
  const capture = () => {
    const v = video.current;
    if (!v || !v.videoWidth) return;
    onChange(toJpeg(v, v.videoWidth, v.videoHeight));
    stream?.getTracks().forEach((tr) => tr.stop());
    setStream(null);
  };
  const upload = (f: File | undefined) => {
    if (!f) return;
    const img = new Image();
    const url = URL.createObjectURL(f);
    img.onload = () => {
      onChange(toJpeg(img, img.naturalWidth, img.naturalHeight));
      URL.revokeObjectURL(url);
    };
    img.src = url;
  };
  return (
    <Card
      size="small"
      type="inner"
      title={t('idCopy')}
      data-testid="visit-idcopy"
      style={{ marginBottom: 12 }}
    >
      <Typography.Paragraph type="secondary" style={{ marginBottom: 8 }}>
        {t('idCopyHint')}
      </Typography.Paragraph>
      <Space wrap>
        <input
          ref={file}
          type="file"
          accept="image/png,image/jpeg"
          style={{ display: 'none' }}
          data-testid="visit-idcopy-file"
          onChange={(e) => upload(e.target.files?.[0])}
        />
        <Button icon={<UploadOutlined />} onClick={() => file.current?.click()}>
          {t('upload')}
        </Button>
        <Button icon={<CameraOutlined />} onClick={() => void openCamera()} data-testid="visit-idcopy-camera">
          {t('camera')}
        </Button>
        {value && (
          <Tag color="green" icon={<CheckCircleFilled />} data-testid="visit-idcopy-taken">
            {t('idCopyTaken')}
          </Tag>
        )}
      </Space>
      {cameraError && <Alert type="warning" showIcon title={t('cameraFailed')} style={{ marginTop: 8 }} />}
      {stream && (
        <Flex vertical gap={8} style={{ marginTop: 8 }}>
          <video ref={video} autoPlay playsInline muted style={{ maxWidth: 320, borderRadius: 6 }} />
          <Button type="primary" onClick={capture} style={{ alignSelf: 'flex-start' }}>
            {t('capture')}
          </Button>
        </Flex>
      )}
      {value && (
        <img src={value} alt={t('idCopy')} style={{ maxHeight: 90, marginTop: 8, borderRadius: 4 }} />
      )}
    </Card>
  );
}

function FieldInput({ def }: { def: FieldDef }) {
  const { t, pick } = useT(messages);
  const name = ['values', def.key];
  const label = pick(def);
  const req = { required: def.required, message: t('required') };
  const testId = `visit-field-${def.key}`;
  switch (def.kind) {
    case 'money_fen':
      return (
        <Form.Item
          name={name}
          label={`${label}（${pick({ zh: '元', en: 'yuan' })}）`}
          rules={[
            req,
            {
              validator: async (_, v: unknown) => {
                if (v === undefined || v === '' || v === null) return;
                const fen = yuanToFen(String(v));
                if (fen === null) throw new Error(t('yuanRule'));
                if (fen < def.min || fen > def.max)
                  throw new Error(t('rangeRule', { min: yuan(def.min), max: yuan(def.max) }));
              },
            },
          ]}
        >
          <Input inputMode="decimal" prefix="¥" maxLength={14} data-testid={testId} />
        </Form.Item>
      );
    case 'integer':
      return (
        <Form.Item name={name} label={label} rules={[req]}>
          <InputNumber
            min={def.min}
            max={def.max}
            precision={0}
            style={{ width: '100%' }}
            data-testid={testId}
          />
        </Form.Item>
      );
    case 'date':
    case 'month':
      return (
        <Form.Item name={name} label={label} rules={[req]}>
          <Input type={def.kind} maxLength={10} data-testid={testId} />
        </Form.Item>
      );
    case 'enum':
      return (
        <Form.Item name={name} label={label} rules={[req]}>
          <Select
            data-testid={testId}
            showSearch={{ optionFilterProp: 'label' }}
            options={def.options.map((o) => ({ value: o.value, label: pick(o) }))}
          />
        </Form.Item>
      );
    case 'boolean':
      return (
        <Form.Item name={name} label={label} valuePropName="checked" initialValue={false}>
          <Switch data-testid={testId} />
        </Form.Item>
      );
    case 'text':
      return (
        <Form.Item
          name={name}
          label={label}
          rules={[
            req,
            { max: def.maxLength },
            ...(def.pattern ? [{ pattern: new RegExp(def.pattern), message: t('patternRule') }] : []),
          ]}
        >
          {def.maxLength > 120 ? (
            <Input.TextArea maxLength={def.maxLength} autoSize data-testid={testId} />
          ) : (
            <Input maxLength={def.maxLength} data-testid={testId} />
          )}
        </Form.Item>
      );
    default: {
      const pattern = DIGITS[def.kind];
      return (
        <Form.Item
          name={name}
          label={label}
          normalize={(v: string) => {
            const compact = v.normalize('NFKC').replace(/\s+/g, '');
            return def.kind === 'iccid' || def.kind === 'serial' ? compact.toUpperCase() : compact;
          }}
          rules={[
            req,
            ...(pattern ? [{ pattern, message: t('patternRule') }] : []),
            ...(def.kind === 'imei'
              ? [
                  {
                    validator: async (_: unknown, v: unknown) => {
                      if (typeof v === 'string' && /^\d{15}$/.test(v) && !luhnValid(v))
                        throw new Error(t('checkDigit'));
                    },
                  },
                ]
              : []),
          ]}
        >
          <Input inputMode={def.kind === 'plan' ? 'text' : 'numeric'} maxLength={40} data-testid={testId} />
        </Form.Item>
      );
    }
  }
}

export function BusinessForm({
  visit,
  catalogue,
  type,
  onChanged,
  onCancel,
}: {
  visit: Visit;
  catalogue: Catalogue;
  type: BusinessType;
  onChanged: (v?: Visit) => Promise<void> | void;
  onCancel: () => void;
}) {
  const { t, pick, lang } = useT(messages);
  const feedback = useFeedback();
  const [form] = Form.useForm<FormShape>();
  const [refusal, setRefusal] = useState<string | null>(null);
  const [idCopy, setIdCopy] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [asked, setAsked] = useState(false);
  const customer = visit.customer;
  const methods = methodsOf(type);
  const method = (Form.useWatch('method', form) ?? methods[0]) as Method;
  const subscriptionId = Form.useWatch('subscriptionId', form);

  const subscriptions = useMemo(
    () =>
      type.appliesTo && customer
        ? customer.subscriptions.filter(
            (s) => type.appliesTo!.kinds.includes(s.kind) && type.appliesTo!.statuses.includes(s.status),
          )
        : [],
    [type, customer],
  );
  const docKinds = useMemo(() => {
    if (!customer) return [];
    return acceptedDocKinds(customer.kind, originOfDocKind(customer.idDocKind) ?? undefined);
  }, [customer]);
  const offers = useMemo(
    () =>
      type.retentionFirst && customer
        ? catalogue.retentionOffers.filter((o) => o.tiers.includes(customer.clubTier))
        : [],
    [type, customer, catalogue],
  );

  useEffect(() => {
    if (idCopy) setRefusal(null);
  }, [idCopy]);
  useEffect(() => {
    setRefusal(null);
    setIdCopy(null);
    setAsked(false);
    form.resetFields();
  }, [type.code, form]);

  // Keyboard first: the form's first field has the focus when a type is chosen.
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    box.current?.querySelector<HTMLElement>('form input:not([type="hidden"]):not([readonly])')?.focus();
  }, [type.code]);

  const verified = subscriptionId !== undefined && visit.passwordVerifiedFor === subscriptionId;

  const askPad = async () => {
    if (!subscriptionId) {
      form.setFields([{ name: 'subscriptionId', errors: [t('required')] }]);
      return;
    }
    try {
      await api.post(`/api/visits/${visit.id}/pad-request`, { kind: 'password', subscriptionId });
      setAsked(true);
      await onChanged();
    } catch (e) {
      feedback.error(e);
    }
  };

  const submit = async () => {
    const v = await form.validateFields();
    if (type.opensAccount && !idCopy) {
      setRefusal(t('idCopyMissing'));
      return;
    }
    const values: AddTransaction['values'] = {};
    for (const def of type.fields) {
      const raw = v.values?.[def.key];
      if (raw === undefined || raw === '' || raw === null) continue;
      if (def.kind === 'money_fen') {
        const fen = yuanToFen(String(raw));
        if (fen !== null) values[def.key] = fen;
      } else if (typeof raw === 'string') values[def.key] = raw.trim();
      else values[def.key] = raw;
    }
    // The method's radio is only there when the type allows more than one.
    const chosen: Method = v.method ?? methods[0] ?? 'none';
    const identity: AddTransaction['identity'] = {
      usePadPassword: chosen === 'pad',
      ownerInPerson: Boolean(v.ownerInPerson),
      ...(chosen === 'document' && v.docKind && v.docNumber?.trim()
        ? {
            document: {
              kind: v.docKind,
              number: (v.docNumber ?? '').trim(),
              ...(v.docExpires ? { expiresOn: v.docExpires } : {}),
            },
          }
        : {}),
      ...(chosen === 'keypad' && v.password ? { password: v.password } : {}),
    };
    const body: AddTransaction = {
      businessCode: type.code,
      values,
      identity,
      ...(v.subscriptionId ? { subscriptionId: v.subscriptionId } : {}),
      ...(idCopy ? { idCopy } : {}),
      ...(type.retentionFirst
        ? { retention: { offered: v.offered ?? [], accepted: v.accepted ?? null } }
        : {}),
    };
    setBusy(true);
    setRefusal(null);
    try {
      const next = await api.post<Visit>(`/api/visits/${visit.id}/transactions`, body);
      feedback.success(t('added', { name: pick(type) }));
      await onChanged(next && typeof next === 'object' && 'lines' in next ? next : undefined);
      onCancel();
    } catch (e) {
      if (e instanceof ApiError) {
        setRefusal(e.messageIn(lang));
        // The reason is shown above the form; the fields it names are marked, without a second message.
        (form as FormInstance).setFields(
          (e.problem.errors ?? []).map((f) => ({ name: fieldPath(f.path), errors: [f.messages[lang]] })),
        );
      } else feedback.error(e);
    } finally {
      setBusy(false);
    }
  };

  const defaultKind = customer && docKinds.includes(customer.idDocKind) ? customer.idDocKind : docKinds[0];
  return (
    <Row gutter={16} data-testid="visit-business-form" ref={box}>
      <Col xs={24} lg={16}>
        <Flex align="center" gap={8} wrap style={{ marginBottom: 12 }}>
          <Typography.Title level={5} style={{ margin: 0 }} data-testid="visit-business-title">
            {pick(type)}
          </Typography.Title>
          {feeLabel(type, pick) && <Tag color="red">{feeLabel(type, pick)}</Tag>}
          <Tag>{t('identityNeeded', { check: pick(IDENTITY_CHECKS[type.identity]) })}</Tag>
        </Flex>
        {refusal && (
          <Alert
            type="error"
            showIcon
            title={t('refused')}
            description={refusal}
            data-testid="visit-refusal"
            style={{ marginBottom: 12 }}
          />
        )}
        <Form<FormShape>
          form={form}
          layout="vertical"
          requiredMark
          initialValues={{
            method: methods[0],
            docKind: defaultKind,
            ownerInPerson: true,
            offered: offers.map((o) => o.code),
            accepted: null,
            values: {},
            subscriptionId: subscriptions.length === 1 ? subscriptions[0]!.id : undefined,
          }}
          onFinish={() => void submit()}
        >
          {type.appliesTo && (
            <Form.Item
              name="subscriptionId"
              label={t('onSubscription')}
              rules={[{ required: true, message: t('required') }]}
              extra={subscriptions.length === 0 ? t('noSubscription') : undefined}
            >
              <Select
                data-testid="visit-subscription"
                options={subscriptions.map((s) => ({
                  value: s.id,
                  label: `${s.number} · ${s.plan} · ${t(`sub.${s.status}`)}`,
                }))}
              />
            </Form.Item>
          )}

          {type.retentionFirst && (
            <Card
              size="small"
              type="inner"
              title={t('retention')}
              style={{ marginBottom: 12 }}
              data-testid="visit-retention"
            >
              <Typography.Paragraph type="secondary">{t('retentionHint')}</Typography.Paragraph>
              {offers.length === 0 ? (
                <Typography.Text type="secondary">{t('noOffers')}</Typography.Text>
              ) : (
                <>
                  <Form.Item name="offered" label={t('offered')}>
                    <Checkbox.Group options={offers.map((o) => ({ value: o.code, label: pick(o) }))} />
                  </Form.Item>
                  <Form.Item name="accepted" label={t('accepted')}>
                    <Radio.Group
                      data-testid="visit-retention-accepted"
                      options={[
                        { value: null, label: t('declined') },
                        ...offers.map((o) => ({ value: o.code, label: pick(o) })),
                      ]}
                    />
                  </Form.Item>
                </>
              )}
            </Card>
          )}

          <Row gutter={12}>
            {type.fields.map((def) => (
              <Col key={def.key} xs={24} md={def.kind === 'text' && def.maxLength > 120 ? 24 : 12}>
                <FieldInput def={def} />
              </Col>
            ))}
          </Row>

          {type.identity !== 'none' && (
            <Card
              size="small"
              type="inner"
              title={t('identity')}
              style={{ marginBottom: 12 }}
              data-testid="visit-identity"
            >
              {methods.length > 1 && (
                <Form.Item name="method">
                  <Radio.Group
                    data-testid="visit-identity-method"
                    options={methods.map((m) => ({ value: m, label: t(`method.${m}`) }))}
                  />
                </Form.Item>
              )}
              {method === 'document' && (
                <Row gutter={12}>
                  <Col xs={24} md={10}>
                    <Form.Item
                      name="docKind"
                      label={t('idDocKind')}
                      rules={[{ required: true, message: t('required') }]}
                    >
                      <Select
                        data-testid="visit-doc-kind"
                        showSearch={{ optionFilterProp: 'label' }}
                        options={docKinds.map((k) => ({ value: k, label: pick(ID_DOC_KINDS[k]) }))}
                      />
                    </Form.Item>
                  </Col>
                  <Col xs={24} md={9}>
                    {/* Not required here: without a number the server refuses with the documents this
                        customer may show, which tells the clerk more than "required". */}
                    <Form.Item name="docNumber" label={t('docNumber')}>
                      <Input maxLength={40} autoComplete="off" data-testid="visit-doc-number" />
                    </Form.Item>
                  </Col>
                  <Col xs={24} md={6}>
                    <Form.Item name="docExpires" label={t('docExpires')}>
                      <Input type="date" maxLength={10} data-testid="visit-doc-expires" />
                    </Form.Item>
                  </Col>
                </Row>
              )}
              {method === 'pad' && (
                <Flex gap={8} align="center" wrap style={{ marginBottom: 12 }}>
                  {verified ? (
                    <Tag color="green" icon={<CheckCircleFilled />} data-testid="visit-password-verified">
                      {t('passwordVerified')}
                    </Tag>
                  ) : (
                    <>
                      <Button onClick={() => void askPad()} data-testid="visit-ask-password">
                        {t('askPassword')}
                      </Button>
                      {(asked ||
                        (visit.padRequest?.kind === 'password' &&
                          visit.padRequest.subscriptionId === subscriptionId)) && (
                        <Typography.Text type="secondary">{t('passwordAsked')}</Typography.Text>
                      )}
                    </>
                  )}
                </Flex>
              )}
              {method === 'keypad' && (
                <Form.Item
                  name="password"
                  label={t('passwordHere')}
                  rules={[{ required: true, pattern: /^\d{6}$/, message: t('digitsRule', { n: 6 }) }]}
                >
                  <Input.Password
                    maxLength={6}
                    inputMode="numeric"
                    autoComplete="off"
                    style={{ maxWidth: 200 }}
                    data-testid="visit-password"
                  />
                </Form.Item>
              )}
              <Form.Item name="ownerInPerson" valuePropName="checked" style={{ marginBottom: 0 }}>
                <Checkbox data-testid="visit-owner-in-person">{t('ownerInPerson')}</Checkbox>
              </Form.Item>
            </Card>
          )}

          {type.opensAccount && <IdCopy value={idCopy} onChange={setIdCopy} />}

          <Space>
            <Button type="primary" htmlType="submit" loading={busy} data-testid="visit-business-submit">
              {t('add')}
            </Button>
            <Button onClick={onCancel}>{t('cancel')}</Button>
          </Space>
        </Form>
      </Col>
      <Col xs={24} lg={8}>
        <Card size="small" title={t('knowledge')} data-testid="visit-notes" style={{ background: '#fffbe6' }}>
          <Typography.Paragraph style={{ whiteSpace: 'pre-wrap', marginBottom: 8 }}>
            {pick(type.notes) || '—'}
          </Typography.Paragraph>
          {type.identity !== 'none' && customer && (
            <Typography.Paragraph type="secondary" style={{ marginBottom: 0 }}>
              {t('idDocKind')}：{docKinds.map((k) => pick(ID_DOC_KINDS[k])).join('、')}
            </Typography.Paragraph>
          )}
        </Card>
      </Col>
    </Row>
  );
}
