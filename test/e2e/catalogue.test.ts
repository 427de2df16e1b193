/**
 * The business catalogue page: a clerk reads the catalogue in force and finds a business by its pinyin
 * initials, with its notes; the province's administrator stores a new version with a changed fee (in force
 * at once), sees a wrong one refused with the reasons, and retires the version again.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import type { Served } from './support.ts';
import { describeInBrowser, launch, logIn, newPage, screenshot, serve } from './support.ts';
import { DEMO_PASSWORD } from '../../src/modules/demo/seed.ts';
import { BUILTIN_CATALOGUE } from '../../src/core/business-catalogue.ts';

let served: Served;
let browser: Browser;

describeInBrowser('the business catalogue page', () => {
  beforeAll(async () => {
    served = await serve({ customers: 5 });
    browser = await launch();
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await served?.close();
  });

  it('a clerk finds a business by its pinyin initials and reads its notes; no new version for them', async () => {
    const page = await newPage(browser);
    await logIn(page, served.url, 'qy_clerk', DEMO_PASSWORD);
    await page.goto(`${served.url}/catalogue`);
    await page.getByTestId('catalogue-shown').getByText(BUILTIN_CATALOGUE.versionId).waitFor();
    await expect(page.getByTestId('catalogue-new').count()).resolves.toBe(0);
    await page.getByTestId('catalogue-search').locator('input').fill('xh');
    const first = page.getByTestId('catalogue-types').locator('tbody tr.ant-table-row').first();
    await first.getByText('销号').waitFor();
    await first.locator('.ant-table-row-expand-icon').click();
    const notes = page.getByTestId('catalogue-notes-cancel');
    await notes.waitFor();
    expect((await notes.innerText()).length).toBeGreaterThan(10);
    await screenshot(page, 'catalogue-clerk');
  });

  it('the administrator stores a version with a new fee, sees a wrong one refused, and retires it', async () => {
    const page = await newPage(browser);
    await logIn(page, served.url, 'admin', DEMO_PASSWORD);
    await page.goto(`${served.url}/catalogue`);
    await page.getByTestId('catalogue-new').click();
    const dialog = page.getByTestId('catalogue-dialog');
    await dialog.waitFor();
    await page.getByTestId('catalogue-version-id').fill('yc-2026.1');
    await dialog.getByText('补换卡 · sim_replace').click();
    const fee = page.getByTestId('catalogue-fee-sim_replace');
    await fee.fill('15');
    // An offer with no code is wrong: the server lists why and stores nothing.
    await page.getByTestId('catalogue-add-offer').click();
    await page.getByTestId('catalogue-store').click();
    await page.getByTestId('catalogue-problems').waitFor();
    await screenshot(page, 'catalogue-refused');
    await page.getByTestId('catalogue-offer').last().getByRole('button').click();
    await page.getByTestId('catalogue-store').click();
    await page.getByTestId('catalogue-shown').getByText('yc-2026.1').waitFor();
    await page.getByTestId('catalogue-search').locator('input').fill('bhk');
    await page.getByTestId('catalogue-types').getByText('¥15.00').waitFor();
    await screenshot(page, 'catalogue-admin');
    await page.getByTestId('catalogue-retire-yc-2026.1').click();
    await page.getByTestId('catalogue-versions').getByText('已停用', { exact: false }).waitFor();
    await page.getByTestId('catalogue-shown').getByText(BUILTIN_CATALOGUE.versionId).waitFor();
  });
});
