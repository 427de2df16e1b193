/**
 * Words a person reads, in the browser: a bad input shows one message in the chosen language (the field's
 * hint gives way to its error); the audit log shows actions, subjects and before/after by their labels, not
 * codes or JSON, in Chinese and in English, with clause references explained; the statistics charts keep
 * counter and clerk names apart at a desk's and a tablet's size, and the table downloads as .xlsx.
 */
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { Served } from './support.ts';
import { choose, describeInBrowser, launch, logIn, newPage, screenshot, serve } from './support.ts';
import { DEMO_PASSWORD } from '../../src/modules/demo/seed.ts';
import { simulateDay } from '../../src/modules/queue/simulate.ts';

let served: Served;
let browser: Browser;
const DAY = '2026-03-01';
const CODE = /\b[a-z][a-z0-9]*_?[a-z0-9]*\.[a-z][a-z0-9_]*\b/; // auth.login, staff.created …
const CJK = /[\u4e00-\u9fff]/;

async function toEnglish(page: Page) {
  await page.getByTestId('lang-switch').click();
  await page.getByTestId('lang-switch').getByText('中文').waitFor();
}

describeInBrowser('words', () => {
  beforeAll(async () => {
    served = await serve({ customers: 30 });
    await simulateDay(served.database.db, { hall: 'YC-QY-H01', date: DAY, seed: 11, load: 0.3 });
    browser = await launch();
  }, 240_000);
  afterAll(async () => {
    await browser?.close();
    await served?.close();
  });

  it('a bad input shows one message, in the chosen language, in place of the hint', async () => {
    const page = await newPage(browser);
    await logIn(page, served.url, 'admin', DEMO_PASSWORD);
    await page.getByTestId('menu-staff').click();
    for (const lang of ['zh', 'en'] as const) {
      if (lang === 'en') await toEnglish(page);
      await page.getByTestId('add-staff').click();
      const item = page.locator('.ant-form-item').filter({ has: page.getByTestId('staff-form-username') });
      const hint = item.locator('.ant-form-item-extra');
      await expect(hint.isVisible()).resolves.toBe(true);
      await page.getByTestId('staff-form-username').fill('9-not-a-name');
      await page.getByTestId('staff-form-username').blur();
      const errors = item.locator('.ant-form-item-explain-error');
      await errors.first().waitFor();
      await expect(errors.count()).resolves.toBe(1);
      await expect(hint.isVisible()).resolves.toBe(false);
      const text = await errors.first().innerText();
      if (lang === 'zh') expect(text).toMatch(CJK);
      else expect(text).not.toMatch(CJK);
      expect(text).not.toMatch(/¦|body\.|Invalid input/);
      await screenshot(page, `words-bad-input-${lang}`);
      await page
        .locator('.ant-modal')
        .getByRole('button', { name: lang === 'zh' ? /取\s*消/ : 'Cancel' })
        .click();
      await page.locator('.ant-modal').waitFor({ state: 'hidden' });
    }
    await page.context().close();
  });

  it('the audit log shows labels, not codes or JSON, in Chinese and in English', async () => {
    const page = await newPage(browser);
    await logIn(page, served.url, 'admin', DEMO_PASSWORD);
    await page.getByTestId('menu-audit').click();
    const table = page.getByTestId('audit-table');
    for (const lang of ['zh', 'en'] as const) {
      if (lang === 'en') await toEnglish(page);
      await choose(page, 'audit-filter-action', lang === 'zh' ? '新建单位' : 'Unit created');
      await page.getByTestId('audit-search').click();
      await table
        .getByText(lang === 'zh' ? '新建单位' : 'Unit created')
        .first()
        .waitFor();
      const actions = await table.getByTestId('audit-action').allInnerTexts();
      expect(actions.length).toBeGreaterThan(5);
      for (const a of actions) expect(a).toBe(lang === 'zh' ? '新建单位' : 'Unit created');
      const subjects = await table.getByTestId('audit-subject-type').allInnerTexts();
      for (const s of subjects) expect(s).toBe(lang === 'zh' ? '单位' : 'Unit');
      // open every row: the before/after is a table of labelled fields, values in words
      const icons = table.locator('button.ant-table-row-expand-icon-collapsed');
      const n = await icons.count();
      if (n > 0) await icons.first().click(); // (in English the rows opened in Chinese stay open)
      await table.getByTestId('audit-changes').first().waitFor();
      await page.screenshot({ path: `test-results/words-audit-${lang}-row.png` });
      for (let i = 1; i < n; i++) await icons.first().click();
      const text = await table.innerText();
      expect(text).toContain(lang === 'zh' ? '座席集中管理' : 'Seats centralised');
      expect(text).toContain(lang === 'zh' ? '营业时间' : 'Opening hours');
      expect(text).not.toContain('centralisedSeats');
      expect(text).not.toMatch(/[{}]|"\w+":/);
      expect(text).not.toMatch(CODE);
      if (lang === 'en') expect(text).not.toMatch(/座席集中管理|营业时间/);
      await screenshot(page, `words-audit-${lang}`);
      // the clause in the introduction is explained
      await page.getByTestId('clause-ref').first().hover();
      await page
        .getByTestId('clause-tooltip')
        .getByText(lang === 'zh' ? '信息安全' : 'Information security')
        .waitFor();
      await page.mouse.move(0, 0);
    }
    await page.context().close();
  });

  it('a unit’s internal attributes have labels: 座席集中管理：是', async () => {
    const page = await newPage(browser);
    await logIn(page, served.url, 'admin', DEMO_PASSWORD);
    await page.getByTestId('menu-org').click();
    await page.getByTestId('org-tree').getByText('云川省分公司').first().click();
    const tag = page.getByTestId('unit-attribute-centralisedSeats');
    await expect(tag.innerText()).resolves.toBe('座席集中管理：是');
    await toEnglish(page);
    await expect(tag.innerText()).resolves.toBe('Seats centralised: Yes');
    await page.context().close();
  });

  it('the settings page shows each setting by its name, not its code, in Chinese and in English', async () => {
    const page = await newPage(browser);
    await logIn(page, served.url, 'admin', DEMO_PASSWORD);
    await page.getByTestId('menu-settings').click();
    const table = page.getByTestId('settings-table');
    await page.getByTestId('setting-value-queue.waitMinutes').waitFor();
    expect(await table.innerText()).not.toMatch(CODE);
    await toEnglish(page);
    await page.getByTestId('setting-value-queue.waitMinutes').waitFor();
    expect(await table.innerText()).not.toMatch(CODE);
    await page.context().close();
  });

  it('statistics: names apart on the charts at 1440×900 and 1024×768; the table downloads as .xlsx', async () => {
    for (const viewport of [
      { width: 1440, height: 900 },
      { width: 1024, height: 768 },
    ]) {
      const page = await newPage(browser, viewport);
      await logIn(page, served.url, 'qy_manager', DEMO_PASSWORD);
      await page.goto(`${served.url}/queue/stats`);
      await page.getByTestId('page-queue-stats').waitFor();
      for (const by of ['counter', 'clerk'] as const) {
        await page
          .getByTestId('stats-by')
          .getByText(by === 'counter' ? '台席' : '员工')
          .click();
        const table = page.getByTestId('stats-table');
        await table.locator('tbody tr.ant-table-row').first().waitFor();
        await page.getByTestId('stats-chart-wait').locator('canvas').first().waitFor();
        await page.waitForTimeout(600); // the charts' animation
        await screenshot(page, `words-stats-${by}-${viewport.width}`);
        const rows = await table.locator('tbody tr.ant-table-row').count();
        const [download] = await Promise.all([
          page.waitForEvent('download'),
          page.getByTestId('stats-export').click(),
        ]);
        expect(download.suggestedFilename()).toMatch(new RegExp(`^queue-stats-${by}-.*\\.xlsx$`));
        const book = new ExcelJS.Workbook();
        await book.xlsx.readFile((await download.path())!);
        const sheet = book.worksheets[0]!;
        expect(sheet.rowCount).toBe(rows + 1);
        expect(sheet.getRow(1).getCell(2).value).toBe('取号数 Tickets');
        const firstLabel = await table
          .locator('tbody tr.ant-table-row')
          .first()
          .locator('td')
          .first()
          .innerText();
        expect(String(sheet.getRow(2).getCell(1).value)).toBe(firstLabel.trim());
        expect(JSON.stringify(sheet.getSheetValues())).not.toMatch(/1[3-9]\d{9}/);
      }
      await page.context().close();
    }
  });
});
