/** /login: user name and password; an initial or expired password leads to the forced change. */
import { LockOutlined, UserOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Flex, Form, Input, Typography } from 'antd';
import { useState } from 'react';
import type { ReactNode } from 'react';
import { Navigate, useNavigate, useSearchParams } from 'react-router';
import { homePath } from '../../platform/access.ts';
import { LoginBody, type Me } from '../../../../src/modules/auth/contract.ts';
import { maxLengthOf } from '../../platform/limits.ts';
import { errorText } from '../../platform/api.ts';
import { useAuth } from '../../platform/auth.tsx';
import { useT } from '../../platform/i18n.tsx';
import { LangSwitch } from '../../platform/Layout.tsx';
import { messages } from './messages.ts';
import { WithClauses } from '../../platform/Clause.tsx';

interface LoginForm {
  username: string;
  password: string;
}

/** Only same-site paths are followed after login; without one, the person's home (a clerk's is the counter). */
function safeNext(next: string | null, me: Me): string {
  return next && next.startsWith('/') && !next.startsWith('//') && !next.startsWith('/login')
    ? next
    : homePath(me);
}

export function AuthShell({ children }: { children: ReactNode }) {
  return (
    <Flex
      vertical
      align="center"
      justify="center"
      style={{
        minHeight: '100vh',
        background: 'linear-gradient(160deg, #f5f5f5 0%, #fde8ea 100%)',
        padding: 24,
      }}
    >
      <div style={{ position: 'absolute', top: 16, right: 24 }}>
        <LangSwitch />
      </div>
      {children}
    </Flex>
  );
}

export default function LoginPage() {
  const { me, login } = useAuth();
  const { t, lang } = useT(messages);
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  if (me)
    return (
      <Navigate to={me.mustChangePassword ? '/change-password' : safeNext(params.get('next'), me)} replace />
    );

  const onFinish = async (values: LoginForm) => {
    setBusy(true);
    setError(null);
    try {
      const who = await login(values.username.trim(), values.password);
      void navigate(who.mustChangePassword ? '/change-password' : safeNext(params.get('next'), who), {
        replace: true,
      });
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  return (
    <AuthShell>
      <Card style={{ width: 380, maxWidth: '100%' }} styles={{ body: { padding: 32 } }}>
        <Flex vertical align="center" gap={4} style={{ marginBottom: 24 }}>
          <span
            style={{
              background: '#c8102e',
              color: '#fff',
              borderRadius: 10,
              width: 48,
              height: 48,
              display: 'inline-flex',
              alignItems: 'center',
              justifyContent: 'center',
              fontSize: 26,
              fontWeight: 600,
            }}
          >
            服
          </span>
          <Typography.Title level={3} style={{ margin: '8px 0 0' }}>
            {t('appName')}
          </Typography.Title>
          <Typography.Text type="secondary">{t('subtitle')}</Typography.Text>
        </Flex>
        <Form<LoginForm>
          layout="vertical"
          onFinish={(v) => void onFinish(v)}
          requiredMark={false}
          autoComplete="on"
        >
          <Form.Item
            name="username"
            label={t('username')}
            rules={[{ required: true, whitespace: true, message: t('usernameRequired') }]}
          >
            <Input
              prefix={<UserOutlined />}
              autoComplete="username"
              maxLength={maxLengthOf(LoginBody, 'username')}
              autoFocus
              data-testid="login-username"
              size="large"
            />
          </Form.Item>
          <Form.Item
            name="password"
            label={t('password')}
            rules={[{ required: true, message: t('passwordRequired') }]}
          >
            <Input.Password
              prefix={<LockOutlined />}
              maxLength={maxLengthOf(LoginBody, 'password')}
              autoComplete="current-password"
              data-testid="login-password"
              size="large"
            />
          </Form.Item>
          {error !== null && (
            <Alert
              type="error"
              showIcon
              title={errorText(error, lang)}
              style={{ marginBottom: 16 }}
              data-testid="login-error"
            />
          )}
          <Button
            type="primary"
            htmlType="submit"
            block
            size="large"
            loading={busy}
            data-testid="login-submit"
          >
            {t('submit')}
          </Button>
        </Form>
        <Typography.Paragraph type="secondary" style={{ marginTop: 16, marginBottom: 0, fontSize: 12 }}>
          <WithClauses text={t('securityNote')} />
        </Typography.Paragraph>
      </Card>
    </AuthShell>
  );
}
