/**
 * The one estimate of a customer's wait that every page shows (kiosk cards, the ticket slip, the remote
 * page, the floor guide, the floor view), and the service time the staffing advice uses.
 *
 * What it means: the minutes until a ticket is called, if the people ahead of it in its line share the
 * counters open for that line, each taking the queue's service time now.
 * - the line: the ticket's queue (or, for a ticket transferred to one counter, that counter's tickets);
 *   for a ticket not yet taken (a kiosk card, the floor view's queue row) the waiting tickets of the queue
 *   not sent to a particular counter: a new ordinary ticket stands behind all of them;
 * - the counters: those open now whose work profile names the queue (1 or 0 for a counter's own line);
 * - the service time: the mean of the queue's latest `windowSize` measured transactions that ended today
 *   at or before `now`; while fewer than `minMeasured` are measured, the configured service time
 *   (`fallbackMinutes`: the mean of the configured means of the queue's categories).
 *
 * Pure: no I/O, the clock is the `now` parameter.
 */

/** One measured transaction of the queue: when it ended and how many minutes it took. */
export interface MeasuredService {
  endedAt: Date;
  minutes: number;
}

/** Defaults of the settings `queue.estimateWindow`, `queue.estimateMinMeasured`, `queue.defaultServiceMinutes`. */
export const ESTIMATE_DEFAULTS = Object.freeze({ windowSize: 50, minMeasured: 5, defaultServiceMinutes: 8 });

export interface EstimateWindow {
  /** How many of the latest measured transactions the mean is taken over. */
  windowSize: number;
  /** Below this many measured transactions the configured service time is used. */
  minMeasured: number;
}

export interface WaitEstimate {
  /** Whole minutes (rounded up) until called; null while no counter is open for the line. */
  minutes: number | null;
  /** The service time used, in minutes. */
  serviceMinutes: number;
  /** How many measured transactions it is the mean of (0 when the configured time was used). */
  measured: number;
}

function assertCount(value: number, name: string, min: number): void {
  if (!Number.isInteger(value) || value < min)
    throw new RangeError(`${name} must be an integer >= ${min}, got ${value}`);
}

/**
 * The queue's service time at `now`: the mean of the latest `windowSize` measurements ended at or before
 * `now` (finite, non-negative ones only), or `fallbackMinutes` while fewer than `minMeasured` exist.
 */
export function serviceMinutesAt(
  recent: readonly MeasuredService[],
  fallbackMinutes: number,
  window: EstimateWindow,
  now: Date,
): { minutes: number; measured: number } {
  assertCount(window.windowSize, 'windowSize', 1);
  assertCount(window.minMeasured, 'minMeasured', 1);
  if (!Number.isFinite(fallbackMinutes) || fallbackMinutes < 0) {
    throw new RangeError(`fallbackMinutes must be >= 0, got ${fallbackMinutes}`);
  }
  const nowMs = now.getTime();
  const usable = recent
    .filter((m) => m.endedAt.getTime() <= nowMs && Number.isFinite(m.minutes) && m.minutes >= 0)
    .sort((a, b) => b.endedAt.getTime() - a.endedAt.getTime())
    .slice(0, window.windowSize);
  if (usable.length < window.minMeasured || usable.length === 0)
    return { minutes: fallbackMinutes, measured: 0 };
  return { minutes: usable.reduce((s, m) => s + m.minutes, 0) / usable.length, measured: usable.length };
}

/** The expected wait of a ticket with `ahead` people before it in its line (see the module comment). */
export function waitEstimate(input: {
  now: Date;
  ahead: number;
  openCounters: number;
  recent: readonly MeasuredService[];
  fallbackMinutes: number;
  window: EstimateWindow;
}): WaitEstimate {
  const { ahead, openCounters } = input;
  assertCount(ahead, 'ahead', 0);
  assertCount(openCounters, 'openCounters', 0);
  const service = serviceMinutesAt(input.recent, input.fallbackMinutes, input.window, input.now);
  const minutes =
    openCounters === 0 ? null : Math.max(0, Math.ceil((ahead * service.minutes) / openCounters - 1e-9));
  return { minutes, serviceMinutes: service.minutes, measured: service.measured };
}

/** The configured service time of a queue: the mean of its categories' configured means, else `defaultMinutes`. */
export function configuredServiceMinutes(categoryMeans: readonly number[], defaultMinutes: number): number {
  const usable = categoryMeans.filter((m) => Number.isFinite(m) && m >= 0);
  return usable.length === 0 ? defaultMinutes : usable.reduce((a, b) => a + b, 0) / usable.length;
}
