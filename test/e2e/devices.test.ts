/**
 * Issue #12, the hall's devices in headless Chromium against the real server: the kiosk's phone step fits
 * both kiosk sizes, its attract screen after a minute without a touch, the slip's QR code opening that
 * ticket on a phone (follow, cancel); the calling display keeps "3 号窗口" / "counter 3" on one line at
 * both display sizes in both languages, shows the announcement, and — Chromium headless has no voices —
 * plays the server's Mandarin recording; a new device token gives the page's full address and a QR code;
 * the hall's id and code are in the console; and no device or public page asks /api/auth/me or meets a 4xx.
 */
import { afterAll, afterEach, beforeAll, beforeEach, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { Served } from './support.ts';
import { apiAs, describeInBrowser, launch, logIn, newPage, screenshot, serve } from './support.ts';
import { DEMO_PASSWORD } from '../../src/modules/demo/seed.ts';

const START = '2026-03-02T02:00:00.000Z'; // Monday 10:00 in Asia/Shanghai
const HALL_CODE = 'YC-QY-H01';
const KIOSK_SIZES = [
  { name: 'portrait', width: 1080, height: 1920 },
  { name: 'landscape', width: 1440, height: 900 },
] as const;
const DISPLAY_SIZES = [
  { width: 1920, height: 1080 },
  { width: 1366, height: 768 },
] as const;

let served: Served;
let browser: Browser;
let hallId: string;

async function deviceToken(position: 'device_kiosk' | 'device_display'): Promise<string> {
  const api = await apiAs(served.url, 'qy_manager');
  return (
    await api.post<{ token: string }>('/api/tokens', {
      kind: 'device',
      unitId: hallId,
      label: position,
      positions: [position],
    })
  ).token;
}

/** Opens counter 1 as a clerk and calls the next ticket: its number. */
async function callNext(): Promise<string> {
  const clerk = await apiAs(served.url, 'qy_clerk');
  const config = await clerk.get<{ counters: { id: string; number: number }[] }>(
    `/api/halls/${hallId}/queue-config`,
  );
  const counter = config.counters.find((c) => c.number === 1)!.id;
  const state = await clerk.get<{ state: string }>(`/api/counters/${counter}`);
  if (state.state !== 'open') await clerk.post(`/api/counters/${counter}/open`);
  return (await clerk.post<{ number: string }>(`/api/counters/${counter}/call-next`)).number;
}

/** Every request a page makes to the API, and every answer of 400 or more. */
function recordNetwork(page: Page) {
  const asked: string[] = [];
  const refused: string[] = [];
  page.on('request', (r) => {
    const url = new URL(r.url());
    if (url.pathname.startsWith('/api/')) asked.push(`${r.method()} ${url.pathname}`);
  });
  page.on('response', (r) => {
    if (r.status() >= 400) refused.push(`${r.status()} ${r.request().method()} ${new URL(r.url()).pathname}`);
  });
  return {
    asked,
    refused,
    expectClean() {
      expect(asked.filter((a) => a.includes('/api/auth/me'))).toEqual([]);
      expect(refused).toEqual([]);
      expect(asked.length).toBeGreaterThan(0);
    },
  };
}

/** Whether the element lies wholly inside the viewport (seen without scrolling). */
async function inViewport(page: Page, testId: string): Promise<boolean> {
  return page.getByTestId(testId).evaluate((el) => {
    const r = el.getBoundingClientRect();
    return r.top >= 0 && r.left >= 0 && r.bottom <= window.innerHeight && r.right <= window.innerWidth;
  });
}

describeInBrowser('the hall’s devices (issue #12)', () => {
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
      (u) => u.code === HALL_CODE,
    )!.id;
  });
  afterEach(async () => {
    for (const context of browser.contexts()) await context.close();
    await served?.close();
  });

  it('the kiosk’s phone step fits both kiosk sizes in both languages: keypad and take button seen without scrolling', async () => {
    const token = await deviceToken('device_kiosk');
    for (const size of KIOSK_SIZES) {
      const page = await newPage(browser, { width: size.width, height: size.height });
      const net = recordNetwork(page);
      await page.goto(`${served.url}/kiosk/${hallId}?token=${token}`);
      for (const lang of ['zh', 'en'] as const) {
        if (lang === 'en') await page.getByTestId('kiosk-lang').click();
        await page.getByTestId('kiosk-category-business').click();
        await page.getByTestId('kiosk-key-1').waitFor();
        for (const key of ['1', '2', '3', '4', '5', '6', '7', '8', '9', '0', 'clear', 'back']) {
          expect(await inViewport(page, `kiosk-key-${key}`), `${size.name} ${lang} key ${key}`).toBe(true);
        }
        for (const id of ['kiosk-take', 'kiosk-skip', 'kiosk-phone', 'kiosk-back']) {
          expect(await inViewport(page, id), `${size.name} ${lang} ${id}`).toBe(true);
        }
        const scroll = await page.evaluate(() => ({
          height: document.documentElement.scrollHeight,
          view: window.innerHeight,
        }));
        expect(scroll.height, `${size.name} ${lang} scrolls`).toBeLessThanOrEqual(scroll.view);
        for (const d of '13900001234') await page.getByTestId(`kiosk-key-${d}`).click();
        await expect(page.getByTestId('kiosk-take').isEnabled()).resolves.toBe(true);
        await screenshot(page, `devices-kiosk-phone-${size.name}-${lang}`);
        await page.getByTestId('kiosk-back').click();
      }
      net.expectClean();
    }
  });

  it('the kiosk shows its attract screen after a minute without a touch; a touch brings back the start', async () => {
    const token = await deviceToken('device_kiosk');
    const page = await newPage(browser, { width: 1080, height: 1920 });
    await page.clock.install();
    await page.goto(`${served.url}/kiosk/${hallId}?token=${token}`);
    await page.getByTestId('kiosk-category-business').click();
    await page.getByTestId('kiosk-key-1').click();
    await page.clock.fastForward(45_000);
    await expect(page.getByTestId('kiosk-attract').count()).resolves.toBe(0);
    await page.getByTestId('kiosk-key-2').click(); // a touch: the minute starts again
    await page.clock.fastForward(45_000);
    await expect(page.getByTestId('kiosk-attract').count()).resolves.toBe(0);
    await page.clock.fastForward(20_000);
    const attract = page.getByTestId('kiosk-attract');
    await attract.getByText('请触摸屏幕取号').waitFor();
    await attract.getByText('青原人民路营业厅').waitFor();
    await screenshot(page, 'devices-kiosk-attract-portrait');
    await attract.click();
    await attract.waitFor({ state: 'detached' });
    await page.getByTestId('kiosk-category-business').waitFor();
    await expect(page.getByTestId('kiosk-step').count()).resolves.toBe(0);
  });

  it('the slip’s QR code opens that ticket on a phone: followed live, cancelled; no /api/auth/me, no 4xx', async () => {
    const token = await deviceToken('device_kiosk');
    const kiosk = await newPage(browser, { width: 1440, height: 900 });
    const kioskNet = recordNetwork(kiosk);
    await kiosk.goto(`${served.url}/kiosk/${hallId}?token=${token}`);
    await kiosk.getByTestId('kiosk-category-business').click();
    await kiosk.getByTestId('kiosk-skip').click();
    const qr = kiosk.getByTestId('slip-qr');
    await qr.locator('svg').waitFor();
    const number = (await kiosk.getByTestId('slip-number').innerText()).trim();
    const url = (await qr.getAttribute('data-url'))!;
    expect(url).toMatch(new RegExp(`^${served.url}/m/t/[0-9a-f-]{36}#[\\w%-]{43,}$`));
    await screenshot(kiosk, 'devices-kiosk-slip-landscape');
    kioskNet.expectClean();

    // A second ticket: the first's link must not reach it.
    const other = await (
      await apiAs(served.url, 'qy_guide')
    ).post<{ id: string }>(`/api/halls/${hallId}/tickets`, {
      category: 'business',
    });

    const phone = await newPage(browser, { width: 390, height: 844 });
    const phoneNet = recordNetwork(phone);
    await phone.goto(url);
    await phone.getByTestId('remote-number').getByText(number).waitFor();
    await phone.getByTestId('remote-status').getByText('等待中').waitFor();
    await phone.getByTestId('remote-ahead').waitFor();
    await screenshot(phone, 'devices-follow-phone');
    const other404 = await phone.evaluate(
      async ([id, link]) =>
        (await fetch(`/api/e/follow/${id}`, { headers: { 'X-Follow-Token': link! } })).status,
      [other.id, decodeURIComponent(url.split('#')[1]!)],
    );
    expect(other404).toBe(404);
    phoneNet.refused.length = 0; // that refusal was the test's own
    await phone.getByTestId('remote-cancel').click();
    await phone.getByTestId('remote-cancel-confirm').click();
    await phone.getByTestId('remote-cancelled').waitFor();
    await screenshot(phone, 'devices-follow-phone-cancelled');
    phoneNet.expectClean();
  });

  it('the display keeps each counter unit on one line at both sizes in both languages, and shows the announcement', async () => {
    const token = await deviceToken('device_display');
    const guide = await apiAs(served.url, 'qy_guide');
    for (let i = 0; i < 3; i++) await guide.post(`/api/halls/${hallId}/tickets`, { category: 'business' });
    const number = await callNext();
    for (const size of DISPLAY_SIZES) {
      const page = await newPage(browser, size);
      const net = recordNetwork(page);
      await page.goto(`${served.url}/display/${hallId}?token=${token}`);
      await page.getByTestId('display-enable-sound').click();
      for (const lang of ['zh', 'en'] as const) {
        if (lang === 'en') await page.getByTestId('display-lang').click();
        await page.getByTestId('display-number').getByText(number).waitFor();
        const unit = lang === 'zh' ? '1 号窗口' : 'counter 1';
        await page.getByTestId('display-counter-unit').getByText(unit).waitFor();
        await page
          .getByTestId('display-announcement')
          .getByText(lang === 'zh' ? `请${number}号到1号窗口` : `Number ${number}, please go to counter 1`)
          .waitFor();
        // Each unit ("1 号窗口", "counter 1", the recent list's "Counter 1") is one line box, so the
        // number never stands alone on a line.
        const lines = await page.evaluate(() =>
          [...document.querySelectorAll('.fuwu-nowrap')].map((el) => {
            // The line boxes of its text: tops further apart than half the font size are separate lines.
            const size = parseFloat(getComputedStyle(el).fontSize);
            const tops: number[] = [];
            const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
            for (let n = walker.nextNode(); n; n = walker.nextNode()) {
              if (!n.textContent?.trim()) continue;
              const range = document.createRange();
              range.selectNodeContents(n);
              for (const r of range.getClientRects()) {
                if (!tops.some((t) => Math.abs(t - r.top) < size / 2)) tops.push(r.top);
              }
            }
            return { text: (el as HTMLElement).innerText, lines: tops.length };
          }),
        );
        expect(lines.length).toBeGreaterThanOrEqual(3);
        for (const l of lines) expect(l.lines, `${size.width} ${lang} “${l.text}”`).toBe(1);
        // The call's line ("请到 1 号窗口" / "Please go to counter 1") fits its box.
        const fits = await page
          .getByTestId('display-counter')
          .evaluate((el) => el.scrollWidth <= el.clientWidth);
        expect(fits, `${size.width} ${lang} counter line fits`).toBe(true);
        await screenshot(page, `devices-display-${size.width}-${lang}`);
      }
      net.expectClean();
    }
  });

  it('the display, without a Chinese voice, plays the server’s Mandarin recording of a call', async () => {
    const token = await deviceToken('device_display');
    await (
      await apiAs(served.url, 'qy_guide')
    ).post(`/api/halls/${hallId}/tickets`, { category: 'business' });
    const page = await newPage(browser, { width: 1920, height: 1080 });
    const net = recordNetwork(page);
    const wavs: { status: number; type: string; bytes: number }[] = [];
    page.on('response', (r) => {
      if (!r.url().includes('/display/announcement')) return;
      wavs.push({
        status: r.status(),
        type: r.headers()['content-type'] ?? '',
        bytes: Number(r.headers()['content-length'] ?? 0),
      });
    });
    await page.goto(`${served.url}/display/${hallId}?token=${token}`);
    await page.getByTestId('display-enable-sound').click();
    await expect(page.evaluate(() => window.speechSynthesis.getVoices().length)).resolves.toBe(0);
    const number = await callNext();
    await page.getByTestId('display-number').getByText(number).waitFor();
    await page.waitForFunction(
      (n) =>
        (
          document.querySelector('[data-testid="display-audio"]') as HTMLElement | null
        )?.dataset.played?.includes(n),
      number,
      { timeout: 20_000 },
    );
    await page.getByTestId('display-sound').getByText('语音播报（服务器录音）').waitFor();
    expect(wavs[0]).toMatchObject({ status: 200, type: 'audio/wav' });
    expect(wavs[0]!.bytes).toBeGreaterThan(44_100);
    net.expectClean();
  });

  it('the remote page asks no /api/auth/me and meets no 4xx', async () => {
    const page = await newPage(browser, { width: 390, height: 844 });
    const net = recordNetwork(page);
    await page.goto(`${served.url}/m/halls/${hallId}`);
    await page.getByTestId('remote-hall-name').getByText('青原人民路营业厅').waitFor();
    await page.waitForLoadState('networkidle');
    net.expectClean();
  });

  it('a new kiosk or display token gives the page’s full address and a QR code; the hall’s id and code are in the console', async () => {
    const page = await newPage(browser);
    await logIn(page, served.url, 'qy_manager', DEMO_PASSWORD);
    await page.waitForURL(`${served.url}/`);
    await page.goto(`${served.url}/tokens`);
    for (const [position, kind, label] of [
      ['device_kiosk', 'kiosk', '取号机'],
      ['device_display', 'display', '叫号屏'],
    ] as const) {
      await page.getByTestId('token-create').click();
      await page.getByTestId('token-label').fill(`大厅${label}`);
      const positions = page.getByTestId('token-positions');
      for (const box of await positions.locator('input[type=checkbox]').all()) {
        const value = await box.getAttribute('value');
        if ((value === position) !== (await box.isChecked())) await box.click();
      }
      await page.getByTestId('token-create-submit').click();
      const links = page.getByTestId('new-token-links');
      await links.waitFor();
      await links.getByTestId('hall-code').getByText(HALL_CODE).waitFor();
      await links.getByTestId('hall-id').getByText(hallId).waitFor();
      const url = (await links.getByTestId(`device-url-${kind}`).innerText()).trim();
      expect(url).toMatch(new RegExp(`^${served.url}/${kind}/${hallId}\\?token=[\\w%-]{20,}$`));
      await links.getByTestId(`device-qr-${kind}`).locator('svg').waitFor();
      await screenshot(page, `devices-token-${kind}`);
      // The address opens the device's page with its token.
      const device = await newPage(
        browser,
        kind === 'kiosk' ? { width: 1080, height: 1920 } : { width: 1920, height: 1080 },
      );
      const net = recordNetwork(device);
      await device.goto(url);
      await device
        .getByTestId(kind === 'kiosk' ? 'kiosk-hall-name' : 'display-hall-name')
        .getByText('青原人民路营业厅')
        .waitFor();
      net.expectClean();
      await device.context().close();
      await page.getByTestId('new-token-close').click();
      await links.waitFor({ state: 'detached' });
    }
    await page.goto(`${served.url}/org`);
    await page.getByTestId(`org-node-${HALL_CODE}`).click();
    await page.getByTestId('org-unit-id').getByText(hallId).waitFor();
    await page.getByTestId('device-url-kiosk').getByText(`/kiosk/${hallId}`).waitFor();
    await screenshot(page, 'devices-org-hall');
  });
});
