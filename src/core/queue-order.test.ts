import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  compareTickets,
  peopleAhead,
  pickNext,
  ruleMatches,
  segment,
  servesCategory,
  servesQueue,
} from './queue-order.ts';
import type { CustomerFacts, SegmentationRule, Tier, WaitingTicket, WorkProfile } from './queue-order.ts';

const NOW = new Date('2024-05-06T10:00:00.000Z');
const minutesAgo = (m: number): Date => new Date(NOW.getTime() - m * 60_000);

function ticket(id: string, queue: string, overrides: Partial<WaitingTicket> = {}): WaitingTicket {
  const waitingSince = overrides.waitingSince ?? minutesAgo(1);
  return { id, queue, category: 'general', priority: 0, waitingSince, takenAt: waitingSince, ...overrides };
}

const facts = (overrides: Partial<CustomerFacts> = {}): CustomerFacts => ({
  tier: null,
  is3g: false,
  hasAppointment: false,
  ...overrides,
});

describe('segment', () => {
  const rules: SegmentationRule[] = [
    { queue: 'appointment', when: { appointment: true } },
    { queue: 'vip', when: { tiers: ['diamond', 'gold', 'silver'] } },
    { queue: '3g', when: { is3g: true } },
    { queue: 'broadband', when: { categories: ['broadband', 'fixed-line'] } },
    { queue: 'gold-bills', when: { tiers: ['gold'], categories: ['bill'] } },
  ];

  it.each<{ note: string; category: string; f: CustomerFacts; expected: string }>([
    { note: 'nothing matches', category: 'general', f: facts(), expected: 'default' },
    {
      note: 'appointment first',
      category: 'general',
      f: facts({ hasAppointment: true }),
      expected: 'appointment',
    },
    {
      note: 'appointment beats VIP (rule order)',
      category: 'bill',
      f: facts({ hasAppointment: true, tier: 'diamond' }),
      expected: 'appointment',
    },
    { note: 'diamond VIP', category: 'general', f: facts({ tier: 'diamond' }), expected: 'vip' },
    { note: 'silver VIP', category: 'general', f: facts({ tier: 'silver' }), expected: 'vip' },
    {
      note: 'ordinary tier is no VIP',
      category: 'general',
      f: facts({ tier: 'ordinary' }),
      expected: 'default',
    },
    { note: 'unknown tier is no VIP', category: 'general', f: facts({ tier: null }), expected: 'default' },
    { note: '3G customer', category: 'general', f: facts({ is3g: true }), expected: '3g' },
    { note: 'VIP beats 3G', category: 'general', f: facts({ is3g: true, tier: 'gold' }), expected: 'vip' },
    { note: 'category rule', category: 'fixed-line', f: facts(), expected: 'broadband' },
    {
      note: 'gold bill shadowed by the earlier VIP rule',
      category: 'bill',
      f: facts({ tier: 'gold' }),
      expected: 'vip',
    },
  ])('$note → $expected', ({ category, f, expected }) => {
    expect(segment(rules, category, f, 'default')).toBe(expected);
  });

  it('requires every given condition', () => {
    const both: SegmentationRule[] = [{ queue: 'q', when: { tiers: ['gold'], categories: ['bill'] } }];
    expect(segment(both, 'bill', facts({ tier: 'gold' }), 'd')).toBe('q');
    expect(segment(both, 'general', facts({ tier: 'gold' }), 'd')).toBe('d');
    expect(segment(both, 'bill', facts({ tier: 'silver' }), 'd')).toBe('d');
  });

  it('matches false conditions exactly', () => {
    const notAppointment: SegmentationRule[] = [
      { queue: 'walk-in', when: { appointment: false, is3g: false } },
    ];
    expect(segment(notAppointment, 'x', facts(), 'd')).toBe('walk-in');
    expect(segment(notAppointment, 'x', facts({ hasAppointment: true }), 'd')).toBe('d');
    expect(segment(notAppointment, 'x', facts({ is3g: true }), 'd')).toBe('d');
  });

  it('treats an empty condition object and empty lists as no restriction', () => {
    expect(segment([{ queue: 'all', when: {} }], 'x', facts(), 'd')).toBe('all');
    expect(segment([{ queue: 'all', when: { tiers: [], categories: [] } }], 'x', facts(), 'd')).toBe('all');
  });

  it('falls back to the default queue without rules', () => {
    expect(segment([], 'x', facts({ tier: 'diamond' }), 'd')).toBe('d');
  });

  const tierArb = fc.constantFrom<Tier | null>('diamond', 'gold', 'silver', 'ordinary', null);
  const factsArb = fc.record({ tier: tierArb, is3g: fc.boolean(), hasAppointment: fc.boolean() });
  const ruleArb: fc.Arbitrary<SegmentationRule> = fc.record({
    queue: fc.constantFrom('a', 'b', 'c', 'd'),
    when: fc.record(
      {
        tiers: fc.subarray<Tier>(['diamond', 'gold', 'silver', 'ordinary']),
        is3g: fc.boolean(),
        appointment: fc.boolean(),
        categories: fc.subarray(['general', 'bill', 'broadband']),
      },
      { requiredKeys: [] },
    ),
  });

  it('property: result is the first matching rule or the default', () => {
    fc.assert(
      fc.property(
        fc.array(ruleArb, { maxLength: 8 }),
        fc.constantFrom('general', 'bill', 'broadband'),
        factsArb,
        (rules, category, f) => {
          const result = segment(rules, category, f, 'default');
          const index = rules.findIndex((r) => ruleMatches(r, category, f));
          expect(result).toBe(index === -1 ? 'default' : rules[index]?.queue);
          // No earlier rule matches.
          for (const r of rules.slice(0, index === -1 ? rules.length : index)) {
            expect(ruleMatches(r, category, f)).toBe(false);
          }
        },
      ),
    );
  });

  it('property: a rule matches exactly when each given condition holds', () => {
    fc.assert(
      fc.property(ruleArb, fc.constantFrom('general', 'bill', 'broadband'), factsArb, (rule, category, f) => {
        const { tiers, is3g, appointment, categories } = rule.when;
        const expected =
          (tiers === undefined || tiers.length === 0 || (f.tier !== null && tiers.includes(f.tier))) &&
          (is3g === undefined || is3g === f.is3g) &&
          (appointment === undefined || appointment === f.hasAppointment) &&
          (categories === undefined || categories.length === 0 || categories.includes(category));
        expect(ruleMatches(rule, category, f)).toBe(expected);
      }),
    );
  });
});

describe('compareTickets (order within a queue)', () => {
  it.each<{ note: string; a: Partial<WaitingTicket>; b: Partial<WaitingTicket>; first: 'a' | 'b' }>([
    {
      note: 'higher priority first',
      a: { priority: 0, waitingSince: minutesAgo(20) },
      b: { priority: 1 },
      first: 'b',
    },
    {
      note: 'earlier waitingSince first',
      a: { waitingSince: minutesAgo(5) },
      b: { waitingSince: minutesAgo(6) },
      first: 'b',
    },
    {
      note: 'earlier takenAt on equal waitingSince',
      a: { waitingSince: minutesAgo(5), takenAt: minutesAgo(2) },
      b: { waitingSince: minutesAgo(5), takenAt: minutesAgo(3) },
      first: 'b',
    },
    {
      note: 'transfer keeping its waiting time goes ahead of a newer ticket',
      a: { waitingSince: minutesAgo(4), takenAt: minutesAgo(4) },
      b: { waitingSince: minutesAgo(12), takenAt: minutesAgo(1) },
      first: 'b',
    },
  ])('$note', ({ a, b, first }) => {
    const ta = ticket('a', 'q', a);
    const tb = ticket('b', 'q', b);
    expect(Math.sign(compareTickets(ta, tb))).toBe(first === 'a' ? -1 : 1);
    expect(Math.sign(compareTickets(tb, ta))).toBe(first === 'a' ? 1 : -1);
  });

  it('falls back to id and is 0 only for the same id', () => {
    const since = minutesAgo(3);
    const a = ticket('A001', 'q', { waitingSince: since, takenAt: since });
    const b = ticket('A002', 'q', { waitingSince: since, takenAt: since });
    expect(compareTickets(a, b)).toBeLessThan(0);
    expect(compareTickets(b, a)).toBeGreaterThan(0);
    expect(compareTickets(a, { ...a })).toBe(0);
  });
});

describe('servesQueue / servesCategory', () => {
  const profile: WorkProfile = {
    rules: [
      { kind: 'overdue', queue: 'vip', afterMinutes: 3 },
      { kind: 'queue', queue: 'general' },
    ],
    categories: ['bill'],
  };

  it.each([
    { queue: 'vip', expected: true },
    { queue: 'general', expected: true },
    { queue: 'broadband', expected: false },
  ])('servesQueue($queue) = $expected', ({ queue, expected }) => {
    expect(servesQueue(profile, queue)).toBe(expected);
  });

  it('servesCategory honours the category list, no list or an empty one means all', () => {
    expect(servesCategory(profile, 'bill')).toBe(true);
    expect(servesCategory(profile, 'general')).toBe(false);
    expect(servesCategory({ rules: [] }, 'anything')).toBe(true);
    expect(servesCategory({ rules: [], categories: [] }, 'anything')).toBe(true);
  });
});

describe('pickNext', () => {
  const general: WorkProfile = { rules: [{ kind: 'queue', queue: 'general' }] };

  it('returns null when nothing is waiting or nothing is eligible', () => {
    expect(pickNext([], general, NOW)).toBeNull();
    expect(pickNext([ticket('v1', 'vip')], general, NOW)).toBeNull();
    expect(pickNext([ticket('g1', 'general')], { rules: [] }, NOW)).toBeNull();
  });

  it('calls by priority, then waiting time, then takenAt, then id', () => {
    const waiting = [
      ticket('g1', 'general', { waitingSince: minutesAgo(20) }),
      ticket('g2', 'general', { waitingSince: minutesAgo(2), priority: 2 }),
      ticket('g3', 'general', { waitingSince: minutesAgo(25) }),
    ];
    expect(pickNext(waiting, general, NOW)?.id).toBe('g2');
    expect(
      pickNext(
        waiting.filter((t) => t.id !== 'g2'),
        general,
        NOW,
      )?.id,
    ).toBe('g3');
  });

  it('tries queue rules in order', () => {
    const profile: WorkProfile = {
      rules: [
        { kind: 'queue', queue: 'vip' },
        { kind: 'queue', queue: 'general' },
      ],
    };
    const g = ticket('g1', 'general', { waitingSince: minutesAgo(29) });
    const v = ticket('v1', 'vip', { waitingSince: minutesAgo(1) });
    expect(pickNext([g, v], profile, NOW)?.id).toBe('v1');
    expect(pickNext([g], profile, NOW)?.id).toBe('g1');
  });

  it('only calls categories the counter serves', () => {
    const profile: WorkProfile = { rules: [{ kind: 'queue', queue: 'general' }], categories: ['bill'] };
    const waiting = [
      ticket('g1', 'general', { category: 'broadband', waitingSince: minutesAgo(20), priority: 5 }),
      ticket('g2', 'general', { category: 'bill', waitingSince: minutesAgo(2) }),
    ];
    expect(pickNext(waiting, profile, NOW)?.id).toBe('g2');
    expect(pickNext([waiting[0] as WaitingTicket], profile, NOW)).toBeNull();
  });

  describe('overdue rules', () => {
    const profile: WorkProfile = {
      rules: [
        { kind: 'queue', queue: 'general' },
        { kind: 'overdue', queue: 'vip', afterMinutes: 4 },
        { kind: 'overdue', queue: 'broadband', afterMinutes: 20 },
      ],
    };

    it.each([
      { note: 'vip not yet overdue (3 min)', vip: 3, bb: 1, expected: 'g1' },
      { note: 'vip exactly at threshold is not overdue', vip: 4, bb: 1, expected: 'g1' },
      { note: 'vip overdue (4.5 min)', vip: 4.5, bb: 1, expected: 'v1' },
      { note: 'broadband overdue (21 min)', vip: 1, bb: 21, expected: 'b1' },
      { note: 'both overdue: vip by 2 min vs broadband by 1 min', vip: 6, bb: 21, expected: 'v1' },
      { note: 'both overdue: broadband by 5 min vs vip by 2 min', vip: 6, bb: 25, expected: 'b1' },
    ])('$note → $expected', ({ vip, bb, expected }) => {
      const waiting = [
        ticket('g1', 'general', { waitingSince: minutesAgo(28) }),
        ticket('v1', 'vip', { waitingSince: minutesAgo(vip) }),
        ticket('b1', 'broadband', { waitingSince: minutesAgo(bb) }),
      ];
      expect(pickNext(waiting, profile, NOW)?.id).toBe(expected);
    });

    it('ties in overdue minutes go to the earlier rule', () => {
      const waiting = [
        ticket('v1', 'vip', { waitingSince: minutesAgo(6) }),
        ticket('b1', 'broadband', { waitingSince: minutesAgo(22) }),
      ];
      expect(pickNext(waiting, profile, NOW)?.id).toBe('v1');
    });

    it('triggers on the oldest eligible ticket but calls in queue order', () => {
      const waiting = [
        ticket('g1', 'general'),
        ticket('v-old', 'vip', { waitingSince: minutesAgo(9) }),
        ticket('v-appt', 'vip', { waitingSince: minutesAgo(1), priority: 2 }),
      ];
      expect(pickNext(waiting, profile, NOW)?.id).toBe('v-appt');
    });

    it('ignores ineligible categories when judging overdue', () => {
      const p: WorkProfile = { ...profile, categories: ['general'] };
      const waiting = [
        ticket('g1', 'general'),
        ticket('v1', 'vip', { waitingSince: minutesAgo(30), category: 'broadband' }),
      ];
      expect(pickNext(waiting, p, NOW)?.id).toBe('g1');
    });

    it('uses waitingSince (kept over a transfer), not takenAt', () => {
      const waiting = [
        ticket('g1', 'general'),
        ticket('v1', 'vip', { waitingSince: minutesAgo(10), takenAt: minutesAgo(1) }),
      ];
      expect(pickNext(waiting, profile, NOW)?.id).toBe('v1');
    });

    it('an overdue-only profile calls nothing until a queue is overdue', () => {
      const p: WorkProfile = { rules: [{ kind: 'overdue', queue: 'vip', afterMinutes: 4 }] };
      expect(pickNext([ticket('v1', 'vip', { waitingSince: minutesAgo(2) })], p, NOW)).toBeNull();
      expect(pickNext([ticket('v1', 'vip', { waitingSince: minutesAgo(5) })], p, NOW)?.id).toBe('v1');
    });

    it('afterMinutes 0 makes any waiting ticket overdue', () => {
      const p: WorkProfile = {
        rules: [
          { kind: 'queue', queue: 'general' },
          { kind: 'overdue', queue: 'vip', afterMinutes: 0 },
        ],
      };
      const waiting = [ticket('g1', 'general', { waitingSince: minutesAgo(20) }), ticket('v1', 'vip')];
      expect(pickNext(waiting, p, NOW)?.id).toBe('v1');
    });
  });

  const queues = ['general', 'vip', 'broadband', 'other'] as const;
  const ticketsArb = fc.uniqueArray(
    fc.record({
      id: fc.string({ minLength: 1, maxLength: 4 }),
      queue: fc.constantFrom(...queues),
      category: fc.constantFrom('general', 'bill', 'broadband'),
      priority: fc.integer({ min: 0, max: 2 }),
      waitedSeconds: fc.integer({ min: 0, max: 3600 }),
      transferSeconds: fc.integer({ min: 0, max: 600 }),
    }),
    { selector: (t) => t.id, maxLength: 25 },
  );
  interface RawTicket {
    id: string;
    queue: string;
    category: string;
    priority: number;
    waitedSeconds: number;
    transferSeconds: number;
  }
  const toTickets = (raw: RawTicket[]): WaitingTicket[] =>
    raw.map((x) => {
      const waitingSince = new Date(NOW.getTime() - x.waitedSeconds * 1000);
      const takenAt = new Date(waitingSince.getTime() + x.transferSeconds * 1000);
      return { id: x.id, queue: x.queue, category: x.category, priority: x.priority, waitingSince, takenAt };
    });
  const profileArb: fc.Arbitrary<WorkProfile> = fc.record(
    {
      rules: fc.array(
        fc.oneof(
          fc.record({ kind: fc.constant('queue' as const), queue: fc.constantFrom(...queues) }),
          fc.record({
            kind: fc.constant('overdue' as const),
            queue: fc.constantFrom(...queues),
            afterMinutes: fc.integer({ min: 0, max: 60 }),
          }),
        ),
        { maxLength: 5 },
      ),
      categories: fc.subarray(['general', 'bill', 'broadband']),
    },
    { requiredKeys: ['rules'] },
  );

  it('property: the pick is eligible, from a named queue, and first in its queue order', () => {
    fc.assert(
      fc.property(ticketsArb, profileArb, (raw, profile) => {
        const waiting = toTickets(raw);
        const picked = pickNext(waiting, profile, NOW);
        const eligible = waiting.filter(
          (t) => servesQueue(profile, t.queue) && servesCategory(profile, t.category),
        );
        if (picked === null) {
          // Nothing picked: no queue rule has an eligible ticket (overdue rules may have non-overdue ones).
          const queueRules = profile.rules.filter((r) => r.kind === 'queue').map((r) => r.queue);
          expect(eligible.filter((t) => queueRules.includes(t.queue))).toHaveLength(0);
          return;
        }
        expect(waiting).toContain(picked);
        expect(servesQueue(profile, picked.queue)).toBe(true);
        expect(servesCategory(profile, picked.category)).toBe(true);
        for (const t of eligible) {
          if (t.queue === picked.queue) expect(compareTickets(picked, t)).toBeLessThanOrEqual(0);
        }
      }),
    );
  });

  it('property: an overdue queue wins, the one most minutes past its threshold', () => {
    fc.assert(
      fc.property(ticketsArb, profileArb, (raw, profile) => {
        const waiting = toTickets(raw);
        const excessOf = (queue: string, afterMinutes: number): number | null => {
          const times = waiting
            .filter((t) => t.queue === queue && servesCategory(profile, t.category))
            .map((t) => t.waitingSince.getTime());
          if (times.length === 0) return null;
          const excess = NOW.getTime() - Math.min(...times) - afterMinutes * 60_000;
          return excess > 0 ? excess : null;
        };
        const overdue = profile.rules.flatMap((r) => {
          if (r.kind !== 'overdue') return [];
          const excess = excessOf(r.queue, r.afterMinutes);
          return excess === null ? [] : [{ queue: r.queue, excess }];
        });
        const picked = pickNext(waiting, profile, NOW);
        if (overdue.length === 0) return;
        const best = Math.max(...overdue.map((o) => o.excess));
        expect(picked).not.toBeNull();
        expect(overdue.find((o) => o.excess === best)?.queue).toBe(picked?.queue);
      }),
    );
  });

  it('property: independent of the input order', () => {
    fc.assert(
      fc.property(ticketsArb, profileArb, fc.integer(), (raw, profile, seed) => {
        const waiting = toTickets(raw);
        const shuffled = [...waiting].sort(
          (a, b) => ((a.id.charCodeAt(0) * seed) % 7) - ((b.id.charCodeAt(0) * seed) % 7),
        );
        expect(pickNext(shuffled, profile, NOW)?.id).toBe(pickNext(waiting, profile, NOW)?.id);
      }),
    );
  });

  it('property: without overdue rules the first queue rule with an eligible ticket wins', () => {
    fc.assert(
      fc.property(ticketsArb, profileArb, (raw, profile) => {
        const waiting = toTickets(raw);
        const plain: WorkProfile = { ...profile, rules: profile.rules.filter((r) => r.kind === 'queue') };
        const picked = pickNext(waiting, plain, NOW);
        const firstQueue = plain.rules
          .map((r) => r.queue)
          .find((q) => waiting.some((t) => t.queue === q && servesCategory(plain, t.category)));
        expect(picked?.queue).toBe(firstQueue);
      }),
    );
  });
});

describe('peopleAhead', () => {
  it('counts only tickets of the same queue ordered before', () => {
    const me = ticket('me', 'general', { waitingSince: minutesAgo(5) });
    const waiting = [
      me,
      ticket('older', 'general', { waitingSince: minutesAgo(9) }),
      ticket('vip-newer', 'general', { waitingSince: minutesAgo(1), priority: 1 }),
      ticket('newer', 'general', { waitingSince: minutesAgo(2) }),
      ticket('other-queue', 'vip', { waitingSince: minutesAgo(30) }),
    ];
    expect(peopleAhead(waiting, me)).toBe(2);
    expect(peopleAhead(waiting, waiting[1] as WaitingTicket)).toBe(1);
    expect(peopleAhead(waiting, waiting[2] as WaitingTicket)).toBe(0);
    expect(peopleAhead(waiting, waiting[4] as WaitingTicket)).toBe(0);
    expect(peopleAhead([], me)).toBe(0);
  });

  it('works for a ticket not (yet) in the list', () => {
    const waiting = [ticket('a', 'general', { waitingSince: minutesAgo(3) })];
    expect(peopleAhead(waiting, ticket('new', 'general', { waitingSince: NOW }))).toBe(1);
  });

  it('property: the positions of a queue are 0..n-1 and match sorting', () => {
    const arb = fc.uniqueArray(
      fc.record({
        id: fc.string({ minLength: 1, maxLength: 4 }),
        queue: fc.constantFrom('general', 'vip'),
        priority: fc.integer({ min: 0, max: 2 }),
        waited: fc.integer({ min: 0, max: 30 }),
      }),
      { selector: (t) => t.id, maxLength: 20 },
    );
    fc.assert(
      fc.property(arb, (raw) => {
        const waiting = raw.map((r) =>
          ticket(r.id, r.queue, { priority: r.priority, waitingSince: minutesAgo(r.waited) }),
        );
        for (const queue of ['general', 'vip']) {
          const sorted = waiting.filter((t) => t.queue === queue).sort(compareTickets);
          sorted.forEach((t, i) => expect(peopleAhead(waiting, t)).toBe(i));
        }
        const general = { rules: [{ kind: 'queue' as const, queue: 'general' }] };
        const first = pickNext(waiting, general, NOW);
        if (first !== null) expect(peopleAhead(waiting, first)).toBe(0);
      }),
    );
  });
});

describe('tickets transferred to a counter', () => {
  const profile: WorkProfile = {
    rules: [
      { kind: 'queue', queue: 'vip' },
      { kind: 'queue', queue: 'general' },
    ],
    categories: ['bill'],
  };

  it('come first at their counter, whatever queue, category or profile', () => {
    const waiting = [
      ticket('v1', 'vip', { category: 'bill', waitingSince: minutesAgo(20) }),
      ticket('t1', 'repair', { category: 'repair', waitingSince: minutesAgo(1), counterId: 'c3' }),
    ];
    expect(pickNext(waiting, profile, NOW, 'c3')?.id).toBe('t1');
    expect(pickNext(waiting, { rules: [] }, NOW, 'c3')?.id).toBe('t1');
  });

  it('are never called by another counter, nor without a counter', () => {
    const waiting = [
      ticket('t1', 'general', { category: 'bill', waitingSince: minutesAgo(40), counterId: 'c3' }),
      ticket('g1', 'general', { category: 'bill', waitingSince: minutesAgo(1) }),
    ];
    expect(pickNext(waiting, profile, NOW, 'c4')?.id).toBe('g1');
    expect(pickNext(waiting, profile, NOW)?.id).toBe('g1');
    expect(pickNext([waiting[0] as WaitingTicket], profile, NOW, 'c4')).toBeNull();
  });

  it('are ordered among themselves like a queue', () => {
    const waiting = [
      ticket('t1', 'general', { waitingSince: minutesAgo(3), counterId: 'c3' }),
      ticket('t2', 'vip', { waitingSince: minutesAgo(9), counterId: 'c3' }),
      ticket('t3', 'vip', { waitingSince: minutesAgo(1), counterId: 'c3', priority: 1 }),
    ];
    expect(pickNext(waiting, profile, NOW, 'c3')?.id).toBe('t3');
    expect(peopleAhead(waiting, waiting[0] as WaitingTicket)).toBe(2);
    expect(peopleAhead(waiting, waiting[1] as WaitingTicket)).toBe(1);
  });

  it('do not count in the line of their queue, nor the queue in theirs', () => {
    const mine = ticket('t1', 'general', { waitingSince: minutesAgo(3), counterId: 'c3' });
    const queued = ticket('g1', 'general', { waitingSince: minutesAgo(9) });
    const later = ticket('g2', 'general', { waitingSince: minutesAgo(1) });
    expect(peopleAhead([mine, queued, later], later)).toBe(1);
    expect(peopleAhead([mine, queued, later], mine)).toBe(0);
  });
});

/**
 * The order rule of a line, as the queue README's table writes it (limits 30 min, VIP/3G 5 min): each row
 * is one pair of tickets and which is called first.
 */
describe('the order of a line (README table)', () => {
  const clock = { now: NOW, limits: { waitMinutes: 30, vipWaitMinutes: 5 } };
  type Kind = { label: string; t: Partial<WaitingTicket> };
  const KINDS: Record<string, Kind> = {
    overdueVip: { label: 'VIP/3G past the VIP limit (6 min)', t: { vip: true, waitingSince: minutesAgo(6) } },
    overdueNormal: { label: 'walk-in past the wait limit (31 min)', t: { waitingSince: minutesAgo(31) } },
    appointment: { label: 'appointment check-in (2 min)', t: { priority: 1, waitingSince: minutesAgo(2) } },
    overdueAppointment: {
      label: 'appointment check-in past the limit (40 min)',
      t: { priority: 1, waitingSince: minutesAgo(40) },
    },
    vip: { label: 'VIP/3G within the limit (4 min)', t: { vip: true, waitingSince: minutesAgo(4) } },
    normal: { label: 'walk-in within the limit (20 min)', t: { waitingSince: minutesAgo(20) } },
    newNormal: { label: 'walk-in just arrived (0 min)', t: { waitingSince: minutesAgo(0) } },
  };
  it.each<[string, string]>([
    // [called first, called second]
    ['overdueVip', 'appointment'],
    ['overdueNormal', 'appointment'],
    ['overdueAppointment', 'overdueVip'],
    ['overdueNormal', 'overdueVip'],
    ['appointment', 'vip'],
    ['appointment', 'normal'],
    ['normal', 'vip'],
    ['vip', 'newNormal'],
    ['overdueVip', 'normal'],
  ])('%s before %s', (first, second) => {
    const a = ticket('a', 'q', KINDS[first]!.t);
    const b = ticket('b', 'q', KINDS[second]!.t);
    expect(compareTickets(a, b, clock), `${KINDS[first]!.label} / ${KINDS[second]!.label}`).toBeLessThan(0);
    expect(compareTickets(b, a, clock)).toBeGreaterThan(0);
    const profile: WorkProfile = { rules: [{ kind: 'queue', queue: 'q' }] };
    expect(pickNext([b, a], profile, NOW, undefined, clock.limits)?.id).toBe('a');
    expect(peopleAhead([a, b], b, clock)).toBe(1);
    expect(peopleAhead([a, b], a, clock)).toBe(0);
  });

  it('without the clock an appointment comes first (priority only), as before the rule', () => {
    const a = ticket('a', 'q', KINDS.appointment!.t);
    const b = ticket('b', 'q', KINDS.overdueVip!.t);
    expect(compareTickets(a, b)).toBeLessThan(0);
  });

  it('property: a total order; overdue tickets precede the others and among them the longest waiting is first', () => {
    const arb = fc.array(
      fc.record({
        vip: fc.boolean(),
        priority: fc.integer({ min: 0, max: 1 }),
        waited: fc.integer({ min: 0, max: 60 }),
      }),
      { minLength: 1, maxLength: 20 },
    );
    fc.assert(
      fc.property(arb, (specs) => {
        const line = specs.map((s, i) =>
          ticket(`t${String(i).padStart(2, '0')}`, 'q', {
            vip: s.vip,
            priority: s.priority,
            waitingSince: minutesAgo(s.waited),
          }),
        );
        const sorted = [...line].sort((x, y) => compareTickets(x, y, clock));
        const overdue = (t: WaitingTicket) =>
          NOW.getTime() - t.waitingSince.getTime() > (t.vip ? 5 : 30) * 60_000;
        const firstFresh = sorted.findIndex((t) => !overdue(t));
        if (firstFresh >= 0) expect(sorted.slice(firstFresh).every((t) => !overdue(t))).toBe(true);
        for (let i = 1; i < sorted.length; i++) {
          expect(compareTickets(sorted[i - 1]!, sorted[i]!, clock)).toBeLessThanOrEqual(0);
          if (overdue(sorted[i]!)) {
            expect(sorted[i - 1]!.waitingSince.getTime()).toBeLessThanOrEqual(
              sorted[i]!.waitingSince.getTime(),
            );
          }
        }
        sorted.forEach((t, i) => expect(peopleAhead(line, t, clock)).toBe(i));
      }),
    );
  });
});
