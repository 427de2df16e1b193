/**
 * The lockout under concurrent guessing: many wrong logins for one account at once, with the right password
 * among them, on one app instance (embedded or PostgreSQL) and on two instances sharing one PostgreSQL
 * database. Every failure that reaches the password check is counted (none lost to a race), the account
 * ends locked, and the right password is refused once the lock is in place.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { and, eq } from 'drizzle-orm';
import { createApp } from '../../src/app.ts';
import { DEMO_PASSWORD } from '../../src/modules/demo/seed.ts';
import type { Database } from '../../src/platform/db/index.ts';
import { openDatabase, schema } from '../../src/platform/db/index.ts';
import type { TestApp } from '../support/app.ts';
import { testApp } from '../support/app.ts';

let t: TestApp;
beforeAll(async () => {
  t = await testApp();
});
afterAll(() => t.close());

const WRONG = 60;
/** The right password goes out after the 5th wrong one: within the 20 the account's rate limit lets through, so
 * it reaches the password check while the parallel failures are locking the account. */
const RIGHT_AT = 5;

/** Sends WRONG wrong logins and the right one in the middle, all at once, spread over `apps`. */
async function race(apps: FastifyInstance[], username: string) {
  const send = (i: number, password: string) =>
    apps[i % apps.length]!.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { username, password },
      // From many addresses (a botnet): the per-address limit does not stop them, the lockout must.
      remoteAddress: `10.${apps.length}.${Math.floor(i / 200)}.${(i % 200) + 1}`,
    });
  const requests = Array.from({ length: WRONG }, (_, i) => send(i, `Wrong-guess-${i}`));
  requests.splice(RIGHT_AT, 0, send(WRONG, DEMO_PASSWORD));
  const answers = await Promise.all(requests);
  const right = answers[RIGHT_AT]!;
  const wrong = answers.filter((_, i) => i !== RIGHT_AT);
  const [row] = await t.database.db
    .select({
      id: schema.staff.id,
      failed: schema.staff.failedAttempts,
      lockedUntil: schema.staff.lockedUntil,
    })
    .from(schema.staff)
    .where(eq(schema.staff.username, username));
  const eventsOf = (action: string) =>
    t.database.db
      .select({ id: schema.events.id })
      .from(schema.events)
      .where(and(eq(schema.events.action, action), eq(schema.events.subjectId, row!.id)))
      .orderBy(schema.events.id);
  return { right, wrong, row: row!, eventsOf };
}

async function expectLockHeld(apps: FastifyInstance[], username: string) {
  const { right, wrong, row, eventsOf } = await race(apps, username);
  // Every wrong guess is refused, as a wrong password or by the per-account rate limit (20 in 15 minutes).
  for (const res of wrong) expect([401, 429]).toContain(res.statusCode);
  const refused = wrong.filter((r) => r.statusCode === 401).length;
  const limited = wrong.filter((r) => r.statusCode === 429).length;
  expect(refused + limited).toBe(WRONG);
  // The account is locked.
  expect(row.lockedUntil!.getTime()).toBeGreaterThan(t.clock.now().getTime());
  expect(row.failed).toBeGreaterThanOrEqual(5);
  const locked = await eventsOf('auth.locked');
  expect(locked).toHaveLength(1);
  const logins = await eventsOf('auth.login');
  if (right.statusCode === 200) {
    // Only possible before the lock: then the counter was reset and counted again from there.
    expect(logins).toHaveLength(1);
    expect(logins[0]!.id < locked[0]!.id).toBe(true);
  } else {
    expect([401, 429]).toContain(right.statusCode);
    expect(logins).toHaveLength(0);
    // No failure lost: the counter holds every wrong guess that reached the password check.
    expect(row.failed).toBe(refused);
  }
  // Once the lock is in place the right password is refused, looking like a wrong one (limits cleared first).
  await t.database.db.delete(schema.rateLimits);
  const after = await apps[apps.length - 1]!.inject({
    method: 'POST',
    url: '/api/auth/login',
    payload: { username, password: DEMO_PASSWORD },
  });
  expect(after.statusCode).toBe(401);
  expect(after.json().code).toBe('invalid_credentials');
  console.log(
    `lockout race on ${apps.length} instance(s): ${WRONG + 1} parallel logins, ${refused} counted failures, ` +
      `${limited} rate-limited, right one ${right.statusCode}, locked: ${row.lockedUntil !== null}`,
  );
}

describe('parallel wrong logins on one instance', () => {
  it('lock the account, count every failure and refuse the right password once locked', async () => {
    await expectLockHeld([t.app], 'qy_sales');
  });
});

describe.skipIf(!process.env.DATABASE_URL)('parallel wrong logins on two instances, one PostgreSQL', () => {
  let databaseB: Database;
  let appB: FastifyInstance;
  beforeAll(async () => {
    databaseB = await openDatabase({ url: process.env.DATABASE_URL });
    appB = await createApp({ database: databaseB, clock: t.clock, webDist: '/nonexistent' });
    await appB.ready();
  });
  afterAll(async () => {
    await appB?.close();
    await databaseB?.close();
  });

  it('lock the account, count every failure and refuse the right password once locked', async () => {
    await expectLockHeld([t.app, appB], 'qy_consult');
  });
});
