/**
 * The clerk and the customer at the counter (issue #12), in headless Chromium against the real server: a
 * clerk lands on the counter page; every demo position's menu is what the server's permission map allows
 * (and a forbidden page is a 403 page); the clerk's own figures change after serving; a specific number is
 * called with a reason; the counter's rating pad rates the finished ticket and the statistics show it.
 */
import { afterAll, afterEach, beforeAll, beforeEach, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { POSITIONS } from '../../src/core/positions.ts';
import type { Position } from '../../src/core/positions.ts';
import { DEMO_PASSWORD, DEMO_STAFF } from '../../src/modules/demo/seed.ts';
import { ALL_POLICIES } from '../../src/modules/policies.ts';
import { COUNTER_POSITIONS } from '../../src/modules/queue/policy.ts';
import { authorityOf } from '../../src/platform/auth/policy.ts';
import { PAGE_NEEDS, QUEUE_PAGES } from '../../web/src/platform/access.ts';
import type { PageKey } from '../../web/src/platform/access.ts';
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
/** Many logins and pages on a shared 2-core machine: more than the 90 s the other browser tests get. */
const SLOW = 180_000;
let served: Served;
let browser: Browser;
let hallId: string;

/**
 * The pages a person with these positions should find in the menu, from the server's own policies (the
 * permissions GET /api/auth/me reports are exactly these): every page whose permission they hold; a
 * clerk (only counter positions) has the counter page as home and no dashboard entry.
 */
function expectedMenu(positions: readonly Position[]): PageKey[] {
  const held = authorityOf(ALL_POLICIES, positions);
  const clerk = positions.every((p) => COUNTER_POSITIONS.includes(p));
  return (Object.keys(PAGE_NEEDS) as PageKey[])
    .filter((k) => {
      const needs = PAGE_NEEDS[k];
      if (needs.hidden) return false;
      if (k === 'home') return !clerk;
      return needs.anyOf.some((p) => held.has(p));
    })
    .sort();
}

async function menuOf(page: Page): Promise<PageKey[]> {
  await page.getByTestId('side-menu').waitFor();
  const ids = await page
    .getByTestId('side-menu')
    .locator('[data-testid^="menu-"]')
    .evaluateAll((els) => els.map((e) => e.getAttribute('data-testid')!.slice('menu-'.length)));
  return ids.filter((k): k is PageKey => k !== 'queue').sort();
}

describeInBrowser('the clerk at the counter', () => {
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

  // One account per distinct set of positions (every position of the demo is held by one of them), the
  // clerks (only counter positions) and the others apart.
  const seen = new Set<string>();
  const accounts = DEMO_STAFF.filter(([, , , positions]) => {
    const key = [...positions].sort().join('+');
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  const isClerk = (positions: readonly Position[]) => positions.every((p) => COUNTER_POSITIONS.includes(p));

  /** Logs each account in through the login page: where it lands, and its menu against the permissions. */
  async function menusOf(list: typeof accounts): Promise<Page> {
    const page = await newPage(browser);
    for (const [, username, , positions] of list) {
      await page.context().clearCookies();
      await logIn(page, served.url, username, DEMO_PASSWORD);
      const clerk = isClerk(positions);
      await page.getByTestId(clerk ? 'page-counter' : 'side-menu').waitFor();
      expect(new URL(page.url()).pathname, username).toBe(clerk ? '/counter' : '/');
      const menu = await menuOf(page);
      expect(menu, `${username} (${positions.join(', ')})`).toEqual(expectedMenu(positions));
      if (clerk) {
        expect(menu, username).not.toContain('tokens');
        expect(menu, username).not.toContain('settings');
        expect(menu, username).toContain('counter');
      }
    }
    return page;
  }

  it(
    'gives every demo position the menu its permissions allow (all but the clerks)',
    async () => {
      expect(new Set(accounts.flatMap((a) => a[3])).size).toBe(Object.keys(POSITIONS).length);
      await menusOf(accounts.filter((a) => !isClerk(a[3])));
    },
    SLOW,
  );

  it(
    'a clerk lands on the counter with the menu its permissions allow; a forbidden page is a 403',
    async () => {
      const page = await menusOf(accounts.filter((a) => isClerk(a[3])));
      expect(QUEUE_PAGES).toContain('counter');

      // A clerk going straight to a page it may not use sees the 403 page, and its way home is the counter.
      await page.context().clearCookies();
      await logIn(page, served.url, 'qy_clerk', DEMO_PASSWORD);
      await page.getByTestId('page-counter').waitFor();
      for (const path of ['/settings', '/tokens', '/queue/config', '/audit', '/staff']) {
        await page.goto(`${served.url}${path}`);
        await page.locator('.ant-result-403').waitFor();
        await page.getByText('403', { exact: true }).waitFor();
        expect(await page.getByTestId('side-menu').isVisible()).toBe(true);
      }
      await screenshot(page, 'clerk-forbidden-settings-1440');
      await page.getByRole('button', { name: /返回首页|Back/ }).click();
      await page.getByTestId('page-counter').waitFor();
      expect(new URL(page.url()).pathname).toBe('/counter');
    },
    SLOW,
  );

  it(
    'calls a specific number with a reason, and the clerk’s own figures change after serving',
    async () => {
      const guide = await apiAs(served.url, 'qy_guide');
      const numbers: string[] = [];
      for (let i = 0; i < 3; i++) {
        numbers.push(
          (await guide.post<{ number: string }>(`/api/halls/${hallId}/tickets`, { category: 'business' }))
            .number,
        );
      }
      const page = await newPage(browser);
      await logIn(page, served.url, 'qy_clerk', DEMO_PASSWORD);
      await page.getByTestId('page-counter').waitFor();
      expect(new URL(page.url()).pathname).toBe('/counter');
      await page.getByTestId('my-day-served').getByText('0').waitFor();
      await page.getByTestId('counter-open-1').click();
      await page.getByTestId('counter-call-number').click();
      // The third customer, not the first: they came back after missing their call.
      const third = numbers[2]!;
      await page.getByTestId('call-number-number').locator('input').fill(third.toLowerCase());
      await choose(page, 'call-number-reason', '过号客户返回');
      await screenshot(page, 'clerk-call-number-1440');
      await page.getByTestId('call-number-submit').click();
      await page.getByTestId('current-number').getByText(third).waitFor();
      await page.getByTestId('counter-start').click();
      await page.getByTestId('counter-business-done').waitFor();
      served.clock.set('2026-03-02T02:06:00.000Z');
      await page.getByTestId('counter-finish').click();
      await page.getByTestId('finish-submit').click();
      await page.getByTestId('counter-call-next').waitFor();
      await page.getByTestId('my-day-served').getByText('1').waitFor();
      await page.getByTestId('my-day-average').getByText('6.0').waitFor();
      await page.getByTestId('my-day-within').getByText('100').waitFor();
      await screenshot(page, 'clerk-counter-1440');

      // A number that is not waiting is refused with the server's message in the form.
      await page.getByTestId('counter-call-number').click();
      await page.getByTestId('call-number-number').locator('input').fill(third);
      await choose(page, 'call-number-reason', '值班经理安排');
      await page.getByTestId('call-number-submit').click();
      await page.getByText(`号票${third}当前已办结，不能叫号`).waitFor();
      // "Other" needs words.
      await choose(page, 'call-number-reason', '其他原因');
      await page.getByTestId('call-number-number').locator('input').fill(numbers[0]!);
      await page.getByTestId('call-number-submit').click();
      await page.getByText('选择“其他原因”时请写明原因（2–100 字）').waitFor();
      await page.getByTestId('call-number-note').fill('客户在咨询台等候');
      await page.getByTestId('call-number-submit').click();
      await page.getByTestId('current-number').getByText(numbers[0]!).waitFor();
    },
    SLOW,
  );

  it(
    'the rating pad rates the ticket just finished, once, and the statistics count it',
    async () => {
      const counters = await counterIds(served.url, hallId);
      const manager = await apiAs(served.url, 'qy_manager');
      const { token } = await manager.post<{ token: string }>('/api/tokens', {
        kind: 'device',
        unitId: hallId,
        label: '1号窗口评价器',
        positions: ['device_rating_pad'],
        counterId: counters[1],
      });
      const pad = await newPage(browser, { width: 1024, height: 768 });
      await pad.goto(`${served.url}/pad?token=${token}`);
      await pad.getByTestId('pad-idle').waitFor();
      expect(pad.url()).not.toContain('token=');

      // The clerk serves a customer at counter 1.
      const clerk = await apiAs(served.url, 'qy_clerk');
      await clerk.post(`/api/counters/${counters[1]}/open`);
      const guide = await apiAs(served.url, 'qy_guide');
      const ticket = await guide.post<{ id: string; number: string }>(`/api/halls/${hallId}/tickets`, {
        category: 'business',
      });
      await clerk.post(`/api/counters/${counters[1]}/call-next`);
      await clerk.post(`/api/tickets/${ticket.id}/start`);
      served.clock.set('2026-03-02T02:04:00.000Z');
      await clerk.post(`/api/tickets/${ticket.id}/finish`, { outcome: 'served', business: [] });

      // The pad follows its hall's feed: the finished ticket is there to rate.
      await pad.getByTestId('pad-ticket').getByText(ticket.number).waitFor();
      await pad.getByText('服务人员：张悦').waitFor();
      await pad.getByTestId('pad-score-5').click();
      await pad.getByTestId('pad-reason-fast').click();
      await pad.getByTestId('pad-comment').fill('很快，谢谢');
      await screenshot(pad, 'clerk-rating-pad-1024');
      await pad.getByTestId('pad-submit').click();
      await pad.getByTestId('pad-thanks').waitFor();
      await screenshot(pad, 'clerk-rating-pad-thanks-1024');
      // English too.
      await pad.getByTestId('lang-switch').click();
      await pad.getByText('Thank you for your rating!').waitFor();

      // The hall manager's statistics by counter show the rating.
      const page = await newPage(browser);
      await logIn(page, served.url, 'qy_manager', DEMO_PASSWORD);
      await page.getByTestId('menu-queueStats').click();
      await page.getByTestId('stats-by').getByText('台席').click();
      await page.getByTestId(`stats-rating-count-${counters[1]}`).getByText('1').waitFor();
      await page.getByTestId(`stats-rating-average-${counters[1]}`).getByText('5.00').waitFor();
      await page.getByText('客户评价（服务评价器）').waitFor();
      await screenshot(page, 'clerk-stats-ratings-1440');

      // The clerk's own figures count it too.
      const mine = await clerk.get<{ ratings: { count: number; average: number } }>('/api/queue/my-day');
      expect(mine.ratings).toMatchObject({ count: 1, average: 5 });
    },
    SLOW,
  );
});
