/**
 * Wait and transaction limits of the business hall (service norms 2§3.6.5), early warnings to the duty
 * manager and staffing advice (Erlang C against the wait limit).
 *
 * Norms: a customer waits at most 30 min, VIP and 3G customers at most 5 min; one transaction takes at most
 * 10 min (proactive selling after the business is done does not count). The manager is warned at a settable
 * share of a limit (default 80%) before it is reached.
 *
 * Pure functions: no I/O, no clock of their own (`now` is always a parameter).
 */
import { serversNeeded } from './erlang-c.ts';

/** Limits in minutes and the share of a limit at which a warning is raised. */
export interface QueueLimits {
  waitMinutes: number;
  vipWaitMinutes: number;
  transactionMinutes: number;
  warnShare: number;
}

/** Norm defaults (2§3.6.5): wait 30 min, VIP/3G wait 5 min, transaction 10 min, warn at 80%. */
export const DEFAULT_QUEUE_LIMITS: Readonly<QueueLimits> = Object.freeze({
  waitMinutes: 30,
  vipWaitMinutes: 5,
  transactionMinutes: 10,
  warnShare: 0.8,
});

/** Documented default of the staffing advice: share of customers that must be served within the limit. */
export const DEFAULT_STAFFING = Object.freeze({ targetShare: 0.8 });

/** Which limit an alert concerns. */
export type AlertKind = 'wait' | 'vip_wait' | 'transaction';

/** 'warning' at >= warnShare × limit, 'breach' at > limit. */
export type AlertLevel = 'warning' | 'breach';

/** A waiting ticket as seen by the limit check; `vip` = VIP or 3G customer. */
export interface WaitingSnapshot {
  ticketId: string;
  queue: string;
  vip: boolean;
  waitingSince: Date;
}

/** A ticket being served; after `businessDoneAt` proactive selling does not count. */
export interface ServingSnapshot {
  ticketId: string;
  counterId: string;
  startedAt: Date;
  businessDoneAt: Date | null;
}

/** Observed load of a queue. `vip` marks a VIP/3G queue. */
export interface QueueLoad {
  queue: string;
  arrivalsPerMinute: number;
  meanServiceMinutes: number;
  openCounters: number;
  vip: boolean;
  /** Customers waiting in the queue now (the backlog the counters must also clear); 0 when absent. */
  waiting?: number;
}

/** A warning or breach for one ticket. */
export interface Alert {
  kind: AlertKind;
  level: AlertLevel;
  /** null for transaction alerts (a serving snapshot has no queue). */
  queue: string | null;
  ticketId: string;
  counterId?: string;
  elapsedMinutes: number;
  limitMinutes: number;
  countersToOpen: number;
}

const MS_PER_MINUTE = 60_000;

function assertPositive(value: number, name: string): void {
  if (!Number.isFinite(value) || value <= 0) {
    throw new RangeError(`${name} must be a finite number > 0, got ${value}`);
  }
}

function assertLimits(limits: QueueLimits): void {
  assertPositive(limits.waitMinutes, 'waitMinutes');
  assertPositive(limits.vipWaitMinutes, 'vipWaitMinutes');
  assertPositive(limits.transactionMinutes, 'transactionMinutes');
  if (!Number.isFinite(limits.warnShare) || limits.warnShare <= 0 || limits.warnShare > 1) {
    throw new RangeError(`warnShare must be in (0, 1], got ${limits.warnShare}`);
  }
}

/**
 * Level for an elapsed time against a limit; thresholds are rounded to whole milliseconds so that
 * e.g. 0.7 × 30 min warns at exactly 21 min despite floating-point noise.
 */
function levelFor(elapsedMs: number, limitMinutes: number, warnShare: number): AlertLevel | null {
  if (elapsedMs > Math.round(limitMinutes * MS_PER_MINUTE)) return 'breach';
  if (elapsedMs >= Math.round(warnShare * limitMinutes * MS_PER_MINUTE)) return 'warning';
  return null;
}

function transactionMs(s: ServingSnapshot, now: Date): number {
  const endMs =
    s.businessDoneAt === null ? now.getTime() : Math.min(s.businessDoneAt.getTime(), now.getTime());
  return Math.max(0, endMs - s.startedAt.getTime());
}

/** Minutes of the transaction so far, counted up to businessDoneAt if set (never negative). */
export function transactionMinutes(s: ServingSnapshot, now: Date): number {
  return transactionMs(s, now) / MS_PER_MINUTE;
}

/** Counters that serve a backlog of `waiting` customers within `limitMinutes`: at least 1 while anyone waits. */
export function backlogCounters(waiting: number, meanServiceMinutes: number, limitMinutes: number): number {
  if (!Number.isInteger(waiting) || waiting < 0)
    throw new RangeError(`waiting must be a whole number >= 0, got ${waiting}`);
  if (waiting === 0) return 0;
  return Math.max(1, Math.ceil((waiting * meanServiceMinutes) / limitMinutes));
}

/**
 * Counters the queue needs, and how many more to open beyond `openCounters` (never negative): the larger of
 * what the steady arrivals need so that targetShare wait at most limitMinutes (Erlang C), and what clears
 * the customers already waiting within the limit (`backlogCounters`).
 */
export function countersAdvice(
  load: QueueLoad,
  limitMinutes: number,
  targetShare: number,
): { needed: number; toOpen: number } {
  const steady = serversNeeded(load.arrivalsPerMinute, load.meanServiceMinutes, limitMinutes, targetShare);
  const needed = Math.max(steady, backlogCounters(load.waiting ?? 0, load.meanServiceMinutes, limitMinutes));
  return { needed, toOpen: Math.max(0, needed - load.openCounters) };
}

function findLoad(loads: readonly QueueLoad[], queue: string, vip: boolean): QueueLoad | undefined {
  return loads.find((l) => l.queue === queue && l.vip === vip) ?? loads.find((l) => l.queue === queue);
}

const LEVEL_RANK: Record<AlertLevel, number> = { breach: 0, warning: 1 };

/** Deterministic alert order: breach before warning, longest elapsed first, then ticket id and kind. */
export function compareAlerts(a: Alert, b: Alert): number {
  if (a.level !== b.level) return LEVEL_RANK[a.level] - LEVEL_RANK[b.level];
  if (a.elapsedMinutes !== b.elapsedMinutes) return b.elapsedMinutes - a.elapsedMinutes;
  if (a.ticketId !== b.ticketId) return a.ticketId < b.ticketId ? -1 : 1;
  if (a.kind !== b.kind) return a.kind < b.kind ? -1 : 1;
  return 0;
}

/**
 * One alert per ticket at or over its warning threshold: waiting VIP/3G tickets against vipWaitMinutes,
 * other waiting tickets against waitMinutes, tickets being served against transactionMinutes.
 * countersToOpen of a wait alert = max(0, serversNeeded(arrivals, mean service, alert limit, targetShare
 * default 0.8) − open counters) for the queue's load (the load with the same vip flag is preferred when a
 * queue has two); 0 when the queue has no load entry, and 0 for transaction alerts.
 * Sorted: breach before warning, then longest elapsed first.
 */
export function evaluateLimits(input: {
  now: Date;
  limits: QueueLimits;
  waiting: WaitingSnapshot[];
  serving: ServingSnapshot[];
  loads: QueueLoad[];
  targetShare?: number;
}): Alert[] {
  const { now, limits, waiting, serving, loads } = input;
  const targetShare = input.targetShare ?? DEFAULT_STAFFING.targetShare;
  assertLimits(limits);
  const nowMs = now.getTime();
  const alerts: Alert[] = [];
  const adviceCache = new Map<QueueLoad, Map<number, number>>();

  const toOpen = (queue: string, vip: boolean, limitMinutes: number): number => {
    const load = findLoad(loads, queue, vip);
    if (load === undefined) return 0;
    let byLimit = adviceCache.get(load);
    if (byLimit === undefined) {
      byLimit = new Map();
      adviceCache.set(load, byLimit);
    }
    let value = byLimit.get(limitMinutes);
    if (value === undefined) {
      value = countersAdvice(load, limitMinutes, targetShare).toOpen;
      byLimit.set(limitMinutes, value);
    }
    return value;
  };

  for (const w of waiting) {
    const limitMinutes = w.vip ? limits.vipWaitMinutes : limits.waitMinutes;
    const elapsedMs = nowMs - w.waitingSince.getTime();
    const level = levelFor(elapsedMs, limitMinutes, limits.warnShare);
    if (level === null) continue;
    alerts.push({
      kind: w.vip ? 'vip_wait' : 'wait',
      level,
      queue: w.queue,
      ticketId: w.ticketId,
      elapsedMinutes: elapsedMs / MS_PER_MINUTE,
      limitMinutes,
      countersToOpen: toOpen(w.queue, w.vip, limitMinutes),
    });
  }

  for (const s of serving) {
    const elapsedMs = transactionMs(s, now);
    const level = levelFor(elapsedMs, limits.transactionMinutes, limits.warnShare);
    if (level === null) continue;
    alerts.push({
      kind: 'transaction',
      level,
      queue: null,
      ticketId: s.ticketId,
      counterId: s.counterId,
      elapsedMinutes: elapsedMs / MS_PER_MINUTE,
      limitMinutes: limits.transactionMinutes,
      countersToOpen: 0,
    });
  }

  return alerts.sort(compareAlerts);
}

/** Arrivals per minute over the window (now − windowMinutes, now]. */
export function arrivalRate(arrivals: Date[], now: Date, windowMinutes: number): number {
  assertPositive(windowMinutes, 'windowMinutes');
  const endMs = now.getTime();
  const startMs = endMs - windowMinutes * MS_PER_MINUTE;
  let count = 0;
  for (const a of arrivals) {
    const t = a.getTime();
    if (t > startMs && t <= endMs) count += 1;
  }
  return count / windowMinutes;
}

/** Mean of the finite, non-negative durations (minutes); `fallback` when there are none. */
export function meanServiceMinutes(durationsMinutes: number[], fallback: number): number {
  let sum = 0;
  let count = 0;
  for (const d of durationsMinutes) {
    if (Number.isFinite(d) && d >= 0) {
      sum += d;
      count += 1;
    }
  }
  return count === 0 ? fallback : sum / count;
}
