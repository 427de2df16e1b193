/**
 * Numbers that agree (issue #12), in headless Chromium against the real server: the kiosk card, the slip,
 * the remote page, the floor guide and the floor view show one expected wait and one count of waiting; the
 * floor view lists one alert row per queue, acknowledged with a click, and one "open N more counters"
 * figure; a parked or transferred ticket leaves the display at once; the transfer dialog does not offer
 * the ticket's own queue; a VIP past the VIP limit is called before an appointment.
 */
import { sql } from 'drizzle-orm';
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, expect, it } from 'vitest';
import { DEMO_PASSWORD, demoCustomers } from '../../src/modules/demo/seed.ts';
import { rows } from '../../src/platform/db/index.ts';
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

async function deviceToken(label: string, position: string): Promise<string> {
  const api = await apiAs(served.url, 'qy_manager');
  return (
    await api.post<{ token: string }>('/api/tokens', {
      kind: 'device',
      unitId: hallId,
      label,
      positions: [position],
    })
  ).token;
}

async function take(category: string, n: number, phone?: string): Promise<{ id: string; number: string }[]> {
  const guide = await apiAs(served.url, 'qy_guide');
  const out: { id: string; number: string }[] = [];
  for (let i = 0; i < n; i++) {
    out.push(await guide.post(`/api/halls/${hallId}/tickets`, { category, ...(phone ? { phone } : {}) }));
  }
  return out;
}

const minutesIn = async (page: Page, testId: string, pattern: RegExp): Promise<number> => {
  const text = await page.getByTestId(testId).innerText();
  const m = pattern.exec(text);
  expect(m, `${testId}: ${text}`).not.toBeNull();
  return Number(m![1]);
};

describeInBrowser('numbers that agree', () => {
  beforeAll(async () => {
    browser = await launch();
  });
  afterAll(async () => {
    await browser?.close();
  });
  beforeEach(async () => {
    served = await serve({ start: START });
    const admin = await apiAs(served.url, 'admin');
    hallId = (await admin.get<{ id: string; code: string }[]>('/api/units')).find(
      (u) => u.code === 'YC-QY-H01',
    )!.id;
  });
  afterEach(async () => {
    for (const context of browser.contexts()) await context.close();
    await served?.close();
  });

  it('shows one expected wait and one count of waiting on the kiosk, the slip, the remote page, the guide and the floor view', async () => {
    const counters = await counterIds(served.url, hallId);
    await (await apiAs(served.url, 'qy_clerk')).post(`/api/counters/${counters[1]}/open`);
    await (await apiAs(served.url, 'qy_clerk2')).post(`/api/counters/${counters[2]}/open`);
    await take('business', 5);
    await take('terminal', 3); // the same queue as business: one line, one count
    const kioskToken = await deviceToken('1号取号机', 'device_kiosk');

    const kiosk = await newPage(browser, { width: 1440, height: 900 });
    await kiosk.goto(`${served.url}/kiosk/${hallId}?token=${kioskToken}`);
    await kiosk.getByTestId('kiosk-category-business').getByText('等待 8 人').waitFor();
    await kiosk.getByTestId('kiosk-category-terminal').getByText('等待 8 人').waitFor();
    const card = await minutesIn(kiosk, 'kiosk-category-business', /约 (\d+) 分钟/);
    expect(card).toBeGreaterThan(1);
    await screenshot(kiosk, 'numbers-kiosk-1440x900-zh');

    const guide = await newPage(browser, { width: 1024, height: 768 });
    await logIn(guide, served.url, 'qy_guide', DEMO_PASSWORD);
    await guide.getByTestId('menu-guide').click();
    await guide
      .getByTestId('guide-wait-business')
      .getByText(/等待 8/)
      .waitFor();
    expect(await minutesIn(guide, 'guide-wait-business', /约 (\d+) 分钟/)).toBe(card);
    expect(await minutesIn(guide, 'guide-wait-terminal', /约 (\d+) 分钟/)).toBe(card);
    await screenshot(guide, 'numbers-guide-1024x768-zh');

    const floor = await newPage(browser, { width: 1440, height: 900 });
    await logIn(floor, served.url, 'qy_duty', DEMO_PASSWORD);
    await floor.getByTestId('menu-floor').click();
    await floor.getByTestId('queue-estimate-normal').waitFor();
    expect(await minutesIn(floor, 'queue-estimate-normal', /(\d+) 分钟/)).toBe(card);
    await expect(floor.getByTestId('floor-total-waiting').innerText()).resolves.toContain('8');
    await screenshot(floor, 'numbers-floor-1440x900-zh');

    const remote = await newPage(browser, { width: 390, height: 844 });
    await remote.goto(`${served.url}/m/halls/${hallId}`);
    await remote.getByTestId('remote-category-business').getByText('等待 8 人').waitFor();
    await remote.getByTestId('remote-category-terminal').getByText('等待 8 人').waitFor();
    await screenshot(remote, 'numbers-remote-390x844-zh');

    // The slip taken at the kiosk now shows the card's figure.
    await kiosk.getByTestId('kiosk-category-business').click();
    await kiosk.getByTestId('kiosk-skip').click();
    await kiosk.getByTestId('ticket-slip').waitFor();
    expect(await minutesIn(kiosk, 'slip-wait', /约 (\d+) 分钟/)).toBe(card);
    await screenshot(kiosk, 'numbers-kiosk-slip-1440x900-zh');
  });

  it('lists one alert row per queue, acknowledged with a click, and one figure of counters to open for the hall', async () => {
    await take('business', 8);
    await take('payment', 3);
    served.clock.advanceMinutes(31);
    const floor = await newPage(browser, { width: 1440, height: 900 });
    await logIn(floor, served.url, 'qy_duty', DEMO_PASSWORD);
    await floor.getByTestId('menu-floor').click();
    const alertRows = floor.getByTestId('floor-alerts').locator('[data-key]');
    await floor.locator('[data-key="queue:normal"]').waitFor();
    // 11 tickets over the limit, two rows.
    await expect(alertRows.count()).resolves.toBe(2);
    const normal = floor.locator('[data-key="queue:normal"]');
    await expect(normal.innerText()).resolves.toMatch(
      /普通业务：最久 A001 已等待 31 分钟（时限 30 分钟），超时 8 人，临近时限 0 人/,
    );
    const advice = floor.getByTestId('floor-advice');
    const total = Number(await advice.getAttribute('data-count'));
    expect(total).toBeGreaterThan(0);
    expect(total).toBeLessThanOrEqual(8); // the demo hall's counters, all closed
    const shares = await Promise.all(
      ['vip', 'normal', 'pay', 'g3', 'service', 'group'].map(async (q) =>
        Number((await floor.getByTestId(`queue-to-open-${q}`).innerText()).replace('+', '') || 0),
      ),
    );
    expect(shares.reduce((a, b) => a + b, 0)).toBe(total);
    await expect(advice.innerText()).resolves.toContain(`建议再开 ${total} 个台席`);
    await screenshot(floor, 'numbers-floor-alerts-1440x900-zh');
    await normal.getByTestId('alert-acknowledge').click();
    await normal
      .getByTestId('alert-acknowledged')
      .getByText(/已知悉/)
      .waitFor();
    await expect(normal.getAttribute('data-acknowledged')).resolves.toBe('true');
    const [event] = await rows<{ n: number }>(
      served.database.db,
      sql`select count(*)::int as n from events where action = 'queue.alert_acknowledged'`,
    );
    expect(event!.n).toBe(1);
    await floor.getByTestId('lang-switch').click();
    await normal
      .getByText(/General: longest A001 has waited 31 min \(limit 30 min\); 8 over the limit, 0 near it/)
      .waitFor();
    await screenshot(floor, 'numbers-floor-alerts-1440x900-en');
  });

  it('takes a parked and a transferred ticket off the display at once, and the transfer offers no way back into its own queue', async () => {
    const [a, b] = await take('business', 2);
    const displayToken = await deviceToken('大厅叫号屏', 'device_display');
    const display = await newPage(browser, { width: 1920, height: 1080 });
    await display.goto(`${served.url}/display/${hallId}?token=${displayToken}`);
    await display.getByTestId('display-hall-name').waitFor();

    const clerk = await newPage(browser, { width: 1440, height: 900 });
    await logIn(clerk, served.url, 'qy_clerk', DEMO_PASSWORD);
    await clerk.getByTestId('menu-counter').click();
    await clerk.getByTestId('counter-open-1').click();
    await clerk.getByTestId('counter-call-next').click();
    await clerk.getByTestId('current-number').getByText(a!.number).waitFor();
    await display.getByTestId('display-number').getByText(a!.number).waitFor({ timeout: 3000 });
    await screenshot(display, 'numbers-display-calling-1920x1080');
    await clerk.getByTestId('counter-park').click();
    await clerk.getByTestId('park-reason').fill('取身份证');
    await clerk.getByTestId('park-submit').click();
    await clerk.getByTestId('counter-parked').waitFor();
    // Off the "now calling" area and the recent calls within 3 s, by the hall's stream.
    await display.getByTestId('display-number').waitFor({ state: 'detached', timeout: 3000 });
    await expect(display.getByTestId('display-recent').innerText()).resolves.not.toContain(a!.number);
    await screenshot(display, 'numbers-display-parked-1920x1080');

    await clerk.getByTestId('counter-call-next').click();
    await clerk.getByTestId('current-number').getByText(b!.number).waitFor();
    await display.getByTestId('display-number').getByText(b!.number).waitFor({ timeout: 3000 });
    await clerk.getByTestId('counter-transfer').click();
    await clerk.getByTestId('transfer-queue').click();
    const options = clerk.locator('.ant-select-dropdown:visible .ant-select-item-option');
    await options.first().waitFor();
    const labels = await options.allInnerTexts();
    expect(labels.some((l) => l.includes('普通业务'))).toBe(false); // its own queue
    expect(labels.some((l) => l.includes('售后与投诉'))).toBe(true);
    await screenshot(clerk, 'numbers-counter-transfer-1440x900-zh');
    await clerk.locator('.ant-select-dropdown:visible').getByText('W · 售后与投诉').click();
    await clerk.getByTestId('transfer-submit').click();
    await clerk.getByText(`${b!.number} 已转移`).waitFor();
    await display.getByTestId('display-number').waitFor({ state: 'detached', timeout: 3000 });
    await screenshot(display, 'numbers-display-transferred-1920x1080');
  });

  it('calls a VIP who waited past the VIP limit before an appointment check-in, at the VIP counter', async () => {
    const diamond = demoCustomers(60, {}).find((c) => c.clubTier === 'diamond' && !c.is3g)!.contactPhone;
    const [vip] = await take('business', 1, diamond);
    served.clock.advanceMinutes(6); // past the VIP limit of 5 minutes
    const [appointment] = await take('business', 1, diamond);
    // As an on-time check-in makes it: an appointment ticket of the VIP queue (priority 1).
    await served.database.db.execute(
      sql`update queue_tickets set priority = 1, channel = 'appointment' where id = ${appointment!.id}`,
    );
    const counter = await newPage(browser, { width: 1440, height: 900 });
    await logIn(counter, served.url, 'qy_vip', DEMO_PASSWORD);
    await counter.getByTestId('menu-counter').click();
    await counter.getByTestId('counter-open-4').click();
    await counter.getByTestId('counter-call-next').click();
    await counter.getByTestId('current-number').getByText(vip!.number).waitFor();
    await screenshot(counter, 'numbers-counter-vip-first-1440x900-zh');
  });
});
