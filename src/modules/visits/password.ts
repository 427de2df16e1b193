/**
 * The service password of a subscription (服务密码, 2§2.2.1): hashed like a staff password, checked at the
 * clerk's keypad or on the counter's pad, locked for `counter.servicePasswordLockMinutes` after
 * `counter.servicePasswordMaxFailures` wrong tries in a row.
 */
import { and, eq } from 'drizzle-orm';
import { verifyPassword } from '../../platform/auth/password.ts';
import type { Ctx } from '../../platform/context.ts';
import { schema } from '../../platform/db/index.ts';
import type { UnitRef } from '../../platform/events.ts';
import { appendEvent, command } from '../../platform/events.ts';
import { Problem, unprocessable } from '../../platform/http/problem.ts';
import { numbers } from '../queue/shared.ts';
import type { SubscriptionRow } from './shared.ts';
import { maskPhone } from '../../core/masking.ts';

export function lockedProblem(until: Date) {
  return new Problem(423, 'password_locked', {
    zh: `服务密码连续输错，已锁定至 ${until.toISOString().slice(11, 16)} UTC，请改用有效身份证件`,
    en: `The service password is locked after wrong tries until ${until.toISOString().slice(11, 16)} UTC: use a valid ID document`,
  });
}

/** A wrong password: thrown out of the refused command, so that the failure is counted by its own command. */
export class WrongPassword extends Error {
  constructor(
    readonly subscription: SubscriptionRow,
    readonly unit: UnitRef,
  ) {
    super('wrong service password');
  }
}

/** Whether the typed password matches; a locked one is refused (423) without being tried. */
export async function passwordMatches(sub: SubscriptionRow, password: string, now: Date): Promise<boolean> {
  if (sub.servicePasswordLockedUntil && sub.servicePasswordLockedUntil > now)
    throw lockedProblem(sub.servicePasswordLockedUntil);
  if (!sub.servicePasswordHash || sub.servicePasswordState === 'none')
    throw unprocessable(
      'password_none',
      '该号码未设置服务密码，请出示有效身份证件',
      'This subscription has no service password: show a valid ID document',
    );
  return verifyPassword(password, sub.servicePasswordHash);
}

/**
 * Counts a wrong try and locks the password after the setting's number of them. Its own command: the
 * transaction the password was typed for is refused and writes nothing, but the failure IS written (else a
 * guesser could try forever). Answers the problem to send: 422 wrong password, or 423 when now locked.
 */
export async function recordPasswordFailure(ctx: Ctx, wrong: WrongPassword): Promise<Problem> {
  const sub = wrong.subscription;
  return command(ctx, async (tx) => {
    const now = ctx.clock.now();
    const s = await numbers(
      tx,
      wrong.unit.path,
      ['counter.servicePasswordMaxFailures', 'counter.servicePasswordLockMinutes'],
      now,
    );
    const [row] = await tx
      .select({ failures: schema.subscriptions.servicePasswordFailures })
      .from(schema.subscriptions)
      .where(and(eq(schema.subscriptions.provinceId, sub.provinceId), eq(schema.subscriptions.id, sub.id)))
      .for('update');
    const failures = (row?.failures ?? 0) + 1;
    const lock = failures >= s['counter.servicePasswordMaxFailures'];
    const until = lock ? new Date(now.getTime() + s['counter.servicePasswordLockMinutes'] * 60_000) : null;
    await appendEvent(
      tx,
      ctx,
      {
        action: 'visit.password_failed',
        unit: wrong.unit,
        subjectType: 'subscription',
        subjectId: sub.id,
        after: { number: maskPhone(sub.number), failures, lockedUntil: until?.toISOString() ?? null },
      },
      [
        tx
          .update(schema.subscriptions)
          .set({ servicePasswordFailures: lock ? 0 : failures, servicePasswordLockedUntil: until })
          .where(
            and(eq(schema.subscriptions.provinceId, sub.provinceId), eq(schema.subscriptions.id, sub.id)),
          ),
      ],
    );
    if (until) return lockedProblem(until);
    return unprocessable(
      'password_wrong',
      `服务密码不正确（已连续错误 ${failures} 次，${s['counter.servicePasswordMaxFailures']} 次将锁定）`,
      `Wrong service password (${failures} wrong in a row; locked at ${s['counter.servicePasswordMaxFailures']})`,
      [],
    );
  });
}

/** Runs a command that may meet a wrong password; the failure is then counted and its problem thrown. */
export async function withPasswordFailures<T>(ctx: Ctx, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (err) {
    if (err instanceof WrongPassword) throw await recordPasswordFailure(ctx, err);
    throw err;
  }
}

/** Resets the count of wrong tries after a right one (inside the caller's transaction). */
export function passwordSucceeded(tx: Parameters<Parameters<typeof command>[1]>[0], sub: SubscriptionRow) {
  return tx
    .update(schema.subscriptions)
    .set({ servicePasswordFailures: 0 })
    .where(and(eq(schema.subscriptions.provinceId, sub.provinceId), eq(schema.subscriptions.id, sub.id)));
}
