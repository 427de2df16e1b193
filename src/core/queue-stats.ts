/**
 * Statistics of the business-hall queue (2§3.6.5, indicator 5 of 2§3.7): waits, VIP/3G waits and
 * transaction times, each judged against the limit that was in force when it was measured (recorded beside
 * the measurement), plus no-shows, not-served tickets and tickets by channel.
 *
 * Pure: the module hands in the measurements, grouped by whatever key the caller chose (hall, day,
 * category, counter, clerk).
 */

/** One wait: from waiting (taking the ticket, or a transfer) to being called. */
export interface WaitSample {
  key: string;
  seconds: number;
  /** The limit in force for this ticket when it was called (VIP/3G or normal). */
  limitMinutes: number;
  /** A VIP/3G customer, judged against the VIP limit. */
  vip: boolean;
}

/** One transaction: from the start of service to "business done" (proactive selling not counted). */
export interface TransactionSample {
  key: string;
  seconds: number;
  limitMinutes: number;
  /** Time spent selling after the business was done. */
  sellingSeconds: number;
}

/** How a ticket (or one call of it) ended; 'transferred' covers a call ended by a transfer or a park. */
export type TicketEnd = 'served' | 'no_show' | 'not_served' | 'cancelled' | 'transferred' | 'open';

/** One ticket (or, grouped by counter or clerk, one call of a ticket) and how it ended. */
export interface TicketSample {
  key: string;
  channel: string;
  end: TicketEnd;
}

export interface DurationSummary {
  count: number;
  averageMinutes: number | null;
  p90Minutes: number | null;
  /** Share of the measurements within the limit recorded beside each; null without measurements. */
  withinLimitShare: number | null;
  /** The distinct limits (minutes) the measurements were judged against. */
  limitsMinutes: number[];
}

export interface QueueStatsRow {
  key: string;
  tickets: number;
  served: number;
  noShows: number;
  notServed: number;
  cancelled: number;
  transferred: number;
  open: number;
  byChannel: Record<string, number>;
  /** Every wait (VIP and others). */
  wait: DurationSummary;
  /** Waits of customers with the normal limit (30 min by default). */
  normalWait: DurationSummary;
  /** Waits of VIP/3G customers (5 min by default). */
  vipWait: DurationSummary;
  transaction: DurationSummary;
  averageSellingMinutes: number | null;
}

/** The p-th percentile (0 < p ≤ 100) by the nearest-rank method; null for no values. */
export function percentile(values: readonly number[], p: number): number | null {
  if (!(p > 0 && p <= 100)) throw new RangeError(`p must be in (0, 100], got ${p}`);
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.ceil((p / 100) * sorted.length - 1e-9);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1]!;
}

/** Minutes are shown to two decimals. */
export const round2 = (x: number) => Math.round(x * 100) / 100;

/**
 * A summary from aggregates (as a database computes them): mean and 90th percentile (nearest rank) in
 * seconds, the share within the recorded limits, the distinct limits. Rounded like every summary here:
 * minutes to 2 decimals, shares to 4.
 */
export function durationSummary(agg: {
  count: number;
  meanSeconds: number | null;
  p90Seconds: number | null;
  withinShare: number | null;
  limits: readonly number[];
}): DurationSummary {
  if (agg.count === 0 || agg.meanSeconds === null) {
    return { count: 0, averageMinutes: null, p90Minutes: null, withinLimitShare: null, limitsMinutes: [] };
  }
  return {
    count: agg.count,
    averageMinutes: round2(agg.meanSeconds / 60),
    p90Minutes: agg.p90Seconds === null ? null : round2(agg.p90Seconds / 60),
    withinLimitShare: agg.withinShare === null ? null : Math.round(agg.withinShare * 10_000) / 10_000,
    limitsMinutes: [...new Set(agg.limits)].sort((a, b) => a - b),
  };
}

function summarize(samples: readonly { seconds: number; limitMinutes: number }[]): DurationSummary {
  const seconds = samples.map((s) => s.seconds);
  return durationSummary({
    count: samples.length,
    meanSeconds: samples.length === 0 ? null : seconds.reduce((a, b) => a + b, 0) / samples.length,
    p90Seconds: percentile(seconds, 90),
    withinShare:
      samples.length === 0
        ? null
        : samples.filter((s) => s.seconds <= s.limitMinutes * 60).length / samples.length,
    limits: samples.map((s) => s.limitMinutes),
  });
}

function groupBy<T extends { key: string }>(items: readonly T[]): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const item of items) {
    const list = out.get(item.key);
    if (list) list.push(item);
    else out.set(item.key, [item]);
  }
  return out;
}

/** One row per key that has any sample, sorted by key. */
export function queueStatistics(input: {
  tickets: readonly TicketSample[];
  waits: readonly WaitSample[];
  transactions: readonly TransactionSample[];
}): QueueStatsRow[] {
  const tickets = groupBy(input.tickets);
  const waits = groupBy(input.waits);
  const transactions = groupBy(input.transactions);
  const keys = [...new Set([...tickets.keys(), ...waits.keys(), ...transactions.keys()])].sort();
  return keys.map((key) => {
    const ts = tickets.get(key) ?? [];
    const ws = waits.get(key) ?? [];
    const xs = transactions.get(key) ?? [];
    const count = (end: TicketEnd) => ts.filter((t) => t.end === end).length;
    const byChannel: Record<string, number> = {};
    for (const t of ts) byChannel[t.channel] = (byChannel[t.channel] ?? 0) + 1;
    const selling = xs.map((x) => x.sellingSeconds / 60);
    return {
      key,
      tickets: ts.length,
      served: count('served'),
      noShows: count('no_show'),
      notServed: count('not_served'),
      cancelled: count('cancelled'),
      transferred: count('transferred'),
      open: count('open'),
      byChannel,
      wait: summarize(ws),
      normalWait: summarize(ws.filter((w) => !w.vip)),
      vipWait: summarize(ws.filter((w) => w.vip)),
      transaction: summarize(xs),
      averageSellingMinutes:
        selling.length === 0 ? null : round2(selling.reduce((a, b) => a + b, 0) / selling.length),
    };
  });
}

/* ----------------------------------------------------------------------------------------------- */
/* A clerk's own day at the counter, and customers' ratings.                                         */

/** One call the clerk ended today (a transaction row): how it ended and its measured time. */
export interface ClerkCall {
  outcome: 'served' | 'transferred' | 'parked' | 'no_show' | 'not_served';
  /** Start → business done; null when never started (a no-show). */
  transactionSeconds: number | null;
  /** The transaction limit in force when it was measured (queue.transactionMinutes, 10 by default). */
  transactionLimitMinutes: number;
}

export interface ClerkDay {
  /** Customers served to the end (finished). */
  served: number;
  /** Every call ended: served, transferred, parked, no-shows. */
  calls: number;
  noShows: number;
  /** Handling time of the served customers: average, 90th percentile, share within the recorded limits. */
  handling: DurationSummary;
}

/**
 * A clerk's figures of the day (the counter page's 今日业绩): customers served, their average handling time
 * and the share handled within the transaction limit recorded with each (the same rule as the statistics:
 * served calls with a measured time, judged against the limit beside the measurement).
 */
export function clerkDay(calls: readonly ClerkCall[]): ClerkDay {
  const served = calls.filter((c) => c.outcome === 'served');
  const measured = served
    .filter((c) => c.transactionSeconds !== null)
    .map((c) => ({ seconds: c.transactionSeconds!, limitMinutes: c.transactionLimitMinutes }));
  return {
    served: served.length,
    calls: calls.length,
    noShows: calls.filter((c) => c.outcome === 'no_show').length,
    handling: summarize(measured),
  };
}

/** Scores a customer gives on the rating pad. */
export const RATING_SCORES = [1, 2, 3, 4, 5] as const;
/** A rating at or below this is unsatisfied (不满意). */
export const UNSATISFIED_AT_MOST = 2;

export interface RatingSummary {
  count: number;
  /** Mean score, 2 decimals; null without ratings. */
  average: number | null;
  /** Ratings of 1, 2, 3, 4 and 5. */
  byScore: [number, number, number, number, number];
  /** Share of 4 and 5 (满意率), 4 decimals; null without ratings. */
  satisfiedShare: number | null;
  /** Share of 1 and 2, 4 decimals; null without ratings. */
  unsatisfiedShare: number | null;
}

/** A summary of ratings (1–5); a score outside 1–5 is a programming error. */
export function ratingSummary(scores: readonly number[]): RatingSummary {
  const byScore: [number, number, number, number, number] = [0, 0, 0, 0, 0];
  for (const s of scores) {
    if (!Number.isInteger(s) || s < 1 || s > 5) throw new RangeError(`a rating is 1–5, got ${s}`);
    byScore[s - 1]! += 1;
  }
  return ratingSummaryOf(byScore);
}

/** The same summary from counts per score (as a database groups them). */
export function ratingSummaryOf(byScore: readonly number[]): RatingSummary {
  const counts: [number, number, number, number, number] = [0, 0, 0, 0, 0];
  RATING_SCORES.forEach((s, i) => (counts[i] = byScore[i] ?? 0));
  const count = counts.reduce((a, b) => a + b, 0);
  if (count === 0) {
    return { count, average: null, byScore: counts, satisfiedShare: null, unsatisfiedShare: null };
  }
  const sum = counts.reduce((a, n, i) => a + n * (i + 1), 0);
  const share = (n: number) => Math.round((n / count) * 10_000) / 10_000;
  return {
    count,
    average: round2(sum / count),
    byScore: counts,
    satisfiedShare: share(counts[3] + counts[4]),
    unsatisfiedShare: share(counts.slice(0, UNSATISFIED_AT_MOST).reduce((a, b) => a + b, 0)),
  };
}

/**
 * May a finished ticket still be rated at `now`? Only its counter's last finished ticket, not rated yet,
 * within `windowMinutes` of finishing. Answers null when it may, else why not.
 */
export function ratingRefusal(input: {
  finishedAt: Date | null;
  isLastFinishedAtCounter: boolean;
  alreadyRated: boolean;
  windowMinutes: number;
  now: Date;
}): 'not_finished' | 'not_last' | 'already_rated' | 'window_over' | null {
  if (input.finishedAt === null) return 'not_finished';
  if (input.alreadyRated) return 'already_rated';
  if (!input.isLastFinishedAtCounter) return 'not_last';
  if (input.now.getTime() - input.finishedAt.getTime() > input.windowMinutes * 60_000) return 'window_over';
  return null;
}
