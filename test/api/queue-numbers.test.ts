/**
 * Numbers that agree (issue #12): the same hall state gives the same expected wait and the same count of
 * waiting customers on every page's API (kiosk, remote page, floor guide, floor view, display, the slip of
 * a ticket taken then); floor alerts are one row per queue and acknowledged by a command; the hall's
 * "open N more counters" never exceeds the closed counters and its split adds up; a parked or
 * transferred ticket leaves the display; a transfer into the ticket's own queue is refused; a VIP past
 * the VIP limit is called before an appointment check-in.
 */
import fc from 'fast-check';
import { sql } from 'drizzle-orm';
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoCustomers } from '../../src/modules/demo/seed.ts';
import type { DisplayState, KioskState, QueueState, Ticket } from '../../src/modules/queue/contract.ts';
import { rows } from '../../src/platform/db/index.ts';
import type { TestApp } from '../support/app.ts';
import { provePhone, testApp, unitIdByCode } from '../support/app.ts';

let t: TestApp;
const cookies: Record<string, string> = {};
let hall: string;
let kiosk: string;
let display: string;
const counters: Record<number, string> = {};
/** The clerks of the demo hall, each with the counter they open here. */
const CLERKS = [
  { who: 'qy_clerk', counter: 1 },
  { who: 'qy_clerk2', counter: 2 },
  { who: 'qy_vip', counter: 4 },
  { who: 'qy_complaint', counter: 5 },
  { who: 'qy_aftersales', counter: 6 },
];
const CATEGORIES = ['business', 'payment', '3g', 'terminal', 'repair', 'complaint', 'group'];
const ORDINARY = demoCustomers(40, {})
  .filter((c) => c.clubTier === 'ordinary' && !c.is3g && c.kind === 'individual')
  .map((c) => c.contactPhone);

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
function ok<T>(res: LightMyRequestResponse, status = 200): T {
  expect(res.statusCode, res.body).toBe(status);
  return res.json() as T;
}
function expectProblem(res: LightMyRequestResponse, status: number, code: string) {
  expect(res.statusCode, res.body).toBe(status);
  expect(res.headers['content-type']).toContain('application/problem+json');
  const body = res.json() as { code: string; messages: Record<string, string> };
  expect(body.code, res.body).toBe(code);
  expect(body.messages['zh-CN']).toBeTruthy();
  expect(body.messages['en-US']).toBeTruthy();
}

async function deviceToken(unitId: string, label: string, positions: string[]) {
  const res = await as('qy_manager').post('/api/tokens', { kind: 'device', unitId, label, positions });
  return ok<{ token: string }>(res, 201).token;
}

/** Cancels every waiting or parked ticket of the hall and closes every counter: a quiet hall. */
async function quiet() {
  const res = await as('qy_manager').get(`/api/halls/${hall}/tickets?limit=500`);
  for (const ticket of (res.json() as { items: Ticket[] }).items) {
    if (ticket.status === 'called' || ticket.status === 'serving') {
      const clerk = CLERKS.find((c) => counters[c.counter] === ticket.counter?.id);
      if (clerk) await as(clerk.who).post(`/api/tickets/${ticket.id}/finish`, {});
    }
  }
  const again = await as('qy_manager').get(`/api/halls/${hall}/tickets?limit=500`);
  for (const ticket of (again.json() as { items: Ticket[] }).items) {
    if (ticket.status === 'waiting' || ticket.status === 'parked') {
      ok(await as('qy_manager').post(`/api/tickets/${ticket.id}/cancel`));
    }
  }
  for (const c of CLERKS) await as(c.who).post(`/api/counters/${counters[c.counter]}/close`);
}

beforeAll(async () => {
  t = await testApp();
  for (const u of ['admin', 'qy_manager', 'qy_duty', 'qy_guide', 'qy_clerk', ...CLERKS.map((c) => c.who)]) {
    cookies[u] ??= await t.login(u);
  }
  hall = await unitIdByCode(t, cookies.admin!, 'YC-QY-H01');
  kiosk = await deviceToken(hall, '1号取号机', ['device_kiosk']);
  display = await deviceToken(hall, '叫号屏', ['device_display']);
  const config = await as('qy_manager').get(`/api/halls/${hall}/queue-config`);
  for (const c of (config.json() as { counters: { id: string; number: number }[] }).counters)
    counters[c.number] = c.id;
}, 120_000);
afterAll(() => t.close());

interface Views {
  floor: QueueState;
  guide: QueueState;
  kiosk: KioskState;
  remote: KioskState;
  display: DisplayState;
}

async function views(): Promise<Views> {
  return {
    floor: ok<QueueState>(await as('qy_duty').get(`/api/halls/${hall}/queue`)),
    guide: ok<QueueState>(await as('qy_guide').get(`/api/halls/${hall}/queue`)),
    kiosk: ok<KioskState>(await bearer(kiosk).get(`/api/halls/${hall}/kiosk`)),
    remote: ok<KioskState>(await t.app.inject({ method: 'GET', url: `/api/e/halls/${hall}` })),
    display: ok<DisplayState>(await bearer(display).get(`/api/halls/${hall}/display`)),
  };
}

/** Every page's figures of a category agree with the floor view's row of its queue. */
function expectAgreement(v: Views) {
  for (const c of v.floor.categories) {
    const q = v.floor.queues.find((x) => x.code === c.queue)!;
    const figure = { waiting: q.waiting, estimatedWaitMinutes: q.estimatedWaitMinutes };
    expect({ waiting: c.waiting, estimatedWaitMinutes: c.estimatedWaitMinutes }, `floor ${c.code}`).toEqual(
      figure,
    );
    for (const page of ['guide', 'kiosk', 'remote'] as const) {
      const mine = v[page].categories.find((x) => x.code === c.code)!;
      expect(
        { waiting: mine.waiting, estimatedWaitMinutes: mine.estimatedWaitMinutes },
        `${page} ${c.code}`,
      ).toEqual(figure);
    }
    expect(v.display.waitingByCategory.find((x) => x.code === c.code)!.waiting, `display ${c.code}`).toBe(
      q.waiting,
    );
  }
  // The hall's total is the queues' waiting added up, and the list of waiting tickets is as long.
  expect(v.floor.queues.reduce((n, q) => n + q.waiting, 0)).toBe(v.floor.totals.waiting);
  expect(v.floor.waiting).toHaveLength(v.floor.totals.waiting);
  // The advice is one figure for the hall, never more than its closed counters, and the split adds up.
  const closed = v.floor.counters.filter((c) => c.state === 'closed').length;
  expect(v.floor.advice.countersToOpen).toBeLessThanOrEqual(closed);
  expect(v.floor.advice.closedCounters).toBe(closed);
  expect(v.floor.queues.reduce((n, q) => n + q.countersToOpen, 0)).toBe(v.floor.advice.countersToOpen);
  expect(v.floor.advice.byQueue.reduce((n, q) => n + q.countersToOpen, 0)).toBe(
    v.floor.advice.countersToOpen,
  );
  // One alert row per queue (and per counter for a transaction), never one per ticket.
  const keys = v.floor.alertRows.map((r) => r.key);
  expect(new Set(keys).size).toBe(keys.length);
  const waitRows = v.floor.alertRows.filter((r) => r.kind !== 'transaction');
  expect(waitRows.reduce((n, r) => n + r.over + r.near, 0)).toBe(
    v.floor.alerts.filter((a) => a.kind !== 'transaction').length,
  );
}

type Step =
  | { kind: 'take'; category: string; n: number }
  | { kind: 'open'; clerk: number }
  | { kind: 'close'; clerk: number }
  | { kind: 'serve'; clerk: number; minutes: number }
  | { kind: 'wait'; minutes: number };

const step: fc.Arbitrary<Step> = fc.oneof(
  fc.record({
    kind: fc.constant('take' as const),
    category: fc.constantFrom(...CATEGORIES),
    n: fc.integer({ min: 1, max: 4 }),
  }),
  fc.record({ kind: fc.constant('open' as const), clerk: fc.integer({ min: 0, max: CLERKS.length - 1 }) }),
  fc.record({ kind: fc.constant('close' as const), clerk: fc.integer({ min: 0, max: CLERKS.length - 1 }) }),
  fc.record({
    kind: fc.constant('serve' as const),
    clerk: fc.integer({ min: 0, max: CLERKS.length - 1 }),
    minutes: fc.integer({ min: 1, max: 12 }),
  }),
  fc.record({ kind: fc.constant('wait' as const), minutes: fc.integer({ min: 1, max: 8 }) }),
);

async function play(s: Step) {
  if (s.kind === 'take') {
    for (let i = 0; i < s.n; i++) {
      ok(await bearer(kiosk).post(`/api/halls/${hall}/tickets`, { category: s.category }), 201);
    }
  } else if (s.kind === 'open') {
    const c = CLERKS[s.clerk]!;
    await as(c.who).post(`/api/counters/${counters[c.counter]}/open`);
  } else if (s.kind === 'close') {
    const c = CLERKS[s.clerk]!;
    await as(c.who).post(`/api/counters/${counters[c.counter]}/close`);
  } else if (s.kind === 'serve') {
    const c = CLERKS[s.clerk]!;
    const called = await as(c.who).post(`/api/counters/${counters[c.counter]}/call-next`);
    if (called.statusCode !== 200) return;
    const ticket = called.json() as Ticket;
    await as(c.who).post(`/api/tickets/${ticket.id}/start`);
    t.clock.advanceMinutes(s.minutes);
    ok(await as(c.who).post(`/api/tickets/${ticket.id}/finish`, {}));
  } else {
    t.clock.advanceMinutes(s.minutes);
  }
}

describe('one estimate and one count of waiting, on every page', () => {
  it('property: random hall states give the same figures on the kiosk, remote, guide, floor view and display, and on the slip taken then', async () => {
    let phone = 0;
    let known = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.array(step, { minLength: 1, maxLength: 12 }),
        fc.constantFrom(...CATEGORIES),
        async (steps, category) => {
          for (const s of steps) await play(s);
          const before = await views();
          expectAgreement(before);
          // A ticket taken now at the kiosk: its slip shows the figure the kiosk card showed.
          const card = before.kiosk.categories.find((c) => c.code === category)!;
          const slip = ok<Ticket>(await bearer(kiosk).post(`/api/halls/${hall}/tickets`, { category }), 201);
          expect(slip.queue).toBe(card.queue);
          expect(slip.peopleAhead).toBe(
            before.floor.queues.find((q) => q.code === card.queue)!.waiting -
              before.floor.waiting.filter((w) => w.queue === card.queue && w.targetCounterId !== null).length,
          );
          expect(slip.estimatedWaitMinutes, `slip of ${category}`).toBe(card.estimatedWaitMinutes);
          if (card.estimatedWaitMinutes !== null && card.estimatedWaitMinutes > 0) known += 1;
          // The ticket's own page (staff) says the same.
          const again = ok<Ticket>(await as('qy_duty').get(`/api/tickets/${slip.id}`));
          expect(again.estimatedWaitMinutes).toBe(card.estimatedWaitMinutes);
          // The remote page: a ticket of the next category taken by a phone says what its card said.
          const after = await views();
          expectAgreement(after);
          if (phone < ORDINARY.length) {
            const number = ORDINARY[phone]!;
            const token = await provePhone(t, number, { hallId: hall, remoteAddress: `10.9.0.${phone + 1}` });
            phone += 1;
            const remoteCard = after.remote.categories.find((c) => c.code === category)!;
            const remote = ok<Ticket>(
              await bearer(token).post(`/api/e/halls/${hall}/tickets`, { category, phone: number }),
              201,
            );
            expect(remote.estimatedWaitMinutes, `remote ticket of ${category}`).toBe(
              remoteCard.estimatedWaitMinutes,
            );
            const followed = ok<Ticket>(await bearer(token).get(`/api/e/tickets/${remote.id}`));
            expect(followed.estimatedWaitMinutes).toBe(remoteCard.estimatedWaitMinutes);
            expectAgreement(await views());
          }
        },
      ),
      {
        numRuns: 10,
        // One hall that is surely busy, so that a figure of minutes is always among the cases tried.
        examples: [
          [
            [
              { kind: 'open', clerk: 0 },
              { kind: 'open', clerk: 1 },
              { kind: 'take', category: 'business', n: 4 },
              { kind: 'serve', clerk: 0, minutes: 6 },
              { kind: 'take', category: 'business', n: 3 },
            ],
            'business',
          ],
        ],
      },
    );
    // Not a test of empty halls: some slips had a figure of minutes.
    expect(known).toBeGreaterThan(0);
  }, 300_000);
});

describe('floor alerts', () => {
  it('lists one row per queue with the oldest ticket and how many are over and near the limit', async () => {
    await quiet();
    ok(await as('qy_clerk').post(`/api/counters/${counters[1]}/open`));
    const taken: Ticket[] = [];
    for (let i = 0; i < 8; i++) {
      taken.push(
        ok<Ticket>(await bearer(kiosk).post(`/api/halls/${hall}/tickets`, { category: 'business' }), 201),
      );
      t.clock.advanceMinutes(1);
    }
    t.clock.advanceMinutes(25); // the first four past 30 min, the others past the 80 % warning
    const floor = ok<QueueState>(await as('qy_duty').get(`/api/halls/${hall}/queue`));
    const normal = floor.alertRows.filter((r) => r.queue === 'normal');
    expect(normal).toHaveLength(1);
    const mine = floor.alerts.filter((a) => a.queue === 'normal');
    expect(mine.length).toBeGreaterThanOrEqual(8);
    expect(normal[0]).toMatchObject({
      key: 'queue:normal',
      level: 'breach',
      oldestNumber: floor.waiting.find((w) => w.queue === 'normal')!.number,
      over: mine.filter((a) => a.level === 'breach').length,
      near: mine.filter((a) => a.level === 'warning').length,
      acknowledged: null,
    });
    expect(normal[0]!.message.zh).toMatch(
      /^普通业务：最久 A\d+ 已等待 \d+ 分钟（时限 30 分钟），超时 \d+ 人，临近时限 \d+ 人$/,
    );
    expect(normal[0]!.message.en).toMatch(
      /^General: longest A\d+ has waited \d+ min \(limit 30 min\); \d+ over the limit, \d+ near it$/,
    );
    // The advice: one figure, at most the closed counters, the split adds up, and each ticket's alert
    // carries its queue's share, not a figure of its own.
    const closed = floor.counters.filter((c) => c.state === 'closed').length;
    expect(floor.advice.countersToOpen).toBeGreaterThan(0);
    expect(floor.advice.countersToOpen).toBeLessThanOrEqual(closed);
    const share = floor.queues.find((q) => q.code === 'normal')!.countersToOpen;
    for (const a of mine) expect(a.countersToOpen).toBe(share);
    expect(
      floor.advice.counters.every(
        (c) => floor.counters.find((x) => x.id === c.counterId)!.state === 'closed',
      ),
    ).toBe(true);
  });

  it('acknowledges a row as a command: an event, for the duty manager of the hall only; cleared when more go over', async () => {
    const url = `/api/halls/${hall}/queue/alerts/acknowledge`;
    expectProblem(await as('qy_clerk').post(url, { key: 'queue:normal' }), 403, 'position');
    expectProblem(await as('qy_duty').post(url, { key: 'nonsense' }), 400, 'validation');
    expectProblem(await as('qy_duty').post(url, { key: 'queue:pay' }), 409, 'no_alert');
    const acked = await as('qy_duty').post(url, { key: 'queue:normal', note: '已安排' });
    const row = ok<QueueState['alertRows'][number]>(acked);
    expect(row.acknowledged).toMatchObject({ note: '已安排' });
    const [event] = await rows<{ n: number; after: Record<string, unknown> }>(
      t.database.db,
      sql`select count(*)::int as n, max(after::text)::jsonb as after from events
          where action = 'queue.alert_acknowledged' and unit_id = ${hall}`,
    );
    expect(event!.n).toBe(1);
    expect(event!.after).toMatchObject({ key: 'queue:normal', level: 'breach', over: row.over });
    const floor = ok<QueueState>(await as('qy_duty').get(`/api/halls/${hall}/queue`));
    expect(floor.alertRows.find((r) => r.key === 'queue:normal')!.acknowledged).not.toBeNull();
    // Five more minutes: more tickets over the limit, the row wants attention again.
    t.clock.advanceMinutes(5);
    const later = ok<QueueState>(await as('qy_duty').get(`/api/halls/${hall}/queue`));
    const again = later.alertRows.find((r) => r.key === 'queue:normal')!;
    expect(again.over).toBeGreaterThan(row.over);
    expect(again.acknowledged).toBeNull();
    // Another hall's duty manager: outside their unit.
    const xk = await unitIdByCode(t, cookies.admin!, 'YC-XK-H01');
    expectProblem(
      await as('qy_duty').post(`/api/halls/${xk}/queue/alerts/acknowledge`, { key: 'queue:normal' }),
      403,
      'scope',
    );
  });
});

describe('the display, transfers and the order of a line', () => {
  it('takes a parked and a transferred ticket out of the display’s "now calling" at once', async () => {
    await quiet();
    ok(await as('qy_clerk').post(`/api/counters/${counters[1]}/open`));
    const a = ok<Ticket>(
      await bearer(kiosk).post(`/api/halls/${hall}/tickets`, { category: 'business' }),
      201,
    );
    const b = ok<Ticket>(
      await bearer(kiosk).post(`/api/halls/${hall}/tickets`, { category: 'business' }),
      201,
    );
    const shown = async () => {
      const d = ok<DisplayState>(await bearer(display).get(`/api/halls/${hall}/display`));
      return {
        calling: d.calling.map((c) => c.number),
        main: d.recent[0]?.number ?? null,
        recent: d.recent.map((c) => c.number),
      };
    };
    const first = ok<Ticket>(await as('qy_clerk').post(`/api/counters/${counters[1]}/call-next`));
    expect(first.id).toBe(a.id);
    expect(await shown()).toMatchObject({ calling: [a.number], main: a.number });
    ok(await as('qy_clerk').post(`/api/tickets/${a.id}/park`, { reason: '取证件' }));
    const parked = await shown();
    expect(parked.calling).not.toContain(a.number);
    expect(parked.recent).not.toContain(a.number);
    const second = ok<Ticket>(await as('qy_clerk').post(`/api/counters/${counters[1]}/call-next`));
    expect(second.id).toBe(b.id);
    expect((await shown()).main).toBe(b.number);
    ok(await as('qy_clerk').post(`/api/tickets/${b.id}/transfer`, { queue: 'service' }));
    const moved = await shown();
    expect(moved.calling).not.toContain(b.number);
    expect(moved.recent).not.toContain(b.number);
    expect(moved.main).not.toBe(b.number);
  });

  it('refuses a transfer into the ticket’s own queue (the same counter would call it again), with a 4xx problem', async () => {
    const c = ok<Ticket>(
      await bearer(kiosk).post(`/api/halls/${hall}/tickets`, { category: 'terminal' }),
      201,
    );
    const called = ok<Ticket>(
      await as('qy_clerk').post(`/api/counters/${counters[1]}/call-next`, { queue: 'normal' }),
    );
    expect(called.id).toBe(c.id);
    expectProblem(
      await as('qy_clerk').post(`/api/tickets/${c.id}/transfer`, { queue: 'normal' }),
      422,
      'same_queue',
    );
    expectProblem(
      await as('qy_clerk').post(`/api/tickets/${c.id}/transfer`, { category: 'business', queue: 'normal' }),
      422,
      'same_queue',
    );
    const still = ok<Ticket>(await as('qy_clerk').get(`/api/tickets/${c.id}`));
    expect(still.status).toBe('called');
    // To its own queue but one named counter is a transfer (only that counter calls it).
    ok(
      await as('qy_clerk').post(`/api/tickets/${c.id}/transfer`, { queue: 'normal', counterId: counters[2] }),
    );
  });

  it('calls a VIP who waited past the VIP limit before an appointment check-in, and counts them ahead of it', async () => {
    await quiet();
    const vipPhone = demoCustomers(40, {}).find((x) => x.clubTier === 'diamond' && !x.is3g)!.contactPhone;
    const vip = ok<Ticket>(
      await bearer(kiosk).post(`/api/halls/${hall}/tickets`, { category: 'business', phone: vipPhone }),
      201,
    );
    expect(vip).toMatchObject({ queue: 'vip', vip: true });
    // An appointment ticket in the VIP queue (priority 1), as an on-time check-in makes it.
    t.clock.advanceMinutes(6);
    const appointment = ok<Ticket>(
      await bearer(kiosk).post(`/api/halls/${hall}/tickets`, { category: 'business', phone: vipPhone }),
      201,
    );
    await t.database.db.execute(
      sql`update queue_tickets set priority = 1, channel = 'appointment' where id = ${appointment.id}`,
    );
    const view = ok<Ticket>(await as('qy_duty').get(`/api/tickets/${appointment.id}`));
    expect(view.peopleAhead).toBe(1); // the overdue VIP stands ahead of it
    ok(await as('qy_vip').post(`/api/counters/${counters[4]}/open`));
    const first = ok<Ticket>(await as('qy_vip').post(`/api/counters/${counters[4]}/call-next`));
    expect(first.id).toBe(vip.id);
    ok(await as('qy_vip').post(`/api/tickets/${vip.id}/finish`, {}));
    expect(ok<Ticket>(await as('qy_vip').post(`/api/counters/${counters[4]}/call-next`)).id).toBe(
      appointment.id,
    );
  });
});
