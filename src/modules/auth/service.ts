/**
 * Logging in and out, changing one's password, and bearer tokens for API clients and devices
 * (2§3.5.2: act only within one's authorisation; operator passwords changed periodically).
 * Every login, failure, lockout and logout is an event.
 */
import { and, desc, eq, isNull, like, lte, or, sql } from 'drizzle-orm';
import { commonPasswords } from '../../core/common-passwords.ts';
import { maskTypedName } from '../../core/masking.ts';
import type { PasswordRules } from '../../core/password-policy.ts';
import {
  afterFailedLogin,
  isLocked,
  passwordExpired,
  passwordHistoryAfterChange,
  passwordProblems,
} from '../../core/password-policy.ts';
import type { UnitKind } from '../../core/org.ts';
import type { AnyPosition } from '../../core/positions.ts';
import type { Actor } from '../../platform/auth/policy.ts';
import { authorize, authorizeAny, holds, systemActor, tokenRefusal } from '../../platform/auth/policy.ts';
import {
  dummyHash,
  hashPassword,
  hashToken,
  needsRehash,
  newToken,
  verifyPassword,
} from '../../platform/auth/password.ts';
import { endSessions } from '../../platform/auth/sessions.ts';
import type { Principal } from '../../platform/auth/principal.ts';
import type { Ctx } from '../../platform/context.ts';
import type { DbOrTx } from '../../platform/db/index.ts';
import { schema } from '../../platform/db/index.ts';
import { cacheSpec, cached } from '../../platform/cache.ts';
import { appendEvent, command } from '../../platform/events.ts';
import {
  Problem,
  badRequest,
  fieldProblem,
  forbidden,
  notFound,
  unauthorized,
  unprocessable,
} from '../../platform/http/problem.ts';
import { newId } from '../../platform/ids.ts';
import { forgive, hit, LIMITS, reset } from '../../platform/rate-limit.ts';
import { DEMO_PASSWORD } from '../demo/seed.ts';
import { getUnitRef, rootUnit } from '../org/service.ts';
import { ALL_POLICIES } from '../policies.ts';
import { settingValues } from '../settings/service.ts';
import { accountById, accountByUsername } from '../staff/service.ts';
import type { CreateToken, Me, TokenInfo } from './contract.ts';
import { authPolicy } from './policy.ts';
import { counterRow } from '../queue/shared.ts';

const PASSWORD_KEYS = [
  'auth.passwordMinLength',
  'auth.passwordMinClasses',
  'auth.passwordMaxAgeDays',
  'auth.maxFailedAttempts',
  'auth.lockMinutes',
  'auth.sessionHours',
  'auth.passwordHistory',
] as const;

async function passwordRules(
  db: DbOrTx,
  unitPath: string,
  at: Date,
): Promise<PasswordRules & { sessionHours: number; passwordHistory: number }> {
  const v = await settingValues(db, unitPath, PASSWORD_KEYS, at);
  return {
    minLength: Number(v['auth.passwordMinLength']),
    minClasses: Number(v['auth.passwordMinClasses']),
    maxAgeDays: Number(v['auth.passwordMaxAgeDays']),
    maxFailedAttempts: Number(v['auth.maxFailedAttempts']),
    lockMinutes: Number(v['auth.lockMinutes']),
    sessionHours: Number(v['auth.sessionHours']),
    passwordHistory: Number(v['auth.passwordHistory']),
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
    unitKind: account.unit.kind as UnitKind,
  };
}

/** The actor of a member of staff by user name (the demo seed acts as its people); null when unknown. */
export async function staffActorOf(db: DbOrTx, username: string): Promise<Actor | null> {
  const found = await accountByUsername(db, username);
  const account = found ? await accountById(db, found.staff.id) : null;
  return account ? staffActor(account) : null;
}

const INVALID = () => unauthorized('invalid_credentials', '用户名或密码错误', 'Wrong user name or password');

/** Passwords printed in the README and the console's login page: never allowed as a chosen password. */
const PUBLISHED_PASSWORDS: readonly string[] = [DEMO_PASSWORD];

type Account = NonNullable<Awaited<ReturnType<typeof accountById>>>;

/** Is this a demo database (the demo seed records `demo.staff_seeded`, an event that is never removed)? */
async function isDemoDatabase(db: DbOrTx): Promise<boolean> {
  const [row] = await db
    .select({ id: schema.events.id })
    .from(schema.events)
    .where(eq(schema.events.action, 'demo.staff_seeded'))
    .limit(1);
  return Boolean(row);
}

/**
 * Counts a failed password of an account (a login, or a wrong current password on a change) and locks the
 * account at the limit. The row is locked (FOR UPDATE) while the pure rule decides, so parallel failures on
 * any number of app instances are counted one after another: none is lost and the lock cannot be skipped.
 */
async function countFailure(
  ctx: Ctx,
  account: Account,
  rules: PasswordRules,
  reason: 'wrong_password' | 'wrong_current_password',
): Promise<{ locked: boolean; justLocked: boolean; failedAttempts: number }> {
  const unit = account.unit;
  const staffId = account.staff.id;
  return command(ctx, async (tx) => {
    const [row] = await tx
      .select({ failedAttempts: schema.staff.failedAttempts, lockedUntil: schema.staff.lockedUntil })
      .from(schema.staff)
      .where(eq(schema.staff.id, staffId))
      .for('update');
    const now = ctx.clock.now();
    const state = row ?? { failedAttempts: 0, lockedUntil: null };
    const wasLocked = isLocked(state.lockedUntil, now);
    const next = afterFailedLogin(state, now, rules);
    await tx
      .update(schema.staff)
      .set({ failedAttempts: next.failedAttempts, lockedUntil: next.lockedUntil })
      .where(eq(schema.staff.id, staffId));
    await appendEvent(tx, ctx, {
      action: wasLocked ? 'auth.login_refused_locked' : 'auth.login_failed',
      unit,
      subjectType: 'staff',
      subjectId: staffId,
      after: { failedAttempts: next.failedAttempts, reason, lockedUntil: next.lockedUntil?.toISOString() },
    });
    if (next.justLocked) {
      await appendEvent(tx, ctx, {
        action: 'auth.locked',
        unit,
        subjectType: 'staff',
        subjectId: staffId,
        after: { lockedUntil: next.lockedUntil?.toISOString(), failedAttempts: next.failedAttempts, reason },
      });
    }
    return {
      locked: wasLocked || next.justLocked,
      justLocked: next.justLocked,
      failedAttempts: next.failedAttempts,
    };
  });
}

/**
 * Logs a staff member in: a new session on success; on failure the attempt is counted and, at the limit,
 * the account locks. The failure and the lockout are committed even though the call then fails.
 *
 * No user enumeration: an unknown name, a deactivated account, a wrong password and a locked account all
 * answer the same 401 `invalid_credentials` after verifying a password (a dummy hash when there is no
 * account), so neither the answer nor its time tells them apart; the lockout is an event (`auth.locked`,
 * `auth.login_refused_locked`) and shows on the staff page. Rate limits per client address and per account
 * name come first (429 with Retry-After).
 */
export async function login(
  base: Omit<Ctx, 'actor'>,
  input: { username: string; password: string },
): Promise<{ token: string; expiresAt: Date; principal: Principal }> {
  const now = base.clock.now();
  const name = input.username.trim().toLowerCase();
  await hit(base.db, LIMITS.loginClient, base.clientIp, now);
  await hit(base.db, LIMITS.loginAccount, name, now);
  const found = await accountByUsername(base.db, name);
  const root = await rootUnit(base.db);
  // An account of a deactivated unit could not act anyway: it is refused like a deactivated account.
  const account = found?.staff.active ? await accountById(base.db, found.staff.id) : null;
  const passwordRight = await verifyPassword(
    input.password,
    account ? account.staff.passwordHash : await dummyHash(),
  );
  if (!root) throw INVALID();
  if (!found || !account || !account.unit.active) {
    // The typed name may be a phone number or a mistyped password: the audit trail keeps it masked.
    const typed = maskTypedName(input.username.slice(0, 64));
    const anonymous: Ctx = { ...base, actor: systemActor(root, `anonymous (${typed})`) };
    await command(anonymous, (tx) =>
      appendEvent(tx, anonymous, {
        action: 'auth.login_failed',
        unit: root,
        subjectType: 'username',
        subjectId: typed,
        after: { reason: !found ? 'unknown_user' : found.staff.active ? 'unit_inactive' : 'inactive' },
      }),
    );
    throw INVALID();
  }
  const ctx: Ctx = { ...base, actor: staffActor(account) };
  const unit = account.unit;
  const rules = await passwordRules(base.db, unit.path, now);
  if (!passwordRight) {
    await countFailure(ctx, account, rules, 'wrong_password');
    throw INVALID();
  }
  const { token, hash } = newToken();
  const expiresAt = new Date(now.getTime() + rules.sessionHours * 3_600_000);
  const credentialId = newId();
  // The demo password is public: an account of a real (not demo-seeded) database that has it must change it.
  const publishedPassword = PUBLISHED_PASSWORDS.includes(input.password) && !(await isDemoDatabase(base.db));
  const mustChangePassword =
    account.staff.mustChangePassword ||
    publishedPassword ||
    passwordExpired(account.staff.passwordChangedAt, now, rules.maxAgeDays);
  const rehashed = needsRehash(account.staff.passwordHash) ? await hashPassword(input.password) : null;
  const done = await command(ctx, async (tx) => {
    // The lock is checked and the counter reset in one statement: a right password that arrives while
    // parallel failures lock the account waits for their row lock and then finds the account locked.
    const [open] = await tx
      .update(schema.staff)
      .set({ failedAttempts: 0, lockedUntil: null, ...(rehashed ? { passwordHash: rehashed } : {}) })
      .where(
        and(
          eq(schema.staff.id, account.staff.id),
          or(isNull(schema.staff.lockedUntil), lte(schema.staff.lockedUntil, now)),
        ),
      )
      .returning({ id: schema.staff.id });
    if (!open) {
      await appendEvent(tx, ctx, {
        action: 'auth.login_refused_locked',
        unit,
        subjectType: 'staff',
        subjectId: account.staff.id,
        after: { reason: 'locked' },
      });
      return false;
    }
    await tx.insert(schema.credentials).values({
      id: credentialId,
      tokenHash: hash,
      kind: 'session',
      label: 'console',
      staffId: account.staff.id,
      unitId: unit.id,
      createdAt: now,
      expiresAt,
    });
    await appendEvent(tx, ctx, {
      action: 'auth.login',
      unit,
      subjectType: 'staff',
      subjectId: account.staff.id,
      after: { mustChangePassword, ...(rehashed ? { rehashed: true } : {}) },
    });
    return true;
  });
  if (!done) throw INVALID();
  await forgive(base.db, LIMITS.loginClient, base.clientIp);
  await reset(base.db, LIMITS.loginAccount, name);
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
  ['auth.logout', 'auth.password_changed', 'auth.sessions_ended', 'token.revoked', 'staff.', 'unit.'],
  10_000,
);

async function storedCredential(db: DbOrTx, tokenHash: string) {
  const [cred] = await db
    .select()
    .from(schema.credentials)
    .where(and(eq(schema.credentials.tokenHash, tokenHash), isNull(schema.credentials.revokedAt)));
  if (!cred) return null;
  if (!cred.staffId) {
    const unit = await getUnitRef(db, cred.unitId);
    // A device of a deactivated hall, or of a hall under a deactivated city or province, acts no more.
    const [inactive] = await db
      .select({ id: schema.units.id })
      .from(schema.units)
      .where(and(sql`${unit.path} like ${schema.units.path} || '%'`, eq(schema.units.active, false)))
      .limit(1);
    return { cred, unit, unitActive: !inactive, account: null };
  }
  return { cred, unit: null, unitActive: true, account: await accountById(db, cred.staffId) };
}

/** Finds who a session cookie or bearer token acts as; null when unknown, expired, revoked or disabled. */
export async function authenticate(db: DbOrTx, token: string, now: Date): Promise<Principal | null> {
  const tokenHash = hashToken(token);
  const stored = await cached(db, CREDENTIALS, tokenHash, () => storedCredential(db, tokenHash));
  if (!stored) return null;
  const { cred, unit, unitActive, account } = stored;
  if (cred.expiresAt && cred.expiresAt.getTime() <= now.getTime()) return null;
  if (!unitActive) return null;
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

/**
 * Ends the caller's session (or revokes the API token it used). A device token is shared by the device's
 * page (and the e-channel's by every phone): it is revoked only by a manager (设备与令牌), never by logging out.
 */
export async function logout(ctx: Ctx, credentialId: string): Promise<void> {
  if (ctx.actor.kind === 'device') {
    throw forbidden(
      'device_logout',
      '设备令牌不能自行注销，请由管理员在「设备与令牌」中吊销',
      'A device token cannot log itself out; a manager revokes it under Devices & tokens',
    );
  }
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

/**
 * Changes the caller's own password after checking the current one and the password rules. A wrong current
 * password counts as a failed login (towards the lockout, which then also ends the caller's sessions: a
 * stolen session cannot go on guessing) and every attempt counts against a rate limit. The change ends the
 * person's other sessions and tokens; the one making it stays.
 */
export async function changeOwnPassword(
  ctx: Ctx,
  input: { currentPassword: string; newPassword: string },
  credentialId?: string,
): Promise<void> {
  if (ctx.actor.kind !== 'staff' || !ctx.actor.id) {
    throw badRequest('not_staff', '只有员工账号有密码', 'Only staff accounts have passwords');
  }
  const now = ctx.clock.now();
  await hit(ctx.db, LIMITS.passwordChange, ctx.actor.id, now);
  const account = await accountById(ctx.db, ctx.actor.id);
  if (!account) throw INVALID();
  const rules = await passwordRules(ctx.db, account.unit.path, now);
  if (!(await verifyPassword(input.currentPassword, account.staff.passwordHash))) {
    const outcome = await countFailure(ctx, account, rules, 'wrong_current_password');
    if (outcome.justLocked) {
      await command(ctx, (tx) =>
        endSessions(tx, ctx, account.staff.id, { unit: account.unit, reason: 'locked' }),
      );
      throw unauthorized('unauthenticated', '请先登录', 'Please log in first');
    }
    throw new Problem(
      400,
      'wrong_current_password',
      { zh: '原密码不正确', en: 'The current password is wrong' },
      [fieldProblem('body.currentPassword', '原密码不正确', 'The current password is wrong')],
    );
  }
  const problems = passwordProblems(input.newPassword, rules, {
    username: account.staff.username,
    current: input.currentPassword,
    common: commonPasswords(),
    published: PUBLISHED_PASSWORDS,
  });
  // No reuse of the last `auth.passwordHistory` passwords (the current one is refused above already).
  const earlier = account.staff.previousPasswordHashes.slice(0, Math.max(0, rules.passwordHistory - 1));
  if (problems.length === 0 && input.newPassword !== input.currentPassword) {
    for (const old of earlier) {
      if (await verifyPassword(input.newPassword, old)) {
        problems.push({
          zh: `新密码不能与最近 ${rules.passwordHistory} 次使用过的密码相同`,
          en: `The new password must differ from the last ${rules.passwordHistory} passwords`,
        });
        break;
      }
    }
  }
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
    await tx
      .update(schema.staff)
      .set({
        passwordHash: hash,
        passwordChangedAt: ctx.clock.now(),
        mustChangePassword: false,
        previousPasswordHashes: passwordHistoryAfterChange(
          account.staff.previousPasswordHashes,
          account.staff.passwordHash,
          rules.passwordHistory,
        ),
      })
      .where(eq(schema.staff.id, account.staff.id));
    await appendEvent(tx, ctx, {
      action: 'auth.password_changed',
      unit: account.unit,
      subjectType: 'staff',
      subjectId: account.staff.id,
    });
    await endSessions(tx, ctx, account.staff.id, {
      unit: account.unit,
      reason: 'password_changed',
      except: credentialId,
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
    counterId: row.counterId,
    createdAt: row.createdAt.toISOString(),
    expiresAt: row.expiresAt?.toISOString() ?? null,
    lastUsedAt: row.lastUsedAt?.toISOString() ?? null,
    revokedAt: row.revokedAt?.toISOString() ?? null,
  };
}

/**
 * A rating pad (服务评价器) is bound to one counter of its unit and is nothing else; no other device names a
 * counter. Answers the counter's id (null for other devices), or 422.
 */
async function ratingPadCounter(
  db: DbOrTx,
  unitId: string,
  input: { positions: readonly string[]; counterId?: string | undefined },
): Promise<string | null> {
  const pad = input.positions.includes('device_rating_pad');
  if (!pad) {
    if (input.counterId === undefined) return null;
    throw unprocessable(
      'counter_only_for_pad',
      '只有服务评价器绑定台席',
      'Only a rating pad is bound to a counter',
      [fieldProblem('body.counterId', '仅服务评价器需要选择台席', 'Only for a rating pad')],
    );
  }
  if (input.positions.length > 1) {
    throw unprocessable(
      'pad_alone',
      '服务评价器令牌不能兼作其他设备',
      'A rating pad token cannot also be another device',
      [fieldProblem('body.positions', '服务评价器单独申请令牌', 'A rating pad has a token of its own')],
    );
  }
  const counter = input.counterId ? await counterRow(db, input.counterId).catch(() => null) : null;
  if (!counter || counter.unitId !== unitId) {
    throw unprocessable('pad_counter', '请选择本营业厅的一个台席', 'Choose a counter of this hall', [
      fieldProblem('body.counterId', '请选择本营业厅的台席', 'Choose a counter of this hall'),
    ]);
  }
  return counter.id;
}

/**
 * When a new device token expires: after the days asked for, by default after the unit's setting
 * auth.deviceTokenDays, which is also the most allowed; never only where auth.deviceTokenMayNeverExpire.
 */
async function deviceTokenExpiry(
  db: DbOrTx,
  unitPath: string,
  now: Date,
  input: { expiresInDays?: number | undefined; neverExpires?: boolean | undefined },
): Promise<Date | null> {
  const v = await settingValues(
    db,
    unitPath,
    ['auth.deviceTokenDays', 'auth.deviceTokenMayNeverExpire'],
    now,
  );
  const most = Number(v['auth.deviceTokenDays']);
  if (input.neverExpires) {
    if (v['auth.deviceTokenMayNeverExpire'] === true) return null;
    throw unprocessable(
      'token_must_expire',
      `设备令牌须设有效期（最长 ${most} 天）`,
      `A device token must expire (after at most ${most} days)`,
      [fieldProblem('body.neverExpires', '本单位不允许永不过期', 'Not allowed in this unit')],
    );
  }
  const days = input.expiresInDays ?? most;
  if (days > most) {
    throw unprocessable(
      'token_too_long',
      `设备令牌有效期最长 ${most} 天`,
      `A device token lasts at most ${most} days`,
      [fieldProblem('body.expiresInDays', `最长 ${most} 天`, `At most ${most} days`)],
    );
  }
  return new Date(now.getTime() + days * 86_400_000);
}

/** Issues a bearer token: for a device of a unit (kiosk, display), or for the caller's own API client. */
export async function createToken(ctx: Ctx, input: CreateToken): Promise<{ info: TokenInfo; token: string }> {
  const { token, hash } = newToken();
  return command(ctx, async (tx) => {
    const now = ctx.clock.now();
    const days = input.expiresInDays;
    let expiresAt = days ? new Date(now.getTime() + days * 86_400_000) : null;
    let values: typeof schema.credentials.$inferInsert;
    let unit;
    if (input.kind === 'device') {
      unit = await getUnitRef(tx, input.unitId);
      authorize(ctx.actor, authPolicy, 'token.manage', unit.path);
      const refused = tokenRefusal(ctx.actor, {
        kind: 'device',
        unitPath: unit.path,
        positions: input.positions,
      });
      if (refused) throw forbidden(refused.code, refused.zh, refused.en);
      const counterId = await ratingPadCounter(tx, unit.id, input);
      expiresAt = await deviceTokenExpiry(tx, unit.path, now, input);
      values = {
        id: newId(),
        tokenHash: hash,
        kind: 'token',
        label: input.label,
        unitId: unit.id,
        devicePositions: input.positions,
        counterId,
        createdAt: now,
        expiresAt,
      };
    } else {
      if (ctx.actor.kind !== 'staff' || !ctx.actor.id) {
        throw badRequest('not_staff', '只有员工可以申请接口令牌', 'Only staff may ask for an API token');
      }
      authorizeAny(ctx.actor, authPolicy, 'token.client');
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

/** The counter a rating pad's token is bound to (null for any other credential). */
export async function deviceCounterOf(db: DbOrTx, credentialId: string): Promise<string | null> {
  const [row] = await db
    .select({ counterId: schema.credentials.counterId })
    .from(schema.credentials)
    .where(eq(schema.credentials.id, credentialId));
  return row?.counterId ?? null;
}
