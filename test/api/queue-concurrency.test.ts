/**
 * Two counters calling at the same instant never get the same ticket: many concurrent call-next on one
 * hall, counting duplicates (must be 0) — through HTTP with the demo clerks, and through the commands with
 * many counters; on PostgreSQL additionally across two app instances (two Database connections).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { sql } from 'drizzle-orm';
import { createApp } from '../../src/app.ts';
import type { Actor } from '../../src/platform/auth/policy.ts';
import { systemActor } from '../../src/platform/auth/policy.ts';
import type { Ctx } from '../../src/platform/context.ts';
import type { Database } from '../../src/platform/db/index.ts';
import { openDatabase, rows } from '../../src/platform/db/index.ts';
import { newId } from '../../src/platform/ids.ts';
import { configureHall } from '../../src/modules/queue/config.ts';
import { HallQueueConfig } from '../../src/modules/queue/contract.ts';
import { DEMO_QUEUE_HALLS } from '../../src/modules/queue/demo.ts';
import { callNext, finishTicket, openCounter, takeTicket } from '../../src/modules/queue/service.ts';
import { hallRef } from '../../src/modules/queue/shared.ts';
import type { TestApp } from '../support/app.ts';
import { provePhone, testApp, unitIdByCode } from '../support/app.ts';

const url = process.env.DATABASE_URL;
let t: TestApp;
let second: { database: Database; app: FastifyInstance } | null = null;

beforeAll(async () => {
  t = await testApp({ customers: 10 });
  if (url) {
    // A second app instance on its own connection pool to the same database.
    const database = await openDatabase({ url });
    const app = await createApp({ database, clock: t.clock, webDist: '/nonexistent' });
    await app.ready();
    second = { database, app };
  }
});
afterAll(async () => {
  if (second) {
    await second.app.close();
    await second.database.close();
  }
  await t.close();
});

function duplicates(ids: string[]): number {
  return ids.length - new Set(ids).size;
}

async function calledEvents(hallId: string): Promise<{ subject_id: string; n: number }[]> {
  return rows(
    t.database.db,
    sql`select subject_id, count(*)::int as n from events
        where action = 'ticket.called' and unit_id = ${hallId} group by subject_id`,
  );
}

describe('concurrent calling', () => {
  it('gives each ticket to exactly one of 8 clerks calling at once over HTTP (two instances on PostgreSQL)', async () => {
    const admin = await t.login('admin');
    const hall = await unitIdByCode(t, admin, 'YC-QY-H01');
    const clerks = [
      'qy_clerk',
      'qy_clerk2',
      'qy_sales',
      'qy_consult',
      'qy_vip',
      'qy_group',
      'qy_complaint',
      'qy_aftersales',
    ];
    const config = (await t.as(admin, { method: 'GET', url: `/api/halls/${hall}/queue-config` })).json() as {
      counters: { id: string; number: number }[];
    };
    // Every counter calls the normal queue first, so all of them compete for every ticket.
    const base = DEMO_QUEUE_HALLS.qyHall!;
    const reconfigured = await t.as(await t.login('qy_manager'), {
      method: 'PUT',
      url: `/api/halls/${hall}/queue-config`,
      payload: {
        ...base,
        counters: base.counters.map((c) => ({ ...c, profile: 'general', categories: [] })),
      },
    });
    expect(reconfigured.statusCode, reconfigured.body).toBe(200);
    const apps = clerks.map((_, i) => (second && i % 2 === 1 ? second.app : t.app));
    const sessions = await Promise.all(clerks.map((u) => t.login(u)));
    for (const [i, c] of config.counters.entries()) {
      const res = await apps[i]!.inject({
        method: 'POST',
        url: `/api/counters/${c.id}/open`,
        headers: { cookie: sessions[i]! },
      });
      expect(res.statusCode, res.body).toBe(200);
    }
    const kiosk = await t.login('qy_guide');
    const total = url ? 120 : 60;
    for (let i = 0; i < total; i++) {
      const res = await t.as(kiosk, {
        method: 'POST',
        url: `/api/halls/${hall}/tickets`,
        payload: { category: 'business' },
      });
      expect(res.statusCode).toBe(201);
    }
    const called: string[] = [];
    await Promise.all(
      config.counters.map(async (c, i) => {
        const headers = { cookie: sessions[i]! };
        for (;;) {
          const res = await apps[i]!.inject({
            method: 'POST',
            url: `/api/counters/${c.id}/call-next`,
            headers,
          });
          if (res.statusCode === 204) return;
          expect(res.statusCode, res.body).toBe(200);
          const id = (res.json() as { id: string }).id;
          called.push(id);
          const done = await apps[i]!.inject({
            method: 'POST',
            url: `/api/tickets/${id}/finish`,
            headers,
            payload: {},
          });
          expect(done.statusCode, done.body).toBe(200);
        }
      }),
    );
    expect(duplicates(called)).toBe(0);
    expect(called).toHaveLength(total);
    const events = await calledEvents(hall);
    expect(events).toHaveLength(total);
    expect(events.every((e) => e.n === 1)).toBe(true);
  }, 120_000);

  // The embedded database runs one statement at a time: a smaller crowd keeps the test quick there.
  const size = url ? { counters: 40, tickets: 400 } : { counters: 16, tickets: 160 };

  it(`gives each of ${size.tickets} tickets to exactly one of ${size.counters} counters calling at once (commands; two connections on PostgreSQL)`, async () => {
    const admin = await t.login('admin');
    const hallId = await unitIdByCode(t, admin, 'YC-XK-H01');
    const hall = await hallRef(t.database.db, hallId);
    const system: Ctx = {
      db: t.database.db,
      actor: systemActor(hall, 'test'),
      clock: t.clock,
      requestId: 't',
      clientIp: '',
    };
    const base = DEMO_QUEUE_HALLS.xkHall!;
    const counters = size.counters;
    await configureHall(
      system,
      hallId,
      HallQueueConfig.parse({
        ...base,
        counters: Array.from({ length: counters }, (_, i) => ({
          code: `k${i + 1}`,
          number: i + 1,
          name: `${i + 1}号窗口`,
          kind: 'normal',
          profile: 'general',
        })),
      }),
    );
    const view = await rows<{ id: string; number: number }>(
      t.database.db,
      sql`select id, number from queue_counters where unit_id = ${hallId} and active order by number`,
    );
    expect(view).toHaveLength(counters);
    const clerk = (i: number): Actor => ({
      kind: 'staff',
      id: newId(),
      name: `柜员${i + 1}`,
      unitId: hall.id,
      unitPath: hall.path,
      provinceId: hall.provinceId,
      positions: ['acceptance'],
    });
    const ctxs: Ctx[] = view.map((_, i) => ({
      db: second && i % 2 === 1 ? second.database.db : t.database.db,
      actor: clerk(i),
      clock: t.clock,
      requestId: `c${i}`,
      clientIp: '',
    }));
    for (const [i, c] of view.entries()) await openCounter(ctxs[i]!, c.id);
    const total = size.tickets;
    for (let i = 0; i < total; i++) {
      await takeTicket(system, hallId, { category: i % 3 === 0 ? 'payment' : 'business' });
    }
    const called: string[] = [];
    await Promise.all(
      view.map(async (c, i) => {
        for (;;) {
          const ticket = await callNext(ctxs[i]!, c.id);
          if (!ticket) return;
          called.push(ticket.id);
          await finishTicket(ctxs[i]!, ticket.id, { outcome: 'served', business: [] });
        }
      }),
    );
    expect(duplicates(called)).toBe(0);
    expect(called).toHaveLength(total);
    const events = await calledEvents(hallId);
    expect(events).toHaveLength(total);
    expect(events.every((e) => e.n === 1)).toBe(true);
    const [left] = await rows<{ n: number }>(
      t.database.db,
      sql`select count(*)::int as n from queue_tickets where unit_id = ${hallId} and status <> 'done'`,
    );
    expect(left!.n).toBe(0);
  }, 120_000);
});

describe('concurrent remote takes', () => {
  it('issues one phone no more open remote tickets than allowed when its takes arrive at once (two instances on PostgreSQL)', async () => {
    const admin = await t.login('admin');
    const hall = await unitIdByCode(t, admin, 'YC-QY-H01');
    const phone = '13912345678';
    const headers = { authorization: `Bearer ${await provePhone(t, phone)}` };
    const takes = await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        (second && i % 2 === 1 ? second.app : t.app).inject({
          method: 'POST',
          url: `/api/e/halls/${hall}/tickets`,
          headers,
          payload: { category: 'business', phone },
        }),
      ),
    );
    // The default allows one open remote ticket per phone and hall a day.
    expect(takes.filter((r) => r.statusCode === 201)).toHaveLength(1);
    for (const r of takes.filter((r) => r.statusCode !== 201)) {
      expect(r.statusCode, r.body).toBe(409);
      expect((r.json() as { code: string }).code).toBe('remote_limit');
    }
    const [open] = await rows<{ n: number }>(
      t.database.db,
      sql`select count(*)::int as n from queue_tickets where unit_id = ${hall} and phone = ${phone}`,
    );
    expect(open!.n).toBe(1);
    // A refused take drew no number: the day's numbers of the hall have no gaps.
    const numbering = await rows<{ prefix: string; last: number; tickets: number }>(
      t.database.db,
      sql`select s.prefix, s.last, count(q.id)::int as tickets from queue_sequences s
          left join queue_tickets q on q.unit_id = s.unit_id and q.local_date = s.local_date
            and q.number like s.prefix || '%'
          where s.unit_id = ${hall} group by s.prefix, s.last`,
    );
    expect(numbering.length).toBeGreaterThan(0);
    for (const n of numbering) expect(n.tickets, n.prefix).toBe(n.last);
  });
});
