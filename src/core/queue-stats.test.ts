import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  clerkDay,
  percentile,
  queueStatistics,
  ratingRefusal,
  ratingSummary,
  ratingSummaryOf,
} from './queue-stats.ts';
import type { ClerkCall } from './queue-stats.ts';

describe('percentile (nearest rank)', () => {
  it.each([
    [[1], 90, 1],
    [[1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 90, 9],
    [[10, 1, 9, 2, 8, 3, 7, 4, 6, 5], 90, 9],
    [[1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11], 90, 10],
    [[5, 1], 50, 1],
    [[5, 1], 100, 5],
  ])('%j p%i → %i', (values, p, expected) => {
    expect(percentile(values, p)).toBe(expected);
  });

  it('is null without values and refuses p outside (0, 100]', () => {
    expect(percentile([], 90)).toBeNull();
    expect(() => percentile([1], 0)).toThrow(RangeError);
    expect(() => percentile([1], 101)).toThrow(RangeError);
  });

  it('property: a value of the list, at least p% of values at or below it', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 1000 }), { minLength: 1, maxLength: 50 }), (vs) => {
        const v = percentile(vs, 90)!;
        expect(vs).toContain(v);
        expect(vs.filter((x) => x <= v).length / vs.length).toBeGreaterThanOrEqual(0.9);
      }),
    );
  });
});

describe('queueStatistics', () => {
  it('judges each measurement against the limit recorded beside it', () => {
    const [row] = queueStatistics({
      tickets: [
        { key: 'h', channel: 'kiosk', end: 'served' },
        { key: 'h', channel: 'kiosk', end: 'served' },
        { key: 'h', channel: 'remote', end: 'no_show' },
        { key: 'h', channel: 'appointment', end: 'not_served' },
        { key: 'h', channel: 'guide', end: 'cancelled' },
      ],
      waits: [
        { key: 'h', seconds: 20 * 60, limitMinutes: 30, vip: false },
        // The limit was 40 minutes when this one was measured: within.
        { key: 'h', seconds: 35 * 60, limitMinutes: 40, vip: false },
        { key: 'h', seconds: 31 * 60, limitMinutes: 30, vip: false },
        { key: 'h', seconds: 4 * 60, limitMinutes: 5, vip: true },
        { key: 'h', seconds: 6 * 60, limitMinutes: 5, vip: true },
      ],
      transactions: [
        { key: 'h', seconds: 8 * 60, limitMinutes: 10, sellingSeconds: 0 },
        { key: 'h', seconds: 12 * 60, limitMinutes: 10, sellingSeconds: 240 },
      ],
    });
    expect(row).toMatchObject({
      key: 'h',
      tickets: 5,
      served: 2,
      noShows: 1,
      notServed: 1,
      cancelled: 1,
      byChannel: { kiosk: 2, remote: 1, appointment: 1, guide: 1 },
      averageSellingMinutes: 2,
    });
    expect(row!.normalWait).toMatchObject({ count: 3, withinLimitShare: 0.6667, limitsMinutes: [30, 40] });
    expect(row!.vipWait).toMatchObject({ count: 2, withinLimitShare: 0.5, averageMinutes: 5 });
    expect(row!.wait).toMatchObject({ count: 5, p90Minutes: 35, averageMinutes: 19.2 });
    expect(row!.transaction).toMatchObject({ count: 2, averageMinutes: 10, withinLimitShare: 0.5 });
  });

  it('makes one row per key, sorted, with empty summaries where nothing was measured', () => {
    const rows = queueStatistics({
      tickets: [
        { key: 'b', channel: 'kiosk', end: 'open' },
        { key: 'a', channel: 'kiosk', end: 'served' },
      ],
      waits: [{ key: 'a', seconds: 60, limitMinutes: 30, vip: false }],
      transactions: [{ key: 'c', seconds: 60, limitMinutes: 10, sellingSeconds: 0 }],
    });
    expect(rows.map((r) => r.key)).toEqual(['a', 'b', 'c']);
    expect(rows[1]).toMatchObject({
      open: 1,
      wait: { count: 0, averageMinutes: null, withinLimitShare: null },
    });
    expect(rows[2]).toMatchObject({ tickets: 0, transaction: { count: 1 } });
    expect(queueStatistics({ tickets: [], waits: [], transactions: [] })).toEqual([]);
  });
});

describe('clerkDay (the counter page’s own figures)', () => {
  const call = (
    outcome: ClerkCall['outcome'],
    transactionSeconds: number | null,
    transactionLimitMinutes = 10,
  ): ClerkCall => ({ outcome, transactionSeconds, transactionLimitMinutes });

  it.each([
    ['nothing yet', [], { served: 0, calls: 0, noShows: 0, avg: null, share: null }],
    [
      'two served, one within 10 min',
      [call('served', 300), call('served', 900)],
      { served: 2, calls: 2, noShows: 0, avg: 10, share: 0.5 },
    ],
    [
      'exactly the limit is within it',
      [call('served', 600)],
      { served: 1, calls: 1, noShows: 0, avg: 10, share: 1 },
    ],
    [
      'no-shows and transfers are calls, not served, and not timed',
      [call('served', 120), call('no_show', null), call('transferred', 2000), call('parked', 30)],
      { served: 1, calls: 4, noShows: 1, avg: 2, share: 1 },
    ],
    [
      'each judged against the limit recorded with it',
      [call('served', 700, 12), call('served', 700, 10)],
      { served: 2, calls: 2, noShows: 0, avg: 11.67, share: 0.5 },
    ],
  ] as const)('%s', (_name, calls, want) => {
    const d = clerkDay(calls as readonly ClerkCall[]);
    expect({
      served: d.served,
      calls: d.calls,
      noShows: d.noShows,
      avg: d.handling.averageMinutes,
      share: d.handling.withinLimitShare,
    }).toEqual(want);
  });

  it('property: served ≤ calls, the share is the served calls within their limit', () => {
    const outcomes = ['served', 'transferred', 'parked', 'no_show', 'not_served'] as const;
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            outcome: fc.constantFrom(...outcomes),
            transactionSeconds: fc.option(fc.integer({ min: 0, max: 7200 }), { nil: null }),
            transactionLimitMinutes: fc.integer({ min: 1, max: 120 }),
          }),
          { maxLength: 40 },
        ),
        (calls) => {
          const d = clerkDay(calls);
          expect(d.served).toBeLessThanOrEqual(d.calls);
          const timed = calls.filter((c) => c.outcome === 'served' && c.transactionSeconds !== null);
          expect(d.handling.count).toBe(timed.length);
          if (timed.length === 0) expect(d.handling.withinLimitShare).toBeNull();
          else {
            const within = timed.filter((c) => c.transactionSeconds! <= c.transactionLimitMinutes * 60);
            expect(d.handling.withinLimitShare).toBeCloseTo(within.length / timed.length, 4);
          }
        },
      ),
    );
  });
});

describe('ratingSummary', () => {
  it.each([
    [[], { count: 0, average: null, satisfiedShare: null, unsatisfiedShare: null }],
    [[5], { count: 1, average: 5, satisfiedShare: 1, unsatisfiedShare: 0 }],
    [[1, 2, 3, 4, 5], { count: 5, average: 3, satisfiedShare: 0.4, unsatisfiedShare: 0.4 }],
    [[4, 4, 5], { count: 3, average: 4.33, satisfiedShare: 1, unsatisfiedShare: 0 }],
  ])('%j', (scores, want) => {
    expect(ratingSummary(scores)).toMatchObject(want);
  });

  it('counts per score and agrees with the grouped form; refuses a score outside 1–5', () => {
    expect(ratingSummary([1, 1, 5]).byScore).toEqual([2, 0, 0, 0, 1]);
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 5 }), { maxLength: 60 }), (scores) => {
        const s = ratingSummary(scores);
        expect(ratingSummaryOf(s.byScore)).toEqual(s);
        expect(s.byScore.reduce((a, b) => a + b, 0)).toBe(scores.length);
      }),
    );
    expect(() => ratingSummary([0])).toThrow(RangeError);
    expect(() => ratingSummary([6])).toThrow(RangeError);
    expect(() => ratingSummary([2.5])).toThrow(RangeError);
  });
});

describe('ratingRefusal', () => {
  const finishedAt = new Date('2026-12-03T02:00:00Z');
  const at = (minutes: number) => new Date(finishedAt.getTime() + minutes * 60_000);
  const base = { finishedAt, isLastFinishedAtCounter: true, alreadyRated: false, windowMinutes: 5 };
  it.each([
    ['just finished', { ...base, now: at(0) }, null],
    ['at the end of the window', { ...base, now: at(5) }, null],
    ['after the window', { ...base, now: at(5.01) }, 'window_over'],
    ['rated already', { ...base, alreadyRated: true, now: at(1) }, 'already_rated'],
    ['another finished after it', { ...base, isLastFinishedAtCounter: false, now: at(1) }, 'not_last'],
    ['not finished', { ...base, finishedAt: null, now: at(1) }, 'not_finished'],
  ] as const)('%s', (_name, input, want) => {
    expect(ratingRefusal(input)).toBe(want);
  });
});
