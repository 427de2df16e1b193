/**
 * Issue #12, the hall's devices through HTTP: the slip's follow link (a QR code that follows and cancels
 * that one ticket until the end of its day, and nothing else) and the calling display's Mandarin
 * announcement as audio (a WAV rendered once per number × counter, for the display of its own hall only).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import { sql } from 'drizzle-orm';
import { rows } from '../../src/platform/db/index.ts';
import { renderCount } from '../../src/modules/queue/speech.ts';
import type { TestApp } from '../support/app.ts';
import { provePhone, testApp, unitIdByCode } from '../support/app.ts';

let t: TestApp;
let manager: string;
let guide: string;
let clerk: string;
let hall: string;
let other: string;
let kiosk: string;
let display: string;
let otherDisplay: string;
const counters: Record<number, string> = {};

interface TicketReply {
  id: string;
  number: string;
  status: string;
  channel: string;
  follow?: { token: string; expiresAt: string };
}

const bearer = (token: string, options: InjectOptions) =>
  t.app.inject({ ...options, headers: { ...(options.headers ?? {}), authorization: `Bearer ${token}` } });
const follow = (id: string, token: string | null, suffix = '', method: 'GET' | 'POST' = 'GET') =>
  t.app.inject({
    method,
    url: `/api/e/follow/${id}${suffix}`,
    headers: token === null ? {} : { 'x-follow-token': token },
    ...(method === 'POST' ? { payload: {} } : {}),
  });

function expectProblem(res: LightMyRequestResponse, status: number, code?: string) {
  expect(res.statusCode, res.body).toBe(status);
  expect(res.headers['content-type']).toContain('application/problem+json');
  const body = res.json() as { code: string; messages: Record<string, string> };
  if (code) expect(body.code, res.body).toBe(code);
  expect(body.messages['zh-CN']).toBeTruthy();
  expect(body.messages['en-US']).toBeTruthy();
}

async function tokenOf(unitId: string, positions: string[], cookie = manager): Promise<string> {
  const res = await t.as(cookie, {
    method: 'POST',
    url: '/api/tokens',
    payload: { kind: 'device', unitId, label: positions.join('+'), positions },
  });
  expect(res.statusCode, res.body).toBe(201);
  return (res.json() as { token: string }).token;
}

async function kioskTake(category = 'business', phone?: string): Promise<TicketReply> {
  const res = await bearer(kiosk, {
    method: 'POST',
    url: `/api/halls/${hall}/tickets`,
    payload: { category, ...(phone ? { phone } : {}) },
  });
  expect(res.statusCode, res.body).toBe(201);
  return res.json() as TicketReply;
}

beforeAll(async () => {
  t = await testApp({ customers: 10 });
  const admin = await t.login('admin');
  manager = await t.login('qy_manager');
  guide = await t.login('qy_guide');
  clerk = await t.login('qy_clerk');
  hall = await unitIdByCode(t, admin, 'YC-QY-H01');
  other = await unitIdByCode(t, admin, 'YC-XK-H01');
  kiosk = await tokenOf(hall, ['device_kiosk']);
  display = await tokenOf(hall, ['device_display']);
  otherDisplay = await tokenOf(other, ['device_display'], admin);
  const config = await t.as(clerk, { method: 'GET', url: `/api/halls/${hall}/queue-config` });
  for (const c of (config.json() as { counters: { id: string; number: number }[] }).counters)
    counters[c.number] = c.id;
});
afterAll(() => t.close());

describe('the slip’s follow link', () => {
  it('comes once with a take at the hall (kiosk, floor guide), until the end of the local day; never with a remote take', async () => {
    const a = await kioskTake();
    expect(a.follow?.token).toMatch(/^[\w-]{43}$/);
    // TEST_START is 10:00 on 2026-03-02 in Asia/Shanghai: the link lasts until 24:00 there.
    expect(a.follow?.expiresAt).toBe('2026-03-02T16:00:00.000Z');
    const byGuide = await t.as(guide, {
      method: 'POST',
      url: `/api/halls/${hall}/tickets`,
      payload: { category: 'business' },
    });
    expect(byGuide.statusCode, byGuide.body).toBe(201);
    expect((byGuide.json() as TicketReply).follow?.token).toBeTruthy();

    // Shown once: reading the ticket again (any way) does not give it.
    const again = await follow(a.id, a.follow!.token);
    expect(again.statusCode, again.body).toBe(200);
    expect(again.json()).toMatchObject({ id: a.id, number: a.number, status: 'waiting' });
    expect(again.json()).not.toHaveProperty('follow');
    const byKiosk = await bearer(kiosk, { method: 'GET', url: `/api/tickets/${a.id}` });
    expect(byKiosk.json()).not.toHaveProperty('follow');

    const phone = '18600001003';
    const session = await provePhone(t, phone, { hallId: hall });
    const remote = await bearer(session, {
      method: 'POST',
      url: `/api/e/halls/${hall}/tickets`,
      payload: { category: 'business', phone },
    });
    expect(remote.statusCode, remote.body).toBe(201);
    expect(remote.json()).not.toHaveProperty('follow');
  });

  it('is kept only as a hash, and is not in the take’s event', async () => {
    const a = await kioskTake();
    const [row] = await rows<{ hash: string | null }>(
      t.database.db,
      sql`select follow_token_hash as hash from queue_tickets where id = ${a.id}`,
    );
    expect(row!.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(row!.hash).not.toContain(a.follow!.token);
    const events = await rows<{ text: string }>(
      t.database.db,
      sql`select coalesce(after::text, '') as text from events where subject_id = ${a.id}`,
    );
    expect(events.length).toBeGreaterThan(0);
    for (const e of events) expect(e.text).not.toContain(a.follow!.token);
  });

  it('opens that ticket only: another ticket, a wrong or missing token, a remote ticket, an unknown id answer alike', async () => {
    const a = await kioskTake();
    const b = await kioskTake('payment');
    const tokenA = a.follow!.token;
    const refused = [
      await follow(b.id, tokenA),
      await follow(
        a.id,
        b.follow!.token.replace(/^./, (c) => (c === 'A' ? 'B' : 'A')),
      ),
      await follow(a.id, 'x'.repeat(43)),
      await follow('00000000-0000-4000-8000-000000000000', tokenA),
    ];
    for (const res of refused) expectProblem(res, 404, 'not_found');
    // Every refusal says the same (nothing tells a wrong token from another's ticket).
    const said = (r: LightMyRequestResponse) => {
      const body = r.json() as { code: string; messages: Record<string, string> };
      return JSON.stringify([body.code, body.messages]);
    };
    expect(new Set(refused.map(said)).size).toBe(1);
    expectProblem(await follow(a.id, null), 400);
    // A remote ticket has no link: no token opens it.
    const phone = '18600001004';
    const session = await provePhone(t, phone, { hallId: hall });
    const remote = await bearer(session, {
      method: 'POST',
      url: `/api/e/halls/${hall}/tickets`,
      payload: { category: 'business', phone },
    });
    expectProblem(await follow((remote.json() as TicketReply).id, tokenA), 404, 'not_found');
  });

  it('is no credential: as a bearer token it opens nothing else', async () => {
    const a = await kioskTake();
    const token = a.follow!.token;
    for (const url of [
      `/api/tickets/${a.id}`,
      `/api/halls/${hall}/queue`,
      `/api/halls/${hall}/kiosk`,
      `/api/e/tickets/${a.id}`,
      '/api/auth/me',
    ]) {
      const res = await bearer(token, { method: 'GET', url });
      expect([401, 403], `${url}: ${res.body}`).toContain(res.statusCode);
    }
    expect((await bearer(token, { method: 'POST', url: `/api/tickets/${a.id}/cancel` })).statusCode).toBe(
      401,
    );
    expect((await follow(a.id, token)).json()).toMatchObject({ status: 'waiting' });
  });

  it('cancels its own waiting ticket (an event of the slip), never another', async () => {
    const a = await kioskTake();
    const b = await kioskTake();
    expectProblem(await follow(b.id, a.follow!.token, '/cancel', 'POST'), 404, 'not_found');
    expect((await follow(b.id, b.follow!.token)).json()).toMatchObject({ status: 'waiting' });
    const cancelled = await follow(a.id, a.follow!.token, '/cancel', 'POST');
    expect(cancelled.statusCode, cancelled.body).toBe(200);
    expect(cancelled.json()).toMatchObject({ id: a.id, status: 'cancelled' });
    const [event] = await rows<{ actor: string; kind: string }>(
      t.database.db,
      sql`select actor_name as actor, actor_kind as kind from events
          where subject_id = ${a.id} and action = 'ticket.cancelled'`,
    );
    expect(event).toEqual({ actor: `slip ${a.number}`, kind: 'system' });
    expectProblem(await follow(a.id, a.follow!.token, '/cancel', 'POST'), 409);
    // Still followed after the cancel: the page shows it cancelled.
    expect((await follow(a.id, a.follow!.token)).json()).toMatchObject({ status: 'cancelled' });
  });

  it('streams the ticket it opens, and no other', async () => {
    const a = await kioskTake();
    const b = await kioskTake();
    const address = await t.app.listen({ port: 0, host: '127.0.0.1' });
    const status = async (id: string, token: string) => {
      const controller = new AbortController();
      try {
        const res = await fetch(`${address}/api/e/follow/${id}/stream`, {
          headers: { 'x-follow-token': token },
          signal: controller.signal,
        });
        return { status: res.status, type: res.headers.get('content-type') ?? '' };
      } finally {
        controller.abort();
      }
    };
    expect(await status(a.id, a.follow!.token)).toMatchObject({
      status: 200,
      type: expect.stringContaining('text/event-stream'),
    });
    expect((await status(b.id, a.follow!.token)).status).toBe(404);
  });
});

describe('the display’s Mandarin announcement as audio', () => {
  let called: { number: string; counter: number };

  beforeAll(async () => {
    const opened = await t.as(clerk, {
      method: 'POST',
      url: `/api/counters/${counters[1]}/open`,
      payload: {},
    });
    expect(opened.statusCode, opened.body).toBe(200);
    const call = await t.as(clerk, {
      method: 'POST',
      url: `/api/counters/${counters[1]}/call-next`,
      payload: {},
    });
    expect(call.statusCode, call.body).toBe(200);
    called = { number: (call.json() as { number: string }).number, counter: 1 };
  });

  const announcement = (token: string, hallId: string, q: { number: string; counter: number | string }) =>
    bearer(token, {
      method: 'GET',
      url: `/api/halls/${hallId}/display/announcement?number=${q.number}&counter=${q.counter}`,
    });

  it('answers the display of the hall a WAV of a call it shows, rendered once per number and counter', async () => {
    const before = renderCount();
    const res = await announcement(display, hall, called);
    expect(res.statusCode, res.body.slice(0, 200)).toBe(200);
    expect(res.headers['content-type']).toBe('audio/wav');
    const wav = res.rawPayload;
    expect(wav.subarray(0, 4).toString('latin1')).toBe('RIFF');
    expect(wav.subarray(8, 12).toString('latin1')).toBe('WAVE');
    expect(wav.readUInt32LE(4)).toBe(wav.length - 8);
    // A second or more of 16-bit mono speech (eSpeak NG writes 22 050 Hz).
    expect(wav.length).toBeGreaterThan(44_100);
    expect(renderCount()).toBe(before + 1);
    const again = await announcement(display, hall, called);
    expect(again.rawPayload.equals(wav)).toBe(true);
    expect(renderCount()).toBe(before + 1);
  }, 30_000);

  it('refuses the kiosk, another hall’s display, a display asking for another hall, nobody', async () => {
    expectProblem(await announcement(kiosk, hall, called), 403);
    expectProblem(await announcement(otherDisplay, hall, called), 403);
    expectProblem(await announcement(display, other, called), 403);
    const anonymous = await t.app.inject({
      method: 'GET',
      url: `/api/halls/${hall}/display/announcement?number=${called.number}&counter=1`,
    });
    expectProblem(anonymous, 401);
  });

  it('speaks only calls the display shows: another number or counter is 404, a malformed one 400', async () => {
    const before = renderCount();
    expectProblem(await announcement(display, hall, { number: 'Z999', counter: 1 }), 404);
    expectProblem(await announcement(display, hall, { number: called.number, counter: 7 }), 404);
    expectProblem(await announcement(display, hall, { number: '请到', counter: 1 }), 400);
    expectProblem(await announcement(display, hall, { number: called.number, counter: 'x' }), 400);
    expect(renderCount()).toBe(before);
  });
});

describe('the follow link at the end of the day', () => {
  it('stops at the hall’s midnight', async () => {
    const a = await kioskTake();
    expect((await follow(a.id, a.follow!.token)).statusCode).toBe(200);
    t.clock.set('2026-03-02T16:00:00.000Z');
    expectProblem(await follow(a.id, a.follow!.token), 404, 'not_found');
    expectProblem(await follow(a.id, a.follow!.token, '/cancel', 'POST'), 404, 'not_found');
  });
});
