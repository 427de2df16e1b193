/**
 * What taking an order in and handing it on needs (issue #14): the caller found by their whole number by
 * the people who take orders in (masked, with their earlier orders, rate-limited, an event with the number
 * masked), where a taker may send new work, and whom a supervisor may assign or transfer an order to.
 */
import { sql } from 'drizzle-orm';
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NUMBER_SEARCH_LIMIT } from '../../src/modules/customers/service.ts';
import type { Category, IntakeCaller, WorkOrderDetail } from '../../src/modules/workorders/contract.ts';
import { rows } from '../../src/platform/db/index.ts';
import type { TestApp } from '../support/app.ts';
import { testApp } from '../support/app.ts';

let t: TestApp;
const cookies: Record<string, string> = {};
const units: Record<string, string> = {};
let customer: { id: string; phone: string };
let category: Category;

const get = (who: string, url: string) => t.as(cookies[who]!, { method: 'GET', url });
function ok<T>(res: LightMyRequestResponse, status = 200): T {
  expect(res.statusCode, res.body).toBe(status);
  return res.json() as T;
}
const eventsOf = async (action: string) =>
  rows<{ after: Record<string, unknown> }>(
    t.database.db,
    sql`select after from events where action = ${action} order by at, id`,
  );

beforeAll(async () => {
  t = await testApp({ customers: 12 });
  for (const who of ['qy_complaint', 'cc_agent1', 'cc_complaints', 'qy_clerk', 'xk_manager', 'qy_net'])
    cookies[who] = await t.login(who);
  for (const [key, code] of Object.entries({
    hall: 'YC-QY-H01',
    centre: 'YC-CC',
    net: 'YC-QY-NET',
    xkHall: 'YC-XK-H01',
  })) {
    const [u] = await rows<{ id: string }>(t.database.db, sql`select id from units where code = ${code}`);
    units[key] = u!.id;
  }
  const [c] = await rows<{ id: string; phone: string }>(
    t.database.db,
    sql`select c.id, s.number as phone from customers c join subscriptions s on s.customer_id = c.id
        where s.status = 'active' and s.number ~ '^1[0-9]{10}$' order by c.id limit 1`,
  );
  customer = c!;
  category = ok<Category[]>(await get('qy_complaint', '/api/work-order-categories')).find(
    (x) => x.code === 'service.attitude',
  )!;
}, 120_000);
afterAll(() => t.close());

describe('who is calling', () => {
  let order: WorkOrderDetail;

  it('a call-centre agent (who may not search customers by number) finds the caller by the whole number', async () => {
    const before = await eventsOf('customer.number_searched');
    const found = ok<IntakeCaller>(await get('cc_agent1', `/api/work-orders/caller?phone=${customer.phone}`));
    expect(found.customer?.id).toBe(customer.id);
    expect(found.customer?.phone).toMatch(/\*{4}/);
    expect(found.customer?.subscriptions.length).toBeGreaterThan(0);
    for (const s of found.customer!.subscriptions) expect(s.number).not.toBe(customer.phone);
    expect(JSON.stringify(found)).not.toContain(customer.phone);
    expect(found.earlier).toEqual([]);
    // The lookup is an event, with the number masked and never findable by its digits.
    const after = await eventsOf('customer.number_searched');
    expect(after.length).toBe(before.length + 1);
    const event = JSON.stringify(after.at(-1)!.after);
    expect(event).not.toContain(customer.phone);
    expect(event).not.toContain(customer.phone.slice(3, 7));
    expect(after.at(-1)!.after).toMatchObject({ found: 1, for: 'work_order' });
  });

  it('shows the caller’s earlier orders to those who may read them, not to the other city', async () => {
    order = ok<WorkOrderDetail>(
      await t.as(cookies.qy_complaint!, {
        method: 'POST',
        url: '/api/work-orders',
        payload: {
          kind: 'complaint',
          channel: 'counter',
          customerId: customer.id,
          categoryId: category.id,
          concernsUnitId: units.hall,
          handlingUnitId: units.centre,
          title: '营业员态度差',
          description: '客户在营业厅反映',
        },
      }),
      201,
    );
    const agent = ok<IntakeCaller>(await get('cc_agent1', `/api/work-orders/caller?phone=${customer.phone}`));
    expect(agent.earlier.map((e) => e.number)).toEqual([order.number]);
    const sibling = ok<IntakeCaller>(
      await get('xk_manager', `/api/work-orders/caller?phone=${customer.phone}`),
    );
    expect(sibling.customer?.id).toBe(customer.id); // a customer may walk into any hall of the province
    expect(sibling.earlier).toEqual([]);
  });

  it('a number nobody has finds nobody; a part of a number is refused, not searched', async () => {
    const none = ok<IntakeCaller>(await get('qy_complaint', '/api/work-orders/caller?phone=13999999999'));
    expect(none).toEqual({ customer: null, earlier: [] });
    for (const bad of [customer.phone.slice(0, 7), `${customer.phone.slice(0, 10)}%`, '']) {
      const res = await get('qy_complaint', `/api/work-orders/caller?phone=${encodeURIComponent(bad)}`);
      expect(res.statusCode, bad).toBe(400);
      expect(res.headers['content-type']).toContain('application/problem+json');
    }
  });

  it('is limited per person per hour, as searches by number are', async () => {
    let last: LightMyRequestResponse | undefined;
    for (let i = 0; i <= NUMBER_SEARCH_LIMIT.max; i++) {
      last = await get('qy_net', `/api/work-orders/caller?phone=13999999998`);
      if (last.statusCode !== 200) break;
    }
    expect(last!.statusCode).toBe(429);
    expect(last!.headers['retry-after']).toBeTruthy();
  });

  it('where a taker may send new work: their own unit first, the centres serving them, not another city', async () => {
    const hall = ok<{ id: string; kind: string }[]>(
      await get('qy_complaint', '/api/work-order-handling-units'),
    );
    expect(hall[0]!.id).toBe(units.hall);
    expect(hall.map((u) => u.id)).toContain(units.centre);
    expect(hall.map((u) => u.id)).not.toContain(units.xkHall);
    expect(hall.map((u) => u.id)).not.toContain(units.net); // a department is reached by dispatch
    const centre = ok<{ id: string }[]>(await get('cc_agent1', '/api/work-order-handling-units'));
    expect(centre[0]!.id).toBe(units.centre);
    expect(centre.map((u) => u.id)).toEqual(expect.arrayContaining([units.hall, units.xkHall, units.net]));
    // Every unit listed is one a new order may really be sent to.
    for (const u of hall) {
      const res = await t.as(cookies.qy_complaint!, {
        method: 'POST',
        url: '/api/work-orders',
        payload: {
          kind: 'consultation',
          channel: 'counter',
          contactPhone: '13900002222',
          categoryId: category.id,
          concernsUnitId: units.hall,
          handlingUnitId: u.id,
          title: '咨询',
          description: '咨询套餐',
        },
      });
      expect(res.statusCode, res.body).toBe(201);
    }
  });

  it('whom a supervisor may assign or transfer to; nobody else may ask', async () => {
    const assign = ok<{ staffId: string; name: string; unit: { id: string } }[]>(
      await get('cc_complaints', `/api/work-orders/${order.id}/people?for=assign`),
    );
    expect(assign.map((p) => p.name)).toEqual(expect.arrayContaining(['萧然', '田甜']));
    expect(assign.every((p) => p.unit.id === units.centre)).toBe(true);
    const transfer = ok<{ staffId: string; name: string }[]>(
      await get('cc_complaints', `/api/work-orders/${order.id}/people?for=transfer`),
    );
    expect(transfer.map((p) => p.name)).not.toContain('朱红'); // the owner already
    expect(transfer.map((p) => p.name)).toEqual(expect.arrayContaining(['王丽华', '萧然']));
    // Each one listed is accepted by the command itself.
    const target = assign[0]!;
    const res = await t.as(cookies.cc_complaints!, {
      method: 'POST',
      url: `/api/work-orders/${order.id}/assign`,
      payload: { staffId: target.staffId, version: order.version },
    });
    expect(res.statusCode, res.body).toBe(200);
    // An agent (no supervision) is refused; the other city does not see the order at all.
    expect((await get('cc_agent1', `/api/work-orders/${order.id}/people?for=assign`)).statusCode).toBe(403);
    expect((await get('xk_manager', `/api/work-orders/${order.id}/people?for=assign`)).statusCode).toBe(404);
    expect((await get('cc_complaints', `/api/work-orders/${order.id}/people?for=nobody`)).statusCode).toBe(
      400,
    );
  });
});
