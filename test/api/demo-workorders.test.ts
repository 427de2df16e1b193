/**
 * The demo installation's work orders (issue #14): made through the commands by the people who would make
 * them, one in each state the console shows, each with its timeline, clocks and owner.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { WorkOrder, WorkOrderDetail } from '../../src/modules/workorders/contract.ts';
import type { TestApp } from '../support/app.ts';
import { testApp } from '../support/app.ts';

let t: TestApp;
beforeAll(async () => {
  t = await testApp({ customers: 8, workOrders: true });
}, 120_000);
afterAll(() => t.close());

it('seeds a waiting complaint, a dispatched fault, a replied complaint, a closed consultation and an appeal', async () => {
  const handler = await t.login('cc_complaints');
  const res = await t.as(handler, { method: 'GET', url: '/api/work-orders?limit=50' });
  expect(res.statusCode, res.body).toBe(200);
  const page = res.json() as { items: WorkOrder[]; total: number };
  const byTitle = Object.fromEntries(page.items.map((o) => [o.title, o]));
  expect(page.total).toBe(5);
  expect(byTitle['排队等候超过 40 分钟']).toMatchObject({ kind: 'complaint', state: 'new' });
  expect(byTitle['家庭宽带每晚掉线']).toMatchObject({ kind: 'fault', state: 'dispatched' });
  expect(byTitle['未订购的增值业务扣费']).toMatchObject({ state: 'replied', owner: { name: '朱红' } });
  expect(byTitle['如何开通自动缴费']).toMatchObject({ kind: 'consultation', state: 'closed' });
  expect(byTitle['用户申诉：营业厅排队时间过长']).toMatchObject({
    kind: 'appeal',
    regulatorRef: 'GXB-YC-2026-0001',
  });
  const replied = await t.as(handler, {
    method: 'GET',
    url: `/api/work-orders/${byTitle['未订购的增值业务扣费']!.id}`,
  });
  const detail = replied.json() as WorkOrderDetail;
  expect(detail.timeline.map((s) => s.step)).toEqual(['created', 'assigned', 'answered', 'replied']);
  expect(detail.customer).not.toBeNull();
});
