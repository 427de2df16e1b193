/** The frame of the device pages (kiosk, display, e-channel): which hall, which credentials, access problems. */
import { Button, Result, Spin } from 'antd';
import { useEffect, useMemo, useState } from 'react';
import type { ReactNode } from 'react';
import { useParams } from 'react-router';
import type { Me } from '../../../../src/modules/auth/contract.ts';
import { ApiError, errorText } from '../../platform/api.ts';
import { useLang, useT } from '../../platform/i18n.tsx';
import { deviceToken, forgetDeviceToken, queueClient } from './client.ts';
import type { DeviceKind, QueueClient } from './client.ts';

const messages = {
  needsToken: { zh: '此页面需要设备令牌或登录', en: 'This page needs a device token or a login' },
  needsTokenHint: {
    zh: '请以 ?token=<设备令牌> 打开本页（在「设备与令牌」中创建），或先以员工身份登录。',
    en: 'Open this page with ?token=<device token> (created under “Devices & tokens”), or log in as staff first.',
  },
  login: { zh: '员工登录', en: 'Staff login' },
  forget: { zh: '清除本机令牌', en: 'Forget this device’s token' },
  noHall: { zh: '未指定营业厅', en: 'No hall given' },
  noHallHint: {
    zh: '请在地址中指明营业厅，例如 /kiosk/<营业厅ID>。',
    en: 'Name the hall in the address, e.g. /kiosk/<hall id>.',
  },
  retry: { zh: '重试', en: 'Retry' },
};

export interface Device {
  client: QueueClient;
  hallId: string;
}

/**
 * Resolves the hall (from the address, or the device's own unit) and the client (device token from
 * `?token=`, else the session), then renders the page.
 */
export function DevicePage({ kind, children }: { kind: DeviceKind; children: (d: Device) => ReactNode }) {
  const params = useParams();
  const token = useMemo(() => deviceToken(kind), [kind]);
  const client = useMemo(() => queueClient(token), [token]);
  const [ownUnit, setOwnUnit] = useState<string | null | undefined>(params.hallId ? null : undefined);
  const [problem, setProblem] = useState<unknown>(null);

  useEffect(() => {
    if (params.hallId) return;
    let live = true;
    client
      .get<Me>('/api/auth/me')
      .then((me) => live && setOwnUnit(me.unitId))
      .catch((e: unknown) => {
        if (!live) return;
        setProblem(e);
        setOwnUnit(null);
      });
    return () => {
      live = false;
    };
  }, [client, params.hallId]);

  const hallId = params.hallId ?? ownUnit ?? undefined;
  if (problem) return <AccessProblem kind={kind} error={problem} />;
  if (ownUnit === undefined) {
    return (
      <div style={{ padding: 96, textAlign: 'center' }}>
        <Spin size="large" />
      </div>
    );
  }
  if (!hallId) return <AccessProblem kind={kind} error={null} />;
  return <>{children({ client, hallId })}</>;
}

/** 401/403 (no or wrong credentials) or another problem reaching the hall. */
export function AccessProblem({
  kind,
  error,
  onRetry,
}: {
  kind: DeviceKind;
  error: unknown;
  onRetry?: () => void;
}) {
  const { t } = useT(messages);
  const { lang } = useLang();
  const unauth = error instanceof ApiError && (error.status === 401 || error.status === 403);
  const next = encodeURIComponent(window.location.pathname);
  if (error === null) {
    return <Result status="warning" title={t('noHall')} subTitle={t('noHallHint')} />;
  }
  return (
    <Result
      status={unauth ? '403' : 'error'}
      title={unauth ? t('needsToken') : errorText(error, lang)}
      subTitle={unauth ? `${errorText(error, lang)} — ${t('needsTokenHint')}` : undefined}
      data-testid="device-problem"
      extra={[
        <Button key="login" type="primary" href={`/login?next=${next}`}>
          {t('login')}
        </Button>,
        onRetry ? (
          <Button key="retry" onClick={onRetry}>
            {t('retry')}
          </Button>
        ) : null,
        <Button
          key="forget"
          onClick={() => {
            forgetDeviceToken(kind);
            window.location.reload();
          }}
        >
          {t('forget')}
        </Button>,
      ]}
    />
  );
}
