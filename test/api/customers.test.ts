/**
 * Customers through HTTP: masked lists, search, revealing personal data (an event, for positions that need
 * it, inside their subtree), identity-document checks, changes, subscriptions and the phone lookup.
 */
import ExcelJS from 'exceljs';
import { sql } from 'drizzle-orm';
import { rows } from '../../src/platform/db/index.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestApp } from '../support/app.ts';
import { testApp, unitIdByCode } from '../support/app.ts';

interface CustomerReply {
  id: string;
  unitId: string;
  unitName: string;
  kind: string;
  name: string;
  idDocKind: string;
  idDocNumber: string;
  contactPhone: string;
  address: string;
  clubTier: string;
  is3g: boolean;
  subscriptions?: { id: string; kind: string; number: string; status: string; plan: string }[];
}

/** The check character of a resident ID (GB 11643, ISO 7064 MOD 11-2), computed here independently. */
function withCheck(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * (2 ** (17 - i) % 11);
  return first17 + '10X98765432'[sum % 11]!;
}
const wrongCheck = (id: string) => id.slice(0, 17) + (id[17] === '0' ? '1' : '0');

const VALID_ID = withCheck('99010119900307123');
const CREDIT_CODE = '91350100M000100Y43'; // a published valid example of GB 32100

let t: TestApp;
let admin: string;
let clerk: string;
let sales: string;
let qyHall: string;
let xkHall: string;
let mine: CustomerReply;

const createCustomer = (cookie: string, payload: Record<string, unknown>) =>
  t.as(cookie, { method: 'POST', url: '/api/customers', payload });
const list = async (cookie: string, query = '') => {
  const res = await t.as(cookie, { method: 'GET', url: `/api/customers?limit=500${query}` });
  expect(res.statusCode, res.body).toBe(200);
  return res.json() as { items: CustomerReply[]; total: number };
};
const lookup = async (cookie: string, phone: string) => {
  const res = await t.as(cookie, { method: 'GET', url: `/api/customers/lookup?phone=${phone}` });
  expect(res.statusCode, res.body).toBe(200);
  return res.json() as { found: boolean; clubTier: string | null; is3g: boolean };
};
const events = async (action: string, subjectId: string) => {
  const res = await t.as(admin, {
    method: 'GET',
    url: `/api/audit?action=${action}&subjectId=${subjectId}&limit=100`,
  });
  return (res.json() as { items: { actorName: string; after: unknown; before: unknown }[] }).items;
};

beforeAll(async () => {
  t = await testApp({ customers: 40 });
  [admin, clerk, sales] = await Promise.all([t.login('admin'), t.login('qy_clerk'), t.login('qy_sales')]);
  qyHall = await unitIdByCode(t, admin, 'YC-QY-H01');
  xkHall = await unitIdByCode(t, admin, 'YC-XK-H01');
  const res = await createCustomer(clerk, {
    unitId: qyHall,
    kind: 'individual',
    name: '测试客户甲',
    idDocKind: 'resident_id',
    idDocNumber: VALID_ID,
    contactPhone: '13900001234',
    address: '云川省青原市人民路100号3单元',
    subscriptions: [{ kind: 'mobile', number: '13900001234', plan: '沃3G 96元套餐' }],
  });
  expect(res.statusCode, res.body).toBe(201);
  mine = res.json() as CustomerReply;
});
afterAll(() => t.close());

describe('lists mask personal data', () => {
  it('masks ID numbers, phones and addresses of every customer in the list', async () => {
    const { items, total } = await list(admin);
    expect(total).toBe(41);
    for (const c of items) {
      if (c.idDocKind === 'resident_id') expect(c.idDocNumber, c.name).toMatch(/^9901\*{10}\d{3}[\dX]$/);
      else expect(c.idDocNumber, c.name).toMatch(/^9\d{3}\*{10}[0-9A-Z]{4}$/);
      expect(c.contactPhone, c.name).toMatch(/^1\d{2}\*{4}\d{4}$/);
      expect(c.address, c.name).toMatch(/^云川省..市\*{4}$/u);
    }
    const me = items.find((c) => c.id === mine.id)!;
    expect(me).toMatchObject({
      idDocNumber: `9901**********${VALID_ID.slice(-4)}`,
      contactPhone: '139****1234',
      address: '云川省青原市****',
    });
    expect(JSON.stringify(items)).not.toContain('13900001234');
  });

  it('masks the detail and its subscription numbers too', async () => {
    const res = await t.as(clerk, { method: 'GET', url: `/api/customers/${mine.id}` });
    expect(res.statusCode).toBe(200);
    const c = res.json() as CustomerReply;
    expect(c.idDocNumber).not.toBe(VALID_ID);
    expect(c.subscriptions).toHaveLength(1);
    expect(c.subscriptions![0]!.number).toBe('139****1234');
  });

  it('a clerk lists only the customers of its hall', async () => {
    const { items } = await list(clerk);
    expect(items.length).toBeGreaterThan(0);
    expect(new Set(items.map((c) => c.unitId))).toEqual(new Set([qyHall]));
    const other = await t.as(clerk, { method: 'GET', url: `/api/customers?unitId=${xkHall}` });
    expect(other.statusCode).toBe(403);
    expect(other.json().code).toBe('scope');
  });
});

describe('export', () => {
  it('exports the search as Excel with the same masking, and records the export', async () => {
    const res = await t.as(clerk, { method: 'GET', url: '/api/customers/export' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('spreadsheetml');
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    const sheet = book.worksheets[0]!;
    const rows: string[][] = [];
    sheet.eachRow((row) => rows.push((row.values as unknown[]).slice(1).map((v) => String(v ?? ''))));
    expect(rows[0]).toContain('证件号码 Number');
    const listed = await list(clerk);
    expect(rows.length - 1).toBe(listed.total);
    const text = JSON.stringify(rows);
    expect(text).toContain('139****1234');
    expect(text).not.toContain('13900001234');
    expect(text).not.toMatch(/99\d{15}[\dX]/);
    const exported = await t.as(admin, { method: 'GET', url: '/api/audit?action=customer.exported' });
    expect(exported.json().items).toHaveLength(1);
    expect(exported.json().items[0].after.rows).toBe(listed.total);
  });

  it('refuses the export to a position without customer.read', async () => {
    const stock = await t.login('qy_stock');
    expect((await t.as(stock, { method: 'GET', url: '/api/customers/export' })).statusCode).toBe(403);
  });
});

describe('search', () => {
  it('finds by part of the name', async () => {
    const { items } = await list(clerk, `&q=${encodeURIComponent('客户甲')}`);
    expect(items.map((c) => c.id)).toEqual([mine.id]);
  });

  it('finds by the full phone, service or ID number, not by a part of it', async () => {
    expect((await list(clerk, '&q=13900001234')).items.map((c) => c.id)).toEqual([mine.id]);
    expect((await list(clerk, `&q=${VALID_ID}`)).items.map((c) => c.id)).toEqual([mine.id]);
    expect((await list(clerk, '&q=1390000')).total).toBe(0);
    const found = (await list(clerk, '&q=13900001234')).items[0]!;
    expect(found.contactPhone).toBe('139****1234');
    expect(found.idDocNumber).not.toContain(VALID_ID.slice(4, 14));
  });

  it('takes % and _ in a search literally', async () => {
    expect((await list(admin, `&q=${encodeURIComponent('_')}`)).total).toBe(0);
    expect((await list(admin, `&q=${encodeURIComponent('%')}`)).total).toBe(0);
  });

  it('filters by tier and kind', async () => {
    const groups = await list(admin, '&kind=group');
    for (const c of groups.items) expect(c.kind).toBe('group');
    const gold = await list(admin, '&tier=gold');
    for (const c of gold.items) expect(c.clubTier).toBe('gold');
    const all = await list(admin);
    expect(gold.total).toBe(all.items.filter((c) => c.clubTier === 'gold').length);
  });
});

describe('revealing personal data', () => {
  it('shows business acceptance the full data of a customer of its hall, and records the view', async () => {
    const res = await t.as(clerk, { method: 'POST', url: `/api/customers/${mine.id}/reveal` });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual({
      idDocNumber: VALID_ID,
      contactPhone: '13900001234',
      address: '云川省青原市人民路100号3单元',
    });
    const viewed = await events('customer.pii_viewed', mine.id);
    expect(viewed).toHaveLength(1);
    expect(viewed[0]!.actorName).toBe('张悦');
    expect(JSON.stringify(viewed[0])).not.toContain('13900001234');
  });

  it('refuses sales (403 position) and a customer of another city (403 scope), recording nothing', async () => {
    const bySales = await t.as(sales, { method: 'POST', url: `/api/customers/${mine.id}/reveal` });
    expect(bySales.statusCode).toBe(403);
    expect(bySales.json().code).toBe('position');
    const xkCustomer = (await list(admin, `&unitId=${xkHall}`)).items[0]!;
    const other = await t.as(clerk, { method: 'POST', url: `/api/customers/${xkCustomer.id}/reveal` });
    expect(other.statusCode).toBe(403);
    expect(other.json().code).toBe('scope');
    expect(await events('customer.pii_viewed', xkCustomer.id)).toHaveLength(0);
    expect(await events('customer.pii_viewed', mine.id)).toHaveLength(1);
  });

  it('the province administrator may read but not reveal', async () => {
    const res = await t.as(admin, { method: 'POST', url: `/api/customers/${mine.id}/reveal` });
    expect(res.statusCode).toBe(403);
    expect(res.json().code).toBe('position');
  });
});

describe('registering customers', () => {
  const person = (idDocNumber: string, extra: Record<string, unknown> = {}) => ({
    unitId: qyHall,
    kind: 'individual',
    name: '校验客户',
    idDocKind: 'resident_id',
    idDocNumber,
    contactPhone: '13900002222',
    ...extra,
  });

  it('accepts a valid resident ID, with a lower-case x check character too', async () => {
    const x = withCheck('11010519491231002');
    expect(x.endsWith('X')).toBe(true);
    const res = await createCustomer(clerk, person(x.toLowerCase(), { name: '校验客户乙' }));
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json().idDocNumber).toBe('1101**********002X');
  });

  it('refuses a wrong check digit with 422 id_doc_number on the field', async () => {
    const res = await createCustomer(clerk, person(wrongCheck(VALID_ID)));
    expect(res.statusCode).toBe(422);
    expect(res.json().code).toBe('id_doc_number');
    expect(res.json().messages['zh-CN']).toBe('身份证号码校验位错误');
    expect(res.json().messages['en-US']).toBe('The ID number check digit is wrong');
    expect(res.json().errors).toEqual([
      {
        path: 'body.idDocNumber',
        messages: { 'zh-CN': '身份证号码校验位错误', 'en-US': 'The ID number check digit is wrong' },
      },
    ]);
  });

  it('refuses an impossible birth date and one in the future', async () => {
    for (const body of ['99010119900230123', '99010120300101123']) {
      const res = await createCustomer(clerk, person(withCheck(body)));
      expect(res.statusCode, body).toBe(422);
      expect(res.json().code).toBe('id_doc_number');
      expect(res.json().messages['en-US']).toBe('The birth date in the ID number is invalid');
    }
  });

  it('refuses a resident ID for a group and a business licence for a person (422 id_doc_kind)', async () => {
    const group = await createCustomer(clerk, person(VALID_ID, { kind: 'group', name: '示例集团' }));
    expect(group.statusCode).toBe(422);
    expect(group.json().code).toBe('id_doc_kind');
    const licence = await createCustomer(clerk, person(CREDIT_CODE, { idDocKind: 'business_licence' }));
    expect(licence.statusCode).toBe(422);
    expect(licence.json().code).toBe('id_doc_kind');
  });

  it('registers a group by its credit code, and refuses a wrong credit code', async () => {
    const ok = await createCustomer(clerk, {
      ...person(CREDIT_CODE, { kind: 'group', name: '示例集团有限公司', idDocKind: 'business_licence' }),
    });
    expect(ok.statusCode, ok.body).toBe(201);
    const bad = await createCustomer(clerk, {
      ...person('91350100M000100Y44', { kind: 'group', name: '错码集团', idDocKind: 'business_licence' }),
    });
    expect(bad.statusCode).toBe(422);
    expect(bad.json().code).toBe('id_doc_number');
  });

  it('nothing is written for a refused customer', async () => {
    expect((await list(admin, `&q=${encodeURIComponent('校验客户')}`)).items.map((c) => c.name)).toEqual([
      '校验客户乙',
    ]);
    expect((await list(admin, `&q=${encodeURIComponent('错码集团')}`)).total).toBe(0);
  });

  it('refuses a customer in another hall (scope) and to a position without write (position)', async () => {
    const other = await createCustomer(clerk, person(VALID_ID, { unitId: xkHall }));
    expect(other.statusCode).toBe(403);
    expect(other.json().code).toBe('scope');
    const guide = await t.login('qy_guide');
    const res = await createCustomer(guide, person(VALID_ID));
    expect(res.statusCode).toBe(403);
    expect(res.json().code).toBe('position');
  });
});

describe('changing customers and subscriptions', () => {
  it('updates tier and 3G flag, with an event of masked before and after', async () => {
    const res = await t.as(clerk, {
      method: 'PATCH',
      url: `/api/customers/${mine.id}`,
      payload: { clubTier: 'gold', is3g: true, address: '云川省青原市人民路101号' },
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ clubTier: 'gold', is3g: true, address: '云川省青原市****' });
    const updated = await events('customer.updated', mine.id);
    expect(updated).toHaveLength(1);
    expect(updated[0]!.before).toMatchObject({ clubTier: 'ordinary', is3g: false });
    expect(updated[0]!.after).toMatchObject({ clubTier: 'gold', is3g: true });
    expect(JSON.stringify(updated[0])).not.toContain('101号');
  });

  it('checks a new ID number again', async () => {
    const res = await t.as(clerk, {
      method: 'PATCH',
      url: `/api/customers/${mine.id}`,
      payload: { idDocNumber: wrongCheck(VALID_ID) },
    });
    expect(res.statusCode).toBe(422);
    expect(res.json().code).toBe('id_doc_number');
    const revealed = await t.as(clerk, { method: 'POST', url: `/api/customers/${mine.id}/reveal` });
    expect(revealed.json().idDocNumber).toBe(VALID_ID);
  });

  it('sales may read but not change a customer', async () => {
    expect((await t.as(sales, { method: 'GET', url: `/api/customers/${mine.id}` })).statusCode).toBe(200);
    const res = await t.as(sales, {
      method: 'PATCH',
      url: `/api/customers/${mine.id}`,
      payload: { name: '改名' },
    });
    expect(res.statusCode).toBe(403);
    expect(res.json().code).toBe('position');
  });

  it('adds a subscription and changes its status', async () => {
    const added = await t.as(clerk, {
      method: 'POST',
      url: `/api/customers/${mine.id}/subscriptions`,
      payload: { kind: 'mobile', number: '13900005678', plan: '如意通 19元套餐' },
    });
    expect(added.statusCode, added.body).toBe(201);
    const sub = added.json() as { id: string; number: string; status: string; since: string };
    expect(sub).toMatchObject({ number: '139****5678', status: 'active', since: '2026-03-02' });
    expect((await lookup(clerk, '13900005678')).found).toBe(true);

    const changed = await t.as(clerk, {
      method: 'PATCH',
      url: `/api/customers/${mine.id}/subscriptions/${sub.id}`,
      payload: { status: 'suspended' },
    });
    expect(changed.statusCode, changed.body).toBe(200);
    expect(changed.json().status).toBe('suspended');
    const detail = (
      await t.as(clerk, { method: 'GET', url: `/api/customers/${mine.id}` })
    ).json() as CustomerReply;
    expect(detail.subscriptions!.map((s) => s.status).sort()).toEqual(['active', 'suspended']);
    expect(await events('subscription.added', mine.id)).toHaveLength(1);
    expect(await events('subscription.updated', mine.id)).toHaveLength(1);
    // A suspended number no longer identifies the customer for the queue.
    expect((await lookup(clerk, '13900005678')).found).toBe(false);

    // The subscription belongs to this customer only: through another customer of the hall it is unknown.
    const neighbour = (await list(clerk)).items.find((c) => c.id !== mine.id)!;
    const wrong = await t.as(clerk, {
      method: 'PATCH',
      url: `/api/customers/${neighbour.id}/subscriptions/${sub.id}`,
      payload: { status: 'active' },
    });
    expect(wrong.statusCode).toBe(404);
    const xkCustomer = (await list(admin, `&unitId=${xkHall}`)).items[0]!;
    const outside = await t.as(clerk, {
      method: 'POST',
      url: `/api/customers/${xkCustomer.id}/subscriptions`,
      payload: { kind: 'data', number: 'DATA00001' },
    });
    expect(outside.statusCode).toBe(403);
    expect(outside.json().code).toBe('scope');
  });

  it('refuses a number already in service for another customer (409), writing nothing', async () => {
    const neighbour = (await list(clerk)).items.find((c) => c.id !== mine.id)!;
    const before = await events('subscription.added', neighbour.id);
    const res = await t.as(clerk, {
      method: 'POST',
      url: `/api/customers/${neighbour.id}/subscriptions`,
      payload: { kind: 'mobile', number: '13900001234' },
    });
    expect(res.statusCode).toBe(409);
    expect(res.json().code).toBe('number_in_use');
    expect(res.json().messages['zh-CN']).toContain('139****1234');
    expect(await events('subscription.added', neighbour.id)).toHaveLength(before.length);
  });
});

describe('phone lookup', () => {
  it('answers whether the number is a customer’s, its tier and 3G flag only: no name, no id', async () => {
    const res = await lookup(sales, '13900001234');
    expect(res).toEqual({ found: true, clubTier: 'gold', is3g: true });
    expect((await lookup(sales, '13999999999')).found).toBe(false);
  });

  it('finds a customer of any hall of the province, but not of another province', async () => {
    const xkCustomer = (await list(admin, `&unitId=${xkHall}`)).items[0]!;
    // Find the xk customer's number through its masked tail: demo phones are 1860000xxxx.
    const phone = `1860000${xkCustomer.contactPhone.slice(-4)}`;
    const found = await lookup(clerk, phone);
    expect(found).toEqual({ found: true, clubTier: xkCustomer.clubTier, is3g: xkCustomer.is3g });

    // Another province with its own hall, clerk and customer.
    const hq = await t.login('hqadmin');
    const root = await unitIdByCode(t, hq, 'HQ');
    const mk = async (parentId: string, kind: string, code: string, name: string) => {
      const res = await t.as(hq, {
        method: 'POST',
        url: '/api/units',
        payload: { parentId, kind, code, name },
      });
      expect(res.statusCode, res.body).toBe(201);
      return (res.json() as { id: string }).id;
    };
    const province = await mk(root, 'province', 'ZZ', '测试省分公司');
    const city = await mk(province, 'city', 'ZZ-A', '测试市分公司');
    const hall = await mk(city, 'hall_own', 'ZZ-A-H01', '测试营业厅');
    const staff = await t.as(hq, {
      method: 'POST',
      url: '/api/staff',
      payload: { unitId: hall, username: 'zz_clerk', name: '外省柜员', positions: ['acceptance'] },
    });
    const initial = staff.json().initialPassword as string;
    const zz = await t.login('zz_clerk', initial);
    const changed = await t.as(zz, {
      method: 'POST',
      url: '/api/auth/password',
      payload: { currentPassword: initial, newPassword: 'Other-Prov-2026' },
    });
    expect(changed.statusCode).toBe(204);
    const created = await createCustomer(zz, {
      unitId: hall,
      kind: 'individual',
      name: '外省客户',
      idDocKind: 'resident_id',
      idDocNumber: withCheck('99020119850101002'),
      contactPhone: '13700007777',
    });
    expect(created.statusCode, created.body).toBe(201);
    expect((await lookup(zz, '13700007777')).found).toBe(true);
    expect((await lookup(clerk, '13700007777')).found).toBe(false);
    expect((await lookup(zz, '13900001234')).found).toBe(false);
    expect((await list(zz)).items.map((c) => c.name)).toEqual(['外省客户']);
  });

  it('is refused to a position without lookup', async () => {
    const stock = await t.login('qy_stock');
    const res = await t.as(stock, { method: 'GET', url: '/api/customers/lookup?phone=13900001234' });
    expect(res.statusCode).toBe(403);
    expect(res.json().code).toBe('position');
  });
});

describe('no search oracles', () => {
  it('a position without reveal finds no one by a part or the whole of a number; results stay masked', async () => {
    for (const q of [
      '138',
      '139',
      '1234',
      '13900001234',
      VALID_ID.slice(-4),
      VALID_ID.slice(0, 6),
      '139****1234',
    ]) {
      expect((await list(sales, `&q=${encodeURIComponent(q)}`)).total, q).toBe(0);
    }
    // Business acceptance may reveal: a part of a number still finds no one, the whole number finds one.
    expect((await list(clerk, '&q=1234')).total).toBe(0);
    expect((await list(clerk, `&q=${VALID_ID.slice(0, 14)}`)).total).toBe(0);
    const found = await list(clerk, '&q=13900001234');
    expect(found.items.map((c) => c.id)).toEqual([mine.id]);
    expect(JSON.stringify(found)).not.toContain('13900001234');
  });

  it('a search by a whole number is an event (masked) and is rate-limited', async () => {
    const before = await t.as(admin, {
      method: 'GET',
      url: '/api/audit?action=customer.number_searched&limit=500',
    });
    const n = (before.json().items as unknown[]).length;
    await list(clerk, '&q=13900001234');
    const after = await t.as(admin, {
      method: 'GET',
      url: '/api/audit?action=customer.number_searched&limit=500',
    });
    expect(after.json().items).toHaveLength(n + 1);
    expect(after.json().items[0].after.q).toBe('13*******34');
    expect(after.body).not.toContain('13900001234');
    let status = 200;
    for (let i = 0; i < 80 && status === 200; i++) {
      status = (await t.as(clerk, { method: 'GET', url: '/api/customers?q=13900001234' })).statusCode;
    }
    expect(status).toBe(429);
    // Names are still searched.
    expect((await list(clerk, `&q=${encodeURIComponent('客户甲')}`)).total).toBe(1);
  });

  it('an export with a phone in its search text leaves no full phone in the audit trail or the events table', async () => {
    const res = await t.as(sales, { method: 'GET', url: '/api/customers/export?q=13900001234' });
    expect(res.statusCode).toBe(200);
    const audit = await t.as(admin, { method: 'GET', url: '/api/audit?action=customer.&limit=500' });
    expect(audit.body).toContain('customer.exported');
    expect(audit.body).not.toContain('13900001234');
    const stored = await rows<{ text: string }>(
      t.database.db,
      sql`select cast(e.* as text) as text from events e`,
    );
    expect(stored.some((r) => r.text.includes('customer.exported'))).toBe(true);
    for (const r of stored) expect(r.text).not.toContain('13900001234');
  });
});

describe('the phone lookup answers only callers that need it', () => {
  it('refuses the administrator and a call-centre agent', async () => {
    for (const username of ['admin', 'cc_agent1']) {
      const cookie = await t.login(username);
      const res = await t.as(cookie, { method: 'GET', url: '/api/customers/lookup?phone=13900001234' });
      expect(res.statusCode, username).toBe(403);
    }
  });
});

describe('centre reach', () => {
  it('a province centre agent sees the province’s customers and a city hall’s appointments', async () => {
    const agent = await t.login('cc_agent1');
    const all = await list(admin);
    const seen = await list(agent);
    expect(seen.total).toBe(all.total);
    expect(seen.items.some((c) => c.unitId === xkHall)).toBe(true);
    const res = await t.as(agent, { method: 'GET', url: `/api/halls/${qyHall}/appointments` });
    expect(res.statusCode, res.body).toBe(200);
    // But a hall clerk still sees only its hall.
    expect((await list(clerk)).items.every((c) => c.unitId === qyHall)).toBe(true);
  });
});
