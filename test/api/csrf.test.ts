/** Cross-site request forgery and the client address behind proxies (FUWU_TRUST_PROXY). */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { createApp } from '../../src/app.ts';
import { csrfAllowed } from '../../src/platform/http/csrf.ts';
import type { CsrfRequest } from '../../src/platform/http/csrf.ts';
import type { TestApp } from '../support/app.ts';
import { testApp } from '../support/app.ts';

let t: TestApp;
let admin: string;
beforeAll(async () => {
  t = await testApp();
  admin = await t.login('admin');
});
afterAll(() => t.close());

const HOST = 'fuwu.example';
const SITE = `http://${HOST}`;

describe('the CSRF rule', () => {
  const base: CsrfRequest = {
    method: 'POST',
    path: '/api/units',
    ownOrigin: SITE,
    origin: undefined,
    secFetchSite: undefined,
    authorization: undefined,
    hasSessionCookie: true,
  };
  it.each<[string, Partial<CsrfRequest>, boolean]>([
    ['same origin', { origin: SITE }, true],
    ['another site', { origin: 'https://evil.example' }, false],
    ['an opaque origin', { origin: 'null' }, false],
    ['same scheme and host, other port', { origin: `${SITE}:8080` }, false],
    ['a configured allowed origin', { origin: 'https://console.fuwu.example' }, true],
    ['Sec-Fetch-Site same-origin, no Origin', { secFetchSite: 'same-origin' }, true],
    ['Sec-Fetch-Site cross-site, no Origin', { secFetchSite: 'cross-site' }, false],
    ['Sec-Fetch-Site same-site (a sibling subdomain)', { secFetchSite: 'same-site' }, false],
    ['neither header (not a browser)', {}, true],
    ['a bearer token from another site', { origin: 'https://evil.example', authorization: 'Bearer x' }, true],
    ['Basic auth does not exempt', { origin: 'https://evil.example', authorization: 'Basic eDp5' }, false],
    ['a read', { method: 'GET', origin: 'https://evil.example' }, true],
    ['no session cookie', { hasSessionCookie: false, origin: 'https://evil.example' }, true],
    [
      'login without a cookie (login CSRF)',
      { path: '/api/auth/login', hasSessionCookie: false, origin: 'https://evil.example' },
      false,
    ],
    ['DELETE from another site', { method: 'DELETE', origin: 'https://evil.example' }, false],
    ['PATCH cross-site by fetch metadata', { method: 'PATCH', secFetchSite: 'cross-site' }, false],
  ])('%s → allowed %s', (_name, patch, allowed) => {
    expect(csrfAllowed({ ...base, ...patch }, ['https://console.fuwu.example'])).toBe(allowed);
  });
});

describe('cookie-authenticated writes over HTTP', () => {
  const logout = (headers: Record<string, string>, cookie = admin) =>
    t.app.inject({ method: 'POST', url: '/api/auth/logout', headers: { host: HOST, cookie, ...headers } });

  it('refuses a write from another site with 403 problem+json csrf; the session stays', async () => {
    const res = await logout({ origin: 'https://evil.example' });
    expect(res.statusCode).toBe(403);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.json().code).toBe('csrf');
    expect(res.json().messages['zh-CN']).toContain('跨站');
    const bySecFetch = await logout({ 'sec-fetch-site': 'cross-site' });
    expect(bySecFetch.statusCode).toBe(403);
    expect((await t.as(admin, { method: 'GET', url: '/api/auth/me' })).statusCode).toBe(200);
  });

  it('refuses a login posted from another site (login CSRF)', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      headers: { host: HOST, origin: 'https://evil.example' },
      payload: { username: 'qy_clerk', password: 'Fuwu@2026' },
    });
    expect(res.statusCode).toBe(403);
    expect(res.json().code).toBe('csrf');
  });

  it('lets a same-origin write through, by Origin or by Sec-Fetch-Site', async () => {
    const one = await t.login('qy_clerk');
    expect((await logout({ origin: SITE }, one)).statusCode).toBe(204);
    const two = await t.login('qy_clerk');
    expect((await logout({ 'sec-fetch-site': 'same-origin' }, two)).statusCode).toBe(204);
    const login = await t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      headers: { host: HOST, origin: SITE, 'sec-fetch-site': 'same-origin' },
      payload: { username: 'qy_clerk', password: 'Fuwu@2026' },
    });
    expect(login.statusCode).toBe(200);
  });

  it('exempts bearer-token calls', async () => {
    const created = await t.as(admin, {
      method: 'POST',
      url: '/api/tokens',
      payload: { kind: 'client', label: '外部脚本' },
    });
    const token = created.json().token as string;
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/auth/logout',
      headers: { host: HOST, origin: 'https://evil.example', authorization: `Bearer ${token}` },
    });
    expect(res.statusCode).toBe(204);
  });
});

describe('the client address behind proxies', () => {
  const loginAndAddress = async (app: FastifyInstance, remoteAddress: string) => {
    const res = await app.inject({
      method: 'POST',
      url: '/api/auth/login',
      remoteAddress,
      headers: { 'x-forwarded-for': '203.0.113.9' },
      payload: { username: 'yc_stats', password: 'Fuwu@2026' },
    });
    expect(res.statusCode).toBe(200);
    const audit = await t.as(admin, {
      method: 'GET',
      url: `/api/audit?action=auth.login&subjectId=${res.json().me.id as string}&limit=1`,
    });
    return (audit.json().items as { clientIp: string }[])[0]!.clientIp;
  };

  it('ignores X-Forwarded-For by default: the audit trail records the peer', async () => {
    expect(await loginAndAddress(t.app, '10.0.0.5')).toBe('10.0.0.5');
  });

  it('honours X-Forwarded-For from a configured proxy (FUWU_TRUST_PROXY), and only from it', async () => {
    const before = process.env.FUWU_TRUST_PROXY;
    process.env.FUWU_TRUST_PROXY = '10.0.0.0/24, 192.168.1.1';
    let proxied: FastifyInstance | undefined;
    try {
      proxied = await createApp({ database: t.database, clock: t.clock, webDist: '/nonexistent' });
      await proxied.ready();
      expect(await loginAndAddress(proxied, '10.0.0.5')).toBe('203.0.113.9');
      expect(await loginAndAddress(proxied, '10.0.1.5')).toBe('10.0.1.5');
    } finally {
      if (before === undefined) delete process.env.FUWU_TRUST_PROXY;
      else process.env.FUWU_TRUST_PROXY = before;
      await proxied?.close();
    }
  });
});
