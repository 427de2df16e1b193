/**
 * The counter's visit panel (一台清, SPEC §2.2): opened from the called ticket ("Serve") or for a walk-in; the
 * customer (from the ticket, found, or new), their subscriptions and open repairs; the catalogue searched by
 * name or pinyin initials with `searchCatalogue`; one form per business type; the lines with their fees and the
 * running total; payments with change for cash; the signature on the pad or on this page; the signed document;
 * and close, which finishes the ticket.
 */
import {
  CheckCircleFilled,
  EditOutlined,
  FilePdfOutlined,
  PrinterOutlined,
  ShopOutlined,
  TabletOutlined,
  UserOutlined,
} from '@ant-design/icons';
import {
  Alert,
  Button,
  Card,
  Col,
  Descriptions,
  Empty,
  Flex,
  Form,
  Input,
  Popconfirm,
  Radio,
  Row,
  Space,
  Statistic,
  Table,
  Tag,
  Typography,
} from 'antd';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { z } from 'zod';
import type { BusinessType } from '../../../../src/core/business-catalogue.ts';
import { BUSINESS_GROUPS, searchCatalogue } from '../../../../src/core/business-catalogue.ts';
import { ID_DOC_KINDS } from '../../../../src/core/id-documents.ts';
import { PAYMENT_METHODS, PAYMENT_METHOD_CODES } from '../../../../src/core/visit-money.ts';
import type { PaymentMethod } from '../../../../src/core/visit-money.ts';
import type {
  CatalogueInForce,
  Visit,
  VisitLine,
  VisitSummary,
} from '../../../../src/modules/visits/contract.ts';
import { ApiError, api } from '../../platform/api.ts';
import type { PageOf } from '../../platform/api.ts';
import { useFeedback } from '../../platform/feedback.ts';
import { useT } from '../../platform/i18n.tsx';
import { CLUB_TIERS, CUSTOMER_KINDS } from '../../platform/labels.ts';
import { buttonTestId } from '../../platform/testid.ts';
import { RepairsPanel } from '../repairs/RepairsPanel.tsx';
import { BusinessForm, feeLabel } from './BusinessForm.tsx';
import { CustomerFinder } from './CustomerFinder.tsx';
import { AfterSigning } from './AfterSigning.tsx';
import { messages } from './messages.ts';
import { yuan, yuanToFen } from './money.ts';
import { PadWaiting } from './PadWaiting.tsx';
import { SignatureCanvas } from './SignatureCanvas.tsx';
import type { SignatureHandle } from './SignatureCanvas.tsx';

type Catalogue = z.infer<typeof CatalogueInForce>;
type Summary = z.infer<typeof VisitSummary>;

const STATUS_COLOR = { open: 'processing', signed: 'green', closed: 'default', voided: 'red' } as const;
const remembered = (counterId: string) => `fuwu.visit.${counterId}`;

/** The open (or signed, not yet closed) visit of this ticket or counter, if the page was reloaded mid-visit. */
async function findOpenVisit(
  hallId: string,
  counterId: string,
  ticketNumber: string | null,
): Promise<Visit | null> {
  const id = window.sessionStorage.getItem(remembered(counterId));
  if (id) {
    try {
      const v = await api.get<Visit>(`/api/visits/${id}`);
      if ((v.status === 'open' || v.status === 'signed') && v.counterId === counterId) return v;
    } catch {
      // gone or not ours: look it up
    }
    window.sessionStorage.removeItem(remembered(counterId));
  }
  if (!ticketNumber) return null;
  for (const status of ['open', 'signed'] as const) {
    const list = await api.get<PageOf<Summary>>('/api/visits', { hallId, status, limit: 200 });
    const hit = list.items.find((s) => s.ticketNumber === ticketNumber);
    if (hit) return api.get<Visit>(`/api/visits/${hit.id}`);
  }
  return null;
}

export function VisitPanel({
  hallId,
  counterId,
  ticket,
  onChanged,
}: {
  hallId: string;
  counterId: string;
  /** The counter's current ticket (called or serving), or null. */
  ticket: { id: string; number: string; status: string } | null;
  /** After opening or closing: the counter and the hall reload. */
  onChanged: () => Promise<void> | void;
}) {
  const { t } = useT(messages);
  const feedback = useFeedback();
  const [visit, setVisit] = useState<Visit | null>(null);
  const [looked, setLooked] = useState(false);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    let alive = true;
    setLooked(false);
    findOpenVisit(hallId, counterId, ticket?.number ?? null)
      .then((v) => alive && setVisit(v))
      .catch(() => alive && setVisit(null))
      .finally(() => alive && setLooked(true));
    return () => {
      alive = false;
    };
  }, [hallId, counterId, ticket?.number]);

  const open = async (body: { ticketId: string } | { counterId: string }) => {
    setBusy(true);
    try {
      const v = await api.post<Visit>('/api/visits', body);
      window.sessionStorage.setItem(remembered(counterId), v.id);
      setVisit(v);
      feedback.success(t('opened'));
      await onChanged();
    } catch (e) {
      feedback.error(e);
    } finally {
      setBusy(false);
    }
  };

  if (!looked) return <Card loading style={{ marginTop: 16 }} />;
  if (!visit) {
    const serveable = ticket && (ticket.status === 'called' || ticket.status === 'serving');
    return (
      <Card style={{ marginTop: 16 }} data-testid="visit-panel">
        <Flex gap={12} wrap align="center">
          {serveable && (
            <Button
              type="primary"
              size="large"
              icon={<ShopOutlined />}
              loading={busy}
              onClick={() => void open({ ticketId: ticket.id })}
              data-testid="visit-serve"
            >
              {t('serve')}
            </Button>
          )}
          {!ticket && (
            <Button
              size="large"
              icon={<UserOutlined />}
              loading={busy}
              onClick={() => void open({ counterId })}
              data-testid="visit-walk-in"
            >
              {t('walkIn')}
            </Button>
          )}
          <Typography.Text type="secondary">{t('noVisit')}</Typography.Text>
        </Flex>
      </Card>
    );
  }
  return (
    <OpenVisit
      visit={visit}
      setVisit={setVisit}
      onClosed={async () => {
        window.sessionStorage.removeItem(remembered(counterId));
        setVisit(null);
        await onChanged();
      }}
    />
  );
}

function OpenVisit({
  visit,
  setVisit,
  onClosed,
}: {
  visit: Visit;
  setVisit: (v: Visit) => void;
  onClosed: () => Promise<void>;
}) {
  const { t } = useT(messages);
  const feedback = useFeedback();
  const [catalogue, setCatalogue] = useState<Catalogue | null>(null);
  const [chosen, setChosen] = useState<BusinessType | null>(null);

  const reload = useCallback(
    async (next?: Visit) => {
      try {
        setVisit(next ?? (await api.get<Visit>(`/api/visits/${visit.id}`)));
      } catch (e) {
        feedback.error(e);
      }
    },
    [visit.id, setVisit, feedback],
  );

  useEffect(() => {
    let alive = true;
    api
      .get<Catalogue>('/api/business-types')
      .then((c) => alive && setCatalogue(c))
      .catch((e: unknown) => alive && feedback.error(e));
    return () => {
      alive = false;
    };
  }, [feedback]);

  // The pad answers (password, signature) arrive on the server: look again while the visit is not closed.
  useEffect(() => {
    if (visit.status !== 'open' && visit.status !== 'signed') return;
    const id = window.setInterval(() => void reload(), 3000);
    return () => window.clearInterval(id);
  }, [visit.status, reload]);

  // Opened: the panel comes into view, the catalogue's search (or the customer search) has the focus.
  const top = useRef<HTMLDivElement>(null);
  useEffect(() => {
    top.current?.scrollIntoView({ block: 'start' });
  }, []);

  const customer = visit.customer;
  const editable = visit.status === 'open';
  return (
    <Card
      ref={top}
      style={{ marginTop: 16, scrollMarginTop: 72 }}
      data-testid="visit-panel"
      title={
        <Space wrap>
          <ShopOutlined />
          {t('panel')}
          {visit.ticketNumber && <Tag color="red">{visit.ticketNumber}</Tag>}
          <Tag color={STATUS_COLOR[visit.status]} data-testid="visit-status">
            {t(`status.${visit.status}`)}
          </Tag>
        </Space>
      }
    >
      <Row gutter={16}>
        <Col xs={24} xl={16}>
          {!customer && editable && <CustomerFinder visit={visit} onSet={() => reload()} />}
          {customer && <CustomerCard visit={visit} />}
          {visit.preRegistered && visit.preRegistered.business.length > 0 && (
            <Alert
              type="success"
              style={{ marginTop: 12 }}
              title={`${t('preRegistered')}：${visit.preRegistered.business.join('、')}`}
            />
          )}
          {editable && catalogue && (
            <Card size="small" title={t('catalogue')} style={{ marginTop: 12 }} data-testid="visit-catalogue">
              {chosen ? (
                <BusinessForm
                  visit={visit}
                  catalogue={catalogue}
                  type={chosen}
                  onChanged={reload}
                  onCancel={() => setChosen(null)}
                />
              ) : (
                <CataloguePicker catalogue={catalogue} visit={visit} onChoose={setChosen} />
              )}
            </Card>
          )}
          <Lines visit={visit} catalogue={catalogue} onChanged={reload} />
        </Col>
        <Col xs={24} xl={8}>
          <PadWaiting visit={visit} />
          <Totals visit={visit} />
          {visit.lines.some((l) => l.status === 'done') && editable && !visit.totals.settled && (
            <Payments visit={visit} onChanged={reload} />
          )}
          <Signature visit={visit} onChanged={reload} />
          <AfterSigning visit={visit} catalogue={catalogue} onChanged={reload} />
          <Closing visit={visit} onClosed={onClosed} />
        </Col>
      </Row>
    </Card>
  );
}

function CustomerCard({ visit }: { visit: Visit }) {
  const { t, pick } = useT(messages);
  const c = visit.customer!;
  return (
    <Card size="small" title={t('customer')} data-testid="visit-customer">
      <Descriptions
        size="small"
        column={{ xs: 1, md: 3 }}
        items={[
          {
            key: 'name',
            label: t('customerName'),
            children: <b data-testid="visit-customer-name">{c.name}</b>,
          },
          { key: 'kind', label: t('kind'), children: pick(CUSTOMER_KINDS[c.kind]) },
          {
            key: 'tier',
            label: t('tier'),
            children: <Tag color={CLUB_TIERS[c.clubTier].color}>{pick(CLUB_TIERS[c.clubTier])}</Tag>,
          },
          {
            key: 'doc',
            label: t('idDocKind'),
            children: `${pick(ID_DOC_KINDS[c.idDocKind])} ${c.idDocNumber}`,
          },
          { key: 'phone', label: t('contactPhone'), children: c.contactPhone },
        ]}
      />
      <Table
        size="small"
        rowKey="id"
        pagination={false}
        style={{ marginTop: 8 }}
        data-testid="visit-subscriptions"
        locale={{ emptyText: '—' }}
        dataSource={c.subscriptions}
        scroll={{ x: true }}
        columns={[
          { title: t('number'), dataIndex: 'number' },
          { title: t('plan'), dataIndex: 'plan' },
          {
            title: t('status'),
            dataIndex: 'status',
            render: (s: 'active' | 'suspended' | 'cancelled') => (
              <Tag color={s === 'active' ? 'green' : s === 'suspended' ? 'orange' : 'default'}>
                {t(`sub.${s}`)}
              </Tag>
            ),
          },
          { title: t('contractUntil'), dataIndex: 'contractUntil', render: (d: string | null) => d ?? '—' },
          { title: t('subsidyUntil'), dataIndex: 'subsidyUntil', render: (d: string | null) => d ?? '—' },
          {
            title: t('password'),
            dataIndex: 'servicePassword',
            render: (p: 'none' | 'initial' | 'set' | 'locked') => t(`pw.${p}`),
          },
        ]}
      />
      <div data-testid="visit-repairs" style={{ marginTop: 8 }}>
        <RepairsPanel customerId={c.id} hallId={visit.hallId} visitId={visit.id} />
      </div>
    </Card>
  );
}

function CataloguePicker({
  catalogue,
  visit,
  onChoose,
}: {
  catalogue: Catalogue;
  visit: Visit;
  onChoose: (type: BusinessType) => void;
}) {
  const { t, pick } = useT(messages);
  const [query, setQuery] = useState('');
  const [active, setActive] = useState(0);
  const found = useMemo(
    () => searchCatalogue(catalogue, query, visit.customer?.kind).slice(0, 40),
    [catalogue, query, visit.customer?.kind],
  );
  useEffect(() => {
    setActive(0);
  }, [query]);
  const list = useRef<HTMLDivElement>(null);
  useEffect(() => {
    list.current?.querySelector(`[data-index="${active}"]`)?.scrollIntoView({ block: 'nearest' });
  }, [active]);
  return (
    <>
      <Input
        autoFocus
        allowClear
        maxLength={40}
        value={query}
        onChange={(e) => setQuery(e.target.value)}
        placeholder={t('catalogueSearch')}
        data-testid="visit-catalogue-search"
        onKeyDown={(e) => {
          if (e.key === 'ArrowDown') setActive((i) => Math.min(found.length - 1, i + 1));
          else if (e.key === 'ArrowUp') setActive((i) => Math.max(0, i - 1));
          else if (e.key === 'Enter' && found[active]) onChoose(found[active]);
          else return;
          e.preventDefault();
        }}
      />
      <div
        ref={list}
        style={{ maxHeight: 300, overflowY: 'auto', marginTop: 8 }}
        data-testid="visit-catalogue-list"
        role="listbox"
      >
        {found.length === 0 && <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('noBusiness')} />}
        {found.map((type, i) => (
          <Flex
            key={type.code}
            data-index={i}
            role="option"
            aria-selected={i === active}
            data-testid={`visit-type-${type.code}`}
            onClick={() => onChoose(type)}
            onMouseEnter={() => setActive(i)}
            justify="space-between"
            align="center"
            gap={8}
            style={{
              padding: '6px 10px',
              cursor: 'pointer',
              borderRadius: 6,
              background: i === active ? '#fff1f0' : undefined,
            }}
          >
            <Space size={6} wrap>
              <b>{pick(type)}</b>
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                {type.pinyin}
              </Typography.Text>
              <Tag>{pick(BUSINESS_GROUPS[type.group])}</Tag>
            </Space>
            <span style={{ whiteSpace: 'nowrap' }}>{feeLabel(type, pick) || t('free')}</span>
          </Flex>
        ))}
      </div>
    </>
  );
}

/** The line's values as the clerk typed them: money in yuan, choices by their label, by the type's fields. */
function lineDetails(
  line: VisitLine,
  catalogue: Catalogue | null,
  pick: (b: { zh: string; en: string }) => string,
): string {
  const fields = catalogue?.types.find((x) => x.code === line.businessCode)?.fields ?? [];
  return Object.entries(line.values)
    .map(([key, v]) => {
      const def = fields.find((f) => f.key === key);
      if (typeof v === 'boolean') return `${def ? pick(def) : key} ${v ? '✓' : '✗'}`;
      if (def?.kind === 'money_fen' && typeof v === 'number') return yuan(v);
      if (def?.kind === 'enum') {
        const o = def.options.find((x) => x.value === v);
        if (o) return pick(o);
      }
      return String(v);
    })
    .join(' · ');
}

function Lines({
  visit,
  catalogue,
  onChanged,
}: {
  visit: Visit;
  catalogue: Catalogue | null;
  onChanged: () => Promise<void>;
}) {
  const { t, pick } = useT(messages);
  const feedback = useFeedback();
  const lines = visit.lines.filter((l) => l.status === 'done');
  const remove = async (l: VisitLine) => {
    try {
      await api.del(`/api/visits/${visit.id}/transactions/${l.id}`);
      await onChanged();
    } catch (e) {
      feedback.error(e);
    }
  };
  return (
    <Card size="small" title={t('lines')} style={{ marginTop: 12 }} data-testid="visit-lines">
      <Table<VisitLine>
        size="small"
        rowKey="id"
        pagination={false}
        dataSource={lines}
        locale={{ emptyText: t('noLines') }}
        scroll={{ x: true }}
        summary={() =>
          lines.length > 0 ? (
            <Table.Summary.Row>
              <Table.Summary.Cell index={0} colSpan={3}>
                <b>{t('total')}</b>
              </Table.Summary.Cell>
              <Table.Summary.Cell index={1} align="right">
                <b data-testid="visit-lines-total">{yuan(visit.totals.totalFen)}</b>
              </Table.Summary.Cell>
              <Table.Summary.Cell index={2} />
            </Table.Summary.Row>
          ) : undefined
        }
        columns={[
          { title: t('seq'), dataIndex: 'seq', width: 50 },
          {
            title: t('business'),
            key: 'b',
            render: (_: unknown, l) => (
              <span data-testid={`visit-line-${l.businessCode}`}>
                {pick({ zh: l.businessZh, en: l.businessEn })}
                {l.subscriptionNumber ? ` · ${l.subscriptionNumber}` : ''}
              </span>
            ),
          },
          {
            title: t('details'),
            key: 'd',
            render: (_: unknown, l) => (
              <Typography.Text type="secondary">{lineDetails(l, catalogue, pick) || '—'}</Typography.Text>
            ),
          },
          { title: t('fee'), dataIndex: 'feeFen', align: 'right', render: (f: number) => yuan(f) },
          {
            title: '',
            key: 'x',
            width: 60,
            render: (_: unknown, l) =>
              visit.status === 'open' && visit.payments.length === 0 ? (
                <Popconfirm
                  title={t('removeConfirm')}
                  okText={t('ok')}
                  cancelText={t('cancel')}
                  onConfirm={() => void remove(l)}
                  okButtonProps={buttonTestId(`visit-remove-confirm-${l.seq}`)}
                >
                  <Button size="small" type="link" danger>
                    {t('removeLine')}
                  </Button>
                </Popconfirm>
              ) : null,
          },
        ]}
      />
    </Card>
  );
}

function Totals({ visit }: { visit: Visit }) {
  const { t } = useT(messages);
  const { totalFen, paidFen, balanceFen, settled } = visit.totals;
  const last = visit.payments.at(-1);
  return (
    <Card size="small" data-testid="visit-totals" style={{ marginBottom: 12 }}>
      {last && last.changeFen > 0 && (
        <Alert
          type="warning"
          showIcon
          title={t('changeOk', { change: yuan(last.changeFen).slice(1) })}
          style={{ marginBottom: 8, fontSize: 16 }}
          data-testid="visit-change-given"
        />
      )}
      <Row gutter={8}>
        <Col span={8}>
          <Statistic
            title={t('total')}
            value={yuan(totalFen)}
            data-testid="visit-total"
            styles={{ content: { fontSize: 22 } }}
          />
        </Col>
        <Col span={8}>
          <Statistic
            title={t('paid')}
            value={yuan(paidFen)}
            data-testid="visit-paid"
            styles={{ content: { fontSize: 22 } }}
          />
        </Col>
        <Col span={8}>
          <Statistic
            title={balanceFen < 0 ? t('payout') : t('balance')}
            value={settled ? t('settled') : yuan(Math.abs(balanceFen))}
            data-testid="visit-balance"
            styles={{ content: { fontSize: 22, color: settled ? '#389e0d' : '#cf1322' } }}
          />
        </Col>
      </Row>
    </Card>
  );
}

function Payments({ visit, onChanged }: { visit: Visit; onChanged: () => Promise<void> }) {
  const { t, pick, lang } = useT(messages);
  const feedback = useFeedback();
  const [form] = Form.useForm<{ method: PaymentMethod; amount: string; tendered?: string }>();
  const [refusal, setRefusal] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const method = Form.useWatch('method', form) ?? 'cash';
  const amount = yuanToFen(Form.useWatch('amount', form));
  const tendered = yuanToFen(Form.useWatch('tendered', form));
  const balance = visit.totals.balanceFen;
  const payout = balance < 0;
  useEffect(() => {
    form.setFieldValue('amount', (Math.abs(balance) / 100).toFixed(2));
  }, [balance, form]);
  const change = method === 'cash' && amount !== null && tendered !== null ? tendered - amount : null;

  const submit = async () => {
    const v = await form.validateFields();
    const fen = yuanToFen(v.amount);
    if (fen === null) return;
    const tenderedFen = v.method === 'cash' && !payout ? yuanToFen(v.tendered ?? '') : null;
    setBusy(true);
    setRefusal(null);
    try {
      await api.post(`/api/visits/${visit.id}/payments`, {
        method: v.method,
        amountFen: payout ? -fen : fen,
        ...(tenderedFen !== null ? { tenderedFen } : {}),
      });
      feedback.success(t('paidOk', { amount: yuan(fen).slice(1) }));
      form.setFieldValue('tendered', undefined);
      await onChanged();
    } catch (e) {
      if (e instanceof ApiError) setRefusal(e.messageIn(lang));
      else feedback.error(e);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Card size="small" title={t('payments')} style={{ marginBottom: 12 }} data-testid="visit-payments">
      {refusal && (
        <Alert
          type="error"
          showIcon
          title={refusal}
          style={{ marginBottom: 8 }}
          data-testid="visit-payment-refusal"
        />
      )}
      <Form form={form} layout="vertical" initialValues={{ method: 'cash' }} onFinish={() => void submit()}>
        <Form.Item name="method" label={t('method')}>
          <Radio.Group
            optionType="button"
            buttonStyle="solid"
            data-testid="visit-pay-method"
            options={PAYMENT_METHOD_CODES.map((m) => ({ value: m, label: pick(PAYMENT_METHODS[m]) }))}
          />
        </Form.Item>
        <Row gutter={8}>
          <Col span={method === 'cash' && !payout ? 12 : 24}>
            <Form.Item
              name="amount"
              label={t('amount')}
              rules={[{ required: true, pattern: /^\s*\d{1,8}(\.\d{1,2})?\s*$/, message: t('yuanRule') }]}
            >
              <Input prefix="¥" inputMode="decimal" maxLength={14} data-testid="visit-pay-amount" />
            </Form.Item>
          </Col>
          {method === 'cash' && !payout && (
            <Col span={12}>
              <Form.Item
                name="tendered"
                label={t('tendered')}
                rules={[{ pattern: /^\s*\d{1,8}(\.\d{1,2})?\s*$/, message: t('yuanRule') }]}
              >
                <Input prefix="¥" inputMode="decimal" maxLength={14} data-testid="visit-pay-tendered" />
              </Form.Item>
            </Col>
          )}
        </Row>
        {change !== null && change >= 0 && (
          <Typography.Paragraph style={{ fontSize: 18 }} data-testid="visit-change">
            {t('change')}：<b>{yuan(change)}</b>
          </Typography.Paragraph>
        )}
        <Button type="primary" htmlType="submit" block loading={busy} data-testid="visit-pay-submit">
          {payout ? t('payOut') : t('pay')}
        </Button>
      </Form>
    </Card>
  );
}

function Signature({ visit, onChanged }: { visit: Visit; onChanged: () => Promise<void> }) {
  const { t, lang } = useT(messages);
  const feedback = useFeedback();
  const [here, setHere] = useState(false);
  const [asked, setAsked] = useState(false);
  const [refusal, setRefusal] = useState<string | null>(null);
  const pad = useRef<SignatureHandle>(null);
  const needsSignature = visit.lines.some((l) => l.status === 'done' && !l.light);

  if (visit.document) {
    return (
      <Card size="small" title={t('document')} style={{ marginBottom: 12 }} data-testid="visit-document">
        <Space direction="vertical" style={{ width: '100%' }}>
          <Tag color="green" icon={<CheckCircleFilled />} data-testid="visit-signed">
            {t('signed')}
          </Tag>
          <Space wrap>
            <Button
              icon={<PrinterOutlined />}
              href={`/visits/${visit.id}/print`}
              target="_blank"
              data-testid="visit-print"
            >
              {t('print')}
            </Button>
            <Button
              icon={<FilePdfOutlined />}
              href={`/api/visits/${visit.id}/document.pdf`}
              target="_blank"
              data-testid="visit-pdf"
            >
              {t('pdf')}
            </Button>
          </Space>
        </Space>
      </Card>
    );
  }
  if (visit.status !== 'open' || !needsSignature) return null;
  const settled = visit.totals.settled;

  const askPad = async () => {
    setRefusal(null);
    try {
      await api.post(`/api/visits/${visit.id}/pad-request`, { kind: 'signature' });
      setAsked(true);
    } catch (e) {
      if (e instanceof ApiError) setRefusal(e.messageIn(lang));
      else feedback.error(e);
    }
  };
  const signHere = async () => {
    const png = pad.current?.png();
    if (!png) {
      setRefusal(t('signEmpty'));
      return;
    }
    setRefusal(null);
    try {
      await api.post(`/api/visits/${visit.id}/sign`, { signature: png });
      await onChanged();
    } catch (e) {
      if (e instanceof ApiError) setRefusal(e.messageIn(lang));
      else feedback.error(e);
    }
  };
  return (
    <Card size="small" title={t('signature')} style={{ marginBottom: 12 }} data-testid="visit-signature">
      {!settled && <Typography.Paragraph type="secondary">{t('signNeedsSettled')}</Typography.Paragraph>}
      {refusal && (
        <Alert
          type="error"
          showIcon
          title={refusal}
          style={{ marginBottom: 8 }}
          data-testid="visit-sign-refusal"
        />
      )}
      <Space wrap>
        <Button
          type="primary"
          icon={<TabletOutlined />}
          disabled={!settled}
          onClick={() => void askPad()}
          data-testid="visit-ask-sign"
        >
          {t('askSign')}
        </Button>
        <Button
          icon={<EditOutlined />}
          disabled={!settled}
          onClick={() => setHere((h) => !h)}
          data-testid="visit-sign-here"
        >
          {t('signHere')}
        </Button>
      </Space>
      {(asked || visit.padRequest?.kind === 'signature') && (
        <Typography.Paragraph type="secondary" style={{ marginTop: 8 }} data-testid="visit-sign-asked">
          {t('signAsked')}
        </Typography.Paragraph>
      )}
      {here && settled && (
        <Flex vertical gap={8} style={{ marginTop: 8 }}>
          <SignatureCanvas
            ref={pad}
            width={480}
            height={180}
            clearLabel={t('clearSign')}
            testId="visit-sign-canvas"
          />
          <Button type="primary" onClick={() => void signHere()} data-testid="visit-sign-submit">
            {t('submitSign')}
          </Button>
        </Flex>
      )}
    </Card>
  );
}

function Closing({ visit, onClosed }: { visit: Visit; onClosed: () => Promise<void> }) {
  const { t, lang } = useT(messages);
  const [refusal, setRefusal] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const done = visit.lines.filter((l) => l.status === 'done');
  const needsSignature = done.some((l) => !l.light);
  const ready =
    done.length > 0 &&
    visit.totals.settled &&
    (visit.status === 'signed' || (visit.status === 'open' && !needsSignature));
  const close = async () => {
    setBusy(true);
    setRefusal(null);
    try {
      await api.post(`/api/visits/${visit.id}/close`);
      await onClosed();
    } catch (e) {
      setRefusal(e instanceof ApiError ? e.messageIn(lang) : String(e));
    } finally {
      setBusy(false);
    }
  };
  if (visit.status === 'closed' || visit.status === 'voided') return null;
  return (
    <Card size="small" data-testid="visit-closing">
      {refusal && (
        <Alert
          type="error"
          showIcon
          title={refusal}
          style={{ marginBottom: 8 }}
          data-testid="visit-close-refusal"
        />
      )}
      {!ready && <Typography.Paragraph type="secondary">{t('cannotClose')}</Typography.Paragraph>}
      <Popconfirm
        title={t('closeConfirm')}
        okText={t('ok')}
        cancelText={t('cancel')}
        onConfirm={() => void close()}
        okButtonProps={buttonTestId('visit-close-confirm')}
        disabled={!ready}
      >
        <Button type="primary" size="large" block disabled={!ready} loading={busy} data-testid="visit-close">
          {t('closeVisit')}
        </Button>
      </Popconfirm>
    </Card>
  );
}
