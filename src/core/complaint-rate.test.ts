import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { OrderFact } from './complaint-rate.ts';
import {
  backlogAgeing,
  BACKLOG_BANDS_HOURS,
  complaintRate,
  timeLimitSummary,
  timeLimitSummaryBy,
} from './complaint-rate.ts';
import type { Resolved } from './settings.ts';
import { WORK_ORDER_KINDS } from './sla.ts';

const MAX: Resolved = { key: 'hall.complaintRateMax', value: 1, sourceUnitId: null, since: null };
const MARCH: { from: Date; to: Date } = {
  from: new Date('2026-02-28T16:00:00Z'),
  to: new Date('2026-03-31T16:00:00Z'),
};
const at = (d: string) => new Date(`2026-03-${d}T02:00:00Z`);
const order = (over: Partial<OrderFact> = {}): OrderFact => ({
  id: Math.random().toString(36).slice(2),
  kind: 'complaint',
  concernsUnitId: 'h1',
  createdAt: at('10'),
  serviceQuality: true,
  duplicate: false,
  dueAt: at('12'),
  resolvedAt: null,
  closed: false,
  satisfaction: null,
  ...over,
});

describe('complaintRate (indicator 1)', () => {
  it.each([
    ['no halls: no rate, no verdict', [], [], null, null],
    ['no complaints', [], ['h1', 'h2'], 0, true],
    ['one complaint over two halls', [order()], ['h1', 'h2'], 0.5, true],
    ['two over two: not below 1', [order(), order({ concernsUnitId: 'h2' })], ['h1', 'h2'], 1, false],
    [
      'an escalated complaint and an appeal count',
      [order({ kind: 'escalated_complaint' }), order({ kind: 'appeal' })],
      ['h1', 'h2', 'h3'],
      2 / 3,
      true,
    ],
    [
      'a consultation, a fault and a suggestion do not',
      [order({ kind: 'consultation' }), order({ kind: 'fault' }), order({ kind: 'suggestion' })],
      ['h1'],
      0,
      true,
    ],
    ['a network complaint is not a service-quality one', [order({ serviceQuality: false })], ['h1'], 0, true],
    ['a merged duplicate counts once', [order(), order({ duplicate: true })], ['h1'], 1, false],
    [
      'a complaint against a unit outside the halls asked about',
      [order({ concernsUnitId: 'x' })],
      ['h1'],
      0,
      true,
    ],
    [
      'before and at the end of the period (exclusive)',
      [order({ createdAt: new Date('2026-02-28T15:59:59Z') }), order({ createdAt: MARCH.to })],
      ['h1'],
      0,
      true,
    ],
    ['at the start of the period', [order({ createdAt: MARCH.from })], ['h1'], 1, false],
  ] as const)('%s', (_name, orders, halls, rate, meets) => {
    const r = complaintRate(orders, halls, MARCH, MAX);
    expect(r.rate).toBe(rate);
    expect(r.meetsTarget).toBe(meets);
  });

  it('per hall: each hall’s own count against the target', () => {
    const r = complaintRate(
      [order(), order(), order({ concernsUnitId: 'h2' })],
      ['h1', 'h2', 'h3'],
      MARCH,
      MAX,
    );
    expect(r.byHall).toEqual([
      { hallId: 'h1', complaints: 2, meetsTarget: false },
      { hallId: 'h2', complaints: 1, meetsTarget: false },
      { hallId: 'h3', complaints: 0, meetsTarget: true },
    ]);
  });

  it('refuses another setting and a backwards period', () => {
    expect(() => complaintRate([], ['h1'], MARCH, { ...MAX, key: 'x' })).toThrow(RangeError);
    expect(() => complaintRate([], ['h1'], { from: MARCH.to, to: MARCH.from }, MAX)).toThrow(RangeError);
  });

  it('the halls’ counts add up to the numerator, and the rate is numerator over halls', () => {
    const halls = ['h1', 'h2', 'h3'];
    const fact = fc.record({
      kind: fc.constantFrom(...WORK_ORDER_KINDS),
      concernsUnitId: fc.constantFrom('h1', 'h2', 'h3', 'x'),
      day: fc.integer({ min: 1, max: 40 }),
      serviceQuality: fc.boolean(),
      duplicate: fc.boolean(),
    });
    fc.assert(
      fc.property(fc.array(fact, { maxLength: 40 }), (facts) => {
        const orders = facts.map((f, i) =>
          order({ ...f, id: String(i), createdAt: new Date(Date.UTC(2026, 2, f.day, 2)) }),
        );
        const r = complaintRate(orders, halls, MARCH, MAX);
        expect(r.byHall.reduce((n, h) => n + h.complaints, 0)).toBe(r.numerator);
        expect(r.rate).toBe(r.numerator / 3);
        expect(r.counted).toHaveLength(r.numerator);
      }),
    );
  });
});

describe('timeLimitSummary (限时办结)', () => {
  const asOf = at('20');
  it('counts handled on time, handled late, open overdue, open in time, paused, and the mean rating', () => {
    const s = timeLimitSummary(
      [
        order({ resolvedAt: at('11'), closed: true, satisfaction: 5 }),
        order({ resolvedAt: at('13'), closed: true, satisfaction: 2 }),
        order({ dueAt: at('19') }),
        order({ dueAt: at('25') }),
        order({ dueAt: null }),
        order({ resolvedAt: at('25') }), // handled after asOf: still open then, and overdue
        order({ kind: 'fault', resolvedAt: at('10') }),
        order({ duplicate: true }),
      ],
      MARCH,
      asOf,
    );
    expect(s.find((x) => x.kind === 'complaint')).toEqual({
      kind: 'complaint',
      taken: 6,
      handled: 2,
      handledOnTime: 1,
      onTimeShare: 0.5,
      openOverdue: 2,
      open: 4,
      closed: 2,
      satisfaction: 3.5,
      rated: 2,
    });
    expect(s.find((x) => x.kind === 'fault')).toMatchObject({ taken: 1, handled: 1, onTimeShare: 1 });
  });

  it('nothing handled: no share, no rating', () => {
    expect(timeLimitSummary([order()], MARCH, asOf)[0]).toMatchObject({
      onTimeShare: null,
      satisfaction: null,
    });
  });
});

describe('timeLimitSummaryBy: the same figures per any key', () => {
  const asOf = at('20');
  const orders = fc.array(
    fc.record({
      kind: fc.constantFrom(...WORK_ORDER_KINDS),
      group: fc.constantFrom('a', 'b', 'c'),
      created: fc.integer({ min: 1, max: 28 }),
      due: fc.option(fc.integer({ min: 1, max: 31 }), { nil: null }),
      resolved: fc.option(fc.integer({ min: 1, max: 31 }), { nil: null }),
      closed: fc.boolean(),
      duplicate: fc.boolean(),
      satisfaction: fc.option(fc.integer({ min: 1, max: 5 }), { nil: null }),
    }),
    { maxLength: 40 },
  );
  const day = (n: number) => at(String(n).padStart(2, '0'));
  function build(
    xs: {
      kind: OrderFact['kind'];
      group: string;
      created: number;
      due: number | null;
      resolved: number | null;
      closed: boolean;
      duplicate: boolean;
      satisfaction: number | null;
    }[],
  ) {
    return xs.map((x, i) => ({
      ...order({
        id: `o${i}`,
        kind: x.kind,
        createdAt: day(x.created),
        dueAt: x.due === null ? null : day(x.due),
        resolvedAt: x.resolved === null ? null : day(x.resolved),
        closed: x.closed,
        duplicate: x.duplicate,
        satisfaction: x.satisfaction,
      }),
      group: x.group,
    }));
  }

  it('the groups add up to the whole, whatever the key', () => {
    fc.assert(
      fc.property(orders, (xs) => {
        const all = build(xs);
        const whole = timeLimitSummaryBy(all, MARCH, asOf, () => 'all')[0]?.figures;
        const parts = timeLimitSummaryBy(all, MARCH, asOf, (o) => o.group);
        for (const field of [
          'taken',
          'handled',
          'handledOnTime',
          'openOverdue',
          'open',
          'closed',
          'rated',
        ] as const)
          expect(parts.reduce((n, p) => n + p.figures[field], 0)).toBe(whole?.[field] ?? 0);
        for (const p of parts) {
          expect(p.figures.open + p.figures.closed).toBe(p.figures.taken);
          expect(p.figures.handledOnTime).toBeLessThanOrEqual(p.figures.handled);
        }
      }),
    );
  });

  it('by kind it is timeLimitSummary', () => {
    fc.assert(
      fc.property(orders, (xs) => {
        const all = build(xs);
        expect(
          timeLimitSummaryBy(all, MARCH, asOf, (o) => o.kind).map((g) => ({ kind: g.key, ...g.figures })),
        ).toEqual(timeLimitSummary(all, MARCH, asOf));
      }),
    );
  });
});

describe('backlogAgeing (积压与账龄)', () => {
  const asOf = new Date('2026-03-20T02:00:00Z');
  const hoursAgo = (h: number) => new Date(asOf.getTime() - h * 3_600_000);

  it.each([
    ['just taken', 0, 0],
    ['23 h 59', 23.99, 0],
    ['exactly a day: the second band', 24, 1],
    ['two days', 48, 1],
    ['exactly three days', 72, 2],
    ['six days', 144, 2],
    ['exactly a week', 168, 3],
    ['a month', 720, 3],
  ])('%s old → band %i', (_, hours, band) => {
    const b = backlogAgeing([order({ createdAt: hoursAgo(hours), dueAt: null })], asOf);
    expect(b.bands.map((x) => x.open)).toEqual([0, 1, 2, 3].map((i) => (i === band ? 1 : 0)));
    expect(b.oldestHours).toBeCloseTo(hours);
  });

  it('only what is still being handled, and counts the overdue', () => {
    const b = backlogAgeing(
      [
        order({ createdAt: hoursAgo(30), dueAt: hoursAgo(1) }), // overdue
        order({ createdAt: hoursAgo(30), dueAt: hoursAgo(-5) }), // in time
        order({ createdAt: hoursAgo(30), dueAt: hoursAgo(0) }), // due now: overdue
        order({ createdAt: hoursAgo(30), resolvedAt: hoursAgo(2) }), // handled
        order({ createdAt: hoursAgo(30), resolvedAt: hoursAgo(-2), dueAt: null }), // handled later: open now
        order({ createdAt: hoursAgo(30), closed: true }),
        order({ createdAt: hoursAgo(30), duplicate: true }),
        order({ createdAt: hoursAgo(-1) }), // taken after asOf
      ],
      asOf,
    );
    expect(b).toMatchObject({ open: 4, overdue: 2 });
    expect(b.bands[1]).toEqual({ fromHours: 24, toHours: 72, open: 4, overdue: 2 });
    expect(b.bands.map((x) => [x.fromHours, x.toHours])).toEqual([
      [0, 24],
      [24, 72],
      [72, 168],
      [168, null],
    ]);
  });

  it('no backlog: zeros and no oldest', () => {
    expect(backlogAgeing([], asOf)).toMatchObject({ open: 0, overdue: 0, oldestHours: null });
  });

  it('refuses bands that are not positive and ascending', () => {
    for (const bad of [[0], [24, 24], [72, 24], [-1]])
      expect(() => backlogAgeing([], asOf, bad)).toThrow(RangeError);
    expect(backlogAgeing([], asOf, [1]).bands).toHaveLength(2);
    expect(BACKLOG_BANDS_HOURS).toEqual([24, 72, 168]);
  });

  it('every open order falls in exactly one band, whatever its age', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: 0, max: 2000, noNaN: true }), { maxLength: 30 }), (ages) => {
        const b = backlogAgeing(
          ages.map((h) => order({ createdAt: hoursAgo(h), dueAt: null })),
          asOf,
        );
        expect(b.open).toBe(ages.length);
        for (const band of b.bands) expect(band.overdue).toBe(0);
      }),
    );
  });
});
