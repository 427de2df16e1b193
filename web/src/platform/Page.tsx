/** Common pieces of a page: its title bar, the 403 result, a guard by permission. */
import { Button, Flex, Result, Typography } from 'antd';
import type { ReactNode } from 'react';
import { useNavigate } from 'react-router';
import { mayOpen } from './access.ts';
import type { PageKey } from './access.ts';
import { useMe } from './auth.tsx';
import { useT } from './i18n.tsx';
import { common } from './messages.ts';

export function PageTitle({
  title,
  extra,
  testId,
}: {
  title: ReactNode;
  extra?: ReactNode;
  testId?: string;
}) {
  return (
    <Flex align="center" justify="space-between" wrap gap={12} style={{ marginBottom: 16 }}>
      <Typography.Title level={4} style={{ margin: 0 }} data-testid={testId}>
        {title}
      </Typography.Title>
      {extra && (
        <Flex gap={8} wrap>
          {extra}
        </Flex>
      )}
    </Flex>
  );
}

export function Forbidden() {
  const { t } = useT(common);
  const navigate = useNavigate();
  return (
    <Result
      status="403"
      title="403"
      subTitle={t('noPermission')}
      extra={
        <Button type="primary" onClick={() => void navigate('/')}>
          {t('backHome')}
        </Button>
      }
    />
  );
}

export function NotFound() {
  const { t } = useT(common);
  const navigate = useNavigate();
  return (
    <Result
      status="404"
      title="404"
      subTitle={t('notFound')}
      extra={
        <Button type="primary" onClick={() => void navigate('/')}>
          {t('backHome')}
        </Button>
      }
    />
  );
}

/** Renders the page only for people whose position may open it. */
export function Guard({ page, children }: { page: PageKey; children: ReactNode }) {
  const me = useMe();
  return mayOpen(me, page) ? <>{children}</> : <Forbidden />;
}
