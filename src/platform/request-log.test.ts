/** The request log as text: one readable line per request, only at `info`; errors always; no personal data. */
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { createApp } from '../app.ts';
import { ManualClock } from './clock.ts';
import type { Database } from './db/index.ts';
import { freshDatabase } from '../../test/support/app.ts';
import { humanLine, loggablePath } from './request-log.ts';
import type { LogLevel } from './request-log.ts';

describe('lines', () => {
  it.each([
    ['/api/customers?q=13812345678', '/api/customers'],
    ['/api/phones/13812345678/tickets', '/api/phones/<digits:11>/tickets'],
    ['/api/halls/0190c8a2-1b2c-7d3e-8f40-123456789abc', '/api/halls/0190c8a2-1b2c-7d3e-8f40-123456789abc'],
  ])('the path of %s is logged as %s', (url, path) => {
    expect(loggablePath(url)).toBe(path);
  });

  it('a request line is time, method, path, status and milliseconds', () => {
    const at = new Date(2026, 2, 2, 9, 5, 7).getTime();
    const line = humanLine(
      JSON.stringify({
        level: 30,
        time: at,
        msg: 'request',
        method: 'GET',
        path: '/api/x',
        status: 200,
        ms: 4,
      }),
    );
    expect(line).toBe('09:05:07 GET /api/x 200 4 ms');
  });

  it('an error line names the error, its code and statement shape', () => {
    const line = humanLine(
      JSON.stringify({
        level: 50,
        time: 0,
        msg: 'unhandled error',
        reqId: 'r1',
        err: { type: 'DrizzleQueryError', message: 'failed', code: '23505', statement: 'insert into staff' },
      }),
    );
    expect(line).toMatch(
      /^\d\d:\d\d:\d\d ERROR unhandled error — DrizzleQueryError: failed \(23505; insert into staff\) \(request r1\)$/,
    );
  });
});

let database: Database;
beforeAll(async () => {
  database = await freshDatabase();
});
afterAll(async () => {
  await database.close();
});

async function logOf(level: LogLevel, urls: string[]): Promise<string> {
  let out = '';
  const sink = new Writable({
    write(chunk: Buffer, _e, done) {
      out += chunk.toString();
      done();
    },
  });
  const app: FastifyInstance = await createApp({
    database,
    clock: new ManualClock('2026-03-02T02:00:00.000Z'),
    logger: true,
    logLevel: level,
    logFormat: 'human',
    logStream: sink,
    webDist: '/nonexistent',
  });
  for (const url of urls) await app.inject({ method: 'GET', url });
  await app.close();
  await new Promise((r) => setTimeout(r, 50));
  return out;
}

describe('the server’s log', () => {
  const urls = ['/api/health', '/api/customers?q=13812345678', '/api/nope/13812345678'];

  it('is quiet by default (warn): no line for a request that went well or was refused', async () => {
    expect(await logOf('warn', urls)).toBe('');
  });

  it('at info: one line per request, in text, without the query or the phone number', async () => {
    const lines = (await logOf('info', urls)).trim().split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatch(/^\d\d:\d\d:\d\d GET \/api\/health 200 \d+ ms$/);
    expect(lines[1]).toMatch(/^\d\d:\d\d:\d\d GET \/api\/customers 401 \d+ ms$/);
    expect(lines[2]).toMatch(/^\d\d:\d\d:\d\d GET \/api\/nope\/<digits:11> 404 \d+ ms$/);
    for (const l of lines) expect(l).not.toContain('1381234');
  });
});
