/**
 * The counter's customer-facing pad during a visit: the rating pad of the counter (`device_rating_pad`,
 * bound to one counter by its token) shows the visit's lines and totals, takes the service password the
 * clerk asked for (checked against its hash, with the lockout) and the customer's one signature. The clerk
 * asks with a pad request stored on the visit; the pad refetches on the hall's device feed (`visit.*`).
 * A pad reaches only the visit open at its own counter: anything else is not found for it.
 */
import { and, eq, inArray } from 'drizzle-orm';
import { maskPhone } from '../../core/masking.ts';
import { authorize } from '../../platform/auth/policy.ts';
import type { Ctx } from '../../platform/context.ts';
import type { DbOrTx, Tx } from '../../platform/db/index.ts';
import { reads, schema } from '../../platform/db/index.ts';
import { appendEvent, command } from '../../platform/events.ts';
import { conflict, notFound } from '../../platform/http/problem.ts';
import { deviceCounterOf } from '../auth/service.ts';
import { COUNTER, counterRow } from '../queue/shared.ts';
import type { CounterRow } from '../queue/shared.ts';
import type { z } from 'zod';
import type { PadVisit, Visit } from './contract.ts';
import { WrongPassword, passwordMatches, passwordSucceeded, withPasswordFailures } from './password.ts';
import { visitsPolicy } from './policy.ts';
import type { PadRequest } from './schema.ts';
import { visits } from './schema.ts';
import type { VisitRow } from './shared.ts';
import {
  VISIT,
  assertOpen,
  linesOf,
  lockVisit,
  paymentsOf,
  doneLines,
  totalsOf,
  unitOf,
  visitView,
} from './shared.ts';
import { TERMS, signLocked } from './signing.ts';

async function padCounter(ctx: Ctx, db: DbOrTx): Promise<CounterRow> {
  authorize(ctx.actor, visitsPolicy, 'visit.pad', ctx.actor.unitPath);
  const counterId = ctx.actor.id ? await deviceCounterOf(db, ctx.actor.id) : null;
  if (!counterId) throw notFound(COUNTER);
  const counter = await counterRow(db, counterId);
  authorize(ctx.actor, visitsPolicy, 'visit.pad', counter.unitPath);
  return counter;
}

async function padVisitRow(db: DbOrTx, counter: CounterRow, lock: boolean): Promise<VisitRow | null> {
  const q = db
    .select()
    .from(visits)
    .where(and(eq(visits.counterId, counter.id), inArray(visits.status, ['open', 'signed'])))
    .limit(1);
  const [row] = lock ? await q.for('update') : await q;
  return row ?? null;
}

/** What the pad shows: the visit in progress at its counter (lines, totals, what the clerk asked), or none. */
export async function padVisit(ctx: Ctx): Promise<z.infer<typeof PadVisit>> {
  const counter = await padCounter(ctx, ctx.db);
  const v = await padVisitRow(ctx.db, counter, false);
  if (!v) return { visit: null };
  const [lines, payments] = await reads(
    ctx.db,
    () => linesOf(ctx.db, v),
    () => paymentsOf(ctx.db, v),
  );
  const req = v.padRequest;
  let passwordFor: { subscriptionId: string; number: string } | null = null;
  if (req?.kind === 'password') {
    const [s] = await ctx.db
      .select({ number: schema.subscriptions.number })
      .from(schema.subscriptions)
      .where(
        and(
          eq(schema.subscriptions.provinceId, v.provinceId),
          eq(schema.subscriptions.id, req.subscriptionId),
        ),
      );
    passwordFor = { subscriptionId: req.subscriptionId, number: maskPhone(s?.number ?? '') };
  }
  return {
    visit: {
      id: v.id,
      status: v.status,
      lines: doneLines(lines).map((l) => ({
        businessZh: l.businessZh,
        businessEn: l.businessEn,
        feeFen: l.feeFen,
      })),
      totals: totalsOf(lines, payments),
      passwordFor,
      awaitingSignature: req?.kind === 'signature' && v.status === 'open',
      terms: TERMS,
    },
  };
}

/** The clerk asks the pad to take a service password (of one of the customer's subscriptions) or the signature. */
export async function requestPad(
  ctx: Ctx,
  visitId: string,
  input: { kind: 'password'; subscriptionId: string } | { kind: 'signature' },
): Promise<Visit> {
  return command(ctx, async (tx) => {
    const { visit } = await lockVisit(tx, ctx, visitId, 'visit.serve');
    assertOpen(visit);
    const now = ctx.clock.now();
    let request: PadRequest;
    if (input.kind === 'password') {
      const [s] = await tx
        .select({ customerId: schema.subscriptions.customerId })
        .from(schema.subscriptions)
        .where(
          and(
            eq(schema.subscriptions.provinceId, visit.provinceId),
            eq(schema.subscriptions.id, input.subscriptionId),
          ),
        );
      if (!s || s.customerId !== visit.customerId) throw notFound({ zh: '号码', en: 'Subscription' });
      request = { kind: 'password', subscriptionId: input.subscriptionId, at: now.toISOString() };
    } else request = { kind: 'signature', at: now.toISOString() };
    await appendEvent(
      tx,
      ctx,
      {
        action: 'visit.pad_requested',
        unit: unitOf(visit),
        subjectType: 'visit',
        subjectId: visit.id,
        after: { visitId: visit.id, kind: input.kind },
      },
      [
        tx
          .update(visits)
          .set({ padRequest: request })
          .where(and(eq(visits.provinceId, visit.provinceId), eq(visits.id, visit.id))),
      ],
    );
    return visitView(tx, { ...visit, padRequest: request }, now);
  });
}

async function lockedPadVisit(tx: Tx, ctx: Ctx): Promise<{ visit: VisitRow; counter: CounterRow }> {
  const counter = await padCounter(ctx, tx);
  const visit = await padVisitRow(tx, counter, true);
  if (!visit) throw notFound(VISIT);
  return { visit, counter };
}

/** The customer types the service password on the pad; a match is recorded on the visit for that subscription. */
export async function padPassword(ctx: Ctx, password: string): Promise<{ verified: true }> {
  return withPasswordFailures(ctx, () =>
    command(ctx, async (tx) => {
      const { visit } = await lockedPadVisit(tx, ctx);
      assertOpen(visit);
      const req = visit.padRequest;
      if (req?.kind !== 'password')
        throw conflict(
          'no_password_asked',
          '营业员未请求输入服务密码',
          'The clerk has not asked for the password',
        );
      const [sub] = await tx
        .select()
        .from(schema.subscriptions)
        .where(
          and(
            eq(schema.subscriptions.provinceId, visit.provinceId),
            eq(schema.subscriptions.id, req.subscriptionId),
          ),
        )
        .for('update');
      if (!sub) throw notFound({ zh: '号码', en: 'Subscription' });
      const now = ctx.clock.now();
      if (!(await passwordMatches(sub, password, now))) throw new WrongPassword(sub, unitOf(visit));
      await appendEvent(
        tx,
        ctx,
        {
          action: 'visit.password_verified',
          unit: unitOf(visit),
          subjectType: 'visit',
          subjectId: visit.id,
          after: { visitId: visit.id, subscriptionId: sub.id, number: maskPhone(sub.number) },
        },
        [
          passwordSucceeded(tx, sub),
          tx
            .update(visits)
            .set({ passwordVerifiedAt: now, passwordVerifiedFor: sub.id, padRequest: null })
            .where(and(eq(visits.provinceId, visit.provinceId), eq(visits.id, visit.id))),
        ],
      );
      return { verified: true as const };
    }),
  );
}

/** The customer signs on the pad, once the clerk asked for it: the same signing as on the clerk's page. */
export async function padSign(ctx: Ctx, signature: string): Promise<{ signed: true }> {
  return command(ctx, async (tx) => {
    const { visit, counter } = await lockedPadVisit(tx, ctx);
    if (visit.status === 'open' && visit.padRequest?.kind !== 'signature')
      throw conflict('no_signature_asked', '营业员未请求签字', 'The clerk has not asked for the signature');
    await signLocked(tx, ctx, visit, counter, signature);
    return { signed: true as const };
  });
}
