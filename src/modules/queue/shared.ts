/**
 * What the queue's commands and views share: loading a hall with its queue configuration, locking rows,
 * the problems callers see, and shaping a ticket for the API (masked, with its place in the line).
 */
import { and, eq, sql } from 'drizzle-orm';
import type { SQL } from 'drizzle-orm';
import { openingIntervalsOn } from '../../core/calendar.ts';
import type { UnitSchedule } from '../../core/calendar.ts';
import { maskIdNumber, maskPhone } from '../../core/masking.ts';
import { HALL_KINDS } from '../../core/org.ts';
import type { UnitKind } from '../../core/org.ts';
import type { ProfileRule, Tier, WaitingTicket, WorkProfile } from '../../core/queue-order.ts';
import { peopleAhead, servesQueue } from '../../core/queue-order.ts';
import type { EstimateWindow, MeasuredService } from '../../core/wait-estimate.ts';
import { ESTIMATE_DEFAULTS, configuredServiceMinutes, waitEstimate } from '../../core/wait-estimate.ts';
import { callAnnouncement, counterEn } from '../../core/ticket-numbers.ts';
import type { SettingKey } from '../../core/settings.ts';
import { authorize, can } from '../../platform/auth/policy.ts';
import type { Ctx } from '../../platform/context.ts';
import { cacheSpec, cached } from '../../platform/cache.ts';
import type { DbOrTx } from '../../platform/db/index.ts';
import { preparedRows, reads, rows, schema } from '../../platform/db/index.ts';
import type { UnitRef } from '../../platform/events.ts';
import {
  Problem,
  conflict,
  fieldProblem,
  forbidden,
  notFound,
  unprocessable,
} from '../../platform/http/problem.ts';
import { getUnitRef } from '../org/service.ts';
import { scheduleOf } from '../calendar/service.ts';
import { settingValues } from '../settings/service.ts';
import type { Ticket } from './contract.ts';
import { queuePolicy } from './policy.ts';
import { queueCounters, queueTickets, queueWorkProfiles } from './schema.ts';
import type { TicketStatus, queueCategories, queueHalls, queueQueues } from './schema.ts';

export type TicketRow = typeof queueTickets.$inferSelect;

export type CounterRow = typeof queueCounters.$inferSelect;
export type CategoryRow = typeof queueCategories.$inferSelect;
export type QueueRow = typeof queueQueues.$inferSelect;
export type ProfileRow = typeof queueWorkProfiles.$inferSelect;
export type HallRef = Awaited<ReturnType<typeof getUnitRef>> & { nameEn: string };

export const TICKET = { zh: '号票', en: 'Ticket' };
export const COUNTER = { zh: '台席', en: 'Counter' };
export const HALL = { zh: '营业厅', en: 'Hall' };

export const OPEN_STATUSES: readonly TicketStatus[] = ['waiting', 'called', 'serving', 'parked'];

const STATUS_NAMES: Record<TicketStatus, { zh: string; en: string }> = {
  waiting: { zh: '等待中', en: 'waiting' },
  called: { zh: '已叫号', en: 'called' },
  serving: { zh: '办理中', en: 'being served' },
  parked: { zh: '暂挂', en: 'parked' },
  done: { zh: '已办结', en: 'finished' },
  no_show: { zh: '过号', en: 'a no-show' },
  cancelled: { zh: '已取消', en: 'cancelled' },
  not_served: { zh: '未服务', en: 'closed as not served' },
};

export function unitRefOf(row: { unitId: string; unitPath: string; provinceId: string }): UnitRef {
  return { id: row.unitId, path: row.unitPath, provinceId: row.provinceId };
}

/* ----------------------------------------------------------------------------------------------- */
/* Problems.                                                                                        */
/* ----------------------------------------------------------------------------------------------- */

export function ticketStateProblem(
  t: { number: string; status: TicketStatus },
  doing: { zh: string; en: string },
) {
  const s = STATUS_NAMES[t.status];
  return conflict(
    'ticket_state',
    `号票${t.number}当前${s.zh}，不能${doing.zh}`,
    `Ticket ${t.number} is ${s.en}: it cannot be ${doing.en}`,
  );
}

export function counterNotOpen(c: CounterRow): Problem {
  return c.state === 'paused'
    ? conflict(
        'counter_paused',
        `${c.name}已暂停服务，请先恢复`,
        `${counterEn(c)} is paused; resume it first`,
      )
    : conflict('counter_not_open', `${c.name}未开启`, `${counterEn(c)} is not open`);
}

export function hallClosedProblem(schedule: UnitSchedule, date: string): Problem {
  const hours = openingIntervalsOn(schedule, date)
    .map((i) => `${i.open}–${i.close}`)
    .join(', ');
  return conflict(
    'hall_closed',
    hours ? `营业厅当前不在营业时间（今日营业 ${hours}）` : '营业厅今日不营业',
    hours ? `The hall is closed now (open today ${hours})` : 'The hall is closed today',
  );
}

/* ----------------------------------------------------------------------------------------------- */
/* Loading a hall.                                                                                  */
/* ----------------------------------------------------------------------------------------------- */

/** The unit a queue call names (404 unknown); whether it is a hall is checked after authorising. */
export async function hallRef(db: DbOrTx, hallId: string): Promise<HallRef> {
  try {
    return await getUnitRef(db, hallId);
  } catch (error) {
    if (error instanceof Problem && error.status === 404) throw notFound(HALL);
    throw error;
  }
}

/** 409 unless the unit is a hall or store (the units that have a queue). */
export function assertHall(hall: HallRef): void {
  if (!HALL_KINDS.includes(hall.kind as UnitKind)) {
    throw conflict('not_a_hall', `${hall.name}不是营业厅`, `${hall.name} is not a business hall`);
  }
}

export interface HallConfig {
  hall: HallRef;
  segmentation: (typeof queueHalls.$inferSelect)['segmentation'];
  notices: (typeof queueHalls.$inferSelect)['notices'];
  categories: CategoryRow[];
  queues: QueueRow[];
}

/** What taking a ticket reads of a hall every time; dropped when a hall's queue or a unit is configured. */
const HALL_CONFIGS = cacheSpec('hall queue configurations', [
  'queue.configured',
  'queue.notices_set',
  'unit.',
]);

/**
 * A hall's queue configuration (409 when it has none); inactive categories and queues are left out. One
 * query, cached (`platform/cache`).
 */
export function hallConfig(db: DbOrTx, hall: HallRef): Promise<HallConfig> {
  assertHall(hall);
  return cached(db, HALL_CONFIGS, hall.id, () => loadHallConfig(db, hall));
}

async function loadHallConfig(db: DbOrTx, hall: HallRef): Promise<HallConfig> {
  const [row] = await rows<{
    segmentation: HallConfig['segmentation'];
    notices: HallConfig['notices'];
    categories: CategoryRow[];
    queues: QueueRow[];
  }>(
    db,
    sql`select h.segmentation, h.notices,
          coalesce((select json_agg(json_build_object('unitId', c.unit_id, 'code', c.code, 'name', c.name,
              'nameEn', c.name_en, 'queueCode', c.queue_code, 'meanServiceMinutes', c.mean_service_minutes,
              'sort', c.sort, 'active', c.active) order by c.sort)
            from queue_categories c where c.unit_id = h.unit_id and c.active), '[]'::json) as categories,
          coalesce((select json_agg(json_build_object('unitId', q.unit_id, 'code', q.code, 'name', q.name,
              'nameEn', q.name_en, 'prefix', q.prefix, 'vip', q.vip, 'sort', q.sort, 'active', q.active) order by q.sort)
            from queue_queues q where q.unit_id = h.unit_id and q.active), '[]'::json) as queues
        from queue_halls h where h.unit_id = ${hall.id}`,
  );
  if (!row) {
    throw conflict(
      'queue_not_configured',
      `${hall.name}尚未配置排队叫号`,
      `${hall.name} has no queue configured`,
    );
  }
  return { hall, ...row };
}

/** A hall's opening hours, exceptions and the calendar: dropped when a unit or the calendar changes. */
const SCHEDULES = cacheSpec('unit schedules', ['unit.', 'calendar.']);

/** The hall's schedule (calendar service); taking a ticket needs it every time, so it is cached. */
export function scheduleFor(db: DbOrTx, unitId: string): Promise<UnitSchedule> {
  return cached(db, SCHEDULES, unitId, () => scheduleOf(db, unitId));
}

export function categoryOf(config: HallConfig, code: string): CategoryRow {
  const category = config.categories.find((c) => c.code === code);
  if (!category) {
    const known = config.categories.map((c) => `${c.code}（${c.name}）`).join('、');
    throw unprocessable(
      'unknown_category',
      `没有这个业务类别：${code}（可选：${known}）`,
      `No such service category: ${code} (known: ${config.categories.map((c) => c.code).join(', ')})`,
      [fieldProblem('body.category', '没有这个业务类别', 'No such service category')],
    );
  }
  return category;
}

export function queueOf(config: HallConfig, code: string, path = 'body.queue'): QueueRow {
  const queue = config.queues.find((q) => q.code === code);
  if (!queue) {
    throw unprocessable('unknown_queue', `没有这个队列：${code}`, `No such queue: ${code}`, [
      fieldProblem(path, '没有这个队列', 'No such queue'),
    ]);
  }
  return queue;
}

/** Numeric settings in force for a unit now. */
export async function numbers<K extends SettingKey>(
  db: DbOrTx,
  unitPath: string,
  keys: readonly K[],
  at: Date,
): Promise<Record<K, number>> {
  const values = await settingValues(db, unitPath, keys, at);
  const out = {} as Record<K, number>;
  for (const k of keys) out[k] = Number(values[k]);
  return out;
}

/* ----------------------------------------------------------------------------------------------- */
/* Counters.                                                                                        */
/* ----------------------------------------------------------------------------------------------- */

/** The work profile a counter calls with: the profile's queue rules, the categories both allow. */
export function workProfileOf(
  counter: CounterRow,
  profile: { rules: ProfileRule[]; categories: string[] },
): WorkProfile {
  const c = counter.categories;
  const p = profile.categories;
  const categories = c.length === 0 ? p : p.length === 0 ? c : c.filter((x) => p.includes(x));
  // Both restrict and nothing is left: the counter serves nothing (a category that never exists).
  if (c.length > 0 && p.length > 0 && categories.length === 0)
    return { rules: profile.rules, categories: ['-'] };
  return { rules: profile.rules, categories };
}

/** Only the clerk at the counter acts at it (or a duty or hall manager of the hall). */
export function assertAtCounter(ctx: Ctx, counter: CounterRow): void {
  if (counter.staffId !== null && counter.staffId === ctx.actor.id) return;
  if (ctx.actor.kind === 'system') return;
  if (can(ctx.actor, queuePolicy, 'queue.supervise', counter.unitPath)) return;
  throw forbidden(
    'not_your_counter',
    `${counter.name}${counter.staffName ? `由${counter.staffName}开启` : '未开启'}，您不能在此台席操作`,
    `${counterEn(counter)} is ${counter.staffName ? `opened by ${counter.staffName}` : 'not open'}: you cannot act at it`,
  );
}

/**
 * Locks the counter a clerk calls at (with its work profile and its hall's time zone and name) and checks
 * that the caller may call there and that the counter is open and free: the common start of calling the
 * next ticket and of calling one by its number.
 */
export async function lockCounterToCall(tx: DbOrTx, ctx: Ctx, counterId: string) {
  const [found] = await tx
    .select({
      counter: queueCounters,
      rules: queueWorkProfiles.rules,
      categories: queueWorkProfiles.categories,
      profileName: queueWorkProfiles.name,
      profileNameEn: queueWorkProfiles.nameEn,
      timeZone: schema.units.timeZone,
      hallName: schema.units.name,
    })
    .from(queueCounters)
    .innerJoin(schema.units, eq(schema.units.id, queueCounters.unitId))
    .leftJoin(queueWorkProfiles, eq(queueWorkProfiles.id, queueCounters.profileId))
    .where(eq(queueCounters.id, counterId))
    .for('update', { of: queueCounters });
  if (!found) throw notFound(COUNTER);
  const counter = found.counter;
  authorize(ctx.actor, queuePolicy, 'queue.serve', counter.unitPath);
  if (counter.state !== 'open') throw counterNotOpen(counter);
  assertAtCounter(ctx, counter);
  if (counter.currentTicketId) {
    throw conflict(
      'counter_busy',
      `${counter.name}仍有号票在办理，请先办结、转移或标记过号`,
      `${counterEn(counter)} still has a ticket; finish, transfer or mark it a no-show first`,
    );
  }
  return found;
}

/** Locks a counter row for the rest of the transaction (404 when unknown). */
export async function lockCounter(db: DbOrTx, counterId: string): Promise<CounterRow> {
  const [row] = await db.select().from(queueCounters).where(eq(queueCounters.id, counterId)).for('update');
  if (!row) throw notFound(COUNTER);
  return row;
}

export async function counterRow(db: DbOrTx, counterId: string): Promise<CounterRow> {
  const [row] = await db.select().from(queueCounters).where(eq(queueCounters.id, counterId));
  if (!row) throw notFound(COUNTER);
  return row;
}

export async function profileRow(db: DbOrTx, profileId: string): Promise<ProfileRow> {
  const [row] = await db.select().from(queueWorkProfiles).where(eq(queueWorkProfiles.id, profileId));
  if (!row) throw notFound({ zh: '工作模式', en: 'Work profile' });
  return row;
}

/* ----------------------------------------------------------------------------------------------- */
/* Tickets.                                                                                         */
/* ----------------------------------------------------------------------------------------------- */

/** Names a ticket is shown with. */
export interface TicketNames {
  hallName: string;
  queueName: string;
  categoryName: string;
  categoryNameEn: string;
}

/** Column references are written out: inside a subquery drizzle's bare column names would bind to it. */
export const namesSelect = {
  hallName: sql<string>`(select u.name from units u where u.id = queue_tickets.unit_id)`,
  queueName: sql<string>`coalesce((select q.name from queue_queues q
    where q.unit_id = queue_tickets.unit_id and q.code = queue_tickets.queue_code), '')`,
  categoryName: sql<string>`coalesce((select c.name from queue_categories c
    where c.unit_id = queue_tickets.unit_id and c.code = queue_tickets.category_code), '')`,
  categoryNameEn: sql<string>`coalesce((select c.name_en from queue_categories c
    where c.unit_id = queue_tickets.unit_id and c.code = queue_tickets.category_code), '')`,
};

/** A ticket with the names it is shown with; locked for update when `lock` (404 when unknown). */
export async function ticketWithNames(
  db: DbOrTx,
  ticketId: string,
  lock = false,
): Promise<{ ticket: TicketRow; names: TicketNames }> {
  const query = db
    .select({ ticket: queueTickets, ...namesSelect })
    .from(queueTickets)
    .where(eq(queueTickets.id, ticketId));
  const [row] = lock ? await query.for('update', { of: queueTickets }) : await query;
  if (!row) throw notFound(TICKET);
  const { ticket, ...names } = row;
  return { ticket, names };
}

export async function namesOf(db: DbOrTx, ticket: TicketRow): Promise<TicketNames> {
  const [row] = await db
    .select(namesSelect)
    .from(queueTickets)
    .where(and(eq(queueTickets.provinceId, ticket.provinceId), eq(queueTickets.id, ticket.id)));
  return (
    row ?? {
      hallName: '',
      queueName: ticket.queueCode,
      categoryName: ticket.categoryCode,
      categoryNameEn: '',
    }
  );
}

export interface Position {
  peopleAhead: number;
  estimatedWaitMinutes: number | null;
}

export function toWaiting(r: {
  id: string;
  queueCode: string;
  categoryCode: string;
  priority: number;
  vip: boolean;
  waitingSince: Date;
  takenAt: Date;
  targetCounterId: string | null;
}): WaitingTicket {
  return {
    id: r.id,
    queue: r.queueCode,
    category: r.categoryCode,
    priority: r.priority,
    vip: r.vip,
    waitingSince: r.waitingSince,
    takenAt: r.takenAt,
    counterId: r.targetCounterId,
  };
}

/** The default window of measured transactions (setting `queue.estimateWindow`). */
export const RECENT_MEASURED = ESTIMATE_DEFAULTS.windowSize;

/** The settings the wait estimate is computed with (`src/core/wait-estimate.ts`). */
export const ESTIMATE_KEYS = [
  'queue.estimateWindow',
  'queue.estimateMinMeasured',
  'queue.defaultServiceMinutes',
  'queue.waitMinutes',
  'queue.vipWaitMinutes',
] as const;

/** The estimate's settings in force for a unit (with the wait limits the order of a line depends on). */
export interface EstimateSettings {
  window: EstimateWindow;
  defaultServiceMinutes: number;
  waitMinutes: number;
  vipWaitMinutes: number;
}

export async function estimateSettings(db: DbOrTx, unitPath: string, at: Date): Promise<EstimateSettings> {
  const v = await numbers(db, unitPath, ESTIMATE_KEYS, at);
  return {
    window: { windowSize: v['queue.estimateWindow'], minMeasured: v['queue.estimateMinMeasured'] },
    defaultServiceMinutes: v['queue.defaultServiceMinutes'],
    waitMinutes: v['queue.waitMinutes'],
    vipWaitMinutes: v['queue.vipWaitMinutes'],
  };
}

/**
 * A queue's latest `windowSize` measured transactions today (minutes, ended when), the window the
 * estimate's service time is the mean of. Read backwards along queue_transactions_recent_idx, it stops
 * after the window, so its cost does not grow with the day.
 */
const recentTransactions = (unitId: string, date: string, queueCode: SQL, windowSize: number) =>
  sql`select transaction_seconds, ended_at from queue_transactions
      where unit_id = ${unitId} and local_date = ${date} and queue_code = ${queueCode}
        and transaction_seconds is not null
      order by ended_at desc, id desc limit ${windowSize}`;

/** The measured window of every queue of a hall (see {@link recentTransactions}). */
export async function measuredWindows(
  db: DbOrTx,
  unitId: string,
  date: string,
  windowSize: number,
): Promise<Map<string, MeasuredService[]>> {
  const result = await rows<{ queue_code: string; s: number; e: string | Date }>(
    db,
    sql`select q.code as queue_code, x.transaction_seconds as s, x.ended_at as e
        from queue_queues q, lateral (${recentTransactions(unitId, date, sql`q.code`, windowSize)}) x
        where q.unit_id = ${unitId}`,
  );
  const out = new Map<string, MeasuredService[]>();
  for (const r of result) {
    const list = out.get(r.queue_code) ?? [];
    list.push({ endedAt: new Date(r.e), minutes: Number(r.s) / 60 });
    out.set(r.queue_code, list);
  }
  return out;
}

/** Mean transaction minutes per queue over the default window, with how many were measured. */
export async function measuredMeans(
  db: DbOrTx,
  unitId: string,
  date: string,
  windowSize: number = ESTIMATE_DEFAULTS.windowSize,
): Promise<Map<string, { minutes: number; count: number }>> {
  const windows = await measuredWindows(db, unitId, date, windowSize);
  return new Map(
    [...windows].map(([q, list]) => [
      q,
      { minutes: list.reduce((a, m) => a + m.minutes, 0) / list.length, count: list.length },
    ]),
  );
}

/**
 * How many open counters call from a ticket's line: for a ticket sent to one counter, 1 while that
 * counter is open; else the open counters whose work profile names the queue (the same figure for every
 * category of the queue, so every page shows one estimate per queue).
 */
export function countersFor(
  open: readonly { counter: Pick<CounterRow, 'id'>; profile: WorkProfile }[],
  t: { queueCode: string; targetCounterId: string | null },
): number {
  if (t.targetCounterId !== null) return open.some((o) => o.counter.id === t.targetCounterId) ? 1 : 0;
  return open.filter((o) => servesQueue(o.profile, t.queueCode)).length;
}

/** What places a ticket in its line. */
export type LineTicket = Pick<
  TicketRow,
  | 'id'
  | 'unitId'
  | 'unitPath'
  | 'localDate'
  | 'queueCode'
  | 'categoryCode'
  | 'priority'
  | 'vip'
  | 'waitingSince'
  | 'takenAt'
  | 'targetCounterId'
>;

/** The place of a waiting ticket in its line and its expected wait (one query, the rules from src/core). */
export async function positionOf(db: DbOrTx, t: LineTicket, now: Date): Promise<Position> {
  const est = await estimateSettings(db, t.unitPath, now);
  const line =
    t.targetCounterId !== null
      ? sql`w.target_counter_id = ${t.targetCounterId}`
      : sql`w.queue_code = ${t.queueCode} and w.target_counter_id is null`;
  const [row] = await preparedRows<{
    waiting: {
      id: string;
      q: string;
      c: string;
      p: number;
      v: boolean;
      ws: number;
      ta: number;
      k: string | null;
    }[];
    counters: { id: string; categories: string[]; rules: ProfileRule[]; pcats: string[] }[];
    measured: { s: number; e: string }[];
    category_means: number[] | null;
  }>(
    db,
    sql`select
        coalesce((select json_agg(json_build_object('id', w.id, 'q', w.queue_code, 'c', w.category_code,
            'p', w.priority, 'v', w.vip, 'ws', extract(epoch from w.waiting_since) * 1000,
            'ta', extract(epoch from w.taken_at) * 1000, 'k', w.target_counter_id))
          from queue_tickets w where w.unit_id = ${t.unitId} and w.local_date = ${t.localDate}
            and w.status = 'waiting' and ${line}), '[]'::json) as waiting,
        coalesce((select json_agg(json_build_object('id', c.id, 'categories', c.categories, 'rules', p.rules,
            'pcats', p.categories))
          from queue_counters c join queue_work_profiles p on p.id = c.profile_id
          where c.unit_id = ${t.unitId} and c.state = 'open'), '[]'::json) as counters,
        coalesce((select json_agg(json_build_object('s', x.transaction_seconds, 'e', x.ended_at))
          from (${recentTransactions(t.unitId, t.localDate, sql`${t.queueCode}`, est.window.windowSize)}) x),
          '[]'::json) as measured,
        (select array_agg(mean_service_minutes) from queue_categories
          where unit_id = ${t.unitId} and queue_code = ${t.queueCode} and active) as category_means`,
  );
  const waiting: WaitingTicket[] = (row?.waiting ?? []).map((w) => ({
    id: w.id,
    queue: w.q,
    category: w.c,
    priority: w.p,
    vip: w.v === true,
    waitingSince: new Date(Number(w.ws)),
    takenAt: new Date(Number(w.ta)),
    counterId: w.k,
  }));
  const open = (row?.counters ?? []).map((c) => ({
    counter: { id: c.id },
    profile: workProfileOf({ categories: c.categories } as CounterRow, {
      rules: c.rules,
      categories: c.pcats,
    }),
  }));
  const ahead = peopleAhead(waiting, toWaiting(t), {
    now,
    limits: { waitMinutes: est.waitMinutes, vipWaitMinutes: est.vipWaitMinutes },
  });
  const estimate = waitEstimate({
    now,
    ahead,
    openCounters: countersFor(open, t),
    recent: (row?.measured ?? []).map((m) => ({ endedAt: new Date(m.e), minutes: Number(m.s) / 60 })),
    fallbackMinutes: configuredServiceMinutes(
      (row?.category_means ?? []).map(Number),
      est.defaultServiceMinutes,
    ),
    window: est.window,
  });
  return { peopleAhead: ahead, estimatedWaitMinutes: estimate.minutes };
}

const iso = (d: Date | null) => (d ? d.toISOString() : null);

/** A ticket as the API shows it: phone and pre-registered ID number masked. */
export function toTicket(
  t: TicketRow,
  names: TicketNames,
  extra: {
    counter?: { id: string; number: number; name: string } | null;
    position?: Position | null;
    nearFrontPeople?: number;
  } = {},
): Ticket {
  const counter = extra.counter ?? null;
  const position = t.status === 'waiting' ? (extra.position ?? null) : null;
  const pre = t.preRegistration;
  return {
    id: t.id,
    hallId: t.unitId,
    hallName: names.hallName,
    date: t.localDate,
    number: t.number,
    queue: t.queueCode,
    queueName: names.queueName,
    category: t.categoryCode,
    categoryName: names.categoryName,
    categoryNameEn: names.categoryNameEn,
    priority: t.priority,
    vip: t.vip,
    channel: t.channel,
    status: t.status,
    customer: t.customerId
      ? { tier: (t.clubTier as Tier | null) ?? null, is3g: t.is3g, displayName: t.customerLabel }
      : null,
    phone: t.phone ? maskPhone(t.phone) : '',
    appointmentId: t.appointmentId,
    takenAt: t.takenAt.toISOString(),
    waitingSince: t.waitingSince.toISOString(),
    calledAt: iso(t.calledAt),
    counter:
      counter && t.counterId === counter.id
        ? { id: counter.id, number: counter.number, name: counter.name }
        : null,
    targetCounterId: t.targetCounterId,
    staffName: t.staffName,
    recalls: t.recalls,
    startedAt: iso(t.startedAt),
    businessDoneAt: iso(t.businessDoneAt),
    finishedAt: iso(t.finishedAt),
    outcome: t.outcome,
    business: t.business,
    transfers: t.transfers,
    waitMinutes: t.waitSeconds === null ? null : Math.round((t.waitSeconds / 60) * 10) / 10,
    waitLimitMinutes: t.waitLimitMinutes,
    preRegistration: pre
      ? { ...pre, idDocNumber: pre.idDocNumber ? maskIdNumber(pre.idDocNumber) : '' }
      : null,
    peopleAhead: position?.peopleAhead ?? null,
    estimatedWaitMinutes: position?.estimatedWaitMinutes ?? null,
    nearFront:
      position !== null &&
      extra.nearFrontPeople !== undefined &&
      position.peopleAhead <= extra.nearFrontPeople,
    announcement:
      t.status === 'called' && counter && t.counterId === counter.id
        ? callAnnouncement(t.number, counter.number)
        : null,
  };
}

/** The ticket with its counter and, while waiting, its place in the line. */
export async function ticketView(db: DbOrTx, t: TicketRow, names: TicketNames, at: Date): Promise<Ticket> {
  const [counter, position, settings] = await reads(
    db,
    () => (t.counterId ? counterRow(db, t.counterId) : Promise.resolve(null)),
    () => (t.status === 'waiting' ? positionOf(db, t, at) : Promise.resolve(null)),
    () => numbers(db, t.unitPath, ['queue.nearFrontPeople'], at),
  );
  return toTicket(t, names, { counter, position, nearFrontPeople: settings['queue.nearFrontPeople'] });
}
