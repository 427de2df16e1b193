/**
 * The rules of `fuwu simulate` (src/modules/queue/simulate-http.ts), pure: where a simulated day may be
 * played, how simulated time maps onto the server's real clock, the arrival profile of a weekday, and the
 * local times its log shows.
 *
 * Where: only in a **training hall** — a hall (any hall kind) whose attribute `training` is `true`. Given a real hall
 * as the model, the day is played in that hall's training hall (code `<code>-SIM`, made from the model
 * when missing); a unit of that code that is not a training hall is refused, and so is a training hall
 * with a counter open or paused (a person training there, or another simulation). So a simulated day
 * never opens, uses or closes a real counter, and never puts a ticket in a real hall's line.
 */
import type { UnitKind } from './org.ts';
import { HALL_KINDS } from './org.ts';

/** The attribute that marks a training hall (a unit attribute, `true`). */
export const TRAINING_ATTRIBUTE = 'training';
/** The suffix of a model hall's training hall code. */
export const TRAINING_SUFFIX = '-SIM';
/** Unit codes are at most this long (org contract). */
const MAX_CODE = 32;

export interface UnitFacts {
  id: string;
  code: string;
  kind: string;
  active: boolean;
  attributes: Record<string, unknown>;
}

export const isHall = (u: UnitFacts): boolean => HALL_KINDS.includes(u.kind as UnitKind);
export const isTrainingHall = (u: UnitFacts): boolean =>
  isHall(u) && u.attributes[TRAINING_ATTRIBUTE] === true;

/** The code of a model hall's training hall, or null when it would pass the length of a unit code. */
export function trainingHallCode(modelCode: string): string | null {
  const code = `${modelCode}${TRAINING_SUFFIX}`;
  return code.length <= MAX_CODE ? code : null;
}

export type SimulationTarget =
  | { kind: 'play'; hall: UnitFacts }
  | { kind: 'create'; model: UnitFacts; code: string }
  | { kind: 'refuse'; code: string; zh: string; en: string };

/**
 * Where a simulation asked for `named` plays. `units` are the units the caller sees (their codes are
 * unique). A training hall plays itself; a real hall plays in its training hall, to be created when missing.
 */
export function simulationTarget(named: string, units: readonly UnitFacts[]): SimulationTarget {
  const unit = units.find((u) => u.code === named || u.id === named);
  if (!unit)
    return {
      kind: 'refuse',
      code: 'no_hall',
      zh: `看不到单位 ${named}`,
      en: `No unit ${named} is visible to this user`,
    };
  if (!isHall(unit))
    return {
      kind: 'refuse',
      code: 'not_a_hall',
      zh: `${unit.code} 不是营业厅`,
      en: `${unit.code} is not a business hall`,
    };
  if (isTrainingHall(unit)) {
    if (!unit.active)
      return {
        kind: 'refuse',
        code: 'hall_inactive',
        zh: `培训厅 ${unit.code} 已停用`,
        en: `The training hall ${unit.code} is deactivated`,
      };
    return { kind: 'play', hall: unit };
  }
  const code = trainingHallCode(unit.code);
  if (!code)
    return {
      kind: 'refuse',
      code: 'code_too_long',
      zh: `${unit.code} 的培训厅代码超过 ${MAX_CODE} 个字符，请先建一个培训厅（属性 training=true）并指定它`,
      en: `The training hall code of ${unit.code} would pass ${MAX_CODE} characters: make a training hall (attribute training=true) and name it`,
    };
  const existing = units.find((u) => u.code === code);
  if (!existing) return { kind: 'create', model: unit, code };
  if (!isTrainingHall(existing))
    return {
      kind: 'refuse',
      code: 'not_training',
      zh: `${code} 不是培训厅（属性 training 不为 true）：模拟不在真实营业厅里进行`,
      en: `${code} is not a training hall (its attribute training is not true): a simulation never plays in a real hall`,
    };
  return simulationTarget(code, units);
}

/** A counter as the simulator sees it before it starts. */
export interface CounterFacts {
  number: number;
  state: 'closed' | 'open' | 'paused';
  staffName: string;
}

/**
 * Why a training hall cannot take a simulation now: counters someone has open or paused (a person training,
 * another simulation, or one interrupted before it closed its counters). Null when every counter is closed.
 */
export function busyTrainingHall(counters: readonly CounterFacts[]): { zh: string; en: string } | null {
  const busy = counters.filter((c) => c.state !== 'closed');
  if (busy.length === 0) return null;
  const list = busy.map((c) => `${c.number}${c.staffName ? ` (${c.staffName})` : ''}`).join(', ');
  return {
    zh: `培训厅的窗口 ${list} 正在使用：另一次模拟或培训正在进行；请先在窗口页关闭这些窗口`,
    en: `Counters ${list} of the training hall are in use (another simulation or a training session): close them on the counter page first`,
  };
}

/**
 * Simulated time on the real clock: the simulated day (in minutes after its local midnight) is at
 * `simStart` when the run starts at the real instant `realStart` (ms), and runs `speed` times as fast
 * (60: a simulated minute per real second). The server's clock stays real, so a service of 6 simulated
 * minutes lasts 6 real seconds at speed 60, and the server measures (and its statistics show) 6 seconds.
 */
export interface Pace {
  realStart: number;
  simStart: number;
  speed: number;
}

export const MIN_SPEED = 1;
export const MAX_SPEED = 3600;

/** The simulated minute of the day at a real instant. */
export const simulatedAt = (p: Pace, realMs: number): number =>
  p.simStart + ((realMs - p.realStart) / 60_000) * p.speed;
/** The real instant of a simulated minute of the day. */
export const realAt = (p: Pace, simMinute: number): number =>
  p.realStart + ((simMinute - p.simStart) * 60_000) / p.speed;

/** Customers per hour per counter, by local hour of the day (a weekday with two peaks). */
export const HOURLY_ARRIVALS = [
  0, 0, 0, 0, 0, 0, 0, 0, 3.5, 5.5, 7.5, 7, 4.5, 4.5, 6.5, 7.5, 7, 5.5, 4, 2, 1, 0, 0, 0,
] as const;

/** Arrivals per simulated minute at a local hour, for `counters` counters and a load factor. */
export function arrivalsPerMinute(hour: number, counters: number, load: number): number {
  return ((HOURLY_ARRIVALS[((hour % 24) + 24) % 24] ?? 0) * counters * load) / 60;
}

/** The busiest rate of the day (the thinning bound). */
export const peakArrivalsPerMinute = (counters: number, load: number): number =>
  (Math.max(...HOURLY_ARRIVALS) * counters * load) / 60;

/** "HH:mm" → minutes after midnight. */
export function minutesOf(hhmm: string): number | null {
  const m = /^(\d{2}):(\d{2})$/.exec(hhmm);
  if (!m) return null;
  const v = Number(m[1]) * 60 + Number(m[2]);
  return Number(m[2]) < 60 && v <= 24 * 60 ? v : null;
}

/** A wall-clock time in a zone, 24-hour `HH:mm:ss` (the log shows the hall's local time, not UTC). */
export function localClock(at: Date | number, timeZone: string): string {
  return new Intl.DateTimeFormat('en-GB', {
    timeZone,
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hourCycle: 'h23',
  }).format(at);
}

/** A minute of the simulated day as `HH:mm` (minutes after its local midnight). */
export function dayClock(minuteOfDay: number): string {
  const m = Math.max(0, Math.floor(minuteOfDay));
  return `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
}
