/**
 * What every work-order command and query shares: finding an order in the caller's reach (and locking it for
 * a command, with its version), the order's clocks from the pure SLA core on the owning unit's compiled
 * schedule, keeping its derived due times and its rows in the due-time table in step with those clocks,
 * the timeline, and the views the API answers.
 *
 * Scope (DESIGN "Scope"): an order is seen by the units above any unit it has been with (`paths`: the
 * owner's, the concerned unit, every hop's), never by a sibling's. A command needs the position at the
 * unit that holds the work now or at the owner's unit (the owner follows every step).
 */
import { randomInt } from 'node:crypto';
import { and, eq, inArray, isNull, sql } from 'drizzle-orm';
import type { CompiledSchedule } from '../../core/calendar.ts';
import { compiledScheduleOf } from '../../core/calendar.ts';
import { maskPhone } from '../../core/masking.ts';
import type { EscalationLevel, EscalationStep, Pause, SlaClockState, SlaTarget } from '../../core/sla.ts';
import { dueAt, nextEscalation, slaClock } from '../../core/sla.ts';
import type { Actor } from '../../platform/auth/policy.ts';
import { can, holds, inSubtree, reachOf } from '../../platform/auth/policy.ts';
import type { Ctx } from '../../platform/context.ts';
import type { DbOrTx, Tx } from '../../platform/db/index.ts';
import { schema } from '../../platform/db/index.ts';
import { conflict, forbidden, notFound } from '../../platform/http/problem.ts';
import { newId } from '../../platform/ids.ts';
import { keyedHash } from '../../platform/keyed-hash.ts';
import type { EventNotice } from '../../platform/events.ts';
import type { Words } from '../../platform/words.ts';
import { getUnitRef } from '../org/service.ts';
import { scheduleFor } from '../queue/shared.ts';
import { categoryRows } from './categories.ts';
import type { SlaClockView, WorkOrder } from './contract.ts';
import { workOrdersPolicy } from './policy.ts';
import type { StoredTarget, WorkOrderRow } from './schema.ts';
import { workOrderPauses, workOrders, workOrderSteps, workOrderTimers } from './schema.ts';

export const ORDER: Words = { zh: '工单', en: 'Work order' };
type Action = keyof typeof workOrdersPolicy;

/** The timeline's steps, in words. */
export const STEP_WORDS: Record<string, Words> = {
  created: { zh: '受理', en: 'Taken in' },
  claimed: { zh: '认领', en: 'Claimed' },
  assigned: { zh: '分派', en: 'Assigned' },
  dispatched: { zh: '派单', en: 'Dispatched' },
  hop_answered: { zh: '回单', en: 'Answered back' },
  answered: { zh: '处理完毕', en: 'Handled' },
  paused: { zh: '挂起', en: 'Paused' },
  resumed: { zh: '恢复处理', en: 'Resumed' },
  information: { zh: '客户补充信息', en: 'Customer added information' },
  replied: { zh: '答复客户', en: 'Replied to the customer' },
  closed: { zh: '结案', en: 'Closed' },
  reopened: { zh: '重新处理', en: 'Reopened' },
  transferred: { zh: '转移首问责任', en: 'Ownership transferred' },
  escalated: { zh: '时限升级', en: 'Escalated' },
  hop_overdue: { zh: '派单环节超时', en: 'Hop overdue' },
  rated: { zh: '客户评价', en: 'Customer rated' },
  linked: { zh: '关联工单', en: 'Linked' },
  merged: { zh: '合并重复工单', en: 'Merged as a duplicate' },
  attached: { zh: '添加附件', en: 'Attachment added' },
  noted: { zh: '处理备注', en: 'Note' },
  response_overdue: { zh: '首次响应超时', en: 'First response overdue' },
};

/* ---------------------------------------------------------------------------------------------- */
/* Finding an order.                                                                              */
/* ---------------------------------------------------------------------------------------------- */

/** Whether an order lies in the caller's reach for `action`: any unit it has been with is in the subtree. */
export function inReach(actor: Actor, action: Action, row: Pick<WorkOrderRow, 'paths'>): boolean {
  const reach = reachOf(actor, workOrdersPolicy, action);
  return row.paths.some((p) => inSubtree(reach, p));
}

/** SQL: the order has been with a unit in the subtree at `reach`. */
export function reachSql(reach: string) {
  return sql`EXISTS (SELECT 1 FROM unnest(${workOrders.paths}) AS p WHERE starts_with(p, ${reach}))`;
}

/** The units each recent work-order event's order has been with, looked up once per event for every stream. */
const noticePaths = new Map<string, Promise<string[]>>();
const NOTICE_PATHS_KEPT = 500;

/**
 * A work-order event for a stream whose reach is `reach`: passed when the event's unit lies in it, or when
 * the order has been with a unit in it (the owner's hall hears of the centre's work on its complaint).
 */
export async function orderNoticeFor(db: DbOrTx, reach: string, n: EventNotice): Promise<EventNotice | null> {
  if (n.subjectType !== 'work_order') return null;
  if (inSubtree(reach, n.unitPath)) return n;
  let paths = noticePaths.get(n.id);
  if (!paths) {
    paths = db
      .select({ paths: workOrders.paths })
      .from(workOrders)
      .where(eq(workOrders.id, n.subjectId))
      .then(([r]) => r?.paths ?? []);
    noticePaths.set(n.id, paths);
    if (noticePaths.size > NOTICE_PATHS_KEPT) noticePaths.delete(noticePaths.keys().next().value!);
  }
  return (await paths).some((p) => inSubtree(reach, p)) ? n : null;
}

async function rowOf(db: DbOrTx, id: string, lock: boolean): Promise<WorkOrderRow | undefined> {
  const q = db.select().from(workOrders).where(eq(workOrders.id, id));
  const [row] = lock ? await q.for('update') : await q;
  return row;
}

/** The order, for reading (locked when asked): 404 when unknown or outside the caller's reach (the same answer). */
export async function readableOrder(ctx: Ctx, db: DbOrTx, id: string, lock = false): Promise<WorkOrderRow> {
  const row = await rowOf(db, id, lock);
  if (
    !row ||
    !holds(ctx.actor, workOrdersPolicy, 'workorder.read') ||
    !inReach(ctx.actor, 'workorder.read', row)
  )
    throw notFound(ORDER);
  return row;
}

/** 403 unless the caller holds `action` at the unit that holds the work now or at the owner's unit. */
export function assertMay(ctx: Ctx, row: WorkOrderRow, action: Action): void {
  if (!holds(ctx.actor, workOrdersPolicy, action))
    throw forbidden('position', '您的岗位无权执行此操作', 'Your position does not allow this action');
  if (![row.handlingUnitPath, row.ownerUnitPath].some((p) => can(ctx.actor, workOrdersPolicy, action, p)))
    throw forbidden(
      'scope',
      '工单不在您单位办理，也不是您单位受理的',
      'The order is neither with your unit nor taken in by it',
    );
}

/**
 * The order, locked for a command: 404 when the caller cannot see it, 403 when they see it but do not hold
 * `action` at the unit that holds the work now or at the owner's unit, 409 when `version` is given and stale.
 */
export async function lockedOrder(
  tx: Tx,
  ctx: Ctx,
  id: string,
  action: Action,
  version?: number,
): Promise<WorkOrderRow> {
  const row = await rowOf(tx, id, true);
  if (!row || !inReach(ctx.actor, 'workorder.read', row)) throw notFound(ORDER);
  assertMay(ctx, row, action);
  if (version !== undefined && version !== row.version)
    throw conflict(
      'stale_version',
      '工单已被他人更新，请刷新后重试',
      'The order changed meanwhile: reload and try again',
    );
  return row;
}

/** The caller belongs to the unit that holds the work (its group queue) or below it. */
export const inHandlingUnit = (ctx: Ctx, row: WorkOrderRow) =>
  ctx.actor.unitPath.startsWith(row.handlingUnitPath);

/** The owner (首问负责人) of the order is the caller. */
export const isOwner = (ctx: Ctx, row: WorkOrderRow) =>
  ctx.actor.kind === 'staff' && ctx.actor.id === row.ownerStaffId;

/* ---------------------------------------------------------------------------------------------- */
/* Clocks.                                                                                        */
/* ---------------------------------------------------------------------------------------------- */

/** The owning unit's schedule, compiled once and kept while the cached schedule lives. */
export async function compiledFor(db: DbOrTx, unitId: string): Promise<CompiledSchedule> {
  return compiledScheduleOf(await scheduleFor(db, unitId));
}

export function targetOf(t: StoredTarget): SlaTarget {
  return t.clock === 'deadline' ? { clock: 'deadline', at: new Date(t.at) } : t;
}

export function storedTarget(t: SlaTarget): StoredTarget {
  return t.clock === 'deadline' ? { clock: 'deadline', at: t.at.toISOString() } : t;
}

/** The limit in words: "2 个工作日 / 2 working days", "48 小时 / 48 hours", "截止 … / by …". */
export function targetWords(t: StoredTarget): Words {
  if (t.clock === 'deadline') return { zh: `截止 ${t.at}`, en: `by ${t.at}` };
  const m = t.minutes;
  if (t.clock === 'workdays' && m % 1440 === 0)
    return { zh: `${m / 1440} 个工作日`, en: `${m / 1440} working days` };
  if (t.clock === 'business') return { zh: `${m} 分钟（营业时间）`, en: `${m} business minutes` };
  if (m % 1440 === 0 && m > 3 * 1440) return { zh: `${m / 1440} 天`, en: `${m / 1440} days` };
  if (m % 60 === 0) return { zh: `${m / 60} 小时`, en: `${m / 60} hours` };
  return { zh: `${m} 分钟`, en: `${m} minutes` };
}

/**
 * The pauses that stop the order's clocks: those in states its policy pauses in, and the time a reopened
 * order sat answered (state 'answered': recorded when it is reopened).
 */
export function stoppingPauses(
  row: Pick<WorkOrderRow, 'pauseStates'>,
  pauses: readonly { state: string; from: Date; to: Date | null }[],
): Pause[] {
  return pauses
    .filter((p) => p.state === 'answered' || row.pauseStates.includes(p.state))
    .map((p) => ({ from: p.from, to: p.to }));
}

/** The share of the limit from which a clock shows amber: the ladder's first share step below 1. */
export function warnShareOf(ladder: readonly EscalationStep[]): number {
  for (const s of ladder) if ('at' in s && s.at < 1) return s.at;
  return 0.8;
}

interface OrderClock {
  state: SlaClockState;
  metAt: Date | null;
  target: StoredTarget;
  /** When the clock turns amber (the warning share of its limit reached); null once met or while paused. */
  amberAt: Date | null;
}

export interface OrderClocks {
  response: OrderClock | null;
  resolution: OrderClock;
  answer: OrderClock | null;
}

/** The instant a target reaches `share` of its limit, counted like its due time (null while paused). */
function shareReachedAt(
  target: SlaTarget,
  start: Date,
  pauses: Pause[],
  compiled: CompiledSchedule,
  share: number,
): Date | null {
  if (target.clock === 'deadline') {
    return new Date(start.getTime() + share * (target.at.getTime() - start.getTime()));
  }
  const minutes = Math.max(1, Math.round(target.minutes * share));
  return dueAt({ ...target, minutes }, start, pauses, compiled);
}

/** The three clocks of an order at `now`; a clock whose step is done is read at the time it was done. */
export function clocksOf(
  row: WorkOrderRow,
  pauses: Pause[],
  compiled: CompiledSchedule,
  now: Date,
): OrderClocks {
  const warn = warnShareOf(row.escalation);
  const one = (target: StoredTarget, ladder: readonly EscalationStep[], metAt: Date | null): OrderClock => {
    const state = slaClock(targetOf(target), ladder, row.createdAt, pauses, compiled, metAt ?? now);
    const amberAt =
      metAt || state.paused ? null : shareReachedAt(targetOf(target), row.createdAt, pauses, compiled, warn);
    return { state, metAt, target, amberAt };
  };
  const resolvedAt = row.answeredAt ?? row.repliedAt;
  return {
    response: row.targets.firstResponse ? one(row.targets.firstResponse, [], row.firstResponseAt) : null,
    resolution: one(row.targets.resolution, row.escalation, resolvedAt),
    answer: row.targets.answer ? one(row.targets.answer, [], row.repliedAt) : null,
  };
}

function clockView(c: OrderClock, warnShare: number): SlaClockView {
  const s = c.state;
  const words = targetWords(c.target);
  return {
    target: words,
    dueAt: s.dueAt?.toISOString() ?? null,
    projectedDueAt: s.projectedDueAt.toISOString(),
    elapsedMinutes: Math.round(s.elapsedMinutes),
    remainingMinutes: Math.round(s.remainingMinutes),
    pausedMinutes: Math.round(s.pausedMinutes),
    share: Math.round(s.share * 1000) / 1000,
    paused: s.paused,
    breached: s.breached,
    metAt: c.metAt?.toISOString() ?? null,
    amberAt: c.amberAt?.toISOString() ?? null,
    colour: s.breached ? 'red' : s.share >= warnShare ? 'amber' : 'green',
  };
}

/** The pauses of orders, by order id. */
export async function pausesOf(db: DbOrTx, ids: string[]) {
  const map = new Map<string, { state: string; from: Date; to: Date | null }[]>();
  if (ids.length === 0) return map;
  const rows = await db.select().from(workOrderPauses).where(inArray(workOrderPauses.orderId, ids));
  for (const r of rows) {
    const list = map.get(r.orderId) ?? [];
    list.push({ state: r.state, from: r.from, to: r.to });
    map.set(r.orderId, list);
  }
  return map;
}

/**
 * After a command moved the order's clocks (taken, paused, resumed, handled, replied, reopened): its derived
 * due times, and its unfired rows in the due-time table — the first response while none was given, the next
 * escalation step while the order is not handled. A paused clock has no due time and no row. Answers the
 * due times and the escalation level in force.
 */
export async function syncClocks(
  tx: Tx,
  row: WorkOrderRow,
  now: Date,
): Promise<{ responseDueAt: Date | null; resolutionDueAt: Date | null; level: EscalationLevel | null }> {
  const pauses = stoppingPauses(row, (await pausesOf(tx, [row.id])).get(row.id) ?? []);
  const compiled = await compiledFor(tx, row.calendarUnitId);
  const clocks = clocksOf(row, pauses, compiled, now);
  const responseDueAt = clocks.response?.state.dueAt ?? null;
  const resolutionDueAt = clocks.resolution.state.dueAt;
  await tx
    .update(workOrders)
    .set({ responseDueAt, resolutionDueAt })
    .where(and(eq(workOrders.provinceId, row.provinceId), eq(workOrders.id, row.id)));
  // The order's own clocks only: a hop's row ('hop:<id>') follows its hop, not these clocks.
  await tx
    .delete(workOrderTimers)
    .where(
      and(
        eq(workOrderTimers.orderId, row.id),
        isNull(workOrderTimers.firedAt),
        sql`(${workOrderTimers.what} = 'response' OR starts_with(${workOrderTimers.what}, 'escalation:'))`,
      ),
    );
  const timers: { what: string; dueAt: Date }[] = [];
  const open = row.state !== 'closed';
  if (open && row.firstResponseAt === null && responseDueAt)
    timers.push({ what: 'response', dueAt: responseDueAt });
  if (open && row.answeredAt === null && row.repliedAt === null) {
    const next = nextEscalation(
      row.escalation,
      targetOf(row.targets.resolution),
      row.createdAt,
      pauses,
      compiled,
      now,
    );
    if (next?.at) timers.push({ what: `escalation:${next.level}`, dueAt: next.at });
  }
  if (timers.length > 0)
    await tx
      .insert(workOrderTimers)
      .values(timers.map((t) => ({ id: newId(), provinceId: row.provinceId, orderId: row.id, ...t })))
      .onConflictDoNothing();
  return { responseDueAt, resolutionDueAt, level: clocks.resolution.state.level?.level ?? null };
}

/* ---------------------------------------------------------------------------------------------- */
/* Timeline.                                                                                      */
/* ---------------------------------------------------------------------------------------------- */

/** Adds a step to the order's timeline (in the command's transaction). */
export async function addStep(
  tx: DbOrTx,
  ctx: Ctx,
  orderId: string,
  step: keyof typeof STEP_WORDS,
  text = '',
  details: Record<string, unknown> = {},
  unitId: string | null = ctx.actor.kind === 'staff' ? ctx.actor.unitId : null,
): Promise<void> {
  await tx.insert(workOrderSteps).values({
    id: newId(),
    orderId,
    at: ctx.clock.now(),
    step,
    actorName: ctx.actor.name,
    unitId,
    text,
    details,
  });
}

/* ---------------------------------------------------------------------------------------------- */
/* Views.                                                                                         */
/* ---------------------------------------------------------------------------------------------- */

/** Unit names by id, from the cached unit refs. */
export async function namesOf(db: DbOrTx, ids: string[]): Promise<Map<string, string>> {
  const unique = [...new Set(ids)];
  return new Map(await Promise.all(unique.map(async (id) => [id, (await getUnitRef(db, id)).name] as const)));
}

/** The API's view of orders at `now` (batched: one query per related table, not per order). */
export async function orderViews(
  db: DbOrTx,
  rows: WorkOrderRow[],
  now: Date,
  policyWords: (id: string) => Words,
): Promise<WorkOrder[]> {
  if (rows.length === 0) return [];
  const [units, categories, customers, pauses] = [
    await namesOf(
      db,
      rows.flatMap((r) => [r.concernsUnitId, r.ownerUnitId, r.handlingUnitId]),
    ),
    (await Promise.all([...new Set(rows.map((r) => r.provinceId))].map((p) => categoryRows(db, p)))).flat(),
    await customerRefs(db, rows),
    await pausesOf(
      db,
      rows.map((r) => r.id),
    ),
  ];
  const cats = new Map(categories.map((c) => [c.id, c]));
  const compiled = new Map<string, CompiledSchedule>();
  for (const id of new Set(rows.map((r) => r.calendarUnitId))) compiled.set(id, await compiledFor(db, id));
  return rows.map((r) => {
    const stopping = stoppingPauses(r, pauses.get(r.id) ?? []);
    const clocks = clocksOf(r, stopping, compiled.get(r.calendarUnitId)!, now);
    const warn = warnShareOf(r.escalation);
    const cat = cats.get(r.categoryId);
    const customer = r.customerId ? customers.get(r.customerId) : undefined;
    const words = policyWords(r.policyId);
    return {
      id: r.id,
      number: r.number,
      kind: r.kind,
      channel: r.channel,
      state: r.state,
      priority: r.priority,
      customer: customer ? { id: customer.id, name: customer.name, tier: customer.clubTier } : null,
      contactPhone: maskPhone(r.contactPhone),
      subscriptionId: r.subscriptionId,
      category: { id: r.categoryId, code: cat?.code ?? '', zh: cat?.zh ?? '', en: cat?.en ?? '' },
      concernsUnit: { id: r.concernsUnitId, name: units.get(r.concernsUnitId) ?? '' },
      title: r.title,
      description: r.description,
      attributes: r.attributes,
      escalatedFrom: r.escalatedFrom,
      regulatorRef: r.regulatorRef,
      deadline: r.deadline?.toISOString() ?? null,
      owner: {
        staffId: r.ownerStaffId,
        name: r.ownerName,
        unit: { id: r.ownerUnitId, name: units.get(r.ownerUnitId) ?? '' },
      },
      handlingUnit: { id: r.handlingUnitId, name: units.get(r.handlingUnitId) ?? '' },
      assignee: r.assigneeStaffId ? { staffId: r.assigneeStaffId, name: r.assigneeName ?? '' } : null,
      policy: { id: r.policyId, ...words },
      responseDueAt: clocks.response?.state.dueAt?.toISOString() ?? null,
      resolutionDueAt: clocks.resolution.state.dueAt?.toISOString() ?? null,
      pausedMinutes: Math.round(clocks.resolution.state.pausedMinutes),
      escalationLevel: r.escalationLevel,
      clocks: {
        response: clocks.response ? clockView(clocks.response, warn) : null,
        resolution: clockView(clocks.resolution, warn),
        answer: clocks.answer ? clockView(clocks.answer, warn) : null,
      },
      createdAt: r.createdAt.toISOString(),
      firstResponseAt: r.firstResponseAt?.toISOString() ?? null,
      answeredAt: r.answeredAt?.toISOString() ?? null,
      repliedAt: r.repliedAt?.toISOString() ?? null,
      closedAt: r.closedAt?.toISOString() ?? null,
      reopenCount: r.reopenCount,
      reply: r.replyText,
      satisfaction: r.satisfaction,
      parentId: r.parentId,
      mergedIntoId: r.mergedIntoId,
      version: r.version,
    };
  });
}

async function customerRefs(db: DbOrTx, rows: WorkOrderRow[]) {
  const ids = [...new Set(rows.flatMap((r) => (r.customerId ? [r.customerId] : [])))];
  if (ids.length === 0) return new Map<string, { id: string; name: string; clubTier: string }>();
  const found = await db
    .select({ id: schema.customers.id, name: schema.customers.name, clubTier: schema.customers.clubTier })
    .from(schema.customers)
    .where(inArray(schema.customers.id, ids));
  return new Map(found.map((c) => [c.id, c]));
}

/** The survey code of a reply: 8 characters without the look-alikes (0/O, 1/I/L), for an SMS. */
const SURVEY_ALPHABET = '23456789ABCDEFGHJKMNPQRSTUVWXYZ';
export function newSurveyCode(): string {
  return Array.from({ length: 8 }, () => SURVEY_ALPHABET[randomInt(SURVEY_ALPHABET.length)]).join('');
}
export const surveyHashOf = (orderId: string, code: string) =>
  keyedHash('workorder.survey', `${orderId}\u0000${code}`);
