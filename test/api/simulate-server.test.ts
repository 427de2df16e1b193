/**
 * `fuwu simulate` against a running server: the real app on a port with the system clock, the simulator
 * driving it through HTTP as a kiosk, clerks and a duty manager, in a training hall; the server's own
 * statistics show the simulated day; real counters and real halls are never touched; refusals are clear.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/app.ts';
import { localClock } from '../../src/core/simulation.ts';
import { systemClock } from '../../src/platform/clock.ts';
import type { Database } from '../../src/platform/db/index.ts';
import { rows } from '../../src/platform/db/index.ts';
import { DEMO_PASSWORD, seedDemo } from '../../src/modules/demo/seed.ts';
import type { ServerSimulationSummary } from '../../src/modules/queue/simulate-http.ts';
import { SimulationError, simulateArgs, simulateOnServer } from '../../src/modules/queue/simulate-http.ts';
import { freshDatabase } from '../support/app.ts';

let database: Database;
let app: FastifyInstance;
let url: string;
let admin: string;
const ZONE = 'Asia/Shanghai';
const today = () =>
  new Intl.DateTimeFormat('en-CA', {
    timeZone: ZONE,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(Date.now());

async function api<T>(
  token: string,
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; body: T }> {
  const res = await fetch(`${url}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${token}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  return { status: res.status, body: (text ? JSON.parse(text) : null) as T };
}
async function loginAs(username: string, password = DEMO_PASSWORD): Promise<string> {
  const res = await fetch(`${url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password }),
  });
  expect(res.status).toBe(200);
  return ((await res.json()) as { token: string }).token;
}
interface UnitRow {
  id: string;
  code: string;
  attributes: Record<string, unknown>;
}
const unitByCode = async (code: string) =>
  (await api<UnitRow[]>(admin, 'GET', '/api/units')).body.find((u) => u.code === code);
interface CounterView {
  id: string;
  number: number;
  state: string;
  staffId: string | null;
  stateSince: string;
}
const countersOf = async (hallId: string) =>
  (await api<{ counters: CounterView[] }>(admin, 'GET', `/api/halls/${hallId}/queue`)).body.counters;
const statsOf = async (hallId: string, by = 'hall') =>
  (
    await api<{
      rows: {
        key: string;
        label: string;
        tickets: number;
        served: number;
        byChannel: Record<string, number>;
        open: number;
      }[];
    }>(admin, 'GET', `/api/queue/stats?unitId=${hallId}&from=${today()}&to=${today()}&by=${by}`)
  ).body.rows;

beforeAll(async () => {
  database = await freshDatabase();
  await seedDemo(database.db, systemClock, { customers: 20 });
  // A real server: the system clock (and its queue timer), listening on a port.
  app = await createApp({ database, clock: systemClock, webDist: '/nonexistent' });
  url = await app.listen({ port: 0, host: '127.0.0.1' });
  admin = await loginAs('admin');
});
afterAll(async () => {
  await app?.close();
  await database?.close();
});

describe('a simulated day on a running server', () => {
  let summary: ServerSimulationSummary;
  const lines: [number, string][] = [];
  let realHallId: string;
  let realCounter: CounterView;
  let runStart: Date;

  beforeAll(async () => {
    realHallId = (await unitByCode('YC-QY-H01'))!.id;
    // A real clerk has a real counter of the real hall open: the simulated day must leave it alone.
    const clerk = await loginAs('qy_clerk');
    const first = (await countersOf(realHallId)).sort((a, b) => a.number - b.number)[0]!;
    const opened = await api<CounterView>(clerk, 'POST', `/api/counters/${first.id}/open`, {});
    expect(opened.status).toBe(200);
    realCounter = opened.body;
    runStart = new Date();
    summary = await simulateOnServer({
      server: url,
      username: 'admin',
      password: DEMO_PASSWORD,
      hall: 'YC-QY-H01',
      speed: 600,
      from: '09:00',
      to: '10:00',
      seed: 7,
      log: (line) => lines.push([Date.now(), line]),
    });
  }, 240_000);

  it('plays in the training hall it made from the real hall', async () => {
    expect(summary.created).toBe(true);
    expect(summary.hallCode).toBe('YC-QY-H01-SIM');
    const hall = await unitByCode('YC-QY-H01-SIM');
    expect(hall?.attributes).toMatchObject({ training: true, trainingFor: 'YC-QY-H01' });
    expect(summary.taken).toBeGreaterThan(5);
    expect(summary.served).toBeGreaterThan(0);
    expect(summary.countersUsed).toBeGreaterThan(0);
  });

  it("shows the day in the server's own statistics", async () => {
    const [hall] = await statsOf(summary.hallId);
    expect(hall?.tickets).toBe(summary.taken);
    expect(summary.stats?.tickets).toBe(summary.taken);
    expect((hall?.byChannel.kiosk ?? 0) + (hall?.byChannel.guide ?? 0)).toBe(summary.taken);
    expect(hall?.byChannel.kiosk).toBeGreaterThan(0);
    // Served by the simulated clerks, as the per-clerk statistics show.
    const clerks = await statsOf(summary.hallId, 'clerk');
    expect(clerks.length).toBeGreaterThan(0);
    expect(clerks.every((c) => c.label.startsWith('模拟柜员'))).toBe(true);
    expect(clerks.reduce((n, c) => n + c.tickets, 0)).toBeGreaterThanOrEqual(summary.served);
  });

  it('leaves nothing open: counters closed, no ticket waiting, the kiosk token revoked', async () => {
    expect((await countersOf(summary.hallId)).every((c) => c.state === 'closed')).toBe(true);
    const waiting = await api<{ total: number }>(
      admin,
      'GET',
      `/api/halls/${summary.hallId}/tickets?status=waiting`,
    );
    expect(waiting.body.total).toBe(0);
    const tokens = await api<{ label: string; unitId: string; revokedAt: string | null }[]>(
      admin,
      'GET',
      '/api/tokens',
    );
    const kiosk = tokens.body.filter((t) => t.unitId === summary.hallId);
    expect(kiosk.length).toBe(1);
    expect(kiosk[0]!.revokedAt).not.toBeNull();
  });

  it('never touched the real hall: its open counter, its line, its statistics', async () => {
    const now = (await countersOf(realHallId)).find((c) => c.id === realCounter.id)!;
    expect(now.state).toBe('open');
    expect(now.staffId).toBe(realCounter.staffId);
    expect(now.stateSince).toBe(realCounter.stateSince);
    const touched = await rows<{ n: number }>(
      database.db,
      sql`select count(*)::int as n from events where unit_id = ${realHallId} and at >= ${runStart.toISOString()}
          and (action like 'ticket.%' or action like 'counter.%')`,
    );
    expect(touched[0]!.n).toBe(0);
    const [real] = await statsOf(realHallId);
    expect(real?.tickets ?? 0).toBe(0);
  });

  it("logs the hall's local time, not UTC", () => {
    const timed = lines.filter(([, l]) => /^\d{2}:\d{2}:\d{2} \[\d{2}:\d{2}\]/.test(l));
    expect(timed.length).toBeGreaterThan(3);
    for (const [at, line] of timed) {
      const shown = line.slice(0, 8);
      expect([localClock(at, ZONE), localClock(at - 1000, ZONE)]).toContain(shown);
    }
    expect(lines.some(([, l]) => l.includes(`local time in ${ZONE}`))).toBe(true);
  });

  it('plays again in the same training hall', async () => {
    const again = await simulateOnServer({
      server: url,
      username: 'admin',
      password: DEMO_PASSWORD,
      hall: 'YC-QY-H01',
      speed: 900,
      from: '09:00',
      to: '09:30',
      seed: 8,
    });
    expect(again.created).toBe(false);
    expect(again.hallId).toBe(summary.hallId);
    expect(again.stats?.tickets).toBe(summary.taken + again.taken);
  }, 240_000);
});

describe('what the simulator refuses', () => {
  it('a training hall with a counter someone has open, leaving it open', async () => {
    const hall = (await unitByCode('YC-QY-H01-SIM'))!;
    // A trainee (the hall's manager makes an account) has counter 1 of the training hall open.
    const made = await api<{ initialPassword: string; staff: { id: string } }>(admin, 'POST', '/api/staff', {
      unitId: hall.id,
      username: 'trainee1',
      name: '学员一',
      positions: ['acceptance'],
    });
    const first = await loginAs('trainee1', made.body.initialPassword);
    await api(first, 'POST', '/api/auth/password', {
      currentPassword: made.body.initialPassword,
      newPassword: 'Trainee-2026-xyz!',
    });
    const trainee = await loginAs('trainee1', 'Trainee-2026-xyz!');
    const counter = (await countersOf(hall.id)).sort((a, b) => a.number - b.number)[0]!;
    const opened = await api<CounterView>(trainee, 'POST', `/api/counters/${counter.id}/open`, {});
    expect(opened.status).toBe(200);
    const before = (await statsOf(hall.id))[0]?.tickets ?? 0;
    await expect(
      simulateOnServer({
        server: url,
        username: 'admin',
        password: DEMO_PASSWORD,
        hall: 'YC-QY-H01',
        speed: 600,
      }),
    ).rejects.toThrow(/in use.*正在使用/);
    const now = (await countersOf(hall.id)).find((c) => c.id === counter.id)!;
    expect(now).toMatchObject({
      state: 'open',
      staffId: made.body.staff.id,
      stateSince: opened.body.stateSince,
    });
    expect((await statsOf(hall.id))[0]?.tickets ?? 0).toBe(before);
    await api(trainee, 'POST', `/api/counters/${counter.id}/close`);
  });

  it('a unit coded like a training hall that is not one, before writing anything', async () => {
    const model = (await unitByCode('YC-QY-G01'))!;
    const parent = (await api<{ parentId: string }>(admin, 'GET', `/api/units/${model.id}`)).body.parentId;
    const made = await api<UnitRow>(admin, 'POST', '/api/units', {
      parentId: parent,
      kind: 'hall_own',
      code: 'YC-QY-G01-SIM',
      name: '一个真实的营业厅',
    });
    expect(made.status).toBe(201);
    const error = await simulateOnServer({
      server: url,
      username: 'admin',
      password: DEMO_PASSWORD,
      hall: 'YC-QY-G01',
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SimulationError);
    expect((error as SimulationError).code).toBe('not_training');
    expect((error as Error).message).toMatch(/never plays in a real hall/);
    const staff = await api<{ total: number }>(admin, 'GET', `/api/staff?unitId=${made.body.id}`);
    expect(staff.body.total).toBe(0);
    const tokens = await api<{ unitId: string }[]>(admin, 'GET', '/api/tokens');
    expect(tokens.body.some((t) => t.unitId === made.body.id)).toBe(false);
  });

  it('a unit that is not a hall, and a user who cannot log in', async () => {
    await expect(
      simulateOnServer({ server: url, username: 'admin', password: DEMO_PASSWORD, hall: 'YC-QY' }),
    ).rejects.toMatchObject({ code: 'not_a_hall' });
    await expect(
      simulateOnServer({ server: url, username: 'admin', password: 'wrong', hall: 'YC-QY-H01' }),
    ).rejects.toMatchObject({ status: 401 });
  });

  it('a speed that would not be honest or would take days', async () => {
    for (const speed of [0, 3601, Number.NaN])
      await expect(
        simulateOnServer({
          server: url,
          username: 'admin',
          password: DEMO_PASSWORD,
          hall: 'YC-QY-H01',
          speed,
        }),
      ).rejects.toThrow(/--speed/);
  });

  it('the old direct mode: it no longer opens the database', () => {
    expect(() =>
      simulateArgs(['--hall', 'YC-QY-H01', '--date', '2026-12-01'], { FUWU_USER: 'admin' }),
    ).toThrow(/no longer opens the database/);
    expect(simulateArgs(['--hall', 'YC-QY-H01'], { FUWU_USER: 'admin', PORT: '4000' })).toMatchObject({
      server: 'http://127.0.0.1:4000',
      username: 'admin',
      hall: 'YC-QY-H01',
    });
  });

  it('the command without a server says so and leaves the data folder alone', () => {
    const dataDir = join(mkdtempSync(join(tmpdir(), 'fuwu-sim-')), 'data');
    const run = spawnSync(
      process.execPath,
      ['bin/fuwu.js', 'simulate', '--hall', 'YC-QY-H01', '--server', 'http://127.0.0.1:9', '--quiet'],
      {
        env: { ...process.env, FUWU_USER: 'admin', FUWU_PASSWORD: DEMO_PASSWORD, FUWU_DATA_DIR: dataDir },
        encoding: 'utf8',
        timeout: 60_000,
      },
    );
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/cannot reach the server at http:\/\/127\.0\.0\.1:9/);
    expect(existsSync(dataDir)).toBe(false);
  }, 60_000);
});

describe('an interrupted run', () => {
  it('tidies up as at the end: counters closed, nothing waiting, the kiosk token revoked', async () => {
    const controller = new AbortController();
    const lines: string[] = [];
    // Interrupted a second after the first counter opens (as Ctrl-C does).
    const log = (l: string) => {
      if (lines.length === 0 || !lines.some((x) => x.includes('opens counter')))
        if (l.includes('opens counter')) setTimeout(() => controller.abort(), 1_000);
      lines.push(l);
    };
    const summary = await simulateOnServer({
      server: url,
      username: 'admin',
      password: DEMO_PASSWORD,
      hall: 'YC-QY-H01-SIM',
      speed: 300,
      from: '09:00',
      to: '18:00',
      signal: controller.signal,
      log,
    });
    expect(lines.some((l) => l.includes('interrupted'))).toBe(true);
    expect(summary.realSeconds).toBeLessThan(60);
    expect((await countersOf(summary.hallId)).every((c) => c.state === 'closed')).toBe(true);
    const waiting = await api<{ total: number }>(
      admin,
      'GET',
      `/api/halls/${summary.hallId}/tickets?status=waiting`,
    );
    expect(waiting.body.total).toBe(0);
    const tokens = await api<{ unitId: string; revokedAt: string | null }[]>(admin, 'GET', '/api/tokens');
    expect(tokens.body.filter((t) => t.unitId === summary.hallId).every((t) => t.revokedAt !== null)).toBe(
      true,
    );
    const [stats] = await statsOf(summary.hallId);
    expect(stats?.open ?? 0).toBe(0);
  }, 240_000);
});
