/**
 * Repair intake through HTTP (2§2.1.7, item 15): the device check (IMEI by its Luhn digit, the checklist),
 * a spare phone lent and returned, the steps in order (any other 409), collecting refused while the spare is
 * out, the scope of a hall's repairs (a sibling hall never sees them), and nothing written on a refusal.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { luhnValid } from '../../src/core/business-catalogue.ts';
import { rows } from '../../src/platform/db/index.ts';
import { openRepairsOf } from '../../src/modules/repairs/service.ts';
import type { TestApp } from '../support/app.ts';
import { testApp, unitIdByCode } from '../support/app.ts';

const IMEI = '490154203237518';
const SPARE = '356938035643809';
const BAD_IMEI = '490154203237519';

let t: TestApp;
let repairClerk: string;
let manager: string;
let xkManager: string;
let stock: string;
let hallId: string;
let hallPath: string;
let customerId: string;

async function counts() {
  const [r] = await rows<{ repairs: number; events: number }>(
    t.database.db,
    sql`select (select count(*)::int from repairs) as repairs,
               (select count(*)::int from events where action like 'repair.%') as events`,
  );
  return r!;
}

const intake = (over: Record<string, unknown> = {}) => ({
  customerId,
  hallId,
  brand: '华为',
  model: 'Mate 60',
  imei: IMEI,
  fault: '屏幕不亮',
  intakeCheck: {
    appearance: '后盖轻微划痕',
    accessories: '无',
    powersOn: false,
    dataBackedUp: true,
    timelineTold: true,
  },
  ...over,
});

beforeAll(async () => {
  t = await testApp({ customers: 5 });
  repairClerk = await t.login('qy_aftersales');
  manager = await t.login('qy_manager');
  xkManager = await t.login('xk_manager');
  stock = await t.login('qy_stock');
  hallId = await unitIdByCode(t, manager, 'YC-QY-H01');
  const [h] = await rows<{ path: string }>(t.database.db, sql`select path from units where id = ${hallId}`);
  hallPath = h!.path;
  const [c] = await rows<{ id: string }>(t.database.db, sql`select id from customers limit 1`);
  customerId = c!.id;
});
afterAll(() => t.close());

describe('repair intake', () => {
  it('has test IMEIs that are valid and one that is not', () => {
    expect(luhnValid(IMEI) && luhnValid(SPARE)).toBe(true);
    expect(luhnValid(BAD_IMEI)).toBe(false);
  });

  it('refuses a bad device check, with a bilingual reason, and writes nothing', async () => {
    const before = await counts();
    for (const [payload, status, path] of [
      [intake({ imei: BAD_IMEI }), 422, 'body.imei'],
      [intake({ imei: '12345' }), 400, 'body.imei'],
      [intake({ spareImei: BAD_IMEI }), 422, 'body.spareImei'],
      [
        intake({
          intakeCheck: {
            appearance: '好',
            accessories: '',
            powersOn: true,
            dataBackedUp: true,
            timelineTold: false,
          },
        }),
        400,
        'body.intakeCheck.timelineTold',
      ],
    ] as const) {
      const res = await t.as(repairClerk, { method: 'POST', url: '/api/repairs', payload });
      expect(res.statusCode, res.body).toBe(status);
      const body = res.json();
      expect(body.errors.map((e: { path: string }) => e.path)).toContain(path);
      expect(body.messages['zh-CN']).toMatch(/[\u4e00-\u9fff]/);
      expect(body.messages['en-US']).toBeTruthy();
    }
    const stranger = await t.as(stock, { method: 'POST', url: '/api/repairs', payload: intake() });
    expect(stranger.statusCode).toBe(403);
    const sibling = await t.as(xkManager, { method: 'POST', url: '/api/repairs', payload: intake() });
    expect(sibling.statusCode).toBe(403);
    expect(await counts()).toEqual(before);
  });

  it('takes a device in with a spare, steps it on in order, and collects only with the spare back', async () => {
    const created = await t.as(repairClerk, {
      method: 'POST',
      url: '/api/repairs',
      payload: intake({ imei: '4901 5420 3237 518', spareImei: SPARE }),
    });
    expect(created.statusCode, created.body).toBe(201);
    const r = created.json();
    expect(r).toMatchObject({ status: 'received', imei: IMEI, spareImei: SPARE, hallId });
    expect(r.spareLentAt).toBeTruthy();
    // The same device cannot be taken in twice while its repair is open.
    const twice = await t.as(repairClerk, { method: 'POST', url: '/api/repairs', payload: intake() });
    expect(twice.statusCode).toBe(409);

    const step = (to: string, who = repairClerk) =>
      t.as(who, { method: 'POST', url: `/api/repairs/${r.id}/steps`, payload: { to } });
    const before = await counts();
    for (const wrong of ['returned', 'collected']) {
      const res = await step(wrong);
      expect(res.statusCode, wrong).toBe(409);
      expect(res.json().code).toBe('wrong_step');
    }
    expect(await counts()).toEqual(before);
    expect((await step('sent')).json().status).toBe('sent');
    expect((await step('sent')).statusCode).toBe(409);
    t.clock.advanceMinutes(60);
    expect((await step('returned', manager)).json().status).toBe('returned');

    const open = await openRepairsOf(t.database.db, customerId, hallPath);
    expect(open.map((x) => x.id)).toContain(r.id);

    const refused = await step('collected');
    expect(refused.statusCode).toBe(409);
    expect(refused.json().code).toBe('spare_not_returned');
    expect(refused.json().messages['zh-CN']).toContain('备用机');
    expect(refused.json().messages['en-US']).toContain('spare phone');

    const back = await t.as(repairClerk, { method: 'POST', url: `/api/repairs/${r.id}/spare-returned` });
    expect(back.statusCode, back.body).toBe(200);
    expect(back.json().spareReturnedAt).toBeTruthy();
    const again = await t.as(repairClerk, { method: 'POST', url: `/api/repairs/${r.id}/spare-returned` });
    expect(again.statusCode).toBe(409);

    const collected = await step('collected');
    expect(collected.statusCode, collected.body).toBe(200);
    expect(collected.json()).toMatchObject({ status: 'collected' });
    expect((await step('collected')).statusCode).toBe(409);
    expect(await openRepairsOf(t.database.db, customerId, hallPath)).toEqual([]);

    const [ev] = await rows<{ n: number }>(
      t.database.db,
      sql`select count(*)::int as n from events where subject_type = 'repair' and subject_id = ${r.id}`,
    );
    // received, sent, returned, spare back, collected: one event each.
    expect(ev!.n).toBe(5);
  });

  it('lists a hall’s repairs by status and customer, never to a sibling hall', async () => {
    const res = await t.as(repairClerk, {
      method: 'POST',
      url: '/api/repairs',
      payload: intake({ imei: SPARE, brand: '小米' }),
    });
    expect(res.statusCode, res.body).toBe(201);
    const id = res.json().id;
    const list = await t.as(manager, { method: 'GET', url: `/api/repairs?hallId=${hallId}&status=received` });
    expect(list.statusCode).toBe(200);
    expect(list.json().items.map((x: { id: string }) => x.id)).toEqual([id]);
    const mine = await t.as(repairClerk, { method: 'GET', url: `/api/repairs?customerId=${customerId}` });
    expect(mine.json().total).toBe(2);
    expect((await t.as(manager, { method: 'GET', url: `/api/repairs/${id}` })).json().brand).toBe('小米');

    expect((await t.as(xkManager, { method: 'GET', url: `/api/repairs?hallId=${hallId}` })).statusCode).toBe(
      403,
    );
    expect((await t.as(xkManager, { method: 'GET', url: '/api/repairs' })).json().total).toBe(0);
    expect((await t.as(xkManager, { method: 'GET', url: `/api/repairs/${id}` })).statusCode).toBe(404);
    expect(
      (await t.as(xkManager, { method: 'POST', url: `/api/repairs/${id}/steps`, payload: { to: 'sent' } }))
        .statusCode,
    ).toBe(404);
  });
});
