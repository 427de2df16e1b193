/**
 * Kiosks, calling displays and rating pads do only their device's job (issues #10, #12): their tokens expire by default, stop
 * when their hall (or a unit above it) is deactivated, never follow the general event stream, reach only
 * their own hall and only what their page calls, cannot log themselves out, and the kiosk limits the
 * waiting tickets of one phone number. On the embedded database, or on DATABASE_URL with two instances.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import { createApp } from '../../src/app.ts';
import type { Database } from '../../src/platform/db/index.ts';
import { openDatabase } from '../../src/platform/db/index.ts';
import type { TestApp } from '../support/app.ts';
import { testApp, unitIdByCode } from '../support/app.ts';

const url = process.env.DATABASE_URL;
let t: TestApp;
let second: { database: Database; app: FastifyInstance } | null = null;
let admin: string;
let manager: string;
let guide: string;
/** 青原人民路营业厅, its sibling 青原合作营业厅 in the same city, its city, 溪口中心营业厅 in another city. */
let hall: string;
let sibling: string;
let city: string;
let other: string;
let province: string;
let kiosk: string;
let display: string;
let echannel: string;

const DAY = 86_400_000;

async function deviceToken(
  cookie: string,
  unitId: string,
  positions: string[],
  extra: Record<string, unknown> = {},
): Promise<LightMyRequestResponse> {
  return t.as(cookie, {
    method: 'POST',
    url: '/api/tokens',
    payload: { kind: 'device', unitId, label: positions.join('+'), positions, ...extra },
  });
}
async function tokenOf(cookie: string, unitId: string, positions: string[]): Promise<string> {
  const res = await deviceToken(cookie, unitId, positions);
  expect(res.statusCode, res.body).toBe(201);
  return (res.json() as { token: string }).token;
}
function bearer(token: string, options: InjectOptions, app = t.app): Promise<LightMyRequestResponse> {
  return app.inject({
    ...options,
    headers: { ...(options.headers ?? {}), authorization: `Bearer ${token}` },
  });
}
const get = (token: string, path: string) => bearer(token, { method: 'GET', url: path });
const post = (token: string, path: string, payload: Record<string, unknown> = {}) =>
  bearer(token, { method: 'POST', url: path, payload });

function expectProblem(res: LightMyRequestResponse, status: number, code?: string) {
  expect(res.statusCode, res.body).toBe(status);
  expect(res.headers['content-type']).toContain('application/problem+json');
  const body = res.json() as { code: string; messages: Record<string, string> };
  if (code) expect(body.code, res.body).toBe(code);
  expect(body.messages['zh-CN']).toBeTruthy();
  expect(body.messages['en-US']).toBeTruthy();
}

/** Opens a server-sent-event stream over a real socket and answers its status (and what came in `ms`). */
async function openStream(path: string, token: string, ms = 0): Promise<{ status: number; text: string }> {
  const address = await listening();
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), 3000);
  try {
    const res = await fetch(`${address}${path}`, {
      headers: { authorization: `Bearer ${token}` },
      signal: controller.signal,
    });
    let text = '';
    if (res.ok && res.body) {
      const reader = res.body.getReader();
      const decoder = new TextDecoder();
      const until = Date.now() + ms;
      // One read at a time: a read left pending by the timeout gets the next chunk, so it is kept.
      let pending: Promise<ReadableStreamReadResult<Uint8Array>> | null = null;
      do {
        pending ??= reader.read();
        const chunk = await Promise.race([pending, new Promise<null>((r) => setTimeout(() => r(null), 50))]);
        if (chunk) {
          pending = null;
          if (chunk.done) break;
          text += decoder.decode(chunk.value, { stream: true });
        }
      } while (Date.now() < until);
    } else {
      text = await res.text();
    }
    return { status: res.status, text };
  } finally {
    clearTimeout(timer);
    controller.abort();
  }
}
let address: string | null = null;
async function listening(): Promise<string> {
  address ??= await t.app.listen({ port: 0, host: '127.0.0.1' });
  return address;
}

beforeAll(async () => {
  t = await testApp({ customers: 10 });
  if (url) {
    // A second app instance on its own connection pool to the same database.
    const database = await openDatabase({ url });
    const app = await createApp({ database, clock: t.clock, webDist: '/nonexistent' });
    await app.ready();
    second = { database, app };
  }
  admin = await t.login('admin');
  manager = await t.login('qy_manager');
  guide = await t.login('qy_guide');
  hall = await unitIdByCode(t, admin, 'YC-QY-H01');
  sibling = await unitIdByCode(t, admin, 'YC-QY-C01');
  city = await unitIdByCode(t, admin, 'YC-QY');
  other = await unitIdByCode(t, admin, 'YC-XK-H01');
  province = await unitIdByCode(t, admin, 'YC');
  kiosk = await tokenOf(manager, hall, ['device_kiosk']);
  display = await tokenOf(manager, hall, ['device_display']);
  echannel = await tokenOf(admin, province, ['device_kiosk']);
});
afterAll(async () => {
  if (second) {
    await second.app.close();
    await second.database.close();
  }
  await t.close();
});

describe('device tokens expire', () => {
  it('by default after the setting auth.deviceTokenDays (365), which is also the longest allowed', async () => {
    const res = await deviceToken(manager, hall, ['device_kiosk']);
    expect(res.statusCode, res.body).toBe(201);
    const { info } = res.json() as { info: { expiresAt: string | null; createdAt: string } };
    expect(info.expiresAt).not.toBeNull();
    expect(Date.parse(info.expiresAt!) - Date.parse(info.createdAt)).toBe(365 * DAY);
    const short = await deviceToken(manager, hall, ['device_display'], { expiresInDays: 30 });
    const s = (short.json() as { info: { expiresAt: string; createdAt: string } }).info;
    expect(Date.parse(s.expiresAt) - Date.parse(s.createdAt)).toBe(30 * DAY);
    expectProblem(
      await deviceToken(manager, hall, ['device_kiosk'], { expiresInDays: 366 }),
      422,
      'token_too_long',
    );
  });

  it('never only where the setting auth.deviceTokenMayNeverExpire allows it', async () => {
    expectProblem(
      await deviceToken(manager, hall, ['device_kiosk'], { neverExpires: true }),
      422,
      'token_must_expire',
    );
    const set = await t.as(admin, {
      method: 'PUT',
      url: '/api/settings/auth.deviceTokenMayNeverExpire',
      payload: { unitId: sibling, value: true, reason: '合作厅自有设备' },
    });
    expect(set.statusCode, set.body).toBe(200);
    const coopManager = await t.login('coop_manager');
    const res = await deviceToken(coopManager, sibling, ['device_display'], { neverExpires: true });
    expect(res.statusCode, res.body).toBe(201);
    expect((res.json() as { info: { expiresAt: string | null } }).info.expiresAt).toBeNull();
    // The setting is the sibling's: the hall still may not.
    expectProblem(
      await deviceToken(manager, hall, ['device_kiosk'], { neverExpires: true }),
      422,
      'token_must_expire',
    );
  });

  it('an expired device token is refused with 401', async () => {
    const res = await deviceToken(manager, hall, ['device_kiosk'], { expiresInDays: 1 });
    const token = (res.json() as { token: string }).token;
    expect((await get(token, `/api/halls/${hall}/kiosk`)).statusCode).toBe(200);
    const now = t.clock.now();
    t.clock.set(new Date(now.getTime() + DAY + 1000));
    try {
      expectProblem(await get(token, `/api/halls/${hall}/kiosk`), 401, 'unauthenticated');
    } finally {
      t.clock.set(now);
    }
  });
});

describe('a device of a deactivated hall', () => {
  const setActive = async (unitId: string, active: boolean) => {
    const res = await t.as(admin, { method: 'PATCH', url: `/api/units/${unitId}`, payload: { active } });
    expect(res.statusCode, res.body).toBe(200);
  };

  it('is refused as soon as its hall, or its city, is deactivated, and works again once reactivated', async () => {
    const coopManager = await t.login('coop_manager');
    const token = await tokenOf(coopManager, sibling, ['device_kiosk']);
    expect((await get(token, `/api/halls/${sibling}/kiosk`)).statusCode).toBe(200); // cached now
    await setActive(sibling, false);
    try {
      expectProblem(await get(token, `/api/halls/${sibling}/kiosk`), 401, 'unauthenticated');
      expectProblem(await post(token, `/api/halls/${sibling}/tickets`, { category: 'business' }), 401);
    } finally {
      await setActive(sibling, true);
    }
    expect((await get(token, `/api/halls/${sibling}/kiosk`)).statusCode).toBe(200);

    await setActive(city, false);
    try {
      expectProblem(await get(token, `/api/halls/${sibling}/kiosk`), 401, 'unauthenticated');
      expectProblem(await get(display, `/api/halls/${hall}/display`), 401, 'unauthenticated');
    } finally {
      await setActive(city, true);
    }
    expect((await get(display, `/api/halls/${hall}/display`)).statusCode).toBe(200);
  });
});

describe('the event streams', () => {
  it('refuses the general event stream to a display, a kiosk and the e-channel, not to staff', async () => {
    for (const token of [display, kiosk, echannel]) {
      const res = await openStream('/api/stream', token);
      expect(res.status, res.text).toBe(403);
      expect(JSON.parse(res.text)).toMatchObject({ code: 'device_stream' });
    }
    const res = await fetch(`${await listening()}/api/stream`, {
      headers: { cookie: manager },
      signal: AbortSignal.timeout(1000),
    }).catch(() => null);
    expect(res?.status).toBe(200);
    await res?.body?.cancel().catch(() => undefined);
  });

  it('gives a display and a kiosk their own hall’s feed only, not another hall’s', async () => {
    for (const token of [display, kiosk]) {
      for (const h of [sibling, other]) {
        const res = await openStream(`/api/halls/${h}/stream`, token);
        expect(res.status, res.text).toBe(403);
      }
    }
    // The e-channel's server follows no hall's feed (its phones follow their own ticket).
    expect((await openStream(`/api/halls/${hall}/stream`, echannel)).status).toBe(403);
  });

  it('sends a display only the notices it refetches on, and not whose ticket', async () => {
    const feed = openStream(`/api/halls/${hall}/stream`, display, 1200);
    await new Promise((r) => setTimeout(r, 300));
    const taken = await t.as(guide, {
      method: 'POST',
      url: `/api/halls/${hall}/tickets`,
      payload: { category: 'payment' },
    });
    expect(taken.statusCode, taken.body).toBe(201);
    const { status, text } = await feed;
    expect(status).toBe(200);
    expect(text).toContain('event: ticket.taken');
    expect(text).not.toContain((taken.json() as { id: string }).id);
  });
});

describe('what each device reaches', () => {
  it('a display shows its hall’s calls and does nothing else', async () => {
    expect((await get(display, `/api/halls/${hall}/display`)).statusCode).toBe(200);
    expectProblem(await get(display, `/api/halls/${sibling}/display`), 403, 'scope');
    expectProblem(await get(display, `/api/halls/${hall}/kiosk`), 403, 'position');
    expectProblem(
      await post(display, `/api/halls/${hall}/tickets`, { category: 'business' }),
      403,
      'position',
    );
    expectProblem(await get(display, `/api/halls/${hall}/tickets`), 403, 'position');
    expectProblem(
      await post(display, `/api/halls/${hall}/check-in`, { phone: '18600001000' }),
      403,
      'position',
    );
  });

  it('a hall’s kiosk takes and checks in at its own hall only', async () => {
    const taken = await post(kiosk, `/api/halls/${hall}/tickets`, { category: 'business' });
    expect(taken.statusCode, taken.body).toBe(201);
    expect(taken.json()).toMatchObject({ channel: 'kiosk' });
    for (const h of [sibling, other]) {
      expectProblem(
        await post(kiosk, `/api/halls/${h}/tickets`, { category: 'business' }),
        403,
        'remote_needs_phone_code',
      );
      expectProblem(
        await post(kiosk, `/api/halls/${h}/tickets`, { category: 'business', phone: '18600001000' }),
        403,
        'remote_needs_phone_code',
      );
      expectProblem(await post(kiosk, `/api/halls/${h}/check-in`, { phone: '18600001000' }), 403, 'scope');
      expectProblem(await get(kiosk, `/api/halls/${h}/kiosk`), 403, 'scope');
    }
    expect((await get(kiosk, `/api/halls/${hall}/kiosk`)).statusCode).toBe(200);
  });

  it('a hall’s kiosk lists no tickets or appointments, books and cancels nothing, looks up no phone', async () => {
    const taken = (await post(kiosk, `/api/halls/${hall}/tickets`, { category: 'payment' })).json() as {
      id: string;
    };
    expectProblem(await get(kiosk, `/api/halls/${hall}/tickets`), 403, 'position');
    expectProblem(await get(kiosk, `/api/halls/${hall}/queue`), 403, 'position');
    expectProblem(await get(kiosk, `/api/halls/${hall}/display`), 403, 'position');
    expectProblem(await get(kiosk, `/api/halls/${hall}/appointments`), 403, 'position');
    expectProblem(await get(kiosk, `/api/halls/${hall}/appointment-slots?date=2026-03-03`), 403, 'position');
    expectProblem(
      await post(kiosk, `/api/halls/${hall}/appointments`, {
        category: 'business',
        phone: '18600001000',
        slotStart: '2026-03-03T02:00:00.000Z',
      }),
      403,
    );
    expectProblem(await post(kiosk, `/api/tickets/${taken.id}/cancel`), 403, 'position');
    expectProblem(await get(kiosk, '/api/customers/lookup?phone=18600001000'), 403, 'position');
  });

  it('a rating pad rates only its own counter’s last finished ticket, and does nothing else', async () => {
    const config = (
      await t.as(manager, { method: 'GET', url: `/api/halls/${hall}/queue-config` })
    ).json() as {
      counters: { id: string; number: number }[];
    };
    const [one, two] = config.counters;
    const siblingCounter = (
      (await t.as(admin, { method: 'GET', url: `/api/halls/${sibling}/queue-config` })).json() as {
        counters: { id: string }[];
      }
    ).counters[0]!;
    // Bound to one counter of its own hall, and nothing but a pad.
    expectProblem(await deviceToken(manager, hall, ['device_rating_pad']), 422, 'pad_counter');
    expectProblem(
      await deviceToken(manager, hall, ['device_rating_pad'], { counterId: siblingCounter.id }),
      422,
      'pad_counter',
    );
    expectProblem(
      await deviceToken(manager, hall, ['device_rating_pad', 'device_display'], { counterId: one!.id }),
      422,
      'pad_alone',
    );
    const made = await deviceToken(manager, hall, ['device_rating_pad'], { counterId: one!.id });
    expect(made.statusCode, made.body).toBe(201);
    const pad = (made.json() as { token: string }).token;

    // A ticket served at counter 2 and one at counter 1, by the hall manager serving at both.
    const serveAt = async (counterId: string) => {
      expect(
        (await t.as(manager, { method: 'POST', url: `/api/counters/${counterId}/open` })).statusCode,
      ).toBe(200);
      const taken = await t.as(guide, {
        method: 'POST',
        url: `/api/halls/${hall}/tickets`,
        payload: { category: 'business' },
      });
      const ticket = taken.json() as { id: string; number: string };
      const called = await t.as(manager, {
        method: 'POST',
        url: `/api/counters/${counterId}/call-number`,
        payload: { number: ticket.number, reason: 'manager' },
      });
      expect(called.statusCode, called.body).toBe(200);
      const done = await t.as(manager, {
        method: 'POST',
        url: `/api/tickets/${ticket.id}/finish`,
        payload: { outcome: 'served', business: [] },
      });
      expect(done.statusCode, done.body).toBe(200);
      expect(
        (await t.as(manager, { method: 'POST', url: `/api/counters/${counterId}/close` })).statusCode,
      ).toBe(200);
      return ticket;
    };
    const atTwo = await serveAt(two!.id);
    const atOne = await serveAt(one!.id);
    const view = await get(pad, '/api/rating-pad');
    expect(view.statusCode, view.body).toBe(200);
    expect(view.json()).toMatchObject({ counter: { number: one!.number }, ticket: { id: atOne.id } });
    expectProblem(await post(pad, '/api/rating-pad/ratings', { ticketId: atTwo.id, score: 5 }), 404);
    expect((await post(pad, '/api/rating-pad/ratings', { ticketId: atOne.id, score: 4 })).statusCode).toBe(
      201,
    );
    expectProblem(
      await post(pad, '/api/rating-pad/ratings', { ticketId: atOne.id, score: 1 }),
      409,
      'already_rated',
    );
    // Nothing else: no views, no tickets, no counters, no other hall's feed, no general stream.
    expectProblem(await get(pad, `/api/halls/${hall}/display`), 403, 'position');
    expectProblem(await get(pad, `/api/halls/${hall}/kiosk`), 403, 'position');
    expectProblem(await get(pad, `/api/halls/${hall}/queue`), 403, 'position');
    expectProblem(await get(pad, `/api/halls/${hall}/tickets`), 403, 'position');
    expectProblem(await get(pad, `/api/tickets/${atOne.id}`), 403);
    expectProblem(await post(pad, `/api/halls/${hall}/tickets`, { category: 'business' }), 403);
    expectProblem(await post(pad, `/api/counters/${one!.id}/call-next`), 403, 'position');
    expectProblem(await post(pad, `/api/counters/${one!.id}/open`), 403, 'position');
    expectProblem(await get(pad, '/api/customers/lookup?phone=18600001000'), 403, 'position');
    expect((await openStream(`/api/halls/${sibling}/stream`, pad)).status).toBe(403);
    expect((await openStream('/api/stream', pad)).status).toBe(403);
    // Nor is a kiosk or a display a rating pad.
    for (const token of [kiosk, display]) expectProblem(await get(token, '/api/rating-pad'), 403, 'position');
  });

  it('a kiosk token above the halls (the old e-channel server) takes, checks in and lists nothing below it', async () => {
    expectProblem(
      await post(echannel, `/api/halls/${hall}/tickets`, { category: 'business', phone: '18600001001' }),
      403,
      'remote_needs_phone_code',
    );
    expectProblem(await get(echannel, `/api/halls/${hall}/kiosk`), 403, 'scope');
    expectProblem(
      await post(echannel, `/api/halls/${hall}/check-in`, { phone: '18600001001' }),
      403,
      'scope',
    );
    expectProblem(await get(echannel, `/api/halls/${hall}/appointments`), 403, 'position');
    expectProblem(await get(echannel, `/api/halls/${hall}/tickets`), 403, 'position');
    expectProblem(await get(echannel, `/api/halls/${hall}/display`), 403, 'position');
  });
});

describe('logging out with a device token', () => {
  it('is refused: a device token is revoked by a manager, and keeps working', async () => {
    for (const token of [kiosk, display, echannel]) {
      expectProblem(await post(token, '/api/auth/logout'), 403, 'device_logout');
      expect((await get(token, '/api/auth/me')).statusCode).toBe(200);
    }
  });
});

describe('the per-phone limit at the kiosk', () => {
  it(`issues one phone at most queue.kioskTicketsPerPhone (2) waiting kiosk tickets when 10 takes arrive at once${url ? ' (two instances on PostgreSQL)' : ''}`, async () => {
    const phone = '13812340000';
    const takes = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        bearer(
          kiosk,
          { method: 'POST', url: `/api/halls/${hall}/tickets`, payload: { category: 'business', phone } },
          second && i % 2 === 1 ? second.app : t.app,
        ),
      ),
    );
    const statuses = takes.map((r) => r.statusCode).sort();
    expect(statuses, takes.map((r) => r.body).join('\n')).toEqual([201, 201, ...Array(8).fill(409)]);
    for (const r of takes.filter((x) => x.statusCode === 409)) expectProblem(r, 409, 'kiosk_limit');
    // Without a phone number nothing is counted; the floor guide may give the same phone another.
    expect((await post(kiosk, `/api/halls/${hall}/tickets`, { category: 'business' })).statusCode).toBe(201);
    const byGuide = await t.as(guide, {
      method: 'POST',
      url: `/api/halls/${hall}/tickets`,
      payload: { category: 'business', phone },
    });
    expect(byGuide.statusCode, byGuide.body).toBe(201);
    expect(byGuide.json()).toMatchObject({ channel: 'guide' });
    // Once one is no longer waiting (cancelled here by the guide), the kiosk issues one again.
    const first = takes.find((r) => r.statusCode === 201)!.json() as { id: string };
    const cancelled = await t.as(guide, { method: 'POST', url: `/api/tickets/${first.id}/cancel` });
    expect(cancelled.statusCode, cancelled.body).toBe(200);
    expect(
      (await post(kiosk, `/api/halls/${hall}/tickets`, { category: 'business', phone })).statusCode,
    ).toBe(201);
    expectProblem(
      await post(kiosk, `/api/halls/${hall}/tickets`, { category: 'business', phone }),
      409,
      'kiosk_limit',
    );
  });
});
