/**
 * A simulated day (the real commands on a ManualClock) and the statistics API: every figure the API gives
 * equals what the rules of src/core/queue-stats.ts compute from the raw measurements, each judged against
 * the limit recorded beside it; the measurements agree with the events of the commands that wrote them.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import type { TicketEnd } from '../../src/core/queue-stats.ts';
import { queueStatistics } from '../../src/core/queue-stats.ts';
import type { SimulationSummary } from '../../src/modules/queue/simulate.ts';
import { simulateDay } from '../../src/modules/queue/simulate.ts';
import { RECENT_MEASURED, measuredMeans } from '../../src/modules/queue/shared.ts';
import { rows } from '../../src/platform/db/index.ts';
import type { TestApp } from '../support/app.ts';
import { testApp } from '../support/app.ts';

let t: TestApp;
let manager: string;
let summary: SimulationSummary;
const DATE = '2026-03-03';

beforeAll(async () => {
  t = await testApp({ customers: 60 });
  manager = await t.login('qy_manager');
  summary = await simulateDay(t.database.db, { hall: 'YC-QY-H01', date: DATE, seed: 42, load: 0.3 });
}, 240_000);
afterAll(() => t.close());

/** Deep equality, numbers to within rounding (minutes to 2 decimals, shares to 4). */
function expectClose(actual: unknown, expected: unknown, path = ''): void {
  if (typeof expected === 'number' && typeof actual === 'number') {
    expect(Math.abs(actual - expected), `${path}: ${actual} vs ${expected}`).toBeLessThanOrEqual(0.011);
    return;
  }
  if (expected && typeof expected === 'object' && !Array.isArray(expected)) {
    expect(actual && typeof actual === 'object', path).toBe(true);
    const a = actual as Record<string, unknown>;
    const e = expected as Record<string, unknown>;
    expect(Object.keys(a).sort(), path).toEqual(Object.keys(e).sort());
    for (const k of Object.keys(e)) expectClose(a[k], e[k], `${path}.${k}`);
    return;
  }
  if (Array.isArray(expected)) {
    expect((actual as unknown[]).length, path).toBe(expected.length);
    expected.forEach((v, i) => expectClose((actual as unknown[])[i], v, `${path}[${i}]`));
    return;
  }
  expect(actual, path).toEqual(expected);
}

const TICKET_END: Record<string, TicketEnd> = {
  done: 'served',
  no_show: 'no_show',
  not_served: 'not_served',
  cancelled: 'cancelled',
};
const CALL_END: Record<string, TicketEnd> = {
  served: 'served',
  no_show: 'no_show',
  not_served: 'not_served',
  transferred: 'transferred',
  parked: 'transferred',
};

async function api(by: string) {
  const res = await t.as(manager, {
    method: 'GET',
    url: `/api/queue/stats?unitId=${summary.hallId}&from=${DATE}&to=${DATE}&by=${by}`,
  });
  expect(res.statusCode, res.body).toBe(200);
  return (res.json() as { rows: Record<string, unknown>[] }).rows.map(
    ({ label: _label, ratings: _ratings, ...rest }) => rest,
  );
}

describe('a simulated day', () => {
  it('plays a realistic day: hundreds of tickets of every channel, served, no-shows, closed at the end', () => {
    const s = summary.stats!;
    expect(summary.arrivals).toBeGreaterThan(60);
    expect(s.tickets).toBe(summary.arrivals);
    expect(s.served).toBeGreaterThan(s.tickets * 0.7);
    expect(s.open).toBe(0);
    expect(Object.keys(s.byChannel)).toEqual(expect.arrayContaining(['kiosk', 'guide']));
    expect(s.wait.count).toBeGreaterThan(0);
    expect(s.transaction.count).toBeGreaterThan(0);
    expect(s.normalWait.limitsMinutes).toEqual([30]);
    expect(summary.countersUsed).toBeGreaterThan(1);
  });

  it('computes the statistics by hall, day and category as the core rules do from the raw tickets', async () => {
    const tickets = await rows<{
      category_code: string;
      local_date: string;
      unit_id: string;
      channel: string;
      status: string;
      wait_seconds: number | null;
      wait_limit_minutes: number | null;
      vip: boolean;
    }>(
      t.database.db,
      sql`select category_code, local_date::text, unit_id::text, channel, status, wait_seconds, wait_limit_minutes, vip
          from queue_tickets where unit_id = ${summary.hallId} and local_date = ${DATE}`,
    );
    const legs = await rows<{
      category_code: string;
      local_date: string;
      unit_id: string;
      counter_id: string;
      staff_id: string | null;
      channel: string;
      outcome: string;
      wait_seconds: number;
      wait_limit_minutes: number;
      vip: boolean;
      transaction_seconds: number | null;
      transaction_limit_minutes: number;
      selling_seconds: number;
    }>(
      t.database.db,
      sql`select category_code, local_date::text, unit_id::text, counter_id::text, staff_id::text, channel, outcome,
            wait_seconds, wait_limit_minutes, vip, transaction_seconds, transaction_limit_minutes, selling_seconds
          from queue_transactions where unit_id = ${summary.hallId} and local_date = ${DATE}`,
    );
    const byTicket = (
      key: (r: (typeof tickets)[number]) => string,
      legKey: (r: (typeof legs)[number]) => string,
    ) =>
      queueStatistics({
        tickets: tickets.map((r) => ({
          key: key(r),
          channel: r.channel,
          end: TICKET_END[r.status] ?? 'open',
        })),
        waits: tickets
          .filter((r) => r.wait_seconds !== null)
          .map((r) => ({
            key: key(r),
            seconds: r.wait_seconds!,
            limitMinutes: r.wait_limit_minutes!,
            vip: r.vip,
          })),
        transactions: legs
          .filter((r) => r.transaction_seconds !== null)
          .map((r) => ({
            key: legKey(r),
            seconds: r.transaction_seconds!,
            limitMinutes: r.transaction_limit_minutes,
            sellingSeconds: r.selling_seconds,
          })),
      });
    const byCall = (key: (r: (typeof legs)[number]) => string) =>
      queueStatistics({
        tickets: legs.map((r) => ({ key: key(r), channel: r.channel, end: CALL_END[r.outcome] ?? 'open' })),
        waits: legs.map((r) => ({
          key: key(r),
          seconds: r.wait_seconds,
          limitMinutes: r.wait_limit_minutes,
          vip: r.vip,
        })),
        transactions: legs
          .filter((r) => r.transaction_seconds !== null)
          .map((r) => ({
            key: key(r),
            seconds: r.transaction_seconds!,
            limitMinutes: r.transaction_limit_minutes,
            sellingSeconds: r.selling_seconds,
          })),
      });
    expectClose(
      await api('hall'),
      byTicket(
        (r) => r.unit_id,
        (r) => r.unit_id,
      ),
      'hall',
    );
    expectClose(
      await api('day'),
      byTicket(
        (r) => r.local_date,
        (r) => r.local_date,
      ),
      'day',
    );
    expectClose(
      await api('category'),
      byTicket(
        (r) => r.category_code,
        (r) => r.category_code,
      ),
      'category',
    );
    expectClose(
      await api('counter'),
      byCall((r) => r.counter_id),
      'counter',
    );
    expectClose(
      await api('clerk'),
      byCall((r) => r.staff_id ?? ''),
      'clerk',
    );
  });

  it('measures each first wait exactly as the call event recorded it, with the limit in force', async () => {
    const mismatches = await rows<{ n: number }>(
      t.database.db,
      sql`select count(*)::int as n from queue_tickets t join events e
            on e.subject_id = t.id::text and e.action = 'ticket.called' and (e.after ->> 'firstCall')::boolean
          where t.unit_id = ${summary.hallId}
            and ((e.after ->> 'waitSeconds')::int <> t.wait_seconds
              or (e.after ->> 'waitLimitMinutes')::int <> t.wait_limit_minutes)`,
    );
    expect(mismatches[0]!.n).toBe(0);
    const [firstCalls] = await rows<{ n: number }>(
      t.database.db,
      sql`select count(*)::int as n from events where action = 'ticket.called' and unit_id = ${summary.hallId}
            and (after ->> 'firstCall')::boolean`,
    );
    const [called] = await rows<{ n: number }>(
      t.database.db,
      sql`select count(*)::int as n from queue_tickets where unit_id = ${summary.hallId} and first_called_at is not null`,
    );
    expect(firstCalls!.n).toBe(called!.n);
    const [finished] = await rows<{ n: number }>(
      t.database.db,
      sql`select count(*)::int as n from queue_transactions x join events e
            on e.subject_id = x.ticket_id::text and e.action = 'ticket.finished'
          where x.unit_id = ${summary.hallId} and x.outcome = 'served'
            and (e.after ->> 'transactionSeconds')::int = x.transaction_seconds
            and (e.after ->> 'transactionLimitMinutes')::int = x.transaction_limit_minutes`,
    );
    expect(finished!.n).toBe(summary.stats!.served);
  });

  it('estimates with the mean service time of each queue’s latest transactions of the day', async () => {
    // A later day of one queue: 20 slow transactions (30 min), then 50 quick ones (2 min).
    const DAY = '2026-03-04';
    await t.database.db.execute(
      sql`insert into queue_transactions (province_id, id, ticket_id, unit_id, unit_path, local_date, counter_id,
            staff_id, staff_name, queue_code, category_code, vip, channel, waiting_since, called_at, started_at,
            ended_at, outcome, wait_seconds, wait_limit_minutes, transaction_seconds, transaction_limit_minutes)
          select province_id, gen_random_uuid(), ticket_id, unit_id, unit_path, ${DAY}, counter_id, staff_id,
            staff_name, queue_code, category_code, vip, channel, waiting_since, called_at, started_at,
            timestamptz '2026-03-04 09:00+08' + g * interval '1 minute', outcome, wait_seconds,
            wait_limit_minutes, case when g <= 20 then 1800 else 120 end, transaction_limit_minutes
          from (select * from queue_transactions where unit_id = ${summary.hallId} and local_date = ${DATE}
                  and transaction_seconds is not null limit 1) x,
            generate_series(1, 20 + ${RECENT_MEASURED}) g`,
    );
    const means = await measuredMeans(t.database.db, summary.hallId, DAY);
    expect([...means.values()]).toEqual([{ minutes: 2, count: RECENT_MEASURED }]);
    // On the simulated day, each queue's mean is that of its latest transactions.
    const raw = await rows<{ queue_code: string; s: number; ended_at: string }>(
      t.database.db,
      sql`select queue_code, transaction_seconds as s, ended_at::text from queue_transactions
          where unit_id = ${summary.hallId} and local_date = ${DATE} and transaction_seconds is not null`,
    );
    const byQueue = new Map<string, { s: number; ended: number }[]>();
    for (const r of raw) {
      byQueue.set(r.queue_code, [
        ...(byQueue.get(r.queue_code) ?? []),
        { s: r.s, ended: Date.parse(r.ended_at) },
      ]);
    }
    const day = await measuredMeans(t.database.db, summary.hallId, DATE);
    expect([...day.keys()].sort()).toEqual([...byQueue.keys()].sort());
    for (const [queue, all] of byQueue) {
      const latest = [...all].sort((a, b) => b.ended - a.ended).slice(0, RECENT_MEASURED);
      expect(day.get(queue)?.count, queue).toBe(latest.length);
      expect(day.get(queue)?.minutes, queue).toBeCloseTo(
        latest.reduce((n, x) => n + x.s, 0) / latest.length / 60,
        6,
      );
    }
  });

  it('refuses to play a day twice, and a day the hall is closed', async () => {
    await expect(simulateDay(t.database.db, { hall: 'YC-QY-H01', date: DATE })).rejects.toThrow(
      /already has/,
    );
    await expect(simulateDay(t.database.db, { hall: 'YC-NOPE', date: DATE })).rejects.toThrow(/no hall/);
  });
});
