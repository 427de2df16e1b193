/**
 * The customer follows their orders on the e-channel page `/m/orders` (issue #14): with the phone proven by a
 * one-time code (the e-channel's codes, purpose 'work_order'), they see the orders whose reply number is
 * that phone — by number, the steps that concern them, the reply — add information (which resumes a clock
 * paused while waiting for them), rate a replied order once, and reopen it within the window (after it,
 * the appeal route). Another phone's order is 404, the same answer as an unknown number.
 */
import { and, desc, eq } from 'drizzle-orm';
import { reopenUntil } from '../../core/sla.ts';
import type { Ctx } from '../../platform/context.ts';
import type { Tx } from '../../platform/db/index.ts';
import { command } from '../../platform/events.ts';
import { conflict, notFound } from '../../platform/http/problem.ts';
import { settingValues } from '../settings/service.ts';
import { reopenInTx } from './closing.ts';
import type { FollowedOrder } from './contract.ts';
import { record, resumeInTx, saveOrder, wrongState } from './handling.ts';
import type { WorkOrderRow } from './schema.ts';
import { workOrders, workOrderSteps } from './schema.ts';
import { ORDER, STEP_WORDS } from './shared.ts';

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

/** The customer rates a replied order, once (1–5). */
export function rateOrder(p: PhoneCtx, number: string, score: number) {
  return onPhoneOrder(p, number, async (tx, row) => {
    if (row.state !== 'replied' && row.state !== 'closed') throw wrongState(row);
    if (row.satisfaction !== null)
      throw conflict('already_rated', '您已评价过此工单', 'You have already rated this order');
    const saved = await saveOrder(tx, row, { satisfaction: score });
    await record(tx, p.ctx, saved, 'rated', 'workorder.rated', '', { score });
  });
}

/** The customer reopens a replied order within the window; after it they are told the appeal route. */
export function reopenByCustomer(p: PhoneCtx, number: string, text: string) {
  return onPhoneOrder(p, number, (tx, row) => reopenInTx(tx, p.ctx, row, text));
}
