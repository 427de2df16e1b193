/**
 * Who may do what, where. An actor acts from one unit; an action is allowed when one of the actor's
 * positions is granted it and the target lies in the actor's unit's subtree. Each module declares its
 * grants in its own `policy.ts` with `definePolicy`.
 */
import type { AnyPosition } from '../../core/positions.ts';
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
}

export type Policy<A extends string> = Readonly<Record<A, readonly AnyPosition[]>>;

/** Declares a module's grants: action → positions allowed to take it. */
export function definePolicy<A extends string>(grants: Policy<A>): Policy<A> {
  return grants;
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
  return actor.positions.some((p) => granted.includes(p)) && inSubtree(actor.unitPath, targetPath);
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

/** Throws 403 unless the actor holds `action` somewhere (the query is then scoped by `actor.unitPath`). */
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
