/**
 * The statistics table as an Excel file: the same rows and figures as the statistics API for every
 * grouping, opened with exceljs; scoped and authorised like the statistics; a figure added to the rows
 * later (e.g. ratings) becomes a column with its label.
 */
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Stats } from '../../src/modules/queue/contract.ts';
import { statsColumns } from '../../src/modules/queue/stats-export.ts';
import { simulateDay } from '../../src/modules/queue/simulate.ts';
import type { TestApp } from '../support/app.ts';
import { testApp, unitIdByCode } from '../support/app.ts';

let t: TestApp;
let manager: string;
let hallId: string;
const DATE = '2026-03-03';

beforeAll(async () => {
  t = await testApp({ customers: 30 });
  manager = await t.login('qy_manager');
  hallId = (await simulateDay(t.database.db, { hall: 'YC-QY-H01', date: DATE, seed: 7, load: 0.2 })).hallId;
}, 240_000);
afterAll(() => t.close());

async function sheetOf(body: Buffer): Promise<(string | number | null)[][]> {
  const book = new ExcelJS.Workbook();
  await book.xlsx.load(body as unknown as ArrayBuffer);
  const ws = book.worksheets[0]!;
  const out: (string | number | null)[][] = [];
  ws.eachRow((row) => {
    out.push((row.values as (string | number | null)[]).slice(1).map((v) => v ?? null));
  });
  return out;
}

describe('statistics to Excel', () => {
  for (const by of ['day', 'category', 'counter', 'clerk'] as const) {
    it(`by ${by}: the rows and figures of the statistics`, async () => {
      const q = `unitId=${hallId}&from=${DATE}&to=${DATE}&by=${by}`;
      const json = (await t.as(manager, { method: 'GET', url: `/api/queue/stats?${q}` })).json() as Stats;
      const res = await t.as(manager, { method: 'GET', url: `/api/queue/stats/export?${q}` });
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-type']).toContain('spreadsheetml');
      expect(res.headers['content-disposition']).toContain(`queue-stats-${by}-${DATE}-${DATE}.xlsx`);
      const sheet = await sheetOf(res.rawPayload);
      const [header, ...rows] = sheet;
      expect(header![1]).toBe('取号数 Tickets');
      expect(rows.length).toBe(json.rows.length);
      expect(json.rows.length).toBeGreaterThan(0);
      json.rows.forEach((r, i) => {
        expect(rows[i]![0]).toBe(r.label);
        expect(rows[i]![1]).toBe(r.tickets);
        expect(rows[i]![2]).toBe(r.served);
        const avg = header!.indexOf('平均等待（分钟） Average wait (min)');
        expect(rows[i]![avg]).toBe(
          r.wait.averageMinutes === null ? null : Math.round(r.wait.averageMinutes * 10) / 10,
        );
      });
      // no customer's phone or ID number in a statistics file
      expect(JSON.stringify(sheet)).not.toMatch(/1[3-9]\d{9}|\d{17}[\dX]/);
    });
  }

  it('is refused where the statistics are: a clerk, and a manager for another hall', async () => {
    const clerk = await t.login('qy_clerk');
    const q = `unitId=${hallId}&from=${DATE}&to=${DATE}&by=day`;
    expect((await t.as(clerk, { method: 'GET', url: `/api/queue/stats/export?${q}` })).statusCode).toBe(403);
    const other = await unitIdByCode(t, manager, 'YC-XK-H01').catch(() => null);
    if (other) {
      const res = await t.as(manager, {
        method: 'GET',
        url: `/api/queue/stats/export?unitId=${other}&from=${DATE}&to=${DATE}&by=day`,
      });
      expect([403, 404]).toContain(res.statusCode);
    }
    const bad = await t.as(manager, {
      method: 'GET',
      url: `/api/queue/stats/export?unitId=${hallId}&from=${DATE}&to=2026-03-01`,
    });
    expect(bad.statusCode).toBe(400);
  });

  it('a figure added to the rows later becomes a column named by its label', () => {
    const row = {
      key: 'k',
      label: '1号窗口',
      tickets: 3,
      served: 2,
      noShows: 1,
      notServed: 0,
      cancelled: 0,
      transferred: 0,
      open: 0,
      byChannel: { kiosk: 3 },
      wait: { count: 3, averageMinutes: 4, p90Minutes: 6, withinLimitShare: 1, limitsMinutes: [30] },
      normalWait: { count: 3, averageMinutes: 4, p90Minutes: 6, withinLimitShare: 1, limitsMinutes: [30] },
      vipWait: {
        count: 0,
        averageMinutes: null,
        p90Minutes: null,
        withinLimitShare: null,
        limitsMinutes: [5],
      },
      transaction: { count: 2, averageMinutes: 7, p90Minutes: 9, withinLimitShare: 0.5, limitsMinutes: [10] },
      averageSellingMinutes: null,
      ratings: { count: 2, average: 4.5, byScore: [0, 0, 0, 1, 1], satisfiedShare: 1, unsatisfiedShare: 0 },
    };
    const columns = statsColumns({ unitId: 'u', from: DATE, to: DATE, by: 'counter', rows: [row] });
    const rating = columns.filter((c) => c.header.startsWith('服务评价 Ratings'));
    expect(rating.map((c) => c.header)).toEqual([
      '服务评价 Ratings · 数量 Count',
      '服务评价 Ratings · 平均 Average',
      '服务评价 Ratings · 满意率（4–5分） Satisfied share (4–5)',
      '服务评价 Ratings · 不满意率（1–2分） Unsatisfied share (1–2)',
    ]);
    expect(rating.map((c) => c.value(row))).toEqual([2, 4.5, 1, 0]);
  });
});
