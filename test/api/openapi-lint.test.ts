/**
 * The live API description (/api/openapi.json) lints clean under Redocly's recommended rules (with the
 * rules switched off in redocly.yaml, each with its reason), and holds what src/platform/http/openapi.ts
 * promises: OpenAPI 3.1, a unique camelCase operationId on every operation, a summary in Chinese and
 * English, one module tag, its security, and every problem answer as problem+json of the house's schema.
 */
import { fileURLToPath } from 'node:url';
import { lintFromString, loadConfig } from '@redocly/openapi-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { problemSchema } from '../../src/platform/contract.ts';
import { Problem, fieldProblem, problemBody } from '../../src/platform/http/problem.ts';
import type { TestApp } from '../support/app.ts';
import { testApp } from '../support/app.ts';

interface Operation {
  operationId?: string;
  summary?: string;
  description?: string;
  tags?: string[];
  security?: Record<string, string[]>[];
  parameters?: { in: string; name: string }[];
  requestBody?: unknown;
  responses: Record<
    string,
    {
      content?: Record<
        string,
        { schema?: { $ref?: string; properties?: Record<string, unknown> }; examples?: object }
      >;
    }
  >;
}
interface Document {
  openapi: string;
  servers?: { url: string }[];
  security?: Record<string, string[]>[];
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, unknown>; securitySchemes: Record<string, unknown> };
}

let t: TestApp;
let source: string;
let doc: Document;
let operations: { method: string; path: string; op: Operation }[];

beforeAll(async () => {
  t = await testApp({ demo: false });
  const res = await t.app.inject({ method: 'GET', url: '/api/openapi.json' });
  expect(res.statusCode).toBe(200);
  source = res.body;
  doc = JSON.parse(source) as Document;
  operations = Object.entries(doc.paths).flatMap(([path, ops]) =>
    Object.entries(ops).map(([method, op]) => ({ method: method.toUpperCase(), path, op })),
  );
});
afterAll(() => t.close());

describe('the API description', () => {
  it('lints with 0 errors and 0 warnings under redocly.yaml (recommended rules)', async () => {
    const config = await loadConfig({
      configPath: fileURLToPath(new URL('../../redocly.yaml', import.meta.url)),
    });
    const problems = await lintFromString({ source, absoluteRef: 'openapi.json', config });
    const lines = problems.map(
      (p) => `${p.severity} ${p.ruleId}: ${p.message} at ${p.location[0]?.pointer ?? '?'}`,
    );
    expect(lines).toEqual([]);
  });

  it('is OpenAPI 3.1 with a server, and JSON Schema 2020-12 types (no 3.0 `nullable`)', () => {
    expect(doc.openapi).toBe('3.1.0');
    expect(doc.servers?.length).toBeGreaterThan(0);
    expect(source).not.toContain('"nullable"');
  });

  it('has a unique, camelCase operationId on every operation, declared by its route', () => {
    expect(operations.length).toBeGreaterThan(100);
    const missing = operations.filter((o) => !o.op.operationId).map((o) => `${o.method} ${o.path}`);
    expect(missing).toEqual([]);
    const ids = operations.map((o) => o.op.operationId!);
    const twice = ids.filter((id, i) => ids.indexOf(id) !== i);
    expect(twice).toEqual([]);
    for (const id of ids) expect(id).toMatch(/^[a-z][a-zA-Z0-9]*$/);
    // The commands keep the names of the house (DESIGN.md), e.g.:
    const byId = new Map(operations.map((o) => [o.op.operationId, `${o.method} ${o.path}`]));
    expect(byId.get('takeTicket')).toBe('POST /api/halls/{hallId}/tickets');
    expect(byId.get('callNext')).toBe('POST /api/counters/{id}/call-next');
    expect(byId.get('createWorkOrder')).toBe('POST /api/work-orders');
    expect(byId.get('claimWorkOrder')).toBe('POST /api/work-orders/{orderId}/claim');
  });

  it('has a summary in Chinese and English and one module tag on every operation', () => {
    for (const { method, path, op } of operations) {
      const where = `${method} ${path}`;
      expect(op.summary, where).toMatch(/^[^·]*[\u4e00-\u9fff][^·]* · [A-Z`"‘“].*[a-z]/);
      expect(op.tags, where).toHaveLength(1);
      expect(op.tags![0], where).toMatch(/^[a-z -]+( [\u4e00-\u9fff]+)?$/);
    }
  });

  it('says who may call each operation with a defined security scheme; public ones are open', () => {
    const schemes = new Set(Object.keys(doc.components.securitySchemes));
    expect([...schemes].sort()).toEqual(['bearer', 'device', 'phone', 'session']);
    const open = new Set<string>();
    for (const { method, path, op } of operations) {
      const security = op.security ?? doc.security ?? [];
      for (const requirement of security)
        for (const name of Object.keys(requirement)) expect(schemes, `${method} ${path}`).toContain(name);
      if (security.length === 0) open.add(`${method} ${path}`);
    }
    // Exactly the routes that answer without a credential (config.public): login, health, the
    // e-channel before a phone is proven, a slip's follow link.
    expect([...open].sort()).toEqual(
      [
        'GET /api/health',
        'POST /api/auth/login',
        'GET /api/e/halls/{hallId}',
        'GET /api/e/halls/{hallId}/appointment-slots',
        'POST /api/e/codes',
        'POST /api/e/sessions',
        'GET /api/e/follow/{id}',
        'GET /api/e/follow/{id}/stream',
        'POST /api/e/follow/{id}/cancel',
        // The survey code of a reply SMS: the customer rates without proving the phone again.
        'POST /api/e/work-orders/{number}/survey',
      ].sort(),
    );
  });

  it('documents the uniform problems of each operation as problem+json of the Problem schema', () => {
    for (const { method, path, op } of operations) {
      const where = `${method} ${path}`;
      const statuses = Object.keys(op.responses);
      const secured = (op.security ?? doc.security ?? []).length > 0;
      const expected = ['400', '500'];
      if (secured) expected.push('401', '403');
      if (path.includes('{')) expected.push('404', '414');
      if (method !== 'GET') expected.push('409', '413', '415', '422');
      expect(statuses, where).toEqual(expect.arrayContaining(expected));
      for (const status of statuses.filter((s) => Number(s) >= 400)) {
        const content = op.responses[status]!.content ?? {};
        expect(Object.keys(content), `${where} ${status}`).toEqual(['application/problem+json']);
        expect(content['application/problem+json']!.schema).toEqual({ $ref: '#/components/schemas/Problem' });
      }
    }
    const limited = operations.filter((o) => o.op.responses['429']).map((o) => o.op.operationId);
    expect(limited.sort()).toEqual(
      [
        'changePassword',
        'exportCustomers',
        'logIn',
        'lookupCaller',
        'provePhone',
        'rateBySurvey',
        'searchCustomers',
        'searchVisitCustomer',
        'sendCode',
      ].sort(),
    );
  });

  it('describes the problem body the server sends (the schema and its examples)', () => {
    const body = problemBody(
      new Problem(400, 'validation', { zh: '输入有误', en: 'Check the input' }, [
        fieldProblem('body.category', '请填写类别', 'Category is required'),
      ]),
      'en',
      '/api/x',
      'r1',
    );
    expect(problemSchema.strict().parse(body)).toEqual(body);
    const bare = problemBody(
      new Problem(404, 'not_found', { zh: '未找到', en: 'Not found' }),
      'zh',
      '/',
      'r',
    );
    expect(problemSchema.strict().parse(bare)).toEqual(bare);
    for (const { op } of operations)
      for (const [status, response] of Object.entries(op.responses).filter(([s]) => Number(s) >= 400)) {
        const examples = response.content!['application/problem+json']!.examples as Record<
          string,
          { value: { status: number } }
        >;
        for (const e of Object.values(examples)) {
          expect(problemSchema.strict().parse(e.value)).toEqual(e.value);
          expect(e.value.status).toBe(Number(status));
        }
      }
  });

  it('pages every paged list the same way (limit/offset, items with total) in a documented order', () => {
    const paged = operations.filter((o) => {
      const properties = o.op.responses['200']?.content?.['application/json']?.schema?.properties;
      return o.method === 'GET' && properties?.items && properties.total;
    });
    expect(paged.length).toBeGreaterThanOrEqual(8);
    for (const { path, op } of paged) {
      const where = `${op.operationId} ${path}`;
      // The data-quality drill-down and the retention table are whole reports, not pages (README).
      if (op.operationId === 'listDataQualityRecords' || op.operationId === 'getRetention') continue;
      const query = (op.parameters ?? []).filter((p) => p.in === 'query').map((p) => p.name);
      expect(query, where).toEqual(expect.arrayContaining(['limit', 'offset']));
      expect(op.description, where).toMatch(
        /Sorted by .+ Paged by limit\/offset; total counts every match\./,
      );
    }
  });

  it('describes every success answer, and what streams and files send', () => {
    expect(source).not.toContain('Default Response');
    for (const { path, op } of operations) {
      const ok = op.responses['200'];
      if (path.endsWith('/stream'))
        expect(Object.keys(ok?.content ?? {}), path).toEqual(['text/event-stream']);
      if (path.endsWith('/export')) expect(Object.keys(ok?.content ?? {})[0], path).toMatch(/spreadsheetml/);
      const successes = Object.keys(op.responses).filter((s) => s.startsWith('2'));
      expect(successes.length, path).toBeGreaterThan(0);
    }
  });
});
