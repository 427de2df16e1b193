/**
 * Due-time computations per second on one core (issue #14: goal ≥ 10⁶/s): the SLA core's dueAt on a compiled
 * schedule, as a ratio to the uncompiled addBusinessMinutes (re-parsing the schedule and asking Intl for zone
 * offsets on each call) on the same inputs in the same run, and as a ratio to the goal. No database.
 */
import holidayFile from '../src/core/cn-public-holidays.json' with { type: 'json' };
import { compileSchedule, parseHolidayFile, referenceAddBusinessMinutes } from '../src/core/calendar.ts';
import type { Interval, UnitSchedule } from '../src/core/calendar.ts';
import { defaultPolicies, dueAt, matchPolicy, WORK_ORDER_KINDS } from '../src/core/sla.ts';
import type { OrderFacts, Pause, SlaTarget } from '../src/core/sla.ts';
import type { Bench } from './harness.ts';

const GOAL_PER_SECOND = 1_000_000;
const INPUTS = 4096;

interface Rate {
  /** Calls per second of this process's CPU time: per second of one core, whatever else the machine runs. */
  perCpuSecond: number;
  /** Calls per second of wall-clock time (lower when other processes share the cores). */
  perWallSecond: number;
  sink: number;
}

/** Calls `work(i)` in batches for about `seconds` of wall-clock time on this thread. */
function syncThroughput(seconds: number, work: (i: number) => number): Rate {
  let sink = 0;
  let done = 0;
  const cpu = process.cpuUsage();
  const start = performance.now();
  const until = start + seconds * 1000;
  while (performance.now() < until) {
    for (let k = 0; k < 1000; k++) sink += work(done++ & (INPUTS - 1));
  }
  const wall = (performance.now() - start) / 1000;
  const used = process.cpuUsage(cpu);
  const cpuSeconds = (used.user + used.system) / 1e6;
  return { perCpuSecond: done / cpuSeconds, perWallSecond: done / wall, sink };
}

const wallNote = (label: string, r: Rate): string =>
  `${label}: ${r.perCpuSecond.toFixed(0)}/s of CPU time, ${r.perWallSecond.toFixed(0)}/s of wall-clock time`;

/** A small deterministic generator, so every run measures the same inputs. */
function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1_664_525) + 1_013_904_223) >>> 0;
    return s / 2 ** 32;
  };
}

export const duetimeBench: Bench = {
  name: 'duetime',
  describe: 'SLA due times on a compiled schedule vs the uncompiled addBusinessMinutes, and vs 10⁶/s',
  async run() {
    const seconds = Number(process.env.BENCH_SECONDS ?? 3);
    const calendar = parseHolidayFile(holidayFile).days;
    const day: Interval[] = [
      { open: '08:30', close: '12:00' },
      { open: '13:30', close: '18:00' },
    ];
    const hall: UnitSchedule = {
      timeZone: 'Asia/Shanghai',
      hours: { weekly: [day, day, day, day, day, [{ open: '09:00', close: '17:00' }], []], holiday: [] },
      calendar,
      exceptions: [{ date: '2026-02-17', hours: [{ open: '10:00', close: '14:00' }] }],
    };
    const compiled = compileSchedule(hall);

    // Orders received at any minute of 2025–2026, with business-time limits up to 3 working days.
    const random = lcg(14);
    const from = Date.parse('2025-01-01T00:00:00+08:00');
    const span = Date.parse('2027-01-01T00:00:00+08:00') - from;
    const starts = Array.from({ length: INPUTS }, () => new Date(from + Math.floor(random() * span)));
    const minutes = Array.from({ length: INPUTS }, () => 1 + Math.floor(random() * 3 * 570));
    const businessTargets: SlaTarget[] = minutes.map((m) => ({ clock: 'business', minutes: m }));

    // The mix the module will see: every kind and its default policy's resolution target (business,
    // working-day and plain clocks), a third of the orders with one or two closed pauses.
    const policies = defaultPolicies();
    const mixTargets: SlaTarget[] = [];
    const mixPauses: Pause[][] = [];
    for (let i = 0; i < INPUTS; i++) {
      const facts: OrderFacts = {
        kind: WORK_ORDER_KINDS[i % WORK_ORDER_KINDS.length] ?? 'complaint',
        channel: 'hotline',
        customerTier: null,
        categoryPath: [],
        attributes: i % 3 === 0 ? { line: 'mobile' } : { line: 'fixed', area: i % 2 ? 'town' : 'rural' },
      };
      const match = matchPolicy(policies, facts);
      const target: SlaTarget =
        i % 4 === 0 ? (businessTargets[i] as SlaTarget) : (match?.targets.resolution as SlaTarget);
      mixTargets.push(target);
      const s = (starts[i] as Date).getTime();
      const pauses: Pause[] = [];
      if (i % 3 === 1) pauses.push({ from: new Date(s + 3_600_000), to: new Date(s + 30 * 3_600_000) });
      if (i % 6 === 1) pauses.push({ from: new Date(s + 50 * 3_600_000), to: new Date(s + 53 * 3_600_000) });
      mixPauses.push(pauses);
    }

    // The two implementations agree on these inputs (a benchmark of a wrong answer is worth nothing).
    for (let i = 0; i < 256; i++) {
      const a = dueAt(businessTargets[i] as SlaTarget, starts[i] as Date, [], compiled)?.getTime();
      const b = referenceAddBusinessMinutes(hall, starts[i] as Date, minutes[i] as number).getTime();
      if (a !== b) throw new Error(`compiled and reference disagree on input ${i}: ${a} vs ${b}`);
    }

    const compiledBusiness = (i: number): number =>
      dueAt(businessTargets[i] as SlaTarget, starts[i] as Date, [], compiled)?.getTime() ?? 0;
    const reference = (i: number): number =>
      referenceAddBusinessMinutes(hall, starts[i] as Date, minutes[i] as number).getTime();
    const mixed = (i: number): number =>
      dueAt(mixTargets[i] as SlaTarget, starts[i] as Date, mixPauses[i] as Pause[], compiled)?.getTime() ?? 0;
    const rawAdd = (i: number): number =>
      compiled.addMs((starts[i] as Date).getTime(), (minutes[i] as number) * 60_000);

    // Warm up (JIT, and the month blocks of 2025–2026 a running server keeps).
    syncThroughput(0.3, compiledBusiness);
    syncThroughput(0.3, mixed);
    syncThroughput(0.3, reference);

    const subject = syncThroughput(seconds, compiledBusiness);
    const baseline = syncThroughput(seconds, reference);
    const mix = syncThroughput(seconds, mixed);
    const raw = syncThroughput(Math.max(1, seconds / 3), rawAdd);
    const busy =
      'rates per second of this process’s CPU time (one core); indicative on a busy machine (caches, GC threads)';

    return [
      {
        bench: 'duetime',
        subject: {
          name: 'dueAt, business clock, compiled schedule',
          unit: 'due times',
          perSecond: subject.perCpuSecond,
        },
        baseline: {
          name: 'addBusinessMinutes uncompiled (the old way)',
          unit: 'due times',
          perSecond: baseline.perCpuSecond,
        },
        ratio: subject.perCpuSecond / baseline.perCpuSecond,
        notes: [
          'same 4096 orders over 2025–2026 (limits up to 3 working days), one core, one thread',
          `${wallNote('compiled addMs alone (no Date, no checks)', raw)}`,
          wallNote('subject', subject),
          wallNote('baseline', baseline),
          busy,
        ],
      },
      {
        bench: 'duetime',
        subject: {
          name: 'dueAt, the default policies’ mix with pauses, compiled',
          unit: 'due times',
          perSecond: mix.perCpuSecond,
        },
        baseline: { name: 'the goal of issue #14', unit: 'due times', perSecond: GOAL_PER_SECOND },
        ratio: mix.perCpuSecond / GOAL_PER_SECOND,
        goal: 1,
        notes: [
          'business, working-day and plain clocks; a third of the orders paused once or twice',
          wallNote('subject', mix),
          busy,
          `(checksum ${((subject.sink + baseline.sink + mix.sink + raw.sink) % 997).toFixed(0)})`,
        ],
      },
    ];
  },
};
