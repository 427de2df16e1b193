/**
 * Benchmark harness: each benchmark measures its subject and a baseline in the same run on the same
 * database and prints the ratio, so a slow or busy machine shifts both and the ratio stays meaningful.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout } from 'node:timers/promises';
import { sql } from 'drizzle-orm';
import type { Database } from '../src/platform/db/index.ts';
import { migrateDatabase, openDatabase, rows } from '../src/platform/db/index.ts';

export interface Measurement {
  name: string;
  /** What one unit of work is, e.g. "event-writing commands". */
  unit: string;
  perSecond: number;
}

export interface BenchResult {
  bench: string;
  subject: Measurement;
  baseline: Measurement;
  /** subject ÷ baseline */
  ratio: number;
  /** The goal for the ratio, when an issue sets one. */
  goal?: number;
  notes?: string[];
}

export interface Bench {
  name: string;
  describe: string;
  run(): Promise<BenchResult[]>;
}

/** Runs `work` repeatedly for about `seconds` and answers operations per second. */
export async function throughput(
  seconds: number,
  work: (i: number) => Promise<void>,
  concurrency = 1,
): Promise<number> {
  const until = performance.now() + seconds * 1000;
  let done = 0;
  const start = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < until) await work(done++);
    }),
  );
  return done / ((performance.now() - start) / 1000);
}

/**
 * A scratch database: a fresh database on the PostgreSQL server of DATABASE_URL, or the embedded database
 * in a temporary folder (removed by `drop`).
 */
export async function scratchDatabase(): Promise<{
  database: Database;
  url: string | null;
  drop(): Promise<void>;
}> {
  const base = process.env.DATABASE_URL;
  if (!base) {
    const dir = await mkdtemp(join(tmpdir(), 'fuwu-bench-'));
    const database = await openDatabase({ dataDir: dir });
    await migrateDatabase(database);
    return {
      database,
      url: database.url,
      async drop() {
        await database.close();
        await rm(dir, { recursive: true, force: true });
      },
    };
  }
  const name = `fuwu_bench_${process.pid}_${Date.now()}`;
  const admin = await openDatabase({ url: base });
  await admin.db.execute(sql.raw(`CREATE DATABASE ${name}`));
  const u = new URL(base);
  u.pathname = `/${name}`;
  const database = await openDatabase({ url: u.toString() });
  await migrateDatabase(database);
  return {
    database,
    url: u.toString(),
    async drop() {
      await database.close();
      // pg's pool.end() resolves before its sockets have closed: wait for them, so that the drop does not
      // end a connection still closing (each would print an "idle client error").
      for (let i = 0; i < 100; i++) {
        const [left] = await rows<{ n: number }>(
          admin.db,
          sql`select count(*)::int as n from pg_stat_activity where datname = ${name}`,
        );
        if (!left?.n) break;
        await setTimeout(20);
      }
      await admin.db.execute(sql.raw(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
      await admin.close();
    },
  };
}

export function printResult(r: BenchResult): void {
  const f = (m: Measurement) => `${m.perSecond.toFixed(1)} ${m.unit}/s (${m.name})`;
  console.log(`\n[${r.bench}]`);
  console.log(`  subject:  ${f(r.subject)}`);
  console.log(`  baseline: ${f(r.baseline)}`);
  console.log(`  ratio:    ${r.ratio.toFixed(3)}${r.goal !== undefined ? `  (goal ≥ ${r.goal})` : ''}`);
  for (const n of r.notes ?? []) console.log(`  ${n}`);
}
