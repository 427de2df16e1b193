import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestApp } from '../support/app.ts';
import { testApp, unitIdByCode } from '../support/app.ts';

let t: TestApp;
let admin: string;

beforeAll(async () => {
  t = await testApp();
  admin = await t.login('admin');
});
afterAll(() => t.close());

async function events(action: string, subjectId?: string) {
  const res = await t.as(admin, {
    method: 'GET',
    url: `/api/audit?action=${action}${subjectId ? `&subjectId=${subjectId}` : ''}&limit=100`,
  });
  expect(res.statusCode).toBe(200);
  return (res.json() as { items: { action: string; subjectId: string; after: unknown }[] }).items;
}

describe('login', () => {
  it('answers who I am and sets an HttpOnly SameSite=Lax cookie', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { username: 'qy_clerk', password: 'Fuwu@2026' },
    });
    expect(res.statusCode).toBe(200);
    const cookie = res.cookies.find((c) => c.name === 'fuwu_session')!;
    expect(cookie.httpOnly).toBe(true);
    expect(cookie.sameSite).toBe('Lax');
    expect(res.json().me.positions).toEqual(['acceptance']);
    expect(res.json().me.unitName).toBe('青原人民路营业厅');
    expect((await events('auth.login')).length).toBeGreaterThan(0);
  });

  it('refuses a wrong password with 401 in both languages and records the failure', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { username: 'qy_sales', password: 'nope' },
    });
    expect(res.statusCode).toBe(401);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.json().messages['zh-CN']).toBe('用户名或密码错误');
    expect(res.json().messages['en-US']).toBe('Wrong user name or password');
    expect(
      (await events('auth.login_failed')).some(
        (e) => (e.after as { reason: string }).reason === 'wrong_password',
      ),
    ).toBe(true);
  });

  it('records a failure for an unknown user without telling it apart', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { username: 'ghost', password: 'x' },
    });
    expect(res.statusCode).toBe(401);
    expect(res.json().code).toBe('invalid_credentials');
    // The failure of an unknown user belongs to headquarters: a province administrator does not see it.
    expect((await events('auth.login_failed', 'ghost')).length).toBe(0);
    const hq = await t.login('hqadmin');
    const res2 = await t.as(hq, {
      method: 'GET',
      url: '/api/audit?action=auth.login_failed&subjectId=ghost',
    });
    expect(res2.json().items).toHaveLength(1);
  });

  it('locks the account after 5 failures for 15 minutes, then lets it in again', async () => {
    const attempt = (password: string) =>
      t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'qy_consult', password } });
    for (let i = 1; i <= 4; i++) expect((await attempt('wrong')).statusCode).toBe(401);
    expect((await attempt('wrong')).statusCode).toBe(423);
    expect((await attempt('Fuwu@2026')).statusCode).toBe(423);
    expect((await events('auth.locked')).length).toBe(1);
    expect((await events('auth.login_refused_locked')).length).toBe(1);
    t.clock.advanceMinutes(16);
    expect((await attempt('Fuwu@2026')).statusCode).toBe(200);
  });

  it('logs out: the cookie no longer works and the logout is an event', async () => {
    const cookie = await t.login('qy_guide');
    expect((await t.as(cookie, { method: 'GET', url: '/api/auth/me' })).statusCode).toBe(200);
    expect((await t.as(cookie, { method: 'POST', url: '/api/auth/logout' })).statusCode).toBe(204);
    expect((await t.as(cookie, { method: 'GET', url: '/api/auth/me' })).statusCode).toBe(401);
    expect((await events('auth.logout')).length).toBeGreaterThan(0);
  });
});

describe('initial and expired passwords', () => {
  it('makes a new account change its initial password before anything else, by the rules', async () => {
    const hall = await unitIdByCode(t, admin, 'YC-QY-H01');
    const created = await t.as(admin, {
      method: 'POST',
      url: '/api/staff',
      payload: { unitId: hall, username: 'newbie', name: '新员工', positions: ['acceptance'] },
    });
    expect(created.statusCode).toBe(201);
    const initial = created.json().initialPassword as string;
    const cookie = await t.login('newbie', initial);
    const me = await t.as(cookie, { method: 'GET', url: '/api/auth/me' });
    expect(me.json().mustChangePassword).toBe(true);
    const blocked = await t.as(cookie, { method: 'GET', url: '/api/units' });
    expect(blocked.statusCode).toBe(403);
    expect(blocked.json().code).toBe('password_change_required');
    const change = (newPassword: string, currentPassword = initial) =>
      t.as(cookie, { method: 'POST', url: '/api/auth/password', payload: { currentPassword, newPassword } });
    expect((await change('short1A')).statusCode).toBe(400);
    expect((await change('alllowercase')).json().code).toBe('weak_password');
    expect((await change('Good-Pass-2026', 'wrong')).json().code).toBe('wrong_current_password');
    expect((await change(initial)).statusCode).toBe(400);
    expect((await change('Good-Pass-2026')).statusCode).toBe(204);
    expect((await t.as(cookie, { method: 'GET', url: '/api/units' })).statusCode).toBe(200);
    expect((await events('auth.password_changed')).length).toBe(1);
  });
});

describe('bearer tokens', () => {
  it('registers a kiosk of a hall whose token works as a device and can be revoked', async () => {
    const manager = await t.login('qy_manager');
    const hall = await unitIdByCode(t, manager, 'YC-QY-H01');
    const created = await t.as(manager, {
      method: 'POST',
      url: '/api/tokens',
      payload: { kind: 'device', unitId: hall, label: '1号取号机', positions: ['device_kiosk'] },
    });
    expect(created.statusCode).toBe(201);
    const { token, info } = created.json() as { token: string; info: { id: string } };
    const headers = { authorization: `Bearer ${token}` };
    const me = await t.app.inject({ method: 'GET', url: '/api/auth/me', headers });
    expect(me.json()).toMatchObject({ kind: 'device', name: '1号取号机', positions: ['device_kiosk'] });
    const lookup = await t.app.inject({
      method: 'GET',
      url: '/api/customers/lookup?phone=18600001000',
      headers,
    });
    // A kiosk takes tickets (which look the phone up themselves): it has no phone lookup of its own.
    expect(lookup.statusCode).toBe(403);
    expect((await t.app.inject({ method: 'GET', url: '/api/customers', headers })).statusCode).toBe(403);
    expect((await t.as(manager, { method: 'DELETE', url: `/api/tokens/${info.id}` })).statusCode).toBe(200);
    expect((await t.app.inject({ method: 'GET', url: '/api/auth/me', headers })).statusCode).toBe(401);
  });

  it('refuses a manager registering a device in another city', async () => {
    const manager = await t.login('qy_manager');
    const other = await unitIdByCode(t, admin, 'YC-XK-H01');
    const res = await t.as(manager, {
      method: 'POST',
      url: '/api/tokens',
      payload: { kind: 'device', unitId: other, label: '取号机', positions: ['device_kiosk'] },
    });
    expect(res.statusCode).toBe(403);
    expect(res.json().code).toBe('scope');
  });
});

describe('password expiry (runs last: it moves the clock by 91 days)', () => {
  it('asks again for a change once the password is 90 days old', async () => {
    const cookie = await t.login('xk_clerk');
    expect((await t.as(cookie, { method: 'GET', url: '/api/units' })).statusCode).toBe(200);
    t.clock.advanceMinutes(91 * 24 * 60);
    const fresh = await t.login('xk_clerk');
    expect((await t.as(fresh, { method: 'GET', url: '/api/auth/me' })).json().mustChangePassword).toBe(true);
    expect((await t.as(fresh, { method: 'GET', url: '/api/units' })).statusCode).toBe(403);
  });
});
