/**
 * The organisation through HTTP: the tree each caller sees, creating units where their kind may stand,
 * changing names, hours and time zones, day exceptions, short days, and who may write where.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_UNITS } from '../../src/modules/demo/seed.ts';
import type { TestApp } from '../support/app.ts';
import { testApp, unitIdByCode } from '../support/app.ts';

let t: TestApp;
let hq: string;
let admin: string;
let qyadmin: string;
let codes: Record<string, string>;

interface UnitReply {
  id: string;
  code: string;
  kind: string;
  name: string;
  path: string;
  parentId: string | null;
  provinceId: string;
  address: string;
  timeZone: string;
  active: boolean;
  openingHours: { weekly: { open: string; close: string }[][]; holiday: { open: string; close: string }[] };
}
interface Detail extends UnitReply {
  exceptions: { date: string; hours: { open: string; close: string }[]; note: string }[];
  shortDays: { date: string; minutes: number }[];
}

beforeAll(async () => {
  t = await testApp({ customers: 5 });
  [hq, admin, qyadmin] = await Promise.all([t.login('hqadmin'), t.login('admin'), t.login('qyadmin')]);
  const all = (await t.as(hq, { method: 'GET', url: '/api/units' })).json() as UnitReply[];
  codes = Object.fromEntries(all.map((u) => [u.code, u.id]));
});
afterAll(() => t.close());

const list = async (cookie: string) => {
  const res = await t.as(cookie, { method: 'GET', url: '/api/units' });
  expect(res.statusCode).toBe(200);
  return res.json() as UnitReply[];
};
const detail = async (cookie: string, id: string) => {
  const res = await t.as(cookie, { method: 'GET', url: `/api/units/${id}` });
  expect(res.statusCode, res.body).toBe(200);
  return res.json() as Detail;
};
const events = async (action: string, subjectId: string) => {
  const res = await t.as(hq, {
    method: 'GET',
    url: `/api/audit?action=${action}&subjectId=${subjectId}&limit=100`,
  });
  expect(res.statusCode).toBe(200);
  return (res.json() as { items: { action: string; before: unknown; after: unknown; actorName: string }[] })
    .items;
};
const week = (open: string, close: string) => Array.from({ length: 7 }, () => [{ open, close }]);

describe('the tree each caller sees', () => {
  it('headquarters sees every demo unit, in tree order (parents before children)', async () => {
    const units = await list(hq);
    expect(units.map((u) => u.code).sort()).toEqual(DEMO_UNITS.map((u) => u.code).sort());
    const seen = new Set<string>();
    for (const u of units) {
      if (u.parentId) expect(seen.has(u.parentId), `${u.code} after its parent`).toBe(true);
      seen.add(u.id);
    }
  });

  it('a city administrator sees only its city and the units under it', async () => {
    const units = await list(qyadmin);
    expect(units.map((u) => u.code).sort()).toEqual([
      'YC-QY',
      'YC-QY-C01',
      'YC-QY-G01',
      'YC-QY-H01',
      'YC-QY-NET',
      'YC-QY-RS',
    ]);
    const city = units.find((u) => u.code === 'YC-QY')!;
    for (const u of units) expect(u.path.startsWith(city.path)).toBe(true);
  });

  it('a clerk sees only its own hall, and gets 403 scope for a unit outside it', async () => {
    const clerk = await t.login('qy_clerk');
    expect((await list(clerk)).map((u) => u.code)).toEqual(['YC-QY-H01']);
    const other = await t.as(clerk, { method: 'GET', url: `/api/units/${codes['YC-QY-G01']}` });
    expect(other.statusCode).toBe(403);
    expect(other.json().code).toBe('scope');
  });

  it('a province administrator sees the province but not headquarters or its other branches', async () => {
    const codesSeen = (await list(admin)).map((u) => u.code);
    expect(codesSeen).toContain('YC');
    expect(codesSeen).toContain('YC-XK-S01');
    expect(codesSeen).not.toContain('HQ');
    expect(codesSeen).not.toContain('HQ-CC');
  });
});

describe('creating units', () => {
  it('creates a hall under a city, in the city’s province, with default hours of 10 hours a day', async () => {
    const res = await t.as(admin, {
      method: 'POST',
      url: '/api/units',
      payload: {
        parentId: codes['YC-QY'],
        kind: 'hall_own',
        code: 'YC-QY-H02',
        name: '青原北站营业厅',
        address: '云川省青原市站前路2号',
      },
    });
    expect(res.statusCode, res.body).toBe(201);
    const unit = res.json() as UnitReply;
    const city = (await list(admin)).find((u) => u.code === 'YC-QY')!;
    expect(unit.parentId).toBe(city.id);
    expect(unit.provinceId).toBe(codes['YC']);
    expect(unit.path).toBe(`${city.path}${unit.id}/`);
    expect(unit.timeZone).toBe('Asia/Shanghai');
    expect(unit.openingHours.weekly).toHaveLength(7);
    expect(unit.openingHours.weekly[0]).toEqual([{ open: '08:30', close: '18:30' }]);
    expect((await list(qyadmin)).map((u) => u.code)).toContain('YC-QY-H02');
    const created = await events('unit.created', unit.id);
    expect(created).toHaveLength(1);
    expect(created[0]!.actorName).toBe('林晓燕');
  });

  it('a new province is its own province', async () => {
    const res = await t.as(hq, {
      method: 'POST',
      url: '/api/units',
      payload: { parentId: codes['HQ'], kind: 'province', code: 'ZZ', name: '测试省分公司' },
    });
    expect(res.statusCode, res.body).toBe(201);
    const unit = res.json() as UnitReply;
    expect(unit.provinceId).toBe(unit.id);
  });

  it('refuses a hall directly under a province with 422 unit_kind_parent in both languages', async () => {
    const res = await t.as(admin, {
      method: 'POST',
      url: '/api/units',
      payload: { parentId: codes['YC'], kind: 'hall_own', code: 'YC-H99', name: '错层营业厅' },
    });
    expect(res.statusCode).toBe(422);
    expect(res.json().code).toBe('unit_kind_parent');
    expect(res.json().messages['zh-CN']).toBe('自有营业厅不能设在省分公司之下');
    expect(res.json().messages['en-US']).toContain('cannot stand under');
    expect((await list(hq)).map((u) => u.code)).not.toContain('YC-H99');
  });

  it('refuses a city under a city and a province under a province', async () => {
    for (const [parent, kind] of [
      ['YC-QY', 'city'],
      ['YC', 'province'],
      ['YC-QY-H01', 'hall_own'],
    ] as const) {
      const res = await t.as(hq, {
        method: 'POST',
        url: '/api/units',
        payload: { parentId: codes[parent], kind, code: `X-${parent}`, name: '不该存在' },
      });
      expect(res.statusCode, `${kind} under ${parent}`).toBe(422);
    }
  });

  it('refuses a code that is taken with 409', async () => {
    const res = await t.as(admin, {
      method: 'POST',
      url: '/api/units',
      payload: { parentId: codes['YC-XK'], kind: 'hall_own', code: 'YC-QY-H01', name: '重复编码营业厅' },
    });
    expect(res.statusCode).toBe(409);
    expect(res.json().code).toBe('unit_code_taken');
    expect(res.json().messages['zh-CN']).toContain('YC-QY-H01');
  });

  it('a city administrator creates under its city but not under the other city', async () => {
    const ok = await t.as(qyadmin, {
      method: 'POST',
      url: '/api/units',
      payload: { parentId: codes['YC-QY'], kind: 'store_self', code: 'YC-QY-S01', name: '青原自助店' },
    });
    expect(ok.statusCode, ok.body).toBe(201);
    const res = await t.as(qyadmin, {
      method: 'POST',
      url: '/api/units',
      payload: { parentId: codes['YC-XK'], kind: 'store_self', code: 'YC-XK-S09', name: '溪口越权店' },
    });
    expect(res.statusCode).toBe(403);
    expect(res.json().code).toBe('scope');
  });

  it('a hall manager may not create units (403 position)', async () => {
    const manager = await t.login('qy_manager');
    const res = await t.as(manager, {
      method: 'POST',
      url: '/api/units',
      payload: { parentId: codes['YC-QY-H01'], kind: 'hall_own', code: 'NOPE', name: '不允许' },
    });
    expect(res.statusCode).toBe(403);
    expect(res.json().code).toBe('position');
  });
});

describe('changing a unit', () => {
  it('changes name, address, time zone and opening hours, with one event holding before and after', async () => {
    const id = codes['YC-QY-C01']!;
    const hours = { weekly: week('09:00', '19:00'), holiday: [{ open: '10:00', close: '20:00' }] };
    const res = await t.as(qyadmin, {
      method: 'PATCH',
      url: `/api/units/${id}`,
      payload: {
        name: '青原滨江合作厅',
        address: '云川省青原市滨江路88号',
        timeZone: 'Asia/Urumqi',
        openingHours: hours,
      },
    });
    expect(res.statusCode, res.body).toBe(200);
    const unit = await detail(qyadmin, id);
    expect(unit.name).toBe('青原滨江合作厅');
    expect(unit.address).toBe('云川省青原市滨江路88号');
    expect(unit.timeZone).toBe('Asia/Urumqi');
    expect(unit.openingHours).toEqual(hours);
    const updated = await events('unit.updated', id);
    expect(updated).toHaveLength(1);
    expect(updated[0]!.before).toMatchObject({ name: '青原滨江合作营业厅', timeZone: 'Asia/Shanghai' });
    expect(updated[0]!.after).toMatchObject({ name: '青原滨江合作厅', timeZone: 'Asia/Urumqi' });
  });

  it('refuses hours crossing midnight with 400 and a message that says how to split them', async () => {
    const id = codes['YC-QY-G01']!;
    const before = await detail(admin, id);
    const res = await t.as(admin, {
      method: 'PATCH',
      url: `/api/units/${id}`,
      payload: { openingHours: { weekly: week('22:00', '02:00'), holiday: [] } },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().code).toBe('validation');
    const text = `${res.json().messages['zh-CN']} ${res.json().messages['en-US']}`;
    expect(text).toContain('营业时间有误');
    expect(text).toContain('closes at 02:00 before it opens at 22:00');
    expect(text).toContain('crossing midnight');
    expect(text).toContain('22:00-24:00');
    expect((await detail(admin, id)).openingHours).toEqual(before.openingHours);
  });

  it('refuses overlapping intervals and a week that is not 7 days', async () => {
    const id = codes['YC-QY-G01']!;
    const overlap = await t.as(admin, {
      method: 'PATCH',
      url: `/api/units/${id}`,
      payload: {
        openingHours: {
          weekly: Array.from({ length: 7 }, () => [
            { open: '08:00', close: '12:00' },
            { open: '11:00', close: '18:00' },
          ]),
          holiday: [],
        },
      },
    });
    expect(overlap.statusCode).toBe(400);
    expect(overlap.json().messages['en-US']).toContain('overlap');
    const short = await t.as(admin, {
      method: 'PATCH',
      url: `/api/units/${id}`,
      payload: { openingHours: { weekly: week('08:00', '18:00').slice(0, 6), holiday: [] } },
    });
    expect(short.statusCode).toBe(400);
  });

  it('refuses an unknown time zone with 400 in both languages', async () => {
    const res = await t.as(admin, {
      method: 'PATCH',
      url: `/api/units/${codes['YC-QY-G01']}`,
      payload: { timeZone: 'Mars/Olympus_Mons' },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().messages['zh-CN']).toContain('不是有效的时区');
    expect(res.json().messages['en-US']).toContain('Not a known time zone');
    expect((await detail(admin, codes['YC-QY-G01']!)).timeZone).toBe('Asia/Shanghai');
  });

  it('refuses an empty change and deactivating headquarters', async () => {
    const empty = await t.as(admin, { method: 'PATCH', url: `/api/units/${codes['YC-QY']}`, payload: {} });
    expect(empty.statusCode).toBe(400);
    const root = await t.as(hq, {
      method: 'PATCH',
      url: `/api/units/${codes['HQ']}`,
      payload: { active: false },
    });
    expect(root.statusCode).toBe(422);
    expect(root.json().code).toBe('root_inactive');
  });

  it('a non-administrator may not change a unit (403 position), even its own hall', async () => {
    for (const user of ['qy_manager', 'qy_clerk', 'qy_audit']) {
      const cookie = await t.login(user);
      const res = await t.as(cookie, {
        method: 'PATCH',
        url: `/api/units/${codes['YC-QY-H01']}`,
        payload: { name: '改名' },
      });
      expect(res.statusCode, user).toBe(403);
      expect(res.json().code, user).toBe('position');
    }
    expect((await detail(admin, codes['YC-QY-H01']!)).name).toBe('青原人民路营业厅');
  });

  it('the administrator of another city may not (403 scope)', async () => {
    const res = await t.as(qyadmin, {
      method: 'PATCH',
      url: `/api/units/${codes['YC-XK-H01']}`,
      payload: { name: '越权改名' },
    });
    expect(res.statusCode).toBe(403);
    expect(res.json().code).toBe('scope');
    const up = await t.as(qyadmin, {
      method: 'PATCH',
      url: `/api/units/${codes['YC']}`,
      payload: { name: '改省名' },
    });
    expect(up.statusCode).toBe(403);
    expect(up.json().code).toBe('scope');
  });
});

describe('day exceptions and short days', () => {
  it('a hall with the default 08:30–18:30 (exactly 10 hours) has no short days', async () => {
    expect((await detail(admin, codes['YC-QY-H01']!)).shortDays).toEqual([]);
  });

  it('the hall manager closes a day: the exception is listed, is an event, and the day is short', async () => {
    const manager = await t.login('qy_manager');
    const id = codes['YC-QY-H01']!;
    const set = await t.as(manager, {
      method: 'PUT',
      url: `/api/units/${id}/exceptions/2026-03-05`,
      payload: { hours: [], note: '设备检修' },
    });
    expect(set.statusCode, set.body).toBe(200);
    expect(set.json()).toEqual({ date: '2026-03-05', hours: [], note: '设备检修' });
    const changed = await t.as(manager, {
      method: 'PUT',
      url: `/api/units/${id}/exceptions/2026-03-05`,
      payload: { hours: [{ open: '13:00', close: '18:30' }], note: '下午营业' },
    });
    expect(changed.statusCode).toBe(200);
    const unit = await detail(manager, id);
    expect(unit.exceptions).toEqual([
      { date: '2026-03-05', hours: [{ open: '13:00', close: '18:30' }], note: '下午营业' },
    ]);
    expect(unit.shortDays).toEqual([{ date: '2026-03-05', minutes: 330 }]);
    const setEvents = await events('unit.day_exception_set', id);
    expect(setEvents).toHaveLength(2);
    // Newest first: the second set records the first as its before.
    expect(setEvents[0]!.before).toEqual({ date: '2026-03-05', hours: [], note: '设备检修' });
    expect(setEvents[1]!.before).toBeNull();

    const removed = await t.as(manager, { method: 'DELETE', url: `/api/units/${id}/exceptions/2026-03-05` });
    expect(removed.statusCode).toBe(204);
    const after = await detail(manager, id);
    expect(after.exceptions).toEqual([]);
    expect(after.shortDays).toEqual([]);
    const removedEvents = await events('unit.day_exception_removed', id);
    expect(removedEvents).toHaveLength(1);
    expect(removedEvents[0]!.before).toMatchObject({ date: '2026-03-05', note: '下午营业' });
    const again = await t.as(manager, { method: 'DELETE', url: `/api/units/${id}/exceptions/2026-03-05` });
    expect(again.statusCode).toBe(404);
  });

  it('refuses exception hours that cross midnight, and the hall keeps working', async () => {
    const id = codes['YC-QY-H01']!;
    const res = await t.as(admin, {
      method: 'PUT',
      url: `/api/units/${id}/exceptions/2026-03-06`,
      payload: { hours: [{ open: '22:00', close: '02:00' }] },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().messages['en-US']).toContain('crossing midnight');
    expect((await detail(admin, id)).exceptions).toEqual([]);
  });

  it('lists every coming day of a hall whose hours are below 10 hours', async () => {
    const id = codes['YC-XK-S01']!;
    const res = await t.as(admin, {
      method: 'PATCH',
      url: `/api/units/${id}`,
      payload: {
        openingHours: { weekly: week('09:00', '18:00'), holiday: [{ open: '10:00', close: '16:00' }] },
      },
    });
    expect(res.statusCode).toBe(200);
    const unit = await detail(admin, id);
    // 14 days from Monday 2026-03-02 (no holidays in that fortnight): 9 hours each.
    expect(unit.shortDays).toHaveLength(14);
    expect(unit.shortDays[0]).toEqual({ date: '2026-03-02', minutes: 540 });
    expect(unit.shortDays[13]).toEqual({ date: '2026-03-15', minutes: 540 });
  });

  it('offices are not halls: no short days for a city branch', async () => {
    expect((await detail(admin, codes['YC-QY']!)).shortDays).toEqual([]);
  });

  it('a clerk may not set exceptions (position), a manager not for another hall (scope)', async () => {
    const clerk = await t.login('qy_clerk');
    const a = await t.as(clerk, {
      method: 'PUT',
      url: `/api/units/${codes['YC-QY-H01']}/exceptions/2026-03-07`,
      payload: { hours: [] },
    });
    expect(a.statusCode).toBe(403);
    expect(a.json().code).toBe('position');
    const manager = await t.login('qy_manager');
    const b = await t.as(manager, {
      method: 'PUT',
      url: `/api/units/${codes['YC-QY-G01']}/exceptions/2026-03-07`,
      payload: { hours: [] },
    });
    expect(b.statusCode).toBe(403);
    expect(b.json().code).toBe('scope');
  });
});

describe('deactivating a unit', () => {
  it('its staff can no longer act, and can no longer log in', async () => {
    const cookie = await t.login('xk_self_guide');
    expect((await t.as(cookie, { method: 'GET', url: '/api/units' })).statusCode).toBe(200);
    const id = await unitIdByCode(t, admin, 'YC-XK-S01');
    const res = await t.as(admin, { method: 'PATCH', url: `/api/units/${id}`, payload: { active: false } });
    expect(res.statusCode).toBe(200);
    expect(res.json().active).toBe(false);
    expect((await t.as(cookie, { method: 'GET', url: '/api/units' })).statusCode).toBe(401);
    const login = await t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { username: 'xk_self_guide', password: 'Fuwu@2026' },
    });
    expect(login.statusCode).toBe(401);
    expect(login.json().code).toBe('invalid_credentials');
  });
});
