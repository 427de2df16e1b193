/**
 * The matrix of every module's policy: position × action × (inside / outside the actor's subtree), with
 * `can()` and `authorize()`, plus a few expectations spelled out that document what the grants intend.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { AnyPosition } from '../core/positions.ts';
import { DEVICE_POSITIONS, FRONT_DESK, POSITION_CODES } from '../core/positions.ts';
import type { Actor, Policy } from '../platform/auth/policy.ts';
import { authorize, can, holds, inSubtree, provinceScope, systemActor } from '../platform/auth/policy.ts';
import { Problem } from '../platform/http/problem.ts';
import { auditPolicy } from './audit/policy.ts';
import { authPolicy } from './auth/policy.ts';
import { calendarPolicy } from './calendar/policy.ts';
import { customersPolicy } from './customers/policy.ts';
import { orgPolicy } from './org/policy.ts';
import { ALL_POLICIES } from './policies.ts';
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
  it('every module’s policy is in ALL_POLICIES, and action names are unique across them', () => {
    for (const p of [
      orgPolicy,
      staffPolicy,
      authPolicy,
      calendarPolicy,
      settingsPolicy,
      customersPolicy,
      auditPolicy,
    ]) {
      expect(ALL_POLICIES).toContain(p);
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

  it('a kiosk looks up a phone number but reads no customer; a display reads only the organisation', () => {
    expect(may('device_kiosk', customersPolicy, 'customer.lookup')).toBe(true);
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

  it('every person may read the organisation, the calendar and the settings', () => {
    for (const p of POSITION_CODES) {
      expect(may(p, orgPolicy, 'org.read'), p).toBe(true);
      expect(may(p, calendarPolicy, 'calendar.read'), p).toBe(true);
      expect(may(p, settingsPolicy, 'settings.read'), p).toBe(true);
    }
  });
});
