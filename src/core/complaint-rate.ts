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

export interface TimeLimitSummary {
  kind: WorkOrderKind;
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

/** Per kind, the orders taken in the period: handled on time (限时办结率), overdue while open, satisfaction. */
export function timeLimitSummary(
  orders: readonly OrderFact[],
  period: Period,
  asOf: Date,
): TimeLimitSummary[] {
  const byKind = new Map<WorkOrderKind, TimeLimitSummary>();
  for (const o of orders) {
    if (o.duplicate || !within(o.createdAt, period)) continue;
    const s = byKind.get(o.kind) ?? {
      kind: o.kind,
      taken: 0,
      handled: 0,
      handledOnTime: 0,
      onTimeShare: null,
      openOverdue: 0,
      open: 0,
      closed: 0,
      satisfaction: null,
      rated: 0,
    };
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
    byKind.set(o.kind, s);
  }
  return [...byKind.values()].map((s) => ({
    ...s,
    onTimeShare: s.handled === 0 ? null : s.handledOnTime / s.handled,
  }));
}
