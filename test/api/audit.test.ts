/**
 * The audit trail through HTTP: each caller sees the events of its subtree only; filters by action prefix,
 * subject and time; and every command appends exactly one event with who, where, which request, from where.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InjectOptions } from 'fastify';
import { sql } from 'drizzle-orm';
import { rows } from '../../src/platform/db/index.ts';
import type { TestApp } from '../support/app.ts';
import { testApp, unitIdByCode } from '../support/app.ts';

interface EventReply {
  id: string;
  at: string;
  action: string;
  unitId: string;
  unitName: string;
  subjectId: string;
  actorName: string;
  requestId: string;
  clientIp: string;
}
interface EventRow {
  id: string;
  action: string;
  actor_id: string | null;
  actor_kind: string;
  actor_name: string;
  unit_id: string;
  subject_id: string;
  request_id: string;
  client_ip: string;
}

let t: TestApp;
let hq: string;
let admin: string;
let manager: string;
let xkManager: string;
let ids: Record<string, string>;

beforeAll(async () => {
  t = await testApp({ customers: 10 });
  [hq, admin, manager, xkManager] = await Promise.all([
    t.login('hqadmin'),
    t.login('admin'),
    t.login('qy_manager'),
    t.login('xk_manager'),
  ]);
  ids = {};
  for (const code of ['HQ', 'YC', 'YC-QY-H01', 'YC-QY-G01', 'YC-XK-H01'])
    ids[code] = await unitIdByCode(t, hq, code);
});
afterAll(() => t.close());

const audit = async (cookie: string, query = '') => {
  const res = await t.as(cookie, { method: 'GET', url: `/api/audit?limit=500${query}` });
  expect(res.statusCode, res.body).toBe(200);
  return res.json() as { items: EventReply[]; total: number };
};
const exception = (cookie: string, unit: string, date: string) =>
  t.as(cookie, { method: 'PUT', url: `/api/units/${ids[unit]}/exceptions/${date}`, payload: { hours: [] } });
const allEvents = () =>
  rows<EventRow>(
    t.database.db,
    sql`select id, action, actor_id, actor_kind, actor_name, unit_id, subject_id, request_id, client_ip from events`,
  );

describe('scope', () => {
  it('a hall manager sees the events of its hall, not those of 溪口', async () => {
    expect((await exception(manager, 'YC-QY-H01', '2026-03-20')).statusCode).toBe(200);
    expect((await exception(xkManager, 'YC-XK-H01', '2026-03-21')).statusCode).toBe(200);
    const { items } = await audit(manager);
    expect(items.length).toBeGreaterThan(0);
    expect(new Set(items.map((e) => e.unitId))).toEqual(new Set([ids['YC-QY-H01']]));
    expect(items.some((e) => e.action === 'unit.day_exception_set')).toBe(true);
    expect(items.some((e) => e.unitName.includes('溪口'))).toBe(false);

    const province = await audit(admin, '&action=unit.day_exception_set');
    expect(new Set(province.items.map((e) => e.unitId))).toEqual(
      new Set([ids['YC-QY-H01'], ids['YC-XK-H01']]),
    );
  });

  it('asking for another hall’s events is 403 scope; a clerk may not read the trail', async () => {
    const res = await t.as(manager, { method: 'GET', url: `/api/audit?unitId=${ids['YC-XK-H01']}` });
    expect(res.statusCode).toBe(403);
    expect(res.json().code).toBe('scope');
    const clerk = await t.login('qy_clerk');
    const byClerk = await t.as(clerk, { method: 'GET', url: '/api/audit' });
    expect(byClerk.statusCode).toBe(403);
    expect(byClerk.json().code).toBe('position');
  });

  it('the auditor of the hall reads its trail too; the province sees a unit’s subtree with unitId', async () => {
    const auditor = await t.login('qy_audit');
    const { items } = await audit(auditor);
    expect(new Set(items.map((e) => e.unitId))).toEqual(new Set([ids['YC-QY-H01']]));
    const xk = await audit(admin, `&unitId=${ids['YC-XK-H01']}`);
    expect(xk.items.length).toBeGreaterThan(0);
    expect(new Set(xk.items.map((e) => e.unitId))).toEqual(new Set([ids['YC-XK-H01']]));
  });
});

describe('filters', () => {
  it('by action prefix and exact action', async () => {
    const prefix = await audit(admin, '&action=auth.');
    expect(prefix.total).toBeGreaterThan(0);
    for (const e of prefix.items) expect(e.action.startsWith('auth.')).toBe(true);
    expect(prefix.items.some((e) => e.action === 'auth.login')).toBe(true);
    const exact = await audit(admin, '&action=auth.login');
    expect(exact.total).toBeGreaterThan(0);
    for (const e of exact.items) expect(e.action).toBe('auth.login');
    expect(exact.total).toBeLessThan(prefix.total + 1);
    // Without the final dot an action is exact, and LIKE wildcards in a prefix are plain characters.
    expect((await audit(admin, '&action=auth')).total).toBe(0);
    expect((await audit(admin, `&action=${encodeURIComponent('%.')}`)).total).toBe(0);
    expect((await audit(admin, `&action=${encodeURIComponent('_nit.')}`)).total).toBe(0);
  });

  it('by subject', async () => {
    const res = await audit(admin, `&subjectId=${ids['YC-XK-H01']}`);
    expect(res.total).toBeGreaterThan(0);
    for (const e of res.items) expect(e.subjectId).toBe(ids['YC-XK-H01']);
  });

  it('by time: from is inclusive, to exclusive, newest first', async () => {
    const at: string[] = [];
    for (const date of ['2026-04-01', '2026-04-02', '2026-04-03']) {
      t.clock.advanceMinutes(10);
      at.push(t.clock.now().toISOString());
      expect((await exception(manager, 'YC-QY-H01', date)).statusCode).toBe(200);
    }
    const window = async (query: string) =>
      (await audit(manager, `&action=unit.day_exception_set${query}`)).items.map((e) => e.at);
    expect(await window(`&from=${at[1]}`)).toEqual([at[2], at[1]]);
    expect(await window(`&from=${at[0]}&to=${at[2]}`)).toEqual([at[1], at[0]]);
    expect(await window(`&to=${at[0]}`)).toHaveLength(1); // the one of the first test
    expect(await window(`&from=${new Date(new Date(at[2]!).getTime() + 1).toISOString()}`)).toEqual([]);
  });

  it('pages with limit and offset, total counting them all', async () => {
    const all = await audit(admin);
    const page = await t.as(admin, { method: 'GET', url: '/api/audit?limit=3&offset=2' });
    const body = page.json() as { items: EventReply[]; total: number };
    expect(body.total).toBe(all.total);
    expect(body.items.map((e) => e.id)).toEqual(all.items.slice(2, 5).map((e) => e.id));
  });
});

describe('one event per command', () => {
  it('each command appends exactly one event naming actor, unit, request and client address', async () => {
    const meOf = async (cookie: string) =>
      (await t.as(cookie, { method: 'GET', url: '/api/auth/me' })).json() as { id: string; name: string };
    const clerk = await t.login('qy_clerk');
    const requestIds = new Set<string>();
    let n = 0;
    const expectOne = async (
      cookie: string | null,
      options: InjectOptions,
      action: string,
      unit: string,
      actor: { id: string | null; name: string },
    ) => {
      const ip = `203.0.113.${++n}`;
      const before = new Set((await allEvents()).map((e) => e.id));
      // The peer's address (X-Forwarded-For counts only from FUWU_TRUST_PROXY's proxies, none here).
      const res = cookie
        ? await t.as(cookie, { ...options, remoteAddress: ip })
        : await t.app.inject({ ...options, remoteAddress: ip });
      expect(res.statusCode, `${action}: ${res.body}`).toBeLessThan(300);
      const added = (await allEvents()).filter((e) => !before.has(e.id));
      expect(
        added.map((e) => e.action),
        action,
      ).toEqual([action]);
      const e = added[0]!;
      expect(e.unit_id, action).toBe(ids[unit] ?? unit);
      expect(e.actor_id, action).toBe(actor.id);
      expect(e.actor_name, action).toBe(actor.name);
      expect(e.client_ip, action).toBe(ip);
      expect(e.request_id, action).toMatch(
        /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
      );
      expect(requestIds.has(e.request_id), `${action}: a new request id`).toBe(false);
      requestIds.add(e.request_id);
      return res;
    };
    const [adminMe, managerMe, clerkMe, hqMe] = await Promise.all([
      meOf(admin),
      meOf(manager),
      meOf(clerk),
      meOf(hq),
    ]);
    const hall = 'YC-QY-H01';

    await expectOne(
      admin,
      {
        method: 'PATCH',
        url: `/api/units/${ids['YC-QY-G01']}`,
        payload: { address: '云川省青原市新华街9号' },
      },
      'unit.updated',
      'YC-QY-G01',
      adminMe,
    );
    await expectOne(
      manager,
      { method: 'PUT', url: `/api/units/${ids[hall]}/exceptions/2026-05-20`, payload: { hours: [] } },
      'unit.day_exception_set',
      hall,
      managerMe,
    );
    await expectOne(
      manager,
      { method: 'DELETE', url: `/api/units/${ids[hall]}/exceptions/2026-05-20` },
      'unit.day_exception_removed',
      hall,
      managerMe,
    );
    const created = await expectOne(
      admin,
      {
        method: 'POST',
        url: '/api/staff',
        payload: { unitId: ids[hall], username: 'audit_new', name: '审计新人', positions: ['sales'] },
      },
      'staff.created',
      hall,
      adminMe,
    );
    const staffId = created.json().staff.id as string;
    await expectOne(
      admin,
      { method: 'PATCH', url: `/api/staff/${staffId}`, payload: { name: '审计新员工' } },
      'staff.updated',
      hall,
      adminMe,
    );
    const reset = await expectOne(
      manager,
      { method: 'POST', url: `/api/staff/${staffId}/reset-password` },
      'staff.password_reset',
      hall,
      managerMe,
    );
    const initial = reset.json().initialPassword as string;
    await expectOne(
      admin,
      { method: 'PUT', url: '/api/settings/queue.maxRecalls', payload: { unitId: ids['YC'], value: 4 } },
      'setting.set',
      'YC',
      adminMe,
    );
    await expectOne(
      hq,
      { method: 'PUT', url: '/api/calendar/days/2027-01-01', payload: { kind: 'holiday', name: '元旦' } },
      'calendar.day_set',
      'HQ',
      hqMe,
    );
    const customer = await expectOne(
      clerk,
      {
        method: 'POST',
        url: '/api/customers',
        payload: {
          unitId: ids[hall],
          kind: 'individual',
          name: '审计客户',
          idDocKind: 'resident_id',
          idDocNumber: '11010519491231002X',
          contactPhone: '13900003333',
        },
      },
      'customer.created',
      hall,
      clerkMe,
    );
    const customerId = customer.json().id as string;
    await expectOne(
      clerk,
      { method: 'PATCH', url: `/api/customers/${customerId}`, payload: { clubTier: 'silver' } },
      'customer.updated',
      hall,
      clerkMe,
    );
    await expectOne(
      clerk,
      { method: 'POST', url: `/api/customers/${customerId}/reveal` },
      'customer.pii_viewed',
      hall,
      clerkMe,
    );
    const sub = await expectOne(
      clerk,
      {
        method: 'POST',
        url: `/api/customers/${customerId}/subscriptions`,
        payload: { kind: 'mobile', number: '13900003333' },
      },
      'subscription.added',
      hall,
      clerkMe,
    );
    await expectOne(
      clerk,
      {
        method: 'PATCH',
        url: `/api/customers/${customerId}/subscriptions/${sub.json().id}`,
        payload: { plan: '畅听 46元套餐' },
      },
      'subscription.updated',
      hall,
      clerkMe,
    );
    const token = await expectOne(
      manager,
      {
        method: 'POST',
        url: '/api/tokens',
        payload: { kind: 'device', unitId: ids[hall], label: '2号取号机', positions: ['device_kiosk'] },
      },
      'token.created',
      hall,
      managerMe,
    );
    await expectOne(
      manager,
      { method: 'DELETE', url: `/api/tokens/${token.json().info.id}` },
      'token.revoked',
      hall,
      managerMe,
    );
    const login = await expectOne(
      null,
      { method: 'POST', url: '/api/auth/login', payload: { username: 'audit_new', password: initial } },
      'auth.login',
      hall,
      { id: staffId, name: '审计新员工' },
    );
    const cookie = `fuwu_session=${login.cookies.find((c) => c.name === 'fuwu_session')!.value}`;
    await expectOne(
      cookie,
      {
        method: 'POST',
        url: '/api/auth/password',
        payload: { currentPassword: initial, newPassword: 'Audit-Pass-2026' },
      },
      'auth.password_changed',
      hall,
      { id: staffId, name: '审计新员工' },
    );
    await expectOne(cookie, { method: 'POST', url: '/api/auth/logout' }, 'auth.logout', hall, {
      id: staffId,
      name: '审计新员工',
    });
    expect(requestIds.size).toBe(18);
  });

  it('a refused command appends nothing', async () => {
    const before = (await allEvents()).length;
    const res = await t.as(manager, {
      method: 'PATCH',
      url: `/api/units/${ids['YC-QY-H01']}`,
      payload: { name: '不允许' },
    });
    expect(res.statusCode).toBe(403);
    const bad = await t.as(admin, {
      method: 'PUT',
      url: '/api/settings/queue.maxRecalls',
      payload: { unitId: ids['YC'], value: 99 },
    });
    expect(bad.statusCode).toBe(400);
    expect((await allEvents()).length).toBe(before);
  });

  it('the trail answers what the row holds: request id and client address', async () => {
    const res = await audit(admin, '&action=token.created');
    expect(res.items[0]).toMatchObject({
      actorName: '王丽华',
      clientIp: expect.stringMatching(/^203\.0\.113\./),
    });
    expect(res.items[0]!.requestId).toMatch(/^[0-9a-f-]{36}$/);
  });
});
