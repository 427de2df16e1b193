import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { daySummary, formatYuan, PAYMENT_METHOD_CODES, visitTotals } from './visit-money.ts';
import type { Payment } from './visit-money.ts';

const lines = (...fen: number[]) => fen.map((amountFen) => ({ amountFen }));

describe('visitTotals, hand-computed', () => {
  it('plan change 0 + SIM 10.00 + bill 58.50 + handset 1999.00 = 2067.50, paid by card and cash with change', () => {
    const r = visitTotals(lines(0, 1000, 5850, 199900), [
      { method: 'bank_card', amountFen: 199900 },
      { method: 'cash', amountFen: 6850, tenderedFen: 10000 },
    ]);
    expect(r).toEqual({
      ok: true,
      totalFen: 206750,
      paidFen: 206750,
      balanceFen: 0,
      settled: true,
      changeFen: 3150,
      byMethod: { cash: 6850, bank_card: 199900, mobile_pay: 0 },
    });
  });

  it('part paid leaves a balance; nothing paid on an empty visit is settled', () => {
    expect(visitTotals(lines(5000, 2500), [{ method: 'mobile_pay', amountFen: 5000 }])).toMatchObject({
      ok: true,
      balanceFen: 2500,
      settled: false,
    });
    expect(visitTotals([], [])).toMatchObject({ ok: true, totalFen: 0, settled: true });
    // Only consultations: nothing to pay, and a payment is refused.
    expect(visitTotals(lines(0, 0), [{ method: 'cash', amountFen: 100 }])).toMatchObject({
      ok: false,
      code: 'already_settled',
    });
  });

  it('a deposit refund larger than the fees is paid out to the customer', () => {
    const r = visitTotals(lines(1000, -50000), [{ method: 'cash', amountFen: -49000 }]);
    expect(r).toMatchObject({ ok: true, totalFen: -49000, settled: true, changeFen: 0 });
    expect(visitTotals(lines(1000, -50000), [{ method: 'cash', amountFen: 1000 }])).toMatchObject({
      ok: false,
      code: 'wrong_direction',
      zh: '应退客户 490.00 元，不能收款',
    });
  });

  it.each<[string, number[], Payment[], string, number | null]>([
    ['fractional fen in a line', [1000.5], [], 'not_whole_fen', null],
    ['fractional fen in a payment', [1000], [{ method: 'cash', amountFen: 999.99 }], 'not_whole_fen', 0],
    ['NaN', [1000], [{ method: 'cash', amountFen: Number.NaN }], 'not_whole_fen', 0],
    ['zero payment', [1000], [{ method: 'cash', amountFen: 0 }], 'zero_payment', 0],
    ['overpaid', [1000], [{ method: 'bank_card', amountFen: 1001 }], 'overpaid', 0],
    [
      'overpaid by the second',
      [1000],
      [
        { method: 'bank_card', amountFen: 600 },
        { method: 'cash', amountFen: 500 },
      ],
      'overpaid',
      1,
    ],
    ['refund while owed', [1000], [{ method: 'cash', amountFen: -100 }], 'wrong_direction', 0],
    [
      'change on a card',
      [1000],
      [{ method: 'bank_card', amountFen: 1000, tenderedFen: 2000 }],
      'tendered_not_cash',
      0,
    ],
    ['cash short', [1000], [{ method: 'cash', amountFen: 1000, tenderedFen: 500 }], 'tendered_short', 0],
    [
      'tendered on a payout',
      [-1000],
      [{ method: 'cash', amountFen: -1000, tenderedFen: 0 }],
      'tendered_on_payout',
      0,
    ],
    ['too large', [Number.MAX_SAFE_INTEGER, 1], [], 'too_large', null],
  ])('refuses %s', (_name, fen, payments, code, index) => {
    const r = visitTotals(lines(...fen), payments);
    expect(r).toMatchObject({ ok: false, code, paymentIndex: index });
    if (!r.ok) {
      expect(r.zh).toMatch(/\p{Script=Han}/u);
      expect(r.en).toMatch(/[a-z]/);
    }
  });

  it('says how much is outstanding when overpaid', () => {
    const r = visitTotals(lines(12345), [{ method: 'mobile_pay', amountFen: 20000 }]);
    expect(r).toMatchObject({ ok: false, zh: expect.stringContaining('未结金额 123.45 元') });
  });

  it('formats yuan from fen without floats', () => {
    expect([formatYuan(0), formatYuan(5), formatYuan(12345), formatYuan(-5), formatYuan(-100000)]).toEqual([
      '0.00',
      '0.05',
      '123.45',
      '-0.05',
      '-1000.00',
    ]);
  });
});

const fen = fc.integer({ min: -10_000_000, max: 10_000_000 });
const method = fc.constantFrom(...PAYMENT_METHOD_CODES);

/** Splits a total into 1..5 non-zero parts of its sign. */
const split = (total: number) =>
  fc
    .array(fc.integer({ min: 1, max: Math.max(1, Math.abs(total)) }), { minLength: 1, maxLength: 4 })
    .map((cuts) => {
      const abs = Math.abs(total);
      const points = [...new Set(cuts.map((c) => c % abs).filter((c) => c > 0))].sort((a, b) => a - b);
      const parts = [...points, abs].map((p, i, arr) => p - (i === 0 ? 0 : arr[i - 1]!));
      return parts.map((p) => Math.sign(total) * p);
    });

describe('visitTotals, properties', () => {
  it('the total is the sum of the lines, an integer, for any lines', () => {
    fc.assert(
      fc.property(fc.array(fen, { maxLength: 20 }), (xs) => {
        const r = visitTotals(lines(...xs), []);
        expect(r.ok).toBe(true);
        if (r.ok) {
          expect(r.totalFen).toBe(xs.reduce((a, b) => a + b, 0));
          expect(Number.isInteger(r.totalFen)).toBe(true);
          expect(r.balanceFen).toBe(r.totalFen);
        }
      }),
    );
  });

  it('any split of the total into payments settles it; one more fen is refused', () => {
    const visit = fc
      .array(fen, { minLength: 1, maxLength: 8 })
      .filter((xs) => xs.reduce((a, b) => a + b, 0) !== 0)
      .chain((xs) =>
        fc.tuple(
          fc.constant(xs),
          split(xs.reduce((a, b) => a + b, 0)).chain((parts) =>
            fc.tuple(...parts.map((amountFen) => method.map((m): Payment => ({ method: m, amountFen })))),
          ),
        ),
      );
    fc.assert(
      fc.property(visit, ([xs, payments]) => {
        const total = xs.reduce((a, b) => a + b, 0);
        const r = visitTotals(lines(...xs), payments);
        expect(r).toMatchObject({ ok: true, settled: true, balanceFen: 0, paidFen: total });
        if (r.ok) expect(Object.values(r.byMethod).reduce((a, b) => a + b, 0)).toBe(total);
        const more = visitTotals(lines(...xs), [
          ...payments,
          { method: 'cash', amountFen: Math.sign(total) },
        ]);
        expect(more).toMatchObject({ ok: false, code: 'already_settled' });
        const last = payments.at(-1)!;
        const bumped = [...payments.slice(0, -1), { ...last, amountFen: last.amountFen + Math.sign(total) }];
        expect(visitTotals(lines(...xs), bumped)).toMatchObject({ ok: false, code: 'overpaid' });
      }),
    );
  });

  it('whatever the payments, an accepted result never pays beyond the total and keeps integers', () => {
    fc.assert(
      fc.property(
        fc.array(fen, { maxLength: 6 }),
        fc.array(
          fc.record({
            method,
            amountFen: fc.oneof(fen, fc.double({ min: -1e7, max: 1e7, noNaN: true })),
            tenderedFen: fc.option(fc.integer({ min: -10_000_000, max: 20_000_000 }), { nil: undefined }),
          }),
          { maxLength: 5 },
        ),
        (xs, ps) => {
          const payments = ps.map((p) =>
            p.tenderedFen === undefined ? { method: p.method, amountFen: p.amountFen } : p,
          );
          const r = visitTotals(lines(...xs), payments);
          if (!r.ok) return;
          const total = xs.reduce((a, b) => a + b, 0);
          expect(r.totalFen).toBe(total);
          expect(r.paidFen + r.balanceFen).toBe(total);
          expect(Math.abs(r.paidFen)).toBeLessThanOrEqual(Math.abs(total));
          if (r.paidFen !== 0) expect(Math.sign(r.paidFen)).toBe(Math.sign(total));
          expect(r.changeFen).toBeGreaterThanOrEqual(0);
          for (const v of [r.totalFen, r.paidFen, r.balanceFen, r.changeFen, ...Object.values(r.byMethod)])
            expect(Number.isSafeInteger(v)).toBe(true);
        },
      ),
    );
  });
});

describe('daySummary', () => {
  it('adds the day by method, cash net of payouts, and the change given', () => {
    const s = daySummary([
      {
        payments: [
          { method: 'cash', amountFen: 6850, tenderedFen: 10000 },
          { method: 'bank_card', amountFen: 199900 },
        ],
      },
      { payments: [{ method: 'cash', amountFen: -49000 }] },
      { payments: [{ method: 'mobile_pay', amountFen: 3000 }] },
    ]);
    expect(s).toEqual({
      inFen: { cash: 6850, bank_card: 199900, mobile_pay: 3000 },
      outFen: { cash: 49000, bank_card: 0, mobile_pay: 0 },
      cashNetFen: -42150,
      changeFen: 3150,
      payments: 4,
    });
  });
});
