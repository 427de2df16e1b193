/**
 * Counter business acceptance through HTTP (issue #13, SPEC §2.2): a visit opened from a called ticket or
 * for a walk-in, its customer, business through the catalogue and the identity rule, payments, the one
 * signature, closing (the ticket finished in the same transaction), the pad of the counter, reprint, void,
 * corrections and the cash day. Every refusal is a bilingual problem that writes nothing (the rows of the
 * visit tables and subscriptions are counted before and after) — except a wrong service password's failure
 * count, which is written on purpose. No full phone or ID number appears in any answer or event.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import type { LightMyRequestResponse } from 'fastify';
import { BUILTIN_CATALOGUE } from '../../src/core/business-catalogue.ts';
import { rows } from '../../src/platform/db/index.ts';
import { DEMO_INITIAL_SERVICE_PASSWORD, DEMO_SERVICE_PASSWORD } from '../../src/modules/demo/seed.ts';
import type { TestApp } from '../support/app.ts';
import { testApp, unitIdByCode } from '../support/app.ts';
import { fixtureSignatureDataUrl } from '../support/document-fixture.ts';

let t: TestApp;
const cookies: Record<string, string> = {};
let hall: string;
let province: string;
const counters: Record<number, string> = {};
let pad1: string;
let pad2: string;

type Body = Record<string, unknown>;
const as = (who: string) => ({
  get: (url: string) => t.as(cookies[who]!, { method: 'GET', url }),
  post: (url: string, payload?: unknown) =>
    t.as(cookies[who]!, {
      method: 'POST',
      url,
      ...(payload === undefined ? {} : { payload: payload as Body }),
    }),
  put: (url: string, payload: unknown) =>
    t.as(cookies[who]!, { method: 'PUT', url, payload: payload as Body }),
  del: (url: string) => t.as(cookies[who]!, { method: 'DELETE', url }),
});
const bearer = (token: string) => ({
  get: (url: string) => t.app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${token}` } }),
  post: (url: string, payload: unknown) =>
    t.app.inject({
      method: 'POST',
      url,
      headers: { authorization: `Bearer ${token}` },
      payload: payload as Body,
    }),
});

function expectProblem(res: LightMyRequestResponse, status: number, code?: string) {
  expect(res.statusCode, res.body).toBe(status);
  expect(res.headers['content-type']).toContain('application/problem+json');
  const body = res.json() as { code: string; messages: Record<string, string> };
  if (code) expect(body.code, res.body).toBe(code);
  expect(body.messages['zh-CN']).toBeTruthy();
  expect(body.messages['en-US']).toBeTruthy();
  return body;
}

const TABLES = [
  'visits',
  'visit_lines',
  'visit_payments',
  'visit_documents',
  'visit_corrections',
  'id_document_copies',
  'agent_sales',
  'cash_days',
  'subscriptions',
  'customers',
  'events',
];
/** Row counts of the visit tables, subscriptions, customers and events, and a digest of subscriptions. */
async function state() {
  const out: Record<string, number | string> = {};
  for (const table of TABLES) {
    const [r] = await rows<{ n: number }>(t.database.db, sql.raw(`select count(*)::int as n from ${table}`));
    out[table] = r!.n;
  }
  const [d] = await rows<{ d: string }>(
    t.database.db,
    sql`select md5(string_agg(concat_ws('|', id, customer_id, status, plan, iccid, deposit_fen, contract_until,
        service_password_state, service_password_failures), ',' order by id)) as d from subscriptions`,
  );
  out.digest = d!.d;
  return out;
}

/** Runs a refused request and checks that nothing was written. */
async function refused(run: () => Promise<LightMyRequestResponse>, status: number, code: string) {
  const before = await state();
  const res = await run();
  const body = expectProblem(res, status, code);
  expect(await state()).toEqual(before);
  return body as { code: string; messages: Record<string, string>; errors?: { path: string }[] };
}

interface Sub {
  id: string;
  number: string;
  kind: string;
  customerId: string;
  idDocNumber: string;
  kindOfCustomer: string;
}
/** A demo individual of the province with a mobile number whose last digit is one of `ends`. */
async function customerWith(ends: string[], kind = 'individual', skip: string[] = []): Promise<Sub> {
  const list = await rows<Sub>(
    t.database.db,
    sql`select s.id, s.number, s.kind, c.id as "customerId", c.id_doc_number as "idDocNumber",
          c.kind as "kindOfCustomer"
        from subscriptions s join customers c on c.id = s.customer_id
        where s.kind = 'mobile' and c.kind = ${kind} and right(s.number, 1) in (${sql.join(
          ends.map((e) => sql`${e}`),
          sql`, `,
        )})
        order by s.number`,
  );
  const found = list.find((s) => !skip.includes(s.customerId));
  if (!found) throw new Error(`no ${kind} customer with a number ending ${ends.join('/')}`);
  return found;
}

interface VisitBody {
  id: string;
  status: string;
  lines: {
    id: string;
    businessCode: string;
    feeFen: number;
    status: string;
    subscriptionNumber: string | null;
  }[];
  totals: { totalFen: number; paidFen: number; balanceFen: number; settled: boolean };
  customer: { id: string; idDocNumber: string; contactPhone: string } | null;
  document: { sha256: string; copies: number } | null;
  ticketId: string | null;
}

const PNG = fixtureSignatureDataUrl();
const JPEG = `data:image/jpeg;base64,${Buffer.from([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3]).toString('base64')}`;
const answers: string[] = [];
const keep = (res: LightMyRequestResponse) => {
  answers.push(res.body);
  return res;
};

async function openWalkIn(who: string, n: number, customerId?: string): Promise<VisitBody> {
  const res = keep(
    await as(who).post('/api/visits', { counterId: counters[n], ...(customerId ? { customerId } : {}) }),
  );
  expect(res.statusCode, res.body).toBe(201);
  return res.json() as VisitBody;
}
async function add(who: string, visitId: string, body: Body) {
  return keep(await as(who).post(`/api/visits/${visitId}/transactions`, body));
}
const doc = (s: Sub) => ({ kind: 'resident_id', number: s.idDocNumber });

beforeAll(async () => {
  t = await testApp({ customers: 60 });
  for (const u of [
    'admin',
    'qy_manager',
    'qy_duty',
    'qy_clerk',
    'qy_clerk2',
    'qy_guide',
    'qy_audit',
    'coop_clerk',
  ])
    cookies[u] = await t.login(u);
  hall = await unitIdByCode(t, cookies.admin!, 'YC-QY-H01');
  province = await unitIdByCode(t, cookies.admin!, 'YC');
  const config = await as('admin').get(`/api/halls/${hall}/queue-config`);
  for (const c of (config.json() as { counters: { id: string; number: number }[] }).counters)
    counters[c.number] = c.id;
  expect((await as('qy_clerk').post(`/api/counters/${counters[1]}/open`)).statusCode).toBe(200);
  expect((await as('qy_clerk2').post(`/api/counters/${counters[2]}/open`)).statusCode).toBe(200);
  for (const [n, set] of [
    [1, (v: string) => (pad1 = v)],
    [2, (v: string) => (pad2 = v)],
  ] as const) {
    const res = await as('qy_manager').post('/api/tokens', {
      kind: 'device',
      unitId: hall,
      label: `${n}号评价器`,
      positions: ['device_rating_pad'],
      counterId: counters[n],
    });
    expect(res.statusCode, res.body).toBe(201);
    set((res.json() as { token: string }).token);
  }
}, 120_000);
afterAll(() => t.close());

describe('opening a visit', () => {
  it('opens one from a called ticket (starting it), with the ticket’s number, and one per counter only', async () => {
    const taken = await as('qy_guide').post(`/api/halls/${hall}/tickets`, { category: 'business' });
    expect(taken.statusCode, taken.body).toBe(201);
    const called = await as('qy_clerk2').post(`/api/counters/${counters[2]}/call-next`);
    expect(called.statusCode, called.body).toBe(200);
    const ticket = called.json() as { id: string; number: string };
    // Another clerk cannot open a visit from a ticket at someone else's counter.
    await refused(() => as('qy_clerk').post('/api/visits', { ticketId: ticket.id }), 403, 'not_your_counter');
    const res = keep(await as('qy_clerk2').post('/api/visits', { ticketId: ticket.id }));
    expect(res.statusCode, res.body).toBe(201);
    const visit = res.json() as VisitBody & { ticketNumber: string; counterId: string };
    expect(visit).toMatchObject({
      status: 'open',
      ticketId: ticket.id,
      ticketNumber: ticket.number,
      counterId: counters[2],
    });
    const tk = await as('qy_clerk2').get(`/api/tickets/${ticket.id}`);
    expect(tk.json().status).toBe('serving');
    await refused(
      () => as('qy_clerk2').post('/api/visits', { ticketId: ticket.id }),
      409,
      'visit_in_progress',
    );
    await refused(
      () => as('qy_clerk2').post('/api/visits', { counterId: counters[2] }),
      409,
      'counter_has_ticket',
    );
    // A light consultation only: no signature needed; closing finishes the ticket with the business.
    const c = await add('qy_clerk2', visit.id, {
      businessCode: 'consultation',
      values: { topic: 'tariffs' },
    });
    expect(c.statusCode, c.body).toBe(201);
    expect((c.json() as VisitBody).lines[0]).toMatchObject({ businessCode: 'consultation', feeFen: 0 });
    const closed = keep(await as('qy_clerk2').post(`/api/visits/${visit.id}/close`));
    expect(closed.statusCode, closed.body).toBe(200);
    expect(closed.json().status).toBe('closed');
    const done = (await as('qy_clerk2').get(`/api/tickets/${ticket.id}`)).json();
    expect(done).toMatchObject({ status: 'done', outcome: 'served' });
    const [biz] = await rows<{ business: string[] }>(
      t.database.db,
      sql`select business from queue_tickets where id = ${ticket.id}`,
    );
    expect(biz!.business).toEqual(['业务咨询']);
  });

  it('refuses a counter the caller has not opened and one that is closed', async () => {
    await refused(
      () => as('qy_clerk').post('/api/visits', { counterId: counters[2] }),
      403,
      'not_your_counter',
    );
    await refused(
      () => as('qy_clerk').post('/api/visits', { counterId: counters[3] }),
      409,
      'counter_not_open',
    );
    await refused(() => as('coop_clerk').post('/api/visits', { counterId: counters[1] }), 403, 'scope');
  });
});

describe('business, identity and money in one visit', () => {
  let visit: VisitBody;
  let set: Sub;

  it('finds the customer by a whole number (masked) and sets them on a walk-in visit', async () => {
    set = await customerWith(['0', '1', '2', '5', '6', '8']);
    const search = keep(await as('qy_clerk').get(`/api/visits/customer-search?phone=${set.number}`));
    expect(search.statusCode, search.body).toBe(200);
    const found = search.json().items as { id: string; contactPhone: string }[];
    expect(found.map((f) => f.id)).toContain(set.customerId);
    expect(search.body).not.toContain(set.number);
    visit = await openWalkIn('qy_clerk', 1);
    await refused(
      () => as('qy_clerk').post('/api/visits', { counterId: counters[1] }),
      409,
      'visit_in_progress',
    );
    const put = keep(
      await as('qy_clerk').put(`/api/visits/${visit.id}/customer`, { customerId: set.customerId }),
    );
    expect(put.statusCode, put.body).toBe(200);
    expect(put.json().customer.id).toBe(set.customerId);
  });

  it('refuses business without what the identity rule needs, writing nothing', async () => {
    const url = `/api/visits/${visit.id}/transactions`;
    const plan = {
      businessCode: 'plan_change',
      subscriptionId: set.id,
      values: { plan: 'A-96', effective: 'now' },
    };
    // Nothing shown.
    const none = await refused(() => as('qy_clerk').post(url, plan), 422, 'identity_refused');
    expect(none.errors!.map((e) => e.path)).toContain('identity.identity_missing');
    expect(none.messages['zh-CN']).toContain('居民身份证');
    // An expired document.
    const expired = await refused(
      () =>
        as('qy_clerk').post(url, {
          ...plan,
          identity: { document: { kind: 'temporary_id', number: set.idDocNumber, expiresOn: '2025-01-01' } },
        }),
      422,
      'identity_refused',
    );
    expect(expired.errors!.map((e) => e.path).join()).toMatch(/doc_/);
    // A business only groups may do.
    await refused(
      () =>
        as('qy_clerk').post(url, {
          businessCode: 'group_product',
          values: { product: 'vpmn', action: 'subscribe' },
          identity: { document: doc(set) },
        }),
      422,
      'identity_refused',
    );
    // Wrong form values.
    const bad = await refused(
      () =>
        as('qy_clerk').post(url, {
          ...plan,
          values: { plan: '!', effective: 'soon' },
          identity: { document: doc(set) },
        }),
      422,
      'fields_invalid',
    );
    expect(bad.errors!.map((e) => e.path)).toContain('body.values.effective');
    // A cancellation without its retention step.
    await refused(
      () =>
        as('qy_clerk').post(url, {
          businessCode: 'cancel',
          subscriptionId: set.id,
          values: { reason: 'price' },
          identity: { document: doc(set), ownerInPerson: true },
        }),
      422,
      'retention_required',
    );
    // A new account without the copy of the document, and with a copy that is not an image.
    const open = {
      businessCode: 'mobile_open',
      values: { number: '18699990001', plan: 'A-96', iccid: '8986011234567890123' },
      identity: { document: doc(set) },
    };
    await refused(() => as('qy_clerk').post(url, open), 422, 'id_copy_required');
    await refused(
      () =>
        as('qy_clerk').post(url, {
          ...open,
          idCopy: `data:image/png;base64,${Buffer.from('GIF89a').toString('base64')}`,
        }),
      422,
      'id_copy_invalid',
    );
    // Unknown business.
    await refused(
      () => as('qy_clerk').post(url, { ...plan, businessCode: 'no_such' }),
      422,
      'business_unknown',
    );
  });

  it('counts a wrong service password (the only write of a refusal) and locks after the setting', async () => {
    const url = `/api/visits/${visit.id}/transactions`;
    const plan = {
      businessCode: 'plan_change',
      subscriptionId: set.id,
      values: { plan: 'A-96', effective: 'now' },
    };
    const before = await state();
    const wrong = keep(await as('qy_clerk').post(url, { ...plan, identity: { password: '999999' } }));
    expectProblem(wrong, 422, 'password_wrong');
    const after = await state();
    expect({ ...after, digest: '', events: 0 }).toEqual({ ...before, digest: '', events: 0 });
    expect(after.events).toBe((before.events as number) + 1);
    const [f] = await rows<{ n: number }>(
      t.database.db,
      sql`select service_password_failures as n from subscriptions where id = ${set.id}`,
    );
    expect(f!.n).toBe(1);
    // The right one then identifies the customer and resets the count.
    const ok = await add('qy_clerk', visit.id, { ...plan, identity: { password: DEMO_SERVICE_PASSWORD } });
    expect(ok.statusCode, ok.body).toBe(201);
    const [g] = await rows<{ n: number; plan: string }>(
      t.database.db,
      sql`select service_password_failures as n, plan from subscriptions where id = ${set.id}`,
    );
    expect(g).toEqual({ n: 0, plan: 'A-96' });
    // Wrong tries in a row lock it (423); then even the right one is refused until the lock ends.
    let locked: LightMyRequestResponse | null = null;
    for (let i = 0; i < 10 && !locked; i++) {
      const res = await as('qy_clerk').post(url, { ...plan, identity: { password: '999999' } });
      if (res.statusCode === 423) locked = res;
      else expectProblem(res, 422, 'password_wrong');
    }
    expectProblem(locked!, 423, 'password_locked');
    await refused(
      () => as('qy_clerk').post(url, { ...plan, identity: { password: DEMO_SERVICE_PASSWORD } }),
      423,
      'password_locked',
    );
  });

  it('adds business with a document: a SIM replacement with its fee, a bill payment, a consultation', async () => {
    const sim = await add('qy_clerk', visit.id, {
      businessCode: 'sim_replace',
      subscriptionId: set.id,
      values: { iccid: '８９８６０１１１１１２２２２３３３３４', reason: 'lost' },
      identity: { document: { kind: 'resident_id', number: set.idDocNumber.split('').join(' ') } },
    });
    expect(sim.statusCode, sim.body).toBe(201);
    const [s] = await rows<{ iccid: string }>(
      t.database.db,
      sql`select iccid from subscriptions where id = ${set.id}`,
    );
    expect(s!.iccid).toBe('8986011111222233334');
    const bill = await add('qy_clerk', visit.id, {
      businessCode: 'bill_payment',
      subscriptionId: set.id,
      values: { amountFen: 5050 },
    });
    expect(bill.statusCode, bill.body).toBe(201);
    const light = await add('qy_clerk', visit.id, {
      businessCode: 'consultation',
      values: { topic: 'network' },
    });
    expect(light.statusCode, light.body).toBe(201);
    visit = light.json() as VisitBody;
    expect(visit.lines.map((l) => l.feeFen)).toEqual([0, 1000, 5050, 0]);
    expect(visit.totals).toMatchObject({ totalFen: 6050, paidFen: 0, balanceFen: 6050, settled: false });
    expect(visit.lines[0]!.subscriptionNumber).toMatch(/^\d{3}\*{4}\d{4}$/);
  });

  it('removes a line that changed nothing, not one that changed a subscription', async () => {
    const light = visit.lines.find((l) => l.businessCode === 'consultation')!;
    const removed = keep(await as('qy_clerk').del(`/api/visits/${visit.id}/transactions/${light.id}`));
    expect(removed.statusCode, removed.body).toBe(200);
    expect(removed.json().lines.find((l: { id: string }) => l.id === light.id).status).toBe('removed');
    const simLine = visit.lines.find((l) => l.businessCode === 'sim_replace')!;
    await refused(
      () => as('qy_clerk').del(`/api/visits/${visit.id}/transactions/${simLine.id}`),
      409,
      'line_not_reversible',
    );
  });

  it('refuses payments that do not add up, takes cash with change, then signing and closing work once', async () => {
    const url = `/api/visits/${visit.id}/payments`;
    await refused(
      () => as('qy_clerk').post(url, { method: 'bank_card', amountFen: 7000 }),
      422,
      'payment_overpaid',
    );
    await refused(
      () => as('qy_clerk').post(url, { method: 'cash', amountFen: -100 }),
      422,
      'payment_wrong_direction',
    );
    await refused(
      () => as('qy_clerk').post(url, { method: 'cash', amountFen: 1000, tenderedFen: 500 }),
      422,
      'payment_tendered_short',
    );
    // Closing and signing before it is paid.
    await refused(() => as('qy_clerk').post(`/api/visits/${visit.id}/close`), 409, 'not_signed');
    await refused(
      () => as('qy_clerk').post(`/api/visits/${visit.id}/sign`, { signature: PNG }),
      409,
      'balance_unsettled',
    );
    const card = keep(await as('qy_clerk').post(url, { method: 'bank_card', amountFen: 1050 }));
    expect(card.statusCode, card.body).toBe(201);
    const cash = keep(
      await as('qy_clerk').post(url, { method: 'cash', amountFen: 5000, tenderedFen: 10000 }),
    );
    expect(cash.statusCode, cash.body).toBe(201);
    expect(cash.json().payments[1]).toMatchObject({ changeFen: 5000 });
    expect(cash.json().totals).toMatchObject({ settled: true, balanceFen: 0 });
    await refused(
      () => as('qy_clerk').post(url, { method: 'cash', amountFen: 1 }),
      422,
      'payment_already_settled',
    );
    // Signing: not a PNG, then the real one, then twice.
    await refused(
      () =>
        as('qy_clerk').post(`/api/visits/${visit.id}/sign`, {
          signature: `data:image/png;base64,${Buffer.from('nope').toString('base64')}`,
        }),
      422,
      'signature_invalid',
    );
    const signed = keep(await as('qy_clerk').post(`/api/visits/${visit.id}/sign`, { signature: PNG }));
    expect(signed.statusCode, signed.body).toBe(200);
    expect(signed.json().status).toBe('signed');
    expect(signed.json().document.sha256).toMatch(/^[0-9a-f]{64}$/);
    await refused(
      () => as('qy_clerk').post(`/api/visits/${visit.id}/sign`, { signature: PNG }),
      409,
      'already_signed',
    );
    // A signed visit does not change.
    await refused(
      () =>
        as('qy_clerk').post(`/api/visits/${visit.id}/transactions`, {
          businessCode: 'consultation',
          values: { topic: 'network' },
        }),
      409,
      'visit_signed',
    );
    await refused(
      () => as('qy_clerk').post(`/api/visits/${visit.id}/payments`, { method: 'cash', amountFen: 1 }),
      409,
      'visit_signed',
    );
    // The stored PDF is the one hashed.
    const pdf = await as('qy_clerk').get(`/api/visits/${visit.id}/document.pdf`);
    expect(pdf.statusCode).toBe(200);
    expect(pdf.headers['content-type']).toContain('application/pdf');
    const { createHash } = await import('node:crypto');
    expect(createHash('sha256').update(pdf.rawPayload).digest('hex')).toBe(signed.json().document.sha256);
    const document = keep(await as('qy_clerk').get(`/api/visits/${visit.id}/document`));
    expect(document.json().content.totalFen).toBe(6050);
    expect(document.json().content.lines).toHaveLength(3);
    // The PDF's text holds every business and the total (pdftotext, poppler-utils).
    const { execFileSync } = await import('node:child_process');
    const text = execFileSync('pdftotext', ['-', '-'], { input: pdf.rawPayload }).toString();
    for (const l of document.json().content.lines as { businessZh: string }[])
      expect(text.replace(/\s/g, '')).toContain(l.businessZh);
    expect(text).toContain('60.50');
    expect(text).not.toContain(set.idDocNumber);
    // Another clerk may not close it; its clerk does, once.
    await refused(() => as('qy_clerk2').post(`/api/visits/${visit.id}/close`), 403, 'not_your_counter');
    const closed = keep(await as('qy_clerk').post(`/api/visits/${visit.id}/close`));
    expect(closed.statusCode, closed.body).toBe(200);
    await refused(() => as('qy_clerk').post(`/api/visits/${visit.id}/close`), 409, 'visit_closed');
  });

  it('reprints a copy, corrects a signed line (an error found) and a manager voids it', async () => {
    await refused(() => as('qy_clerk').get(`/api/visits/${visit.id}/document.pdf?copy=true`), 409, 'no_copy');
    const re = keep(await as('qy_clerk').post(`/api/visits/${visit.id}/reprint`));
    expect(re.statusCode, re.body).toBe(200);
    expect(re.json().document.copies).toBe(1);
    const pdfOriginal = (await as('qy_clerk').get(`/api/visits/${visit.id}/document.pdf`)).rawPayload;
    const copy = await as('qy_clerk').get(`/api/visits/${visit.id}/document.pdf?copy=true`);
    expect(copy.statusCode).toBe(200);
    expect(copy.rawPayload.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(copy.rawPayload.equals(pdfOriginal)).toBe(false);
    const sim = visit.lines.find((l) => l.businessCode === 'sim_replace')!;
    await refused(
      () =>
        as('qy_clerk').post(`/api/visits/${visit.id}/lines/${sim.id}/corrections`, {
          field: 'nope',
          value: 'x',
          reason: '录错了',
          foundBy: 'self',
        }),
      422,
      'field_unknown',
    );
    await refused(
      () =>
        as('qy_clerk').post(`/api/visits/${visit.id}/lines/${sim.id}/corrections`, {
          field: 'reason',
          value: 'stolen',
          reason: '录错了',
          foundBy: 'self',
        }),
      422,
      'value_invalid',
    );
    const corr = keep(
      await as('qy_audit').post(`/api/visits/${visit.id}/lines/${sim.id}/corrections`, {
        field: 'reason',
        value: 'damaged',
        reason: '稽核发现原因录入错误',
        foundBy: 'audit',
      }),
    );
    expect(corr.statusCode, corr.body).toBe(200);
    const [ev] = await rows<{ after: { field: string; foundBy: string } }>(
      t.database.db,
      sql`select after from events where action = 'visit.line_corrected' and subject_id = ${sim.id}`,
    );
    expect(ev!.after).toMatchObject({ field: 'reason', foundBy: 'audit' });
    await refused(
      () => as('qy_clerk').post(`/api/visits/${visit.id}/void`, { reason: '客户要求作废' }),
      403,
      'position',
    );
    const voided = keep(await as('qy_duty').post(`/api/visits/${visit.id}/void`, { reason: '客户要求作废' }));
    expect(voided.statusCode, voided.body).toBe(200);
    expect(voided.json().status).toBe('voided');
    expect(voided.json().document.voidedAt).not.toBeNull();
  });

  it('gives the clerk’s cash day and closes it once', async () => {
    const day = keep(await as('qy_clerk').get(`/api/visits/cash-day?hallId=${hall}`));
    expect(day.statusCode, day.body).toBe(200);
    expect(day.json()).toMatchObject({ receivedFen: 6050, cashFen: 5000, visits: 1, closed: null });
    const closed = await as('qy_clerk').post('/api/visits/cash-day/close', {
      hallId: hall,
      countedCashFen: 4900,
    });
    expect(closed.statusCode, closed.body).toBe(200);
    expect(closed.json().closed).toMatchObject({ countedCashFen: 4900, differenceFen: -100 });
    await refused(
      () => as('qy_clerk').post('/api/visits/cash-day/close', { hallId: hall, countedCashFen: 5000 }),
      409,
      'cash_day_closed',
    );
  });
});

describe('identity refusals of other customers', () => {
  let visit: VisitBody;

  it('refuses the initial password and a contract period without the stricter check', async () => {
    const initial = await customerWith(['4', '9']);
    visit = await openWalkIn('qy_clerk', 1, initial.customerId);
    const url = `/api/visits/${visit.id}/transactions`;
    const res = await refused(
      () =>
        as('qy_clerk').post(url, {
          businessCode: 'plan_change',
          subscriptionId: initial.id,
          values: { plan: 'A-96', effective: 'now' },
          identity: { password: DEMO_INITIAL_SERVICE_PASSWORD },
        }),
      422,
      'identity_refused',
    );
    expect(res.errors!.map((e) => e.path)).toContain('identity.password_initial');
    // Close this one (nothing done) to serve the next customer.
    expect((await as('qy_clerk').post(`/api/visits/${visit.id}/close`)).statusCode).toBe(200);

    const contract = await customerWith(['3']);
    visit = await openWalkIn('qy_clerk', 1, contract.customerId);
    const strict = await refused(
      () =>
        as('qy_clerk').post(`/api/visits/${visit.id}/transactions`, {
          businessCode: 'plan_change',
          subscriptionId: contract.id,
          values: { plan: 'A-96', effective: 'now' },
          identity: { password: DEMO_SERVICE_PASSWORD },
        }),
      422,
      'identity_refused',
    );
    expect(strict.errors!.map((e) => e.path)).toContain('identity.contract_period');
    // With the owner's document and in person it is done, marked strict.
    const ok = await add('qy_clerk', visit.id, {
      businessCode: 'plan_change',
      subscriptionId: contract.id,
      values: { plan: 'A-96', effective: 'now' },
      identity: { document: doc(contract), ownerInPerson: true },
    });
    expect(ok.statusCode, ok.body).toBe(201);
    expect(ok.json().lines[0].strict).toBe(true);
  });

  it('takes the password on the pad of the visit’s counter only, and the signature there', async () => {
    const contract = await customerWith(['3']);
    const sub = contract.id;
    // The pad of another counter sees nothing and reaches nothing.
    expect((await bearer(pad2).get('/api/counter-pad/visit')).json().visit).toBeNull();
    const asked = keep(
      await as('qy_clerk').post(`/api/visits/${visit.id}/pad-request`, {
        kind: 'password',
        subscriptionId: sub,
      }),
    );
    expect(asked.statusCode, asked.body).toBe(200);
    const shown = await bearer(pad1).get('/api/counter-pad/visit');
    expect(shown.statusCode, shown.body).toBe(200);
    expect(shown.json().visit.passwordFor.number).toMatch(/\*{4}/);
    answers.push(shown.body);
    await refused(
      () => bearer(pad2).post('/api/counter-pad/password', { password: DEMO_SERVICE_PASSWORD }),
      404,
      'not_found',
    );
    // A clerk cannot use the pad's routes.
    expectProblem(
      await as('qy_clerk').post('/api/counter-pad/password', { password: DEMO_SERVICE_PASSWORD }),
      403,
    );
    const ok = await bearer(pad1).post('/api/counter-pad/password', { password: DEMO_SERVICE_PASSWORD });
    expect(ok.statusCode, ok.body).toBe(200);
    const v = (await as('qy_clerk').get(`/api/visits/${visit.id}`)).json();
    expect(v.passwordVerifiedFor).toBe(sub);
    // The pad's verification identifies the customer for a business that asks the password (not under contract).
    const unlock = await add('qy_clerk', visit.id, {
      businessCode: 'unlock',
      subscriptionId: sub,
      identity: { usePadPassword: true },
    });
    expect(unlock.statusCode, unlock.body).toBe(201);
    await refused(
      () => bearer(pad1).post('/api/counter-pad/sign', { signature: PNG }),
      409,
      'no_signature_asked',
    );
    expect(
      (await as('qy_clerk').post(`/api/visits/${visit.id}/pad-request`, { kind: 'signature' })).statusCode,
    ).toBe(200);
    expect((await bearer(pad1).get('/api/counter-pad/visit')).json().visit.awaitingSignature).toBe(true);
    await refused(() => bearer(pad2).post('/api/counter-pad/sign', { signature: PNG }), 404, 'not_found');
    const signed = await bearer(pad1).post('/api/counter-pad/sign', { signature: PNG });
    expect(signed.statusCode, signed.body).toBe(200);
    expect((await as('qy_clerk').get(`/api/visits/${visit.id}`)).json().status).toBe('signed');
    expect((await as('qy_clerk').post(`/api/visits/${visit.id}/close`)).statusCode).toBe(200);
  });
});

describe('retention before a cancellation', () => {
  it('records an accepted offer without cancelling, and cancels after a declined one', async () => {
    const c = await customerWith(['5', '6', '8']);
    const visit = await openWalkIn('qy_clerk', 1, c.customerId);
    const url = `/api/visits/${visit.id}/transactions`;
    const cancel = {
      businessCode: 'cancel',
      subscriptionId: c.id,
      values: { reason: 'price' },
      identity: { document: doc(c), ownerInPerson: true },
    };
    await refused(
      () =>
        as('qy_clerk').post(url, { ...cancel, retention: { offered: ['no_such_offer'], accepted: null } }),
      422,
      'retention_invalid',
    );
    const kept = await add('qy_clerk', visit.id, {
      ...cancel,
      retention: { offered: ['plan_discount', 'data_bonus'], accepted: 'data_bonus' },
    });
    expect(kept.statusCode, kept.body).toBe(201);
    const line = (kept.json() as VisitBody & { lines: { retention: unknown; businessZh: string }[] })
      .lines[0]!;
    expect(line.retention).toEqual({ offered: ['plan_discount', 'data_bonus'], accepted: 'data_bonus' });
    expect(line.businessZh).toContain('已挽留');
    const [still] = await rows<{ status: string }>(
      t.database.db,
      sql`select status from subscriptions where id = ${c.id}`,
    );
    expect(still!.status).toBe('active');
    const gone = await add('qy_clerk', visit.id, {
      ...cancel,
      retention: { offered: ['plan_discount'], accepted: null },
    });
    expect(gone.statusCode, gone.body).toBe(201);
    const [after] = await rows<{ status: string }>(
      t.database.db,
      sql`select status from subscriptions where id = ${c.id}`,
    );
    expect(after!.status).toBe('cancelled');
    expect((await as('qy_clerk').post(`/api/visits/${visit.id}/sign`, { signature: PNG })).statusCode).toBe(
      200,
    );
    expect((await as('qy_clerk').post(`/api/visits/${visit.id}/close`)).statusCode).toBe(200);
  });
});

describe('a new account', () => {
  it('registers a new customer, opens the number with the ID copy kept, and refuses the number taken', async () => {
    const visit = await openWalkIn('qy_clerk', 1);
    const idNumber = '11010519491231002X';
    const put = keep(
      await as('qy_clerk').put(`/api/visits/${visit.id}/customer`, {
        newCustomer: {
          kind: 'individual',
          name: '新客户',
          idDocKind: 'resident_id',
          idDocNumber: idNumber,
          contactPhone: '13900001111',
        },
      }),
    );
    expect(put.statusCode, put.body).toBe(200);
    expect(put.body).not.toContain(idNumber);
    const body = {
      businessCode: 'mobile_open',
      values: { number: '18699990002', plan: 'A-96', iccid: '8986011234567890123', prepaidFen: 10000 },
      identity: { document: { kind: 'resident_id', number: idNumber }, password: '135790' },
      idCopy: JPEG,
    };
    const ok = await add('qy_clerk', visit.id, body);
    expect(ok.statusCode, ok.body).toBe(201);
    const [copy] = await rows<{ mime: string }>(
      t.database.db,
      sql`select mime from id_document_copies where visit_id = ${visit.id}`,
    );
    expect(copy!.mime).toBe('image/jpeg');
    const [sub] = await rows<{ state: string }>(
      t.database.db,
      sql`select service_password_state as state from subscriptions where number = '18699990002'`,
    );
    expect(sub!.state).toBe('set');
    await refused(
      () => as('qy_clerk').post(`/api/visits/${visit.id}/transactions`, body),
      409,
      'number_taken',
    );
    // Entered without an address: incomplete at entry, completed by a customer-information change later.
    const [entered] = await rows<{ after: { customerDataComplete: boolean; lineId: string } }>(
      t.database.db,
      sql`select after from events where action = 'visit.transaction_added' and after->>'visitId' = ${visit.id}`,
    );
    expect(entered!.after.customerDataComplete).toBe(false);
    const info = await add('qy_clerk', visit.id, {
      businessCode: 'customer_info_change',
      values: { item: 'address', value: '云川省青原市新街1号' },
      identity: { document: { kind: 'resident_id', number: idNumber } },
    });
    expect(info.statusCode, info.body).toBe(201);
    const [completed] = await rows<{ after: { lineId: string } }>(
      t.database.db,
      sql`select after from events where action = 'visit.record_completed' and subject_id = ${entered!.after.lineId}`,
    );
    expect(completed!.after.lineId).toBe(entered!.after.lineId);
  });
});

describe('a catalogue version retired mid-visit', () => {
  it('refuses more business under it (409), writing nothing', async () => {
    const stored = await as('admin').post('/api/business-types/versions', {
      unitId: province,
      versionId: 'yc-visit-test',
      basedOn: BUILTIN_CATALOGUE.versionId,
      types: BUILTIN_CATALOGUE.types,
    });
    expect(stored.statusCode, stored.body).toBe(201);
    const open = (await as('qy_clerk').get(`/api/visits?hallId=${hall}&status=open`)).json() as {
      items: { id: string }[];
    };
    for (const v of open.items) await as('qy_clerk').post(`/api/visits/${v.id}/close`);
    const visit = await openWalkIn('qy_clerk2', 2);
    const retire = await as('admin').post(`/api/business-types/versions/${province}/yc-visit-test/retire`);
    expect(retire.statusCode, retire.body).toBe(200);
    await refused(
      () =>
        as('qy_clerk2').post(`/api/visits/${visit.id}/transactions`, {
          businessCode: 'consultation',
          values: { topic: 'network' },
        }),
      409,
      'catalogue_retired',
    );
  });
});

describe('the duty manager’s list and masking', () => {
  it('lists the visits left open, scoped to the caller’s subtree', async () => {
    const res = await as('qy_duty').get(`/api/visits?hallId=${hall}&status=open`);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().items.length).toBeGreaterThan(0);
    answers.push(res.body);
    expectProblem(await as('coop_clerk').get(`/api/visits?hallId=${hall}`), 403);
  });

  it('shows no full phone or ID number in any visit answer or event', async () => {
    const people = await rows<{ phone: string; id: string }>(
      t.database.db,
      sql`select contact_phone as phone, id_doc_number as id from customers`,
    );
    const numbers = await rows<{ number: string }>(
      t.database.db,
      sql`select number from subscriptions where kind = 'mobile'`,
    );
    const events = await rows<{ body: string }>(
      t.database.db,
      sql`select concat(before::text, after::text) as body from events where action like 'visit.%'`,
    );
    const texts = [...answers, ...events.map((e) => e.body)];
    expect(texts.length).toBeGreaterThan(20);
    const secrets = [
      ...people.flatMap((p) => [p.phone, p.id]),
      ...numbers.map((n) => n.number),
      '13900001111',
      '11010519491231002X',
    ].filter((s) => s.length >= 11);
    for (const text of texts)
      for (const s of secrets) expect(text.includes(s), `${s} in ${text.slice(0, 200)}`).toBe(false);
  });
});

describe('the visit answer after a reload and after signing', () => {
  it('carries the pending pad request, the corrections with who found them, and the void reason', async () => {
    cookies.qy_sales = await t.login('qy_sales');
    expect((await as('qy_sales').post(`/api/counters/${counters[3]}/open`)).statusCode).toBe(200);
    const who = await customerWith(['1', '6']);
    const visit = await openWalkIn('qy_sales', 3, who.customerId);
    expect(visit).toMatchObject({ padRequest: null, corrections: [] });
    const asked = await as('qy_sales').post(`/api/visits/${visit.id}/pad-request`, {
      kind: 'password',
      subscriptionId: who.id,
    });
    expect(asked.statusCode, asked.body).toBe(200);
    // A reload (a new GET) still says what the pad is waiting for, the number masked.
    const reloaded = (await as('qy_sales').get(`/api/visits/${visit.id}`)).json();
    expect(reloaded.padRequest).toMatchObject({ kind: 'password', subscriptionId: who.id });
    expect(reloaded.padRequest.number).toMatch(/^\d{3}\*{4}\d{4}$/);
    expect(reloaded.padRequest.number).not.toBe(who.number);
    expect(typeof reloaded.padRequest.at).toBe('string');

    const sim = await add('qy_sales', visit.id, {
      businessCode: 'sim_replace',
      subscriptionId: who.id,
      values: { iccid: '8986011111222233335', reason: 'lost' },
      identity: { document: doc(who) },
    });
    expect(sim.statusCode, sim.body).toBe(201);
    const line = (sim.json() as VisitBody).lines[0]!;
    const paid = await as('qy_sales').post(`/api/visits/${visit.id}/payments`, {
      method: 'bank_card',
      amountFen: line.feeFen,
    });
    expect(paid.statusCode, paid.body).toBe(201);
    const sign = await as('qy_sales').post(`/api/visits/${visit.id}/pad-request`, { kind: 'signature' });
    expect(sign.json().padRequest).toMatchObject({ kind: 'signature', subscriptionId: null, number: null });
    const signed = await as('qy_sales').post(`/api/visits/${visit.id}/sign`, { signature: PNG });
    expect(signed.statusCode, signed.body).toBe(200);
    expect(signed.json().padRequest).toBeNull();

    const corrected = await as('qy_sales').post(`/api/visits/${visit.id}/lines/${line.id}/corrections`, {
      field: 'reason',
      value: 'damaged',
      reason: '自查发现补卡原因录错',
      foundBy: 'self',
    });
    expect(corrected.statusCode, corrected.body).toBe(200);
    const [clerk] = await rows<{ name: string }>(
      t.database.db,
      sql`select name from staff where username = 'qy_sales'`,
    );
    expect(corrected.json().corrections).toEqual([
      expect.objectContaining({
        lineId: line.id,
        field: 'reason',
        before: 'lost',
        after: 'damaged',
        reason: '自查发现补卡原因录错',
        foundBy: 'self',
        foundByName: clerk!.name,
        recordedByName: clerk!.name,
      }),
    ]);
    const audit = await as('qy_audit').post(`/api/visits/${visit.id}/lines/${line.id}/corrections`, {
      field: 'reason',
      value: 'lost',
      reason: '稽核复核改回',
      foundBy: 'audit',
    });
    expect(audit.statusCode, audit.body).toBe(200);
    expect(audit.json().corrections[1]).toMatchObject({ foundBy: 'audit', foundByName: null });

    const voided = await as('qy_duty').post(`/api/visits/${visit.id}/void`, { reason: '客户要求作废' });
    expect(voided.statusCode, voided.body).toBe(200);
    expect(voided.json().document).toMatchObject({ voidReason: '客户要求作废' });
    expect(voided.json().document.voidedAt).not.toBeNull();
  });
});
