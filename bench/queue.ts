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
import { promisify } from 'node:util';
import type { FastifyInstance } from 'fastify';
import { sql } from 'drizzle-orm';
import { createApp } from '../src/app.ts';
import { systemActor } from '../src/platform/auth/policy.ts';
import type { Actor } from '../src/platform/auth/policy.ts';
import { hashPassword } from '../src/platform/auth/password.ts';
import { systemClock } from '../src/platform/clock.ts';
import type { Ctx } from '../src/platform/context.ts';
import type { Database } from '../src/platform/db/index.ts';
import { openDatabase, rows, schema } from '../src/platform/db/index.ts';
import { command } from '../src/platform/events.ts';
import { createToken } from '../src/modules/auth/service.ts';
import { loadShippedCalendar } from '../src/modules/calendar/service.ts';
import { createHeadquarters, createUnit } from '../src/modules/org/service.ts';
import { configureHall } from '../src/modules/queue/config.ts';
import { HallQueueConfig } from '../src/modules/queue/contract.ts';
import { insertAccount } from '../src/modules/staff/service.ts';
import { callNext, finishTicket, takeTicket } from '../src/modules/queue/service.ts';
import type { Bench, BenchResult } from './harness.ts';
import { scratchDatabase } from './harness.ts';
import { percentile } from '../src/core/queue-stats.ts';

const run = promisify(execFile);
const COUNTERS = Number(process.env.BENCH_COUNTERS ?? 50);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const ALL_DAY = [{ open: '00:00', close: '24:00' }];

interface Fixture {
  hallId: string;
  hall: { id: string; path: string; provinceId: string };
  clerks: Actor[];
  counterIds: string[];
  clerkTokens: string[];
  kioskToken: string;
  displayToken: string;
}

/** An organisation with one hall open all day, 50 counters on one work profile, their clerks and devices. */
export async function fixture(database: Database): Promise<Fixture> {
  const { db } = database;
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
  const hash = await hashPassword('Bench@2026-not-used');
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
    const { token } = await createToken(
      { ...ctx, actor },
      { kind: 'client', label: `柜员${i + 1}`, expiresInDays: 1 },
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

/** Follows the hall's event stream on an instance; calls `onCalled(ticketId, receivedAt)` for each call. */
async function follow(
  app: FastifyInstance,
  hallId: string,
  token: string,
  onCalled: (ticketId: string, eventAt: number, receivedAt: number) => void,
): Promise<() => void> {
  const address = app.server.listening
    ? `http://127.0.0.1:${(app.server.address() as { port: number }).port}`
    : await app.listen({ port: 0, host: '127.0.0.1' });
  const controller = new AbortController();
  const res = await fetch(`${address}/api/halls/${hallId}/stream`, {
    headers: { authorization: `Bearer ${token}` },
    signal: controller.signal,
  });
  if (res.status !== 200) throw new Error(`stream answered ${res.status}`);
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  let connected!: () => void;
  const ready = new Promise<void>((resolve) => (connected = resolve));
  void (async () => {
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return;
        const at = Date.now();
        buffer += decoder.decode(value, { stream: true });
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const frame = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          if (frame.includes(': connected')) connected();
          if (!frame.includes('event: ticket.called')) continue;
          const data = frame.split('\n').find((l) => l.startsWith('data: '));
          if (!data) continue;
          const notice = JSON.parse(data.slice(6)) as { subjectId: string; at: string };
          onCalled(notice.subjectId, Date.parse(notice.at), at);
        }
      }
    } catch {
      // aborted
    }
  })();
  await ready;
  return () => controller.abort();
}

interface CycleResult {
  cycles: number;
  perSecond: number;
  calls: number;
  duplicates: number;
  latencies: number[];
  errors: Map<string, number>;
  /** CPU time of this process (both instances, the clients, the streams) per second of the run. */
  cpuShare: number;
}

/**
 * Counters on the instances in turn, each repeating take (kiosk) → call-next → finish for `seconds`; with
 * `pauseMs` each counter rests between cycles (a paced load for the latency of the realtime path).
 */
export async function cycles(
  apps: FastifyInstance[],
  f: Fixture,
  seconds: number,
  streams: boolean,
  options: { counters?: number; pauseMs?: number } = {},
): Promise<CycleResult> {
  const called = new Map<string, { instance: number }>();
  const received: { id: string; eventAt: number; at: number; instance: number }[] = [];
  const stops: (() => void)[] = [];
  if (streams) {
    for (const [i, app] of apps.entries()) {
      stops.push(
        await follow(app, f.hallId, f.displayToken, (id, eventAt, at) =>
          received.push({ id, eventAt, at, instance: i }),
        ),
      );
    }
  }
  const errors = new Map<string, number>();
  const fail = (what: string) => errors.set(what, (errors.get(what) ?? 0) + 1);
  let done = 0;
  let calls = 0;
  let duplicates = 0;
  const until = performance.now() + seconds * 1000;
  const start = performance.now();
  const cpu = process.cpuUsage();
  await Promise.all(
    f.counterIds.slice(0, options.counters ?? f.counterIds.length).map(async (counterId, i) => {
      const instance = i % apps.length;
      const app = apps[instance]!;
      const clerk = { authorization: `Bearer ${f.clerkTokens[i]}` };
      const kiosk = { authorization: `Bearer ${f.kioskToken}` };
      while (performance.now() < until) {
        if (options.pauseMs)
          await new Promise((r) => setTimeout(r, options.pauseMs! * (0.5 + Math.random())));
        const took = await app.inject({
          method: 'POST',
          url: `/api/halls/${f.hallId}/tickets`,
          headers: kiosk,
          payload: { category: i % 4 === 0 ? 'payment' : 'business' },
        });
        if (took.statusCode !== 201) fail(`take ${took.statusCode}`);
        const next = await app.inject({
          method: 'POST',
          url: `/api/counters/${counterId}/call-next`,
          headers: clerk,
        });
        if (next.statusCode === 204) continue;
        if (next.statusCode !== 200) {
          fail(`call ${next.statusCode} ${(next.json() as { code?: string }).code ?? ''}`);
          continue;
        }
        calls++;
        const id = (next.json() as { id: string }).id;
        if (called.has(id)) duplicates++;
        called.set(id, { instance });
        const fin = await app.inject({
          method: 'POST',
          url: `/api/tickets/${id}/finish`,
          headers: clerk,
          payload: { outcome: 'served', business: ['bench'] },
        });
        if (fin.statusCode !== 200) fail(`finish ${fin.statusCode}`);
        else done++;
      }
    }),
  );
  const elapsed = (performance.now() - start) / 1000;
  const used = process.cpuUsage(cpu);
  const cpuShare = (used.user + used.system) / 1e6 / elapsed;
  await new Promise((r) => setTimeout(r, 300));
  for (const stop of stops) stop();
  // From the call's event (written in its transaction) to its receipt by a display on the other instance.
  const latencies: number[] = [];
  for (const r of received) {
    const c = called.get(r.id);
    if (c && (apps.length === 1 || c.instance !== r.instance)) latencies.push(r.at - r.eventAt);
  }
  return { cycles: done, perSecond: done / elapsed, calls, duplicates, latencies, errors, cpuShare };
}

/** The same cycles through the commands themselves (no HTTP, no login per request), on each connection in turn. */
export async function commandCycles(databases: Database[], f: Fixture, seconds: number): Promise<number> {
  let done = 0;
  const until = performance.now() + seconds * 1000;
  const start = performance.now();
  await Promise.all(
    f.counterIds.map(async (counterId, i) => {
      const db = databases[i % databases.length]!.db;
      const base = { db, clock: systemClock, requestId: 'bench', clientIp: '' };
      const kiosk: Ctx = { ...base, actor: systemActor(f.hall, 'kiosk') };
      const clerk: Ctx = { ...base, actor: f.clerks[i]! };
      while (performance.now() < until) {
        await takeTicket(kiosk, f.hallId, { category: i % 4 === 0 ? 'payment' : 'business' });
        const ticket = await callNext(clerk, counterId);
        if (!ticket) continue;
        await finishTicket(clerk, ticket.id, { outcome: 'served', business: ['bench'] });
        done++;
      }
    }),
  );
  return done / ((performance.now() - start) / 1000);
}

/** pgbench's built-in tpcb-like script on the scratch database: `pgbench -i`, then 5 s with 8 clients. */
async function pgbenchTps(url: string): Promise<number> {
  await run('pgbench', ['-i', '-q', url], { maxBuffer: 1 << 24 });
  const { stdout } = await run('pgbench', ['-T', '5', '-c', '8', '-j', '2', '-b', 'tpcb-like', url], {
    maxBuffer: 1 << 24,
  });
  const m = /tps = ([\d.]+)/.exec(stdout);
  if (!m) throw new Error(`could not read tps from pgbench:\n${stdout}`);
  return Number(m[1]);
}

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

export async function openCounters(apps: FastifyInstance[], f: Fixture): Promise<void> {
  for (const [i, id] of f.counterIds.entries()) {
    const res = await apps[i % apps.length]!.inject({
      method: 'POST',
      url: `/api/counters/${id}/open`,
      headers: { authorization: `Bearer ${f.clerkTokens[i]}` },
    });
    if (res.statusCode !== 200) throw new Error(`open counter: ${res.statusCode} ${res.body}`);
  }
}

const ms = (v: number | null) => (v === null ? 'n/a' : `${v.toFixed(1)} ms`);

export const queueBench: Bench = {
  name: 'queue',
  describe: `take + call-next + finish cycles over HTTP, ${COUNTERS} counters, two app instances on PostgreSQL, vs pgbench tpcb-like`,
  async run(): Promise<BenchResult[]> {
    process.env.FUWU_QUEUE_TIMER = '0';
    process.env.FUWU_DB_POOL ??= '16';
    const scratch = await scratchDatabase();
    const opened: { database: Database; app: FastifyInstance }[] = [];
    try {
      const f = await fixture(scratch.database);
      const first = await createApp({ database: scratch.database, clock: systemClock });
      opened.push({ database: scratch.database, app: first });
      if (scratch.url) {
        const database = await openDatabase({ url: scratch.url });
        opened.push({ database, app: await createApp({ database, clock: systemClock }) });
      }
      const apps = opened.map((o) => o.app);
      for (const app of apps) await app.ready();
      await openCounters(apps, f);
      // A short warm-up, then the measured run.
      await cycles(apps, f, 1, false);
      const result = await cycles(apps, f, SECONDS, true);
      // The realtime path at an everyday pace: 10 counters, each a cycle about every 200 ms.
      const paced = await cycles(apps, f, 3, true, { counters: 10, pauseMs: 200 });
      const direct = await commandCycles(
        opened.map((o) => o.database),
        f,
        SECONDS,
      );
      const baseline = scratch.url
        ? await pgbenchTps(scratch.url)
        : await embeddedTpcb(scratch.database, SECONDS);
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
        `database: ${scratch.database.kind}; app instances: ${apps.length}; counters: ${COUNTERS}; ${SECONDS} s`,
        `cycles: ${result.cycles} (calls ${result.calls}, tickets finished in all runs ${tickets?.n ?? 0}); ` +
          `this process used ${(result.cpuShare * 100).toFixed(0)}% of a CPU core`,
        `duplicate calls: ${result.duplicates + paced.duplicates} seen by the callers, ` +
          `${dupRows?.n ?? 0} in the event log (must be 0)`,
        `call → SSE receipt${apps.length > 1 ? ' on the other instance' : ''} at full load: p50 ${ms(p50)}, ` +
          `p99 ${ms(p99)} over ${result.latencies.length} calls (goal p99 ≤ 100 ms)`,
        `call → SSE receipt at an everyday pace (${paced.perSecond.toFixed(1)} cycles/s): ` +
          `p50 ${ms(percentile(paced.latencies, 50))}, p99 ${ms(percentile(paced.latencies, 99))} ` +
          `over ${paced.latencies.length} calls`,
      ];
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
            name: `take + call + finish over HTTP, ${COUNTERS} counters, ${apps.length} instance(s)`,
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
            name: `take + call + finish as commands, ${COUNTERS} counters, ${opened.length} connection pool(s)`,
            unit: 'cycles',
            perSecond: direct,
          },
          baseline: {
            name: scratch.url
              ? 'pgbench tpcb-like, 8 clients, 2 threads'
              : 'tpcb-like transaction in SQL, 1 client',
            unit: 'transactions',
            perSecond: baseline,
          },
          ratio: direct / baseline,
          notes: ['the same cycles without HTTP and the per-request login: the share the API layer costs'],
        },
      ];
    } finally {
      for (const o of opened) await o.app.close();
      for (const o of opened.slice(1)) await o.database.close();
      await scratch.drop();
    }
  },
};
