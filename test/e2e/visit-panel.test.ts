/**
 * The counter's visit panel and the customer's second screen in headless Chromium, the queue served by the
 * real server and the visits API by an in-page stand-in (`visit-standin.ts`) that applies the core money and
 * fee rules: what the clerk clicks, what the pages send (integer fen, the document shown, the pad's answers),
 * what they show (the refusal in place with the form kept, totals, change, the pad's keypad and signature),
 * and how they look in zh-CN and en-US on the clerk's screen, a 1280×800 tablet and a 1080×1920 portrait pad.
 * The real visits module is driven end to end by `visit.test.ts`.
 */
import { afterAll, afterEach, beforeAll, beforeEach, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { DEMO_PASSWORD } from '../../src/modules/demo/seed.ts';
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
import { VisitStandIn, drawOn } from './visit-standin.ts';

const START = '2026-03-02T02:00:00.000Z'; // Monday 10:00 in Asia/Shanghai
const SLOW = 180_000;
let served: Served;
let browser: Browser;
let hallId: string;
let counter1: string;

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

async function padToken(): Promise<string> {
  const manager = await apiAs(served.url, 'qy_manager');
  const { token } = await manager.post<{ token: string }>('/api/tokens', {
    kind: 'device',
    unitId: hallId,
    label: '1号窗口评价器',
    positions: ['device_rating_pad'],
    counterId: counter1,
  });
  return token;
}

/** The clerk at counter 1 with a called ticket, the stand-in attached. */
async function clerkWithTicket(standIn: VisitStandIn): Promise<Page> {
  const guide = await apiAs(served.url, 'qy_guide');
  await guide.post(`/api/halls/${hallId}/tickets`, { category: 'business' });
  const page = await newPage(browser);
  await standIn.attach(page);
  await logIn(page, served.url, 'qy_clerk', DEMO_PASSWORD);
  await page.getByTestId('counter-open-1').click();
  await page.getByTestId('counter-call-next').click();
  await page.getByTestId('current-number').waitFor();
  return page;
}

async function pickBusiness(page: Page, typed: string, code: string): Promise<void> {
  const search = page.getByTestId('visit-catalogue-search');
  await search.fill(typed);
  await page.getByTestId(`visit-type-${code}`).waitFor();
  await search.press('Enter');
  await page.getByTestId('visit-business-form').waitFor();
}

describeInBrowser('the visit panel and the pad (visits API stood in)', () => {
  beforeAll(async () => {
    browser = await launch();
  });
  afterAll(async () => {
    await browser?.close();
  });
  beforeEach(async () => {
    served = await serve({ start: START, customers: 10 });
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
    'three pieces of business, one refused first for a missing document, cash with change, signed once on the pad',
    async () => {
      const standIn = new VisitStandIn({ id: counter1, name: '1号窗口', hallId });
      const page = await clerkWithTicket(standIn);
      await page.getByTestId('visit-serve').click();
      await page.getByTestId('visit-customer-name').getByText('王*').waitFor();
      expect(standIn.sent.find((s) => s.method === 'POST' && s.path === '/api/visits')?.body).toMatchObject({
        ticketId: expect.any(String),
      });

      // The pad shows the visit as it grows.
      const pad = await newPage(browser, { width: 1280, height: 800 });
      await standIn.attach(pad);
      await pad.goto(`${served.url}/pad?token=${await padToken()}`);
      await pad.getByTestId('pad-visit').waitFor();

      // SIM replacement by pinyin initials; first without the document: the server's reason, the form kept.
      await pickBusiness(page, 'bhk', 'sim_replace');
      await page.getByTestId('visit-field-iccid').fill('8986 0012 3456 7890 123');
      await choose(page, 'visit-field-reason', '丢失补卡');
      await page.getByTestId('visit-notes').getByText('防止冒名补卡', { exact: false }).waitFor();
      await page.getByTestId('visit-business-submit').click();
      await page
        .getByTestId('visit-refusal')
        .getByText('须出示机主本人有效身份证件', { exact: false })
        .waitFor();
      await screenshot(page, 'visit-refused-1440');
      expect(await page.getByTestId('visit-field-iccid').inputValue()).toBe('8986001234567890123');
      await page.getByTestId('visit-doc-number').fill('110105199001010010');
      await page.getByTestId('visit-business-submit').click();
      await page.getByTestId('visit-line-sim_replace').waitFor();
      const sim = standIn.sent.filter((s) => s.path.endsWith('/transactions')).map((s) => s.body);
      expect(sim[0]).toMatchObject({ businessCode: 'sim_replace', values: { iccid: '8986001234567890123' } });
      expect((sim[0] as { identity: { document?: unknown } }).identity.document).toBeUndefined();
      expect(sim[1]).toMatchObject({
        identity: { document: { kind: 'resident_id', number: '110105199001010010' } },
        subscriptionId: expect.any(String),
      });

      // A bill payment typed in yuan goes as fen; a handset with its IMEI.
      await pickBusiness(page, 'hfjn', 'bill_payment');
      await page.getByTestId('visit-field-amountFen').fill('50');
      await page.getByTestId('visit-business-submit').click();
      await page.getByTestId('visit-line-bill_payment').waitFor();
      await pickBusiness(page, '终端', 'terminal_sale');
      await page.getByTestId('visit-field-model').fill('华为 Mate 60');
      await page.getByTestId('visit-field-imei').fill('490154203237517');
      await page.getByTestId('visit-business-submit').click();
      await page.getByText('校验位错误').waitFor();
      await page.getByTestId('visit-field-imei').fill('490154203237518');
      await page.getByTestId('visit-field-priceFen').fill('1999.00');
      await page.getByTestId('visit-business-submit').click();
      await page.getByTestId('visit-line-terminal_sale').waitFor();
      expect(standIn.sent.filter((s) => s.path.endsWith('/transactions')).map((s) => s.body)).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ businessCode: 'bill_payment', values: { amountFen: 5000 } }),
          expect.objectContaining({
            businessCode: 'terminal_sale',
            values: { model: '华为 Mate 60', imei: '490154203237518', priceFen: 199900 },
          }),
        ]),
      );
      await page.getByTestId('visit-total').getByText('¥2059.00').waitFor();
      await pad.getByTestId('pad-visit-total').getByText('¥2059.00').waitFor();

      // Cash: 2100 handed over, 41 back.
      await page.getByTestId('visit-pay-tendered').fill('2100');
      await page.getByTestId('visit-change').getByText('¥41.00').waitFor();
      await screenshot(page, 'visit-panel-zh-1440');
      await page.getByTestId('visit-pay-submit').click();
      await page.getByTestId('visit-change-given').getByText('找零 ¥41.00').waitFor();
      await page.getByTestId('visit-balance').getByText('已结清').waitFor();
      expect(standIn.sent.find((s) => s.path.endsWith('/payments'))?.body).toEqual({
        method: 'cash',
        amountFen: 205900,
        tenderedFen: 210000,
      });

      // The customer signs once on the pad; the clerk's page sees the document; close.
      await page.getByTestId('visit-ask-sign').click();
      await pad.getByTestId('pad-sign').waitFor();
      await inView(pad, 'pad-sign-canvas');
      await inView(pad, 'pad-sign-submit');
      await screenshot(pad, 'visit-pad-sign-zh-1280');
      await drawOn(pad, 'pad-sign-canvas');
      await pad.getByTestId('pad-sign-submit').click();
      await pad.getByText('签名已提交，谢谢').waitFor();
      const signed = standIn.sent.filter((s) => s.path === '/api/counter-pad/sign');
      expect(signed).toHaveLength(1);
      expect((signed[0]!.body as { signature: string }).signature).toMatch(/^data:image\/png;base64,/);
      await page.getByTestId('visit-signed').waitFor();
      expect(await page.getByTestId('visit-pdf').getAttribute('href')).toBe(
        `/api/visits/${standIn.visit!.id}/document.pdf`,
      );
      await page.getByTestId('visit-close').click();
      await page.getByTestId('visit-close-confirm').click();
      await page.getByTestId('visit-serve').waitFor();
      expect(standIn.visit!.status).toBe('closed');
      // The pad goes back to what it shows without a visit.
      await pad.getByTestId('pad-visit').waitFor({ state: 'detached' });
    },
    SLOW,
  );

  it(
    'the pad asks for the service password on its keypad; a wrong one is said so; English and portrait fit',
    async () => {
      const standIn = new VisitStandIn({ id: counter1, name: '1号窗口', hallId });
      const page = await clerkWithTicket(standIn);
      await page.getByTestId('visit-serve').click();
      const pad = await newPage(browser, { width: 1080, height: 1920 });
      await standIn.attach(pad);
      await pad.goto(`${served.url}/pad?token=${await padToken()}`);
      await pad.getByTestId('pad-visit').waitFor();

      await pickBusiness(page, 'gnbg', 'feature_change');
      await page.getByTestId('visit-identity-method').getByText('客户在评价器输入服务密码').click();
      await page.getByTestId('visit-ask-password').click();
      await pad.getByTestId('pad-password').waitFor();
      for (const d of '123456') await pad.getByTestId(`pad-keypad-${d}`).click();
      await inView(pad, 'pad-password-submit');
      await pad.getByTestId('pad-password-submit').click();
      await pad.getByTestId('pad-visit-error').getByText('服务密码不正确').waitFor();
      for (const d of '246810') await pad.getByTestId(`pad-keypad-${d}`).click();
      await screenshot(pad, 'visit-pad-password-zh-1080x1920');
      await pad.getByTestId('pad-password-submit').click();
      await pad.getByText('已验证，谢谢').waitFor();
      await page.getByTestId('visit-password-verified').waitFor();
      await choose(page, 'visit-field-feature', '呼叫等待');
      await choose(page, 'visit-field-action', '开通');
      await page.getByTestId('visit-business-submit').click();
      await page.getByTestId('visit-line-feature_change').waitFor();
      expect(standIn.sent.filter((s) => s.path.endsWith('/transactions')).at(-1)?.body).toMatchObject({
        identity: { usePadPassword: true },
      });

      // English on both screens; the portrait pad's canvas and button in view.
      await page.getByTestId('visit-ask-sign').click();
      await pad.getByTestId('lang-switch').click();
      await pad.getByText('Please sign in the box below').waitFor();
      await inView(pad, 'pad-sign-canvas');
      await inView(pad, 'pad-sign-submit');
      await screenshot(pad, 'visit-pad-sign-en-1080x1920');
      await page
        .getByTestId('lang-switch')
        .click()
        .catch(() => undefined);
    },
    SLOW,
  );

  it(
    'a walk-in opens a new account: new customer, the ID copy uploaded, signed on the clerk’s page',
    async () => {
      const standIn = new VisitStandIn({ id: counter1, name: '1号窗口', hallId });
      const page = await newPage(browser);
      await standIn.attach(page);
      await logIn(page, served.url, 'qy_clerk', DEMO_PASSWORD);
      await page.getByTestId('counter-open-1').click();
      await page.getByTestId('visit-walk-in').click();
      await page.getByTestId('visit-customer-finder').waitFor();
      expect(standIn.sent.find((s) => s.path === '/api/visits' && s.method === 'POST')?.body).toEqual({
        counterId: counter1,
      });
      await page.getByTestId('visit-new-customer').click();
      await page.getByTestId('visit-new-name').fill('赵新');
      await page.getByTestId('visit-new-phone').fill('13912345678');
      await page.getByTestId('visit-new-doc-number').fill('１１０１０５ １９９００１０１００１０');
      await page.getByTestId('visit-new-address').fill('清远市清城区');
      await page.getByTestId('visit-new-customer-submit').click();
      await page.getByTestId('visit-customer-name').getByText('赵*').waitFor();
      expect(standIn.sent.find((s) => s.path.endsWith('/customer'))?.body).toMatchObject({
        newCustomer: { name: '赵新', idDocNumber: '110105199001010010', idDocKind: 'resident_id' },
      });

      await pickBusiness(page, 'xkh', 'mobile_open');
      await page.getByTestId('visit-field-number').fill('13800000001');
      await page.getByTestId('visit-field-plan').fill('DG58');
      await page.getByTestId('visit-field-iccid').fill('8986001234567890123');
      await page.getByTestId('visit-field-prepaidFen').fill('100');
      await page.getByTestId('visit-doc-number').fill('110105199001010010');
      await page.getByTestId('visit-business-submit').click();
      await page.getByTestId('visit-refusal').getByText('请先留存证件影印件').waitFor();
      // A 1×1 PNG as the photographed document.
      const png = Buffer.from(
        'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==',
        'base64',
      );
      await page
        .getByTestId('visit-idcopy-file')
        .setInputFiles({ name: 'id.png', mimeType: 'image/png', buffer: png });
      await page.getByTestId('visit-idcopy-taken').waitFor();
      await screenshot(page, 'visit-walk-in-open-account-1440');
      await page.getByTestId('visit-business-submit').click();
      await page.getByTestId('visit-line-mobile_open').waitFor();
      const opened = standIn.sent.filter((s) => s.path.endsWith('/transactions')).at(-1)?.body as {
        idCopy: string;
        values: Record<string, unknown>;
      };
      expect(opened.idCopy).toMatch(/^data:image\/jpeg;base64,/);
      expect(opened.values).toEqual({
        number: '13800000001',
        plan: 'DG58',
        iccid: '8986001234567890123',
        prepaidFen: 10000,
      });

      // Mobile pay, then the customer signs on this page.
      await page.getByTestId('visit-pay-method').getByText('移动支付').click();
      await page.getByTestId('visit-pay-submit').click();
      await page.getByTestId('visit-balance').getByText('已结清').waitFor();
      await page.getByTestId('visit-sign-here').click();
      await page.getByTestId('visit-sign-submit').click();
      await page.getByTestId('visit-sign-refusal').getByText('请先签字').waitFor();
      await drawOn(page, 'visit-sign-canvas');
      await page.getByTestId('visit-sign-submit').click();
      await page.getByTestId('visit-signed').waitFor();
      await page
        .getByTestId('lang-switch')
        .click()
        .catch(() => undefined);
      await screenshot(page, 'visit-panel-signed-1440');
    },
    SLOW,
  );
});
