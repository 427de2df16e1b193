/**
 * The money of a visit (一台清, 2§2.2.2), in integer fen only: the total is the sum of its lines (a line may be
 * negative: a refund of balance or deposit is money paid out); payments by cash, bank card or mobile pay settle
 * it, in the total's direction, never beyond it; cash may be tendered above the amount and the change is given.
 * A payment that does not add up is refused with a bilingual reason, so the module can check a new payment by
 * calling `visitTotals(lines, [...payments, next])` before writing it.
 */

export const PAYMENT_METHODS = {
  cash: { zh: '现金', en: 'Cash' },
  bank_card: { zh: '银行卡', en: 'Bank card' },
  mobile_pay: { zh: '移动支付', en: 'Mobile pay' },
} as const;
export type PaymentMethod = keyof typeof PAYMENT_METHODS;
export const PAYMENT_METHOD_CODES = Object.keys(PAYMENT_METHODS) as [PaymentMethod, ...PaymentMethod[]];

export interface MoneyLine {
  /** Fen; negative for money paid out to the customer. */
  amountFen: number;
}

export interface Payment {
  method: PaymentMethod;
  /** Fen applied to the visit: positive when the customer pays, negative when the hall pays out. */
  amountFen: number;
  /** Cash handed over by the customer (at least the amount); the change is the difference. Cash only. */
  tenderedFen?: number;
}

export type MoneyProblemCode =
  | 'not_whole_fen'
  | 'too_large'
  | 'zero_payment'
  | 'already_settled'
  | 'wrong_direction'
  | 'overpaid'
  | 'tendered_not_cash'
  | 'tendered_short'
  | 'tendered_on_payout';

export interface MoneyProblem {
  code: MoneyProblemCode;
  zh: string;
  en: string;
  /** The payment at fault (index in the list), or null for a line. */
  paymentIndex: number | null;
}

export interface VisitTotals {
  totalFen: number;
  /** Sum of the payments applied. */
  paidFen: number;
  /** What is still to be paid (positive) or paid out (negative); 0 when settled. */
  balanceFen: number;
  settled: boolean;
  /** Change given back for cash tendered above the amount. */
  changeFen: number;
  byMethod: Record<PaymentMethod, number>;
}

export type VisitTotalsResult = ({ ok: true } & VisitTotals) | ({ ok: false } & MoneyProblem);

/** `12345` → `123.45`, `-5` → `-0.05`: for messages and documents, from integer fen without floats. */
export function formatYuan(fen: number): string {
  const sign = fen < 0 ? '-' : '';
  const abs = Math.abs(fen);
  return `${sign}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}
const yuan = formatYuan;

const whole = (n: unknown): n is number => typeof n === 'number' && Number.isSafeInteger(n);

/** The totals of a visit, or the first reason its payments do not add up. */
export function visitTotals(lines: readonly MoneyLine[], payments: readonly Payment[]): VisitTotalsResult {
  const refuse = (
    code: MoneyProblemCode,
    zh: string,
    en: string,
    paymentIndex: number | null,
  ): VisitTotalsResult => ({ ok: false, code, zh, en, paymentIndex });

  let total = 0;
  for (const line of lines) {
    if (!whole(line.amountFen))
      return refuse('not_whole_fen', '金额须为整数分', 'Amounts are whole numbers of fen', null);
    total += line.amountFen;
    if (!Number.isSafeInteger(total)) return refuse('too_large', '金额过大', 'The amount is too large', null);
  }

  let paid = 0;
  let change = 0;
  const byMethod: Record<PaymentMethod, number> = { cash: 0, bank_card: 0, mobile_pay: 0 };
  for (const [i, p] of payments.entries()) {
    if (!whole(p.amountFen) || (p.tenderedFen !== undefined && !whole(p.tenderedFen)))
      return refuse('not_whole_fen', '金额须为整数分', 'Amounts are whole numbers of fen', i);
    if (p.amountFen === 0) return refuse('zero_payment', '付款金额不能为零', 'A payment cannot be zero', i);
    const balance = total - paid;
    if (balance === 0)
      return refuse(
        'already_settled',
        '本次业务费用已结清，不能再收付款',
        'The visit is settled: no further payment',
        i,
      );
    if (Math.sign(p.amountFen) !== Math.sign(balance))
      return balance > 0
        ? refuse(
            'wrong_direction',
            `客户尚需支付 ${yuan(balance)} 元，不能退款`,
            `The customer still owes ${yuan(balance)} yuan: nothing is paid out`,
            i,
          )
        : refuse(
            'wrong_direction',
            `应退客户 ${yuan(-balance)} 元，不能收款`,
            `${yuan(-balance)} yuan is due to the customer: nothing is taken`,
            i,
          );
    if (Math.abs(p.amountFen) > Math.abs(balance))
      return refuse(
        'overpaid',
        `付款 ${yuan(Math.abs(p.amountFen))} 元超过未结金额 ${yuan(Math.abs(balance))} 元（现金找零请填写实收金额）`,
        `The payment of ${yuan(Math.abs(p.amountFen))} yuan is more than the ${yuan(Math.abs(balance))} yuan outstanding (for cash change, enter the cash tendered)`,
        i,
      );
    if (p.tenderedFen !== undefined) {
      if (p.method !== 'cash' && p.tenderedFen !== p.amountFen)
        return refuse('tendered_not_cash', '只有现金付款可以找零', 'Only a cash payment gives change', i);
      if (p.method === 'cash' && p.amountFen < 0 && p.tenderedFen !== p.amountFen)
        return refuse('tendered_on_payout', '退款不涉及实收金额', 'Money paid out has no cash tendered', i);
      if (p.method === 'cash' && p.amountFen > 0 && p.tenderedFen < p.amountFen)
        return refuse(
          'tendered_short',
          `实收现金 ${yuan(p.tenderedFen)} 元少于付款金额 ${yuan(p.amountFen)} 元`,
          `Cash tendered (${yuan(p.tenderedFen)} yuan) is less than the payment (${yuan(p.amountFen)} yuan)`,
          i,
        );
      if (p.method === 'cash' && p.amountFen > 0) change += p.tenderedFen - p.amountFen;
      if (!Number.isSafeInteger(change)) return refuse('too_large', '金额过大', 'The amount is too large', i);
    }
    paid += p.amountFen;
    byMethod[p.method] += p.amountFen;
  }
  return {
    ok: true,
    totalFen: total,
    paidFen: paid,
    balanceFen: total - paid,
    settled: total === paid,
    changeFen: change,
    byMethod,
  };
}

/**
 * A clerk's day of payments, for the close of the day and the daily audit (稽核): what came in and went out by
 * method, the change given, and how many payments were taken.
 */
export function daySummary(visits: readonly { payments: readonly Payment[] }[]): {
  inFen: Record<PaymentMethod, number>;
  outFen: Record<PaymentMethod, number>;
  /** Cash that should be in the drawer from the day's business: cash in − cash out. */
  cashNetFen: number;
  changeFen: number;
  payments: number;
} {
  const inFen: Record<PaymentMethod, number> = { cash: 0, bank_card: 0, mobile_pay: 0 };
  const outFen: Record<PaymentMethod, number> = { cash: 0, bank_card: 0, mobile_pay: 0 };
  let changeFen = 0;
  let count = 0;
  for (const v of visits)
    for (const p of v.payments) {
      count++;
      if (p.amountFen >= 0) inFen[p.method] += p.amountFen;
      else outFen[p.method] -= p.amountFen;
      if (p.method === 'cash' && p.amountFen > 0 && p.tenderedFen !== undefined)
        changeFen += p.tenderedFen - p.amountFen;
    }
  return { inFen, outFen, cashNetFen: inFen.cash - outFen.cash, changeFen, payments: count };
}
