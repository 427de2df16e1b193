/**
 * /change-password: current, new and confirmation, with the rules shown and checked as one types
 * (the server checks them again). Forced after an initial or expired password: nothing else opens.
 */
import { CheckCircleFilled, CloseCircleOutlined, LogoutOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Flex, Form, Input, Typography } from 'antd';
import { useState } from 'react';
import { useNavigate } from 'react-router';
import { characterClasses } from '../../../../src/core/password-policy.ts';
import { ChangePasswordBody } from '../../../../src/modules/auth/contract.ts';
import { maxLengthOf } from '../../platform/limits.ts';
import { ApiError, api, errorText } from '../../platform/api.ts';
import { useAuth, useMe } from '../../platform/auth.tsx';
import { useFeedback } from '../../platform/feedback.ts';
import { useT } from '../../platform/i18n.tsx';
import { AuthShell } from './LoginPage.tsx';
import { messages } from './messages.ts';

interface ChangeForm {
  currentPassword: string;
  newPassword: string;
  confirmPassword: string;
}

export default function ChangePasswordPage() {
  const me = useMe();
  const { refresh, logout } = useAuth();
  const { t, lang } = useT(messages);
  const feedback = useFeedback();
  const navigate = useNavigate();
  const [form] = Form.useForm<ChangeForm>();
  const newPassword = Form.useWatch('newPassword', form) ?? '';
  const currentPassword = Form.useWatch('currentPassword', form) ?? '';
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const forced = me.mustChangePassword;
  // The rules in force for the caller's unit (settings auth.passwordMinLength / auth.passwordMinClasses).
  const { minLength: MIN_LENGTH, minClasses: MIN_CLASSES } = me.passwordRules;

  const rules = [
    { ok: [...newPassword].length >= MIN_LENGTH, text: t('ruleLength', { n: MIN_LENGTH }) },
    { ok: characterClasses(newPassword) >= MIN_CLASSES, text: t('ruleClasses', { n: MIN_CLASSES }) },
    {
      ok: newPassword.length > 0 && !newPassword.toLowerCase().includes(me.username.toLowerCase()),
      text: t('ruleUsername'),
    },
    { ok: newPassword.length > 0 && newPassword !== currentPassword, text: t('ruleDiffer') },
  ];

  const onFinish = async (values: ChangeForm) => {
    setBusy(true);
    setError(null);
    try {
      await api.post<void>('/api/auth/password', {
        currentPassword: values.currentPassword,
        newPassword: values.newPassword,
      });
      feedback.success(t('changed'));
      await refresh();
      void navigate('/', { replace: true });
    } catch (e) {
      setError(e);
      if (e instanceof ApiError && e.problem.errors?.length) feedback.formError(form, e);
    } finally {
      setBusy(false);
    }
  };

  const onLogout = async () => {
    await logout().catch(() => undefined);
    void navigate('/login', { replace: true });
  };

  return (
    <AuthShell>
      <Card
        style={{ width: 460, maxWidth: '100%' }}
        title={t('changeTitle')}
        extra={
          forced ? (
            <Button icon={<LogoutOutlined />} onClick={() => void onLogout()} data-testid="logout">
              {t('header.logout')}
            </Button>
          ) : (
            <Button onClick={() => void navigate(-1)}>{t('back')}</Button>
          )
        }
      >
        {forced && (
          <Alert
            type="warning"
            showIcon
            title={t('forcedNotice')}
            style={{ marginBottom: 16 }}
            data-testid="forced-notice"
          />
        )}
        <Typography.Paragraph type="secondary" style={{ marginBottom: 12 }}>
          {me.name} · {me.username} · {me.unitName}
        </Typography.Paragraph>
        <Form<ChangeForm>
          form={form}
          layout="vertical"
          onFinish={(v) => void onFinish(v)}
          requiredMark={false}
        >
          <Form.Item
            name="currentPassword"
            label={t('currentPassword')}
            rules={[{ required: true, message: t('currentRequired') }]}
          >
            <Input.Password
              maxLength={maxLengthOf(ChangePasswordBody, 'currentPassword')}
              autoComplete="current-password"
              data-testid="current-password"
            />
          </Form.Item>
          <Form.Item
            name="newPassword"
            label={t('newPassword')}
            rules={[
              { required: true, message: t('newRequired') },
              {
                validator: async (_r, value: string | undefined) => {
                  if (!value) return;
                  if ([...value].length < MIN_LENGTH || characterClasses(value) < MIN_CLASSES) {
                    throw new Error(t('weak'));
                  }
                },
              },
            ]}
          >
            <Input.Password
              maxLength={maxLengthOf(ChangePasswordBody, 'newPassword')}
              autoComplete="new-password"
              data-testid="new-password"
            />
          </Form.Item>
          <Form.Item
            name="confirmPassword"
            label={t('confirmPassword')}
            dependencies={['newPassword']}
            rules={[
              { required: true, message: t('newRequired') },
              ({ getFieldValue }) => ({
                validator: async (_r, value: string | undefined) => {
                  if (value && value !== getFieldValue('newPassword')) throw new Error(t('mismatch'));
                },
              }),
            ]}
          >
            <Input.Password
              maxLength={maxLengthOf(ChangePasswordBody, 'newPassword')}
              autoComplete="new-password"
              data-testid="confirm-password"
            />
          </Form.Item>
          <Typography.Text strong>{t('rules')}</Typography.Text>
          <Flex vertical gap={4} data-testid="password-rules" style={{ margin: '8px 0 16px' }}>
            {rules.map((r) => (
              <Flex key={r.text} gap={8} align="center">
                {r.ok ? (
                  <CheckCircleFilled style={{ color: '#52c41a' }} />
                ) : (
                  <CloseCircleOutlined style={{ color: '#bfbfbf' }} />
                )}
                <Typography.Text type={r.ok ? undefined : 'secondary'}>{r.text}</Typography.Text>
              </Flex>
            ))}
          </Flex>
          {error !== null && (
            <Alert
              type="error"
              showIcon
              title={errorText(error, lang)}
              style={{ marginBottom: 16 }}
              data-testid="change-password-error"
            />
          )}
          <Button type="primary" htmlType="submit" block loading={busy} data-testid="change-password-submit">
            {t('changeSubmit')}
          </Button>
        </Form>
      </Card>
    </AuthShell>
  );
}
