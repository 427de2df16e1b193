/**
 * Counter business acceptance end to end (issue #13), in headless Chromium against the real server: a clerk
 * calls a ticket, serves it, does three pieces of business for the ticket's customer (one refused first for a
 * missing document, then done with it), takes cash and gives change, the customer signs once on the second
 * screen (the counter's pad, its own device token), the PDF's text holds all three with the right total, the
 * visit closes and the ticket is finished; the pad's password keypad verifies a service password; a walk-in
 * opens a new account with an ID copy. The pad's canvas, keypad and buttons are measured in view on a
 * 1280×800 tablet and a 1080×1920 portrait screen; screenshots in zh-CN and en-US.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, expect, it } from 'vitest';
import { DEMO_PASSWORD } from '../../src/modules/demo/seed.ts';
import { hashPassword } from '../../src/platform/auth/password.ts';
import { rows } from '../../src/platform/db/index.ts';
import type { Served } from './support.ts';
import {
  apiAs,
  choose,
  counterIds,
  describeInBrowser,
  launch,
  logIn,
  newPage,
  screenshot,
  serve,
} from './support.ts';

const START = '2026-03-02T02:00:00.000Z'; // Monday 10:00 in Asia/Shanghai
const SLOW = 180_000;
let served: Served;
let browser: Browser;
let hallId: string;
let counter1: string;

/** Draws a signature across a canvas with the mouse, as a finger would. */
export async function drawOn(page: Page, testId: string): Promise<void> {
  const canvas = page.getByTestId(testId);
  await canvas.scrollIntoViewIfNeeded();
  const box = (await canvas.boundingBox())!;
  await page.mouse.move(box.x + box.width * 0.15, box.y + box.height * 0.6);
  await page.mouse.down();
  for (let i = 1; i <= 12; i++) {
    await page.mouse.move(
      box.x + box.width * (0.15 + i * 0.055),
      box.y + box.height * (0.6 - 0.25 * Math.sin(i)),
      {
        steps: 2,
      },
    );
  }
  await page.mouse.up();
}

/** The element lies wholly inside the viewport (no scrolling needed to reach it). */
async function inView(page: Page, testId: string): Promise<void> {
  const box = await page.getByTestId(testId).boundingBox();
  const vp = page.viewportSize()!;
  expect(box, testId).not.toBeNull();
  expect(box!.x, `${testId} left`).toBeGreaterThanOrEqual(0);
  expect(box!.y, `${testId} top`).toBeGreaterThanOrEqual(0);
  expect(box!.x + box!.width, `${testId} right`).toBeLessThanOrEqual(vp.width + 0.5);
  expect(box!.y + box!.height, `${testId} bottom`).toBeLessThanOrEqual(vp.height + 0.5);
}

interface DemoCustomer {
  id: string;
  phone: string;
  doc: string;
  subId: string;
}

/** An individual of the hall with a resident ID and an active mobile number out of any contract period. */
async function demoCustomer(): Promise<DemoCustomer> {
  const [c] = await rows<DemoCustomer>(
    served.database.db,
    sql`select c.id, c.contact_phone as phone, c.id_doc_number as doc, s.id as "subId"
          from customers c join subscriptions s on s.customer_id = c.id
          join units u on u.id = ${hallId}
         where c.kind = 'individual' and c.id_doc_kind = 'resident_id' and c.contact_phone <> ''
           and c.unit_path like u.path || '%'
           and s.kind = 'mobile' and s.status = 'active'
           and (s.contract_until is null or s.contract_until < '2026-03-02')
           and (s.subsidy_until is null or s.subsidy_until < '2026-03-02')
         order by c.id limit 1`,
  );
  expect(c, 'a demo customer with a mobile number').toBeDefined();
  return c!;
}

async function padPage(viewport = { width: 1280, height: 800 }): Promise<Page> {
  const manager = await apiAs(served.url, 'qy_manager');
  const { token } = await manager.post<{ token: string }>('/api/tokens', {
    kind: 'device',
    unitId: hallId,
    label: '1号窗口评价器',
    positions: ['device_rating_pad'],
    counterId: counter1,
  });
  const pad = await newPage(browser, viewport);
  await pad.goto(`${served.url}/pad?token=${token}`);
  await pad.getByTestId('page-pad').waitFor();
  return pad;
}

async function clerkAtCounter(): Promise<Page> {
  const page = await newPage(browser);
  await logIn(page, served.url, 'qy_clerk', DEMO_PASSWORD);
  await page.getByTestId('counter-open-1').click();
  await page.getByTestId('counter-call-next').waitFor();
  return page;
}

async function pickBusiness(page: Page, typed: string, code: string): Promise<void> {
  const search = page.getByTestId('visit-catalogue-search');
  await search.fill(typed);
  await page.getByTestId(`visit-type-${code}`).waitFor();
  await search.press('Enter');
  await page.getByTestId('visit-business-form').waitFor();
}

/** The business acts on the customer's number: the first one offered unless one is chosen already. */
async function subscriptionOf(page: Page): Promise<void> {
  const select = page.getByTestId('visit-subscription');
  if ((await select.innerText()).includes('*')) return;
  await select.click();
  await select.locator('input').press('Enter');
  await select.getByText('*', { exact: false }).waitFor();
}

describeInBrowser('counter business acceptance (the visit)', () => {
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
    counter1 = (await counterIds(served.url, hallId))[1]!;
  });
  afterEach(async () => {
    for (const context of browser.contexts()) await context.close();
    await served?.close();
  });

  it(
    'a called ticket: three pieces of business (one refused first), cash with change, signed once on the pad, PDF, closed',
    async () => {
      const customer = await demoCustomer();
      const guide = await apiAs(served.url, 'qy_guide');
      const ticket = await guide.post<{ id: string; number: string }>(`/api/halls/${hallId}/tickets`, {
        category: 'business',
        phone: customer.phone,
      });
      const pad = await padPage();
      const page = await clerkAtCounter();
      await page.getByTestId('counter-call-next').click();
      await page.getByTestId('current-number').getByText(ticket.number).waitFor();
      await page.getByTestId('visit-serve').click();
      await page.getByTestId('visit-customer-name').waitFor();
      // Masked: never the whole phone or ID number on the panel.
      const panelText = await page.getByTestId('visit-panel').innerText();
      expect(panelText).not.toContain(customer.phone);
      expect(panelText).not.toContain(customer.doc);

      // SIM replacement (pinyin bhk), first without the document: refused in place, the form kept.
      await pickBusiness(page, 'bhk', 'sim_replace');
      await subscriptionOf(page);
      await page.getByTestId('visit-field-iccid').fill('8986001234567890123');
      await choose(page, 'visit-field-reason', '丢失补卡');
      await page.getByTestId('visit-business-submit').click();
      await page.getByTestId('visit-refusal').getByText('有效身份证件', { exact: false }).waitFor();
      await screenshot(page, 'visit-refused-zh-1440');
      expect(await page.getByTestId('visit-field-iccid').inputValue()).toBe('8986001234567890123');
      await page.getByTestId('visit-doc-number').fill(customer.doc);
      await page.getByTestId('visit-business-submit').click();
      await page.getByTestId('visit-line-sim_replace').waitFor();

      await pickBusiness(page, 'hfjn', 'bill_payment');
      await subscriptionOf(page);
      await page.getByTestId('visit-field-amountFen').fill('50');
      await page.getByTestId('visit-business-submit').click();
      await page.getByTestId('visit-line-bill_payment').waitFor();
      await pickBusiness(page, 'zdxs', 'terminal_sale');
      await page.getByTestId('visit-field-model').fill('华为 Mate 60');
      await page.getByTestId('visit-field-imei').fill('490154203237518');
      await page.getByTestId('visit-field-priceFen').fill('1999');
      await page.getByTestId('visit-business-submit').click();
      await page.getByTestId('visit-line-terminal_sale').waitFor();
      await page.getByTestId('visit-total').getByText('¥2059.00').waitFor();
      await pad.getByTestId('pad-visit-total').getByText('¥2059.00').waitFor();

      await page.getByTestId('visit-pay-tendered').fill('2100');
      await page.getByTestId('visit-change').getByText('¥41.00').waitFor();
      await page.getByTestId('visit-pay-submit').click();
      await page.getByTestId('visit-change-given').getByText('¥41.00', { exact: false }).waitFor();
      await page.getByTestId('visit-balance').getByText('已结清').waitFor();
      await screenshot(page, 'visit-panel-zh-1440');

      await page.getByTestId('visit-ask-sign').click();
      await pad.getByTestId('pad-sign').waitFor();
      await inView(pad, 'pad-sign-canvas');
      await inView(pad, 'pad-sign-submit');
      await screenshot(pad, 'visit-pad-sign-zh-1280x800');
      await drawOn(pad, 'pad-sign-canvas');
      await pad.getByTestId('pad-sign-submit').click();
      await page.getByTestId('visit-signed').waitFor();

      // The PDF holds the three lines and the total.
      const href = (await page.getByTestId('visit-pdf').getAttribute('href'))!;
      const pdf = await page.request.get(`${served.url}${href}`);
      expect(pdf.status()).toBe(200);
      const dir = mkdtempSync(join(tmpdir(), 'visit-'));
      writeFileSync(join(dir, 'doc.pdf'), await pdf.body());
      const text = execFileSync('pdftotext', ['-layout', join(dir, 'doc.pdf'), '-'], { encoding: 'utf8' });
      for (const word of ['补换卡', '话费缴纳', '终端销售', '2059.00']) expect(text).toContain(word);
      expect(text).not.toContain(customer.doc);

      await page.getByTestId('visit-close').click();
      await page.getByTestId('visit-close-confirm').click();
      await page.getByTestId('counter-call-next').waitFor();
      const [t] = await rows<{ status: string; outcome: string | null }>(
        served.database.db,
        sql`select status, outcome from queue_tickets where id = ${ticket.id}`,
      );
      expect(t).toMatchObject({ status: 'done', outcome: 'served' });
      await pad.getByTestId('pad-visit').waitFor({ state: 'detached' });
    },
    SLOW,
  );

  it(
    'the customer types the service password on the pad’s keypad (a wrong one is said so), found by ID number',
    async () => {
      const customer = await demoCustomer();
      await served.database.db.execute(
        sql`update subscriptions set service_password_hash = ${await hashPassword('246810')},
              service_password_state = 'set', service_password_failures = 0 where id = ${customer.subId}`,
      );
      const guide = await apiAs(served.url, 'qy_guide');
      await guide.post(`/api/halls/${hallId}/tickets`, { category: 'business' });
      const pad = await padPage({ width: 1080, height: 1920 });
      const page = await clerkAtCounter();
      await page.getByTestId('counter-call-next').click();
      await page.getByTestId('visit-serve').click();
      await page.getByTestId('visit-search-by').getByText('证件号码').click();
      await page.getByTestId('visit-search').locator('input').fill(customer.doc);
      await page.getByTestId('visit-search').locator('input').press('Enter');
      await page.getByTestId(`visit-choose-${customer.id}`).click();
      await page.getByTestId('visit-customer-name').waitFor();

      await pickBusiness(page, 'gnbg', 'feature_change');
      await subscriptionOf(page);
      await page.getByTestId('visit-identity-method').getByText('客户在评价器输入服务密码').click();
      await page.getByTestId('visit-ask-password').click();
      await pad.getByTestId('pad-password').waitFor();
      await inView(pad, 'pad-keypad');
      await inView(pad, 'pad-password-submit');
      for (const d of '135790') await pad.getByTestId(`pad-keypad-${d}`).click();
      await pad.getByTestId('pad-password-submit').click();
      await pad.getByTestId('pad-visit-error').waitFor();
      for (const d of '246810') await pad.getByTestId(`pad-keypad-${d}`).click();
      await pad.getByTestId('pad-password-submit').click();
      await page.getByTestId('visit-password-verified').waitFor();
      await choose(page, 'visit-field-feature', '呼叫等待');
      await choose(page, 'visit-field-action', '开通');
      await page.getByTestId('visit-business-submit').click();
      await page.getByTestId('visit-line-feature_change').waitFor();

      // A cancellation goes through retention first: the customer takes an offer, the number stays.
      await pickBusiness(page, 'xh', 'cancel');
      await subscriptionOf(page);
      await page.getByTestId('visit-retention').getByText('套餐月费八折', { exact: false }).first().waitFor();
      await page.getByTestId('visit-retention-accepted').getByText('套餐月费八折（12个月）').click();
      await choose(page, 'visit-field-reason', '资费原因');
      await page.getByTestId('visit-doc-number').fill(customer.doc);
      await page.getByTestId('visit-business-submit').click();
      await page.getByTestId('visit-line-cancel').waitFor();
      const [kept] = await rows<{ status: string; accepted: string | null }>(
        served.database.db,
        sql`select s.status, l.retention->>'accepted' as accepted
              from visit_lines l join subscriptions s on s.id = l.subscription_id
             where l.business_code = 'cancel'`,
      );
      expect(kept).toEqual({ status: 'active', accepted: 'plan_discount' });

      // The signature on the portrait screen, in English: the canvas and its button in view.
      await page.getByTestId('visit-ask-sign').click();
      await pad.getByTestId('lang-switch').click();
      await pad.getByText('Please sign in the box below').waitFor();
      await inView(pad, 'pad-sign-canvas');
      await inView(pad, 'pad-sign-submit');
      await screenshot(pad, 'visit-pad-sign-en-1080x1920');
      await page.getByTestId('lang-switch').click();
      await page.getByTestId('visit-ask-sign').getByText('Ask the customer to sign on the pad').waitFor();
      await screenshot(page, 'visit-panel-en-1440');

      // The duty manager's floor view lists the visit still open.
      const duty = await newPage(browser);
      await logIn(duty, served.url, 'qy_duty', DEMO_PASSWORD);
      await duty.goto(`${served.url}/floor`);
      await duty.getByTestId('floor-open-visits').getByText('张悦').waitFor();
      await duty.getByTestId('floor-open-visits').scrollIntoViewIfNeeded();
      await screenshot(duty, 'visit-floor-open-visits-1440');
    },
    SLOW,
  );

  it(
    'a walk-in opens a new account: a new customer, the ID copy, mobile pay, signed on the clerk’s page',
    async () => {
      const page = await clerkAtCounter();
      await page.getByTestId('visit-walk-in').click();
      await page.getByTestId('visit-new-customer').click();
      await page.getByTestId('visit-new-name').fill('赵新');
      await page.getByTestId('visit-new-phone').fill('13912345670');
      await page.getByTestId('visit-new-doc-number').fill('441802198503151237');
      await page.getByTestId('visit-new-address').fill('清远市清城区');
      await page.getByTestId('visit-new-customer-submit').click();
      await page.getByTestId('visit-customer-name').waitFor();
      await pickBusiness(page, 'xkh', 'mobile_open');
      await page.getByTestId('visit-field-number').fill('13800000001');
      await page.getByTestId('visit-field-plan').fill('DG58');
      await page.getByTestId('visit-field-iccid').fill('8986001234567890124');
      await page.getByTestId('visit-field-prepaidFen').fill('100');
      await page.getByTestId('visit-doc-number').fill('441802198503151237');
      const png = Buffer.from(
        'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==',
        'base64',
      );
      await page
        .getByTestId('visit-idcopy-file')
        .setInputFiles({ name: 'id.png', mimeType: 'image/png', buffer: png });
      await page.getByTestId('visit-idcopy-taken').waitFor();
      await page.getByTestId('visit-business-submit').click();
      await page.getByTestId('visit-line-mobile_open').waitFor();
      await page.getByTestId('visit-pay-method').getByText('移动支付').click();
      await page.getByTestId('visit-pay-submit').click();
      await page.getByTestId('visit-balance').getByText('已结清').waitFor();
      await page.getByTestId('visit-sign-here').click();
      await drawOn(page, 'visit-sign-canvas');
      await page.getByTestId('visit-sign-submit').click();
      await page.getByTestId('visit-signed').waitFor();
      await page.getByTestId('lang-switch').click();
      await page.getByText('Signed by the customer').waitFor();
      await screenshot(page, 'visit-walk-in-en-1440');
      await page.getByTestId('visit-close').click();
      await page.getByTestId('visit-close-confirm').click();
      await page.getByTestId('visit-walk-in').waitFor();
    },
    SLOW,
  );
});
