/**
 * Test harness: a fresh database (a copy of the test cluster's migrated template, see global-setup.ts, or
 * the DATABASE_URL server reset to empty), migrated, optionally with the demo data, and the real app on it,
 * driven through HTTP with `inject`.
 */
import { inject } from 'vitest';
import pg from 'pg';
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import { sql } from 'drizzle-orm';
import { createApp } from '../../src/app.ts';
import { ManualClock } from '../../src/platform/clock.ts';
import type { Clock } from '../../src/platform/clock.ts';
import type { Database } from '../../src/platform/db/index.ts';
import { migrateDatabase, openDatabase, rows } from '../../src/platform/db/index.ts';
import { DEMO_PASSWORD, seedDemo } from '../../src/modules/demo/seed.ts';

/** An empty, migrated database for a test file; one at a time, closed before the next. */
let freshIsOpen = false;

export async function freshDatabase(): Promise<Database> {
  // On a PostgreSQL server every fresh database resets the one database: a second one while the first
  // is open would wipe it under its app. Refused on the embedded run too, so it fails there first.
  if (freshIsOpen)
    throw new Error(
      'one open fresh database at a time: close the first, or put the test in a file of its own',
    );
  freshIsOpen = true;
  const url = process.env.DATABASE_URL;
  if (!url) return copyOfTemplate();
  const opened = await openDatabase({ url });
  const database: Database = {
    ...opened,
    async close() {
      freshIsOpen = false;
      await opened.close();
    },
  };
  await database.db.execute(
    sql.raw('DROP SCHEMA IF EXISTS drizzle CASCADE; DROP SCHEMA public CASCADE; CREATE SCHEMA public;'),
  );
  await migrateDatabase(database);
  return database;
}

let copies = 0;

/** A new database of the test cluster, copied from its migrated template; dropped when closed. */
async function copyOfTemplate(): Promise<Database> {
  const adminUrl = inject('fuwuClusterAdminUrl');
  if (!adminUrl)
    throw new Error('no test cluster: run the tests through vitest (test/support/global-setup.ts)');
  const name = `fuwu_test_${process.pid}_${++copies}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name} TEMPLATE fuwu_template`);
  } finally {
    await admin.end();
  }
  const opened = await openDatabase({ url: adminUrl.replace('/postgres?', `/${name}?`) });
  const database: Database = {
    ...opened,
    kind: 'embedded',
    async close() {
      freshIsOpen = false;
      await opened.close();
      const dropper = new pg.Client({ connectionString: adminUrl });
      await dropper.connect();
      await dropper.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`).finally(() => dropper.end());
    },
  };
  await migrateDatabase(database); // a no-op on the template's copy; kept so that the check runs
  return database;
}

export interface TestApp {
  app: FastifyInstance;
  database: Database;
  clock: ManualClock;
  /** Logs in and returns the session cookie header value. */
  login(username: string, password?: string): Promise<string>;
  /** An inject as a logged-in user (by cookie). */
  as(cookie: string, options: InjectOptions): Promise<LightMyRequestResponse>;
  close(): Promise<void>;
}

export const TEST_START = '2026-03-02T02:00:00.000Z'; // a Monday, 10:00 in Asia/Shanghai

export async function testApp(
  options: { demo?: boolean; customers?: number; clock?: Clock; workOrders?: boolean } = {},
): Promise<TestApp> {
  const database = await freshDatabase();
  const clock = new ManualClock(TEST_START);
  if (options.demo !== false)
    await seedDemo(database.db, clock, {
      customers: options.customers ?? 40,
      workOrders: options.workOrders ?? false,
    });
  const app = await createApp({ database, clock, webDist: '/nonexistent' });
  await app.ready();
  return {
    app,
    database,
    clock,
    async login(username, password = DEMO_PASSWORD) {
      const res = await app.inject({
        method: 'POST',
        url: '/api/auth/login',
        payload: { username, password },
      });
      if (res.statusCode !== 200) throw new Error(`login ${username} failed: ${res.statusCode} ${res.body}`);
      const cookie = res.cookies.find((c) => c.name === 'fuwu_session');
      return `fuwu_session=${cookie!.value}`;
    },
    as(cookie, injectOptions) {
      return app.inject({ ...injectOptions, headers: { ...(injectOptions.headers ?? {}), cookie } });
    },
    async close() {
      await app.close();
      await database.close();
    },
  };
}

/** The id of a demo unit by its code. */
export async function unitIdByCode(t: TestApp, cookie: string, code: string): Promise<string> {
  const res = await t.as(cookie, { method: 'GET', url: '/api/units' });
  const unit = (res.json() as { id: string; code: string }[]).find((u) => u.code === code);
  if (!unit) throw new Error(`no unit ${code} visible`);
  return unit.id;
}

/** The one-time code the outbox holds for a phone (the demo and tests read it there; a phone reads its SMS). */
export async function codeSentTo(t: TestApp, phone: string): Promise<string> {
  const [row] = await rows<{ code: string }>(
    t.database.db,
    sql`select params->>'code' as code from notify_messages where recipient = ${phone}
        order by created_at desc, id desc limit 1`,
  );
  if (!row) throw new Error(`no code sent to ${phone}`);
  return row.code;
}

/** Proves a phone with a one-time code, as the e-channel page does: the phone capability's bearer token. */
export async function provePhone(
  t: TestApp,
  phone: string,
  options: { hallId?: string; remoteAddress?: string } = {},
): Promise<string> {
  const at = options.remoteAddress ? { remoteAddress: options.remoteAddress } : {};
  const body = { phone, purpose: 'ticket', ...(options.hallId ? { hallId: options.hallId } : {}) };
  const sent = await t.app.inject({ method: 'POST', url: '/api/e/codes', payload: body, ...at });
  if (sent.statusCode !== 202) throw new Error(`code for ${phone}: ${sent.statusCode} ${sent.body}`);
  const code = await codeSentTo(t, phone);
  const res = await t.app.inject({ method: 'POST', url: '/api/e/sessions', payload: { phone, code }, ...at });
  if (res.statusCode !== 201) throw new Error(`session for ${phone}: ${res.statusCode} ${res.body}`);
  return (res.json() as { token: string }).token;
}
