/**
 * After signing (SPEC §2.2, 2§3.7 indicator 3), on the visit panel of a signed or closed visit: reprint a
 * copy (副本, counted; the copy's PDF opens), correct a signed line (the line, the field, the right value, who
 * found the error and a note; the corrections listed with who found them and when) and, for a manager, void
 * the document with a reason (作废). Each button shows only for positions holding its permission
 * (`visit.correct`, `visit.void`); the server's refusals are shown in place with its message.
 */
import { CopyOutlined, EditOutlined, FilePdfOutlined, StopOutlined } from '@ant-design/icons';
import {
  Alert,
  Button,
  Card,
  Flex,
  Form,
  Input,
  Popconfirm,
  Radio,
  Select,
  Space,
  Table,
  Tag,
  Typography,
} from 'antd';
import { useMemo, useState } from 'react';
import type { z } from 'zod';
import type { FieldDef } from '../../../../src/core/business-catalogue.ts';
import type { CatalogueInForce, Visit } from '../../../../src/modules/visits/contract.ts';
import { ApiError, api } from '../../platform/api.ts';
import { hasPermission } from '../../platform/access.ts';
import { useMe } from '../../platform/auth.tsx';
import { useFeedback } from '../../platform/feedback.ts';
import { useT } from '../../platform/i18n.tsx';
import { formatDateTime } from '../../platform/labels.ts';
import { buttonTestId } from '../../platform/testid.ts';
import { messages } from './messages.ts';
import { yuan, yuanToFen } from './money.ts';

type Catalogue = z.infer<typeof CatalogueInForce>;
type Correction = Visit['corrections'][number];
type FoundBy = Correction['foundBy'];
type Value = string | number | boolean;
const FOUND_BY: FoundBy[] = ['self', 'audit', 'complaint', 'customer'];

export const copyPdfUrl = (visitId: string) => `/api/visits/${visitId}/document.pdf?copy=true`;

export function AfterSigning({
  visit,
  catalogue,
  onChanged,
}: {
  visit: Visit;
  catalogue: Catalogue | null;
  onChanged: (next?: Visit) => Promise<void>;
}) {
  const { t, lang } = useT(messages);
  const me = useMe();
  const feedback = useFeedback();
  const [refusal, setRefusal] = useState<string | null>(null);
  const [open, setOpen] = useState<'correct' | 'void' | null>(null);
  const [busy, setBusy] = useState(false);
  const doc = visit.document;
  if (!doc || visit.status === 'open') return null;
  const voided = doc.voidedAt !== null;
  const mayCorrect = hasPermission(me, 'visit.correct') && !voided;
  const mayVoid = hasPermission(me, 'visit.void') && !voided;

  /** Runs a command; a refusal stays in place with the server's message. */
  const run = async (call: () => Promise<Visit>, done?: (v: Visit) => void) => {
    setBusy(true);
    setRefusal(null);
    try {
      const next = await call();
      await onChanged(next);
      done?.(next);
      return true;
    } catch (e) {
      if (e instanceof ApiError) setRefusal(e.messageIn(lang));
      else feedback.error(e);
      return false;
    } finally {
      setBusy(false);
    }
  };

  const reprint = () =>
    run(
      () => api.post<Visit>(`/api/visits/${visit.id}/reprint`),
      (next) => {
        feedback.success(t('reprinted', { n: next.document?.copies ?? 0 }));
        window.open(copyPdfUrl(visit.id), '_blank', 'noopener');
      },
    );

  return (
    <Card size="small" title={t('afterSigning')} style={{ marginBottom: 12 }} data-testid="visit-after">
      <Flex vertical gap={8}>
        {voided && (
          <Alert
            type="error"
            showIcon
            icon={<StopOutlined />}
            data-testid="visit-voided"
            title={
              <Space wrap>
                <Tag color="red" style={{ fontSize: 16, padding: '2px 10px' }}>
                  {t('voidedDoc')}
                </Tag>
                <span>
                  {t('voidReason')}：{doc.voidReason ?? '—'}
                </span>
                <Typography.Text type="secondary">
                  {t('voidedAt')}：{formatDateTime(doc.voidedAt)}
                </Typography.Text>
              </Space>
            }
          />
        )}
        {refusal && <Alert type="error" showIcon title={refusal} data-testid="visit-after-refusal" />}
        <Typography.Text data-testid="visit-copies">
          {t('copies')}：<b>{doc.copies}</b>
        </Typography.Text>
        <Space wrap>
          {mayCorrect && (
            <Popconfirm
              title={t('reprintConfirm')}
              okText={t('ok')}
              cancelText={t('cancel')}
              onConfirm={() => void reprint()}
              okButtonProps={buttonTestId('visit-reprint-confirm')}
            >
              <Button icon={<CopyOutlined />} loading={busy} data-testid="visit-reprint">
                {t('reprint')}
              </Button>
            </Popconfirm>
          )}
          {doc.copies > 0 && (
            <Button
              icon={<FilePdfOutlined />}
              href={copyPdfUrl(visit.id)}
              target="_blank"
              data-testid="visit-copy-pdf"
            >
              {t('copyPdf')}
            </Button>
          )}
          {mayCorrect && (
            <Button
              icon={<EditOutlined />}
              onClick={() => setOpen(open === 'correct' ? null : 'correct')}
              data-testid="visit-correct"
            >
              {t('correct')}
            </Button>
          )}
          {mayVoid && (
            <Button
              danger
              icon={<StopOutlined />}
              onClick={() => setOpen(open === 'void' ? null : 'void')}
              data-testid="visit-void"
            >
              {t('voidVisit')}
            </Button>
          )}
        </Space>
        {open === 'correct' && mayCorrect && (
          <CorrectForm
            visit={visit}
            catalogue={catalogue}
            busy={busy}
            onSubmit={(lineId, body) =>
              run(
                () => api.post<Visit>(`/api/visits/${visit.id}/lines/${lineId}/corrections`, body),
                () => {
                  feedback.success(t('corrected'));
                  setOpen(null);
                },
              )
            }
          />
        )}
        {open === 'void' && mayVoid && (
          <VoidForm
            busy={busy}
            onSubmit={(reason) =>
              run(
                () => api.post<Visit>(`/api/visits/${visit.id}/void`, { reason }),
                () => setOpen(null),
              )
            }
          />
        )}
        <Corrections visit={visit} catalogue={catalogue} />
      </Flex>
    </Card>
  );
}

function fieldsOf(catalogue: Catalogue | null, businessCode: string): FieldDef[] {
  return catalogue?.types.find((x) => x.code === businessCode)?.fields ?? [];
}

/** A stored value as the clerk reads it: money in yuan, a choice by its label, a yes/no as ✓/✗. */
function shown(def: FieldDef | undefined, v: Value | null, pick: (b: { zh: string; en: string }) => string) {
  if (v === null) return '—';
  if (typeof v === 'boolean') return v ? '✓' : '✗';
  if (def?.kind === 'money_fen' && typeof v === 'number') return yuan(v);
  if (def?.kind === 'enum') {
    const o = def.options.find((x) => x.value === v);
    if (o) return pick(o);
  }
  return String(v);
}

interface CorrectBody {
  field: string;
  value: Value;
  reason: string;
  foundBy: FoundBy;
}

function CorrectForm({
  visit,
  catalogue,
  busy,
  onSubmit,
}: {
  visit: Visit;
  catalogue: Catalogue | null;
  busy: boolean;
  onSubmit: (lineId: string, body: CorrectBody) => Promise<boolean>;
}) {
  const { t, pick } = useT(messages);
  const [form] = Form.useForm<{
    lineId: string;
    field: string;
    value: string;
    reason: string;
    foundBy: FoundBy;
  }>();
  const lines = visit.lines.filter((l) => l.status === 'done');
  const lineId = Form.useWatch('lineId', form);
  const fieldKey = Form.useWatch('field', form);
  const line = lines.find((l) => l.id === lineId);
  const fields = useMemo(() => (line ? fieldsOf(catalogue, line.businessCode) : []), [line, catalogue]);
  const def = fields.find((f) => f.key === fieldKey);

  const submit = async () => {
    const v = await form.validateFields();
    if (!def) return;
    let value: Value = v.value.trim();
    if (def.kind === 'money_fen') {
      const fen = yuanToFen(v.value);
      if (fen === null) {
        form.setFields([{ name: 'value', errors: [t('yuanRule')] }]);
        return;
      }
      value = fen;
    } else if (def.kind === 'integer') value = Number(v.value);
    else if (def.kind === 'boolean') value = v.value === 'true';
    if (await onSubmit(v.lineId, { field: v.field, value, reason: v.reason, foundBy: v.foundBy }))
      form.resetFields();
  };

  return (
    <Card size="small" type="inner" title={t('correctTitle')} data-testid="visit-correct-form">
      <Form
        form={form}
        layout="vertical"
        initialValues={{ foundBy: 'self', lineId: lines.length === 1 ? lines[0]!.id : undefined }}
        onFinish={() => void submit()}
        onValuesChange={(changed: Record<string, unknown>) => {
          if ('lineId' in changed) form.setFieldsValue({ field: undefined, value: undefined });
          if ('field' in changed) form.setFieldsValue({ value: undefined });
        }}
      >
        <Form.Item
          name="lineId"
          label={t('correctLine')}
          rules={[{ required: true, message: t('required') }]}
        >
          <Select
            showSearch
            optionFilterProp="label"
            data-testid="visit-correct-line"
            options={lines.map((l) => ({
              value: l.id,
              label: `${l.seq}. ${pick({ zh: l.businessZh, en: l.businessEn })}${
                l.subscriptionNumber ? ` ${l.subscriptionNumber}` : ''
              }`,
            }))}
          />
        </Form.Item>
        <Form.Item
          name="field"
          label={t('correctField')}
          rules={[{ required: true, message: t('required') }]}
        >
          <Select
            showSearch
            optionFilterProp="label"
            disabled={!line}
            data-testid="visit-correct-field"
            options={fields.map((f) => ({
              value: f.key,
              label: `${pick(f)}（${shown(f, line?.values[f.key] ?? null, pick)}）`,
            }))}
          />
        </Form.Item>
        <Form.Item
          name="value"
          label={t('correctValue')}
          rules={[{ required: true, message: t('required') }]}
        >
          {def?.kind === 'enum' || def?.kind === 'boolean' ? (
            <Select
              showSearch
              optionFilterProp="label"
              data-testid="visit-correct-value"
              options={
                def.kind === 'enum'
                  ? def.options.map((o) => ({ value: o.value, label: pick(o) }))
                  : [
                      { value: 'true', label: '✓' },
                      { value: 'false', label: '✗' },
                    ]
              }
            />
          ) : (
            <Input
              maxLength={200}
              disabled={!def}
              prefix={def?.kind === 'money_fen' ? '¥' : undefined}
              data-testid="visit-correct-value"
            />
          )}
        </Form.Item>
        <Form.Item name="foundBy" label={t('correctFoundBy')}>
          <Radio.Group
            optionType="button"
            data-testid="visit-correct-found-by"
            options={FOUND_BY.map((f) => ({ value: f, label: t(`foundBy.${f}`) }))}
          />
        </Form.Item>
        <Form.Item
          name="reason"
          label={t('correctReason')}
          rules={[{ required: true, min: 2, max: 200, whitespace: true, message: t('reasonRule') }]}
        >
          <Input maxLength={200} data-testid="visit-correct-reason" />
        </Form.Item>
        <Button type="primary" htmlType="submit" loading={busy} data-testid="visit-correct-submit">
          {t('correctSubmit')}
        </Button>
      </Form>
    </Card>
  );
}

function VoidForm({ busy, onSubmit }: { busy: boolean; onSubmit: (reason: string) => Promise<boolean> }) {
  const { t } = useT(messages);
  const [form] = Form.useForm<{ reason: string }>();
  return (
    <Card size="small" type="inner" title={t('voidTitle')} data-testid="visit-void-form">
      <Form form={form} layout="vertical" onFinish={(v) => void onSubmit(v.reason.trim())}>
        <Form.Item
          name="reason"
          label={t('voidReason')}
          rules={[{ required: true, min: 2, max: 200, whitespace: true, message: t('reasonRule') }]}
        >
          <Input.TextArea maxLength={200} rows={2} data-testid="visit-void-reason" />
        </Form.Item>
        <Button danger type="primary" htmlType="submit" loading={busy} data-testid="visit-void-submit">
          {t('voidSubmit')}
        </Button>
      </Form>
    </Card>
  );
}

function Corrections({ visit, catalogue }: { visit: Visit; catalogue: Catalogue | null }) {
  const { t, pick } = useT(messages);
  if (visit.corrections.length === 0) return null;
  return (
    <Table<Correction>
      size="small"
      rowKey="id"
      pagination={false}
      title={() => <b>{t('corrections')}</b>}
      dataSource={visit.corrections}
      data-testid="visit-corrections"
      scroll={{ x: true }}
      columns={[
        {
          title: t('correctionChange'),
          key: 'c',
          render: (_: unknown, c) => {
            const line = visit.lines.find((l) => l.id === c.lineId);
            const def = line
              ? fieldsOf(catalogue, line.businessCode).find((f) => f.key === c.field)
              : undefined;
            return (
              <span data-testid={`visit-correction-${c.field}`}>
                {line ? `${line.seq}. ${pick({ zh: line.businessZh, en: line.businessEn })} · ` : ''}
                {def ? pick(def) : c.field}：{shown(def, c.before, pick)} → <b>{shown(def, c.after, pick)}</b>
              </span>
            );
          },
        },
        { title: t('correctReason'), dataIndex: 'reason' },
        {
          title: t('correctionWho'),
          key: 'w',
          render: (_: unknown, c) =>
            c.foundBy === 'self' ? (c.foundByName ?? t('foundBy.self')) : t(`foundBy.${c.foundBy}`),
        },
        { title: t('correctionWhen'), dataIndex: 'foundAt', render: (d: string) => formatDateTime(d) },
        { title: t('recordedBy'), dataIndex: 'recordedByName', render: (n: string | null) => n ?? '—' },
      ]}
    />
  );
}
