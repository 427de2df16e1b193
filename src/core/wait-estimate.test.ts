import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  ESTIMATE_DEFAULTS,
  configuredServiceMinutes,
  serviceMinutesAt,
  waitEstimate,
} from './wait-estimate.ts';
import type { MeasuredService } from './wait-estimate.ts';

const NOW = new Date('2026-03-02T03:00:00Z');
const WINDOW = { windowSize: ESTIMATE_DEFAULTS.windowSize, minMeasured: ESTIMATE_DEFAULTS.minMeasured };
const at = (minutesBefore: number, minutes: number): MeasuredService => ({
  endedAt: new Date(NOW.getTime() - minutesBefore * 60_000),
  minutes,
});

describe('waitEstimate', () => {
  it.each([
    { ahead: 0, counters: 2, mean: 6, expected: 0 },
    { ahead: 1, counters: 1, mean: 6, expected: 6 },
    { ahead: 4, counters: 2, mean: 6, expected: 12 },
    { ahead: 5, counters: 2, mean: 6, expected: 15 },
    { ahead: 1, counters: 3, mean: 4, expected: 2 },
    { ahead: 3, counters: 3, mean: 4, expected: 4 },
    { ahead: 3, counters: 0, mean: 4, expected: null },
  ])(
    '$ahead ahead, $counters counters, $mean min each → $expected',
    ({ ahead, counters, mean, expected }) => {
      const e = waitEstimate({
        now: NOW,
        ahead,
        openCounters: counters,
        recent: [],
        fallbackMinutes: mean,
        window: WINDOW,
      });
      expect(e.minutes).toBe(expected);
      expect(e).toMatchObject({ serviceMinutes: mean, measured: 0 });
    },
  );

  it('uses the configured time until minMeasured transactions are measured, then their mean', () => {
    const four = [at(1, 2), at(2, 2), at(3, 2), at(4, 2)];
    const base = { now: NOW, ahead: 2, openCounters: 1, fallbackMinutes: 10, window: WINDOW };
    expect(waitEstimate({ ...base, recent: four })).toEqual({ minutes: 20, serviceMinutes: 10, measured: 0 });
    expect(waitEstimate({ ...base, recent: [...four, at(5, 2)] })).toEqual({
      minutes: 4,
      serviceMinutes: 2,
      measured: 5,
    });
  });

  it('takes the latest windowSize measurements ended at or before now (the injected clock)', () => {
    const recent = [at(1, 3), at(2, 3), at(10, 30), at(-5, 100)];
    const e = serviceMinutesAt(recent, 8, { windowSize: 2, minMeasured: 1 }, NOW);
    expect(e).toEqual({ minutes: 3, measured: 2 });
    // An hour earlier only the one that had ended then counts.
    const earlier = serviceMinutesAt(
      recent,
      8,
      { windowSize: 2, minMeasured: 1 },
      new Date(NOW.getTime() - 5 * 60_000),
    );
    expect(earlier).toEqual({ minutes: 30, measured: 1 });
  });

  it('skips impossible measurements and refuses impossible inputs', () => {
    expect(
      serviceMinutesAt([at(1, NaN), at(2, -1), at(3, 4)], 8, { windowSize: 5, minMeasured: 1 }, NOW),
    ).toEqual({
      minutes: 4,
      measured: 1,
    });
    const base = { now: NOW, recent: [], fallbackMinutes: 5, window: WINDOW };
    expect(() => waitEstimate({ ...base, ahead: -1, openCounters: 1 })).toThrow(RangeError);
    expect(() => waitEstimate({ ...base, ahead: 1.5, openCounters: 1 })).toThrow(RangeError);
    expect(() => waitEstimate({ ...base, ahead: 1, openCounters: 1, fallbackMinutes: NaN })).toThrow(
      RangeError,
    );
    expect(() =>
      waitEstimate({ ...base, ahead: 1, openCounters: 1, window: { windowSize: 0, minMeasured: 1 } }),
    ).toThrow(RangeError);
  });

  it('configured service time: mean of the categories’ means, else the default', () => {
    expect(configuredServiceMinutes([7, 10], 8)).toBe(8.5);
    expect(configuredServiceMinutes([], 8)).toBe(8);
  });

  it('property: never decreases with more people ahead, never increases with more counters, and is the ceiling of ahead × mean ÷ counters', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 200 }),
        fc.integer({ min: 1, max: 30 }),
        fc.array(
          fc.record({
            back: fc.integer({ min: 0, max: 600 }),
            minutes: fc.double({ min: 0, max: 60, noNaN: true }),
          }),
          {
            maxLength: 80,
          },
        ),
        fc.double({ min: 0, max: 60, noNaN: true }),
        (ahead, counters, raw, fallback) => {
          const recent = raw.map((r) => at(r.back, r.minutes));
          const e = (a: number, c: number) =>
            waitEstimate({
              now: NOW,
              ahead: a,
              openCounters: c,
              recent,
              fallbackMinutes: fallback,
              window: WINDOW,
            });
          const one = e(ahead, counters);
          expect(e(ahead + 1, counters).minutes!).toBeGreaterThanOrEqual(one.minutes!);
          expect(e(ahead, counters + 1).minutes!).toBeLessThanOrEqual(one.minutes!);
          expect(one.minutes).toBe(Math.max(0, Math.ceil((ahead * one.serviceMinutes) / counters - 1e-9)));
          if (raw.length < WINDOW.minMeasured) expect(one.serviceMinutes).toBe(fallback);
          else expect(one.measured).toBe(Math.min(raw.length, WINDOW.windowSize));
        },
      ),
    );
  });
});
