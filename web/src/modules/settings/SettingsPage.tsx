/** /settings: every number of the norms in force for a unit, where it comes from, overrides and history. */
import { EditOutlined, HistoryOutlined } from '@ant-design/icons';
import {
  Alert,
  Button,
  Flex,
  Form,
  Input,
  InputNumber,
  Modal,
  Radio,
  Switch,
  Table,
  Tag,
  Tooltip,
  Typography,
} from 'antd';
import { useCallback, useEffect, useMemo, useState } from 'react';
import { SETTINGS } from '../../../../src/core/settings.ts';
import type { SettingDef, SettingUnit } from '../../../../src/core/settings.ts';
import type { SettingInForce } from '../../../../src/modules/settings/contract.ts';
import { FormModal } from '../../platform/FormModal.tsx';
import { hasPermission } from '../../platform/access.ts';
import { api, errorText } from '../../platform/api.ts';
import { useMe } from '../../platform/auth.tsx';
import { useFeedback } from '../../platform/feedback.ts';
import { useT } from '../../platform/i18n.tsx';
import type { Lang } from '../../platform/i18n.tsx';
import { formatDateTime } from '../../platform/labels.ts';
import { common } from '../../platform/messages.ts';
import { PageTitle } from '../../platform/Page.tsx';
import { buttonTestId } from '../../platform/testid.ts';
import { UnitSelect, unitName, useUnits } from '../../platform/units.tsx';
import { WithClauses } from '../../platform/Clause.tsx';

const messages = {
  ...common,
  title: { zh: '参数设置', en: 'Settings' },
  intro: {
    zh: '规范中的各项数值均为默认值，总部、省、地市或单位可逐级覆盖；下级未设置时沿用最近上级的值。',
    en: 'Every number of the norms is a default that headquarters, a province, a city or a unit may override; a unit without its own value takes the nearest one above it.',
  },
  forUnit: { zh: '查看单位', en: 'Unit' },
  setting: { zh: '设置项', en: 'Setting' },
  clause: { zh: '规范条款', en: 'Clause' },
  value: { zh: '当前值', en: 'Value' },
  defaultValue: { zh: '默认值', en: 'Default' },
  source: { zh: '来源', en: 'Comes from' },
  sourceDefault: { zh: '默认值', en: 'Default' },
  since: { zh: '生效时间', en: 'Since' },
  override: { zh: '在此单位设置', en: 'Override here' },
  history: { zh: '历史', en: 'History' },
  historyOf: { zh: '「{name}」的设置历史', en: 'History of “{name}”' },
  overrideTitle: { zh: '在「{unit}」设置「{name}」', en: 'Set “{name}” at “{unit}”' },
  mode: { zh: '操作', en: 'Action' },
  modeSet: { zh: '设置新值', en: 'Set a value' },
  modeClear: {
    zh: '清除本级设置（恢复沿用上级或默认值）',
    en: 'Clear this level (inherit from above or the default)',
  },
  newValue: { zh: '新值', en: 'New value' },
  reason: { zh: '调整原因', en: 'Reason' },
  reasonRequired: {
    zh: '请说明调整原因（将记入审计日志）',
    en: 'Give a reason (it goes into the audit log)',
  },
  range: { zh: '允许范围：{min} – {max}', en: 'Allowed: {min} – {max}' },
  cleared: { zh: '（清除）', en: '(cleared)' },
  validFrom: { zh: '生效时间', en: 'Valid from' },
  setBy: { zh: '设置人', en: 'Set by' },
  atUnit: { zh: '设置单位', en: 'At unit' },
  noHistory: { zh: '没有设置记录，一直使用默认值', en: 'Never set: the default has always applied' },
  effectNow: {
    zh: '新值立即生效，此前的测量仍按当时的值计算。',
    en: 'The new value applies from now on; earlier measurements keep the value of their time.',
  },
  thisUnit: { zh: '本单位', en: 'this unit' },
  noClause: { zh: '—', en: '—' },
  yuan: { zh: '元', en: 'CNY' },
};

const UNIT_WORDS: Record<SettingUnit, { zh: string; en: string }> = {
  minutes: { zh: '分钟', en: 'min' },
  hours: { zh: '小时', en: 'h' },
  days: { zh: '天', en: 'days' },
  business_days: { zh: '个工作日', en: 'business days' },
  count: { zh: '', en: '' },
  share: { zh: '%', en: '%' },
  fen: { zh: '元', en: 'CNY' },
  flag: { zh: '', en: '' },
};

function formatValue(value: number | boolean | null, unit: SettingUnit, lang: Lang): string {
  if (value === null) return '—';
  if (typeof value === 'boolean') return lang === 'en-US' ? (value ? 'Yes' : 'No') : value ? '是' : '否';
  if (unit === 'share') return `${Number((value * 100).toFixed(4))}%`;
  if (unit === 'fen') return `¥${(value / 100).toLocaleString('zh-CN', { minimumFractionDigits: 2 })}`;
  const plain = UNIT_WORDS[unit][lang === 'en-US' ? 'en' : 'zh'];
  // English singular: 1 day, 1 business day
  const word = lang === 'en-US' && value === 1 && plain.endsWith('days') ? plain.slice(0, -1) : plain;
  return word ? `${value} ${word}` : String(value);
}

/** Shares are edited as percentages and money in yuan; the API takes shares 0–1 and integer fen. */
function toInput(def: SettingDef, value: number): number {
  if (def.unit === 'share') return Number((value * 100).toFixed(4));
  if (def.unit === 'fen') return value / 100;
  return value;
}
function fromInput(def: SettingDef, value: number): number {
  if (def.unit === 'share') return Number((value / 100).toFixed(6));
  if (def.unit === 'fen') return Math.round(value * 100);
  return value;
}

interface Row {
  def: SettingDef;
  inForce: SettingInForce | undefined;
}

interface HistoryEntry {
  unitId: string;
  value: number | boolean | null;
  validFrom: string;
  setBy: string | null;
  setByName: string;
  reason: string;
}

interface OverrideForm {
  mode: 'set' | 'clear';
  value: number | boolean;
  reason: string;
}

function OverrideModal({
  row,
  unitId,
  onClose,
  onSaved,
}: {
  row: Row;
  unitId: string;
  onClose: () => void;
  onSaved: () => void;
}) {
  const { t, pick, lang } = useT(messages);
  const feedback = useFeedback();
  const { byId } = useUnits();
  const [form] = Form.useForm<OverrideForm>();
  const mode = Form.useWatch('mode', form) ?? 'set';
  const { def, inForce } = row;
  const current = inForce?.value ?? def.default;
  const unit = byId.get(unitId);
  const hereNow = inForce?.sourceUnitId === unitId;

  const submit = async () => {
    const v = await form.validateFields();
    let value: number | boolean | null = null;
    if ((v.mode ?? 'set') === 'set')
      value = typeof v.value === 'boolean' ? v.value : fromInput(def, Number(v.value));
    try {
      await api.put(`/api/settings/${encodeURIComponent(def.key)}`, {
        unitId,
        value,
        reason: v.reason.trim(),
      });
      feedback.success(t('saved'));
      onSaved();
    } catch (e) {
      feedback.formError(form, e);
    }
  };

  const min = def.min !== undefined ? toInput(def, def.min) : undefined;
  const max = def.max !== undefined ? toInput(def, def.max) : undefined;
  const suffix =
    def.unit === 'share'
      ? '%'
      : def.unit === 'fen'
        ? t('yuan')
        : UNIT_WORDS[def.unit][lang === 'en-US' ? 'en' : 'zh'];

  return (
    <FormModal
      title={t('overrideTitle', { name: pick(def), unit: unit ? unitName(unit, lang) : t('thisUnit') })}
      onCancel={onClose}
      onSubmit={submit}
      width={560}
      okButtonProps={buttonTestId('setting-save')}
    >
      <Form<OverrideForm>
        form={form}
        layout="vertical"
        initialValues={{
          mode: 'set',
          value: typeof current === 'boolean' ? current : toInput(def, current),
          reason: '',
        }}
      >
        <Typography.Paragraph type="secondary">
          {def.clause ? <WithClauses text={def.clause} /> : null}
          {def.clause ? ' · ' : ''}
          {t('defaultValue')}: {formatValue(def.default, def.unit, lang)}
        </Typography.Paragraph>
        {hereNow && (
          <Form.Item name="mode" label={t('mode')}>
            <Radio.Group
              options={[
                { value: 'set', label: t('modeSet') },
                { value: 'clear', label: t('modeClear') },
              ]}
            />
          </Form.Item>
        )}
        {mode === 'set' && (
          <Form.Item
            name="value"
            label={t('newValue')}
            valuePropName={def.kind === 'boolean' ? 'checked' : 'value'}
            extra={min !== undefined && max !== undefined ? t('range', { min, max }) : undefined}
            rules={[{ required: def.kind !== 'boolean', message: t('required') }]}
          >
            {def.kind === 'boolean' ? (
              <Switch checkedChildren={t('yes')} unCheckedChildren={t('no')} data-testid="setting-value" />
            ) : (
              <InputNumber
                min={min}
                max={max}
                step={def.kind === 'integer' && def.unit !== 'fen' ? 1 : def.unit === 'fen' ? 0.01 : 0.01}
                precision={def.kind === 'integer' && def.unit !== 'fen' ? 0 : undefined}
                suffix={suffix || undefined}
                style={{ width: 220 }}
                data-testid="setting-value"
              />
            )}
          </Form.Item>
        )}
        <Form.Item
          name="reason"
          label={t('reason')}
          rules={[{ required: true, whitespace: true, max: 200, message: t('reasonRequired') }]}
        >
          <Input.TextArea rows={2} maxLength={200} showCount data-testid="setting-reason" />
        </Form.Item>
        <Alert type="info" showIcon title={t('effectNow')} />
      </Form>
    </FormModal>
  );
}

function HistoryModal({ row, unitId, onClose }: { row: Row; unitId: string; onClose: () => void }) {
  const { t, pick, lang } = useT(messages);
  const { byId } = useUnits();
  const [items, setItems] = useState<HistoryEntry[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    let live = true;
    api
      .get<HistoryEntry[]>(`/api/settings/${encodeURIComponent(row.def.key)}/history`, { unitId })
      .then((r) => {
        if (live) setItems([...r].sort((a, b) => b.validFrom.localeCompare(a.validFrom)));
      })
      .catch((e: unknown) => live && setError(e));
    return () => {
      live = false;
    };
  }, [row.def.key, unitId]);
  return (
    <Modal
      open
      title={t('historyOf', { name: pick(row.def) })}
      onCancel={onClose}
      footer={<Button onClick={onClose}>{t('close')}</Button>}
      width={820}
    >
      {error !== null && <Alert type="error" showIcon title={errorText(error, lang)} />}
      <Table<HistoryEntry>
        size="small"
        rowKey={(r) => `${r.unitId}-${r.validFrom}`}
        loading={items === null && error === null}
        dataSource={items ?? []}
        pagination={false}
        locale={{ emptyText: t('noHistory') }}
        data-testid="setting-history"
        columns={[
          {
            title: t('validFrom'),
            dataIndex: 'validFrom',
            width: 170,
            render: (v: string) => formatDateTime(v),
          },
          {
            title: t('atUnit'),
            dataIndex: 'unitId',
            render: (id: string) => {
              const u = byId.get(id);
              return u ? unitName(u, lang) : id.slice(0, 8);
            },
          },
          {
            title: t('value'),
            dataIndex: 'value',
            width: 120,
            render: (v: HistoryEntry['value']) =>
              v === null ? <Tag>{t('cleared')}</Tag> : formatValue(v, row.def.unit, lang),
          },
          {
            title: t('setBy'),
            dataIndex: 'setByName',
            width: 110,
            render: (v: string, r: HistoryEntry) =>
              r.setBy ? <Tooltip title={r.setBy}>{v || r.setBy.slice(0, 8)}</Tooltip> : '—',
          },
          { title: t('reason'), dataIndex: 'reason', render: (v: string) => v || '—' },
        ]}
      />
    </Modal>
  );
}

export default function SettingsPage() {
  const me = useMe();
  const { t, pick, lang } = useT(messages);
  const feedback = useFeedback();
  const { byId } = useUnits();
  const [unitId, setUnitId] = useState(me.unitId);
  const [inForce, setInForce] = useState<SettingInForce[]>([]);
  const [loading, setLoading] = useState(false);
  const [editing, setEditing] = useState<Row | null>(null);
  const [history, setHistory] = useState<Row | null>(null);
  const mayWrite = hasPermission(me, 'settings.write');

  const load = useCallback(async () => {
    setLoading(true);
    try {
      setInForce(await api.get<SettingInForce[]>('/api/settings', { unitId }));
    } catch (e) {
      feedback.error(e);
      setInForce([]);
    } finally {
      setLoading(false);
    }
  }, [unitId, feedback]);

  useEffect(() => {
    void load();
  }, [load]);

  const rows = useMemo<Row[]>(() => {
    const byKey = new Map(inForce.map((s) => [s.key, s]));
    return SETTINGS.map((def) => ({ def, inForce: byKey.get(def.key) }));
  }, [inForce]);

  return (
    <div data-testid="page-settings">
      <PageTitle
        title={t('title')}
        extra={
          <Flex gap={8} align="center">
            <Typography.Text type="secondary">{t('forUnit')}</Typography.Text>
            <UnitSelect
              value={unitId}
              onChange={(v) => v && setUnitId(v)}
              style={{ width: 280 }}
              data-testid="settings-unit"
            />
          </Flex>
        }
      />
      <Alert type="info" showIcon title={t('intro')} style={{ marginBottom: 16 }} />
      <Table<Row>
        rowKey={(r) => r.def.key}
        loading={loading}
        dataSource={rows}
        pagination={false}
        size="middle"
        scroll={{ x: 1100 }}
        data-testid="settings-table"
        columns={[
          {
            title: t('setting'),
            key: 'name',
            render: (_, r) => (
              // The setting's code (for the API and the command line) only on hover: a page shows no codes.
              <span title={r.def.key}>{pick(r.def)}</span>
            ),
          },
          {
            title: t('clause'),
            key: 'clause',
            width: 170,
            render: (_, r) => (r.def.clause ? <WithClauses text={r.def.clause} /> : t('noClause')),
          },
          {
            title: t('value'),
            key: 'value',
            width: 140,
            render: (_, r) => {
              const v = r.inForce?.value ?? null;
              return (
                <Typography.Text
                  strong={r.inForce?.sourceUnitId != null}
                  data-testid={`setting-value-${r.def.key}`}
                >
                  {formatValue(v, r.def.unit, lang)}
                </Typography.Text>
              );
            },
          },
          {
            title: t('defaultValue'),
            key: 'default',
            width: 120,
            render: (_, r) => (
              <Typography.Text type="secondary">
                {formatValue(r.def.default, r.def.unit, lang)}
              </Typography.Text>
            ),
          },
          {
            title: t('source'),
            key: 'source',
            width: 200,
            render: (_, r) => {
              const src = r.inForce?.sourceUnitId;
              if (!src) return <Tag>{t('sourceDefault')}</Tag>;
              const u = byId.get(src);
              return (
                <Tag
                  color={src === unitId ? 'red' : 'blue'}
                  style={{ maxWidth: 190, overflow: 'hidden', textOverflow: 'ellipsis' }}
                >
                  {u ? unitName(u, lang) : src.slice(0, 8)}
                </Tag>
              );
            },
          },
          { title: t('since'), key: 'since', width: 160, render: (_, r) => formatDateTime(r.inForce?.since) },
          {
            title: t('actions'),
            key: 'actions',
            width: mayWrite ? 230 : 100,
            fixed: 'right',
            render: (_, r) => (
              <Flex gap={4}>
                {mayWrite && (
                  <Button
                    size="small"
                    icon={<EditOutlined />}
                    onClick={() => setEditing(r)}
                    data-testid={`setting-override-${r.def.key}`}
                  >
                    {t('override')}
                  </Button>
                )}
                <Button
                  size="small"
                  type="text"
                  icon={<HistoryOutlined />}
                  onClick={() => setHistory(r)}
                  data-testid={`setting-history-${r.def.key}`}
                >
                  {t('history')}
                </Button>
              </Flex>
            ),
          },
        ]}
      />
      {editing && (
        <OverrideModal
          row={editing}
          unitId={unitId}
          onClose={() => setEditing(null)}
          onSaved={() => {
            setEditing(null);
            void load();
          }}
        />
      )}
      {history && <HistoryModal row={history} unitId={unitId} onClose={() => setHistory(null)} />}
    </div>
  );
}
