/**
 * Work orders in the browser (issue #14), the two pages outside the handling desk: the province
 * customer-service centre's complaint handler opens the complaint report (投诉报表) for 云川 — the province
 * the centre serves, which its own unit list does not hold — and sees indicator 1 of 2§3.7 from orders
 * taken through the API (rate, verdict, the chart per hall with its target line, the halls and the kinds),
 * the time-limit rules in force, and downloads the same as .xlsx; the customer, on the phone page
 * `/m/orders` (390×844), proves the number with the code the SMS carried, sees both orders, adds
 * information to one, rates it once it is replied (replied through HTTP meanwhile), and reopens the other.
 * Screenshots in zh-CN and en-US.
 */
import ExcelJS from 'exceljs';
import { sql } from 'drizzle-orm';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { DEMO_PASSWORD } from '../../src/modules/demo/seed.ts';
import type { Category, WorkOrderDetail } from '../../src/modules/workorders/contract.ts';
import { rows } from '../../src/platform/db/index.ts';
import type { Served } from './support.ts';
import { apiAs, describeInBrowser, launch, logIn, newPage, screenshot, serve } from './support.ts';

const START = '2026-03-02T02:00:00.000Z'; // Monday 10:00 in Asia/Shanghai
let served: Served;
let browser: Browser;
let customer: { id: string; phone: string };
let hallId: string;
/**
 * A: taken, not yet replied (the customer adds information, then rates it); B: the customer's second
 * complaint (so an escalated one, a repeat), replied (the customer reopens it).
 */
const orders: Record<'a' | 'b', WorkOrderDetail> = {} as Record<'a' | 'b', WorkOrderDetail>;

const masked = (phone: string) => `${phone.slice(0, 3)}****${phone.slice(-4)}`;

/** No horizontal scrolling on the phone: the page is as wide as its window. */
async function fitsWidth(page: Page) {
  const [scroll, inner] = await page.evaluate(() => [
    document.documentElement.scrollWidth,
    window.innerWidth,
  ]);
  expect(scroll).toBeLessThanOrEqual(inner);
}

describeInBrowser('work orders: the complaint report and the customer’s follow page', () => {
  beforeAll(async () => {
    served = await serve({ start: START, customers: 20 });
    browser = await launch();
    const [c] = await rows<{ id: string; phone: string }>(
      served.database.db,
      sql`select id, contact_phone as phone from customers where contact_phone ~ '^1[0-9]{10}$'
           order by id limit 1`,
    );
    customer = c!;
    // The hall's complaint receptionist takes both in at her hall (首问负责: she owns them), as a counter would.
    const reception = await apiAs(served.url, 'qy_complaint');
    const me = await reception.get<{ unitId: string }>('/api/auth/me');
    hallId = me.unitId;
    const categories = await reception.get<Category[]>('/api/work-order-categories');
    const attitude = categories.find((x) => x.code === 'service.attitude')!;
    expect(attitude.serviceQuality).toBe(true);
    const take = (title: string, description: string) =>
      reception.post<WorkOrderDetail>('/api/work-orders', {
        kind: 'complaint',
        channel: 'counter',
        customerId: customer.id,
        categoryId: attitude.id,
        concernsUnitId: hallId,
        title,
        description,
      });
    orders.a = await take('营业员态度冷淡', '客户反映办理套餐变更时营业员态度冷淡');
    orders.b = await take('排队时无人引导', '客户反映取号后无人引导，等候区秩序混乱');
    orders.b = await reception.post<WorkOrderDetail>(`/api/work-orders/${orders.b.id}/reply`, {
      version: orders.b.version,
      text: '已对当班引导员进行批评教育，并增加高峰期引导人员',
    });
    expect(orders.b.state).toBe('replied');
  });
  afterAll(async () => {
    await browser?.close();
    await served?.close();
  });

  it('the centre’s complaint handler reads indicator 1 for the province, its chart and tables, and exports it', async () => {
    const page = await newPage(browser);
    await page.clock.setFixedTime(new Date(START)); // the browser's today is the server's: March 2026
    await logIn(page, served.url, 'cc_complaints', DEMO_PASSWORD);
    await page.getByTestId('menu-workOrderReport').click();
    await page.getByTestId('page-workorder-report').waitFor();
    // The default: the province the centre serves, this month so far.
    await page.getByTestId('wr-unit').getByText('云川省分公司').waitFor();
    const ratio = page.getByTestId('wr-ratio');
    await ratio.getByText('服务质量投诉 2 件 / 营业厅 5 个').waitFor();
    const rate = page.getByTestId('wr-rate');
    expect(await rate.innerText()).toContain('0.40');
    expect(await rate.innerText()).toContain('目标 < 1');
    expect(await rate.innerText()).toContain('2026-03-01 ~ 2026-03-02');
    await expect(page.getByTestId('wr-verdict').innerText()).resolves.toBe('达标');
    await rate.getByTestId('clause-ref').getByText('2§3.7').waitFor();
    // The chart is drawn (a canvas of its size), the hall's row over its target.
    const canvas = page.getByTestId('wr-chart').locator('canvas');
    await canvas.waitFor();
    const box = (await canvas.boundingBox())!;
    expect(box.width).toBeGreaterThan(300);
    expect(box.height).toBeGreaterThan(200);
    const hallRow = page.getByTestId('wr-halls').locator('tbody tr', { hasText: '青原人民路营业厅' });
    await expect(hallRow.innerText()).resolves.toMatch(/2\s+未达标/);
    expect(await page.getByTestId('wr-halls').locator('tbody tr', { hasText: '达标' }).count()).toBe(5);
    // A: a complaint, open; B: the same customer's second complaint, so an escalated one (a repeat),
    // replied in time; neither closed nor rated yet.
    const kind = (code: string) => page.getByTestId('wr-kinds').locator(`tbody tr[data-row-key="${code}"]`);
    await expect(kind('complaint').innerText()).resolves.toMatch(
      /^投诉\s+1\s+0\s+— \(0\/0\)\s+0\s+1\s+0\s+—$/,
    );
    await expect(kind('escalated_complaint').innerText()).resolves.toMatch(
      /^升级投诉\s+1\s+1\s+100\.0% \(1\/1\)\s+0\s+1\s+0\s+—$/,
    );
    // The same two per top-level category (both service attitude) and per city (both in Qingyuan).
    const service = page.getByTestId('wr-categories').locator('tbody tr', { hasText: '服务质量' });
    await expect(service.innerText()).resolves.toMatch(
      /^服务质量\s+2\s+1\s+100\.0% \(1\/1\)\s+0\s+2\s+0\s+—$/,
    );
    expect(await page.getByTestId('wr-categories').locator('tbody tr.ant-table-row').count()).toBe(1);
    const city = page.getByTestId('wr-units').locator('tbody tr.ant-table-row');
    expect(await city.count()).toBe(1);
    await expect(city.innerText()).resolves.toMatch(/^青原\S*\s+2\s+1\s/);
    // The backlog now: A, taken minutes ago, in time; its chart drawn.
    const backlog = page.getByTestId('wr-backlog');
    expect(await backlog.innerText()).toMatch(/在办未处理\s+1\s+已超时\s+0/);
    expect(await backlog.innerText()).toContain('2026/3/2 10:00:00'); // the province's wall clock
    await backlog.locator('canvas').waitFor();
    // The rules in force, read-only: the complaint rule's limits and its escalation ladder.
    const rule = page.getByTestId('wr-policies').locator('tbody tr', { hasText: '投诉处理' }).first();
    const ruleText = await rule.innerText();
    expect(ruleText).toContain('2 个工作日');
    expect(ruleText).toContain('15 天');
    expect(ruleText).toContain('等待客户');
    expect(ruleText).toContain('用时 80% 提醒首问责任人');
    expect(ruleText).toContain('超时后 24 小时 移交上级单位督办');
    await screenshot(page, 'workorders-report-zh');

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByTestId('wr-export').click(),
    ]);
    expect(download.suggestedFilename()).toBe('work-orders-2026-03-01-2026-03-02.xlsx');
    const book = new ExcelJS.Workbook();
    await book.xlsx.readFile((await download.path())!);
    const text = JSON.stringify(book.worksheets[0]!.getSheetValues());
    expect(text).toContain('青原人民路营业厅');
    expect(text).toContain('升级投诉 Escalated complaint');
    expect(text).toContain('类别 服务质量 Service quality');
    expect(text).toContain('投诉率 0.4');

    await page.getByTestId('lang-switch').click();
    await page.getByTestId('wr-ratio').getByText('2 service-quality complaints / 5 halls').waitFor();
    await page.getByTestId('menu-workOrderReport').getByText('Complaint report').waitFor();
    await page.getByTestId('wr-unit').getByText('Yunchuan province').waitFor();
    expect(await page.getByTestId('wr-policies').innerText()).toContain('80% used');
    await screenshot(page, 'workorders-report-en');
    await page.getByTestId('lang-switch').click();
    await page.context().close();
  });

  it('the customer proves the phone by code, adds information, rates a replied order, and reopens another', async () => {
    const page = await newPage(browser, { width: 390, height: 844 });
    await page.goto(`${served.url}/m/orders`);
    await page.getByTestId('mo-phone').fill(customer.phone);
    await page.getByTestId('mo-send-code').click();
    await page.getByTestId('mo-code-sent').getByText(masked(customer.phone)).waitFor();
    // The demo's outbox driver: the code, as the SMS said it (an e-channel code without a hall is the
    // headquarters' message: its administrator reads it).
    const hq = await apiAs(served.url, 'hqadmin');
    const outbox =
      await hq.get<{ to: string; template: string; text: string | null }[]>('/api/notify/outbox');
    const sms = outbox.find(
      (m) => m.to === masked(customer.phone) && m.template === 'echannel.code_work_order',
    )!;
    expect(sms.text).toContain('查询您的工单进度');
    const code = /(\d{6})/.exec(sms.text ?? '')![1]!;
    await page.getByTestId('mo-code').fill(code);
    await screenshot(page, 'workorders-follow-login-zh');
    await page.getByTestId('mo-verify').click();
    await page.getByTestId('mo-verified').getByText(masked(customer.phone)).waitFor();

    // Both orders, newest first: B replied (its reply shown), A received.
    const list = page.getByTestId('mo-list');
    await list.waitFor();
    const cardA = page.getByTestId(`mo-order-${orders.a.number}`);
    const cardB = page.getByTestId(`mo-order-${orders.b.number}`);
    await expect(cardA.getByTestId('mo-state').innerText()).resolves.toBe('已受理');
    await expect(cardB.getByTestId('mo-state').innerText()).resolves.toBe('已答复');
    expect(await cardB.innerText()).toContain('增加高峰期引导人员');
    expect(await cardA.innerText()).toContain('承诺办结');
    await fitsWidth(page);
    await screenshot(page, 'workorders-follow-list-zh');

    // A: not replied yet, so no rating; the customer adds information.
    await cardA.click();
    await page.getByTestId('mo-detail').waitFor();
    await expect(page.getByTestId('mo-number').innerText()).resolves.toBe(orders.a.number);
    expect(await page.getByTestId('mo-rate-card').count()).toBe(0);
    await page.getByTestId('mo-info-text').fill('办理时间为 3 月 2 日上午 9 点半，3 号台席');
    await page.getByTestId('mo-info-submit').click();
    await page.getByTestId('mo-notice').getByText('已收到您补充的信息').waitFor();
    await page.getByTestId('mo-steps').getByText('客户补充信息').waitFor();

    // Meanwhile the owner replies (by HTTP); the page, reloaded, shows the reply and asks for a rating.
    const reception = await apiAs(served.url, 'qy_complaint');
    const a = await reception.get<WorkOrderDetail>(`/api/work-orders/${orders.a.id}`);
    expect(a.timeline.find((s) => s.step === 'information')?.text).toContain('3 号台席');
    await reception.post(`/api/work-orders/${orders.a.id}/reply`, {
      version: a.version,
      text: '已核实并对营业员进行服务规范培训，向您致歉',
    });
    await page.reload();
    await page.getByTestId('mo-reply').getByText('向您致歉').waitFor();
    await expect(page.getByTestId('mo-state').innerText()).resolves.toBe('已答复');
    await page.getByTestId('mo-rate').locator('.ant-rate-star').nth(3).click(); // four stars
    await page.getByTestId('mo-rate-card').getByText('满意', { exact: true }).waitFor();
    await page.getByTestId('mo-rate-submit').click();
    await page.getByTestId('mo-notice').getByText('感谢您的评价').waitFor();
    await page.getByTestId('mo-rated').getByText('满意', { exact: true }).waitFor();
    expect(await page.getByTestId('mo-rate-card').count()).toBe(0);
    await page.getByTestId('mo-steps').getByText('客户评价').waitFor();
    await page.getByTestId('mo-reopen-until').waitFor();
    await fitsWidth(page);
    await screenshot(page, 'workorders-follow-rated-zh');
    const rated = await reception.get<WorkOrderDetail>(`/api/work-orders/${orders.a.id}`);
    expect(rated.satisfaction).toBe(4);

    // B: reopened within the window, with the reason.
    await page.getByTestId('mo-back').click();
    await page.getByTestId(`mo-order-${orders.b.number}`).click();
    await page.getByTestId('mo-number').getByText(orders.b.number).waitFor();
    await page.getByTestId('mo-reopen').click();
    await page.getByTestId('mo-reopen-text').fill('今天再去时仍无人引导');
    await page.getByTestId('mo-reopen-submit').click();
    await page.getByTestId('mo-notice').getByText('已重新受理').waitFor();
    await expect(page.getByTestId('mo-state').innerText()).resolves.toBe('已受理');
    await page.getByTestId('mo-steps').getByText('重新处理').waitFor();
    expect(await page.getByTestId('mo-reopen').count()).toBe(0);
    await screenshot(page, 'workorders-follow-reopened-zh');
    const b = await reception.get<WorkOrderDetail>(`/api/work-orders/${orders.b.id}`);
    expect(b.reopenCount).toBe(1);
    expect(b.timeline.at(-1)?.text).toBe('今天再去时仍无人引导');

    await page.getByTestId('mo-lang').click();
    await expect(page.getByTestId('mo-state').innerText()).resolves.toBe('Received');
    await page.getByTestId('mo-steps').getByText('Reopened').waitFor();
    await page.getByTestId('mo-back').click();
    await page.getByTestId(`mo-order-${orders.a.number}`).getByText('Replied').waitFor();
    await fitsWidth(page);
    await screenshot(page, 'workorders-follow-list-en');
    await page.getByTestId('mo-lang').click();
    await page.context().close();
  });

  it('the customer rates a third order with the survey code of its reply SMS, without a phone code', async () => {
    const reception = await apiAs(served.url, 'qy_complaint');
    const categories = await reception.get<Category[]>('/api/work-order-categories');
    let c = await reception.post<WorkOrderDetail>('/api/work-orders', {
      kind: 'complaint',
      channel: 'counter',
      customerId: customer.id,
      categoryId: categories.find((x) => x.code === 'service.waiting')!.id,
      concernsUnitId: hallId,
      title: '等候时间过长',
      description: '客户反映等候 40 分钟',
    });
    c = await reception.post<WorkOrderDetail>(`/api/work-orders/${c.id}/reply`, {
      version: c.version,
      text: '已增开窗口，高峰期分流',
    });
    const hq = await apiAs(served.url, 'hqadmin');
    const outbox = await hq.get<{ template: string; text: string | null }[]>('/api/notify/outbox');
    const sms = outbox.find((m) => m.template === 'workorder.reply' && m.text?.includes(c.number))!;
    const code = /评价码 ([2-9A-HJ-NP-Z]{8})/.exec(sms.text!)![1]!;

    const page = await newPage(browser, { width: 390, height: 844 });
    await page.goto(`${served.url}/m/orders/${c.number}`);
    const survey = page.getByTestId('mo-survey');
    await survey.waitFor();
    expect(await page.getByTestId('mo-survey-number').inputValue()).toBe(c.number);
    // A wrong code first: the server's words, the tries left.
    await page.getByTestId('mo-survey-code').fill(code.replace(/^./, code[0] === 'A' ? 'B' : 'A'));
    await page.getByTestId('mo-survey-stars').locator('.ant-rate-star').nth(3).click();
    await page.getByTestId('mo-survey-submit').click();
    await page.getByTestId('mo-survey-error').getByText('还可尝试 4 次').waitFor();
    await page.getByTestId('mo-survey-code').fill(code.toLowerCase()); // typed as the customer may
    expect(await page.getByTestId('mo-survey-code').inputValue()).toBe(code);
    await page.getByTestId('mo-survey-submit').click();
    await page.getByTestId('mo-survey-done').getByText('您给出了 4 分').waitFor();
    await fitsWidth(page);
    await screenshot(page, 'workorders-survey-zh');
    expect((await reception.get<WorkOrderDetail>(`/api/work-orders/${c.id}`)).satisfaction).toBe(4);
    await page.context().close();
  });
});
