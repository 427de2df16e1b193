/**
 * Who may do what in the queue, where: a matrix of positions (and devices) × queue actions, each refused
 * with 403 "position" (the position never may) or 403 "scope" (not in one's part of the organisation).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LightMyRequestResponse } from 'fastify';
import type { TestApp } from '../support/app.ts';
import { testApp, unitIdByCode } from '../support/app.ts';

let t: TestApp;
const who: Record<
  string,
  (method: 'GET' | 'POST' | 'PUT', url: string, payload?: unknown) => Promise<LightMyRequestResponse>
> = {};
let qy: string;
let xk: string;
let qyCounter: string;
let xkCounter: string;
let qyConfig: unknown;

const USERS = [
  'qy_clerk',
  'qy_guide',
  'qy_duty',
  'qy_manager',
  'qy_trainer',
  'xk_clerk',
  'xk_manager',
  'g3_reception',
  'yc_stats',
];

beforeAll(async () => {
  t = await testApp({ customers: 10 });
  for (const u of USERS) {
    const cookie = await t.login(u);
    who[u] = (method, url, payload) =>
      t.as(cookie, {
        method,
        url,
        ...(payload === undefined ? {} : { payload: payload as Record<string, unknown> }),
      });
  }
  const admin = await t.login('admin');
  qy = await unitIdByCode(t, admin, 'YC-QY-H01');
  xk = await unitIdByCode(t, admin, 'YC-XK-H01');
  const device = async (positions: string[]) => {
    const res = await who.qy_manager!('POST', '/api/tokens', {
      kind: 'device',
      unitId: qy,
      label: positions[0],
      positions,
    });
    const token = (res.json() as { token: string }).token;
    return (method: 'GET' | 'POST' | 'PUT', url: string, payload?: unknown) =>
      t.app.inject({
        method,
        url,
        headers: { authorization: `Bearer ${token}` },
        ...(payload === undefined ? {} : { payload: payload as Record<string, unknown> }),
      });
  };
  who.kiosk = await device(['device_kiosk']);
  who.display = await device(['device_display']);
  const config = await who.qy_manager!('GET', `/api/halls/${qy}/queue-config`);
  qyConfig = config.json();
  qyCounter = (qyConfig as { counters: { id: string }[] }).counters[0]!.id;
  const xkView = await who.xk_manager!('GET', `/api/halls/${xk}/queue-config`);
  xkCounter = (xkView.json() as { counters: { id: string }[] }).counters[0]!.id;
  expect((await who.qy_clerk!('POST', `/api/counters/${qyCounter}/open`)).statusCode).toBe(200);
  expect((await who.xk_clerk!('POST', `/api/counters/${xkCounter}/open`)).statusCode).toBe(200);
});
afterAll(() => t.close());

type Expect = 'ok' | 'position' | 'scope';
const ACTIONS: Record<string, (u: string) => Promise<LightMyRequestResponse>> = {
  take: (u) => who[u]!('POST', `/api/halls/${qy}/tickets`, { category: 'payment' }),
  floor: (u) => who[u]!('GET', `/api/halls/${qy}/queue`),
  display: (u) => who[u]!('GET', `/api/halls/${qy}/display`),
  call: (u) => who[u]!('POST', `/api/counters/${qyCounter}/call-next`),
  callXk: (u) => who[u]!('POST', `/api/counters/${xkCounter}/call-next`),
  stats: (u) => who[u]!('GET', `/api/queue/stats?unitId=${qy}&from=2026-03-01&to=2026-03-02`),
  configure: (u) => who[u]!('PUT', `/api/halls/${qy}/queue-config`, qyConfig),
  alerts: (u) => who[u]!('POST', `/api/halls/${qy}/queue/check-alerts`),
};

// prettier-ignore
const MATRIX: Record<string, Record<keyof typeof ACTIONS, Expect>> = {
  qy_clerk:     { take: 'position', floor: 'ok',       display: 'ok',       call: 'ok',       callXk: 'scope',    stats: 'position', configure: 'position', alerts: 'position' },
  qy_guide:     { take: 'ok',       floor: 'ok',       display: 'ok',       call: 'position', callXk: 'position', stats: 'position', configure: 'position', alerts: 'position' },
  qy_duty:      { take: 'ok',       floor: 'ok',       display: 'ok',       call: 'ok',       callXk: 'scope',    stats: 'ok',       configure: 'position', alerts: 'ok' },
  qy_manager:   { take: 'ok',       floor: 'ok',       display: 'ok',       call: 'ok',       callXk: 'scope',    stats: 'ok',       configure: 'ok',       alerts: 'ok' },
  qy_trainer:   { take: 'position', floor: 'position', display: 'position', call: 'position', callXk: 'position', stats: 'position', configure: 'position', alerts: 'position' },
  xk_clerk:     { take: 'position', floor: 'scope',    display: 'scope',    call: 'scope',    callXk: 'ok',       stats: 'position', configure: 'position', alerts: 'position' },
  xk_manager:   { take: 'scope',    floor: 'scope',    display: 'scope',    call: 'scope',    callXk: 'ok',       stats: 'scope',    configure: 'scope',    alerts: 'scope' },
  g3_reception: { take: 'scope',    floor: 'scope',    display: 'scope',    call: 'scope',    callXk: 'scope',    stats: 'position', configure: 'position', alerts: 'position' },
  yc_stats:     { take: 'position', floor: 'position', display: 'position', call: 'position', callXk: 'position', stats: 'ok',       configure: 'position', alerts: 'position' },
  kiosk:        { take: 'ok',       floor: 'position', display: 'position', call: 'position', callXk: 'position', stats: 'position', configure: 'position', alerts: 'position' },
  display:      { take: 'position', floor: 'position', display: 'ok',       call: 'position', callXk: 'position', stats: 'position', configure: 'position', alerts: 'position' },
};

describe('queue actions by position and place', () => {
  const cases = Object.entries(MATRIX).flatMap(([user, row]) =>
    Object.entries(row).map(([action, expected]) => ({ user, action, expected })),
  );
  it.each(cases)('$user → $action: $expected', async ({ user, action, expected }) => {
    const res = await ACTIONS[action]!(user);
    if (expected === 'ok') {
      // Allowed: whatever the state of things answers (e.g. 204, or 409 at a busy counter), never 401/403.
      expect([401, 403], res.body).not.toContain(res.statusCode);
      expect(res.statusCode, res.body).toBeLessThan(500);
    } else {
      expect(res.statusCode, res.body).toBe(403);
      expect((res.json() as { code: string }).code).toBe(expected);
    }
  });

  it('lets a clerk of 青原人民路营业厅 neither open nor call at 溪口中心营业厅', async () => {
    const xkOther = (
      (await who.xk_manager!('GET', `/api/halls/${xk}/queue-config`)).json() as { counters: { id: string }[] }
    ).counters[1]!.id;
    const open = await who.qy_clerk!('POST', `/api/counters/${xkOther}/open`);
    expect(open.statusCode).toBe(403);
    expect(open.json().code).toBe('scope');
    const call = await who.qy_clerk!('POST', `/api/counters/${xkCounter}/call-next`);
    expect(call.statusCode).toBe(403);
    expect(call.json().code).toBe('scope');
  });

  it('lets a kiosk take tickets but neither call, nor open a counter, nor finish a ticket', async () => {
    const taken = await who.kiosk!('POST', `/api/halls/${qy}/tickets`, { category: 'business' });
    expect(taken.statusCode).toBe(201);
    for (const res of [
      await who.kiosk!('POST', `/api/counters/${qyCounter}/call-next`),
      await who.kiosk!('POST', `/api/counters/${qyCounter}/open`),
      await who.kiosk!('POST', `/api/tickets/${taken.json().id}/finish`, {}),
      await who.kiosk!('POST', `/api/tickets/${taken.json().id}/recall`),
    ]) {
      expect(res.statusCode, res.body).toBe(403);
      expect(res.json().code).toBe('position');
    }
  });
});
