/**
 * Staffing maths for the business-hall queue: the Erlang C (M/M/c) model.
 *
 * Units: arrivals per minute, service (handling) time in minutes, waits in minutes.
 * Traffic intensity A = arrivals × mean service time (Erlangs). A system with c counters is
 * stable only when c > A; otherwise the queue grows without bound.
 *
 * Pure functions: no I/O, no clock.
 */

/** Documented defaults of the staffing maths. */
export const ERLANG_DEFAULTS = Object.freeze({
  /** Upper bound of the counter search in {@link serversNeeded}. */
  maxServers: 200,
});

function assertServers(servers: number, name = 'servers'): void {
  if (!Number.isInteger(servers) || servers < 0) {
    throw new RangeError(`${name} must be a non-negative integer, got ${servers}`);
  }
}

function assertNonNegative(value: number, name: string): void {
  if (!Number.isFinite(value) || value < 0) {
    throw new RangeError(`${name} must be a finite number >= 0, got ${value}`);
  }
}

function assertShare(value: number, name: string): void {
  if (!Number.isFinite(value) || value <= 0 || value > 1) {
    throw new RangeError(`${name} must be in (0, 1], got ${value}`);
  }
}

/** Erlang C from the Erlang B blocking probability of the same system (requires servers > traffic). */
function erlangCFromB(servers: number, traffic: number, blocking: number): number {
  return (servers * blocking) / (servers - traffic * (1 - blocking));
}

/**
 * Erlang B blocking probability B(c, A) by the stable recursion B(k) = A·B(k−1) / (k + A·B(k−1)), B(0) = 1.
 */
export function erlangB(servers: number, trafficErlangs: number): number {
  assertServers(servers);
  assertNonNegative(trafficErlangs, 'trafficErlangs');
  let blocking = 1;
  for (let k = 1; k <= servers; k += 1) {
    blocking = (trafficErlangs * blocking) / (k + trafficErlangs * blocking);
  }
  return blocking;
}

/**
 * Probability that an arriving customer has to wait (Erlang C), computed from the Erlang B recursion;
 * 1 when servers <= traffic (unstable system).
 */
export function erlangC(servers: number, trafficErlangs: number): number {
  assertServers(servers);
  assertNonNegative(trafficErlangs, 'trafficErlangs');
  if (servers <= trafficErlangs) return 1;
  return erlangCFromB(servers, trafficErlangs, erlangB(servers, trafficErlangs));
}

function levelFrom(
  servers: number,
  traffic: number,
  waitProbability: number,
  meanServiceMinutes: number,
  targetWaitMinutes: number,
): number {
  if (servers <= traffic) return 0;
  if (waitProbability === 0) return 1;
  const decay = Math.exp((-(servers - traffic) * targetWaitMinutes) / meanServiceMinutes);
  return Math.min(1, Math.max(0, 1 - waitProbability * decay));
}

/**
 * Service level P(wait <= target) = 1 − C·exp(−(c − A)·t / h); 0 when unstable (servers <= traffic).
 */
export function serviceLevel(
  servers: number,
  arrivalsPerMinute: number,
  meanServiceMinutes: number,
  targetWaitMinutes: number,
): number {
  assertServers(servers);
  assertNonNegative(arrivalsPerMinute, 'arrivalsPerMinute');
  assertNonNegative(meanServiceMinutes, 'meanServiceMinutes');
  assertNonNegative(targetWaitMinutes, 'targetWaitMinutes');
  const traffic = arrivalsPerMinute * meanServiceMinutes;
  const c = erlangC(servers, traffic);
  return levelFrom(servers, traffic, c, meanServiceMinutes, targetWaitMinutes);
}

/**
 * Average speed of answer (mean wait of all customers) in minutes: C·h / (c − A); Infinity when unstable.
 */
export function averageWait(servers: number, arrivalsPerMinute: number, meanServiceMinutes: number): number {
  assertServers(servers);
  assertNonNegative(arrivalsPerMinute, 'arrivalsPerMinute');
  assertNonNegative(meanServiceMinutes, 'meanServiceMinutes');
  const traffic = arrivalsPerMinute * meanServiceMinutes;
  if (servers <= traffic) return Infinity;
  return (erlangC(servers, traffic) * meanServiceMinutes) / (servers - traffic);
}

/**
 * Smallest number of counters c (1 <= c <= maxServers, default 200) whose service level for the target wait
 * is at least targetShare; 0 when there are no arrivals. Only stable counts (c > A) qualify. When even
 * maxServers does not reach the target, maxServers is returned (the search is capped).
 */
export function serversNeeded(
  arrivalsPerMinute: number,
  meanServiceMinutes: number,
  targetWaitMinutes: number,
  targetShare: number,
  maxServers: number = ERLANG_DEFAULTS.maxServers,
): number {
  assertNonNegative(arrivalsPerMinute, 'arrivalsPerMinute');
  assertNonNegative(meanServiceMinutes, 'meanServiceMinutes');
  assertNonNegative(targetWaitMinutes, 'targetWaitMinutes');
  assertShare(targetShare, 'targetShare');
  assertServers(maxServers, 'maxServers');
  if (maxServers < 1) throw new RangeError(`maxServers must be >= 1, got ${maxServers}`);
  if (arrivalsPerMinute === 0) return 0;
  const traffic = arrivalsPerMinute * meanServiceMinutes;
  // One pass of the Erlang B recursion; Erlang C and the service level are derived at each stable c.
  let blocking = 1;
  for (let c = 1; c <= maxServers; c += 1) {
    blocking = (traffic * blocking) / (c + traffic * blocking);
    if (c <= traffic) continue;
    const waitProbability = erlangCFromB(c, traffic, blocking);
    if (levelFrom(c, traffic, waitProbability, meanServiceMinutes, targetWaitMinutes) >= targetShare) {
      return c;
    }
  }
  return maxServers;
}
