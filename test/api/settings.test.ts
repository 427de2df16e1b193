/**
 * Settings through HTTP: defaults, overrides at any scope (nearest wins), clearing, the value in force at a
 * past moment, history, validation, who may write where, and the events of each change.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestApp } from '../support/app.ts';
import { TEST_START, testApp, unitIdByCode } from '../support/app.ts';

interface InForce {
  key: string;
  value: number | boolean;
  default: number | boolean;
  sourceUnitId: string | null;
  since: string | null;
  min?: number;
  max?: number;
}

let t: TestApp;
let hq: string;
let admin: string;
let qyadmin: string;
let ids: Record<string, string>;
let adminId: string;
/** The moments of the changes to queue.waitMinutes, in order. */
const moments: Record<'province' | 'hall' | 'cleared', string> = { province: '', hall: '', cleared: '' };

beforeAll(async () => {
  t = await testApp({ customers: 5 });
  [hq, admin, qyadmin] = await Promise.all([t.login('hqadmin'), t.login('admin'), t.login('qyadmin')]);
  ids = {};
  for (const code of ['HQ', 'YC', 'YC-QY', 'YC-QY-H01', 'YC-QY-G01', 'YC-XK-H01']) {
    ids[code] = await unitIdByCode(t, hq, code);
  }
  adminId = (await t.as(admin, { method: 'GET', url: '/api/auth/me' })).json().id as string;
});
afterAll(() => t.close());

const inForce = async (cookie: string, unitCode?: string, at?: string) => {
  const params = new URLSearchParams();
  if (unitCode) params.set('unitId', ids[unitCode]!);
  if (at) params.set('at', at);
  const res = await t.as(cookie, { method: 'GET', url: `/api/settings?${params}` });
  expect(res.statusCode, res.body).toBe(200);
  return new Map((res.json() as InForce[]).map((s) => [s.key, s]));
};
const valueAt = async (key: string, unitCode: string, at?: string) =>
  (await inForce(hq, unitCode, at)).get(key)!.value;
const put = (cookie: string, key: string, unitCode: string, value: unknown, reason = '') =>
  t.as(cookie, {
    method: 'PUT',
    url: `/api/settings/${key}`,
    payload: { unitId: ids[unitCode], value, reason },
  });
const history = async (key: string, unitCode: string) => {
  const res = await t.as(admin, {
    method: 'GET',
    url: `/api/settings/${key}/history?unitId=${ids[unitCode]}`,
  });
  expect(res.statusCode, res.body).toBe(200);
  return res.json() as {
    unitId: string;
    value: number | boolean | null;
    validFrom: string;
    setBy: string;
    reason: string;
  }[];
};
const events = async (action: string, key: string) => {
  const res = await t.as(hq, {
    method: 'GET',
    url: `/api/audit?action=${action}&subjectId=${key}&limit=100`,
  });
  return (res.json() as { items: { unitId: string; before: unknown; after: unknown }[] }).items;
};

describe('defaults', () => {
  it('are the norms’ numbers, from no unit, for any unit', async () => {
    const all = await inForce(admin, 'YC-QY-H01');
    const expected: Record<string, number | boolean> = {
      'queue.waitMinutes': 30,
      'queue.vipWaitMinutes': 5,
      'queue.transactionMinutes': 10,
      'hall.minOpeningHours': 10,
      'auth.passwordMinLength': 8,
      'auth.passwordMinClasses': 3,
      'auth.passwordMaxAgeDays': 90,
      'auth.maxFailedAttempts': 5,
      'auth.lockMinutes': 15,
      'auth.sessionHours': 12,
      'queue.transferKeepsWait': true,
    };
    for (const [key, value] of Object.entries(expected)) {
      expect(all.get(key), key).toMatchObject({ value, default: value, sourceUnitId: null, since: null });
    }
    expect(all.get('queue.waitMinutes')).toMatchObject({ min: 1, max: 240 });
  });

  it('a hall manager reads the settings of its hall (the default unit) but not of another city', async () => {
    const manager = await t.login('qy_manager');
    const own = await t.as(manager, { method: 'GET', url: '/api/settings' });
    expect(own.statusCode).toBe(200);
    expect((own.json() as InForce[]).length).toBeGreaterThan(20);
    const other = await t.as(manager, { method: 'GET', url: `/api/settings?unitId=${ids['YC-XK-H01']}` });
    expect(other.statusCode).toBe(403);
    expect(other.json().code).toBe('scope');
  });

  it('the front desk has no settings page (issue #12): a clerk reading them is refused', async () => {
    const clerk = await t.login('qy_clerk');
    const own = await t.as(clerk, { method: 'GET', url: '/api/settings' });
    expect(own.statusCode).toBe(403);
    expect(own.json().code).toBe('position');
  });
});

describe('overrides, clearing and the value in force at a moment', () => {
  it('a province value is seen at its halls', async () => {
    t.clock.advanceMinutes(60);
    moments.province = t.clock.now().toISOString();
    const res = await put(admin, 'queue.waitMinutes', 'YC', 25, '省公司统一调整');
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ value: 25, sourceUnitId: ids['YC'], since: moments.province });
    for (const hall of ['YC-QY-H01', 'YC-XK-H01']) {
      const s = (await inForce(admin, hall)).get('queue.waitMinutes')!;
      expect(s).toMatchObject({ value: 25, default: 30, sourceUnitId: ids['YC'] });
    }
    expect(await valueAt('queue.waitMinutes', 'HQ')).toBe(30);
  });

  it('a value at the hall wins over the province', async () => {
    t.clock.advanceMinutes(60);
    moments.hall = t.clock.now().toISOString();
    const res = await put(admin, 'queue.waitMinutes', 'YC-QY-H01', 20, '人民路厅试点');
    expect(res.statusCode).toBe(200);
    const s = (await inForce(admin, 'YC-QY-H01')).get('queue.waitMinutes')!;
    expect(s).toMatchObject({ value: 20, sourceUnitId: ids['YC-QY-H01'] });
    expect(await valueAt('queue.waitMinutes', 'YC-QY-G01')).toBe(25);
    expect(await valueAt('queue.waitMinutes', 'YC-XK-H01')).toBe(25);
  });

  it('clearing the hall’s value falls back to the province', async () => {
    t.clock.advanceMinutes(60);
    moments.cleared = t.clock.now().toISOString();
    const res = await put(admin, 'queue.waitMinutes', 'YC-QY-H01', null, '试点结束');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ value: 25, sourceUnitId: ids['YC'] });
    expect(await valueAt('queue.waitMinutes', 'YC-QY-H01')).toBe(25);
  });

  it('a headquarters value reaches every unit without a nearer one', async () => {
    const res = await put(hq, 'queue.transactionMinutes', 'HQ', 12);
    expect(res.statusCode).toBe(200);
    const s = (await inForce(admin, 'YC-XK-H01')).get('queue.transactionMinutes')!;
    expect(s).toMatchObject({ value: 12, sourceUnitId: ids['HQ'] });
  });

  it('at= answers the value then in force', async () => {
    const before = new Date(new Date(moments.province).getTime() - 1).toISOString();
    const plus = (iso: string, minutes: number) =>
      new Date(new Date(iso).getTime() + minutes * 60_000).toISOString();
    expect(await valueAt('queue.waitMinutes', 'YC-QY-H01', TEST_START)).toBe(30);
    expect(await valueAt('queue.waitMinutes', 'YC-QY-H01', before)).toBe(30);
    expect(await valueAt('queue.waitMinutes', 'YC-QY-H01', moments.province)).toBe(25);
    expect(await valueAt('queue.waitMinutes', 'YC-QY-H01', plus(moments.province, 30))).toBe(25);
    expect(await valueAt('queue.waitMinutes', 'YC-QY-H01', moments.hall)).toBe(20);
    expect(await valueAt('queue.waitMinutes', 'YC-QY-H01', plus(moments.hall, 59))).toBe(20);
    expect(await valueAt('queue.waitMinutes', 'YC-QY-H01', moments.cleared)).toBe(25);
    expect(await valueAt('queue.waitMinutes', 'YC-XK-H01', moments.hall)).toBe(25);
    // An offset other than Z names the same instant.
    const local = new Date(new Date(moments.hall).getTime() + 8 * 3_600_000)
      .toISOString()
      .replace('Z', '+08:00');
    expect(await valueAt('queue.waitMinutes', 'YC-QY-H01', local)).toBe(20);
  });

  it('history lists every value at the unit’s scopes, oldest first, and none of other units', async () => {
    expect((await put(admin, 'queue.waitMinutes', 'YC-XK-H01', 40)).statusCode).toBe(200);
    const h = await history('queue.waitMinutes', 'YC-QY-H01');
    expect(h).toMatchObject([
      { unitId: ids['YC'], value: 25, validFrom: moments.province, setBy: adminId, reason: '省公司统一调整' },
      {
        unitId: ids['YC-QY-H01'],
        value: 20,
        validFrom: moments.hall,
        setBy: adminId,
        reason: '人民路厅试点',
      },
      {
        unitId: ids['YC-QY-H01'],
        value: null,
        validFrom: moments.cleared,
        setBy: adminId,
        reason: '试点结束',
      },
    ]);
    const xk = await history('queue.waitMinutes', 'YC-XK-H01');
    expect(xk.map((e) => e.value)).toEqual([25, 40]);
    const unknown = await t.as(admin, { method: 'GET', url: '/api/settings/queue.nope/history' });
    expect(unknown.statusCode).toBe(404);
  });

  it('the numbers are used: a lower failed-login limit locks sooner', async () => {
    expect((await put(admin, 'auth.maxFailedAttempts', 'YC-XK-H01', 2)).statusCode).toBe(200);
    const attempt = () =>
      t.app.inject({
        method: 'POST',
        url: '/api/auth/login',
        payload: { username: 'xk_duty', password: 'x' },
      });
    expect((await attempt()).statusCode).toBe(401);
    expect((await attempt()).statusCode).toBe(401);
    // Locked after 2: the right password is refused too (answered like a wrong one).
    const right = await t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { username: 'xk_duty', password: 'Fuwu@2026' },
    });
    expect(right.statusCode).toBe(401);
  });
});

describe('validation', () => {
  const refused: [string, unknown, string][] = [
    ['queue.waitMinutes', 0, 'setting_value'],
    ['queue.waitMinutes', 241, 'setting_value'],
    ['queue.waitMinutes', 2.5, 'setting_value'],
    ['queue.waitMinutes', true, 'setting_value'],
    ['queue.waitMinutes', '30', 'validation'],
    ['queue.waitMinutes', { v: 1 }, 'validation'],
    ['queue.warnShare', 1.5, 'setting_value'],
    ['queue.transferKeepsWait', 1, 'setting_value'],
    ['queue.nope', 10, 'unknown_setting'],
  ];
  it.each(refused)('refuses %s = %j with 400 %s, writing nothing', async (key, value, code) => {
    const res = await put(admin, key, 'YC', value);
    expect(res.statusCode).toBe(400);
    expect(res.json().code).toBe(code);
    expect(res.json().messages['zh-CN']).toBeTruthy();
    expect(res.json().messages['en-US']).toBeTruthy();
  });

  it('explains the range in both languages', async () => {
    const res = await put(admin, 'queue.vipWaitMinutes', 'YC', 500);
    expect(res.json().messages['zh-CN']).toBe('VIP及3G客户等待时长上限：应在 1 到 120 之间');
    expect(res.json().messages['en-US']).toBe('Longest VIP and 3G wait: Must be between 1 and 120');
  });

  it('refused values left no trace', async () => {
    expect((await history('queue.vipWaitMinutes', 'YC-QY-H01')).length).toBe(0);
    expect((await history('queue.transferKeepsWait', 'YC-QY-H01')).length).toBe(0);
    expect(await valueAt('queue.warnShare', 'YC')).toBe(0.8);
  });

  it('accepts the bounds', async () => {
    expect((await put(admin, 'queue.vipWaitMinutes', 'YC-QY-G01', 1)).statusCode).toBe(200);
    expect((await put(admin, 'queue.vipWaitMinutes', 'YC-QY-G01', 120)).statusCode).toBe(200);
    expect((await put(admin, 'queue.transferKeepsWait', 'YC-QY-G01', false)).statusCode).toBe(200);
    expect(await valueAt('queue.transferKeepsWait', 'YC-QY-G01')).toBe(false);
  });
});

describe('who may write', () => {
  it('only an administrator: a hall manager gets 403 position', async () => {
    const manager = await t.login('qy_manager');
    const res = await put(manager, 'queue.waitMinutes', 'YC-QY-H01', 15);
    expect(res.statusCode).toBe(403);
    expect(res.json().code).toBe('position');
  });

  it('a city administrator sets values in its city but not for the other city or the province', async () => {
    expect((await put(qyadmin, 'queue.vipWaitMinutes', 'YC-QY', 6)).statusCode).toBe(200);
    expect(await valueAt('queue.vipWaitMinutes', 'YC-QY-H01')).toBe(6);
    for (const unit of ['YC-XK-H01', 'YC']) {
      const res = await put(qyadmin, 'queue.vipWaitMinutes', unit, 7);
      expect(res.statusCode, unit).toBe(403);
      expect(res.json().code, unit).toBe('scope');
    }
    expect(await valueAt('queue.vipWaitMinutes', 'YC-XK-H01')).toBe(5);
  });
});

describe('events', () => {
  it('setting.set and setting.cleared record the value before and after, at the unit of the change', async () => {
    const set = await events('setting.set', 'queue.waitMinutes');
    const province = set.find((e) => e.unitId === ids['YC'])!;
    expect(province.before).toEqual({ value: 30, sourceUnitId: null });
    expect(province.after).toEqual({ value: 25, sourceUnitId: ids['YC'], reason: '省公司统一调整' });
    const hall = set.find((e) => e.unitId === ids['YC-QY-H01'])!;
    expect(hall.before).toEqual({ value: 25, sourceUnitId: ids['YC'] });
    expect(hall.after).toMatchObject({ value: 20, sourceUnitId: ids['YC-QY-H01'] });
    expect(set).toHaveLength(3);
    const cleared = await events('setting.cleared', 'queue.waitMinutes');
    expect(cleared).toHaveLength(1);
    expect(cleared[0]!.unitId).toBe(ids['YC-QY-H01']);
    expect(cleared[0]!.before).toEqual({ value: 20, sourceUnitId: ids['YC-QY-H01'] });
    expect(cleared[0]!.after).toEqual({ value: 25, sourceUnitId: ids['YC'], reason: '试点结束' });
  });
});
