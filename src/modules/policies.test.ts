/**
 * The matrix of every module's policy: position × action × (inside / outside the actor's subtree), with
 * `can()` and `authorize()`, plus a few expectations spelled out that document what the grants intend.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { AnyPosition } from '../core/positions.ts';
import { DEVICE_POSITIONS, FRONT_DESK, POSITION_CODES } from '../core/positions.ts';
import type { Actor, GrantChange, Policy } from '../platform/auth/policy.ts';
import {
  authorityOf,
  authorize,
  can,
  grantRefusal,
  holds,
  inSubtree,
  mayHandOut,
  provinceScope,
  reachOf,
  systemActor,
  tokenRefusal,
} from '../platform/auth/policy.ts';
import { existsSync, readdirSync } from 'node:fs';
import { Problem } from '../platform/http/problem.ts';
import { auditPolicy } from './audit/policy.ts';
import { authPolicy } from './auth/policy.ts';
import { calendarPolicy } from './calendar/policy.ts';
import { customersPolicy } from './customers/policy.ts';
import { orgPolicy } from './org/policy.ts';
import { ALL_POLICIES } from './policies.ts';
import { queuePolicy } from './queue/policy.ts';
import { visitsPolicy } from './visits/policy.ts';
import { settingsPolicy } from './settings/policy.ts';
import { staffPolicy } from './staff/policy.ts';

const ALL_POSITIONS: readonly AnyPosition[] = [...POSITION_CODES, ...DEVICE_POSITIONS];

// Ids that share prefixes on purpose: a subtree is a path prefix ending in '/', never a string prefix.
const HALL = '/hq/yc/qy/h1/';
const INSIDE = [HALL, `${HALL}desk/`, `${HALL}desk/counter-1/`];
const OUTSIDE = [
  '/',
  '/hq/',
  '/hq/yc/',
  '/hq/yc/qy/',
  '/hq/yc/qy/h10/',
  '/hq/yc/qy/h2/',
  '/hq/yc/xk/h1/',
  '/other/',
];

const actorWith = (
  positions: readonly AnyPosition[],
  unitPath = HALL,
  kind: Actor['kind'] = 'staff',
): Actor => ({
  kind,
  id: 'a',
  name: 'a',
  unitId: 'h1',
  unitPath,
  provinceId: 'yc',
  positions,
});

const matrix = ALL_POLICIES.flatMap((policy) =>
  Object.entries(policy).flatMap(([action, granted]) =>
    ALL_POSITIONS.map((position) => ({ policy, action, granted, position })),
  ),
);

describe('the policies themselves', () => {
  it('every module’s policy is in ALL_POLICIES, and action names are unique across them', async () => {
    // Every `policy.ts` under src/modules, whatever its name: a module added later cannot be forgotten.
    const dir = new URL('.', import.meta.url);
    const files = readdirSync(dir, { withFileTypes: true })
      .filter((d) => d.isDirectory() && existsSync(new URL(`${d.name}/policy.ts`, dir)))
      .map((d) => d.name);
    expect(files.length).toBeGreaterThanOrEqual(14);
    for (const name of files) {
      const mod = (await import(new URL(`${name}/policy.ts`, dir).href)) as Record<string, unknown>;
      const policies = Object.entries(mod).filter(([k]) => k.endsWith('Policy'));
      expect(policies.length, name).toBeGreaterThan(0);
      for (const [k, p] of policies) expect(ALL_POLICIES, `${name}/${k}`).toContain(p);
    }
    const actions = ALL_POLICIES.flatMap((p) => Object.keys(p));
    expect(new Set(actions).size).toBe(actions.length);
    expect(actions.length).toBeGreaterThanOrEqual(16);
  });

  it('grants only known positions, and every action to someone', () => {
    for (const policy of ALL_POLICIES) {
      for (const [action, granted] of Object.entries(policy)) {
        for (const p of granted) expect(ALL_POSITIONS, `${action}: ${p}`).toContain(p);
        expect(granted.length, action).toBeGreaterThan(0);
      }
    }
  });

  it('gives devices no write, reveal, administration or supervision action', () => {
    const forbidden = /\.(write|reveal|grant_admin|reset_password|hours|manage|configure|supervise)$/;
    const checked = ALL_POLICIES.flatMap((p) => Object.keys(p)).filter((a) => forbidden.test(a));
    expect(checked).toEqual(expect.arrayContaining(['org.write', 'customer.reveal', 'token.manage']));
    for (const policy of ALL_POLICIES) {
      for (const [action, granted] of Object.entries(policy)) {
        if (!forbidden.test(action)) continue;
        for (const d of DEVICE_POSITIONS) expect(granted, `${action} ${d}`).not.toContain(d);
      }
    }
  });
});

describe('the matrix: position × action × inside / outside', () => {
  it(`covers ${matrix.length} cells`, () => {
    expect(matrix.length).toBe(
      ALL_POLICIES.reduce((n, p) => n + Object.keys(p).length, 0) * ALL_POSITIONS.length,
    );
  });

  it.each(matrix.map((c) => [c.action, c.position, c.granted.includes(c.position), c] as const))(
    '%s by %s: inside iff granted (%s), never outside',
    (action, position, granted, { policy }) => {
      const actor = actorWith([position]);
      for (const target of INSIDE) expect(can(actor, policy, action, target), target).toBe(granted);
      for (const target of OUTSIDE) expect(can(actor, policy, action, target), target).toBe(false);
      expect(holds(actor, policy, action)).toBe(granted);
    },
  );

  it('the system actor may do everything everywhere', () => {
    const system = systemActor({ id: 'hq', path: '/hq/', provinceId: 'hq' });
    for (const policy of ALL_POLICIES) {
      for (const action of Object.keys(policy)) {
        for (const target of [...INSIDE, ...OUTSIDE]) expect(can(system, policy, action, target)).toBe(true);
        expect(holds(system, policy, action)).toBe(true);
      }
    }
  });

  it('an actor with several positions may do what any one of them may', () => {
    const policies = ALL_POLICIES as readonly Policy<string>[];
    fc.assert(
      fc.property(fc.subarray([...ALL_POSITIONS], { minLength: 0, maxLength: 5 }), (positions) => {
        const actor = actorWith(positions);
        for (const policy of policies) {
          for (const [action, granted] of Object.entries(policy)) {
            const expected = positions.some((p) => granted.includes(p));
            expect(can(actor, policy, action, `${HALL}x/`)).toBe(expected);
            expect(can(actor, policy, action, '/hq/yc/qy/h2/')).toBe(false);
          }
        }
      }),
      { numRuns: 200 },
    );
  });

  it('authorize throws 403 position without the grant, 403 scope outside the subtree', () => {
    const code = (fn: () => void) => {
      try {
        fn();
        return null;
      } catch (e) {
        expect(e).toBeInstanceOf(Problem);
        expect((e as Problem).status).toBe(403);
        return (e as Problem).code;
      }
    };
    const clerk = actorWith(['acceptance']);
    expect(code(() => authorize(clerk, customersPolicy, 'customer.reveal', HALL))).toBeNull();
    expect(code(() => authorize(clerk, customersPolicy, 'customer.reveal', '/hq/yc/qy/h2/'))).toBe('scope');
    expect(code(() => authorize(clerk, orgPolicy, 'org.write', HALL))).toBe('position');
    expect(code(() => authorize(clerk, orgPolicy, 'org.write', '/hq/yc/qy/h2/'))).toBe('position');
  });
});

describe('subtrees', () => {
  it('a path is inside a root iff the root is a prefix of it', () => {
    const segment = fc.stringMatching(/^[a-z0-9]{1,4}$/);
    fc.assert(
      fc.property(
        fc.array(segment, { minLength: 1, maxLength: 4 }),
        fc.array(segment, { maxLength: 4 }),
        (root, rest) => {
          const rootPath = `/${root.join('/')}/`;
          expect(inSubtree(rootPath, `/${[...root, ...rest].join('/')}/`)).toBe(true);
          // A sibling whose last id merely starts with the root's last id is outside.
          const sibling = `/${[...root.slice(0, -1), `${root.at(-1)}z`].join('/')}/`;
          expect(inSubtree(rootPath, sibling)).toBe(false);
        },
      ),
    );
  });

  it('provinceScope is the path of the province (or headquarters itself)', () => {
    expect(provinceScope('/hq/yc/qy/h1/')).toBe('/hq/yc/');
    expect(provinceScope('/hq/yc/')).toBe('/hq/yc/');
    expect(provinceScope('/hq/')).toBe('/hq/');
  });
});

describe('what the grants intend', () => {
  const may = (position: AnyPosition, policy: Policy<string>, action: string) =>
    can(actorWith([position]), policy, action, HALL);

  it('business acceptance may reveal a customer’s data; sales and consultation may not', () => {
    expect(may('acceptance', customersPolicy, 'customer.reveal')).toBe(true);
    expect(may('sales', customersPolicy, 'customer.reveal')).toBe(false);
    expect(may('consultation', customersPolicy, 'customer.reveal')).toBe(false);
    expect(may('sales', customersPolicy, 'customer.read')).toBe(true);
    expect(may('auditor', customersPolicy, 'customer.reveal')).toBe(true);
    expect(may('auditor', customersPolicy, 'customer.write')).toBe(false);
  });

  it('only the administrator writes the organisation, settings and the calendar, and grants admin', () => {
    for (const [policy, action] of [
      [orgPolicy, 'org.write'],
      [settingsPolicy, 'settings.write'],
      [calendarPolicy, 'calendar.write'],
      [staffPolicy, 'staff.grant_admin'],
    ] as const) {
      expect(policy[action as keyof typeof policy]).toEqual(['system_admin']);
    }
  });

  it('a kiosk neither looks up a phone number nor reads a customer; a display reads only the organisation', () => {
    expect(may('device_kiosk', customersPolicy, 'customer.lookup')).toBe(false);
    expect(may('device_kiosk', customersPolicy, 'customer.read')).toBe(false);
    expect(may('device_display', customersPolicy, 'customer.lookup')).toBe(false);
    expect(may('device_display', orgPolicy, 'org.read')).toBe(true);
    expect(may('device_display', settingsPolicy, 'settings.read')).toBe(false);
  });

  it('every floor position looks up phone numbers; the hall manager manages staff, hours and devices', () => {
    for (const p of FRONT_DESK) expect(may(p, customersPolicy, 'customer.lookup'), p).toBe(p !== 'agent');
    expect(may('system_admin', customersPolicy, 'customer.lookup')).toBe(false);
    expect(may('hall_manager', staffPolicy, 'staff.write')).toBe(true);
    expect(may('hall_manager', staffPolicy, 'staff.reset_password')).toBe(true);
    expect(may('hall_manager', orgPolicy, 'org.hours')).toBe(true);
    expect(may('hall_manager', authPolicy, 'token.manage')).toBe(true);
    expect(may('duty_manager', staffPolicy, 'staff.write')).toBe(false);
    expect(may('duty_manager', staffPolicy, 'staff.read')).toBe(true);
  });

  it('the audit trail is for administrators, managers, auditors and quality monitors only', () => {
    const readers = ALL_POSITIONS.filter((p) => may(p, auditPolicy, 'audit.read'));
    expect(readers.sort()).toEqual(['auditor', 'hall_manager', 'quality_monitor', 'system_admin']);
  });

  it('every person may read the organisation and the calendar; the settings page is the office’s', () => {
    for (const p of POSITION_CODES) {
      expect(may(p, orgPolicy, 'org.read'), p).toBe(true);
      expect(may(p, calendarPolicy, 'calendar.read'), p).toBe(true);
      // The front desk (clerks, floor guides, agents) has no settings page and no personal API token.
      expect(may(p, settingsPolicy, 'settings.read'), p).toBe(!FRONT_DESK.includes(p));
      expect(may(p, authPolicy, 'token.client'), p).toBe(!FRONT_DESK.includes(p));
    }
  });

  it('a rating pad may only rate, follow its hall’s feed and take a visit’s password and signature; no person may', () => {
    for (const p of POSITION_CODES) expect(may(p, queuePolicy, 'queue.rate'), p).toBe(false);
    for (const p of POSITION_CODES) expect(may(p, visitsPolicy, 'visit.pad'), p).toBe(false);
    for (const policy of ALL_POLICIES) {
      for (const [action, granted] of Object.entries(policy)) {
        expect(granted.includes('device_rating_pad'), action).toBe(
          action === 'queue.rate' || action === 'queue.feed' || action === 'visit.pad',
        );
      }
    }
  });
});

describe('the common-sense grant rules (grantRefusal)', () => {
  const A = '/hq/yc/qy/h1/';
  const staff = (positions: readonly AnyPosition[], unitPath = A, id = 'me'): Actor => ({
    ...actorWith(positions, unitPath),
    id,
  });
  const admin = staff(['system_admin'], '/hq/yc/qy/');
  const manager = staff(['hall_manager']);
  const duty = staff(['duty_manager']);
  const change = (over: Partial<GrantChange>): GrantChange => ({
    targetId: 'other',
    positionsBefore: ['acceptance'],
    positionsAfter: ['acceptance'],
    unitBefore: A,
    unitAfter: A,
    ...over,
  });
  const cases: [string, Actor, Partial<GrantChange>, boolean, string | null][] = [
    // [case, actor, change, mayGrantAdmin, refusal code]
    [
      'a manager gives a clerk a counter position',
      manager,
      { positionsAfter: ['acceptance', 'sales'] },
      false,
      null,
    ],
    [
      'a manager gives an auditor’s position (within its own rights)',
      manager,
      { positionsAfter: ['auditor'] },
      false,
      null,
    ],
    ['a manager gives its own position', manager, { positionsAfter: ['hall_manager'] }, false, null],
    [
      'a manager never gives the admin position',
      manager,
      { positionsAfter: ['system_admin'] },
      false,
      'grant_admin',
    ],
    [
      'a manager never takes the admin position away',
      manager,
      { positionsBefore: ['system_admin'], positionsAfter: ['sales'] },
      false,
      'grant_admin',
    ],
    [
      'a duty manager gives no position with more rights than its own',
      duty,
      { positionsBefore: [], positionsAfter: ['acceptance'] },
      false,
      'position_above',
    ],
    [
      'a duty manager gives the floor guide’s position (within its rights)',
      duty,
      { positionsAfter: ['acceptance', 'floor_guide'], positionsBefore: ['acceptance'] },
      false,
      null,
    ],
    [
      'nobody adds a position to itself',
      manager,
      { targetId: 'me', positionsBefore: ['hall_manager'], positionsAfter: ['hall_manager', 'auditor'] },
      false,
      'self_grant',
    ],
    [
      'nobody removes its own position',
      admin,
      { targetId: 'me', positionsBefore: ['system_admin', 'trainer'], positionsAfter: ['system_admin'] },
      true,
      'self_grant',
    ],
    [
      'nobody moves itself to another unit',
      admin,
      {
        targetId: 'me',
        positionsBefore: ['system_admin'],
        positionsAfter: ['system_admin'],
        unitBefore: '/hq/yc/qy/',
        unitAfter: A,
      },
      true,
      'self_grant',
    ],
    [
      'one’s own name or phone is no grant',
      manager,
      { targetId: 'me', positionsBefore: ['hall_manager'], positionsAfter: ['hall_manager'] },
      false,
      null,
    ],
    ['nobody moves someone above its own unit', manager, { unitAfter: '/hq/yc/qy/' }, false, 'scope_above'],
    [
      'nobody moves someone in from outside its subtree',
      admin,
      { unitBefore: '/hq/yc/xk/h1/', unitAfter: A },
      true,
      'scope_above',
    ],
    [
      'nobody creates an account outside its subtree',
      manager,
      { targetId: null, unitBefore: null, unitAfter: '/hq/yc/qy/h2/' },
      false,
      'scope_above',
    ],
    [
      'an admin gives any non-admin position in its subtree',
      admin,
      { positionsAfter: ['hall_manager', 'vip_reception', 'auditor'] },
      false,
      null,
    ],
    [
      'an admin gives the admin position with staff.grant_admin',
      admin,
      { positionsAfter: ['system_admin'] },
      true,
      null,
    ],
    [
      'an admin without the grant there does not',
      admin,
      { positionsAfter: ['system_admin'] },
      false,
      'grant_admin',
    ],
    [
      'a device grants nothing',
      actorWith(['device_kiosk'], A, 'device'),
      { positionsAfter: ['sales'] },
      false,
      'not_staff',
    ],
  ];
  it.each(cases)('%s', (_case, actor, over, mayGrantAdmin, code) => {
    const refused = grantRefusal(actor, change(over), ALL_POLICIES, mayGrantAdmin);
    expect(refused?.code ?? null).toBe(code);
    if (refused) {
      expect(refused.zh).toMatch(/[\u4e00-\u9fff]/);
      expect(refused.en).toMatch(/[a-z]/);
    }
  });

  it('the system actor may make any change', () => {
    const system = systemActor({ id: 'hq', path: '/hq/', provinceId: 'hq' });
    expect(
      grantRefusal(system, change({ positionsAfter: ['system_admin'] }), ALL_POLICIES, false),
    ).toBeNull();
  });

  it('no position may be handed out by a holder of fewer rights (property)', () => {
    fc.assert(
      fc.property(
        fc.subarray([...POSITION_CODES], { minLength: 1, maxLength: 3 }),
        fc.constantFrom(...POSITION_CODES),
        (mine, given) => {
          const actor = staff(mine);
          if (!mayHandOut(actor, given, ALL_POLICIES, false)) return;
          if (mine.includes('system_admin')) {
            expect(given).not.toBe('system_admin');
            return;
          }
          const rights = authorityOf(ALL_POLICIES, mine);
          for (const a of authorityOf(ALL_POLICIES, [given]))
            expect(rights.has(a), `${given}: ${a}`).toBe(true);
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('token positions (tokenRefusal)', () => {
  const manager = actorWith(['hall_manager']);
  it.each([
    ['a kiosk of its hall', { kind: 'device', unitPath: HALL, positions: ['device_kiosk'] }, null],
    [
      'a display of a counter below it',
      { kind: 'device', unitPath: `${HALL}x/`, positions: ['device_display'] },
      null,
    ],
    [
      'a person’s position on a device',
      { kind: 'device', unitPath: HALL, positions: ['device_kiosk', 'acceptance'] },
      'position_above',
    ],
    ['no position at all', { kind: 'device', unitPath: HALL, positions: [] }, 'position_above'],
    [
      'a device of another hall',
      { kind: 'device', unitPath: '/hq/yc/qy/h2/', positions: ['device_kiosk'] },
      'scope_above',
    ],
    [
      'a device of the city above',
      { kind: 'device', unitPath: '/hq/yc/qy/', positions: ['device_kiosk'] },
      'scope_above',
    ],
    ['a person’s API token (acts as its person)', { kind: 'client', positions: [] }, null],
    [
      'a person’s API token with positions of its own',
      { kind: 'client', positions: ['system_admin'] },
      'position_above',
    ],
  ] as const)('%s', (_case, token, code) => {
    expect(tokenRefusal(manager, token)?.code ?? null).toBe(code);
  });
  it('a device makes no token', () => {
    const kiosk = actorWith(['device_kiosk'], HALL, 'device');
    expect(tokenRefusal(kiosk, { kind: 'device', unitPath: HALL, positions: ['device_kiosk'] })?.code).toBe(
      'not_staff',
    );
  });
});

describe('reach: a customer-service centre serves its province or city', () => {
  const centre = (
    unitKind: Actor['unitKind'],
    unitPath: string,
    positions: AnyPosition[] = ['agent'],
  ): Actor => ({
    ...actorWith(positions, unitPath),
    unitKind,
  });
  const provCentre = centre('centre_province', '/hq/yc/cc/');
  const cityCentre = centre('centre_city', '/hq/yc/qy/cc/');
  const hallClerk: Actor = { ...actorWith(['acceptance'], '/hq/yc/qy/h1/'), unitKind: 'hall_own' };
  it.each([
    [
      'province centre agent: a city hall’s appointments',
      provCentre,
      queuePolicy,
      'queue.appointment',
      '/hq/yc/qy/h1/',
      true,
    ],
    [
      'province centre agent: the province’s customers',
      provCentre,
      customersPolicy,
      'customer.read',
      '/hq/yc/xk/h1/',
      true,
    ],
    [
      'province centre agent: not another province’s',
      provCentre,
      customersPolicy,
      'customer.read',
      '/hq/zz/a/h1/',
      false,
    ],
    [
      'province centre agent: no queue view of a hall (not a centre’s job)',
      provCentre,
      queuePolicy,
      'queue.view',
      '/hq/yc/qy/h1/',
      false,
    ],
    [
      'city centre agent: its city’s hall',
      cityCentre,
      queuePolicy,
      'queue.appointment',
      '/hq/yc/qy/h1/',
      true,
    ],
    [
      'city centre agent: not another city’s hall',
      cityCentre,
      queuePolicy,
      'queue.appointment',
      '/hq/yc/xk/h1/',
      false,
    ],
    [
      'city centre agent: not another city’s customers',
      cityCentre,
      customersPolicy,
      'customer.read',
      '/hq/yc/xk/h1/',
      false,
    ],
    ['hall clerk: its own hall', hallClerk, customersPolicy, 'customer.read', '/hq/yc/qy/h1/', true],
    ['hall clerk: not another hall', hallClerk, customersPolicy, 'customer.read', '/hq/yc/qy/h2/', false],
    [
      'a centre’s grant still needs the position',
      centre('centre_province', '/hq/yc/cc/', ['info_editor']),
      customersPolicy,
      'customer.read',
      '/hq/yc/qy/h1/',
      false,
    ],
    [
      'a device at a centre has no wider reach',
      { ...actorWith(['device_kiosk'], '/hq/yc/cc/', 'device'), unitKind: 'centre_province' },
      queuePolicy,
      'queue.appointment',
      '/hq/yc/qy/h1/',
      false,
    ],
  ] as const)('%s', (_case, actor, policy, action, target, expected) => {
    expect(can(actor, policy as Policy<string>, action, target)).toBe(expected);
  });
  it('reachOf names the subtree', () => {
    expect(reachOf(provCentre, customersPolicy, 'customer.read')).toBe('/hq/yc/');
    expect(reachOf(cityCentre, customersPolicy, 'customer.read')).toBe('/hq/yc/qy/');
    expect(reachOf(provCentre, customersPolicy, 'customer.lookup')).toBe('/hq/yc/cc/');
    expect(reachOf(hallClerk, customersPolicy, 'customer.read')).toBe('/hq/yc/qy/h1/');
  });
});
