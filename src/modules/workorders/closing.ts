/**
 * The end of an order (chapter 8): the owner (首问负责人) replies to the customer in their own name — the
 * reply goes out by SMS — and closes it; within `workorder.reopenWindowDays` of the reply the order may be
 * reopened, and the time it sat answered does not count against its limit.
 */
import { and, eq, isNull } from 'drizzle-orm';
import { reopenUntil } from '../../core/sla.ts';
import type { Ctx } from '../../platform/context.ts';
import type { Tx } from '../../platform/db/index.ts';
import { forbidden, unprocessable } from '../../platform/http/problem.ts';
import { newId } from '../../platform/ids.ts';
import { send } from '../notify/service.ts';
import { settingValues } from '../settings/service.ts';
import { onOrder, record, saveOrder, staffOnly, wrongState } from './handling.ts';
import { workOrdersPolicy } from './policy.ts';
import type { WorkOrderRow } from './schema.ts';
import { workOrderPauses } from './schema.ts';
import { isOwner, newSurveyCode, surveyHashOf, syncClocks } from './shared.ts';
import { can } from '../../platform/auth/policy.ts';

/** The owner, or a supervisor where the order was taken in (when the owner is away). */
function ownerOrSupervisor(ctx: Ctx, row: WorkOrderRow) {
  if (isOwner(ctx, row) || can(ctx.actor, workOrdersPolicy, 'workorder.supervise', row.ownerUnitPath)) return;
  throw forbidden(
    'not_owner',
    `只有首问责任人（${row.ownerName}）答复和结案`,
    `Only the owner (${row.ownerName}) replies and closes`,
  );
}

/**
 * Replies to the customer: once the order is handled, or at once when the owner's own unit holds it (a
 * consultation answered on the spot). The SMS is queued in the same transaction.
 */
export function replyOrder(ctx: Ctx, id: string, input: { version?: number | undefined; text: string }) {
  return onOrder(ctx, id, 'workorder.handle', input.version, async (tx, row, now) => {
    staffOnly(ctx);
    ownerOrSupervisor(ctx, row);
    const atOnce =
      (row.state === 'new' || row.state === 'assigned') && row.handlingUnitId === row.ownerUnitId;
    if (row.state !== 'answered' && !atOnce) throw wrongState(row);
    // The survey code goes with the reply (a new reply after a reopen, a new code) unless it is rated.
    const survey = row.satisfaction === null ? newSurveyCode() : null;
    const saved = await saveOrder(tx, row, {
      state: 'replied',
      repliedAt: now,
      replyText: input.text,
      firstResponseAt: row.firstResponseAt ?? now,
      ...(survey ? { surveyCodeHash: surveyHashOf(row.id, survey), surveyFailed: 0 } : {}),
    });
    await syncClocks(tx, saved, now);
    await send(tx, ctx, {
      channel: 'sms',
      to: row.contactPhone,
      template: 'workorder.reply',
      params: {
        number: row.number,
        reply: input.text.slice(0, 300),
        owner: row.ownerName,
        survey: survey ? `请在工单查询页输入工单号和评价码 ${survey} 为本次服务打分（1–5 分）。` : '',
      },
      unit: { id: row.ownerUnitId, path: row.ownerUnitPath, provinceId: row.provinceId },
    });
    await record(tx, ctx, saved, 'replied', 'workorder.replied', input.text);
  });
}

/** Closes a replied order (结案); its due-time rows go. */
export function closeOrder(ctx: Ctx, id: string, input: { version?: number | undefined }) {
  return onOrder(ctx, id, 'workorder.handle', input.version, async (tx, row, now) => {
    ownerOrSupervisor(ctx, row);
    if (row.state !== 'replied') throw wrongState(row);
    const saved = await saveOrder(tx, row, { state: 'closed', closedAt: now });
    await syncClocks(tx, saved, now);
    await record(tx, ctx, saved, 'closed', 'workorder.closed', '');
  });
}

/**
 * Reopens a replied or closed order within the window (in the caller's transaction): back to the unit that
 * handled it, the time since it was handled paused, so the clock goes on from where the answer stopped it.
 * After the window the customer is told the appeal route (the regulator's line).
 */
export async function reopenInTx(tx: Tx, ctx: Ctx, row: WorkOrderRow, text: string): Promise<void> {
  const now = ctx.clock.now();
  if (row.state !== 'replied' && row.state !== 'closed') throw wrongState(row);
  const settings = await settingValues(tx, row.ownerUnitPath, ['workorder.reopenWindowDays'], now);
  const days = Number(settings['workorder.reopenWindowDays']);
  const until = reopenUntil(row, days);
  if (!until || now > until)
    throw unprocessable(
      'reopen_window',
      `答复后 ${days} 天内可重新处理；如仍不满意，可向通信管理局申诉（电话 12300）`,
      `An order reopens within ${days} days of the reply; if still unsatisfied, appeal to the regulator (12300)`,
    );
  const stoppedAt = row.answeredAt ?? row.repliedAt ?? now;
  const open = await tx
    .select({ id: workOrderPauses.id })
    .from(workOrderPauses)
    .where(and(eq(workOrderPauses.orderId, row.id), isNull(workOrderPauses.to)));
  if (open.length === 0)
    await tx
      .insert(workOrderPauses)
      .values({ id: newId(), orderId: row.id, state: 'answered', from: stoppedAt, to: now });
  const saved = await saveOrder(tx, row, {
    state: row.assigneeStaffId ? 'assigned' : 'new',
    answeredAt: null,
    repliedAt: null,
    closedAt: null,
    replyText: null,
    reopenCount: row.reopenCount + 1,
  });
  await syncClocks(tx, saved, now);
  await record(tx, ctx, saved, 'reopened', 'workorder.reopened', text, { reopenCount: saved.reopenCount });
}

export function reopenOrder(ctx: Ctx, id: string, input: { version?: number | undefined; text: string }) {
  return onOrder(ctx, id, 'workorder.handle', input.version, (tx, row) =>
    reopenInTx(tx, ctx, row, input.text),
  );
}
