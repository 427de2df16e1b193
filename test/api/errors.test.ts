/**
 * Every route answers bad input with a 4xx problem+json in both languages — never a 500, never a partial
 * write. Routes are taken from the OpenAPI description, so a new route is covered without editing this.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import type { TestApp } from '../support/app.ts';
import { testApp } from '../support/app.ts';
import { rows } from '../../src/platform/db/index.ts';

let t: TestApp;
let admin: string;
let routes: { method: string; path: string }[];
/** The statuses each operation documents (`GET /api/units` → ['200', '400', …]). */
let documented: Map<string, Set<string>>;

beforeAll(async () => {
  t = await testApp({ customers: 10 });
  admin = await t.login('admin');
  const spec = t.app.swagger() as unknown as {
    paths: Record<string, Record<string, { responses: Record<string, unknown> }>>;
  };
  routes = Object.entries(spec.paths).flatMap(([path, ops]) =>
    Object.keys(ops).map((method) => ({ method: method.toUpperCase(), path })),
  );
  documented = new Map(
    Object.entries(spec.paths).flatMap(([path, ops]) =>
      Object.entries(ops).map(([method, op]) => [
        `${method.toUpperCase()} ${path}`,
        new Set(Object.keys(op.responses)),
      ]),
    ),
  );
});

/** The answer's status is one the API description lists for the operation. */
function expectDocumented(route: { method: string; path: string }, status: number, where: string) {
  expect(
    [...(documented.get(`${route.method} ${route.path}`) ?? [])],
    `${where}: undocumented ${status}`,
  ).toContain(String(status));
}
afterAll(() => t.close());

const GARBAGE_BODIES: unknown[] = [
  {},
  { unitId: 'x', value: 'y', kind: 42 },
  [],
  'text',
  { name: 'a'.repeat(5000) },
];
const fill = (path: string, value: string) => path.replace(/\{[^}]+\}/g, value);
const PUBLIC = new Set([
  '/api/health',
  '/api/auth/login',
  // The e-channel's page before a phone is proven: the hall's view and slots, asking for and proving a code.
  '/api/e/halls/{hallId}',
  '/api/e/halls/{hallId}/appointment-slots',
  '/api/e/codes',
  '/api/e/sessions',
  // A slip's follow link: no login, the ticket's own link token in a header (refused alike when wrong).
  '/api/e/follow/{id}',
  '/api/e/follow/{id}/stream',
  '/api/e/follow/{id}/cancel',
  // A reply's survey code: no login, the code from the SMS is the proof (tries limited).
  '/api/e/work-orders/{number}/survey',
]);

async function eventCount(): Promise<number> {
  return (await rows<{ n: number }>(t.database.db, sql`select count(*)::int as n from events`))[0]!.n;
}

function expectProblem(
  res: { statusCode: number; headers: Record<string, unknown>; json(): unknown },
  where: string,
) {
  expect(res.statusCode, where).toBeGreaterThanOrEqual(400);
  expect(res.statusCode, where).toBeLessThan(500);
  expect(String(res.headers['content-type']), where).toContain('application/problem+json');
  const body = res.json() as { status: number; messages: Record<string, string> };
  expect(body.status, where).toBe(res.statusCode);
  expect(body.messages['zh-CN'], where).toBeTruthy();
  expect(body.messages['en-US'], where).toBeTruthy();
}

describe('bad input on every route', () => {
  it('has routes to test', () => {
    expect(routes.length).toBeGreaterThan(20);
  });

  it('401 without a login, on every non-public route', async () => {
    for (const r of routes.filter((r) => !PUBLIC.has(r.path) && !r.path.startsWith('/api/docs'))) {
      const res = await t.app.inject({
        method: r.method as 'GET',
        url: fill(r.path, '00000000-0000-4000-8000-000000000000'),
      });
      expectProblem(res, `${r.method} ${r.path}`);
      expect(res.statusCode, `${r.method} ${r.path}`).toBe(401);
      expectDocumented(r, res.statusCode, `${r.method} ${r.path}`);
    }
  });

  it('4xx for malformed ids, unknown ids and garbage bodies, and nothing written', async () => {
    let refused = 0;
    for (const r of routes.filter((r) => r.path !== '/api/auth/login' && r.path !== '/api/auth/logout')) {
      // A stream without an id in its path stays open (the HEAD of each is tested in realtime.test.ts).
      if ((r.path.endsWith('/stream') && !r.path.includes('{')) || r.path.startsWith('/api/docs')) continue;
      for (const id of ['not-an-id', '00000000-0000-4000-8000-000000000000', '2026-13-45', '%00']) {
        for (const payload of r.method === 'GET' || r.method === 'DELETE' ? [undefined] : GARBAGE_BODIES) {
          const url = fill(r.path, encodeURIComponent(id));
          const before = await eventCount();
          const res = await t.as(admin, {
            method: r.method as 'POST',
            url,
            ...(payload === undefined ? {} : { payload: payload as string }),
          });
          if (res.statusCode < 400) continue; // e.g. GET /api/units needs no id
          const where = `${r.method} ${url} ${JSON.stringify(payload)?.slice(0, 40)}`;
          expectProblem(res, where);
          expectDocumented(r, res.statusCode, where);
          expect(await eventCount(), `${where} wrote an event`).toBe(before);
          refused++;
        }
      }
    }
    expect(refused).toBeGreaterThan(routes.length);
  });

  it('400 for malformed JSON and 415 for an unknown content type', async () => {
    const bad = await t.as(admin, {
      method: 'POST',
      url: '/api/units',
      headers: { 'content-type': 'application/json' },
      payload: '{"parentId": ',
    });
    expectProblem(bad, 'malformed json');
    expect(bad.statusCode).toBe(400);
    const media = await t.as(admin, {
      method: 'POST',
      url: '/api/units',
      headers: { 'content-type': 'application/x-unknown' },
      payload: 'x',
    });
    expectProblem(media, 'media type');
    expect(media.statusCode).toBe(415);
  });

  it('404 problem for unknown API routes, in English when asked', async () => {
    const res = await t.app.inject({
      method: 'GET',
      url: '/api/nothing-here',
      headers: { 'accept-language': 'en-US,en' },
    });
    expectProblem(res, 'unknown');
    expect(res.statusCode).toBe(404);
    expect((res.json() as { title: string }).title).toBe('Not found');
  });

  it('reports validation problems per field in both languages', async () => {
    const res = await t.as(admin, {
      method: 'POST',
      url: '/api/staff',
      payload: { username: '1', positions: ['nope'] },
    });
    expect(res.statusCode).toBe(400);
    const body = res.json() as { errors: { path: string; messages: Record<string, string> }[] };
    const paths = body.errors.map((e) => e.path);
    expect(paths).toEqual(
      expect.arrayContaining(['body.unitId', 'body.username', 'body.name', 'body.positions.0']),
    );
    for (const e of body.errors) {
      expect(e.messages['zh-CN'], e.path).toMatch(/[\u4e00-\u9fff]/);
      expect(e.messages['en-US'], e.path).toMatch(/^[\x20-\x7e]+$/);
    }
  });
});
