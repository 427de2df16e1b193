/**
 * What the duty manager's floor view shows of the alerts: one row per queue (and one per counter for a
 * transaction over its limit) instead of one per ticket, and one "open N more counters" figure for the
 * hall, split over the queues that need them.
 *
 * Pure functions: no I/O, no clock (the alerts come from `evaluateLimits`, which has the clock).
 */
import type { Alert, AlertKind, AlertLevel } from './wait-limits.ts';

/** The alerts of one queue (waits) or one counter (a transaction), summed up. */
export interface AlertGroup {
  /** `queue:<code>` or `counter:<id>`: what an acknowledgement names. */
  key: string;
  /** 'vip_wait' when the queue's oldest alerting ticket is a VIP/3G one. */
  kind: AlertKind;
  level: AlertLevel;
  queue: string | null;
  counterId: string | null;
  /** The ticket that has waited (or been served) longest of the group. */
  oldestTicketId: string;
  oldestMinutes: number;
  limitMinutes: number;
  /** Tickets over their limit. */
  over: number;
  /** Tickets at or past the warning share but not over the limit. */
  near: number;
}

const RANK: Record<AlertLevel, number> = { breach: 0, warning: 1 };

/**
 * One group per queue for wait alerts and per counter for transaction alerts. Sorted: breach before
 * warning, more tickets over the limit first, then the longest elapsed, then the key.
 */
export function groupAlerts(alerts: readonly Alert[]): AlertGroup[] {
  const groups = new Map<string, AlertGroup>();
  for (const a of alerts) {
    const key = a.kind === 'transaction' ? `counter:${a.counterId ?? a.ticketId}` : `queue:${a.queue ?? ''}`;
    const g = groups.get(key);
    const over = a.level === 'breach' ? 1 : 0;
    if (g === undefined) {
      groups.set(key, {
        key,
        kind: a.kind,
        level: a.level,
        queue: a.queue,
        counterId: a.counterId ?? null,
        oldestTicketId: a.ticketId,
        oldestMinutes: a.elapsedMinutes,
        limitMinutes: a.limitMinutes,
        over,
        near: 1 - over,
      });
      continue;
    }
    g.over += over;
    g.near += 1 - over;
    if (RANK[a.level] < RANK[g.level]) g.level = a.level;
    if (a.elapsedMinutes > g.oldestMinutes) {
      g.oldestTicketId = a.ticketId;
      g.oldestMinutes = a.elapsedMinutes;
      g.limitMinutes = a.limitMinutes;
      g.kind = a.kind;
      g.counterId = a.counterId ?? null;
    }
  }
  return [...groups.values()].sort(
    (a, b) =>
      RANK[a.level] - RANK[b.level] ||
      b.over - a.over ||
      b.oldestMinutes - a.oldestMinutes ||
      (a.key < b.key ? -1 : a.key > b.key ? 1 : 0),
  );
}

/** How many more counters a queue needs (Erlang C / backlog, `countersAdvice`), most urgent first. */
export interface QueueNeed {
  queue: string;
  toOpen: number;
}

/** A counter that exists and is closed, with the queues it can call from (null: any queue). */
export interface ClosedCounter {
  id: string;
  queues: readonly string[] | null;
}

export interface HallAdvice {
  /** Counters to open in the hall: never more than the closed counters that can serve a queue in need. */
  total: number;
  /** Per queue (in the order of `needs`), adding up to `total`; each at most the queue's own need. */
  byQueue: QueueNeed[];
  /** Which closed counter to open for which queue. */
  counters: { counterId: string; queue: string }[];
}

/**
 * One "open N more counters" figure for the hall: the queues' needs matched to the closed counters that
 * can call from them (a maximum bipartite matching, each counter opened for one queue). Needs earlier
 * in `needs` are served first: once matched, a queue's slot stays matched while the rest are tried.
 */
export function hallAdvice(needs: readonly QueueNeed[], closed: readonly ClosedCounter[]): HallAdvice {
  const slots: string[] = [];
  for (const n of needs) {
    if (!Number.isInteger(n.toOpen) || n.toOpen < 0) {
      throw new RangeError(`toOpen must be a whole number >= 0, got ${n.toOpen}`);
    }
    for (let i = 0; i < Math.min(n.toOpen, closed.length); i++) slots.push(n.queue);
  }
  const serves = (c: ClosedCounter, queue: string) => c.queues === null || c.queues.includes(queue);
  // counterOf[slot] = index of the counter matched to that slot; slotOf[counter] = its slot.
  const slotOf = new Array<number>(closed.length).fill(-1);
  const counterOf = new Array<number>(slots.length).fill(-1);
  const augment = (slot: number, seen: boolean[]): boolean => {
    for (let c = 0; c < closed.length; c++) {
      if (seen[c] || !serves(closed[c]!, slots[slot]!)) continue;
      seen[c] = true;
      if (slotOf[c] === -1 || augment(slotOf[c]!, seen)) {
        slotOf[c] = slot;
        counterOf[slot] = c;
        return true;
      }
    }
    return false;
  };
  for (let s = 0; s < slots.length; s++) augment(s, new Array<boolean>(closed.length).fill(false));
  const byQueue = needs.map((n) => ({ queue: n.queue, toOpen: 0 }));
  const counters: { counterId: string; queue: string }[] = [];
  for (let s = 0; s < slots.length; s++) {
    if (counterOf[s] === -1) continue;
    byQueue.find((q) => q.queue === slots[s])!.toOpen += 1;
    counters.push({ counterId: closed[counterOf[s]!]!.id, queue: slots[s]! });
  }
  return { total: counters.length, byQueue, counters };
}
