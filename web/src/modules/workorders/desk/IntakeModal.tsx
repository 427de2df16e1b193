/**
 * Fast intake (快速受理): the caller's whole number looked up (the customer, masked, and their earlier
 * orders beside), then kind, channel, category, the unit concerned, the work queue, title, description,
 * priority and an optional file; POST /api/work-orders, and the new order opens. The server's problems
 * show on their fields. Opened from the list and from the counter page (the called ticket's customer).
 */
import { PaperClipOutlined } from '@ant-design/icons';
import {
  Alert,
  Button,
  Col,
  DatePicker,
  Descriptions,
  Empty,
  Form,
  Input,
  List,
  Modal,
  Row,
  Select,
  Tag,
  TreeSelect,
  Typography,
  Upload,
} from 'antd';
import type { UploadFile } from 'antd';
import type { Dayjs } from 'dayjs';
import { useEffect, useMemo, useState } from 'react';
import { Link } from 'react-router';
import type { z } from 'zod';
import { NewWorkOrder } from '../../../../../src/modules/workorders/contract.ts';
import type {
  Category,
  IntakeCaller,
  WorkOrderDetail,
  WorkUnit,
} from '../../../../../src/modules/workorders/contract.ts';
import { api, errorText } from '../../../platform/api.ts';
import { useMe } from '../../../platform/auth.tsx';
import { maxLengthOf } from '../../../platform/limits.ts';
import { useFeedback } from '../../../platform/feedback.ts';
import { useT } from '../../../platform/i18n.tsx';
import { CLUB_TIERS } from '../../../platform/labels.ts';
import type { ClubTier } from '../../../platform/labels.ts';
import { formatDate } from '../../../platform/labels.ts';
import { buttonTestId } from '../../../platform/testid.ts';
import { messages } from './messages.ts';
import { CHANNELS, KINDS, OrderUnitSelect, PRIORITIES, StateTag, useUnitName } from './shared.tsx';

type Unit = z.infer<typeof WorkUnit>;

/** What the counter page knows of its called ticket (masked: the clerk types the whole number). */
export interface IntakePrefill {
  ticketId: string;
  ticketNumber: string;
  customerName: string;
  phone: string;
}

interface Values {
  phone?: string;
  kind: z.infer<typeof NewWorkOrder>['kind'];
  channel: z.infer<typeof NewWorkOrder>['channel'];
  categoryId?: string;
  concernsUnitId?: string;
  handlingUnitId?: string;
  contactPhone?: string;
  subscriptionId?: string;
  title?: string;
  description?: string;
  priority: z.infer<typeof NewWorkOrder>['priority'];
  regulatorRef?: string;
  deadline?: Dayjs;
}

const MOBILE = /^1\d{10}$/;

interface TreeOption {
  value: string;
  title: string;
  disabled: boolean;
  children: TreeOption[];
}

function categoryTree(list: Category[], en: boolean): TreeOption[] {
  const nodes = new Map<string, TreeOption>(
    list.map((c) => [c.id, { value: c.id, title: en ? c.en : c.zh, disabled: !c.active, children: [] }]),
  );
  const roots: TreeOption[] = [];
  for (const c of list) {
    const parent = c.parentId ? nodes.get(c.parentId) : undefined;
    (parent ? parent.children : roots).push(nodes.get(c.id)!);
  }
  return roots;
}

function base64Of(file: File): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result).replace(/^data:[^,]*,/, ''));
    reader.onerror = () => reject(reader.error ?? new Error('read'));
    reader.readAsDataURL(file);
  });
}

export function IntakeModal({
  onClose,
  onCreated,
  prefill,
}: {
  onClose: () => void;
  onCreated: (order: WorkOrderDetail) => void;
  prefill?: IntakePrefill;
}) {
  const { t, lang } = useT(messages);
  const me = useMe();
  const feedback = useFeedback();
  const [form] = Form.useForm<Values>();
  const [categories, setCategories] = useState<Category[]>([]);
  const [units, setUnits] = useState<Unit[]>([]);
  const [caller, setCaller] = useState<IntakeCaller | null>(null);
  const [looking, setLooking] = useState(false);
  const [busy, setBusy] = useState(false);
  const [files, setFiles] = useState<UploadFile[]>([]);
  const kind = Form.useWatch('kind', form);
  const unitLabel = useUnitName();

  useEffect(() => {
    api.get<Category[]>('/api/work-order-categories').then(setCategories, feedback.error);
    api.get<Unit[]>('/api/work-order-handling-units').then((list) => {
      setUnits(list);
      if (list[0] && !form.getFieldValue('handlingUnitId')) form.setFieldValue('handlingUnitId', list[0].id);
    }, feedback.error);
  }, [feedback, form]);
  const tree = useMemo(() => categoryTree(categories, lang === 'en-US'), [categories, lang]);

  const lookup = async (raw: string) => {
    const phone = raw.trim();
    form.setFields([{ name: 'phone', errors: [] }]);
    if (!phone) return;
    setLooking(true);
    try {
      const found = await api.get<IntakeCaller>('/api/work-orders/caller', { phone });
      setCaller(found);
      if (MOBILE.test(phone) && !form.getFieldValue('contactPhone'))
        form.setFieldValue('contactPhone', phone);
    } catch (e) {
      setCaller(null);
      // The lookup's problem is on `querystring.phone`: shown on the same field.
      feedback.formError(form, e);
    } finally {
      setLooking(false);
    }
  };

  const submit = async () => {
    let v: Values;
    try {
      v = await form.validateFields();
    } catch {
      return;
    }
    setBusy(true);
    try {
      const body: Record<string, unknown> = {
        kind: v.kind,
        channel: v.channel,
        categoryId: v.categoryId,
        concernsUnitId: v.concernsUnitId,
        handlingUnitId: v.handlingUnitId,
        title: v.title,
        description: v.description,
        priority: v.priority,
      };
      if (caller?.customer) body.customerId = caller.customer.id;
      if (v.subscriptionId) body.subscriptionId = v.subscriptionId;
      if (v.contactPhone?.trim()) body.contactPhone = v.contactPhone.trim();
      if (prefill) body.ticketId = prefill.ticketId;
      if (v.kind === 'appeal') {
        if (v.regulatorRef) body.regulatorRef = v.regulatorRef;
        if (v.deadline) body.deadline = v.deadline.toISOString();
      }
      let order = await api.post<WorkOrderDetail>('/api/work-orders', body);
      const file = files[0]?.originFileObj;
      if (file) {
        try {
          order = await api.post<WorkOrderDetail>(`/api/work-orders/${order.id}/attachments`, {
            name: file.name,
            mime: file.type || 'application/octet-stream',
            dataBase64: await base64Of(file),
          });
        } catch (e) {
          feedback.error(new Error(t('attachFailed', { why: errorText(e, lang) })));
        }
      }
      feedback.success(t('taken', { number: order.number }));
      onCreated(order);
    } catch (e) {
      feedback.formError(form, e);
    } finally {
      setBusy(false);
    }
  };

  const customer = caller?.customer ?? null;
  return (
    <Modal
      open
      width={1040}
      title={t('intakeTitle')}
      okText={t('submitIntake')}
      cancelText={lang === 'en-US' ? 'Cancel' : '取消'}
      onOk={() => void submit()}
      onCancel={onClose}
      confirmLoading={busy}
      destroyOnHidden
      okButtonProps={buttonTestId('intake-submit')}
      data-testid="intake"
    >
      <div data-testid="intake-modal">
        {prefill && (
          <Alert
            type="info"
            showIcon
            style={{ marginBottom: 12 }}
            data-testid="intake-ticket"
            title={t('intakeFromTicket', {
              number: prefill.ticketNumber,
              customer: prefill.customerName || '—',
              phone: prefill.phone || '—',
            })}
          />
        )}
        <Form<Values>
          form={form}
          layout="vertical"
          requiredMark
          initialValues={{
            kind: 'complaint',
            channel: !prefill && me.positions.includes('agent') ? 'hotline' : 'counter',
            priority: 'normal',
            concernsUnitId: me.unitId,
          }}
        >
          <Row gutter={24}>
            <Col xs={24} md={14}>
              <Form.Item name="phone" label={t('callerPhone')} extra={t('callerPhoneHint')}>
                <Input.Search
                  enterButton={t('lookup')}
                  loading={looking}
                  inputMode="tel"
                  maxLength={14}
                  onSearch={(value) => void lookup(value)}
                  onChange={() => setCaller(null)}
                  data-testid="intake-phone"
                />
              </Form.Item>
              <Row gutter={12}>
                <Col span={8}>
                  <Form.Item
                    name="kind"
                    label={t('kind')}
                    rules={[{ required: true, message: t('required') }]}
                  >
                    <Select
                      data-testid="intake-kind"
                      options={KINDS.map((k) => ({ value: k, label: t(`kind.${k}`) }))}
                    />
                  </Form.Item>
                </Col>
                <Col span={8}>
                  <Form.Item
                    name="channel"
                    label={t('channel')}
                    rules={[{ required: true, message: t('required') }]}
                  >
                    <Select
                      data-testid="intake-channel"
                      options={CHANNELS.map((c) => ({ value: c, label: t(`channel.${c}`) }))}
                    />
                  </Form.Item>
                </Col>
                <Col span={8}>
                  <Form.Item name="priority" label={t('priority')}>
                    <Select
                      data-testid="intake-priority"
                      options={PRIORITIES.map((p) => ({ value: p, label: t(`priority.${p}`) }))}
                    />
                  </Form.Item>
                </Col>
              </Row>
              <Form.Item
                name="categoryId"
                label={t('category')}
                rules={[{ required: true, message: t('required') }]}
              >
                <TreeSelect
                  data-testid="intake-category"
                  treeData={tree}
                  treeDefaultExpandAll
                  showSearch={{ treeNodeFilterProp: 'title' }}
                  popupMatchSelectWidth={false}
                />
              </Form.Item>
              <Row gutter={12}>
                <Col span={12}>
                  <Form.Item
                    name="concernsUnitId"
                    label={t('concernsUnit')}
                    rules={[{ required: true, message: t('required') }]}
                  >
                    <OrderUnitSelect data-testid="intake-concerns" />
                  </Form.Item>
                </Col>
                <Col span={12}>
                  <Form.Item name="handlingUnitId" label={t('handlingUnitPick')}>
                    <Select
                      data-testid="intake-handling"
                      showSearch={{ optionFilterProp: 'label' }}
                      options={units.map((u) => ({ value: u.id, label: unitLabel(u) }))}
                    />
                  </Form.Item>
                </Col>
              </Row>
              <Row gutter={12}>
                <Col span={12}>
                  <Form.Item name="contactPhone" label={t('contactPhone')} extra={t('contactPhoneHint')}>
                    <Input inputMode="tel" maxLength={11} data-testid="intake-contact" />
                  </Form.Item>
                </Col>
                <Col span={12}>
                  {customer && customer.subscriptions.length > 0 && (
                    <Form.Item name="subscriptionId" label={t('subscription')}>
                      <Select
                        allowClear
                        data-testid="intake-subscription"
                        options={customer.subscriptions.map((s) => ({
                          value: s.id,
                          label: `${s.number} · ${s.kind}`,
                        }))}
                      />
                    </Form.Item>
                  )}
                </Col>
              </Row>
              {kind === 'appeal' && (
                <Row gutter={12}>
                  <Col span={12}>
                    <Form.Item name="regulatorRef" label={t('regulatorRef')}>
                      <Input
                        maxLength={maxLengthOf(NewWorkOrder, 'regulatorRef')}
                        data-testid="intake-regulator-ref"
                      />
                    </Form.Item>
                  </Col>
                  <Col span={12}>
                    <Form.Item name="deadline" label={t('deadline')}>
                      <DatePicker showTime style={{ width: '100%' }} />
                    </Form.Item>
                  </Col>
                </Row>
              )}
              <Form.Item name="title" label={t('title')} rules={[{ required: true, message: t('required') }]}>
                <Input maxLength={maxLengthOf(NewWorkOrder, 'title')} showCount data-testid="intake-title" />
              </Form.Item>
              <Form.Item
                name="description"
                label={t('description')}
                rules={[{ required: true, message: t('required') }]}
              >
                <Input.TextArea
                  rows={4}
                  maxLength={maxLengthOf(NewWorkOrder, 'description')}
                  data-testid="intake-description"
                />
              </Form.Item>
              <Form.Item label={t('attachment')} style={{ marginBottom: 0 }}>
                <Upload
                  maxCount={1}
                  fileList={files}
                  beforeUpload={() => false}
                  onChange={({ fileList }) => setFiles(fileList.slice(-1))}
                  data-testid="intake-file"
                >
                  <Button icon={<PaperClipOutlined />}>{t('chooseFile')}</Button>
                </Upload>
              </Form.Item>
            </Col>
            <Col xs={24} md={10} data-testid="intake-caller">
              {caller === null ? (
                <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('callerPhoneHint')} />
              ) : (
                <>
                  {customer ? (
                    <Descriptions
                      size="small"
                      column={1}
                      bordered
                      title={t('callerFound')}
                      data-testid="intake-customer"
                      items={[
                        {
                          key: 'name',
                          label: t('customer'),
                          children: (
                            <>
                              {customer.name}{' '}
                              {customer.tier in CLUB_TIERS && (
                                <Tag color={CLUB_TIERS[customer.tier as ClubTier].color}>
                                  {lang === 'en-US'
                                    ? CLUB_TIERS[customer.tier as ClubTier].en
                                    : CLUB_TIERS[customer.tier as ClubTier].zh}
                                </Tag>
                              )}
                            </>
                          ),
                        },
                        { key: 'phone', label: t('contactPhone'), children: customer.phone },
                      ]}
                    />
                  ) : (
                    <Alert type="warning" showIcon title={t('callerUnknown')} data-testid="intake-unknown" />
                  )}
                  <Typography.Title level={5} style={{ marginTop: 16 }}>
                    {t('earlierOrders')}
                  </Typography.Title>
                  <List
                    size="small"
                    bordered
                    data-testid="intake-earlier"
                    locale={{ emptyText: t('noEarlier') }}
                    dataSource={caller.earlier}
                    renderItem={(o) => (
                      <List.Item key={o.id}>
                        <div style={{ width: '100%' }}>
                          <Link to={`/work-orders/${o.id}`} target="_blank">
                            {o.number}
                          </Link>{' '}
                          <Tag>{t(`kind.${o.kind}`)}</Tag>
                          <StateTag state={o.state} t={t} />
                          <div>
                            <Typography.Text>{o.title}</Typography.Text>{' '}
                            <Typography.Text type="secondary">{formatDate(o.createdAt)}</Typography.Text>
                          </div>
                        </div>
                      </List.Item>
                    )}
                  />
                </>
              )}
            </Col>
          </Row>
        </Form>
      </div>
    </Modal>
  );
}

export default IntakeModal;
