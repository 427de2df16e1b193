/**
 * Where a hall's devices open their page: the kiosk's, the calling display's and the e-channel's full
 * address, each with a QR code to open it on the device (issue #12). With a new device token, the address
 * carries it once (`?token=…`: the page keeps it and takes it out of the address bar).
 */
import { Flex, QRCode, Typography } from 'antd';
import { useT } from '../../platform/i18n.tsx';

const messages = {
  kiosk: { zh: '取号机页面', en: 'Kiosk page' },
  display: { zh: '叫号屏页面', en: 'Calling display page' },
  remote: { zh: '远程取号页面（客户手机）', en: 'Remote ticket page (customers’ phones)' },
  scanHint: {
    zh: '在设备上用浏览器打开此地址，或用设备扫描二维码；地址含令牌，请勿外传。',
    en: 'Open this address in the device’s browser, or scan the QR code with the device; it holds the token: do not share it.',
  },
  hallId: { zh: '营业厅ID', en: 'Hall ID' },
  hallCode: { zh: '营业厅编码', en: 'Hall code' },
};

export type DevicePageKind = 'kiosk' | 'display' | 'remote';

/** The full address of a device page of a hall, with the device token when given. */
export function devicePageUrl(
  kind: DevicePageKind,
  hallId: string,
  token?: string,
  origin = window.location.origin,
): string {
  const path = kind === 'remote' ? `/m/halls/${hallId}` : `/${kind}/${hallId}`;
  return `${origin}${path}${token ? `?token=${encodeURIComponent(token)}` : ''}`;
}

/** A hall's id and code, both copyable. */
export function HallIdentity({ id, code }: { id: string; code: string }) {
  const { t } = useT(messages);
  return (
    <Flex gap={16} wrap data-testid="hall-identity">
      <span>
        {t('hallCode')}：
        <Typography.Text code copyable data-testid="hall-code">
          {code}
        </Typography.Text>
      </span>
      <span>
        {t('hallId')}：
        <Typography.Text code copyable data-testid="hall-id">
          {id}
        </Typography.Text>
      </span>
    </Flex>
  );
}

/** The addresses (and QR codes) of the given device pages of a hall. */
export function DeviceLinks({
  hallId,
  kinds,
  token,
  qr = true,
}: {
  hallId: string;
  kinds: DevicePageKind[];
  token?: string;
  qr?: boolean;
}) {
  const { t } = useT(messages);
  return (
    <Flex vertical gap={16}>
      {kinds.map((kind) => {
        const url = devicePageUrl(kind, hallId, token);
        return (
          <Flex key={kind} gap={16} align="center" data-testid={`device-link-${kind}`}>
            {qr && <QRCode value={url} size={132} type="svg" data-testid={`device-qr-${kind}`} />}
            <div style={{ minWidth: 0, flex: 1 }}>
              <Typography.Text strong>{t(kind)}</Typography.Text>
              <Typography.Paragraph
                copyable={{ text: url }}
                style={{ wordBreak: 'break-all', margin: '4px 0 0' }}
                data-testid={`device-url-${kind}`}
              >
                {url}
              </Typography.Paragraph>
            </div>
          </Flex>
        );
      })}
      {token && (
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          {t('scanHint')}
        </Typography.Text>
      )}
    </Flex>
  );
}
