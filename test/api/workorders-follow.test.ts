/**
 * The customer follows an order on the e-channel page (issue #14): a phone proven by a one-time code sees
 * the orders replied to that phone — the steps that concern them, not the internal ones — adds information
 * (an order waiting for them resumes), rates a replied order once, reopens it within the window and after
 * it is told the appeal route. Another phone's order is 404; a staff session is not a phone.
 */
import { sql } from 'drizzle-orm';
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Category, FollowedOrder, WorkOrderDetail } from '../../src/modules/workorders/contract.ts';
import { rows } from '../../src/platform/db/index.ts';
import type { TestApp } from '../support/app.ts';
import { codeSentTo, testApp } from '../support/app.ts';

let t: TestApp;
const cookies: Record<string, string> = {};
let customer: { id: string; phone: string };
let order: WorkOrderDetail;
let phoneToken: string;

function ok<T>(res: LightMyRequestResponse, status = 200): T {
  expect(res.statusCode, res.body).toBe(status);
  return res.json() as T;
}
function problem(res: LightMyRequestResponse, status: number, code: string) {
  expect(res.statusCode, res.body).toBe(status);
  const body = res.json() as { code: string; messages: Record<string, string> };
  expect(body.code).toBe(code);
  return body.messages;
}
const staff = (who: string, action: string, body: Record<string, unknown> = {}) =>
  t.as(cookies[who]!, {
    method: 'POST',
    url: `/api/work-orders/${order.id}/${action}`,
    payload: { version: order.version, ...body },
  });
const act = async (who: string, action: string, body: Record<string, unknown> = {}) => {
  order = ok<WorkOrderDetail>(await staff(who, action, body));
};
const phone = (method: 'GET' | 'POST', url: string, payload?: object, token = phoneToken) =>
  t.app.inject({
    method,
    url,
    headers: { authorization: `Bearer ${token}` },
    ...(payload ? { payload } : {}),
  });

async function prove(number: string): Promise<string> {
  const sent = await t.app.inject({
    method: 'POST',
    url: '/api/e/codes',
    payload: { phone: number, purpose: 'work_order' },
  });
  expect(sent.statusCode, sent.body).toBe(202);
  const res = await t.app.inject({
    method: 'POST',
    url: '/api/e/sessions',
    payload: { phone: number, code: await codeSentTo(t, number) },
  });
  return ok<{ token: string }>(res, 201).token;
}

beforeAll(async () => {
  t = await testApp({ customers: 12 });
  for (const who of ['qy_complaint', 'cc_agent1']) cookies[who] = await t.login(who);
  const [c] = await rows<{ id: string; phone: string }>(
    t.database.db,
    sql`select id, contact_phone as phone from customers where contact_phone ~ '^1[0-9]{10}$' limit 1`,
  );
  customer = c!;
  const [hall] = await rows<{ id: string }>(
    t.database.db,
    sql`select id from units where code = 'YC-QY-H01'`,
  );
  const [centre] = await rows<{ id: string }>(t.database.db, sql`select id from units where code = 'YC-CC'`);
  const categories = ok<Category[]>(
    await t.as(cookies.qy_complaint!, { method: 'GET', url: '/api/work-order-categories' }),
  );
  order = ok<WorkOrderDetail>(
    await t.as(cookies.qy_complaint!, {
      method: 'POST',
      url: '/api/work-orders',
      payload: {
        kind: 'complaint',
        channel: 'counter',
        customerId: customer.id,
        categoryId: categories.find((x) => x.code === 'billing')!.id,
        concernsUnitId: hall!.id,
        handlingUnitId: centre!.id,
        title: '话费扣费有误',
        description: '客户认为上月多扣了 20 元',
      },
    }),
    201,
  );
  await act('cc_agent1', 'claim');
  await act('cc_agent1', 'pause', { state: 'waiting_customer', note: '请客户提供缴费凭证' });
}, 120_000);
afterAll(() => t.close());

describe('the customer’s follow page', () => {
  it('a code for work orders says so; the proven phone sees its order without the internal steps', async () => {
    phoneToken = await prove(customer.phone);
    const [sms] = await rows<{ template: string }>(
      t.database.db,
      sql`select template from notify_messages where recipient = ${customer.phone} order by created_at desc limit 1`,
    );
    expect(sms!.template).toBe('echannel.code_work_order');
    const mine = ok<FollowedOrder[]>(await phone('GET', '/api/e/work-orders'));
    expect(mine.map((o) => o.number)).toEqual([order.number]);
    const one = ok<FollowedOrder>(await phone('GET', `/api/e/work-orders/${order.number}`));
    expect(one.state).toBe('waiting_customer');
    expect(one.steps.map((s) => s.label.zh)).toEqual(['受理', '挂起']);
    expect(one.mayRate).toBe(false);
  });

  it('another phone, no phone, a staff session: refused', async () => {
    const other = await prove('13900001111');
    problem(await phone('GET', `/api/e/work-orders/${order.number}`, undefined, other), 404, 'not_found');
    expect(ok<FollowedOrder[]>(await phone('GET', '/api/e/work-orders', undefined, other))).toEqual([]);
    problem(await t.app.inject({ method: 'GET', url: '/api/e/work-orders' }), 401, 'unauthenticated');
    problem(
      await t.as(cookies.qy_complaint!, { method: 'GET', url: `/api/e/work-orders/${order.number}` }),
      403,
      'phone_only',
    );
    problem(await phone('GET', '/api/e/work-orders/GD12'), 400, 'validation');
  });

  it('adding information resumes the order waiting for the customer', async () => {
    const one = ok<FollowedOrder>(
      await phone('POST', `/api/e/work-orders/${order.number}/information`, {
        text: '缴费凭证号 20260301-88',
      }),
    );
    expect(one.state).toBe('assigned');
    order = ok<WorkOrderDetail>(
      await t.as(cookies.cc_agent1!, { method: 'GET', url: `/api/work-orders/${order.id}` }),
    );
    expect(order.clocks.resolution.paused).toBe(false);
    const info = order.timeline.find((s) => s.step === 'information')!;
    expect(info.text).toBe('缴费凭证号 20260301-88');
    expect(info.actorName).not.toContain(customer.phone);
    expect(order.timeline.at(-1)!.step).toBe('resumed');
  });

  it('rates a replied order once; reopens within the window; after it, the appeal route', async () => {
    problem(
      await phone('POST', `/api/e/work-orders/${order.number}/rating`, { score: 5 }),
      409,
      'wrong_state',
    );
    await act('cc_agent1', 'answer', { text: '已核实，退还 20 元' });
    await act('qy_complaint', 'reply', { text: '经核实多扣 20 元，已退还' });
    let one = ok<FollowedOrder>(await phone('GET', `/api/e/work-orders/${order.number}`));
    expect(one.reply).toBe('经核实多扣 20 元，已退还');
    expect(one.mayRate).toBe(true);
    expect(one.mayReopenUntil).not.toBeNull();
    problem(
      await phone('POST', `/api/e/work-orders/${order.number}/rating`, { score: 6 }),
      400,
      'validation',
    );
    one = ok<FollowedOrder>(await phone('POST', `/api/e/work-orders/${order.number}/rating`, { score: 4 }));
    expect(one.satisfaction).toBe(4);
    expect(one.mayRate).toBe(false);
    problem(
      await phone('POST', `/api/e/work-orders/${order.number}/rating`, { score: 1 }),
      409,
      'already_rated',
    );
    one = ok<FollowedOrder>(
      await phone('POST', `/api/e/work-orders/${order.number}/reopen`, { text: '还是不对' }),
    );
    expect(one.state).toBe('assigned');
    order = ok<WorkOrderDetail>(
      await t.as(cookies.cc_agent1!, { method: 'GET', url: `/api/work-orders/${order.id}` }),
    );
    await act('cc_agent1', 'answer', { text: '再次核实' });
    await act('qy_complaint', 'reply', { text: '已再次核实' });
    t.clock.advanceMinutes(8 * 24 * 60);
    phoneToken = await prove(customer.phone); // the phone's capability is short-lived
    const messages = problem(
      await phone('POST', `/api/e/work-orders/${order.number}/reopen`, { text: '仍不满意' }),
      422,
      'reopen_window',
    );
    expect(messages['zh-CN']).toContain('12300');
    expect(messages['en-US']).toContain('appeal');
    one = ok<FollowedOrder>(await phone('GET', `/api/e/work-orders/${order.number}`));
    expect(one.mayReopenUntil).toBeNull();
  });

  it('the reply’s SMS carries a survey code: number + code rate it without a phone code, once; guesses die', async () => {
    cookies.qy_complaint = await t.login('qy_complaint'); // the clock moved on eight days
    const categories = ok<Category[]>(
      await t.as(cookies.qy_complaint!, { method: 'GET', url: '/api/work-order-categories' }),
    );
    const take = async (title: string) => {
      const o = ok<WorkOrderDetail>(
        await t.as(cookies.qy_complaint!, {
          method: 'POST',
          url: '/api/work-orders',
          payload: {
            kind: 'consultation',
            channel: 'counter',
            customerId: customer.id,
            categoryId: categories.find((x) => x.code === 'consultation')!.id,
            concernsUnitId: (
              await rows<{ id: string }>(t.database.db, sql`select id from units where code = 'YC-QY-H01'`)
            )[0]!.id,
            title,
            description: '客户咨询套餐资费',
          },
        }),
        201,
      );
      // Answered at once by the hall that took it: the reply goes out with its survey code.
      const replied = ok<WorkOrderDetail>(
        await t.as(cookies.qy_complaint!, {
          method: 'POST',
          url: `/api/work-orders/${o.id}/reply`,
          payload: { version: o.version, text: '已为客户介绍 5G 套餐资费' },
        }),
      );
      const [sms] = await rows<{ body: string }>(
        t.database.db,
        sql`select body from notify_messages where template = 'workorder.reply' and params->>'number' = ${o.number}`,
      );
      const code = /评价码 ([2-9A-HJ-NP-Z]{8})/.exec(sms!.body)?.[1];
      expect(code, sms!.body).toBeDefined();
      return { order: replied, code: code! };
    };
    const survey = (number: string, code: string, score = 3) =>
      t.app.inject({ method: 'POST', url: `/api/e/work-orders/${number}/survey`, payload: { code, score } });
    const wrongCode = (code: string) => (code[0] === 'A' ? 'B' : 'A') + code.slice(1);

    const a = await take('咨询 5G 套餐');
    // A wrong code says how many tries are left; it does not make the staff's version stale.
    let messages = problem(await survey(a.order.number, wrongCode(a.code)), 422, 'survey_code_wrong');
    expect(messages['zh-CN']).toContain('还可尝试 4 次');
    const after = ok<WorkOrderDetail>(
      await t.as(cookies.qy_complaint!, { method: 'GET', url: `/api/work-orders/${a.order.id}` }),
    );
    expect(after.version).toBe(a.order.version);
    // An unknown number answers like a wrong code; a malformed code is a validation error.
    problem(await survey('GD202603029999', a.code), 422, 'survey_code_wrong');
    problem(await survey(a.order.number, 'short'), 400, 'validation');
    // The right code, typed in lower case: rated; once.
    expect(
      ok<{ satisfaction: number }>(await survey(a.order.number, a.code.toLowerCase(), 5)).satisfaction,
    ).toBe(5);
    problem(await survey(a.order.number, a.code, 1), 422, 'survey_code_wrong');
    const rated = ok<WorkOrderDetail>(
      await t.as(cookies.qy_complaint!, { method: 'GET', url: `/api/work-orders/${a.order.id}` }),
    );
    expect(rated.satisfaction).toBe(5);
    expect(rated.timeline.at(-1)!.step).toBe('rated');

    // Five wrong tries kill the code: the right one is refused after.
    const b = await take('咨询宽带资费');
    for (let i = 0; i < 4; i++)
      problem(await survey(b.order.number, wrongCode(b.code)), 422, 'survey_code_wrong');
    messages = problem(await survey(b.order.number, wrongCode(b.code)), 422, 'survey_code_wrong');
    expect(messages['zh-CN']).not.toContain('还可尝试');
    problem(await survey(b.order.number, b.code), 422, 'survey_code_wrong');
    // The code is in no event.
    const [leak] = await rows<{ n: number }>(
      t.database.db,
      sql`select count(*)::int as n from events where after::text like ${`%${a.code}%`} or after::text like ${`%${b.code}%`}`,
    );
    expect(leak!.n).toBe(0);
  });
});
