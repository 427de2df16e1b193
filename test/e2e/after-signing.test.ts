/**
 * After signing, in the console (issue #13): a visit prepared through the API (a called ticket, a SIM
 * replacement, paid, signed) and then, in headless Chromium, what a person does with it — the clerk reprints
 * and the copy's PDF says 副本; the clerk corrects a line (a wrong value refused in place) and sees the
 * correction listed with who found it; a clerk has no void button while the hall manager voids with a reason
 * and the visit shows 作废; the clerk closes the cash day with the counted cash and a second close is refused;
 * what the pad waits for is shown again after a reload. Screenshots in zh-CN and en-US.
 */
import { execFileSync } from 'node:child_process';
import { sql } from 'drizzle-orm';
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, expect, it } from 'vitest';
import { DEMO_PASSWORD } from '../../src/modules/demo/seed.ts';
import type { Visit } from '../../src/modules/visits/contract.ts';
import { rows } from '../../src/platform/db/index.ts';
import { fixtureSignatureDataUrl } from '../support/document-fixture.ts';
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
const SLOW = 150_000;
let served: Served;
let browser: Browser;
let hallId: string;
let counter1: string;

interface Scene {
  visit: Visit;
  subId: string;
  number: string;
}

/** A visit of a called ticket at counter 1 by qy_clerk: a SIM replacement for a demo customer, paid in cash. */
async function paidVisit(): Promise<Scene> {
  const [c] = await rows<{ id: string; phone: string; doc: string; subId: string; number: string }>(
    served.database.db,
    sql`select c.id, c.contact_phone as phone, c.id_doc_number as doc, s.id as "subId", s.number
          from customers c join subscriptions s on s.customer_id = c.id
          join units u on u.id = ${hallId}
         where c.kind = 'individual' and c.id_doc_kind = 'resident_id' and c.contact_phone <> ''
           and c.unit_path like u.path || '%' and s.kind = 'mobile' and s.status = 'active'
         order by c.id limit 1`,
  );
  expect(c, 'a demo customer with a mobile number').toBeDefined();
  const clerk = await apiAs(served.url, 'qy_clerk');
  const guide = await apiAs(served.url, 'qy_guide');
  await clerk.post(`/api/counters/${counter1}/open`);
  const ticket = await guide.post<{ id: string }>(`/api/halls/${hallId}/tickets`, {
    category: 'business',
    phone: c!.phone,
  });
  await clerk.post(`/api/counters/${counter1}/call-next`);
  let visit = await clerk.post<Visit>('/api/visits', { ticketId: ticket.id, customerId: c!.id });
  visit = await clerk.post<Visit>(`/api/visits/${visit.id}/transactions`, {
    businessCode: 'sim_replace',
    subscriptionId: c!.subId,
    values: { iccid: '8986001234567890123', reason: 'lost' },
    identity: { document: { kind: 'resident_id', number: c!.doc } },
  });
  const fen = visit.totals.balanceFen;
  visit = await clerk.post<Visit>(`/api/visits/${visit.id}/payments`, {
    method: 'cash',
    amountFen: fen,
    tenderedFen: fen,
  });
  return { visit, subId: c!.subId, number: c!.number };
}

async function signedVisit(): Promise<Scene> {
  const scene = await paidVisit();
  const clerk = await apiAs(served.url, 'qy_clerk');
  const visit = await clerk.post<Visit>(`/api/visits/${scene.visit.id}/sign`, {
    signature: fixtureSignatureDataUrl(),
  });
  expect(visit.status).toBe('signed');
  return { ...scene, visit };
}

/** The clerk on the counter page, the visit of the called ticket on the panel. */
async function clerkPage(): Promise<Page> {
  const page = await newPage(browser);
  await logIn(page, served.url, 'qy_clerk', DEMO_PASSWORD);
  await page.goto(`${served.url}/counter`);
  await page.getByTestId('visit-panel').waitFor();
  return page;
}

function pdfText(pdf: Buffer): string {
  return execFileSync('pdftotext', ['-layout', '-', '-'], { input: pdf }).toString();
}

describeInBrowser('after signing, in the console', () => {
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
    counter1 = (await counterIds(served.url, hallId))[1]!;
  });
  afterEach(async () => {
    for (const context of browser.contexts()) await context.close();
    await served?.close();
  });

  it(
    'a clerk reprints the signed document: the copy is counted and its PDF says 副本',
    async () => {
      const { visit } = await signedVisit();
      const page = await clerkPage();
      await page.getByTestId('visit-after').waitFor();
      await expect.poll(() => page.getByTestId('visit-copies').innerText()).toContain('0');
      await screenshot(page, 'after-signing-zh-1440');
      await page.getByTestId('visit-reprint').click();
      await page.getByTestId('visit-reprint-confirm').click();
      await page.getByTestId('visit-copy-pdf').waitFor();
      await expect.poll(() => page.getByTestId('visit-copies').innerText()).toContain('1');
      const href = (await page.getByTestId('visit-copy-pdf').getAttribute('href'))!;
      expect(href).toBe(`/api/visits/${visit.id}/document.pdf?copy=true`);
      const copy = await page.request.get(`${served.url}${href}`);
      expect(copy.status()).toBe(200);
      expect(pdfText(await copy.body())).toContain('副本');
      const original = await page.request.get(`${served.url}/api/visits/${visit.id}/document.pdf`);
      expect(pdfText(await original.body())).not.toContain('副本');
      await page.getByTestId('lang-switch').click();
      await page.getByTestId('visit-reprint').getByText('Reprint a copy').waitFor();
      await screenshot(page, 'after-signing-en-1440');
    },
    SLOW,
  );

  it(
    'a clerk corrects a signed line (a wrong value refused in place) and sees the correction listed',
    async () => {
      await signedVisit();
      const page = await clerkPage();
      await page.getByTestId('visit-correct').click();
      await page.getByTestId('visit-correct-form').waitFor();
      // A value the field does not take: the server's message in place, nothing listed.
      await choose(page, 'visit-correct-field', '新SIM卡号（ICCID）（8986001234567890123）');
      await page.getByTestId('visit-correct-value').fill('12');
      await page.getByTestId('visit-correct-reason').fill('自查发现录错');
      await page.getByTestId('visit-correct-submit').click();
      await page.getByTestId('visit-after-refusal').waitFor();
      expect(await page.getByTestId('visit-corrections').count()).toBe(0);
      await choose(page, 'visit-correct-field', '原因（丢失补卡）');
      await choose(page, 'visit-correct-value', '损坏换卡');
      await page.getByTestId('visit-correct-reason').fill('客户说明是损坏换卡');
      await page.getByTestId('visit-correct-found-by').getByText('客户告知').click();
      await page.getByTestId('visit-correct-submit').click();
      const listed = page.getByTestId('visit-corrections');
      await listed.getByTestId('visit-correction-reason').getByText('损坏换卡').waitFor();
      const text = await listed.innerText();
      expect(text).toContain('丢失补卡');
      expect(text).toContain('客户说明是损坏换卡');
      expect(text).toContain('客户告知');
      expect(text).toContain('张悦'); // recorded by the clerk
      expect(text).toMatch(/2026-03-02 \d\d:\d\d/);
      expect(await page.getByTestId('visit-after-refusal').count()).toBe(0);
      await screenshot(page, 'after-signing-corrected-zh-1440');
    },
    SLOW,
  );

  it(
    'a clerk has no void button; the hall manager voids with a reason and the visit shows 作废',
    async () => {
      const { visit } = await signedVisit();
      const page = await clerkPage();
      await page.getByTestId('visit-reprint').waitFor();
      expect(await page.getByTestId('visit-void').count()).toBe(0);

      const manager = await newPage(browser);
      await logIn(manager, served.url, 'qy_manager', DEMO_PASSWORD);
      // The duty manager finds the signed visit on the floor view's card of the hall's visits.
      await manager.goto(`${served.url}/floor`);
      await manager.getByTestId('floor-visits-status').getByText('已签字').click();
      await manager.getByTestId(`floor-visit-${visit.id}`).scrollIntoViewIfNeeded();
      await screenshot(manager, 'floor-visits-signed-zh-1440');
      await manager.getByTestId(`floor-visit-${visit.id}`).click();
      await manager.getByTestId('visit-page').waitFor();
      await manager.getByTestId('visit-void').click();
      await manager.getByTestId('visit-void-submit').click();
      await manager.getByText('请填写2至200字').waitFor();
      await manager.getByTestId('visit-void-reason').fill('客户当场要求撤销本次补卡');
      await manager.getByTestId('visit-void-submit').click();
      await manager.getByTestId('visit-voided').getByText('作废', { exact: true }).waitFor();
      expect(await manager.getByTestId('visit-voided').innerText()).toContain('客户当场要求撤销本次补卡');
      await manager.getByTestId('visit-status').getByText('已作废').waitFor();
      expect(await manager.getByTestId('visit-void').count()).toBe(0);
      expect(await manager.getByTestId('visit-reprint').count()).toBe(0);
      await screenshot(manager, 'after-signing-voided-zh-1440');
      // The clerk's panel learns it on its next look.
      await page.getByTestId('visit-voided').waitFor();
      await page.getByTestId('visit-status').getByText('已作废').waitFor();
    },
    SLOW,
  );

  it(
    'the clerk closes the cash day with the cash counted (the difference shown); a second close is refused',
    async () => {
      const { visit } = await paidVisit();
      const due = visit.totals.paidFen;
      const page = await clerkPage();
      const other = await clerkPage(); // the same clerk in a second window, opened before the close
      for (const p of [page, other]) {
        await p.getByTestId('cash-day-open').click();
        await p
          .getByTestId('cash-day-due')
          .getByText(`¥${(due / 100).toFixed(2)}`)
          .waitFor();
      }
      expect(await page.getByTestId('cash-day-method-cash').innerText()).toBe(`¥${(due / 100).toFixed(2)}`);
      await screenshot(page, 'cash-day-zh-1440');
      await page.getByTestId('cash-day-counted').fill(((due - 50) / 100).toFixed(2));
      await page.getByTestId('cash-day-close').click();
      await page.getByTestId('cash-day-close-confirm').click();
      await page.getByTestId('cash-day-difference').getByText('¥-0.50').waitFor();

      await other.getByTestId('cash-day-counted').fill((due / 100).toFixed(2));
      await other.getByTestId('cash-day-close').click();
      await other.getByTestId('cash-day-close-confirm').click();
      await other.getByTestId('cash-day-refusal').getByText('今天的日结已完成').waitFor();
      const [day] = await rows<{ n: number; counted: number }>(
        served.database.db,
        sql`select count(*)::int as n, max(counted_cash_fen)::int as counted from cash_days`,
      );
      expect(day).toEqual({ n: 1, counted: due - 50 });
      await page.locator('.ant-drawer-close').click();
      await page.getByTestId('cash-day').waitFor({ state: 'hidden' });
      await page.getByTestId('lang-switch').click();
      await page.getByTestId('cash-day-open').click();
      await page.getByText('Cash due in the drawer').waitFor();
      await page.getByTestId('cash-day-difference').waitFor();
      await screenshot(page, 'cash-day-en-1440');
    },
    SLOW,
  );

  it(
    'what the pad waits for (a service password, then the signature) is shown again after a reload',
    async () => {
      const { visit, subId, number } = await paidVisit();
      const clerk = await apiAs(served.url, 'qy_clerk');
      await clerk.post(`/api/visits/${visit.id}/pad-request`, { kind: 'password', subscriptionId: subId });
      const page = await clerkPage();
      const masked = `${number.slice(0, 3)}****${number.slice(-4)}`;
      await page.getByTestId('visit-pad-waiting').getByText(masked, { exact: false }).waitFor();
      await page.reload();
      await page.getByTestId('visit-pad-waiting').getByText(masked, { exact: false }).waitFor();
      expect(await page.getByTestId('visit-panel').innerText()).not.toContain(number);

      await page.getByTestId('visit-ask-sign').click();
      await page.getByTestId('visit-sign-asked').waitFor();
      await page.reload();
      await page.getByTestId('visit-pad-waiting').getByText('等待客户在评价器上签字').waitFor();
      await page.getByTestId('visit-sign-asked').waitFor();
    },
    SLOW,
  );
});
