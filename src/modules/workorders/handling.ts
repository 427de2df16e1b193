/**
 * Working on an order (issue #14, 3§1.1.3, chapter 8): the group queue's list, claiming (safe with several
 * app instances: the order row is locked and its state checked, so a second claimer is told it is taken),
 * automatic assignment among the members on duty, dispatch through the tiers with each hop's own limit
 * (OLA) inside the order's, the answer coming back up, pauses while waiting for the customer or a third
 * party, notes, and the transfer of ownership — only by a supervisor, as its own event (首问负责: handing
 * work on never hands off ownership).
 *
 * Every command locks the order, checks the caller's position where the work is (shared.lockedOrder), moves
 * the state, bumps the version, writes the timeline step and appends its event in one transaction.
 */
import { and, asc, count, desc, eq, gt, inArray, isNull, ne, or, sql } from 'drizzle-orm';
import type { SQL } from 'drizzle-orm';
import { pickAssignee } from '../../core/assignment.ts';
import type { UnitKind } from '../../core/org.ts';
import { HALL_KINDS } from '../../core/org.ts';
import { authorize, authorizeAny, can, reachOf } from '../../platform/auth/policy.ts';
import type { Ctx } from '../../platform/context.ts';
import type { DbOrTx, Tx } from '../../platform/db/index.ts';
import { schema } from '../../platform/db/index.ts';
import type { EventType } from '../../platform/words.ts';
import { appendEvent, command } from '../../platform/events.ts';
import { conflict, fieldProblem, unprocessable } from '../../platform/http/problem.ts';
import { newId } from '../../platform/ids.ts';
import { getUnitRef } from '../org/service.ts';
import { settingValues } from '../settings/service.ts';
import type { WorkOrderDetail, WorkOrderQuery } from './contract.ts';
import { PAUSE_STATES } from './contract.ts';
import { workOrdersPolicy } from './policy.ts';
import type { WorkOrderRow } from './schema.ts';
import {
  workOrderHops,
  workOrderPauses,
  workOrderRoundRobin,
  workOrders,
  workOrderTimers,
} from './schema.ts';
import { getWorkOrder, policyWords } from './service.ts';
import type { STEP_WORDS } from './shared.ts';
import {
  addStep,
  assertMay,
  inHandlingUnit,
  lockedOrder,
  namesOf,
  orderViews,
  reachSql,
  readableOrder,
  syncClocks,
} from './shared.ts';

type Step = keyof typeof STEP_WORDS;
type Patch = Partial<Omit<WorkOrderRow, 'id' | 'provinceId' | 'version'>>;

/** States in which somebody is working on the order (not waiting, not done). */
const WORKING = ['assigned', 'dispatched'] as const;
/** Units an order may be dispatched to: those that do the work (not the branches themselves). */
const DISPATCH_KINDS: readonly UnitKind[] = [
  'centre_province',
  'centre_city',
  'remote_seats',
  'department',
  ...HALL_KINDS,
];

export function wrongState(row: WorkOrderRow) {
  return conflict(
    'wrong_state',
    `工单当前状态（${row.state}）不能执行此操作`,
    `The order is ${row.state}: this action does not apply now`,
  );
}

/** Writes a change of the order (the version bumped) and returns the row as it now is. */
export async function saveOrder(tx: Tx, row: WorkOrderRow, patch: Patch): Promise<WorkOrderRow> {
  const [saved] = await tx
    .update(workOrders)
    .set({ ...patch, version: row.version + 1 })
    .where(and(eq(workOrders.provinceId, row.provinceId), eq(workOrders.id, row.id)))
    .returning();
  return saved!;
}

/** The step on the timeline and the event, with the unit that holds the work. */
export async function record(
  tx: Tx,
  ctx: Ctx,
  row: WorkOrderRow,
  step: Step,
  action: EventType,
  text: string,
  details: Record<string, unknown> = {},
): Promise<void> {
  await addStep(tx, ctx, row.id, step, text, details);
  await appendEvent(tx, ctx, {
    action,
    unit: { id: row.handlingUnitId, path: row.handlingUnitPath, provinceId: row.provinceId },
    subjectType: 'work_order',
    subjectId: row.id,
    after: { orderNumber: row.number, state: row.state, ...details },
  });
}

/**
 * Runs a command on one order: locked, checked (`action` where the work is or at the owner's unit, the
 * version the caller saw), changed by `body`; answers the order as it now is.
 */
export async function onOrder(
  ctx: Ctx,
  id: string,
  action: keyof typeof workOrdersPolicy,
  version: number | undefined,
  body: (tx: Tx, row: WorkOrderRow, now: Date) => Promise<void>,
): Promise<WorkOrderDetail> {
  await command(ctx, async (tx) => {
    const row = await lockedOrder(tx, ctx, id, action, version);
    await body(tx, row, ctx.clock.now());
  });
  return getWorkOrder(ctx, id);
}

export function staffOnly(ctx: Ctx): string {
  if (ctx.actor.kind !== 'staff' || !ctx.actor.id)
    throw unprocessable('staff_only', '须由员工操作', 'Only a member of staff can do this');
  return ctx.actor.id;
}

function notInQueue() {
  return unprocessable('not_in_queue', '工单不在您单位的工作队列中', "The order is not in your unit's queue");
}

/** The hop the order is on now: the newest unanswered one sent to the unit that holds it. */
async function openHop(tx: Tx, row: WorkOrderRow) {
  const [hop] = await tx
    .select()
    .from(workOrderHops)
    .where(
      and(
        eq(workOrderHops.orderId, row.id),
        eq(workOrderHops.toUnitId, row.handlingUnitId),
        isNull(workOrderHops.answeredAt),
      ),
    )
    .orderBy(desc(workOrderHops.sentAt))
    .limit(1);
  return hop;
}

/* ---------------------------------------------------------------------------------------------- */
/* The list.                                                                                      */
/* ---------------------------------------------------------------------------------------------- */

/** Orders in the caller's reach, the soonest due first (paused and done ones after). */
export async function listWorkOrders(ctx: Ctx, q: WorkOrderQuery) {
  authorizeAny(ctx.actor, workOrdersPolicy, 'workorder.read');
  const where: SQL[] = [reachSql(reachOf(ctx.actor, workOrdersPolicy, 'workorder.read'))];
  const me = ctx.actor.id ?? '00000000-0000-0000-0000-000000000000';
  if (q.kind) where.push(eq(workOrders.kind, q.kind));
  if (q.state === 'open') where.push(ne(workOrders.state, 'closed'));
  else if (q.state) where.push(eq(workOrders.state, q.state));
  if (q.unitId) {
    const unit = await getUnitRef(ctx.db, q.unitId);
    authorize(ctx.actor, workOrdersPolicy, 'workorder.read', unit.path);
    where.push(reachSql(unit.path));
  }
  if (q.owner === 'me') where.push(eq(workOrders.ownerStaffId, me));
  if (q.assignee === 'me') where.push(eq(workOrders.assigneeStaffId, me));
  if (q.mine) where.push(or(eq(workOrders.ownerStaffId, me), eq(workOrders.assigneeStaffId, me))!);
  if (q.dueBefore) where.push(sql`${workOrders.resolutionDueAt} < ${new Date(q.dueBefore)}`);
  const filter = and(...where);
  const [found] = await ctx.db.select({ n: count() }).from(workOrders).where(filter);
  const rows = await ctx.db
    .select()
    .from(workOrders)
    .where(filter)
    .orderBy(
      sql`${workOrders.state} = 'closed'`,
      sql`${workOrders.resolutionDueAt} ASC NULLS LAST`,
      desc(workOrders.createdAt),
      desc(workOrders.id),
    )
    .limit(q.limit)
    .offset(q.offset);
  return { items: await orderViews(ctx.db, rows, ctx.clock.now(), policyWords), total: found?.n ?? 0 };
}

/* ---------------------------------------------------------------------------------------------- */
/* Claiming and assigning.                                                                        */
/* ---------------------------------------------------------------------------------------------- */

/** Takes the order from the group queue: the caller works on it (首次响应 when none was given). */
export function claimOrder(ctx: Ctx, id: string, version?: number) {
  return onOrder(ctx, id, 'workorder.handle', version, async (tx, row, now) => {
    const staffId = staffOnly(ctx);
    if (!inHandlingUnit(ctx, row)) throw notInQueue();
    if (row.assigneeStaffId)
      throw conflict(
        'already_claimed',
        `工单已由${row.assigneeName ?? ''}认领`,
        `The order was claimed by ${row.assigneeName ?? 'someone'}`,
      );
    if (row.state !== 'new' && row.state !== 'dispatched') throw wrongState(row);
    const saved = await saveOrder(tx, row, {
      assigneeStaffId: staffId,
      assigneeName: ctx.actor.name,
      state: row.state === 'new' ? 'assigned' : row.state,
      firstResponseAt: row.firstResponseAt ?? now,
    });
    await syncClocks(tx, saved, now);
    await record(tx, ctx, saved, 'claimed', 'workorder.claimed', '');
  });
}

/** Members of the unit who may handle orders, active, with their open load, and whether they are on duty. */
async function queueMembers(tx: DbOrTx, unitId: string, now: Date) {
  const handlers = workOrdersPolicy['workorder.handle'];
  const members = await tx
    .selectDistinct({ id: schema.staff.id, name: schema.staff.name })
    .from(schema.staff)
    .innerJoin(schema.staffPositions, eq(schema.staffPositions.staffId, schema.staff.id))
    .where(
      and(
        eq(schema.staff.unitId, unitId),
        eq(schema.staff.active, true),
        inArray(schema.staffPositions.position, [...handlers]),
      ),
    );
  if (members.length === 0) return [];
  const ids = members.map((m) => m.id);
  // On duty: signed in to the console now (a live session).
  const onDuty = await tx
    .selectDistinct({ id: schema.credentials.staffId })
    .from(schema.credentials)
    .where(
      and(
        inArray(schema.credentials.staffId, ids),
        eq(schema.credentials.kind, 'session'),
        isNull(schema.credentials.revokedAt),
        or(isNull(schema.credentials.expiresAt), gt(schema.credentials.expiresAt, now)),
      ),
    );
  const loads = await tx
    .select({ id: workOrders.assigneeStaffId, n: count() })
    .from(workOrders)
    .where(
      and(inArray(workOrders.assigneeStaffId, ids), inArray(workOrders.state, [...WORKING, ...PAUSE_STATES])),
    )
    .groupBy(workOrders.assigneeStaffId);
  const duty = new Set(onDuty.map((d) => d.id));
  const load = new Map(loads.map((l) => [l.id, l.n]));
  return members.map((m) => ({ ...m, onDuty: duty.has(m.id), load: load.get(m.id) ?? 0 }));
}

/**
 * Whom a supervisor may pick for the order: to assign, the handling unit's members who may handle orders
 * (on duty or not, with their load); to transfer ownership, the active staff of the order's units (owner's,
 * concerned, handling) and the supervisor's own, within what they supervise, the owner left out.
 */
export async function peopleFor(ctx: Ctx, id: string, purpose: 'assign' | 'transfer') {
  const row = await readableOrder(ctx, ctx.db, id);
  assertMay(ctx, row, 'workorder.supervise');
  const now = ctx.clock.now();
  if (purpose === 'assign') {
    const names = await namesOf(ctx.db, [row.handlingUnitId]);
    const unit = { id: row.handlingUnitId, name: names.get(row.handlingUnitId) ?? '' };
    const members = await queueMembers(ctx.db, row.handlingUnitId, now);
    return members
      .map((m) => ({ staffId: m.id, name: m.name, unit, onDuty: m.onDuty, load: m.load }))
      .sort((a, b) => Number(b.onDuty) - Number(a.onDuty) || a.load - b.load || a.name.localeCompare(b.name));
  }
  const unitIds = [...new Set([row.ownerUnitId, row.concernsUnitId, row.handlingUnitId, ctx.actor.unitId])];
  const staff = await ctx.db
    .select({
      id: schema.staff.id,
      name: schema.staff.name,
      unitId: schema.units.id,
      unitName: schema.units.name,
      path: schema.units.path,
    })
    .from(schema.staff)
    .innerJoin(schema.units, eq(schema.units.id, schema.staff.unitId))
    .where(and(inArray(schema.staff.unitId, unitIds), eq(schema.staff.active, true)))
    .orderBy(asc(schema.units.path), asc(schema.staff.name))
    .limit(500);
  return staff
    .filter(
      (s) => s.id !== row.ownerStaffId && can(ctx.actor, workOrdersPolicy, 'workorder.supervise', s.path),
    )
    .map((s) => ({
      staffId: s.id,
      name: s.name,
      unit: { id: s.unitId, name: s.unitName },
      onDuty: false,
      load: 0,
    }));
}

/**
 * Assigns the order (a supervisor): to the member named, or automatically among the handling unit's members
 * on duty — round robin or least loaded. A reassignment is recorded with who had it before.
 */
export function assignOrder(
  ctx: Ctx,
  id: string,
  input: { version?: number | undefined; staffId?: string | undefined; mode: 'round_robin' | 'least_loaded' },
) {
  return onOrder(ctx, id, 'workorder.supervise', input.version, async (tx, row, now) => {
    if (!['new', 'assigned', 'dispatched', ...PAUSE_STATES].includes(row.state)) throw wrongState(row);
    const members = await queueMembers(tx, row.handlingUnitId, now);
    let chosen: { id: string; name: string } | undefined;
    if (input.staffId) {
      chosen = members.find((m) => m.id === input.staffId);
      if (!chosen)
        throw unprocessable('not_a_member', '该员工不能处理此工单', 'That person cannot handle this order', [
          fieldProblem(
            'body.staffId',
            '须是处理单位中可处理工单的员工',
            'Must be a member of the handling unit who may handle orders',
          ),
        ]);
    } else {
      const [cursor] = await tx
        .select()
        .from(workOrderRoundRobin)
        .where(eq(workOrderRoundRobin.unitId, row.handlingUnitId))
        .for('update');
      const pick = pickAssignee(
        members.filter((m) => m.onDuty && m.id !== row.assigneeStaffId),
        input.mode,
        cursor?.lastStaffId ?? null,
      );
      chosen = members.find((m) => m.id === pick);
      if (!chosen)
        throw unprocessable(
          'nobody_on_duty',
          '处理单位现在没有在岗的处理人员',
          'Nobody who may handle it is on duty in the handling unit',
        );
      await tx
        .insert(workOrderRoundRobin)
        .values({ unitId: row.handlingUnitId, lastStaffId: chosen.id })
        .onConflictDoUpdate({ target: workOrderRoundRobin.unitId, set: { lastStaffId: chosen.id } });
    }
    const saved = await saveOrder(tx, row, {
      assigneeStaffId: chosen.id,
      assigneeName: chosen.name,
      state: row.state === 'new' ? 'assigned' : row.state,
      firstResponseAt: row.firstResponseAt ?? now,
    });
    await syncClocks(tx, saved, now);
    await record(tx, ctx, saved, 'assigned', 'workorder.assigned', '', {
      to: chosen.name,
      mode: input.staffId ? 'manual' : input.mode,
      ...(row.assigneeName ? { from: row.assigneeName } : {}),
    });
  });
}

/* ---------------------------------------------------------------------------------------------- */
/* Dispatch through the tiers.                                                                    */
/* ---------------------------------------------------------------------------------------------- */

/** The units the caller may send the order on to: working units in their reach, not the one holding it. */
export async function dispatchTargets(ctx: Ctx, id: string) {
  const detail = await getWorkOrder(ctx, id);
  const reach = reachOf(ctx.actor, workOrdersPolicy, 'workorder.handle');
  const units = await ctx.db
    .select({
      id: schema.units.id,
      name: schema.units.name,
      kind: schema.units.kind,
      path: schema.units.path,
    })
    .from(schema.units)
    .where(
      and(
        sql`starts_with(${schema.units.path}, ${reach})`,
        inArray(schema.units.kind, [...DISPATCH_KINDS]),
        ne(schema.units.id, detail.handlingUnit.id),
        eq(schema.units.active, true),
      ),
    )
    .orderBy(asc(schema.units.path));
  return units
    .filter((u) => can(ctx.actor, workOrdersPolicy, 'workorder.handle', u.path))
    .map(({ id: unitId, name, kind }) => ({ id: unitId, name, kind: kind as UnitKind }));
}

/**
 * Sends the order on to another unit (the province centre to a city's remote seats or a department):
 * the hop gets its own limit — the minutes given, or `workorder.hopShare` of what is left of the order's —
 * never beyond the order's due time; its due-time row warns when it runs out. The work goes to the unit's
 * group queue; the owner stays.
 */
export function dispatchOrder(
  ctx: Ctx,
  id: string,
  input: { version?: number | undefined; toUnitId: string; note: string; dueMinutes?: number | undefined },
) {
  return onOrder(ctx, id, 'workorder.handle', input.version, async (tx, row, now) => {
    const staffId = staffOnly(ctx);
    if (!['new', ...WORKING].includes(row.state)) throw wrongState(row);
    if (!inHandlingUnit(ctx, row)) throw notInQueue();
    const to = await getUnitRef(tx, input.toUnitId);
    const targetProblem = (zh: string, en: string) =>
      unprocessable('dispatch_target', '不能派往该单位', 'The order cannot be sent there', [
        fieldProblem('body.toUnitId', zh, en),
      ]);
    if (
      to.id === row.handlingUnitId ||
      to.provinceId !== row.provinceId ||
      !DISPATCH_KINDS.includes(to.kind) ||
      !can(ctx.actor, workOrdersPolicy, 'workorder.handle', to.path)
    )
      throw targetProblem('不在您可派单的范围内', 'Outside where you may send work');
    const limit = row.resolutionDueAt;
    if (!limit) throw wrongState(row);
    const left = limit.getTime() - now.getTime();
    if (left <= 0)
      throw unprocessable(
        'order_overdue',
        '工单已超时，请先升级处理',
        'The order is overdue: escalate it first',
      );
    let dueAt: Date;
    if (input.dueMinutes !== undefined) {
      dueAt = new Date(now.getTime() + input.dueMinutes * 60_000);
      if (dueAt > limit)
        throw unprocessable(
          'hop_beyond_limit',
          '环节时限超出工单时限',
          "The hop's limit is beyond the order's",
          [fieldProblem('body.dueMinutes', '须在工单时限之内', "Must fall within the order's limit")],
        );
    } else {
      const settings = await settingValues(tx, row.handlingUnitPath, ['workorder.hopShare'], now);
      dueAt = new Date(now.getTime() + Math.floor(left * Number(settings['workorder.hopShare'])));
    }
    const hopId = newId();
    await tx.insert(workOrderHops).values({
      id: hopId,
      orderId: row.id,
      fromUnitId: row.handlingUnitId,
      toUnitId: to.id,
      toUnitPath: to.path,
      sentBy: ctx.actor.name,
      sentByStaffId: staffId,
      sentAt: now,
      dueAt,
      note: input.note,
    });
    await tx
      .insert(workOrderTimers)
      .values({ id: newId(), provinceId: row.provinceId, orderId: row.id, what: `hop:${hopId}`, dueAt });
    const saved = await saveOrder(tx, row, {
      handlingUnitId: to.id,
      handlingUnitPath: to.path,
      assigneeStaffId: null,
      assigneeName: null,
      state: 'dispatched',
      paths: [...new Set([...row.paths, to.path])],
      firstResponseAt: row.firstResponseAt ?? now,
    });
    await syncClocks(tx, saved, now);
    await record(tx, ctx, saved, 'dispatched', 'workorder.dispatched', input.note, {
      hopId,
      to: to.name,
      dueAt: dueAt.toISOString(),
    });
  });
}

/**
 * The work is done where it is: a hop is answered back up (the order returns to the unit that sent it, to
 * the person who sent it), or — at the top — the order is handled (处理完毕) and waits for the owner's reply.
 */
export function answerOrder(ctx: Ctx, id: string, input: { version?: number | undefined; text: string }) {
  return onOrder(ctx, id, 'workorder.handle', input.version, async (tx, row, now) => {
    staffOnly(ctx);
    if (!(WORKING as readonly string[]).includes(row.state)) throw wrongState(row);
    if (!inHandlingUnit(ctx, row)) throw notInQueue();
    const hop = await openHop(tx, row);
    if (hop) {
      await tx
        .update(workOrderHops)
        .set({ answeredAt: now, answer: input.text })
        .where(eq(workOrderHops.id, hop.id));
      await tx
        .delete(workOrderTimers)
        .where(
          and(
            eq(workOrderTimers.orderId, row.id),
            eq(workOrderTimers.what, `hop:${hop.id}`),
            isNull(workOrderTimers.firedAt),
          ),
        );
      const back = await getUnitRef(tx, hop.fromUnitId);
      const [sender] = await tx
        .select({ id: schema.staff.id, name: schema.staff.name })
        .from(schema.staff)
        .where(and(eq(schema.staff.id, hop.sentByStaffId), eq(schema.staff.active, true)));
      // Still on an outer hop (sent down twice)?
      const [outer] = await tx
        .select({ id: workOrderHops.id })
        .from(workOrderHops)
        .where(
          and(
            eq(workOrderHops.orderId, row.id),
            eq(workOrderHops.toUnitId, back.id),
            isNull(workOrderHops.answeredAt),
          ),
        )
        .limit(1);
      const saved = await saveOrder(tx, row, {
        handlingUnitId: back.id,
        handlingUnitPath: back.path,
        assigneeStaffId: sender?.id ?? null,
        assigneeName: sender?.name ?? null,
        state: outer ? 'dispatched' : sender ? 'assigned' : 'new',
      });
      await record(tx, ctx, saved, 'hop_answered', 'workorder.hop_answered', input.text, {
        hopId: hop.id,
        overdue: now > hop.dueAt,
      });
      return;
    }
    const saved = await saveOrder(tx, row, { state: 'answered', answeredAt: now });
    await syncClocks(tx, saved, now);
    await record(tx, ctx, saved, 'answered', 'workorder.answered', input.text);
  });
}

/* ---------------------------------------------------------------------------------------------- */
/* Pauses, notes, ownership.                                                                      */
/* ---------------------------------------------------------------------------------------------- */

/** Waits for the customer or a third party; the clocks stop if the order's policy pauses in that state. */
export function pauseOrder(
  ctx: Ctx,
  id: string,
  input: { version?: number | undefined; state: (typeof PAUSE_STATES)[number]; note: string },
) {
  return onOrder(ctx, id, 'workorder.handle', input.version, async (tx, row, now) => {
    if (!(WORKING as readonly string[]).includes(row.state)) throw wrongState(row);
    if (!inHandlingUnit(ctx, row)) throw notInQueue();
    await tx.insert(workOrderPauses).values({ id: newId(), orderId: row.id, state: input.state, from: now });
    const saved = await saveOrder(tx, row, { state: input.state });
    await syncClocks(tx, saved, now);
    await record(tx, ctx, saved, 'paused', 'workorder.paused', input.note, {
      stopsClock: row.pauseStates.includes(input.state),
    });
  });
}

/**
 * Ends the order's pause (in the caller's transaction): the clocks run again; the order goes back to its
 * hop or its assignee. Used when the handler resumes and when the customer adds the information awaited.
 */
export async function resumeInTx(tx: Tx, ctx: Ctx, row: WorkOrderRow, text: string): Promise<void> {
  const now = ctx.clock.now();
  await tx
    .update(workOrderPauses)
    .set({ to: now })
    .where(and(eq(workOrderPauses.orderId, row.id), isNull(workOrderPauses.to)));
  const hop = await openHop(tx, row);
  const saved = await saveOrder(tx, row, {
    state: hop ? 'dispatched' : row.assigneeStaffId ? 'assigned' : 'new',
  });
  await syncClocks(tx, saved, now);
  await record(tx, ctx, saved, 'resumed', 'workorder.resumed', text);
}

export function resumeOrder(ctx: Ctx, id: string, input: { version?: number | undefined; text: string }) {
  return onOrder(ctx, id, 'workorder.handle', input.version, async (tx, row) => {
    if (!(PAUSE_STATES as readonly string[]).includes(row.state)) throw wrongState(row);
    if (!inHandlingUnit(ctx, row)) throw notInQueue();
    await resumeInTx(tx, ctx, row, input.text);
  });
}

/** A note on the timeline (what was tried, what the customer said on the phone). */
export function noteOrder(ctx: Ctx, id: string, input: { version?: number | undefined; text: string }) {
  return onOrder(ctx, id, 'workorder.handle', input.version, async (tx, row) => {
    if (row.state === 'closed') throw wrongState(row);
    const saved = await saveOrder(tx, row, {});
    await record(tx, ctx, saved, 'noted', 'workorder.noted', input.text);
  });
}

/**
 * Transfers ownership (首问责任) to another member of staff — a supervisor only, never to the owner
 * themselves, as its own event; the new owner sees the order from then on.
 */
export function transferOrder(
  ctx: Ctx,
  id: string,
  input: { version?: number | undefined; toStaffId: string; reason: string },
) {
  return onOrder(ctx, id, 'workorder.supervise', input.version, async (tx, row) => {
    if (row.state === 'closed') throw wrongState(row);
    const bad = (zh: string, en: string) =>
      unprocessable('transfer_target', '不能转给该员工', 'Ownership cannot go to that person', [
        fieldProblem('body.toStaffId', zh, en),
      ]);
    if (input.toStaffId === row.ownerStaffId) throw bad('已是首问责任人', 'Already the owner');
    const [to] = await tx
      .select({ id: schema.staff.id, name: schema.staff.name, unitId: schema.staff.unitId })
      .from(schema.staff)
      .where(and(eq(schema.staff.id, input.toStaffId), eq(schema.staff.active, true)));
    const unit = to ? await getUnitRef(tx, to.unitId) : null;
    if (!to || !unit || !can(ctx.actor, workOrdersPolicy, 'workorder.supervise', unit.path))
      throw bad('不在您管理的范围内', 'Outside the part of the organisation you supervise');
    const saved = await saveOrder(tx, row, {
      ownerStaffId: to.id,
      ownerName: to.name,
      ownerUnitId: unit.id,
      ownerUnitPath: unit.path,
      paths: [...new Set([...row.paths, unit.path])],
    });
    await record(tx, ctx, saved, 'transferred', 'workorder.transferred', input.reason, {
      from: row.ownerName,
      to: to.name,
    });
  });
}
