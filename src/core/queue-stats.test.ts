import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { percentile, queueStatistics } from './queue-stats.ts';

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
