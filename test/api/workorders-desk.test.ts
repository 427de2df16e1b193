/**
 * What the handling desk (/work-orders) needs of the server besides the commands (issue #14): each clock
 * says when it turns amber (the policy's warning share of its limit reached), so the browser counts down
 * without knowing the ladder — none once the clock is met or while it is paused; and an order taken at a
 * counter from the called ticket takes the ticket's customer and number when the clerk gave none (a
 * ticket of another hall is refused on its field).
 */
import { sql } from 'drizzle-orm';
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Category, WorkOrderDetail } from '../../src/modules/workorders/contract.ts';
import { rows } from '../../src/platform/db/index.ts';
import type { TestApp } from '../support/app.ts';
import { testApp } from '../support/app.ts';

let t: TestApp;
const cookies: Record<string, string> = {};
const units: Record<string, string> = {};
let customer: { id: string; phone: string };
let category: Category;

const post = (who: string, url: string, payload: Record<string, unknown>) =>
  t.as(cookies[who]!, { method: 'POST', url, payload });
function ok<T>(res: LightMyRequestResponse, status = 200): T {
  expect(res.statusCode, res.body).toBe(status);
  return res.json() as T;
}

beforeAll(async () => {
  t = await testApp({ customers: 12 });
  for (const who of ['qy_complaint', 'qy_guide', 'xk_clerk', 'cc_agent1']) cookies[who] = await t.login(who);
  for (const [key, code] of Object.entries({ hall: 'YC-QY-H01', xkHall: 'YC-XK-H01', centre: 'YC-CC' })) {
    const [u] = await rows<{ id: string }>(t.database.db, sql`select id from units where code = ${code}`);
    units[key] = u!.id;
  }
  const [c] = await rows<{ id: string; phone: string }>(
    t.database.db,
    sql`select id, contact_phone as phone from customers where contact_phone ~ '^1[0-9]{10}$'
         order by id limit 1`,
  );
  customer = c!;
  const list = ok<Category[]>(
    await t.as(cookies.qy_complaint!, { method: 'GET', url: '/api/work-order-categories' }),
  );
  category = list.find((x) => x.code === 'service.attitude')!;
}, 120_000);
afterAll(() => t.close());

const complaint = (extra: Record<string, unknown>) => ({
  kind: 'complaint',
  channel: 'counter',
  categoryId: category.id,
  concernsUnitId: units.hall,
  title: '营业员态度冷淡',
  description: '客户反映办理业务时营业员态度冷淡',
  ...extra,
});

it('taken from the called ticket: the ticket’s customer and number, unless given; another hall’s ticket is refused', async () => {
  const ticket = ok<{ id: string }>(
    await post('qy_guide', `/api/halls/${units.hall}/tickets`, {
      category: 'business',
      phone: customer.phone,
    }),
    201,
  );
  const o = ok<WorkOrderDetail>(
    await post('qy_complaint', '/api/work-orders', complaint({ ticketId: ticket.id })),
    201,
  );
  expect(o.customer?.id).toBe(customer.id);
  expect(o.contactPhone).toBe(`${customer.phone.slice(0, 3)}****${customer.phone.slice(-4)}`);
  expect(o.timeline[0]!.details).toMatchObject({ ticketId: ticket.id });
  // A clerk of another city's hall cannot take its customer through that ticket.
  const refused = await post(
    'xk_clerk',
    '/api/work-orders',
    complaint({ ticketId: ticket.id, concernsUnitId: units.xkHall }),
  );
  expect(refused.statusCode, refused.body).toBe(422);
  expect(refused.json().errors).toEqual(
    expect.arrayContaining([expect.objectContaining({ path: 'body.ticketId' })]),
  );
  // A walk-in ticket without a number: no phone to reply to, said on the field.
  const walkIn = ok<{ id: string }>(
    await post('qy_guide', `/api/halls/${units.hall}/tickets`, { category: 'business' }),
    201,
  );
  const noPhone = await post('qy_complaint', '/api/work-orders', complaint({ ticketId: walkIn.id }));
  expect(noPhone.statusCode, noPhone.body).toBe(422);
  expect(noPhone.json().errors).toEqual(
    expect.arrayContaining([expect.objectContaining({ path: 'body.contactPhone' })]),
  );
});

it('each running clock says when it turns amber, between its start and its due time; none once met or paused', async () => {
  let o = ok<WorkOrderDetail>(
    await post(
      'qy_complaint',
      '/api/work-orders',
      complaint({ customerId: customer.id, handlingUnitId: units.centre }),
    ),
    201,
  );
  const { response, resolution } = o.clocks;
  expect(resolution.colour).toBe('green');
  expect(resolution.amberAt).not.toBeNull();
  const created = Date.parse(o.createdAt);
  const amber = Date.parse(resolution.amberAt!);
  expect(amber).toBeGreaterThan(created);
  expect(amber).toBeLessThan(Date.parse(resolution.dueAt!));
  expect(response?.amberAt).not.toBeNull();
  expect(Date.parse(response!.amberAt!)).toBeLessThan(Date.parse(response!.dueAt!));
  // At the amber instant the server's own colour turns amber too.
  t.clock.set(new Date(amber + 60_000));
  cookies.cc_agent1 = await t.login('cc_agent1'); // days later: the morning's session has ended
  o = ok<WorkOrderDetail>(await t.as(cookies.cc_agent1!, { method: 'GET', url: `/api/work-orders/${o.id}` }));
  expect(o.clocks.resolution.colour).toBe('amber');
  // Claimed: the first response is met, its clock has no amber instant any more.
  o = ok<WorkOrderDetail>(await post('cc_agent1', `/api/work-orders/${o.id}/claim`, { version: o.version }));
  expect(o.clocks.response?.metAt).not.toBeNull();
  expect(o.clocks.response?.amberAt).toBeNull();
  // Waiting for the customer stops the resolution clock: no amber instant while paused.
  o = ok<WorkOrderDetail>(
    await post('cc_agent1', `/api/work-orders/${o.id}/pause`, {
      version: o.version,
      state: 'waiting_customer',
      note: '请客户补充办理时间',
    }),
  );
  expect(o.clocks.resolution.paused).toBe(true);
  expect(o.clocks.resolution.amberAt).toBeNull();
});

it('the units whose orders one reads: a centre’s agent those of the province it serves, a hall’s clerk their hall', async () => {
  // The clock has moved days on: new sessions.
  for (const who of ['cc_agent1', 'qy_complaint']) cookies[who] = await t.login(who);
  const codes = async (who: string) => {
    const list = ok<{ code: string; nameEn: string }[]>(
      await t.as(cookies[who]!, { method: 'GET', url: '/api/work-order-units' }),
    );
    return list.map((u) => u.code);
  };
  const centre = await codes('cc_agent1');
  expect(centre).toEqual(expect.arrayContaining(['YC-CC', 'YC-QY-H01', 'YC-QY-NET', 'YC-XK-H01']));
  const hall = await codes('qy_complaint');
  expect(hall).toContain('YC-QY-H01');
  expect(hall).not.toContain('YC-QY-NET');
  expect(hall).not.toContain('YC-XK-H01');
  expect((await t.as('', { method: 'GET', url: '/api/work-order-units' })).statusCode).toBe(401);
});
