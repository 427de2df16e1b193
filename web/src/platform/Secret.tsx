/** A secret shown exactly once (initial password, new token) with a copy button. */
import { CopyOutlined } from '@ant-design/icons';
import { Alert, App, Button, Flex, Modal, Typography } from 'antd';
import type { ReactNode } from 'react';
import { useT } from './i18n.tsx';
import { common } from './messages.ts';
import { buttonTestId } from './testid.ts';

const messages = {
  ...common,
  onceNotice: {
    zh: '此内容只显示这一次，关闭后无法再次查看，请立即复制并安全地交给使用者。',
    en: 'This is shown only once and cannot be viewed again after closing: copy it now and hand it over safely.',
  },
  copyFailed: { zh: '无法复制，请手动选中后复制', en: 'Could not copy; select it and copy by hand' },
};

export function SecretModal({
  title,
  label,
  secret,
  testId,
  extra,
  onClose,
}: {
  title: ReactNode;
  label: ReactNode;
  secret: string;
  testId: string;
  extra?: ReactNode;
  onClose: () => void;
}) {
  const { t } = useT(messages);
  const { message } = App.useApp();
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(secret);
      void message.success(t('copied'));
    } catch {
      void message.warning(t('copyFailed'));
    }
  };
  return (
    <Modal
      open
      title={title}
      onCancel={onClose}
      mask={{ closable: false }}
      footer={
        <Button type="primary" onClick={onClose} {...buttonTestId(`${testId}-close`)}>
          {t('close')}
        </Button>
      }
      width={560}
    >
      <Alert type="warning" showIcon title={t('onceNotice')} style={{ marginBottom: 16 }} />
      {extra}
      <Typography.Text type="secondary">{label}</Typography.Text>
      <Flex gap={8} align="center" style={{ marginTop: 6 }}>
        <div
          data-testid={testId}
          style={{
            flex: 1,
            fontFamily: 'ui-monospace, SFMono-Regular, Menlo, Consolas, monospace',
            fontSize: 20,
            letterSpacing: 1,
            padding: '6px 12px',
            background: '#fafafa',
            border: '1px solid #d9d9d9',
            borderRadius: 6,
            wordBreak: 'break-all',
            userSelect: 'all',
          }}
        >
          {secret}
        </div>
        <Button icon={<CopyOutlined />} onClick={() => void copy()} data-testid={`${testId}-copy`}>
          {t('copy')}
        </Button>
      </Flex>
    </Modal>
  );
}
