/**
 * The print page of a visit's signed document (一单清, /visits/:id/print): the sheet shows every business, the
 * total, the payments, the masked ID and the signature as the PDF does; printed (Chromium's own PDF of the page)
 * it is A4 with no console chrome, the header on every page and page numbers; a copy is marked 副本 with the
 * original's SHA-256, and a reprint from the page moves to the next copy; the toolbar follows the language.
 *
 * The visit's document comes from a fixture through Playwright's request interception (page.route), so the
 * page is tested whatever state the visits backend is in; the login, the session and the console are real.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { z } from 'zod';
import { DEMO_PASSWORD } from '../../src/modules/demo/seed.ts';
import { VisitDocument } from '../../src/modules/visits/contract.ts';
import {
  FIXTURE_FULL_ID,
  FIXTURE_MASKED_ID,
  fixtureContent,
  fixtureSignatureDataUrl,
} from '../support/document-fixture.ts';
import type { Served } from './support.ts';
import { describeInBrowser, launch, logIn, newPage, screenshot, serve } from './support.ts';

const VISIT = '0190f2a4-7c1e-7b3a-9d2e-3f4a5b6c7d8e';
const SHA = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';

let served: Served;
let browser: Browser;
const dir = mkdtempSync(join(tmpdir(), 'fuwu-print-'));

function fixtureDocument(copies: number, extraLines = 0): z.infer<typeof VisitDocument> {
  return VisitDocument.parse({
    id: '0190f2a4-7c1e-7b3a-9d2e-000000000001',
    visitId: VISIT,
    content: fixtureContent(extraLines),
    signature: fixtureSignatureDataUrl(),
    sha256: SHA,
    signedAt: '2026-12-03T02:42:00.000Z',
    copies,
    voidedAt: null,
    replaces: null,
  });
}

/**
 * Serves the fixture as `GET /api/visits/{VISIT}/document` (and counts a reprint as one more copy), and grants
 * `visit.read` in the person's permissions where the server does not report it yet (the visits module's policy
 * grants it to counter positions), so the page's guard lets the clerk in.
 */
async function withDocument(page: Page, doc: z.infer<typeof VisitDocument>): Promise<{ reprints: number }> {
  const state = { reprints: 0, doc };
  await page.route('**/api/auth/me', async (route) => {
    const response = await route.fetch();
    if (!response.ok()) return route.fulfill({ response }); // before the login: 401 as it is
    const me = (await response.json()) as { permissions: string[] };
    if (!me.permissions.includes('visit.read')) me.permissions.push('visit.read');
    await route.fulfill({ response, json: me });
  });
  await page.route(`**/api/visits/${VISIT}/document`, (route) => route.fulfill({ json: state.doc }));
  await page.route(`**/api/visits/${VISIT}/reprint`, async (route) => {
    state.reprints++;
    state.doc = { ...state.doc, copies: state.doc.copies + 1 };
    await route.fulfill({ json: {} });
  });
  return state;
}

/** Chromium's own print of the page (A4, print CSS) and its text per page through pdftotext. */
async function printed(page: Page, name: string): Promise<{ pages: string[] }> {
  await page.emulateMedia({ media: 'print' });
  const pdf = await page.pdf({ preferCSSPageSize: true, printBackground: true });
  await page.emulateMedia({ media: 'screen' });
  const file = join(dir, `${name}.pdf`);
  writeFileSync(file, pdf);
  const count = Number(/Pages:\s+(\d+)/.exec(execFileSync('pdfinfo', [file], { encoding: 'utf8' }))?.[1]);
  const info = execFileSync('pdfinfo', [file], { encoding: 'utf8' });
  expect(info).toMatch(/Page size:\s+59[45]\.\d+ x 841\.\d+ pts \(A4\)/);
  const pages = Array.from({ length: count }, (_, i) =>
    execFileSync('pdftotext', ['-layout', '-f', String(i + 1), '-l', String(i + 1), file, '-'], {
      encoding: 'utf8',
    }),
  );
  execFileSync('pdftoppm', ['-png', '-r', '50', '-f', '1', '-l', '2', file, join('test-results', name)]);
  return { pages };
}

describeInBrowser('the print page of a signed document', () => {
  beforeAll(async () => {
    served = await serve({ customers: 5 });
    browser = await launch();
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await served?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('shows the original as the PDF does, and prints it on A4 without the console', async () => {
    const page = await newPage(browser, { width: 1280, height: 1000 });
    await withDocument(page, fixtureDocument(0));
    await logIn(page, served.url, 'qy_clerk', DEMO_PASSWORD);
    await page.goto(`${served.url}/visits/${VISIT}/print`);
    const sheet = page.getByTestId('document-sheet');
    await sheet.waitFor();
    const text = await sheet.innerText();
    for (const l of fixtureContent().lines) {
      expect(text).toContain(l.businessZh);
      expect(text).toContain(l.businessEn);
    }
    expect(await page.getByTestId('document-line').count()).toBe(3);
    expect(await page.getByTestId('document-total').innerText()).toMatch(/合计 Total\s*¥ 96\.50/);
    expect(await page.getByTestId('document-paid').innerText()).toContain('¥ 96.50');
    expect(text).toContain(`居民身份证 ${FIXTURE_MASKED_ID}`);
    expect(await page.content()).not.toContain(FIXTURE_FULL_ID);
    for (const s of [
      '中国联通 广东分公司',
      'GZ0101-20261203-0007',
      '2026-12-03 10:42 (Asia/Shanghai)',
      '10010',
    ]) {
      expect(text).toContain(s);
    }
    // Chinese first, English beneath, in the terms too.
    expect(text.indexOf('请您核对本单')).toBeLessThan(text.indexOf('Please check every piece'));
    expect(text).not.toContain('副本');
    expect(text).not.toContain(SHA);
    expect(await page.getByTestId('document-which').innerText()).toBe('原件');
    const sig = page.getByTestId('document-signature');
    await expect(sig.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth)).resolves.toBe(
      360,
    );
    // The console's chrome is not there: no side menu.
    expect(await page.getByTestId('side-menu').count()).toBe(0);
    await screenshot(page, 'document-print-original');

    const { pages } = await printed(page, 'document-print-original-printed');
    expect(pages.length).toBe(1);
    const p1 = pages[0]!;
    expect(p1).toContain('业务受理单（一单清）');
    expect(p1).toMatch(/合计 Total\s+¥ 96\.50/);
    expect(p1).toContain('第 1 页 / 共 1 页');
    for (const chrome of ['打印', '补打副本', 'English']) expect(p1).not.toContain(chrome);
  });

  it('flows a long document onto more printed pages, each with the header and its page number', async () => {
    const page = await newPage(browser);
    await withDocument(page, fixtureDocument(0, 40));
    await logIn(page, served.url, 'qy_clerk', DEMO_PASSWORD);
    await page.goto(`${served.url}/visits/${VISIT}/print`);
    await page.getByTestId('document-sheet').waitFor();
    expect(await page.getByTestId('document-line').count()).toBe(43);
    const { pages } = await printed(page, 'document-print-long-printed');
    expect(pages.length).toBeGreaterThan(1);
    pages.forEach((t, i) => {
      expect(t).toContain('中国联通 广东分公司');
      expect(t).toContain('GZ0101-20261203-0007');
      expect(t).toContain(`第 ${i + 1} 页 / 共 ${pages.length} 页`);
    });
    expect(pages.join('\n')).toMatch(/合计 Total\s+¥ 296\.50/);
    expect(pages.at(-1)).toContain('客户签名');
  });

  it('marks a copy 副本 COPY n with the original hash; a reprint from the page is the next copy', async () => {
    const page = await newPage(browser);
    const state = await withDocument(page, fixtureDocument(2));
    await logIn(page, served.url, 'qy_clerk', DEMO_PASSWORD);
    await page.goto(`${served.url}/visits/${VISIT}/print?copy=true`);
    const mark = page.getByTestId('document-copy');
    await mark.waitFor();
    expect(await mark.innerText()).toContain('副本 COPY 2');
    expect(await page.getByTestId('document-sha').innerText()).toBe(SHA);
    expect(await page.getByTestId('document-pdf').getAttribute('href')).toBe(
      `/api/visits/${VISIT}/document.pdf?copy=true`,
    );
    await screenshot(page, 'document-print-copy');
    await page.getByTestId('document-reprint').click();
    await mark.getByText('副本 COPY 3').waitFor();
    expect(state.reprints).toBe(1);
    expect(await page.getByTestId('document-which').innerText()).toBe('副本 3');
    // Back to the original: no mark, no hash.
    await page.getByTestId('document-toggle').click();
    await page.getByTestId('document-which').getByText('原件').waitFor();
    expect(await page.getByTestId('document-copy').count()).toBe(0);
    expect(page.url()).not.toContain('copy=true');
  });

  it('switches the toolbar to English while the sheet stays Chinese first; a missing document says why', async () => {
    const page = await newPage(browser);
    await withDocument(page, fixtureDocument(0));
    await logIn(page, served.url, 'qy_clerk', DEMO_PASSWORD);
    await page.goto(`${served.url}/visits/${VISIT}/print`);
    await page.getByTestId('document-sheet').waitFor();
    await page.getByTestId('lang-switch').click();
    await page.getByTestId('document-print').getByText('Print').waitFor();
    expect(await page.getByTestId('document-which').innerText()).toBe('Original');
    expect(await page.getByTestId('document-total').innerText()).toMatch(/合计 Total/);
    await screenshot(page, 'document-print-en');

    const other = '0190f2a4-7c1e-7b3a-9d2e-ffffffffffff';
    await page.route(`**/api/visits/${other}/document`, (route) =>
      route.fulfill({
        status: 404,
        contentType: 'application/problem+json',
        json: {
          status: 404,
          title: 'Not Found',
          detail: 'No such document',
          code: 'not_found',
          messages: { 'zh-CN': '没有这份业务受理单', 'en-US': 'No such document' },
        },
      }),
    );
    await page.goto(`${served.url}/visits/${other}/print`);
    await page.getByText('No such document').waitFor();
    expect(await page.getByTestId('document-sheet').count()).toBe(0);
  });
});
