/**
 * Words people read, over the whole API: every route, given bad input (missing fields, wrong types, too
 * long text, numbers out of range, values not in a list), answers a 400 whose messages are words in each
 * language, naming the field by its label: never the validator's own text ("Too big: expected …", "数值过大
 * …"), never a field's code path ("querystring.q"). Every field of every route's input has a label.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestApp } from '../support/app.ts';
import { testApp, unitIdByCode } from '../support/app.ts';
import { FIELD_LABELS } from '../../src/platform/words.ts';

interface JsonSchema {
  type?: string | string[];
  enum?: unknown[];
  format?: string;
  maxLength?: number;
  maximum?: number;
  minimum?: number;
  items?: JsonSchema;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  allOf?: JsonSchema[];
  additionalProperties?: JsonSchema | boolean;
}
interface Operation {
  method: string;
  path: string;
  parameters: { in: string; name: string; schema?: JsonSchema }[];
  body?: JsonSchema;
}

/** Text that only a validator or a programmer writes. */
const RAW = [
  /Invalid input/i,
  /expected [a-z]/i,
  /received [a-z]/i,
  /Too (big|small)/i,
  /Invalid (string|option|format|type)/i,
  /Unrecognized/i,
  /无效输入/,
  /数值过[大小]/,
  /期望/,
  /实际接收/,
  /预期/,
  /(querystring|params|body|headers)\./,
  / ¦ /,
  /\bundefined\b|\bNaN\b|\bnull\b/,
];
const CJK = /[\u4e00-\u9fff]/;

let t: TestApp;
let operations: Operation[];
let admin: string;
let hall: string;

beforeAll(async () => {
  t = await testApp({ customers: 5 });
  admin = await t.login('admin');
  hall = await unitIdByCode(t, admin, 'YC-QY-H01');
  const spec = (await t.app.inject({ method: 'GET', url: '/api/openapi.json' })).json() as {
    paths: Record<
      string,
      Record<
        string,
        {
          parameters?: Operation['parameters'];
          requestBody?: { content?: Record<string, { schema?: JsonSchema }> };
        }
      >
    >;
  };
  operations = Object.entries(spec.paths).flatMap(([path, ops]) =>
    Object.entries(ops).map(([method, o]) => ({
      method: method.toUpperCase(),
      path,
      parameters: o.parameters ?? [],
      ...(o.requestBody?.content?.['application/json']?.schema
        ? { body: o.requestBody.content['application/json'].schema }
        : {}),
    })),
  );
}, 120_000);

afterAll(async () => {
  await t.close();
});

/** Every property name in a schema, however deep. */
function names(s: JsonSchema | undefined, into: Set<string>): Set<string> {
  if (!s || typeof s !== 'object') return into;
  for (const [k, v] of Object.entries(s.properties ?? {})) {
    into.add(k);
    names(v, into);
  }
  for (const sub of [s.items, ...(s.anyOf ?? []), ...(s.oneOf ?? []), ...(s.allOf ?? [])]) names(sub, into);
  if (typeof s.additionalProperties === 'object') names(s.additionalProperties, into);
  return into;
}

/** A value of the wrong kind for a schema, and one that breaks its limits. */
function badValues(s: JsonSchema | undefined): unknown[] {
  const type = Array.isArray(s?.type) ? s?.type[0] : s?.type;
  const out: unknown[] = [];
  if (type === 'string' || s?.enum) {
    out.push(12345, 'x'.repeat((s?.maxLength ?? 300) + 5), '');
    if (s?.enum) out.push('no-such-value');
  } else if (type === 'number' || type === 'integer') {
    out.push('many', (s?.maximum ?? 1e9) * 10 + 1, (s?.minimum ?? -1e9) - 1);
  } else if (type === 'boolean') out.push('perhaps');
  else if (type === 'array') out.push('not a list', [12345]);
  else if (type === 'object') out.push(['not', 'an', 'object']);
  else out.push(12345);
  return out;
}

function badBodies(s: JsonSchema): unknown[] {
  const bodies: unknown[] = [{}, 'text'];
  for (const [k, v] of Object.entries(s.properties ?? {})) {
    for (const bad of badValues(v)) bodies.push({ [k]: bad });
  }
  const wrongEverywhere: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(s.properties ?? {})) wrongEverywhere[k] = badValues(v)[0];
  bodies.push(wrongEverywhere);
  return bodies;
}

function checkMessages(zh: string, en: string, where: string) {
  for (const raw of RAW) {
    expect(zh, `${where} zh: ${zh}`).not.toMatch(raw);
    expect(en, `${where} en: ${en}`).not.toMatch(raw);
  }
  expect(zh, `${where} zh in Chinese: ${zh}`).toMatch(CJK);
  expect(en, `${where} en without Chinese: ${en}`).not.toMatch(CJK);
}

describe('validation messages in the caller’s language, in words', () => {
  it('every field of every route’s input has a label in both languages', () => {
    const all = new Set<string>();
    for (const op of operations) {
      for (const p of op.parameters) if (p.in !== 'header') all.add(p.name);
      names(op.body, all);
    }
    const missing = [...all].filter((k) => !FIELD_LABELS[k]?.zh || !FIELD_LABELS[k]?.en);
    expect(missing).toEqual([]);
    expect(all.size).toBeGreaterThan(50);
  });

  it('bad input to every route gives words, not validator text, in zh-CN and in en-US', async () => {
    let validation = 0;
    const routes = new Set<string>();
    for (const op of operations) {
      const pathParams = op.parameters.filter((p) => p.in === 'path');
      const query = op.parameters.filter((p) => p.in === 'query');
      const goodPath = op.path.replace(/\{[^}]+\}/g, () => hall);
      const requests: { url: string; payload?: unknown }[] = [];
      if (pathParams.length > 0) requests.push({ url: op.path.replace(/\{[^}]+\}/g, 'not-an-id') });
      for (const q of query) {
        for (const bad of badValues(q.schema)) {
          if (typeof bad === 'object') continue;
          requests.push({ url: `${goodPath}?${q.name}=${encodeURIComponent(String(bad))}` });
        }
      }
      if (op.body) for (const payload of badBodies(op.body)) requests.push({ url: goodPath, payload });
      for (const r of requests) {
        for (const lang of ['zh-CN', 'en-US'] as const) {
          const res = await t.as(admin, {
            method: op.method as 'GET',
            url: r.url,
            headers: { 'accept-language': lang },
            ...(r.payload !== undefined ? { payload: r.payload as object } : {}),
          });
          expect(res.statusCode, `${op.method} ${r.url}`).toBeLessThan(500);
          if (res.statusCode !== 400) continue;
          const body = res.json() as {
            code: string;
            detail: string;
            messages: Record<string, string>;
            errors?: { path: string; messages: Record<string, string> }[];
          };
          const where = `${op.method} ${r.url} ${JSON.stringify(r.payload)?.slice(0, 80)}`;
          checkMessages(body.messages['zh-CN']!, body.messages['en-US']!, where);
          expect(body.detail).toBe(body.messages[lang]);
          if (body.code === 'validation') {
            validation++;
            routes.add(`${op.method} ${op.path}`);
            expect(body.errors?.length, where).toBeGreaterThan(0);
            for (const e of body.errors ?? [])
              checkMessages(e.messages['zh-CN']!, e.messages['en-US']!, where);
          }
        }
      }
    }
    // bad input reached the validator of most routes
    expect(validation).toBeGreaterThan(200);
    expect(routes.size).toBeGreaterThan(operations.length / 2);
  }, 300_000);

  it('names the field by its label: a too long search text', async () => {
    const q = 'x'.repeat(500);
    const zh = await t.as(admin, { method: 'GET', url: `/api/customers?q=${q}` });
    const en = await t.as(admin, {
      method: 'GET',
      url: `/api/customers?q=${q}`,
      headers: { 'accept-language': 'en-US' },
    });
    expect(zh.statusCode).toBe(400);
    expect(zh.json().detail).toMatch(/^输入有误：搜索内容最多 \d+ 个字符$/);
    expect(en.json().detail).toMatch(/^Please check the input: Search text must be at most \d+ characters$/);
    const missing = await t.as(admin, { method: 'POST', url: '/api/customers', payload: {} });
    expect(missing.json().detail).toContain('请填写');
  });
});
