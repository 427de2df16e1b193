/**
 * The handling desk in the browser (issue #14, /work-orders): the hall's complaint receptionist takes a
 * complaint through fast intake with a photo (the caller's number finds the customer and their earlier
 * order; a part of a number is refused on the field), the list shows it and follows another person's change
 * live (a claim through HTTP), its clock counting down and turning amber then red as the browser's time
 * passes; the province centre's complaint handler filters the unit board by the cities it serves, opens the
 * order and dispatches it to the city's network department — a stale version and a hop limit beyond the
 * order's are refused with the server's words; the department's member claims it, waits for a third party
 * (the clock stops) and resumes, and answers back up; the centre assigns it to a colleague and marks it
 * handled; the owner (首问负责人) replies and closes; the customer rates it on the e-channel page with the
 * reply SMS's survey code, and the province's complaint report counts it against the hall. At the counter,
 * the clerk takes a complaint from the called ticket, whose customer comes with it; the hall manager links
 * a repeat complaint to the customer's consultation and merges it into the first. Screenshots of the list,
 * intake and detail in zh-CN and en-US.
 */
import { sql } from 'drizzle-orm';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { DEMO_PASSWORD } from '../../src/modules/demo/seed.ts';
import type { Category, WorkOrderDetail } from '../../src/modules/workorders/contract.ts';
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
/** A 1×1 PNG. */
const PNG =
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==';
let served: Served;
let browser: Browser;
let customer: { id: string; phone: string };
let hallId: string;
let earlier: WorkOrderDetail;
/** The complaint taken in the browser. */
let order: { id: string; number: string };
/** The receptionist's page (the owner), the centre handler's, the department member's. */
let owner: Page;
let centre: Page;

/** A page whose clock starts at the server's (a manual clock): the countdowns count from the same time. */
async function pageAt(who: string): Promise<Page> {
  const page = await newPage(browser);
  await page.clock.install({ time: new Date(START) });
  await logIn(page, served.url, who, DEMO_PASSWORD);
  return page;
}

const row = (page: Page, number: string) =>
  page.getByTestId('wo-table').locator(`tr[data-number="${number}"]`);
const detailOf = async (who: string) =>
  (await apiAs(served.url, who)).get<WorkOrderDetail>(`/api/work-orders/${order.id}`);

describeInBrowser('work orders: the handling desk', () => {
  beforeAll(async () => {
    served = await serve({ start: START, customers: 20 });
    browser = await launch();
    const [c] = await rows<{ id: string; phone: string }>(
      served.database.db,
      sql`select c.id, s.number as phone from customers c join subscriptions s on s.customer_id = c.id
          where s.status = 'active' and s.number ~ '^1[0-9]{10}$' order by c.id limit 1`,
    );
    customer = c!;
    // The customer's earlier order (a consultation, taken at the hall), shown beside at intake.
    const reception = await apiAs(served.url, 'qy_complaint');
    hallId = (await reception.get<{ unitId: string }>('/api/auth/me')).unitId;
    const categories = await reception.get<Category[]>('/api/work-order-categories');
    earlier = await reception.post<WorkOrderDetail>('/api/work-orders', {
      kind: 'consultation',
      channel: 'counter',
      customerId: customer.id,
      categoryId: categories.find((x) => x.code === 'billing.payment')!.id,
      concernsUnitId: hallId,
      title: '如何开通自动缴费',
      description: '客户咨询银行卡代扣话费的办理方式',
    });
  });
  afterAll(async () => {
    await browser?.close();
    await served?.close();
  });

  it('the hall’s complaint receptionist takes a complaint through fast intake; the caller’s earlier order shows beside', async () => {
    owner = await pageAt('qy_complaint');
    await owner.getByTestId('menu-workOrders').click();
    await owner.getByTestId('page-work-orders').waitFor();
    await row(owner, earlier.number).waitFor(); // my orders: the one she took earlier
    await owner.getByTestId('wo-new').click();
    const intake = owner.getByTestId('intake-modal');
    await intake.waitFor();
    // A part of a number is refused by the server, on the field.
    await owner.getByTestId('intake-phone').locator('input').fill(customer.phone.slice(0, 7));
    await owner.getByTestId('intake-phone').locator('input').press('Enter');
    await intake.getByText('须是完整的手机或固话号码').waitFor();
    await owner.getByTestId('intake-phone').locator('input').fill(customer.phone);
    await owner.getByTestId('intake-phone').locator('input').press('Enter');
    await owner.getByTestId('intake-customer').waitFor();
    expect(await owner.getByTestId('intake-customer').innerText()).not.toContain(customer.phone);
    await owner.getByTestId('intake-earlier').getByText(earlier.number).waitFor();
    await owner.getByTestId('intake-earlier').getByText('如何开通自动缴费').waitFor();
    await expect(owner.getByTestId('intake-contact').inputValue()).resolves.toBe(customer.phone);
    // Without a title and a category the form says so and sends nothing.
    await owner.getByTestId('intake-submit').click();
    await intake.getByText('请填写此项').first().waitFor();
    await owner.getByTestId('intake-category').click();
    await owner.locator('.ant-select-tree-title', { hasText: '服务态度' }).click();
    await choose(owner, 'intake-handling', '云川省客服中心');
    await owner.getByTestId('intake-title').fill('营业员态度冷淡');
    await owner.getByTestId('intake-description').fill('客户反映办理套餐变更时营业员态度冷淡，未解释资费');
    // A photo of the queue ticket goes with it (its type told by its bytes).
    await intake.locator('input[type=file]').setInputFiles({
      name: '排队小票.png',
      mimeType: 'image/png',
      buffer: Buffer.from(PNG, 'base64'),
    });
    await intake.getByText('排队小票.png').waitFor();
    await screenshot(owner, 'workorders-intake-zh');
    await owner.getByTestId('intake-submit').click();
    // The new order opens: she owns it (首问负责), the centre's queue has it, nobody has claimed it yet.
    await owner.getByTestId('page-work-order').waitFor();
    await owner.getByTestId('wo-state').getByText('新建').waitFor();
    await expect(owner.getByTestId('wo-owner').innerText()).resolves.toContain('朱红');
    await expect(owner.getByTestId('wo-handling').innerText()).resolves.toBe('云川省客服中心');
    await expect(owner.getByTestId('wo-assignee').innerText()).resolves.toBe('待认领');
    const file = owner.getByTestId('wo-attachments').getByRole('link', { name: '排队小票.png' });
    await file.waitFor();
    const number = await owner.getByTestId('wo-number').innerText();
    expect(number).toMatch(/^GD\d{12,}$/);
    order = { id: new URL(owner.url()).pathname.split('/').pop()!, number };
    const saved = await detailOf('qy_complaint');
    expect(saved).toMatchObject({
      kind: 'complaint',
      title: '营业员态度冷淡',
      customer: { id: customer.id },
    });
    expect(saved.category.code).toBe('service.attitude');
    expect(saved.attachments).toMatchObject([{ name: '排队小票.png', mime: 'image/png' }]);
    expect(await file.getAttribute('href')).toBe(
      `/api/work-orders/${order.id}/attachments/${saved.attachments[0]!.id}`,
    );
  });

  it('the list shows it, follows a claim made elsewhere without a reload, and its clock turns amber then red', async () => {
    await owner.getByRole('link', { name: '返回列表' }).click();
    const mine = row(owner, order.number);
    await mine.getByTestId('wo-row-state').getByText('新建').waitFor();
    await expect(mine.getByTestId('wo-row-assignee').innerText()).resolves.toContain('待认领');
    await owner.locator('[data-testid="wo-live"][data-connected="yes"]').waitFor();
    // Another person, over HTTP: the centre's agent claims it.
    const agent = await apiAs(served.url, 'cc_agent1');
    const seen = await agent.get<WorkOrderDetail>(`/api/work-orders/${order.id}`);
    await agent.post(`/api/work-orders/${order.id}/claim`, { version: seen.version });
    await mine.getByTestId('wo-row-state').getByText('处理中').waitFor();
    await expect(mine.getByTestId('wo-row-assignee').innerText()).resolves.toBe('萧然');
    await screenshot(owner, 'workorders-list-zh');
    // The resolution clock counts down in the browser: green now, amber from the warning share, red once due.
    const clock = mine.getByTestId('wo-row-resolution');
    await expect(clock.getAttribute('data-colour')).resolves.toBe('green');
    expect(await clock.innerText()).toMatch(/^办结时限 剩 /);
    const { amberAt, dueAt } = (await detailOf('qy_complaint')).clocks.resolution;
    await owner.clock.setSystemTime(new Date(Date.parse(amberAt!) + 60_000));
    await owner.locator(`tr[data-number="${order.number}"] [data-colour="amber"]`).waitFor();
    await owner.clock.setSystemTime(new Date(Date.parse(dueAt!) + 60_000));
    await owner.locator(`tr[data-number="${order.number}"] [data-colour="red"]`).waitFor();
    expect(await clock.innerText()).toMatch(/^办结时限 超时 /);
    await owner.clock.setSystemTime(new Date(START));
    await owner.locator(`tr[data-number="${order.number}"] [data-colour="green"]`).waitFor();
  });

  it('the province centre’s handler opens it from the unit board and dispatches it to the city’s network department; wrong ones are refused with the server’s words', async () => {
    centre = await pageAt('cc_complaints');
    await centre.getByTestId('menu-workOrders').click();
    await centre.getByTestId('page-work-orders').waitFor();
    await centre.getByTestId('wo-tab-board').click();
    await centre.getByTestId(`wo-link-${order.number}`).waitFor();
    // The unit filter offers the province the centre serves: another city's orders are not this one.
    const byUnit = async (name: string) => {
      await centre.getByTestId('wo-filter-unit').click();
      await centre.getByTestId('wo-filter-unit').locator('input').fill(name);
      await centre.locator('.ant-select-tree-title', { hasText: name }).click();
    };
    await byUnit('溪口市分公司');
    await centre.getByTestId('wo-table').locator('.ant-empty').waitFor();
    await byUnit('青原市分公司');
    await centre.getByTestId(`wo-link-${order.number}`).click();
    await centre.getByTestId('page-work-order').waitFor();
    await expect(centre.getByTestId('wo-assignee').innerText()).resolves.toBe('萧然');
    // A stale version: the agent adds a note while the handler's dialog is open; the server says so.
    await centre.getByTestId('wo-act-note').click();
    await centre.getByTestId('wo-text').fill('请核实当班营业员');
    const agent = await apiAs(served.url, 'cc_agent1');
    const seen = await agent.get<WorkOrderDetail>(`/api/work-orders/${order.id}`);
    await agent.post(`/api/work-orders/${order.id}/notes`, { version: seen.version, text: '已联系客户' });
    await centre.getByTestId('wo-timeline').getByText('已联系客户').waitFor(); // live
    await centre.getByTestId('wo-dialog-ok').click();
    await centre.getByText('工单已被他人更新，请刷新后重试').waitFor();
    await centre.getByTestId('wo-dialog-note').waitFor({ state: 'hidden' });
    // A hop limit beyond the order's: refused on the field, the dialog stays.
    await centre.getByTestId('wo-act-dispatch').click();
    await choose(centre, 'wo-target', '青原网络维护部');
    await centre.getByTestId('wo-note').fill('请核查当班营业员服务情况并回复');
    await centre.getByTestId('wo-due-hours').fill('720');
    await centre.getByTestId('wo-dialog-ok').click();
    const dialog = centre.getByTestId('wo-dialog-dispatch');
    await dialog.getByText('须在工单时限之内').waitFor();
    await centre.getByText('环节时限超出工单时限').waitFor();
    await centre.getByTestId('wo-due-hours').fill('');
    await centre.getByTestId('wo-dialog-ok').click();
    await dialog.waitFor({ state: 'hidden' });
    await centre.getByTestId('wo-state').getByText('已派发').waitFor();
    await expect(centre.getByTestId('wo-handling').innerText()).resolves.toBe('青原网络维护部');
    const hops = centre.getByTestId('wo-hops');
    await hops.getByText('青原网络维护部').waitFor();
    await hops.getByText('处理中').waitFor();
    await screenshot(centre, 'workorders-detail-zh');
    const after = await detailOf('cc_complaints');
    expect(after.hops).toHaveLength(1);
    expect(Date.parse(after.hops[0]!.dueAt)).toBeLessThanOrEqual(Date.parse(after.resolutionDueAt!));
  });

  it('the department’s member claims it from the board and answers back up', async () => {
    const net = await pageAt('qy_net');
    await net.getByTestId('menu-workOrders').click();
    await net.getByTestId('wo-tab-board').click();
    await net.getByTestId(`wo-link-${order.number}`).click();
    await net.getByTestId('page-work-order').waitFor();
    await net.getByTestId('wo-act-claim').click();
    await net.getByTestId('wo-claim-confirm').click();
    await net.getByTestId('wo-assignee').getByText('范磊', { exact: true }).waitFor();
    // Waiting for a third party stops the clock; the answer resumes it.
    await net.getByTestId('wo-act-pause').click();
    await net.getByTestId('wo-dialog-pause').getByText('等待第三方').click();
    await net.getByTestId('wo-note').fill('等待营业厅调取监控录像');
    await net.getByTestId('wo-dialog-ok').click();
    await net.getByTestId('wo-state').getByText('等待第三方').waitFor();
    await net.locator('[data-testid="wo-clock-resolution"][data-colour="grey"]').waitFor();
    expect(await net.getByTestId('wo-clock-resolution').innerText()).toMatch(/^已暂停/);
    await net.getByTestId('wo-act-resume').click();
    await net.getByTestId('wo-text').fill('监控录像已调取');
    await net.getByTestId('wo-dialog-ok').click();
    await net.getByTestId('wo-state').getByText('已派发').waitFor();
    await net.locator('[data-testid="wo-clock-resolution"][data-colour="green"]').waitFor();
    await net.getByTestId('wo-act-answer').click();
    await net.getByTestId('wo-text').fill('已核实，当班营业员已接受批评教育');
    await net.getByTestId('wo-dialog-ok').click();
    await net.getByTestId('wo-hops').getByText('已核实，当班营业员已接受批评教育').waitFor();
    // Back with the centre: nothing more for the department to do.
    await expect(net.getByTestId('wo-handling').innerText()).resolves.toBe('云川省客服中心');
    await net.getByTestId('wo-actions').getByText('当前没有您可执行的操作').waitFor();
    // The centre's handler sees the answer arrive live.
    await centre.getByTestId('wo-hops').getByText('已核实，当班营业员已接受批评教育').waitFor();
    await net.close();
  });

  it('the centre’s handler assigns it to a colleague and marks it handled; the owner replies and closes it', async () => {
    await centre.getByTestId('wo-act-assign').click();
    const person = centre.getByTestId('wo-person');
    await person.click();
    await person.locator('input').pressSequentially('田甜');
    await centre.locator('.ant-select-item-option-active', { hasText: '田甜' }).waitFor();
    await person.locator('input').press('Enter');
    await centre.getByTestId('wo-dialog-ok').click();
    await centre.getByTestId('wo-assignee').getByText('田甜', { exact: true }).waitFor();
    await centre.getByTestId('wo-act-answer').click();
    await centre.getByTestId('wo-text').fill('经核实属实，已整改');
    await centre.getByTestId('wo-dialog-ok').click();
    await centre.getByTestId('wo-state').getByText('已处理待答复').waitFor();
    await centre.close();
    // The owner's list has followed; she opens it and replies (the SMS goes in her name), then closes.
    await row(owner, order.number).getByTestId('wo-row-state').getByText('已处理待答复').waitFor();
    await owner.getByTestId(`wo-link-${order.number}`).click();
    await owner.getByTestId('page-work-order').waitFor();
    await owner.getByTestId('wo-act-reply').click();
    await owner.getByTestId('wo-text').fill('经核实，已对当班营业员批评教育，给您带来不便深表歉意');
    await owner.getByTestId('wo-dialog-ok').click();
    await owner.getByTestId('wo-state').getByText('已答复').waitFor();
    await owner.getByTestId('wo-act-close').click();
    await owner.getByTestId('wo-close-confirm').click();
    await owner.getByTestId('wo-state').getByText('已结案').waitFor();
    await owner.getByTestId('wo-act-reopen').waitFor();
    const closed = await detailOf('qy_complaint');
    expect(closed.state).toBe('closed');
    expect(closed.timeline.map((s) => s.step)).toEqual(
      expect.arrayContaining([
        'created',
        'claimed',
        'dispatched',
        'hop_answered',
        'answered',
        'replied',
        'closed',
      ]),
    );
  });

  it('the customer rates it on the e-channel page with the reply SMS’s survey code; the hall’s complaint rate counts it', async () => {
    const hq = await apiAs(served.url, 'hqadmin');
    const outbox = await hq.get<{ template: string; text: string | null }[]>('/api/notify/outbox');
    const sms = outbox.find((m) => m.template === 'workorder.reply' && m.text?.includes(order.number))!;
    expect(sms.text).toContain('首问责任人：朱红');
    const code = /评价码 ([2-9A-HJ-NP-Z]{8})/.exec(sms.text!)![1]!;
    const phone = await newPage(browser, { width: 390, height: 844 });
    await phone.goto(`${served.url}/m/orders/${order.number}`);
    await phone.getByTestId('mo-survey-code').fill(code);
    await phone.getByTestId('mo-survey-stars').locator('.ant-rate-star').nth(4).click();
    await phone.getByTestId('mo-survey-submit').click();
    await phone.getByTestId('mo-survey-done').getByText('您给出了 5 分').waitFor();
    await phone.close();
    // The province centre's complaint report: the hall's one service-quality complaint (not below 1),
    // handled on time, rated 5.
    const page = await pageAt('cc_complaints');
    await page.getByTestId('menu-workOrderReport').click();
    await page.getByTestId('page-workorder-report').waitFor();
    const hall = page.getByTestId('wr-halls').locator('tbody tr', { hasText: '青原人民路营业厅' });
    await expect(hall.innerText()).resolves.toMatch(/1\s+未达标/);
    const complaints = page.getByTestId('wr-kinds').locator('tbody tr[data-row-key="complaint"]');
    await expect(complaints.innerText()).resolves.toMatch(
      /^投诉\s+1\s+1\s+100\.0% \(1\/1\)\s+0\s+0\s+1\s+5\.0 \/ 5/,
    );
    await page.close();
  });

  it('at the counter, the clerk takes a complaint from the called ticket: its customer and number come with it', async () => {
    // An ordinary customer (a VIP's ticket waits in the VIP line, which this counter's profile does not call).
    const [walkIn] = await rows<{ id: string; phone: string }>(
      served.database.db,
      sql`select c.id, s.number as phone from customers c join subscriptions s on s.customer_id = c.id
          where s.status = 'active' and s.number ~ '^1[0-9]{10}$' and c.club_tier = 'ordinary'
            and not c.is_3g
          order by c.id limit 1`,
    );
    const counters = await counterIds(served.url, hallId);
    const clerk = await apiAs(served.url, 'qy_clerk');
    await clerk.post(`/api/counters/${counters[1]}/open`);
    const guide = await apiAs(served.url, 'qy_guide');
    const ticket = await guide.post<{ id: string; number: string }>(`/api/halls/${hallId}/tickets`, {
      category: 'business',
      phone: walkIn!.phone,
    });
    await clerk.post(`/api/counters/${counters[1]}/call-next`);
    const page = await pageAt('qy_clerk');
    await page.getByTestId('current-number').getByText(ticket.number).waitFor();
    await page.getByTestId('counter-take-complaint').click();
    const prefilled = page.getByTestId('intake-ticket');
    await prefilled.getByText(`来自叫号 ${ticket.number}`).waitFor();
    expect(await prefilled.innerText()).not.toContain(walkIn!.phone);
    await page.getByTestId('intake-category').click();
    await page.locator('.ant-select-tree-title', { hasText: '服务规范' }).click();
    await page.getByTestId('intake-title').fill('未按规范一次告知');
    await page.getByTestId('intake-description').fill('客户反映营业员未一次告知所需材料，往返两次');
    await screenshot(page, 'workorders-counter-intake-zh');
    await page.getByTestId('intake-submit').click();
    await page.getByTestId('page-work-order').waitFor();
    await expect(page.getByTestId('wo-owner').innerText()).resolves.toContain('张悦');
    const id = new URL(page.url()).pathname.split('/').pop()!;
    const taken = await clerk.get<WorkOrderDetail>(`/api/work-orders/${id}`);
    expect(taken.customer?.id).toBe(walkIn!.id);
    expect(taken.timeline[0]!.details).toMatchObject({ ticketId: ticket.id });
    await page.close();
  });

  it('the hall manager links the customer’s consultation to a repeat complaint, then merges it into the first', async () => {
    const reception = await apiAs(served.url, 'qy_complaint');
    const categories = await reception.get<Category[]>('/api/work-order-categories');
    const repeat = await reception.post<WorkOrderDetail>('/api/work-orders', {
      kind: 'complaint',
      channel: 'hotline',
      customerId: customer.id,
      categoryId: categories.find((x) => x.code === 'service.attitude')!.id,
      concernsUnitId: hallId,
      title: '再次反映营业员态度',
      description: '客户来电再次反映同一次办理时的服务态度',
    });
    const page = await pageAt('qy_manager');
    await page.goto(`${served.url}/work-orders/${repeat.id}`);
    await page.getByTestId('page-work-order').waitFor();
    // Related: the consultation the customer had asked before.
    await page.getByTestId('wo-act-link').click();
    await page.getByTestId('wo-other').click();
    await page.locator('.ant-select-item-option', { hasText: earlier.number }).click();
    await page.getByTestId('wo-dialog-ok').click();
    await page.getByTestId('wo-earlier').getByText('相关').waitFor();
    // The duplicate of the first complaint: merged into it, closed, counted once.
    await page.getByTestId('wo-act-merge').click();
    await page.getByTestId('wo-other').click();
    await page.locator('.ant-select-item-option', { hasText: order.number }).click();
    await page.getByTestId('wo-dialog-ok').click();
    await page.getByTestId('wo-state').getByText('已结案').waitFor();
    await page.getByTestId('wo-earlier').getByText('重复').waitFor();
    const merged = await reception.get<WorkOrderDetail>(`/api/work-orders/${repeat.id}`);
    expect(merged.state).toBe('closed');
    // Its clocks stopped when it closed; the list of other orders shows each order once.
    expect(merged.clocks.resolution.metAt).toBe(merged.closedAt);
    expect(await page.getByTestId('wo-earlier').locator('.ant-list-item').count()).toBe(2);
    expect(merged.links.map((l) => [l.other.number, l.kind]).sort()).toEqual(
      [
        [earlier.number, 'related'],
        [order.number, 'duplicate'],
      ].sort(),
    );
    // Nothing left to link: the buttons go.
    expect(await page.getByTestId('wo-act-link').count()).toBe(0);
    await screenshot(page, 'workorders-merged-zh');
    await page.close();
  });

  it('in English: the detail, the list and the intake', async () => {
    await owner.getByTestId('lang-switch').click();
    await owner.getByTestId('wo-state').getByText('Closed').waitFor();
    await owner.getByTestId('wo-actions').getByText('Reopen').waitFor();
    await screenshot(owner, 'workorders-detail-en');
    await owner.getByRole('link', { name: 'Back to the list' }).click();
    await row(owner, order.number).getByText('Closed').waitFor();
    await owner.getByText('My orders').waitFor();
    await screenshot(owner, 'workorders-list-en');
    await owner.getByTestId('wo-new').click();
    await owner.getByTestId('intake-phone').locator('input').fill(customer.phone);
    await owner.getByTestId('intake-phone').locator('input').press('Enter');
    await owner.getByTestId('intake-earlier').getByText(order.number).waitFor();
    await owner.getByRole('heading', { name: 'Earlier orders' }).waitFor();
    await screenshot(owner, 'workorders-intake-en');
  });
});
