/**
 * The units a reader of the work-order report may pick (issue #14): a province's statistician their
 * province's subtree; the province customer-service centre's complaint handler the province it serves —
 * which GET /api/units does not show them — and the report of that province answers; a clerk is refused.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ReportUnit, WorkOrderReport } from '../../src/modules/workorders/contract.ts';
import type { TestApp } from '../support/app.ts';
import { testApp } from '../support/app.ts';

let t: TestApp;
const get = async (who: string, url: string) => t.as(await t.login(who), { method: 'GET', url });

beforeAll(async () => {
  t = await testApp({ customers: 5 });
});
afterAll(() => t.close());

describe('the units of the work-order report', () => {
  it('a centre picks the province it serves; a statistician their province; a clerk none', async () => {
    const own = (await get('cc_complaints', '/api/units')).json() as { code: string }[];
    expect(own.map((u) => u.code)).toEqual(['YC-CC']);
    const res = await get('cc_complaints', '/api/work-orders/report/units');
    expect(res.statusCode, res.body).toBe(200);
    const units = res.json() as ReportUnit[];
    const province = units[0]!;
    expect(province).toMatchObject({ code: 'YC', name: '云川省分公司', timeZone: 'Asia/Shanghai' });
    expect(units.map((u) => u.code)).toEqual(expect.arrayContaining(['YC-CC', 'YC-QY', 'YC-QY-H01']));
    const stats = (await get('yc_stats', '/api/work-orders/report/units')).json() as ReportUnit[];
    expect(stats.map((u) => u.id)).toEqual(units.map((u) => u.id));
    const report = await get(
      'cc_complaints',
      `/api/work-orders/report?unitId=${province.id}&from=2026-03-01&to=2026-03-31`,
    );
    expect(report.statusCode, report.body).toBe(200);
    expect((report.json() as WorkOrderReport).complaintRate.denominator).toBeGreaterThan(0);
    const clerk = await get('qy_clerk', '/api/work-orders/report/units');
    expect(clerk.statusCode).toBe(403);
  });
});
