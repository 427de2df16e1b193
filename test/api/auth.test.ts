import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { eq } from 'drizzle-orm';
import { schema } from '../../src/platform/db/index.ts';
import * as password from '../../src/platform/auth/password.ts';
import type { TestApp } from '../support/app.ts';
import { testApp, unitIdByCode } from '../support/app.ts';

// Counts the password verifications of every login path (an unknown user must cost one too).
vi.mock('../../src/platform/auth/password.ts', async (importOriginal) => {
  const original = await importOriginal<typeof password>();
  return { ...original, verifyPassword: vi.fn(original.verifyPassword) };
});

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

  it('records a failure for an unknown user without telling it apart, the typed name masked', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { username: 'ghost', password: 'x' },
    });
    expect(res.statusCode).toBe(401);
    expect(res.json().code).toBe('invalid_credentials');
    // The failure of an unknown user belongs to headquarters: a province administrator does not see it.
    expect((await events('auth.login_failed', 'g***')).length).toBe(0);
    const hq = await t.login('hqadmin');
    const res2 = await t.as(hq, {
      method: 'GET',
      url: '/api/audit?action=auth.login_failed&subjectId=g***',
    });
    expect(res2.json().items).toHaveLength(1);
    expect(res2.json().items[0]).toMatchObject({ subjectId: 'g***', actorName: 'anonymous (g***)' });
  });

  it('keeps no typed name in clear in the audit trail: a phone or a password typed as the name', async () => {
    for (const username of ['13912345678', 'Secret#Pass99']) {
      const res = await t.app.inject({
        method: 'POST',
        url: '/api/auth/login',
        payload: { username, password: 'x' },
      });
      expect(res.statusCode).toBe(401);
    }
    const hq = await t.login('hqadmin');
    const all = await t.as(hq, { method: 'GET', url: '/api/audit?action=auth.login_failed&limit=100' });
    const body = all.body;
    expect(body).not.toContain('13912345678');
    expect(body).not.toContain('Secret#Pass99');
    expect(body).toContain('139****5678');
    expect(body).toContain('anonymous (S***)');
  });

  it('locks the account after 5 failures for 15 minutes, answering like a wrong password, then lets it in', async () => {
    const attempt = (password: string) =>
      t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'qy_consult', password } });
    const wrong = await attempt('wrong');
    expect(wrong.statusCode).toBe(401);
    for (let i = 2; i <= 4; i++) expect((await attempt('wrong')).statusCode).toBe(401);
    const fifth = await attempt('wrong');
    const locked = await attempt('Fuwu@2026');
    // A locked account looks exactly like a wrong password (no enumeration of accounts or of their state).
    for (const res of [fifth, locked]) {
      expect(res.statusCode).toBe(401);
      expect(res.headers['content-type']).toContain('application/problem+json');
      const { instance: _i, requestId: _r, ...body } = res.json() as Record<string, unknown>;
      const { instance: _i2, requestId: _r2, ...wrongBody } = wrong.json() as Record<string, unknown>;
      expect(body).toEqual(wrongBody);
    }
    expect((await events('auth.locked')).length).toBe(1);
    expect((await events('auth.login_refused_locked')).length).toBe(1);
    // The administrator sees the lock on the staff page.
    const staff = await t.as(admin, { method: 'GET', url: '/api/staff?q=qy_consult' });
    expect(staff.json().items[0].locked).toBe(true);
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

/** A login from its own client address, so that the per-client limit of one test does not touch the others. */
const loginFrom = (remoteAddress: string, username: string, pw: string) =>
  t.app.inject({
    method: 'POST',
    url: '/api/auth/login',
    payload: { username, password: pw },
    remoteAddress,
  });

const stripIds = (body: Record<string, unknown>) => {
  const { instance: _i, requestId: _r, ...rest } = body;
  return rest;
};

describe('no user enumeration', () => {
  it('answers an unknown user, a wrong password and a locked account alike, each after verifying a password', async () => {
    const verify = vi.mocked(password.verifyPassword);
    const attempt = async (username: string, pw: string) => {
      verify.mockClear();
      const res = await loginFrom('10.9.0.1', username, pw);
      expect(verify).toHaveBeenCalledTimes(1);
      return res;
    };
    const unknown = await attempt('nobody_here', 'Wrong-1234');
    const wrong = await attempt('qy_trainer', 'Wrong-1234');
    for (let i = 0; i < 4; i++) await attempt('qy_trainer', 'Wrong-1234');
    const locked = await attempt('qy_trainer', 'Fuwu@2026');
    for (const res of [unknown, wrong, locked]) {
      expect(res.statusCode).toBe(401);
      expect(res.headers['content-type']).toContain('application/problem+json');
      expect(stripIds(res.json())).toEqual(stripIds(unknown.json()));
    }
    expect(unknown.json().code).toBe('invalid_credentials');
  });

  it('takes about as long for an unknown user as for a wrong password (medians, wide margin)', async () => {
    const median = async (username: string) => {
      const times: number[] = [];
      for (let i = 0; i < 7; i++) {
        const started = performance.now();
        await loginFrom('10.9.0.2', username, `Wrong-${i}`);
        times.push(performance.now() - started);
      }
      return times.sort((a, b) => a - b)[3]!;
    };
    // qy_stock locks at the 5th try: the locked answers verify a password too, so they cost the same.
    const unknown = await median('nobody_at_all');
    const wrong = await median('qy_stock');
    expect(unknown).toBeGreaterThan(wrong / 5);
    expect(unknown).toBeLessThan(wrong * 5);
  });
});

describe('rate limits', () => {
  it('answers 429 problem+json with Retry-After after 20 failed logins of one account name', async () => {
    for (let i = 0; i < 20; i++) {
      expect((await loginFrom(`10.8.0.${i + 1}`, 'sprayed_name', 'Wrong-1234')).statusCode).toBe(401);
    }
    const res = await loginFrom('10.8.1.1', 'sprayed_name', 'Wrong-1234');
    expect(res.statusCode).toBe(429);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
    expect(res.json().code).toBe('rate_limited');
    expect(res.json().messages['zh-CN']).toBeTruthy();
  });

  it('answers 429 after 60 failed logins from one client address, whatever the names; right ones are not counted', async () => {
    for (let i = 0; i < 5; i++)
      expect((await loginFrom('10.7.0.1', 'qy_clerk', 'Fuwu@2026')).statusCode).toBe(200);
    for (let i = 0; i < 60; i++) {
      expect((await loginFrom('10.7.0.1', `guess_${i}`, 'Wrong-1234')).statusCode).toBe(401);
    }
    const res = await loginFrom('10.7.0.1', 'qy_clerk', 'Fuwu@2026');
    expect(res.statusCode).toBe(429);
    expect(res.headers['retry-after']).toBeDefined();
    // Another address is not concerned.
    expect((await loginFrom('10.7.0.2', 'qy_clerk', 'Fuwu@2026')).statusCode).toBe(200);
  });
});

describe('password change', () => {
  it('counts wrong current passwords towards the lockout: the 5th locks the account and ends its sessions', async () => {
    const cookie = await t.login('qy_audit');
    const other = await t.login('qy_audit');
    const change = () =>
      t.as(cookie, {
        method: 'POST',
        url: '/api/auth/password',
        payload: { currentPassword: 'Not-The-One-1', newPassword: 'Brand-New-Pass-77' },
      });
    for (let i = 0; i < 4; i++) {
      const res = await change();
      expect(res.statusCode).toBe(400);
      expect(res.json().code).toBe('wrong_current_password');
      expect(res.json().errors[0].path).toBe('body.currentPassword');
    }
    expect((await change()).statusCode).toBe(401);
    expect((await t.as(other, { method: 'GET', url: '/api/auth/me' })).statusCode).toBe(401);
    expect((await loginFrom('10.6.0.1', 'qy_audit', 'Fuwu@2026')).statusCode).toBe(401);
    const id = (await t.as(admin, { method: 'GET', url: '/api/staff?q=qy_audit' })).json().items[0].id;
    expect((await events('auth.locked', id)).length).toBe(1);
    expect((await events('auth.sessions_ended', id)).length).toBe(1);
    // The administrator lifts it by a reset.
    const reset = await t.as(admin, { method: 'POST', url: `/api/staff/${id}/reset-password` });
    expect(reset.statusCode).toBe(200);
  });

  it('is rate-limited: the 11th attempt within 15 minutes answers 429', async () => {
    const cookie = await t.login('qy_duty');
    const change = () =>
      t.as(cookie, {
        method: 'POST',
        url: '/api/auth/password',
        payload: { currentPassword: 'Fuwu@2026', newPassword: 'short' },
      });
    for (let i = 0; i < 10; i++) expect((await change()).statusCode).toBe(400);
    const res = await change();
    expect(res.statusCode).toBe(429);
    expect(res.headers['retry-after']).toBeDefined();
  });

  it('refuses common and breached passwords, the demo password and the last 5, on the field, in both languages', async () => {
    const cookie = await t.login('qy_sales');
    let current = 'Fuwu@2026';
    const change = (newPassword: string) =>
      t.as(cookie, {
        method: 'POST',
        url: '/api/auth/password',
        payload: { currentPassword: current, newPassword },
      });
    const refused = async (newPassword: string, en: RegExp) => {
      const res = await change(newPassword);
      expect(res.statusCode).toBe(400);
      expect(res.json().code).toBe('weak_password');
      const field = (res.json().errors as { path: string; messages: Record<string, string> }[]).find((e) =>
        en.test(e.messages['en-US']!),
      );
      expect(field?.path).toBe('body.newPassword');
      expect(field?.messages['zh-CN']).toBeTruthy();
    };
    await refused('Password123!', /too common/);
    await refused('Qwerty123', /too common/);
    await refused('Fuwu@2026', /differ from the current|demo password/);
    // Through five passwords in turn: each of the last five (the current one too) is refused, the sixth back is allowed.
    const chain = ['Lotus-Gate-701', 'Lotus-Gate-702', 'Lotus-Gate-703', 'Lotus-Gate-704', 'Lotus-Gate-705'];
    for (const next of chain) {
      t.clock.advanceMinutes(4); // 10 changes in 15 minutes are allowed (a rate limit)
      expect((await change(next)).statusCode).toBe(204);
      current = next;
    }
    for (const old of chain.slice(0, 4)) await refused(old, /last 5 passwords/);
    t.clock.advanceMinutes(4);
    expect((await change('Lotus-Gate-706')).statusCode).toBe(204);
    current = 'Lotus-Gate-706';
    // Now 701 is the sixth password back: allowed again.
    expect((await change('Lotus-Gate-701')).statusCode).toBe(204);
  });
});

describe('sessions end when they should', () => {
  it('a password change ends the other sessions and API tokens, not the one making it', async () => {
    const mine = await t.login('xk_manager');
    const other = await t.login('xk_manager');
    const token = await t.as(mine, {
      method: 'POST',
      url: '/api/tokens',
      payload: { kind: 'client', label: '报表脚本' },
    });
    expect(token.statusCode).toBe(201);
    const bearer = { authorization: `Bearer ${token.json().token as string}` };
    expect((await t.app.inject({ method: 'GET', url: '/api/auth/me', headers: bearer })).statusCode).toBe(
      200,
    );
    const res = await t.as(mine, {
      method: 'POST',
      url: '/api/auth/password',
      payload: { currentPassword: 'Fuwu@2026', newPassword: 'Harbour-Lights-88' },
    });
    expect(res.statusCode).toBe(204);
    expect((await t.as(mine, { method: 'GET', url: '/api/auth/me' })).statusCode).toBe(200);
    expect((await t.as(other, { method: 'GET', url: '/api/auth/me' })).statusCode).toBe(401);
    expect((await t.app.inject({ method: 'GET', url: '/api/auth/me', headers: bearer })).statusCode).toBe(
      401,
    );
    const id = (await t.as(mine, { method: 'GET', url: '/api/auth/me' })).json().id as string;
    const ended = await events('auth.sessions_ended', id);
    expect(ended[0]!.after).toMatchObject({ reason: 'password_changed', sessions: 1, tokens: 1 });
  });

  it("a reset by an administrator and a change of positions end all of the person's sessions", async () => {
    const first = await t.login('qy_guide');
    const id = (await t.as(first, { method: 'GET', url: '/api/auth/me' })).json().id as string;
    const reset = await t.as(admin, { method: 'POST', url: `/api/staff/${id}/reset-password` });
    expect(reset.statusCode).toBe(200);
    expect((await t.as(first, { method: 'GET', url: '/api/auth/me' })).statusCode).toBe(401);
    const again = await t.login('qy_guide', reset.json().initialPassword as string);
    const patched = await t.as(admin, {
      method: 'PATCH',
      url: `/api/staff/${id}`,
      payload: { positions: ['floor_guide', 'consultation'] },
    });
    expect(patched.statusCode).toBe(200);
    expect((await t.as(again, { method: 'GET', url: '/api/auth/me' })).statusCode).toBe(401);
    const reasons = (await events('auth.sessions_ended', id)).map(
      (e) => (e.after as { reason: string }).reason,
    );
    expect(reasons.sort()).toEqual(['password_reset', 'positions_changed']);
  });
});

describe('password hashing', () => {
  it('rehashes at login a password stored at a lower cost', async () => {
    const before = process.env.FUWU_SCRYPT_COST;
    process.env.FUWU_SCRYPT_COST = '2048';
    try {
      expect((await loginFrom('10.5.0.1', 'xk_duty', 'Fuwu@2026')).statusCode).toBe(200);
    } finally {
      process.env.FUWU_SCRYPT_COST = before;
    }
    const [row] = await t.database.db
      .select({ hash: schema.staff.passwordHash })
      .from(schema.staff)
      .where(eq(schema.staff.username, 'xk_duty'));
    expect(row!.hash.startsWith('scrypt$2048$8$3$')).toBe(true);
    expect((await loginFrom('10.5.0.1', 'xk_duty', 'Fuwu@2026')).statusCode).toBe(200);
  });

  it('keeps verifying an old hash (N=2^15, p=1) and asks for rehashing it', async () => {
    const old = await (async () => {
      const { scryptSync, randomBytes } = await import('node:crypto');
      const salt = randomBytes(16);
      const hash = scryptSync('Old-Pass-2020', salt, 32, { N: 32768, r: 8, p: 1, maxmem: 64 * 1024 * 1024 });
      return `scrypt$32768$8$1$${salt.toString('base64')}$${hash.toString('base64')}`;
    })();
    expect(await password.verifyPassword('Old-Pass-2020', old)).toBe(true);
    expect(await password.verifyPassword('Old-Pass-2021', old)).toBe(false);
    expect(password.needsRehash(old)).toBe(false); // tests hash at N=2^10
    const cost = process.env.FUWU_SCRYPT_COST;
    delete process.env.FUWU_SCRYPT_COST;
    try {
      expect(password.needsRehash(old)).toBe(true); // N=2^15, p=3 asked in production
    } finally {
      process.env.FUWU_SCRYPT_COST = cost;
    }
    expect(password.needsRehash(await password.hashPassword('x'))).toBe(false);
  });
});

describe('the demo password in the demo database', () => {
  // (In a real database it must be changed: test/api/demo-password.test.ts, a database of its own.)
  it('is kept by the demo accounts', async () => {
    const demo = await t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { username: 'yc_stats', password: 'Fuwu@2026' },
    });
    expect(demo.json().me.mustChangePassword).toBe(false);
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
