/** Staff accounts and the positions they hold, inside the caller's part of the organisation. */
import { and, asc, count, eq, ilike, inArray, like, or } from 'drizzle-orm';
import type { SQL } from 'drizzle-orm';
import { maskPhone } from '../../core/masking.ts';
import { isLocked } from '../../core/password-policy.ts';
import type { Position } from '../../core/positions.ts';
import type { GrantChange } from '../../platform/auth/policy.ts';
import { assertMayGrant, authorize, can, holds, mayHandOut } from '../../platform/auth/policy.ts';
import { hashPassword, initialPassword } from '../../platform/auth/password.ts';
import { endSessions } from '../../platform/auth/sessions.ts';
import type { Ctx } from '../../platform/context.ts';
import type { DbOrTx } from '../../platform/db/index.ts';
import { escapeLike, schema } from '../../platform/db/index.ts';
import { appendEvent, command } from '../../platform/events.ts';
import { conflict, forbidden, notFound } from '../../platform/http/problem.ts';
import { newId } from '../../platform/ids.ts';
import { getUnitRef } from '../org/service.ts';
import { ALL_POLICIES } from '../policies.ts';
import type { CreateStaff, Staff, StaffQuery, UpdateStaff } from './contract.ts';
import { staffPolicy } from './policy.ts';

const STAFF = { zh: '员工', en: 'Staff member' };
type StaffRow = typeof schema.staff.$inferSelect;

async function positionsOf(db: DbOrTx, ids: string[]): Promise<Map<string, Position[]>> {
  const map = new Map<string, Position[]>(ids.map((id) => [id, []]));
  if (ids.length === 0) return map;
  const rows = await db
    .select()
    .from(schema.staffPositions)
    .where(inArray(schema.staffPositions.staffId, ids));
  for (const r of rows) map.get(r.staffId)?.push(r.position as Position);
  return map;
}

function toStaff(row: StaffRow, unitName: string, positions: Position[], now: Date, reveal = false): Staff {
  return {
    id: row.id,
    unitId: row.unitId,
    unitName,
    username: row.username,
    name: row.name,
    phone: reveal || row.phone === '' ? row.phone : maskPhone(row.phone),
    positions: [...positions].sort(),
    active: row.active,
    mustChangePassword: row.mustChangePassword,
    locked: isLocked(row.lockedUntil, now),
    createdAt: row.createdAt.toISOString(),
  };
}

async function staffRow(db: DbOrTx, id: string) {
  const [row] = await db
    .select({ staff: schema.staff, unitName: schema.units.name, unitPath: schema.units.path })
    .from(schema.staff)
    .innerJoin(schema.units, eq(schema.units.id, schema.staff.unitId))
    .where(eq(schema.staff.id, id));
  if (!row) throw notFound(STAFF);
  return row;
}

/** Staff in the caller's subtree, filtered by unit, name/user name or position. Phones are masked. */
export async function listStaff(ctx: Ctx, query: StaffQuery): Promise<{ items: Staff[]; total: number }> {
  let scope = ctx.actor.unitPath;
  if (query.unitId) {
    const unit = await getUnitRef(ctx.db, query.unitId);
    authorize(ctx.actor, staffPolicy, 'staff.read', unit.path);
    scope = unit.path;
  } else {
    authorize(ctx.actor, staffPolicy, 'staff.read', ctx.actor.unitPath);
  }
  const filters: SQL[] = [like(schema.units.path, `${scope}%`)];
  if (query.q) {
    filters.push(
      or(
        ilike(schema.staff.name, `%${escapeLike(query.q)}%`),
        ilike(schema.staff.username, `%${escapeLike(query.q)}%`),
      )!,
    );
  }
  if (query.position) {
    const holders = ctx.db
      .select({ id: schema.staffPositions.staffId })
      .from(schema.staffPositions)
      .where(eq(schema.staffPositions.position, query.position));
    filters.push(inArray(schema.staff.id, holders));
  }
  const where = and(...filters);
  const base = ctx.db
    .select({ staff: schema.staff, unitName: schema.units.name })
    .from(schema.staff)
    .innerJoin(schema.units, eq(schema.units.id, schema.staff.unitId));
  const rows = await base
    .where(where)
    .orderBy(asc(schema.units.path), asc(schema.staff.username))
    .limit(query.limit)
    .offset(query.offset);
  const [total] = await ctx.db
    .select({ n: count() })
    .from(schema.staff)
    .innerJoin(schema.units, eq(schema.units.id, schema.staff.unitId))
    .where(where);
  const positions = await positionsOf(
    ctx.db,
    rows.map((r) => r.staff.id),
  );
  const now = ctx.clock.now();
  return {
    items: rows.map((r) => toStaff(r.staff, r.unitName, positions.get(r.staff.id) ?? [], now)),
    total: total?.n ?? 0,
  };
}

/** One staff member (phone masked). */
export async function getStaff(ctx: Ctx, id: string): Promise<Staff> {
  const row = await staffRow(ctx.db, id);
  authorize(ctx.actor, staffPolicy, 'staff.read', row.unitPath);
  const positions = await positionsOf(ctx.db, [id]);
  return toStaff(row.staff, row.unitName, positions.get(id) ?? [], ctx.clock.now());
}

/** The common-sense grant rules (`grantRefusal`) for a change of positions or unit, as 403 with the reason. */
function checkGrant(ctx: Ctx, change: GrantChange): void {
  const paths = [change.unitBefore, change.unitAfter].filter((p): p is string => p !== null);
  const mayGrantAdmin = paths.every((p) => can(ctx.actor, staffPolicy, 'staff.grant_admin', p));
  assertMayGrant(ctx.actor, change, ALL_POLICIES, mayGrantAdmin);
}

/**
 * An account is managed (changed, deactivated, its password reset) only by someone whose authority covers
 * every position it holds: else a hall manager could take over an administrator's account.
 */
function assertMayManage(ctx: Ctx, targetPositions: readonly Position[], targetPath: string): void {
  const mayGrantAdmin = can(ctx.actor, staffPolicy, 'staff.grant_admin', targetPath);
  if (targetPositions.includes('system_admin') && !mayGrantAdmin) {
    throw forbidden(
      'admin_account',
      '只有系统管理员可以修改系统管理员的账号或重置其密码',
      "Only an administrator may change an administrator's account or reset its password",
    );
  }
  const beyond = targetPositions.filter((p) => !mayHandOut(ctx.actor, p, ALL_POLICIES, mayGrantAdmin));
  if (beyond.length > 0) {
    throw forbidden(
      'account_above',
      `该账号的岗位超出您本人的权限：${beyond.join(', ')}`,
      `This account holds positions with more rights than your own: ${beyond.join(', ')}`,
    );
  }
}

/** Inserts an account and its positions (no checks, no event): for `createStaff` and the demo seeder. */
export async function insertAccount(
  tx: DbOrTx,
  unit: { id: string; provinceId: string },
  input: Omit<CreateStaff, 'unitId'> & { passwordHash: string; mustChangePassword: boolean },
  now: Date,
): Promise<{ row: StaffRow; positions: Position[] }> {
  const [row] = await tx
    .insert(schema.staff)
    .values({
      id: newId(),
      provinceId: unit.provinceId,
      unitId: unit.id,
      username: input.username,
      name: input.name,
      phone: input.phone,
      passwordHash: input.passwordHash,
      passwordChangedAt: now,
      mustChangePassword: input.mustChangePassword,
      createdAt: now,
    })
    .returning();
  const positions = [...new Set(input.positions)];
  await tx
    .insert(schema.staffPositions)
    .values(positions.map((position) => ({ staffId: row!.id, position })));
  return { row: row!, positions };
}

/** Creates an account with a one-time initial password that must be changed at first login. */
export async function createStaff(
  ctx: Ctx,
  input: CreateStaff,
): Promise<{ staff: Staff; initialPassword: string }> {
  const password = initialPassword();
  const hash = await hashPassword(password);
  return command(ctx, async (tx) => {
    const unit = await getUnitRef(tx, input.unitId);
    authorize(ctx.actor, staffPolicy, 'staff.write', unit.path);
    checkGrant(ctx, {
      targetId: null,
      positionsBefore: [],
      positionsAfter: input.positions,
      unitBefore: null,
      unitAfter: unit.path,
    });
    const [taken] = await tx
      .select({ id: schema.staff.id })
      .from(schema.staff)
      .where(eq(schema.staff.username, input.username));
    if (taken)
      throw conflict(
        'username_taken',
        `用户名 ${input.username} 已被使用`,
        `User name ${input.username} is taken`,
      );
    const now = ctx.clock.now();
    const { row, positions } = await insertAccount(
      tx,
      unit,
      { ...input, passwordHash: hash, mustChangePassword: true },
      now,
    );
    const id = row.id;
    const staff = toStaff(row, unit.name, positions, now);
    await appendEvent(tx, ctx, {
      action: 'staff.created',
      unit,
      subjectType: 'staff',
      subjectId: id,
      after: staff,
    });
    return { staff, initialPassword: password };
  });
}

/** Changes a staff member's name, phone, unit, positions or whether the account is active. */
export async function updateStaff(ctx: Ctx, id: string, patch: UpdateStaff): Promise<Staff> {
  return command(ctx, async (tx) => {
    const current = await staffRow(tx, id);
    authorize(ctx.actor, staffPolicy, 'staff.write', current.unitPath);
    const oldPositions = (await positionsOf(tx, [id])).get(id) ?? [];
    assertMayManage(ctx, oldPositions, current.unitPath);
    let unit = {
      id: current.staff.unitId,
      path: current.unitPath,
      name: current.unitName,
      provinceId: current.staff.provinceId,
    };
    if (patch.unitId && patch.unitId !== current.staff.unitId) {
      const target = await getUnitRef(tx, patch.unitId);
      authorize(ctx.actor, staffPolicy, 'staff.write', target.path);
      unit = target;
    }
    checkGrant(ctx, {
      targetId: id,
      positionsBefore: oldPositions,
      positionsAfter: patch.positions ?? oldPositions,
      unitBefore: current.unitPath,
      unitAfter: unit.path,
    });
    if (ctx.actor.id === id && patch.active === false) {
      throw conflict('self_deactivate', '不能停用自己的账号', 'You cannot deactivate your own account');
    }
    const { positions: newPositions, ...columns } = patch;
    const [row] = await tx
      .update(schema.staff)
      .set({ ...columns, unitId: unit.id, provinceId: unit.provinceId })
      .where(eq(schema.staff.id, id))
      .returning();
    let positions = oldPositions;
    if (newPositions) {
      positions = [...new Set(newPositions)];
      await tx.delete(schema.staffPositions).where(eq(schema.staffPositions.staffId, id));
      await tx.insert(schema.staffPositions).values(positions.map((position) => ({ staffId: id, position })));
    }
    const now = ctx.clock.now();
    const before = toStaff(current.staff, current.unitName, oldPositions, now);
    const after = toStaff(row!, unit.name, positions, now);
    if (patch.active === false)
      await tx.update(schema.credentials).set({ revokedAt: now }).where(eq(schema.credentials.staffId, id));
    else if (unit.id !== current.staff.unitId || before.positions.join() !== after.positions.join())
      await endSessions(tx, ctx, id, { unit, reason: 'positions_changed' });
    await appendEvent(tx, ctx, {
      action: 'staff.updated',
      unit,
      subjectType: 'staff',
      subjectId: id,
      before,
      after,
    });
    return after;
  });
}

/** Gives the account a new initial password (to be changed at next login) and lifts any lockout. */
export async function resetStaffPassword(
  ctx: Ctx,
  id: string,
): Promise<{ staff: Staff; initialPassword: string }> {
  const password = initialPassword();
  const hash = await hashPassword(password);
  return command(ctx, async (tx) => {
    const current = await staffRow(tx, id);
    authorize(ctx.actor, staffPolicy, 'staff.reset_password', current.unitPath);
    assertMayManage(ctx, (await positionsOf(tx, [id])).get(id) ?? [], current.unitPath);
    const now = ctx.clock.now();
    const [row] = await tx
      .update(schema.staff)
      .set({
        passwordHash: hash,
        passwordChangedAt: now,
        mustChangePassword: true,
        failedAttempts: 0,
        lockedUntil: null,
      })
      .where(eq(schema.staff.id, id))
      .returning();
    const unit = { id: current.staff.unitId, path: current.unitPath, provinceId: current.staff.provinceId };
    await endSessions(tx, ctx, id, { unit, reason: 'password_reset' });
    const positions = (await positionsOf(tx, [id])).get(id) ?? [];
    const staff = toStaff(row!, current.unitName, positions, now);
    await appendEvent(tx, ctx, {
      action: 'staff.password_reset',
      unit: { id: current.staff.unitId, path: current.unitPath, provinceId: current.staff.provinceId },
      subjectType: 'staff',
      subjectId: id,
    });
    return { staff, initialPassword: password };
  });
}

/** May this actor list staff at all (for the console's menu)? */
export function maySeeStaff(ctx: Ctx): boolean {
  return holds(ctx.actor, staffPolicy, 'staff.read');
}

/** The names of staff members by id (for showing who did something). */
export async function staffNames(db: DbOrTx, ids: string[]): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map();
  const rows = await db
    .select({ id: schema.staff.id, name: schema.staff.name })
    .from(schema.staff)
    .where(inArray(schema.staff.id, [...new Set(ids)]));
  return new Map(rows.map((r) => [r.id, r.name]));
}

/** What the auth module needs to know of an account to log it in. */
export async function accountByUsername(db: DbOrTx, username: string) {
  const [row] = await db
    .select({ staff: schema.staff, unitPath: schema.units.path })
    .from(schema.staff)
    .innerJoin(schema.units, eq(schema.units.id, schema.staff.unitId))
    .where(eq(schema.staff.username, username.trim().toLowerCase()));
  return row ?? null;
}

/** An account with its unit and positions, for building the acting principal. */
export async function accountById(db: DbOrTx, id: string) {
  const [row] = await db
    .select({ staff: schema.staff, unit: schema.units })
    .from(schema.staff)
    .innerJoin(schema.units, eq(schema.units.id, schema.staff.unitId))
    .where(eq(schema.staff.id, id));
  if (!row) return null;
  const positions = (await positionsOf(db, [id])).get(id) ?? [];
  return { ...row, positions };
}

/** Records the outcome of a login attempt on the account. */
export async function setLoginState(
  db: DbOrTx,
  id: string,
  state: { failedAttempts: number; lockedUntil: Date | null },
): Promise<void> {
  await db.update(schema.staff).set(state).where(eq(schema.staff.id, id));
}

/** Stores a new password hash chosen by the account holder. */
export async function setOwnPassword(db: DbOrTx, id: string, hash: string, now: Date): Promise<void> {
  await db
    .update(schema.staff)
    .set({ passwordHash: hash, passwordChangedAt: now, mustChangePassword: false })
    .where(eq(schema.staff.id, id));
}
