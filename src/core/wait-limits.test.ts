import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { serversNeeded } from './erlang-c.ts';
import {
  arrivalRate,
  compareAlerts,
  backlogCounters,
  countersAdvice,
  DEFAULT_QUEUE_LIMITS,
  DEFAULT_STAFFING,
  evaluateLimits,
  meanServiceMinutes,
  transactionMinutes,
} from './wait-limits.ts';
import type { Alert, QueueLimits, QueueLoad, ServingSnapshot, WaitingSnapshot } from './wait-limits.ts';

/** Injected clock: every test runs at this instant. */
const NOW = new Date('2024-05-06T10:00:00.000Z');
const ago = (minutes: number): Date => new Date(NOW.getTime() - Math.round(minutes * 60_000));
const limits: QueueLimits = { ...DEFAULT_QUEUE_LIMITS };

const waitingAt = (minutes: number, vip = false, ticketId = 't1', queue = 'general'): WaitingSnapshot => ({
  ticketId,
  queue,
  vip,
  waitingSince: ago(minutes),
});

const serving = (
  startedMinutesAgo: number,
  doneMinutesAgo: number | null,
  ticketId = 's1',
  counterId = 'c1',
): ServingSnapshot => ({
  ticketId,
  counterId,
  startedAt: ago(startedMinutesAgo),
  businessDoneAt: doneMinutesAgo === null ? null : ago(doneMinutesAgo),
});

const load = (overrides: Partial<QueueLoad> = {}): QueueLoad => ({
  queue: 'general',
  arrivalsPerMinute: 1,
  meanServiceMinutes: 5,
  openCounters: 4,
  vip: false,
  ...overrides,
});

const run = (
  waiting: WaitingSnapshot[],
  servingList: ServingSnapshot[] = [],
  loads: QueueLoad[] = [],
  targetShare?: number,
): Alert[] => evaluateLimits({ now: NOW, limits, waiting, serving: servingList, loads, targetShare });

describe('defaults', () => {
  it('follow the service norms 2§3.6.5', () => {
    expect(DEFAULT_QUEUE_LIMITS).toEqual({
      waitMinutes: 30,
      vipWaitMinutes: 5,
      transactionMinutes: 10,
      warnShare: 0.8,
    });
    expect(DEFAULT_STAFFING.targetShare).toBe(0.8);
    expect(Object.isFrozen(DEFAULT_QUEUE_LIMITS)).toBe(true);
  });
});

describe('evaluateLimits: waiting customers', () => {
  it.each<{ minutes: number; vip: boolean; level: 'warning' | 'breach' | null }>([
    { minutes: 0, vip: false, level: null },
    { minutes: 23, vip: false, level: null },
    { minutes: 23.99, vip: false, level: null },
    { minutes: 24, vip: false, level: 'warning' },
    { minutes: 29, vip: false, level: 'warning' },
    { minutes: 30, vip: false, level: 'warning' },
    { minutes: 30.01, vip: false, level: 'breach' },
    { minutes: 31, vip: false, level: 'breach' },
    { minutes: 120, vip: false, level: 'breach' },
    { minutes: 3, vip: true, level: null },
    { minutes: 3.99, vip: true, level: null },
    { minutes: 4, vip: true, level: 'warning' },
    { minutes: 5, vip: true, level: 'warning' },
    { minutes: 6, vip: true, level: 'breach' },
    { minutes: -2, vip: true, level: null },
  ])('$minutes min, vip=$vip → $level', ({ minutes, vip, level }) => {
    const alerts = run([waitingAt(minutes, vip)]);
    if (level === null) {
      expect(alerts).toEqual([]);
      return;
    }
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({
      kind: vip ? 'vip_wait' : 'wait',
      level,
      queue: 'general',
      ticketId: 't1',
      limitMinutes: vip ? 5 : 30,
      countersToOpen: 0,
    });
    expect(alerts[0]?.elapsedMinutes).toBeCloseTo(minutes, 6);
    expect(alerts[0]?.counterId).toBeUndefined();
  });

  it('uses the settable limits and warn share (thresholds exact despite floating point)', () => {
    const custom: QueueLimits = {
      waitMinutes: 30,
      vipWaitMinutes: 3,
      transactionMinutes: 10,
      warnShare: 0.7,
    };
    const at = (minutes: number, vip = false): Alert[] =>
      evaluateLimits({
        now: NOW,
        limits: custom,
        waiting: [waitingAt(minutes, vip)],
        serving: [],
        loads: [],
      });
    expect(at(20.99)).toEqual([]);
    expect(at(21)[0]?.level).toBe('warning');
    expect(at(2)[0]?.level).toBe(undefined);
    expect(at(2.1, true)[0]?.level).toBe('warning');
    expect(at(3.5, true)[0]?.level).toBe('breach');
  });

  it('warnShare 1 warns only at the limit itself', () => {
    const strict: QueueLimits = { ...limits, warnShare: 1 };
    const at = (minutes: number): Alert[] =>
      evaluateLimits({ now: NOW, limits: strict, waiting: [waitingAt(minutes)], serving: [], loads: [] });
    expect(at(29.9)).toEqual([]);
    expect(at(30)[0]?.level).toBe('warning');
    expect(at(30.5)[0]?.level).toBe('breach');
  });

  it.each<{ patch: Partial<QueueLimits> }>([
    { patch: { waitMinutes: 0 } },
    { patch: { vipWaitMinutes: -5 } },
    { patch: { transactionMinutes: Number.NaN } },
    { patch: { warnShare: 0 } },
    { patch: { warnShare: 1.1 } },
  ])('rejects invalid limits $patch', ({ patch }) => {
    expect(() =>
      evaluateLimits({ now: NOW, limits: { ...limits, ...patch }, waiting: [], serving: [], loads: [] }),
    ).toThrow(RangeError);
  });
});

describe('evaluateLimits: transactions', () => {
  it.each<{
    note: string;
    started: number;
    done: number | null;
    level: 'warning' | 'breach' | null;
    elapsed: number;
  }>([
    { note: '7 min, still doing business', started: 7, done: null, level: null, elapsed: 7 },
    { note: '8 min, still doing business', started: 8, done: null, level: 'warning', elapsed: 8 },
    { note: '9 min, still doing business', started: 9, done: null, level: 'warning', elapsed: 9 },
    {
      note: '9 min, business done at 7 min (selling does not count)',
      started: 9,
      done: 2,
      level: null,
      elapsed: 7,
    },
    { note: '25 min, business done at 7 min', started: 25, done: 18, level: null, elapsed: 7 },
    { note: '11 min, still doing business', started: 11, done: null, level: 'breach', elapsed: 11 },
    { note: '15 min, business done at 10.5 min', started: 15, done: 4.5, level: 'breach', elapsed: 10.5 },
    { note: '12 min, business done at 9 min', started: 12, done: 3, level: 'warning', elapsed: 9 },
  ])('$note → $level', ({ started, done, level, elapsed }) => {
    const s = serving(started, done);
    expect(transactionMinutes(s, NOW)).toBeCloseTo(elapsed, 6);
    const alerts = run([], [s], [load()]);
    if (level === null) {
      expect(alerts).toEqual([]);
      return;
    }
    expect(alerts).toEqual([
      {
        kind: 'transaction',
        level,
        queue: null,
        ticketId: 's1',
        counterId: 'c1',
        elapsedMinutes: expect.closeTo(elapsed, 6),
        limitMinutes: 10,
        countersToOpen: 0,
      },
    ]);
  });
});

describe('transactionMinutes', () => {
  it('counts to now without businessDoneAt, and never past now or below 0', () => {
    expect(transactionMinutes(serving(4, null), NOW)).toBeCloseTo(4, 9);
    const doneInFuture = { ...serving(4, null), businessDoneAt: new Date(NOW.getTime() + 60_000) };
    expect(transactionMinutes(doneInFuture, NOW)).toBeCloseTo(4, 9);
    expect(transactionMinutes(serving(-3, null), NOW)).toBe(0);
    const doneBeforeStart = { ...serving(4, null), businessDoneAt: ago(6) };
    expect(transactionMinutes(doneBeforeStart, NOW)).toBe(0);
  });
});

describe('countersAdvice and countersToOpen', () => {
  it('computes the counters for the wait limit with Erlang C', () => {
    // A = 1/min × 5 min = 5 Erlangs: 6 counters keep 80 % within 30 min, 7 within 5 min.
    expect(countersAdvice(load({ openCounters: 4 }), 30, 0.8)).toEqual({ needed: 6, toOpen: 2 });
    expect(countersAdvice(load({ openCounters: 4 }), 5, 0.8)).toEqual({ needed: 7, toOpen: 3 });
    expect(countersAdvice(load({ openCounters: 9 }), 30, 0.8)).toEqual({ needed: 6, toOpen: 0 });
  });

  it('also clears the customers already waiting within the limit, even when nobody arrives any more', () => {
    // 6 waiting, 8.5 minutes each, no counter open, no recent arrivals: 51 minutes of work for a 30-minute limit.
    const backlog = load({ arrivalsPerMinute: 0, meanServiceMinutes: 8.5, openCounters: 0, waiting: 6 });
    expect(countersAdvice(backlog, 30, 0.8)).toEqual({ needed: 2, toOpen: 2 });
    expect(countersAdvice({ ...backlog, waiting: 1 }, 30, 0.8)).toEqual({ needed: 1, toOpen: 1 });
    expect(countersAdvice({ ...backlog, waiting: 0 }, 30, 0.8)).toEqual({ needed: 0, toOpen: 0 });
    expect(countersAdvice({ ...backlog, openCounters: 2 }, 30, 0.8)).toEqual({ needed: 2, toOpen: 0 });
    expect(backlogCounters(12, 5, 5)).toBe(12);
    expect(() => backlogCounters(-1, 5, 5)).toThrow(RangeError);
  });

  it('never advises fewer counters for a longer backlog (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 200 }),
        fc.double({ min: 0.5, max: 30, noNaN: true }),
        (waiting, mean) => {
          const a = countersAdvice(load({ waiting, meanServiceMinutes: mean }), 30, 0.8).needed;
          const b = countersAdvice(load({ waiting: waiting + 1, meanServiceMinutes: mean }), 30, 0.8).needed;
          expect(b).toBeGreaterThanOrEqual(a);
          expect(a).toBeGreaterThanOrEqual(waiting > 0 ? 1 : 0);
        },
      ),
    );
    expect(countersAdvice(load({ arrivalsPerMinute: 0 }), 30, 0.8)).toEqual({ needed: 0, toOpen: 0 });
    // Classic call-centre example in minutes: 14 agents for 80 % within 20 s.
    const classic = load({ arrivalsPerMinute: 200 / 60, meanServiceMinutes: 3, openCounters: 11 });
    expect(countersAdvice(classic, 20 / 60, 0.8)).toEqual({ needed: 14, toOpen: 3 });
  });

  it('puts the advice for the queue on each wait alert', () => {
    const alerts = run(
      [waitingAt(25, false, 'g1'), waitingAt(4.5, true, 'v1', 'vip'), waitingAt(26, false, 'x1', 'unknown')],
      [serving(11, null)],
      [load({ openCounters: 4 }), load({ queue: 'vip', vip: true, arrivalsPerMinute: 0.5, openCounters: 1 })],
    );
    const byTicket = new Map(alerts.map((a) => [a.ticketId, a]));
    expect(byTicket.get('g1')?.countersToOpen).toBe(serversNeeded(1, 5, 30, 0.8) - 4);
    expect(byTicket.get('g1')?.countersToOpen).toBe(2);
    expect(byTicket.get('v1')?.countersToOpen).toBe(serversNeeded(0.5, 5, 5, 0.8) - 1);
    expect(byTicket.get('x1')?.countersToOpen).toBe(0); // no load entry
    expect(byTicket.get('s1')?.countersToOpen).toBe(0); // transaction alert
  });

  it('honours targetShare (default 0.8)', () => {
    const heavy = [load({ arrivalsPerMinute: 2, meanServiceMinutes: 5, openCounters: 10 })];
    const at = (share?: number): number => run([waitingAt(25)], [], heavy, share)[0]?.countersToOpen ?? -1;
    expect(at()).toBe(serversNeeded(2, 5, 30, 0.8) - 10);
    expect(at(0.99)).toBe(serversNeeded(2, 5, 30, 0.99) - 10);
    expect(at(0.99)).toBeGreaterThanOrEqual(at());
  });

  it('a VIP ticket in a queue with separate VIP and normal loads uses the VIP load', () => {
    const loads = [
      load({ openCounters: 0, arrivalsPerMinute: 1 }),
      load({ vip: true, arrivalsPerMinute: 0.1, meanServiceMinutes: 5, openCounters: 1 }),
    ];
    const alerts = run([waitingAt(4.5, true, 'v1'), waitingAt(25, false, 'g1')], [], loads);
    const byTicket = new Map(alerts.map((a) => [a.ticketId, a]));
    expect(byTicket.get('v1')?.countersToOpen).toBe(Math.max(0, serversNeeded(0.1, 5, 5, 0.8) - 1));
    expect(byTicket.get('g1')?.countersToOpen).toBe(serversNeeded(1, 5, 30, 0.8));
  });

  it('a VIP ticket in a queue with only a normal load uses that load against the VIP limit', () => {
    const alerts = run([waitingAt(4.5, true, 'v1')], [], [load({ openCounters: 4 })]);
    expect(alerts[0]?.countersToOpen).toBe(serversNeeded(1, 5, 5, 0.8) - 4);
  });

  it('property: heavier arrivals never need fewer counters to open', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0, max: 8, noNaN: true }),
        fc.double({ min: 1, max: 4, noNaN: true }),
        fc.double({ min: 0.5, max: 15, noNaN: true }),
        fc.integer({ min: 0, max: 30 }),
        fc.boolean(),
        (arrivals, factor, service, open, vip) => {
          const countersFor = (rate: number): number => {
            const alerts = run(
              [waitingAt(vip ? 5.5 : 31, vip)],
              [],
              [load({ arrivalsPerMinute: rate, meanServiceMinutes: service, openCounters: open, vip })],
            );
            return alerts[0]?.countersToOpen ?? -1;
          };
          const light = countersFor(arrivals);
          const heavy = countersFor(arrivals * factor);
          expect(light).toBeGreaterThanOrEqual(0);
          expect(heavy).toBeGreaterThanOrEqual(light);
        },
      ),
    );
  });

  it('property: toOpen = max(0, needed − open) and more open counters never need more to open', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0, max: 8, noNaN: true }),
        fc.double({ min: 0.5, max: 15, noNaN: true }),
        fc.integer({ min: 0, max: 40 }),
        fc.constantFrom(5, 30),
        (arrivals, service, open, limit) => {
          const l = load({ arrivalsPerMinute: arrivals, meanServiceMinutes: service, openCounters: open });
          const advice = countersAdvice(l, limit, 0.8);
          expect(advice.toOpen).toBe(Math.max(0, advice.needed - open));
          const more = countersAdvice({ ...l, openCounters: open + 1 }, limit, 0.8);
          expect(more.toOpen).toBeLessThanOrEqual(advice.toOpen);
        },
      ),
    );
  });
});

describe('evaluateLimits: ordering and completeness', () => {
  it('sorts breach before warning, then longest elapsed first', () => {
    const alerts = run(
      [
        waitingAt(25, false, 'w25'),
        waitingAt(45, false, 'w45'),
        waitingAt(6, true, 'v6'),
        waitingAt(4, true, 'v4'),
      ],
      [serving(12, null, 's12'), serving(9, null, 's9')],
    );
    expect(alerts.map((a) => `${a.level}:${a.ticketId}`)).toEqual([
      'breach:w45',
      'breach:s12',
      'breach:v6',
      'warning:w25',
      'warning:s9',
      'warning:v4',
    ]);
  });

  it('ties in elapsed time are ordered by ticket id', () => {
    const alerts = run([waitingAt(31, false, 'b'), waitingAt(31, false, 'a')]);
    expect(alerts.map((a) => a.ticketId)).toEqual(['a', 'b']);
  });

  it('returns nothing for an empty hall', () => {
    expect(run([], [], [load()])).toEqual([]);
  });

  const waitingArb = fc.uniqueArray(
    fc.record({
      ticketId: fc.string({ minLength: 1, maxLength: 5 }),
      queue: fc.constantFrom('general', 'vip', 'broadband'),
      vip: fc.boolean(),
      waitedSeconds: fc.integer({ min: -60, max: 3600 }),
    }),
    { selector: (w) => w.ticketId, maxLength: 20 },
  );
  const servingArb = fc.uniqueArray(
    fc.record({
      ticketId: fc.string({ minLength: 1, maxLength: 5 }).map((id) => `s-${id}`),
      counterId: fc.constantFrom('c1', 'c2', 'c3'),
      startedSeconds: fc.integer({ min: 0, max: 1800 }),
      doneAfterSeconds: fc.option(fc.integer({ min: 0, max: 1800 })),
    }),
    { selector: (s) => s.ticketId, maxLength: 10 },
  );
  const limitsArb = fc.record({
    waitMinutes: fc.integer({ min: 1, max: 60 }),
    vipWaitMinutes: fc.integer({ min: 1, max: 15 }),
    transactionMinutes: fc.integer({ min: 1, max: 20 }),
    warnShare: fc.double({ min: 0.05, max: 1, noNaN: true }),
  });

  it('property: one alert per ticket at or over its warning threshold, right level, sorted', () => {
    fc.assert(
      fc.property(waitingArb, servingArb, limitsArb, (rawWaiting, rawServing, lim) => {
        const waiting: WaitingSnapshot[] = rawWaiting.map((w) => ({
          ticketId: w.ticketId,
          queue: w.queue,
          vip: w.vip,
          waitingSince: new Date(NOW.getTime() - w.waitedSeconds * 1000),
        }));
        const servingList: ServingSnapshot[] = rawServing.map((s) => {
          const startedAt = new Date(NOW.getTime() - s.startedSeconds * 1000);
          const businessDoneAt =
            s.doneAfterSeconds === null ? null : new Date(startedAt.getTime() + s.doneAfterSeconds * 1000);
          return { ticketId: s.ticketId, counterId: s.counterId, startedAt, businessDoneAt };
        });
        const alerts = evaluateLimits({ now: NOW, limits: lim, waiting, serving: servingList, loads: [] });

        const expectedIds = new Set<string>();
        for (const w of waiting) {
          const limit = w.vip ? lim.vipWaitMinutes : lim.waitMinutes;
          const elapsed = (NOW.getTime() - w.waitingSince.getTime()) / 60_000;
          if (elapsed >= lim.warnShare * limit + 1e-6) expectedIds.add(w.ticketId);
          if (elapsed < lim.warnShare * limit - 1e-6)
            expect(alerts.some((a) => a.ticketId === w.ticketId)).toBe(false);
        }
        for (const s of servingList) {
          const elapsed = transactionMinutes(s, NOW);
          if (elapsed >= lim.warnShare * lim.transactionMinutes + 1e-6) expectedIds.add(s.ticketId);
        }
        for (const id of expectedIds) expect(alerts.filter((a) => a.ticketId === id)).toHaveLength(1);
        expect(new Set(alerts.map((a) => a.ticketId)).size).toBe(alerts.length);

        for (const a of alerts) {
          expect(a.elapsedMinutes).toBeGreaterThanOrEqual(lim.warnShare * a.limitMinutes - 1e-6);
          expect(a.level).toBe(a.elapsedMinutes > a.limitMinutes ? 'breach' : 'warning');
          expect(a.countersToOpen).toBe(0);
          if (a.kind === 'transaction') {
            expect(a.queue).toBeNull();
            expect(a.limitMinutes).toBe(lim.transactionMinutes);
          } else {
            expect(a.limitMinutes).toBe(a.kind === 'vip_wait' ? lim.vipWaitMinutes : lim.waitMinutes);
          }
        }
        for (let i = 1; i < alerts.length; i += 1) {
          expect(compareAlerts(alerts[i - 1] as Alert, alerts[i] as Alert)).toBeLessThanOrEqual(0);
        }
      }),
    );
  });
});

describe('arrivalRate', () => {
  const arrivals = [ago(0), ago(5), ago(14.999), ago(15), ago(20), new Date(NOW.getTime() + 60_000)];

  it.each([
    { window: 15, expected: 3 / 15, note: '(now − 15, now]: the arrival exactly 15 min ago is excluded' },
    { window: 30, expected: 5 / 30, note: 'future arrivals are excluded' },
    { window: 1, expected: 1, note: 'an arrival at now is included' },
    { window: 0.5, expected: 2, note: 'fractional window' },
  ])('$note', ({ window, expected }) => {
    expect(arrivalRate(arrivals, NOW, window)).toBeCloseTo(expected, 12);
  });

  it('is 0 without arrivals and rejects a window <= 0', () => {
    expect(arrivalRate([], NOW, 60)).toBe(0);
    expect(() => arrivalRate([], NOW, 0)).toThrow(RangeError);
    expect(() => arrivalRate([], NOW, -5)).toThrow(RangeError);
  });

  it('property: count in the window divided by its length, never negative', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: -3_600_000, max: 600_000 })),
        fc.integer({ min: 1, max: 120 }),
        (offsets, window) => {
          const dates = offsets.map((o) => new Date(NOW.getTime() - o));
          const inside = offsets.filter((o) => o >= 0 && o < window * 60_000).length;
          expect(arrivalRate(dates, NOW, window)).toBeCloseTo(inside / window, 12);
        },
      ),
    );
  });
});

describe('meanServiceMinutes', () => {
  it.each([
    { durations: [], fallback: 6, expected: 6 },
    { durations: [4], fallback: 6, expected: 4 },
    { durations: [2, 4, 9], fallback: 6, expected: 5 },
    { durations: [0, 4], fallback: 6, expected: 2 },
    { durations: [Number.NaN, -1, Infinity, 3], fallback: 6, expected: 3 },
    { durations: [Number.NaN, -1], fallback: 7.5, expected: 7.5 },
  ])('mean of $durations (fallback $fallback) = $expected', ({ durations, fallback, expected }) => {
    expect(meanServiceMinutes(durations, fallback)).toBeCloseTo(expected, 12);
  });

  it('property: lies between the smallest and the largest valid duration', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: 0, max: 120, noNaN: true }), { minLength: 1 }), (durations) => {
        const mean = meanServiceMinutes(durations, -1);
        expect(mean).toBeGreaterThanOrEqual(Math.min(...durations) - 1e-9);
        expect(mean).toBeLessThanOrEqual(Math.max(...durations) + 1e-9);
      }),
    );
  });
});
