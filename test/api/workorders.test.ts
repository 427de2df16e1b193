/**
 * Taking a work order in through HTTP (issue #14): the taker owns it (首问负责), the policy in force is
 * matched and recorded with its clocks on the working-day calendar, a repeat complaint is escalated by
 * itself, an appeal carries the regulator's deadline, the due-time table gets its rows; bad input is a
 * bilingual 4xx with nothing written; a sibling city never sees the order.
 */
import { sql } from 'drizzle-orm';
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Category, WorkOrderDetail } from '../../src/modules/workorders/contract.ts';
import { rows } from '../../src/platform/db/index.ts';
import type { TestApp } from '../support/app.ts';
import { testApp, unitIdByCode } from '../support/app.ts';

let t: TestApp;
const cookies: Record<string, string> = {};
let hall: string;
let xkHall: string;
let centre: string;
let customer: { id: string; phone: string };
let categories: Category[];

const as = (who: string) => ({
  get: (url: string) => t.as(cookies[who]!, { method: 'GET', url }),
  post: (url: string, payload: Record<string, unknown>) =>
    t.as(cookies[who]!, { method: 'POST', url, payload }),
});
function ok<T>(res: LightMyRequestResponse, status = 200): T {
  expect(res.statusCode, res.body).toBe(status);
  return res.json() as T;
}
function expectProblem(res: LightMyRequestResponse, status: number, code: string) {
  expect(res.statusCode, res.body).toBe(status);
  expect(res.headers['content-type']).toContain('application/problem+json');
  const body = res.json() as { code: string; messages: Record<string, string> };
  expect(body.code, res.body).toBe(code);
  expect(body.messages['zh-CN']).toMatch(/[\u4e00-\u9fff]/);
  expect(body.messages['en-US']).toBeTruthy();
}
const category = (code: string) => categories.find((c) => c.code === code)!.id;
async function counts() {
  const [r] = await rows<{ orders: number; events: number; timers: number }>(
    t.database.db,
    sql`select (select count(*)::int from work_orders) as orders,
               (select count(*)::int from events where action like 'workorder.%') as events,
               (select count(*)::int from work_order_timers) as timers`,
  );
  return r!;
}
const complaint = (over: Record<string, unknown> = {}) => ({
  kind: 'complaint',
  channel: 'counter',
  customerId: customer.id,
  categoryId: category('service.attitude'),
  concernsUnitId: hall,
  handlingUnitId: centre,
  title: '营业员态度差',
  description: '客户反映办理业务时营业员态度冷淡',
  ...over,
});

beforeAll(async () => {
  t = await testApp({ customers: 12 });
  for (const who of ['qy_complaint', 'qy_manager', 'xk_manager', 'cc_complaints', 'cc_agent1'])
    cookies[who] = await t.login(who);
  hall = await unitIdByCode(t, cookies.qy_manager!, 'YC-QY-H01');
  xkHall = await unitIdByCode(t, cookies.xk_manager!, 'YC-XK-H01');
  centre = await unitIdByCode(t, cookies.cc_complaints!, 'YC-CC');
  const [c] = await rows<{ id: string; phone: string }>(
    t.database.db,
    sql`select id, contact_phone as phone from customers where contact_phone ~ '^1[0-9]{10}$' limit 1`,
  );
  customer = c!;
  categories = ok<Category[]>(await as('qy_complaint').get('/api/work-order-categories'));
}, 120_000);
afterAll(() => t.close());

describe('taking a work order in', () => {
  let first: WorkOrderDetail;

  it('a hall clerk takes a complaint and sends it to the province centre: owner, policy, clocks, timeline', async () => {
    const before = await counts();
    first = ok<WorkOrderDetail>(await as('qy_complaint').post('/api/work-orders', complaint()), 201);
    expect(first.number).toBe('GD202603020001');
    expect(first.state).toBe('new');
    expect(first.owner.name).toBe('朱红');
    expect(first.handlingUnit.id).toBe(centre);
    expect(first.concernsUnit.id).toBe(hall);
    expect(first.policy.id).toBe('default.complaint');
    expect(first.contactPhone).not.toBe(customer.phone);
    expect(first.contactPhone).toContain('*');
    // Monday 10:00 in Shanghai + 2 working days = Wednesday 10:00.
    expect(first.resolutionDueAt).toBe('2026-03-04T02:00:00.000Z');
    expect(first.clocks.resolution.target.en).toBe('2 working days');
    expect(first.clocks.resolution.colour).toBe('green');
    expect(first.clocks.answer?.target.en).toBe('15 days');
    expect(first.responseDueAt).not.toBeNull();
    expect(first.timeline.map((s) => s.step)).toEqual(['created']);
    expect(first.timeline[0]!.label.zh).toBe('受理');
    expect(first.may).toEqual(['note', 'attach', 'link']);
    const after = await counts();
    expect(after.orders).toBe(before.orders + 1);
    expect(after.events).toBe(before.events + 1);
    // The due-time table: the first response and the next escalation step.
    const timers = await rows<{ what: string }>(
      t.database.db,
      sql`select what from work_order_timers where order_id = ${first.id} order by what`,
    );
    expect(timers.map((r) => r.what)).toEqual(['escalation:warn_owner', 'response']);
  });

  it('the province centre sees it and may claim it; the sibling city does not see it at all', async () => {
    const seen = ok<WorkOrderDetail>(await as('cc_complaints').get(`/api/work-orders/${first.id}`));
    expect(seen.may).toContain('claim');
    expectProblem(await as('xk_manager').get(`/api/work-orders/${first.id}`), 404, 'not_found');
  });

  it('a second complaint within the repeat window is an escalated complaint by itself', async () => {
    t.clock.advanceMinutes(60);
    const second = ok<WorkOrderDetail>(await as('qy_complaint').post('/api/work-orders', complaint()), 201);
    expect(second.kind).toBe('escalated_complaint');
    expect(second.escalatedFrom).toBe('repeat');
    expect(second.policy.id).toBe('default.escalated_complaint');
    expect(second.clocks.resolution.target.en).toBe('1 working days');
    expect(second.number).toBe('GD202603020002');
    expect(second.earlier.map((e) => e.number)).toContain(first.number);
  });

  it('an appeal is due at the regulator’s deadline; a mobile fault in plain hours', async () => {
    const deadline = '2026-03-05T09:00:00.000Z';
    const appeal = ok<WorkOrderDetail>(
      await as('cc_agent1').post(
        '/api/work-orders',
        complaint({
          kind: 'appeal',
          channel: 'regulator',
          regulatorRef: 'GX-2026-0117',
          deadline,
          handlingUnitId: undefined,
        }),
      ),
      201,
    );
    expect(appeal.policy.id).toBe('default.appeal');
    expect(appeal.resolutionDueAt).toBe(deadline);
    const fault = ok<WorkOrderDetail>(
      await as('cc_agent1').post(
        '/api/work-orders',
        complaint({
          kind: 'fault',
          channel: 'hotline',
          categoryId: category('network.coverage'),
          attributes: { line: 'mobile' },
          handlingUnitId: undefined,
        }),
      ),
      201,
    );
    expect(fault.policy.id).toBe('default.fault.mobile');
    expect(fault.clocks.resolution.target.en).toBe('48 hours');
    expect(new Date(fault.resolutionDueAt!).getTime() - new Date(fault.createdAt).getTime()).toBe(
      48 * 3_600_000,
    );
  });

  it('bad input: a bilingual 4xx, nothing written', async () => {
    const before = await counts();
    expectProblem(
      await as('qy_complaint').post('/api/work-orders', complaint({ categoryId: customer.id })),
      422,
      'unknown_category',
    );
    expectProblem(
      await as('qy_complaint').post('/api/work-orders', complaint({ handlingUnitId: xkHall })),
      422,
      'handling_unit_out_of_reach',
    );
    expectProblem(
      await as('qy_complaint').post('/api/work-orders', complaint({ kind: 'appeal', channel: 'regulator' })),
      422,
      'work_order_invalid',
    );
    expectProblem(
      await as('qy_complaint').post('/api/work-orders', complaint({ customerId: undefined })),
      422,
      'work_order_invalid',
    );
    expectProblem(
      await as('qy_complaint').post('/api/work-orders', complaint({ concernsUnitId: xkHall })),
      403,
      'scope',
    );
    expectProblem(
      await as('qy_complaint').post('/api/work-orders', complaint({ title: '' })),
      400,
      'validation',
    );
    expect(await counts()).toEqual(before);
  });
});
