/**
 * The edges: bad bytes anywhere in a request are a 400 problem+json and write nothing; errors the framework
 * or Node's HTTP parser raises itself (bad percent-encoding, a too long address, headers too large, broken
 * chunked framing, an unknown method) are problem+json too — tried over raw sockets where inject cannot.
 */
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import type { TestApp } from '../support/app.ts';
import { testApp, unitIdByCode } from '../support/app.ts';
import { rows } from '../../src/platform/db/index.ts';

let t: TestApp;
let admin: string;
let hall: string;
let port: number;

beforeAll(async () => {
  t = await testApp({ customers: 5 });
  admin = await t.login('admin');
  hall = await unitIdByCode(t, admin, 'YC-QY-H01');
  const address = await t.app.listen({ port: 0, host: '127.0.0.1' });
  port = Number(new URL(address).port);
});
afterAll(() => t.close());

async function eventCount(): Promise<number> {
  return (await rows<{ n: number }>(t.database.db, sql`select count(*)::int as n from events`))[0]!.n;
}

function expectProblem(
  res: { statusCode: number; headers: Record<string, unknown>; json(): unknown },
  status: number,
  where: string,
) {
  expect(res.statusCode, where).toBe(status);
  expect(String(res.headers['content-type']), where).toContain('application/problem+json');
  const body = res.json() as { status: number; messages: Record<string, string> };
  expect(body.status, where).toBe(status);
  expect(body.messages['zh-CN'], where).toMatch(/[\u4e00-\u9fff]/);
  expect(body.messages['en-US'], where).toBeTruthy();
}

const NUL = '\u0000';
const HIGH = '\uD800';
const LOW = '\uDC00';

describe('bad bytes', () => {
  const bodies = (bad: string): [string, string, unknown][] => [
    ['POST', '/api/customers', { name: `张${bad}三`, phone: '13800000000' }],
    ['POST', '/api/units', { parentId: hall, kind: 'hall', code: `X${bad}`, name: 'n' }],
    ['POST', '/api/auth/login', { username: `admin${bad}`, password: 'x' }],
    ['POST', `/api/halls/${hall}/tickets`, { serviceCode: 'A', phone: `138${bad}` }],
    ['POST', '/api/customers', { deep: { deeper: [{ [`k${bad}`]: 1 }] }, name: 'a', phone: '13800000000' }],
    ['PATCH', `/api/units/${hall}`, { address: `路${bad}` }],
    ['POST', '/api/staff', { unitId: hall, username: 'u1', name: `名${bad}`, positions: ['clerk'] }],
  ];

  for (const [label, bad] of [
    ['NUL', NUL],
    ['a lone high surrogate', HIGH],
    ['a lone low surrogate', LOW],
  ] as const) {
    it(`${label} in a JSON value or key: 400, nothing written`, async () => {
      for (const [method, url, payload] of bodies(bad)) {
        const before = await eventCount();
        const res = await t.as(admin, { method: method as 'POST', url, payload: payload as object });
        expectProblem(res, 400, `${method} ${url}`);
        expect(await eventCount(), `${method} ${url}`).toBe(before);
      }
    });

    // A URL cannot carry a lone surrogate (its bytes are not UTF-8): the nearest is invalid UTF-8, never a 500.
    it(`${label} in a query value or a path parameter: 4xx or taken as text, never a 500`, async () => {
      const enc = bad === NUL ? '%00' : bad === HIGH ? '%ED%A0%80' : '%ED%B0%80';
      for (const url of [
        `/api/customers?q=${enc}`,
        `/api/audit?action=${enc}`,
        `/api/settings/queue.waitMinutes${enc}/history`,
        `/api/customers/lookup?phone=138${enc}`,
      ]) {
        const res = await t.as(admin, { method: 'GET', url });
        expect(res.statusCode, url).toBeLessThan(500);
        if (bad === NUL) expect(res.statusCode, url).toBeGreaterThanOrEqual(400);
        if (res.statusCode >= 400) {
          expect(String(res.headers['content-type']), url).toContain('application/problem+json');
        }
      }
    });
  }

  it('NUL in a query value (JSON-escaped by the client) is refused with the field named', async () => {
    const res = await t.as(admin, { method: 'GET', url: '/api/customers?q=%00' });
    expectProblem(res, 400, 'q');
    expect((res.json() as { code: string }).code).toBe('bad_characters');
  });

  it('a lone surrogate in the ticket key header: 400', async () => {
    const res = await t.as(admin, {
      method: 'GET',
      url: '/api/tickets/00000000-0000-4000-8000-000000000000',
      headers: { 'x-ticket-key': 'abc\u0000' },
    });
    expect(res.statusCode).toBeLessThan(500);
  });

  it('too deep a body: 400', async () => {
    const deep = `{"name":${'['.repeat(5000)}"x"${']'.repeat(5000)}}`;
    const res = await t.as(admin, {
      method: 'POST',
      url: '/api/customers',
      headers: { 'content-type': 'application/json' },
      payload: deep,
    });
    expectProblem(res, 400, 'deep');
  });

  it('normalises text to NFC', async () => {
    const decomposed = '云川e\u0301'; // é as e + combining acute
    const res = await t.as(admin, {
      method: 'PATCH',
      url: `/api/units/${hall}`,
      payload: { address: decomposed },
    });
    expect(res.statusCode, res.body).toBe(200);
    const got = await t.as(admin, { method: 'GET', url: `/api/units/${hall}` });
    expect((got.json() as { address: string }).address).toBe(decomposed.normalize('NFC'));
  });
});

/** Sends raw bytes and resolves with the raw response (until the server closes or a full body). */
function raw(request: string | Buffer): Promise<{ status: number; headers: string; body: string }> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let data = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => {
      data += chunk;
      const end = data.indexOf('\r\n\r\n');
      const length = /content-length: (\d+)/i.exec(data)?.[1];
      if (end >= 0 && length && Buffer.byteLength(data.slice(end + 4)) >= Number(length)) socket.end();
    });
    socket.on('error', reject);
    socket.on('close', () => {
      const end = data.indexOf('\r\n\r\n');
      resolve({
        status: Number(/^HTTP\/1\.1 (\d{3})/.exec(data)?.[1] ?? 0),
        headers: data.slice(0, end),
        body: data.slice(end + 4),
      });
    });
    socket.write(request);
  });
}

function expectRawProblem(
  res: { status: number; headers: string; body: string },
  status: number,
  where: string,
) {
  expect(res.status, where).toBe(status);
  expect(res.headers.toLowerCase(), where).toContain('content-type: application/problem+json');
  const body = JSON.parse(res.body) as { status: number; messages: Record<string, string> };
  expect(body.status, where).toBe(status);
  expect(body.messages['zh-CN'], where).toBeTruthy();
  expect(body.messages['en-US'], where).toBeTruthy();
}

describe('errors the framework and Node raise themselves', () => {
  it('bad percent-encoding in the path: 400 problem', async () => {
    const res = await t.as(admin, { method: 'GET', url: '/api/units/%E0%A4%A' });
    expectProblem(res, 400, 'bad url');
    const onSocket = await raw(`GET /api/staff/%zz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`);
    expect(onSocket.status).toBeGreaterThanOrEqual(400);
    expect(onSocket.status).toBeLessThan(500);
    expect(onSocket.headers.toLowerCase()).toContain('application/problem+json');
  });

  it('a too long path parameter: 414 problem', async () => {
    const res = await t.as(admin, { method: 'GET', url: `/api/units/${'a'.repeat(5000)}` });
    expectProblem(res, 414, 'long param');
  });

  it('headers too large (also a too long URI): 431 problem', async () => {
    const big = await raw(`GET /api/health HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`);
    expectRawProblem(big, 431, 'big header');
    const longUri = await raw(`GET /api/health?q=${'a'.repeat(20_000)} HTTP/1.1\r\nHost: x\r\n\r\n`);
    expectRawProblem(longUri, 431, 'long uri');
  });

  it('malformed chunked framing: 400 problem', async () => {
    const res = await raw(
      `POST /api/auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n` +
        `Transfer-Encoding: chunked\r\n\r\nzz\r\n{}\r\n0\r\n\r\n`,
    );
    expectRawProblem(res, 400, 'chunked');
  });

  it('garbage instead of HTTP: 400 problem', async () => {
    expectRawProblem(await raw('HELLO\r\n\r\n'), 400, 'garbage');
  });

  it('an unknown method and an unsupported one: 4xx problem', async () => {
    for (const method of ['PROPFIND', 'TRACE', 'CONNECT'] as const) {
      const res = await raw(`${method} /api/units HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`);
      expect(res.status, method).toBeGreaterThanOrEqual(400);
      expect(res.status, method).toBeLessThan(500);
      expect(res.headers.toLowerCase(), method).toContain('application/problem+json');
    }
  });

  it('a body too large: 413 problem; an unsupported media type: 415 problem', async () => {
    const big = await t.as(admin, {
      method: 'POST',
      url: '/api/units',
      headers: { 'content-type': 'application/json' },
      payload: `{"name":"${'a'.repeat(2_000_000)}"}`,
    });
    expectProblem(big, 413, 'big body');
    const media = await t.as(admin, {
      method: 'POST',
      url: '/api/units',
      headers: { 'content-type': 'text/xml' },
      payload: '<a/>',
    });
    expectProblem(media, 415, 'media');
  });
});
