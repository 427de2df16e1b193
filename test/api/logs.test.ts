/**
 * Personal data never reaches a log. Errors that carry it — a unique violation on a phone used as a user
 * name, an ID number cast into a date, a phone into a uuid column, a NUL byte in text, a prepared statement —
 * are provoked through HTTP with the server's log captured in a buffer, through the queue timer's logger
 * and as the CLI prints them; the captured text is searched for the digits: none. What is logged instead is
 * the statement's shape (`insert into staff`) and the shape of its inputs (`text(11)`).
 */
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { MODULE_ROUTES } from '../../src/app.ts';
import { authenticate } from '../../src/modules/auth/service.ts';
import { seedDemo } from '../../src/modules/demo/seed.ts';
import { ManualClock } from '../../src/platform/clock.ts';
import type { Database } from '../../src/platform/db/index.ts';
import { preparedRows, schema } from '../../src/platform/db/index.ts';
import { buildServer } from '../../src/platform/http/server.ts';
import { newId } from '../../src/platform/ids.ts';
import { safeError, safeErrorText } from '../../src/platform/log-safety.ts';
import { TEST_START, freshDatabase } from '../support/app.ts';

const PHONE = '13812345678';
const PHONE2 = '13987654321';
const ID_NUMBER = '110101199003071234';
const ADDRESS = '云川省青原市人民路88号';
const NAME = '张小明';
/** What must never appear: each number, and its longest runs (a partly masked one would still leak). */
const SECRETS = [PHONE, PHONE2, ID_NUMBER, ADDRESS, NAME, '12345678', '87654321', '19900307'];

let database: Database;
let app: FastifyInstance;
let log = '';
let unit: { id: string; provinceId: string };

/** Routes that run statements failing with personal data in their parameters, as a bug might. */
const provoke: FastifyPluginAsyncZod = async (api) => {
  const db = () => api.deps.database.db;
  const staffRow = (username: string) => ({
    id: newId(),
    provinceId: unit.provinceId,
    unitId: unit.id,
    username,
    name: NAME,
    phone: PHONE2,
    passwordHash: 'x',
    passwordChangedAt: new Date(),
    createdAt: new Date(),
  });
  const opts = { config: { public: true }, schema: { hide: true } } as const;
  api.post('/api/test/duplicate-phone', opts, async () => {
    await db().insert(schema.staff).values(staffRow(PHONE));
    await db().insert(schema.staff).values(staffRow(PHONE)); // unique violation: Key (username)=(1381…)
    return {};
  });
  api.post('/api/test/id-number-as-date', opts, async () => {
    await db().execute(sql`select ${ID_NUMBER}::date as d, ${ADDRESS} as a`);
    return {};
  });
  api.post('/api/test/phone-as-uuid', opts, async () => {
    await db().insert(schema.customers).values({
      provinceId: unit.id,
      id: newId(),
      unitId: PHONE,
      unitPath: '/x/',
      kind: 'individual',
      name: NAME,
      idDocKind: 'id_card',
      idDocNumber: ID_NUMBER,
      contactPhone: PHONE2,
      address: ADDRESS,
      clubTier: 'ordinary',
      createdAt: new Date(),
      updatedAt: new Date(),
    });
    return {};
  });
  api.post('/api/test/nul-in-text', opts, async () => {
    await db().execute(sql`select ${`${PHONE}\u0000${ID_NUMBER}`}::text as t`);
    return {};
  });
  api.post('/api/test/prepared', opts, async () => {
    await preparedRows(db(), sql`select ${PHONE}::int + ${ID_NUMBER}::int as n`);
    return {};
  });
};

beforeAll(async () => {
  database = await freshDatabase();
  const clock = new ManualClock(TEST_START);
  await seedDemo(database.db, clock, { customers: 0 });
  const units = await database.db
    .select({ id: schema.units.id, provinceId: schema.units.provinceId })
    .from(schema.units)
    .limit(1);
  unit = units[0]!;
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      log += chunk.toString('utf8');
      done();
    },
  });
  app = await buildServer({
    database,
    clock,
    webDist: '/nonexistent',
    logger: true,
    logStream: sink,
    authenticate: (token, now) => authenticate(database.db, token, now),
    modules: [...MODULE_ROUTES, provoke],
  });
  await app.ready();
});
afterAll(async () => {
  await app.close();
  await database.close();
});

const expectClean = (text: string) => {
  for (const s of SECRETS) expect(text, `the log holds ${s}`).not.toContain(s);
};

describe('errors with personal data, logged', () => {
  it('over HTTP: 500 problem to the caller, the statement shape in the log, no personal data', async () => {
    for (const path of ['duplicate-phone', 'id-number-as-date', 'phone-as-uuid', 'nul-in-text', 'prepared']) {
      const res = await app.inject({ method: 'POST', url: `/api/test/${path}?phone=${PHONE}` });
      expect(res.statusCode, path).toBe(500);
      expect(res.headers['content-type']).toContain('application/problem+json');
      expectClean(res.body);
    }
    const lines = log.split('\n').filter((l) => l.includes('unhandled error'));
    expect(lines.length).toBe(5);
    expect(log).toContain('insert into staff');
    expect(log).toContain('insert into customers');
    expect(log).toContain('text(11)');
    expect(log).toContain('23505'); // the SQLSTATE of the unique violation stays, for whoever reads the log
    expectClean(log);
  });

  it('as the queue timer logs it', async () => {
    const error = await database.db
      .insert(schema.staff)
      .values({
        id: newId(),
        provinceId: unit.provinceId,
        unitId: unit.id,
        username: PHONE, // taken by the first test: a unique violation
        name: NAME,
        phone: PHONE2,
        passwordHash: ID_NUMBER,
        passwordChangedAt: new Date(),
        createdAt: new Date(),
      })
      .then(
        () => null,
        (e: unknown) => e,
      );
    expect(error).toBeInstanceOf(Error);
    expect(JSON.stringify(error, Object.getOwnPropertyNames(error))).toContain(PHONE); // it carries them
    app.log.error({ err: error }, 'queue timer');
    expect(log).toContain('queue timer');
    expectClean(log);
  });

  it('as the CLI and the database console print it', async () => {
    const error = await database.db.execute(sql`select ${PHONE}::uuid`).then(
      () => null,
      (e: unknown) => e,
    );
    const text = safeErrorText(error);
    expect(text).toContain('select');
    expectClean(text);
    expectClean(JSON.stringify(safeError(error)));
  });
});
