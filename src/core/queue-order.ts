/**
 * Segmentation and calling rules of the business-hall queue (vocabulary after Qmatic).
 *
 * A visit takes a ticket for a service (category); segmentation rules send it to a queue; a service point
 * (counter) calls the next ticket according to its work profile.
 *
 * Pure functions: no I/O, no clock of their own (`now` is always a parameter).
 * An empty list in a condition (`tiers: []`, `categories: []`) is treated like an absent one: no restriction.
 */

/** Customer value tier (VIP tiers: diamond, gold, silver). */
export type Tier = 'diamond' | 'gold' | 'silver' | 'ordinary';

/** What is known about the customer when the ticket is taken. */
export interface CustomerFacts {
  tier: Tier | null;
  is3g: boolean;
  hasAppointment: boolean;
}

/** Sends a visit to `queue` when every given condition holds. */
export interface SegmentationRule {
  queue: string;
  when: { tiers?: Tier[]; is3g?: boolean; appointment?: boolean; categories?: string[] };
}

/** A ticket waiting to be called. */
export interface WaitingTicket {
  id: string;
  queue: string;
  category: string;
  /** Higher first within a queue (e.g. appointment 2, VIP 1, normal 0). */
  priority: number;
  /** May be earlier than `takenAt` after a transfer that keeps the waiting time. */
  waitingSince: Date;
  takenAt: Date;
  calledCount?: number;
  /** A VIP/3G customer: waits against the VIP limit (absent: false). */
  vip?: boolean;
  /**
   * Set when the ticket was transferred to one counter: only that counter calls it, before anything its
   * work profile names; other counters never see it.
   */
  counterId?: string | null;
}

/** One line of a work profile. */
export type ProfileRule =
  /** Call from this queue (rules are tried in order). */
  | { kind: 'queue'; queue: string }
  /** Call from this queue first when its oldest eligible ticket has waited more than `afterMinutes`. */
  | { kind: 'overdue'; queue: string; afterMinutes: number };

/** How a service point (counter) picks its next ticket. */
export interface WorkProfile {
  rules: ProfileRule[];
  /** When given (and non-empty), the counter serves only these service categories. */
  categories?: string[];
}

const MS_PER_MINUTE = 60_000;

function hasItems<T>(list: readonly T[] | undefined): list is readonly T[] {
  return list !== undefined && list.length > 0;
}

/** Whether a segmentation rule's conditions all hold for this visit. */
export function ruleMatches(rule: SegmentationRule, category: string, facts: CustomerFacts): boolean {
  const { tiers, is3g, appointment, categories } = rule.when;
  if (hasItems(tiers) && (facts.tier === null || !tiers.includes(facts.tier))) return false;
  if (is3g !== undefined && facts.is3g !== is3g) return false;
  if (appointment !== undefined && facts.hasAppointment !== appointment) return false;
  if (hasItems(categories) && !categories.includes(category)) return false;
  return true;
}

/** The queue of the first rule whose conditions all hold, else `defaultQueue`. */
export function segment(
  rules: SegmentationRule[],
  category: string,
  facts: CustomerFacts,
  defaultQueue: string,
): string {
  const rule = rules.find((r) => ruleMatches(r, category, facts));
  return rule === undefined ? defaultQueue : rule.queue;
}

/** The wait limits the order rule knows: a ticket waiting longer than its limit is overdue. */
export interface OrderLimits {
  waitMinutes: number;
  vipWaitMinutes: number;
}

/** The moment the order is decided at and the limits in force (without them, nobody is overdue). */
export interface OrderClock {
  now: Date;
  limits: OrderLimits;
}

/**
 * Whether a ticket has waited longer than its limit at `now`: the VIP/3G limit for a VIP/3G customer,
 * the normal limit for others (the same "over the limit" as the floor alerts' breach).
 */
export function isOverdue(t: WaitingTicket, clock: OrderClock): boolean {
  const limit = t.vip === true ? clock.limits.vipWaitMinutes : clock.limits.waitMinutes;
  return clock.now.getTime() - t.waitingSince.getTime() > Math.round(limit * MS_PER_MINUTE);
}

/**
 * Order within a line (README "The order of a line"):
 * 1. tickets that waited past their limit (overdue), whatever their priority, longest waiting first;
 * 2. the others by priority (appointment check-ins 1, walk-ins 0), then earliest waitingSince;
 * ties by earliest takenAt, then id. Without `clock` nobody is overdue (priority, then waiting time).
 * Negative when `a` is called before `b`.
 */
export function compareTickets(a: WaitingTicket, b: WaitingTicket, clock?: OrderClock): number {
  if (clock !== undefined) {
    const ao = isOverdue(a, clock);
    const bo = isOverdue(b, clock);
    if (ao !== bo) return ao ? -1 : 1;
    if (ao && bo) return tieBreak(a, b);
  }
  if (a.priority !== b.priority) return b.priority - a.priority;
  return tieBreak(a, b);
}

function tieBreak(a: WaitingTicket, b: WaitingTicket): number {
  const since = a.waitingSince.getTime() - b.waitingSince.getTime();
  if (since !== 0) return since;
  const taken = a.takenAt.getTime() - b.takenAt.getTime();
  if (taken !== 0) return taken;
  if (a.id === b.id) return 0;
  return a.id < b.id ? -1 : 1;
}

/** Whether the counter may serve this ticket's service category. */
export function servesCategory(profile: WorkProfile, category: string): boolean {
  return !hasItems(profile.categories) || profile.categories.includes(category);
}

/** Whether any rule of the work profile names this queue. */
export function servesQueue(profile: WorkProfile, queue: string): boolean {
  return profile.rules.some((r) => r.queue === queue);
}

function firstBy<T>(items: readonly T[], before: (a: T, b: T) => number): T | null {
  let best: T | null = null;
  for (const item of items) {
    if (best === null || before(item, best) < 0) best = item;
  }
  return best;
}

/**
 * The ticket a counter with this work profile calls next, or null.
 * 0) When `counterId` is given, tickets transferred to that counter come first (in queue order), whatever
 *    their queue or category; tickets transferred to any counter are never picked by another one.
 * 1) Among 'overdue' rules whose queue's oldest eligible ticket (earliest waitingSince) waited more than
 *    afterMinutes, the one overdue by the most minutes beyond its own threshold wins (ties: rule order);
 * 2) otherwise the first 'queue' rule, in order, whose queue has an eligible ticket.
 * From the chosen queue the first ticket in queue order ({@link compareTickets}; given `limits`, tickets
 * that waited past their limit first) is called.
 * Eligible: category served by the profile. Queues the profile does not name are never picked.
 */
export function pickNext(
  waiting: WaitingTicket[],
  profile: WorkProfile,
  now: Date,
  counterId?: string,
  limits?: OrderLimits,
): WaitingTicket | null {
  const order = (a: WaitingTicket, b: WaitingTicket) =>
    compareTickets(a, b, limits === undefined ? undefined : { now, limits });
  if (counterId !== undefined) {
    const mine = firstBy(
      waiting.filter((t) => t.counterId === counterId),
      order,
    );
    if (mine !== null) return mine;
  }
  const byQueue = new Map<string, WaitingTicket[]>();
  for (const t of waiting) {
    if (t.counterId !== undefined && t.counterId !== null) continue;
    if (!servesCategory(profile, t.category)) continue;
    const list = byQueue.get(t.queue);
    if (list === undefined) byQueue.set(t.queue, [t]);
    else list.push(t);
  }

  const nowMs = now.getTime();
  let overdueQueue: string | null = null;
  let overdueBy = 0;
  for (const rule of profile.rules) {
    if (rule.kind !== 'overdue') continue;
    const tickets = byQueue.get(rule.queue);
    if (tickets === undefined) continue;
    const oldest = firstBy(tickets, (a, b) => a.waitingSince.getTime() - b.waitingSince.getTime());
    if (oldest === null) continue;
    const excess = nowMs - oldest.waitingSince.getTime() - Math.round(rule.afterMinutes * MS_PER_MINUTE);
    if (excess > 0 && (overdueQueue === null || excess > overdueBy)) {
      overdueQueue = rule.queue;
      overdueBy = excess;
    }
  }

  if (overdueQueue !== null) return firstBy(byQueue.get(overdueQueue) ?? [], order);
  for (const rule of profile.rules) {
    if (rule.kind !== 'queue') continue;
    const next = firstBy(byQueue.get(rule.queue) ?? [], order);
    if (next !== null) return next;
  }
  return null;
}

/** The line a ticket stands in: its counter when transferred to one, else its queue. */
function laneOf(t: WaitingTicket): string {
  return t.counterId !== undefined && t.counterId !== null ? `counter:${t.counterId}` : `queue:${t.queue}`;
}

/**
 * How many other tickets of the same line are ordered before this one: the same queue, or, for a ticket
 * transferred to a counter, the other tickets transferred to that counter.
 */
export function peopleAhead(waiting: WaitingTicket[], ticket: WaitingTicket, clock?: OrderClock): number {
  const lane = laneOf(ticket);
  let ahead = 0;
  for (const t of waiting) {
    if (t.id !== ticket.id && laneOf(t) === lane && compareTickets(t, ticket, clock) < 0) ahead += 1;
  }
  return ahead;
}
