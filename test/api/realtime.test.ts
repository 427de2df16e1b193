/**
 * The realtime stream over real HTTP: a command's event reaches the browsers of its subtree within a second
 * and no one else; with a PostgreSQL server, an event committed through one app instance reaches a stream
 * connected to another.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { createApp } from '../../src/app.ts';
import type { Database } from '../../src/platform/db/index.ts';
import { openDatabase } from '../../src/platform/db/index.ts';
import type { TestApp } from '../support/app.ts';
import { testApp, unitIdByCode } from '../support/app.ts';

interface Notice {
  id: string;
  at: string;
  action: string;
  unitId: string;
  unitPath: string;
  subjectType: string;
  subjectId: string;
}

interface Stream {
  notices: Notice[];
  /** Resolves with the first notice (already received or coming) that matches, or rejects after `ms`. */
  next(match: (n: Notice) => boolean, ms: number): Promise<Notice>;
  /** Resolves when the server has ended the stream. */
  ended: Promise<void>;
  close(): void;
}

/**
 * Connects to GET /api/stream (or `path`) with a session cookie (or `authorization: Bearer …`) and parses
 * the server-sent events as they come.
 */
async function openStream(base: string, cookie: string, path = '/api/stream'): Promise<Stream> {
  const controller = new AbortController();
  const headers: Record<string, string> = cookie.startsWith('Bearer ')
    ? { authorization: cookie }
    : { cookie };
  const res = await fetch(`${base}${path}`, { headers, signal: controller.signal });
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toContain('text/event-stream');
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  const notices: Notice[] = [];
  const listeners = new Set<() => void>();
  let connected!: () => void;
  const ready = new Promise<void>((resolve) => (connected = resolve));
  let buffer = '';
  let serverEnded!: () => void;
  const ended = new Promise<void>((resolve) => (serverEnded = resolve));
  void (async () => {
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return serverEnded();
        buffer += decoder.decode(value, { stream: true });
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const frame = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          if (frame.includes(': connected')) connected();
          const data = frame
            .split('\n')
            .filter((l) => l.startsWith('data: '))
            .map((l) => l.slice(6))
            .join('\n');
          if (!data) continue;
          const event = /^event: (.*)$/m.exec(frame)?.[1];
          const notice = JSON.parse(data) as Notice;
          expect(event).toBe(notice.action);
          notices.push(notice);
          for (const l of listeners) l();
        }
      }
    } catch {
      // aborted
    }
  })();
  await ready;
  return {
    notices,
    next(match, ms) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const found = notices.find(match);
          if (!found) return false;
          clearTimeout(timer);
          listeners.delete(onNotice);
          resolve(found);
          return true;
        };
        const onNotice = () => void check();
        const timer = setTimeout(() => {
          listeners.delete(onNotice);
          reject(new Error(`no matching event within ${ms} ms`));
        }, ms);
        if (!check()) listeners.add(onNotice);
      });
    },
    ended,
    close: () => controller.abort(),
  };
}

/** Resolves true when the promise settles within `ms`, false otherwise. */
const within = (p: Promise<unknown>, ms: number) =>
  Promise.race([p.then(() => true), new Promise<boolean>((r) => setTimeout(() => r(false), ms))]);

let t: TestApp;
let base: string;
let admin: string;
let qyHall: string;
let xkHall: string;
const streams: Stream[] = [];
const track = (s: Stream) => (streams.push(s), s);

beforeAll(async () => {
  t = await testApp({ customers: 0 });
  base = await t.app.listen({ port: 0, host: '127.0.0.1' });
  admin = await t.login('admin');
  qyHall = await unitIdByCode(t, admin, 'YC-QY-H01');
  xkHall = await unitIdByCode(t, admin, 'YC-XK-H01');
});
afterAll(async () => {
  for (const s of streams) s.close();
  await t.close();
});

const patchUnit = async (id: string, address: string) => {
  const res = await t.as(admin, { method: 'PATCH', url: `/api/units/${id}`, payload: { address } });
  expect(res.statusCode, res.body).toBe(200);
};
const isUpdateOf = (id: string) => (n: Notice) => n.action === 'unit.updated' && n.subjectId === id;

describe('one instance', () => {
  it('refuses the stream without a login', async () => {
    const res = await fetch(`${base}/api/stream`);
    expect(res.status).toBe(401);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    await res.text();
  });

  it('delivers a command’s event within 1 s to its subtree, and not to a clerk of another city', async () => {
    const qy = track(await openStream(base, await t.login('qy_clerk')));
    const xk = track(await openStream(base, await t.login('xk_clerk')));
    const province = track(await openStream(base, admin));

    const started = Date.now();
    await patchUnit(qyHall, '云川省青原市人民路102号');
    const got = await qy.next(isUpdateOf(qyHall), 1000);
    expect(Date.now() - started).toBeLessThan(1000);
    expect(Object.keys(got).sort()).toEqual(
      ['action', 'at', 'id', 'subjectId', 'subjectType', 'unitId', 'unitPath'].sort(),
    );
    expect(got).toMatchObject({ unitId: qyHall, subjectType: 'unit' });
    await province.next(isUpdateOf(qyHall), 1000);

    // The other city's clerk gets the events of its own hall (the stream works) but never the other one.
    await patchUnit(xkHall, '云川省溪口市中山路22号');
    await xk.next(isUpdateOf(xkHall), 1000);
    await province.next(isUpdateOf(xkHall), 1000);
    expect(xk.notices.some(isUpdateOf(qyHall))).toBe(false);
    expect(qy.notices.some(isUpdateOf(xkHall))).toBe(false);
    expect(xk.notices.every((n) => n.unitPath.startsWith(xk.notices[0]!.unitPath))).toBe(true);
  });

  it('stops delivering to a stream that was closed', async () => {
    const s = await openStream(base, await t.login('qy_manager'));
    const before = t.app.realtime.size;
    s.close();
    for (let i = 0; i < 50 && t.app.realtime.size >= before; i++) await new Promise((r) => setTimeout(r, 20));
    expect(t.app.realtime.size).toBe(before - 1);
  });
});

describe('the work orders’ stream', () => {
  it('tells the centre that will handle a hall’s complaint and the hall it is from, not the other city', async () => {
    const reception = await t.login('qy_complaint');
    const centre = track(await openStream(base, await t.login('cc_complaints'), '/api/work-orders/stream'));
    const hall = track(await openStream(base, await t.login('qy_manager'), '/api/work-orders/stream'));
    const xk = track(await openStream(base, await t.login('xk_manager'), '/api/work-orders/stream'));
    const cc = await unitIdByCode(t, admin, 'YC-CC');
    const categories = await t.as(reception, { method: 'GET', url: '/api/work-order-categories' });
    const category = (categories.json() as { id: string; code: string }[]).find(
      (c) => c.code === 'service.attitude',
    )!;
    const created = await t.as(reception, {
      method: 'POST',
      url: '/api/work-orders',
      payload: {
        kind: 'complaint',
        channel: 'counter',
        contactPhone: '13900001111',
        categoryId: category.id,
        concernsUnitId: qyHall,
        handlingUnitId: cc,
        title: '等候时间太长',
        description: '客户在营业厅反映',
      },
    });
    expect(created.statusCode, created.body).toBe(201);
    const id = (created.json() as { id: string }).id;
    const isCreated = (n: Notice) => n.action === 'workorder.created' && n.subjectId === id;
    // The event is the centre's (the unit that holds the work); the hall hears of it because the order is
    // its own (the owner's unit), the other city's hall never does.
    const got = await centre.next(isCreated, 1000);
    expect(got.unitId).toBe(cc);
    await hall.next(isCreated, 1000);
    await new Promise((r) => setTimeout(r, 300));
    expect(xk.notices.some(isCreated)).toBe(false);
    expect([...hall.notices, ...xk.notices].every((n) => n.subjectType === 'work_order')).toBe(true);
    const res = await fetch(`${base}/api/work-orders/stream`, { signal: AbortSignal.timeout(2000) });
    expect(res.status).toBe(401);
    await res.text();
  });
});

describe('streams and credentials', () => {
  it('a HEAD on every stream route answers the headers at once', async () => {
    const ticketHall = await fetch(`${base}/api/halls/${qyHall}/stream`, {
      method: 'HEAD',
      headers: { cookie: admin },
      signal: AbortSignal.timeout(2000),
    });
    expect(ticketHall.status).toBe(200);
    expect(ticketHall.headers.get('content-type')).toContain('text/event-stream');
    for (const path of ['/api/stream', `/api/halls/${qyHall}/stream`, '/api/work-orders/stream']) {
      const res = await fetch(`${base}${path}`, {
        method: 'HEAD',
        headers: { cookie: admin },
        signal: AbortSignal.timeout(2000),
      });
      expect(res.status, path).toBe(200);
    }
    const anonymous = await fetch(`${base}/api/stream`, {
      method: 'HEAD',
      signal: AbortSignal.timeout(2000),
    });
    expect(anonymous.status).toBe(401);
  });

  it('logout ends the session’s open streams at once, and only those', async () => {
    const session = await t.login('qy_manager');
    const other = await t.login('qy_manager');
    const a = track(await openStream(base, session));
    const b = track(await openStream(base, session, `/api/halls/${qyHall}/stream`));
    const c = track(await openStream(base, other));
    const started = Date.now();
    expect((await t.as(session, { method: 'POST', url: '/api/auth/logout' })).statusCode).toBe(204);
    expect(await within(Promise.all([a.ended, b.ended]), 1000)).toBe(true);
    expect(Date.now() - started).toBeLessThan(1000);
    expect(await within(c.ended, 300)).toBe(false);
  });

  it('revoking a device token ends its open stream', async () => {
    const created = await t.as(admin, {
      method: 'POST',
      url: '/api/tokens',
      payload: { kind: 'device', unitId: qyHall, label: '测试显示屏', positions: ['device_display'] },
    });
    expect(created.statusCode, created.body).toBe(201);
    const { info, token } = created.json() as { info: { id: string }; token: string };
    const s = track(await openStream(base, `Bearer ${token}`, `/api/halls/${qyHall}/stream`));
    const revoked = await t.as(admin, { method: 'DELETE', url: `/api/tokens/${info.id}` });
    expect(revoked.statusCode, revoked.body).toBe(200);
    expect(await within(s.ended, 1000)).toBe(true);
  });

  it('a counter’s pad hears of its hall’s visits on the device feed (to refetch), without whose', async () => {
    const config = await t.as(admin, { method: 'GET', url: `/api/halls/${qyHall}/queue-config` });
    const counter = (config.json() as { counters: { id: string; number: number }[] }).counters.find(
      (c) => c.number === 1,
    )!;
    const created = await t.as(admin, {
      method: 'POST',
      url: '/api/tokens',
      payload: {
        kind: 'device',
        unitId: qyHall,
        label: '测试评价器',
        positions: ['device_rating_pad'],
        counterId: counter.id,
      },
    });
    expect(created.statusCode, created.body).toBe(201);
    const pad = track(
      await openStream(
        base,
        `Bearer ${(created.json() as { token: string }).token}`,
        `/api/halls/${qyHall}/stream`,
      ),
    );
    const clerk = await t.login('qy_clerk');
    expect((await t.as(clerk, { method: 'POST', url: `/api/counters/${counter.id}/open` })).statusCode).toBe(
      200,
    );
    const opened = await t.as(clerk, {
      method: 'POST',
      url: '/api/visits',
      payload: { counterId: counter.id },
    });
    expect(opened.statusCode, opened.body).toBe(201);
    const notice = await pad.next((n) => n.action === 'visit.opened', 1000);
    expect(notice.subjectId).toBe('');
  });

  it('one credential holds at most realtime.maxStreamsPerCredential streams: 429 past it', async () => {
    const put = await t.as(admin, {
      method: 'PUT',
      url: '/api/settings/realtime.maxStreamsPerCredential',
      payload: { unitId: qyHall, value: 2, reason: '连接上限测试' },
    });
    expect(put.statusCode, put.body).toBe(200);
    const clerk = await t.login('qy_clerk');
    const first = track(await openStream(base, clerk));
    track(await openStream(base, clerk, `/api/halls/${qyHall}/stream`));
    const third = await fetch(`${base}/api/stream`, { headers: { cookie: clerk } });
    expect(third.status).toBe(429);
    expect(third.headers.get('content-type')).toContain('application/problem+json');
    const body = (await third.json()) as { messages: Record<string, string> };
    expect(body.messages['zh-CN']).toContain('2');
    // Another login of the same person is another credential; a closed stream frees its place.
    track(await openStream(base, await t.login('qy_clerk')));
    first.close();
    for (let i = 0; i < 50; i++) {
      const res = await fetch(`${base}/api/stream`, { method: 'GET', headers: { cookie: clerk } });
      if (res.status === 200) {
        await res.body?.cancel();
        return;
      }
      await res.text();
      await new Promise((r) => setTimeout(r, 20));
    }
    throw new Error('the closed stream never freed its place');
  });
});

describe.skipIf(!process.env.DATABASE_URL)('two instances on one PostgreSQL server', () => {
  let databaseB: Database;
  let appB: FastifyInstance;
  let baseB: string;

  beforeAll(async () => {
    databaseB = await openDatabase({ url: process.env.DATABASE_URL });
    appB = await createApp({ database: databaseB, clock: t.clock, webDist: '/nonexistent' });
    baseB = await appB.listen({ port: 0, host: '127.0.0.1' });
  });
  afterAll(async () => {
    for (const s of streams) s.close();
    await appB?.close();
    await databaseB?.close();
  });

  it('a stream on instance B receives an event committed through instance A', async () => {
    const onB = track(await openStream(baseB, await t.login('qy_clerk')));
    const started = Date.now();
    await patchUnit(qyHall, '云川省青原市人民路103号');
    const got = await onB.next(isUpdateOf(qyHall), 1000);
    expect(Date.now() - started).toBeLessThan(1000);
    expect(got.unitId).toBe(qyHall);
    // The session made through A works on B: they share the database.
    const me = await appB.inject({ method: 'GET', url: '/api/auth/me', headers: { cookie: admin } });
    expect(me.json().username).toBe('admin');
  });

  /** Asks B until `ok` holds of its answer, for at most 1 s (B hears A's events through the database). */
  const onBWithin1s = async (url: string, cookie: string, ok: (status: number, body: unknown) => boolean) => {
    const started = Date.now();
    for (;;) {
      const res = await appB.inject({ method: 'GET', url, headers: { cookie } });
      if (ok(res.statusCode, res.json())) return Date.now() - started;
      if (Date.now() - started > 1000) throw new Error(`B still answers ${res.statusCode} ${res.body}`);
      await new Promise((r) => setTimeout(r, 20));
    }
  };

  it('B’s read caches follow what is changed through A: a logout, a setting', async () => {
    // B has read (and cached) the session and the hall's settings; then both change through A.
    const clerk = await t.login('qy_clerk');
    const waitMinutes = (body: unknown) =>
      (body as { key: string; value: unknown }[]).find((s) => s.key === 'queue.waitMinutes')?.value;
    const settingsUrl = `/api/settings?unitId=${qyHall}`;
    expect(
      (await appB.inject({ method: 'GET', url: '/api/auth/me', headers: { cookie: clerk } })).statusCode,
    ).toBe(200);
    const before = await appB.inject({ method: 'GET', url: settingsUrl, headers: { cookie: admin } });
    expect(waitMinutes(before.json())).toBe(30);

    expect((await t.as(clerk, { method: 'POST', url: '/api/auth/logout' })).statusCode).toBe(204);
    await onBWithin1s('/api/auth/me', clerk, (status) => status === 401);

    const put = await t.as(admin, {
      method: 'PUT',
      url: '/api/settings/queue.waitMinutes',
      payload: { unitId: qyHall, value: 27, reason: '缓存测试' },
    });
    expect(put.statusCode, put.body).toBe(200);
    await onBWithin1s(settingsUrl, admin, (status, body) => status === 200 && waitMinutes(body) === 27);
  });
});
