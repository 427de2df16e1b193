/**
 * Repair intake in the browser (2§2.1.7, checklist item 15): a clerk serving a called ticket takes the
 * customer's phone in from the visit panel's customer card (device, IMEI by its Luhn digit, fault, the
 * intake check, a spare phone lent); a wrong check digit is refused in place with the server's message in
 * each language; the after-sales clerk moves the repair received → sent → returned → collected on
 * `/repairs` (collecting refused while the spare is out, then the spare taken back); the visit panel lists
 * the repair while it is open and not once it is collected. Screenshots of `/repairs` in zh-CN and en-US.
 */
import { sql } from 'drizzle-orm';
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, expect, it } from 'vitest';
import { luhnValid } from '../../src/core/business-catalogue.ts';
import { DEMO_PASSWORD } from '../../src/modules/demo/seed.ts';
import type { Repair } from '../../src/modules/repairs/contract.ts';
import { rows } from '../../src/platform/db/index.ts';
import type { Served } from './support.ts';
import { apiAs, describeInBrowser, launch, logIn, newPage, screenshot, serve } from './support.ts';

const START = '2026-03-02T02:00:00.000Z'; // Monday 10:00 in Asia/Shanghai
const IMEI = '490154203237518';
const BAD_IMEI = '490154203237519';
const SPARE = '356938035643809';
let served: Served;
let browser: Browser;
let hallId: string;

/** A customer of the hall with a contact phone, by which the guide's ticket finds them. */
async function hallCustomer(): Promise<{ id: string; phone: string }> {
  const [c] = await rows<{ id: string; phone: string }>(
    served.database.db,
    sql`select c.id, c.contact_phone as phone from customers c join units u on u.id = ${hallId}
         where c.kind = 'individual' and c.contact_phone <> '' and c.unit_path like u.path || '%'
         order by c.id limit 1`,
  );
  expect(c, 'a customer of the hall').toBeDefined();
  return c!;
}

/** Fills the intake form of the visit panel's repairs card, the IMEI as given. */
async function fillIntake(page: Page, imei: string): Promise<void> {
  await page.getByTestId('repair-intake').click();
  await page.getByTestId('repair-brand').fill('华为');
  await page.getByTestId('repair-model').fill('Mate 60');
  await page.getByTestId('repair-imei').fill(imei);
  await page.getByTestId('repair-fault').fill('屏幕不亮，充电无反应');
  await page.getByTestId('repair-appearance').fill('后盖轻微划痕');
  await page.getByTestId('repair-timeline').check();
  await page.getByTestId('repair-spare-imei').fill(SPARE);
  await page.getByTestId('repair-submit').click();
}

/** The error shown under the IMEI field of the intake form. */
const imeiError = (page: Page) =>
  page.locator('.ant-form-item:has([data-testid="repair-imei"]) .ant-form-item-explain-error');

describeInBrowser('repair intake at the counter and on /repairs', () => {
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

  it('a clerk takes a repair in for the visit’s customer; it is sent, returned and collected on /repairs', async () => {
    expect(luhnValid(IMEI) && luhnValid(SPARE) && !luhnValid(BAD_IMEI)).toBe(true);
    const customer = await hallCustomer();
    const guide = await apiAs(served.url, 'qy_guide');
    const ticket = await guide.post<{ number: string }>(`/api/halls/${hallId}/tickets`, {
      category: 'business',
      phone: customer.phone,
    });
    const page = await newPage(browser);
    await logIn(page, served.url, 'qy_clerk', DEMO_PASSWORD);
    await page.getByTestId('counter-open-1').click();
    await page.getByTestId('counter-call-next').click();
    await page.getByTestId('current-number').getByText(ticket.number).waitFor();
    await page.getByTestId('visit-serve').click();
    await page.getByTestId('visit-customer-name').waitFor();
    const card = page.getByTestId('visit-repairs');
    await card.getByText('暂无维修单').waitFor();

    // A wrong check digit: refused in place under the field, with the server's words, in each language.
    await fillIntake(page, BAD_IMEI);
    await imeiError(page).getByText('IMEI校验位错误').waitFor();
    expect(await page.getByTestId('repair-imei').inputValue()).toBe(BAD_IMEI);
    await page.getByRole('dialog').getByRole('button', { name: '取消' }).click();
    await page.getByRole('dialog').waitFor({ state: 'hidden' });
    await page.getByTestId('lang-switch').click();
    await card.getByText('No repairs').waitFor();
    await fillIntake(page, BAD_IMEI);
    await imeiError(page).getByText('The IMEI check digit is wrong').waitFor();
    expect(await rows(served.database.db, sql`select id from repairs`)).toEqual([]);

    // Corrected: taken in, listed on the customer card while open.
    await page.getByTestId('repair-imei').fill(IMEI);
    await page.getByTestId('repair-submit').click();
    await page.getByRole('dialog').waitFor({ state: 'hidden' });
    await card.getByText(IMEI).waitFor();
    await card.getByText(`${SPARE} · Lent`).waitFor();
    await screenshot(page, 'repairs-visit-panel-en-1440');

    const aftersales = await apiAs(served.url, 'qy_aftersales');
    const listed = await aftersales.get<{ items: Repair[] }>(`/api/repairs?customerId=${customer.id}`);
    expect(listed.items).toHaveLength(1);
    const repair = listed.items[0]!;
    const [visit] = await rows<{ id: string }>(
      served.database.db,
      sql`select id from visits where customer_id = ${customer.id} and status = 'open'`,
    );
    expect(repair).toMatchObject({
      hallId,
      customerId: customer.id,
      visitId: visit!.id,
      brand: '华为',
      model: 'Mate 60',
      imei: IMEI,
      fault: '屏幕不亮，充电无反应',
      status: 'received',
      spareImei: SPARE,
      spareReturnedAt: null,
      intakeCheck: { appearance: '后盖轻微划痕', powersOn: true, dataBackedUp: false, timelineTold: true },
    });

    // The after-sales clerk moves it on at /repairs.
    const desk = await newPage(browser);
    await logIn(desk, served.url, 'qy_aftersales', DEMO_PASSWORD);
    await desk.goto(`${served.url}/repairs`);
    await desk.getByTestId('page-repairs').waitFor();
    const status = desk.getByTestId(`repair-status-${repair.id}`);
    await status.getByText('已受理').waitFor();
    await desk.getByTestId('repairs-status').getByText('全部').click();
    await desk.getByTestId(`repair-step-${repair.id}`).click();
    await status.getByText('已送修').waitFor();
    await desk.getByTestId(`repair-step-${repair.id}`).click();
    await status.getByText('已返厅').waitFor();
    await screenshot(desk, 'repairs-page-zh-1440');
    // Handing over while the spare is out is refused; the spare back, then handed over.
    await desk.getByTestId(`repair-step-${repair.id}`).click();
    await desk.getByText('备用机尚未归还', { exact: false }).first().waitFor();
    await status.getByText('已返厅').waitFor();
    await desk.getByTestId(`repair-spare-${repair.id}`).click();
    await desk.getByTestId('page-repairs').getByText(`${SPARE} · 已归还`).waitFor();
    await desk.getByTestId(`repair-step-${repair.id}`).click();
    await status.getByText('已取机').waitFor();
    await desk.getByTestId(`repair-step-${repair.id}`).waitFor({ state: 'detached' });
    await desk.getByTestId('lang-switch').click();
    await status.getByText('Collected').waitFor();
    await desk.locator('.ant-message-notice').last().waitFor({ state: 'detached', timeout: 15_000 });
    await screenshot(desk, 'repairs-page-en-1440');

    const done = await aftersales.get<Repair>(`/api/repairs/${repair.id}`);
    expect(done.status).toBe('collected');
    expect(done.sentAt && done.returnedAt && done.collectedAt && done.spareReturnedAt).toBeTruthy();
    const steps = await rows<{ action: string }>(
      served.database.db,
      sql`select action from events where subject_id = ${repair.id} order by action`,
    );
    expect(steps.map((s) => s.action)).toEqual([
      'repair.received',
      'repair.spare_returned',
      'repair.stepped',
      'repair.stepped',
      'repair.stepped',
    ]);

    // Collected: the customer card of the still-open visit no longer lists it.
    await page.reload();
    await page.getByTestId('visit-customer-name').waitFor();
    await card.getByText('No repairs').waitFor();
    expect(await card.innerText()).not.toContain(IMEI);
  });
});
