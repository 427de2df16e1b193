import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { groupAlerts, hallAdvice } from './floor-alerts.ts';
import type { ClosedCounter, QueueNeed } from './floor-alerts.ts';
import type { Alert } from './wait-limits.ts';

const wait = (
  ticketId: string,
  queue: string,
  elapsed: number,
  level: Alert['level'],
  vip = false,
): Alert => ({
  kind: vip ? 'vip_wait' : 'wait',
  level,
  queue,
  ticketId,
  elapsedMinutes: elapsed,
  limitMinutes: vip ? 5 : 30,
  countersToOpen: 0,
});

describe('groupAlerts', () => {
  it('gives one row per queue with its oldest ticket, how many are over and how many near the limit', () => {
    const rows = groupAlerts([
      wait('a1', 'normal', 31, 'breach'),
      wait('a2', 'normal', 45, 'breach'),
      wait('a3', 'normal', 25, 'warning'),
      wait('v1', 'vip', 4.5, 'warning', true),
      {
        kind: 'transaction',
        level: 'breach',
        queue: null,
        ticketId: 'x1',
        counterId: 'c3',
        elapsedMinutes: 12,
        limitMinutes: 10,
        countersToOpen: 0,
      },
    ]);
    expect(rows).toEqual([
      expect.objectContaining({
        key: 'queue:normal',
        level: 'breach',
        oldestTicketId: 'a2',
        over: 2,
        near: 1,
      }),
      expect.objectContaining({ key: 'counter:c3', level: 'breach', over: 1, near: 0, counterId: 'c3' }),
      expect.objectContaining({ key: 'queue:vip', kind: 'vip_wait', level: 'warning', over: 0, near: 1 }),
    ]);
  });

  it('property: one row per queue, counts add up to the alerts, the oldest is the longest elapsed', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            queue: fc.constantFrom('a', 'b', 'c'),
            elapsed: fc.integer({ min: 0, max: 100 }),
            breach: fc.boolean(),
          }),
          { maxLength: 60 },
        ),
        (specs) => {
          const alerts = specs.map((s, i) =>
            wait(`t${i}`, s.queue, s.elapsed, s.breach ? 'breach' : 'warning'),
          );
          const rows = groupAlerts(alerts);
          expect(rows.length).toBe(new Set(specs.map((s) => s.queue)).size);
          expect(rows.reduce((n, r) => n + r.over + r.near, 0)).toBe(alerts.length);
          for (const r of rows) {
            const mine = alerts.filter((a) => `queue:${a.queue}` === r.key);
            expect(r.oldestMinutes).toBe(Math.max(...mine.map((a) => a.elapsedMinutes)));
            expect(r.over).toBe(mine.filter((a) => a.level === 'breach').length);
            expect(r.level).toBe(r.over > 0 ? 'breach' : 'warning');
          }
        },
      ),
    );
  });
});

/** The largest number of needs that closed counters can meet, by trying every assignment. */
function bruteForce(needs: QueueNeed[], closed: ClosedCounter[]): number {
  const left = new Map(needs.map((n) => [n.queue, n.toOpen]));
  const go = (i: number): number => {
    if (i === closed.length) return 0;
    let best = go(i + 1);
    for (const [q, n] of left) {
      const c = closed[i]!;
      if (n > 0 && (c.queues === null || c.queues.includes(q))) {
        left.set(q, n - 1);
        best = Math.max(best, 1 + go(i + 1));
        left.set(q, n);
      }
    }
    return best;
  };
  return go(0);
}

describe('hallAdvice', () => {
  it.each([
    { note: 'no closed counters: nothing to open', needs: [{ queue: 'a', toOpen: 3 }], closed: [], total: 0 },
    {
      note: 'never more than the counters that are closed',
      needs: [
        { queue: 'a', toOpen: 3 },
        { queue: 'b', toOpen: 2 },
      ],
      closed: [
        { id: 'c1', queues: null },
        { id: 'c2', queues: null },
      ],
      total: 2,
    },
    {
      note: 'a counter that cannot call from the queue does not count',
      needs: [{ queue: 'a', toOpen: 2 }],
      closed: [
        { id: 'c1', queues: ['b'] },
        { id: 'c2', queues: ['a', 'b'] },
      ],
      total: 1,
    },
    {
      note: 'the counters are shared out so that most needs are met',
      needs: [
        { queue: 'a', toOpen: 1 },
        { queue: 'b', toOpen: 1 },
      ],
      closed: [
        { id: 'c1', queues: ['a', 'b'] },
        { id: 'c2', queues: ['a'] },
      ],
      total: 2,
    },
  ])('$note', ({ needs, closed, total }) => {
    const advice = hallAdvice(needs, closed);
    expect(advice.total).toBe(total);
    expect(advice.byQueue.reduce((n, q) => n + q.toOpen, 0)).toBe(total);
  });

  it('exhaustively on small halls: the most that can be met, never more than closed, the split adds up', () => {
    const queues = ['a', 'b', 'c'];
    const abilities: (string[] | null)[] = [null, ['a'], ['b'], ['a', 'b'], ['c'], ['b', 'c']];
    let cases = 0;
    for (let na = 0; na <= 2; na++)
      for (let nb = 0; nb <= 2; nb++)
        for (let nc = 0; nc <= 2; nc++)
          for (let n = 0; n <= 3; n++) {
            const combos = n === 0 ? [[]] : cartesian(abilities, n);
            for (const combo of combos) {
              const needs = [na, nb, nc].map((toOpen, i) => ({ queue: queues[i]!, toOpen }));
              const closed = combo.map((queues, i) => ({ id: `c${i}`, queues }));
              const advice = hallAdvice(needs, closed);
              expect(advice.total).toBe(bruteForce(needs, closed));
              expect(advice.total).toBeLessThanOrEqual(closed.length);
              expect(advice.byQueue.reduce((s, q) => s + q.toOpen, 0)).toBe(advice.total);
              for (const q of advice.byQueue) {
                expect(q.toOpen).toBeLessThanOrEqual(needs.find((x) => x.queue === q.queue)!.toOpen);
              }
              expect(new Set(advice.counters.map((c) => c.counterId)).size).toBe(advice.total);
              for (const c of advice.counters) {
                const counter = closed.find((x) => x.id === c.counterId)!;
                expect(counter.queues === null || counter.queues.includes(c.queue)).toBe(true);
              }
              cases++;
            }
          }
    expect(cases).toBeGreaterThan(1000);
  });

  it('serves the needs in the order given when counters are short', () => {
    const advice = hallAdvice(
      [
        { queue: 'vip', toOpen: 1 },
        { queue: 'normal', toOpen: 1 },
      ],
      [{ id: 'c1', queues: null }],
    );
    expect(advice.byQueue).toEqual([
      { queue: 'vip', toOpen: 1 },
      { queue: 'normal', toOpen: 0 },
    ]);
  });
});

function cartesian<T>(items: T[], n: number): T[][] {
  if (n === 0) return [[]];
  return cartesian(items, n - 1).flatMap((rest) => items.map((i) => [i, ...rest]));
}
