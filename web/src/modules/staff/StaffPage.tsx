/** /staff: the staff of the caller's subtree; add, edit, reset a password (the initial password is shown once). */
import { EditOutlined, KeyOutlined, PlusOutlined, ReloadOutlined } from '@ant-design/icons';
import { Button, Flex, Form, Input, Popconfirm, Switch, Table, Tag, Tooltip } from 'antd';
import { useState } from 'react';
import type { Staff } from '../../../../src/modules/staff/contract.ts';
import { PHONE_PATTERN } from '../../../../src/core/phone.ts';
import { StaffQuery } from '../../../../src/modules/staff/contract.ts';
import { maxLengthOf } from '../../platform/limits.ts';
import { FormModal } from '../../platform/FormModal.tsx';
import { hasPermission } from '../../platform/access.ts';
import { api } from '../../platform/api.ts';
import { useMe } from '../../platform/auth.tsx';
import { useFeedback } from '../../platform/feedback.ts';
import { useT } from '../../platform/i18n.tsx';
import { usePagedList } from '../../platform/usePagedList.ts';
import { formatDate } from '../../platform/labels.ts';
import { common } from '../../platform/messages.ts';
import { PageTitle } from '../../platform/Page.tsx';
import { PositionSelect, PositionTags } from '../../platform/positions.tsx';
import { SecretModal } from '../../platform/Secret.tsx';
import { buttonTestId } from '../../platform/testid.ts';
import { UnitSelect, unitName, useUnits } from '../../platform/units.tsx';

const messages = {
  ...common,
  title: { zh: '员工管理', en: 'Staff' },
  addStaff: { zh: '新增员工', en: 'Add staff' },
  editStaff: { zh: '编辑员工', en: 'Edit staff' },
  username: { zh: '用户名', en: 'User name' },
  staffName: { zh: '姓名', en: 'Name' },
  phone: { zh: '手机号码', en: 'Phone' },
  positions: { zh: '岗位', en: 'Positions' },
  filterUnit: { zh: '所属单位（含下级）', en: 'Unit (with its subtree)' },
  filterText: { zh: '用户名或姓名', en: 'User name or name' },
  filterPosition: { zh: '岗位', en: 'Position' },
  locked: { zh: '已锁定', en: 'Locked' },
  mustChange: { zh: '须修改密码', en: 'Must change password' },
  resetPassword: { zh: '重置密码', en: 'Reset password' },
  resetConfirm: {
    zh: '重置「{name}」的密码？原密码立即失效，新的初始密码只显示一次。',
    en: 'Reset the password of “{name}”? The old one stops working at once; the new initial password is shown once.',
  },
  initialPasswordTitle: { zh: '初始密码', en: 'Initial password' },
  initialPasswordFor: {
    zh: '「{name}」（{username}）的初始密码',
    en: 'Initial password of “{name}” ({username})',
  },
  initialPasswordHint: {
    zh: '员工首次登录时必须修改此密码。',
    en: 'The person must change this password at the first login.',
  },
  usernameRule: {
    zh: '3–32 位，字母开头，仅含小写字母、数字、点、下划线、连字符',
    en: '3–32 characters, starting with a letter; letters, digits, . _ - only',
  },
  nameRule: { zh: '2–40 个字符', en: '2 to 40 characters' },
  phoneRule: { zh: '不是有效的电话号码', en: 'Not a valid phone number' },
  phoneKeep: { zh: '留空则不修改（列表中显示为脱敏号码）', en: 'Leave empty to keep (lists show it masked)' },
  positionsRule: { zh: '请选择 1–10 个岗位', en: 'Choose 1 to 10 positions' },
  unitRequired: { zh: '请选择单位', en: 'Choose a unit' },
  accountActive: { zh: '账号状态', en: 'Account' },
  created: { zh: '已创建员工', en: 'Staff member created' },
  adminOnly: {
    zh: '系统管理员岗位只能由系统管理员授予',
    en: 'Only an administrator may grant the administrator position',
  },
};

interface StaffForm {
  unitId: string;
  username: string;
  name: string;
  phone: string;
  positions: string[];
  active: boolean;
}

const USERNAME = /^[a-z][a-z0-9._-]{2,31}$/;

function StaffModal({
  staff,
  onClose,
  onCreated,
  onSaved,
}: {
  staff: Staff | null;
  onClose: () => void;
  onCreated: (r: { staff: Staff; initialPassword: string }) => void;
  onSaved: (s: Staff) => void;
}) {
  const me = useMe();
  const { t } = useT(messages);
  const feedback = useFeedback();
  const [form] = Form.useForm<StaffForm>();
  const mayGrantAdmin = hasPermission(me, 'staff.grant_admin');

  const submit = async () => {
    const v = await form.validateFields();
    try {
      if (staff) {
        const patch: Record<string, unknown> = {};
        if (v.unitId !== staff.unitId) patch.unitId = v.unitId;
        if (v.name.trim() !== staff.name) patch.name = v.name.trim();
        if (v.phone?.trim()) patch.phone = v.phone.trim();
        if ([...v.positions].sort().join() !== [...staff.positions].sort().join())
          patch.positions = v.positions;
        if (v.active !== staff.active) patch.active = v.active;
        if (Object.keys(patch).length === 0) {
          onClose();
          return;
        }
        onSaved(await api.patch<Staff>(`/api/staff/${staff.id}`, patch));
      } else {
        const reply = await api.post<{ staff: Staff; initialPassword: string }>('/api/staff', {
          unitId: v.unitId,
          username: v.username.trim().toLowerCase(),
          name: v.name.trim(),
          phone: (v.phone ?? '').trim(),
          positions: v.positions,
        });
        onCreated(reply);
      }
    } catch (e) {
      feedback.formError(form, e);
    }
  };

  return (
    <FormModal
      title={staff ? `${t('editStaff')} · ${staff.name}` : t('addStaff')}
      onCancel={onClose}
      onSubmit={submit}
      width={600}
      okButtonProps={buttonTestId('staff-form-submit')}
    >
      <Form<StaffForm>
        form={form}
        layout="vertical"
        data-testid="staff-form"
        initialValues={
          staff
            ? {
                unitId: staff.unitId,
                username: staff.username,
                name: staff.name,
                phone: '',
                positions: staff.positions,
                active: staff.active,
              }
            : { unitId: me.unitId, positions: [], active: true }
        }
      >
        <Form.Item name="unitId" label={t('unit')} rules={[{ required: true, message: t('unitRequired') }]}>
          <UnitSelect data-testid="staff-form-unit" />
        </Form.Item>
        <Form.Item
          name="username"
          label={t('username')}
          extra={staff ? undefined : t('usernameRule')}
          normalize={(v: string) => v?.toLowerCase()}
          rules={staff ? [] : [{ required: true, pattern: USERNAME, message: t('usernameRule') }]}
        >
          <Input
            disabled={staff !== null}
            maxLength={32}
            autoComplete="off"
            data-testid="staff-form-username"
          />
        </Form.Item>
        <Form.Item
          name="name"
          label={t('staffName')}
          rules={[{ required: true, min: 2, max: 40, whitespace: true, message: t('nameRule') }]}
        >
          <Input maxLength={40} data-testid="staff-form-name" />
        </Form.Item>
        <Form.Item
          name="phone"
          label={t('phone')}
          extra={staff ? `${t('phoneKeep')}：${staff.phone || '—'}` : undefined}
          rules={[{ pattern: PHONE_PATTERN, message: t('phoneRule') }]}
        >
          <Input maxLength={16} autoComplete="off" data-testid="staff-form-phone" />
        </Form.Item>
        <Form.Item
          name="positions"
          label={t('positions')}
          extra={mayGrantAdmin ? undefined : t('adminOnly')}
          rules={[{ required: true, type: 'array', min: 1, max: 10, message: t('positionsRule') }]}
        >
          <PositionSelect
            mode="multiple"
            allowClear
            disableAdmin={!mayGrantAdmin}
            data-testid="staff-form-positions"
          />
        </Form.Item>
        {staff && (
          <Form.Item name="active" label={t('accountActive')} valuePropName="checked">
            <Switch
              checkedChildren={t('active')}
              unCheckedChildren={t('inactive')}
              data-testid="staff-form-active"
            />
          </Form.Item>
        )}
      </Form>
    </FormModal>
  );
}

interface Filters {
  unitId?: string;
  q?: string;
  position?: string;
}

export default function StaffPage() {
  const me = useMe();
  const { t, lang } = useT(messages);
  const feedback = useFeedback();
  const { byId } = useUnits();
  const { data, loading, load, filters, setFilter, pagination } = usePagedList<Staff, Filters>('/api/staff');
  const mayWrite = hasPermission(me, 'staff.write');
  const mayReset = hasPermission(me, 'staff.reset_password');
  const [q, setQ] = useState('');
  const [editing, setEditing] = useState<Staff | null | undefined>(undefined);
  const [secret, setSecret] = useState<{ staff: Staff; initialPassword: string } | null>(null);

  const reset = async (s: Staff) => {
    try {
      setSecret(
        await api.post<{ staff: Staff; initialPassword: string }>(`/api/staff/${s.id}/reset-password`),
      );
      void load();
    } catch (e) {
      feedback.error(e);
    }
  };

  return (
    <div data-testid="page-staff">
      <PageTitle
        title={t('title')}
        extra={
          mayWrite && (
            <Button
              type="primary"
              icon={<PlusOutlined />}
              onClick={() => setEditing(null)}
              data-testid="add-staff"
            >
              {t('addStaff')}
            </Button>
          )
        }
      />
      <Flex gap={12} wrap style={{ marginBottom: 16 }}>
        <UnitSelect
          allowClear
          placeholder={t('filterUnit')}
          style={{ width: 260 }}
          value={filters.unitId}
          onChange={(v) => setFilter({ unitId: v ?? undefined })}
          data-testid="staff-filter-unit"
        />
        <Input.Search
          allowClear
          maxLength={maxLengthOf(StaffQuery, 'q')}
          placeholder={t('filterText')}
          style={{ width: 240 }}
          value={q}
          onChange={(e) => {
            setQ(e.target.value);
            if (!e.target.value) setFilter({ q: undefined });
          }}
          onSearch={(v) => setFilter({ q: v.trim() || undefined })}
          data-testid="staff-filter-q"
        />
        <PositionSelect
          allowClear
          placeholder={t('filterPosition')}
          style={{ width: 220 }}
          value={filters.position}
          onChange={(v) => setFilter({ position: typeof v === 'string' ? v : undefined })}
          data-testid="staff-filter-position"
        />
        <Tooltip title={t('refresh')}>
          <Button icon={<ReloadOutlined />} onClick={() => void load()} aria-label={t('refresh')} />
        </Tooltip>
      </Flex>
      <Table<Staff>
        rowKey="id"
        data-testid="staff-table"
        loading={loading}
        dataSource={data.items}
        scroll={{ x: 1100 }}
        pagination={{
          ...pagination,
          showTotal: (n) => t('total', { n }),
        }}
        columns={[
          {
            title: t('username'),
            dataIndex: 'username',
            width: 150,
            ellipsis: true,
            render: (v: string) => <code style={{ whiteSpace: 'nowrap' }}>{v}</code>,
          },
          { title: t('staffName'), dataIndex: 'name', width: 90 },
          {
            title: t('unit'),
            dataIndex: 'unitId',
            width: 170,
            ellipsis: true,
            render: (id: string, r) => {
              const u = byId.get(id);
              return u ? unitName(u, lang) : r.unitName;
            },
          },
          {
            title: t('positions'),
            dataIndex: 'positions',
            render: (p: string[]) => <PositionTags positions={p} />,
          },
          { title: t('phone'), dataIndex: 'phone', width: 125, render: (v: string) => v || '—' },
          {
            title: t('status'),
            width: 150,
            render: (_, r) => (
              <Flex gap={4} wrap>
                {r.active ? <Tag color="success">{t('active')}</Tag> : <Tag>{t('inactive')}</Tag>}
                {r.locked && <Tag color="error">{t('locked')}</Tag>}
                {r.mustChangePassword && <Tag color="warning">{t('mustChange')}</Tag>}
              </Flex>
            ),
          },
          {
            title: t('createdAt'),
            dataIndex: 'createdAt',
            width: 110,
            render: (v: string) => formatDate(v),
          },
          ...(mayWrite || mayReset
            ? [
                {
                  title: t('actions'),
                  key: 'actions',
                  width: 90,
                  fixed: 'right' as const,
                  render: (_: unknown, r: Staff) => (
                    <Flex gap={4}>
                      {mayWrite && (
                        <Tooltip title={t('edit')}>
                          <Button
                            size="small"
                            type="text"
                            icon={<EditOutlined />}
                            onClick={() => setEditing(r)}
                            aria-label={t('edit')}
                            data-testid={`staff-edit-${r.username}`}
                          />
                        </Tooltip>
                      )}
                      {mayReset && r.id !== me.id && (
                        <Popconfirm
                          title={t('resetPassword')}
                          description={
                            <div style={{ maxWidth: 300 }}>{t('resetConfirm', { name: r.name })}</div>
                          }
                          okText={t('resetPassword')}
                          cancelText={t('cancel')}
                          onConfirm={() => void reset(r)}
                          okButtonProps={buttonTestId('staff-reset-confirm')}
                        >
                          <Tooltip title={t('resetPassword')}>
                            <Button
                              size="small"
                              type="text"
                              icon={<KeyOutlined />}
                              aria-label={t('resetPassword')}
                              data-testid={`staff-reset-${r.username}`}
                            />
                          </Tooltip>
                        </Popconfirm>
                      )}
                    </Flex>
                  ),
                },
              ]
            : []),
        ]}
      />
      {editing !== undefined && (
        <StaffModal
          staff={editing}
          onClose={() => setEditing(undefined)}
          onCreated={(r) => {
            setEditing(undefined);
            setSecret(r);
            feedback.success(t('created'));
            void load();
          }}
          onSaved={() => {
            setEditing(undefined);
            feedback.success(t('saved'));
            void load();
          }}
        />
      )}
      {secret && (
        <SecretModal
          title={t('initialPasswordTitle')}
          label={t('initialPasswordFor', { name: secret.staff.name, username: secret.staff.username })}
          secret={secret.initialPassword}
          testId="initial-password"
          extra={<p style={{ margin: '0 0 12px' }}>{t('initialPasswordHint')}</p>}
          onClose={() => setSecret(null)}
        />
      )}
    </div>
  );
}
