/**
 * The due-time table's worker (限时办结): each instance claims the rows that fell due — one at a time, with
 * `FOR UPDATE SKIP LOCKED`, so a deadline fires once across instances and restarts — and acts in the same
 * transaction that marks the row fired: an escalation step raises the order's level (warn the owner, the
 * supervisor, the superior unit) and schedules the next; a missed first response and an overdue hop go on
 * the timeline for the owner and the unit that sent the hop (the city watching its departments).
 */
import { and, eq, inArray, isNull, lte, sql } from 'drizzle-orm';
import { DateTime } from 'luxon';
import { MOBILE_PATTERN } from '../../core/phone.ts';
import type { EscalationLevel } from '../../core/sla.ts';
import { ESCALATION_LEVEL_LABELS } from '../../core/sla.ts';
import { systemActor } from '../../platform/auth/policy.ts';
import type { Clock } from '../../platform/clock.ts';
import type { Ctx } from '../../platform/context.ts';
import type { Db, Tx } from '../../platform/db/index.ts';
import { rows, schema } from '../../platform/db/index.ts';
import { appendEvent, command } from '../../platform/events.ts';
import type { EventType } from '../../platform/words.ts';
import { send } from '../notify/service.ts';
import { getUnitRef, rootUnit } from '../org/service.ts';
import { workOrdersPolicy } from './policy.ts';
import type { WorkOrderRow } from './schema.ts';
import { workOrderHops, workOrders, workOrderTimers } from './schema.ts';
import type { STEP_WORDS } from './shared.ts';
import { addStep, syncClocks } from './shared.ts';
import { repeatEvery } from '../../platform/worker.ts';

const WORKER = '时限监控';

/**
 * Whom an escalation step tells, by SMS through the notification gateway: the owner and the assignee
 * (warn_owner), the supervisors of the unit holding the work (supervisor), those of the unit above it
 * (superior_unit) — or, where that unit has no supervisor, those of the nearest unit above that has. Staff
 * without a phone on record are skipped (the timeline and the boards still show it).
 */
async function tellOfEscalation(tx: Tx, ctx: Ctx, row: WorkOrderRow, level: EscalationLevel): Promise<void> {
  let to: { phone: string }[];
  if (level === 'warn_owner') {
    const ids = [row.ownerStaffId, ...(row.assigneeStaffId ? [row.assigneeStaffId] : [])];
    to = await tx
      .select({ phone: schema.staff.phone })
      .from(schema.staff)
      .where(inArray(schema.staff.id, ids));
  } else {
    // The handling unit's supervisors, or its superior unit's; where that unit has none on the books, the
    // nearest unit above that has (an escalation must reach somebody).
    const ancestors = row.handlingUnitPath
      .split('/')
      .filter(Boolean)
      .map((_, i, ids) => `/${ids.slice(0, i + 1).join('/')}/`)
      .reverse()
      .slice(level === 'supervisor' ? 0 : 1);
    const found = ancestors.length
      ? await tx
          .selectDistinct({ phone: schema.staff.phone, path: schema.units.path })
          .from(schema.staff)
          .innerJoin(schema.units, eq(schema.units.id, schema.staff.unitId))
          .innerJoin(schema.staffPositions, eq(schema.staffPositions.staffId, schema.staff.id))
          .where(
            and(
              inArray(schema.units.path, ancestors),
              eq(schema.staff.active, true),
              inArray(schema.staffPositions.position, [...workOrdersPolicy['workorder.supervise']]),
            ),
          )
      : [];
    const nearest = ancestors.find((p) => found.some((f) => f.path === p));
    to = found.filter((f) => f.path === nearest);
  }
  const zone = (await getUnitRef(tx, row.calendarUnitId)).timeZone;
  const due = row.resolutionDueAt
    ? DateTime.fromJSDate(row.resolutionDueAt, { zone }).toFormat('M月d日 HH:mm')
    : '—';
  for (const phone of new Set(to.map((t) => t.phone).filter((p) => MOBILE_PATTERN.test(p))))
    await send(tx, ctx, {
      channel: 'sms',
      to: phone,
      template: 'workorder.escalated',
      params: {
        number: row.number,
        level: ESCALATION_LEVEL_LABELS[level].zh,
        title: row.title.slice(0, 40),
        due,
      },
      unit: { id: row.handlingUnitId, path: row.handlingUnitPath, provinceId: row.provinceId },
    });
}

/** Fires the due rows (at most `limit`); answers how many fired. */
export async function fireDue(db: Db, clock: Clock, limit = 50): Promise<number> {
  const root = await rootUnit(db);
  if (!root) return 0;
  const ctx: Ctx = {
    db,
    actor: systemActor(root, WORKER),
    clock,
    requestId: 'workorder-timers',
    clientIp: '',
  };
  let fired = 0;
  for (; fired < limit; fired++) {
    const done = await command(ctx, async (tx) => {
      const now = clock.now();
      const [due] = await rows<{ id: string; order_id: string; what: string }>(
        tx,
        sql`select id, order_id, what from work_order_timers
             where fired_at is null and due_at <= ${now}
             order by due_at limit 1 for update skip locked`,
      );
      if (!due) return false;
      await tx.update(workOrderTimers).set({ firedAt: now }).where(eq(workOrderTimers.id, due.id));
      const [row] = await tx.select().from(workOrders).where(eq(workOrders.id, due.order_id)).for('update');
      if (!row || row.state === 'closed') return true;
      const unit = { id: row.handlingUnitId, path: row.handlingUnitPath, provinceId: row.provinceId };
      /** The step on the timeline (at `unitId`: the unit to act) and the event. */
      const mark = async (
        step: keyof typeof STEP_WORDS,
        action: EventType,
        details: Record<string, unknown>,
        unitId = row.handlingUnitId,
      ) => {
        await addStep(tx, ctx, row.id, step, '', details, unitId);
        await appendEvent(tx, ctx, {
          action,
          unit,
          subjectType: 'work_order',
          subjectId: row.id,
          after: { orderNumber: row.number, owner: row.ownerName, ...details },
        });
      };
      if (due.what.startsWith('escalation:')) {
        if (row.answeredAt || row.repliedAt) return true;
        // The level in force now: a worker that was down jumps to it in one step.
        const { level } = await syncClocks(tx, row, now);
        if (!level || level === row.escalationLevel) return true;
        await tx
          .update(workOrders)
          .set({ escalationLevel: level, version: row.version + 1 })
          .where(and(eq(workOrders.provinceId, row.provinceId), eq(workOrders.id, row.id)));
        await mark('escalated', 'workorder.escalated', { level, label: ESCALATION_LEVEL_LABELS[level].zh });
        await tellOfEscalation(tx, ctx, row, level);
      } else if (due.what === 'response') {
        if (!row.firstResponseAt) await mark('response_overdue', 'workorder.response_overdue', {});
      } else if (due.what.startsWith('hop:')) {
        const [hop] = await tx
          .select()
          .from(workOrderHops)
          .where(and(eq(workOrderHops.id, due.what.slice(4)), isNull(workOrderHops.answeredAt)));
        if (hop)
          await mark(
            'hop_overdue',
            'workorder.hop_overdue',
            { hopId: hop.id, dueAt: hop.dueAt.toISOString() },
            hop.fromUnitId,
          );
      }
      return true;
    });
    if (!done) break;
  }
  return fired;
}

/** The unfired rows due by `at` (a health view, and tests). */
export async function dueCount(db: Db, at: Date): Promise<number> {
  const found = await db
    .select({ id: workOrderTimers.id })
    .from(workOrderTimers)
    .where(and(isNull(workOrderTimers.firedAt), lte(workOrderTimers.dueAt, at)));
  return found.length;
}

/** Runs `fireDue` every `everyMs` until stopped (one instance's worker; others may run at once). */
export function startWorkOrderWorker(
  db: Db,
  clock: Clock,
  onError: (err: unknown) => void,
  everyMs = 5000,
): () => void {
  return repeatEvery(everyMs, () => fireDue(db, clock), onError);
}
