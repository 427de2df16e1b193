/**
 * Browser tests: the real server on a fresh database with demo data, listening on a free port, driven by
 * the system Chromium through playwright-core (nothing is downloaded). Without Chromium the tests are
 * skipped with a loud warning — except under CI=true, where a missing browser fails the run.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { chromium } from 'playwright-core';
import type { Browser, Page } from 'playwright-core';
import { afterEach, describe, expect } from 'vitest';
import { createApp } from '../../src/app.ts';
import { ManualClock } from '../../src/platform/clock.ts';
import type { Database } from '../../src/platform/db/index.ts';
import { defaultWebDist } from '../../src/platform/http/server.ts';
import type { FastifyInstance } from 'fastify';
import { DEMO_PASSWORD, seedDemo } from '../../src/modules/demo/seed.ts';
import { TEST_START, freshDatabase } from '../support/app.ts';

export const CHROMIUM = '/usr/bin/chromium';
const ready = existsSync(CHROMIUM) && existsSync(`${defaultWebDist}/index.html`);

if (!ready) {
  const why = `${existsSync(CHROMIUM) ? '' : `no ${CHROMIUM} (apt-get install chromium fonts-noto-cjk)`} ${
    existsSync(`${defaultWebDist}/index.html`) ? '' : 'no built console (npm run build:web)'
  }`.trim();
  if (process.env.CI === 'true') throw new Error(`browser tests are required under CI=true: ${why}`);
  console.warn(`\n${'!'.repeat(72)}\n!! BROWSER TESTS SKIPPED: ${why}\n${'!'.repeat(72)}\n`);
}

export const SCREENSHOTS = 'test-results';

/** The pages the running test opened with `newPage`, for the screenshots of a failure. */
const opened = new Set<Page>();

/**
 * `describe` when the browser and the built console are there (`describe.skip` otherwise), with time for
 * a slow machine; when a test fails, each page it left open is saved as `test-results/failed-…png`.
 */
export function describeInBrowser(name: string, body: () => void): void {
  (ready ? describe : describe.skip)(name, { timeout: 90_000 }, () => {
    body();
    // Registered after the body's own hooks, so it runs before them (hooks after a test run as a stack).
    afterEach(async (context) => {
      const pages = [...opened].filter((p) => !p.isClosed());
      opened.clear();
      if (context.task.result?.state !== 'fail') return;
      const test = context.task.name.replace(/[^\w一-龥]+/g, '-').slice(0, 60);
      for (const [i, page] of pages.entries()) {
        await screenshot(page, `failed-${test}-${i}`).catch(() => undefined);
      }
    });
  });
}

/**
 * A page in its own browser context (its own cookies), in Chinese, for a person who asked for reduced
 * motion: no list slides and no dialog zooms while a step clicks it. Each step waits at most 10 s, so a
 * step that never happens fails by its own name, well before the test's time is up.
 */
export async function newPage(browser: Browser, viewport = { width: 1440, height: 900 }): Promise<Page> {
  const context = await browser.newContext({ locale: 'zh-CN', viewport, reducedMotion: 'reduce' });
  context.setDefaultTimeout(10_000);
  const page = await context.newPage();
  opened.add(page);
  return page;
}

/**
 * Chooses `label` in the Ant Design select `testId` (one that can be typed into) as a person does with
 * the keyboard: opens it, types to narrow the list, waits until the option is the highlighted one,
 * presses Enter and, where several may be chosen, leaves the field so the list closes. (Not a click on the
 * option: the list may still be sliding into place. Not Escape: with the list already closed it would
 * close the dialog around it.)
 */
export async function choose(page: Page, testId: string, label: string): Promise<void> {
  const select = page.getByTestId(testId);
  const input = select.locator('input');
  const title = `[title="${label.replace(/["\\]/g, '\\$&')}"]`;
  // This select's own list (the list box named after its input), not another one still closing.
  const list = page.locator(`.ant-select-dropdown:has([id="${await input.getAttribute('id')}_list"])`);
  await select.click();
  await input.pressSequentially(label);
  await list.locator(`.ant-select-item-option-active${title}`).waitFor();
  await input.press('Enter');
  await select.locator(title).waitFor(); // the chosen tag, or the single choice
  if (await list.isVisible()) {
    await input.blur(); // as a click elsewhere would
    await list.waitFor({ state: 'hidden' });
  }
}

export interface Served {
  url: string;
  app: FastifyInstance;
  database: Database;
  clock: ManualClock;
  close(): Promise<void>;
}

/** The server with demo data on a fresh database, on a free port. */
export async function serve(options: { customers?: number; start?: string } = {}): Promise<Served> {
  const database = await freshDatabase();
  const clock = new ManualClock(options.start ?? TEST_START);
  await seedDemo(database.db, clock, { customers: options.customers ?? 60, workOrders: false });
  const app = await createApp({ database, clock });
  const address = await app.listen({ port: 0, host: '127.0.0.1' });
  return {
    url: address,
    app,
    database,
    clock,
    async close() {
      await app.close();
      await database.close();
    },
  };
}

export function launch(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/** Saves a full-page screenshot under test-results/ and answers its path. */
export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  const path = `${SCREENSHOTS}/${name}.png`;
  await page.screenshot({ path, fullPage: true });
  return path;
}

/** Logs in through the login page, and returns once the console has let the person in. */
export async function logIn(page: Page, url: string, username: string, password: string): Promise<void> {
  await page.goto(`${url}/login`);
  await page.getByTestId('login-username').fill(username);
  await page.getByTestId('login-password').fill(password);
  await page.getByTestId('login-submit').click();
  // Done when the console has left the login page: a navigation before that would abort the login request.
  await page.waitForURL((u) => !u.pathname.startsWith('/login'));
}

/** The API as a user (session cookie), through plain fetch: for setting the scene of a browser test. */
export async function apiAs(url: string, username: string) {
  const res = await fetch(`${url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password: DEMO_PASSWORD }),
  });
  expect(res.status, `login ${username}`).toBe(200);
  const cookie = (res.headers.get('set-cookie') ?? '').split(';')[0]!;
  const call = async <T>(method: string, path: string, body?: unknown): Promise<T> => {
    const r = await fetch(`${url}${path}`, {
      method,
      headers: { cookie, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await r.text();
    expect(r.ok, `${method} ${path}: ${r.status} ${text}`).toBe(true);
    return (text ? JSON.parse(text) : undefined) as T;
  };
  return {
    get: <T>(path: string) => call<T>('GET', path),
    post: <T>(path: string, body: unknown = {}) => call<T>('POST', path, body),
  };
}

/** The hall's counters by number → id, as the hall manager reads its configuration. */
export async function counterIds(url: string, hallId: string): Promise<Record<number, string>> {
  const api = await apiAs(url, 'qy_manager');
  const config = await api.get<{ counters: { id: string; number: number }[] }>(
    `/api/halls/${hallId}/queue-config`,
  );
  return Object.fromEntries(config.counters.map((c) => [c.number, c.id]));
}
