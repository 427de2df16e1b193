/**
 * /outbox: the notification gateway's messages of one's subtree (消息发件箱): recipient masked, status,
 * tries and errors; the text (it may hold a one-time code) only for positions allowed to read it
 * (`notify.text`: system administrators), who run the demo's outbox driver.
 */
import { ReloadOutlined } from '@ant-design/icons';
import { Button, Table, Tag, Typography } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import type { OutboxItem } from '../../../../src/modules/notify/routes.ts';
import { api, errorText } from '../../platform/api.ts';
import { useT } from '../../platform/i18n.tsx';
import { formatDateTime } from '../../platform/labels.ts';
import { PageTitle } from '../../platform/Page.tsx';

const messages = {
  title: { zh: '消息发件箱', en: 'Outbox' },
  intro: {
    zh: '经消息网关发出的短信（如远程取号的验证码）：号码已脱敏；正文仅系统管理员可见。',
    en: 'Messages sent through the gateway (e.g. the e-channel’s codes): numbers masked; the text is shown to system administrators only.',
  },
  to: { zh: '接收号码', en: 'To' },
  text: { zh: '正文', en: 'Text' },
  hidden: { zh: '（无权查看）', en: '(not shown to your position)' },
  status: { zh: '状态', en: 'Status' },
  attempts: { zh: '尝试次数', en: 'Tries' },
  error: { zh: '最近错误', en: 'Last error' },
  at: { zh: '时间', en: 'Time' },
  reload: { zh: '刷新', en: 'Reload' },
  pending: { zh: '待发送', en: 'Pending' },
  sending: { zh: '发送中', en: 'Sending' },
  delivered: { zh: '已送达', en: 'Delivered' },
  failed: { zh: '发送失败', en: 'Failed' },
};
const COLORS = { pending: 'gold', sending: 'blue', delivered: 'green', failed: 'red' } as const;

export default function OutboxPage() {
  const { t, lang } = useT(messages);
  const [items, setItems] = useState<OutboxItem[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);
  const load = useCallback(async () => {
    setLoading(true);
    try {
      setItems(await api.get<OutboxItem[]>('/api/notify/outbox', { limit: 100 }));
      setError(null);
    } catch (e) {
      setError(errorText(e, lang));
    } finally {
      setLoading(false);
    }
  }, [lang]);
  useEffect(() => {
    void load();
  }, [load]);
  return (
    <div data-testid="page-outbox">
      <PageTitle
        title={t('title')}
        extra={
          <Button icon={<ReloadOutlined />} onClick={() => void load()} data-testid="outbox-reload">
            {t('reload')}
          </Button>
        }
      />
      <Typography.Paragraph type="secondary">{t('intro')}</Typography.Paragraph>
      {error && <Typography.Text type="danger">{error}</Typography.Text>}
      <Table<OutboxItem>
        rowKey="id"
        loading={loading}
        dataSource={items}
        pagination={{ pageSize: 20 }}
        data-testid="outbox-table"
        columns={[
          { title: t('at'), dataIndex: 'createdAt', render: (v: string) => formatDateTime(v), width: 170 },
          { title: t('to'), dataIndex: 'to', width: 130 },
          {
            title: t('text'),
            dataIndex: 'text',
            render: (v: string | null) =>
              v === null ? <Typography.Text type="secondary">{t('hidden')}</Typography.Text> : v,
          },
          {
            title: t('status'),
            dataIndex: 'status',
            width: 110,
            render: (v: OutboxItem['status']) => <Tag color={COLORS[v]}>{t(v)}</Tag>,
          },
          { title: t('attempts'), dataIndex: 'attempts', width: 90 },
          { title: t('error'), dataIndex: 'lastError', width: 180 },
        ]}
      />
    </div>
  );
}
