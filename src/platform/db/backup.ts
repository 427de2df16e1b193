/**
 * `fuwu backup` / `fuwu restore`: a consistent copy of the app's database while it runs, and its load into
 * a new data folder. The shipped PostgreSQL binaries have no pg_dump (only initdb, pg_ctl, postgres), and a
 * PostgreSQL 15 pg_dump on the machine refuses a server of 18, so the copy is logical and made here: every
 * table of the `public` schema read in ONE repeatable-read, read-only transaction (one snapshot, so the copy
 * is consistent without stopping anyone), written as gzip'd JSON lines:
 *
 *   {"fuwu":"backup","format":1,"migrations":[…],"madeAt":"…"}   the header: the schema version by migration
 *   {"table":"units","columns":[…]}                                 then, per table, its columns
 *   […values…]                                                      and one line per row
 *
 * A restore migrates a new database to this build's schema and loads the rows into it in one transaction
 * (row triggers and foreign-key checks off: the copy is consistent as a whole), under the same "unfinished until renamed" rule as a first start.
 */
import { createReadStream, createWriteStream } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { once } from 'node:events';
import { createGunzip, createGzip } from 'node:zlib';
import { finished } from 'node:stream/promises';
import pg from 'pg';
import { DataDirError, EXIT, isEmptyDir } from './embedded.ts';
import { knownMigrations, openDatabase } from './index.ts';

interface Header {
  fuwu: 'backup';
  format: 1;
  migrations: number[];
  madeAt: string;
}

const BATCH = 2000;

/** Writes a backup of the database at `url` to `file`; answers the number of rows per table. */
export async function backupTo(url: string, file: string): Promise<Record<string, number>> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const partial = `${file}.partial`;
  const gzip = createGzip();
  const out = createWriteStream(partial);
  gzip.pipe(out);
  const write = async (value: unknown) => {
    if (!gzip.write(`${JSON.stringify(value)}\n`)) await once(gzip, 'drain');
  };
  const counts: Record<string, number> = {};
  try {
    await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    const migrations = (
      await client.query<{ when: string }>(
        'select created_at::text as when from drizzle.__drizzle_migrations order by created_at',
      )
    ).rows.map((r) => Number(r.when));
    const header: Header = { fuwu: 'backup', format: 1, migrations, madeAt: new Date().toISOString() };
    await write(header);
    const tables = (
      await client.query<{ name: string }>(
        `select tablename as name from pg_tables where schemaname = 'public' order by tablename`,
      )
    ).rows.map((r) => r.name);
    for (const table of tables) {
      const described = (
        await client.query<{ name: string; type: string }>(
          `select attname as name, format_type(atttypid, atttypmod) as type from pg_attribute
            where attrelid = $1::regclass and attnum > 0 and not attisdropped and attgenerated = ''
            order by attnum`,
          [`public.${pg.escapeIdentifier(table)}`],
        )
      ).rows;
      const columns = described.map((r) => r.name);
      await write({ table, columns });
      // Every value in its PostgreSQL text form (JSON values as JSON), which the restore's casts read back
      // exactly: timestamps to the microsecond, numerics, arrays, bytea as \x….
      const list = described
        .map((c) =>
          c.type === 'json' || c.type === 'jsonb'
            ? `t.${pg.escapeIdentifier(c.name)}`
            : `t.${pg.escapeIdentifier(c.name)}::text`,
        )
        .join(', ');
      await client.query(
        `DECLARE fuwu_backup NO SCROLL CURSOR FOR
           SELECT json_build_array(${list})::text AS line FROM public.${pg.escapeIdentifier(table)} t`,
      );
      let n = 0;
      for (;;) {
        const batch = await client.query<{ line: string }>(`FETCH ${BATCH} FROM fuwu_backup`);
        for (const row of batch.rows) {
          if (!gzip.write(`${row.line}\n`)) await once(gzip, 'drain');
        }
        n += batch.rows.length;
        if (batch.rows.length < BATCH) break;
      }
      await client.query('CLOSE fuwu_backup');
      counts[table] = n;
    }
    await client.query('COMMIT');
    gzip.end();
    await finished(out);
    await rename(partial, file);
    return counts;
  } catch (err) {
    gzip.destroy();
    out.destroy();
    await rm(partial, { force: true });
    throw err;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** Restores a backup into a new (empty or absent) data folder; answers the number of rows per table. */
export async function restoreInto(
  file: string,
  dataDir: string,
  onStep?: (line: string) => void,
): Promise<Record<string, number>> {
  if (!(await isEmptyDir(dataDir)))
    throw new DataDirError(
      `${dataDir} is not empty: restore only into a new folder — 只能恢复到空目录`,
      EXIT.unusable,
    );
  const counts: Record<string, number> = {};
  const database = await openDatabase({
    dataDir,
    onStep,
    async firstRun(fresh) {
      const url = fresh.url;
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      try {
        await client.query('BEGIN');
        // No triggers or foreign-key checks row by row (the copy was consistent as a whole).
        await client.query('SET LOCAL session_replication_role = replica');
        const tables = (
          await client.query<{ name: string }>(
            `select tablename as name from pg_tables where schemaname = 'public'`,
          )
        ).rows.map((r) => pg.escapeIdentifier(r.name));
        if (tables.length > 0) await client.query(`TRUNCATE ${tables.map((t) => `public.${t}`).join(', ')}`);
        const lines = createInterface({
          input: createReadStream(file).pipe(createGunzip()),
          crlfDelay: Infinity,
        });
        let header: Header | null = null;
        let table: string | null = null;
        let columns: string[] = [];
        let batch: unknown[][] = [];
        const flush = async () => {
          if (!table || batch.length === 0) return;
          const cols = columns.map((c) => pg.escapeIdentifier(c)).join(', ');
          const target = `public.${pg.escapeIdentifier(table)}`;
          // Each value's text form, cast by the column's own type through a record of the table.
          const types = await client.query<{ name: string; type: string }>(
            `select attname as name, format_type(atttypid, atttypmod) as type from pg_attribute
              where attrelid = $1::regclass and attnum > 0 and not attisdropped`,
            [target],
          );
          const typeOf = new Map(types.rows.map((r) => [r.name, r.type]));
          const exprs = columns.map((c, i) => {
            const type = typeOf.get(c);
            if (!type) throw new Error(`the backup's column ${table}.${c} is not in this version's schema`);
            return type === 'json' || type === 'jsonb' ? `(r->${i})::${type}` : `(r->>${i})::${type}`;
          });
          await client.query(
            `INSERT INTO ${target} (${cols}) SELECT ${exprs.join(', ')} FROM json_array_elements($1::json) r`,
            [JSON.stringify(batch)],
          );
          counts[table] = (counts[table] ?? 0) + batch.length;
          batch = [];
        };
        for await (const line of lines) {
          if (!line) continue;
          const value = JSON.parse(line) as unknown;
          if (!header) {
            header = value as Header;
            if (header.fuwu !== 'backup' || header.format !== 1)
              throw new DataDirError(`${file} is not a Fuwu backup`, EXIT.unusable);
            const known = new Set(knownMigrations().map((m) => m.when));
            if (header.migrations.some((w) => !known.has(w)))
              throw new DataDirError(
                `${file} was made by a newer Fuwu (it has migrations this one does not know) — 备份来自更新的版本`,
                EXIT.newer,
              );
          } else if (Array.isArray(value)) {
            batch.push(value as unknown[]);
            if (batch.length >= BATCH) await flush();
          } else {
            await flush();
            const next = value as { table: string; columns: string[] };
            table = next.table;
            columns = next.columns;
            counts[table] = 0;
          }
        }
        await flush();
        if (!header) throw new DataDirError(`${file} is empty`, EXIT.unusable);
        await client.query('COMMIT');
      } catch (err) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw err;
      } finally {
        await client.end();
      }
    },
  });
  await database.close();
  return counts;
}
