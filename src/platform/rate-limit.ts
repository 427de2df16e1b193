/**
 * Rate limits on secrets and codes (login, password change, one-time codes, searches that reveal), held in
 * PostgreSQL so that they hold across app instances. A limit allows `max` hits per subject in a fixed window
 * of `windowSeconds`; each hit is one atomic statement (an upsert that resets an ended window), so parallel
 * requests cannot slip past it. Subjects are stored as keyed hashes (`keyed-hash.ts`): the table holds no user name or phone, and
 * a copy of it does not give them back by trying every number.
 *
 * Written here rather than with @fastify/rate-limit: the limits are per account or phone found in the body,
 * some count only failures (a wrong password, not a right one), and one route checks several (per account and
 * per client address) — which that plugin's one-key-per-route model does not express.
 */
import { sql } from 'drizzle-orm';
import type { DbOrTx } from './db/index.ts';
import { rows } from './db/index.ts';
import { Problem } from './http/problem.ts';
import { keyedHash } from './keyed-hash.ts';

export interface RateLimit {
  /** Stable name, part of the key: `login.account`, `login.client` … */
  name: string;
  max: number;
  windowSeconds: number;
}

/** The limits in force; one place, so the README and the tests can list them. */
export const LIMITS = {
  /** Failed logins of one account name, whoever sends them (the lockout itself is a setting per unit). */
  loginAccount: { name: 'login.account', max: 20, windowSeconds: 15 * 60 },
  /**
   * Failed logins from one client address (a shared hall PC logs in many clerks): every attempt is counted
   * up front, so parallel guesses cannot slip past, and a successful one is `forgive`n.
   */
  loginClient: { name: 'login.client', max: 60, windowSeconds: 15 * 60 },
  /** Password changes (wrong current passwords included) of one account. */
  passwordChange: { name: 'password.change', max: 10, windowSeconds: 15 * 60 },
  /** One-time codes sent to one phone number (an SMS costs money and annoys its owner). */
  codeSendPhone: { name: 'code.send.phone', max: 5, windowSeconds: 60 * 60 },
  /** One-time codes asked for from one client address, whatever the numbers. */
  codeSendClient: { name: 'code.send.client', max: 20, windowSeconds: 60 * 60 },
  /** Tries of one-time codes of one phone number (each code also dies after `echannel.codeMaxTries`). */
  codeCheckPhone: { name: 'code.check.phone', max: 10, windowSeconds: 15 * 60 },
  /** Tries of one-time codes from one client address. */
  codeCheckClient: { name: 'code.check.client', max: 30, windowSeconds: 15 * 60 },
} as const satisfies Record<string, RateLimit>;

const keyOf = (limit: RateLimit, subject: string) => keyedHash(limit.name, subject);

/** How long until the window of `start` ends, in whole seconds (at least 1). */
const secondsLeft = (limit: RateLimit, start: Date, now: Date) =>
  Math.max(1, Math.ceil((start.getTime() + limit.windowSeconds * 1000 - now.getTime()) / 1000));

/** 429 with `Retry-After`. */
export function rateLimited(retryAfterSeconds: number): Problem {
  const minutes = Math.ceil(retryAfterSeconds / 60);
  return new Problem(
    429,
    'rate_limited',
    {
      zh: `尝试过于频繁，请 ${minutes} 分钟后再试`,
      en: `Too many attempts; try again in ${minutes} minute${minutes === 1 ? '' : 's'}`,
    },
    [],
    { 'retry-after': String(retryAfterSeconds) },
  );
}

/**
 * Counts one hit of `subject` against `limit`; throws 429 when it is one too many. The hit is counted even
 * when refused, so hammering a limit keeps it closed.
 */
export async function hit(db: DbOrTx, limit: RateLimit, subject: string, now: Date): Promise<void> {
  const windowStart = new Date(now.getTime() - limit.windowSeconds * 1000);
  const [row] = await rows<{ hits: number; window_start: Date | string }>(
    db,
    sql`insert into rate_limits as r (key, window_start, hits) values (${keyOf(limit, subject)}, ${now}, 1)
        on conflict (key) do update set
          hits = case when r.window_start <= ${windowStart} then 1 else r.hits + 1 end,
          window_start = case when r.window_start <= ${windowStart} then ${now} else r.window_start end
        returning hits, window_start`,
  );
  if (++hitsSincePrune >= PRUNE_EVERY) {
    hitsSincePrune = 0;
    await pruneRateLimits(db, now);
  }
  if (row && row.hits > limit.max) throw rateLimited(secondsLeft(limit, new Date(row.window_start), now));
}

/** Every this many hits an instance deletes the counters of long-ended windows (one-off client addresses). */
const PRUNE_EVERY = 1000;
let hitsSincePrune = 0;

/** Throws 429 when `subject` has already used up `limit` (without counting a hit): for limits on failures. */
export async function check(db: DbOrTx, limit: RateLimit, subject: string, now: Date): Promise<void> {
  const [row] = await rows<{ hits: number; window_start: Date | string }>(
    db,
    sql`select hits, window_start from rate_limits where key = ${keyOf(limit, subject)}`,
  );
  if (!row) return;
  const start = new Date(row.window_start);
  if (start.getTime() + limit.windowSeconds * 1000 <= now.getTime()) return;
  if (row.hits >= limit.max) throw rateLimited(secondsLeft(limit, start, now));
}

/** Forgets the hits of `subject` (e.g. the failures of an account after it logged in). */
export async function reset(db: DbOrTx, limit: RateLimit, subject: string): Promise<void> {
  await db.execute(sql`delete from rate_limits where key = ${keyOf(limit, subject)}`);
}

/** Takes back one hit of `subject` (an attempt counted up front that turned out right). */
export async function forgive(db: DbOrTx, limit: RateLimit, subject: string): Promise<void> {
  await db.execute(
    sql`update rate_limits set hits = greatest(hits - 1, 0) where key = ${keyOf(limit, subject)}`,
  );
}

/** Deletes the counters whose window started more than a day ago. */
export async function pruneRateLimits(db: DbOrTx, now: Date): Promise<number> {
  const before = new Date(now.getTime() - 86_400_000);
  const result = await rows<{ key: string }>(
    db,
    sql`delete from rate_limits where window_start < ${before} returning key`,
  );
  return result.length;
}
