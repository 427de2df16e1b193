/**
 * The clerk at the counter through HTTP (issue #12): calling a specific number with a reason (its event,
 * the refusals that change nothing), the clerk's own figures of the day, and the counter's rating pad —
 * one rating per finished ticket within the window, only its own counter's last finished ticket, counted
 * per clerk, counter and hall in the statistics.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import type { LightMyRequestResponse } from 'fastify';
import { rows } from '../../src/platform/db/index.ts';
import type { TestApp } from '../support/app.ts';
import { testApp, unitIdByCode } from '../support/app.ts';

let t: TestApp;
const cookies: Record<string, string> = {};
let hall: string;
let coop: string;
let kiosk: string;
let pad: string;
const counters: Record<number, string> = {};
const coopCounters: Record<number, string> = {};

type Body = Record<string, unknown>;
const as = (who: string) => ({
  get: (url: string) => t.as(cookies[who]!, { method: 'GET', url }),
  post: (url: string, payload?: unknown) =>
    t.as(cookies[who]!, {
      method: 'POST',
      url,
      ...(payload === undefined ? {} : { payload: payload as Body }),
    }),
});
const bearer = (token: string) => ({
  get: (url: string) => t.app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${token}` } }),
  post: (url: string, payload?: unknown) =>
    t.app.inject({
      method: 'POST',
      url,
      headers: { authorization: `Bearer ${token}` },
      ...(payload === undefined ? {} : { payload: payload as Body }),
    }),
});

function expectProblem(res: LightMyRequestResponse, status: number, code?: string) {
  expect(res.statusCode, res.body).toBe(status);
  expect(res.headers['content-type']).toContain('application/problem+json');
  const body = res.json() as { code: string; messages: Record<string, string> };
  if (code) expect(body.code, res.body).toBe(code);
  expect(body.messages['zh-CN']).toBeTruthy();
  expect(body.messages['en-US']).toBeTruthy();
}

async function eventCount(): Promise<number> {
  const [row] = await rows<{ n: number }>(t.database.db, sql`select count(*)::int as n from events`);
  return row!.n;
}

interface Ticket {
  id: string;
  number: string;
  status: string;
  counter: { id: string; number: number } | null;
}

async function take(category: string, at = hall, who = 'qy_guide') {
  const res = await as(who).post(`/api/halls/${at}/tickets`, { category });
  expect(res.statusCode, res.body).toBe(201);
  return res.json() as Ticket;
}

const minutes = (n: number) => t.clock.set(new Date(t.clock.now().getTime() + n * 60_000).toISOString());

/** Starts and finishes the ticket at the counter `m` minutes after starting. */
async function serve(who: string, ticketId: string, m: number) {
  expect((await as(who).post(`/api/tickets/${ticketId}/start`)).statusCode).toBe(200);
  minutes(m);
  const done = await as(who).post(`/api/tickets/${ticketId}/finish`, { outcome: 'served', business: [] });
  expect(done.statusCode, done.body).toBe(200);
}

async function deviceToken(who: string, body: Body) {
  return as(who).post('/api/tokens', { kind: 'device', unitId: hall, label: '1号评价器', ...body });
}

beforeAll(async () => {
  t = await testApp();
  for (const u of [
    'admin',
    'qy_manager',
    'qy_duty',
    'qy_clerk',
    'qy_clerk2',
    'qy_guide',
    'coop_clerk',
    'coop_manager',
    'yc_stats',
  ]) {
    cookies[u] = await t.login(u);
  }
  hall = await unitIdByCode(t, cookies.admin!, 'YC-QY-H01');
  coop = await unitIdByCode(t, cookies.admin!, 'YC-QY-C01');
  const k = await deviceToken('qy_manager', { label: '1号取号机', positions: ['device_kiosk'] });
  kiosk = (k.json() as { token: string }).token;
  for (const [at, into] of [
    [hall, counters],
    [coop, coopCounters],
  ] as const) {
    const config = await as('admin').get(`/api/halls/${at}/queue-config`);
    for (const c of (config.json() as { counters: { id: string; number: number }[] }).counters)
      into[c.number] = c.id;
  }
  expect((await as('qy_clerk').post(`/api/counters/${counters[1]}/open`)).statusCode).toBe(200);
  expect((await as('qy_clerk2').post(`/api/counters/${counters[2]}/open`)).statusCode).toBe(200);
});
afterAll(() => t.close());

describe('calling a specific number', () => {
  it('calls the number asked for, not the next, with its reason and how many it passed over', async () => {
    const a = await take('business');
    const b = await take('business');
    const c = await take('business');
    const res = await as('qy_clerk').post(`/api/counters/${counters[1]}/call-number`, {
      number: c.number.toLowerCase(),
      reason: 'customer_returned',
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ id: c.id, status: 'called', counter: { number: 1 } });
    const [event] = await rows<{ action: string; after: Record<string, unknown>; actor_name: string }>(
      t.database.db,
      sql`select action, after from events where subject_id = ${c.id} and action like 'ticket.called%'`,
    );
    expect(event).toMatchObject({
      action: 'ticket.called_by_number',
      after: { ticketNumber: c.number, reason: 'customer_returned', counterNumber: 1, passedOver: 2 },
    });
    // The others still wait, in their order: call-next (at the other counter) takes the first.
    const next = await as('qy_clerk2').post(`/api/counters/${counters[2]}/call-next`);
    expect((next.json() as Ticket).number).toBe(a.number);
    await serve('qy_clerk2', a.id, 3);
    await serve('qy_clerk', c.id, 4);
    expect(
      (
        await as('qy_clerk').post(`/api/counters/${counters[1]}/call-number`, {
          number: b.number,
          reason: 'other',
          note: '客户在咨询台等候',
        })
      ).statusCode,
    ).toBe(200);
    await serve('qy_clerk', b.id, 12);
  });

  it('refuses, with a problem that changes nothing, what it may not call', async () => {
    const waiting = await take('business');
    const group = await take('group');
    const elsewhere = await take('business', coop, 'coop_manager');
    const before = await eventCount();
    const callAt = (who: string, n: number, body: unknown) =>
      as(who).post(`/api/counters/${counters[n]}/call-number`, body);
    // Bad input: no reason, an unknown reason, "other" without words, not a number.
    expectProblem(await callAt('qy_clerk', 1, { number: waiting.number }), 400);
    expectProblem(await callAt('qy_clerk', 1, { number: waiting.number, reason: 'friend' }), 400);
    expectProblem(await callAt('qy_clerk', 1, { number: waiting.number, reason: 'other' }), 400);
    expectProblem(await callAt('qy_clerk', 1, { number: '12; drop', reason: 'manager' }), 400);
    // A ticket of another hall is no ticket here; one finished already is not waiting.
    expectProblem(
      await callAt('qy_clerk', 1, {
        number: elsewhere.number === waiting.number ? 'Z999' : elsewhere.number.replace(/^A/, 'Q'),
        reason: 'manager',
      }),
      422,
      'ticket_not_here',
    );
    const done = (await as('qy_manager').get(`/api/halls/${hall}/tickets?status=done`)).json() as {
      items: Ticket[];
    };
    expectProblem(
      await callAt('qy_clerk', 1, { number: done.items[0]!.number, reason: 'manager' }),
      409,
      'ticket_state',
    );
    // A queue the counter's work profile does not serve (the group queue at a general counter).
    expectProblem(
      await callAt('qy_clerk', 1, { number: group.number, reason: 'manager' }),
      422,
      'queue_not_served',
    );
    // Position and scope: another clerk at my counter, a clerk of another hall, a device.
    expectProblem(
      await callAt('qy_clerk2', 1, { number: waiting.number, reason: 'manager' }),
      403,
      'not_your_counter',
    );
    expectProblem(await callAt('coop_clerk', 1, { number: waiting.number, reason: 'manager' }), 403, 'scope');
    expectProblem(
      await bearer(kiosk).post(`/api/counters/${counters[1]}/call-number`, {
        number: waiting.number,
        reason: 'manager',
      }),
      403,
      'position',
    );
    expect(await eventCount()).toBe(before);
    // A busy counter calls nothing more.
    expect(
      (await callAt('qy_clerk', 1, { number: waiting.number, reason: 'priority_care' })).statusCode,
    ).toBe(200);
    const other = await take('business');
    expectProblem(
      await callAt('qy_clerk', 1, { number: other.number, reason: 'manager' }),
      409,
      'counter_busy',
    );
    await serve('qy_clerk', waiting.id, 5);
    // The ticket of another hall, by its own number at the hall it belongs to, is not this counter's.
    expectProblem(
      await as('qy_clerk').post(`/api/counters/${coopCounters[1]}/call-number`, {
        number: elsewhere.number,
        reason: 'manager',
      }),
      403,
      'scope',
    );
  });
});

describe("the clerk's own figures", () => {
  it('counts only the caller’s own served customers of today, judged against the 10-minute limit', async () => {
    const mine = await as('qy_clerk').get('/api/queue/my-day');
    expect(mine.statusCode, mine.body).toBe(200);
    // Served: 4, 12 and 5 minutes: average 7, two of three within 10 minutes.
    expect(mine.json()).toMatchObject({
      hallId: hall,
      served: 3,
      transactionMinutes: 10,
      handling: { count: 3, averageMinutes: 7, withinLimitShare: 0.6667, limitsMinutes: [10] },
    });
    const theirs = await as('qy_clerk2').get(`/api/queue/my-day?hallId=${hall}`);
    expect(theirs.json()).toMatchObject({ served: 1, handling: { averageMinutes: 3, withinLimitShare: 1 } });
    expectProblem(await as('coop_clerk').get(`/api/queue/my-day?hallId=${hall}`), 403, 'scope');
    expectProblem(await as('yc_stats').get('/api/queue/my-day'), 403, 'position');
    expectProblem(await bearer(kiosk).get('/api/queue/my-day'), 403, 'position');
    expectProblem(await as('qy_clerk').get('/api/queue/my-day?hallId=nope'), 400);
  });
});

describe('the rating pad (服务评价器)', () => {
  it('is a device token bound to one counter of its hall, made by a manager', async () => {
    expectProblem(await deviceToken('qy_manager', { positions: ['device_rating_pad'] }), 422, 'pad_counter');
    expectProblem(
      await deviceToken('qy_manager', { positions: ['device_rating_pad'], counterId: coopCounters[1] }),
      422,
      'pad_counter',
    );
    expectProblem(
      await deviceToken('qy_manager', { positions: ['device_kiosk'], counterId: counters[1] }),
      422,
      'counter_only_for_pad',
    );
    expectProblem(
      await deviceToken('qy_manager', {
        positions: ['device_rating_pad', 'device_kiosk'],
        counterId: counters[1],
      }),
      422,
      'pad_alone',
    );
    expectProblem(
      await deviceToken('qy_clerk', { positions: ['device_rating_pad'], counterId: counters[1] }),
      403,
    );
    const made = await deviceToken('qy_manager', {
      positions: ['device_rating_pad'],
      counterId: counters[1],
    });
    expect(made.statusCode, made.body).toBe(201);
    expect((made.json() as { info: { counterId: string } }).info.counterId).toBe(counters[1]);
    pad = (made.json() as { token: string }).token;
  });

  it('rates its counter’s last finished ticket once, within the window; nothing else', async () => {
    const state = await bearer(pad).get('/api/rating-pad');
    expect(state.statusCode, state.body).toBe(200);
    const s = state.json() as {
      counter: { number: number };
      ticket: { id: string; number: string } | null;
      clerkName: string;
    };
    expect(s.counter.number).toBe(1);
    expect(s.clerkName).toBe('张悦');
    expect(s.ticket).not.toBeNull();
    const last = s.ticket!;
    // Another counter's ticket (finished at counter 2) is not the pad's.
    const theirs = (await as('qy_manager').get(`/api/halls/${hall}/tickets?status=done`)).json() as {
      items: (Ticket & { counter: { number: number } | null })[];
    };
    const atTwo = theirs.items.find((x) => x.counter?.number === 2)!;
    const before = await eventCount();
    expectProblem(await bearer(pad).post('/api/rating-pad/ratings', { ticketId: atTwo.id, score: 5 }), 404);
    // An earlier ticket of its own counter is not the last finished.
    const earlier = theirs.items.find((x) => x.counter?.number === 1 && x.id !== last.id)!;
    expectProblem(
      await bearer(pad).post('/api/rating-pad/ratings', { ticketId: earlier.id, score: 5 }),
      409,
      'not_last',
    );
    expectProblem(await bearer(pad).post('/api/rating-pad/ratings', { ticketId: last.id, score: 6 }), 400);
    expectProblem(await bearer(pad).post('/api/rating-pad/ratings', { ticketId: last.id, score: 0 }), 400);
    expect(await eventCount()).toBe(before);

    const rated = await bearer(pad).post('/api/rating-pad/ratings', {
      ticketId: last.id,
      score: 2,
      reasons: ['slow'],
      comment: '等了好久',
    });
    expect(rated.statusCode, rated.body).toBe(201);
    expect(rated.json()).toMatchObject({
      ticketNumber: last.number,
      score: 2,
      reasons: ['slow'],
      counterNumber: 1,
    });
    expect(await eventCount()).toBe(before + 1);
    const [event] = await rows<{ action: string; after: Record<string, unknown> }>(
      t.database.db,
      sql`select action, after from events where subject_id = ${last.id} and action = 'ticket.rated'`,
    );
    expect(event).toMatchObject({
      action: 'ticket.rated',
      after: { score: 2, commented: true, clerk: '张悦' },
    });
    expect(JSON.stringify(event!.after)).not.toContain('等了好久');
    expectProblem(
      await bearer(pad).post('/api/rating-pad/ratings', { ticketId: last.id, score: 5 }),
      409,
      'already_rated',
    );
    expect(((await bearer(pad).get('/api/rating-pad')).json() as { ticket: unknown }).ticket).toBeNull();

    // The next customer, finished and not rated in time.
    const next = await take('business');
    expect(
      (
        await as('qy_clerk').post(`/api/counters/${counters[1]}/call-number`, {
          number: next.number,
          reason: 'appointment',
        })
      ).statusCode,
    ).toBe(200);
    await serve('qy_clerk', next.id, 2);
    expect(((await bearer(pad).get('/api/rating-pad')).json() as { ticket: { id: string } }).ticket.id).toBe(
      next.id,
    );
    minutes(6);
    cookies.qy_clerk = await t.login('qy_clerk');
    expectProblem(
      await bearer(pad).post('/api/rating-pad/ratings', { ticketId: next.id, score: 5 }),
      409,
      'window_over',
    );
    expect(((await bearer(pad).get('/api/rating-pad')).json() as { ticket: unknown }).ticket).toBeNull();

    // One more, rated 5 at once.
    const third = await take('business');
    expect(
      (
        await as('qy_clerk').post(`/api/counters/${counters[1]}/call-number`, {
          number: third.number,
          reason: 'manager',
        })
      ).statusCode,
    ).toBe(200);
    await serve('qy_clerk', third.id, 1);
    expect(
      (await bearer(pad).post('/api/rating-pad/ratings', { ticketId: third.id, score: 5 })).statusCode,
    ).toBe(201);
  });

  it('does only its job: no queue view, no tickets, no calls, no statistics, no other counter', async () => {
    expectProblem(await bearer(pad).get(`/api/halls/${hall}/queue`), 403);
    expectProblem(await bearer(pad).get(`/api/halls/${hall}/tickets`), 403);
    expectProblem(await bearer(pad).post(`/api/halls/${hall}/tickets`, { category: 'business' }), 403);
    expectProblem(await bearer(pad).post(`/api/counters/${counters[1]}/call-next`), 403);
    expectProblem(
      await bearer(pad).get(`/api/queue/stats?unitId=${hall}&from=2026-03-02&to=2026-03-02`),
      403,
    );
    expectProblem(await bearer(pad).get('/api/queue/my-day'), 403);
    expectProblem(await bearer(pad).get('/api/customers'), 403);
    // Neither a kiosk nor a person is a rating pad.
    expectProblem(await bearer(kiosk).get('/api/rating-pad'), 403, 'position');
    expectProblem(await as('qy_clerk').get('/api/rating-pad'), 403, 'position');
    expectProblem(
      await as('qy_manager').post('/api/rating-pad/ratings', {
        ticketId: '00000000-0000-4000-8000-000000000000',
        score: 5,
      }),
      403,
      'position',
    );
  });

  it('counts the ratings per clerk, counter and hall in the statistics and the clerk’s figures', async () => {
    const day = t.clock.now().toISOString().slice(0, 10);
    const stats = async (by: string) => {
      const res = await as('qy_manager').get(
        `/api/queue/stats?unitId=${hall}&from=${day}&to=${day}&by=${by}`,
      );
      expect(res.statusCode, res.body).toBe(200);
      return (
        res.json() as {
          rows: {
            key: string;
            label: string;
            ratings: { count: number; average: number | null; byScore: number[] };
          }[];
        }
      ).rows;
    };
    const byHall = await stats('hall');
    expect(byHall.find((r) => r.key === hall)!.ratings).toMatchObject({
      count: 2,
      average: 3.5,
      byScore: [0, 1, 0, 0, 1],
    });
    const byCounter = await stats('counter');
    expect(byCounter.find((r) => r.key === counters[1])!.ratings).toMatchObject({ count: 2, average: 3.5 });
    expect(byCounter.find((r) => r.key === counters[2])!.ratings.count).toBe(0);
    const byClerk = await stats('clerk');
    expect(byClerk.find((r) => r.label === '张悦')!.ratings).toMatchObject({
      count: 2,
      satisfiedShare: 0.5,
      unsatisfiedShare: 0.5,
    });
    const mine = (await as('qy_clerk').get('/api/queue/my-day')).json() as {
      served: number;
      ratings: { count: number; average: number };
    };
    expect(mine).toMatchObject({ served: 5, ratings: { count: 2, average: 3.5 } });
  });
});
