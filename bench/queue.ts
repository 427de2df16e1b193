/**
 * The queue benchmark: take + call-next + finish cycles per second through the HTTP API of two app
 * instances (two Fastify apps on two connection pools to one PostgreSQL database), 50 counters calling at
 * once, as a ratio to pgbench's built-in tpcb-like transactions per second on the same database in the same
 * run. It also counts duplicate calls (must be 0) and measures call → SSE receipt on the other instance.
 *
 * Without DATABASE_URL it says so and measures what the embedded database allows: one instance, against a
 * tpcb-like transaction written in SQL on the same embedded database.
 */
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { promisify } from 'node:util';
import { sql } from 'drizzle-orm';
import type { Actor } from '../src/platform/auth/policy.ts';
import { hashPassword } from '../src/platform/auth/password.ts';
import { systemClock } from '../src/platform/clock.ts';
import type { Database } from '../src/platform/db/index.ts';
import { rows, schema } from '../src/platform/db/index.ts';
import { command } from '../src/platform/events.ts';
import { loadHashKey } from '../src/platform/keyed-hash.ts';
import { createToken, login } from '../src/modules/auth/service.ts';
import { loadShippedCalendar } from '../src/modules/calendar/service.ts';
import { createHeadquarters, createUnit } from '../src/modules/org/service.ts';
import { configureHall } from '../src/modules/queue/config.ts';
import { HallQueueConfig } from '../src/modules/queue/contract.ts';
import { insertAccount } from '../src/modules/staff/service.ts';
import type { Bench, BenchResult } from './harness.ts';
import type { Fixture, InstanceCall, Load, LoadResult } from './queue-instance.ts';
import { Instance, follow } from './queue-instance.ts';
import { scratchDatabase } from './harness.ts';
import { percentile } from '../src/core/queue-stats.ts';

const run = promisify(execFile);
const COUNTERS = Number(process.env.BENCH_COUNTERS ?? 50);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const ALL_DAY = [{ open: '00:00', close: '24:00' }];

/** An organisation with one hall open all day, 50 counters on one work profile, their clerks and devices. */
export async function fixture(database: Database): Promise<Fixture> {
  const { db } = database;
  await loadHashKey(db); // the clerks log in below (their rate-limit counters are keyed hashes)
  await loadShippedCalendar(db);
  const { root: hq, ctx } = await createHeadquarters(db, systemClock, 'bench');
  const unit = (parentId: string, kind: 'province' | 'city' | 'hall_own', code: string, name: string) =>
    createUnit(ctx, {
      parentId,
      kind,
      code,
      name,
      nameEn: code,
      address: '',
      timeZone: 'Asia/Shanghai',
      attributes: {},
      ...(kind === 'hall_own'
        ? { openingHours: { weekly: Array.from({ length: 7 }, () => ALL_DAY), holiday: ALL_DAY } }
        : {}),
    });
  const province = await unit(hq.id, 'province', 'BP', '基准省');
  const city = await unit(province.id, 'city', 'BP-C', '基准市');
  const hall = await unit(city.id, 'hall_own', 'BP-C-H', '基准营业厅');
  await configureHall(
    ctx,
    hall.id,
    HallQueueConfig.parse({
      categories: [
        { code: 'business', name: '业务办理', nameEn: 'Business', queue: 'normal', meanServiceMinutes: 6 },
        { code: 'payment', name: '缴费', nameEn: 'Payment', queue: 'pay', meanServiceMinutes: 3 },
      ],
      queues: [
        { code: 'vip', name: 'VIP', nameEn: 'VIP', prefix: 'V', vip: true },
        { code: 'normal', name: '普通', nameEn: 'General', prefix: 'A' },
        { code: 'pay', name: '缴费', nameEn: 'Payment', prefix: 'B' },
      ],
      segmentation: [{ queue: 'vip', when: { tiers: ['diamond', 'gold'] } }],
      profiles: [
        {
          code: 'general',
          name: '综合',
          nameEn: 'General',
          rules: [
            { kind: 'queue', queue: 'vip' },
            { kind: 'overdue', queue: 'pay', afterMinutes: 10 },
            { kind: 'queue', queue: 'normal' },
            { kind: 'queue', queue: 'pay' },
          ],
        },
      ],
      counters: Array.from({ length: COUNTERS }, (_, i) => ({
        code: `c${i + 1}`,
        number: i + 1,
        name: `${i + 1}号窗口`,
        kind: 'normal',
        profile: 'general',
      })),
    }),
  );
  const counterIds = (
    await rows<{ id: string }>(
      db,
      sql`select id from queue_counters where unit_id = ${hall.id} order by number`,
    )
  ).map((r) => r.id);
  const password = 'Bench@2026-clerk';
  const hash = await hashPassword(password);
  const clerkTokens: string[] = [];
  const clerks: Actor[] = [];
  const hallRow = { id: hall.id, provinceId: hall.provinceId };
  for (let i = 0; i < COUNTERS; i++) {
    const { row } = await command(ctx, (tx) =>
      insertAccount(
        tx,
        hallRow,
        {
          username: `clerk${i + 1}`,
          name: `柜员${i + 1}`,
          phone: '',
          positions: ['acceptance'],
          passwordHash: hash,
          mustChangePassword: false,
        },
        new Date(),
      ),
    );
    const actor: Actor = {
      kind: 'staff',
      id: row.id,
      name: row.name,
      unitId: hall.id,
      unitPath: hall.path,
      provinceId: hall.provinceId,
      positions: ['acceptance'],
    };
    // A clerk works in the console (a session), as the front desk has no personal API tokens.
    const { token } = await login(
      { db, clock: systemClock, requestId: 'bench', clientIp: `bench-${i}` },
      { username: `clerk${i + 1}`, password },
    );
    clerkTokens.push(token);
    clerks.push(actor);
  }
  const device = async (label: string, positions: ('device_kiosk' | 'device_display')[]) =>
    (await createToken(ctx, { kind: 'device', unitId: hall.id, label, positions })).token;
  return {
    hallId: hall.id,
    hall,
    clerks,
    counterIds,
    clerkTokens,
    kioskToken: await device('取号机', ['device_kiosk']),
    displayToken: await device('叫号屏', ['device_display']),
  };
}

/** One instance as the benchmark drives it: in a worker thread, or (an `Instance`) in this thread. */
interface Driven {
  listen(): Promise<string>;
  openCounters(counters: number[]): Promise<void>;
  run(load: Load): Promise<LoadResult>;
  commands(load: Load): Promise<{ cycles: number; seconds: number }>;
  close(): Promise<void>;
}

/** The counters (of the first `counters`) instance `k` of `n` drives: every n-th. */
const shareOf = (k: number, n: number, counters = COUNTERS) =>
  Array.from({ length: counters }, (_, i) => i).filter((i) => i % n === k);

/** An instance in a worker thread of its own, on its own connection pool. */
async function inWorker(url: string, fixture: Fixture): Promise<Driven> {
  const worker = new Worker(new URL('./queue-worker.js', import.meta.url), { workerData: { url, fixture } });
  const pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  let ready!: () => void;
  let failed!: (e: Error) => void;
  const started = new Promise<void>((resolve, reject) => ((ready = resolve), (failed = reject)));
  worker.on('message', (m: { ready?: true; id?: number; result?: unknown; error?: string }) => {
    if (m.ready) return ready();
    const p = pending.get(m.id!);
    pending.delete(m.id!);
    if (m.error !== undefined) p?.reject(new Error(m.error));
    else p?.resolve(m.result);
  });
  worker.on('error', (e) => {
    failed(e);
    for (const p of pending.values()) p.reject(e);
  });
  await started;
  let next = 0;
  const call = <T>(method: InstanceCall['method'], arg: unknown) =>
    new Promise<T>((resolve, reject) => {
      const id = next++;
      pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      worker.postMessage({ id, method, arg } satisfies InstanceCall);
    });
  return {
    listen: () => call('listen', null),
    openCounters: (c) => call('openCounters', c),
    run: (l) => call('run', l),
    commands: (l) => call('commands', l),
    close: async () => {
      await call('close', null);
      await worker.terminate();
    },
  };
}

interface Cycles {
  perSecond: number;
  cycles: number;
  duplicates: number;
  /** Call → receipt on the other instance (on one instance, on itself), ms. */
  latencies: number[];
  errors: Map<string, number>;
  /** CPU time of this process (the instances, their load, their displays) per second of the run. */
  cpuShare: number;
}

/** Runs a load on every instance at once, each on its share of the counters; adds up what they saw. */
async function cycles(
  instances: Driven[],
  load: Omit<Load, 'counters'> & {
    counters: number;
    displays?: { address: string; token: string; hallId: string }[];
  },
): Promise<Cycles> {
  // A display on each instance's stream, in this thread: receipts as [ticket, event time, receipt time].
  const received: [string, number, number][][] = (load.displays ?? []).map(() => []);
  const stops = await Promise.all(
    (load.displays ?? []).map((d, k) =>
      follow(d.address, d.hallId, d.token, (id, eventAt, at) => received[k]!.push([id, eventAt, at])),
    ),
  );
  const shares = instances.map((_, k) => shareOf(k, instances.length, load.counters));
  const cpu = process.cpuUsage();
  const results = await Promise.all(instances.map((inst, k) => inst.run({ ...load, counters: shares[k]! })));
  const used = process.cpuUsage(cpu);
  // Calls made at the end of the run on the other instance may still be on their way.
  await new Promise((r) => setTimeout(r, 300));
  for (const stop of stops) stop();
  const calledOn = new Map<string, number>();
  let duplicates = 0;
  for (const [k, r] of results.entries()) {
    for (const id of r.called) {
      if (calledOn.has(id)) duplicates++;
      calledOn.set(id, k);
    }
  }
  const latencies: number[] = [];
  for (const [k, r] of received.entries()) {
    for (const [id, eventAt, at] of r) {
      const on = calledOn.get(id);
      if (on !== undefined && (instances.length === 1 || on !== k)) latencies.push(at - eventAt);
    }
  }
  const errors = new Map<string, number>();
  for (const r of results) for (const [what, n] of r.errors) errors.set(what, (errors.get(what) ?? 0) + n);
  const done = results.reduce((n, r) => n + r.cycles, 0);
  const seconds = Math.max(...results.map((r) => r.seconds));
  return {
    perSecond: done / seconds,
    cycles: done,
    duplicates,
    latencies,
    errors,
    cpuShare: (used.user + used.system) / 1e6 / seconds,
  };
}

/** Transactions (script runs) per second of pgbench on the scratch database: `seconds` with `clients`. */
export async function pgbenchTps(
  url: string,
  clients: number,
  script: string[],
  seconds = 5,
): Promise<number> {
  const { stdout } = await run(
    'pgbench',
    ['-n', '-T', String(seconds), '-c', String(clients), '-j', '2', ...script, url],
    {
      maxBuffer: 1 << 24,
    },
  );
  const m = /tps = ([\d.]+)/.exec(stdout);
  if (!m) throw new Error(`could not read tps from pgbench:\n${stdout}`);
  return Number(m[1]);
}

/** pgbench's built-in tpcb-like script (after `pgbench -i`). */
const TPCB = ['-b', 'tpcb-like'];

/** The cycle in SQL alone (`queue-cycle.sql`) on the benchmark's hall, prepared, a client per counter. */
const cycleInSql = (f: Fixture) => [
  '-M',
  'prepared',
  '-f',
  fileURLToPath(new URL('./queue-cycle.sql', import.meta.url)),
  '-D',
  `hall=${f.hallId}`,
  '-D',
  `province=${f.hall.provinceId}`,
  '-D',
  `path=${f.hall.path}`,
];

/** A tpcb-like transaction in SQL (the embedded database has no pgbench): 1 branch, 10 tellers, 10 000 accounts. */
async function embeddedTpcb(database: Database, seconds: number): Promise<number> {
  const { db } = database;
  for (const statement of [
    'create table bench_branches (bid int primary key, bbalance int not null)',
    'create table bench_tellers (tid int primary key, bid int not null, tbalance int not null)',
    'create table bench_accounts (aid int primary key, bid int not null, abalance int not null)',
    'create table bench_history (tid int, bid int, aid int, delta int, mtime timestamp)',
    'insert into bench_branches values (1, 0)',
    'insert into bench_tellers select g, 1, 0 from generate_series(1, 10) g',
    'insert into bench_accounts select g, 1, 0 from generate_series(1, 10000) g',
  ]) {
    await db.execute(sql.raw(statement));
  }

  let n = 0;
  const until = performance.now() + seconds * 1000;
  const start = performance.now();
  while (performance.now() < until) {
    const aid = 1 + Math.floor(Math.random() * 10000);
    const tid = 1 + Math.floor(Math.random() * 10);
    const delta = Math.floor(Math.random() * 10001) - 5000;
    await db.transaction(async (tx) => {
      await tx.execute(sql`update bench_accounts set abalance = abalance + ${delta} where aid = ${aid}`);
      await tx.execute(sql`select abalance from bench_accounts where aid = ${aid}`);
      await tx.execute(sql`update bench_tellers set tbalance = tbalance + ${delta} where tid = ${tid}`);
      await tx.execute(sql`update bench_branches set bbalance = bbalance + ${delta} where bid = 1`);
      await tx.execute(
        sql`insert into bench_history values (${tid}, 1, ${aid}, ${delta}, current_timestamp)`,
      );
    });
    n++;
  }
  return n / ((performance.now() - start) / 1000);
}

export const ms = (v: number | null) => (v === null ? 'n/a' : `${v.toFixed(1)} ms`);

export const queueBench: Bench = {
  name: 'queue',
  describe: `take + call-next + finish cycles over HTTP, ${COUNTERS} counters, two app instances on PostgreSQL, vs pgbench tpcb-like`,
  async run(): Promise<BenchResult[]> {
    process.env.FUWU_QUEUE_TIMER = '0';
    process.env.FUWU_DB_POOL ??= '16';
    const scratch = await scratchDatabase();
    const instances: Driven[] = [];
    try {
      const f = await fixture(scratch.database);
      if (scratch.url) {
        for (let k = 0; k < 2; k++) instances.push(await inWorker(scratch.url, f));
      } else {
        instances.push(await Instance.start(scratch.database, f));
      }
      await Promise.all(instances.map((inst, k) => inst.openCounters(shareOf(k, instances.length))));
      const displays = await Promise.all(
        instances.map(async (inst) => ({
          address: await inst.listen(),
          token: f.displayToken,
          hallId: f.hallId,
        })),
      );
      // A short warm-up, then the measured run.
      await cycles(instances, { counters: COUNTERS, seconds: 1 });
      const result = await cycles(instances, { counters: COUNTERS, seconds: SECONDS, displays });
      // The realtime path at an everyday pace: 10 counters, each a cycle about every 200 ms.
      const paced = await cycles(instances, { counters: 10, seconds: 3, displays, pauseMs: 200 });
      const direct = await Promise.all(
        instances.map((inst, k) =>
          inst.commands({
            counters: shareOf(k, instances.length),
            seconds: SECONDS,
          }),
        ),
      );
      const directPerSecond =
        direct.reduce((n, d) => n + d.cycles, 0) / Math.max(...direct.map((d) => d.seconds));
      // pgbench at its best here (8 clients) is the baseline; at the counters' concurrency its single branch
      // row makes it slower, which the notes show for comparison.
      let baseline: number;
      let pgbenchAtCounters: number | null = null;
      let inSql: { atCounters: number; at8: number } | null = null;
      if (scratch.url) {
        await run('pgbench', ['-i', '-q', scratch.url], { maxBuffer: 1 << 24 });
        baseline = await pgbenchTps(scratch.url, 8, TPCB);
        pgbenchAtCounters = await pgbenchTps(scratch.url, COUNTERS, TPCB);
        inSql = {
          atCounters: await pgbenchTps(scratch.url, COUNTERS, cycleInSql(f)),
          at8: await pgbenchTps(scratch.url, 8, cycleInSql(f)),
        };
      } else {
        baseline = await embeddedTpcb(scratch.database, SECONDS);
      }
      const [dupRows] = await rows<{ n: number }>(
        scratch.database.db,
        sql`select count(*)::int as n from (select subject_id from events where action = 'ticket.called'
            group by subject_id having count(*) > 1) d`,
      );
      const [tickets] = await rows<{ n: number }>(
        scratch.database.db,
        sql`select count(*)::int as n from ${schema.events} where action = 'ticket.finished'`,
      );
      const p50 = percentile(result.latencies, 50);
      const p99 = percentile(result.latencies, 99);
      const notes = [
        `database: ${scratch.database.kind}; app instances: ${instances.length}${scratch.url ? ' (a worker thread and a connection pool each)' : ''}; counters: ${COUNTERS}; ${SECONDS} s`,
        `cycles: ${result.cycles} (tickets finished in all runs ${tickets?.n ?? 0}); ` +
          `this process used ${(result.cpuShare * 100).toFixed(0)}% of a CPU core`,
        `duplicate calls: ${result.duplicates + paced.duplicates} seen by the callers, ` +
          `${dupRows?.n ?? 0} in the event log (must be 0)`,
        `call → SSE receipt${instances.length > 1 ? ' on the other instance' : ''} at full load: p50 ${ms(p50)}, ` +
          `p99 ${ms(p99)} over ${result.latencies.length} calls (goal p99 ≤ 100 ms)`,
        `call → SSE receipt at an everyday pace (${paced.perSecond.toFixed(1)} cycles/s): ` +
          `p50 ${ms(percentile(paced.latencies, 50))}, p99 ${ms(percentile(paced.latencies, 99))} ` +
          `over ${paced.latencies.length} calls`,
      ];
      if (pgbenchAtCounters !== null && inSql !== null) {
        notes.push(
          `pgbench tpcb-like with ${COUNTERS} clients: ${pgbenchAtCounters.toFixed(0)} tps ` +
            `(ratio to it ${(result.perSecond / pgbenchAtCounters).toFixed(3)})`,
          `the cycle in SQL alone (bench/queue-cycle.sql through pgbench, no app): ` +
            `${inSql.atCounters.toFixed(0)} cycles/s with ${COUNTERS} clients (ratio ` +
            `${(inSql.atCounters / baseline).toFixed(3)}), ${inSql.at8.toFixed(0)} with 8 (ratio ` +
            `${(inSql.at8 / baseline).toFixed(3)}): what the database alone does with a cycle here, ` +
            `of which the app reaches ${((100 * result.perSecond) / Math.max(inSql.atCounters, inSql.at8)).toFixed(0)}%`,
        );
      }
      if (result.errors.size > 0)
        notes.push(`errors: ${[...result.errors].map(([k, v]) => `${k} ×${v}`).join(', ')}`);
      if (!scratch.url) {
        notes.unshift(
          'needs PostgreSQL (DATABASE_URL) for the real measurement: two instances and pgbench; ' +
            'measured here on the embedded database with one instance, against a tpcb-like transaction in SQL',
        );
      }
      return [
        {
          bench: 'queue',
          subject: {
            name: `take + call + finish over HTTP, ${COUNTERS} counters, ${instances.length} instance(s)`,
            unit: 'cycles',
            perSecond: result.perSecond,
          },
          baseline: {
            name: scratch.url
              ? 'pgbench tpcb-like, 8 clients, 2 threads'
              : 'tpcb-like transaction in SQL, 1 client',
            unit: 'transactions',
            perSecond: baseline,
          },
          ratio: result.perSecond / baseline,
          goal: 0.3,
          notes,
        },
        {
          bench: 'queue (commands)',
          subject: {
            name: `take + call + finish as commands, ${COUNTERS} counters, ${instances.length} instance(s)`,
            unit: 'cycles',
            perSecond: directPerSecond,
          },
          baseline: {
            name: scratch.url
              ? 'pgbench tpcb-like, 8 clients, 2 threads'
              : 'tpcb-like transaction in SQL, 1 client',
            unit: 'transactions',
            perSecond: baseline,
          },
          ratio: directPerSecond / baseline,
          notes: ['the same cycles without HTTP and the per-request login: the share the API layer costs'],
        },
      ];
    } finally {
      for (const inst of instances) await inst.close();
      await scratch.drop();
    }
  },
};
