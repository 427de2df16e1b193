/**
 * Live views of a hall's queue — the duty manager's floor view with its alerts and staffing advice, the
 * calling display, the kiosk — and the queue statistics of halls, days, categories, counters and clerks.
 */
import { and, count, desc, eq, inArray, isNotNull, sql } from 'drizzle-orm';
import type { SQL } from 'drizzle-orm';
import { localDateOf } from '../../core/calendar.ts';
import { queueDay } from '../../core/queue-day.ts';
import type { Tier } from '../../core/queue-order.ts';
import type { MeasuredService } from '../../core/wait-estimate.ts';
import { configuredServiceMinutes, waitEstimate } from '../../core/wait-estimate.ts';
import type { TicketEnd } from '../../core/queue-stats.ts';
import { durationSummary, ratingSummaryOf } from '../../core/queue-stats.ts';
import { callAnnouncement } from '../../core/ticket-numbers.ts';
import type { AlertGroup, HallAdvice } from '../../core/floor-alerts.ts';
import { groupAlerts, hallAdvice } from '../../core/floor-alerts.ts';
import type { Alert, QueueLimits, QueueLoad } from '../../core/wait-limits.ts';
import { countersAdvice, evaluateLimits } from '../../core/wait-limits.ts';
import { authorize } from '../../platform/auth/policy.ts';
import type { Ctx } from '../../platform/context.ts';
import type { DbOrTx } from '../../platform/db/index.ts';
import { rows, schema } from '../../platform/db/index.ts';
import { getUnitRef } from '../org/service.ts';
import type {
  AlertRow,
  CounterAdvice,
  DisplayState,
  KioskState,
  QueueAlert,
  QueueState,
  Stats,
  StatsQuery,
  StatsRow,
} from './contract.ts';
import { queuePolicy } from './policy.ts';
import { queueCounters, queueTickets, queueWorkProfiles } from './schema.ts';
import type { CounterRow, HallConfig, HallRef, TicketRow } from './shared.ts';
import type { EstimateSettings } from './shared.ts';
import {
  OPEN_STATUSES,
  countersFor,
  estimateSettings,
  hallConfig,
  hallRef,
  measuredWindows,
  numbers,
  scheduleFor,
  workProfileOf,
} from './shared.ts';

const MINUTE = 60_000;
const minutes = (ms: number) => Math.round((ms / MINUTE) * 10) / 10;

const LIMIT_KEYS = [
  'queue.waitMinutes',
  'queue.vipWaitMinutes',
  'queue.transactionMinutes',
  'queue.warnShare',
  'queue.arrivalWindowMinutes',
  'queue.staffingTargetShare',
] as const;

/** Everything the live views are computed from, read once. */
export interface HallSnapshot {
  config: HallConfig;
  now: Date;
  date: string;
  open: boolean;
  closesAt: Date | null;
  limits: QueueLimits;
  targetShare: number;
  windowMinutes: number;
  tickets: TicketRow[];
  counters: CounterRow[];
  profiles: Map<string, { rules: (typeof queueWorkProfiles.$inferSelect)['rules']; categories: string[] }>;
  arrivals: Map<string, number>;
  /** Each queue's window of measured transactions (the estimate's service time). */
  measured: Map<string, MeasuredService[]>;
  estimate: EstimateSettings;
}

/** Reads what the floor view, alerts and kiosk need of a hall at `now`. */
export async function hallSnapshot(db: DbOrTx, hall: HallRef, now: Date): Promise<HallSnapshot> {
  const [config, schedule, settings, estimate] = await Promise.all([
    hallConfig(db, hall),
    scheduleFor(db, hall.id),
    numbers(db, hall.path, LIMIT_KEYS, now),
    estimateSettings(db, hall.path, now),
  ]);
  const day = queueDay(schedule, now);
  const windowMinutes = settings['queue.arrivalWindowMinutes'];
  const since = new Date(now.getTime() - windowMinutes * MINUTE);
  const [tickets, counters, profiles, arrivals, measured] = await Promise.all([
    db
      .select()
      .from(queueTickets)
      .where(
        and(
          eq(queueTickets.unitId, hall.id),
          eq(queueTickets.localDate, day.date),
          inArray(queueTickets.status, [...OPEN_STATUSES]),
        ),
      ),
    db
      .select()
      .from(queueCounters)
      .where(and(eq(queueCounters.unitId, hall.id), eq(queueCounters.active, true)))
      .orderBy(queueCounters.number),
    db.select().from(queueWorkProfiles).where(eq(queueWorkProfiles.unitId, hall.id)),
    rows<{ queue_code: string; n: number }>(
      db,
      sql`select queue_code, count(*)::int as n from queue_tickets
          where unit_id = ${hall.id} and local_date = ${day.date}
            and taken_at > ${since.toISOString()}::timestamptz and taken_at <= ${now.toISOString()}::timestamptz
          group by queue_code`,
    ),
    measuredWindows(db, hall.id, day.date, estimate.window.windowSize),
  ]);
  return {
    config,
    now,
    date: day.date,
    open: day.open,
    closesAt: day.closesAt,
    limits: {
      waitMinutes: settings['queue.waitMinutes'],
      vipWaitMinutes: settings['queue.vipWaitMinutes'],
      transactionMinutes: settings['queue.transactionMinutes'],
      warnShare: settings['queue.warnShare'],
    },
    targetShare: settings['queue.staffingTargetShare'],
    windowMinutes,
    tickets,
    counters,
    profiles: new Map(profiles.map((p) => [p.id, { rules: p.rules, categories: p.categories }])),
    arrivals: new Map(arrivals.map((a) => [a.queue_code, a.n])),
    measured,
    estimate,
  };
}

function hallHeader(h: HallRef, day: { date: string; open: boolean; closesAt: Date | null }) {
  return {
    id: h.id,
    code: h.code,
    name: h.name,
    nameEn: h.nameEn,
    timeZone: h.timeZone,
    date: day.date,
    open: day.open,
    closesAt: day.closesAt?.toISOString() ?? null,
  };
}

function openProfiles(s: HallSnapshot) {
  return s.counters
    .filter((c) => c.state === 'open' && c.profileId && s.profiles.has(c.profileId))
    .map((c) => ({ counter: c, profile: workProfileOf(c, s.profiles.get(c.profileId!)!) }));
}

/** What every page shows of a queue: who waits, the counters open for it, its service time and estimate. */
export interface QueueFigures {
  queue: string;
  /** Tickets of the queue waiting now (those sent to one counter included). */
  waiting: number;
  /** Of those, the ones not sent to one counter: the people ahead of a new ticket of the queue. */
  line: number;
  openCounters: number;
  serviceMinutes: number;
  /** The expected wait of a new ordinary ticket of the queue (`src/core/wait-estimate.ts`). */
  estimatedWaitMinutes: number | null;
}

/** The figures of every queue of a snapshot, computed once: every view of the hall shows these. */
export function queueFigures(s: HallSnapshot): Map<string, QueueFigures> {
  const open = openProfiles(s);
  const out = new Map<string, QueueFigures>();
  for (const q of s.config.queues) {
    const waiting = s.tickets.filter((t) => t.status === 'waiting' && t.queueCode === q.code);
    const line = waiting.filter((t) => t.targetCounterId === null).length;
    const openCounters = countersFor(open, { queueCode: q.code, targetCounterId: null });
    const e = waitEstimate({
      now: s.now,
      ahead: line,
      openCounters,
      recent: s.measured.get(q.code) ?? [],
      fallbackMinutes: configuredServiceMinutes(
        s.config.categories.filter((c) => c.queueCode === q.code).map((c) => c.meanServiceMinutes),
        s.estimate.defaultServiceMinutes,
      ),
      window: s.estimate.window,
    });
    out.set(q.code, {
      queue: q.code,
      waiting: waiting.length,
      line,
      openCounters,
      serviceMinutes: e.serviceMinutes,
      estimatedWaitMinutes: e.minutes,
    });
  }
  return out;
}

const NO_FIGURES = (queue: string): QueueFigures => ({
  queue,
  waiting: 0,
  line: 0,
  openCounters: 0,
  serviceMinutes: 0,
  estimatedWaitMinutes: null,
});

/** The load of each queue: recent arrivals, customers waiting, mean service time, counters open for it. */
export function loadsOf(s: HallSnapshot, figures: Map<string, QueueFigures> = queueFigures(s)): QueueLoad[] {
  return s.config.queues.map((q) => {
    const f = figures.get(q.code) ?? NO_FIGURES(q.code);
    return {
      queue: q.code,
      arrivalsPerMinute: (s.arrivals.get(q.code) ?? 0) / s.windowMinutes,
      meanServiceMinutes: f.serviceMinutes,
      openCounters: f.openCounters,
      vip: q.vip,
      waiting: f.waiting,
    };
  });
}

function alertMessage(a: Alert, number: string, counterNumber: number | null): { zh: string; en: string } {
  const e = Math.floor(a.elapsedMinutes);
  const advice =
    a.countersToOpen > 0
      ? { zh: `，建议再开 ${a.countersToOpen} 个台席`, en: `; open ${a.countersToOpen} more counter(s)` }
      : { zh: '', en: '' };
  if (a.kind === 'transaction') {
    return {
      zh: `${counterNumber ?? ''}号窗口 ${number} 已办理 ${e} 分钟（时限 ${a.limitMinutes} 分钟）${a.level === 'breach' ? '，已超时' : ''}`,
      en: `Counter ${counterNumber ?? ''}: ${number} has taken ${e} min (limit ${a.limitMinutes} min)${a.level === 'breach' ? ', over the limit' : ''}`,
    };
  }
  const who =
    a.kind === 'vip_wait' ? { zh: 'VIP/3G客户', en: 'VIP/3G customer' } : { zh: '客户', en: 'Customer' };
  return {
    zh: `${who.zh} ${number} 已等待 ${e} 分钟（时限 ${a.limitMinutes} 分钟）${a.level === 'breach' ? '，已超时' : ''}${advice.zh}`,
    en: `${who.en} ${number} has waited ${e} min (limit ${a.limitMinutes} min)${a.level === 'breach' ? ', over the limit' : ''}${advice.en}`,
  };
}

/**
 * The hall's one "open N more counters" figure: each queue's need (Erlang C and its backlog against its
 * limit, `countersAdvice`) matched to the closed counters that can call from it (`hallAdvice`); queues
 * with tickets over their limit first, then the larger need.
 */
export function adviceOf(s: HallSnapshot, figures: Map<string, QueueFigures> = queueFigures(s)): HallAdvice {
  const loads = loadsOf(s, figures);
  const overdue = new Set(
    s.tickets
      .filter((t) => {
        if (t.status !== 'waiting') return false;
        const limit = t.vip ? s.limits.vipWaitMinutes : s.limits.waitMinutes;
        return s.now.getTime() - t.waitingSince.getTime() > limit * MINUTE;
      })
      .map((t) => t.queueCode),
  );
  const needs = s.config.queues
    .map((q) => {
      const load = loads.find((l) => l.queue === q.code)!;
      const limit = q.vip ? s.limits.vipWaitMinutes : s.limits.waitMinutes;
      return { queue: q.code, toOpen: countersAdvice(load, limit, s.targetShare).toOpen };
    })
    .filter((n) => n.toOpen > 0)
    .sort((a, b) => Number(overdue.has(b.queue)) - Number(overdue.has(a.queue)) || b.toOpen - a.toOpen);
  const closed = s.counters
    .filter((c) => c.state === 'closed')
    .map((c) => {
      const profile = s.profiles.get(c.defaultProfileId ?? c.profileId ?? '');
      return { id: c.id, queues: profile ? profile.rules.map((r) => r.queue) : null };
    });
  return hallAdvice(needs, closed);
}

function adviceView(s: HallSnapshot, advice: HallAdvice): CounterAdvice {
  const number = new Map(s.counters.map((c) => [c.id, c.number]));
  const names = new Map(s.config.queues.map((q) => [q.code, q]));
  const split = advice.byQueue.filter((q) => q.toOpen > 0);
  const part = (en: boolean) =>
    split
      .map(
        (q) =>
          `${en ? (names.get(q.queue)?.nameEn ?? q.queue) : (names.get(q.queue)?.name ?? q.queue)} ${q.toOpen}`,
      )
      .join(en ? ', ' : '，');
  const closed = s.counters.filter((c) => c.state === 'closed').length;
  return {
    countersToOpen: advice.total,
    closedCounters: closed,
    byQueue: s.config.queues.map((q) => ({
      queue: q.code,
      countersToOpen: advice.byQueue.find((b) => b.queue === q.code)?.toOpen ?? 0,
    })),
    counters: advice.counters.map((c) => ({
      counterId: c.counterId,
      counterNumber: number.get(c.counterId) ?? 0,
      queue: c.queue,
    })),
    message:
      advice.total === 0
        ? { zh: '无需加开台席', en: 'No more counters needed' }
        : {
            zh: `建议再开 ${advice.total} 个台席（${part(false)}）`,
            en: `Open ${advice.total} more counter(s) (${part(true)})`,
          },
  };
}

/** The latest acknowledgement of each alert row of a hall's day (`queue.alert_acknowledged` events). */
async function acknowledgements(
  db: DbOrTx,
  hallId: string,
  date: string,
): Promise<Map<string, { level: string; over: number; by: string; at: string; note: string }>> {
  const prefix = `${hallId}:${date}:`;
  const found = await rows<{
    subject_id: string;
    after: Record<string, unknown>;
    actor_name: string;
    at: Date | string;
  }>(
    db,
    sql`select subject_id, after, actor_name, at from events
        where subject_type = 'queue_alert' and subject_id >= ${prefix} and subject_id < ${`${hallId}:${date};`}
          and action = 'queue.alert_acknowledged'
        order by at`,
  );
  const out = new Map<string, { level: string; over: number; by: string; at: string; note: string }>();
  for (const r of found) {
    out.set(r.subject_id.slice(prefix.length), {
      level: String(r.after.level ?? ''),
      over: Number(r.after.over ?? 0),
      by: r.actor_name,
      at: new Date(r.at).toISOString(),
      note: String(r.after.note ?? ''),
    });
  }
  return out;
}

/** The subject id of an alert row's acknowledgement: the hall, its day and the row's key. */
export const alertSubject = (hallId: string, date: string, key: string) => `${hallId}:${date}:${key}`;

function rowMessage(
  g: AlertGroup,
  number: string,
  queueName: { zh: string; en: string },
  counterNumber: number | null,
) {
  const e = Math.floor(g.oldestMinutes);
  if (g.kind === 'transaction') {
    return {
      zh: `${counterNumber ?? ''}号窗口 ${number} 已办理 ${e} 分钟（时限 ${g.limitMinutes} 分钟）${g.level === 'breach' ? '，已超时' : ''}`,
      en: `Counter ${counterNumber ?? ''}: ${number} has taken ${e} min (limit ${g.limitMinutes} min)${g.level === 'breach' ? ', over the limit' : ''}`,
    };
  }
  return {
    zh: `${queueName.zh}：最久 ${number} 已等待 ${e} 分钟（时限 ${g.limitMinutes} 分钟），超时 ${g.over} 人，临近时限 ${g.near} 人`,
    en: `${queueName.en}: longest ${number} has waited ${e} min (limit ${g.limitMinutes} min); ${g.over} over the limit, ${g.near} near it`,
  };
}

/** The floor view's alert rows: one per queue and per counter, with their acknowledgement if it holds. */
export async function alertRowsOf(
  db: DbOrTx,
  s: HallSnapshot,
  alerts: readonly Alert[],
): Promise<AlertRow[]> {
  const groups = groupAlerts(alerts);
  if (groups.length === 0) return [];
  const acks = await acknowledgements(db, s.config.hall.id, s.date);
  const byId = new Map(s.tickets.map((t) => [t.id, t]));
  const counterById = new Map(s.counters.map((c) => [c.id, c]));
  const queueByCode = new Map(s.config.queues.map((q) => [q.code, q]));
  return groups.map((g) => {
    const t = byId.get(g.oldestTicketId)!;
    const counter = g.counterId ? (counterById.get(g.counterId) ?? null) : null;
    const q = g.queue ? queueByCode.get(g.queue) : undefined;
    const ack = acks.get(g.key);
    // An acknowledgement holds while no more tickets are over than when it was given, and the row has
    // not turned from a warning into a breach.
    const holds =
      ack !== undefined && g.over <= ack.over && (ack.level === 'breach' || g.level === 'warning');
    return {
      key: g.key,
      kind: g.kind,
      level: g.level,
      queue: g.queue,
      counterId: g.counterId,
      counterNumber: counter?.number ?? null,
      oldestTicketId: g.oldestTicketId,
      oldestNumber: t.number,
      oldestMinutes: Math.round(g.oldestMinutes * 10) / 10,
      limitMinutes: g.limitMinutes,
      over: g.over,
      near: g.near,
      acknowledged: holds ? { by: ack.by, at: ack.at, note: ack.note } : null,
      message: rowMessage(
        g,
        t.number,
        { zh: q?.name ?? g.queue ?? '', en: q?.nameEn ?? g.queue ?? '' },
        counter?.number ?? null,
      ),
    };
  });
}

/** The limits' alerts of a snapshot, per ticket (`evaluateLimits`). */
export function limitAlerts(s: HallSnapshot, loads: QueueLoad[]): Alert[] {
  return evaluateLimits({
    now: s.now,
    limits: s.limits,
    waiting: s.tickets
      .filter((t) => t.status === 'waiting')
      .map((t) => ({ ticketId: t.id, queue: t.queueCode, vip: t.vip, waitingSince: t.waitingSince })),
    // A called ticket the clerk has not started is timed from its call, as its finish would measure it.
    serving: s.tickets.flatMap((t) => {
      const startedAt = t.startedAt ?? t.calledAt;
      const atCounter = t.status === 'serving' || t.status === 'called';
      return atCounter && t.counterId && startedAt
        ? [{ ticketId: t.id, counterId: t.counterId, startedAt, businessDoneAt: t.businessDoneAt }]
        : [];
    }),
    loads,
    targetShare: s.targetShare,
  });
}

/**
 * The warnings and breaches of a snapshot, one per ticket (raised as events); a wait alert's counters to
 * open is its queue's share of the hall's one advice (`adviceOf`), never more than the closed counters.
 */
export function alertsOf(
  s: HallSnapshot,
  figures: Map<string, QueueFigures> = queueFigures(s),
  advice: HallAdvice = adviceOf(s, figures),
  raw: Alert[] = limitAlerts(s, loadsOf(s, figures)),
): QueueAlert[] {
  const share = new Map(advice.byQueue.map((q) => [q.queue, q.toOpen]));
  const alerts = raw.map((a) => ({
    ...a,
    countersToOpen: a.kind === 'transaction' ? 0 : (share.get(a.queue ?? '') ?? 0),
  }));
  const byId = new Map(s.tickets.map((t) => [t.id, t]));
  const counterById = new Map(s.counters.map((c) => [c.id, c]));
  return alerts.map((a) => {
    const t = byId.get(a.ticketId)!;
    const counter = a.counterId ? (counterById.get(a.counterId) ?? null) : null;
    return {
      kind: a.kind,
      level: a.level,
      queue: a.queue,
      ticketId: a.ticketId,
      number: t.number,
      counterId: a.counterId ?? null,
      counterNumber: counter?.number ?? null,
      elapsedMinutes: Math.round(a.elapsedMinutes * 10) / 10,
      limitMinutes: a.limitMinutes,
      countersToOpen: a.countersToOpen,
      message: alertMessage(a, t.number, counter?.number ?? null),
    };
  });
}

/** The duty manager's floor view: live queues, counters, waiting tickets and alerts. */
export async function queueState(ctx: Ctx, hallId: string): Promise<QueueState> {
  const hall = await hallRef(ctx.db, hallId);
  authorize(ctx.actor, queuePolicy, 'queue.view', hall.path);
  const now = ctx.clock.now();
  const s = await hallSnapshot(ctx.db, hall, now);
  const [totals] = await rows<{
    tickets: number;
    served: number;
    no_shows: number;
    not_served: number;
    cancelled: number;
  }>(
    ctx.db,
    sql`select count(*)::int as tickets,
          count(*) filter (where status = 'done')::int as served,
          count(*) filter (where status = 'no_show')::int as no_shows,
          count(*) filter (where status = 'not_served')::int as not_served,
          count(*) filter (where status = 'cancelled')::int as cancelled
        from queue_tickets where unit_id = ${hall.id} and local_date = ${s.date}`,
  );
  const waiting = s.tickets.filter((t) => t.status === 'waiting');
  const figures = queueFigures(s);
  const loads = loadsOf(s, figures);
  const advice = adviceOf(s, figures);
  const raw = limitAlerts(s, loads);
  const alertRows = await alertRowsOf(ctx.db, s, raw);
  const ticketById = new Map(s.tickets.map((t) => [t.id, t]));
  const profileNames = new Map<string, { code: string; name: string }>();
  const allProfiles = await ctx.db
    .select({ id: queueWorkProfiles.id, code: queueWorkProfiles.code, name: queueWorkProfiles.name })
    .from(queueWorkProfiles)
    .where(eq(queueWorkProfiles.unitId, hall.id));
  for (const p of allProfiles) profileNames.set(p.id, { code: p.code, name: p.name });
  return {
    hall: hallHeader(hall, s),
    at: now.toISOString(),
    limits: s.limits,
    queues: s.config.queues.map((q) => {
      const mine = waiting.filter((t) => t.queueCode === q.code);
      const oldest = mine.reduce<Date | null>(
        (o, t) => (o === null || t.waitingSince < o ? t.waitingSince : o),
        null,
      );
      const load = loads.find((l) => l.queue === q.code)!;
      const f = figures.get(q.code) ?? NO_FIGURES(q.code);
      const limit = q.vip ? s.limits.vipWaitMinutes : s.limits.waitMinutes;
      const needed = countersAdvice(load, limit, s.targetShare).needed;
      return {
        code: q.code,
        name: q.name,
        nameEn: q.nameEn,
        prefix: q.prefix,
        vip: q.vip,
        waiting: f.waiting,
        oldestWaitMinutes: oldest ? minutes(now.getTime() - oldest.getTime()) : null,
        openCounters: load.openCounters,
        arrivalsPerHour: Math.round(load.arrivalsPerMinute * 60 * 10) / 10,
        meanServiceMinutes: Math.round(load.meanServiceMinutes * 10) / 10,
        estimatedWaitMinutes: f.estimatedWaitMinutes,
        countersNeeded: needed,
        countersToOpen: advice.byQueue.find((b) => b.queue === q.code)?.toOpen ?? 0,
      };
    }),
    // A category shows the figures of the queue it sends tickets to: the line its customer joins.
    categories: s.config.categories.map((c) => {
      const f = figures.get(c.queueCode) ?? NO_FIGURES(c.queueCode);
      return {
        code: c.code,
        name: c.name,
        nameEn: c.nameEn,
        queue: c.queueCode,
        waiting: f.waiting,
        estimatedWaitMinutes: f.estimatedWaitMinutes,
      };
    }),
    counters: s.counters.map((c) => {
      const current = c.currentTicketId ? (ticketById.get(c.currentTicketId) ?? null) : null;
      const since = current ? (current.startedAt ?? current.calledAt) : null;
      return {
        id: c.id,
        hallId: c.unitId,
        code: c.code,
        number: c.number,
        name: c.name,
        kind: c.kind,
        categories: c.categories,
        state: c.state,
        busy: c.currentTicketId !== null,
        stateSince: c.stateSince.toISOString(),
        minutesInState: minutes(now.getTime() - c.stateSince.getTime()),
        profile: c.profileId
          ? { id: c.profileId, ...(profileNames.get(c.profileId) ?? { code: '', name: '' }) }
          : null,
        defaultProfileId: c.defaultProfileId,
        staffId: c.staffId,
        staffName: c.staffName,
        pauseReason: c.pauseReason,
        currentNumber: current?.number ?? null,
        currentStatus: current?.status ?? null,
        currentMinutes: since ? minutes(now.getTime() - since.getTime()) : null,
      };
    }),
    waiting: waiting
      .sort((a, b) => a.waitingSince.getTime() - b.waitingSince.getTime())
      .map((t) => ({
        id: t.id,
        number: t.number,
        queue: t.queueCode,
        category: t.categoryCode,
        vip: t.vip,
        tier: (t.clubTier as Tier | null) ?? null,
        is3g: t.is3g,
        channel: t.channel,
        status: t.status,
        waitingSince: t.waitingSince.toISOString(),
        waitingMinutes: minutes(now.getTime() - t.waitingSince.getTime()),
        preRegistered: t.preRegistration !== null,
        targetCounterId: t.targetCounterId,
      })),
    alerts: alertsOf(s, figures, advice, raw),
    alertRows,
    advice: adviceView(s, advice),
    totals: {
      tickets: totals?.tickets ?? 0,
      waiting: waiting.length,
      served: totals?.served ?? 0,
      noShows: totals?.no_shows ?? 0,
      notServed: totals?.not_served ?? 0,
      cancelled: totals?.cancelled ?? 0,
    },
  };
}

/** What the calling display shows: the numbers called now and to which counter, the last calls, waiting per category, notices. */
export async function displayState(ctx: Ctx, hallId: string): Promise<DisplayState> {
  const hall = await hallRef(ctx.db, hallId);
  authorize(ctx.actor, queuePolicy, 'queue.display', hall.path);
  const now = ctx.clock.now();
  const config = await hallConfig(ctx.db, hall);
  const date = localDateOf(now, hall.timeZone);
  const schedule = await scheduleFor(ctx.db, hall.id);
  const day = queueDay(schedule, now);
  const [calls, waiting] = await Promise.all([
    ctx.db
      .select({
        ticketId: queueTickets.id,
        number: queueTickets.number,
        status: queueTickets.status,
        at: queueTickets.lastCallAt,
        counterNumber: queueCounters.number,
        counterName: queueCounters.name,
      })
      .from(queueTickets)
      .innerJoin(queueCounters, eq(queueCounters.id, queueTickets.counterId))
      .where(
        and(
          eq(queueTickets.unitId, hall.id),
          eq(queueTickets.localDate, date),
          isNotNull(queueTickets.lastCallAt),
        ),
      )
      .orderBy(desc(queueTickets.lastCallAt), desc(queueTickets.id))
      .limit(20),
    ctx.db
      .select({ queue: queueTickets.queueCode, n: count() })
      .from(queueTickets)
      .where(
        and(
          eq(queueTickets.unitId, hall.id),
          eq(queueTickets.localDate, date),
          eq(queueTickets.status, 'waiting'),
        ),
      )
      .groupBy(queueTickets.queueCode),
  ]);
  const call = (c: (typeof calls)[number]) => ({
    ticketId: c.ticketId,
    number: c.number,
    counterNumber: c.counterNumber,
    counterName: c.counterName,
    at: c.at!.toISOString(),
    announcement: callAnnouncement(c.number, c.counterNumber),
  });
  // Waiting is counted per queue, as on every other page: a category shows its queue's waiting tickets.
  const byQueue = new Map(waiting.map((w) => [w.queue, w.n]));
  // A ticket parked or transferred (waiting again) is no longer called: it leaves the display at once.
  const stillCalled = calls.filter((c) => c.status !== 'parked' && c.status !== 'waiting');
  return {
    hall: hallHeader(hall, day),
    at: now.toISOString(),
    calling: calls.filter((c) => c.status === 'called').map(call),
    recent: stillCalled.slice(0, 6).map(call),
    waitingByCategory: config.categories.map((c) => ({
      code: c.code,
      name: c.name,
      nameEn: c.nameEn,
      waiting: byQueue.get(c.queueCode) ?? 0,
    })),
    notices: config.notices,
  };
}

/** What the kiosk shows: the categories with people waiting and the expected wait of a new ticket. */
export async function kioskState(ctx: Ctx, hallId: string): Promise<KioskState> {
  const hall = await hallRef(ctx.db, hallId);
  authorize(ctx.actor, queuePolicy, 'queue.kiosk', hall.path);
  const now = ctx.clock.now();
  const s = await hallSnapshot(ctx.db, hall, now);
  const figures = queueFigures(s);
  const idle = await numbers(ctx.db, hall.path, ['queue.kioskIdleMinutes'], now);
  return {
    hall: hallHeader(hall, s),
    at: now.toISOString(),
    // A category shows the figures of the queue it sends tickets to: the line its customer joins.
    categories: s.config.categories.map((c) => {
      const f = figures.get(c.queueCode) ?? NO_FIGURES(c.queueCode);
      return {
        code: c.code,
        name: c.name,
        nameEn: c.nameEn,
        queue: c.queueCode,
        waiting: f.waiting,
        estimatedWaitMinutes: f.estimatedWaitMinutes,
      };
    }),
    notices: s.config.notices,
    idleMinutes: idle['queue.kioskIdleMinutes'],
  };
}

/* ----------------------------------------------------------------------------------------------- */
/* Statistics.                                                                                       */
/* ----------------------------------------------------------------------------------------------- */

interface DurationAgg {
  key: string;
  n: number;
  mean: number | null;
  p90: number | null;
  share: number | null;
  limits: number[] | null;
}

function durationSql(table: SQL, key: SQL, value: SQL, limit: SQL, where: SQL, filter: SQL | null) {
  const f = filter ? sql` filter (where ${filter})` : sql``;
  return sql`select ${key} as key,
      count(*)${f}::int as n,
      (avg(${value})${f})::float8 as mean,
      (percentile_disc(0.9) within group (order by ${value})${f})::float8 as p90,
      (avg(case when ${value} <= ${limit} * 60 then 1.0 else 0.0 end)${f})::float8 as share,
      array_agg(distinct ${limit})${f} as limits
    from ${table} where ${where} group by 1`;
}

const summaryOf = (a: DurationAgg | undefined) =>
  durationSummary({
    count: a?.n ?? 0,
    meanSeconds: a?.mean ?? null,
    p90Seconds: a?.p90 ?? null,
    withinShare: a?.share ?? null,
    limits: (a?.limits ?? []).filter((x): x is number => x !== null).map(Number),
  });

const TICKET_END: Record<string, TicketEnd> = {
  done: 'served',
  no_show: 'no_show',
  not_served: 'not_served',
  cancelled: 'cancelled',
};
const CALL_END: Record<string, TicketEnd> = {
  served: 'served',
  no_show: 'no_show',
  not_served: 'not_served',
  transferred: 'transferred',
  parked: 'transferred',
};

/**
 * Statistics of the halls in a unit's subtree over local dates [from, to], grouped by hall, day, category,
 * counter or clerk: average and 90th-percentile wait, share within the limit recorded at each measurement
 * (normal and VIP/3G apart), transaction times and share within their limit, no-shows, not served,
 * tickets by channel. Grouped by counter or clerk, each call of a ticket at the counter counts once.
 */
export async function queueStats(ctx: Ctx, q: StatsQuery): Promise<Stats> {
  const unit = await getUnitRef(ctx.db, q.unitId);
  authorize(ctx.actor, queuePolicy, 'queue.stats', unit.path);
  const prefix = `${unit.path.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  const perCall = q.by === 'counter' || q.by === 'clerk';
  const tKey: Record<string, SQL> = {
    hall: sql`t.unit_id::text`,
    day: sql`t.local_date::text`,
    category: sql`t.category_code`,
  };
  const xKey: Record<string, SQL> = {
    hall: sql`x.unit_id::text`,
    day: sql`x.local_date::text`,
    category: sql`x.category_code`,
    counter: sql`x.counter_id::text`,
    clerk: sql`coalesce(x.staff_id::text, '')`,
  };
  const tWhere = sql`t.unit_path like ${prefix} and t.local_date between ${q.from} and ${q.to}`;
  const xWhere = sql`x.unit_path like ${prefix} and x.local_date between ${q.from} and ${q.to}`;
  const tTable = sql`queue_tickets t`;
  const xTable = sql`queue_transactions x`;
  const key = perCall ? xKey[q.by]! : tKey[q.by]!;

  const countsQuery = perCall
    ? sql`select ${key} as key, x.channel, x.outcome as end, count(*)::int as n from ${xTable} where ${xWhere} group by 1, 2, 3`
    : sql`select ${key} as key, t.channel, t.status as end, count(*)::int as n from ${tTable} where ${tWhere} group by 1, 2, 3`;
  const waitQuery = (filter: 'all' | 'normal' | 'vip') => {
    const alias = perCall ? sql`x` : sql`t`;
    const f = filter === 'all' ? null : filter === 'vip' ? sql`${alias}.vip` : sql`not ${alias}.vip`;
    return perCall
      ? durationSql(xTable, key, sql`x.wait_seconds`, sql`x.wait_limit_minutes`, xWhere, f)
      : durationSql(
          tTable,
          key,
          sql`t.wait_seconds`,
          sql`t.wait_limit_minutes`,
          sql`${tWhere} and t.wait_seconds is not null`,
          f,
        );
  };
  const [counts, allWaits, normalWaits, vipWaits, transactions, selling] = await Promise.all([
    rows<{ key: string; channel: string; end: string; n: number }>(ctx.db, countsQuery),
    rows<DurationAgg>(ctx.db, waitQuery('all')),
    rows<DurationAgg>(ctx.db, waitQuery('normal')),
    rows<DurationAgg>(ctx.db, waitQuery('vip')),
    rows<DurationAgg>(
      ctx.db,
      durationSql(
        xTable,
        xKey[q.by]!,
        sql`x.transaction_seconds`,
        sql`x.transaction_limit_minutes`,
        sql`${xWhere} and x.transaction_seconds is not null`,
        null,
      ),
    ),
    rows<{ key: string; mean: number | null }>(
      ctx.db,
      sql`select ${xKey[q.by]!} as key, avg(x.selling_seconds)::float8 as mean from ${xTable}
          where ${xWhere} and x.transaction_seconds is not null group by 1`,
    ),
  ]);
  // Customers' ratings on the counters' rating pads, grouped like the transactions they rate.
  const rKey: Record<string, SQL> = {
    hall: sql`r.unit_id::text`,
    day: sql`r.local_date::text`,
    category: sql`r.category_code`,
    counter: sql`r.counter_id::text`,
    clerk: sql`coalesce(r.staff_id::text, '')`,
  };
  const ratingRows = await rows<{ key: string; score: number; n: number }>(
    ctx.db,
    sql`select ${rKey[q.by]!} as key, r.score, count(*)::int as n from queue_ratings r
        where r.unit_path like ${prefix} and r.local_date between ${q.from} and ${q.to} group by 1, 2`,
  );
  const scores = new Map<string, number[]>();
  for (const r of ratingRows) {
    const list = scores.get(r.key) ?? [0, 0, 0, 0, 0];
    if (r.score >= 1 && r.score <= 5) list[r.score - 1]! += r.n;
    scores.set(r.key, list);
  }
  const index = (list: DurationAgg[]) => new Map(list.map((r) => [r.key, r]));
  const w = index(allWaits);
  const wn = index(normalWaits);
  const wv = index(vipWaits);
  const x = index(transactions);
  const sell = new Map(selling.map((r) => [r.key, r.mean]));
  const keys = [...new Set([...counts.map((c) => c.key), ...w.keys(), ...x.keys(), ...scores.keys()])].sort();
  const labels = await labelsFor(ctx.db, q.by, keys, unit.path);
  const ends = perCall ? CALL_END : TICKET_END;
  const out: StatsRow[] = keys.map((k) => {
    const mine = counts.filter((c) => c.key === k);
    const n = (end: TicketEnd) =>
      mine.filter((c) => (ends[c.end] ?? 'open') === end).reduce((a, c) => a + c.n, 0);
    const byChannel: Record<string, number> = {};
    for (const c of mine) byChannel[c.channel] = (byChannel[c.channel] ?? 0) + c.n;
    const s = sell.get(k);
    return {
      key: k,
      label: labels.get(k) ?? k,
      tickets: mine.reduce((a, c) => a + c.n, 0),
      served: n('served'),
      noShows: n('no_show'),
      notServed: n('not_served'),
      cancelled: n('cancelled'),
      transferred: n('transferred'),
      open: n('open'),
      byChannel,
      wait: summaryOf(w.get(k)),
      normalWait: summaryOf(wn.get(k)),
      vipWait: summaryOf(wv.get(k)),
      transaction: summaryOf(x.get(k)),
      averageSellingMinutes: s === null || s === undefined ? null : Math.round((s / 60) * 100) / 100,
      ratings: ratingSummaryOf(scores.get(k) ?? []),
    };
  });
  return { unitId: unit.id, from: q.from, to: q.to, by: q.by, rows: out };
}

async function labelsFor(
  db: DbOrTx,
  by: StatsQuery['by'],
  keys: string[],
  path: string,
): Promise<Map<string, string>> {
  const uuids = keys.filter((k) => /^[0-9a-f-]{36}$/.test(k));
  if (by === 'hall' && uuids.length > 0) {
    const found = await db
      .select({ id: schema.units.id, name: schema.units.name })
      .from(schema.units)
      .where(inArray(schema.units.id, uuids));
    return new Map(found.map((u) => [u.id, u.name]));
  }
  if (by === 'counter' && uuids.length > 0) {
    const found = await db
      .select({ id: queueCounters.id, name: queueCounters.name, hall: schema.units.name })
      .from(queueCounters)
      .innerJoin(schema.units, eq(schema.units.id, queueCounters.unitId))
      .where(inArray(queueCounters.id, uuids));
    return new Map(found.map((c) => [c.id, `${c.hall} ${c.name}`]));
  }
  if (by === 'clerk') {
    const found = await rows<{ key: string; name: string }>(
      db,
      sql`select distinct on (coalesce(staff_id::text, '')) coalesce(staff_id::text, '') as key, staff_name as name
          from queue_transactions where unit_path like ${`${path}%`} and coalesce(staff_id::text, '') in (${sql.join(
            (keys.length > 0 ? keys : ['-']).map((k) => sql`${k}`),
            sql`, `,
          )})`,
    );
    return new Map(found.map((r) => [r.key, r.name]));
  }
  if (by === 'category' && keys.length > 0) {
    const found = await rows<{ code: string; name: string }>(
      db,
      sql`select distinct on (c.code) c.code, c.name from queue_categories c join units u on u.id = c.unit_id
          where u.path like ${`${path}%`} order by c.code, c.active desc`,
    );
    return new Map(found.map((r) => [r.code, r.name]));
  }
  return new Map(keys.map((k) => [k, k]));
}
