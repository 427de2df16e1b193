/**
 * The signed document (一单清) of a visit as labelled sections, shared by the PDF renderer (document.ts) and the
 * console's print page (web), so both say the same thing in the same order: Chinese first, English beneath.
 * Pure: no Node or browser API. The content arrives masked (DocumentContent); nothing here unmasks.
 */
import { ID_DOC_KINDS } from '../../core/id-documents.ts';
import { formatYuan, PAYMENT_METHODS } from '../../core/visit-money.ts';
import type { DocumentContent } from './contract.ts';

export interface Bilingual {
  zh: string;
  en: string;
}

/** The terms the customer reads before signing (业务受理须知), in the spirit of the norms (2§2.2, 2§3.6). */
export const DOCUMENT_TERMS: Bilingual = {
  zh: [
    '1. 请您核对本单所列的每项业务、号码、明细与费用，确认无误后再签名。',
    '2. 您的签名表示您确认并同意办理本单所列的全部业务及其费用；签名后如需更正，营业厅将另行登记更正记录。',
    '3. 请妥善保管本单，作为办理业务和缴费的凭证；如需补打，可凭有效证件到营业厅办理。',
    '4. 服务密码是您办理业务的重要凭证，请勿告诉他人；营业员不会询问您的服务密码，请在密码键盘上自行输入。',
    '5. 如对服务有任何意见或建议，请拨打客服热线 10010，我们将认真处理并及时答复。',
  ].join('\n'),
  en: [
    '1. Please check every piece of business, number, detail and fee listed on this document before you sign.',
    '2. Your signature confirms that you agree to all the business and fees listed; a correction after signing is recorded separately by the hall.',
    '3. Keep this document as the record of your business and payment; a reprint can be had at a hall with a valid ID document.',
    '4. Your service password proves who you are: never tell it to anyone; staff will never ask for it — type it yourself on the keypad.',
    '5. For any complaint or suggestion call the customer service hotline 10010; we will handle it and answer promptly.',
  ].join('\n'),
};

/**
 * The document's number: the hall's code, the local date (YYYY-MM-DD → YYYYMMDD) and the visit's sequence that
 * day (4 digits at least), e.g. `GZ0101-20261203-0007`. Throws RangeError on a malformed date, code or sequence.
 */
export function documentNo(hallCode: string, localDate: string, seq: number): string {
  const code = hallCode.trim().toUpperCase();
  if (!/^[A-Z0-9][A-Z0-9_-]{0,31}$/.test(code)) throw new RangeError(`bad hall code: ${hallCode}`);
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(localDate);
  if (!m) throw new RangeError(`bad local date: ${localDate}`);
  const [, y, mo, d] = m as unknown as [string, string, string, string];
  const probe = new Date(Date.UTC(Number(y), Number(mo) - 1, Number(d)));
  if (probe.getUTCMonth() !== Number(mo) - 1 || probe.getUTCDate() !== Number(d)) {
    throw new RangeError(`bad local date: ${localDate}`);
  }
  if (!Number.isSafeInteger(seq) || seq < 1) throw new RangeError(`bad sequence: ${seq}`);
  return `${code}-${y}${mo}${d}-${String(seq).padStart(4, '0')}`;
}

export const DOCUMENT_TITLE: Bilingual = { zh: '业务受理单（一单清）', en: 'Service Acceptance Document' };

export const DOC_LABELS = {
  documentNo: { zh: '单号', en: 'Document No.' },
  hall: { zh: '营业厅', en: 'Hall' },
  counter: { zh: '柜台', en: 'Counter' },
  clerk: { zh: '受理员', en: 'Clerk' },
  time: { zh: '受理时间', en: 'Time' },
  ticket: { zh: '号票', en: 'Ticket' },
  customer: { zh: '客户', en: 'Customer' },
  customerKind: { zh: '客户类型', en: 'Customer kind' },
  idDoc: { zh: '证件', en: 'ID document' },
  lines: { zh: '业务明细', en: 'Business' },
  seq: { zh: '序号', en: 'No.' },
  business: { zh: '业务', en: 'Business' },
  details: { zh: '明细', en: 'Details' },
  fee: { zh: '费用（元）', en: 'Fee (yuan)' },
  total: { zh: '合计', en: 'Total' },
  payments: { zh: '付款', en: 'Payments' },
  method: { zh: '方式', en: 'Method' },
  amount: { zh: '金额（元）', en: 'Amount' },
  tendered: { zh: '实收（元）', en: 'Tendered' },
  change: { zh: '找零（元）', en: 'Change' },
  paid: { zh: '已付', en: 'Paid' },
  terms: { zh: '业务受理须知', en: 'Terms' },
  signature: { zh: '客户签名', en: 'Customer signature' },
  signedAt: { zh: '签名时间', en: 'Signed at' },
  copy: { zh: '副本', en: 'COPY' },
  originalSha: { zh: '原件 SHA-256', en: 'Original SHA-256' },
  page: { zh: '页', en: 'Page' },
  none: { zh: '无', en: 'none' },
} as const satisfies Record<string, Bilingual>;

export const CUSTOMER_KIND_LABELS: Record<DocumentContent['customer']['kind'], Bilingual> = {
  individual: { zh: '个人客户', en: 'Individual' },
  family: { zh: '家庭客户', en: 'Family' },
  group: { zh: '集团客户', en: 'Group' },
};

export interface DocField {
  label: Bilingual;
  value: string;
}

export interface DocLineRow {
  seq: number;
  business: Bilingual;
  /** Masked subscription number, or null. */
  subscription: string | null;
  details: { label: Bilingual; value: string }[];
  fee: string;
}

export interface DocPaymentRow {
  method: Bilingual;
  amount: string;
  /** Cash handed over, or '—'. */
  tendered: string;
  change: string;
}

export interface DocSections {
  operator: Bilingual;
  title: Bilingual;
  documentNo: string;
  /** Hall, counter, clerk, time, ticket; then customer, kind, ID document. */
  fields: DocField[];
  lines: DocLineRow[];
  total: string;
  payments: DocPaymentRow[];
  paid: string;
  terms: Bilingual;
  signedAt: string;
}

/** The document's sections from its content: labels, yuan with 2 decimals, the time with its zone. */
export function documentSections(c: DocumentContent): DocSections {
  const idKind = ID_DOC_KINDS[c.customer.idDocKind];
  const time = `${c.signedAtLocal} (${c.timeZone})`;
  return {
    operator: c.operator,
    title: DOCUMENT_TITLE,
    documentNo: c.documentNo,
    fields: [
      { label: DOC_LABELS.hall, value: c.hall },
      { label: DOC_LABELS.counter, value: c.counter },
      { label: DOC_LABELS.clerk, value: c.clerk },
      { label: DOC_LABELS.time, value: time },
      { label: DOC_LABELS.ticket, value: c.ticketNumber ?? '—' },
      { label: DOC_LABELS.customer, value: c.customer.name },
      { label: DOC_LABELS.customerKind, value: CUSTOMER_KIND_LABELS[c.customer.kind].zh },
      { label: DOC_LABELS.idDoc, value: `${idKind.zh} ${c.customer.idDocNumber}` },
    ],
    lines: c.lines.map((l) => ({
      seq: l.seq,
      business: { zh: l.businessZh, en: l.businessEn },
      subscription: l.subscriptionNumber,
      details: l.details.map((d) => ({ label: { zh: d.zh, en: d.en }, value: d.value })),
      fee: formatYuan(l.feeFen),
    })),
    total: formatYuan(c.totalFen),
    payments: c.payments.map((p) => ({
      method: PAYMENT_METHODS[p.method],
      amount: formatYuan(p.amountFen),
      tendered: p.tenderedFen === null ? '—' : formatYuan(p.tenderedFen),
      change: formatYuan(p.changeFen),
    })),
    paid: formatYuan(c.paidFen),
    terms: c.terms,
    signedAt: time,
  };
}
