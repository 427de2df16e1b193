/**
 * The authorisation matrix driven through HTTP: every demo account (every position), a kiosk and a display
 * device of a hall, the e-channel's kiosk device of the province, and API tokens of persons, × scoped
 * actions × (own unit, a child unit, a sibling unit, the parent). The expected answer is computed here from
 * the policy tables and the reach rule (a province or city customer-service centre serves its province's or
 * city's customers and halls' appointments), so a service that scopes a query differently from its policy
 * shows as a wrong cell. Then the common-sense grant rules: nobody changes their own positions or unit,
 * nobody grants beyond their authority or into a unit outside their subtree, device tokens carry device
 * positions only. Every cell is tried; the wrong ones are listed at the end (and must be none).
 */
import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rows } from '../../src/platform/db/index.ts';
import type { AnyPosition, Position } from '../../src/core/positions.ts';
import { POSITION_CODES } from '../../src/core/positions.ts';
import { DEMO_STAFF } from '../../src/modules/demo/seed.ts';
import { auditPolicy } from '../../src/modules/audit/policy.ts';
import { cataloguePolicy } from '../../src/modules/catalogue/policy.ts';
import { customersPolicy } from '../../src/modules/customers/policy.ts';
import { dataQualityPolicy } from '../../src/modules/data-quality/policy.ts';
import { authPolicy } from '../../src/modules/auth/policy.ts';
import { queuePolicy } from '../../src/modules/queue/policy.ts';
import { repairsPolicy } from '../../src/modules/repairs/policy.ts';
import { settingsPolicy } from '../../src/modules/settings/policy.ts';
import { staffPolicy } from '../../src/modules/staff/policy.ts';
import { visitsPolicy } from '../../src/modules/visits/policy.ts';
import { workOrdersPolicy } from '../../src/modules/workorders/policy.ts';
import { ALL_POLICIES } from '../../src/modules/policies.ts';
import type { TestApp } from '../support/app.ts';
import { testApp } from '../support/app.ts';

interface UnitRow {
  id: string;
  parentId: string | null;
  path: string;
  kind: string;
  code: string;
}
interface Who {
  label: string;
  auth: { cookie: string } | { bearer: string };
  positions: readonly AnyPosition[];
  unit: UnitRow;
  device: boolean;
  staffId: string | null;
}
type Relation = 'own' | 'child' | 'sibling' | 'parent';

const HALLS = ['hall_own', 'hall_coop', 'store_3g', 'store_self'];
const CENTRES = ['centre_province', 'centre_city'];
const CENTRE_SERVED = new Set([
  'customer.read',
  'customer.write',
  'customer.reveal',
  'queue.appointment',
  'workorder.read',
  'workorder.report',
]);
const PASSWORD = 'Matrix-Test-2026';

let t: TestApp;
let units: UnitRow[];
const who: Who[] = [];
const cells: { cell: string; ok: boolean; got: number; want: number }[] = [];

const unitByCode = (code: string) => units.find((u) => u.code === code)!;
const inside = (root: string, path: string) => path.startsWith(root);
const parentOf = (u: UnitRow) => units.find((p) => p.id === u.parentId) ?? null;

function request(w: Who, options: { method: 'GET' | 'POST' | 'PATCH'; url: string; payload?: object }) {
  const headers =
    'cookie' in w.auth ? { cookie: w.auth.cookie } : { authorization: `Bearer ${w.auth.bearer}` };
  return t.app.inject({ ...options, headers });
}

function record(cell: string, got: number, want: number) {
  cells.push({ cell, ok: got === want, got, want });
}

/** The reach of an actor for an action: its subtree, or a centre's province or city for what it serves. */
function reach(w: Who, action: string): string {
  if (!w.device && CENTRES.includes(w.unit.kind) && CENTRE_SERVED.has(action)) return parentOf(w.unit)!.path;
  return w.unit.path;
}
function allowed(w: Who, granted: readonly AnyPosition[], action: string, target: UnitRow): boolean {
  return w.positions.some((p) => granted.includes(p)) && inside(reach(w, action), target.path);
}

/** The unit in each relation to the actor's unit (none when the tree has none). */
function related(u: UnitRow): Partial<Record<Relation, UnitRow>> {
  const parent = parentOf(u);
  const child = units.find((c) => c.parentId === u.id);
  const sibling = parent ? units.find((s) => s.parentId === parent.id && s.id !== u.id) : undefined;
  return { own: u, child, sibling, parent: parent ?? undefined };
}

/** A hall for a hall-scoped action: the unit itself, or a hall in its subtree outside the actor's own. */
function hallFor(w: Who, target: UnitRow, relation: Relation): UnitRow | undefined {
  if (HALLS.includes(target.kind)) return target;
  return units.find(
    (h) =>
      HALLS.includes(h.kind) &&
      inside(target.path, h.path) &&
      (relation === 'own' || relation === 'child' || !inside(w.unit.path, h.path)),
  );
}

async function newAccount(admin: Who, unitId: string, username: string, positions: Position[]) {
  const res = await request(admin, {
    method: 'POST',
    url: '/api/staff',
    payload: { unitId, username, name: '矩阵测试', positions },
  });
  expect(res.statusCode, res.body).toBe(201);
  const initial = res.json().initialPassword as string;
  const cookie = await t.login(username, initial);
  const changed = await t.as(cookie, {
    method: 'POST',
    url: '/api/auth/password',
    payload: { currentPassword: initial, newPassword: PASSWORD },
  });
  expect(changed.statusCode, changed.body).toBe(204);
  return { cookie, id: res.json().staff.id as string };
}

beforeAll(async () => {
  t = await testApp({ customers: 30 });
  const hq = await t.login('hqadmin');
  const hqWho = (unit: UnitRow): Who => ({
    label: 'hqadmin',
    auth: { cookie: hq },
    positions: ['system_admin'],
    unit,
    device: false,
    staffId: null,
  });
  const list = async () => (await t.as(hq, { method: 'GET', url: '/api/units' })).json() as UnitRow[];
  units = await list();
  // A city customer-service centre, with an agent, to check that a city centre's reach is its city only.
  const created = await t.as(hq, {
    method: 'POST',
    url: '/api/units',
    payload: {
      parentId: unitByCode('YC-QY').id,
      kind: 'centre_city',
      code: 'YC-QY-CC',
      name: '青原客服中心',
    },
  });
  expect(created.statusCode, created.body).toBe(201);
  units = await list();
  const qycc = await newAccount(hqWho(unitByCode('HQ')), unitByCode('YC-QY-CC').id, 'qycc_agent', ['agent']);

  const staff = await t.as(hq, { method: 'GET', url: '/api/staff?limit=500' });
  const ids = new Map(
    (staff.json().items as { id: string; username: string }[]).map((s) => [s.username, s.id]),
  );
  const unitOf = (username: string) => {
    const s = (staff.json().items as { username: string; unitId: string }[]).find(
      (x) => x.username === username,
    )!;
    return units.find((u) => u.id === s.unitId)!;
  };
  for (const [, username, , positions] of DEMO_STAFF) {
    who.push({
      label: username,
      auth: { cookie: await t.login(username) },
      positions,
      unit: unitOf(username),
      device: false,
      staffId: ids.get(username)!,
    });
  }
  who.push({
    label: 'qycc_agent',
    auth: { cookie: qycc.cookie },
    positions: ['agent'],
    unit: unitByCode('YC-QY-CC'),
    device: false,
    staffId: qycc.id,
  });
  const admin = who.find((w) => w.label === 'admin')!;
  const token = async (w: Who, payload: object) => {
    const res = await request(w, { method: 'POST', url: '/api/tokens', payload });
    expect(res.statusCode, res.body).toBe(201);
    return res.json().token as string;
  };
  const device = async (code: string, position: 'device_kiosk' | 'device_display' | 'device_rating_pad') => {
    const unit = unitByCode(code);
    // A rating pad is bound to a counter of its hall.
    const counterId =
      position === 'device_rating_pad'
        ? ((await request(admin, { method: 'GET', url: `/api/halls/${unit.id}/queue-config` })).json()
            .counters[0].id as string)
        : undefined;
    who.push({
      label: `${position}@${code}`,
      auth: {
        bearer: await token(admin, {
          kind: 'device',
          unitId: unit.id,
          label: '矩阵设备',
          positions: [position],
          ...(counterId ? { counterId } : {}),
        }),
      },
      positions: [position],
      unit,
      device: true,
      staffId: null,
    });
  };
  await device('YC-QY-H01', 'device_kiosk');
  await device('YC-QY-H01', 'device_display');
  await device('YC', 'device_kiosk');
  await device('YC-QY-H01', 'device_rating_pad');
  // The front desk makes no personal API tokens (token.client): a manager's, an auditor's and a centre's.
  for (const username of ['qy_audit', 'qy_manager', 'cc_quality']) {
    const person = who.find((w) => w.label === username)!;
    who.push({
      ...person,
      label: `token of ${username}`,
      auth: { bearer: await token(person, { kind: 'client', label: '矩阵令牌' }) },
    });
  }
}, 120_000);
afterAll(() => t.close());

describe('the HTTP matrix: actor × action × (own, child, sibling, parent)', () => {
  it('answers every scoped read as the policy and the reach say', async () => {
    const reads = [
      {
        action: 'customer.read',
        granted: customersPolicy['customer.read'],
        hall: false,
        url: (u: UnitRow) => `/api/customers?limit=1&unitId=${u.id}`,
      },
      {
        action: 'staff.read',
        granted: staffPolicy['staff.read'],
        hall: false,
        url: (u: UnitRow) => `/api/staff?limit=1&unitId=${u.id}`,
      },
      {
        action: 'audit.read',
        granted: auditPolicy['audit.read'],
        hall: false,
        url: (u: UnitRow) => `/api/audit?limit=1&unitId=${u.id}`,
      },
      {
        action: 'queue.appointment',
        granted: queuePolicy['queue.appointment'],
        hall: true,
        url: (u: UnitRow) => `/api/halls/${u.id}/appointments`,
      },
      {
        action: 'queue.view',
        granted: queuePolicy['queue.view'],
        hall: true,
        url: (u: UnitRow) => `/api/halls/${u.id}/queue`,
      },
      {
        action: 'catalogue.read',
        granted: cataloguePolicy['catalogue.read'],
        hall: false,
        url: (u: UnitRow) => `/api/business-types?unitId=${u.id}`,
      },
      {
        // The duty manager's list of a hall's visits (counter business acceptance).
        action: 'visit.read',
        granted: visitsPolicy['visit.read'],
        hall: true,
        url: (u: UnitRow) => `/api/visits?hallId=${u.id}&status=open`,
      },
      {
        // The clerk's own cash day at a hall.
        action: 'visit.serve',
        granted: visitsPolicy['visit.serve'],
        hall: true,
        url: (u: UnitRow) => `/api/visits/cash-day?hallId=${u.id}`,
      },
      {
        action: 'repair.read',
        granted: repairsPolicy['repair.read'],
        hall: true,
        url: (u: UnitRow) => `/api/repairs?hallId=${u.id}`,
      },
      {
        action: 'data_quality.read',
        granted: dataQualityPolicy['data_quality.read'],
        hall: false,
        url: (u: UnitRow) => `/api/data-quality?unitId=${u.id}&from=2026-03-01&to=2026-03-02`,
      },
      {
        action: 'data_quality.read',
        granted: dataQualityPolicy['data_quality.read'],
        hall: false,
        url: (u: UnitRow) => `/api/data-quality/retention?unitId=${u.id}&from=2026-03-01&to=2026-03-02`,
      },
      {
        action: 'data_quality.read',
        granted: dataQualityPolicy['data_quality.read'],
        hall: false,
        url: (u: UnitRow) => `/api/agent-sales?unitId=${u.id}`,
      },
      {
        action: 'settings.read',
        granted: settingsPolicy['settings.read'],
        hall: false,
        url: (u: UnitRow) => `/api/settings?unitId=${u.id}`,
      },
      {
        // The clerk's own figures of the day at a hall (the counter page).
        action: 'queue.serve',
        granted: queuePolicy['queue.serve'],
        hall: true,
        url: (u: UnitRow) => `/api/queue/my-day?hallId=${u.id}`,
      },
      {
        action: 'queue.stats',
        granted: queuePolicy['queue.stats'],
        hall: true,
        url: (u: UnitRow) => `/api/queue/stats?unitId=${u.id}&from=2026-03-01&to=2026-03-02&by=day`,
      },
      {
        action: 'queue.stats',
        granted: queuePolicy['queue.stats'],
        hall: true,
        url: (u: UnitRow) =>
          `/api/queue/stats/export?unitId=${u.id}&from=2026-03-01&to=2026-03-02&by=counter`,
      },
      {
        action: 'workorder.read',
        granted: workOrdersPolicy['workorder.read'],
        hall: false,
        url: (u: UnitRow) => `/api/work-orders?limit=1&unitId=${u.id}`,
      },
      {
        action: 'workorder.report',
        granted: workOrdersPolicy['workorder.report'],
        hall: false,
        url: (u: UnitRow) => `/api/work-orders/report?unitId=${u.id}&from=2026-03-01&to=2026-03-02`,
      },
    ] as const;
    for (const w of who) {
      for (const [relation, unit] of Object.entries(related(w.unit)) as [Relation, UnitRow | undefined][]) {
        if (!unit) continue;
        for (const r of reads) {
          const target = r.hall ? hallFor(w, unit, relation) : unit;
          if (!target) continue;
          const res = await request(w, { method: 'GET', url: r.url(target) });
          const want = allowed(w, r.granted, r.action, target) ? 200 : 403;
          record(`${w.label} ${r.action} ${relation} ${target.code}`, res.statusCode, want);
        }
      }
    }
  }, 300_000);

  it('answers the floor’s alert acknowledgement (a command) as the policy and the reach say', async () => {
    // Past the position check an unknown alert is 409 (no alert now): the command was allowed to run.
    for (const w of who) {
      for (const [relation, unit] of Object.entries(related(w.unit)) as [Relation, UnitRow | undefined][]) {
        if (!unit) continue;
        const target = hallFor(w, unit, relation);
        if (!target) continue;
        const res = await request(w, {
          method: 'POST',
          url: `/api/halls/${target.id}/queue/alerts/acknowledge`,
          payload: { key: 'queue:nowhere' },
        });
        const got = res.statusCode === 409 ? 200 : res.statusCode;
        const want = allowed(w, queuePolicy['queue.supervise'], 'queue.supervise', target) ? 200 : 403;
        record(`${w.label} queue.supervise acknowledge ${relation} ${target.code}`, got, want);
      }
    }
  }, 300_000);

  it('answers a signed visit’s void and correction (commands) as the policy and the reach say', async () => {
    // One open visit at a counter of every hall that has counters (written as its row: the cells try who may
    // act on it, not how it was opened). Past the position check an open visit is 409 (nothing signed to void
    // or correct): the command was allowed to run, and nothing was written.
    const { db } = t.database;
    const counters = await rows<{ id: string; unit_id: string }>(
      db,
      sql`select distinct on (unit_id) id, unit_id from queue_counters order by unit_id, number`,
    );
    const visitOf = new Map<string, string>();
    for (const c of counters) {
      const hall = units.find((u) => u.id === c.unit_id)!;
      const [row] = await rows<{ id: string }>(
        db,
        sql`insert into visits (province_id, id, unit_id, unit_path, local_date, counter_id, staff_name,
              catalogue_unit_id, catalogue_version, status, opened_at)
            select u.province_id, gen_random_uuid(), u.id, u.path, current_date, ${c.id}, '矩阵', u.province_id,
              'hq-2009.1', 'open', now()
            from units u where u.id = ${hall.id} returning id`,
      );
      visitOf.set(hall.id, row!.id);
    }
    const commands = [
      {
        action: 'visit.void',
        url: (v: string) => `/api/visits/${v}/void`,
        payload: { reason: '矩阵测试作废' },
      },
      {
        action: 'visit.correct',
        url: (v: string) => `/api/visits/${v}/lines/${randomUUID()}/corrections`,
        payload: { field: 'plan', value: 'P99', reason: '矩阵测试更正', foundBy: 'audit' },
      },
    ] as const;
    for (const w of who) {
      for (const [relation, unit] of Object.entries(related(w.unit)) as [Relation, UnitRow | undefined][]) {
        if (!unit) continue;
        const target = hallFor(w, unit, relation);
        const visit = target && visitOf.get(target.id);
        if (!target || !visit) continue;
        for (const c of commands) {
          const res = await request(w, { method: 'POST', url: c.url(visit), payload: c.payload });
          const got = res.statusCode === 409 ? 200 : res.statusCode;
          const want = allowed(w, visitsPolicy[c.action], c.action, target) ? 200 : 403;
          record(`${w.label} ${c.action} ${relation} ${target.code}`, got, want);
        }
      }
    }
    const [left] = await rows<{ n: number }>(
      db,
      sql`select count(*)::int as n from visits where staff_name = '矩阵' and status <> 'open'`,
    );
    expect(left?.n ?? 0).toBe(0);
    expect(visitOf.size).toBeGreaterThan(1);
  }, 300_000);

  it('finds customers by a full number only for positions that may reveal', async () => {
    // A demo customer's contact phone is 1860000 + (1000 + i); the first is in some hall of the province.
    for (const w of who) {
      const res = await request(w, { method: 'GET', url: '/api/customers?q=18600001000' });
      if (res.statusCode !== 200) {
        record(
          `${w.label} search full number`,
          res.statusCode,
          allowed(w, customersPolicy['customer.read'], 'customer.read', w.unit) ? 200 : 403,
        );
        continue;
      }
      const partial = await request(w, { method: 'GET', url: '/api/customers?q=1860000' });
      record(`${w.label} search part of a number finds no one`, partial.json().total, 0);
      const reveals = customersPolicy['customer.reveal'].some((p) => w.positions.includes(p));
      if (!reveals) record(`${w.label} search full number without reveal finds no one`, res.json().total, 0);
    }
  }, 120_000);
});

describe('the common-sense grant rules, through HTTP', () => {
  it('nobody changes their own positions or unit', async () => {
    for (const w of who.filter((x) => x.staffId)) {
      const own = await request(w, {
        method: 'PATCH',
        url: `/api/staff/${w.staffId}`,
        payload: { positions: [...w.positions, w.positions.includes('auditor') ? 'trainer' : 'auditor'] },
      });
      record(`${w.label} adds a position to itself`, own.statusCode, 403);
      const parent = parentOf(w.unit);
      if (parent) {
        const moved = await request(w, {
          method: 'PATCH',
          url: `/api/staff/${w.staffId}`,
          payload: { unitId: parent.id },
        });
        record(`${w.label} moves itself to its parent unit`, moved.statusCode, 403);
      }
    }
  }, 120_000);

  it('grants only positions within one’s authority, in units within one’s subtree', async () => {
    let n = 0;
    for (const w of who) {
      const writes = staffPolicy['staff.write'].some((p) => w.positions.includes(p)) && !w.device;
      for (const position of POSITION_CODES) {
        const res = await request(w, {
          method: 'POST',
          url: '/api/staff',
          payload: { unitId: w.unit.id, username: `mx${n++}`, name: '授权测试', positions: [position] },
        });
        const admin = w.positions.includes('system_admin');
        // Beyond an administrator, only a position whose every action the granter holds already.
        const within = ALL_POLICIES.every((policy) =>
          Object.values(policy).every(
            (granted) => !granted.includes(position) || w.positions.some((p) => granted.includes(p)),
          ),
        );
        const want = writes && (admin || (position !== 'system_admin' && within)) ? 201 : 403;
        record(`${w.label} grants ${position} in its own unit`, res.statusCode, want);
      }
      const parent = parentOf(w.unit);
      if (parent) {
        const res = await request(w, {
          method: 'POST',
          url: '/api/staff',
          payload: { unitId: parent.id, username: `mx${n++}`, name: '授权测试', positions: ['sales'] },
        });
        record(`${w.label} creates an account in its parent unit`, res.statusCode, 403);
      }
    }
  }, 300_000);

  it('device tokens carry device positions only, for units in the caller’s subtree', async () => {
    for (const w of who) {
      const manages =
        ['system_admin', 'hall_manager'].some((p) => w.positions.includes(p as Position)) && !w.device;
      const mk = (unitId: string, positions: string[]) =>
        request(w, {
          method: 'POST',
          url: '/api/tokens',
          payload: { kind: 'device', unitId, label: '矩阵设备', positions },
        });
      record(
        `${w.label} makes a kiosk token of its unit`,
        (await mk(w.unit.id, ['device_kiosk'])).statusCode,
        manages ? 201 : 403,
      );
      record(
        `${w.label} makes a device token with a person's position`,
        (await mk(w.unit.id, ['system_admin'])).statusCode,
        400,
      );
      const parent = parentOf(w.unit);
      if (parent)
        record(
          `${w.label} makes a kiosk token of its parent unit`,
          (await mk(parent.id, ['device_kiosk'])).statusCode,
          403,
        );
    }
  }, 120_000);
});

describe('the clerk’s and the rating pad’s routes', () => {
  it('a personal API token for the office only, the rating pad only for a pad', async () => {
    for (const w of who) {
      const client = await request(w, {
        method: 'POST',
        url: '/api/tokens',
        payload: { kind: 'client', label: '矩阵令牌' },
      });
      const office = !w.device && w.positions.some((p) => authPolicy['token.client'].includes(p));
      record(`${w.label} makes a personal API token`, client.statusCode, office ? 201 : w.device ? 400 : 403);
      const pad = w.positions.includes('device_rating_pad');
      const view = await request(w, { method: 'GET', url: '/api/rating-pad' });
      record(`${w.label} reads a rating pad's view`, view.statusCode, pad ? 200 : 403);
      const rate = await request(w, {
        method: 'POST',
        url: '/api/rating-pad/ratings',
        payload: { ticketId: '00000000-0000-4000-8000-000000000000', score: 5 },
      });
      // A pad rating a ticket that is not its counter's: not found for it; anyone else: no position.
      record(`${w.label} rates a ticket on a pad`, rate.statusCode, pad ? 404 : 403);
      const counter = await request(w, {
        method: 'POST',
        url: `/api/counters/00000000-0000-4000-8000-000000000000/call-number`,
        payload: { number: 'A001', reason: 'manager' },
      });
      // An unknown counter is looked up before the position is checked: 404 for everyone, never a 500.
      record(`${w.label} calls a number at an unknown counter`, counter.statusCode, 404);
    }
  }, 120_000);
});

describe('a city centre’s reach is its city', () => {
  it('sees its city’s customers and hall appointments, not another city’s', async () => {
    const agent = who.find((w) => w.label === 'qycc_agent')!;
    const qyHall = unitByCode('YC-QY-H01');
    const xkHall = unitByCode('YC-XK-H01');
    const get = async (url: string) => (await request(agent, { method: 'GET', url })).statusCode;
    record(
      'qycc_agent customers of a hall of its city',
      await get(`/api/customers?unitId=${qyHall.id}`),
      200,
    );
    record('qycc_agent customers of another city', await get(`/api/customers?unitId=${xkHall.id}`), 403);
    record('qycc_agent appointments of its city', await get(`/api/halls/${qyHall.id}/appointments`), 200);
    record('qycc_agent appointments of another city', await get(`/api/halls/${xkHall.id}/appointments`), 403);
    const all = await request(agent, { method: 'GET', url: '/api/customers?limit=500' });
    const xk = (all.json().items as { unitId: string }[]).filter((c) => c.unitId === xkHall.id);
    record('qycc_agent lists no customer of another city', xk.length, 0);
  });
});

describe('the slip’s follow link and the display’s audio, for every actor', () => {
  it('a follow link opens its ticket whoever sends it, and never another; the audio answers queue.display only', async () => {
    const kiosk = who.find((w) => w.label === 'device_kiosk@YC-QY-H01')!;
    const take = async () => {
      const res = await request(kiosk, {
        method: 'POST',
        url: `/api/halls/${unitByCode('YC-QY-H01').id}/tickets`,
        payload: { category: 'business' },
      });
      expect(res.statusCode, res.body).toBe(201);
      return res.json() as { id: string; follow: { token: string } };
    };
    const a = await take();
    const b = await take();
    for (const w of who) {
      const headers = {
        ...('cookie' in w.auth ? { cookie: w.auth.cookie } : { authorization: `Bearer ${w.auth.bearer}` }),
        'x-follow-token': a.follow.token,
      };
      const own = await t.app.inject({ method: 'GET', url: `/api/e/follow/${a.id}`, headers });
      record(`${w.label} follows a slip's ticket with its link`, own.statusCode, 200);
      const another = await t.app.inject({ method: 'GET', url: `/api/e/follow/${b.id}`, headers });
      record(`${w.label} follows another ticket with a slip's link`, another.statusCode, 404);
      const cancel = await t.app.inject({
        method: 'POST',
        url: `/api/e/follow/${b.id}/cancel`,
        headers,
        payload: {},
      });
      record(`${w.label} cancels another ticket with a slip's link`, cancel.statusCode, 404);
      for (const [relation, unit] of Object.entries(related(w.unit)) as [Relation, UnitRow | undefined][]) {
        if (!unit) continue;
        const target = hallFor(w, unit, relation);
        if (!target) continue;
        // A call no display shows: 404 for whoever may read the display, 403 for anyone else.
        const res = await request(w, {
          method: 'GET',
          url: `/api/halls/${target.id}/display/announcement?number=Z999&counter=1`,
        });
        const want = allowed(w, queuePolicy['queue.display'], 'queue.display', target) ? 404 : 403;
        record(`${w.label} display audio ${relation} ${target.code}`, res.statusCode, want);
      }
    }
  }, 120_000);
});

describe('the count', () => {
  it('every cell answered as expected', () => {
    const wrong = cells.filter((c) => !c.ok);
    console.log(`authorisation matrix: ${cells.length} cells tried, ${wrong.length} wrong`);
    for (const c of wrong.slice(0, 60)) console.log(`  wrong: ${c.cell}: got ${c.got}, want ${c.want}`);
    expect(cells.length).toBeGreaterThan(1000);
    expect(wrong.map((c) => `${c.cell}: got ${c.got}, want ${c.want}`)).toEqual([]);
  });
});
