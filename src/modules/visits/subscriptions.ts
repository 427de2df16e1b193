/**
 * The one interface through which a transaction changes what the customer holds (2§2.1: Fuwu keeps the
 * subscriptions itself — new number, status, SIM, plan, deposit, owner, contract, service password — and the
 * customer's record). It runs in the transaction of the line and its event; an operator's billing or CRM
 * plugs in here later, behind the same `applyChanges`.
 *
 * A number is never assigned twice: the live-number unique index of `subscriptions` decides between two new
 * accounts opened at the same instant on two app instances (the loser's whole transaction rolls back, 409).
 */
import { and, eq, ne } from 'drizzle-orm';
import type { SubscriptionChange, SubscriptionKind } from '../../core/business-catalogue.ts';
import { maskPhone } from '../../core/masking.ts';
import { PHONE_PATTERN } from '../../core/phone.ts';
import { hashPassword } from '../../platform/auth/password.ts';
import type { Tx } from '../../platform/db/index.ts';
import { schema } from '../../platform/db/index.ts';
import { conflict, fieldProblem, unprocessable } from '../../platform/http/problem.ts';
import { newId } from '../../platform/ids.ts';
import { isUniqueViolation } from './shared.ts';

export interface ChangeTarget {
  provinceId: string;
  customerId: string | null;
  subscriptionId: string | null;
  /** The hall's local date (a new subscription's `since`). */
  today: string;
  now: Date;
  /** A new service password the customer typed (pad or keypad), for `service_password` and a new account. */
  newPassword?: string;
}

export interface Applied {
  /** The subscription the line is about: the one acted on, or the one created. */
  subscriptionId: string | null;
  /** The customer's record changed (a customer-information change). */
  customerChanged: boolean;
}

function numberTaken(number: string) {
  return conflict(
    'number_taken',
    `号码 ${maskPhone(number)} 已被占用，请另选号码`,
    `Number ${maskPhone(number)} is taken: choose another`,
  );
}

async function liveNumberHeld(tx: Tx, provinceId: string, kind: SubscriptionKind, number: string) {
  const [row] = await tx
    .select({ id: schema.subscriptions.id })
    .from(schema.subscriptions)
    .where(
      and(
        eq(schema.subscriptions.provinceId, provinceId),
        eq(schema.subscriptions.kind, kind),
        eq(schema.subscriptions.number, number),
        ne(schema.subscriptions.status, 'cancelled'),
      ),
    )
    .limit(1);
  return row !== undefined;
}

/** Applies the changes of one line, in order, in the caller's transaction. Refusals throw before commit. */
export async function applyChanges(tx: Tx, target: ChangeTarget, changes: readonly SubscriptionChange[]) {
  let subscriptionId = target.subscriptionId;
  let customerChanged = false;
  const sub = () => {
    if (subscriptionId === null) throw new Error('a subscription change without a subscription');
    return and(
      eq(schema.subscriptions.provinceId, target.provinceId),
      eq(schema.subscriptions.id, subscriptionId),
    );
  };
  for (const c of changes) {
    switch (c.op) {
      case 'create': {
        if (target.customerId === null) throw new Error('a new subscription without a customer');
        if (await liveNumberHeld(tx, target.provinceId, c.kind, c.number)) throw numberTaken(c.number);
        const id = newId();
        const password = target.newPassword ? await hashPassword(target.newPassword) : null;
        try {
          // A savepoint, so that the unique index's refusal can be answered as a 409 (the command still rolls back).
          await tx.transaction(async (sp) => {
            await sp.insert(schema.subscriptions).values({
              provinceId: target.provinceId,
              id,
              customerId: target.customerId!,
              kind: c.kind,
              number: c.number,
              plan: c.plan,
              status: 'active',
              since: target.today,
              iccid: c.iccid,
              servicePasswordHash: password,
              servicePasswordState: password ? 'set' : 'none',
              updatedAt: target.now,
            });
          });
        } catch (err) {
          if (isUniqueViolation(err)) throw numberTaken(c.number);
          throw err;
        }
        subscriptionId = id;
        break;
      }
      case 'set_status':
        await tx.update(schema.subscriptions).set({ status: c.to, updatedAt: target.now }).where(sub());
        break;
      case 'set_sim':
        await tx.update(schema.subscriptions).set({ iccid: c.iccid, updatedAt: target.now }).where(sub());
        break;
      case 'set_plan':
        await tx.update(schema.subscriptions).set({ plan: c.plan, updatedAt: target.now }).where(sub());
        break;
      case 'deposit': {
        const [row] = await tx
          .select({ depositFen: schema.subscriptions.depositFen })
          .from(schema.subscriptions)
          .where(sub());
        const next = (row?.depositFen ?? 0) + c.deltaFen;
        if (next < 0)
          throw unprocessable(
            'deposit_short',
            `押金余额不足（现有 ${row?.depositFen ?? 0} 分）`,
            `The deposit held (${row?.depositFen ?? 0} fen) is less than the refund`,
            [fieldProblem('body.values', '退还金额超过押金', 'More than the deposit held')],
          );
        await tx.update(schema.subscriptions).set({ depositFen: next, updatedAt: target.now }).where(sub());
        break;
      }
      case 'set_owner': {
        const [owner] = await tx
          .select({ id: schema.customers.id })
          .from(schema.customers)
          .where(
            and(eq(schema.customers.provinceId, target.provinceId), eq(schema.customers.id, c.customerId)),
          );
        if (!owner || owner.id === target.customerId)
          throw unprocessable(
            'new_owner_unknown',
            '新机主不是本省的其他客户',
            'The new owner is not another customer of this province',
            [fieldProblem('body.values', '请选择新机主', 'Choose the new owner')],
          );
        await tx
          .update(schema.subscriptions)
          .set({ customerId: c.customerId, updatedAt: target.now })
          .where(sub());
        break;
      }
      case 'contract':
        await tx
          .update(schema.subscriptions)
          .set({ contractUntil: c.until, updatedAt: target.now })
          .where(sub());
        break;
      case 'service_password': {
        if (!target.newPassword)
          throw unprocessable(
            'new_password_missing',
            '请客户在评价器或密码键盘上输入新的6位服务密码',
            'The customer types the new 6-digit service password on the pad or keypad',
            [fieldProblem('body.identity.password', '缺少新密码', 'No new password')],
          );
        await tx
          .update(schema.subscriptions)
          .set({
            servicePasswordHash: await hashPassword(target.newPassword),
            servicePasswordState: 'set',
            servicePasswordFailures: 0,
            servicePasswordLockedUntil: null,
            updatedAt: target.now,
          })
          .where(sub());
        break;
      }
      case 'customer_info': {
        if (target.customerId === null) throw new Error('a customer change without a customer');
        const item = String(c.values.item ?? '');
        const value = String(c.values.value ?? '').trim();
        const set: Partial<typeof schema.customers.$inferInsert> = {};
        if (item === 'contactPhone') {
          if (!PHONE_PATTERN.test(value))
            throw unprocessable('customer_info_invalid', '联系电话无效', 'Not a valid phone number', [
              fieldProblem('body.values.value', '不是有效的电话号码', 'Not a valid phone number'),
            ]);
          set.contactPhone = value;
        } else if (item === 'address') set.address = value;
        else if (item === 'name') {
          if ([...value].length < 2)
            throw unprocessable(
              'customer_info_invalid',
              '客户名称至少2个字',
              'A name has 2 characters at least',
              [fieldProblem('body.values.value', '名称太短', 'Too short')],
            );
          set.name = value;
        }
        if (Object.keys(set).length > 0) {
          await tx
            .update(schema.customers)
            .set({ ...set, updatedAt: target.now })
            .where(
              and(
                eq(schema.customers.provinceId, target.provinceId),
                eq(schema.customers.id, target.customerId),
              ),
            );
          customerChanged = true;
        }
        break;
      }
    }
  }
  return { subscriptionId, customerChanged } satisfies Applied;
}

/**
 * Whether a line can be removed before signing: only when it changed nothing the customer holds (a sale, a
 * payment, a query, a fee-only business). A line that changed a subscription or the customer's record is
 * not undone behind the customer's back (the operator's CRM would not allow it either): it is refused, and
 * the clerk does the opposite business as a line of its own.
 */
export function reversible(changes: readonly SubscriptionChange[]): boolean {
  return changes.length === 0;
}
