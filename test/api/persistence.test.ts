/**
 * The embedded database keeps its data in a folder: what was seeded is there after closing and reopening,
 * and migrating again changes nothing. (Embedded only: a PostgreSQL server keeps data by itself.)
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { createApp } from '../../src/app.ts';
import { DEMO_PASSWORD, DEMO_STAFF, DEMO_UNITS, seedDemo } from '../../src/modules/demo/seed.ts';
import { ManualClock } from '../../src/platform/clock.ts';
import type { Database } from '../../src/platform/db/index.ts';
import { migrateDatabase, migrationVersion, openDatabase, rows } from '../../src/platform/db/index.ts';
import { TEST_START } from '../support/app.ts';

const counts = async (database: Database) =>
  (
    await rows<{ units: number; staff: number; customers: number; events: number }>(
      database.db,
      sql`select (select count(*)::int from units) as units, (select count(*)::int from staff) as staff,
                 (select count(*)::int from customers) as customers, (select count(*)::int from events) as events`,
    )
  )[0]!;

describe.skipIf(Boolean(process.env.DATABASE_URL))('embedded database in a folder', () => {
  let dir: string;
  let first: Awaited<ReturnType<typeof counts>>;
  let firstVersion: Awaited<ReturnType<typeof migrationVersion>>;
  const clock = new ManualClock(TEST_START);

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'fuwu-persist-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('migrates and seeds a new folder in its first run, under a name it takes only when complete', async () => {
    const steps: string[] = [];
    let inFirstRun: string | null = null;
    const database = await openDatabase({
      dataDir: dir,
      onStep: (line) => steps.push(line),
      async firstRun(fresh) {
        // Migrated already, and not yet the app's database.
        expect((await migrationVersion(fresh.db)).applied).toBeGreaterThan(0);
        inFirstRun = (await rows<{ db: string }>(fresh.db, sql`select current_database() as db`))[0]!.db;
        expect(await seedDemo(fresh.db, clock, { customers: 12 })).toBe(true);
      },
    });
    expect(database.kind).toBe('embedded');
    expect(inFirstRun).toBe('fuwu_unfinished');
    expect((await rows<{ db: string }>(database.db, sql`select current_database() as db`))[0]!.db).toBe(
      'fuwu',
    );
    expect(steps.some((l) => l.startsWith('database cluster created'))).toBe(true);
    expect(steps.some((l) => /^migrations \d+ of \d+ applied/.test(l))).toBe(true);
    firstVersion = await migrationVersion(database.db);
    expect(firstVersion.applied).toBeGreaterThan(0);
    first = await counts(database);
    expect(first).toMatchObject({ units: DEMO_UNITS.length, staff: DEMO_STAFF.length, customers: 12 });
    await database.close();
    // A folder's first migrate and seed in the WASM database takes 10–20 s alone, more on a busy machine.
  }, 180_000);

  it('finds everything again after reopening, and migrating again is a no-op', async () => {
    const database = await openDatabase({ dataDir: dir });
    try {
      expect(await counts(database)).toEqual(first);
      await migrateDatabase(database);
      expect(await migrationVersion(database.db)).toEqual(firstVersion);
      expect(await counts(database)).toEqual(first);
      // Seeding a database that has an organisation does nothing.
      expect(await seedDemo(database.db, clock, { customers: 12 })).toBe(false);
      expect(await counts(database)).toEqual(first);
      const codes = await rows<{ code: string }>(database.db, sql`select code from units order by code`);
      expect(codes.map((r) => r.code)).toEqual(DEMO_UNITS.map((u) => u.code).sort());

      // The reopened database serves the app: the demo administrator logs in and sees the province.
      const app = await createApp({ database, clock, webDist: '/nonexistent' });
      try {
        const login = await app.inject({
          method: 'POST',
          url: '/api/auth/login',
          payload: { username: 'admin', password: DEMO_PASSWORD },
        });
        expect(login.statusCode, login.body).toBe(200);
        const units = await app.inject({
          method: 'GET',
          url: '/api/units',
          headers: { authorization: `Bearer ${login.json().token}` },
        });
        expect((units.json() as { code: string }[]).map((u) => u.code)).toContain('YC-QY-H01');
      } finally {
        await app.close();
      }
    } finally {
      await database.close();
    }
  });

  it('keeps what the app wrote before it closed', async () => {
    const database = await openDatabase({ dataDir: dir });
    try {
      const now = await counts(database);
      expect(now.events).toBe(first.events + 1); // the login of the previous test
      expect(now.units).toBe(first.units);
    } finally {
      await database.close();
    }
  });
});
