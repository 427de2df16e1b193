/**
 * Time limits of work orders (限时办结), the SLA model of GLPI and ServiceNow on the Chinese business calendar:
 * a policy is a condition (kind, channel, customer tier, category in a tree, attributes) → targets (first
 * response, resolution, the regulator's answer limit), each counted on a clock — the owning unit's opening
 * hours ('business'), its working days with 调休 ('workdays') or plain time ('calendar') — or a deadline
 * carried on the order (an appeal's, from the regulator). Pauses (waiting for the customer or a third party)
 * stop the clocks that allow it; an escalation ladder names the level in force before, at and after a breach.
 *
 * Pure: no I/O and no clock of its own; `now` is passed in. Instants are Dates at the boundary and epoch
 * milliseconds inside. Every clock answers through a CompiledSchedule (compile the unit's schedule once and
 * keep it), so one due time costs a few binary searches.
 */
import type { CompiledSchedule } from './calendar.ts';
import type { SettingKey } from './settings.ts';
import { settingDef } from './settings.ts';

const MINUTE_MS = 60_000;

/* ------------------------------------------------------------------------------------------------ */
/* Vocabulary.                                                                                      */
/* ------------------------------------------------------------------------------------------------ */

export const WORK_ORDER_KINDS = [
  'consultation',
  'fault',
  'complaint',
  'escalated_complaint',
  'appeal',
  'suggestion',
] as const;
export type WorkOrderKind = (typeof WORK_ORDER_KINDS)[number];

/** The kinds' names, for exports (the pages have their own dictionaries). */
export const WORK_ORDER_KIND_NAMES: Record<WorkOrderKind, string> = {
  consultation: '咨询 Consultation',
  fault: '故障申告 Fault report',
  complaint: '投诉 Complaint',
  escalated_complaint: '升级投诉 Escalated complaint',
  appeal: '申诉 Appeal',
  suggestion: '建议 Suggestion',
};

export const WORK_ORDER_CHANNELS = ['counter', 'hotline', 'e_channel', 'letter', 'regulator'] as const;
export type WorkOrderChannel = (typeof WORK_ORDER_CHANNELS)[number];

/** Escalation levels, lowest first. */
export const ESCALATION_LEVELS = ['warn_owner', 'supervisor', 'superior_unit'] as const;
export type EscalationLevel = (typeof ESCALATION_LEVELS)[number];

export const ESCALATION_LEVEL_LABELS: Record<EscalationLevel, { zh: string; en: string }> = {
  warn_owner: { zh: '提醒首问责任人', en: 'Warn the owner' },
  supervisor: { zh: '通知主管', en: 'Tell the supervisor' },
  superior_unit: { zh: '移交上级单位督办', en: 'Move to the superior unit' },
};

/**
 * How a target's time is counted: 'business' = the owning unit's opening hours (holidays and 调休 as its
 * calendar says); 'workdays' = every minute of a working day (Monday–Friday and makeup days, not holidays),
 * so 5 working days = 5 × 1440 minutes; 'calendar' = plain elapsed time.
 */
export type SlaClock = 'business' | 'workdays' | 'calendar';

export interface DurationTarget {
  clock: SlaClock;
  /** The limit in counted minutes, a positive integer. */
  minutes: number;
  /** Whether the order's pauses stop this clock (default true; a regulator's limit does not stop). */
  pausable?: boolean;
  /** A goal for the mean over orders, for reports only (mobile faults: 24 h on average, 48 h at most). */
  averageMinutes?: number;
}

/** A fixed deadline carried on the order (an appeal's, set by the regulator): pauses never move it. */
export interface DeadlineTarget {
  clock: 'deadline';
  at: Date;
}

export type SlaTarget = DurationTarget | DeadlineTarget;

/** An interval during which the clocks stop; `to` null = still paused. */
export interface Pause {
  from: Date;
  to: Date | null;
}

/** A step of an escalation ladder, its threshold counted on the target's own clock (pauses stop it too). */
export type EscalationStep =
  | { level: EscalationLevel; at: number }
  | { level: EscalationLevel; beforeMinutes: number }
  | { level: EscalationLevel; afterMinutes: number };

/* ------------------------------------------------------------------------------------------------ */
/* Clocks.                                                                                          */
/* ------------------------------------------------------------------------------------------------ */

/** A counted clock: add counted milliseconds, measure counted milliseconds (a CompiledSchedule is one). */
interface Counter {
  addMs(startMs: number, ms: number): number;
  msBetween(fromMs: number, toMs: number): number;
}

const WALL: Counter = {
  addMs: (startMs, ms) => startMs + ms,
  msBetween: (fromMs, toMs) => (toMs > fromMs ? toMs - fromMs : 0),
};

function counterOf(clock: SlaClock | 'deadline', compiled: CompiledSchedule): Counter {
  if (clock === 'calendar' || clock === 'deadline') return WALL;
  return clock === 'workdays' ? compiled.workdays() : compiled;
}

function ms(at: Date, what: string): number {
  const t = at instanceof Date ? at.getTime() : Number.NaN;
  if (!Number.isFinite(t)) throw new RangeError(`${what} is not a valid Date`);
  return t;
}

type PauseMs = [from: number, to: number];

/**
 * Pauses as sorted disjoint [from, to) from `startMs` on; an open pause ends at +Infinity (and swallows
 * any later one). Throws RangeError on a pause that ends before it starts.
 */
function normalizePauses(pauses: readonly Pause[], startMs: number): PauseMs[] {
  if (pauses.length === 0) return [];
  const list: PauseMs[] = [];
  for (const p of pauses) {
    const from = ms(p.from, 'pause start');
    const to = p.to === null ? Number.POSITIVE_INFINITY : ms(p.to, 'pause end');
    if (to < from) throw new RangeError('a pause ends before it starts');
    const lo = Math.max(from, startMs);
    if (to > lo) list.push([lo, to]);
  }
  list.sort((a, b) => a[0] - b[0]);
  const merged: PauseMs[] = [];
  for (const p of list) {
    const last = merged[merged.length - 1];
    if (last && p[0] <= last[1]) last[1] = Math.max(last[1], p[1]);
    else merged.push(p);
  }
  return merged;
}

/**
 * The instant at which `amount` counted milliseconds have passed since `startMs`, the pauses not counting;
 * null when an open pause stops the clock first. Reaching the amount exactly at the start of a pause (or at
 * a close) answers that instant.
 */
function reachMs(c: Counter, startMs: number, amount: number, pauses: readonly PauseMs[]): number | null {
  let cursor = startMs;
  let remaining = amount;
  for (const [from, to] of pauses) {
    if (from > cursor) {
      const available = c.msBetween(cursor, from);
      if (available >= remaining) return c.addMs(cursor, remaining);
      remaining -= available;
    }
    if (to === Number.POSITIVE_INFINITY) return null;
    cursor = Math.max(cursor, to);
  }
  return c.addMs(cursor, remaining);
}

/** Counted milliseconds in [startMs, nowMs), the pauses not counting. */
function countedMs(c: Counter, startMs: number, nowMs: number, pauses: readonly PauseMs[]): number {
  if (nowMs <= startMs) return 0;
  let total = c.msBetween(startMs, nowMs);
  for (const [from, to] of pauses) {
    if (from >= nowMs) break;
    total -= c.msBetween(from, Math.min(to, nowMs));
  }
  return total;
}

/** Counted milliseconds of `c` that fell inside the pauses before nowMs. */
function pausedMs(c: Counter, nowMs: number, pauses: readonly PauseMs[]): number {
  let total = 0;
  for (const [from, to] of pauses) {
    if (from >= nowMs) break;
    total += c.msBetween(from, Math.min(to, nowMs));
  }
  return total;
}

function targetProblem(target: SlaTarget): string | null {
  if (target.clock === 'deadline') {
    return target.at instanceof Date && Number.isFinite(target.at.getTime())
      ? null
      : 'deadline is not a valid Date';
  }
  if (target.clock !== 'business' && target.clock !== 'workdays' && target.clock !== 'calendar') {
    return `unknown clock ${JSON.stringify(target.clock)}`;
  }
  if (
    !Number.isSafeInteger(target.minutes) ||
    target.minutes < 1 ||
    !Number.isSafeInteger(target.minutes * MINUTE_MS)
  ) {
    return `minutes must be a positive integer, got ${target.minutes}`;
  }
  return null;
}

/** A target made ready for repeated questions: its counter, its length and its pauses. */
interface Prepared {
  c: Counter;
  startMs: number;
  /** The limit in counted ms (for a deadline: the plain time from start to it, at least 0). */
  totalMs: number;
  pauses: PauseMs[];
  /** The deadline's instant, for a deadline target. */
  deadlineMs: number | null;
}

function prepare(
  target: SlaTarget,
  start: Date,
  pauses: readonly Pause[],
  compiled: CompiledSchedule,
  mode?: SlaClock,
): Prepared {
  const problem = targetProblem(target);
  if (problem) throw new RangeError(`SLA target: ${problem}`);
  const startMs = ms(start, 'start');
  if (target.clock === 'deadline') {
    const deadlineMs = target.at.getTime();
    return { c: WALL, startMs, totalMs: Math.max(0, deadlineMs - startMs), pauses: [], deadlineMs };
  }
  const clock = mode ?? target.clock;
  return {
    c: counterOf(clock, compiled),
    startMs,
    totalMs: target.minutes * MINUTE_MS,
    pauses: target.pausable === false ? [] : normalizePauses(pauses, startMs),
    deadlineMs: null,
  };
}

function dueOf(p: Prepared): number | null {
  return p.deadlineMs ?? reachMs(p.c, p.startMs, p.totalMs, p.pauses);
}

/* ------------------------------------------------------------------------------------------------ */
/* Due times and clocks.                                                                            */
/* ------------------------------------------------------------------------------------------------ */

/**
 * The due time of a target for an order started at `start` with these pauses, counted on the owning unit's
 * compiled schedule (`mode` overrides the target's clock). Null while an open pause stops the clock before
 * the limit is reached (the due time is then not known; see slaClock's projectedDueAt). A deadline target
 * answers its deadline. Throws RangeError on a malformed target, instant or pause.
 */
export function dueAt(
  target: SlaTarget,
  start: Date,
  pauses: readonly Pause[],
  compiled: CompiledSchedule,
  mode?: SlaClock,
): Date | null {
  if (target.clock !== 'deadline' && (pauses.length === 0 || target.pausable === false)) {
    // The common case, without the pauses' bookkeeping.
    const problem = targetProblem(target);
    if (problem) throw new RangeError(`SLA target: ${problem}`);
    return new Date(
      counterOf(mode ?? target.clock, compiled).addMs(ms(start, 'start'), target.minutes * MINUTE_MS),
    );
  }
  const due = dueOf(prepare(target, start, pauses, compiled, mode));
  return due === null ? null : new Date(due);
}

/** Counted minutes used by `now` (pauses not counting; a deadline target counts plain minutes). */
export function elapsedMinutes(
  target: SlaTarget,
  start: Date,
  pauses: readonly Pause[],
  compiled: CompiledSchedule,
  now: Date,
): number {
  const p = prepare(target, start, pauses, compiled);
  return countedMs(p.c, p.startMs, ms(now, 'now'), p.pauses) / MINUTE_MS;
}

/** Counted minutes left at `now`; negative after a breach. */
export function remainingMinutes(
  target: SlaTarget,
  start: Date,
  pauses: readonly Pause[],
  compiled: CompiledSchedule,
  now: Date,
): number {
  const p = prepare(target, start, pauses, compiled);
  return (p.totalMs - countedMs(p.c, p.startMs, ms(now, 'now'), p.pauses)) / MINUTE_MS;
}

/** Share of the limit used at `now`: 0 at the start, 1 at the due time, above 1 after (1 for a deadline at or before the start). */
export function shareUsed(
  target: SlaTarget,
  start: Date,
  pauses: readonly Pause[],
  compiled: CompiledSchedule,
  now: Date,
): number {
  const p = prepare(target, start, pauses, compiled);
  return shareOf(p.totalMs, countedMs(p.c, p.startMs, ms(now, 'now'), p.pauses));
}

function shareOf(totalMs: number, usedMs: number): number {
  return totalMs > 0 ? usedMs / totalMs : 1;
}

/** The threshold of a step in counted ms of a limit of totalMs (at least 0). */
function thresholdMs(step: EscalationStep, totalMs: number): number {
  if ('at' in step) return Math.max(0, Math.ceil(step.at * totalMs));
  if ('beforeMinutes' in step) return Math.max(0, totalMs - step.beforeMinutes * MINUTE_MS);
  return totalMs + step.afterMinutes * MINUTE_MS;
}

/** What is wrong with a ladder (English), or null. */
function ladderProblem(ladder: readonly EscalationStep[]): string | null {
  for (const step of ladder) {
    if (!(ESCALATION_LEVELS as readonly string[]).includes(step.level)) {
      return `unknown escalation level ${JSON.stringify(step.level)}`;
    }
    const value = 'at' in step ? step.at : 'beforeMinutes' in step ? step.beforeMinutes : step.afterMinutes;
    if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
      return `escalation step ${step.level}: threshold must be a number ≥ 0`;
    }
    if (!('at' in step) && !Number.isSafeInteger(value)) {
      return `escalation step ${step.level}: minutes must be a whole number`;
    }
  }
  return null;
}

export interface LevelInForce {
  level: EscalationLevel;
  /** Index of the step in the ladder. */
  step: number;
}

/** The ladder's steps ordered by threshold (ties keep the ladder's order). */
function orderedSteps(ladder: readonly EscalationStep[], totalMs: number): { t: number; i: number }[] {
  const problem = ladderProblem(ladder);
  if (problem) throw new RangeError(problem);
  return ladder.map((s, i) => ({ t: thresholdMs(s, totalMs), i })).sort((a, b) => a.t - b.t || a.i - b.i);
}

/** The step in force after `usedMs` counted ms: the one with the highest threshold reached (the later on a tie). */
function levelAt(
  ladder: readonly EscalationStep[],
  steps: readonly { t: number; i: number }[],
  usedMs: number,
): LevelInForce | null {
  let found: LevelInForce | null = null;
  for (const s of steps) {
    if (s.t > usedMs) break;
    const step = ladder[s.i];
    if (step) found = { level: step.level, step: s.i };
  }
  return found;
}

/** The escalation level in force at `now`, or null before the first step. */
export function escalationLevel(
  ladder: readonly EscalationStep[],
  target: SlaTarget,
  start: Date,
  pauses: readonly Pause[],
  compiled: CompiledSchedule,
  now: Date,
): LevelInForce | null {
  const p = prepare(target, start, pauses, compiled);
  return levelAt(
    ladder,
    orderedSteps(ladder, p.totalMs),
    countedMs(p.c, p.startMs, ms(now, 'now'), p.pauses),
  );
}

export interface NextEscalation {
  level: EscalationLevel;
  step: number;
  /** When it falls due; null while an open pause stops the clock. */
  at: Date | null;
}

/** The next step after the one in force at `now` (for the due-time table), or null when none is left. */
export function nextEscalation(
  ladder: readonly EscalationStep[],
  target: SlaTarget,
  start: Date,
  pauses: readonly Pause[],
  compiled: CompiledSchedule,
  now: Date,
): NextEscalation | null {
  const p = prepare(target, start, pauses, compiled);
  return nextOf(
    p,
    ladder,
    orderedSteps(ladder, p.totalMs),
    countedMs(p.c, p.startMs, ms(now, 'now'), p.pauses),
  );
}

function nextOf(
  p: Prepared,
  ladder: readonly EscalationStep[],
  steps: readonly { t: number; i: number }[],
  usedMs: number,
): NextEscalation | null {
  const next = steps.find((s) => s.t > usedMs);
  const step = next && ladder[next.i];
  if (!next || !step) return null;
  const at = p.deadlineMs !== null ? p.startMs + next.t : reachMs(p.c, p.startMs, next.t, p.pauses);
  return { level: step.level, step: next.i, at: at === null ? null : new Date(at) };
}

/** Everything an order's clock shows at `now` (the detail page, the board, the due-time table). */
export interface SlaClockState {
  /** The due time; null while an open pause stops the clock. */
  dueAt: Date | null;
  /** The due time if the clock resumed at `now` (equals dueAt when not paused). */
  projectedDueAt: Date;
  elapsedMinutes: number;
  remainingMinutes: number;
  /** Counted minutes that fell inside pauses (what the clock did not count). */
  pausedMinutes: number;
  share: number;
  paused: boolean;
  breached: boolean;
  level: LevelInForce | null;
  next: NextEscalation | null;
}

/** The state of a target's clock at `now`, with its escalation ladder. */
export function slaClock(
  target: SlaTarget,
  ladder: readonly EscalationStep[],
  start: Date,
  pauses: readonly Pause[],
  compiled: CompiledSchedule,
  now: Date,
): SlaClockState {
  const p = prepare(target, start, pauses, compiled);
  const nowMs = ms(now, 'now');
  const steps = orderedSteps(ladder, p.totalMs);
  const used = countedMs(p.c, p.startMs, nowMs, p.pauses);
  const due = dueOf(p);
  const paused = p.pauses.some(([from, to]) => from <= nowMs && nowMs < to);
  let projected = due;
  if (projected === null) {
    // Resume now: the open pause ends at now.
    const resumed = p.pauses.map(([from, to]): PauseMs => [
      from,
      to === Number.POSITIVE_INFINITY ? Math.max(from, nowMs) : to,
    ]);
    projected = reachMs(p.c, p.startMs, p.totalMs, resumed) ?? nowMs;
  }
  return {
    dueAt: due === null ? null : new Date(due),
    projectedDueAt: new Date(projected),
    elapsedMinutes: used / MINUTE_MS,
    remainingMinutes: (p.totalMs - used) / MINUTE_MS,
    pausedMinutes: pausedMs(p.c, nowMs, p.pauses) / MINUTE_MS,
    share: shareOf(p.totalMs, used),
    paused,
    breached: p.deadlineMs !== null ? nowMs >= p.deadlineMs : used >= p.totalMs,
    level: levelAt(ladder, steps, used),
    next: nextOf(p, ladder, steps, used),
  };
}

/* ------------------------------------------------------------------------------------------------ */
/* Policies.                                                                                        */
/* ------------------------------------------------------------------------------------------------ */

/** Which orders a policy applies to; an absent field or an empty list puts no condition. */
export interface PolicyCondition {
  kinds?: readonly WorkOrderKind[];
  channels?: readonly WorkOrderChannel[];
  /** Customer (club) tiers, e.g. 'diamond'; an order without a customer tier never matches a tier condition. */
  customerTiers?: readonly string[];
  /** A category id: the order's category is it or lies below it in the category tree. */
  category?: string;
  /** Attributes that must all be equal on the order, e.g. { line: 'fixed', area: 'rural' }. */
  attributes?: Readonly<Record<string, string>>;
}

export interface PolicyTargets {
  firstResponse: SlaTarget | null;
  resolution: SlaTarget;
  /** The regulator's limit for answering the customer (complaints: 15 days), besides the internal one. */
  answer?: SlaTarget | null;
}

export interface SlaPolicy {
  id: string;
  zh: string;
  en: string;
  condition: PolicyCondition;
  targets: PolicyTargets;
  /** Order states during which the clocks stop (waiting for the customer or a third party). */
  pauseStates: readonly string[];
  /** Escalation of the resolution target. */
  escalation: readonly EscalationStep[];
  /** The resolution is due at the deadline carried on the order when it has one (an appeal's). */
  orderDeadline?: boolean;
}

/** What matching needs to know of an order. */
export interface OrderFacts {
  kind: WorkOrderKind;
  channel: WorkOrderChannel;
  customerTier: string | null;
  /** Category ids from the root of the tree down to the order's category ([] = none). */
  categoryPath: readonly string[];
  attributes?: Readonly<Record<string, string>>;
  /** A deadline carried on the order (the regulator's, for an appeal). */
  deadline?: Date | null;
}

export interface PolicyMatch {
  /** To record on the order: the policy in force. */
  policyId: string;
  policy: SlaPolicy;
  /** The policy's targets, the resolution replaced by the order's deadline when the policy says so. */
  targets: PolicyTargets;
  /** [conditions set, category depth]: what made it win. */
  specificity: readonly [conditions: number, categoryDepth: number];
}

const listed = <T>(list: readonly T[] | undefined): list is readonly T[] =>
  list !== undefined && list.length > 0;

/** The specificity of a policy for an order, or null when it does not apply. */
function specificityOf(c: PolicyCondition, order: OrderFacts): [number, number] | null {
  let conditions = 0;
  let depth = 0;
  if (listed(c.kinds)) {
    if (!c.kinds.includes(order.kind)) return null;
    conditions++;
  }
  if (listed(c.channels)) {
    if (!c.channels.includes(order.channel)) return null;
    conditions++;
  }
  if (listed(c.customerTiers)) {
    if (order.customerTier === null || !c.customerTiers.includes(order.customerTier)) return null;
    conditions++;
  }
  if (c.category !== undefined && c.category !== '') {
    const at = order.categoryPath.indexOf(c.category);
    if (at < 0) return null;
    conditions++;
    depth = at + 1;
  }
  for (const [key, value] of Object.entries(c.attributes ?? {})) {
    if (order.attributes?.[key] !== value) return null;
    conditions++;
  }
  return [conditions, depth];
}

/**
 * The policy in force for an order. Precedence (documented for the console): a policy applies when every
 * condition it sets holds; among those, the one setting more conditions wins (kind, channel, customer tier,
 * category and each attribute count one each); then the one whose category lies deeper in the tree; then
 * the one listed first. Null when none applies (give the list a policy without conditions last).
 */
export function matchPolicy(policies: readonly SlaPolicy[], order: OrderFacts): PolicyMatch | null {
  let best: { policy: SlaPolicy; s: [number, number] } | null = null;
  for (const policy of policies) {
    const s = specificityOf(policy.condition, order);
    if (!s) continue;
    if (!best || s[0] > best.s[0] || (s[0] === best.s[0] && s[1] > best.s[1])) best = { policy, s };
  }
  if (!best) return null;
  const { policy, s } = best;
  const deadline = order.deadline;
  const targets: PolicyTargets =
    policy.orderDeadline && deadline instanceof Date && Number.isFinite(deadline.getTime())
      ? { ...policy.targets, resolution: { clock: 'deadline', at: deadline } }
      : policy.targets;
  return { policyId: policy.id, policy, targets, specificity: s };
}

/** Problems with a policy, in Chinese and English; [] when it is valid. */
export function policyProblems(policy: SlaPolicy): { zh: string; en: string }[] {
  const problems: { zh: string; en: string }[] = [];
  const check = (name: { zh: string; en: string }, target: SlaTarget | null | undefined): void => {
    if (!target) return;
    const p = targetProblem(target);
    if (p) problems.push({ zh: `${name.zh}：时限应为正整数分钟`, en: `${name.en}: ${p}` });
  };
  check({ zh: '首次响应', en: 'first response' }, policy.targets.firstResponse);
  check({ zh: '办结', en: 'resolution' }, policy.targets.resolution);
  check({ zh: '答复用户', en: 'answer' }, policy.targets.answer);
  const ladder = ladderProblem(policy.escalation);
  if (ladder) problems.push({ zh: '升级规则：阈值应为不小于 0 的数', en: `escalation: ${ladder}` });
  for (const k of policy.condition.kinds ?? []) {
    if (!(WORK_ORDER_KINDS as readonly string[]).includes(k)) {
      problems.push({ zh: `未知的工单类型 ${k}`, en: `unknown work-order kind ${k}` });
    }
  }
  for (const ch of policy.condition.channels ?? []) {
    if (!(WORK_ORDER_CHANNELS as readonly string[]).includes(ch)) {
      problems.push({ zh: `未知的受理渠道 ${ch}`, en: `unknown channel ${ch}` });
    }
  }
  return problems;
}

/* ------------------------------------------------------------------------------------------------ */
/* Default policies from the regulations.                                                           */
/* ------------------------------------------------------------------------------------------------ */

/** The settings the default policies read. */
export const SLA_SETTING_KEYS = [
  'sla.firstResponseMinutes',
  'sla.faultMobileAverageHours',
  'sla.faultMobileMaxHours',
  'sla.faultFixedTownHours',
  'sla.faultFixedRuralHours',
  'sla.complaintReplyMaxDays',
  'sla.otherLimitBusinessDays',
  'sla.superiorAfterHours',
  'complaint.ordinaryLimitBusinessDays',
  'complaint.escalatedLimitBusinessDays',
  'complaint.appealLimitBusinessDays',
  'complaint.escalateAtShare',
] as const satisfies readonly SettingKey[];
export type SlaSettingKey = (typeof SLA_SETTING_KEYS)[number];

/** The registry's default of a setting. */
export function settingDefault(key: SlaSettingKey): number {
  const value = settingDef(key)?.default;
  if (typeof value !== 'number') throw new RangeError(`setting ${key} has no numeric default`);
  return value;
}

/** The order states that stop the clocks by default. */
export const DEFAULT_PAUSE_STATES = ['waiting_customer', 'waiting_third_party'] as const;

/**
 * The default policies, from the settings in force (`value`, the registry's defaults when omitted):
 * fault repair — mobile ≤ 48 h (24 h on average), fixed line 48 h in towns and 72 h in rural areas, in plain
 * hours (repair works around the clock; order attributes line = mobile | fixed, area = town | rural); a
 * complaint — the internal limit in working days and an answer to the customer within 15 days at most; an
 * escalated complaint — its shorter internal limit; an appeal — the regulator's deadline carried on the
 * order, else the default in working days; anything else — a few working days. Every order gets a first
 * response within business time. Escalation: warn the owner at the warning share, the supervisor at the
 * due time, the superior unit after the set hours more (on the same clock).
 */
export function defaultPolicies(value: (key: SlaSettingKey) => number = settingDefault): SlaPolicy[] {
  const hours = (key: SlaSettingKey): number => value(key) * 60;
  const workdays = (key: SlaSettingKey): DurationTarget => ({
    clock: 'workdays',
    minutes: value(key) * 1440,
  });
  const firstResponse: DurationTarget = { clock: 'business', minutes: value('sla.firstResponseMinutes') };
  const answer: DurationTarget = {
    clock: 'calendar',
    minutes: value('sla.complaintReplyMaxDays') * 1440,
    pausable: false,
  };
  const escalation: EscalationStep[] = [
    { level: 'warn_owner', at: value('complaint.escalateAtShare') },
    { level: 'supervisor', at: 1 },
    { level: 'superior_unit', afterMinutes: hours('sla.superiorAfterHours') },
  ];
  const pauseStates = [...DEFAULT_PAUSE_STATES];
  const fault = (
    id: string,
    zh: string,
    en: string,
    attributes: Record<string, string>,
    target: DurationTarget,
  ) => ({
    id,
    zh,
    en,
    condition: { kinds: ['fault'] as WorkOrderKind[], attributes },
    targets: { firstResponse, resolution: target },
    pauseStates,
    escalation,
  });
  return [
    fault(
      'default.fault.mobile',
      '移动业务故障修复',
      'Mobile fault repair',
      { line: 'mobile' },
      {
        clock: 'calendar',
        minutes: hours('sla.faultMobileMaxHours'),
        averageMinutes: hours('sla.faultMobileAverageHours'),
      },
    ),
    fault(
      'default.fault.fixed.town',
      '固定电话故障修复（城镇）',
      'Fixed-line fault repair (towns)',
      {
        line: 'fixed',
        area: 'town',
      },
      { clock: 'calendar', minutes: hours('sla.faultFixedTownHours') },
    ),
    fault(
      'default.fault.fixed.rural',
      '固定电话故障修复（农村）',
      'Fixed-line fault repair (rural areas)',
      {
        line: 'fixed',
        area: 'rural',
      },
      { clock: 'calendar', minutes: hours('sla.faultFixedRuralHours') },
    ),
    // A fault whose line or area is not known: the town limit, the stricter fixed-line one.
    fault(
      'default.fault',
      '故障修复',
      'Fault repair',
      {},
      {
        clock: 'calendar',
        minutes: hours('sla.faultFixedTownHours'),
      },
    ),
    {
      id: 'default.complaint',
      zh: '投诉处理',
      en: 'Complaint',
      condition: { kinds: ['complaint'] },
      targets: { firstResponse, resolution: workdays('complaint.ordinaryLimitBusinessDays'), answer },
      pauseStates,
      escalation,
    },
    {
      id: 'default.escalated_complaint',
      zh: '升级投诉处理',
      en: 'Escalated complaint',
      condition: { kinds: ['escalated_complaint'] },
      targets: { firstResponse, resolution: workdays('complaint.escalatedLimitBusinessDays'), answer },
      pauseStates,
      escalation,
    },
    {
      id: 'default.appeal',
      zh: '用户申诉处理',
      en: 'Customer appeal',
      condition: { kinds: ['appeal'] },
      targets: {
        firstResponse,
        resolution: { ...workdays('complaint.appealLimitBusinessDays'), pausable: false },
      },
      pauseStates: [],
      escalation,
      orderDeadline: true,
    },
    {
      id: 'default.other',
      zh: '咨询、建议及其他',
      en: 'Consultation, suggestion and other',
      condition: {},
      targets: { firstResponse, resolution: workdays('sla.otherLimitBusinessDays') },
      pauseStates,
      escalation,
    },
  ];
}

/* ------------------------------------------------------------------------------------------------ */
/* Reopening.                                                                                       */
/* ------------------------------------------------------------------------------------------------ */

/**
 * Until when a replied or closed order may be reopened: `windowDays` (workorder.reopenWindowDays) of plain
 * days after the reply (after closing, for an order closed without one). Null for an order that is neither
 * replied nor closed. The window's end is inside it.
 */
export function reopenUntil(
  order: { state: string; repliedAt: Date | null; closedAt: Date | null },
  windowDays: number,
): Date | null {
  if (order.state !== 'replied' && order.state !== 'closed') return null;
  const since = order.repliedAt ?? order.closedAt;
  if (!since) return null;
  if (!(windowDays >= 0)) throw new RangeError('the reopen window is a number of days, not negative');
  return new Date(since.getTime() + windowDays * 86_400_000);
}
