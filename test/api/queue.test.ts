/**
 * The business-hall queue through HTTP: every command with its event, the measurements it writes, and
 * bad input (unknown category, closed hall, counter not open, a queue the profile does not serve, a ticket
 * already finished …) answered with a 4xx problem that changes nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import type { LightMyRequestResponse } from 'fastify';
import { residentIdCheck } from '../../src/core/id-documents.ts';
import { demoCustomers } from '../../src/modules/demo/seed.ts';
import { rows } from '../../src/platform/db/index.ts';
import { queueTimerTick } from '../../src/modules/queue/day.ts';
import type { QueueAlert, QueueState } from '../../src/modules/queue/contract.ts';
import type { TestApp } from '../support/app.ts';
import { provePhone, testApp, unitIdByCode } from '../support/app.ts';

let t: TestApp;
const cookies: Record<string, string> = {};
let hall: string;
let coop: string;
let xk: string;
let kiosk: string;
let display: string;
const counters: Record<number, string> = {};

const CUSTOMERS = demoCustomers(40, {});
const phoneOf = (match: (c: (typeof CUSTOMERS)[number]) => boolean) => CUSTOMERS.find(match)!.contactPhone;
const PHONES = {
  diamond: phoneOf((c) => c.clubTier === 'diamond' && !c.is3g),
  gold: phoneOf((c) => c.clubTier === 'gold' && !c.is3g),
  silver: phoneOf((c) => c.clubTier === 'silver' && !c.is3g),
  silver3g: phoneOf((c) => c.clubTier === 'silver' && c.is3g),
  ordinary3g: phoneOf((c) => c.clubTier === 'ordinary' && c.is3g && c.kind === 'individual'),
  ordinary: phoneOf((c) => c.clubTier === 'ordinary' && !c.is3g && c.kind === 'individual'),
};

type Body = Record<string, unknown>;
const as = (who: string) => ({
  get: (url: string) => t.as(cookies[who]!, { method: 'GET', url }),
  post: (url: string, payload?: unknown) =>
    t.as(cookies[who]!, {
      method: 'POST',
      url,
      ...(payload === undefined ? {} : { payload: payload as Body }),
    }),
  put: (url: string, payload: unknown) =>
    t.as(cookies[who]!, { method: 'PUT', url, payload: payload as Body }),
});
const bearer = (token: string, extra: Record<string, string> = {}) => ({
  get: (url: string) =>
    t.app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${token}`, ...extra } }),
  post: (url: string, payload?: unknown) =>
    t.app.inject({
      method: 'POST',
      url,
      headers: { authorization: `Bearer ${token}`, ...extra },
      ...(payload === undefined ? {} : { payload: payload as Body }),
    }),
});

function expectProblem(res: LightMyRequestResponse, status: number, code: string) {
  expect(res.statusCode, res.body).toBe(status);
  expect(res.headers['content-type']).toContain('application/problem+json');
  const body = res.json() as { code: string; messages: Record<string, string> };
  expect(body.code, res.body).toBe(code);
  expect(body.messages['zh-CN']).toBeTruthy();
  expect(body.messages['en-US']).toBeTruthy();
}

async function eventCount(action?: string): Promise<number> {
  const [row] = await rows<{ n: number }>(
    t.database.db,
    action
      ? sql`select count(*)::int as n from events where action = ${action}`
      : sql`select count(*)::int as n from events`,
  );
  return row!.n;
}

async function eventsOf(subjectId: string): Promise<{ action: string; after: Record<string, unknown> }[]> {
  return rows(
    t.database.db,
    sql`select action, after from events where subject_id = ${subjectId} order by at, id`,
  );
}

async function take(who: string, category: string, phone?: string, at = hall) {
  const res = await as(who).post(`/api/halls/${at}/tickets`, { category, ...(phone ? { phone } : {}) });
  expect(res.statusCode, res.body).toBe(201);
  return res.json() as Ticket;
}

interface Ticket {
  id: string;
  number: string;
  queue: string;
  category: string;
  status: string;
  vip: boolean;
  channel: string;
  priority: number;
  peopleAhead: number | null;
  estimatedWaitMinutes: number | null;
  nearFront: boolean;
  customer: { tier: string | null; is3g: boolean; displayName: string } | null;
  counter: { id: string; number: number } | null;
  waitMinutes: number | null;
  waitLimitMinutes: number | null;
  waitingSince: string;
  takenAt: string;
  recalls: number;
  targetCounterId: string | null;
  preRegistration: { idDocNumber: string; business: string[] } | null;
  announcement: { zh: string } | null;
  outcome: string | null;
  business: string[];
}

/** Cancels every ticket still waiting or parked at the hall, so a test starts from an empty queue. */
async function drain(at = hall) {
  const res = await as('qy_manager').get(`/api/halls/${at}/tickets?limit=500`);
  for (const ticket of (res.json() as { items: Ticket[] }).items) {
    if (ticket.status === 'waiting' || ticket.status === 'parked') {
      expect((await as('qy_manager').post(`/api/tickets/${ticket.id}/cancel`)).statusCode).toBe(200);
    }
  }
}

const call = (who: string, n: number, payload?: unknown) =>
  as(who).post(`/api/counters/${counters[n]}/call-next`, payload);
const ticketCmd = (who: string, id: string, cmd: string, payload?: unknown) =>
  as(who).post(`/api/tickets/${id}/${cmd}`, payload);

/** Moves the clock (forward) and logs everyone in again: console sessions last 12 hours. */
async function moveTo(iso: string) {
  t.clock.set(iso);
  for (const u of Object.keys(cookies)) cookies[u] = await t.login(u);
}

/** The e-channel's capability of a phone proven by its one-time code (read from the outbox). */
async function deviceToken(who: string, unitId: string, label: string, positions: string[]) {
  const res = await as(who).post('/api/tokens', { kind: 'device', unitId, label, positions });
  expect(res.statusCode, res.body).toBe(201);
  return (res.json() as { token: string }).token;
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
    'qy_vip',
    'qy_complaint',
    'qy_aftersales',
    'coop_manager',
    'coop_clerk',
  ]) {
    cookies[u] = await t.login(u);
  }
  hall = await unitIdByCode(t, cookies.admin!, 'YC-QY-H01');
  coop = await unitIdByCode(t, cookies.admin!, 'YC-QY-C01');
  xk = await unitIdByCode(t, cookies.admin!, 'YC-XK-H01');
  kiosk = await deviceToken('qy_manager', hall, '1号取号机', ['device_kiosk']);
  display = await deviceToken('qy_manager', hall, '叫号屏', ['device_display']);
  const config = await as('qy_clerk').get(`/api/halls/${hall}/queue-config`);
  for (const c of (config.json() as { counters: { id: string; number: number }[] }).counters)
    counters[c.number] = c.id;
});
afterAll(() => t.close());

describe('configuration', () => {
  it('shows the demo configuration to a clerk, who may not change it', async () => {
    const res = await as('qy_clerk').get(`/api/halls/${hall}/queue-config`);
    expect(res.statusCode).toBe(200);
    const config = res.json() as {
      categories: { code: string }[];
      queues: { prefix: string }[];
      counters: unknown[];
    };
    expect(config.categories.map((c) => c.code)).toEqual(
      expect.arrayContaining(['business', 'payment', '3g', 'terminal', 'repair', 'complaint']),
    );
    expect(config.queues.map((q) => q.prefix)).toEqual(expect.arrayContaining(['A', 'V', 'G']));
    expect(config.counters).toHaveLength(8);
    expectProblem(await as('qy_clerk').put(`/api/halls/${hall}/queue-config`, res.json()), 403, 'position');
  });

  it('lets the hall manager change it by code; an inconsistent one is 422 and changes nothing', async () => {
    const current = (await as('qy_manager').get(`/api/halls/${hall}/queue-config`)).json() as {
      categories: { code: string; name: string }[];
      counters: { id: string; code: string }[];
    };
    const { categories, ...rest } = current;
    const renamed = categories.map((c) => (c.code === 'payment' ? { ...c, name: '缴费/充值' } : c));
    const before = await eventCount();
    const bad = await as('qy_manager').put(`/api/halls/${hall}/queue-config`, {
      ...rest,
      categories: [
        ...renamed,
        { code: 'lost', name: '失物', nameEn: 'Lost', queue: 'nowhere', meanServiceMinutes: 3 },
      ],
    });
    expectProblem(bad, 422, 'config_invalid');
    expect(JSON.stringify(bad.json())).toContain('nowhere');
    expect(await eventCount()).toBe(before);
    const good = await as('qy_manager').put(`/api/halls/${hall}/queue-config`, {
      ...rest,
      categories: renamed,
    });
    expect(good.statusCode, good.body).toBe(200);
    const after = good.json() as typeof current;
    expect(after.categories.find((c) => c.code === 'payment')!.name).toBe('缴费/充值');
    // Counters keep their ids when configured again.
    expect(after.counters.map((c) => c.id)).toEqual(current.counters.map((c) => c.id));
    expect(await eventCount('queue.configured')).toBeGreaterThan(0);
    expectProblem(await as('coop_manager').put(`/api/halls/${hall}/queue-config`, good.json()), 403, 'scope');
  });
});

describe('taking tickets', () => {
  it('numbers tickets per queue and segments them by tier and 3G', async () => {
    const before = await eventCount('ticket.taken');
    const plain = await take('qy_guide', 'business');
    expect(plain).toMatchObject({
      number: 'A001',
      queue: 'normal',
      vip: false,
      channel: 'guide',
      peopleAhead: 0,
    });
    expect(plain.estimatedWaitMinutes).toBeNull(); // no counter open yet
    const ordinary = await take('qy_guide', 'business', PHONES.ordinary);
    expect(ordinary).toMatchObject({ number: 'A002', peopleAhead: 1, vip: false });
    expect(ordinary.customer).toMatchObject({ tier: 'ordinary', is3g: false });
    expect(ordinary.customer!.displayName).toMatch(/\*/);
    expect(await take('qy_guide', 'business', PHONES.diamond)).toMatchObject({
      number: 'V001',
      queue: 'vip',
      vip: true,
    });
    expect(await take('qy_guide', 'payment', PHONES.silver3g)).toMatchObject({
      number: 'V002',
      queue: 'vip',
    });
    expect(await take('qy_guide', 'business', PHONES.ordinary3g)).toMatchObject({
      number: 'G001',
      queue: 'g3',
      vip: true,
    });
    expect(await take('qy_guide', 'payment', PHONES.ordinary3g)).toMatchObject({
      number: 'B001',
      queue: 'pay',
      vip: true,
    });
    expect(await take('qy_guide', 'payment', PHONES.silver)).toMatchObject({ number: 'B002', vip: true });
    const fromKiosk = await bearer(kiosk).post(`/api/halls/${hall}/tickets`, { category: 'repair' });
    expect(fromKiosk.statusCode).toBe(201);
    expect(fromKiosk.json()).toMatchObject({ number: 'W001', channel: 'kiosk', queue: 'service' });
    expect(await eventCount('ticket.taken')).toBe(before + 8);
    const [taken] = await eventsOf(ordinary.id);
    expect(taken!.action).toBe('ticket.taken');
    expect(taken!.after.phone).toBe(`${PHONES.ordinary.slice(0, 3)}****${PHONES.ordinary.slice(-4)}`);
    expect(taken!.after).toMatchObject({
      ticketNumber: 'A002',
      queue: 'normal',
      tier: 'ordinary',
      peopleAhead: 1,
    });
  });

  it('refuses an unknown category, a unit that is no hall, a hall without a queue, a closed hall — writing nothing', async () => {
    const gold = await provePhone(t, PHONES.gold);
    const city = await unitIdByCode(t, cookies.admin!, 'YC-QY');
    const created = await as('admin').post('/api/units', {
      parentId: city,
      kind: 'hall_own',
      code: 'YC-QY-H99',
      name: '青原新开营业厅',
      nameEn: 'New hall',
    });
    expect(created.statusCode, created.body).toBe(201);
    const closed = await as('admin').put(`/api/units/${xk}/exceptions/2026-03-02`, {
      hours: [],
      note: '设备检修',
    });
    expect(closed.statusCode, closed.body).toBeLessThan(300);
    cookies.xk_manager = await t.login('xk_manager');

    const before = await eventCount();
    const unknown = await as('qy_guide').post(`/api/halls/${hall}/tickets`, { category: 'lottery' });
    expectProblem(unknown, 422, 'unknown_category');
    expect(unknown.json().messages['zh-CN']).toContain('business');
    expectProblem(await as('qy_guide').post(`/api/halls/${hall}/tickets`, {}), 400, 'validation');
    expectProblem(
      await as('qy_guide').post(`/api/halls/${hall}/tickets`, { category: 'business', phone: '12' }),
      400,
      'validation',
    );
    expectProblem(
      await as('admin').post(`/api/halls/${city}/tickets`, { category: 'business' }),
      403,
      'position',
    );
    expectProblem(
      await as('qy_manager').post(`/api/halls/${city}/tickets`, { category: 'business' }),
      403,
      'scope',
    );
    expectProblem(
      await bearer(gold).post(`/api/e/halls/${city}/tickets`, {
        category: 'business',
        phone: PHONES.gold,
      }),
      409,
      'not_a_hall',
    );
    expectProblem(
      await bearer(gold).post(`/api/e/halls/${created.json().id}/tickets`, {
        category: 'business',
        phone: PHONES.gold,
      }),
      409,
      'queue_not_configured',
    );
    const refused = await as('xk_manager').post(`/api/halls/${xk}/tickets`, { category: 'business' });
    expectProblem(refused, 409, 'hall_closed');
    expect(refused.json().messages['zh-CN']).toContain('今日不营业');
    expectProblem(
      await as('qy_guide').post('/api/halls/00000000-0000-4000-8000-000000000000/tickets', {
        category: 'business',
      }),
      404,
      'not_found',
    );
    expect(await eventCount()).toBe(before);
  });

  it('takes remote tickets for a proven phone, one open per phone; only that phone follows and cancels them', async () => {
    const e = bearer(await provePhone(t, PHONES.gold));
    expectProblem(await e.post(`/api/e/halls/${hall}/tickets`, { category: 'business' }), 400, 'validation');
    const res = await e.post(`/api/e/halls/${hall}/tickets`, { category: 'business', phone: PHONES.gold });
    expect(res.statusCode, res.body).toBe(201);
    const remote = res.json() as Ticket;
    expect(remote).toMatchObject({ channel: 'remote', queue: 'vip', number: 'V003', peopleAhead: 2 });
    expect(remote.nearFront).toBe(true);
    expectProblem(
      await e.post(`/api/e/halls/${hall}/tickets`, { category: 'payment', phone: PHONES.gold }),
      409,
      'remote_limit',
    );
    const followed = await e.get(`/api/e/tickets/${remote.id}`);
    expect(followed.statusCode).toBe(200);
    expect(followed.json()).toMatchObject({ status: 'waiting', peopleAhead: 2 });
    // Another phone neither follows nor cancels it.
    const stranger = bearer(await provePhone(t, PHONES.diamond));
    expectProblem(await stranger.get(`/api/e/tickets/${remote.id}`), 404, 'not_found');
    expectProblem(await stranger.post(`/api/e/tickets/${remote.id}/cancel`), 404, 'not_found');
    // The hall kiosk neither follows nor cancels a ticket it did not take.
    expectProblem(await bearer(kiosk).get(`/api/tickets/${remote.id}`), 403, 'position');
    expectProblem(await bearer(kiosk).post(`/api/tickets/${remote.id}/cancel`), 403, 'position');
    const cancelled = await e.post(`/api/e/tickets/${remote.id}/cancel`);
    expect(cancelled.statusCode).toBe(200);
    expect(cancelled.json().status).toBe('cancelled');
    expectProblem(await e.post(`/api/e/tickets/${remote.id}/cancel`), 409, 'ticket_state');
    // Cancelled, the phone may take another.
    const again = await e.post(`/api/e/halls/${hall}/tickets`, { category: 'payment', phone: PHONES.gold });
    expect(again.statusCode).toBe(201);
    expectProblem(
      await stranger.post(`/api/e/halls/${xk}/tickets`, { category: 'business', phone: PHONES.diamond }),
      409,
      'hall_closed',
    );
  });
});

describe('counters and calling', () => {
  beforeAll(() => drain());

  it('opens a counter with its work profile; refuses a second opening, another clerk, a second counter, an unknown profile', async () => {
    const opened = await as('qy_clerk').post(`/api/counters/${counters[1]}/open`);
    expect(opened.statusCode, opened.body).toBe(200);
    expect(opened.json()).toMatchObject({ state: 'open', staffName: '张悦', profile: { code: 'general' } });
    expectProblem(await as('qy_clerk').post(`/api/counters/${counters[1]}/open`), 409, 'already_open');
    expectProblem(await as('qy_clerk2').post(`/api/counters/${counters[1]}/open`), 409, 'counter_taken');
    expectProblem(await as('qy_clerk').post(`/api/counters/${counters[2]}/open`), 409, 'clerk_busy');
    expectProblem(
      await as('qy_clerk2').post(`/api/counters/${counters[2]}/open`, {
        profileId: '00000000-0000-4000-8000-000000000000',
      }),
      422,
      'unknown_profile',
    );
    expect((await as('qy_clerk2').post(`/api/counters/${counters[2]}/open`)).statusCode).toBe(200);
    expect((await eventsOf(counters[1]!)).map((e) => e.action)).toEqual(['counter.opened']);
  });

  it('calls by the work profile: the normal queue first, the VIP queue once it waited over 4 minutes; 204 when none waits', async () => {
    const v = await take('qy_guide', 'business', PHONES.diamond);
    const a = await take('qy_guide', 'business');
    const b = await take('qy_guide', 'payment');
    const first = await call('qy_clerk', 1);
    expect(first.statusCode, first.body).toBe(200);
    expect(first.json()).toMatchObject({ id: a.id, status: 'called', counter: { number: 1 } });
    expect(first.json().announcement.zh).toBe(`请${a.number}号到1号窗口`);
    expect((await ticketCmd('qy_clerk', a.id, 'finish', {})).statusCode).toBe(200);
    t.clock.advanceMinutes(5);
    expect((await call('qy_clerk', 1)).json().id).toBe(v.id);
    expect((await ticketCmd('qy_clerk', v.id, 'finish', {})).statusCode).toBe(200);
    expect((await call('qy_clerk', 1)).json().id).toBe(b.id);
    expect((await ticketCmd('qy_clerk', b.id, 'finish', {})).statusCode).toBe(200);
    const none = await call('qy_clerk', 1);
    expect(none.statusCode).toBe(204);
    expect(none.body).toBe('');
    const called = await eventsOf(v.id);
    expect(called.find((e) => e.action === 'ticket.called')!.after).toMatchObject({
      counterNumber: 1,
      waitSeconds: 300,
      waitLimitMinutes: 5,
      firstCall: true,
    });
  });

  it('refuses to call at a busy, paused or closed counter, from a queue the profile does not serve, or at another clerk’s counter', async () => {
    const a = await take('qy_guide', 'business');
    const a2 = await take('qy_guide', 'business');
    const before = await eventCount();
    expectProblem(await call('qy_clerk', 1, { queue: 'group' }), 422, 'queue_not_served');
    expectProblem(await call('qy_clerk', 1, { queue: 'NOPE' }), 400, 'validation');
    expectProblem(await call('qy_clerk2', 1), 403, 'not_your_counter');
    const closed = await call('qy_clerk', 8);
    expectProblem(closed, 409, 'counter_not_open');
    // The counter by its sign in Chinese, by its number in English.
    expect(closed.json().messages).toEqual({
      'zh-CN': expect.stringContaining('未开启'),
      'en-US': 'Counter 8 is not open',
    });
    expect(await eventCount()).toBe(before);
    expect((await call('qy_clerk', 1, { queue: 'normal' })).json().id).toBe(a.id);
    expectProblem(await call('qy_clerk', 1), 409, 'counter_busy');
    expect((await ticketCmd('qy_clerk', a.id, 'finish', {})).statusCode).toBe(200);
    expect(
      (await as('qy_clerk').post(`/api/counters/${counters[1]}/pause`, { reason: '用餐' })).statusCode,
    ).toBe(200);
    expectProblem(await call('qy_clerk', 1), 409, 'counter_paused');
    expect((await as('qy_clerk').post(`/api/counters/${counters[1]}/resume`)).statusCode).toBe(200);
    expect((await call('qy_clerk', 1)).json().id).toBe(a2.id);
    expect((await ticketCmd('qy_clerk', a2.id, 'finish', {})).statusCode).toBe(200);
  });

  it('recalls up to the limit of recalls, then marks a no-show', async () => {
    const a = await take('qy_guide', 'business');
    expect((await call('qy_clerk', 1)).json().id).toBe(a.id);
    for (let i = 1; i <= 3; i++) {
      const res = await ticketCmd('qy_clerk', a.id, 'recall');
      expect(res.statusCode).toBe(200);
      expect(res.json()).toMatchObject({ status: 'called', recalls: i });
    }
    const fourth = await ticketCmd('qy_clerk', a.id, 'recall');
    expect(fourth.statusCode).toBe(200);
    expect(fourth.json()).toMatchObject({ status: 'no_show', outcome: 'no_show' });
    const events = await eventsOf(a.id);
    expect(events.map((e) => e.action)).toEqual([
      'ticket.taken',
      'ticket.called',
      'ticket.recalled',
      'ticket.recalled',
      'ticket.recalled',
      'ticket.no_show',
    ]);
    expect(events.at(-1)!.after).toMatchObject({ reason: 'recall_limit', recalls: 3 });
    expectProblem(await ticketCmd('qy_clerk', a.id, 'recall'), 409, 'ticket_state');
    // The counter is free again.
    expect((await call('qy_clerk', 1)).statusCode).toBe(204);
  });

  it('measures the wait at the first call and the transaction up to "business done", each with the limit in force', async () => {
    const a = await take('qy_guide', 'business', PHONES.ordinary);
    t.clock.advanceMinutes(3);
    const called = (await call('qy_clerk', 1)).json() as Ticket;
    expect(called).toMatchObject({ id: a.id, waitMinutes: 3, waitLimitMinutes: 30 });
    expectProblem(await ticketCmd('qy_clerk', a.id, 'business-done'), 409, 'ticket_state');
    const started = await ticketCmd('qy_clerk', a.id, 'start');
    expect(started.json().status).toBe('serving');
    expectProblem(await ticketCmd('qy_clerk', a.id, 'start'), 409, 'ticket_state');
    t.clock.advanceMinutes(6);
    expect((await ticketCmd('qy_clerk', a.id, 'business-done')).statusCode).toBe(200);
    expectProblem(await ticketCmd('qy_clerk', a.id, 'business-done'), 409, 'business_done');
    t.clock.advanceMinutes(2);
    const finished = await ticketCmd('qy_clerk', a.id, 'finish', {
      outcome: 'served',
      business: ['套餐变更', '补换卡'],
    });
    expect(finished.statusCode, finished.body).toBe(200);
    expect(finished.json()).toMatchObject({
      status: 'done',
      outcome: 'served',
      business: ['套餐变更', '补换卡'],
    });
    const [leg] = await rows<Record<string, unknown>>(
      t.database.db,
      sql`select outcome, wait_seconds, wait_limit_minutes, transaction_seconds, transaction_limit_minutes,
            selling_seconds, staff_name from queue_transactions where ticket_id = ${a.id}`,
    );
    expect(leg).toEqual({
      outcome: 'served',
      wait_seconds: 180,
      wait_limit_minutes: 30,
      transaction_seconds: 360,
      transaction_limit_minutes: 10,
      selling_seconds: 120,
      staff_name: '张悦',
    });
    const finishedEvent = (await eventsOf(a.id)).find((e) => e.action === 'ticket.finished')!;
    expect(finishedEvent.after).toMatchObject({
      transactionSeconds: 360,
      transactionLimitMinutes: 10,
      sellingSeconds: 120,
    });
    const before = await eventCount();
    expectProblem(await ticketCmd('qy_clerk', a.id, 'finish', {}), 409, 'ticket_state');
    expectProblem(await ticketCmd('qy_clerk', a.id, 'finish', { outcome: 'great' }), 400, 'validation');
    expectProblem(await ticketCmd('qy_clerk', a.id, 'no-show'), 409, 'ticket_state');
    expectProblem(await ticketCmd('qy_clerk', a.id, 'transfer', { queue: 'pay' }), 409, 'ticket_state');
    expectProblem(await ticketCmd('qy_clerk', a.id, 'cancel'), 403, 'position');
    expectProblem(await ticketCmd('qy_guide', a.id, 'cancel'), 409, 'ticket_state');
    expect(await eventCount()).toBe(before);
  });

  it('marks a called customer a no-show', async () => {
    const a = await take('qy_guide', 'business');
    expect((await call('qy_clerk', 1)).json().id).toBe(a.id);
    const res = await ticketCmd('qy_clerk', a.id, 'no-show');
    expect(res.json()).toMatchObject({ status: 'no_show' });
    const [leg] = await rows<{ outcome: string; transaction_seconds: number | null }>(
      t.database.db,
      sql`select outcome, transaction_seconds from queue_transactions where ticket_id = ${a.id}`,
    );
    expect(leg).toEqual({ outcome: 'no_show', transaction_seconds: null });
  });

  it('transfers to another queue keeping the waiting time, or not when the setting says so', async () => {
    const a = await take('qy_guide', 'business');
    t.clock.advanceMinutes(2);
    expect((await call('qy_clerk', 1)).json().id).toBe(a.id);
    expect((await ticketCmd('qy_clerk', a.id, 'start')).statusCode).toBe(200);
    t.clock.advanceMinutes(1);
    const moved = await ticketCmd('qy_clerk', a.id, 'transfer', { queue: 'service', category: 'complaint' });
    expect(moved.statusCode, moved.body).toBe(200);
    expect(moved.json()).toMatchObject({
      status: 'waiting',
      queue: 'service',
      category: 'complaint',
      counter: null,
    });
    expect(moved.json().waitingSince).toBe(a.waitingSince);
    expect((await call('qy_clerk', 1)).statusCode).toBe(204);
    expect((await as('qy_complaint').post(`/api/counters/${counters[7]}/open`)).statusCode).toBe(200);
    const there = await call('qy_complaint', 7);
    expect(there.json()).toMatchObject({ id: a.id, number: a.number, waitMinutes: 2 });
    const transferred = (await eventsOf(a.id)).find((e) => e.action === 'ticket.transferred')!;
    expect(transferred.after).toMatchObject({ keptWaitingTime: true, transactionSeconds: 60 });
    expect((await ticketCmd('qy_complaint', a.id, 'finish', {})).statusCode).toBe(200);

    const set = await as('admin').put('/api/settings/queue.transferKeepsWait', {
      unitId: hall,
      value: false,
    });
    expect(set.statusCode, set.body).toBe(200);
    const b = await take('qy_guide', 'business');
    t.clock.advanceMinutes(2);
    expect((await call('qy_clerk', 1)).json().id).toBe(b.id);
    const fresh = await ticketCmd('qy_clerk', b.id, 'transfer', { queue: 'pay' });
    expect(fresh.json().waitingSince).toBe(t.clock.now().toISOString());
    expect((await call('qy_clerk', 1)).json().id).toBe(b.id);
    expect((await ticketCmd('qy_clerk', b.id, 'finish', {})).statusCode).toBe(200);
    await as('admin').put('/api/settings/queue.transferKeepsWait', { unitId: hall, value: null });
  });

  it('transfers to one counter: only that counter calls it, before its own queues', async () => {
    const a = await take('qy_guide', 'business');
    const v = await take('qy_guide', 'business', PHONES.diamond);
    expect((await call('qy_clerk', 1)).json().id).toBe(a.id);
    const res = await ticketCmd('qy_clerk', a.id, 'transfer', { counterId: counters[4] });
    expect(res.json()).toMatchObject({ status: 'waiting', targetCounterId: counters[4], peopleAhead: 0 });
    // Counter 2 (general) does not get it, though it is the only ticket of its normal queue.
    expect((await call('qy_clerk2', 2)).statusCode).toBe(204);
    expect((await as('qy_vip').post(`/api/counters/${counters[4]}/open`)).statusCode).toBe(200);
    // Counter 4 calls it before the VIP customer waiting in its own first queue.
    expect((await call('qy_vip', 4)).json().id).toBe(a.id);
    expect((await ticketCmd('qy_vip', a.id, 'finish', {})).statusCode).toBe(200);
    expect((await call('qy_vip', 4)).json().id).toBe(v.id);
    expect((await ticketCmd('qy_vip', v.id, 'finish', {})).statusCode).toBe(200);
  });

  it('refuses bad transfers', async () => {
    const a = await take('qy_guide', 'business');
    expect((await call('qy_clerk', 1)).json().id).toBe(a.id);
    const before = await eventCount();
    expectProblem(await ticketCmd('qy_clerk', a.id, 'transfer', {}), 400, 'validation');
    expectProblem(await ticketCmd('qy_clerk', a.id, 'transfer', { queue: 'nowhere' }), 422, 'unknown_queue');
    expectProblem(
      await ticketCmd('qy_clerk', a.id, 'transfer', { queue: 'pay', category: 'x1' }),
      422,
      'unknown_category',
    );
    expectProblem(
      await ticketCmd('qy_clerk', a.id, 'transfer', { counterId: counters[1] }),
      400,
      'same_counter',
    );
    expectProblem(
      await ticketCmd('qy_clerk', a.id, 'transfer', { counterId: '00000000-0000-4000-8000-000000000000' }),
      422,
      'unknown_counter',
    );
    expectProblem(await ticketCmd('qy_clerk2', a.id, 'transfer', { queue: 'pay' }), 403, 'not_your_counter');
    expect(await eventCount()).toBe(before);
    expect((await ticketCmd('qy_clerk', a.id, 'finish', {})).statusCode).toBe(200);
  });

  it('parks a ticket and resumes it at its counter', async () => {
    const a = await take('qy_guide', 'business');
    const b = await take('qy_guide', 'business');
    expect((await call('qy_clerk', 1)).json().id).toBe(a.id);
    const parked = await ticketCmd('qy_clerk', a.id, 'park', { reason: '回家取身份证' });
    expect(parked.json()).toMatchObject({ status: 'parked' });
    expectProblem(await as('qy_clerk').post(`/api/counters/${counters[1]}/close`), 409, 'tickets_parked');
    expect((await call('qy_clerk', 1)).json().id).toBe(b.id);
    expectProblem(await ticketCmd('qy_clerk', a.id, 'resume'), 409, 'counter_busy');
    expect((await ticketCmd('qy_clerk', b.id, 'finish', {})).statusCode).toBe(200);
    t.clock.advanceMinutes(4);
    const resumed = await ticketCmd('qy_clerk', a.id, 'resume');
    expect(resumed.json()).toMatchObject({ status: 'called', counter: { number: 1 } });
    expect((await ticketCmd('qy_clerk', a.id, 'finish', {})).statusCode).toBe(200);
    const legs = await rows<{ outcome: string; wait_seconds: number }>(
      t.database.db,
      sql`select outcome, wait_seconds from queue_transactions where ticket_id = ${a.id} order by called_at`,
    );
    expect(legs).toEqual([
      { outcome: 'parked', wait_seconds: 0 },
      { outcome: 'served', wait_seconds: 240 },
    ]);
  });

  it('pauses with a reason while few wait; refuses while more wait than allowed unless the duty manager overrides', async () => {
    expectProblem(await as('qy_clerk').post(`/api/counters/${counters[1]}/pause`, {}), 400, 'validation');
    const waiting: Ticket[] = [];
    for (let i = 0; i < 6; i++) waiting.push(await take('qy_guide', 'terminal'));
    const before = await eventCount();
    const refused = await as('qy_clerk').post(`/api/counters/${counters[1]}/pause`, { reason: '培训' });
    expectProblem(refused, 409, 'pause_refused');
    expect(refused.json().messages['zh-CN']).toContain('6 位客户等待');
    expectProblem(
      await as('qy_clerk').post(`/api/counters/${counters[1]}/pause`, { reason: '培训', override: true }),
      403,
      'override_not_allowed',
    );
    expect(await eventCount()).toBe(before);
    const overridden = await as('qy_duty').post(`/api/counters/${counters[1]}/pause`, {
      reason: '培训',
      override: true,
    });
    expect(overridden.statusCode, overridden.body).toBe(200);
    expect(overridden.json()).toMatchObject({ state: 'paused', pauseReason: '培训' });
    const actions = (await eventsOf(counters[1]!)).map((e) => e.action);
    expect(actions.slice(-2)).toEqual(['counter.pause_overridden', 'counter.paused']);
    expect((await as('qy_clerk').post(`/api/counters/${counters[1]}/resume`)).statusCode).toBe(200);
    expectProblem(
      await as('qy_clerk').post(`/api/counters/${counters[1]}/resume`),
      409,
      'counter_not_paused',
    );
    for (const w of waiting) expect((await ticketCmd('qy_guide', w.id, 'cancel')).statusCode).toBe(200);
  });

  it('closes a counter only when it serves nobody', async () => {
    const a = await take('qy_guide', 'business');
    expect((await call('qy_clerk2', 2)).json().id).toBe(a.id);
    expectProblem(await as('qy_clerk2').post(`/api/counters/${counters[2]}/close`), 409, 'counter_busy');
    expect((await ticketCmd('qy_clerk2', a.id, 'finish', {})).statusCode).toBe(200);
    const closed = await as('qy_clerk2').post(`/api/counters/${counters[2]}/close`);
    expect(closed.json()).toMatchObject({ state: 'closed', staffName: '' });
    expectProblem(await as('qy_clerk2').post(`/api/counters/${counters[2]}/close`), 409, 'counter_closed');
  });
});

describe('pre-registration (预登记/预受理)', () => {
  const body = '99010119880102123';
  const idNumber = body + residentIdCheck(body);
  const wrong = body + (residentIdCheck(body) === '0' ? '1' : '0');

  it('lets the floor guide fill in business and ID details; the counter sees them masked, its clerk may reveal them', async () => {
    const a = await take('qy_guide', 'business', PHONES.diamond);
    expectProblem(
      await ticketCmd('qy_guide', a.id, 'pre-registration', {
        business: ['过户'],
        idDocKind: 'resident_id',
        idDocNumber: wrong,
      }),
      422,
      'id_doc_number',
    );
    expectProblem(await ticketCmd('qy_guide', a.id, 'pre-registration', { business: [] }), 400, 'validation');
    const res = await ticketCmd('qy_guide', a.id, 'pre-registration', {
      business: ['过户', '套餐变更'],
      customerName: '王五',
      idDocKind: 'resident_id',
      idDocNumber: idNumber,
      note: '带齐材料',
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().preRegistration).toMatchObject({
      business: ['过户', '套餐变更'],
      idDocNumber: '9901**********' + idNumber.slice(-4),
    });
    const event = (await eventsOf(a.id)).find((e) => e.action === 'ticket.pre_registered')!;
    expect(JSON.stringify(event.after)).not.toContain(idNumber);
    expectProblem(await ticketCmd('qy_vip', a.id, 'pre-registration/reveal'), 403, 'not_your_customer');
    expect((await call('qy_vip', 4)).json().id).toBe(a.id);
    const atCounter = await as('qy_vip').get(`/api/counters/${counters[4]}`);
    expect(atCounter.json().currentTicket).toMatchObject({
      number: a.number,
      customer: { tier: 'diamond' },
      preRegistration: { customerName: '王五', business: ['过户', '套餐变更'] },
    });
    expect(atCounter.json().currentTicket.preRegistration.idDocNumber).not.toBe(idNumber);
    expectProblem(await ticketCmd('qy_clerk', a.id, 'pre-registration/reveal'), 403, 'not_your_customer');
    const revealed = await ticketCmd('qy_vip', a.id, 'pre-registration/reveal');
    expect(revealed.statusCode, revealed.body).toBe(200);
    expect(revealed.json().idDocNumber).toBe(idNumber);
    expect((await eventsOf(a.id)).map((e) => e.action)).toContain('ticket.pre_registration_viewed');
    expect((await ticketCmd('qy_vip', a.id, 'finish', {})).statusCode).toBe(200);
  });
});

describe('floor view, alerts and the calling display', () => {
  it('shows queues, counters and waiting tickets, and warns at 80% of each limit with the counters to open', async () => {
    await drain();
    t.clock.advanceMinutes(0.1); // later than the calls before, for the display's "last calls"
    const slow = await take('qy_guide', 'group');
    const vip = await take('qy_guide', 'group', PHONES.gold);
    const served = await take('qy_guide', 'business');
    expect((await call('qy_clerk', 1)).json().id).toBe(served.id);
    expect((await ticketCmd('qy_clerk', served.id, 'start')).statusCode).toBe(200);
    t.clock.advanceMinutes(4);
    let state = (await as('qy_duty').get(`/api/halls/${hall}/queue`)).json();
    expect(state.alerts.map((a: { kind: string; level: string }) => `${a.kind}:${a.level}`)).toEqual([
      'vip_wait:warning',
    ]);
    t.clock.advanceMinutes(4.5);
    const res = await as('qy_duty').get(`/api/halls/${hall}/queue`);
    expect(res.statusCode, res.body).toBe(200);
    state = res.json();
    const kinds = state.alerts.map(
      (a: { kind: string; level: string; number: string }) => `${a.kind}:${a.level}:${a.number}`,
    );
    expect(kinds).toEqual(
      expect.arrayContaining([`vip_wait:breach:${vip.number}`, `transaction:warning:${served.number}`]),
    );
    expect(kinds).not.toContain(`wait:warning:${slow.number}`);
    const vipAlert = state.alerts.find((a: { kind: string }) => a.kind === 'vip_wait');
    expect(vipAlert.countersToOpen).toBe(
      state.queues.find((q: { code: string }) => q.code === 'vip').countersToOpen,
    );
    expect(vipAlert.message.zh).toContain('已超时');
    t.clock.advanceMinutes(16);
    state = (await as('qy_duty').get(`/api/halls/${hall}/queue`)).json();
    const wait = state.alerts.find(
      (a: { kind: string; number: string }) => a.kind === 'wait' && a.number === slow.number,
    );
    expect(wait).toMatchObject({ level: 'warning', limitMinutes: 30 });
    // Nobody serves the group queue: open at least one counter for it.
    expect(wait.countersToOpen).toBeGreaterThanOrEqual(1);
    expect(wait.message.zh).toContain('建议再开');
    expect(state.alerts.find((a: { kind: string }) => a.kind === 'transaction')).toMatchObject({
      level: 'breach',
    });
    const groupQueue = state.queues.find((q: { code: string }) => q.code === 'group');
    expect(groupQueue).toMatchObject({ waiting: 1, openCounters: 0 });
    expect(groupQueue.oldestWaitMinutes).toBeCloseTo(24.5, 1);
    expect(groupQueue.countersToOpen).toBeGreaterThanOrEqual(1);
    const counter1 = state.counters.find((c: { number: number }) => c.number === 1);
    expect(counter1).toMatchObject({
      state: 'open',
      busy: true,
      currentNumber: served.number,
      currentStatus: 'serving',
    });
    expect(counter1.currentMinutes).toBeCloseTo(24.5, 1);
    expect(state.waiting.map((w: { number: string }) => w.number).sort()).toEqual(
      [slow.number, vip.number].sort(),
    );
    expectProblem(await bearer(display).get(`/api/halls/${hall}/queue`), 403, 'position');
  });

  it('raises each alert once as an event, for the duty manager only', async () => {
    expectProblem(await as('qy_clerk').post(`/api/halls/${hall}/queue/check-alerts`), 403, 'position');
    const first = await as('qy_duty').post(`/api/halls/${hall}/queue/check-alerts`);
    expect(first.statusCode, first.body).toBe(200);
    expect(first.json().raised.length).toBeGreaterThanOrEqual(3);
    expect((await as('qy_duty').post(`/api/halls/${hall}/queue/check-alerts`)).json().raised).toEqual([]);
    expect(await eventCount('queue.alert')).toBe(first.json().raised.length);
  });

  it('shows the calling display: who is called to which counter, the last calls, waiting per category, notices', async () => {
    const notices = [{ zh: '今日 5G 体验活动', en: 'Try 5G today' }];
    expectProblem(await as('qy_clerk').put(`/api/halls/${hall}/queue-notices`, { notices }), 403, 'position');
    expect((await as('qy_manager').put(`/api/halls/${hall}/queue-notices`, { notices })).statusCode).toBe(
      200,
    );
    const res = await bearer(display).get(`/api/halls/${hall}/display`);
    expect(res.statusCode, res.body).toBe(200);
    const d = res.json();
    expect(d.notices).toEqual(notices);
    expect(d.calling).toHaveLength(0); // the one at counter 1 is being served
    expect(d.recent[0]).toMatchObject({ counterNumber: 1 });
    // Waiting per category is its queue's waiting, counted as the floor view counts it.
    const floor = (await as('qy_duty').get(`/api/halls/${hall}/queue`)).json() as QueueState;
    expect(d.waitingByCategory.find((c: { code: string }) => c.code === 'group').waiting).toBe(
      floor.queues.find((q) => q.code === 'group')!.waiting,
    );
    const next = (await as('qy_vip').post(`/api/counters/${counters[4]}/call-next`)).json() as Ticket;
    const after = (await bearer(display).get(`/api/halls/${hall}/display`)).json();
    expect(after.calling[0]).toMatchObject({ number: next.number, counterNumber: 4 });
    expect(after.calling[0].announcement.zh).toBe(`请${next.number}号到4号窗口`);
    expectProblem(
      await bearer(display).post(`/api/halls/${hall}/tickets`, { category: 'business' }),
      403,
      'position',
    );
    const kioskView = await bearer(kiosk).get(`/api/halls/${hall}/kiosk`);
    expect(kioskView.statusCode).toBe(200);
    expect(kioskView.json().categories.find((c: { code: string }) => c.code === 'group')).toMatchObject({
      waiting: 1,
    });
  });

  it('streams the hall queue events to a calling display as they happen', async () => {
    const address = await t.app.listen({ port: 0, host: '127.0.0.1' });
    const controller = new AbortController();
    const res = await fetch(`${address}/api/halls/${hall}/stream`, {
      headers: { authorization: `Bearer ${display}` },
      signal: controller.signal,
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/event-stream');
    const reader = res.body!.getReader();
    const decoder = new TextDecoder();
    let text = '';
    const until = async (needle: string) => {
      const deadline = Date.now() + 2000;
      while (!text.includes(needle) && Date.now() < deadline) {
        const chunk = await Promise.race([
          reader.read(),
          new Promise<{ value: undefined; done: false }>((r) =>
            setTimeout(() => r({ value: undefined, done: false }), 100),
          ),
        ]);
        if (chunk.value) text += decoder.decode(chunk.value, { stream: true });
      }
      return text.includes(needle);
    };
    expect(await until(': connected')).toBe(true);
    const started = Date.now();
    const ticket = await take('qy_guide', 'payment');
    expect(await until('event: ticket.taken')).toBe(true);
    expect(Date.now() - started).toBeLessThan(1000);
    // A device's feed says that a ticket changed, not which (the display reads its view again).
    expect(text).not.toContain(ticket.id);
    controller.abort();
  });

  it('times a call the clerk did not start from the call, as the finish will measure it', async () => {
    // Counter 1 still serves a ticket of the tests before: finish it, call the next, do not press start.
    const held = (await as('qy_clerk').get(`/api/counters/${counters[1]}`)).json().currentTicket as Ticket;
    expect(
      (await ticketCmd('qy_clerk', held.id, 'finish', { outcome: 'served', business: [] })).statusCode,
    ).toBe(200);
    await drain();
    const ticket = await take('qy_guide', 'business');
    expect((await call('qy_clerk', 1)).json().id).toBe(ticket.id);
    t.clock.advanceMinutes(8.5);
    const alert = (await as('qy_duty').get(`/api/halls/${hall}/queue`))
      .json()
      .alerts.find((a: { number: string }) => a.number === ticket.number);
    expect(alert).toMatchObject({
      kind: 'transaction',
      level: 'warning',
      elapsedMinutes: 8.5,
      limitMinutes: 10,
    });
    const raised = async () =>
      ((await as('qy_duty').post(`/api/halls/${hall}/queue/check-alerts`)).json().raised as QueueAlert[])
        .filter((a) => a.ticketId === ticket.id)
        .map((a) => `${a.kind} ${a.level} ${a.elapsedMinutes}`);
    expect(await raised()).toEqual(['transaction warning 8.5']);
    // Started now, the transaction is timed afresh: its own warning comes 8 minutes later, not never.
    expect((await ticketCmd('qy_clerk', ticket.id, 'start')).statusCode).toBe(200);
    t.clock.advanceMinutes(7);
    expect(await raised()).toEqual([]);
    t.clock.advanceMinutes(1.5);
    expect(await raised()).toEqual(['transaction warning 8.5']);
  });
});

describe('remote customers near the front', () => {
  it('tells the e-channel once, as an event on the ticket’s own stream, when few are ahead', async () => {
    await drain();
    const address = t.app.server.listening
      ? `http://127.0.0.1:${(t.app.server.address() as { port: number }).port}`
      : await t.app.listen({ port: 0, host: '127.0.0.1' });
    const ahead: Ticket[] = [];
    for (let i = 0; i < 5; i++) ahead.push(await take('qy_guide', 'payment'));
    const phone = await provePhone(t, PHONES.silver);
    const res = await bearer(phone).post(`/api/e/halls/${hall}/tickets`, {
      category: 'payment',
      phone: PHONES.silver,
    });
    const remote = res.json() as Ticket;
    expect(remote).toMatchObject({ channel: 'remote', peopleAhead: 5, nearFront: false });
    const controller = new AbortController();
    const other = await fetch(`${address}/api/e/tickets/${remote.id}/stream`, {
      headers: { authorization: `Bearer ${await provePhone(t, PHONES.ordinary)}` },
    });
    expect(other.status).toBe(404);
    const stream = await fetch(`${address}/api/e/tickets/${remote.id}/stream`, {
      headers: { authorization: `Bearer ${phone}` },
      signal: controller.signal,
    });
    expect(stream.status).toBe(200);
    const reader = stream.body!.getReader();
    let text = '';
    const until = async (needle: string) => {
      const deadline = Date.now() + 2000;
      while (!text.includes(needle) && Date.now() < deadline) {
        const chunk = await Promise.race([
          reader.read(),
          new Promise<{ value: undefined }>((r) => setTimeout(() => r({ value: undefined }), 100)),
        ]);
        if (chunk.value) text += new TextDecoder().decode(chunk.value);
      }
      return text.includes(needle);
    };
    expect(await until(': connected')).toBe(true);
    // Counter 3 calls from the payment queue first: two calls leave three ahead.
    expect((await as('qy_manager').post(`/api/counters/${counters[3]}/open`)).statusCode).toBe(200);
    for (const expected of ahead.slice(0, 2)) {
      const called = await as('qy_manager').post(`/api/counters/${counters[3]}/call-next`);
      expect(called.json().id).toBe(expected.id);
      expect((await ticketCmd('qy_manager', expected.id, 'finish', {})).statusCode).toBe(200);
    }
    expect(await until('event: ticket.near_front')).toBe(true);
    // Of the other tickets only that the line moved, nothing of which ticket it was.
    expect(text).toContain('event: line.moved');
    expect(text).not.toContain('event: ticket.called');
    for (const other of ahead) expect(text).not.toContain(other.id);
    // Nor an event's id: of the ids the stream sent, the only ones in the event log are the ticket's own.
    const ids = [...text.matchAll(/^id: (.+)$/gm)].map((m) => m[1]!);
    const logged = await rows<{ action: string; subject_id: string }>(
      t.database.db,
      sql`select action, subject_id from events where id::text in ${ids}`,
    );
    expect(ids.length).toBeGreaterThan(logged.length);
    expect(logged).toEqual([{ action: 'ticket.near_front', subject_id: remote.id }]);
    const followed = (await bearer(phone).get(`/api/e/tickets/${remote.id}`)).json() as Ticket;
    expect(followed).toMatchObject({ peopleAhead: 3, nearFront: true });
    // Told once: the next call tells nobody again.
    const third = await as('qy_manager').post(`/api/counters/${counters[3]}/call-next`);
    expect((await ticketCmd('qy_manager', third.json().id, 'finish', {})).statusCode).toBe(200);
    expect((await eventsOf(remote.id)).filter((e) => e.action === 'ticket.near_front')).toHaveLength(1);
    controller.abort();
    expect((await as('qy_manager').post(`/api/counters/${counters[3]}/close`)).statusCode).toBe(200);
  });

  it('counts the front in the order of the line: tickets past their limit before appointment check-ins', async () => {
    await drain();
    // Four walk-ins, then the remote customer (four ahead: not yet near the front of 3).
    const early: Ticket[] = [];
    for (let i = 0; i < 4; i++) early.push(await take('qy_guide', 'payment'));
    const phone = await provePhone(t, PHONES.ordinary);
    const res = await bearer(phone).post(`/api/e/halls/${hall}/tickets`, {
      category: 'payment',
      phone: PHONES.ordinary,
    });
    const remote = res.json() as Ticket;
    expect(remote).toMatchObject({ channel: 'remote', peopleAhead: 4, nearFront: false });
    // 20 minutes later four appointment check-ins (priority) join; 11 minutes on, the first five are past
    // the 30-minute limit and come before them.
    await moveTo(new Date(t.clock.now().getTime() + 20 * 60_000).toISOString());
    const booked: Ticket[] = [];
    for (let i = 0; i < 4; i++) booked.push(await take('qy_guide', 'payment'));
    await t.database.db.execute(
      sql`update queue_tickets set priority = 1 where id in ${booked.map((b) => b.id)}`,
    );
    await moveTo(new Date(t.clock.now().getTime() + 11 * 60_000).toISOString());
    expect((await as('qy_manager').post(`/api/counters/${counters[3]}/open`)).statusCode).toBe(200);
    const first = await as('qy_manager').post(`/api/counters/${counters[3]}/call-next`);
    expect(first.json().id).toBe(early[0]!.id);
    // Three ahead of the remote ticket now (the other overdue walk-ins): told, although by priority alone
    // the four check-ins would be ahead of it.
    const told = (await eventsOf(remote.id)).filter((e) => e.action === 'ticket.near_front');
    expect(told).toHaveLength(1);
    // (The phone's capability of half an hour ago has lapsed: it proves itself again.)
    const again = await provePhone(t, PHONES.ordinary);
    expect((await bearer(again).get(`/api/e/tickets/${remote.id}`)).json()).toMatchObject({
      peopleAhead: 3,
      nearFront: true,
    });
    expect((await ticketCmd('qy_manager', first.json().id, 'finish', {})).statusCode).toBe(200);
    expect((await as('qy_manager').post(`/api/counters/${counters[3]}/close`)).statusCode).toBe(200);
  });
});

describe('closing the day', () => {
  it('refuses to close a day still open, then closes still-waiting tickets as not served and counts them', async () => {
    expectProblem(await as('qy_duty').post(`/api/halls/${hall}/queue/close-day`), 409, 'day_not_over');
    expectProblem(await as('qy_clerk').post(`/api/halls/${hall}/queue/close-day`), 403, 'position');
    const waiting = (await as('qy_duty').get(`/api/halls/${hall}/tickets?status=waiting`)).json()
      .total as number;
    const called = (await as('qy_duty').get(`/api/halls/${hall}/tickets?status=called`)).json()
      .total as number;
    expect(waiting).toBeGreaterThan(0);
    t.clock.set('2026-03-02T10:31:00.000Z'); // 18:31 in Shanghai
    expectProblem(
      await as('qy_guide').post(`/api/halls/${hall}/tickets`, { category: 'business' }),
      409,
      'hall_closed',
    );
    const res = await as('qy_duty').post(`/api/halls/${hall}/queue/close-day`);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ date: '2026-03-02', notServed: waiting + called });
    expect(await eventCount('ticket.not_served')).toBe(waiting + called);
    expect(await eventCount('queue.day_closed')).toBe(1);
    const [day] = await rows<{ not_served: number }>(
      t.database.db,
      sql`select not_served from queue_days where unit_id = ${hall} and local_date = '2026-03-02'`,
    );
    expect(day!.not_served).toBe(waiting + called);
    const again = await as('qy_duty').post(`/api/halls/${hall}/queue/close-day`);
    expect(again.json()).toMatchObject({ notServed: 0 });
    expect(await eventCount('queue.day_closed')).toBe(1);
    const state = (await as('qy_duty').get(`/api/halls/${hall}/queue`)).json();
    expect(state.totals.notServed).toBe(waiting + called);
    // The counter still serving its customer stays open until the clerk finishes.
    expect(state.counters.find((c: { number: number }) => c.number === 1)).toMatchObject({
      state: 'open',
      busy: true,
    });
  });

  it('numbers tickets afresh the next day', async () => {
    await moveTo('2026-03-03T01:00:00.000Z'); // Tuesday 09:00
    expect(await take('qy_guide', 'business')).toMatchObject({ number: 'A001' });
    expect(await take('qy_guide', 'business', PHONES.diamond)).toMatchObject({ number: 'V001' });
  });
});

describe('appointments (预约)', () => {
  const slot = (hhmm: string, date = '2026-03-04') => new Date(`${date}T${hhmm}:00+08:00`).toISOString();

  it('lists the slots of a day inside the opening hours', async () => {
    const res = await as('coop_manager').get(`/api/halls/${coop}/appointment-slots?date=2026-03-04`);
    expect(res.statusCode, res.body).toBe(200);
    const slots = res.json();
    expect(slots).toMatchObject({ slotMinutes: 30, capacity: 2 });
    expect(slots.slots[0]).toMatchObject({ start: slot('08:30'), booked: 0, free: 2 });
    expect(slots.slots).toHaveLength(20);
    expectProblem(
      await as('coop_clerk').get(`/api/halls/${coop}/appointment-slots?date=2026-03-04`),
      403,
      'position',
    );
  });

  it('books a slot for diamond and gold members and 3G VIP customers only, within capacity', async () => {
    const book = (phone: string, start: string) =>
      as('coop_manager').post(`/api/halls/${coop}/appointments`, {
        phone,
        category: 'business',
        slotStart: start,
      });
    const ok = await book(PHONES.gold, slot('10:00'));
    expect(ok.statusCode, ok.body).toBe(201);
    expect(ok.json()).toMatchObject({ status: 'booked', tier: 'gold', date: '2026-03-04' });
    expect(ok.json().phone).toContain('****');
    expect((await book(PHONES.silver3g, slot('10:00'))).statusCode).toBe(201);
    expectProblem(await book(PHONES.diamond, slot('10:00')), 409, 'appointment_full');
    expectProblem(await book(PHONES.ordinary, slot('10:30')), 403, 'appointment_not_eligible');
    expectProblem(await book(PHONES.silver, slot('10:30')), 403, 'appointment_not_eligible');
    expectProblem(await book(PHONES.diamond, slot('10:10')), 422, 'appointment_not_a_slot');
    expectProblem(await book(PHONES.diamond, slot('08:30', '2026-03-03')), 422, 'appointment_past');
    expectProblem(await book(PHONES.diamond, slot('10:00', '2026-04-30')), 422, 'appointment_too_far');
    expectProblem(await book('13900000000', slot('11:00')), 422, 'customer_unknown');
    expectProblem(await book(PHONES.gold, slot('11:00')), 409, 'appointment_exists');
    const list = await as('coop_manager').get(`/api/halls/${coop}/appointments?date=2026-03-04`);
    expect(list.json()).toHaveLength(2);
  });

  it('checks in by phone at the kiosk: on time a priority ticket, late an ordinary one, too early refused', async () => {
    const coopKiosk = await deviceToken('coop_manager', coop, '合作厅取号机', ['device_kiosk']);
    const k = bearer(coopKiosk);
    expect((await as('coop_clerk').post(`/api/counters/${await counterOf(coop, 2)}/open`)).statusCode).toBe(
      200,
    );
    await moveTo(slot('09:20'));
    expectProblem(await k.post(`/api/halls/${coop}/check-in`, { phone: PHONES.gold }), 409, 'too_early');
    expectProblem(await k.post(`/api/halls/${coop}/check-in`, { phone: PHONES.ordinary }), 404, 'not_found');
    const walkIn = await bearerTake(coopKiosk, coop, 'business', PHONES.diamond);
    expect(walkIn.queue).toBe('vip');
    t.clock.set(slot('09:45'));
    const onTime = await k.post(`/api/halls/${coop}/check-in`, { phone: PHONES.gold });
    expect(onTime.statusCode, onTime.body).toBe(201);
    expect(onTime.json()).toMatchObject({
      verdict: 'on_time',
      appointment: { status: 'checked_in' },
      ticket: { queue: 'vip', channel: 'appointment', priority: 1 },
    });
    expectProblem(await k.post(`/api/halls/${coop}/check-in`, { phone: PHONES.gold }), 404, 'not_found');
    t.clock.set(slot('10:20'));
    const late = await k.post(`/api/halls/${coop}/check-in`, { phone: PHONES.silver3g });
    expect(late.json()).toMatchObject({
      verdict: 'late',
      appointment: { status: 'late' },
      ticket: { priority: 0 },
    });
    // The VIP walk-in has waited an hour, past the VIP limit: called before the appointment check-in
    // (README "The order of a line"); then the appointment.
    const vipCounter = await counterOf(coop, 2);
    const first = await as('coop_clerk').post(`/api/counters/${vipCounter}/call-next`);
    expect(first.json().id).toBe(walkIn.id);
    expect((await as('coop_clerk').post(`/api/tickets/${first.json().id}/finish`, {})).statusCode).toBe(200);
    expect((await as('coop_clerk').post(`/api/counters/${vipCounter}/call-next`)).json().id).toBe(
      onTime.json().ticket.id,
    );
  });

  it('makes unclaimed appointments no-shows at closing, and suspends booking after too many', async () => {
    const bookAt = (start: string) =>
      as('coop_manager').post(`/api/halls/${coop}/appointments`, {
        phone: PHONES.diamond,
        category: 'payment',
        slotStart: start,
      });
    const booked = await bookAt(slot('16:00'));
    expect(booked.statusCode, booked.body).toBe(201);
    const other = await as('coop_manager').post(`/api/halls/${coop}/appointments`, {
      phone: PHONES.gold,
      category: 'payment',
      slotStart: slot('11:00', '2026-03-05'),
    });
    expect(other.statusCode).toBe(201);
    expect((await as('coop_manager').post(`/api/appointments/${other.json().id}/cancel`)).json().status).toBe(
      'cancelled',
    );
    expectProblem(
      await as('coop_manager').post(`/api/appointments/${other.json().id}/cancel`),
      409,
      'appointment_state',
    );
    t.clock.set(slot('18:40'));
    const closed = await as('coop_manager').post(`/api/halls/${coop}/queue/close-day`);
    expect(closed.statusCode, closed.body).toBe(200);
    expect(closed.json().appointmentNoShows).toBe(1);
    expect(
      (await as('admin').put('/api/settings/queue.appointmentNoShowLimit', { unitId: coop, value: 1 }))
        .statusCode,
    ).toBe(200);
    expectProblem(await bookAt(slot('10:00', '2026-03-06')), 409, 'appointment_blocked');
  });
});

describe('statistics', () => {
  it('answers per hall, day, category, counter and clerk, judged against the limits recorded', async () => {
    const q = (by: string, unitId = hall) =>
      `/api/queue/stats?unitId=${unitId}&from=2026-03-01&to=2026-03-04&by=${by}`;
    const byHall = await as('qy_manager').get(q('hall'));
    expect(byHall.statusCode, byHall.body).toBe(200);
    const row = byHall.json().rows[0];
    expect(row).toMatchObject({ key: hall, label: '青原人民路营业厅' });
    expect(row.tickets).toBeGreaterThan(20);
    expect(row.noShows).toBeGreaterThanOrEqual(2);
    expect(row.notServed).toBeGreaterThan(0);
    expect(row.byChannel).toMatchObject({ guide: expect.any(Number), kiosk: expect.any(Number), remote: 4 });
    expect(row.vipWait.limitsMinutes).toEqual([5]);
    expect(row.normalWait.limitsMinutes).toEqual([30]);
    expect(row.transaction.limitsMinutes).toEqual([10]);
    expect(row.transaction.withinLimitShare).toBeGreaterThan(0);
    const byDay = (await as('qy_manager').get(q('day'))).json().rows.map((r: { key: string }) => r.key);
    expect(byDay).toEqual(['2026-03-02', '2026-03-03']);
    const byClerk = (await as('qy_manager').get(q('clerk'))).json().rows;
    expect(byClerk.map((r: { label: string }) => r.label)).toEqual(expect.arrayContaining(['张悦', '郭雪']));
    const byCounter = (await as('qy_manager').get(q('counter'))).json().rows;
    expect(
      byCounter.find((r: { label: string }) => r.label.endsWith('1号窗口'))!.noShows,
    ).toBeGreaterThanOrEqual(2);
    const city = await unitIdByCode(t, cookies.admin!, 'YC-QY');
    const cityRows = (await as('admin').get(q('hall', city))).json().rows;
    expect(cityRows.map((r: { label: string }) => r.label)).toEqual(
      expect.arrayContaining(['青原人民路营业厅', '青原滨江合作营业厅']),
    );
    expectProblem(await as('qy_clerk').get(q('hall')), 403, 'position');
    expectProblem(await as('qy_manager').get(q('hall', xk)), 403, 'scope');
    expectProblem(
      await as('qy_manager').get(`/api/queue/stats?unitId=${hall}&from=2026-03-04&to=2026-03-01`),
      400,
      'validation',
    );
  });
});

describe('the queue timer', () => {
  it('closes the days that are over (here yesterday’s tickets) and raises nothing when no day is open', async () => {
    const waitingYesterday = (
      await as('qy_manager').get(`/api/halls/${hall}/tickets?date=2026-03-03&status=waiting`)
    ).json().total as number;
    expect(waitingYesterday).toBeGreaterThan(0);
    const first = await queueTimerTick(t.database.db, t.clock);
    expect(first.closed).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ hallId: hall, date: '2026-03-03', notServed: waitingYesterday }),
      ]),
    );
    const second = await queueTimerTick(t.database.db, t.clock);
    expect(second).toEqual({ closed: [], alerts: 0 });
  });
});

async function counterOf(hallId: string, number: number): Promise<string> {
  const res = await as('coop_manager').get(`/api/halls/${hallId}/queue-config`);
  return (res.json() as { counters: { id: string; number: number }[] }).counters.find(
    (c) => c.number === number,
  )!.id;
}

async function bearerTake(token: string, hallId: string, category: string, phone?: string): Promise<Ticket> {
  const res = await bearer(token).post(`/api/halls/${hallId}/tickets`, {
    category,
    ...(phone ? { phone } : {}),
  });
  expect(res.statusCode, res.body).toBe(201);
  return res.json() as Ticket;
}
