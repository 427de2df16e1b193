/**
 * Indicator 1 of 2§3.7 — a hall's service-quality complaint rate (营业厅服务质量投诉率): the service-quality
 * complaints against halls, from every channel, in the period, over the halls counted; the target is below
 * `hall.complaintRateMax` (1). A complaint counts against the hall it concerns; escalated complaints and
 * appeals are complaints too; a duplicate merged into another counts once (as the other). Beside it, the
 * time-limit summary of the orders (限时办结): how many were handled on time, how many broke their limit.
 * Pure: the service reads the facts.
 */
import type { Resolved } from './settings.ts';
import type { WorkOrderKind } from './sla.ts';

export interface Period {
  from: Date;
  /** Exclusive. */
  to: Date;
}

/** An order as the indicators see it. */
export interface OrderFact {
  id: string;
  kind: WorkOrderKind;
  /** The unit the order concerns (a hall's id, or another unit's). */
  concernsUnitId: string;
  createdAt: Date;
  /** Its category is a service-quality one (service attitude, business handling …). */
  serviceQuality: boolean;
  /** Merged into another order as its duplicate. */
  duplicate: boolean;
  /** The resolution's due time (null while paused) and when it was handled (answered or replied). */
  dueAt: Date | null;
  resolvedAt: Date | null;
  closed: boolean;
  /** The customer's rating 1–5, if given. */
  satisfaction: number | null;
}

export const COMPLAINT_KINDS: readonly WorkOrderKind[] = ['complaint', 'escalated_complaint', 'appeal'];

export interface HallRate {
  hallId: string;
  complaints: number;
  /** The hall's own count against the target (a single hall's rate is its count). */
  meetsTarget: boolean;
}

export interface ComplaintRate {
  numerator: number;
  denominator: number;
  /** Complaints per hall; null without halls. */
  rate: number | null;
  target: Resolved;
  meetsTarget: boolean | null;
  byHall: HallRate[];
  /** The ids counted. */
  counted: string[];
}

const within = (at: Date, p: Period) => at.getTime() >= p.from.getTime() && at.getTime() < p.to.getTime();

function targetOf(setting: Resolved): number {
  if (setting.key !== 'hall.complaintRateMax' || typeof setting.value !== 'number')
    throw new RangeError(`expected the number setting hall.complaintRateMax, got ${setting.key}`);
  return setting.value;
}

/** Indicator 1 over `hallIds` (the halls of the unit asked about) for the period. */
export function complaintRate(
  orders: readonly OrderFact[],
  hallIds: readonly string[],
  period: Period,
  target: Resolved,
): ComplaintRate {
  if (!(period.from.getTime() <= period.to.getTime())) throw new RangeError('a period ends after it starts');
  const max = targetOf(target);
  const halls = new Set(hallIds);
  const perHall = new Map<string, number>(hallIds.map((h) => [h, 0]));
  const counted: string[] = [];
  for (const o of orders) {
    if (!COMPLAINT_KINDS.includes(o.kind) || !o.serviceQuality || o.duplicate) continue;
    if (!halls.has(o.concernsUnitId) || !within(o.createdAt, period)) continue;
    counted.push(o.id);
    perHall.set(o.concernsUnitId, (perHall.get(o.concernsUnitId) ?? 0) + 1);
  }
  const denominator = halls.size;
  const rate = denominator === 0 ? null : counted.length / denominator;
  return {
    numerator: counted.length,
    denominator,
    rate,
    target,
    meetsTarget: rate === null ? null : rate < max,
    byHall: [...perHall].map(([hallId, complaints]) => ({
      hallId,
      complaints,
      meetsTarget: complaints < max,
    })),
    counted,
  };
}

/** The time-limit figures of a group of orders taken in the period. */
export interface TimeLimitFigures {
  taken: number;
  handled: number;
  handledOnTime: number;
  /** handledOnTime / handled; null when none was handled. */
  onTimeShare: number | null;
  /** Open and past their due time at `asOf`. */
  openOverdue: number;
  open: number;
  closed: number;
  /** Mean rating of those rated; null when none was. */
  satisfaction: number | null;
  rated: number;
}

export interface TimeLimitSummary extends TimeLimitFigures {
  kind: WorkOrderKind;
}

const none = (): TimeLimitFigures => ({
  taken: 0,
  handled: 0,
  handledOnTime: 0,
  onTimeShare: null,
  openOverdue: 0,
  open: 0,
  closed: 0,
  satisfaction: null,
  rated: 0,
});

/**
 * Per group (`keyOf`: the kind, the category, the unit …), the orders taken in the period: handled on
 * time (限时办结率), overdue while open, satisfaction. Groups in the order their first order came.
 */
export function timeLimitSummaryBy<T extends OrderFact, K>(
  orders: readonly T[],
  period: Period,
  asOf: Date,
  keyOf: (order: T) => K,
): { key: K; figures: TimeLimitFigures }[] {
  const groups = new Map<K, TimeLimitFigures>();
  for (const o of orders) {
    if (o.duplicate || !within(o.createdAt, period)) continue;
    const key = keyOf(o);
    const s = groups.get(key) ?? none();
    s.taken++;
    const resolved = o.resolvedAt && o.resolvedAt.getTime() <= asOf.getTime() ? o.resolvedAt : null;
    if (resolved) {
      s.handled++;
      if (o.dueAt === null || resolved.getTime() <= o.dueAt.getTime()) s.handledOnTime++;
    } else if (o.dueAt !== null && o.dueAt.getTime() <= asOf.getTime()) s.openOverdue++;
    if (o.closed) s.closed++;
    else s.open++;
    if (o.satisfaction !== null) {
      s.satisfaction = ((s.satisfaction ?? 0) * s.rated + o.satisfaction) / (s.rated + 1);
      s.rated++;
    }
    groups.set(key, s);
  }
  return [...groups].map(([key, s]) => ({
    key,
    figures: { ...s, onTimeShare: s.handled === 0 ? null : s.handledOnTime / s.handled },
  }));
}

/** Per kind, the orders taken in the period (see `timeLimitSummaryBy`). */
export function timeLimitSummary(
  orders: readonly OrderFact[],
  period: Period,
  asOf: Date,
): TimeLimitSummary[] {
  return timeLimitSummaryBy(orders, period, asOf, (o) => o.kind).map((g) => ({ kind: g.key, ...g.figures }));
}

/** The age bands of the backlog, in hours since the order was taken: under a day, 1–3 days, 3–7, a week and more. */
export const BACKLOG_BANDS_HOURS: readonly number[] = [24, 72, 168];

export interface AgeBand {
  /** Inclusive lower bound in hours; `toHours` exclusive, null for the last band. */
  fromHours: number;
  toHours: number | null;
  open: number;
  /** Of those, past their resolution due time. */
  overdue: number;
}

export interface Backlog {
  open: number;
  overdue: number;
  /** The oldest open order's age in hours; null without a backlog. */
  oldestHours: number | null;
  bands: AgeBand[];
}

/**
 * The backlog at `asOf` (积压): orders taken and neither handled nor closed by then, not merged away, by
 * their age in bands cut at `boundsHours` (ascending), with how many of each are overdue.
 */
export function backlogAgeing(
  orders: readonly OrderFact[],
  asOf: Date,
  boundsHours: readonly number[] = BACKLOG_BANDS_HOURS,
): Backlog {
  if (boundsHours.some((b, i) => !(b > (i === 0 ? 0 : boundsHours[i - 1]!))))
    throw new RangeError('age bands must be positive and ascending');
  const cuts = [0, ...boundsHours];
  const bands: AgeBand[] = cuts.map((fromHours, i) => ({
    fromHours,
    toHours: boundsHours[i] ?? null,
    open: 0,
    overdue: 0,
  }));
  const now = asOf.getTime();
  let oldest: number | null = null;
  for (const o of orders) {
    const handled = o.resolvedAt !== null && o.resolvedAt.getTime() <= now;
    if (o.duplicate || o.closed || handled || o.createdAt.getTime() > now) continue;
    const hours = (now - o.createdAt.getTime()) / 3_600_000;
    oldest = Math.max(oldest ?? 0, hours);
    let i = cuts.length - 1;
    while (hours < cuts[i]!) i--;
    const band = bands[i]!;
    band.open++;
    if (o.dueAt !== null && o.dueAt.getTime() <= now) band.overdue++;
  }
  return {
    open: bands.reduce((n, b) => n + b.open, 0),
    overdue: bands.reduce((n, b) => n + b.overdue, 0),
    oldestHours: oldest,
    bands,
  };
}
