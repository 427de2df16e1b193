/**
 * The shared rate limits: atomic under parallel hits, windows that end, checks that do not count, no subject
 * stored — not even as a plain hash a copy of the table could be searched with (the installation's key).
 */
import { createHash, createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import type { Database } from '../../src/platform/db/index.ts';
import { rows } from '../../src/platform/db/index.ts';
import { Problem } from '../../src/platform/http/problem.ts';
import { keyedHash, loadHashKey } from '../../src/platform/keyed-hash.ts';
import { check, hit, pruneRateLimits, reset } from '../../src/platform/rate-limit.ts';
import { freshDatabase } from '../support/app.ts';

let database: Database;
beforeAll(async () => {
  database = await freshDatabase();
  await loadHashKey(database.db);
});
afterAll(() => database.close());

const limit = { name: 'test.limit', max: 5, windowSeconds: 60 };
const t0 = new Date('2026-03-02T02:00:00Z');
const at = (seconds: number) => new Date(t0.getTime() + seconds * 1000);

async function outcome(p: Promise<void>): Promise<number | 'ok'> {
  try {
    await p;
    return 'ok';
  } catch (e) {
    if (e instanceof Problem) return Number(e.headers['retry-after']);
    throw e;
  }
}

describe('rate limits', () => {
  it('lets exactly max of 30 parallel hits through, and says when to come back', async () => {
    const results = await Promise.all(
      Array.from({ length: 30 }, () => outcome(hit(database.db, limit, 'parallel', at(10)))),
    );
    expect(results.filter((r) => r === 'ok')).toHaveLength(5);
    expect(new Set(results.filter((r) => r !== 'ok'))).toEqual(new Set([60]));
  });

  it('opens again when the window has ended', async () => {
    for (let i = 0; i < 5; i++) await hit(database.db, limit, 'window', at(0));
    await expect(hit(database.db, limit, 'window', at(59))).rejects.toMatchObject({ status: 429 });
    await expect(hit(database.db, limit, 'window', at(60))).resolves.toBeUndefined();
  });

  it('check does not count, and refuses once the hits are used up; reset clears them', async () => {
    for (let i = 0; i < 10; i++) await check(database.db, limit, 'check', at(0));
    for (let i = 0; i < 5; i++) await hit(database.db, limit, 'check', at(0));
    await expect(check(database.db, limit, 'check', at(1))).rejects.toMatchObject({
      status: 429,
      code: 'rate_limited',
    });
    await check(database.db, limit, 'check', at(61));
    await reset(database.db, limit, 'check');
    await hit(database.db, limit, 'check', at(2));
  });

  it('stores neither the subject nor the limit in clear, and prunes old windows', async () => {
    await hit(database.db, limit, '13812345678', at(0));
    const stored = await rows<{ key: string }>(database.db, sql`select key from rate_limits`);
    expect(stored.some((r) => r.key.includes('1381234') || r.key.includes('test.limit'))).toBe(false);
    // Not the plain SHA-256 that hashing every phone number would find; the HMAC under the database's own key.
    const plain = createHash('sha256').update('test.limit\u000013812345678').digest('hex');
    expect(stored.map((r) => r.key)).not.toContain(plain);
    const [secret] = await rows<{ value: Buffer }>(
      database.db,
      sql`select value from installation_secrets where name = 'hash_key'`,
    );
    expect(secret!.value.length).toBe(32);
    const keyed = createHmac('sha256', secret!.value).update('test.limit\u000013812345678').digest('hex');
    expect(stored.map((r) => r.key)).toContain(keyed);
    expect(keyedHash('test.limit', '13812345678')).toBe(keyed);
    expect(await pruneRateLimits(database.db, at(86_400 + 1))).toBeGreaterThan(0);
  });
});
