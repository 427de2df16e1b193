/**
 * The national business calendar through HTTP: the shipped 2026 days, a year without data, adding and
 * removing days (headquarters' administrator only), and the events of each change.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestApp } from '../support/app.ts';
import { testApp } from '../support/app.ts';

interface Year {
  year: number;
  days: { date: string; kind: 'holiday' | 'makeup_workday'; name: string }[];
  yearsWithData: number[];
  missing: boolean;
}

let t: TestApp;
let hq: string;
let admin: string;

beforeAll(async () => {
  t = await testApp({ customers: 0 });
  [hq, admin] = await Promise.all([t.login('hqadmin'), t.login('admin')]);
});
afterAll(() => t.close());

const year = async (cookie: string, y: number) => {
  const res = await t.as(cookie, { method: 'GET', url: `/api/calendar/${y}` });
  expect(res.statusCode, res.body).toBe(200);
  return res.json() as Year;
};
const events = async (action: string, subjectId: string) => {
  const res = await t.as(hq, { method: 'GET', url: `/api/audit?action=${action}&subjectId=${subjectId}` });
  return (res.json() as { items: { before: unknown; after: unknown; actorName: string }[] }).items;
};

describe('the shipped calendar', () => {
  it('2026 has the Spring Festival makeup Saturday and National Day', async () => {
    const clerk = await t.login('qy_clerk');
    const y = await year(clerk, 2026);
    expect(y.missing).toBe(false);
    expect(y.yearsWithData).toEqual(expect.arrayContaining([2025, 2026]));
    const on = (date: string) => y.days.find((d) => d.date === date);
    expect(on('2026-02-14')).toMatchObject({ kind: 'makeup_workday' });
    expect(on('2026-10-01')).toMatchObject({ kind: 'holiday' });
    expect(on('2026-01-01')).toMatchObject({ kind: 'holiday' });
    expect(on('2026-03-02')).toBeUndefined();
    for (const d of y.days) expect(d.date.startsWith('2026-')).toBe(true);
    const dates = y.days.map((d) => d.date);
    expect([...dates].sort()).toEqual(dates);
  });

  it('2027 has no data yet: missing, no days', async () => {
    const y = await year(admin, 2027);
    expect(y).toMatchObject({ year: 2027, days: [], missing: true });
    expect(y.yearsWithData).not.toContain(2027);
  });

  it('refuses a year outside 2000–2100 with 400', async () => {
    expect((await t.as(admin, { method: 'GET', url: '/api/calendar/1999' })).statusCode).toBe(400);
    expect((await t.as(admin, { method: 'GET', url: '/api/calendar/abc' })).statusCode).toBe(400);
  });
});

describe('editing the national calendar', () => {
  it('the headquarters administrator adds 2027-01-01: the year is no longer missing', async () => {
    const res = await t.as(hq, {
      method: 'PUT',
      url: '/api/calendar/days/2027-01-01',
      payload: { kind: 'holiday', name: '元旦' },
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual({ date: '2027-01-01', kind: 'holiday', name: '元旦' });
    const y = await year(admin, 2027);
    expect(y.missing).toBe(false);
    expect(y.days).toEqual([{ date: '2027-01-01', kind: 'holiday', name: '元旦' }]);
    expect(y.yearsWithData).toContain(2027);
    const set = await events('calendar.day_set', '2027-01-01');
    expect(set).toHaveLength(1);
    expect(set[0]!.before).toBeNull();
    expect(set[0]!.after).toEqual({ date: '2027-01-01', kind: 'holiday', name: '元旦' });
    expect(set[0]!.actorName).toBe('周建国');
  });

  it('changing a day keeps one entry and records what it was', async () => {
    const res = await t.as(hq, {
      method: 'PUT',
      url: '/api/calendar/days/2027-01-01',
      payload: { kind: 'holiday', name: '元旦节' },
    });
    expect(res.statusCode).toBe(200);
    expect((await year(admin, 2027)).days).toEqual([{ date: '2027-01-01', kind: 'holiday', name: '元旦节' }]);
    const set = await events('calendar.day_set', '2027-01-01');
    expect(set).toHaveLength(2);
    expect(set[0]!.before).toMatchObject({ name: '元旦' });
  });

  it('a province administrator may not edit the national calendar (403 scope), a clerk not at all', async () => {
    const res = await t.as(admin, {
      method: 'PUT',
      url: '/api/calendar/days/2027-02-06',
      payload: { kind: 'holiday', name: '春节' },
    });
    expect(res.statusCode).toBe(403);
    expect(res.json().code).toBe('scope');
    const del = await t.as(admin, { method: 'DELETE', url: '/api/calendar/days/2027-01-01' });
    expect(del.statusCode).toBe(403);
    expect(del.json().code).toBe('scope');
    const clerk = await t.login('qy_clerk');
    const byClerk = await t.as(clerk, {
      method: 'PUT',
      url: '/api/calendar/days/2027-02-06',
      payload: { kind: 'holiday', name: '春节' },
    });
    expect(byClerk.statusCode).toBe(403);
    expect(byClerk.json().code).toBe('position');
    expect((await year(admin, 2027)).days.map((d) => d.date)).toEqual(['2027-01-01']);
  });

  it('refuses an invalid date or kind with 400', async () => {
    const bad = await t.as(hq, {
      method: 'PUT',
      url: '/api/calendar/days/2027-02-30',
      payload: { kind: 'holiday', name: '不存在' },
    });
    expect(bad.statusCode).toBe(400);
    const kind = await t.as(hq, {
      method: 'PUT',
      url: '/api/calendar/days/2027-02-06',
      payload: { kind: 'vacation', name: '春节' },
    });
    expect(kind.statusCode).toBe(400);
  });

  it('deletes the day: 2027 is missing again, the removal is an event, a second delete is 404', async () => {
    const res = await t.as(hq, { method: 'DELETE', url: '/api/calendar/days/2027-01-01' });
    expect(res.statusCode).toBe(204);
    expect((await year(admin, 2027)).missing).toBe(true);
    const removed = await events('calendar.day_removed', '2027-01-01');
    expect(removed).toHaveLength(1);
    expect(removed[0]!.before).toMatchObject({ date: '2027-01-01', name: '元旦节' });
    const again = await t.as(hq, { method: 'DELETE', url: '/api/calendar/days/2027-01-01' });
    expect(again.statusCode).toBe(404);
  });

  it('a shipped day can be removed and restored, and decides a hall’s hours on that day', async () => {
    const hallId = (
      (await t.as(admin, { method: 'GET', url: '/api/units' })).json() as { id: string; code: string }[]
    ).find((u) => u.code === 'YC-QY-G01')!.id;
    const week = Array.from({ length: 7 }, () => [{ open: '08:30', close: '18:30' }]);
    const hours = { weekly: week, holiday: [{ open: '10:00', close: '16:00' }] };
    const patched = await t.as(admin, {
      method: 'PATCH',
      url: `/api/units/${hallId}`,
      payload: { openingHours: hours },
    });
    expect(patched.statusCode).toBe(200);
    // Four days before Labour Day (sessions last 12 hours: log in again after moving the clock).
    t.clock.set('2026-04-27T02:00:00.000Z');
    const [hqNow, adminNow] = [await t.login('hqadmin'), await t.login('admin')];
    const shortDays = async () =>
      (
        (await t.as(adminNow, { method: 'GET', url: `/api/units/${hallId}` })).json() as {
          shortDays: { date: string; minutes: number }[];
        }
      ).shortDays;
    const labourDay = ['2026-05-01', '2026-05-02', '2026-05-03', '2026-05-04', '2026-05-05'];
    expect(await shortDays()).toEqual(labourDay.map((date) => ({ date, minutes: 360 })));

    expect((await t.as(hqNow, { method: 'DELETE', url: '/api/calendar/days/2026-05-01' })).statusCode).toBe(
      204,
    );
    expect((await year(adminNow, 2026)).days.some((d) => d.date === '2026-05-01')).toBe(false);
    expect((await shortDays()).map((d) => d.date)).toEqual(labourDay.slice(1));

    const put = await t.as(hqNow, {
      method: 'PUT',
      url: '/api/calendar/days/2026-05-01',
      payload: { kind: 'holiday', name: '劳动节' },
    });
    expect(put.statusCode).toBe(200);
    expect((await shortDays()).map((d) => d.date)).toEqual(labourDay);
  });
});
