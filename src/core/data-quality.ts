/**
 * The customer-data indicators 2–4 of 2§3.7 (2§3.6.2–3.6.4), pure over the records of a unit for a period
 * [from, to), computed at a moment `asOf` (the clock is injected):
 *
 * 2. Complete and timely (完整及时率, target 100 %): records whose required fields were all entered within
 *    `customerData.entryWithinHours` of the business / records due (business done in the period).
 * 3. Error rate (差错率, below 1 %): records found wrong in the period (a correction after signing, by whoever
 *    found it) / records entered in the period. As the norm reads, both counts are of the same period: an
 *    error found this month of a record entered last month counts this month (the drill-down says so).
 * 4. Agent-sold data returned on time (代理销售客户资料返档及时率, 100 %): business developed by cooperative
 *    halls and agents in the period whose customer documents came back (返档) within
 *    `customerData.agentReturnDays` / that business.
 *
 * A record whose deadline has not passed at `asOf` and that is not yet done is pending: neither counted nor
 * held against the unit, and listed. A zero denominator gives a null rate (never NaN) and no verdict. Each result
 * carries the value in force of every setting it used (as `resolveSetting` found it) and the ids behind its
 * numbers, for the drill-down.
 */
import type { Resolved } from './settings.ts';

export interface Period {
  from: Date;
  /** Exclusive. */
  to: Date;
}

/** A record of customer data that a business made due (a new account, a change of customer data …). */
export interface DueRecord {
  id: string;
  /** When the business was done. */
  businessAt: Date;
  /** When the record first had every required field, or null while it does not. */
  completedAt: Date | null;
}

/** A record entered into the system. */
export interface EnteredRecord {
  id: string;
  enteredAt: Date;
}

/** An error found in a signed record: its correction after signing. */
export interface ErrorFound {
  recordId: string;
  foundAt: Date;
  /** Who found it (a staff id, or `complaint` …). */
  foundBy: string;
}

/** Business developed by a cooperative hall or an agent, followed until its customer documents are returned. */
export interface AgentSale {
  id: string;
  soldAt: Date;
  returnedAt: Date | null;
}

export type ShortfallReason = 'incomplete' | 'late' | 'overdue' | 'returned_late' | 'error';

export interface RateResult {
  indicator: 'complete_timely' | 'error_rate' | 'agent_return';
  numerator: number;
  denominator: number;
  /** numerator / denominator, or null when there is nothing to count. */
  rate: number | null;
  /** The target setting in force, and whether the rate meets it (null without a rate). */
  target: Resolved;
  meetsTarget: boolean | null;
  /** The settings the computation used, with their values in force. */
  settings: Resolved[];
  /** Ids counted in the numerator. */
  counted: string[];
  /** Ids in the denominator that count against the unit, with why (for rates where more is better). */
  shortfall: { id: string; reason: ShortfallReason }[];
  /** Ids not yet due at `asOf`. */
  pending: string[];
}

const HOUR = 3_600_000;
const DAY = 86_400_000;

const within = (at: Date, p: Period) => at.getTime() >= p.from.getTime() && at.getTime() < p.to.getTime();
const ratio = (n: number, d: number) => (d === 0 ? null : n / d);

function expect(setting: Resolved, key: string): number {
  if (setting.key !== key) throw new RangeError(`expected setting ${key}, got ${setting.key}`);
  if (typeof setting.value !== 'number') throw new RangeError(`setting ${key} is not a number`);
  return setting.value;
}

function checkPeriod(p: Period): void {
  if (!(p.from.getTime() <= p.to.getTime())) throw new RangeError('a period ends after it starts');
}

/** Indicator 2: records entered complete within the setting's time of the business / records due. */
export function completeAndTimely(
  records: readonly DueRecord[],
  period: Period,
  asOf: Date,
  settings: { entryWithinHours: Resolved; target: Resolved },
): RateResult {
  checkPeriod(period);
  const windowMs = expect(settings.entryWithinHours, 'customerData.entryWithinHours') * HOUR;
  const target = expect(settings.target, 'customerData.completenessTarget');
  const counted: string[] = [];
  const shortfall: RateResult['shortfall'] = [];
  const pending: string[] = [];
  for (const r of records) {
    if (!within(r.businessAt, period)) continue;
    const deadline = r.businessAt.getTime() + windowMs;
    const done = r.completedAt !== null && r.completedAt.getTime() <= asOf.getTime() ? r.completedAt : null;
    if (done && done.getTime() <= deadline) counted.push(r.id);
    else if (done) shortfall.push({ id: r.id, reason: 'late' });
    else if (deadline > asOf.getTime()) pending.push(r.id);
    else shortfall.push({ id: r.id, reason: 'incomplete' });
  }
  const denominator = counted.length + shortfall.length;
  const rate = ratio(counted.length, denominator);
  return {
    indicator: 'complete_timely',
    numerator: counted.length,
    denominator,
    rate,
    target: settings.target,
    meetsTarget: rate === null ? null : rate >= target,
    settings: [settings.entryWithinHours],
    counted,
    shortfall,
    pending,
  };
}

export interface ErrorRateResult extends RateResult {
  /** Each record found wrong in the period: who found it first, and whether it was entered in the period. */
  errors: { recordId: string; foundAt: Date; foundBy: string; enteredInPeriod: boolean }[];
}

/** Indicator 3: records found wrong in the period (counted once each) / records entered in the period. */
export function errorRate(
  entered: readonly EnteredRecord[],
  errorsFound: readonly ErrorFound[],
  period: Period,
  settings: { max: Resolved },
): ErrorRateResult {
  checkPeriod(period);
  const max = expect(settings.max, 'customerData.errorRateMax');
  const enteredIds = new Set(entered.filter((r) => within(r.enteredAt, period)).map((r) => r.id));
  const first = new Map<string, ErrorFound>();
  for (const e of errorsFound) {
    if (!within(e.foundAt, period)) continue;
    const seen = first.get(e.recordId);
    if (!seen || e.foundAt.getTime() < seen.foundAt.getTime()) first.set(e.recordId, e);
  }
  const errors = [...first.values()]
    .sort((a, b) => a.foundAt.getTime() - b.foundAt.getTime() || a.recordId.localeCompare(b.recordId))
    .map((e) => ({
      recordId: e.recordId,
      foundAt: e.foundAt,
      foundBy: e.foundBy,
      enteredInPeriod: enteredIds.has(e.recordId),
    }));
  const rate = ratio(errors.length, enteredIds.size);
  return {
    indicator: 'error_rate',
    numerator: errors.length,
    denominator: enteredIds.size,
    rate,
    target: settings.max,
    // 差错率小于 1%: strictly below the maximum.
    meetsTarget: rate === null ? null : rate < max,
    settings: [],
    counted: errors.map((e) => e.recordId),
    shortfall: errors.map((e) => ({ id: e.recordId, reason: 'error' as const })),
    pending: [],
    errors,
  };
}

/** Indicator 4: agent-sold business whose documents came back within the deadline / that business. */
export function agentReturnOnTime(
  sales: readonly AgentSale[],
  period: Period,
  asOf: Date,
  settings: { returnDays: Resolved; target: Resolved },
): RateResult {
  checkPeriod(period);
  const days = expect(settings.returnDays, 'customerData.agentReturnDays');
  const target = expect(settings.target, 'customerData.agentReturnTarget');
  const counted: string[] = [];
  const shortfall: RateResult['shortfall'] = [];
  const pending: string[] = [];
  for (const s of sales) {
    if (!within(s.soldAt, period)) continue;
    const deadline = s.soldAt.getTime() + days * DAY;
    const returned = s.returnedAt !== null && s.returnedAt.getTime() <= asOf.getTime() ? s.returnedAt : null;
    if (returned && returned.getTime() <= deadline) counted.push(s.id);
    else if (returned) shortfall.push({ id: s.id, reason: 'returned_late' });
    else if (deadline > asOf.getTime()) pending.push(s.id);
    else shortfall.push({ id: s.id, reason: 'overdue' });
  }
  const denominator = counted.length + shortfall.length;
  const rate = ratio(counted.length, denominator);
  return {
    indicator: 'agent_return',
    numerator: counted.length,
    denominator,
    rate,
    target: settings.target,
    meetsTarget: rate === null ? null : rate >= target,
    settings: [settings.returnDays],
    counted,
    shortfall,
    pending,
  };
}

export interface DataQualityInput {
  period: Period;
  asOf: Date;
  due: readonly DueRecord[];
  entered: readonly EnteredRecord[];
  errorsFound: readonly ErrorFound[];
  agentSales: readonly AgentSale[];
  /** The settings in force for the unit (the module resolves them at the period's end). */
  settings: {
    entryWithinHours: Resolved;
    completenessTarget: Resolved;
    errorRateMax: Resolved;
    agentReturnDays: Resolved;
    agentReturnTarget: Resolved;
  };
}

/** The three indicators of a unit for a period. */
export function dataQuality(input: DataQualityInput): {
  completeTimely: RateResult;
  errorRate: ErrorRateResult;
  agentReturn: RateResult;
} {
  const s = input.settings;
  return {
    completeTimely: completeAndTimely(input.due, input.period, input.asOf, {
      entryWithinHours: s.entryWithinHours,
      target: s.completenessTarget,
    }),
    errorRate: errorRate(input.entered, input.errorsFound, input.period, { max: s.errorRateMax }),
    agentReturn: agentReturnOnTime(input.agentSales, input.period, input.asOf, {
      returnDays: s.agentReturnDays,
      target: s.agentReturnTarget,
    }),
  };
}
