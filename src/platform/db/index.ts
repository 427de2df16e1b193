/**
 * Connects to the database: the embedded PostgreSQL on a folder (default `./data`, see `embedded.ts`) when
 * no DATABASE_URL is given, a PostgreSQL server when it is. Both go through node-postgres: the same Drizzle
 * schema, migrations and LISTEN/NOTIFY.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'drizzle-orm';
import type { SQL } from 'drizzle-orm';
import type { ExtractTablesWithRelations } from 'drizzle-orm';
import { PgDialect, PgTransaction } from 'drizzle-orm/pg-core';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import { migrate as migratePg } from 'drizzle-orm/node-postgres/migrator';
import pg from 'pg';
import * as schema from './schema.ts';
import { safeErrorText } from '../log-safety.ts';
import type { Cluster } from './embedded.ts';
import { DataDirError, EXIT, secs, startCluster } from './embedded.ts';

export { schema };
export type Schema = typeof schema;
export type Db = PgDatabase<PgQueryResultHKT, Schema>;
export type Tx = PgTransaction<PgQueryResultHKT, Schema, ExtractTablesWithRelations<Schema>>;
/** Either the database or a transaction: what repositories take. */
export type DbOrTx = Db | Tx;

/**
 * Runs independent reads side by side on the pool, one after another inside a transaction (whose single
 * connection takes one query at a time: node-postgres queues them and warns that pg 9 will refuse).
 */
export async function reads<T extends unknown[]>(
  db: DbOrTx,
  ...work: { [K in keyof T]: () => Promise<T[K]> }
): Promise<T> {
  if (!(db instanceof PgTransaction)) return (await Promise.all(work.map((w) => w()))) as T;
  const out: unknown[] = [];
  for (const w of work) out.push(await w());
  return out as T;
}

export const migrationsFolder = fileURLToPath(new URL('../../../drizzle', import.meta.url));

/** An open database with what Fuwu needs beyond queries. */
export interface Database {
  db: Db;
  kind: 'embedded' | 'postgres';
  /** Its node-postgres connection string. */
  url: string;
  /** The embedded PostgreSQL server, when this is the embedded database. */
  cluster?: Cluster;
  /**
   * Subscribes to a NOTIFY channel; resolves to an unsubscribe function. `onReconnect` is called when a
   * lost listening connection is back (what was notified in between is not delivered).
   */
  listen(
    channel: string,
    onPayload: (payload: string) => void,
    onReconnect?: () => void,
  ): Promise<() => Promise<void>>;
  close(): Promise<void>;
}

export interface OpenOptions {
  /** A PostgreSQL connection string; when absent the embedded database is used. */
  url?: string | undefined;
  /** Folder of the embedded database (default `./data`). */
  dataDir?: string | undefined;
  /** One line per step, each with its time (the embedded database's start, migrations). */
  onStep?: ((line: string) => void) | undefined;
  /**
   * What a new embedded database gets before it takes its name (migrations are applied first): e.g. the
   * demo data. Done in a database named `fuwu_unfinished`, renamed to `fuwu` only when complete, so an
   * interrupted first start leaves nothing that looks fine; the next start drops it and starts over.
   */
  firstRun?: ((database: Database) => Promise<void>) | undefined;
  /** The embedded server in its own session: stopped by `close()`, not by a Ctrl-C to the terminal. */
  detached?: boolean | undefined;
}

/** The name of the app's database in the embedded cluster, and of it while its first start runs. */
export const EMBEDDED_DB = 'fuwu';
const UNFINISHED_DB = 'fuwu_unfinished';

/** Opens the database named by the options (see `OpenOptions`). */
export async function openDatabase(options: OpenOptions): Promise<Database> {
  return options.url ? openServer(options.url) : openEmbedded(options.dataDir ?? './data', options);
}

async function openEmbedded(dataDir: string, options: OpenOptions): Promise<Database> {
  const onStep = options.onStep ?? (() => undefined);
  const cluster = await startCluster(dataDir, { onStep, detached: options.detached });
  try {
    await prepareEmbedded(cluster, options);
    const database = await openServer(cluster.url(EMBEDDED_DB));
    return {
      ...database,
      kind: 'embedded',
      cluster,
      async close() {
        await database.close();
        await cluster.stop();
      },
    };
  } catch (err) {
    await cluster.stop();
    throw err;
  }
}

async function prepareEmbedded(cluster: Cluster, options: OpenOptions): Promise<void> {
  const onStep = options.onStep ?? (() => undefined);
  const admin = new pg.Client({ connectionString: cluster.url('postgres') });
  await admin.connect();
  try {
    const names = (await admin.query<{ datname: string }>('select datname from pg_database')).rows.map(
      (r) => r.datname,
    );
    if (names.includes(EMBEDDED_DB)) return;
    if (names.includes(UNFINISHED_DB)) {
      await admin.query(`DROP DATABASE ${UNFINISHED_DB} WITH (FORCE)`);
      onStep('an earlier first start was interrupted: its unfinished database was dropped, starting over');
    }
    await admin.query(`CREATE DATABASE ${UNFINISHED_DB}`);
    // The first run's thousands of small commits need not each wait for the disk: until the rename below
    // the database is unfinished anyway, and the rename's own commit flushes everything before it.
    await admin.query(`ALTER DATABASE ${UNFINISHED_DB} SET synchronous_commit = off`);
    const unfinished = await openServer(cluster.url(UNFINISHED_DB));
    try {
      await migrateDatabase(unfinished, onStep);
      await options.firstRun?.(unfinished);
    } finally {
      await unfinished.close();
    }
    await admin.query(`ALTER DATABASE ${UNFINISHED_DB} RESET synchronous_commit`);
    await admin.query(`ALTER DATABASE ${UNFINISHED_DB} RENAME TO ${EMBEDDED_DB}`);
  } finally {
    await admin.end();
  }
}

async function openServer(url: string): Promise<Database> {
  const pool = new pg.Pool({ connectionString: url, max: Number(process.env.FUWU_DB_POOL ?? 10) });
  pool.on('error', (err) => console.error('[db] idle client error', safeErrorText(err)));
  const db = drizzlePg({ client: pool, schema }) as unknown as Db;
  const listeners = new Set<pg.Client>();
  return {
    db,
    kind: 'postgres',
    url,
    async listen(channel, onPayload, onReconnect) {
      let client: pg.Client | null = null;
      let stopped = false;
      const connect = async (again = false): Promise<void> => {
        const c = new pg.Client({ connectionString: url });
        c.on('notification', (msg) => {
          if (msg.channel === channel && msg.payload !== undefined) onPayload(msg.payload);
        });
        c.on('error', (err) => {
          console.error('[db] listener lost', safeErrorText(err));
          listeners.delete(c);
          if (!stopped) setTimeout(() => void connect(true).catch(() => undefined), 1000);
        });
        await c.connect();
        await c.query(`LISTEN ${pg.escapeIdentifier(channel)}`);
        client = c;
        listeners.add(c);
        if (again) onReconnect?.();
      };
      await connect();
      return async () => {
        stopped = true;
        if (client) {
          listeners.delete(client);
          await client.end().catch(() => undefined);
        }
      };
    },
    async close() {
      await Promise.all([...listeners].map((c) => c.end().catch(() => undefined)));
      await pool.end();
    },
  };
}

interface JournalEntry {
  idx: number;
  when: number;
  tag: string;
}

/** The migrations this build knows (drizzle/meta/_journal.json). */
export function knownMigrations(): JournalEntry[] {
  const text = readFileSync(join(migrationsFolder, 'meta', '_journal.json'), 'utf8');
  return (JSON.parse(text) as { entries: JournalEntry[] }).entries;
}

/**
 * Applies the migrations in `drizzle/` that the database has not had yet. Refuses (exit code 4) a database
 * that has a migration this build does not know: it was made by a newer Fuwu.
 */
export async function migrateDatabase(database: Database, onStep?: (line: string) => void): Promise<void> {
  const began = performance.now();
  const known = knownMigrations();
  const applied = await appliedMigrations(database.db);
  const whens = new Set(known.map((m) => m.when));
  const strange = applied.filter((when) => !whens.has(when));
  if (strange.length > 0)
    throw new DataDirError(
      `the database has ${strange.length} migration(s) this Fuwu does not know: it was made by a newer ` +
        'version. Run that version, or restore a backup of this one — 数据库来自更新的版本',
      EXIT.newer,
    );
  await migratePg(database.db as unknown as Parameters<typeof migratePg>[0], { migrationsFolder });
  const fresh = known.length - applied.length;
  onStep?.(
    fresh > 0
      ? `migrations ${known.length} of ${known.length} applied (${fresh} new) ${secs(began)}`
      : `migrations ${known.length} of ${known.length}: up to date ${secs(began)}`,
  );
}

async function appliedMigrations(db: Db): Promise<number[]> {
  const [exists] = await rows<{ t: string | null }>(
    db,
    sql`select to_regclass('drizzle.__drizzle_migrations')::text as t`,
  );
  if (!exists?.t) return [];
  const found = await rows<{ when: string }>(
    db,
    sql`select created_at::text as when from drizzle.__drizzle_migrations order by created_at`,
  );
  return found.map((r) => Number(r.when));
}

/** The newest applied migration (its creation time as Drizzle records it), or null before any. */
export async function migrationVersion(db: Db): Promise<{ applied: number; latest: string | null }> {
  const row = (
    await rows<{ n: number; latest: string | null }>(
      db,
      sql`select count(*)::int as n, max(created_at)::text as latest from drizzle.__drizzle_migrations`,
    )
  )[0];
  return { applied: row?.n ?? 0, latest: row?.latest ?? null };
}

/** Runs raw SQL and returns its rows. */
export async function rows<T>(db: DbOrTx, query: SQL): Promise<T[]> {
  const result = (await db.execute(query)) as unknown as { rows: T[] };
  return result.rows;
}

const dialect = new PgDialect();
const statementNames = new Map<string, string>();

/**
 * Runs raw SQL as a named prepared statement (named after its text), so that PostgreSQL parses and plans
 * it once per connection rather than at every call: for the few large queries of the busiest paths. Their
 * text must take one of a few shapes, each of which stays prepared on every connection.
 */
export async function preparedRows<T>(db: DbOrTx, query: SQL): Promise<T[]> {
  const q = dialect.sqlToQuery(query);
  let name = statementNames.get(q.sql);
  if (!name) {
    name = `fuwu_${createHash('sha1').update(q.sql).digest('hex').slice(0, 20)}`;
    if (statementNames.size > 1000) statementNames.clear();
    statementNames.set(q.sql, name);
  }
  const result = await db._.session.prepareQuery(q, undefined, name, false).execute();
  return (result as { rows: T[] }).rows;
}

/** Escapes LIKE wildcards in user input, so `_` and `%` match themselves. */
export function escapeLike(s: string): string {
  return s.replace(/[\\%_]/g, (c) => `\\${c}`);
}
