/**
 * Logging in and out, changing one's password, and bearer tokens for API clients and devices
 * (2§3.5.2: act only within one's authorisation; operator passwords changed periodically).
 * Every login, failure, lockout and logout is an event.
 */
import { and, desc, eq, isNull, like, or } from 'drizzle-orm';
import type { PasswordRules } from '../../core/password-policy.ts';
import { afterFailedLogin, isLocked, passwordExpired, passwordProblems } from '../../core/password-policy.ts';
import type { AnyPosition } from '../../core/positions.ts';
import type { Actor } from '../../platform/auth/policy.ts';
import { authorize, holds, systemActor } from '../../platform/auth/policy.ts';
import { hashPassword, hashToken, newToken, verifyPassword } from '../../platform/auth/password.ts';
import type { Principal } from '../../platform/auth/principal.ts';
import type { Ctx } from '../../platform/context.ts';
import type { DbOrTx } from '../../platform/db/index.ts';
import { schema } from '../../platform/db/index.ts';
import { cacheSpec, cached } from '../../platform/cache.ts';
import { appendEvent, command } from '../../platform/events.ts';
import { Problem, badRequest, fieldProblem, notFound, unauthorized } from '../../platform/http/problem.ts';
import { newId } from '../../platform/ids.ts';
import { getUnitRef, rootUnit } from '../org/service.ts';
import { ALL_POLICIES } from '../policies.ts';
import { settingValues } from '../settings/service.ts';
import { accountById, accountByUsername, setLoginState, setOwnPassword } from '../staff/service.ts';
import type { CreateToken, Me, TokenInfo } from './contract.ts';
import { authPolicy } from './policy.ts';

const PASSWORD_KEYS = [
  'auth.passwordMinLength',
  'auth.passwordMinClasses',
  'auth.passwordMaxAgeDays',
  'auth.maxFailedAttempts',
  'auth.lockMinutes',
  'auth.sessionHours',
] as const;

async function passwordRules(
  db: DbOrTx,
  unitPath: string,
  at: Date,
): Promise<PasswordRules & { sessionHours: number }> {
  const v = await settingValues(db, unitPath, PASSWORD_KEYS, at);
  return {
    minLength: Number(v['auth.passwordMinLength']),
    minClasses: Number(v['auth.passwordMinClasses']),
    maxAgeDays: Number(v['auth.passwordMaxAgeDays']),
    maxFailedAttempts: Number(v['auth.maxFailedAttempts']),
    lockMinutes: Number(v['auth.lockMinutes']),
    sessionHours: Number(v['auth.sessionHours']),
  };
}

function staffActor(account: NonNullable<Awaited<ReturnType<typeof accountById>>>): Actor {
  return {
    kind: 'staff',
    id: account.staff.id,
    name: account.staff.name,
    unitId: account.unit.id,
    unitPath: account.unit.path,
    provinceId: account.unit.provinceId,
    positions: account.positions,
  };
}

const INVALID = () => unauthorized('invalid_credentials', '用户名或密码错误', 'Wrong user name or password');

/**
 * Logs a staff member in: a new session on success; on failure the attempt is counted and, at the limit,
 * the account locks. The failure and the lockout are committed even though the call then fails.
 */
export async function login(
  base: Omit<Ctx, 'actor'>,
  input: { username: string; password: string },
): Promise<{ token: string; expiresAt: Date; principal: Principal }> {
  const now = base.clock.now();
  const found = await accountByUsername(base.db, input.username);
  const root = await rootUnit(base.db);
  if (!root) throw INVALID();
  // An account of a deactivated unit could not act anyway: it is refused like a deactivated account.
  const account = found?.staff.active ? await accountById(base.db, found.staff.id) : null;
  if (!found || !account || !account.unit.active) {
    const anonymous: Ctx = {
      ...base,
      actor: systemActor(root, `anonymous (${input.username.slice(0, 32)})`),
    };
    await command(anonymous, (tx) =>
      appendEvent(tx, anonymous, {
        action: 'auth.login_failed',
        unit: root,
        subjectType: 'username',
        subjectId: input.username.slice(0, 64),
        after: { reason: !found ? 'unknown_user' : found.staff.active ? 'unit_inactive' : 'inactive' },
      }),
    );
    throw INVALID();
  }
  const ctx: Ctx = { ...base, actor: staffActor(account) };
  const unit = account.unit;
  const rules = await passwordRules(base.db, unit.path, now);
  if (isLocked(found.staff.lockedUntil, now)) {
    await command(ctx, (tx) =>
      appendEvent(tx, ctx, {
        action: 'auth.login_refused_locked',
        unit,
        subjectType: 'staff',
        subjectId: found.staff.id,
        after: { lockedUntil: found.staff.lockedUntil?.toISOString() },
      }),
    );
    throw new Problem(423, 'locked', {
      zh: `账号已锁定，请于 ${rules.lockMinutes} 分钟内稍后再试或联系管理员`,
      en: `The account is locked; try again later (up to ${rules.lockMinutes} minutes) or ask an administrator`,
    });
  }
  if (!(await verifyPassword(input.password, found.staff.passwordHash))) {
    const next = afterFailedLogin(found.staff, now, rules);
    await command(ctx, async (tx) => {
      await setLoginState(tx, found.staff.id, {
        failedAttempts: next.failedAttempts,
        lockedUntil: next.lockedUntil,
      });
      await appendEvent(tx, ctx, {
        action: 'auth.login_failed',
        unit,
        subjectType: 'staff',
        subjectId: found.staff.id,
        after: { failedAttempts: next.failedAttempts, reason: 'wrong_password' },
      });
      if (next.justLocked) {
        await appendEvent(tx, ctx, {
          action: 'auth.locked',
          unit,
          subjectType: 'staff',
          subjectId: found.staff.id,
          after: { lockedUntil: next.lockedUntil?.toISOString(), failedAttempts: next.failedAttempts },
        });
      }
    });
    if (next.justLocked) {
      throw new Problem(423, 'locked', {
        zh: `连续 ${rules.maxFailedAttempts} 次密码错误，账号锁定 ${rules.lockMinutes} 分钟`,
        en: `${rules.maxFailedAttempts} wrong passwords in a row: the account is locked for ${rules.lockMinutes} minutes`,
      });
    }
    throw INVALID();
  }
  const { token, hash } = newToken();
  const expiresAt = new Date(now.getTime() + rules.sessionHours * 3_600_000);
  const credentialId = newId();
  const mustChangePassword =
    found.staff.mustChangePassword || passwordExpired(found.staff.passwordChangedAt, now, rules.maxAgeDays);
  await command(ctx, async (tx) => {
    await setLoginState(tx, found.staff.id, { failedAttempts: 0, lockedUntil: null });
    await tx.insert(schema.credentials).values({
      id: credentialId,
      tokenHash: hash,
      kind: 'session',
      label: 'console',
      staffId: found.staff.id,
      unitId: unit.id,
      createdAt: now,
      expiresAt,
    });
    await appendEvent(tx, ctx, {
      action: 'auth.login',
      unit,
      subjectType: 'staff',
      subjectId: found.staff.id,
      after: { mustChangePassword },
    });
  });
  return {
    token,
    expiresAt,
    principal: { actor: ctx.actor, credentialId, via: 'session', mustChangePassword },
  };
}

/**
 * What a credential is, as stored: its row and the account or device unit behind it. Read on every request,
 * so cached (`platform/cache`); dropped when a session ends, a token is revoked, or an account or unit changes.
 */
const CREDENTIALS = cacheSpec(
  'credentials',
  ['auth.logout', 'auth.password_changed', 'token.revoked', 'staff.', 'unit.'],
  10_000,
);

async function storedCredential(db: DbOrTx, tokenHash: string) {
  const [cred] = await db
    .select()
    .from(schema.credentials)
    .where(and(eq(schema.credentials.tokenHash, tokenHash), isNull(schema.credentials.revokedAt)));
  if (!cred) return null;
  if (!cred.staffId) return { cred, unit: await getUnitRef(db, cred.unitId), account: null };
  return { cred, unit: null, account: await accountById(db, cred.staffId) };
}

/** Finds who a session cookie or bearer token acts as; null when unknown, expired, revoked or disabled. */
export async function authenticate(db: DbOrTx, token: string, now: Date): Promise<Principal | null> {
  const tokenHash = hashToken(token);
  const stored = await cached(db, CREDENTIALS, tokenHash, () => storedCredential(db, tokenHash));
  if (!stored) return null;
  const { cred, unit, account } = stored;
  if (cred.expiresAt && cred.expiresAt.getTime() <= now.getTime()) return null;
  const via = cred.kind === 'session' ? 'session' : 'token';
  if (cred.kind === 'token' && (!cred.lastUsedAt || now.getTime() - cred.lastUsedAt.getTime() > 300_000)) {
    cred.lastUsedAt = now; // first, so that concurrent requests with the token do not all write it
    await db.update(schema.credentials).set({ lastUsedAt: now }).where(eq(schema.credentials.id, cred.id));
  }
  if (unit && cred.kind === 'phone') {
    return {
      actor: {
        kind: 'phone',
        id: cred.id,
        name: cred.label,
        unitId: unit.id,
        unitPath: unit.path,
        provinceId: unit.provinceId,
        positions: [],
      },
      credentialId: cred.id,
      via: 'phone',
      phoneHash: cred.phoneHash ?? '',
      mustChangePassword: false,
    };
  }
  if (unit) {
    return {
      actor: {
        kind: 'device',
        id: cred.id,
        name: cred.label,
        unitId: unit.id,
        unitPath: unit.path,
        provinceId: unit.provinceId,
        positions: cred.devicePositions as AnyPosition[],
      },
      credentialId: cred.id,
      via,
      mustChangePassword: false,
    };
  }
  if (!account || !account.staff.active || !account.unit.active) return null;
  const rules = await passwordRules(db, account.unit.path, now);
  const mustChangePassword =
    account.staff.mustChangePassword ||
    passwordExpired(account.staff.passwordChangedAt, now, rules.maxAgeDays);
  return { actor: staffActor(account), credentialId: cred.id, via, mustChangePassword };
}

/** Ends the caller's session (or revokes the token it used). */
export async function logout(ctx: Ctx, credentialId: string): Promise<void> {
  await command(ctx, async (tx) => {
    await tx
      .update(schema.credentials)
      .set({ revokedAt: ctx.clock.now() })
      .where(eq(schema.credentials.id, credentialId));
    await appendEvent(tx, ctx, {
      action: 'auth.logout',
      unit: { id: ctx.actor.unitId, path: ctx.actor.unitPath, provinceId: ctx.actor.provinceId },
      subjectType: ctx.actor.kind,
      subjectId: ctx.actor.id ?? credentialId,
    });
  });
}

/** Changes the caller's own password after checking the current one and the password rules. */
export async function changeOwnPassword(
  ctx: Ctx,
  input: { currentPassword: string; newPassword: string },
): Promise<void> {
  if (ctx.actor.kind !== 'staff' || !ctx.actor.id) {
    throw badRequest('not_staff', '只有员工账号有密码', 'Only staff accounts have passwords');
  }
  const account = await accountById(ctx.db, ctx.actor.id);
  if (!account) throw INVALID();
  if (!(await verifyPassword(input.currentPassword, account.staff.passwordHash))) {
    throw new Problem(400, 'wrong_current_password', {
      zh: '原密码不正确',
      en: 'The current password is wrong',
    });
  }
  const rules = await passwordRules(ctx.db, account.unit.path, ctx.clock.now());
  const problems = passwordProblems(input.newPassword, rules, {
    username: account.staff.username,
    current: input.currentPassword,
  });
  if (problems.length > 0) {
    throw badRequest(
      'weak_password',
      `新密码不符合要求：${problems.map((p) => p.zh).join('；')}`,
      `The new password does not meet the rules: ${problems.map((p) => p.en).join('; ')}`,
      problems.map((p) => fieldProblem('body.newPassword', p.zh, p.en)),
    );
  }
  const hash = await hashPassword(input.newPassword);
  await command(ctx, async (tx) => {
    await setOwnPassword(tx, account.staff.id, hash, ctx.clock.now());
    await appendEvent(tx, ctx, {
      action: 'auth.password_changed',
      unit: account.unit,
      subjectType: 'staff',
      subjectId: account.staff.id,
    });
  });
}

/** Who the caller is, with the actions it holds, for the console. */
export async function me(ctx: Ctx, principal: Principal): Promise<Me> {
  const unit = await getUnitRef(ctx.db, ctx.actor.unitId);
  let username = ctx.actor.name;
  if (ctx.actor.kind === 'staff' && ctx.actor.id)
    username = (await accountById(ctx.db, ctx.actor.id))?.staff.username ?? '';
  const rules = await passwordRules(ctx.db, unit.path, ctx.clock.now());
  const permissions = ALL_POLICIES.flatMap((policy) =>
    Object.keys(policy).filter((action) => holds(ctx.actor, policy, action)),
  );
  return {
    id: ctx.actor.id,
    kind: ctx.actor.kind,
    username,
    name: ctx.actor.name,
    unitId: unit.id,
    unitName: unit.name,
    unitNameEn: unit.nameEn,
    unitPath: unit.path,
    passwordRules: { minLength: rules.minLength, minClasses: rules.minClasses },
    positions: [...ctx.actor.positions],
    mustChangePassword: principal.mustChangePassword,
    permissions,
  };
}

async function tokenInfo(db: DbOrTx, row: typeof schema.credentials.$inferSelect): Promise<TokenInfo> {
  const unit = await getUnitRef(db, row.unitId);
  return {
    id: row.id,
    label: row.label,
    unitId: row.unitId,
    unitName: unit.name,
    staffId: row.staffId,
    positions: row.devicePositions as TokenInfo['positions'],
    createdAt: row.createdAt.toISOString(),
    expiresAt: row.expiresAt?.toISOString() ?? null,
    lastUsedAt: row.lastUsedAt?.toISOString() ?? null,
    revokedAt: row.revokedAt?.toISOString() ?? null,
  };
}

/** Issues a bearer token: for a device of a unit (kiosk, display), or for the caller's own API client. */
export async function createToken(ctx: Ctx, input: CreateToken): Promise<{ info: TokenInfo; token: string }> {
  const { token, hash } = newToken();
  return command(ctx, async (tx) => {
    const now = ctx.clock.now();
    const days = input.expiresInDays;
    const expiresAt = days ? new Date(now.getTime() + days * 86_400_000) : null;
    let values: typeof schema.credentials.$inferInsert;
    let unit;
    if (input.kind === 'device') {
      unit = await getUnitRef(tx, input.unitId);
      authorize(ctx.actor, authPolicy, 'token.manage', unit.path);
      values = {
        id: newId(),
        tokenHash: hash,
        kind: 'token',
        label: input.label,
        unitId: unit.id,
        devicePositions: input.positions,
        createdAt: now,
        expiresAt,
      };
    } else {
      if (ctx.actor.kind !== 'staff' || !ctx.actor.id) {
        throw badRequest('not_staff', '只有员工可以申请接口令牌', 'Only staff may ask for an API token');
      }
      unit = await getUnitRef(tx, ctx.actor.unitId);
      values = {
        id: newId(),
        tokenHash: hash,
        kind: 'token',
        label: input.label,
        staffId: ctx.actor.id,
        unitId: unit.id,
        createdAt: now,
        expiresAt,
      };
    }
    const [row] = await tx.insert(schema.credentials).values(values).returning();
    const info = await tokenInfo(tx, row!);
    await appendEvent(tx, ctx, {
      action: 'token.created',
      unit,
      subjectType: 'token',
      subjectId: info.id,
      after: info,
    });
    return { info, token };
  });
}

/** Device tokens of units in the caller's subtree, and the caller's own API tokens. */
export async function listTokens(ctx: Ctx): Promise<TokenInfo[]> {
  const mayManage = holds(ctx.actor, authPolicy, 'token.manage');
  const rows = await ctx.db
    .select({ cred: schema.credentials })
    .from(schema.credentials)
    .innerJoin(schema.units, eq(schema.units.id, schema.credentials.unitId))
    .where(
      and(
        eq(schema.credentials.kind, 'token'),
        or(
          ctx.actor.id ? eq(schema.credentials.staffId, ctx.actor.id) : undefined,
          mayManage
            ? and(isNull(schema.credentials.staffId), like(schema.units.path, `${ctx.actor.unitPath}%`))
            : undefined,
        ),
      ),
    )
    .orderBy(desc(schema.credentials.createdAt));
  return Promise.all(rows.map((r) => tokenInfo(ctx.db, r.cred)));
}

/** Revokes a token at once. */
export async function revokeToken(ctx: Ctx, id: string): Promise<TokenInfo> {
  return command(ctx, async (tx) => {
    const [row] = await tx
      .select()
      .from(schema.credentials)
      .where(and(eq(schema.credentials.id, id), eq(schema.credentials.kind, 'token')));
    if (!row) throw notFound({ zh: '令牌', en: 'Token' });
    const unit = await getUnitRef(tx, row.unitId);
    if (row.staffId !== ctx.actor.id) authorize(ctx.actor, authPolicy, 'token.manage', unit.path);
    const [updated] = await tx
      .update(schema.credentials)
      .set({ revokedAt: ctx.clock.now() })
      .where(eq(schema.credentials.id, id))
      .returning();
    const info = await tokenInfo(tx, updated!);
    await appendEvent(tx, ctx, {
      action: 'token.revoked',
      unit,
      subjectType: 'token',
      subjectId: id,
      before: { revokedAt: null },
      after: { revokedAt: info.revokedAt },
    });
    return info;
  });
}
