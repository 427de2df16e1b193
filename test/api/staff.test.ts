/**
 * Staff accounts through HTTP: listing with filters and masked phones, creating with an initial password,
 * who may grant what where, changes that end sessions, password resets, and what the events keep.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { DEMO_STAFF } from '../../src/modules/demo/seed.ts';
import { rows } from '../../src/platform/db/index.ts';
import type { TestApp } from '../support/app.ts';
import { testApp, unitIdByCode } from '../support/app.ts';

interface StaffReply {
  id: string;
  unitId: string;
  unitName: string;
  username: string;
  name: string;
  phone: string;
  positions: string[];
  active: boolean;
  mustChangePassword: boolean;
  locked: boolean;
}

let t: TestApp;
let admin: string;
let manager: string;
let qyHall: string;
let qy3g: string;
let xkHall: string;

beforeAll(async () => {
  t = await testApp({ customers: 5 });
  admin = await t.login('admin');
  manager = await t.login('qy_manager');
  [qyHall, qy3g, xkHall] = await Promise.all([
    unitIdByCode(t, admin, 'YC-QY-H01'),
    unitIdByCode(t, admin, 'YC-QY-G01'),
    unitIdByCode(t, admin, 'YC-XK-H01'),
  ]);
});
afterAll(() => t.close());

const listStaff = async (cookie: string, query = '') => {
  const limit = query.includes('limit=') ? '' : '&limit=500';
  const res = await t.as(cookie, { method: 'GET', url: `/api/staff?${limit}${query}` });
  expect(res.statusCode, res.body).toBe(200);
  return res.json() as { items: StaffReply[]; total: number };
};
const byUsername = async (username: string) => {
  const found = (await listStaff(admin, `&q=${username}`)).items.find((s) => s.username === username);
  if (!found) throw new Error(`no staff ${username}`);
  return found;
};
const tryLogin = (username: string, password: string) =>
  t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password } });
const create = (cookie: string, payload: Record<string, unknown>) =>
  t.as(cookie, { method: 'POST', url: '/api/staff', payload });
const events = async (action: string, subjectId: string) => {
  const res = await t.as(admin, {
    method: 'GET',
    url: `/api/audit?action=${action}&subjectId=${subjectId}&limit=100`,
  });
  return (res.json() as { items: { before: unknown; after: unknown }[] }).items;
};

describe('listing', () => {
  it('lists the province’s staff with masked phones', async () => {
    const { items, total } = await listStaff(admin);
    const provincial = DEMO_STAFF.filter(([, u]) => u !== 'hqadmin');
    expect(total).toBe(provincial.length);
    expect(items.map((s) => s.username).sort()).toEqual(provincial.map(([, u]) => u).sort());
    for (const s of items) {
      expect(s.phone, s.username).toMatch(/^186\*{4}\d{4}$/);
      expect(s.phone).not.toMatch(/^1860001/);
    }
    expect(JSON.stringify(items)).not.toContain('scrypt$');
  });

  it('filters by unit, by position and by name or user name', async () => {
    const hall = await listStaff(admin, `&unitId=${qyHall}`);
    expect(hall.items.length).toBe(DEMO_STAFF.filter(([k]) => k === 'qyHall').length);
    expect(new Set(hall.items.map((s) => s.unitName))).toEqual(new Set(['青原人民路营业厅']));

    const acceptance = await listStaff(admin, '&position=acceptance');
    expect(acceptance.items.map((s) => s.username).sort()).toEqual(
      ['coop_clerk', 'qy_clerk', 'qy_clerk2', 'xk_clerk'].sort(),
    );
    for (const s of acceptance.items) expect(s.positions).toContain('acceptance');
    expect(acceptance.total).toBe(4);

    const byName = await listStaff(admin, `&q=${encodeURIComponent('张悦')}`);
    expect(byName.items.map((s) => s.username)).toEqual(['qy_clerk']);
    const byUser = await listStaff(admin, '&q=XK_');
    expect(byUser.items.map((s) => s.username).sort()).toEqual(
      ['xk_clerk', 'xk_duty', 'xk_manager', 'xk_self_guide'].sort(),
    );

    const paged = await listStaff(admin, '&position=acceptance&limit=2&offset=1');
    expect(paged.items).toHaveLength(2);
    expect(paged.total).toBe(4);
  });

  it('a hall manager sees only its hall; another city’s unit is 403 scope; a clerk may not list', async () => {
    const own = await listStaff(manager);
    expect(new Set(own.items.map((s) => s.unitId))).toEqual(new Set([qyHall]));
    const other = await t.as(manager, { method: 'GET', url: `/api/staff?unitId=${xkHall}` });
    expect(other.statusCode).toBe(403);
    expect(other.json().code).toBe('scope');
    const clerk = await t.login('qy_clerk');
    const res = await t.as(clerk, { method: 'GET', url: '/api/staff' });
    expect(res.statusCode).toBe(403);
    expect(res.json().code).toBe('position');
  });
});

describe('creating accounts', () => {
  it('creates an account whose initial password works once and must be changed', async () => {
    const res = await create(admin, {
      unitId: qyHall,
      username: 'New.Clerk',
      name: '新柜员',
      phone: '18612345678',
      positions: ['acceptance', 'sales', 'acceptance'],
    });
    expect(res.statusCode, res.body).toBe(201);
    const { staff, initialPassword } = res.json() as { staff: StaffReply; initialPassword: string };
    expect(staff).toMatchObject({
      username: 'new.clerk',
      unitName: '青原人民路营业厅',
      phone: '186****5678',
      positions: ['acceptance', 'sales'],
      mustChangePassword: true,
      active: true,
      locked: false,
    });
    expect(initialPassword.length).toBeGreaterThanOrEqual(8);
    const login = await tryLogin('new.clerk', initialPassword);
    expect(login.statusCode).toBe(200);
    expect(login.json().me.mustChangePassword).toBe(true);
    expect((await tryLogin('new.clerk', 'Fuwu@2026')).statusCode).toBe(401);
    const created = await events('staff.created', staff.id);
    expect(created).toHaveLength(1);
    expect(created[0]!.after).toMatchObject({ username: 'new.clerk', phone: '186****5678' });
    expect(JSON.stringify(created[0]!.after)).not.toContain('12345678');
  });

  it('refuses a user name that is taken, whatever its case, with 409', async () => {
    for (const username of ['qy_clerk', 'QY_Clerk']) {
      const res = await create(admin, { unitId: qyHall, username, name: '重名', positions: ['sales'] });
      expect(res.statusCode, username).toBe(409);
      expect(res.json().code).toBe('username_taken');
    }
  });

  it('only an administrator grants the administrator position', async () => {
    const res = await create(manager, {
      unitId: qyHall,
      username: 'sneaky',
      name: '越权者',
      positions: ['acceptance', 'system_admin'],
    });
    expect(res.statusCode).toBe(403);
    expect(res.json().code).toBe('grant_admin');
    expect((await listStaff(admin, '&q=sneaky')).total).toBe(0);

    const clerk = await byUsername('qy_clerk2');
    const patch = await t.as(manager, {
      method: 'PATCH',
      url: `/api/staff/${clerk.id}`,
      payload: { positions: ['acceptance', 'system_admin'] },
    });
    expect(patch.statusCode).toBe(403);
    expect(patch.json().code).toBe('grant_admin');
    expect((await byUsername('qy_clerk2')).positions).toEqual(['acceptance', 'retention']);

    const ok = await create(admin, {
      unitId: qyHall,
      username: 'hall_admin',
      name: '厅管理员',
      positions: ['system_admin'],
    });
    expect(ok.statusCode).toBe(201);
  });

  it('a hall manager may not take over an administrator of its hall (reset, change or deactivate)', async () => {
    const hallAdmin = await byUsername('hall_admin');
    const reset = await t.as(manager, { method: 'POST', url: `/api/staff/${hallAdmin.id}/reset-password` });
    expect(reset.statusCode).toBe(403);
    expect(reset.json().code).toBe('admin_account');
    const change = await t.as(manager, {
      method: 'PATCH',
      url: `/api/staff/${hallAdmin.id}`,
      payload: { active: false },
    });
    expect(change.statusCode).toBe(403);
    expect(change.json().code).toBe('admin_account');
    expect((await byUsername('hall_admin')).active).toBe(true);
    expect((await events('staff.password_reset', hallAdmin.id)).length).toBe(0);
  });

  it('a hall manager creates staff in its own hall but not in another hall', async () => {
    const own = await create(manager, {
      unitId: qyHall,
      username: 'qy_new_guide',
      name: '新引导员',
      positions: ['floor_guide'],
    });
    expect(own.statusCode, own.body).toBe(201);
    const other = await create(manager, {
      unitId: qy3g,
      username: 'g3_new_guide',
      name: '越权引导员',
      positions: ['floor_guide'],
    });
    expect(other.statusCode).toBe(403);
    expect(other.json().code).toBe('scope');
    const clerk = await t.login('qy_clerk');
    const byClerk = await create(clerk, {
      unitId: qyHall,
      username: 'by_clerk',
      name: '柜员建号',
      positions: ['sales'],
    });
    expect(byClerk.statusCode).toBe(403);
    expect(byClerk.json().code).toBe('position');
  });
});

describe('changing accounts', () => {
  it('changes positions and unit, recorded with before and after', async () => {
    const target = await byUsername('qy_new_guide');
    const res = await t.as(admin, {
      method: 'PATCH',
      url: `/api/staff/${target.id}`,
      payload: { positions: ['consultation', 'floor_guide'], unitId: qy3g, name: '新咨询员' },
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({
      unitId: qy3g,
      unitName: '青原3G旗舰店',
      positions: ['consultation', 'floor_guide'],
      name: '新咨询员',
    });
    const cookie = await t.login('g3_manager');
    expect((await listStaff(cookie)).items.map((s) => s.username)).toContain('qy_new_guide');
    expect((await listStaff(manager)).items.map((s) => s.username)).not.toContain('qy_new_guide');
    const updated = await events('staff.updated', target.id);
    expect(updated).toHaveLength(1);
    expect(updated[0]!.before).toMatchObject({ unitId: qyHall, positions: ['floor_guide'] });
    expect(updated[0]!.after).toMatchObject({ unitId: qy3g, positions: ['consultation', 'floor_guide'] });
  });

  it('a hall manager may not move its staff to another hall', async () => {
    const sales = await byUsername('qy_sales');
    const res = await t.as(manager, {
      method: 'PATCH',
      url: `/api/staff/${sales.id}`,
      payload: { unitId: xkHall },
    });
    expect(res.statusCode).toBe(403);
    expect(res.json().code).toBe('scope');
    expect((await byUsername('qy_sales')).unitId).toBe(qyHall);
  });

  it('a deactivated account can no longer log in and its open sessions stop working', async () => {
    const session = await t.login('qy_guide');
    const second = await t.login('qy_guide');
    expect((await t.as(session, { method: 'GET', url: '/api/auth/me' })).statusCode).toBe(200);
    const guide = await byUsername('qy_guide');
    const res = await t.as(manager, {
      method: 'PATCH',
      url: `/api/staff/${guide.id}`,
      payload: { active: false },
    });
    expect(res.statusCode).toBe(200);
    expect(res.json().active).toBe(false);
    for (const cookie of [session, second]) {
      expect((await t.as(cookie, { method: 'GET', url: '/api/auth/me' })).statusCode).toBe(401);
    }
    const login = await tryLogin('qy_guide', 'Fuwu@2026');
    expect(login.statusCode).toBe(401);
    expect(login.json().code).toBe('invalid_credentials');

    const back = await t.as(manager, {
      method: 'PATCH',
      url: `/api/staff/${guide.id}`,
      payload: { active: true },
    });
    expect(back.statusCode).toBe(200);
    expect((await tryLogin('qy_guide', 'Fuwu@2026')).statusCode).toBe(200);
  });

  it('no one deactivates their own account', async () => {
    const me = await byUsername('qy_manager');
    const res = await t.as(manager, {
      method: 'PATCH',
      url: `/api/staff/${me.id}`,
      payload: { active: false },
    });
    expect(res.statusCode).toBe(409);
    expect(res.json().code).toBe('self_deactivate');
  });
});

describe('password reset', () => {
  it('lifts a lockout, ends sessions and gives a new initial password', async () => {
    const session = await t.login('qy_stock');
    for (let i = 0; i < 5; i++) await tryLogin('qy_stock', 'wrong');
    expect((await tryLogin('qy_stock', 'Fuwu@2026')).statusCode).toBe(401); // locked, told like a wrong one
    const stock = await byUsername('qy_stock');
    expect(stock.locked).toBe(true);

    const res = await t.as(manager, { method: 'POST', url: `/api/staff/${stock.id}/reset-password` });
    expect(res.statusCode, res.body).toBe(200);
    const { staff, initialPassword } = res.json() as { staff: StaffReply; initialPassword: string };
    expect(staff.locked).toBe(false);
    expect(staff.mustChangePassword).toBe(true);
    expect((await t.as(session, { method: 'GET', url: '/api/auth/me' })).statusCode).toBe(401);
    expect((await tryLogin('qy_stock', 'Fuwu@2026')).statusCode).toBe(401);
    const login = await tryLogin('qy_stock', initialPassword);
    expect(login.statusCode).toBe(200);
    expect(login.json().me.mustChangePassword).toBe(true);
    expect(await events('staff.password_reset', stock.id)).toHaveLength(1);
  });

  it('is refused outside the manager’s hall and to a clerk', async () => {
    const xk = await byUsername('xk_clerk');
    const res = await t.as(manager, { method: 'POST', url: `/api/staff/${xk.id}/reset-password` });
    expect(res.statusCode).toBe(403);
    expect(res.json().code).toBe('scope');
    const clerk = await t.login('qy_clerk');
    const own = await byUsername('qy_sales');
    const byClerk = await t.as(clerk, { method: 'POST', url: `/api/staff/${own.id}/reset-password` });
    expect(byClerk.statusCode).toBe(403);
    expect(byClerk.json().code).toBe('position');
  });
});

describe('what the events keep', () => {
  it('no event holds a password hash, a password or an unmasked staff phone', async () => {
    const all = await rows<{ action: string; before: string | null; after: string | null }>(
      t.database.db,
      sql`select action, before::text as before, after::text as after from events`,
    );
    expect(all.some((e) => e.action === 'staff.created')).toBe(true);
    expect(all.some((e) => e.action === 'staff.updated')).toBe(true);
    expect(all.some((e) => e.action === 'staff.password_reset')).toBe(true);
    for (const e of all) {
      const text = `${e.before ?? ''} ${e.after ?? ''}`;
      expect(text, e.action).not.toContain('scrypt$');
      expect(text, e.action).not.toContain('passwordHash');
      expect(text, e.action).not.toContain('initialPassword');
      expect(text, e.action).not.toContain('Fuwu@2026');
      expect(text, e.action).not.toMatch(/1860001\d{4}/);
    }
  });
});

describe('nobody changes their own positions or unit', () => {
  it('refuses a manager adding a position to itself and an admin moving itself, 403 with zh/en, writing nothing', async () => {
    const me = await byUsername('qy_manager');
    const before = await events('staff.updated', me.id);
    const res = await t.as(manager, {
      method: 'PATCH',
      url: `/api/staff/${me.id}`,
      payload: { positions: ['hall_manager', 'auditor'] },
    });
    expect(res.statusCode).toBe(403);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.json().code).toBe('self_grant');
    expect(res.json().messages['zh-CN']).toContain('不能修改自己的岗位');
    expect(res.json().messages['en-US']).toMatch(/own positions/);
    const self = await byUsername('admin');
    const moved = await t.as(admin, {
      method: 'PATCH',
      url: `/api/staff/${self.id}`,
      payload: { unitId: qyHall },
    });
    expect(moved.statusCode).toBe(403);
    expect(moved.json().code).toBe('self_grant');
    expect((await byUsername('qy_manager')).positions).toEqual(['hall_manager']);
    expect(await events('staff.updated', me.id)).toHaveLength(before.length);
    // One's own name is not a grant.
    const renamed = await t.as(manager, {
      method: 'PATCH',
      url: `/api/staff/${me.id}`,
      payload: { name: '王丽华' },
    });
    expect(renamed.statusCode, renamed.body).toBe(200);
  });

  it('refuses a manager moving a clerk to the city above (scope) and a device token making a staff position', async () => {
    const clerk = await byUsername('qy_clerk');
    const city = await unitIdByCode(t, admin, 'YC-QY');
    const res = await t.as(manager, {
      method: 'PATCH',
      url: `/api/staff/${clerk.id}`,
      payload: { unitId: city },
    });
    expect(res.statusCode).toBe(403);
    const token = await t.as(manager, {
      method: 'POST',
      url: '/api/tokens',
      payload: { kind: 'device', unitId: qyHall, label: '假设备', positions: ['acceptance'] },
    });
    expect(token.statusCode).toBe(400);
  });
});
