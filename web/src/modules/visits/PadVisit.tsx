/**
 * The customer's second screen during a visit (on the counter's rating pad): the lines and the total in large
 * type, a 6-digit keypad when the clerk asks for the service password, and the signature canvas with the
 * terms to read when the clerk asks the customer to sign. Fits a 1280×800 tablet and a 1080×1920 portrait screen.
 */
import { CheckCircleFilled, LockOutlined } from '@ant-design/icons';
import { Alert, Button, Flex, Input, Typography } from 'antd';
import { useEffect, useRef, useState } from 'react';
import type { z } from 'zod';
import type { PadVisit as PadVisitSchema } from '../../../../src/modules/visits/contract.ts';
import { errorText } from '../../platform/api.ts';
import { useT } from '../../platform/i18n.tsx';
import type { QueueClient } from '../queue/client.ts';
import { Keypad } from '../queue/Keypad.tsx';
import { messages } from './messages.ts';
import { yuan } from './money.ts';
import { SignatureCanvas } from './SignatureCanvas.tsx';
import type { SignatureHandle } from './SignatureCanvas.tsx';

export type PadVisitState = NonNullable<z.infer<typeof PadVisitSchema>['visit']>;

export function PadVisit({
  visit,
  client,
  onChanged,
}: {
  visit: PadVisitState;
  client: QueueClient;
  onChanged: () => Promise<void>;
}) {
  const { t, pick, lang } = useT(messages);
  const [password, setPassword] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState<'password' | 'signature' | null>(null);
  const [drawn, setDrawn] = useState(false);
  const canvas = useRef<SignatureHandle>(null);
  const portrait = typeof window !== 'undefined' && window.innerHeight > window.innerWidth;

  const askingFor = visit.passwordFor?.subscriptionId ?? null;
  useEffect(() => {
    setPassword('');
    setError(null);
  }, [askingFor]);
  useEffect(() => {
    if (!done) return;
    const id = window.setTimeout(() => setDone(null), 4000);
    return () => window.clearTimeout(id);
  }, [done]);

  const send = async (path: string, body: unknown, what: 'password' | 'signature') => {
    setBusy(true);
    setError(null);
    try {
      await client.post(path, body);
      setDone(what);
      setPassword('');
      await onChanged();
    } catch (e) {
      setError(e);
      setPassword('');
    } finally {
      setBusy(false);
    }
  };

  const lines = (
    <div data-testid="pad-visit-lines" style={{ width: '100%' }}>
      <Typography.Title level={2} style={{ marginTop: 0 }}>
        {t('padTitle')}
      </Typography.Title>
      {visit.lines.map((l, i) => (
        <Flex
          key={i}
          justify="space-between"
          style={{ fontSize: 24, padding: '8px 0', borderBottom: '1px solid #f0f0f0' }}
        >
          <span>{pick({ zh: l.businessZh, en: l.businessEn })}</span>
          <span style={{ fontVariantNumeric: 'tabular-nums' }}>{yuan(l.feeFen)}</span>
        </Flex>
      ))}
      <Flex justify="space-between" style={{ fontSize: 30, fontWeight: 700, paddingTop: 12 }}>
        <span>{t('total')}</span>
        <span data-testid="pad-visit-total" style={{ color: '#c8102e' }}>
          {yuan(visit.totals.totalFen)}
        </span>
      </Flex>
    </div>
  );

  let action: React.ReactNode;
  if (visit.passwordFor) {
    action = (
      <Flex vertical align="center" gap={16} data-testid="pad-password" style={{ width: '100%' }}>
        <Typography.Title level={3} style={{ margin: 0, textAlign: 'center' }}>
          <LockOutlined /> {t('padPassword', { number: visit.passwordFor.number })}
        </Typography.Title>
        <Input.Password
          readOnly
          maxLength={6}
          value={password}
          visibilityToggle={false}
          style={{ maxWidth: 420, fontSize: 32, textAlign: 'center', letterSpacing: 12 }}
          data-testid="pad-password-shown"
        />
        <Keypad value={password} onChange={setPassword} maxLength={6} testId="pad-keypad" />
        <Button
          type="primary"
          size="large"
          disabled={password.length !== 6}
          loading={busy}
          onClick={() => void send('/api/counter-pad/password', { password }, 'password')}
          style={{ minWidth: 260, height: 64, fontSize: 24 }}
          data-testid="pad-password-submit"
        >
          {t('padPasswordOk')}
        </Button>
      </Flex>
    );
  } else if (visit.awaitingSignature) {
    const width = portrait ? 1000 : 720;
    action = (
      <Flex vertical gap={12} data-testid="pad-sign" style={{ width: '100%' }}>
        <Typography.Title level={4} style={{ margin: 0 }}>
          {t('padTerms')}
        </Typography.Title>
        <div
          data-testid="pad-terms"
          style={{
            maxHeight: portrait ? 360 : 130,
            overflowY: 'auto',
            fontSize: 18,
            whiteSpace: 'pre-wrap',
            background: '#fff',
            padding: 12,
            borderRadius: 8,
          }}
        >
          {pick(visit.terms)}
        </div>
        <Typography.Text style={{ fontSize: 20 }}>{t('padSignHere')}</Typography.Text>
        <SignatureCanvas
          ref={canvas}
          width={width}
          height={portrait ? 560 : 220}
          clearLabel={t('padSignClear')}
          testId="pad-sign-canvas"
          onChange={setDrawn}
          large
        />
        <Button
          type="primary"
          size="large"
          disabled={!drawn}
          loading={busy}
          onClick={() => {
            const png = canvas.current?.png();
            if (png) void send('/api/counter-pad/sign', { signature: png }, 'signature');
          }}
          style={{ height: 64, fontSize: 24 }}
          data-testid="pad-sign-submit"
        >
          {t('padSignOk')}
        </Button>
      </Flex>
    );
  } else {
    action = (
      <Typography.Title
        level={3}
        type="secondary"
        style={{ textAlign: 'center' }}
        data-testid="pad-visit-wait"
      >
        {done === 'password' ? (
          <>
            <CheckCircleFilled style={{ color: '#389e0d' }} /> {t('padPasswordSent')}
          </>
        ) : done === 'signature' || visit.status === 'signed' ? (
          <>
            <CheckCircleFilled style={{ color: '#389e0d' }} /> {t('padSigned')}
          </>
        ) : (
          t('padWait')
        )}
      </Typography.Title>
    );
  }

  return (
    <Flex
      data-testid="pad-visit"
      vertical={portrait}
      gap={24}
      style={{ flex: 1, width: '100%', padding: '12px 0', alignItems: portrait ? 'stretch' : 'flex-start' }}
    >
      <div style={{ flex: portrait ? 'none' : '0 0 40%', minWidth: 0 }}>{lines}</div>
      <Flex vertical align="center" gap={12} style={{ flex: 1, minWidth: 0 }}>
        {error !== null && (
          <Alert
            type="error"
            showIcon
            title={errorText(error, lang)}
            data-testid="pad-visit-error"
            style={{ fontSize: 18, width: '100%' }}
          />
        )}
        {action}
      </Flex>
    </Flex>
  );
}
