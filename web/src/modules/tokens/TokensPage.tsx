/** /tokens: device tokens (取号机 kiosk, 叫号屏 calling display) and one's own API tokens: list, create, revoke. */
import { PlusOutlined, StopOutlined } from '@ant-design/icons';
import {
  Alert,
  Button,
  Checkbox,
  Form,
  Input,
  InputNumber,
  Popconfirm,
  Radio,
  Select,
  Table,
  Tag,
  Typography,
} from 'antd';
import { useCallback, useEffect, useState } from 'react';
import type { TokenInfo } from '../../../../src/modules/auth/contract.ts';
import type { SettingInForce } from '../../../../src/modules/settings/contract.ts';
import { FormModal } from '../../platform/FormModal.tsx';
import { hasPermission } from '../../platform/access.ts';
import { api } from '../../platform/api.ts';
import { useMe } from '../../platform/auth.tsx';
import { useFeedback } from '../../platform/feedback.ts';
import { useT } from '../../platform/i18n.tsx';
import { DEVICE_POSITION_LABELS, formatDate, formatDateTime } from '../../platform/labels.ts';
import { common } from '../../platform/messages.ts';
import { PageTitle } from '../../platform/Page.tsx';
import { PositionTags } from '../../platform/positions.tsx';
import { SecretModal } from '../../platform/Secret.tsx';
import { buttonTestId } from '../../platform/testid.ts';
import { UnitSelect, unitName, useUnits } from '../../platform/units.tsx';
import { DeviceLinks, HallIdentity } from './DeviceLinks.tsx';
import type { DevicePageKind } from './DeviceLinks.tsx';

const messages = {
  ...common,
  title: { zh: '设备与令牌', en: 'Devices & tokens' },
  intro: {
    zh: '取号机、叫号屏等设备以设备令牌接入；接口令牌供您本人的程序调用 API。令牌只在创建时显示一次，遗失请吊销后重新创建。',
    en: 'Kiosks and calling displays connect with device tokens; API tokens let your own programs call the API. A token is shown only when created: if lost, revoke it and create a new one.',
  },
  create: { zh: '新建令牌', en: 'New token' },
  kind: { zh: '类型', en: 'Kind' },
  device: { zh: '设备令牌', en: 'Device token' },
  client: { zh: '我的接口令牌', en: 'My API token' },
  label: { zh: '名称', en: 'Label' },
  labelHint: { zh: '如「1号取号机」「大厅叫号屏」', en: 'e.g. “Kiosk 1”, “Hall display”' },
  labelRule: { zh: '2–60 个字符', en: '2 to 60 characters' },
  devicePositions: { zh: '设备用途', en: 'Device role' },
  positionsRule: { zh: '请至少选择一项', en: 'Choose at least one' },
  positions: { zh: '权限', en: 'Acts as' },
  expiresInDays: { zh: '有效天数', en: 'Valid for (days)' },
  expiresHintDevice: {
    zh: '留空即默认 {days} 天，最长 {days} 天（设置「设备令牌有效期」）',
    en: 'Empty = the default {days} days, at most {days} (setting “A device token lasts”)',
  },
  neverExpires: { zh: '永不过期（本单位设置允许）', en: 'Never expires (allowed by this unit’s settings)' },
  expiresHintClient: { zh: '1–365 天', en: '1 to 365 days' },
  days: { zh: '天', en: 'days' },
  expiresAt: { zh: '到期时间', en: 'Expires' },
  lastUsedAt: { zh: '最近使用', en: 'Last used' },
  revoke: { zh: '吊销', en: 'Revoke' },
  revokeConfirm: {
    zh: '吊销后使用此令牌的设备或程序将立即无法访问。确定吊销？',
    en: 'Devices or programs using it lose access at once. Revoke?',
  },
  revoked: { zh: '已吊销', en: 'Revoked' },
  expired: { zh: '已过期', en: 'Expired' },
  valid: { zh: '有效', en: 'Valid' },
  never: { zh: '长期', en: 'Never' },
  notUsed: { zh: '从未使用', en: 'Never used' },
  tokenTitle: { zh: '新令牌', en: 'New token' },
  tokenFor: { zh: '「{label}」的令牌', en: 'Token of “{label}”' },
  tokenHint: {
    zh: '在设备或程序中以 Authorization: Bearer <令牌> 使用。',
    en: 'Use it as Authorization: Bearer <token> in the device or program.',
  },
  revokedOk: { zh: '令牌已吊销', en: 'Token revoked' },
  unitRequired: { zh: '请选择单位', en: 'Choose a unit' },
  mine: { zh: '本人', en: 'Mine' },
  noTokens: { zh: '还没有令牌', en: 'No tokens yet' },
  padCounter: { zh: '评价器所属台席', en: 'Counter of the rating pad' },
  padCounterHint: {
    zh: '服务评价器只评价该台席刚办结的号票；在平板上打开 /pad?token=<令牌>',
    en: 'A rating pad rates only what this counter just finished; open /pad?token=<token> on the tablet',
  },
  padCounterRule: { zh: '请选择台席', en: 'Choose a counter' },
};

interface CreateForm {
  kind: 'device' | 'client';
  unitId: string;
  label: string;
  positions: ('device_kiosk' | 'device_display' | 'device_rating_pad')[];
  /** A rating pad's counter. */
  counterId?: string;
  expiresInDays?: number | null;
  neverExpires?: boolean;
}

/** What a unit's settings allow for a new device token: its default (and longest) life, and no expiry. */
interface DeviceExpiry {
  days: number;
  mayNeverExpire: boolean;
}

const DEFAULT_DEVICE_EXPIRY: DeviceExpiry = { days: 365, mayNeverExpire: false };

/** The device-token settings in force at a unit (the defaults until they are read, or if they cannot be). */
function useDeviceExpiry(unitId: string | undefined): DeviceExpiry {
  const [expiry, setExpiry] = useState<DeviceExpiry>(DEFAULT_DEVICE_EXPIRY);
  useEffect(() => {
    if (!unitId) return;
    let live = true;
    api
      .get<SettingInForce[]>('/api/settings', { unitId })
      .then((all) => {
        if (!live) return;
        const days = all.find((x) => x.key === 'auth.deviceTokenDays')?.value;
        const never = all.find((x) => x.key === 'auth.deviceTokenMayNeverExpire')?.value;
        setExpiry({
          days: typeof days === 'number' ? days : DEFAULT_DEVICE_EXPIRY.days,
          mayNeverExpire: never === true,
        });
      })
      .catch(() => live && setExpiry(DEFAULT_DEVICE_EXPIRY));
    return () => {
      live = false;
    };
  }, [unitId]);
  return expiry;
}

/** The counters of a hall, for pairing a rating pad (服务评价器) with one (none for a unit without a queue). */
function usePadCounters(unitId: string | undefined): { id: string; number: number; name: string }[] {
  const [counters, setCounters] = useState<{ id: string; number: number; name: string }[]>([]);
  useEffect(() => {
    setCounters([]);
    if (!unitId) return;
    let live = true;
    api
      .get<{ counters: { id: string; number: number; name: string }[] }>(`/api/halls/${unitId}/queue-config`)
      .then((c) => live && setCounters(c.counters))
      .catch(() => live && setCounters([]));
    return () => {
      live = false;
    };
  }, [unitId]);
  return counters;
}

function CreateTokenModal({
  onClose,
  onCreated,
}: {
  onClose: () => void;
  onCreated: (r: { info: TokenInfo; token: string }) => void;
}) {
  const me = useMe();
  const { t, pick } = useT(messages);
  const feedback = useFeedback();
  const [form] = Form.useForm<CreateForm>();
  const mayDevice = hasPermission(me, 'token.manage');
  const kind = Form.useWatch('kind', form) ?? (mayDevice ? 'device' : 'client');
  const unitId = Form.useWatch('unitId', form) ?? me.unitId;
  const neverExpires = Form.useWatch('neverExpires', form) === true;
  const expiry = useDeviceExpiry(kind === 'device' ? unitId : undefined);
  const positions = Form.useWatch('positions', form);
  const padCounters = usePadCounters(
    kind === 'device' && positions?.includes('device_rating_pad') ? unitId : undefined,
  );

  const submit = async () => {
    const v = await form.validateFields();
    try {
      const days = v.expiresInDays ?? undefined;
      const body =
        v.kind === 'device'
          ? {
              kind: 'device',
              unitId: v.unitId,
              label: v.label.trim(),
              positions: v.positions,
              ...(v.positions.includes('device_rating_pad') && v.counterId ? { counterId: v.counterId } : {}),
              ...(v.neverExpires && expiry.mayNeverExpire
                ? { neverExpires: true }
                : days
                  ? { expiresInDays: days }
                  : {}),
            }
          : { kind: 'client', label: v.label.trim(), ...(days ? { expiresInDays: days } : {}) };
      onCreated(await api.post<{ info: TokenInfo; token: string }>('/api/tokens', body));
    } catch (e) {
      feedback.formError(form, e);
    }
  };

  return (
    <FormModal
      title={t('create')}
      onCancel={onClose}
      onSubmit={submit}
      width={520}
      okButtonProps={buttonTestId('token-create-submit')}
    >
      <Form<CreateForm>
        form={form}
        layout="vertical"
        initialValues={{
          kind: mayDevice ? 'device' : 'client',
          unitId: me.unitId,
          positions: ['device_kiosk'],
          expiresInDays: null,
        }}
        onValuesChange={(changed: Partial<CreateForm>) => {
          if (changed.kind) form.setFieldValue('expiresInDays', changed.kind === 'client' ? 90 : null);
        }}
      >
        <Form.Item name="kind" label={t('kind')}>
          <Radio.Group
            data-testid="token-kind"
            options={[
              { value: 'device', label: t('device'), disabled: !mayDevice },
              { value: 'client', label: t('client') },
            ]}
          />
        </Form.Item>
        {kind === 'device' && (
          <Form.Item name="unitId" label={t('unit')} rules={[{ required: true, message: t('unitRequired') }]}>
            <UnitSelect data-testid="token-unit" />
          </Form.Item>
        )}
        <Form.Item
          name="label"
          label={t('label')}
          extra={t('labelHint')}
          rules={[{ required: true, whitespace: true, min: 2, max: 60, message: t('labelRule') }]}
        >
          <Input maxLength={60} data-testid="token-label" />
        </Form.Item>
        {kind === 'device' && (
          <Form.Item
            name="positions"
            label={t('devicePositions')}
            rules={[{ required: true, type: 'array', min: 1, message: t('positionsRule') }]}
          >
            <Checkbox.Group
              data-testid="token-positions"
              options={(['device_kiosk', 'device_display', 'device_rating_pad'] as const).map((p) => ({
                value: p,
                label: pick(DEVICE_POSITION_LABELS[p]),
              }))}
            />
          </Form.Item>
        )}
        {kind === 'device' && positions?.includes('device_rating_pad') && (
          <Form.Item
            name="counterId"
            label={t('padCounter')}
            extra={t('padCounterHint')}
            rules={[{ required: true, message: t('padCounterRule') }]}
          >
            <Select
              data-testid="token-counter"
              options={padCounters.map((c) => ({ value: c.id, label: `${c.number} · ${c.name}` }))}
            />
          </Form.Item>
        )}
        <Form.Item
          name="expiresInDays"
          label={t('expiresInDays')}
          extra={kind === 'device' ? t('expiresHintDevice', { days: expiry.days }) : t('expiresHintClient')}
          rules={kind === 'client' ? [{ required: true, message: t('expiresHintClient') }] : []}
        >
          <InputNumber
            min={1}
            max={kind === 'device' ? expiry.days : 365}
            precision={0}
            suffix={t('days')}
            placeholder={kind === 'device' ? String(expiry.days) : undefined}
            disabled={kind === 'device' && neverExpires}
            style={{ width: 200 }}
            data-testid="token-expires-days"
          />
        </Form.Item>
        {kind === 'device' && expiry.mayNeverExpire && (
          <Form.Item name="neverExpires" valuePropName="checked">
            <Checkbox data-testid="token-never-expires">{t('neverExpires')}</Checkbox>
          </Form.Item>
        )}
      </Form>
    </FormModal>
  );
}

export default function TokensPage() {
  const { t, lang } = useT(messages);
  const feedback = useFeedback();
  const { byId } = useUnits();
  const [items, setItems] = useState<TokenInfo[]>([]);
  const [loading, setLoading] = useState(false);
  const [creating, setCreating] = useState(false);
  const [created, setCreated] = useState<{ info: TokenInfo; token: string } | null>(null);

  const load = useCallback(async () => {
    setLoading(true);
    try {
      setItems(await api.get<TokenInfo[]>('/api/tokens'));
    } catch (e) {
      feedback.error(e);
    } finally {
      setLoading(false);
    }
  }, [feedback]);

  useEffect(() => {
    void load();
  }, [load]);

  const revoke = async (id: string) => {
    try {
      await api.del(`/api/tokens/${id}`);
      feedback.success(t('revokedOk'));
      void load();
    } catch (e) {
      feedback.error(e);
    }
  };

  const now = Date.now();
  return (
    <div data-testid="page-tokens">
      <PageTitle
        title={t('title')}
        extra={
          <Button
            type="primary"
            icon={<PlusOutlined />}
            onClick={() => setCreating(true)}
            data-testid="token-create"
          >
            {t('create')}
          </Button>
        }
      />
      <Alert type="info" showIcon title={t('intro')} style={{ marginBottom: 16 }} />
      <Table<TokenInfo>
        rowKey="id"
        loading={loading}
        dataSource={items}
        data-testid="tokens-table"
        scroll={{ x: 1000 }}
        locale={{ emptyText: t('noTokens') }}
        pagination={items.length > 20 ? { pageSize: 20 } : false}
        columns={[
          { title: t('label'), dataIndex: 'label', width: 160 },
          {
            title: t('kind'),
            key: 'kind',
            width: 110,
            render: (_, r) =>
              r.staffId ? <Tag color="purple">{t('client')}</Tag> : <Tag color="geekblue">{t('device')}</Tag>,
          },
          {
            title: t('unit'),
            dataIndex: 'unitId',
            width: 200,
            render: (id: string, r) => {
              const u = byId.get(id);
              return (
                <>
                  <div>{u ? unitName(u, lang) : r.unitName}</div>
                  {!r.staffId && u && (
                    <Typography.Text
                      type="secondary"
                      style={{ fontSize: 12 }}
                      data-testid={`token-unit-${r.id}`}
                    >
                      {u.code} ·{' '}
                      <Typography.Text type="secondary" copyable={{ text: id }} style={{ fontSize: 12 }}>
                        {id.slice(0, 8)}…
                      </Typography.Text>
                    </Typography.Text>
                  )}
                </>
              );
            },
          },
          {
            title: t('positions'),
            dataIndex: 'positions',
            width: 170,
            render: (p: string[], r) =>
              p.length > 0 ? <PositionTags positions={p} /> : r.staffId ? <Tag>{t('mine')}</Tag> : '—',
          },
          {
            title: t('createdAt'),
            dataIndex: 'createdAt',
            width: 110,
            render: (v: string) => formatDate(v),
          },
          {
            title: t('expiresAt'),
            dataIndex: 'expiresAt',
            width: 110,
            render: (v: string | null) =>
              v ? formatDate(v) : <Typography.Text type="secondary">{t('never')}</Typography.Text>,
          },
          {
            title: t('lastUsedAt'),
            dataIndex: 'lastUsedAt',
            width: 160,
            render: (v: string | null) =>
              v ? formatDateTime(v) : <Typography.Text type="secondary">{t('notUsed')}</Typography.Text>,
          },
          {
            title: t('status'),
            key: 'status',
            width: 80,
            render: (_, r) =>
              r.revokedAt ? (
                <Tag color="error">{t('revoked')}</Tag>
              ) : r.expiresAt && Date.parse(r.expiresAt) <= now ? (
                <Tag>{t('expired')}</Tag>
              ) : (
                <Tag color="success">{t('valid')}</Tag>
              ),
          },
          {
            title: t('actions'),
            key: 'actions',
            width: 100,
            fixed: 'right',
            render: (_, r) =>
              !r.revokedAt && (
                <Popconfirm
                  title={t('revoke')}
                  description={<div style={{ maxWidth: 280 }}>{t('revokeConfirm')}</div>}
                  okText={t('revoke')}
                  okButtonProps={{ danger: true, ...buttonTestId('token-revoke-confirm') }}
                  cancelText={t('cancel')}
                  onConfirm={() => void revoke(r.id)}
                >
                  <Button size="small" danger icon={<StopOutlined />} data-testid={`token-revoke-${r.id}`}>
                    {t('revoke')}
                  </Button>
                </Popconfirm>
              ),
          },
        ]}
      />
      {creating && (
        <CreateTokenModal
          onClose={() => setCreating(false)}
          onCreated={(r) => {
            setCreating(false);
            setCreated(r);
            void load();
          }}
        />
      )}
      {created && (
        <SecretModal
          title={t('tokenTitle')}
          label={t('tokenFor', { label: created.info.label })}
          secret={created.token}
          testId="new-token"
          extra={
            <>
              <p style={{ margin: '0 0 12px' }}>{t('tokenHint')}</p>
              {!created.info.staffId && (
                <div style={{ marginBottom: 12 }} data-testid="new-token-links">
                  {byId.get(created.info.unitId) && (
                    <div style={{ marginBottom: 12 }}>
                      <HallIdentity id={created.info.unitId} code={byId.get(created.info.unitId)!.code} />
                    </div>
                  )}
                  <DeviceLinks
                    hallId={created.info.unitId}
                    token={created.token}
                    kinds={created.info.positions.flatMap((p): DevicePageKind[] =>
                      p === 'device_kiosk' ? ['kiosk'] : p === 'device_display' ? ['display'] : [],
                    )}
                  />
                </div>
              )}
            </>
          }
          onClose={() => setCreated(null)}
        />
      )}
    </div>
  );
}
