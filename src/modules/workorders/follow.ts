/**
 * The customer follows their orders on the e-channel page `/m/orders` (issue #14): with the phone proven by a
 * one-time code (the e-channel's codes, purpose 'work_order'), they see the orders whose reply number is
 * that phone — by number, the steps that concern them, the reply — add information (which resumes a clock
 * paused while waiting for them), rate a replied order once, and reopen it within the window (after it,
 * the appeal route). Another phone's order is 404, the same answer as an unknown number.
 */
import { timingSafeEqual } from 'node:crypto';
import { and, desc, eq } from 'drizzle-orm';
import { codeVerdict } from '../../core/one-time-codes.ts';
import { reopenUntil } from '../../core/sla.ts';
import type { Ctx } from '../../platform/context.ts';
import type { Tx } from '../../platform/db/index.ts';
import { appendEvent, command } from '../../platform/events.ts';
import { conflict, fieldProblem, notFound, unprocessable } from '../../platform/http/problem.ts';
import { LIMITS, hit } from '../../platform/rate-limit.ts';
import { systemActor } from '../../platform/auth/policy.ts';
import { settingValues } from '../settings/service.ts';
import { reopenInTx } from './closing.ts';
import type { FollowedOrder } from './contract.ts';
import { record, resumeInTx, saveOrder, wrongState } from './handling.ts';
import type { WorkOrderRow } from './schema.ts';
import { workOrders, workOrderSteps } from './schema.ts';
import { ORDER, STEP_WORDS, surveyHashOf } from './shared.ts';

interface PhoneCtx {
  ctx: Ctx;
  phoneHash: string;
}

/** The steps a customer sees (not the internal ones: claims, notes, escalations, hops). */
const CUSTOMER_STEPS = new Set([
  'created',
  'dispatched',
  'answered',
  'paused',
  'resumed',
  'information',
  'replied',
  'closed',
  'reopened',
  'rated',
]);

async function phoneOrder(p: PhoneCtx, db: Ctx['db'] | Tx, number: string, lock: boolean) {
  const q = db
    .select()
    .from(workOrders)
    .where(and(eq(workOrders.number, number), eq(workOrders.contactPhoneHash, p.phoneHash)));
  const [row] = lock ? await q.for('update') : await q;
  if (!row) throw notFound(ORDER);
  return row;
}

async function viewOf(p: PhoneCtx, row: WorkOrderRow): Promise<FollowedOrder> {
  const db = p.ctx.db;
  const steps = await db
    .select({ at: workOrderSteps.at, step: workOrderSteps.step })
    .from(workOrderSteps)
    .where(eq(workOrderSteps.orderId, row.id))
    .orderBy(workOrderSteps.at, workOrderSteps.id);
  const v = await settingValues(db, row.ownerUnitPath, ['workorder.reopenWindowDays'], p.ctx.clock.now());
  const until = reopenUntil(row, Number(v['workorder.reopenWindowDays']));
  return {
    number: row.number,
    kind: row.kind,
    state: row.state,
    title: row.title,
    createdAt: row.createdAt.toISOString(),
    resolutionDueAt: row.resolutionDueAt?.toISOString() ?? null,
    reply: row.replyText,
    satisfaction: row.satisfaction,
    mayRate: (row.state === 'replied' || row.state === 'closed') && row.satisfaction === null,
    mayReopenUntil: until && until >= p.ctx.clock.now() ? until.toISOString() : null,
    steps: steps
      .filter((s) => CUSTOMER_STEPS.has(s.step))
      .map((s) => ({ at: s.at.toISOString(), label: STEP_WORDS[s.step] ?? { zh: s.step, en: s.step } })),
  };
}

/** The proven phone's orders, newest first. */
export async function followOrders(p: PhoneCtx): Promise<FollowedOrder[]> {
  const rows = await p.ctx.db
    .select()
    .from(workOrders)
    .where(eq(workOrders.contactPhoneHash, p.phoneHash))
    .orderBy(desc(workOrders.createdAt))
    .limit(20);
  return Promise.all(rows.map((r) => viewOf(p, r)));
}

export async function followOrder(p: PhoneCtx, number: string): Promise<FollowedOrder> {
  return viewOf(p, await phoneOrder(p, p.ctx.db, number, false));
}

/** A command of the customer on their order, in one transaction; answers the order as they see it. */
async function onPhoneOrder(
  p: PhoneCtx,
  number: string,
  body: (tx: Tx, row: WorkOrderRow) => Promise<void>,
): Promise<FollowedOrder> {
  await command(p.ctx, async (tx) => body(tx, await phoneOrder(p, tx, number, true)));
  return followOrder(p, number);
}

/** The customer adds information; an order waiting for them resumes (its clock runs again). */
export function addInformation(p: PhoneCtx, number: string, text: string) {
  return onPhoneOrder(p, number, async (tx, row) => {
    if (row.state === 'closed') throw wrongState(row);
    const saved = await saveOrder(tx, row, {});
    await record(tx, p.ctx, saved, 'information', 'workorder.information_added', text);
    if (saved.state === 'waiting_customer') await resumeInTx(tx, p.ctx, saved, '客户已补充信息');
  });
}

/** The rating of a replied order, once (1–5); the survey code dies with it. */
async function rateInTx(tx: Tx, ctx: Ctx, row: WorkOrderRow, score: number, via: 'phone' | 'survey') {
  if (row.state !== 'replied' && row.state !== 'closed') throw wrongState(row);
  if (row.satisfaction !== null)
    throw conflict('already_rated', '您已评价过此工单', 'You have already rated this order');
  const saved = await saveOrder(tx, row, { satisfaction: score, surveyCodeHash: null });
  await record(tx, ctx, saved, 'rated', 'workorder.rated', '', { score, via });
}

/** The customer rates a replied order, once (1–5). */
export function rateOrder(p: PhoneCtx, number: string, score: number) {
  return onPhoneOrder(p, number, (tx, row) => rateInTx(tx, p.ctx, row, score, 'phone'));
}

const SURVEY_WRONG = (left: number) =>
  unprocessable(
    'survey_code_wrong',
    `工单号或评价码不正确${left > 0 ? `，还可尝试 ${left} 次` : ''}`,
    `The order number or the survey code is wrong${left > 0 ? `; ${left} tries left` : ''}`,
    [fieldProblem('body.code', '评价码不正确', 'Wrong survey code')],
  );

/**
 * The customer rates with the survey code the reply's SMS carried — no phone code needed: order number +
 * code + score. The code is valid while the order may be reopened (`workorder.reopenWindowDays` after the
 * reply) and dies with the rating or at `echannel.codeMaxTries` wrong tries (counted on the locked order);
 * tries are limited per client address too. An unknown number, a wrong code and a dead one answer alike.
 */
export async function rateBySurvey(
  base: Omit<Ctx, 'actor'>,
  number: string,
  input: { code: string; score: number },
): Promise<{ number: string; satisfaction: number }> {
  const now = base.clock.now();
  await hit(base.db, LIMITS.codeCheckClient, base.clientIp, now);
  // A number is unique in its province: of the provinces' orders with it, the one the code is for.
  const candidates = await base.db
    .select({
      id: workOrders.id,
      surveyCodeHash: workOrders.surveyCodeHash,
      unit: { id: workOrders.ownerUnitId, path: workOrders.ownerUnitPath, provinceId: workOrders.provinceId },
    })
    .from(workOrders)
    .where(eq(workOrders.number, number))
    .orderBy(workOrders.id);
  const found = candidates.find((c) => c.surveyCodeHash === surveyHashOf(c.id, input.code)) ?? candidates[0];
  if (!found) throw SURVEY_WRONG(0);
  const ctx: Ctx = { ...base, actor: systemActor(found.unit, 'e-channel survey') };
  const v = await settingValues(
    base.db,
    found.unit.path,
    ['echannel.codeMaxTries', 'workorder.reopenWindowDays'],
    now,
  );
  const maxTries = Number(v['echannel.codeMaxTries']);
  const result = await command(ctx, async (tx) => {
    const [row] = await tx.select().from(workOrders).where(eq(workOrders.id, found.id)).for('update');
    if (!row) return { verdict: 'dead' as const, left: 0 };
    const given = Buffer.from(surveyHashOf(row.id, input.code), 'hex');
    const stored = Buffer.from(row.surveyCodeHash ?? '', 'hex');
    const matches = stored.length === given.length && timingSafeEqual(given, stored);
    const verdict = codeVerdict(
      {
        expiresAt: reopenUntil(row, Number(v['workorder.reopenWindowDays'])) ?? now,
        failedAttempts: row.surveyFailed,
        usedAt: row.satisfaction === null ? null : now,
        deadAt: row.surveyCodeHash === null ? now : null,
      },
      matches,
      now,
      maxTries,
    );
    if (verdict === 'ok') {
      await rateInTx(tx, ctx, row, input.score, 'survey');
      return { verdict, left: 0 };
    }
    if (verdict === 'wrong' || (verdict === 'dead' && row.surveyCodeHash !== null)) {
      // Counted beside the order, not as a change of it: a guesser does not make the staff's version stale.
      const failed = row.surveyFailed + 1;
      await appendEvent(
        tx,
        ctx,
        {
          action: 'workorder.survey_code_failed',
          unit: { id: row.handlingUnitId, path: row.handlingUnitPath, provinceId: row.provinceId },
          subjectType: 'work_order',
          subjectId: row.id,
          after: { failedAttempts: failed, dead: verdict === 'dead' },
        },
        [
          tx
            .update(workOrders)
            .set({ surveyFailed: failed, ...(verdict === 'dead' ? { surveyCodeHash: null } : {}) })
            .where(eq(workOrders.id, row.id)),
        ],
      );
      return { verdict, left: Math.max(0, maxTries - failed) };
    }
    return { verdict, left: 0 };
  });
  if (result.verdict !== 'ok') throw SURVEY_WRONG(result.verdict === 'wrong' ? result.left : 0);
  return { number, satisfaction: input.score };
}

/** The customer reopens a replied order within the window; after it they are told the appeal route. */
export function reopenByCustomer(p: PhoneCtx, number: string, text: string) {
  return onPhoneOrder(p, number, (tx, row) => reopenInTx(tx, p.ctx, row, text));
}
