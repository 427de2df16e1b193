/**
 * The customer-data indicators in the browser (2§3.7, 2–4) after real counter business: the hall manager's
 * `/data-quality` counts a visit signed and closed at the counter (complete and timely one more, its record
 * listed in the drill-down as complete in time), then a correction after signing by the clerk shows as an
 * error found, by the clerk named. The visit is set up through the API (the browser flow of a visit is
 * visit.test.ts's); the browser's clock is the server's day, so the page's default period (this month so far)
 * holds it. Screenshots in zh-CN and en-US.
 */
import { sql } from 'drizzle-orm';
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, expect, it } from 'vitest';
import { DEMO_PASSWORD } from '../../src/modules/demo/seed.ts';
import { rows } from '../../src/platform/db/index.ts';
import { fixtureSignatureDataUrl } from '../support/document-fixture.ts';
import type { Served } from './support.ts';
import {
  apiAs,
  counterIds,
  describeInBrowser,
  launch,
  logIn,
  newPage,
  screenshot,
  serve,
} from './support.ts';

const START = '2026-03-02T02:00:00.000Z'; // Monday 10:00 in Asia/Shanghai
let served: Served;
let browser: Browser;
let hallId: string;

interface VisitBody {
  id: string;
  lines: { id: string; businessCode: string }[];
  totals: { balanceFen: number };
}

/** A signed, closed visit of the hall: a plan change for a customer whose record is complete. */
async function signedVisit(): Promise<{ visitId: string; lineId: string }> {
  const [c] = await rows<{ customerId: string; subId: string; doc: string }>(
    served.database.db,
    sql`select c.id as "customerId", s.id as "subId", c.id_doc_number as doc
          from customers c join subscriptions s on s.customer_id = c.id join units u on u.id = ${hallId}
         where c.kind = 'individual' and c.id_doc_kind = 'resident_id' and c.address <> ''
           and c.unit_path like u.path || '%' and s.kind = 'mobile' and s.status = 'active'
         order by c.id limit 1`,
  );
  expect(c, 'a complete individual of the hall').toBeDefined();
  const clerk = await apiAs(served.url, 'qy_clerk');
  const counter = (await counterIds(served.url, hallId))[1]!;
  await clerk.post(`/api/counters/${counter}/open`);
  const visit = await clerk.post<VisitBody>('/api/visits', { counterId: counter, customerId: c!.customerId });
  const added = await clerk.post<VisitBody>(`/api/visits/${visit.id}/transactions`, {
    businessCode: 'plan_change',
    subscriptionId: c!.subId,
    values: { plan: 'A-96', effective: 'now' },
    identity: { document: { kind: 'resident_id', number: c!.doc } },
  });
  if (added.totals.balanceFen > 0)
    await clerk.post(`/api/visits/${visit.id}/payments`, {
      method: 'cash',
      amountFen: added.totals.balanceFen,
    });
  await clerk.post(`/api/visits/${visit.id}/sign`, { signature: fixtureSignatureDataUrl() });
  await clerk.post(`/api/visits/${visit.id}/close`);
  return { visitId: visit.id, lineId: added.lines.find((l) => l.businessCode === 'plan_change')!.id };
}

/** The hall's figure of an indicator as its cell reads: [numerator, denominator]. */
async function cell(page: Page, indicator: string): Promise<[number, number]> {
  const text = await page.getByTestId(`dq-cell-${hallId}-${indicator}`).innerText();
  const m = /\((\d+)\/(\d+)\)/.exec(text);
  expect(m, text).not.toBeNull();
  return [Number(m![1]), Number(m![2])];
}

describeInBrowser('data quality after counter business', () => {
  beforeAll(async () => {
    browser = await launch();
  });
  afterAll(async () => {
    await browser?.close();
  });
  beforeEach(async () => {
    served = await serve({ start: START, customers: 20 });
    const admin = await apiAs(served.url, 'admin');
    const units = await admin.get<{ id: string; code: string }[]>('/api/units');
    hallId = units.find((u) => u.code === 'YC-QY-H01')!.id;
  });
  afterEach(async () => {
    for (const context of browser.contexts()) await context.close();
    await served?.close();
  });

  it('counts a signed, closed visit, lists its record, and shows a correction after signing as an error found', async () => {
    const page = await newPage(browser);
    await page.clock.setFixedTime(new Date(START));
    await logIn(page, served.url, 'qy_manager', DEMO_PASSWORD);
    await page.goto(`${served.url}/data-quality`);
    await page.getByTestId(`dq-cell-${hallId}-complete_timely`).waitFor();
    const [n0, d0] = await cell(page, 'complete_timely');
    const [e0, entered0] = await cell(page, 'error_rate');

    const { visitId } = await signedVisit();
    await page.getByRole('button', { name: '刷新' }).click();
    await page
      .getByTestId(`dq-cell-${hallId}-complete_timely`)
      .getByText(`(${n0 + 1}/${d0 + 1})`, { exact: false })
      .waitFor();
    expect(await cell(page, 'error_rate')).toEqual([e0, entered0 + 1]);

    // The drill-down lists the record: the plan change, complete in time.
    await page.getByTestId(`dq-cell-${hallId}-complete_timely`).click();
    const drawer = page.getByRole('dialog');
    const row = drawer.locator('tbody tr', { hasText: '套餐变更' });
    await expect.poll(() => row.innerText()).toContain('合格');
    expect(await row.innerText()).toContain('资料完整及时');
    expect(await drawer.locator('tbody tr', { hasText: '套餐变更' }).count()).toBe(1);
    await drawer.locator('.ant-drawer-close').click();
    await expect.poll(() => drawer.isVisible()).toBe(false);

    // A correction after signing, found by the clerk who entered it: an error, the clerk named.
    const clerk = await apiAs(served.url, 'qy_clerk');
    const visit = await clerk.get<VisitBody>(`/api/visits/${visitId}`);
    const line = visit.lines.find((l) => l.businessCode === 'plan_change')!;
    await clerk.post(`/api/visits/${visitId}/lines/${line.id}/corrections`, {
      field: 'effective',
      value: 'nextMonth',
      reason: '客户要求次月生效，录入有误',
      foundBy: 'self',
    });
    await page.getByRole('button', { name: '刷新' }).click();
    await page
      .getByTestId(`dq-cell-${hallId}-error_rate`)
      .getByText(`(${e0 + 1}/${entered0 + 1})`, { exact: false })
      .waitFor();
    await page.getByTestId(`dq-cell-${hallId}-error_rate`).click();
    const error = drawer.locator('tbody tr', { hasText: '套餐变更' });
    await expect.poll(() => error.innerText()).toContain('由张悦（经办人本人）发现');
    expect(await error.innerText()).toContain('差错');
    await screenshot(page, 'data-quality-errors-zh-1440');
    await drawer.locator('.ant-drawer-close').click();
    await expect.poll(() => drawer.isVisible()).toBe(false);
    await screenshot(page, 'data-quality-zh-1440');

    await page.getByTestId('lang-switch').click();
    await page.getByText('Customer data quality').first().waitFor();
    await page.getByTestId(`dq-cell-${hallId}-error_rate`).click();
    await expect.poll(() => drawer.innerText()).toContain('Error found by 张悦 (who entered it)');
    await screenshot(page, 'data-quality-errors-en-1440');
  });
});
