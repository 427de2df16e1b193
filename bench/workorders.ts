/**
 * The work-orders benchmark (issue #14): a complaint's whole life per second through the HTTP API — taken in
 * at a hall, claimed by the province centre, dispatched to the city's network department, answered back
 * up, handled, replied to (an SMS queued) and closed, seven requests — with `BENCH_CLIENTS` lives at once,
 * as a ratio to the same writes sent by pgbench as SQL alone (`workorders-cycle.sql`, as many clients) and
 * to pgbench's tpcb-like, on the same database in the same run.
 */
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { sql } from 'drizzle-orm';
import { createApp } from '../src/app.ts';
import { hashPassword } from '../src/platform/auth/password.ts';
import { systemClock } from '../src/platform/clock.ts';
import { rows } from '../src/platform/db/index.ts';
import { command } from '../src/platform/events.ts';
import { loadHashKey } from '../src/platform/keyed-hash.ts';
import type { Position } from '../src/core/positions.ts';
import { login } from '../src/modules/auth/service.ts';
import { loadShippedCalendar } from '../src/modules/calendar/service.ts';
import { createHeadquarters, createUnit } from '../src/modules/org/service.ts';
import { insertAccount } from '../src/modules/staff/service.ts';
import type { Bench, BenchResult } from './harness.ts';
import { scratchDatabase } from './harness.ts';
import { pgbenchTps } from './queue.ts';

const run = promisify(execFile);
const CLIENTS = Number(process.env.BENCH_CLIENTS ?? 8);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);

type Call = (
  method: 'POST',
  url: string,
  token: string,
  payload: object,
) => Promise<{ id: string; version: number }>;

/** One complaint's life: answers the number of requests it took. */
async function life(
  call: Call,
  t: { owner: string; agent: string; dept: string },
  u: { hall: string; centre: string; dept: string; category: string },
  n: number,
): Promise<number> {
  let o = await call('POST', '/api/work-orders', t.owner, {
    kind: 'complaint',
    channel: 'counter',
    contactPhone: `1390000${String(n % 10000).padStart(4, '0')}`,
    categoryId: u.category,
    concernsUnitId: u.hall,
    handlingUnitId: u.centre,
    title: '营业员态度差',
    description: '客户反映办理业务时营业员态度冷淡',
  });
  const at = (step: string) => `/api/work-orders/${o.id}/${step}`;
  o = await call('POST', at('claim'), t.agent, { version: o.version });
  o = await call('POST', at('dispatch'), t.agent, { version: o.version, toUnitId: u.dept, note: '请核查' });
  o = await call('POST', at('answer'), t.dept, { version: o.version, text: '已核查处理' });
  o = await call('POST', at('answer'), t.agent, { version: o.version, text: '已处理' });
  o = await call('POST', at('reply'), t.owner, { version: o.version, text: '您反映的问题已处理' });
  await call('POST', at('close'), t.owner, { version: o.version });
  return 7;
}

export const workordersBench: Bench = {
  name: 'workorders',
  describe: `a complaint's life (take in, claim, dispatch, answer back, handle, reply, close) over HTTP, ${CLIENTS} at once, vs the same writes in SQL through pgbench and vs tpcb-like`,
  async run(): Promise<BenchResult[]> {
    process.env.FUWU_QUEUE_TIMER = '0';
    process.env.FUWU_NOTIFY_WORKER = '0';
    process.env.FUWU_WORKORDER_WORKER = '0';
    const scratch = await scratchDatabase();
    try {
      const { db } = scratch.database;
      await loadHashKey(db);
      await loadShippedCalendar(db);
      const { root: hq, ctx } = await createHeadquarters(db, systemClock, 'bench');
      const unit = (parentId: string, kind: Parameters<typeof createUnit>[1]['kind'], code: string) =>
        createUnit(ctx, {
          parentId,
          kind,
          code,
          name: code,
          nameEn: code,
          address: '',
          timeZone: 'Asia/Shanghai',
          attributes: {},
        });
      const province = await unit(hq.id, 'province', 'BW');
      const centre = await unit(province.id, 'centre_province', 'BW-CC');
      const city = await unit(province.id, 'city', 'BW-C');
      const hall = await unit(city.id, 'hall_own', 'BW-C-H');
      const dept = await unit(city.id, 'department', 'BW-C-NET');
      const password = 'Bench@2026-orders';
      const hash = await hashPassword(password);
      const people = async (u: { id: string; provinceId: string }, who: string, position: Position) => {
        const tokens: string[] = [];
        for (let i = 0; i < CLIENTS; i++) {
          const username = `${who}${i + 1}`;
          await command(ctx, (tx) =>
            insertAccount(
              tx,
              u,
              {
                username,
                name: `${who}${i + 1}`,
                phone: '',
                positions: [position],
                passwordHash: hash,
                mustChangePassword: false,
              },
              new Date(),
            ),
          );
          const { token } = await login(
            { db, clock: systemClock, requestId: 'bench', clientIp: `bench-${who}-${i}` },
            { username, password },
          );
          tokens.push(token);
        }
        return tokens;
      };
      const owners = await people(hall, 'owner', 'complaint_reception');
      const agents = await people(centre, 'agent', 'agent');
      const handlers = await people(dept, 'net', 'complaint_handler');
      const [category] = await rows<{ id: string }>(
        db,
        sql`select id from work_order_categories where province_id = ${province.id} and code = 'service.attitude'`,
      );
      const units = { hall: hall.id, centre: centre.id, dept: dept.id, category: category!.id };
      const app = await createApp({ database: scratch.database, clock: systemClock });
      await app.ready();
      const call: Call = async (method, url, token, payload) => {
        const res = await app.inject({ method, url, headers: { authorization: `Bearer ${token}` }, payload });
        if (res.statusCode >= 300)
          throw new Error(`${method} ${url}: ${res.statusCode} ${res.body.slice(0, 300)}`);
        return res.json() as { id: string; version: number };
      };
      const measure = async (seconds: number) => {
        let lives = 0;
        let n = 0;
        const until = performance.now() + seconds * 1000;
        const start = performance.now();
        await Promise.all(
          Array.from({ length: CLIENTS }, async (_, k) => {
            const t = { owner: owners[k]!, agent: agents[k]!, dept: handlers[k]! };
            while (performance.now() < until) {
              await life(call, t, units, n++);
              lives++;
            }
          }),
        );
        return lives / ((performance.now() - start) / 1000);
      };
      await measure(1); // warm-up
      const http = await measure(SECONDS);
      await app.close();

      const url = scratch.url;
      if (!url) throw new Error('the scratch database has no URL for pgbench');
      const [owner] = await rows<{ id: string }>(db, sql`select id from staff where username = 'owner1'`);
      const [agent] = await rows<{ id: string }>(db, sql`select id from staff where username = 'agent1'`);
      const script = [
        '-M',
        'prepared',
        '-f',
        fileURLToPath(new URL('./workorders-cycle.sql', import.meta.url)),
        ...Object.entries({
          province: province.id,
          hall: hall.id,
          hallpath: hall.path,
          centre: centre.id,
          centrepath: centre.path,
          dept: dept.id,
          deptpath: dept.path,
          category: category!.id,
          owner: owner!.id,
          agent: agent!.id,
        }).flatMap(([k, v]) => ['-D', `${k}=${v}`]),
      ];
      const inSql = await pgbenchTps(url, CLIENTS, script, SECONDS);
      await run('pgbench', ['-i', '-q', url], { maxBuffer: 1 << 24 });
      const tpcb = await pgbenchTps(url, CLIENTS, ['-b', 'tpcb-like'], SECONDS);
      const [written] = await rows<{ closed: number; app: number; steps: number }>(
        db,
        sql`select count(*)::int as closed, count(*) filter (where number like 'GD2%')::int as app,
                   (select count(*)::int from work_order_steps) as steps
              from work_orders where state = 'closed'`,
      );
      const notes = [
        `database: ${scratch.database.kind}; one app instance; ${CLIENTS} lives at once; ${SECONDS} s per run`,
        `orders closed: ${written?.closed ?? 0} (${written?.app ?? 0} through the app); timeline steps: ${written?.steps ?? 0}`,
      ];
      const subject = {
        name: `a complaint's life over HTTP (7 requests), ${CLIENTS} at once`,
        unit: 'orders',
        perSecond: http,
      };
      return [
        {
          bench: 'workorders',
          subject,
          baseline: {
            name: `the same writes in SQL through pgbench, ${CLIENTS} clients`,
            unit: 'orders',
            perSecond: inSql,
          },
          ratio: http / inSql,
          goal: 0.3,
          notes,
        },
        {
          bench: 'workorders (tpcb-like)',
          subject,
          baseline: { name: `pgbench tpcb-like, ${CLIENTS} clients`, unit: 'transactions', perSecond: tpcb },
          ratio: http / tpcb,
        },
      ];
    } finally {
      await scratch.drop();
    }
  },
};
