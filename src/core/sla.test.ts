import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { DateTime } from 'luxon';
import holidayFile from './cn-public-holidays.json' with { type: 'json' };
import { atLocal, businessMinutesBetween, compileSchedule, parseHolidayFile } from './calendar.ts';
import type { Interval, UnitSchedule } from './calendar.ts';
import {
  reopenUntil,
  defaultPolicies,
  dueAt,
  elapsedMinutes,
  escalationLevel,
  matchPolicy,
  nextEscalation,
  policyProblems,
  remainingMinutes,
  settingDefault,
  shareUsed,
  slaClock,
  SLA_SETTING_KEYS,
} from './sla.ts';
import type { EscalationStep, OrderFacts, Pause, SlaPolicy, SlaTarget } from './sla.ts';
import { settingDef } from './settings.ts';

/* ---------------------------------------------------------------------------------------------- */
/* Fixtures                                                                                        */
/* ---------------------------------------------------------------------------------------------- */

const SH = 'Asia/Shanghai';
const URUMQI = 'Asia/Urumqi';
const BERLIN = 'Europe/Berlin';
const NEW_YORK = 'America/New_York';
const { days: CN } = parseHolidayFile(holidayFile);

const iv = (open: string, close: string): Interval => ({ open, close });
const NINE_TO_FIVE = [iv('09:00', '17:00')];
/** A back office: Monday–Friday 09:00–17:00 (8 h), closed at weekends and on holidays, open on 调休 days. */
const office: UnitSchedule = {
  timeZone: SH,
  hours: {
    weekly: [NINE_TO_FIVE, NINE_TO_FIVE, NINE_TO_FIVE, NINE_TO_FIVE, NINE_TO_FIVE, [], []],
    holiday: [],
  },
  calendar: CN,
  exceptions: [],
};
/** A business hall: lunch break on weekdays, Saturday 09:00–17:00, Sunday closed, holidays 09:00–12:00. */
const HALL_DAY = [iv('08:30', '12:00'), iv('13:30', '18:00')];
const hall: UnitSchedule = {
  timeZone: SH,
  hours: {
    weekly: [HALL_DAY, HALL_DAY, HALL_DAY, HALL_DAY, HALL_DAY, NINE_TO_FIVE, []],
    holiday: [iv('09:00', '12:00')],
  },
  calendar: CN,
  exceptions: [],
};
const berlinOffice: UnitSchedule = { ...office, timeZone: BERLIN, calendar: [] };
const newYorkOffice: UnitSchedule = { ...office, timeZone: NEW_YORK, calendar: [] };
const urumqiOffice: UnitSchedule = { ...office, timeZone: URUMQI };
const allDay: UnitSchedule = {
  ...office,
  hours: { weekly: Array.from({ length: 7 }, () => [iv('00:00', '24:00')]), holiday: [iv('00:00', '24:00')] },
};

const COMPILED = {
  office: compileSchedule(office),
  hall: compileSchedule(hall),
  berlinOffice: compileSchedule(berlinOffice),
  newYorkOffice: compileSchedule(newYorkOffice),
  urumqiOffice: compileSchedule(urumqiOffice),
  allDay: compileSchedule(allDay),
};
type Name = keyof typeof COMPILED;
const SCHEDULES: Record<Name, UnitSchedule> = {
  office,
  hall,
  berlinOffice,
  newYorkOffice,
  urumqiOffice,
  allDay,
};
const ZONE_OF: Record<Name, string> = {
  office: SH,
  hall: SH,
  berlinOffice: BERLIN,
  newYorkOffice: NEW_YORK,
  urumqiOffice: URUMQI,
  allDay: SH,
};

/** 'YYYY-MM-DD HH:mm' local in a zone (luxon, independent of the calendar module). */
const at = (local: string, zone = SH): Date => {
  const d = DateTime.fromFormat(local, 'yyyy-MM-dd HH:mm', { zone });
  if (!d.isValid) throw new Error(`bad fixture ${local}`);
  return d.toJSDate();
};
const show = (d: Date | null | undefined, zone = SH): string | null =>
  d ? DateTime.fromJSDate(d, { zone }).toFormat('yyyy-MM-dd HH:mm') : null;
const pause = (from: string, to: string | null, zone = SH): Pause => ({
  from: at(from, zone),
  to: to === null ? null : at(to, zone),
});
const business = (minutes: number): SlaTarget => ({ clock: 'business', minutes });
const workdays = (days: number): SlaTarget => ({ clock: 'workdays', minutes: days * 1440 });
const calendar = (minutes: number): SlaTarget => ({ clock: 'calendar', minutes });
const H = 60;

/* ---------------------------------------------------------------------------------------------- */
/* Due times                                                                                       */
/* ---------------------------------------------------------------------------------------------- */

describe('dueAt', () => {
  it.each<[string, Name, SlaTarget, string, Pause[], string | null]>([
    ['within a working day', 'office', business(2 * H), '2025-03-03 09:00', [], '2025-03-03 11:00'],
    ['ending exactly at closing', 'office', business(8 * H), '2025-03-03 09:00', [], '2025-03-03 17:00'],
    ['received at night', 'office', business(30), '2025-03-03 20:00', [], '2025-03-04 09:30'],
    ['over the weekend', 'office', business(2 * H), '2025-03-07 16:00', [], '2025-03-10 10:00'],
    ['received on Sunday', 'office', business(H), '2025-03-09 11:00', [], '2025-03-10 10:00'],
    [
      'into the 调休 Saturday 2026-02-14',
      'office',
      business(2 * H),
      '2026-02-13 16:00',
      [],
      '2026-02-14 10:00',
    ],
    ['over the Spring Festival 2026', 'office', business(2 * H), '2026-02-14 16:00', [], '2026-02-24 10:00'],
    [
      'into the 调休 Saturday 2026-02-28',
      'office',
      business(2 * H),
      '2026-02-27 16:00',
      [],
      '2026-02-28 10:00',
    ],
    ['from a 调休 Sunday (2025-09-28)', 'office', business(H), '2025-09-28 16:30', [], '2025-09-29 09:30'],
    ['a hall open on holidays', 'hall', business(2 * H), '2026-02-14 17:00', [], '2026-02-15 10:00'],
    ['a hall over its lunch break', 'hall', business(H), '2025-03-03 11:30', [], '2025-03-03 14:00'],
    [
      '2 working days over the Spring Festival',
      'office',
      workdays(2),
      '2026-02-13 10:00',
      [],
      '2026-02-24 10:00',
    ],
    ['1 working day from a Saturday', 'office', workdays(1), '2025-03-08 10:00', [], '2025-03-11 00:00'],
    [
      '5 working days over National Day 2025',
      'office',
      workdays(5),
      '2025-09-26 15:00',
      [],
      '2025-10-10 15:00',
    ],
    [
      '48 h plain time over the festival',
      'office',
      calendar(48 * H),
      '2026-02-14 17:00',
      [],
      '2026-02-16 17:00',
    ],
    [
      'Urumqi counts in its own zone',
      'urumqiOffice',
      business(H),
      '2025-03-03 16:30',
      [],
      '2025-03-04 09:30',
    ],
    // pauses
    [
      'a pause spanning the Spring Festival, while closed, costs nothing',
      'office',
      business(2 * H),
      '2026-02-14 16:00',
      [pause('2026-02-14 17:00', '2026-02-24 09:00')],
      '2026-02-24 10:00',
    ],
    [
      'a pause spanning the Spring Festival stops the open days around it',
      'office',
      business(16 * H),
      '2026-02-12 10:00',
      [pause('2026-02-13 12:00', '2026-02-25 12:00')],
      '2026-02-26 10:00',
    ],
    [
      'the same pause on plain time moves the due time by its length',
      'office',
      calendar(48 * H),
      '2026-02-12 10:00',
      [pause('2026-02-13 12:00', '2026-02-25 12:00')],
      '2026-02-26 10:00',
    ],
    [
      'a pause on working days over the festival',
      'office',
      workdays(2),
      '2026-02-12 10:00',
      [pause('2026-02-13 00:00', '2026-02-24 00:00')],
      '2026-02-25 10:00',
    ],
    [
      'a pause begun before the start counts from the start',
      'office',
      business(H),
      '2025-03-03 09:00',
      [pause('2025-03-02 12:00', '2025-03-03 10:00')],
      '2025-03-03 11:00',
    ],
    [
      'overlapping pauses count once',
      'office',
      business(2 * H),
      '2025-03-03 09:00',
      [pause('2025-03-03 10:00', '2025-03-03 11:00'), pause('2025-03-03 10:30', '2025-03-03 12:00')],
      '2025-03-03 13:00',
    ],
    [
      'a pause after the due time changes nothing',
      'office',
      business(H),
      '2025-03-03 09:00',
      [pause('2025-03-03 10:00', '2025-03-05 10:00')],
      '2025-03-03 10:00',
    ],
    [
      'an open pause: not known',
      'office',
      business(2 * H),
      '2025-03-03 09:00',
      [pause('2025-03-03 10:00', null)],
      null,
    ],
    [
      'an open pause after the limit was reached',
      'office',
      business(H),
      '2025-03-03 09:00',
      [pause('2025-03-03 12:00', null)],
      '2025-03-03 10:00',
    ],
  ])('%s', (_label, name, target, start, pauses, expected) => {
    const zone = ZONE_OF[name];
    expect(show(dueAt(target, at(start, zone), pauses, COMPILED[name]), zone)).toBe(expected);
  });

  it('counts real time across DST changes (Berlin and New York)', () => {
    // Friday 16:00 CET + 2 business hours → Monday 10:00 CEST (the clocks moved on Sunday)
    expect(
      show(dueAt(business(2 * H), at('2025-03-28 16:00', BERLIN), [], COMPILED.berlinOffice), BERLIN),
    ).toBe('2025-03-31 10:00');
    expect(
      show(dueAt(business(2 * H), at('2025-03-07 16:00', NEW_YORK), [], COMPILED.newYorkOffice), NEW_YORK),
    ).toBe('2025-03-10 10:00');
    // 24 h of plain time across the spring change: 24 real hours, 25 on the wall clock
    const start = at('2025-03-29 12:00', BERLIN);
    const due = dueAt(calendar(24 * H), start, [], COMPILED.berlinOffice);
    expect(due?.getTime()).toBe(start.getTime() + 24 * 3_600_000);
    expect(show(due, BERLIN)).toBe('2025-03-30 13:00');
    // the working-day clock in Berlin has no national calendar: Monday–Friday
    expect(show(dueAt(workdays(1), at('2025-10-24 12:00', BERLIN), [], COMPILED.berlinOffice), BERLIN)).toBe(
      '2025-10-27 12:00',
    );
  });

  it('a mode overrides the target’s clock', () => {
    const start = at('2026-02-14 16:00');
    expect(show(dueAt(business(2 * H), start, [], COMPILED.office, 'calendar'))).toBe('2026-02-14 18:00');
    expect(show(dueAt(business(2 * H), start, [], COMPILED.office, 'workdays'))).toBe('2026-02-14 18:00');
  });

  it('a deadline answers the deadline, whatever the pauses', () => {
    const deadline = at('2026-03-02 17:00');
    const target: SlaTarget = { clock: 'deadline', at: deadline };
    const pauses = [pause('2026-02-25 10:00', '2026-02-27 10:00')];
    expect(dueAt(target, at('2026-02-24 10:00'), pauses, COMPILED.office)).toEqual(deadline);
  });

  it('a target that does not pause ignores the pauses', () => {
    const target: SlaTarget = { clock: 'calendar', minutes: 15 * 1440, pausable: false };
    const start = at('2026-02-12 10:00');
    expect(show(dueAt(target, start, [pause('2026-02-13 12:00', null)], COMPILED.office))).toBe(
      '2026-02-27 10:00',
    );
  });

  it.each<[string, SlaTarget, Pause[]]>([
    ['0 minutes', business(0), []],
    ['fractional minutes', business(1.5), []],
    ['negative minutes', calendar(-5), []],
    ['an unknown clock', { clock: 'lunar', minutes: 5 } as unknown as SlaTarget, []],
    ['an invalid deadline', { clock: 'deadline', at: new Date(Number.NaN) }, []],
    ['a pause ending before it starts', business(60), [pause('2025-03-03 12:00', '2025-03-03 11:00')]],
    ['an invalid pause', business(60), [{ from: new Date(Number.NaN), to: null }]],
  ])('refuses %s with RangeError', (_label, target, pauses) => {
    expect(() => dueAt(target, at('2025-03-03 09:00'), pauses, COMPILED.office)).toThrow(RangeError);
  });

  it('refuses an invalid start with RangeError', () => {
    expect(() => dueAt(business(60), new Date(Number.NaN), [], COMPILED.office)).toThrow(RangeError);
  });
});

/* ---------------------------------------------------------------------------------------------- */
/* Clocks and escalation                                                                           */
/* ---------------------------------------------------------------------------------------------- */

const LADDER: EscalationStep[] = [
  { level: 'warn_owner', at: 0.75 },
  { level: 'supervisor', at: 1 },
  { level: 'superior_unit', afterMinutes: 24 * H },
];

describe('slaClock and the escalation ladder', () => {
  const target = business(8 * H);
  const start = at('2025-03-03 09:00'); // Monday

  it.each<[string, number, number, string | null, string | null, string | null]>([
    // now, elapsed, share, level, next level, next at
    ['2025-03-03 09:00', 0, 0, null, 'warn_owner', '2025-03-03 15:00'],
    ['2025-03-03 14:00', 300, 0.625, null, 'warn_owner', '2025-03-03 15:00'],
    ['2025-03-03 15:00', 360, 0.75, 'warn_owner', 'supervisor', '2025-03-03 17:00'],
    ['2025-03-03 17:00', 480, 1, 'supervisor', 'superior_unit', '2025-03-06 17:00'],
    ['2025-03-04 09:00', 480, 1, 'supervisor', 'superior_unit', '2025-03-06 17:00'],
    ['2025-03-04 13:00', 720, 1.5, 'supervisor', 'superior_unit', '2025-03-06 17:00'],
    ['2025-03-06 17:00', 480 * 4, 4, 'superior_unit', null, null],
  ])('at %s', (now, elapsed, share, level, nextLevel, nextAt) => {
    const pauses: Pause[] = [];
    const state = slaClock(target, LADDER, start, pauses, COMPILED.office, at(now));
    expect(state.elapsedMinutes).toBe(elapsed);
    expect(state.remainingMinutes).toBe(480 - elapsed);
    expect(state.share).toBe(share);
    expect(state.level?.level ?? null).toBe(level);
    expect(state.next?.level ?? null).toBe(nextLevel);
    expect(show(state.next?.at ?? null)).toBe(nextAt);
    expect(state.breached).toBe(elapsed >= 480);
    expect(show(state.dueAt)).toBe('2025-03-03 17:00');
    expect(elapsedMinutes(target, start, pauses, COMPILED.office, at(now))).toBe(elapsed);
    expect(remainingMinutes(target, start, pauses, COMPILED.office, at(now))).toBe(480 - elapsed);
    expect(shareUsed(target, start, pauses, COMPILED.office, at(now))).toBe(share);
    expect(escalationLevel(LADDER, target, start, pauses, COMPILED.office, at(now))?.level ?? null).toBe(
      level,
    );
    expect(nextEscalation(LADDER, target, start, pauses, COMPILED.office, at(now))?.level ?? null).toBe(
      nextLevel,
    );
  });

  it('an open pause: paused, no due time, the projection if resumed now, no next escalation time', () => {
    const pauses = [pause('2025-03-03 13:00', null)];
    const state = slaClock(target, LADDER, start, pauses, COMPILED.office, at('2025-03-04 10:00'));
    expect(state.paused).toBe(true);
    expect(state.dueAt).toBeNull();
    expect(state.elapsedMinutes).toBe(240);
    expect(state.pausedMinutes).toBe(4 * H + H); // Monday 13:00–17:00 and Tuesday 09:00–10:00
    expect(show(state.projectedDueAt)).toBe('2025-03-04 14:00'); // 4 h left from 10:00
    expect(state.next).toEqual({ level: 'warn_owner', step: 0, at: null });
    expect(state.breached).toBe(false);
  });

  it('an open pause recorded to begin later: not yet paused, projected as if it did not happen', () => {
    const pauses = [pause('2025-03-03 15:00', null)];
    const state = slaClock(target, LADDER, start, pauses, COMPILED.office, at('2025-03-03 10:00'));
    expect(state.paused).toBe(false);
    expect(state.dueAt).toBeNull();
    expect(show(state.projectedDueAt)).toBe('2025-03-03 17:00');
    expect(show(state.next?.at)).toBe('2025-03-03 15:00');
  });

  it('a closed pause: the clock resumed and counts on', () => {
    const pauses = [pause('2025-03-03 13:00', '2025-03-04 10:00')];
    const state = slaClock(target, LADDER, start, pauses, COMPILED.office, at('2025-03-04 12:00'));
    expect(state.paused).toBe(false);
    expect(state.elapsedMinutes).toBe(360);
    expect(state.pausedMinutes).toBe(5 * H);
    expect(show(state.dueAt)).toBe('2025-03-04 14:00');
    expect(state.projectedDueAt).toEqual(state.dueAt);
    expect(state.level?.level).toBe('warn_owner');
    expect(show(state.next?.at)).toBe('2025-03-04 14:00');
  });

  it('before the start nothing is used', () => {
    const state = slaClock(target, LADDER, start, [], COMPILED.office, at('2025-03-01 10:00'));
    expect(state.elapsedMinutes).toBe(0);
    expect(state.level).toBeNull();
  });

  it('beforeMinutes steps and ties: the later step of the ladder wins', () => {
    const ladder: EscalationStep[] = [
      { level: 'warn_owner', beforeMinutes: 60 },
      { level: 'supervisor', at: 1 },
      { level: 'superior_unit', afterMinutes: 0 },
    ];
    expect(escalationLevel(ladder, target, start, [], COMPILED.office, at('2025-03-03 15:59'))).toBeNull();
    expect(escalationLevel(ladder, target, start, [], COMPILED.office, at('2025-03-03 16:00'))).toEqual({
      level: 'warn_owner',
      step: 0,
    });
    expect(escalationLevel(ladder, target, start, [], COMPILED.office, at('2025-03-03 17:00'))).toEqual({
      level: 'superior_unit',
      step: 2,
    });
  });

  it('a deadline target: plain time, pauses ignored, breached at the deadline', () => {
    const deadline: SlaTarget = { clock: 'deadline', at: at('2025-03-05 09:00') };
    const pauses = [pause('2025-03-03 10:00', null)];
    const state = slaClock(deadline, LADDER, start, pauses, COMPILED.office, at('2025-03-04 21:00'));
    expect(state.dueAt).toEqual(at('2025-03-05 09:00'));
    expect(state.elapsedMinutes).toBe(36 * H);
    expect(state.share).toBe(0.75);
    expect(state.level?.level).toBe('warn_owner');
    expect(state.paused).toBe(false);
    expect(show(state.next?.at)).toBe('2025-03-05 09:00');
    expect(slaClock(deadline, LADDER, start, [], COMPILED.office, at('2025-03-05 09:00')).breached).toBe(
      true,
    );
    const late: SlaTarget = { clock: 'deadline', at: at('2025-03-01 09:00') };
    expect(slaClock(late, LADDER, start, [], COMPILED.office, start).share).toBe(1);
  });

  it.each<[string, EscalationStep[]]>([
    ['a negative share', [{ level: 'warn_owner', at: -0.5 }]],
    ['fractional minutes', [{ level: 'superior_unit', afterMinutes: 1.5 }]],
    ['an unknown level', [{ level: 'ceo', at: 1 } as unknown as EscalationStep]],
  ])('refuses a ladder with %s', (_label, ladder) => {
    expect(() => slaClock(target, ladder, start, [], COMPILED.office, start)).toThrow(RangeError);
  });
});

/* ---------------------------------------------------------------------------------------------- */
/* Policies                                                                                        */
/* ---------------------------------------------------------------------------------------------- */

const order = (o: Partial<OrderFacts>): OrderFacts => ({
  kind: 'complaint',
  channel: 'counter',
  customerTier: null,
  categoryPath: [],
  ...o,
});

describe('matchPolicy', () => {
  const defaults = defaultPolicies();
  const custom = (id: string, condition: SlaPolicy['condition']): SlaPolicy => ({
    ...(defaults.find((p) => p.id === 'default.other') as SlaPolicy),
    id,
    condition,
  });
  const policies: SlaPolicy[] = [
    ...defaults,
    custom('hotline-complaint', { kinds: ['complaint'], channels: ['hotline'] }),
    custom('diamond-network', { customerTiers: ['diamond', 'gold'], category: 'network' }),
    custom('network', { category: 'network' }),
    custom('mobile-network', { category: 'mobile' }),
    custom('mobile-network-again', { category: 'mobile' }),
  ];
  const NETWORK_SIGNAL = ['network', 'mobile', 'signal'];

  it.each<[string, Partial<OrderFacts>, string | null]>([
    ['a complaint at the counter', {}, 'default.complaint'],
    ['a complaint on the hotline (kind and channel)', { channel: 'hotline' }, 'hotline-complaint'],
    [
      'an escalated complaint',
      { kind: 'escalated_complaint', channel: 'hotline' },
      'default.escalated_complaint',
    ],
    ['an appeal', { kind: 'appeal', channel: 'regulator' }, 'default.appeal'],
    ['a mobile fault', { kind: 'fault', attributes: { line: 'mobile' } }, 'default.fault.mobile'],
    [
      'a fixed-line fault in a town',
      { kind: 'fault', attributes: { line: 'fixed', area: 'town' } },
      'default.fault.fixed.town',
    ],
    [
      'a rural fixed-line fault',
      { kind: 'fault', attributes: { line: 'fixed', area: 'rural' } },
      'default.fault.fixed.rural',
    ],
    ['a fixed-line fault, area unknown', { kind: 'fault', attributes: { line: 'fixed' } }, 'default.fault'],
    ['a fault without attributes', { kind: 'fault' }, 'default.fault'],
    ['a consultation', { kind: 'consultation' }, 'default.other'],
    ['a suggestion', { kind: 'suggestion', channel: 'letter' }, 'default.other'],
    ['deeper category wins', { kind: 'consultation', categoryPath: NETWORK_SIGNAL }, 'mobile-network'],
    ['category above the order’s', { kind: 'consultation', categoryPath: ['network', 'fixed'] }, 'network'],
    [
      'more conditions win over a deeper category',
      { kind: 'consultation', customerTier: 'gold', categoryPath: NETWORK_SIGNAL },
      'diamond-network',
    ],
    ['a tier condition needs a tier', { kind: 'consultation', categoryPath: ['network'] }, 'network'],
  ])('%s → %s', (_label, facts, expected) => {
    expect(matchPolicy(policies, order(facts))?.policyId ?? null).toBe(expected);
  });

  it('a tie goes to the policy listed first', () => {
    const o = order({ kind: 'consultation', categoryPath: NETWORK_SIGNAL });
    expect(matchPolicy(policies, o)?.policyId).toBe('mobile-network');
    const swapped = [...policies].reverse();
    expect(matchPolicy(swapped, o)?.policyId).toBe('mobile-network-again');
    // the deeper category wins in either order
    expect(
      matchPolicy(
        swapped.filter((p) => p.id !== 'mobile-network-again'),
        o,
      )?.policyId,
    ).toBe('mobile-network');
  });

  it('none: null; an empty list in a condition puts no condition', () => {
    expect(matchPolicy([], order({}))).toBeNull();
    expect(matchPolicy([custom('faults', { kinds: ['fault'] })], order({}))).toBeNull();
    expect(matchPolicy([custom('any', { kinds: [], channels: [] })], order({}))?.policyId).toBe('any');
  });

  it('an appeal carries the regulator’s deadline, else 5 working days, and pauses do not stop it', () => {
    const deadline = at('2026-03-06 17:00');
    const withDeadline = matchPolicy(defaults, order({ kind: 'appeal', channel: 'regulator', deadline }));
    expect(withDeadline?.targets.resolution).toEqual({ clock: 'deadline', at: deadline });
    const without = matchPolicy(defaults, order({ kind: 'appeal', channel: 'regulator' }));
    const resolution = without?.targets.resolution;
    expect(resolution).toEqual({ clock: 'workdays', minutes: 5 * 1440, pausable: false });
    if (!resolution) return;
    const start = at('2026-02-12 10:00');
    expect(show(dueAt(resolution, start, [pause('2026-02-12 11:00', null)], COMPILED.office))).toBe(
      '2026-02-26 10:00',
    );
  });

  it('the targets record what the regulations say', () => {
    const targets = (facts: Partial<OrderFacts>) => matchPolicy(defaults, order(facts))?.targets;
    expect(targets({ kind: 'fault', attributes: { line: 'mobile' } })?.resolution).toEqual({
      clock: 'calendar',
      minutes: 48 * H,
      averageMinutes: 24 * H,
    });
    expect(targets({ kind: 'fault', attributes: { line: 'fixed', area: 'town' } })?.resolution).toEqual(
      calendar(48 * H),
    );
    expect(targets({ kind: 'fault', attributes: { line: 'fixed', area: 'rural' } })?.resolution).toEqual(
      calendar(72 * H),
    );
    const complaint = targets({});
    expect(complaint?.resolution).toEqual(workdays(2));
    expect(complaint?.answer).toEqual({ clock: 'calendar', minutes: 15 * 1440, pausable: false });
    expect(complaint?.firstResponse).toEqual(business(120));
    expect(targets({ kind: 'escalated_complaint' })?.resolution).toEqual(workdays(1));
    expect(targets({ kind: 'suggestion' })?.resolution).toEqual(workdays(3));
  });

  it('defaults follow the settings in force', () => {
    const changed = defaultPolicies((key) => (key === 'sla.faultFixedRuralHours' ? 96 : settingDefault(key)));
    const rural = matchPolicy(
      changed,
      order({ kind: 'fault', attributes: { line: 'fixed', area: 'rural' } }),
    );
    expect(rural?.targets.resolution).toEqual(calendar(96 * H));
    const ladder = defaultPolicies((key) =>
      key === 'complaint.escalateAtShare' ? 0.5 : settingDefault(key),
    )[0]?.escalation;
    expect(ladder?.[0]).toEqual({ level: 'warn_owner', at: 0.5 });
  });

  it('every default policy is valid and every key it reads is in the registry', () => {
    for (const p of defaultPolicies()) expect(policyProblems(p), p.id).toEqual([]);
    for (const key of SLA_SETTING_KEYS) expect(settingDef(key), key).toBeDefined();
    expect(new Set(defaultPolicies().map((p) => p.id)).size).toBe(defaultPolicies().length);
  });

  it('policyProblems names what is wrong in both languages', () => {
    const bad: SlaPolicy = {
      ...(defaults[0] as SlaPolicy),
      condition: { kinds: ['gossip' as unknown as 'fault'], channels: ['pigeon' as unknown as 'letter'] },
      targets: { firstResponse: business(0), resolution: calendar(60) },
      escalation: [{ level: 'warn_owner', at: -1 }],
    };
    const problems = policyProblems(bad);
    expect(problems).toHaveLength(4);
    for (const p of problems) expect(p.zh && p.en).toBeTruthy();
  });
});

/* ---------------------------------------------------------------------------------------------- */
/* Properties                                                                                      */
/* ---------------------------------------------------------------------------------------------- */

describe('properties of due times', () => {
  const names = Object.keys(COMPILED) as Name[];
  const schedule = fc.constantFrom(...names);
  const instant = fc.oneof(
    fc.integer({ min: Date.parse('2024-12-20T00:00:00Z'), max: Date.parse('2027-01-20T00:00:00Z') }),
    // around the 2026 Spring Festival and the Berlin / New York DST changes, to the minute
    fc
      .constantFrom(
        '2026-02-14T08:00:00Z',
        '2025-03-30T01:00:00Z',
        '2025-03-09T07:00:00Z',
        '2025-10-01T00:00:00Z',
      )
      .chain((iso) =>
        fc.integer({ min: -4 * 1440, max: 10 * 1440 }).map((m) => Date.parse(iso) + m * 60_000),
      ),
  );
  const clock = fc.constantFrom('business', 'workdays', 'calendar') as fc.Arbitrary<
    'business' | 'workdays' | 'calendar'
  >;
  const minutes = fc.oneof(fc.integer({ min: 1, max: 600 }), fc.integer({ min: 1, max: 20_000 }));
  const target = fc.record({ clock, minutes });
  /** Up to 4 pauses after a start, some open. */
  const pausesFrom = (startMs: number): fc.Arbitrary<Pause[]> =>
    fc.array(
      fc
        .tuple(
          fc.integer({ min: -2 * 1440, max: 20 * 1440 }),
          fc.option(fc.integer({ min: 0, max: 10 * 1440 }), { freq: 4 }),
        )
        .map(([offset, length]) => ({
          from: new Date(startMs + offset * 60_000),
          to: length === null ? null : new Date(startMs + (offset + length) * 60_000),
        })),
      { maxLength: 4 },
    );
  const caseArb = fc
    .tuple(schedule, target, instant)
    .chain(([name, t, startMs]) =>
      pausesFrom(startMs).map((pauses) => ({ name, t, start: new Date(startMs), pauses })),
    );
  const runs = { numRuns: 300 };
  const time = (d: Date | null): number => (d === null ? Number.POSITIVE_INFINITY : d.getTime());

  it('pausing never makes a deadline earlier', () => {
    fc.assert(
      fc.property(caseArb, fc.integer({ min: 0, max: 3 }), ({ name, t, start, pauses }, drop) => {
        const c = COMPILED[name];
        const fewer = pauses.filter((_, i) => i !== drop);
        expect(time(dueAt(t, start, pauses, c))).toBeGreaterThanOrEqual(time(dueAt(t, start, fewer, c)));
        expect(time(dueAt(t, start, pauses, c))).toBeGreaterThanOrEqual(time(dueAt(t, start, [], c)));
      }),
      runs,
    );
  });

  it('the due time is monotonic in the minutes and in the start', () => {
    fc.assert(
      fc.property(caseArb, minutes, instant, ({ name, t, start, pauses }, m2, otherStart) => {
        const c = COMPILED[name];
        const [lo, hi] = t.minutes <= m2 ? [t.minutes, m2] : [m2, t.minutes];
        expect(time(dueAt({ ...t, minutes: lo }, start, pauses, c))).toBeLessThanOrEqual(
          time(dueAt({ ...t, minutes: hi }, start, pauses, c)),
        );
        const [early, late] =
          start.getTime() <= otherStart ? [start, new Date(otherStart)] : [new Date(otherStart), start];
        expect(time(dueAt(t, early, pauses, c))).toBeLessThanOrEqual(time(dueAt(t, late, pauses, c)));
      }),
      runs,
    );
  });

  it('businessMinutesBetween(start, dueAt(start, m)) === m, and elapsed at the due time is the target', () => {
    fc.assert(
      fc.property(caseArb, ({ name, t, start, pauses }) => {
        const c = COMPILED[name];
        if (t.clock === 'business') {
          const due = dueAt(t, start, [], c);
          expect(due).not.toBeNull();
          if (due) expect(businessMinutesBetween(SCHEDULES[name], start, due)).toBe(t.minutes);
        }
        const due = dueAt(t, start, pauses, c);
        if (due === null) return;
        expect(elapsedMinutes(t, start, pauses, c, due)).toBe(t.minutes);
        expect(slaClock(t, LADDER, start, pauses, c, due).breached).toBe(true);
        // a millisecond earlier the limit was not yet reached
        expect(elapsedMinutes(t, start, pauses, c, new Date(due.getTime() - 1))).toBeLessThan(t.minutes);
      }),
      runs,
    );
  });

  it('the next escalation is in force at its time, and the level never goes down as time passes', () => {
    fc.assert(
      fc.property(caseArb, instant, instant, ({ name, t, start, pauses }, a, b) => {
        const c = COMPILED[name];
        const [n1, n2] = a <= b ? [new Date(a), new Date(b)] : [new Date(b), new Date(a)];
        const s1 = slaClock(t, LADDER, start, pauses, c, n1);
        const s2 = slaClock(t, LADDER, start, pauses, c, n2);
        expect(s2.level?.step ?? -1).toBeGreaterThanOrEqual(s1.level?.step ?? -1);
        expect(s2.elapsedMinutes).toBeGreaterThanOrEqual(s1.elapsedMinutes);
        if (s1.dueAt === null) expect(s1.projectedDueAt.getTime()).toBeGreaterThanOrEqual(n1.getTime());
        else expect(s1.projectedDueAt).toEqual(s1.dueAt);
        const nextAt = s1.next?.at;
        if (s1.next && nextAt) {
          expect(nextAt.getTime()).toBeGreaterThan(n1.getTime());
          expect(slaClock(t, LADDER, start, pauses, c, nextAt).level?.step).toBe(s1.next.step);
          expect(slaClock(t, LADDER, start, pauses, c, new Date(nextAt.getTime() - 1)).level?.step).toBe(
            s1.level?.step,
          );
        }
      }),
      runs,
    );
  });

  it('on plain time the due time is the start plus the minutes plus the paused time before it', () => {
    fc.assert(
      fc.property(caseArb, ({ t, start, pauses }) => {
        const plain = { clock: 'calendar' as const, minutes: t.minutes };
        const due = dueAt(plain, start, pauses, COMPILED.office);
        if (due === null) return;
        const state = slaClock(plain, [], start, pauses, COMPILED.office, due);
        expect(due.getTime()).toBe(start.getTime() + (t.minutes + state.pausedMinutes) * 60_000);
      }),
      runs,
    );
  });

  it('the working-day clock agrees with addBusinessDays on working days', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 20 }), instant, (n, startMs) => {
        const start = new Date(startMs);
        const local = DateTime.fromJSDate(start, { zone: SH });
        const date = local.toISODate() ?? '';
        const due = dueAt(workdays(n), start, [], COMPILED.office);
        // from a working day, n working days later at the same wall-clock time
        if (COMPILED.office.workdays().isOpenAt(atLocal(date, '12:00', SH).getTime())) {
          expect(show(due)?.slice(11)).toBe(local.toFormat('HH:mm'));
        }
      }),
      runs,
    );
  });
});

describe('reopenUntil', () => {
  const replied = new Date('2026-03-02T02:00:00Z');
  it.each([
    [
      'replied: the window after the reply',
      { state: 'replied', repliedAt: replied, closedAt: null },
      7,
      '2026-03-09T02:00:00.000Z',
    ],
    [
      'closed after a reply: still from the reply',
      { state: 'closed', repliedAt: replied, closedAt: new Date('2026-03-05T00:00:00Z') },
      7,
      '2026-03-09T02:00:00.000Z',
    ],
    [
      'closed without a reply: from closing',
      { state: 'closed', repliedAt: null, closedAt: replied },
      1,
      '2026-03-03T02:00:00.000Z',
    ],
    [
      'a window of 0 days: only at the reply',
      { state: 'replied', repliedAt: replied, closedAt: null },
      0,
      '2026-03-02T02:00:00.000Z',
    ],
    ['an open order cannot be reopened', { state: 'assigned', repliedAt: null, closedAt: null }, 7, null],
    ['answered, not replied', { state: 'answered', repliedAt: null, closedAt: null }, 7, null],
  ] as const)('%s', (_n, order, days, want) => {
    expect(reopenUntil(order, days)?.toISOString() ?? null).toBe(want);
  });
  it('refuses a negative window', () => {
    expect(() => reopenUntil({ state: 'replied', repliedAt: replied, closedAt: null }, -1)).toThrow(
      RangeError,
    );
  });
});
