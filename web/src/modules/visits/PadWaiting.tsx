/**
 * What the counter's pad is waiting for (the visit's `padRequest`): the service password of a number or the
 * signature. Read from the visit itself, so the clerk sees it again after a reload of the page.
 */
import { TabletOutlined } from '@ant-design/icons';
import { Alert } from 'antd';
import type { Visit } from '../../../../src/modules/visits/contract.ts';
import { useT } from '../../platform/i18n.tsx';
import { messages } from './messages.ts';

export function PadWaiting({ visit }: { visit: Visit }) {
  const { t } = useT(messages);
  const req = visit.padRequest;
  if (!req || visit.status !== 'open') return null;
  return (
    <Alert
      type="info"
      showIcon
      icon={<TabletOutlined />}
      style={{ marginBottom: 12 }}
      data-testid="visit-pad-waiting"
      title={
        req.kind === 'password'
          ? t('padWaitingPassword', { number: req.number ?? '—' })
          : t('padWaitingSignature')
      }
    />
  );
}
