/**
 * What people do with the business-hall queue, in headless Chromium against the real server: the kiosk,
 * the counter, the calling display, the duty manager's floor view, the floor guide's pre-registration, the
 * remote (e-channel) ticket, transfers, a refused pause, statistics, appointments and the configuration.
 * Each test has a fresh server on a ManualClock at a Monday 10:00 in Asia/Shanghai; times on the server
 * move only with `served.clock`, never by the browser's clock.
 */
import { afterAll, afterEach, beforeAll, beforeEach, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
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
import { DEMO_PASSWORD, demoCustomers } from '../../src/modules/demo/seed.ts';

const START = '2026-03-02T02:00:00.000Z'; // Monday 10:00 in Asia/Shanghai, inside the demo halls' hours
const HALL_CODE = 'YC-QY-H01';

let served: Served;
let browser: Browser;
let hallId: string;

async function unitId(code: string): Promise<string> {
  const admin = await apiAs(served.url, 'admin');
  const units = await admin.get<{ id: string; code: string }[]>('/api/units');
  return units.find((u) => u.code === code)!.id;
}

async function deviceToken(who: string, unit: string, label: string, position: string): Promise<string> {
  const api = await apiAs(served.url, who);
  const created = await api.post<{ token: string }>('/api/tokens', {
    kind: 'device',
    unitId: unit,
    label,
    positions: [position],
  });
  return created.token;
}

async function takeTickets(category: string, n: number): Promise<string[]> {
  const guide = await apiAs(served.url, 'qy_guide');
  const numbers: string[] = [];
  for (let i = 0; i < n; i++) {
    numbers.push((await guide.post<{ number: string }>(`/api/halls/${hallId}/tickets`, { category })).number);
  }
  return numbers;
}

/** A clerk at the counter page, with counter `n` open. */
async function openCounterPage(user: string, n: number): Promise<Page> {
  const page = await newPage(browser);
  await logIn(page, served.url, user, DEMO_PASSWORD);
  await page.getByTestId('menu-counter').click();
  await page.getByTestId(`counter-open-${n}`).click();
  await page.getByTestId('counter-call-next').waitFor();
  return page;
}

const CUSTOMERS = demoCustomers(60, {});
const phoneOf = (match: (c: (typeof CUSTOMERS)[number]) => boolean) => CUSTOMERS.find(match)!.contactPhone;

describeInBrowser('hall queue', () => {
  beforeAll(async () => {
    browser = await launch();
  });
  afterAll(async () => {
    await browser?.close();
  });
  beforeEach(async () => {
    served = await serve({ start: START });
    hallId = await unitId(HALL_CODE);
  });
  afterEach(async () => {
    // Pages hold the hall's event streams open: close them before the server.
    for (const context of browser.contexts()) await context.close();
    await served?.close();
  });

  it('takes a ticket at the kiosk, calls it at a counter, and the display shows it within 2 s', async () => {
    const kioskToken = await deviceToken('qy_manager', hallId, '1号取号机', 'device_kiosk');
    const displayToken = await deviceToken('qy_manager', hallId, '大厅叫号屏', 'device_display');

    const kiosk = await newPage(browser, { width: 1280, height: 1024 });
    await kiosk.goto(`${served.url}/kiosk/${hallId}?token=${kioskToken}`);
    await kiosk.getByTestId('kiosk-hall-name').getByText('青原人民路营业厅').waitFor();
    expect(kiosk.url()).not.toContain('token='); // remembered, taken out of the address
    for (const name of ['业务办理', '缴费充值', '3G业务', '终端销售', '售后维修', '投诉/故障']) {
      await kiosk.getByText(name, { exact: true }).first().waitFor();
    }
    await screenshot(kiosk, 'queue-kiosk-zh');
    await kiosk.getByTestId('kiosk-lang').click();
    await kiosk.getByText('Please choose a service').waitFor();
    await screenshot(kiosk, 'queue-kiosk-en');
    await kiosk.getByTestId('kiosk-lang').click();
    await kiosk.getByTestId('kiosk-category-business').click();
    await kiosk.getByTestId('kiosk-key-1').waitFor();
    await screenshot(kiosk, 'queue-kiosk-phone-zh');
    await kiosk.getByTestId('kiosk-skip').click();
    const slip = kiosk.getByTestId('ticket-slip');
    await slip.waitFor();
    const number = (await kiosk.getByTestId('slip-number').innerText()).trim();
    expect(number).toBe('A001');
    await expect(slip.innerText()).resolves.toContain('业务办理');
    await expect(slip.innerText()).resolves.toContain('青原人民路营业厅');
    await screenshot(kiosk, 'queue-kiosk-slip-zh');
    // Printed, only the slip shows, 80 mm wide.
    await kiosk.emulateMedia({ media: 'print' });
    const width = await slip.evaluate((el) => el.getBoundingClientRect().width);
    expect(Math.abs(width - (80 / 25.4) * 96)).toBeLessThan(2);
    await expect(
      kiosk.getByTestId('kiosk-print').evaluate((el) => getComputedStyle(el).visibility),
    ).resolves.toBe('hidden');
    await screenshot(kiosk, 'queue-kiosk-slip-print');
    await kiosk.emulateMedia({ media: 'screen' });

    const display = await newPage(browser, { width: 1920, height: 1080 });
    await display.goto(`${served.url}/display/${hallId}?token=${displayToken}`);
    await display.getByTestId('display-enable-sound').click();
    await display.getByTestId('display-hall-name').waitFor();
    await display.getByTestId('display-waiting-business').getByText('1 人').waitFor();

    const counter = await openCounterPage('qy_clerk', 1);
    await counter.getByTestId('counter-call-next').click();
    await counter.getByTestId('current-number').getByText(number).waitFor();
    // The display follows the hall's stream: the number is up within 2 s of the call.
    await display.getByTestId('display-number').getByText(number).waitFor({ timeout: 2000 });
    await display.getByTestId('display-counter').getByText('请到 1 号窗口').waitFor();
    await expect(display.getByTestId('page-display').getAttribute('data-last-announcement')).resolves.toBe(
      `请${number}号到1号窗口`,
    );
    // Headless Chromium has no Chinese voice: the server’s recording plays instead (a chime if it fails).
    await expect(display.getByTestId('display-sound').innerText()).resolves.toMatch(/提示音|语音播报/);
    await screenshot(display, 'queue-display-zh');
    await display.getByTestId('display-lang').click();
    await display.getByTestId('display-counter').getByText('Please go to counter 1').waitFor();
    await display.waitForTimeout(4000); // after the flash
    await screenshot(display, 'queue-display-en');
    await counter.getByTestId('counter-start').click();
    await counter.getByTestId('counter-timer').waitFor();
    await screenshot(counter, 'queue-counter-zh');
    // The kiosk shows the new state (nobody waiting for business any more).
    await kiosk.getByTestId('kiosk-done').click();
    await kiosk.getByTestId('kiosk-category-business').getByText('等待 0 人').waitFor();
    for (const p of [kiosk, display, counter]) await p.context().close();
  });

  it('warns the duty manager with the counters to open once 80 % of the 30-minute limit has passed', async () => {
    const numbers = await takeTickets('business', 6);
    const page = await newPage(browser);
    await logIn(page, served.url, 'qy_duty', DEMO_PASSWORD);
    await page.getByTestId('menu-floor').click();
    await page.getByTestId('floor-queues').getByText('普通业务').waitFor();
    await page.getByTestId('floor-alerts').getByText('当前没有预警').waitFor();

    served.clock.advanceMinutes(25); // 25 of 30 minutes: past the 80 % warning
    const alert = page.getByTestId(`alert-${numbers[0]}`);
    await alert.waitFor({ timeout: 8000 }); // the periodic refresh, not a reload
    await expect(alert.getAttribute('data-level')).resolves.toBe('warning');
    await expect(alert.innerText()).resolves.toContain('已等待 25 分钟');
    const advice = await alert.getByTestId('alert-counters').innerText();
    const toOpen = Number(/建议再开 (\d+) 个台席/.exec(advice)?.[1]);
    expect(toOpen).toBeGreaterThan(0);
    await expect(page.getByTestId('queue-to-open-normal').innerText()).resolves.toBe(`+${toOpen}`);
    await screenshot(page, 'queue-floor-warning-zh');

    served.clock.advanceMinutes(6); // past the limit: a breach
    await page.locator(`[data-testid="alert-${numbers[0]}"][data-level="breach"]`).waitFor({ timeout: 8000 });
    await page.getByTestId('lang-switch').click();
    await page
      .getByTestId(`alert-${numbers[0]}`)
      .getByText(/General: longest \w+ has waited 31 min \(limit 30 min\); [1-9]\d* over the limit/)
      .waitFor();
    // Counters by number in English, not by their Chinese signs.
    await expect(page.getByTestId('floor-counter-1').innerText()).resolves.toBe('Counter 1');
    await screenshot(page, 'queue-floor-breach-en');
    await page.getByTestId('lang-switch').click();
    await page.context().close();
  });

  it('proves a phone with an SMS code, takes a remote ticket, follows it as the line moves, and cancels it', async () => {
    await takeTickets('payment', 2);
    const page = await newPage(browser, { width: 390, height: 844 });
    // No device token: the page is public; the phone proves itself with a code.
    await page.goto(`${served.url}/m/halls/${hallId}`);
    await page.getByTestId('remote-hall-name').getByText('青原人民路营业厅').waitFor();
    await expect(page.getByTestId('remote-take').isDisabled()).resolves.toBe(true);
    await page.getByTestId('remote-phone').fill('13900001234');
    await page.getByTestId('remote-send-code').click();
    await page.getByTestId('remote-code-sent').getByText('139****1234').waitFor();
    // The demo's outbox driver: an administrator reads the code in the console's outbox (the phone, its SMS).
    const admin = await apiAs(served.url, 'admin');
    const outbox = await admin.get<{ to: string; text: string | null }[]>('/api/notify/outbox');
    const sms = outbox.find((m) => m.to === '139****1234')!;
    const code = /(\d{6})/.exec(sms.text ?? '')![1]!;
    await page.getByTestId('remote-code').fill(code === '000000' ? '111111' : '000000');
    await page.getByTestId('remote-verify').click();
    await page
      .getByTestId('remote-error')
      .getByText(/验证码不正确/)
      .waitFor();
    await page.getByTestId('remote-code').fill(code);
    await page.getByTestId('remote-verify').click();
    await page.getByTestId('remote-verified').getByText('139****1234').waitFor();
    await page.getByTestId('remote-category-payment').click();
    await screenshot(page, 'queue-remote-form-zh');
    await page.getByTestId('remote-take').click();
    await page.getByTestId('remote-number').getByText('B003').waitFor();
    await page.getByTestId('remote-near-front').waitFor();
    await page.getByTestId('remote-ticket').getByText('暂无台席开放').waitFor();
    await expect(page.getByTestId('remote-ahead').innerText()).resolves.toContain('2');
    await screenshot(page, 'queue-remote-ticket-zh');

    // A counter opens, then calls the first ahead: the page follows at once (its stream says the line
    // moved), long before its 15-second poll.
    const counters = await counterIds(served.url, hallId);
    const clerk = await apiAs(served.url, 'qy_clerk');
    await clerk.post(`/api/counters/${counters[3]}/open`);
    await page
      .getByTestId('remote-ticket')
      .getByText('暂无台席开放')
      .waitFor({ state: 'detached', timeout: 3000 });
    await clerk.post(`/api/counters/${counters[3]}/call-next`);
    await expect.poll(() => page.getByTestId('remote-ahead').innerText(), { timeout: 3000 }).toContain('1');

    // After a reload the page still follows the same ticket.
    await page.reload();
    await page.getByTestId('remote-number').getByText('B003').waitFor();
    await page.getByTestId('remote-cancel').click();
    await page.getByTestId('remote-cancel-confirm').click();
    await page.getByTestId('remote-cancelled').waitFor();
    await expect(page.getByTestId('remote-status').innerText()).resolves.toBe('已取消');
    await screenshot(page, 'queue-remote-cancelled-zh');
    await page.getByTestId('remote-again').click();
    await page.getByTestId('remote-take').waitFor();
    await page.context().close();

    // The console's outbox shows the message: its number masked, its text to the system administrator.
    const console = await newPage(browser);
    await logIn(console, served.url, 'admin', DEMO_PASSWORD);
    await console.getByTestId('menu-outbox').click();
    await console.getByTestId('outbox-table').getByText('139****1234').first().waitFor();
    await console
      .getByTestId('outbox-table')
      .getByText(`您的验证码为 ${code}`, { exact: false })
      .first()
      .waitFor();
    await expect(console.getByTestId('outbox-table').innerText()).resolves.not.toContain('13900001234');
    await screenshot(console, 'notify-outbox-zh');
    await console.context().close();
  });

  it('the floor guide pre-registers a ticket and the counter finds the details filled in', async () => {
    const guide = await newPage(browser);
    await logIn(guide, served.url, 'qy_guide', DEMO_PASSWORD);
    await guide.getByTestId('menu-guide').click();
    await guide.getByTestId('guide-category-business').click();
    const issued = guide.getByTestId('guide-issued');
    await issued.getByText('已取号 A001').waitFor();
    await guide.getByTestId('guide-issued-prereg').click();
    await choose(guide, 'prereg-business-input', '补/换卡');
    await guide.getByTestId('prereg-name').fill('张三');
    await choose(guide, 'prereg-id-kind', '居民身份证');
    await guide.getByTestId('prereg-id-number-input').fill('11010519491231002X');
    await guide.getByTestId('prereg-note').fill('原卡丢失');
    await screenshot(guide, 'queue-guide-prereg-zh');
    await guide.getByTestId('prereg-submit').click();
    await guide.getByTestId('guide-waiting').getByText('已登记').waitFor();
    await screenshot(guide, 'queue-guide-zh');

    const counter = await openCounterPage('qy_clerk', 2);
    await counter.getByTestId('counter-call-next').click();
    await counter.getByTestId('current-number').getByText('A001').waitFor();
    const panel = counter.getByTestId('prereg-panel');
    await panel.getByText('补/换卡').waitFor();
    await panel.getByText('张三').waitFor();
    await panel.getByText('原卡丢失').waitFor();
    const masked = await counter.getByTestId('prereg-id-number').innerText();
    expect(masked).not.toContain('11010519491231002X');
    await counter.getByTestId('prereg-reveal').click();
    await counter.getByTestId('prereg-id-number').getByText('11010519491231002X').waitFor();
    await counter.getByTestId('counter-start').click();
    await counter.getByTestId('counter-business-done').click();
    await counter.getByText('营销时长（不计入办理时限）').waitFor();
    await screenshot(counter, 'queue-counter-prereg-zh');
    await counter.getByTestId('counter-finish').click();
    await counter.getByTestId('finish-business').getByText('补/换卡').waitFor();
    await counter.getByTestId('finish-submit').click();
    await counter.getByTestId('counter-call-next').waitFor();
    await counter.getByTestId('counter-call-next').click();
    await counter.getByTestId('counter-nobody').getByText('当前没有等候您台席的客户').waitFor();
    for (const p of [guide, counter]) await p.context().close();
  });

  it('transfers a customer to the after-sales queue, where the repair counter calls them', async () => {
    await takeTickets('business', 1);
    const clerk = await openCounterPage('qy_clerk', 1);
    await clerk.getByTestId('counter-call-next').click();
    await clerk.getByTestId('current-number').getByText('A001').waitFor();
    await clerk.getByTestId('counter-transfer').click();
    await choose(clerk, 'transfer-queue', 'W · 售后与投诉');
    await screenshot(clerk, 'queue-counter-transfer-zh');
    await clerk.getByTestId('transfer-submit').click();
    await clerk.getByText('A001 已转移').waitFor();
    await clerk.getByTestId('counter-call-next').waitFor();

    const repair = await openCounterPage('qy_aftersales', 7);
    await repair.getByTestId('counter-call-next').click();
    await repair.getByTestId('current-number').getByText('A001').waitFor();
    await repair.getByTestId('counter-current').getByText('售后与投诉').waitFor();
    await screenshot(repair, 'queue-counter-transferred-zh');
    for (const p of [clerk, repair]) await p.context().close();
  });

  it('refuses a pause while many customers wait; the duty manager approves it on the floor view', async () => {
    await takeTickets('business', 7);
    const clerk = await openCounterPage('qy_clerk', 1);
    await clerk.getByTestId('counter-pause').click();
    await clerk.getByTestId('pause-reason').locator('input').fill('用餐');
    await clerk.getByTestId('pause-reason').locator('input').press('Tab');
    await clerk.getByTestId('pause-submit').click();
    const refused = clerk.getByTestId('pause-refused');
    await refused.getByText(/当前有 7 位客户等待.*不得暂停服务/).waitFor();
    await refused.getByText('请联系值班经理').waitFor();
    await screenshot(clerk, 'queue-counter-pause-refused-zh');
    await clerk.getByTestId('pause-cancel').click();

    const duty = await newPage(browser);
    await logIn(duty, served.url, 'qy_duty', DEMO_PASSWORD);
    await duty.getByTestId('menu-floor').click();
    await duty.getByTestId('floor-pause-1').click();
    await duty.getByTestId('floor-pause-reason').fill('用餐（经理批准）');
    await duty.getByTestId('floor-pause-submit').click();
    await duty.getByTestId('floor-counter-state-1').getByText('暂停').waitFor();
    await duty.evaluate(() => window.scrollTo(0, 0)); // the sticky menu and header back in place
    await screenshot(duty, 'queue-floor-paused-zh');
    // The clerk's workstation shows it at once (the hall's stream).
    await clerk.getByTestId('counter-state').getByText('暂停').waitFor({ timeout: 3000 });
    await clerk.getByTestId('counter-resume').click();
    await clerk.getByTestId('counter-state').getByText('服务中').waitFor();
    for (const p of [clerk, duty]) await p.context().close();
  });

  it('shows the statistics of the day in a table and charts', async () => {
    const counters = await counterIds(served.url, hallId);
    const clerk = await apiAs(served.url, 'qy_clerk');
    await takeTickets('business', 2);
    await takeTickets('payment', 1);
    await clerk.post(`/api/counters/${counters[1]}/open`);
    for (let i = 0; i < 3; i++) {
      served.clock.advanceMinutes(4);
      const t = await clerk.post<{ id: string }>(`/api/counters/${counters[1]}/call-next`);
      if (i === 2) {
        await clerk.post(`/api/tickets/${t.id}/no-show`);
        continue;
      }
      await clerk.post(`/api/tickets/${t.id}/start`);
      served.clock.advanceMinutes(6);
      await clerk.post(`/api/tickets/${t.id}/finish`, { outcome: 'served' });
    }
    const page = await newPage(browser);
    await logIn(page, served.url, 'qy_manager', DEMO_PASSWORD);
    await page.getByTestId('menu-queueStats').click();
    await page.getByTestId('stats-chart-wait').locator('canvas').first().waitFor();
    await page.getByTestId('stats-chart-volume').locator('canvas').first().waitFor();
    const table = page.getByTestId('stats-table');
    await table.getByText('2026-03-02').waitFor();
    await page.getByTestId('stats-by').getByText('业务类别').click();
    await table.getByText('业务办理').waitFor();
    await table.getByText('缴费充值').waitFor();
    await page.waitForTimeout(1000); // the chart's animation
    await screenshot(page, 'queue-stats-zh');
    await page.context().close();
  });

  it('books an appointment for a gold member, who checks in at the kiosk and gets a priority ticket', async () => {
    const phone = phoneOf((c) => c.clubTier === 'gold' || c.clubTier === 'diamond');
    const page = await newPage(browser);
    await logIn(page, served.url, 'qy_vip', DEMO_PASSWORD);
    await page.getByTestId('menu-appointments').click();
    await page.getByTestId('slot-1030').click();
    await page.getByTestId('book-phone').fill(phone);
    await page.getByTestId('book-submit').click();
    const table = page.getByTestId('appointments-table');
    await table.getByText('已预约').waitFor();
    await table.getByText(`${phone.slice(0, 3)}****${phone.slice(-4)}`).waitFor();
    await screenshot(page, 'queue-appointments-zh');

    served.clock.advanceMinutes(10); // 10:10, within the 30 minutes before the slot
    const kioskToken = await deviceToken('qy_manager', hallId, '1号取号机', 'device_kiosk');
    const kiosk = await newPage(browser, { width: 1280, height: 1024 });
    await kiosk.goto(`${served.url}/kiosk/${hallId}?token=${kioskToken}`);
    await kiosk.getByTestId('kiosk-checkin').click();
    for (const d of phone) await kiosk.getByTestId(`kiosk-key-${d}`).click();
    await screenshot(kiosk, 'queue-kiosk-checkin-zh');
    await kiosk.getByTestId('kiosk-checkin-submit').click();
    await kiosk.getByTestId('kiosk-verdict').getByText('签到成功，您将优先办理').waitFor();
    await kiosk.getByTestId('slip-number').getByText('V001').waitFor();
    await screenshot(kiosk, 'queue-kiosk-checked-in-zh');

    await page.reload();
    await page.getByTestId('appointments-table').getByText('已签到').waitFor();
    for (const p of [page, kiosk]) await p.context().close();
  });

  it('a VIP customer keys in the phone number at the kiosk and joins the VIP queue', async () => {
    const phone = phoneOf((c) => c.clubTier === 'diamond' || c.clubTier === 'gold');
    const kioskToken = await deviceToken('qy_manager', hallId, '1号取号机', 'device_kiosk');
    const kiosk = await newPage(browser, { width: 1280, height: 1024 });
    await kiosk.goto(`${served.url}/kiosk/${hallId}?token=${kioskToken}`);
    await kiosk.getByTestId('kiosk-category-business').click();
    await expect(kiosk.getByTestId('kiosk-take').isDisabled()).resolves.toBe(true);
    for (const d of phone) await kiosk.getByTestId(`kiosk-key-${d}`).click();
    await kiosk.getByTestId('kiosk-take').click();
    await kiosk.getByTestId('slip-number').getByText('V001').waitFor();
    await kiosk.getByTestId('ticket-slip').getByText('VIP/3G 优先服务').waitFor();
    await kiosk.context().close();

    // At the VIP counter the tier shows, never the full number.
    const vip = await openCounterPage('qy_vip', 4);
    await vip.getByTestId('counter-call-next').click();
    await vip.getByTestId('current-number').getByText('V001').waitFor();
    await vip.getByTestId('current-tier').waitFor();
    await expect(vip.getByTestId('counter-current').innerText()).resolves.not.toContain(phone);
    await vip.context().close();
  });

  it('the hall manager edits the configuration and the display notices', async () => {
    const page = await newPage(browser);
    await logIn(page, served.url, 'qy_manager', DEMO_PASSWORD);
    await page.getByTestId('menu-queueConfig').click();
    await page.getByTestId('config-categories-table').getByText('业务办理').waitFor();
    await screenshot(page, 'queue-config-zh');
    await page.getByRole('tab', { name: '分流规则' }).click();
    await page.getByTestId('config-segmentation-table').getByText('钻石卡').waitFor();
    await page.getByRole('tab', { name: '工作模式' }).click();
    await page.getByTestId('config-profiles-table').getByText('VIP专席').first().waitFor();
    await screenshot(page, 'queue-config-profiles-zh');
    await page.getByTestId('config-profiles-edit-0').click();
    await screenshot(page, 'queue-config-profile-edit-zh');
    await page.keyboard.press('Escape');
    await page.getByRole('tab', { name: '台席' }).click();
    const counters = page.getByTestId('config-counters-table');
    await counters.getByText('4号 VIP专席').waitFor();
    await counters.locator('[data-testid="config-counters-edit-7"]').click();
    await page.getByTestId('config-counter-name').fill('8号 综合台');
    await page.getByTestId('config-counters-submit').click();
    await page.getByTestId('config-dirty').waitFor();
    await page.getByTestId('config-save').click();
    await page.getByText('排队配置已保存').waitFor();
    await counters.getByText('8号 综合台').waitFor();

    await page.getByRole('tab', { name: '叫号屏公告' }).click();
    await page.getByTestId('notice-add').click();
    await page.getByTestId('notice-zh-2').fill('今日宽带业务办理请到7号窗口');
    await page.getByTestId('notice-en-2').fill('Broadband today at counter 7');
    await page.getByTestId('notices-save').click();
    await page.getByText('公告已保存').waitFor();
    await screenshot(page, 'queue-config-notices-zh');

    const display = await page.context().newPage(); // the manager's session, no device token
    await display.setViewportSize({ width: 1920, height: 1080 });
    await display.goto(`${served.url}/display/${hallId}`);
    await display.getByTestId('display-enable-sound').click();
    await display
      .getByTestId('display-notices')
      .getByText(/今日宽带业务办理请到7号窗口/)
      .waitFor();
    await display.context().close();

    // A clerk may look but not change it.
    const clerk = await newPage(browser);
    await logIn(clerk, served.url, 'qy_clerk', DEMO_PASSWORD);
    await clerk.getByTestId('page-counter').waitFor(); // a clerk's home (issue #12)
    await expect(clerk.getByTestId('menu-queueConfig').count()).resolves.toBe(0);
    await expect(clerk.getByTestId('menu-counter').count()).resolves.toBe(1);
    await clerk.goto(`${served.url}/queue/config`);
    await clerk.getByText('您的岗位无权查看此页面').waitFor();
    await expect(clerk.getByTestId('page-queue-config').count()).resolves.toBe(0);
    for (const p of [page, clerk]) await p.context().close();
  });
});
