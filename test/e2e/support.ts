/**
 * Browser tests: the real server on a fresh database with demo data, listening on a free port, driven by
 * the system Chromium through playwright-core (nothing is downloaded). Without Chromium the tests are
 * skipped with a loud warning — except under CI=true, where a missing browser fails the run.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { chromium } from 'playwright-core';
import type { Browser, Page } from 'playwright-core';
import { describe } from 'vitest';
import { createApp } from '../../src/app.ts';
import { ManualClock } from '../../src/platform/clock.ts';
import type { Database } from '../../src/platform/db/index.ts';
import { defaultWebDist } from '../../src/platform/http/server.ts';
import type { FastifyInstance } from 'fastify';
import { seedDemo } from '../../src/modules/demo/seed.ts';
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

/** `describe` when the browser and the built console are there, `describe.skip` otherwise. */
export const describeInBrowser = ready ? describe : describe.skip;

export const SCREENSHOTS = 'test-results';

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
  await seedDemo(database.db, clock, { customers: options.customers ?? 60 });
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

/** Logs in through the login page. */
export async function logIn(page: Page, url: string, username: string, password: string): Promise<void> {
  await page.goto(`${url}/login`);
  await page.getByTestId('login-username').fill(username);
  await page.getByTestId('login-password').fill(password);
  await page.getByTestId('login-submit').click();
}
