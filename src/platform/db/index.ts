/**
 * Connects to the database: the embedded PGlite in a folder (default `./data`) when no DATABASE_URL is
 * given, a PostgreSQL server when it is. Both get the same Drizzle schema, migrations and LISTEN/NOTIFY.
 */
import { createHash } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { PGlite } from '@electric-sql/pglite';
import { sql } from 'drizzle-orm';
import type { SQL } from 'drizzle-orm';
import type { ExtractTablesWithRelations } from 'drizzle-orm';
import { PgDialect } from 'drizzle-orm/pg-core';
import type { PgDatabase, PgQueryResultHKT, PgTransaction } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import { migrate as migratePg } from 'drizzle-orm/node-postgres/migrator';
import pg from 'pg';
import * as schema from './schema.ts';
import { safeErrorText } from '../log-safety.ts';

export { schema };
export type Schema = typeof schema;
export type Db = PgDatabase<PgQueryResultHKT, Schema>;
export type Tx = PgTransaction<PgQueryResultHKT, Schema, ExtractTablesWithRelations<Schema>>;
/** Either the database or a transaction: what repositories take. */
export type DbOrTx = Db | Tx;

export const migrationsFolder = fileURLToPath(new URL('../../../drizzle', import.meta.url));

/** An open database with what Fuwu needs beyond queries. */
export interface Database {
  db: Db;
  kind: 'embedded' | 'postgres';
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
  /** Folder of the embedded database, or `memory://` for one that lives only in this process. */
  dataDir?: string | undefined;
}

/** Opens the database named by the options (see `OpenOptions`). */
export async function openDatabase(options: OpenOptions): Promise<Database> {
  return options.url ? openServer(options.url) : openEmbedded(options.dataDir ?? './data');
}

async function openEmbedded(dataDir: string): Promise<Database> {
  const client = dataDir === 'memory://' ? new PGlite() : new PGlite(dataDir);
  await client.waitReady;
  const db = drizzlePglite({ client, schema }) as unknown as Db;
  return {
    db,
    kind: 'embedded',
    async listen(channel, onPayload) {
      const unsubscribe = await client.listen(channel, onPayload);
      return async () => unsubscribe();
    },
    async close() {
      await client.close();
    },
  };
}

async function openServer(url: string): Promise<Database> {
  const pool = new pg.Pool({ connectionString: url, max: Number(process.env.FUWU_DB_POOL ?? 10) });
  pool.on('error', (err) => console.error('[db] idle client error', safeErrorText(err)));
  const db = drizzlePg({ client: pool, schema }) as unknown as Db;
  const listeners = new Set<pg.Client>();
  return {
    db,
    kind: 'postgres',
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

/** Applies the migrations in `drizzle/` that the database has not had yet. */
export async function migrateDatabase(database: Database): Promise<void> {
  if (database.kind === 'embedded') {
    await migratePglite(database.db as unknown as Parameters<typeof migratePglite>[0], { migrationsFolder });
  } else {
    await migratePg(database.db as unknown as Parameters<typeof migratePg>[0], { migrationsFolder });
  }
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

/** Runs raw SQL and returns its rows, the same on PGlite and node-postgres. */
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
