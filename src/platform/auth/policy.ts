/**
 * Who may do what, where. An actor acts from one unit; an action is allowed when one of the actor's
 * positions is granted it and the target lies in the actor's *reach* for that action: its unit's subtree,
 * or, for a customer-service centre and the actions a centre serves, the subtree of the province or city
 * the centre belongs to; a device's reach is its own unit only. Each module declares its grants in its own `policy.ts` with `definePolicy`.
 * `grantRefusal` holds the common-sense rules of granting positions and scopes.
 */
import type { UnitKind } from '../../core/org.ts';
import type { AnyPosition, Position } from '../../core/positions.ts';
import { DEVICE_POSITIONS } from '../../core/positions.ts';
import { forbidden } from '../http/problem.ts';

export interface Actor {
  /** phone: a customer's phone proven by a one-time code (no positions: the e-channel's routes only). */
  kind: 'staff' | 'device' | 'system' | 'phone';
  id: string | null;
  name: string;
  unitId: string;
  unitPath: string;
  provinceId: string;
  positions: readonly AnyPosition[];
  /** The kind of the actor's unit (a centre's reach depends on it); unknown means no wider reach. */
  unitKind?: UnitKind | undefined;
}

export type Policy<A extends string> = Readonly<Record<A, readonly AnyPosition[]>>;

/** The actions of each policy that a customer-service centre serves for its whole province or city. */
const CENTRE_SERVED = new WeakMap<object, ReadonlySet<string>>();

/** Units whose staff serve the customers of the province or city they belong to (not only their own unit). */
export const CENTRE_KINDS: readonly UnitKind[] = ['centre_province', 'centre_city'];

/**
 * Declares a module's grants: action → positions allowed to take it. `centreServed` names the actions a
 * customer-service centre takes for the whole province or city it belongs to (its customers, its halls'
 * appointments), where halls are not in the centre's own subtree.
 */
export function definePolicy<A extends string>(
  grants: Policy<A>,
  options: { centreServed?: readonly NoInfer<A>[] } = {},
): Policy<A> {
  if (options.centreServed) CENTRE_SERVED.set(grants, new Set(options.centreServed));
  return grants;
}

/** The path of a unit's parent (the root is its own parent). */
function parentPath(path: string): string {
  const ids = path.split('/').filter(Boolean);
  return ids.length <= 1 ? path : `/${ids.slice(0, -1).join('/')}/`;
}

/**
 * The subtree in which the actor may take `action`: its unit's, or for a province or city customer-service
 * centre and an action the centre serves, that of the province or city the centre stands under.
 */
export function reachOf<A extends string>(actor: Actor, policy: Policy<A>, action: A): string {
  if (actor.kind === 'staff' && actor.unitKind && CENTRE_KINDS.includes(actor.unitKind)) {
    if (CENTRE_SERVED.get(policy)?.has(action)) return parentPath(actor.unitPath);
  }
  return actor.unitPath;
}

/** True when `path` lies in the subtree of `root` (both materialised unit paths). */
export function inSubtree(root: string, path: string): boolean {
  return path.startsWith(root);
}

/** The path of the province a unit path lies in (`/hq/province/`), or the root's for headquarters. */
export function provinceScope(path: string): string {
  const ids = path.split('/').filter(Boolean);
  return `/${ids.slice(0, 2).join('/')}/`;
}

/** May the actor take `action` on something in the unit at `targetPath`? */
export function can<A extends string>(
  actor: Actor,
  policy: Policy<A>,
  action: A,
  targetPath: string,
): boolean {
  if (actor.kind === 'system') return true;
  const granted = policy[action];
  // A device (a hall's kiosk or display) acts only at the unit it is registered at: not its siblings, not below.
  if (actor.kind === 'device') {
    return actor.positions.some((p) => granted.includes(p)) && targetPath === actor.unitPath;
  }
  return (
    actor.positions.some((p) => granted.includes(p)) && inSubtree(reachOf(actor, policy, action), targetPath)
  );
}

/** May the actor take `action` anywhere at all (for listing what it may see)? */
export function holds<A extends string>(actor: Actor, policy: Policy<A>, action: A): boolean {
  if (actor.kind === 'system') return true;
  return actor.positions.some((p) => policy[action].includes(p));
}

/** Throws 403 unless `can(...)`. */
export function authorize<A extends string>(
  actor: Actor,
  policy: Policy<A>,
  action: A,
  targetPath: string,
): void {
  if (!holds(actor, policy, action)) {
    throw forbidden('position', '您的岗位无权执行此操作', 'Your position does not allow this action');
  }
  if (!can(actor, policy, action, targetPath)) {
    throw forbidden(
      'scope',
      '该对象不在您所属单位的管辖范围内',
      'This is outside your part of the organisation',
    );
  }
}

/** Throws 403 unless the actor holds `action` somewhere (the query is then scoped by `reachOf(...)`). */
export function authorizeAny<A extends string>(actor: Actor, policy: Policy<A>, action: A): void {
  if (!holds(actor, policy, action)) {
    throw forbidden('position', '您的岗位无权执行此操作', 'Your position does not allow this action');
  }
}

/** The actor used by the CLI, the seeder and timers. */
export function systemActor(root: { id: string; path: string; provinceId: string }, name = 'system'): Actor {
  return {
    kind: 'system',
    id: null,
    name,
    unitId: root.id,
    unitPath: root.path,
    provinceId: root.provinceId,
    positions: [],
  };
}

/* ----------------------------------------------------------------------------------------------- */
/* The common-sense rules of granting positions and scopes.                                        */

/** A change of a staff member's positions or unit (a new account has no `before`). */
export interface GrantChange {
  /** The staff member changed, or null for a new account. */
  targetId: string | null;
  positionsBefore: readonly Position[];
  positionsAfter: readonly Position[];
  /** The unit path before (null for a new account) and after. */
  unitBefore: string | null;
  unitAfter: string;
}

export interface Refusal {
  code: string;
  zh: string;
  en: string;
}

/** Every action any of `positions` holds, over the given policies. */
export function authorityOf(
  policies: readonly Policy<string>[],
  positions: readonly AnyPosition[],
): Set<string> {
  const out = new Set<string>();
  for (const policy of policies) {
    for (const [action, granted] of Object.entries(policy)) {
      if (positions.some((p) => granted.includes(p))) out.add(action);
    }
  }
  return out;
}

/**
 * May `actor` hand `position` to someone (or take it away)? Only what lies within its own authority:
 * the position itself, or one whose every action the actor already holds (a hall manager gives a clerk's
 * or an auditor's position, never more than a hall manager may do). A system administrator may hand any
 * non-admin position within its subtree; the administrator position itself only with `mayGrantAdmin`
 * (staff.grant_admin).
 */
export function mayHandOut(
  actor: Actor,
  position: Position,
  policies: readonly Policy<string>[],
  mayGrantAdmin: boolean,
): boolean {
  if (actor.kind === 'system') return true;
  if (actor.kind !== 'staff') return false;
  if (position === 'system_admin') return mayGrantAdmin;
  if (actor.positions.includes('system_admin') || actor.positions.includes(position)) return true;
  const mine = authorityOf(policies, actor.positions);
  return [...authorityOf(policies, [position])].every((a) => mine.has(a));
}

const REFUSALS = {
  not_staff: { zh: '只有员工可以管理员工的岗位', en: 'Only staff may manage positions' },
  self_grant: {
    zh: '不能修改自己的岗位或所属单位',
    en: 'You cannot change your own positions or unit',
  },
  scope_above: {
    zh: '不能把员工调入或调出您管辖范围以外的单位',
    en: 'You cannot move a staff member into or out of a unit outside your part of the organisation',
  },
  grant_admin: {
    zh: '只有系统管理员可以授予或收回系统管理员岗位',
    en: 'Only an administrator may grant or remove the administrator position',
  },
  position_above: {
    zh: '不能授予或收回超出您本人权限的岗位',
    en: 'You cannot grant or remove a position with more rights than your own',
  },
} as const;

function refusal(code: keyof typeof REFUSALS, detail = ''): Refusal {
  const r = REFUSALS[code];
  return { code, zh: r.zh + (detail ? `：${detail}` : ''), en: r.en + (detail ? `: ${detail}` : '') };
}

/**
 * Why `actor` may not make `change`, or null when it may. Nobody changes their own positions or unit;
 * nobody moves anyone into or out of a unit outside their subtree; nobody grants or removes a position
 * beyond their own authority (`mayHandOut`). Pure: the policies and the admin grant are passed in.
 */
export function grantRefusal(
  actor: Actor,
  change: GrantChange,
  policies: readonly Policy<string>[],
  mayGrantAdmin: boolean,
): Refusal | null {
  if (actor.kind === 'system') return null;
  if (actor.kind !== 'staff') return refusal('not_staff');
  const before = new Set(change.positionsBefore);
  const after = new Set(change.positionsAfter);
  const changed = [...[...after].filter((p) => !before.has(p)), ...[...before].filter((p) => !after.has(p))];
  const moved = change.unitBefore !== null && change.unitBefore !== change.unitAfter;
  if (change.targetId !== null && change.targetId === actor.id && (changed.length > 0 || moved)) {
    return refusal('self_grant');
  }
  for (const path of [change.unitBefore, change.unitAfter]) {
    if (path !== null && !inSubtree(actor.unitPath, path)) return refusal('scope_above');
  }
  if (changed.includes('system_admin') && !mayHandOut(actor, 'system_admin', policies, mayGrantAdmin)) {
    return refusal('grant_admin');
  }
  const beyond = changed.filter((p) => !mayHandOut(actor, p, policies, mayGrantAdmin));
  if (beyond.length > 0) return refusal('position_above', beyond.join(', '));
  return null;
}

/** Throws 403 with the reason unless `grantRefusal(...)` is null. */
export function assertMayGrant(
  actor: Actor,
  change: GrantChange,
  policies: readonly Policy<string>[],
  mayGrantAdmin: boolean,
): void {
  const r = grantRefusal(actor, change, policies, mayGrantAdmin);
  if (r) throw forbidden(r.code, r.zh, r.en);
}

/**
 * Why a token may not be made with these positions for this unit, or null. A device token carries device
 * positions only, for a unit in the caller's subtree; a person's API token carries no positions of its own
 * (it acts as its person, so never with more than the person holds).
 */
export function tokenRefusal(
  actor: Actor,
  token:
    | { kind: 'device'; unitPath: string; positions: readonly string[] }
    | { kind: 'client'; positions: readonly string[] },
): Refusal | null {
  if (actor.kind === 'system') return null;
  if (actor.kind !== 'staff') return refusal('not_staff');
  const devices: readonly string[] = DEVICE_POSITIONS;
  if (token.kind === 'client') {
    return token.positions.length === 0 ? null : refusal('position_above', token.positions.join(', '));
  }
  if (!inSubtree(actor.unitPath, token.unitPath)) return refusal('scope_above');
  const bad = token.positions.filter((p) => !devices.includes(p));
  if (token.positions.length === 0 || bad.length > 0) return refusal('position_above', bad.join(', '));
  return null;
}
