/**
 * The customer-data indicators (2§3.7, 2–4) through HTTP, from events of a hand-computed case: every rate of
 * a hall, of the city above it and of the province compared with the figure worked out by hand below; the
 * drill-down's reasons; agent sales returned once (返档); the retention counts; the scope (a hall manager sees
 * their hall only, a sibling's events are never counted).
 *
 * Period 2026-03-01 … 2026-03-10 (Asia/Shanghai), asked on 2026-03-20; defaults: 24 h to complete, 7 days
 * to return, targets 100 % / below 1 % / 100 %.
 *
 * Own hall YC-QY-H01: L1 complete at entry (retention accepted) · L2 completed after 8 h (retention declined)
 *   · L3 completed after 48 h (late) · L4 never completed · L5 light (not a record) · L6 removed · L7 entered
 *   before the period (23:00 on 28 Feb local) but found wrong in it · L8 after the period (01:00 11 Mar local).
 *   Errors found in the period: L7, L1 (twice: counted once).
 *   → complete and timely 2/4; errors 2/4; agent returns none (null).
 * Coop hall YC-QY-C01: C1 new account returned after 3 days · C2 new account returned after 9 days (late)
 *   · C3 new account (incomplete) never returned (overdue on the 17th) · C4 bill payment (not an agent sale).
 *   → complete and timely 3/4; errors 0/4; returned on time 1/3.
 * City YC-QY: 5/8, 2/8, 1/3. Sibling city's hall YC-XK-H01: X1 incomplete → the province: 5/9, 2/9, 1/3.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { newId } from '../../src/platform/ids.ts';
import { rows, schema } from '../../src/platform/db/index.ts';
import type { LightMyRequestResponse } from 'fastify';
import type { TestApp } from '../support/app.ts';
import { testApp } from '../support/app.ts';
import { fixtureSignatureDataUrl } from '../support/document-fixture.ts';

let t: TestApp;
let units: Map<string, { id: string; path: string; provinceId: string; kind: string }>;
const ids: Record<string, string> = {};
const PERIOD = 'from=2026-03-01&to=2026-03-10';

async function event(code: string, action: string, subject: string, at: string, after: object) {
  const u = units.get(code)!;
  await t.database.db.insert(schema.events).values({
    provinceId: u.provinceId,
    id: newId(),
    at: new Date(at),
    actorKind: 'system',
    actorName: 'test',
    unitId: u.id,
    unitPath: u.path,
    action,
    subjectType: 'visit_line',
    subjectId: subject,
    after,
  });
}

async function line(
  name: string,
  code: string,
  at: string,
  o: { complete?: boolean; light?: boolean; opens?: boolean; business?: string; retention?: object | null },
) {
  const lineId = newId();
  ids[name] = lineId;
  const u = units.get(code)!;
  await event(code, 'visit.transaction_added', lineId, at, {
    visitId: newId(),
    lineId,
    seq: 1,
    businessCode: o.business ?? (o.opens ? 'mobile_open' : 'plan_change'),
    businessZh: o.business === 'consultation' ? '业务咨询' : o.opens ? '开户' : '套餐变更',
    businessEn: o.opens ? 'New account' : 'Plan change',
    light: o.light ?? false,
    opensAccount: o.opens ?? false,
    feeFen: 0,
    identityMethod: 'id_document',
    strict: false,
    customerId: null,
    enteredAt: at,
    customerDataComplete: o.complete ?? true,
    unitKind: u.kind,
    retention: o.retention ?? null,
  });
  return lineId;
}

const get = (cookie: string, url: string) => t.as(cookie, { method: 'GET', url });
const rate = (body: {
  rates: { indicator: string; numerator: number; denominator: number; rate: number | null }[];
}) => Object.fromEntries(body.rates.map((r) => [r.indicator, [r.numerator, r.denominator, r.rate]]));

let admin: string;
let manager: string;
let coopManager: string;

beforeAll(async () => {
  t = await testApp({ customers: 3 });
  units = new Map(
    (
      await rows<{ id: string; path: string; province_id: string; kind: string; code: string }>(
        t.database.db,
        sql`select id, path, province_id, kind, code from units`,
      )
    ).map((u) => [u.code, { id: u.id, path: u.path, provinceId: u.province_id, kind: u.kind }]),
  );
  expect(units.get('YC-QY-C01')!.kind).toBe('hall_coop');
  const H = 'YC-QY-H01';
  const C = 'YC-QY-C01';
  await line('L1', H, '2026-03-02T02:00:00Z', {
    retention: { offered: ['plan_discount'], accepted: 'plan_discount' },
  });
  await line('L2', H, '2026-03-03T02:00:00Z', {
    complete: false,
    retention: { offered: ['data_bonus'], accepted: null },
  });
  await event(H, 'visit.record_completed', ids.L2!, '2026-03-03T10:00:00Z', {
    lineId: ids.L2,
    completedAt: '2026-03-03T10:00:00Z',
  });
  await line('L3', H, '2026-03-04T02:00:00Z', { complete: false });
  await event(H, 'visit.record_completed', ids.L3!, '2026-03-06T02:00:00Z', {
    lineId: ids.L3,
    completedAt: '2026-03-06T02:00:00Z',
  });
  await line('L4', H, '2026-03-05T02:00:00Z', { complete: false });
  await line('L5', H, '2026-03-05T03:00:00Z', { light: true, business: 'consultation', complete: false });
  await line('L6', H, '2026-03-06T02:00:00Z', { complete: false });
  await event(H, 'visit.transaction_removed', ids.L6!, '2026-03-06T02:05:00Z', { lineId: ids.L6 });
  await line('L7', H, '2026-02-28T15:00:00Z', {});
  await event(H, 'visit.line_corrected', ids.L7!, '2026-03-07T02:00:00Z', {
    lineId: ids.L7,
    field: 'address',
    foundBy: 'audit',
    foundAt: '2026-03-07T02:00:00Z',
  });
  await event(H, 'visit.line_corrected', ids.L1!, '2026-03-08T02:00:00Z', {
    lineId: ids.L1,
    field: 'name',
    foundBy: 'complaint',
    foundAt: '2026-03-08T02:00:00Z',
  });
  await event(H, 'visit.line_corrected', ids.L1!, '2026-03-09T02:00:00Z', {
    lineId: ids.L1,
    field: 'name',
    foundBy: 'self',
    foundAt: '2026-03-09T02:00:00Z',
  });
  await line('L8', H, '2026-03-10T17:00:00Z', { complete: false });
  await line('C1', C, '2026-03-02T02:00:00Z', { opens: true });
  await line('C2', C, '2026-03-03T02:00:00Z', { opens: true });
  await line('C3', C, '2026-03-10T02:00:00Z', { opens: true, complete: false });
  await line('C4', C, '2026-03-04T02:00:00Z', { business: 'bill_payment' });
  await line('X1', 'YC-XK-H01', '2026-03-02T02:00:00Z', { complete: false });

  // The returns (返档), recorded through the API by the coop hall's manager on the day they came back.
  const returnAt = async (lineId: string, at: string) => {
    t.clock.set(at);
    const cookie = await t.login('coop_manager');
    const res = await t.as(cookie, { method: 'POST', url: `/api/agent-sales/${lineId}/returned` });
    expect(res.statusCode, res.body).toBe(200);
    return res.json();
  };
  expect((await returnAt(ids.C1!, '2026-03-05T02:00:00Z')).onTime).toBe(true);
  expect((await returnAt(ids.C2!, '2026-03-12T02:00:00Z')).onTime).toBe(false);
  t.clock.set('2026-03-20T04:00:00Z');
  admin = await t.login('admin');
  manager = await t.login('qy_manager');
  coopManager = await t.login('coop_manager');
});
afterAll(() => t.close());

describe('the three rates from events', () => {
  it('gives each hall, the city and the province the hand-computed figures', async () => {
    const city = await get(admin, `/api/data-quality?unitId=${units.get('YC-QY')!.id}&${PERIOD}`);
    expect(city.statusCode, city.body).toBe(200);
    const body = city.json();
    expect(rate(body)).toEqual({
      complete_timely: [5, 8, 5 / 8],
      error_rate: [2, 8, 2 / 8],
      agent_return: [1, 3, 1 / 3],
    });
    const hall = (code: string) =>
      body.halls.find((h: { unitId: string }) => h.unitId === units.get(code)!.id);
    expect(rate(hall('YC-QY-H01'))).toEqual({
      complete_timely: [2, 4, 0.5],
      error_rate: [2, 4, 0.5],
      agent_return: [0, 0, null],
    });
    expect(rate(hall('YC-QY-C01'))).toEqual({
      complete_timely: [3, 4, 0.75],
      error_rate: [0, 4, 0],
      agent_return: [1, 3, 1 / 3],
    });
    expect(hall('YC-XK-H01')).toBeUndefined();
    const h01 = hall('YC-QY-H01');
    expect(h01.rates.find((r: { indicator: string }) => r.indicator === 'complete_timely')).toMatchObject({
      target: 1,
      met: false,
    });
    expect(h01.rates.find((r: { indicator: string }) => r.indicator === 'agent_return').met).toBeNull();
    expect(body.settings).toEqual(
      expect.arrayContaining([
        { key: 'customerData.entryWithinHours', value: 24 },
        { key: 'customerData.agentReturnDays', value: 7 },
      ]),
    );
    const province = await get(admin, `/api/data-quality?unitId=${units.get('YC')!.id}&${PERIOD}`);
    expect(rate(province.json())).toEqual({
      complete_timely: [5, 9, 5 / 9],
      error_rate: [2, 9, 2 / 9],
      agent_return: [1, 3, 1 / 3],
    });
  });

  it('follows the setting in force at the period’s end (or now): 48 h set today', async () => {
    const h = units.get('YC-QY-H01')!.id;
    await line('L9', 'YC-QY-H01', '2026-03-18T12:00:00Z', { complete: false });
    const now = `/api/data-quality?unitId=${h}&from=2026-03-18&to=2026-03-20`;
    const ct = async (url: string) =>
      (await get(manager, url))
        .json()
        .rates.find((r: { indicator: string }) => r.indicator === 'complete_timely');
    // 40 h after the business, past 24 h: incomplete.
    expect(await ct(now)).toMatchObject({ numerator: 0, denominator: 1, pending: 0 });
    const set = await t.as(admin, {
      method: 'PUT',
      url: '/api/settings/customerData.entryWithinHours',
      payload: { unitId: h, value: 48, reason: '测试' },
    });
    expect(set.statusCode, set.body).toBe(200);
    // Within 48 h: not yet due. The past period keeps the value in force at its end.
    expect(await ct(now)).toMatchObject({ numerator: 0, denominator: 0, pending: 1 });
    expect(
      rate((await get(manager, `/api/data-quality?unitId=${h}&${PERIOD}`)).json()).complete_timely,
    ).toEqual([2, 4, 0.5]);
  });

  it('lets a hall manager see their hall only', async () => {
    const own = await get(manager, `/api/data-quality?unitId=${units.get('YC-QY-H01')!.id}&${PERIOD}`);
    expect(own.statusCode).toBe(200);
    expect(own.json().halls).toHaveLength(1);
    for (const code of ['YC-QY', 'YC-QY-C01', 'YC-XK-H01'])
      expect(
        (await get(manager, `/api/data-quality?unitId=${units.get(code)!.id}&${PERIOD}`)).statusCode,
      ).toBe(403);
    const clerk = await t.login('qy_clerk');
    expect(
      (await get(clerk, `/api/data-quality?unitId=${units.get('YC-QY-H01')!.id}&${PERIOD}`)).statusCode,
    ).toBe(403);
    const reversed = await get(
      admin,
      `/api/data-quality?unitId=${units.get('YC')!.id}&from=2026-03-10&to=2026-03-01`,
    );
    expect(reversed.statusCode).toBe(400);
  });

  it('lists the records behind a figure with why each falls short', async () => {
    const h = await get(
      manager,
      `/api/data-quality/records?unitId=${units.get('YC-QY-H01')!.id}&${PERIOD}&indicator=complete_timely`,
    );
    expect(h.statusCode, h.body).toBe(200);
    const reasons = Object.fromEntries(
      h.json().items.map((i: { recordId: string; reason: string }) => [i.recordId, i.reason]),
    );
    expect(reasons).toEqual({ [ids.L1!]: 'ok', [ids.L2!]: 'ok', [ids.L3!]: 'late', [ids.L4!]: 'incomplete' });
    const errors = await get(
      manager,
      `/api/data-quality/records?unitId=${units.get('YC-QY-H01')!.id}&${PERIOD}&indicator=error_rate`,
    );
    const found = errors.json().items as { recordId: string; detail: string }[];
    expect(found.map((i) => i.recordId)).toEqual([ids.L7, ids.L1]);
    expect(found[0]!.detail).toContain('earlier period');
    expect(found[1]!.detail).toContain('complaint');
    const c = await get(
      coopManager,
      `/api/data-quality/records?unitId=${units.get('YC-QY-C01')!.id}&${PERIOD}&indicator=agent_return`,
    );
    expect(c.json().items.map((i: { recordId: string; reason: string }) => [i.recordId, i.reason])).toEqual([
      [ids.C1, 'ok'],
      [ids.C2, 'returned_late'],
      [ids.C3, 'overdue'],
    ]);
  });

  it('counts a record not yet due as pending, neither for nor against', async () => {
    const u = units.get('YC-QY-C01')!;
    await line('C5', 'YC-QY-C01', '2026-03-19T12:00:00Z', { opens: true, complete: false });
    const res = await get(coopManager, `/api/data-quality?unitId=${u.id}&from=2026-03-19&to=2026-03-20`);
    const byInd = Object.fromEntries(
      res
        .json()
        .rates.map((r: { indicator: string; pending: number; rate: number | null }) => [r.indicator, r]),
    );
    expect(byInd.complete_timely).toMatchObject({ denominator: 0, pending: 1, rate: null, met: null });
    expect(byInd.agent_return).toMatchObject({ denominator: 0, pending: 1 });
  });
});

describe('agent sales (返档)', () => {
  it('lists outstanding and returned sales with their deadlines', async () => {
    const u = units.get('YC-QY-C01')!.id;
    const out = await get(coopManager, `/api/agent-sales?unitId=${u}&status=outstanding`);
    expect(out.statusCode, out.body).toBe(200);
    const items = out.json().items as { lineId: string; deadline: string; overdue: boolean }[];
    const c3 = items.find((i) => i.lineId === ids.C3)!;
    expect(c3).toMatchObject({ deadline: '2026-03-17T02:00:00.000Z', overdue: true });
    expect(items.map((i) => i.lineId)).not.toContain(ids.C1);
    const back = await get(coopManager, `/api/agent-sales?unitId=${u}&status=returned`);
    expect(
      back
        .json()
        .items.map((i: { lineId: string }) => i.lineId)
        .sort(),
    ).toEqual([ids.C1, ids.C2].sort());
    expect((await get(manager, `/api/agent-sales?unitId=${u}`)).statusCode).toBe(403);
  });

  it('records a return once, only for an agent sale, only by those who may', async () => {
    const post = (cookie: string, lineId: string) =>
      t.as(cookie, { method: 'POST', url: `/api/agent-sales/${lineId}/returned` });
    const before = await rows<{ n: number }>(
      t.database.db,
      sql`select count(*)::int as n from events where action = 'agent_sale.returned'`,
    );
    expect((await post(coopManager, ids.C1!)).statusCode).toBe(409);
    expect((await post(admin, ids.L1!)).statusCode).toBe(403); // the administrator reads only
    const notAgent = await post(coopManager, ids.C4!);
    expect(notAgent.statusCode).toBe(422);
    expect(notAgent.json().messages['en-US']).toContain('cooperative');
    expect((await post(manager, ids.C3!)).statusCode).toBe(403); // another hall's
    const clerk = await t.login('qy_clerk');
    expect((await post(clerk, ids.L1!)).statusCode).toBe(403); // an own hall's front desk
    const after = await rows<{ n: number }>(
      t.database.db,
      sql`select count(*)::int as n from events where action = 'agent_sale.returned'`,
    );
    expect(after[0]!.n).toBe(before[0]!.n);
    const coopClerk = await t.login('coop_clerk');
    const ok = await post(coopClerk, ids.C3!);
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json().onTime).toBe(false);
    const twice = await Promise.all([post(coopClerk, ids.C5!), post(coopManager, ids.C5!)]);
    expect(twice.map((r) => r.statusCode).sort()).toEqual([200, 409]);
  });
});

describe('retention counts', () => {
  it('counts cancellations asked, retained and the share per hall', async () => {
    const res = await get(admin, `/api/data-quality/retention?unitId=${units.get('YC-QY')!.id}&${PERIOD}`);
    expect(res.statusCode, res.body).toBe(200);
    const h01 = res.json().halls.find((h: { unitId: string }) => h.unitId === units.get('YC-QY-H01')!.id);
    expect(h01).toMatchObject({ asked: 2, retained: 1, share: 0.5 });
    expect(res.json().total).toEqual({ asked: 2, retained: 1, share: 0.5 });
  });
});

/**
 * The same rates from real visits done through the HTTP API (no event written by hand), in April, after the
 * March case above (its 48 h setting for YC-QY-H01 is then in force there; the city keeps 24 h):
 *
 * YC-QY-H01, clerk at counter 1, from Monday 2026-04-06 10:00 (local):
 *   V1 a plan change for a customer whose record is complete: signed, closed → complete and timely;
 *   V2 a new customer without an address opens a number (incomplete), the address entered by a customer
 *      information change 72 h later in the same visit (past either setting) → the opening late, the change
 *      itself complete;
 *   V3 a SIM replacement, signed and closed, then corrected by the auditor → an error found, by the auditor.
 * YC-QY-C01 (cooperative), coop clerk: V4 a new customer (complete) opens a number, never returned (返档),
 *   asked on 2026-04-20, past the 7 days → overdue.
 * Period 2026-04-06 … 2026-04-19: H01 3/4 complete and timely, 1/4 errors, no agent sale (null);
 *   C01 1/1, 0/1, 0/1; the city YC-QY 4/5, 1/5, 0/1.
 */
describe('the rates from visits done through the API', () => {
  const T0 = '2026-04-06T02:00:00.000Z';
  const APRIL = 'from=2026-04-06&to=2026-04-19';
  const PNG = fixtureSignatureDataUrl();
  const JPEG = `data:image/jpeg;base64,${Buffer.from([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3]).toString('base64')}`;
  const ok = (res: LightMyRequestResponse, status = 200) => {
    expect(res.statusCode, res.body).toBe(status);
    return res.json() as {
      id: string;
      lines: { id: string; businessCode: string }[];
      totals: { balanceFen: number };
    };
  };
  const post = (cookie: string, url: string, payload: object = {}) =>
    t.as(cookie, { method: 'POST', url, payload: payload as Record<string, unknown> });
  const put = (cookie: string, url: string, payload: object) =>
    t.as(cookie, { method: 'PUT', url, payload: payload as Record<string, unknown> });

  async function counterOf(hallCode: string, clerk: string): Promise<string> {
    const hall = units.get(hallCode)!.id;
    const config = (await get(admin, `/api/halls/${hall}/queue-config`)).json() as {
      counters: { id: string; number: number }[];
    };
    const counter = config.counters.sort((a, b) => a.number - b.number)[0]!.id;
    ok(await post(clerk, `/api/counters/${counter}/open`));
    return counter;
  }
  /** Pays what is due in cash, signs on the clerk's page and closes. */
  async function signAndClose(clerk: string, visitId: string) {
    const v = ok(await get(clerk, `/api/visits/${visitId}`));
    if (v.totals.balanceFen > 0)
      ok(
        await post(clerk, `/api/visits/${visitId}/payments`, {
          method: 'cash',
          amountFen: v.totals.balanceFen,
        }),
        201,
      );
    ok(await post(clerk, `/api/visits/${visitId}/sign`, { signature: PNG }));
    ok(await post(clerk, `/api/visits/${visitId}/close`));
  }
  async function existing(): Promise<{ customerId: string; subId: string; doc: string }> {
    const [c] = await rows<{ customerId: string; subId: string; doc: string }>(
      t.database.db,
      sql`select c.id as "customerId", s.id as "subId", c.id_doc_number as doc
            from customers c join subscriptions s on s.customer_id = c.id
            join units u on u.code = 'YC-QY-H01'
           where c.kind = 'individual' and c.id_doc_kind = 'resident_id' and c.address <> ''
             and c.unit_path like u.path || '%' and s.kind = 'mobile' and s.status = 'active'
           order by c.id limit 1`,
    );
    expect(c, 'a complete individual of the hall').toBeDefined();
    return c!;
  }
  const added = async (visitId: string) =>
    rows<{ line: string; complete: boolean; code: string }>(
      t.database.db,
      sql`select after->>'lineId' as line, (after->>'customerDataComplete')::boolean as complete,
            after->>'businessCode' as code
          from events where action = 'visit.transaction_added' and after->>'visitId' = ${visitId}
          order by at, after->>'seq'`,
    );

  it('gives the hall and its city exactly the hand-computed rates', async () => {
    t.clock.set(T0);
    const clerk = await t.login('qy_clerk');
    const coopClerk = await t.login('coop_clerk');
    admin = await t.login('admin');
    const counter = await counterOf('YC-QY-H01', clerk);
    const coopCounter = await counterOf('YC-QY-C01', coopClerk);
    const c = await existing();
    const document = { kind: 'resident_id', number: c.doc };

    // V1: complete and timely.
    const v1 = ok(await post(clerk, '/api/visits', { counterId: counter, customerId: c.customerId }), 201);
    ok(
      await post(clerk, `/api/visits/${v1.id}/transactions`, {
        businessCode: 'plan_change',
        subscriptionId: c.subId,
        values: { plan: 'A-96', effective: 'now' },
        identity: { document },
      }),
      201,
    );
    await signAndClose(clerk, v1.id);

    // V3: signed, closed, then corrected by the auditor.
    const v3 = ok(await post(clerk, '/api/visits', { counterId: counter, customerId: c.customerId }), 201);
    const sim = ok(
      await post(clerk, `/api/visits/${v3.id}/transactions`, {
        businessCode: 'sim_replace',
        subscriptionId: c.subId,
        values: { iccid: '8986011111222233335', reason: 'lost' },
        identity: { document },
      }),
      201,
    ).lines.find((l) => l.businessCode === 'sim_replace')!;
    await signAndClose(clerk, v3.id);
    t.clock.set('2026-04-06T03:00:00.000Z');
    const auditor = await t.login('qy_audit');
    ok(
      await post(auditor, `/api/visits/${v3.id}/lines/${sim.id}/corrections`, {
        field: 'reason',
        value: 'damaged',
        reason: '稽核发现补卡原因录入错误',
        foundBy: 'audit',
      }),
    );

    // V4: a cooperative hall's new account, never returned.
    const v4 = ok(await post(coopClerk, '/api/visits', { counterId: coopCounter }), 201);
    ok(
      await put(coopClerk, `/api/visits/${v4.id}/customer`, {
        newCustomer: {
          kind: 'individual',
          name: '合作厅新客',
          idDocKind: 'resident_id',
          idDocNumber: '110105194912310062',
          contactPhone: '13900002222',
          address: '云川省青原市合作路2号',
        },
      }),
    );
    ok(
      await post(coopClerk, `/api/visits/${v4.id}/transactions`, {
        businessCode: 'mobile_open',
        values: { number: '18699990003', plan: 'A-96', iccid: '8986011234567890124', prepaidFen: 5000 },
        identity: { document: { kind: 'resident_id', number: '110105194912310062' }, password: '135790' },
        idCopy: JPEG,
      }),
      201,
    );
    await signAndClose(coopClerk, v4.id);

    // V2: a new account without an address, the address entered 72 h later in the same visit.
    t.clock.set('2026-04-06T04:00:00.000Z');
    const v2 = ok(await post(clerk, '/api/visits', { counterId: counter }), 201);
    const newId2 = '110105194912310046';
    ok(
      await put(clerk, `/api/visits/${v2.id}/customer`, {
        newCustomer: {
          kind: 'individual',
          name: '迟录客户',
          idDocKind: 'resident_id',
          idDocNumber: newId2,
          contactPhone: '13900003333',
        },
      }),
    );
    ok(
      await post(clerk, `/api/visits/${v2.id}/transactions`, {
        businessCode: 'mobile_open',
        values: { number: '18699990004', plan: 'A-96', iccid: '8986011234567890125', prepaidFen: 5000 },
        identity: { document: { kind: 'resident_id', number: newId2 }, password: '135790' },
        idCopy: JPEG,
      }),
      201,
    );
    const hallSettings = (
      await get(admin, `/api/data-quality?unitId=${units.get('YC-QY-H01')!.id}&${APRIL}`)
    ).json() as { settings: { key: string; value: number }[] };
    const hours = hallSettings.settings.find((s) => s.key === 'customerData.entryWithinHours')!.value;
    expect(hours).toBeLessThan(72);
    t.clock.set('2026-04-09T04:00:00.000Z');
    const clerkLater = await t.login('qy_clerk');
    ok(
      await post(clerkLater, `/api/visits/${v2.id}/transactions`, {
        businessCode: 'customer_info_change',
        values: { item: 'address', value: '云川省青原市迟录街3号' },
        identity: { document: { kind: 'resident_id', number: newId2 } },
      }),
      201,
    );
    await signAndClose(clerkLater, v2.id);

    // What the visits wrote, as the norm sees it.
    expect((await added(v1.id)).map((l) => [l.code, l.complete])).toEqual([['plan_change', true]]);
    expect((await added(v2.id)).map((l) => [l.code, l.complete])).toEqual([
      ['mobile_open', false],
      ['customer_info_change', true],
    ]);
    expect((await added(v4.id)).map((l) => [l.code, l.complete])).toEqual([['mobile_open', true]]);

    t.clock.set('2026-04-20T04:00:00.000Z');
    admin = await t.login('admin');
    const figures = async (code: string) => {
      const res = await get(admin, `/api/data-quality?unitId=${units.get(code)!.id}&${APRIL}`);
      expect(res.statusCode, res.body).toBe(200);
      return res.json() as Parameters<typeof rate>[0] & {
        halls: { unitId: string; rates: Parameters<typeof rate>[0]['rates'] }[];
      };
    };
    const h01 = { complete_timely: [3, 4, 0.75], error_rate: [1, 4, 0.25], agent_return: [0, 0, null] };
    const c01 = { complete_timely: [1, 1, 1], error_rate: [0, 1, 0], agent_return: [0, 1, 0] };
    expect(rate(await figures('YC-QY-H01'))).toEqual(h01);
    expect(rate(await figures('YC-QY-C01'))).toEqual(c01);
    const city = await figures('YC-QY');
    expect(rate(city)).toEqual({
      complete_timely: [4, 5, 0.8],
      error_rate: [1, 5, 0.2],
      agent_return: [0, 1, 0],
    });
    const hallRates = (code: string) => rate(city.halls.find((h) => h.unitId === units.get(code)!.id)!);
    expect(hallRates('YC-QY-H01')).toEqual(h01);
    expect(hallRates('YC-QY-C01')).toEqual(c01);

    // The drill-down names the late record, the error with who found it, and the overdue sale.
    const records = async (code: string, indicator: string) =>
      (
        await get(
          admin,
          `/api/data-quality/records?unitId=${units.get(code)!.id}&${APRIL}&indicator=${indicator}`,
        )
      ).json().items as { recordId: string; visitId: string; reason: string; detail: string }[];
    const late = (await records('YC-QY-H01', 'complete_timely')).filter((r) => r.reason !== 'ok');
    expect(late.map((r) => [r.visitId, r.reason])).toEqual([[v2.id, 'late']]);
    const errors = await records('YC-QY-H01', 'error_rate');
    expect(errors.map((r) => [r.recordId, r.reason])).toEqual([[sim.id, 'error']]);
    expect(errors[0]!.detail).toContain('稽核');
    expect(errors[0]!.detail).toContain('audit');
    const overdue = await records('YC-QY-C01', 'agent_return');
    expect(overdue.map((r) => [r.visitId, r.reason])).toEqual([[v4.id, 'overdue']]);
  });
});
