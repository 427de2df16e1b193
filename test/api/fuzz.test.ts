/**
 * A property-based fuzz of the whole API, from its own OpenAPI description: every operation, with path
 * parameters, query and body built from the operation's JSON schema — values that fit (real ids of the demo
 * among them) and hostile ones (NUL, lone surrogates, huge strings, wrong types, deep nesting, negative and
 * huge numbers, unknown fields) — sent as several positions: the province administrator, a hall manager, a
 * clerk, a kiosk and a display device token, and nobody. It asserts: no 5xx; every error is
 * application/problem+json with messages in zh-CN and en-US; a refused request (4xx) writes no event.
 * Bounded: a fixed seed and a fixed number of requests.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { sql } from 'drizzle-orm';
import type { TestApp } from '../support/app.ts';
import { testApp, unitIdByCode } from '../support/app.ts';
import { rows } from '../../src/platform/db/index.ts';

const SEED = 20_261_203;
const REQUESTS = 1500;

interface JsonSchema {
  type?: string | string[];
  enum?: unknown[];
  const?: unknown;
  format?: string;
  pattern?: string;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  items?: JsonSchema;
  minItems?: number;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  allOf?: JsonSchema[];
}
interface Parameter {
  in: 'path' | 'query' | 'header';
  name: string;
  schema?: JsonSchema;
}
interface Operation {
  method: string;
  path: string;
  parameters: Parameter[];
  body?: JsonSchema;
  /** The statuses its description lists: every answer must be one of them. */
  statuses: string[];
}

let t: TestApp;
let operations: Operation[];
const callers: Record<string, Record<string, string>> = {};
let ids: string[] = [];
let halls: string[] = [];

const NUL = '\u0000';
const HOSTILE_STRINGS = [
  NUL,
  `a${NUL}b`,
  '\uD800',
  'x\uDFFFy',
  '\uDBFF\uDBFF',
  '',
  ' ',
  'a'.repeat(70_000),
  '😀'.repeat(500),
  "' OR 1=1 --",
  '%00',
  '../../etc/passwd',
  '<script>alert(1)</script>',
  '２０２６-０３-０２',
  '١٣٨٠٠٠٠٠٠٠٠',
  'e\u0301',
  '2026-02-30',
  '9999-12-31T23:59:59Z',
  '-1',
  '1e308',
  'NaN',
  'null',
  '{}',
  '__proto__',
  '00000000-0000-4000-8000-000000000000',
];
const deep = (n: number): unknown => {
  let v: unknown = 'x';
  for (let i = 0; i < n; i++) v = i % 2 ? { a: v } : [v];
  return v;
};
const HOSTILE_VALUES: unknown[] = [
  -1,
  0,
  -2147483649,
  2 ** 53,
  1e308,
  -1e308,
  0.5,
  true,
  false,
  null,
  [],
  {},
  [NUL],
  { [NUL]: 1, __proto__x: '\uD800' },
  deep(40),
  deep(6),
];
const hostile: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(...HOSTILE_STRINGS),
  fc.constantFrom(...HOSTILE_VALUES),
  fc.string({ unit: 'binary', maxLength: 20 }),
);

const DATES = ['2026-03-02', '2026-03-03', '2026-01-01', '2025-12-31', '2026-10-01'];

/** Values that fit a schema (mostly), with a hostile one now and then at every level. */
function fromSchema(schema: JsonSchema | undefined, depth = 0): fc.Arbitrary<unknown> {
  return fc.oneof({ weight: 5, arbitrary: fitting(schema, depth) }, { weight: 1, arbitrary: hostile });
}

function fitting(schema: JsonSchema | undefined, depth: number): fc.Arbitrary<unknown> {
  if (!schema || depth > 6) return hostile;
  if (schema.const !== undefined) return fc.constant(schema.const);
  if (schema.enum) return fc.constantFrom(...schema.enum);
  const alternatives = schema.oneOf ?? schema.anyOf;
  if (alternatives?.length) return fc.oneof(...alternatives.map((s) => fitting(s, depth + 1)));
  if (schema.allOf?.length) return fitting(schema.allOf[0], depth + 1);
  const types = [schema.type ?? 'string'].flat();
  const type = types.find((x) => x !== 'null') ?? 'null';
  const orNull = (a: fc.Arbitrary<unknown>) => (types.includes('null') ? fc.oneof(a, fc.constant(null)) : a);
  switch (type) {
    case 'null':
      return fc.constant(null);
    case 'boolean':
      return orNull(fc.boolean());
    case 'integer':
      return orNull(
        fc.integer({
          min: Math.max(schema.minimum ?? -1000, -1e6),
          max: Math.max(
            Math.min(schema.maximum ?? (schema.minimum ?? 0) + 1000, 1e6),
            schema.minimum ?? -1e6,
          ),
        }),
      );
    case 'number':
      return orNull(
        fc.double({
          min: Math.max(schema.minimum ?? -1000, -1e6),
          max: Math.max(
            Math.min(schema.maximum ?? (schema.minimum ?? 0) + 1000, 1e6),
            schema.minimum ?? -1e6,
          ),
          noNaN: true,
        }),
      );
    case 'array':
      return orNull(
        fc.array(fromSchema(schema.items, depth + 1), {
          minLength: Math.min(schema.minItems ?? 0, 4),
          maxLength: Math.max(Math.min(schema.minItems ?? 0, 4), 4),
        }),
      );
    case 'object': {
      const props = schema.properties ?? {};
      const required = schema.required ?? [];
      const record = fc.record(
        Object.fromEntries(Object.entries(props).map(([k, s]) => [k, fromSchema(s, depth + 1)])),
        { requiredKeys: required.filter((k) => k in props) },
      );
      // Now and then a field nobody declared.
      return orNull(
        fc
          .tuple(record, fc.option(fc.tuple(fc.constantFrom('extra', 'isAdmin', NUL, '\uD800'), hostile)))
          .map(([r, extra]) => (extra ? { ...r, [extra[0]]: extra[1] } : r)),
      );
    }
    default:
      return orNull(stringFor(schema));
  }
}

function stringFor(schema: JsonSchema): fc.Arbitrary<string> {
  if (schema.format === 'uuid') return fc.oneof(fc.constantFrom(...ids), fc.uuid());
  if (schema.format === 'date') return fc.constantFrom(...DATES);
  if (schema.format === 'date-time') return fc.constantFrom(...DATES.map((d) => `${d}T02:00:00.000Z`));
  if (schema.pattern) {
    try {
      return fc
        .stringMatching(new RegExp(schema.pattern))
        .filter((s) => s.length <= (schema.maxLength ?? 200));
    } catch {
      // a pattern fast-check cannot generate from: plain text instead
    }
  }
  return fc.string({
    unit: 'grapheme',
    minLength: schema.minLength ?? 0,
    maxLength: Math.min(schema.maxLength ?? 40, 40),
  });
}

/** A value for a path parameter: a real id of the demo mostly, else anything. */
function pathValue(param: Parameter): fc.Arbitrary<unknown> {
  const byName: Record<string, fc.Arbitrary<unknown>> = {
    hallId: fc.constantFrom(...halls),
    id: fc.constantFrom(...ids),
    subscriptionId: fc.constantFrom(...ids),
    date: fc.constantFrom(...DATES),
    year: fc.constantFrom(2026, 2025, 1900, 99999),
    key: fc.constantFrom(
      'queue.waitMinutes',
      'auth.maxFailedAttempts',
      'realtime.maxStreamsPerCredential',
      'nope',
    ),
  };
  return fc.oneof(
    { weight: 4, arbitrary: byName[param.name] ?? fromSchema(param.schema) },
    { weight: 1, arbitrary: fromSchema(param.schema) },
  );
}

/** Percent-encodes text; a lone surrogate (which a URL cannot carry) as the invalid UTF-8 a client would send. */
function encode(value: unknown): string {
  const text = typeof value === 'string' ? value : (JSON.stringify(value) ?? '');
  return text.replace(/[\s\S]/gu, (c) => {
    const code = c.codePointAt(0)!;
    if (code >= 0xd800 && code <= 0xdfff) return '%ED%A0%80';
    return encodeURIComponent(c);
  });
}

interface Built {
  op: Operation;
  caller: string;
  url: string;
  headers: Record<string, string>;
  payload?: string;
}

function requestFor(op: Operation): fc.Arbitrary<Built> {
  const pathParams = op.parameters.filter((p) => p.in === 'path');
  const queryParams = op.parameters.filter((p) => p.in === 'query');
  const headerParams = op.parameters.filter((p) => p.in === 'header');
  return fc
    .record({
      caller: fc.constantFrom(...Object.keys(callers)),
      path: fc.tuple(...pathParams.map(pathValue)),
      query: fc.tuple(...queryParams.map((p) => fc.option(fromSchema(p.schema), { freq: 2 }))),
      header: fc.tuple(
        ...headerParams.map(() => fc.option(fc.constantFrom('abc', 'x'.repeat(300), "'; drop table", '١'))),
      ),
      body: op.body
        ? fc.oneof(
            { weight: 8, arbitrary: fromSchema(op.body).map((b) => JSON.stringify(b) ?? 'null') },
            { weight: 1, arbitrary: fc.constantFrom('{"a":', '[]', '""', 'null', '{"__proto__":{"x":1}}') },
          )
        : fc.constant(undefined),
    })
    .map(({ caller, path, query, header, body }) => {
      let i = 0;
      const url =
        op.path.replace(/\{[^}]+\}/g, () => encode(path[i++])) +
        (queryParams.length
          ? '?' +
            queryParams
              .map((p, j) => (query[j] === null ? '' : `${p.name}=${encode(query[j])}`))
              .filter(Boolean)
              .join('&')
          : '');
      const headers: Record<string, string> = { ...callers[caller] };
      headerParams.forEach((p, j) => {
        const v = header[j];
        if (v) headers[p.name] = v;
      });
      if (body !== undefined) headers['content-type'] = 'application/json';
      return { op, caller, url, headers, ...(body !== undefined ? { payload: body } : {}) };
    });
}

/** The events so far, as their count and newest id (ids are time-ordered). */
async function eventState(): Promise<{ key: string; last: string }> {
  const [row] = await rows<{ n: number; last: string | null }>(
    t.database.db,
    sql`select count(*)::int as n, max(id::text) as last from events`,
  );
  return { key: `${row!.n}/${row!.last}`, last: row!.last ?? '' };
}

/**
 * The audit of a refused login or of a wrong current password is the one event a refusal writes, on
 * purpose (2§3.5.2): both count towards the lockout.
 */
const REFUSAL_AUDIT = new Set([
  'auth.login_failed',
  'auth.login_refused_locked',
  'auth.locked',
  'auth.sessions_ended',
]);
const AUDITED_REFUSALS = new Set(['/api/auth/login', '/api/auth/password']);

async function eventsSince(last: string): Promise<string[]> {
  return (
    await rows<{ action: string }>(t.database.db, sql`select action from events where id::text > ${last}`)
  ).map((r) => r.action);
}

beforeAll(async () => {
  t = await testApp({ customers: 20 });
  const admin = await t.login('admin');
  const qyHall = await unitIdByCode(t, admin, 'YC-QY-H01');
  halls = [qyHall, await unitIdByCode(t, admin, 'YC-XK-H01')];
  const token = async (position: string) => {
    const res = await t.as(admin, {
      method: 'POST',
      url: '/api/tokens',
      payload: { kind: 'device', unitId: qyHall, label: `fuzz ${position}`, positions: [position] },
    });
    return `Bearer ${(res.json() as { token: string }).token}`;
  };
  callers.admin = { cookie: admin };
  callers.manager = { cookie: await t.login('qy_manager') };
  callers.clerk = { cookie: await t.login('qy_clerk') };
  callers.kiosk = { authorization: await token('device_kiosk') };
  callers.display = { authorization: await token('device_display') };
  callers.nobody = {};
  // A few tickets, so ticket routes meet real ones.
  for (const category of ['business', 'payment']) {
    await t.as(admin, { method: 'POST', url: `/api/halls/${qyHall}/tickets`, payload: { category } });
  }
  const fuzzers = ['admin', 'qy_manager', 'qy_clerk'];
  ids = (
    await rows<{ id: string }>(
      t.database.db,
      sql`(select id::text from units limit 8)
        union all (select id::text from staff where username not in (${sql.join(
          fuzzers.map((f) => sql`${f}`),
          sql`, `,
        )}) limit 4)
        union all (select id::text from customers limit 4)
        union all (select id::text from subscriptions limit 2)
        union all (select id::text from queue_tickets limit 4)
        union all (select id::text from queue_counters limit 4)
        union all (select id::text from queue_appointments limit 2)`,
    )
  ).map((r) => r.id);
  const spec = (await t.app.inject({ method: 'GET', url: '/api/openapi.json' })).json() as {
    paths: Record<
      string,
      Record<
        string,
        {
          parameters?: Parameter[];
          requestBody?: { content?: Record<string, { schema?: JsonSchema }> };
          responses: Record<string, unknown>;
        }
      >
    >;
  };
  operations = Object.entries(spec.paths).flatMap(([path, ops]) =>
    Object.entries(ops).map(([method, o]) => ({
      method: method.toUpperCase(),
      // A GET on a stream stays open: its HEAD is fuzzed instead (it must answer at once).
      ...(path.endsWith('/stream') && method === 'get' ? { method: 'HEAD' } : {}),
      path,
      parameters: o.parameters ?? [],
      statuses: Object.keys(o.responses),
      ...(o.requestBody?.content?.['application/json']?.schema
        ? { body: o.requestBody.content['application/json'].schema }
        : {}),
    })),
  );
  // Logging out would end the fuzzers' own sessions; logout is tried by the auth tests.
  operations = operations.filter((o) => o.path !== '/api/auth/logout');
}, 180_000);
afterAll(() => t.close());

describe('fuzz of every operation of the OpenAPI description', () => {
  it(`${REQUESTS} random and hostile requests: no 5xx, problem+json errors, no event from a refused one`, async () => {
    const requests = fc.sample(fc.constantFrom(...operations).chain(requestFor), {
      seed: SEED,
      numRuns: REQUESTS,
    });
    const wrong: string[] = [];
    let fivexx = 0;
    for (const r of requests) {
      const before = await eventState();
      const res = await t.app.inject({
        method: r.op.method as 'GET',
        url: r.url,
        headers: r.headers,
        ...(r.payload !== undefined ? { payload: r.payload } : {}),
      });
      const where = `${r.caller} ${r.op.method} ${r.url.slice(0, 160)} ${r.payload?.slice(0, 160) ?? ''} → ${res.statusCode}`;
      if (res.statusCode >= 500) {
        fivexx++;
        wrong.push(`${where} ${res.body.slice(0, 200)}`);
        continue;
      }
      if (!r.op.statuses.includes(String(res.statusCode))) wrong.push(`${where} not in the description`);
      if (res.statusCode < 400) continue;
      const type = String(res.headers['content-type']);
      let body: { messages?: Record<string, string> } = {};
      try {
        body = res.json();
      } catch {
        // not JSON: reported below
      }
      if (
        !type.includes('application/problem+json') ||
        !body.messages?.['zh-CN'] ||
        !body.messages['en-US']
      ) {
        if (r.op.method !== 'HEAD') wrong.push(`${where} not a problem: ${type} ${res.body.slice(0, 120)}`);
      }
      if ((await eventState()).key !== before.key) {
        const actions = await eventsSince(before.last);
        const audit = AUDITED_REFUSALS.has(r.op.path) && actions.every((a) => REFUSAL_AUDIT.has(a));
        if (!audit) wrong.push(`${where} wrote ${actions.join(', ')}`);
      }
    }
    console.log(`fuzz: ${requests.length} requests over ${operations.length} operations, ${fivexx} 5xx`);
    expect(wrong).toEqual([]);
  }, 240_000);
});
