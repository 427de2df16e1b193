/**
 * The public e-channel through HTTP: one-time codes sent through the notification gateway (outbox row,
 * limits per phone and per client, dead after five wrong tries), the capability of a proven phone (takes
 * and books only for its phone, sees and cancels only what it holds, refused by every other route), the
 * province's old e-channel device token no longer taking remote tickets, and the gateway's delivery
 * (retries recorded with the webhook driver; exactly once with two workers claiming at once).
 */
import { createHmac } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq, sql } from 'drizzle-orm';
import type { LightMyRequestResponse } from 'fastify';
import { demoCustomers } from '../../src/modules/demo/seed.ts';
import { rows } from '../../src/platform/db/index.ts';
import { systemContext } from '../../src/platform/context.ts';
import { command } from '../../src/platform/events.ts';
import { rootUnit } from '../../src/modules/org/service.ts';
import type { NotifyDriver } from '../../src/modules/notify/service.ts';
import { deliverDue, send, webhookDriver } from '../../src/modules/notify/service.ts';
import { notifyAttempts, notifyMessages } from '../../src/modules/notify/schema.ts';
import { phoneHashOf } from '../../src/modules/echannel/service.ts';
import type { TestApp } from '../support/app.ts';
import { codeSentTo as codeSent, provePhone, testApp, unitIdByCode } from '../support/app.ts';

let t: TestApp;
let admin: string;
let manager: string;
let hall: string;

const CUSTOMERS = demoCustomers(40, {});
const GOLD = CUSTOMERS.find((c) => c.clubTier === 'gold' && !c.is3g)!.contactPhone;
const DIAMOND = CUSTOMERS.find((c) => c.clubTier === 'diamond' && !c.is3g)!.contactPhone;
const STRANGER = '13700009999'; // no customer has it

function expectProblem(res: LightMyRequestResponse, status: number, code: string) {
  expect(res.statusCode, res.body).toBe(status);
  expect(res.headers['content-type']).toContain('application/problem+json');
  const body = res.json() as { code: string; messages: Record<string, string> };
  expect(body.code, res.body).toBe(code);
  expect(body.messages['zh-CN']).toBeTruthy();
  expect(body.messages['en-US']).toBeTruthy();
}

let ipSeq = 1;
/** A client address of its own per test, so that the per-client limits of one test do not reach another. */
const freshIp = () => `10.0.${Math.floor(ipSeq / 250)}.${(ipSeq++ % 250) + 1}`;

const post = (url: string, payload: Record<string, unknown>, ip = '10.9.9.9', token?: string) =>
  t.app.inject({
    method: 'POST',
    url,
    payload,
    remoteAddress: ip,
    headers: token ? { authorization: `Bearer ${token}` } : {},
  });
const bearer = (token: string) => ({
  get: (url: string) => t.app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${token}` } }),
  post: (url: string, payload: Record<string, unknown> = {}) =>
    t.app.inject({ method: 'POST', url, payload, headers: { authorization: `Bearer ${token}` } }),
});

const codeSentTo = (phone: string) => codeSent(t, phone);
const prove = (phone: string, ip = freshIp()) => provePhone(t, phone, { hallId: hall, remoteAddress: ip });

const eventCount = async (action: string) =>
  (
    await rows<{ n: number }>(
      t.database.db,
      sql`select count(*)::int as n from events where action = ${action}`,
    )
  )[0]!.n;

beforeAll(async () => {
  t = await testApp();
  admin = await t.login('admin');
  manager = await t.login('qy_manager');
  hall = await unitIdByCode(t, admin, 'YC-QY-H01');
});
afterAll(() => t.close());

describe('one-time codes', () => {
  it('sends a code through the gateway: an outbox row, its event with the phone masked, the same answer for a stranger', async () => {
    const ip = freshIp();
    const res = await post('/api/e/codes', { phone: GOLD, purpose: 'ticket', hallId: hall }, ip);
    expect(res.statusCode, res.body).toBe(202);
    const other = await post('/api/e/codes', { phone: STRANGER, purpose: 'ticket', hallId: hall }, ip);
    expect(other.statusCode).toBe(202);
    const strip = (r: LightMyRequestResponse) => ({ ...(r.json() as object), to: '' });
    expect(strip(other)).toEqual(strip(res));
    const [row] = await t.database.db.select().from(notifyMessages).where(eq(notifyMessages.recipient, GOLD));
    expect(row).toMatchObject({ status: 'pending', channel: 'sms', template: 'echannel.code', unitId: hall });
    expect(row!.body).toContain(String(row!.params.code));
    expect(String(row!.params.code)).toMatch(/^\d{6}$/);
    const events = await rows<{ action: string; after: unknown }>(
      t.database.db,
      sql`select action, after from events where action in ('notify.queued', 'echannel.code_sent')`,
    );
    expect(events.length).toBeGreaterThanOrEqual(4);
    const text = JSON.stringify(events);
    expect(text).not.toContain(GOLD);
    expect(text).not.toContain(String(row!.params.code));
    expect(text).toContain(`${GOLD.slice(0, 3)}****${GOLD.slice(-4)}`);
    // The code is kept hashed only.
    const codes = await rows<{ code_hash: string }>(t.database.db, sql`select code_hash from echannel_codes`);
    expect(JSON.stringify(codes)).not.toContain(`"${String(row!.params.code)}"`);
  });

  it('delivers through the outbox driver; the console shows it masked, the text only to a system administrator', async () => {
    await deliverDue(t.database.db, t.clock);
    const res = await t.as(admin, { method: 'GET', url: '/api/notify/outbox' });
    expect(res.statusCode, res.body).toBe(200);
    const items = res.json() as { to: string; text: string | null; status: string; attempts: number }[];
    const mine = items.find((i) => i.to === `${GOLD.slice(0, 3)}****${GOLD.slice(-4)}`)!;
    expect(mine).toMatchObject({ status: 'delivered', attempts: 1 });
    expect(mine.text).toMatch(/验证码为 \d{6}/);
    expect(res.body).not.toContain(GOLD);
    // The hall's auditor and manager see its messages, masked and without their text; a clerk nothing.
    for (const who of [await t.login('qy_audit'), manager]) {
      const seen = await t.as(who, { method: 'GET', url: '/api/notify/outbox' });
      expect(seen.statusCode).toBe(200);
      const list = seen.json() as { text: string | null }[];
      expect(list.length).toBeGreaterThan(0);
      expect(list.every((i) => i.text === null)).toBe(true);
    }
    const clerk = await t.login('qy_clerk');
    expectProblem(await t.as(clerk, { method: 'GET', url: '/api/notify/outbox' }), 403, 'position');
  });

  it('kills a code after five wrong tries: the right one is then refused too', async () => {
    const ip = freshIp();
    const phone = '13600000001';
    expect((await post('/api/e/codes', { phone, purpose: 'ticket' }, ip)).statusCode).toBe(202);
    const code = await codeSentTo(phone);
    const wrong = code === '000000' ? '111111' : '000000';
    for (let i = 0; i < 4; i++)
      expectProblem(await post('/api/e/sessions', { phone, code: wrong }, ip), 400, 'code_wrong');
    expectProblem(await post('/api/e/sessions', { phone, code: wrong }, ip), 400, 'code_dead');
    expectProblem(await post('/api/e/sessions', { phone, code }, ip), 400, 'code_dead');
    expect(await eventCount('echannel.code_failed')).toBe(4);
    expect(await eventCount('echannel.code_dead')).toBe(1);
    // A new code works.
    expect((await post('/api/e/codes', { phone, purpose: 'ticket' }, ip)).statusCode).toBe(202);
    expect((await post('/api/e/sessions', { phone, code: await codeSentTo(phone) }, ip)).statusCode).toBe(
      201,
    );
    // … once: a used code opens nothing.
    expectProblem(
      await post('/api/e/sessions', { phone, code: await codeSentTo(phone) }, ip),
      400,
      'code_invalid',
    );
  });

  it('counts parallel wrong guesses one by one on the code', async () => {
    const ip = freshIp();
    const phone = '13600000002';
    await post('/api/e/codes', { phone, purpose: 'ticket' }, ip);
    const code = await codeSentTo(phone);
    const guesses = Array.from({ length: 8 }, (_, i) =>
      String((Number(code) + 1 + i) % 1_000_000).padStart(6, '0'),
    );
    const answers = await Promise.all(guesses.map((g) => post('/api/e/sessions', { phone, code: g }, ip)));
    expect(answers.every((a) => a.statusCode === 400 || a.statusCode === 429)).toBe(true);
    const [row] = await rows<{ failed_attempts: number; dead: boolean }>(
      t.database.db,
      sql`select failed_attempts, dead_at is not null as dead from echannel_codes where phone_hash = ${phoneHashOf(phone)}`,
    );
    expect(row).toMatchObject({ failed_attempts: 5, dead: true });
    expectProblem(await post('/api/e/sessions', { phone, code }, ip), 400, 'code_dead');
  });

  it('limits codes per phone and per client address: 429 with Retry-After', async () => {
    const phone = '13600000003';
    for (let i = 0; i < 5; i++)
      expect((await post('/api/e/codes', { phone }, freshIp())).statusCode).toBe(202);
    const sixth = await post('/api/e/codes', { phone }, freshIp());
    expectProblem(sixth, 429, 'rate_limited');
    expect(Number(sixth.headers['retry-after'])).toBeGreaterThan(0);
    const ip = freshIp();
    for (let i = 0; i < 20; i++)
      expect(
        (await post('/api/e/codes', { phone: `1350000${String(i).padStart(4, '0')}` }, ip)).statusCode,
      ).toBe(202);
    const over = await post('/api/e/codes', { phone: '13500009999' }, ip);
    expectProblem(over, 429, 'rate_limited');
    expect(Number(over.headers['retry-after'])).toBeGreaterThan(0);
    // Tries of codes are limited per client too.
    const guesser = freshIp();
    let last: LightMyRequestResponse | null = null;
    for (let i = 0; i < 31; i++)
      last = await post(
        '/api/e/sessions',
        { phone: `1340000${String(i).padStart(4, '0')}`, code: '123456' },
        guesser,
      );
    expectProblem(last!, 429, 'rate_limited');
    expect(last!.headers['retry-after']).toBeTruthy();
  });

  it('refuses bad input with 400 problem+json', async () => {
    expectProblem(await post('/api/e/codes', { phone: '12345' }), 400, 'validation');
    expectProblem(await post('/api/e/sessions', { phone: GOLD, code: 'abc' }), 400, 'validation');
  });
});

describe('the capability of a proven phone', () => {
  let gold: string;
  let diamond: string;
  let goldTicket: string;

  beforeAll(async () => {
    gold = await prove(GOLD);
    diamond = await prove(DIAMOND);
  });

  it('takes a remote ticket for its phone only, with the tier of that phone', async () => {
    const res = await bearer(gold).post(`/api/e/halls/${hall}/tickets`, {
      category: 'business',
      phone: GOLD,
    });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({ channel: 'remote', queue: 'vip', vip: true });
    goldTicket = (res.json() as { id: string }).id;
    // Another customer's VIP phone: refused.
    expectProblem(
      await bearer(diamond).post(`/api/e/halls/${hall}/tickets`, { category: 'business', phone: GOLD }),
      403,
      'not_your_phone',
    );
    // Invented numbers: refused too.
    expectProblem(
      await bearer(diamond).post(`/api/e/halls/${hall}/tickets`, {
        category: 'business',
        phone: '13911112222',
      }),
      403,
      'not_your_phone',
    );
    // Still one open remote ticket per phone and hall.
    expectProblem(
      await bearer(gold).post(`/api/e/halls/${hall}/tickets`, { category: 'payment', phone: GOLD }),
      409,
      'remote_limit',
    );
    // Not at a unit that is no hall.
    const province = await unitIdByCode(t, admin, 'YC');
    expectProblem(
      await bearer(gold).post(`/api/e/halls/${province}/tickets`, { category: 'business', phone: GOLD }),
      409,
      'not_a_hall',
    );
  });

  it('follows and lists what it holds; another phone gets 404', async () => {
    const own = await bearer(gold).get(`/api/e/tickets/${goldTicket}`);
    expect(own.statusCode, own.body).toBe(200);
    expect(own.json()).toMatchObject({ id: goldTicket, status: 'waiting' });
    const mine = await bearer(gold).get('/api/e/mine');
    expect((mine.json() as { tickets: { id: string }[] }).tickets.map((x) => x.id)).toEqual([goldTicket]);
    expect(((await bearer(diamond).get('/api/e/mine')).json() as { tickets: unknown[] }).tickets).toEqual([]);
    expectProblem(await bearer(diamond).get(`/api/e/tickets/${goldTicket}`), 404, 'not_found');
    const stream = await bearer(diamond).get(`/api/e/tickets/${goldTicket}/stream`);
    expectProblem(stream, 404, 'not_found');
    // A new code for the same phone finds the same tickets.
    const again = await prove(GOLD);
    expect(
      ((await bearer(again).get('/api/e/mine')).json() as { tickets: { id: string }[] }).tickets,
    ).toHaveLength(1);
  });

  it('is refused by every other route: hall tickets, the phone lookup, the event stream, the console', async () => {
    for (const url of [
      `/api/halls/${hall}/tickets`,
      `/api/customers/lookup?phone=${DIAMOND}`,
      '/api/stream',
      `/api/halls/${hall}/stream`,
      `/api/tickets/${goldTicket}`,
      `/api/tickets/${goldTicket}/stream`,
      `/api/halls/${hall}/appointments`,
      `/api/halls/${hall}/kiosk`,
      '/api/auth/me',
      '/api/notify/outbox',
      '/api/customers',
    ]) {
      expectProblem(await bearer(gold).get(url), 403, 'phone_capability');
    }
    for (const url of [
      `/api/halls/${hall}/tickets`,
      `/api/tickets/${goldTicket}/cancel`,
      '/api/auth/logout',
      `/api/halls/${hall}/check-in`,
    ]) {
      const res = await bearer(gold).post(url, { category: 'business', phone: GOLD });
      expect([400, 403], res.body).toContain(res.statusCode);
      if (res.statusCode === 403) expect(res.json().code).toBe('phone_capability');
    }
    // A staff session is not a phone's capability either.
    expectProblem(await t.as(manager, { method: 'GET', url: '/api/e/mine' }), 403, 'phone_only');
    expectProblem(await t.app.inject({ method: 'GET', url: '/api/e/mine' }), 401, 'unauthenticated');
  });

  it('cancels its own ticket, never another phone’s', async () => {
    expectProblem(await bearer(diamond).post(`/api/e/tickets/${goldTicket}/cancel`), 404, 'not_found');
    const res = await bearer(gold).post(`/api/e/tickets/${goldTicket}/cancel`);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ status: 'cancelled' });
    const [event] = await rows<{ actor_kind: string; actor_name: string }>(
      t.database.db,
      sql`select actor_kind, actor_name from events where action = 'ticket.cancelled' and subject_id = ${goldTicket}`,
    );
    expect(event).toMatchObject({
      actor_kind: 'phone',
      actor_name: `${GOLD.slice(0, 3)}****${GOLD.slice(-4)}`,
    });
  });

  it('books an appointment for its phone, which another phone can neither see nor cancel', async () => {
    const slots = await t.app.inject({
      method: 'GET',
      url: `/api/e/halls/${hall}/appointment-slots?date=2026-03-03`,
    });
    expect(slots.statusCode, slots.body).toBe(200);
    const slot = (slots.json() as { slots: { start: string; free: number }[] }).slots.find(
      (s) => s.free > 0,
    )!;
    expectProblem(
      await bearer(gold).post(`/api/e/halls/${hall}/appointments`, {
        category: 'business',
        phone: DIAMOND,
        slotStart: slot.start,
      }),
      403,
      'not_your_phone',
    );
    const res = await bearer(gold).post(`/api/e/halls/${hall}/appointments`, {
      category: 'business',
      phone: GOLD,
      slotStart: slot.start,
    });
    expect(res.statusCode, res.body).toBe(201);
    const id = (res.json() as { id: string }).id;
    expect(
      ((await bearer(gold).get('/api/e/mine')).json() as { appointments: { id: string }[] }).appointments.map(
        (a) => a.id,
      ),
    ).toEqual([id]);
    expect(
      ((await bearer(diamond).get('/api/e/mine')).json() as { appointments: unknown[] }).appointments,
    ).toEqual([]);
    expectProblem(await bearer(diamond).post(`/api/e/appointments/${id}/cancel`), 404, 'not_found');
    expectProblem(await bearer(gold).post(`/api/appointments/${id}/cancel`), 403, 'phone_capability');
    const cancelled = await bearer(gold).post(`/api/e/appointments/${id}/cancel`);
    expect(cancelled.statusCode, cancelled.body).toBe(200);
    expect(cancelled.json()).toMatchObject({ status: 'cancelled' });
  });

  it('expires after echannel.sessionMinutes and ends at logout', async () => {
    const token = await prove(DIAMOND);
    expect((await bearer(token).get('/api/e/mine')).statusCode).toBe(200);
    const out = await t.app.inject({
      method: 'DELETE',
      url: '/api/e/session',
      headers: { authorization: `Bearer ${token}` },
    });
    expect(out.statusCode, out.body).toBe(204);
    expect((await bearer(token).get('/api/e/mine')).statusCode).toBe(401);
    const later = await prove(DIAMOND);
    t.clock.advanceMinutes(31);
    expect((await bearer(later).get('/api/e/mine')).statusCode).toBe(401);
    t.clock.advanceMinutes(-31);
  });

  it('no longer lets a province device token take remote tickets or book for any phone', async () => {
    const province = await unitIdByCode(t, admin, 'YC');
    const created = await t.as(admin, {
      method: 'POST',
      url: '/api/tokens',
      payload: { kind: 'device', unitId: province, label: '网上营业厅', positions: ['device_kiosk'] },
    });
    expect(created.statusCode, created.body).toBe(201);
    const old = bearer((created.json() as { token: string }).token);
    expectProblem(
      await old.post(`/api/halls/${hall}/tickets`, { category: 'business', phone: DIAMOND }),
      403,
      'remote_needs_phone_code',
    );
    expectProblem(
      await old.post(`/api/halls/${hall}/appointments`, {
        category: 'business',
        phone: DIAMOND,
        slotStart: '2026-03-03T02:00:00.000Z',
      }),
      403,
      'position',
    );
    expectProblem(await old.get(`/api/halls/${hall}/appointments`), 403, 'position');
  });
});

describe('the notification gateway', () => {
  async function queue(n: number, to = '13800000000'): Promise<string[]> {
    const root = (await rootUnit(t.database.db))!;
    const ctx = systemContext(t.database.db, t.clock, root, 'test');
    const ids: string[] = [];
    for (let i = 0; i < n; i++) {
      ids.push(
        await command(ctx, (tx) =>
          send(tx, ctx, {
            channel: 'sms',
            to,
            template: 'echannel.code',
            params: { code: '123456', minutes: 5 },
            unit: root,
          }),
        ),
      );
    }
    return ids;
  }

  it('retries through the webhook driver after a failure, signed, and records both attempts', async () => {
    while ((await deliverDue(t.database.db, t.clock)).delivered > 0); // nothing else due
    const received: { body: string; signature: string; timestamp: string }[] = [];
    const server = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        received.push({
          body,
          signature: String(req.headers['x-fuwu-signature']),
          timestamp: String(req.headers['x-fuwu-timestamp']),
        });
        res.statusCode = received.length === 1 ? 503 : 200;
        res.end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/sms`;
    try {
      const [id] = await queue(1, '13811112222');
      const driver = webhookDriver(url, 'shared-secret');
      expect(await deliverDue(t.database.db, t.clock, { driver })).toEqual({
        delivered: 0,
        failed: 0,
        retried: 1,
      });
      // Not due again before its backoff.
      expect(await deliverDue(t.database.db, t.clock, { driver })).toEqual({
        delivered: 0,
        failed: 0,
        retried: 0,
      });
      t.clock.advanceMinutes(1);
      expect(await deliverDue(t.database.db, t.clock, { driver })).toEqual({
        delivered: 1,
        failed: 0,
        retried: 0,
      });
      expect(received).toHaveLength(2);
      const payload = JSON.parse(received[1]!.body) as { to: string; text: string; attempt: number };
      expect(payload).toMatchObject({ to: '13811112222', attempt: 2 });
      const expected = createHmac('sha256', 'shared-secret')
        .update(`${received[1]!.timestamp}.${received[1]!.body}`)
        .digest('hex');
      expect(received[1]!.signature).toBe(`sha256=${expected}`);
      const attempts = await t.database.db
        .select()
        .from(notifyAttempts)
        .where(eq(notifyAttempts.messageId, id!))
        .orderBy(notifyAttempts.attempt);
      expect(attempts.map((a) => [a.attempt, a.status, a.driver])).toEqual([
        [1, 'error', 'webhook'],
        [2, 'delivered', 'webhook'],
      ]);
      expect(attempts[0]!.error).toContain('503');
      expect(attempts[0]!.nextAttemptAt).not.toBeNull();
      const [m] = await t.database.db.select().from(notifyMessages).where(eq(notifyMessages.id, id!));
      expect(m).toMatchObject({ status: 'delivered', attempts: 2 });
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('gives up after notify.maxAttempts tries', async () => {
    const [id] = await queue(1, '13822223333');
    const failing: NotifyDriver = {
      name: 'down',
      deliver: async () => Promise.reject(new Error('gateway down')),
    };
    for (let i = 0; i < 5; i++) {
      await deliverDue(t.database.db, t.clock, { driver: failing });
      t.clock.advanceMinutes(61);
    }
    const [m] = await t.database.db.select().from(notifyMessages).where(eq(notifyMessages.id, id!));
    expect(m).toMatchObject({ status: 'failed', attempts: 5, lastError: 'gateway down' });
    expect(await deliverDue(t.database.db, t.clock, { driver: failing })).toEqual({
      delivered: 0,
      failed: 0,
      retried: 0,
    });
    expect(await eventCount('notify.failed')).toBe(1);
  });

  it('delivers each message exactly once with two workers claiming at once', async () => {
    const ids = await queue(30, '13833334444');
    const sent: string[] = [];
    const slow: NotifyDriver = {
      name: 'count',
      deliver: async (m) => {
        sent.push(m.id);
        await new Promise((r) => setTimeout(r, 2));
      },
    };
    const results = await Promise.all([
      deliverDue(t.database.db, t.clock, { driver: slow, limit: 50 }),
      deliverDue(t.database.db, t.clock, { driver: slow, limit: 50 }),
      deliverDue(t.database.db, t.clock, { driver: slow, limit: 50 }),
    ]);
    expect(results.reduce((n, r) => n + r.delivered, 0)).toBe(30);
    expect(sent.filter((s) => ids.includes(s)).sort()).toEqual([...ids].sort());
    const [counts] = await rows<{ n: number }>(
      t.database.db,
      sql`select count(*)::int as n from notify_attempts where message_id = any(${sql.raw(`array[${ids.map((i) => `'${i}'::uuid`).join(',')}]`)})`,
    );
    expect(counts!.n).toBe(30);
  });
});
