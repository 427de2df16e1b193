/**
 * A keyed hash (HMAC-SHA256 under the installation's own key) for values with few possibilities — phone
 * numbers, account names, client addresses — that Fuwu keeps only as hashes (rate-limit counters, e-channel
 * codes and sessions). A plain SHA-256 of a phone number is undone by hashing every number there is (10¹¹
 * tries); with the key, a copy of the database alone gives nothing back.
 *
 * The key is 32 random bytes made by migration 0008 in the database itself (`installation_secrets`), so every
 * app instance on one database uses the same key, a backup carries it, and no configuration is needed. The
 * server loads it once at start (`loadHashKey`); hashing before that is a programming error and throws.
 */
import { createHmac } from 'node:crypto';
import { sql } from 'drizzle-orm';
import type { DbOrTx } from './db/index.ts';
import { rows } from './db/index.ts';

let key: Buffer | null = null;

/** Reads the installation's hash key from the database (made by its migrations). */
export async function loadHashKey(db: DbOrTx): Promise<void> {
  const [row] = await rows<{ value: Buffer }>(
    db,
    sql`select value from installation_secrets where name = 'hash_key'`,
  );
  if (!row || row.value.length < 16) throw new Error('the database has no hash key: run its migrations');
  key = row.value;
}

/** HMAC-SHA256 of `value` in the domain `domain` (e.g. `phone`, a rate limit's name), hex. */
export function keyedHash(domain: string, value: string): string {
  if (!key) throw new Error('keyedHash before loadHashKey');
  return createHmac('sha256', key).update(`${domain}\u0000${value}`).digest('hex');
}
