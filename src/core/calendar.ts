/**
 * Business calendar rules: public holidays and makeup working days (调休), opening hours of a unit
 * in its own time zone, and clocks that count only opening time (SLA timers) or working days.
 *
 * Pure: no I/O and no clock of its own, every instant is passed in. Local dates and times are
 * wall-clock values in the unit's IANA time zone; luxon supplies the zone offsets.
 *
 * Local wall-clock times that do not exist (a DST gap) are read with the offset from before the gap,
 * i.e. pushed forward by the gap's length; times that occur twice (DST fall-back) mean their first
 * occurrence (the same choice as RFC 5545 and Temporal's 'compatible').
 */
import { IANAZone } from 'luxon';

/** A calendar date 'YYYY-MM-DD', without time zone. */
export type LocalDate = string;

/** A wall-clock time 'HH:mm' from '00:00' to '24:00' ('24:00' only as a close time). */
export type LocalTime = string;

/** An opening interval within one local day, open inclusive, close exclusive; open < close. */
export interface Interval {
  open: LocalTime;
  close: LocalTime;
}

/** Kind of a calendar day: a makeup working day (调休) is a 'workday'. */
export type DayKind = 'workday' | 'restday' | 'holiday';

/** A national calendar entry: a public holiday or a makeup working day (调休上班). */
export interface CalendarDay {
  date: LocalDate;
  kind: 'holiday' | 'makeup_workday';
  /** Chinese name, e.g. '春节'; '调休上班' for makeup working days. */
  name: string;
  /** English name when known, e.g. 'Spring Festival'. */
  en?: string;
}

/** The regular opening hours of a unit. */
export interface OpeningHours {
  /** Exactly 7 entries, index 0 = Monday … 6 = Sunday; [] = closed that weekday. */
  weekly: Interval[][];
  /** Hours on public holidays ([] = closed). */
  holiday: Interval[];
  /** Hours on a makeup working day (调休); when absent, Monday's hours. */
  makeupWorkday?: Interval[];
}

/** A per-unit exception for one date: [] = closed all day. */
export interface DayException {
  date: LocalDate;
  hours: Interval[];
  note?: string;
}

/** Everything needed to decide when a unit is open. */
export interface UnitSchedule {
  /** IANA time zone, e.g. 'Asia/Shanghai'. */
  timeZone: string;
  hours: OpeningHours;
  /** National days (holidays and makeup working days). */
  calendar: CalendarDay[];
  /** Per-unit exceptions; they override everything for their date (the last entry wins). */
  exceptions: DayException[];
}

const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;
const DAY_MINUTES = 1440;
/** How far (in local days) the clocks look for an opening or a working day before giving up. */
const HORIZON_DAYS = 400;
const WEEKDAY_NAMES = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];
const MAKEUP_WORKDAY_NAME = '调休上班';
const MAKEUP_WORKDAY_EN = 'Makeup workday';

/* ------------------------------------------------------------------------------------------------ */
/* Civil dates as day numbers (days since 1970-01-01), pure integer arithmetic.                     */
/* ------------------------------------------------------------------------------------------------ */

function daysFromCivil(y: number, m: number, d: number): number {
  const yy = m <= 2 ? y - 1 : y;
  const era = Math.floor(yy / 400);
  const yoe = yy - era * 400;
  const doy = Math.floor((153 * ((m + 9) % 12) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146_097 + doe - 719_468;
}

function civilFromDays(days: number): [number, number, number] {
  const z = days + 719_468;
  const era = Math.floor(z / 146_097);
  const doe = z - era * 146_097;
  const yoe = Math.floor(
    (doe - Math.floor(doe / 1460) + Math.floor(doe / 36_524) - Math.floor(doe / 146_096)) / 365,
  );
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  return [yoe + era * 400 + (m <= 2 ? 1 : 0), m, d];
}

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Parsed dates (strings are immutable, so this memo is invisible). */
const parsedDates = new Map<string, number | null>();

/** Day number of a valid 'YYYY-MM-DD', or null. */
function dayNumberOf(date: unknown): number | null {
  if (typeof date !== 'string') return null;
  const known = parsedDates.get(date);
  if (known !== undefined) return known;
  const n = parseDate(date);
  if (parsedDates.size >= 100_000) parsedDates.clear();
  parsedDates.set(date, n);
  return n;
}

function parseDate(date: string): number | null {
  const m = DATE_RE.exec(date);
  if (!m) return null;
  const y = Number(m[1]);
  const mo = Number(m[2]);
  const d = Number(m[3]);
  if (mo < 1 || mo > 12 || d < 1 || d > 31) return null;
  const n = daysFromCivil(y, mo, d);
  const [y2, mo2, d2] = civilFromDays(n);
  return y2 === y && mo2 === mo && d2 === d ? n : null;
}

function requireDay(date: LocalDate, what = 'date'): number {
  const n = dayNumberOf(date);
  if (n === null) throw new RangeError(`${what} ${JSON.stringify(date)} is not a valid date (YYYY-MM-DD)`);
  return n;
}

function formatDay(days: number): LocalDate {
  const [y, m, d] = civilFromDays(days);
  return `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

/** 0 = Monday … 6 = Sunday (1970-01-01 was a Thursday). */
function weekdayIndex(days: number): number {
  return (((days + 3) % 7) + 7) % 7;
}

/* ------------------------------------------------------------------------------------------------ */
/* Local times and intervals as minutes of the day.                                                */
/* ------------------------------------------------------------------------------------------------ */

const TIME_RE = /^(\d{2}):(\d{2})$/;

/** Minutes after midnight of 'HH:mm' ('24:00' = 1440 only when allowed), or null. */
function minutesOf(time: unknown, allow24: boolean): number | null {
  if (typeof time !== 'string') return null;
  if (time === '24:00') return allow24 ? DAY_MINUTES : null;
  const m = TIME_RE.exec(time);
  if (!m) return null;
  const h = Number(m[1]);
  const min = Number(m[2]);
  return h <= 23 && min <= 59 ? h * 60 + min : null;
}

function formatMinutes(minutes: number): LocalTime {
  return `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
}

type MinuteInterval = readonly [open: number, close: number];

/** Parses, sorts and merges (overlapping or touching) intervals; throws RangeError when one is malformed. */
function normalizeIntervals(intervals: unknown, label: string): MinuteInterval[] {
  if (!Array.isArray(intervals)) throw new RangeError(`${label}: hours must be a list of intervals`);
  const parsed: [number, number][] = [];
  for (const iv of intervals as unknown[]) {
    const rec = asRecord(iv);
    const open = minutesOf(rec?.open, false);
    const close = minutesOf(rec?.close, true);
    if (open === null || close === null || open >= close) {
      throw new RangeError(`${label}: invalid opening interval ${JSON.stringify(iv)}`);
    }
    parsed.push([open, close]);
  }
  parsed.sort((a, b) => a[0] - b[0]);
  const merged: [number, number][] = [];
  for (const iv of parsed) {
    const last = merged[merged.length - 1];
    if (last && iv[0] <= last[1]) last[1] = Math.max(last[1], iv[1]);
    else merged.push([iv[0], iv[1]]);
  }
  return merged;
}

function asRecord(value: unknown): Record<string, unknown> | null {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : null;
}

/* ------------------------------------------------------------------------------------------------ */
/* Time zones.                                                                                      */
/* ------------------------------------------------------------------------------------------------ */

/** Zones already checked (checking a zone name builds an Intl formatter, which is slow). */
const knownZones = new Map<string, IANAZone>();

function zoneOf(timeZone: string): IANAZone {
  const known = knownZones.get(timeZone);
  if (known) return known;
  if (typeof timeZone !== 'string' || !IANAZone.isValidZone(timeZone)) {
    throw new RangeError(`unknown time zone ${JSON.stringify(timeZone)}`);
  }
  const zone = IANAZone.create(timeZone);
  knownZones.set(timeZone, zone);
  return zone;
}

function instantMs(at: Date, what = 'instant'): number {
  const ms = at instanceof Date ? at.getTime() : Number.NaN;
  if (!Number.isFinite(ms)) throw new RangeError(`${what} is not a valid Date`);
  return ms;
}

/** Local wall-clock of an instant, as milliseconds since 1970-01-01T00:00 on the local calendar. */
function wallMsOf(zone: IANAZone, ms: number): number {
  return ms + zone.offset(ms) * MINUTE_MS;
}

/** The instant of a local wall-clock (gap: pushed forward by the gap; overlap: first occurrence). */
function instantOfWall(zone: IANAZone, wallMs: number): number {
  const before = zone.offset(wallMs - DAY_MS);
  const after = zone.offset(wallMs + DAY_MS);
  const early = wallMs - before * MINUTE_MS;
  const late = wallMs - after * MINUTE_MS;
  const earlyOk = zone.offset(early) === before;
  const lateOk = zone.offset(late) === after;
  if (earlyOk && lateOk) return Math.min(early, late);
  if (lateOk) return late;
  return early;
}

/**
 * Memo of the offset of a whole local day, per zone: the offset when it is the same from before the day
 * starts until after it ends, null on a day with a transition. The walking clocks convert a few local times
 * a day, and asking Intl for each is slow; the tz database never changes within a process.
 */
const uniformOffsets = new Map<string, Map<number, number | null>>();

function uniformOffsetOf(zone: IANAZone, day: number): number | null {
  let memo = uniformOffsets.get(zone.name);
  if (!memo) uniformOffsets.set(zone.name, (memo = new Map()));
  const known = memo.get(day);
  if (known !== undefined) return known;
  const start = day * DAY_MS;
  // Offsets lie within -12 h … +14 h: these instants are before, inside and after the local day.
  const before = zone.offset(start - 15 * 3_600_000);
  const noon = zone.offset(start + 12 * 3_600_000 - before * MINUTE_MS);
  const after = zone.offset(start + DAY_MS + 13 * 3_600_000);
  const offset = before === noon && noon === after ? before : null;
  if (memo.size >= 100_000) memo.clear();
  memo.set(day, offset);
  return offset;
}

/** The instant of a wall-clock minute of a local day. */
function instantOfDayMinute(zone: IANAZone, day: number, minute: number): number {
  const wallMs = day * DAY_MS + minute * MINUTE_MS;
  const offset = uniformOffsetOf(zone, day);
  return offset === null ? instantOfWall(zone, wallMs) : wallMs - offset * MINUTE_MS;
}

/* ------------------------------------------------------------------------------------------------ */
/* Calendar index and compiled schedules.                                                          */
/* ------------------------------------------------------------------------------------------------ */

type NationalKind = 'holiday' | 'makeup_workday';

/** Day number → kind; a holiday wins over a makeup working day on the same date. */
function indexCalendar(days: readonly CalendarDay[]): Map<number, NationalKind> {
  const index = new Map<number, NationalKind>();
  for (const d of days) {
    const n = requireDay(d.date, 'calendar date');
    if (d.kind !== 'holiday' && d.kind !== 'makeup_workday') {
      throw new RangeError(`calendar day ${d.date}: unknown kind ${JSON.stringify(d.kind)}`);
    }
    if (d.kind === 'holiday' || !index.has(n)) index.set(n, d.kind);
  }
  return index;
}

function kindOf(index: Map<number, NationalKind>, day: number): 'holiday' | 'makeup' | 'weekday' | 'weekend' {
  const k = index.get(day);
  if (k === 'holiday') return 'holiday';
  if (k === 'makeup_workday') return 'makeup';
  return weekdayIndex(day) < 5 ? 'weekday' : 'weekend';
}

interface Compiled {
  zone: IANAZone;
  calendar: Map<number, NationalKind>;
  exceptions: Map<number, MinuteInterval[]>;
  weekly: MinuteInterval[][];
  holiday: MinuteInterval[];
  makeup: MinuteInterval[];
}

function compile(s: UnitSchedule): Compiled {
  const zone = zoneOf(s.timeZone);
  const weekly: unknown = s.hours.weekly;
  if (!Array.isArray(weekly) || weekly.length !== 7) {
    throw new RangeError('opening hours: weekly must list 7 weekdays (Monday to Sunday)');
  }
  const week = (weekly as unknown[]).map((day, i) => normalizeIntervals(day, WEEKDAY_NAMES[i] ?? 'weekday'));
  const exceptions = new Map<number, MinuteInterval[]>();
  for (const e of s.exceptions) {
    exceptions.set(requireDay(e.date, 'exception date'), normalizeIntervals(e.hours, `exception ${e.date}`));
  }
  return {
    zone,
    calendar: indexCalendar(s.calendar),
    exceptions,
    weekly: week,
    holiday: normalizeIntervals(s.hours.holiday, 'holiday'),
    makeup:
      s.hours.makeupWorkday === undefined
        ? (week[0] ?? [])
        : normalizeIntervals(s.hours.makeupWorkday, 'makeup workday'),
  };
}

function intervalsOn(c: Compiled, day: number): MinuteInterval[] {
  const exception = c.exceptions.get(day);
  if (exception) return exception;
  switch (kindOf(c.calendar, day)) {
    case 'holiday':
      return c.holiday;
    case 'makeup':
      return c.makeup;
    default:
      return c.weekly[weekdayIndex(day)] ?? [];
  }
}

type Span = [start: number, end: number];

/** Opening spans of a local day as instants [start, end), sorted and disjoint. */
function spansOn(c: Compiled, day: number): Span[] {
  const spans: Span[] = [];
  for (const [open, close] of intervalsOn(c, day)) {
    const start = instantOfDayMinute(c.zone, day, open);
    const end =
      close === DAY_MINUTES ? instantOfDayMinute(c.zone, day + 1, 0) : instantOfDayMinute(c.zone, day, close);
    if (end > start) spans.push([start, end]);
  }
  if (spans.length < 2) return spans;
  // Only a DST gap can shift endpoints out of order: sort and merge to stay disjoint.
  spans.sort((a, b) => a[0] - b[0]);
  const merged: Span[] = [];
  for (const sp of spans) {
    const last = merged[merged.length - 1];
    if (last && sp[0] <= last[1]) last[1] = Math.max(last[1], sp[1]);
    else merged.push(sp);
  }
  return merged;
}

function localDayOf(zone: IANAZone, ms: number): number {
  return Math.floor(wallMsOf(zone, ms) / DAY_MS);
}

/* ------------------------------------------------------------------------------------------------ */
/* Compiled schedules: opening spans as instants, built per local month and kept.                  */
/* ------------------------------------------------------------------------------------------------ */

/**
 * The opening spans of one local month as sorted, disjoint instants [starts[i], ends[i]) with their running
 * totals, so a clock that adds or measures opening time does a binary search instead of a day walk.
 */
interface MonthBlock {
  /** y * 12 + (m - 1) of the local month. */
  key: number;
  firstDay: number;
  /** Day number of the first day of the next month. */
  endDay: number;
  /** The instant of local midnight at the start of each day, and of the next month (length days + 1). */
  dayStarts: Float64Array;
  startMs: number;
  endMs: number;
  n: number;
  starts: Float64Array;
  ends: Float64Array;
  /** Opening milliseconds in the month up to the end of span i. */
  cumEnd: Float64Array;
  /** Local day of the first and the last day making up span i (spans touching across midnight merge). */
  spanFirstDay: Int32Array;
  spanLastDay: Int32Array;
  total: number;
}

/** Blocks kept per compiled schedule before the cache starts afresh (100 years of months). */
const MAX_BLOCKS = 1200;

function monthKeyOfDay(day: number): number {
  const [y, m] = civilFromDays(day);
  return y * 12 + (m - 1);
}

function firstDayOfMonthKey(key: number): number {
  const y = Math.floor(key / 12);
  return daysFromCivil(y, key - y * 12 + 1, 1);
}

/** First index in [lo, n) with arr[i] > t (n when none). */
function firstAbove(arr: Float64Array, lo: number, n: number, t: number): number {
  let hi = n;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((arr[mid] ?? 0) > t) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/** First index in [lo, n) with arr[i] >= t (n when none). */
function firstAtLeast(arr: Float64Array, lo: number, n: number, t: number): number {
  let hi = n;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((arr[mid] ?? 0) >= t) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

function checkedMinutes(minutes: number): number {
  if (!Number.isInteger(minutes) || minutes < 0 || !Number.isSafeInteger(minutes * MINUTE_MS)) {
    throw new RangeError(`minutes must be a non-negative integer, got ${minutes}`);
  }
  return minutes * MINUTE_MS;
}

/** Every minute of a working day (Monday–Friday and makeup days, not holidays) counts; no exceptions. */
function workdayHours(): OpeningHours {
  const all: Interval[] = [{ open: '00:00', close: '24:00' }];
  return { weekly: [all, all, all, all, all, [], []], holiday: [], makeupWorkday: all };
}

/**
 * A unit's schedule compiled for fast clocks: the schedule is parsed once, opening spans of each local month
 * are computed once (zone offsets asked once per local day, and per minute only on a day with a DST change)
 * and kept as epoch-millisecond arrays. Answers exactly what the functions taking a UnitSchedule answer.
 *
 * The schedule is read when compiled: a later change to the object is not seen (compile again).
 */
export class CompiledSchedule {
  readonly timeZone: string;
  private readonly c: Compiled;
  private readonly calendarDays: CalendarDay[];
  private readonly blocks = new Map<number, MonthBlock>();
  private last: MonthBlock | null = null;
  private readonly guessOffsetMs: number;
  private workdayClock: CompiledSchedule | null = null;

  constructor(schedule: UnitSchedule) {
    this.c = compile(schedule);
    this.timeZone = schedule.timeZone;
    this.calendarDays = schedule.calendar;
    this.guessOffsetMs = this.c.zone.offset(0) * MINUTE_MS;
  }

  /**
   * The working-day clock of the same zone and national calendar: every minute of a working day counts
   * (Monday–Friday and makeup days 调休, not holidays or weekends), whatever the unit's opening hours.
   * '5 working days' is 5 × 1440 minutes on this clock.
   */
  workdays(): CompiledSchedule {
    this.workdayClock ??= new CompiledSchedule({
      timeZone: this.timeZone,
      hours: workdayHours(),
      calendar: this.calendarDays,
      exceptions: [],
    });
    return this.workdayClock;
  }

  /** The instant after `ms` milliseconds of opening time from `startMs` (see addBusinessMinutes). */
  addMs(startMs: number, ms: number): number {
    let b = this.blockAt(startMs);
    let remaining = ms;
    let i = firstAbove(b.ends, 0, b.n, startMs);
    if (i < b.n) {
      const from = Math.max(b.starts[i] ?? 0, startMs);
      const avail = (b.ends[i] ?? 0) - from;
      if (remaining <= avail) return from + remaining;
      const target = (b.cumEnd[i] ?? 0) + remaining - avail;
      if (target <= b.total) {
        const j = firstAtLeast(b.cumEnd, i + 1, b.n, target);
        return (b.ends[j] ?? 0) - ((b.cumEnd[j] ?? 0) - target);
      }
      remaining = target - b.total;
    }
    let lastOpenDay = i < b.n ? (b.spanLastDay[b.n - 1] ?? 0) : this.localDayIn(b, startMs);
    for (;;) {
      b = this.block(b.key + 1);
      if (b.n === 0) {
        if (b.endDay - 1 - lastOpenDay > HORIZON_DAYS) this.horizon(lastOpenDay);
        continue;
      }
      if ((b.spanFirstDay[0] ?? 0) - lastOpenDay > HORIZON_DAYS) this.horizon(lastOpenDay);
      if (remaining > b.total) {
        remaining -= b.total;
        lastOpenDay = b.spanLastDay[b.n - 1] ?? 0;
        continue;
      }
      i = firstAtLeast(b.cumEnd, 0, b.n, remaining);
      return (b.ends[i] ?? 0) - ((b.cumEnd[i] ?? 0) - remaining);
    }
  }

  /** Opening milliseconds in [fromMs, toMs); 0 when toMs <= fromMs. */
  msBetween(fromMs: number, toMs: number): number {
    if (toMs <= fromMs) return 0;
    const a = this.blockAt(fromMs);
    const aKey = a.key;
    const aBefore = this.cumAt(a, fromMs);
    const aTotal = a.total;
    const b = this.blockAt(toMs);
    if (b.key === aKey) return this.cumAt(b, toMs) - aBefore;
    let ms = aTotal - aBefore + this.cumAt(b, toMs);
    for (let key = aKey + 1; key < b.key; key++) ms += this.block(key).total;
    return ms;
  }

  /** Whether the unit is open at an instant (open inclusive, close exclusive). */
  isOpenAt(ms: number): boolean {
    const b = this.blockAt(ms);
    const i = firstAbove(b.ends, 0, b.n, ms);
    return i < b.n && (b.starts[i] ?? 0) <= ms;
  }

  /** Start of the next opening at or after `ms` (`ms` itself when open), or null within 400 days. */
  nextOpeningMs(ms: number): number | null {
    try {
      return this.addMs(ms, 0);
    } catch (e) {
      if (e instanceof RangeError) throw e;
      return null;
    }
  }

  /** As addBusinessMinutes(schedule, start, minutes). */
  addBusinessMinutes(start: Date, minutes: number): Date {
    const ms = checkedMinutes(minutes);
    return new Date(this.addMs(instantMs(start, 'start'), ms));
  }

  /** As businessMinutesBetween(schedule, from, to). */
  businessMinutesBetween(from: Date, to: Date): number {
    return this.msBetween(instantMs(from, 'from'), instantMs(to, 'to')) / MINUTE_MS;
  }

  /** As isBusinessTime(schedule, at). */
  isBusinessTime(at: Date): boolean {
    return this.isOpenAt(instantMs(at));
  }

  /** As nextOpening(schedule, at). */
  nextOpening(at: Date): Date | null {
    const ms = this.nextOpeningMs(instantMs(at));
    return ms === null ? null : new Date(ms);
  }

  private horizon(lastOpenDay: number): never {
    throw new Error(`no opening time within ${HORIZON_DAYS} days after ${formatDay(lastOpenDay)}`);
  }

  /** Opening milliseconds of a block before `t`. */
  private cumAt(b: MonthBlock, t: number): number {
    const i = firstAbove(b.ends, 0, b.n, t);
    if (i >= b.n) return b.total;
    const before = i > 0 ? (b.cumEnd[i - 1] ?? 0) : 0;
    return before + Math.max(0, t - (b.starts[i] ?? 0));
  }

  /** The local day of an instant inside a block. */
  private localDayIn(b: MonthBlock, t: number): number {
    return b.firstDay + firstAbove(b.dayStarts, 0, b.endDay - b.firstDay, t) - 1;
  }

  /** The block whose local month holds the instant. */
  private blockAt(ms: number): MonthBlock {
    if (!Number.isFinite(ms)) throw new RangeError('instant is not a valid Date');
    const last = this.last;
    if (last && ms >= last.startMs && ms < last.endMs) return last;
    let b = this.block(monthKeyOfDay(Math.floor((ms + this.guessOffsetMs) / DAY_MS)));
    while (ms < b.startMs) b = this.block(b.key - 1);
    while (ms >= b.endMs) b = this.block(b.key + 1);
    this.last = b;
    return b;
  }

  private block(key: number): MonthBlock {
    const known = this.blocks.get(key);
    if (known) return known;
    const b = this.buildBlock(key);
    if (this.blocks.size >= MAX_BLOCKS) this.blocks.clear();
    this.blocks.set(key, b);
    return b;
  }

  private buildBlock(key: number): MonthBlock {
    const { zone } = this.c;
    const firstDay = firstDayOfMonthKey(key);
    const endDay = firstDayOfMonthKey(key + 1);
    const dayStarts = new Float64Array(endDay - firstDay + 1);
    const raw: [start: number, end: number, day: number][] = [];
    for (let day = firstDay; day < endDay; day++) {
      dayStarts[day - firstDay] = instantOfDayMinute(zone, day, 0);
      for (const [start, end] of spansOn(this.c, day)) raw.push([start, end, day]);
    }
    dayStarts[endDay - firstDay] = instantOfDayMinute(zone, endDay, 0);
    raw.sort((x, y) => x[0] - y[0]);
    const merged: [start: number, end: number, firstDay: number, lastDay: number][] = [];
    for (const [start, end, day] of raw) {
      const prev = merged[merged.length - 1];
      if (prev && start <= prev[1]) {
        if (end > prev[1]) prev[1] = end;
        prev[3] = Math.max(prev[3], day);
      } else merged.push([start, end, day, day]);
    }
    const n = merged.length;
    const starts = new Float64Array(n);
    const ends = new Float64Array(n);
    const cumEnd = new Float64Array(n);
    const spanFirstDay = new Int32Array(n);
    const spanLastDay = new Int32Array(n);
    let total = 0;
    merged.forEach(([start, end, first, lastDay], i) => {
      starts[i] = start;
      ends[i] = end;
      total += end - start;
      cumEnd[i] = total;
      spanFirstDay[i] = first;
      spanLastDay[i] = lastDay;
    });
    return {
      key,
      firstDay,
      endDay,
      dayStarts,
      startMs: dayStarts[0] ?? 0,
      endMs: dayStarts[endDay - firstDay] ?? 0,
      n,
      starts,
      ends,
      cumEnd,
      spanFirstDay,
      spanLastDay,
      total,
    };
  }
}

/** Compiles a unit's schedule for fast clocks; throws RangeError when the schedule is malformed. */
export function compileSchedule(schedule: UnitSchedule): CompiledSchedule {
  return new CompiledSchedule(schedule);
}

interface CacheEntry {
  timeZone: string;
  hours: OpeningHours;
  calendar: CalendarDay[];
  exceptions: DayException[];
  compiled: CompiledSchedule;
}

const compiledCache = new WeakMap<UnitSchedule, CacheEntry | 'seen'>();

function sameFields(e: CacheEntry, s: UnitSchedule): boolean {
  return (
    e.timeZone === s.timeZone &&
    e.hours === s.hours &&
    e.calendar === s.calendar &&
    e.exceptions === s.exceptions
  );
}

/**
 * The compiled form of a schedule object, kept while the object lives. A schedule whose fields were
 * replaced is compiled again; one changed inside its arrays is not seen, so treat a schedule as immutable.
 */
export function compiledScheduleOf(s: UnitSchedule): CompiledSchedule {
  const known = compiledCache.get(s);
  if (known !== undefined && known !== 'seen' && sameFields(known, s)) return known.compiled;
  const compiled = new CompiledSchedule(s);
  compiledCache.set(s, {
    timeZone: s.timeZone,
    hours: s.hours,
    calendar: s.calendar,
    exceptions: s.exceptions,
    compiled,
  });
  return compiled;
}

/**
 * The compiled form when the schedule object is used a second time, null the first time: compiling builds
 * a month of spans, which costs more than one day walk, so a schedule built for a single call is not compiled.
 */
function compiledOnReuse(s: UnitSchedule): CompiledSchedule | null {
  const known = compiledCache.get(s);
  if (known === undefined) {
    compiledCache.set(s, 'seen');
    return null;
  }
  if (known !== 'seen' && sameFields(known, s)) return known.compiled;
  return compiledScheduleOf(s);
}

/* ------------------------------------------------------------------------------------------------ */
/* Holiday file.                                                                                    */
/* ------------------------------------------------------------------------------------------------ */

/**
 * Reads a holiday file (shape of cn-public-holidays.json) into calendar days sorted by date, and the years
 * the file covers; throws Error on a bad shape, an invalid or repeated date, or a makeup day on a weekday.
 */
export function parseHolidayFile(json: unknown): { days: CalendarDay[]; years: number[] } {
  const fail = (where: string, problem: string): never => {
    throw new Error(`holiday file: ${where}: ${problem}`);
  };
  const root = asRecord(json);
  if (!root) return fail('root', 'must be an object');
  if (root.source !== undefined && typeof root.source !== 'string') fail('source', 'must be a string');
  if (root.timezone !== undefined) {
    try {
      zoneOf(root.timezone as string);
    } catch {
      fail('timezone', `${JSON.stringify(root.timezone)} is not an IANA time zone`);
    }
  }
  const years = asRecord(root.years);
  if (!years) return fail('years', 'must be an object keyed by year');

  const days: CalendarDay[] = [];
  const seen = new Map<string, string>();
  const yearList: number[] = [];
  const addDay = (where: string, value: unknown, year: number, day: Omit<CalendarDay, 'date'>): void => {
    const n = dayNumberOf(value);
    if (n === null) return fail(where, `${JSON.stringify(value)} is not a valid date (YYYY-MM-DD)`);
    const date = formatDay(n);
    const y = civilFromDays(n)[0];
    if (Math.abs(y - year) > 1) fail(where, `${date} is not in or next to ${year}`);
    const earlier = seen.get(date);
    if (earlier !== undefined) fail(where, `${date} is listed twice (also at ${earlier})`);
    if (day.kind === 'makeup_workday' && weekdayIndex(n) < 5) {
      fail(
        where,
        `${date} is a ${WEEKDAY_NAMES[weekdayIndex(n)]}; a makeup working day (调休) is a weekend day`,
      );
    }
    seen.set(date, where);
    days.push({ date, ...day });
  };

  for (const [key, value] of Object.entries(years)) {
    const where = `years.${key}`;
    if (!/^\d{4}$/.test(key)) fail(where, 'year keys must be four digits');
    const year = Number(key);
    const entry = asRecord(value);
    if (!entry) return fail(where, 'must be an object with holidays and makeupWorkdays');
    if (!Array.isArray(entry.holidays)) fail(`${where}.holidays`, 'must be a list');
    if (!Array.isArray(entry.makeupWorkdays)) fail(`${where}.makeupWorkdays`, 'must be a list of dates');
    (entry.holidays as unknown[]).forEach((h, i) => {
      const hw = `${where}.holidays[${i}]`;
      const holiday = asRecord(h);
      if (!holiday) return fail(hw, 'must be an object with name and days');
      const { name, en } = holiday;
      if (typeof name !== 'string' || name.trim() === '')
        return fail(`${hw}.name`, 'must be a non-empty string');
      if (en !== undefined && typeof en !== 'string') return fail(`${hw}.en`, 'must be a string');
      if (!Array.isArray(holiday.days) || holiday.days.length === 0) {
        return fail(`${hw}.days`, 'must be a non-empty list of dates');
      }
      (holiday.days as unknown[]).forEach((d, j) => {
        addDay(
          `${hw}.days[${j}]`,
          d,
          year,
          en === undefined ? { kind: 'holiday', name } : { kind: 'holiday', name, en },
        );
      });
    });
    (entry.makeupWorkdays as unknown[]).forEach((d, j) => {
      addDay(`${where}.makeupWorkdays[${j}]`, d, year, {
        kind: 'makeup_workday',
        name: MAKEUP_WORKDAY_NAME,
        en: MAKEUP_WORKDAY_EN,
      });
    });
    yearList.push(year);
  }
  days.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
  return { days, years: yearList.sort((a, b) => a - b) };
}

/** Years that have any calendar data, ascending; a year missing here falls back to weekdays/weekends. */
export function calendarYears(days: CalendarDay[]): number[] {
  const years = new Set<number>();
  for (const d of days) {
    const n = dayNumberOf(d.date);
    if (n !== null) years.add(civilFromDays(n)[0]);
  }
  return [...years].sort((a, b) => a - b);
}

/** Kind of a date: holiday > makeup working day (a workday) > Monday–Friday workday / Saturday–Sunday restday. */
export function dayKind(days: CalendarDay[], date: LocalDate): DayKind {
  const kind = kindOf(indexCalendar(days), requireDay(date));
  return kind === 'holiday' ? 'holiday' : kind === 'weekend' ? 'restday' : 'workday';
}

/* ------------------------------------------------------------------------------------------------ */
/* Opening hours.                                                                                   */
/* ------------------------------------------------------------------------------------------------ */

/** Opening intervals of a unit on a local date (sorted, touching ones merged): exception, else holiday/makeup/weekly. */
export function openingIntervalsOn(s: UnitSchedule, date: LocalDate): Interval[] {
  return intervalsOn(compile(s), requireDay(date)).map(([open, close]) => ({
    open: formatMinutes(open),
    close: formatMinutes(close),
  }));
}

/** Minutes a unit is open on a local date (elapsed time, so a DST change day counts its real length). */
export function dailyOpenMinutes(s: UnitSchedule, date: LocalDate): number {
  let ms = 0;
  for (const [start, end] of spansOn(compile(s), requireDay(date))) ms += end - start;
  return ms / MINUTE_MS;
}

/** Whether an instant falls inside an opening interval of the unit (open inclusive, close exclusive). */
export function isBusinessTime(s: UnitSchedule, at: Date): boolean {
  const c = compile(s);
  const t = instantMs(at);
  const today = localDayOf(c.zone, t);
  for (let day = today - 1; day <= today + 1; day++) {
    for (const [start, end] of spansOn(c, day)) if (start <= t && t < end) return true;
  }
  return false;
}

/** Start of the next opening interval at or after `at` (`at` itself when open); null if none within 400 days. */
export function nextOpening(s: UnitSchedule, at: Date): Date | null {
  const c = compile(s);
  const t = instantMs(at);
  const today = localDayOf(c.zone, t);
  for (let day = today - 1; day <= today + HORIZON_DAYS; day++) {
    for (const [start, end] of spansOn(c, day)) if (end > t) return new Date(Math.max(start, t));
  }
  return null;
}

/**
 * Adds opening time: the instant after `minutes` minutes of opening time counted from `start` (or from the
 * next opening when closed). Ending exactly at a close returns the close; adding 0 while closed returns the
 * next opening. Throws RangeError unless minutes is a non-negative integer, Error if the unit stays closed
 * for more than 400 days.
 */
export function addBusinessMinutes(s: UnitSchedule, start: Date, minutes: number): Date {
  const compiled = compiledOnReuse(s);
  if (!compiled) return referenceAddBusinessMinutes(s, start, minutes);
  const ms = checkedMinutes(minutes);
  return new Date(compiled.addMs(instantMs(start, 'start'), ms));
}

/** Opening minutes in [from, to); 0 if to <= from. Fractional when the instants are not on whole minutes. */
export function businessMinutesBetween(s: UnitSchedule, from: Date, to: Date): number {
  const a = instantMs(from, 'from');
  const b = instantMs(to, 'to');
  if (b <= a) return 0;
  const compiled = compiledOnReuse(s);
  if (!compiled) return referenceBusinessMinutesBetween(s, from, to);
  return compiled.msBetween(a, b) / MINUTE_MS;
}

/**
 * addBusinessMinutes as a walk over the local days, parsing the schedule each call: the reference the
 * compiled schedule is tested against and the baseline of the due-time benchmark.
 */
export function referenceAddBusinessMinutes(s: UnitSchedule, start: Date, minutes: number): Date {
  if (!Number.isInteger(minutes) || minutes < 0 || !Number.isSafeInteger(minutes * MINUTE_MS)) {
    throw new RangeError(`minutes must be a non-negative integer, got ${minutes}`);
  }
  const c = compile(s);
  let cursor = instantMs(start, 'start');
  let remaining = minutes * MINUTE_MS;
  const first = localDayOf(c.zone, cursor);
  let lastOpenDay = first;
  for (let day = first - 1; ; day++) {
    if (day - lastOpenDay > HORIZON_DAYS) {
      throw new Error(`no opening time within ${HORIZON_DAYS} days after ${formatDay(lastOpenDay)}`);
    }
    for (const [spanStart, end] of spansOn(c, day)) {
      if (end <= cursor) continue;
      const from = Math.max(spanStart, cursor);
      if (remaining === 0) return new Date(from);
      if (remaining <= end - from) return new Date(from + remaining);
      remaining -= end - from;
      cursor = end;
      lastOpenDay = day;
    }
  }
}

/** businessMinutesBetween as a sum over the local days, parsing the schedule each call (the reference). */
export function referenceBusinessMinutesBetween(s: UnitSchedule, from: Date, to: Date): number {
  const a = instantMs(from, 'from');
  const b = instantMs(to, 'to');
  if (b <= a) return 0;
  const c = compile(s);
  const lastDay = localDayOf(c.zone, b) + 1;
  let ms = 0;
  for (let day = localDayOf(c.zone, a) - 1; day <= lastDay; day++) {
    for (const [start, end] of spansOn(c, day)) {
      const lo = Math.max(start, a);
      const hi = Math.min(end, b);
      if (hi > lo) ms += hi - lo;
    }
  }
  return ms / MINUTE_MS;
}

/**
 * The same local wall-clock time on the n-th working day (dayKind 'workday') strictly after the local date
 * of `start`; n = 0 returns `start`. Throws RangeError unless n is a non-negative integer.
 */
export function addBusinessDays(days: CalendarDay[], timeZone: string, start: Date, n: number): Date {
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`n must be a non-negative integer, got ${n}`);
  const zone = zoneOf(timeZone);
  const t = instantMs(start, 'start');
  if (n === 0) return new Date(t);
  const index = indexCalendar(days);
  const wall = wallMsOf(zone, t);
  const startDay = Math.floor(wall / DAY_MS);
  const timeOfDay = wall - startDay * DAY_MS;
  let lastWorkday = startDay;
  let left = n;
  for (let day = startDay + 1; ; day++) {
    if (day - lastWorkday > HORIZON_DAYS) {
      throw new Error(`no working day within ${HORIZON_DAYS} days after ${formatDay(lastWorkday)}`);
    }
    const kind = kindOf(index, day);
    if (kind !== 'weekday' && kind !== 'makeup') continue;
    lastWorkday = day;
    if (--left === 0) return new Date(instantOfWall(zone, day * DAY_MS + timeOfDay));
  }
}

/* ------------------------------------------------------------------------------------------------ */
/* Validation of opening hours (for the console).                                                  */
/* ------------------------------------------------------------------------------------------------ */

/** A problem with opening hours, in Chinese and English. */
export interface HoursProblem {
  zh: string;
  en: string;
}

interface Label {
  zh: string;
  en: string;
}

const WEEKDAY_LABELS: Label[] = WEEKDAY_NAMES.map((en, i) => ({ zh: `周${'一二三四五六日'[i]}`, en }));

function intervalProblems(intervals: unknown, label: Label): HoursProblem[] {
  if (!Array.isArray(intervals)) {
    return [
      {
        zh: `${label.zh}：营业时段应为时段列表（不营业时为空列表）`,
        en: `${label.en}: hours must be a list of intervals ([] when closed)`,
      },
    ];
  }
  const problems: HoursProblem[] = [];
  const valid: { open: number; close: number; text: string }[] = [];
  (intervals as unknown[]).forEach((iv, i) => {
    const where = { zh: `${label.zh}第 ${i + 1} 个时段`, en: `${label.en}, interval ${i + 1}` };
    const rec = asRecord(iv);
    if (!rec) {
      problems.push({
        zh: `${where.zh}：应包含开始和结束时间`,
        en: `${where.en}: must be an object with open and close times`,
      });
      return;
    }
    const open = minutesOf(rec.open, false);
    const close = minutesOf(rec.close, true);
    if (open === null) {
      problems.push(
        rec.open === '24:00'
          ? {
              zh: `${where.zh}：开始时间不能是 24:00，24:00 只能作结束时间`,
              en: `${where.en}: open time "24:00" is not allowed, 24:00 can only be a close time`,
            }
          : {
              zh: `${where.zh}：开始时间 ${JSON.stringify(rec.open)} 不是有效的时:分（00:00 至 23:59）`,
              en: `${where.en}: open time ${JSON.stringify(rec.open)} is not a valid HH:mm time (00:00 to 23:59)`,
            },
      );
    }
    if (close === null) {
      problems.push({
        zh: `${where.zh}：结束时间 ${JSON.stringify(rec.close)} 不是有效的时:分（00:01 至 24:00）`,
        en: `${where.en}: close time ${JSON.stringify(rec.close)} is not a valid HH:mm time (00:01 to 24:00)`,
      });
    }
    if (open === null || close === null) return;
    const o = formatMinutes(open);
    const c = formatMinutes(close);
    if (close < open) {
      problems.push({
        zh: `${where.zh}：${c} 结束早于 ${o} 开始；不接受跨午夜的时段，请拆为当天 ${o}-24:00 和次日 00:00-${c}`,
        en:
          `${where.en}: closes at ${c} before it opens at ${o}; ` +
          `intervals crossing midnight are refused, split it into ${o}-24:00 on this day and 00:00-${c} on the next`,
      });
    } else if (close === open) {
      problems.push({
        zh: `${where.zh}：开始和结束都是 ${o}；结束时间须晚于开始时间`,
        en: `${where.en}: opens and closes at ${o}; an interval must close after it opens`,
      });
    } else {
      valid.push({ open, close, text: `${o}-${c}` });
    }
  });
  valid.sort((a, b) => a.open - b.open || a.close - b.close);
  for (let i = 0; i < valid.length; i++) {
    const a = valid[i];
    for (let j = i + 1; a && j < valid.length; j++) {
      const b = valid[j];
      if (!b || b.open >= a.close) break;
      problems.push({
        zh: `${label.zh}：时段 ${a.text} 与 ${b.text} 重叠`,
        en: `${label.en}: intervals ${a.text} and ${b.text} overlap`,
      });
    }
  }
  return problems;
}

/** Problems with a list of intervals as English sentences; [] when valid. */
export function validateIntervals(intervals: Interval[], label = 'hours'): string[] {
  return intervalProblems(intervals, { zh: label, en: label }).map((p) => p.en);
}

/** Problems with a list of intervals in Chinese and English; [] when valid. */
export function intervalsProblems(
  intervals: Interval[],
  label: Label = { zh: '营业时段', en: 'hours' },
): HoursProblem[] {
  return intervalProblems(intervals, label);
}

/** Problems with opening hours in Chinese and English; [] when the hours are valid. */
export function openingHoursProblems(h: OpeningHours): HoursProblem[] {
  const rec = asRecord(h);
  if (!rec) {
    return [
      {
        zh: '营业时间应包含每周和节假日的时段',
        en: 'opening hours must be an object with weekly and holiday hours',
      },
    ];
  }
  const problems: HoursProblem[] = [];
  const weekly = rec.weekly;
  if (!Array.isArray(weekly)) {
    problems.push({
      zh: '每周营业时间应列出周一至周日 7 天',
      en: 'weekly must be a list of 7 weekdays (Monday to Sunday)',
    });
  } else {
    if (weekly.length !== 7) {
      problems.push({
        zh: `每周营业时间应恰好列出 7 天（周一至周日），实际 ${weekly.length} 天`,
        en: `weekly must list exactly 7 weekdays (Monday to Sunday), got ${weekly.length}`,
      });
    }
    (weekly as unknown[]).forEach((day, i) => {
      problems.push(
        ...intervalProblems(day, WEEKDAY_LABELS[i] ?? { zh: `第 ${i + 1} 天`, en: `weekday ${i + 1}` }),
      );
    });
  }
  problems.push(...intervalProblems(rec.holiday, { zh: '法定节假日', en: 'holiday' }));
  if (rec.makeupWorkday !== undefined) {
    problems.push(...intervalProblems(rec.makeupWorkday, { zh: '调休上班日', en: 'makeup workday' }));
  }
  return problems;
}

/** Problems with opening hours as human-readable English sentences; [] when the hours are valid. */
export function validateOpeningHours(h: OpeningHours): string[] {
  return openingHoursProblems(h).map((p) => p.en);
}

/* ------------------------------------------------------------------------------------------------ */
/* Local dates and instants.                                                                        */
/* ------------------------------------------------------------------------------------------------ */

/** The local date of an instant in a time zone. */
export function localDateOf(at: Date, timeZone: string): LocalDate {
  return formatDay(localDayOf(zoneOf(timeZone), instantMs(at)));
}

/** The instant of a local date and time in a time zone; '24:00' means the start of the next day. */
export function atLocal(date: LocalDate, time: LocalTime, timeZone: string): Date {
  const zone = zoneOf(timeZone);
  const day = requireDay(date);
  const minutes = minutesOf(time, true);
  if (minutes === null) throw new RangeError(`time ${JSON.stringify(time)} is not a valid HH:mm time`);
  return new Date(instantOfDayMinute(zone, day, minutes));
}
