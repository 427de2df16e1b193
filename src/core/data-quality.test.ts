import { describe, expect, it } from 'vitest';
import { agentReturnOnTime, completeAndTimely, dataQuality, errorRate } from './data-quality.ts';
import { resolveSetting } from './settings.ts';
import type { Resolved, SettingRecord } from './settings.ts';

// March 2026, Beijing time (UTC+8): [2026-02-28T16:00Z, 2026-03-31T16:00Z).
const MARCH = { from: new Date('2026-02-28T16:00:00Z'), to: new Date('2026-03-31T16:00:00Z') };
const at = (s: string) => new Date(`${s}+08:00`);
const def = (key: string): Resolved => resolveSetting(key, [], ['hall'], MARCH.to);
const set = (key: string, value: number): Resolved =>
  resolveSetting(
    key,
    [{ key, unitId: 'hall', value, validFrom: new Date('2026-01-01T00:00:00Z') } as SettingRecord],
    ['hall'],
    MARCH.to,
  );
const APRIL_10 = at('2026-04-10T00:00:00');

describe('indicator 2: complete and timely', () => {
  const records = [
    // complete at once
    { id: 'a', businessAt: at('2026-03-02T10:00:00'), completedAt: at('2026-03-02T10:00:00') },
    // complete 23 h 59 min later: on time with 24 h
    { id: 'b', businessAt: at('2026-03-05T09:00:00'), completedAt: at('2026-03-06T08:59:00') },
    // complete exactly 24 h later: on time (the limit is inclusive)
    { id: 'c', businessAt: at('2026-03-10T09:00:00'), completedAt: at('2026-03-11T09:00:00') },
    // complete 25 h later: late
    { id: 'd', businessAt: at('2026-03-12T09:00:00'), completedAt: at('2026-03-13T10:00:00') },
    // never completed: incomplete
    { id: 'e', businessAt: at('2026-03-20T09:00:00'), completedAt: null },
    // February: not in the period
    { id: 'f', businessAt: at('2026-02-28T23:59:59'), completedAt: null },
    // the first second of April: not in the period
    { id: 'g', businessAt: at('2026-04-01T00:00:00'), completedAt: null },
    // the first second of March, in
    { id: 'h', businessAt: at('2026-03-01T00:00:00'), completedAt: at('2026-03-01T00:30:00') },
  ];

  it('counts complete-within-the-time over due, hand-computed: 4 of 6', () => {
    const r = completeAndTimely(records, MARCH, APRIL_10, {
      entryWithinHours: def('customerData.entryWithinHours'),
      target: def('customerData.completenessTarget'),
    });
    expect(r).toMatchObject({ numerator: 4, denominator: 6, meetsTarget: false, pending: [] });
    expect(r.rate).toBeCloseTo(4 / 6, 12);
    expect(r.counted.sort()).toEqual(['a', 'b', 'c', 'h']);
    expect(r.shortfall).toEqual([
      { id: 'd', reason: 'late' },
      { id: 'e', reason: 'incomplete' },
    ]);
    expect(r.settings).toEqual([
      { key: 'customerData.entryWithinHours', value: 24, sourceUnitId: null, since: null },
    ]);
    expect(r.target.value).toBe(1);
  });

  it('uses the value in force: with 48 h, d is on time (5 of 6), and the result says 48 from the hall', () => {
    const r = completeAndTimely(records, MARCH, APRIL_10, {
      entryWithinHours: set('customerData.entryWithinHours', 48),
      target: def('customerData.completenessTarget'),
    });
    expect([r.numerator, r.denominator]).toEqual([5, 6]);
    expect(r.settings[0]).toMatchObject({ value: 48, sourceUnitId: 'hall' });
  });

  it('a record not yet due is pending, not held against the hall; completion after asOf is not seen', () => {
    const asOf = at('2026-03-20T20:00:00'); // e is 11 h old, d was completed, c too
    const r = completeAndTimely(records, MARCH, asOf, {
      entryWithinHours: def('customerData.entryWithinHours'),
      target: def('customerData.completenessTarget'),
    });
    expect(r.pending).toEqual(['e']);
    expect([r.numerator, r.denominator]).toEqual([4, 5]);
    const early = completeAndTimely(records, MARCH, at('2026-03-05T12:00:00'), {
      entryWithinHours: def('customerData.entryWithinHours'),
      target: def('customerData.completenessTarget'),
    });
    // b was completed on the 6th: at noon on the 5th it is pending; c, d, e are in the future of asOf.
    expect(early.pending).toEqual(['b', 'c', 'd', 'e']);
  });

  it('nothing due: a null rate and no verdict, never NaN', () => {
    const r = completeAndTimely([], MARCH, APRIL_10, {
      entryWithinHours: def('customerData.entryWithinHours'),
      target: def('customerData.completenessTarget'),
    });
    expect(r).toMatchObject({ numerator: 0, denominator: 0, rate: null, meetsTarget: null });
  });

  it('100 % meets the 100 % target', () => {
    const r = completeAndTimely(records.slice(0, 3), MARCH, APRIL_10, {
      entryWithinHours: def('customerData.entryWithinHours'),
      target: def('customerData.completenessTarget'),
    });
    expect(r).toMatchObject({ rate: 1, meetsTarget: true });
  });

  it('refuses the wrong setting', () => {
    expect(() =>
      completeAndTimely([], MARCH, APRIL_10, {
        entryWithinHours: def('customerData.agentReturnDays'),
        target: def('customerData.completenessTarget'),
      }),
    ).toThrow(RangeError);
  });
});

describe('indicator 3: error rate', () => {
  const entered = Array.from({ length: 200 }, (_, i) => ({
    id: `r${i}`,
    enteredAt: at(`2026-03-${String(1 + (i % 28)).padStart(2, '0')}T10:00:00`),
  }));
  entered.push({ id: 'old', enteredAt: at('2026-02-10T10:00:00') });

  it('records found wrong in the period, once each, over records entered: 2 / 200 = 1 % does not meet < 1 %', () => {
    const r = errorRate(
      entered,
      [
        { recordId: 'r1', foundAt: at('2026-03-15T10:00:00'), foundBy: 'auditor-1' },
        { recordId: 'r1', foundAt: at('2026-03-10T10:00:00'), foundBy: 'clerk-7' }, // earlier: this one counts
        { recordId: 'old', foundAt: at('2026-03-03T10:00:00'), foundBy: 'complaint' },
        { recordId: 'r2', foundAt: at('2026-04-01T00:00:00'), foundBy: 'auditor-1' }, // April: not counted
      ],
      MARCH,
      { max: def('customerData.errorRateMax') },
    );
    expect([r.numerator, r.denominator, r.rate]).toEqual([2, 200, 0.01]);
    expect(r.meetsTarget).toBe(false);
    expect(r.errors).toEqual([
      { recordId: 'old', foundAt: at('2026-03-03T10:00:00'), foundBy: 'complaint', enteredInPeriod: false },
      { recordId: 'r1', foundAt: at('2026-03-10T10:00:00'), foundBy: 'clerk-7', enteredInPeriod: true },
    ]);
  });

  it('1 of 200 = 0.5 % meets it; nothing entered is a null rate', () => {
    const r = errorRate(
      entered,
      [{ recordId: 'r5', foundAt: at('2026-03-31T23:59:59'), foundBy: 'x' }],
      MARCH,
      {
        max: def('customerData.errorRateMax'),
      },
    );
    expect([r.rate, r.meetsTarget]).toEqual([0.005, true]);
    const none = errorRate(
      [],
      [{ recordId: 'r5', foundAt: at('2026-03-05T00:00:00'), foundBy: 'x' }],
      MARCH,
      {
        max: def('customerData.errorRateMax'),
      },
    );
    expect(none).toMatchObject({ numerator: 1, denominator: 0, rate: null, meetsTarget: null });
  });
});

describe('indicator 4: agent-sold data returned on time', () => {
  const sales = [
    { id: 's1', soldAt: at('2026-03-01T10:00:00'), returnedAt: at('2026-03-03T10:00:00') }, // 2 days
    { id: 's2', soldAt: at('2026-03-02T10:00:00'), returnedAt: at('2026-03-09T10:00:00') }, // exactly 7 days
    { id: 's3', soldAt: at('2026-03-03T10:00:00'), returnedAt: at('2026-03-10T10:00:01') }, // 7 days + 1 s
    { id: 's4', soldAt: at('2026-03-04T10:00:00'), returnedAt: null }, // overdue on April 10
    { id: 's5', soldAt: at('2026-03-30T10:00:00'), returnedAt: null }, // due April 6: overdue on April 10
    { id: 's6', soldAt: at('2026-02-27T10:00:00'), returnedAt: null }, // February
  ];

  it('hand-computed: 2 of 5 on time', () => {
    const r = agentReturnOnTime(sales, MARCH, APRIL_10, {
      returnDays: def('customerData.agentReturnDays'),
      target: def('customerData.agentReturnTarget'),
    });
    expect([r.numerator, r.denominator, r.rate]).toEqual([2, 5, 0.4]);
    expect(r.shortfall).toEqual([
      { id: 's3', reason: 'returned_late' },
      { id: 's4', reason: 'overdue' },
      { id: 's5', reason: 'overdue' },
    ]);
    expect(r.settings[0]).toMatchObject({ key: 'customerData.agentReturnDays', value: 7 });
  });

  it('business not yet due is pending on the last day of March', () => {
    const r = agentReturnOnTime(sales, MARCH, at('2026-03-31T12:00:00'), {
      returnDays: def('customerData.agentReturnDays'),
      target: def('customerData.agentReturnTarget'),
    });
    expect(r.pending).toEqual(['s5']);
    expect([r.numerator, r.denominator]).toEqual([2, 4]);
  });

  it('with 10 days s3 is on time; no agent business is a null rate', () => {
    const r = agentReturnOnTime(sales, MARCH, APRIL_10, {
      returnDays: set('customerData.agentReturnDays', 10),
      target: def('customerData.agentReturnTarget'),
    });
    expect([r.numerator, r.denominator]).toEqual([3, 5]);
    const none = agentReturnOnTime([], MARCH, APRIL_10, {
      returnDays: def('customerData.agentReturnDays'),
      target: def('customerData.agentReturnTarget'),
    });
    expect([none.rate, none.meetsTarget]).toEqual([null, null]);
  });
});

describe('all three at once', () => {
  it('gives each indicator with its settings', () => {
    const r = dataQuality({
      period: MARCH,
      asOf: APRIL_10,
      due: [{ id: 'a', businessAt: at('2026-03-02T10:00:00'), completedAt: at('2026-03-02T10:05:00') }],
      entered: [{ id: 'a', enteredAt: at('2026-03-02T10:05:00') }],
      errorsFound: [],
      agentSales: [],
      settings: {
        entryWithinHours: def('customerData.entryWithinHours'),
        completenessTarget: def('customerData.completenessTarget'),
        errorRateMax: def('customerData.errorRateMax'),
        agentReturnDays: def('customerData.agentReturnDays'),
        agentReturnTarget: def('customerData.agentReturnTarget'),
      },
    });
    expect([r.completeTimely.rate, r.errorRate.rate, r.agentReturn.rate]).toEqual([1, 0, null]);
    expect([r.completeTimely.meetsTarget, r.errorRate.meetsTarget, r.agentReturn.meetsTarget]).toEqual([
      true,
      true,
      null,
    ]);
  });
});
