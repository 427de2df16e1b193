import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { DateTime } from 'luxon';
import holidayFile from './cn-public-holidays.json' with { type: 'json' };
import {
  addBusinessDays,
  addBusinessMinutes,
  atLocal,
  businessMinutesBetween,
  calendarYears,
  compileSchedule,
  compiledScheduleOf,
  dailyOpenMinutes,
  dayKind,
  isBusinessTime,
  localDateOf,
  nextOpening,
  openingIntervalsOn,
  parseHolidayFile,
  referenceAddBusinessMinutes,
  referenceBusinessMinutesBetween,
  validateOpeningHours,
} from './calendar.ts';
import type { CalendarDay, DayKind, Interval, OpeningHours, UnitSchedule } from './calendar.ts';

/* ---------------------------------------------------------------------------------------------- */
/* Fixtures                                                                                        */
/* ---------------------------------------------------------------------------------------------- */

const SH = 'Asia/Shanghai';
const URUMQI = 'Asia/Urumqi';
const BERLIN = 'Europe/Berlin';

const { days: CN, years: CN_YEARS } = parseHolidayFile(holidayFile);

const iv = (open: string, close: string): Interval => ({ open, close });
const week = (...days: Interval[][]): Interval[][] => days;
const everyDay = (hours: Interval[]): Interval[][] => Array.from({ length: 7 }, () => hours);

/** Business hall: lunch break on weekdays (8 h), Saturday 09:00–17:00 (8 h), Sunday closed, holidays 3 h. */
const WORKDAY_HOURS = [iv('08:30', '12:00'), iv('13:30', '18:00')];
const hallHours: OpeningHours = {
  weekly: week(
    WORKDAY_HOURS,
    WORKDAY_HOURS,
    WORKDAY_HOURS,
    WORKDAY_HOURS,
    WORKDAY_HOURS,
    [iv('09:00', '17:00')],
    [],
  ),
  holiday: [iv('09:00', '12:00')],
};
const hall: UnitSchedule = { timeZone: SH, hours: hallHours, calendar: CN, exceptions: [] };
const closedOnHolidays: UnitSchedule = { ...hall, hours: { ...hallHours, holiday: [] } };
const urumqiHall: UnitSchedule = { ...hall, timeZone: URUMQI };
const utcHall: UnitSchedule = { ...hall, timeZone: 'UTC' };
const allDay: UnitSchedule = {
  timeZone: SH,
  hours: { weekly: everyDay([iv('00:00', '24:00')]), holiday: [iv('00:00', '24:00')] },
  calendar: CN,
  exceptions: [],
};
/** Open Friday evening until 02:00 on Saturday: the night is entered as two intervals. */
const nightShop: UnitSchedule = {
  timeZone: SH,
  hours: { weekly: week([], [], [], [], [iv('20:00', '24:00')], [iv('00:00', '02:00')], []), holiday: [] },
  calendar: [],
  exceptions: [],
};
const berlinOffice: UnitSchedule = {
  timeZone: BERLIN,
  hours: { weekly: week(...Array.from({ length: 5 }, () => [iv('09:00', '17:00')]), [], []), holiday: [] },
  calendar: [],
  exceptions: [],
};
const berlinAllDay: UnitSchedule = { ...allDay, timeZone: BERLIN, calendar: [] };
/** Intervals right around the DST change hour, every day. */
const berlinNight: UnitSchedule = {
  timeZone: BERLIN,
  hours: {
    weekly: everyDay([iv('01:00', '02:50'), iv('03:10', '04:00'), iv('09:00', '17:00')]),
    holiday: [],
  },
  calendar: [],
  exceptions: [],
};
const closedForever: UnitSchedule = {
  timeZone: SH,
  hours: { weekly: everyDay([]), holiday: [], makeupWorkday: [] },
  calendar: CN,
  exceptions: [],
};

/** Closed on holidays, but with special hours during the Spring Festival and a closed working day. */
const hallWithExceptions: UnitSchedule = {
  ...closedOnHolidays,
  exceptions: [
    { date: '2026-02-17', hours: [iv('10:00', '14:00')], note: '春节特别营业' },
    { date: '2026-02-18', hours: [iv('10:00', '12:00'), iv('15:00', '16:00')] },
    { date: '2025-06-03', hours: [], note: 'renovation' },
    { date: '2025-06-08', hours: [iv('00:00', '24:00')], note: 'Sunday marathon' },
  ],
};

const SCHEDULES: Record<string, UnitSchedule> = {
  hall,
  hallWithExceptions,
  closedOnHolidays,
  urumqiHall,
  utcHall,
  allDay,
  nightShop,
  berlinOffice,
  berlinAllDay,
  berlinNight,
};

/** 'YYYY-MM-DD HH:mm[:ss.SSS]' in China Standard Time (UTC+8, no DST) — independent of atLocal. */
const cst = (local: string): Date => new Date(`${local.replace(' ', 'T')}+08:00`);
/** An instant shown as local 'YYYY-MM-DD HH:mm' in a zone, through luxon. */
const show = (d: Date | null, zone = SH): string | null =>
  d === null ? null : DateTime.fromJSDate(d, { zone }).toFormat('yyyy-MM-dd HH:mm');
const isoWeekday = (date: string): number => DateTime.fromISO(date, { zone: 'UTC' }).weekday;
const plusDays = (date: string, n: number): string =>
  DateTime.fromISO(date, { zone: 'UTC' }).plus({ days: n }).toISODate() ?? '';
const datesOfYear = (year: number): string[] => {
  const out: string[] = [];
  for (let d = `${year}-01-01`; d.startsWith(String(year)); d = plusDays(d, 1)) out.push(d);
  return out;
};

/* ---------------------------------------------------------------------------------------------- */
/* Holiday file and day kinds                                                                      */
/* ---------------------------------------------------------------------------------------------- */

describe('the shipped holiday file', () => {
  const raw = Object.entries(holidayFile.years);

  it('parses into 2025 and 2026 with every listed day', () => {
    expect(CN_YEARS).toEqual([2025, 2026]);
    expect(calendarYears(CN)).toEqual([2025, 2026]);
    expect(CN).toHaveLength(72);
    const listed = raw.flatMap(([, y]) => [...y.holidays.flatMap((h) => h.days), ...y.makeupWorkdays]);
    expect(CN.map((d) => d.date)).toEqual([...listed].sort());
  });

  describe.each(raw)('%s', (year, data) => {
    const holidays = data.holidays.flatMap((h) => h.days.map((date) => ({ date, name: h.name, en: h.en })));

    it.each(holidays)('$date ($en) is a holiday named $name', ({ date, name, en }) => {
      expect(date.startsWith(year)).toBe(true);
      expect(dayKind(CN, date)).toBe('holiday');
      expect(CN.find((d) => d.date === date)).toEqual({ date, kind: 'holiday', name, en });
    });

    it.each(data.makeupWorkdays)('%s is a weekend day that is a makeup workday (调休)', (date) => {
      expect(isoWeekday(date)).toBeGreaterThanOrEqual(6);
      expect(dayKind(CN, date)).toBe('workday');
      expect(CN.find((d) => d.date === date)).toEqual({
        date,
        kind: 'makeup_workday',
        name: '调休上班',
        en: 'Makeup workday',
      });
    });

    it('every other date of the year follows the weekday/weekend rule', () => {
      const special = new Set([...holidays.map((h) => h.date), ...data.makeupWorkdays]);
      const dates = datesOfYear(Number(year));
      expect(dates.length).toBeGreaterThanOrEqual(365);
      for (const date of dates) {
        const expected: DayKind = holidays.some((h) => h.date === date)
          ? 'holiday'
          : data.makeupWorkdays.includes(date) || isoWeekday(date) <= 5
            ? 'workday'
            : 'restday';
        expect(dayKind(CN, date), date).toBe(expected);
        if (!special.has(date))
          expect(dayKind(CN, date), date).toBe(isoWeekday(date) <= 5 ? 'workday' : 'restday');
      }
    });
  });

  it.each<[string, DayKind, string]>([
    ['2026-02-14', 'workday', 'Saturday before the Spring Festival is worked'],
    ['2026-02-28', 'workday', 'Saturday after the Spring Festival is worked'],
    ['2026-02-23', 'holiday', 'Monday inside the 2026 Spring Festival'],
    ['2026-10-01', 'holiday', 'National Day'],
    ['2026-10-10', 'workday', 'Saturday after National Day is worked'],
    ['2025-01-26', 'workday', 'Sunday before the 2025 Spring Festival is worked'],
    ['2025-10-08', 'holiday', 'last day of National Day + Mid-Autumn 2025'],
    ['2025-03-08', 'restday', 'a plain Saturday'],
    ['2025-03-09', 'restday', 'a plain Sunday'],
    ['2025-03-10', 'workday', 'a plain Monday'],
    ['2027-01-01', 'workday', '2027 has no data: New Year is a plain Friday'],
    ['2027-02-06', 'restday', '2027 has no data: a plain Saturday'],
  ])('%s is a %s (%s)', (date, kind) => {
    expect(dayKind(CN, date)).toBe(kind);
  });

  it('a year without data falls back to weekdays/weekends and is missing from calendarYears', () => {
    expect(calendarYears(CN)).not.toContain(2027);
    for (const date of datesOfYear(2027)) {
      expect(dayKind(CN, date), date).toBe(isoWeekday(date) <= 5 ? 'workday' : 'restday');
    }
  });
});

describe('dayKind', () => {
  it('ranks a holiday above a makeup workday on the same date', () => {
    const days: CalendarDay[] = [
      { date: '2030-06-01', kind: 'makeup_workday', name: '调休上班' },
      { date: '2030-06-01', kind: 'holiday', name: 'x' },
      { date: '2030-06-02', kind: 'makeup_workday', name: '调休上班' },
    ];
    expect(dayKind(days, '2030-06-01')).toBe('holiday');
    expect(dayKind([...days].reverse(), '2030-06-01')).toBe('holiday');
    expect(dayKind(days, '2030-06-02')).toBe('workday');
    expect(dayKind([], '2030-06-02')).toBe('restday');
  });

  it.each(['2025-02-29', '2025-13-01', '2025-1-1', '20250101', '', '2025-01-01T00:00'])(
    'refuses the malformed date %j',
    (date) => {
      expect(() => dayKind(CN, date)).toThrow(RangeError);
    },
  );

  it('follows the ISO weekday for any date without data (property, 1600–2400)', () => {
    fc.assert(
      fc.property(
        fc.date({ min: new Date('1600-01-01T00:00:00Z'), max: new Date('2400-12-31T00:00:00Z') }),
        (d) => {
          if (Number.isNaN(d.getTime())) return;
          const date = DateTime.fromJSDate(d, { zone: 'UTC' }).toISODate() ?? '';
          expect(dayKind([], date)).toBe(isoWeekday(date) <= 5 ? 'workday' : 'restday');
        },
      ),
      { numRuns: 500 },
    );
  });
});

describe('calendarYears', () => {
  it('lists the years with any data, sorted and unique', () => {
    const days: CalendarDay[] = [
      { date: '2031-05-01', kind: 'holiday', name: '劳动节' },
      { date: '2029-01-01', kind: 'holiday', name: '元旦' },
      { date: '2031-04-27', kind: 'makeup_workday', name: '调休上班' },
    ];
    expect(calendarYears(days)).toEqual([2029, 2031]);
    expect(calendarYears([])).toEqual([]);
  });
});

describe('parseHolidayFile', () => {
  const okYear = {
    holidays: [{ name: '元旦', en: "New Year's Day", days: ['2025-01-01'] }],
    makeupWorkdays: ['2025-01-26'],
  };
  const file = (years: unknown, extra: Record<string, unknown> = {}): unknown => ({
    source: 'test',
    timezone: SH,
    years,
    ...extra,
  });
  const withHoliday = (holiday: unknown): unknown =>
    file({ 2025: { holidays: [holiday], makeupWorkdays: [] } });

  it('accepts a minimal file and an empty one', () => {
    expect(parseHolidayFile({ years: { 2025: okYear } })).toEqual({
      years: [2025],
      days: [
        { date: '2025-01-01', kind: 'holiday', name: '元旦', en: "New Year's Day" },
        { date: '2025-01-26', kind: 'makeup_workday', name: '调休上班', en: 'Makeup workday' },
      ],
    });
    expect(parseHolidayFile(file({}))).toEqual({ days: [], years: [] });
    const noEn = parseHolidayFile(withHoliday({ name: '元旦', days: ['2025-01-01'] }));
    expect(noEn.days).toEqual([{ date: '2025-01-01', kind: 'holiday', name: '元旦' }]);
  });

  it('accepts days just across the year boundary (as in the 2019 notice for 2018-12-29…2019-01-01)', () => {
    const parsed = parseHolidayFile(
      file({
        2019: {
          holidays: [{ name: '元旦', days: ['2018-12-30', '2018-12-31', '2019-01-01'] }],
          makeupWorkdays: ['2018-12-29'],
        },
      }),
    );
    expect(parsed.years).toEqual([2019]);
    expect(calendarYears(parsed.days)).toEqual([2018, 2019]);
    expect(dayKind(parsed.days, '2018-12-29')).toBe('workday');
    expect(dayKind(parsed.days, '2018-12-31')).toBe('holiday');
  });

  it.each<[string, unknown, RegExp]>([
    ['null', null, /root: must be an object/],
    ['a string', 'holidays', /root: must be an object/],
    ['an array', [], /root: must be an object/],
    ['no years', { source: 'x' }, /years: must be an object/],
    ['years as a list', file([okYear]), /years: must be an object/],
    ['a two-digit year key', file({ 25: okYear }), /years\.25: year keys must be four digits/],
    ['a year that is not an object', file({ 2025: null }), /years\.2025: must be an object/],
    ['no holidays list', file({ 2025: { makeupWorkdays: [] } }), /years\.2025\.holidays: must be a list/],
    ['no makeupWorkdays', file({ 2025: { holidays: [] } }), /years\.2025\.makeupWorkdays: must be a list/],
    [
      'makeupWorkdays as a string',
      file({ 2025: { holidays: [], makeupWorkdays: '2025-01-26' } }),
      /makeupWorkdays: must be a list/,
    ],
    ['a holiday that is not an object', withHoliday('元旦'), /holidays\[0\]: must be an object/],
    [
      'a holiday without name',
      withHoliday({ days: ['2025-01-01'] }),
      /holidays\[0\]\.name: must be a non-empty/,
    ],
    [
      'a holiday with empty name',
      withHoliday({ name: ' ', days: ['2025-01-01'] }),
      /name: must be a non-empty/,
    ],
    [
      'a numeric en',
      withHoliday({ name: '元旦', en: 1, days: ['2025-01-01'] }),
      /holidays\[0\]\.en: must be a string/,
    ],
    [
      'a holiday without days',
      withHoliday({ name: '元旦' }),
      /holidays\[0\]\.days: must be a non-empty list/,
    ],
    ['a holiday with no days', withHoliday({ name: '元旦', days: [] }), /days: must be a non-empty list/],
    [
      'February 30th',
      withHoliday({ name: '春节', days: ['2025-02-30'] }),
      /days\[0\]: "2025-02-30" is not a valid/,
    ],
    ['an unpadded date', withHoliday({ name: '元旦', days: ['2025-1-1'] }), /"2025-1-1" is not a valid date/],
    ['a month 13', withHoliday({ name: '元旦', days: ['2025-13-01'] }), /is not a valid date/],
    ['a date-time', withHoliday({ name: '元旦', days: ['2025-01-01T00:00'] }), /is not a valid date/],
    ['a number as date', withHoliday({ name: '元旦', days: [20250101] }), /20250101 is not a valid date/],
    [
      'a date far from its year',
      withHoliday({ name: '元旦', days: ['2052-01-01'] }),
      /not in or next to 2025/,
    ],
    [
      'a makeup workday on a weekday',
      file({ 2025: { holidays: [], makeupWorkdays: ['2025-01-27'] } }),
      /makeupWorkdays\[0\]: 2025-01-27 is a Monday; a makeup working day \(调休\) is a weekend day/,
    ],
    [
      'a date listed twice',
      file({
        2025: {
          holidays: [
            { name: 'a', days: ['2025-05-01'] },
            { name: 'b', days: ['2025-05-01'] },
          ],
          makeupWorkdays: [],
        },
      }),
      /holidays\[1\]\.days\[0\]: 2025-05-01 is listed twice \(also at years\.2025\.holidays\[0\]\.days\[0\]\)/,
    ],
    [
      'a date both holiday and makeup workday',
      file({ 2025: { holidays: [{ name: 'x', days: ['2025-01-26'] }], makeupWorkdays: ['2025-01-26'] } }),
      /makeupWorkdays\[0\]: 2025-01-26 is listed twice/,
    ],
    [
      'an unknown time zone',
      file({}, { timezone: 'Mars/Olympus' }),
      /timezone: "Mars\/Olympus" is not an IANA/,
    ],
    ['a numeric source', file({}, { source: 42 }), /source: must be a string/],
  ])('refuses %s', (_label, json, message) => {
    expect(() => parseHolidayFile(json)).toThrow(Error);
    expect(() => parseHolidayFile(json)).toThrow(message);
  });

  it('refuses the shipped file with any one date corrupted (property)', () => {
    const all = Object.entries(holidayFile.years).flatMap(([year, y]) => [
      ...y.holidays.flatMap((h, i) => h.days.map((_d, j) => ({ year, path: ['holidays', i, j] as const }))),
      ...y.makeupWorkdays.map((_d, j) => ({ year, path: ['makeup', j] as const })),
    ]);
    fc.assert(
      fc.property(
        fc.constantFrom(...all),
        fc.constantFrom('2025-02-29', '2026-00-10', 'tomorrow', '2026/01/01', ''),
        (where, bad) => {
          const copy = structuredClone(holidayFile);
          const y = copy.years[where.year as '2025' | '2026'];
          if (where.path[0] === 'holidays') {
            const h = y.holidays[where.path[1]];
            if (h) h.days[where.path[2]] = bad;
          } else {
            y.makeupWorkdays[where.path[1]] = bad;
          }
          expect(() => parseHolidayFile(copy)).toThrow(/is not a valid date/);
        },
      ),
      { numRuns: 100 },
    );
  });
});

/* ---------------------------------------------------------------------------------------------- */
/* Local dates, instants and time zones                                                            */
/* ---------------------------------------------------------------------------------------------- */

describe('localDateOf', () => {
  it.each([
    ['2025-01-01T16:30:00Z', SH, '2025-01-02'],
    ['2025-01-01T16:30:00Z', URUMQI, '2025-01-01'],
    ['2025-01-01T16:30:00Z', 'UTC', '2025-01-01'],
    ['2025-01-01T17:59:59.999Z', URUMQI, '2025-01-01'],
    ['2025-01-01T18:00:00Z', URUMQI, '2025-01-02'],
    ['2025-01-01T15:59:59.999Z', SH, '2025-01-01'],
    ['2025-03-29T23:00:00Z', BERLIN, '2025-03-30'],
    ['2025-03-29T22:59:59Z', BERLIN, '2025-03-29'],
    ['2025-03-30T21:59:59Z', BERLIN, '2025-03-30'],
    ['2025-03-30T22:00:00Z', BERLIN, '2025-03-31'],
  ])('%s in %s is %s', (iso, zone, date) => {
    expect(localDateOf(new Date(iso), zone)).toBe(date);
  });

  it('makes the same instant a holiday in Shanghai and a workday in Urumqi', () => {
    const at = new Date('2025-09-30T16:30:00Z');
    expect(dayKind(CN, localDateOf(at, SH))).toBe('holiday');
    expect(dayKind(CN, localDateOf(at, URUMQI))).toBe('workday');
    expect(dayKind(CN, localDateOf(at, 'UTC'))).toBe('workday');
  });

  it('refuses an invalid Date or zone', () => {
    expect(() => localDateOf(new Date(Number.NaN), SH)).toThrow(RangeError);
    expect(() => localDateOf(new Date(0), 'Mars/Olympus')).toThrow(RangeError);
    expect(() => localDateOf(new Date(0), '')).toThrow(RangeError);
  });
});

describe('atLocal', () => {
  it.each([
    ['2025-01-01', '09:00', SH, '2025-01-01T01:00:00.000Z'],
    ['2025-01-01', '09:00', URUMQI, '2025-01-01T03:00:00.000Z'],
    ['2025-01-01', '09:00', 'UTC', '2025-01-01T09:00:00.000Z'],
    ['2025-01-01', '00:00', SH, '2024-12-31T16:00:00.000Z'],
    ['2025-01-01', '24:00', SH, '2025-01-01T16:00:00.000Z'],
    ['2024-12-31', '24:00', 'UTC', '2025-01-01T00:00:00.000Z'],
    ['2024-02-29', '12:00', SH, '2024-02-29T04:00:00.000Z'],
    // Europe/Berlin, spring forward on 2025-03-30: 02:00–03:00 does not exist
    ['2025-03-30', '01:59', BERLIN, '2025-03-30T00:59:00.000Z'],
    ['2025-03-30', '02:00', BERLIN, '2025-03-30T01:00:00.000Z'],
    ['2025-03-30', '02:30', BERLIN, '2025-03-30T01:30:00.000Z'],
    ['2025-03-30', '03:00', BERLIN, '2025-03-30T01:00:00.000Z'],
    ['2025-03-30', '03:30', BERLIN, '2025-03-30T01:30:00.000Z'],
    ['2025-03-29', '24:00', BERLIN, '2025-03-29T23:00:00.000Z'],
    ['2025-03-30', '24:00', BERLIN, '2025-03-30T22:00:00.000Z'],
    // fall back on 2025-10-26: 02:00–03:00 happens twice, the first occurrence is meant
    ['2025-10-26', '01:59', BERLIN, '2025-10-25T23:59:00.000Z'],
    ['2025-10-26', '02:00', BERLIN, '2025-10-26T00:00:00.000Z'],
    ['2025-10-26', '02:30', BERLIN, '2025-10-26T00:30:00.000Z'],
    ['2025-10-26', '03:00', BERLIN, '2025-10-26T02:00:00.000Z'],
    ['2025-10-26', '24:00', BERLIN, '2025-10-26T23:00:00.000Z'],
  ])('%s %s in %s is %s', (date, time, zone, iso) => {
    expect(atLocal(date, time, zone).toISOString()).toBe(iso);
  });

  it.each([
    ['2025-02-29', '09:00', SH],
    ['2025-1-1', '09:00', SH],
    ['2025-01-01', '9:00', SH],
    ['2025-01-01', '24:01', SH],
    ['2025-01-01', '12:60', SH],
    ['2025-01-01', '', SH],
    ['2025-01-01', '09:00:00', SH],
    ['2025-01-01', '09:00', 'Mars/Olympus'],
    ['2025-01-01', '09:00', 'China Standard Time'],
  ])('refuses %j %j in %j', (date, time, zone) => {
    expect(() => atLocal(date, time, zone)).toThrow(RangeError);
  });

  it('round-trips with localDateOf and agrees with luxon in zones without DST (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 36_500 }),
        fc.integer({ min: 0, max: 1439 }),
        fc.constantFrom(SH, URUMQI, 'UTC'),
        (dayOffset, minute, zone) => {
          const date = plusDays('2000-01-01', dayOffset);
          const time = `${String(Math.floor(minute / 60)).padStart(2, '0')}:${String(minute % 60).padStart(2, '0')}`;
          const at = atLocal(date, time, zone);
          expect(localDateOf(at, zone)).toBe(date);
          expect(show(at, zone)).toBe(`${date} ${time}`);
          const luxon = DateTime.fromISO(`${date}T${time}`, { zone });
          expect(at.getTime()).toBe(luxon.toMillis());
          expect(atLocal(date, '24:00', zone).getTime()).toBe(
            atLocal(plusDays(date, 1), '00:00', zone).getTime(),
          );
        },
      ),
      { numRuns: 500 },
    );
  });

  it('is monotonic in the wall-clock time outside DST gaps (property, Berlin)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 3650 }),
        fc.integer({ min: 0, max: 1439 }),
        (dayOffset, minute) => {
          const date = plusDays('2020-01-01', dayOffset);
          const t = (m: number): string =>
            `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
          const a = atLocal(date, t(minute), BERLIN);
          const b = atLocal(date, minute === 1439 ? '24:00' : t(minute + 1), BERLIN);
          const inGap = show(a, BERLIN) !== `${date} ${t(minute)}`;
          if (!inGap) expect(b.getTime()).toBeGreaterThan(a.getTime());
        },
      ),
      { numRuns: 500 },
    );
  });
});

/* ---------------------------------------------------------------------------------------------- */
/* Opening hours                                                                                   */
/* ---------------------------------------------------------------------------------------------- */

describe('openingIntervalsOn and dailyOpenMinutes', () => {
  const withExceptions: UnitSchedule = {
    ...hall,
    exceptions: [
      { date: '2025-03-04', hours: [], note: 'staff training' },
      { date: '2026-02-17', hours: [iv('10:00', '14:00')], note: 'Spring Festival special hours' },
      { date: '2025-03-09', hours: [iv('10:00', '12:00')], note: 'Sunday promotion' },
      { date: '2027-02-10', hours: [iv('09:00', '11:00')] },
    ],
  };

  it.each<[string, UnitSchedule, string, Interval[], number]>([
    ['a plain Monday (lunch break)', hall, '2025-03-03', WORKDAY_HOURS, 480],
    ['a plain Saturday', hall, '2025-03-08', [iv('09:00', '17:00')], 480],
    ['a plain Sunday', hall, '2025-03-09', [], 0],
    ['National Day 2026', hall, '2026-10-01', [iv('09:00', '12:00')], 180],
    ['a holiday when closed on holidays', closedOnHolidays, '2026-10-01', [], 0],
    ['a makeup Saturday: Monday hours', hall, '2026-02-14', WORKDAY_HOURS, 480],
    ['a makeup Sunday: Monday hours', hall, '2025-01-26', WORKDAY_HOURS, 480],
    [
      'a makeup Saturday with its own hours',
      { ...hall, hours: { ...hallHours, makeupWorkday: [iv('10:00', '15:00')] } },
      '2026-02-14',
      [iv('10:00', '15:00')],
      300,
    ],
    ['an exception closing a Tuesday', withExceptions, '2025-03-04', [], 0],
    [
      'an exception with special hours on a holiday',
      withExceptions,
      '2026-02-17',
      [iv('10:00', '14:00')],
      240,
    ],
    ['an exception opening a Sunday', withExceptions, '2025-03-09', [iv('10:00', '12:00')], 120],
    ['an exception in a year without data', withExceptions, '2027-02-10', [iv('09:00', '11:00')], 120],
    ['the day after an exception', withExceptions, '2025-03-05', WORKDAY_HOURS, 480],
    ['a 24-hour unit', allDay, '2026-02-17', [iv('00:00', '24:00')], 1440],
    ['a close at 24:00', nightShop, '2025-03-07', [iv('20:00', '24:00')], 240],
    ['the early hours after it', nightShop, '2025-03-08', [iv('00:00', '02:00')], 120],
    ['Berlin, a normal day', berlinAllDay, '2025-03-31', [iv('00:00', '24:00')], 1440],
    ['Berlin, spring forward (23 h)', berlinAllDay, '2025-03-30', [iv('00:00', '24:00')], 1380],
    ['Berlin, fall back (25 h)', berlinAllDay, '2025-10-26', [iv('00:00', '24:00')], 1500],
    [
      'Berlin, around 02:00 on a normal day',
      berlinNight,
      '2025-03-31',
      berlinNight.hours.weekly[0] ?? [],
      640,
    ],
    [
      'Berlin, around 02:00 springing forward',
      berlinNight,
      '2025-03-30',
      berlinNight.hours.weekly[0] ?? [],
      600,
    ],
    ['Berlin, around 02:00 falling back', berlinNight, '2025-10-26', berlinNight.hours.weekly[0] ?? [], 640],
  ])('%s', (_label, schedule, date, intervals, minutes) => {
    expect(openingIntervalsOn(schedule, date)).toEqual(intervals);
    expect(dailyOpenMinutes(schedule, date)).toBe(minutes);
  });

  it('sorts intervals and merges touching ones', () => {
    const s: UnitSchedule = {
      ...hall,
      hours: {
        ...hallHours,
        weekly: week(
          [iv('13:30', '18:00'), iv('08:30', '12:00')],
          [iv('12:00', '18:00'), iv('09:00', '12:00')],
          [],
          [],
          [],
          [],
          [],
        ),
      },
    };
    expect(openingIntervalsOn(s, '2025-03-03')).toEqual(WORKDAY_HOURS);
    expect(openingIntervalsOn(s, '2025-03-04')).toEqual([iv('09:00', '18:00')]);
  });

  it('applies the last exception when a date is listed twice', () => {
    const s: UnitSchedule = {
      ...hall,
      exceptions: [
        { date: '2025-03-03', hours: [] },
        { date: '2025-03-03', hours: [iv('10:00', '11:00')] },
      ],
    };
    expect(openingIntervalsOn(s, '2025-03-03')).toEqual([iv('10:00', '11:00')]);
  });

  it('throws RangeError on invalid schedules and dates', () => {
    const bad = (hours: OpeningHours, extra: Partial<UnitSchedule> = {}): UnitSchedule => ({
      ...hall,
      hours,
      ...extra,
    });
    expect(() => openingIntervalsOn(hall, '2025-02-29')).toThrow(RangeError);
    expect(() =>
      openingIntervalsOn(bad({ ...hallHours, weekly: hallHours.weekly.slice(1) }), '2025-03-03'),
    ).toThrow(RangeError);
    expect(() =>
      openingIntervalsOn(bad({ ...hallHours, holiday: [iv('22:00', '02:00')] }), '2025-03-03'),
    ).toThrow(RangeError);
    expect(() => openingIntervalsOn(bad(hallHours, { timeZone: 'Beijing' }), '2025-03-03')).toThrow(
      RangeError,
    );
    expect(() =>
      openingIntervalsOn(bad(hallHours, { exceptions: [{ date: '2025-3-3', hours: [] }] }), '2025-03-03'),
    ).toThrow(RangeError);
  });

  it('agrees with businessMinutesBetween over every day of 2025 and 2026, for every schedule', () => {
    for (const [name, s] of Object.entries(SCHEDULES)) {
      let total = 0;
      for (const date of [...datesOfYear(2025), ...datesOfYear(2026)]) {
        const minutes = dailyOpenMinutes(s, date);
        total += minutes;
        const from = atLocal(date, '00:00', s.timeZone);
        const to = atLocal(date, '24:00', s.timeZone);
        expect(businessMinutesBetween(s, from, to), `${name} ${date}`).toBe(minutes);
      }
      const yearsFrom = atLocal('2025-01-01', '00:00', s.timeZone);
      const yearsTo = atLocal('2026-12-31', '24:00', s.timeZone);
      expect(businessMinutesBetween(s, yearsFrom, yearsTo), name).toBe(total);
    }
  });
});

describe('isBusinessTime', () => {
  it.each<[string, UnitSchedule, string, boolean]>([
    ['before opening', hall, '2025-03-03 08:29:59.999', false],
    ['at opening (inclusive)', hall, '2025-03-03 08:30', true],
    ['just before lunch', hall, '2025-03-03 11:59:59.999', true],
    ['at lunch (close exclusive)', hall, '2025-03-03 12:00', false],
    ['during lunch', hall, '2025-03-03 13:29', false],
    ['after lunch', hall, '2025-03-03 13:30', true],
    ['at closing', hall, '2025-03-03 18:00', false],
    ['at night', hall, '2025-03-03 23:00', false],
    ['Saturday morning', hall, '2025-03-08 09:00', true],
    ['Saturday 08:30 (Saturday hours)', hall, '2025-03-08 08:30', false],
    ['Sunday', hall, '2025-03-09 12:00', false],
    ['a holiday morning', hall, '2026-10-01 10:00', true],
    ['a holiday afternoon', hall, '2026-10-01 14:00', false],
    ['a holiday when closed on holidays', closedOnHolidays, '2026-10-01 10:00', false],
    ['a makeup Saturday 08:30 (Monday hours)', hall, '2026-02-14 08:30', true],
    ['a makeup Saturday 17:30 (Monday hours)', hall, '2026-02-14 17:30', true],
    ['a makeup Saturday at lunch', hall, '2026-02-14 12:30', false],
    ['Spring Festival eve 2026 (a holiday)', hall, '2026-02-16 10:00', true],
    ['24:00 close, the last millisecond', nightShop, '2025-03-07 23:59:59.999', true],
    ['24:00 close, midnight continues on Saturday', nightShop, '2025-03-08 00:00', true],
    ['Saturday 02:00 close', nightShop, '2025-03-08 02:00', false],
    ['Thursday night', nightShop, '2025-03-06 23:00', false],
    ['24-hour unit at midnight on a holiday', allDay, '2026-02-17 00:00', true],
  ])('%s: %s', (_label, schedule, local, open) => {
    expect(isBusinessTime(schedule, cst(local))).toBe(open);
  });

  it.each<[string, boolean, boolean, boolean]>([
    ['2025-03-03T01:00:00Z', true, false, false], // 09:00 in Shanghai, 07:00 in Urumqi, 01:00 UTC
    ['2025-03-03T03:00:00Z', true, true, false],
    ['2025-03-03T09:00:00Z', true, true, true],
    ['2025-03-03T10:30:00Z', false, true, true], // 18:30 in Shanghai
    ['2025-03-03T14:00:00Z', false, false, true], // 20:00 in Urumqi
    ['2025-09-30T17:00:00Z', false, false, true], // 01:00 on a holiday in Shanghai, 23:00 in Urumqi
    ['2025-10-01T03:30:00Z', true, true, false], // holiday hours 09:00–12:00, a holiday in UTC too
  ])('the same instant %s: Shanghai %s, Urumqi %s, UTC %s', (iso, shanghai, urumqi, utc) => {
    const at = new Date(iso);
    expect(isBusinessTime(hall, at)).toBe(shanghai);
    expect(isBusinessTime(urumqiHall, at)).toBe(urumqi);
    expect(isBusinessTime(utcHall, at)).toBe(utc);
  });

  it('honours per-unit exceptions', () => {
    const s: UnitSchedule = {
      ...closedOnHolidays,
      exceptions: [
        { date: '2026-02-17', hours: [iv('10:00', '14:00')] },
        { date: '2025-03-04', hours: [] },
      ],
    };
    expect(isBusinessTime(s, cst('2026-02-17 13:59'))).toBe(true);
    expect(isBusinessTime(s, cst('2026-02-17 14:00'))).toBe(false);
    expect(isBusinessTime(s, cst('2026-02-18 10:00'))).toBe(false);
    expect(isBusinessTime(s, cst('2025-03-04 10:00'))).toBe(false);
    expect(isBusinessTime(s, cst('2025-03-05 10:00'))).toBe(true);
  });

  it('refuses an invalid Date', () => {
    expect(() => isBusinessTime(hall, new Date('not a date'))).toThrow(RangeError);
  });
});

describe('nextOpening', () => {
  it.each<[string, UnitSchedule, string, string | null]>([
    ['open now: the instant itself', hall, '2025-03-03 10:00', '2025-03-03 10:00'],
    ['early morning', hall, '2025-03-03 07:00', '2025-03-03 08:30'],
    ['lunch break', hall, '2025-03-03 12:00', '2025-03-03 13:30'],
    ['Monday evening', hall, '2025-03-03 18:00', '2025-03-04 08:30'],
    ['Friday evening → Saturday hours', hall, '2025-03-07 18:00', '2025-03-08 09:00'],
    ['Saturday evening → Monday', hall, '2025-03-08 17:00', '2025-03-10 08:30'],
    ['Friday before the Spring Festival → makeup Saturday', hall, '2026-02-13 18:00', '2026-02-14 08:30'],
    ['makeup Saturday evening → holiday hours', hall, '2026-02-14 18:00', '2026-02-15 09:00'],
    ['makeup Saturday evening, closed on holidays', closedOnHolidays, '2026-02-14 18:00', '2026-02-24 08:30'],
    ['2025 Spring Festival, closed on holidays', closedOnHolidays, '2025-01-27 18:00', '2025-02-05 08:30'],
    ['Saturday before a makeup Sunday', closedOnHolidays, '2025-01-25 17:00', '2025-01-26 08:30'],
    ['National Day 2025, closed on holidays', closedOnHolidays, '2025-09-30 18:00', '2025-10-09 08:30'],
    ['New Year 2026 → makeup Sunday', closedOnHolidays, '2025-12-31 18:00', '2026-01-04 08:30'],
    ['into 2027 without data', closedOnHolidays, '2026-12-31 18:00', '2027-01-01 08:30'],
    ['night shop on Thursday', nightShop, '2025-03-06 12:00', '2025-03-07 20:00'],
    ['night shop at midnight', nightShop, '2025-03-08 00:00', '2025-03-08 00:00'],
    ['never open', closedForever, '2025-03-03 10:00', null],
  ])('%s', (_label, schedule, local, expected) => {
    const at = cst(local);
    const next = nextOpening(schedule, at);
    expect(show(next)).toBe(expected);
    expect(next).not.toBe(at);
  });

  it('keeps seconds when already open', () => {
    expect(nextOpening(hall, cst('2025-03-03 10:00:12.345'))?.toISOString()).toBe('2025-03-03T02:00:12.345Z');
  });

  it('looks 400 days ahead and no further', () => {
    const from = cst('2025-01-01 12:00');
    const opensOn = (date: string): UnitSchedule => ({
      ...closedForever,
      exceptions: [{ date, hours: [iv('10:00', '11:00')] }],
    });
    const day400 = plusDays('2025-01-01', 400);
    const day401 = plusDays('2025-01-01', 401);
    expect(show(nextOpening(opensOn(day400), from))).toBe(`${day400} 10:00`);
    expect(nextOpening(opensOn(day401), from)).toBeNull();
    expect(show(addBusinessMinutes(opensOn(day400), from, 30))).toBe(`${day400} 10:30`);
    expect(() => addBusinessMinutes(opensOn(day401), from, 0)).toThrow(Error);
    expect(() => addBusinessMinutes(closedForever, from, 10)).toThrow(/no opening time within 400 days/);
  });
});

/* ---------------------------------------------------------------------------------------------- */
/* Business-time clocks                                                                            */
/* ---------------------------------------------------------------------------------------------- */

describe('addBusinessMinutes', () => {
  const withExceptions: UnitSchedule = {
    ...closedOnHolidays,
    exceptions: [
      { date: '2025-03-04', hours: [] },
      { date: '2026-02-17', hours: [iv('10:00', '14:00')] },
    ],
  };

  it.each<[string, UnitSchedule, string, number, string]>([
    ['within a morning', hall, '2025-03-03 09:00', 60, '2025-03-03 10:00'],
    ['over the lunch break', hall, '2025-03-03 11:30', 60, '2025-03-03 14:00'],
    ['0 during lunch → next opening', hall, '2025-03-03 12:15', 0, '2025-03-03 13:30'],
    ['0 while open → the start', hall, '2025-03-03 10:00', 0, '2025-03-03 10:00'],
    ['from lunch', hall, '2025-03-03 12:15', 30, '2025-03-03 14:00'],
    ['ending exactly at closing', hall, '2025-03-03 17:00', 60, '2025-03-03 18:00'],
    ['one minute past closing → next morning', hall, '2025-03-03 17:00', 61, '2025-03-04 08:31'],
    ['from the night', hall, '2025-03-03 20:00', 30, '2025-03-04 09:00'],
    ['a whole day', hall, '2025-03-03 08:30', 480, '2025-03-03 18:00'],
    ['a whole day and a minute', hall, '2025-03-03 08:30', 481, '2025-03-04 08:31'],
    ['a whole week', hall, '2025-03-03 08:30', 5 * 480 + 480, '2025-03-08 17:00'],
    ['Friday into Saturday', hall, '2025-03-07 17:00', 120, '2025-03-08 10:00'],
    ['over Sunday', hall, '2025-03-08 16:00', 120, '2025-03-10 09:30'],
    ['0 on Sunday → Monday', hall, '2025-03-09 10:00', 0, '2025-03-10 08:30'],
    ['Friday → makeup Saturday 2026', hall, '2026-02-13 17:00', 120, '2026-02-14 09:30'],
    ['into Spring Festival holiday hours', hall, '2026-02-14 17:00', 120, '2026-02-15 10:00'],
    ['across all of Spring Festival 2026', hall, '2026-02-14 17:00', 60 + 9 * 180, '2026-02-23 12:00'],
    ['past Spring Festival 2026', hall, '2026-02-14 17:00', 60 + 9 * 180 + 1, '2026-02-24 08:31'],
    [
      'over Spring Festival 2026, closed on holidays',
      closedOnHolidays,
      '2026-02-14 17:00',
      120,
      '2026-02-24 09:30',
    ],
    [
      'over Spring Festival 2025, closed on holidays',
      closedOnHolidays,
      '2025-01-27 17:00',
      120,
      '2025-02-05 09:30',
    ],
    ['into the makeup Sunday 2025', closedOnHolidays, '2025-01-25 16:00', 120, '2025-01-26 09:30'],
    ['over National Day 2025', closedOnHolidays, '2025-09-30 17:00', 120, '2025-10-09 09:30'],
    ['a closed-day exception', withExceptions, '2025-03-03 17:00', 120, '2025-03-05 09:30'],
    ['special hours on a holiday', withExceptions, '2026-02-14 17:00', 120, '2026-02-17 11:00'],
    ['24-hour unit overnight', allDay, '2025-03-07 23:00', 120, '2025-03-08 01:00'],
    ['24-hour unit over Spring Festival', allDay, '2026-02-14 12:00', 10 * 1440, '2026-02-24 12:00'],
    ['night shop across midnight', nightShop, '2025-03-07 23:30', 60, '2025-03-08 00:30'],
    ['night shop, the next week', nightShop, '2025-03-08 01:30', 60, '2025-03-14 20:30'],
  ])('%s: %s + %i min → %s', (_label, schedule, local, minutes, expected) => {
    expect(show(addBusinessMinutes(schedule, cst(local), minutes))).toBe(expected);
  });

  it('counts in the unit’s own time zone', () => {
    const start = new Date('2025-03-03T01:00:00Z'); // 09:00 Shanghai, 07:00 Urumqi, 01:00 UTC
    expect(addBusinessMinutes(hall, start, 60).toISOString()).toBe('2025-03-03T02:00:00.000Z');
    expect(addBusinessMinutes(urumqiHall, start, 60).toISOString()).toBe('2025-03-03T03:30:00.000Z');
    expect(addBusinessMinutes(utcHall, start, 60).toISOString()).toBe('2025-03-03T09:30:00.000Z');
    expect(show(addBusinessMinutes(urumqiHall, start, 600), URUMQI)).toBe('2025-03-04 10:30');
  });

  it('counts real minutes across a DST change in Berlin', () => {
    const fri = new Date('2025-03-28T15:00:00Z'); // 16:00 CET
    expect(show(addBusinessMinutes(berlinOffice, fri, 120), BERLIN)).toBe('2025-03-31 10:00');
    const sat = new Date('2025-03-29T22:00:00Z'); // Saturday 23:00 CET
    expect(addBusinessMinutes(berlinAllDay, sat, 240).toISOString()).toBe('2025-03-30T02:00:00.000Z');
    expect(show(addBusinessMinutes(berlinAllDay, sat, 240), BERLIN)).toBe('2025-03-30 04:00');
  });

  it('keeps the seconds of the start', () => {
    expect(addBusinessMinutes(hall, cst('2025-03-03 11:59:30'), 1).toISOString()).toBe(
      '2025-03-03T05:30:30.000Z',
    );
  });

  it.each([-1, 1.5, Number.NaN, Number.POSITIVE_INFINITY, Number.MAX_SAFE_INTEGER])(
    'refuses %d minutes with RangeError',
    (minutes) => {
      expect(() => addBusinessMinutes(hall, cst('2025-03-03 10:00'), minutes)).toThrow(RangeError);
    },
  );

  it('walks years quickly', () => {
    const start = cst('2025-01-01 00:00');
    const yearMinutes = businessMinutesBetween(hall, start, cst('2027-01-01 00:00'));
    expect(show(addBusinessMinutes(hall, start, yearMinutes))).toBe('2026-12-31 18:00');
  });
});

describe('businessMinutesBetween', () => {
  it.each<[string, UnitSchedule, string, string, number]>([
    ['a working day', hall, '2025-03-03 08:00', '2025-03-04 08:00', 480],
    ['the lunch break', hall, '2025-03-03 12:00', '2025-03-03 13:30', 0],
    ['over lunch', hall, '2025-03-03 11:00', '2025-03-03 14:00', 90],
    ['empty range', hall, '2025-03-03 10:00', '2025-03-03 10:00', 0],
    ['reversed range', hall, '2025-03-04 10:00', '2025-03-03 10:00', 0],
    ['a week', hall, '2025-03-03 00:00', '2025-03-10 00:00', 6 * 480],
    ['half a minute', hall, '2025-03-03 09:00:30', '2025-03-03 09:01:00', 0.5],
    ['Spring Festival 2026 week', hall, '2026-02-14 00:00', '2026-02-24 00:00', 480 + 9 * 180],
    [
      'Spring Festival 2026, closed on holidays',
      closedOnHolidays,
      '2026-02-14 00:00',
      '2026-02-24 00:00',
      480,
    ],
    ['a 24-hour unit', allDay, '2026-02-14 00:00', '2026-02-24 00:00', 10 * 1440],
    ['the night shop over midnight', nightShop, '2025-03-07 20:00', '2025-03-08 03:00', 360],
  ])('%s', (_label, schedule, from, to, minutes) => {
    expect(businessMinutesBetween(schedule, cst(from), cst(to))).toBe(minutes);
  });

  it('differs between zones for the same instants', () => {
    const from = new Date('2025-03-03T00:00:00Z');
    const to = new Date('2025-03-03T06:00:00Z');
    expect(businessMinutesBetween(hall, from, to)).toBe(210 + 30); // 08:00–14:00 local
    expect(businessMinutesBetween(urumqiHall, from, to)).toBe(210); // 06:00–12:00 local
    expect(businessMinutesBetween(utcHall, from, to)).toBe(0); // 00:00–06:00 local
  });

  it('equals the sum of the daily minutes over 2026', () => {
    const sum = datesOfYear(2026).reduce((acc, d) => acc + dailyOpenMinutes(hall, d), 0);
    expect(businessMinutesBetween(hall, cst('2026-01-01 00:00'), cst('2027-01-01 00:00'))).toBe(sum);
  });
});

/* ---------------------------------------------------------------------------------------------- */
/* Working days                                                                                    */
/* ---------------------------------------------------------------------------------------------- */

describe('addBusinessDays', () => {
  it.each<[string, number, string]>([
    ['2026-02-13 10:00', 1, '2026-02-14 10:00'], // Friday → makeup Saturday
    ['2026-02-13 10:00', 2, '2026-02-24 10:00'], // then past the Spring Festival
    ['2026-02-14 10:00', 1, '2026-02-24 10:00'],
    ['2026-02-12 10:00', 3, '2026-02-24 10:00'],
    ['2026-02-17 10:00', 1, '2026-02-24 10:00'], // from inside the holiday
    ['2026-02-24 10:00', 4, '2026-02-28 10:00'], // the makeup Saturday after the festival counts
    ['2025-09-30 10:00', 1, '2025-10-09 10:00'],
    ['2025-10-01 10:00', 1, '2025-10-09 10:00'],
    ['2025-10-10 10:00', 1, '2025-10-11 10:00'], // makeup Saturday
    ['2025-10-11 10:00', 1, '2025-10-13 10:00'],
    ['2025-03-07 10:00', 1, '2025-03-10 10:00'], // plain weekend
    ['2025-03-08 10:00', 1, '2025-03-10 10:00'],
    ['2025-03-07 10:00', 5, '2025-03-14 10:00'],
    ['2025-12-31 10:00', 1, '2026-01-04 10:00'], // New Year holiday, then the makeup Sunday
    ['2026-04-30 10:00', 1, '2026-05-06 10:00'],
    ['2026-04-30 10:00', 4, '2026-05-09 10:00'], // makeup Saturday 2026-05-09
    ['2026-12-31 10:00', 1, '2027-01-01 10:00'], // 2027 has no data: a plain Friday
    ['2025-01-27 23:59', 1, '2025-02-05 23:59'],
    ['2026-10-01 10:00', 0, '2026-10-01 10:00'], // n = 0 returns the start, even on a holiday
  ])('%s + %i working days → %s', (local, n, expected) => {
    expect(show(addBusinessDays(CN, SH, cst(local), n))).toBe(expected);
  });

  it('keeps seconds and milliseconds of the wall-clock time', () => {
    expect(addBusinessDays(CN, SH, cst('2025-03-07 10:15:30.250'), 1).toISOString()).toBe(
      '2025-03-10T02:15:30.250Z',
    );
  });

  it('uses the local date of the given zone', () => {
    const at = new Date('2025-01-24T17:00:00Z'); // Sat 01:00 in Shanghai, Fri 23:00 in Urumqi, Fri 17:00 UTC
    expect(addBusinessDays(CN, SH, at, 1).toISOString()).toBe('2025-01-25T17:00:00.000Z'); // makeup Sun 01:00
    expect(addBusinessDays(CN, URUMQI, at, 1).toISOString()).toBe('2025-01-26T17:00:00.000Z'); // Sun 23:00
    expect(addBusinessDays(CN, 'UTC', at, 2).toISOString()).toBe('2025-01-27T17:00:00.000Z');
    expect(addBusinessDays(CN, SH, at, 2).toISOString()).toBe('2025-01-26T17:00:00.000Z'); // Mon 27 01:00
  });

  it('keeps the wall-clock time across the Berlin DST changes', () => {
    const spring = addBusinessDays([], BERLIN, new Date('2025-03-28T09:00:00Z'), 1); // Fri 10:00 CET
    expect(spring.toISOString()).toBe('2025-03-31T08:00:00.000Z'); // Mon 10:00 CEST
    expect((spring.getTime() - Date.parse('2025-03-28T09:00:00Z')) / 3_600_000).toBe(71);
    const autumn = addBusinessDays([], BERLIN, new Date('2025-10-24T08:00:00Z'), 1); // Fri 10:00 CEST
    expect(autumn.toISOString()).toBe('2025-10-27T09:00:00.000Z'); // Mon 10:00 CET
    expect((autumn.getTime() - Date.parse('2025-10-24T08:00:00Z')) / 3_600_000).toBe(73);
  });

  it('moves a non-existent wall-clock time forward and picks the first of a repeated one', () => {
    const sunday = (date: string): CalendarDay[] => [{ date, kind: 'makeup_workday', name: '调休上班' }];
    const gap = addBusinessDays(sunday('2025-03-30'), BERLIN, new Date('2025-03-28T01:30:00Z'), 1); // Fri 02:30
    expect(gap.toISOString()).toBe('2025-03-30T01:30:00.000Z'); // 03:30 CEST
    const repeated = addBusinessDays(sunday('2025-10-26'), BERLIN, new Date('2025-10-24T00:30:00Z'), 1);
    expect(repeated.toISOString()).toBe('2025-10-26T00:30:00.000Z'); // 02:30 CEST, the first 02:30
    const fromSecond = addBusinessDays([], BERLIN, new Date('2025-10-26T01:30:00Z'), 1); // 02:30 CET
    expect(show(fromSecond, BERLIN)).toBe('2025-10-27 02:30');
  });

  it.each([-1, 0.5, Number.NaN])('refuses n = %d with RangeError', (n) => {
    expect(() => addBusinessDays(CN, SH, cst('2025-03-03 10:00'), n)).toThrow(RangeError);
  });

  it('refuses an unknown zone and gives up when no working day comes', () => {
    expect(() => addBusinessDays(CN, 'China', cst('2025-03-03 10:00'), 1)).toThrow(RangeError);
    const allHolidays: CalendarDay[] = Array.from({ length: 500 }, (_x, i) => ({
      date: plusDays('2025-01-01', i),
      kind: 'holiday' as const,
      name: 'x',
    }));
    expect(() => addBusinessDays(allHolidays, SH, cst('2025-01-01 10:00'), 1)).toThrow(/no working day/);
  });
});

/* ---------------------------------------------------------------------------------------------- */
/* Validation                                                                                      */
/* ---------------------------------------------------------------------------------------------- */

describe('validateOpeningHours', () => {
  const withMonday = (monday: unknown): OpeningHours =>
    ({ ...hallHours, weekly: [monday, ...hallHours.weekly.slice(1)] }) as OpeningHours;

  it.each<[string, OpeningHours]>([
    ['the hall', hallHours],
    ['a 24-hour unit', allDay.hours],
    ['a close at 24:00 and an open at 00:00', nightShop.hours],
    ['touching intervals', withMonday([iv('09:00', '12:00'), iv('12:00', '18:00')])],
    ['unsorted intervals', withMonday([iv('13:30', '18:00'), iv('08:30', '12:00')])],
    ['closed every day', closedForever.hours],
    ['its own makeup-workday hours', { ...hallHours, makeupWorkday: [iv('10:00', '15:00')] }],
  ])('accepts %s', (_label, hours) => {
    expect(validateOpeningHours(hours)).toEqual([]);
  });

  it.each<[string, OpeningHours, RegExp]>([
    [
      '6 weekdays',
      { ...hallHours, weekly: hallHours.weekly.slice(0, 6) },
      /^weekly must list exactly 7 weekdays \(Monday to Sunday\), got 6$/,
    ],
    ['8 weekdays', { ...hallHours, weekly: [...hallHours.weekly, []] }, /exactly 7 weekdays.*got 8/],
    ['no weekly list', { holiday: [] } as unknown as OpeningHours, /^weekly must be a list/],
    [
      'a one-digit hour',
      withMonday([iv('9:00', '12:00')]),
      /^Monday, interval 1: open time "9:00" is not a valid HH:mm/,
    ],
    [
      'hour 25',
      withMonday([iv('09:00', '25:00')]),
      /^Monday, interval 1: close time "25:00" is not a valid HH:mm/,
    ],
    ['minute 60', withMonday([iv('09:60', '12:00')]), /open time "09:60" is not a valid/],
    ['a word', withMonday([iv('noon', '18:00')]), /open time "noon" is not a valid/],
    ['seconds', withMonday([iv('09:00:00', '18:00')]), /open time "09:00:00" is not a valid/],
    [
      '24:00 as an open time',
      withMonday([iv('24:00', '24:00')]),
      /open time "24:00" is not allowed.*only be a close/,
    ],
    ['a missing close', withMonday([{ open: '09:00' }]), /close time undefined is not a valid/],
    ['an interval that is not an object', withMonday([null]), /^Monday, interval 1: must be an object/],
    ['a day that is not a list', withMonday('09:00-18:00'), /^Monday: hours must be a list of intervals/],
    [
      'a night crossing midnight',
      withMonday([iv('22:00', '02:00')]),
      /^Monday, interval 1: closes at 02:00 before it opens at 22:00; intervals crossing midnight are refused/,
    ],
    ['a close at 00:00', withMonday([iv('22:00', '00:00')]), /crossing midnight are refused/],
    [
      'an empty interval',
      withMonday([iv('09:00', '09:00')]),
      /opens and closes at 09:00; an interval must close/,
    ],
    [
      'overlapping intervals',
      withMonday([iv('08:30', '12:00'), iv('11:00', '14:00')]),
      /^Monday: intervals 08:30-12:00 and 11:00-14:00 overlap$/,
    ],
    [
      'a contained interval, unsorted',
      withMonday([iv('10:00', '11:00'), iv('09:00', '18:00')]),
      /^Monday: intervals 09:00-18:00 and 10:00-11:00 overlap$/,
    ],
    [
      'an overlap on Sunday',
      {
        ...hallHours,
        weekly: [...hallHours.weekly.slice(0, 6), [iv('10:00', '12:00'), iv('10:00', '11:00')]],
      },
      /^Sunday: intervals/,
    ],
    [
      'an overlap on holidays',
      { ...hallHours, holiday: [iv('09:00', '12:00'), iv('11:59', '13:00')] },
      /^holiday:/,
    ],
    [
      'holiday not a list',
      { ...hallHours, holiday: undefined } as unknown as OpeningHours,
      /^holiday: hours must be/,
    ],
    [
      'a makeup workday crossing midnight',
      { ...hallHours, makeupWorkday: [iv('20:00', '01:00')] },
      /^makeup workday, interval 1: .*crossing midnight/,
    ],
    ['not an object', null as unknown as OpeningHours, /^opening hours must be an object/],
  ])('refuses %s', (_label, hours, message) => {
    const problems = validateOpeningHours(hours);
    expect(problems.length).toBeGreaterThan(0);
    expect(
      problems.some((p) => message.test(p)),
      problems.join('\n'),
    ).toBe(true);
  });

  it('reports every problem at once', () => {
    const problems = validateOpeningHours({
      weekly: [[iv('22:00', '02:00')], [iv('9:00', '12:00')], [iv('08:00', '12:00'), iv('11:00', '13:00')]],
      holiday: [iv('10:00', '10:00')],
    });
    expect(problems).toHaveLength(5);
    expect(problems[0]).toMatch(/got 3/);
  });

  const minuteText = (m: number): string =>
    m === 1440
      ? '24:00'
      : `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
  const minuteOf = (t: string): number => Number(t.slice(0, 2)) * 60 + Number(t.slice(3));
  /** Random valid day: disjoint (possibly touching) intervals, in random order. */
  const validDay = fc.uniqueArray(fc.integer({ min: 0, max: 1440 }), { maxLength: 8 }).chain((points) => {
    const sorted = [...points].sort((a, b) => a - b);
    const intervals: Interval[] = [];
    for (let i = 0; i + 1 < sorted.length; i += 2) {
      intervals.push(iv(minuteText(sorted[i] ?? 0), minuteText(sorted[i + 1] ?? 0)));
    }
    return fc.shuffledSubarray(intervals, { minLength: intervals.length, maxLength: intervals.length });
  });

  it('accepts any disjoint intervals and openingIntervalsOn/dailyOpenMinutes agree (property)', () => {
    fc.assert(
      fc.property(fc.array(validDay, { minLength: 7, maxLength: 7 }), validDay, (weekly, holiday) => {
        const hours: OpeningHours = { weekly, holiday };
        expect(validateOpeningHours(hours)).toEqual([]);
        const s: UnitSchedule = { timeZone: SH, hours, calendar: CN, exceptions: [] };
        const length = (x: Interval): number => minuteOf(x.close) - minuteOf(x.open);
        const monday = weekly[0] ?? [];
        const total = monday.reduce((acc, x) => acc + length(x), 0);
        expect(dailyOpenMinutes(s, '2025-03-03')).toBe(total);
        // sorted, disjoint and not touching (touching ones come back merged), covering the same minutes
        const got = openingIntervalsOn(s, '2025-03-03');
        expect(got.reduce((acc, x) => acc + length(x), 0)).toBe(total);
        got.forEach((x, i) => {
          expect(minuteOf(x.open)).toBeLessThan(minuteOf(x.close));
          const next = got[i + 1];
          if (next) expect(minuteOf(x.close)).toBeLessThan(minuteOf(next.open));
        });
      }),
      { numRuns: 200 },
    );
  });

  it('refuses any day with two overlapping intervals (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 1438 }),
        fc.integer({ min: 1, max: 120 }),
        fc.integer({ min: 0, max: 119 }),
        fc.integer({ min: 1, max: 120 }),
        (open, length, offset, length2) => {
          const close = Math.min(1440, open + length);
          const open2 = Math.min(close - 1, open + Math.min(offset, length - 1));
          const close2 = Math.min(1440, open2 + length2);
          const problems = validateOpeningHours(
            withMonday([iv(minuteText(open), minuteText(close)), iv(minuteText(open2), minuteText(close2))]),
          );
          expect(problems.some((p) => p.startsWith('Monday: intervals') && p.endsWith('overlap'))).toBe(true);
        },
      ),
      { numRuns: 300 },
    );
  });
});

/* ---------------------------------------------------------------------------------------------- */
/* Properties of the business-time clocks                                                          */
/* ---------------------------------------------------------------------------------------------- */

describe('properties of the business-time clocks', () => {
  const names = Object.keys(SCHEDULES);
  const schedule = fc.constantFrom(...names).map((name) => ({ name, s: SCHEDULES[name] ?? hall }));
  const instant = fc.oneof(
    // any millisecond from Dec 2024 to Feb 2027 (the 2025/2026 data plus a year without data)
    fc.integer({ min: Date.parse('2024-12-20T00:00:00Z'), max: Date.parse('2027-02-01T00:00:00Z') }),
    // whole minutes, often landing exactly on opening and closing times
    fc.integer({ min: 29_000_000, max: 30_200_000 }).map((m) => m * 60_000),
    // a few days around the Berlin DST changes and the 2026 Spring Festival, to the minute
    fc
      .constantFrom('2025-03-30T01:00:00Z', '2025-10-26T01:00:00Z', '2026-02-17T00:00:00Z')
      .chain((iso) => fc.integer({ min: -3 * 1440, max: 3 * 1440 }).map((m) => Date.parse(iso) + m * 60_000)),
  );
  const date = instant.map((ms) => new Date(ms));
  const minutes = fc.oneof(fc.integer({ min: 0, max: 600 }), fc.integer({ min: 0, max: 20_000 }));
  const runs = { numRuns: 300 };

  it('businessMinutesBetween(nextOpening(start), addBusinessMinutes(start, m)) === m', () => {
    fc.assert(
      fc.property(schedule, date, minutes, ({ s }, start, m) => {
        const end = addBusinessMinutes(s, start, m);
        const opening = nextOpening(s, start);
        expect(opening).not.toBeNull();
        if (opening === null) return;
        expect(businessMinutesBetween(s, opening, end)).toBe(m);
        expect(businessMinutesBetween(s, start, end)).toBe(m);
        expect(end.getTime()).toBeGreaterThanOrEqual(opening.getTime());
        if (m > 0) expect(isBusinessTime(s, new Date(end.getTime() - 1))).toBe(true);
        else expect(end.getTime()).toBe(opening.getTime());
      }),
      runs,
    );
  });

  it('addBusinessMinutes is monotonic in the minutes', () => {
    fc.assert(
      fc.property(schedule, date, minutes, minutes, ({ s }, start, a, b) => {
        const [lo, hi] = a <= b ? [a, b] : [b, a];
        const x = addBusinessMinutes(s, start, lo).getTime();
        const y = addBusinessMinutes(s, start, hi).getTime();
        expect(x).toBeLessThanOrEqual(y);
        if (lo < hi) expect(x).toBeLessThan(y);
      }),
      runs,
    );
  });

  it('addBusinessMinutes is monotonic in the start', () => {
    fc.assert(
      fc.property(schedule, date, date, minutes, ({ s }, a, b, m) => {
        const [lo, hi] = a <= b ? [a, b] : [b, a];
        expect(addBusinessMinutes(s, lo, m).getTime()).toBeLessThanOrEqual(
          addBusinessMinutes(s, hi, m).getTime(),
        );
      }),
      runs,
    );
  });

  it('adding a then b equals adding a + b (b > 0)', () => {
    fc.assert(
      fc.property(schedule, date, minutes, fc.integer({ min: 1, max: 3000 }), ({ s }, start, a, b) => {
        const twoSteps = addBusinessMinutes(s, addBusinessMinutes(s, start, a), b);
        expect(twoSteps.getTime()).toBe(addBusinessMinutes(s, start, a + b).getTime());
      }),
      runs,
    );
  });

  it('businessMinutesBetween is additive, bounded by elapsed time and monotonic in `to`', () => {
    fc.assert(
      fc.property(schedule, fc.array(instant, { minLength: 3, maxLength: 3 }), ({ s }, points) => {
        const [a, b, c] = [...points].sort((x, y) => x - y).map((ms) => new Date(ms)) as [Date, Date, Date];
        const ab = businessMinutesBetween(s, a, b);
        const bc = businessMinutesBetween(s, b, c);
        const ac = businessMinutesBetween(s, a, c);
        expect(ab + bc).toBeCloseTo(ac, 9);
        expect(ab).toBeGreaterThanOrEqual(0);
        expect(ab).toBeLessThanOrEqual((b.getTime() - a.getTime()) / 60_000);
        expect(ac).toBeGreaterThanOrEqual(ab);
        expect(businessMinutesBetween(s, c, a)).toBe(0);
      }),
      runs,
    );
  });

  it('nextOpening is open, not earlier, and nothing is open before it', () => {
    fc.assert(
      fc.property(schedule, date, ({ s }, at) => {
        const next = nextOpening(s, at);
        expect(next).not.toBeNull();
        if (next === null) return;
        expect(next.getTime()).toBeGreaterThanOrEqual(at.getTime());
        expect(isBusinessTime(s, next)).toBe(true);
        expect(businessMinutesBetween(s, at, next)).toBe(0);
        expect(next.getTime() === at.getTime()).toBe(isBusinessTime(s, at));
        expect(addBusinessMinutes(s, at, 0).getTime()).toBe(next.getTime());
      }),
      runs,
    );
  });

  it('isBusinessTime agrees with businessMinutesBetween over one millisecond', () => {
    fc.assert(
      fc.property(schedule, date, ({ s }, at) => {
        const open = businessMinutesBetween(s, at, new Date(at.getTime() + 1)) > 0;
        expect(isBusinessTime(s, at)).toBe(open);
      }),
      runs,
    );
  });

  it('addBusinessDays lands on a working day, keeps the wall-clock time and is increasing in n', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(SH, URUMQI, 'UTC', BERLIN),
        date,
        fc.integer({ min: 0, max: 30 }),
        (zone, start, n) => {
          const end = addBusinessDays(CN, zone, start, n);
          const next = addBusinessDays(CN, zone, start, n + 1);
          expect(next.getTime()).toBeGreaterThan(end.getTime());
          const local = (d: Date): DateTime => DateTime.fromJSDate(d, { zone });
          expect(local(end).toFormat('HH:mm:ss.SSS')).toBe(local(start).toFormat('HH:mm:ss.SSS'));
          if (n === 0) {
            expect(end.getTime()).toBe(start.getTime());
            return;
          }
          const endDate = localDateOf(end, zone);
          expect(dayKind(CN, endDate)).toBe('workday');
          let count = 0;
          for (let d = plusDays(localDateOf(start, zone), 1); d <= endDate; d = plusDays(d, 1)) {
            if (dayKind(CN, d) === 'workday') count++;
          }
          expect(count).toBe(n);
        },
      ),
      { numRuns: 200 },
    );
  });
});

/* ---------------------------------------------------------------------------------------------- */
/* Compiled schedules                                                                              */
/* ---------------------------------------------------------------------------------------------- */

describe('compileSchedule', () => {
  const NEW_YORK = 'America/New_York';
  /** DST changes at midnight (the day starts at 01:00 in September, 23:00 comes twice in April). */
  const SANTIAGO = 'America/Santiago';
  /** A 30-minute DST change. */
  const LORD_HOWE = 'Australia/Lord_Howe';
  const ZONES = [SH, URUMQI, 'UTC', BERLIN, NEW_YORK, SANTIAGO, LORD_HOWE];

  /** The outcome of a clock call: its value, or the class and message of what it threw. */
  const outcome = <T>(f: () => T): T | string => {
    try {
      return f();
    } catch (e) {
      return e instanceof Error ? `${e.name}: ${e.message}` : String(e);
    }
  };

  it.each(Object.entries(SCHEDULES))('agrees with the reference clocks on %s (table cases)', (_name, s) => {
    const c = compileSchedule(s);
    for (const local of ['2025-03-03 09:00', '2025-03-07 23:30', '2026-02-14 17:00', '2025-03-29 23:00']) {
      for (const m of [0, 1, 59, 480, 481, 5000, 100_000]) {
        const start = cst(local);
        expect(c.addBusinessMinutes(start, m).getTime()).toBe(
          referenceAddBusinessMinutes(s, start, m).getTime(),
        );
      }
    }
    const from = cst('2025-01-01 00:00');
    const to = cst('2027-01-01 00:00');
    expect(c.businessMinutesBetween(from, to)).toBe(referenceBusinessMinutesBetween(s, from, to));
  });

  it('counts the Berlin DST days in real minutes', () => {
    const c = compileSchedule(berlinAllDay);
    expect(
      c.businessMinutesBetween(
        atLocal('2025-03-30', '00:00', BERLIN),
        atLocal('2025-03-31', '00:00', BERLIN),
      ),
    ).toBe(23 * 60);
    expect(
      c.businessMinutesBetween(
        atLocal('2025-10-26', '00:00', BERLIN),
        atLocal('2025-10-27', '00:00', BERLIN),
      ),
    ).toBe(25 * 60);
    expect(show(c.addBusinessMinutes(atLocal('2025-03-30', '01:30', BERLIN), 60), BERLIN)).toBe(
      '2025-03-30 03:30',
    );
  });

  it('answers the same errors as the reference', () => {
    const c = compileSchedule(closedForever);
    expect(() => c.addBusinessMinutes(cst('2025-03-03 10:00'), 10)).toThrow(
      /no opening time within 400 days/,
    );
    expect(c.nextOpening(cst('2025-03-03 10:00'))).toBeNull();
    expect(() => c.addBusinessMinutes(cst('2025-03-03 10:00'), -1)).toThrow(RangeError);
    expect(() => c.addBusinessMinutes(new Date(Number.NaN), 1)).toThrow(RangeError);
    expect(() => compileSchedule({ ...hall, timeZone: 'Mars/Olympus' })).toThrow(RangeError);
    const opensOn = (date: string): UnitSchedule => ({
      ...closedForever,
      exceptions: [{ date, hours: [iv('10:00', '11:00')] }],
    });
    const from = cst('2025-01-01 10:00');
    expect(show(compileSchedule(opensOn(plusDays('2025-01-01', 400))).addBusinessMinutes(from, 30))).toBe(
      `${plusDays('2025-01-01', 400)} 10:30`,
    );
    expect(() => compileSchedule(opensOn(plusDays('2025-01-01', 401))).addBusinessMinutes(from, 0)).toThrow(
      Error,
    );
  });

  it('is kept per schedule object and compiled again when a field is replaced', () => {
    const s: UnitSchedule = { ...hall };
    const first = compiledScheduleOf(s);
    expect(compiledScheduleOf(s)).toBe(first);
    s.exceptions = [{ date: '2025-03-03', hours: [] }];
    const second = compiledScheduleOf(s);
    expect(second).not.toBe(first);
    expect(show(addBusinessMinutes(s, cst('2025-03-03 09:00'), 60))).toBe('2025-03-04 09:30');
  });

  it('has a working-day clock: every minute of a working day, 调休 included, holidays not', () => {
    const w = compileSchedule(hall).workdays();
    // Friday 13 Feb 2026 10:00 + 2 working days: Saturday 14 Feb is a makeup day, then the Spring Festival
    expect(show(w.addBusinessMinutes(cst('2026-02-13 10:00'), 2 * 1440))).toBe('2026-02-24 10:00');
    expect(show(w.addBusinessMinutes(cst('2026-02-13 10:00'), 1440))).toBe('2026-02-14 10:00');
    // the same wall-clock time n working days later, as addBusinessDays says
    for (const n of [1, 2, 5, 10]) {
      const start = cst('2026-09-24 15:20');
      expect(w.addBusinessMinutes(start, n * 1440).getTime()).toBe(
        addBusinessDays(CN, SH, start, n).getTime(),
      );
    }
  });

  const minuteText = (m: number): string =>
    m === 1440
      ? '24:00'
      : `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
  /** A random day: disjoint intervals, on minutes often near the DST change hours. */
  const point = fc.oneof(
    fc.integer({ min: 0, max: 1440 }),
    fc.constantFrom(0, 30, 60, 90, 120, 150, 180, 1380, 1410, 1440),
  );
  const day = fc.uniqueArray(point, { maxLength: 6 }).map((points) => {
    const sorted = [...points].sort((a, b) => a - b);
    const intervals: Interval[] = [];
    for (let i = 0; i + 1 < sorted.length; i += 2) {
      intervals.push(iv(minuteText(sorted[i] ?? 0), minuteText(sorted[i + 1] ?? 0)));
    }
    return intervals;
  });
  const randomSchedule: fc.Arbitrary<UnitSchedule> = fc.record({
    timeZone: fc.constantFrom(...ZONES),
    hours: fc.record(
      { weekly: fc.array(day, { minLength: 7, maxLength: 7 }), holiday: day, makeupWorkday: day },
      { requiredKeys: ['weekly', 'holiday'] },
    ),
    calendar: fc.constantFrom(CN, []),
    exceptions: fc.array(
      fc.record({
        date: fc.integer({ min: 0, max: 800 }).map((n) => plusDays('2024-12-01', n)),
        hours: day,
      }),
      { maxLength: 6 },
    ),
  });
  const instant = fc.oneof(
    fc.integer({ min: Date.parse('2024-11-01T00:00:00Z'), max: Date.parse('2027-03-01T00:00:00Z') }),
    fc
      .constantFrom(
        '2025-03-09T07:00:00Z', // New York spring forward
        '2025-03-30T01:00:00Z', // Berlin
        '2025-04-06T03:00:00Z', // Santiago fall back at midnight
        '2025-09-07T04:00:00Z', // Santiago spring forward at midnight
        '2025-10-04T15:00:00Z', // Lord Howe, 30 minutes
        '2026-02-16T00:00:00Z', // Spring Festival
      )
      .chain((iso) => fc.integer({ min: -2 * 1440, max: 2 * 1440 }).map((m) => Date.parse(iso) + m * 60_000)),
  );
  const minutes = fc.oneof(fc.integer({ min: 0, max: 300 }), fc.integer({ min: 0, max: 60_000 }));

  it('agrees with the reference on random schedules and instants (property)', () => {
    fc.assert(
      fc.property(randomSchedule, instant, instant, minutes, (s, a, b, m) => {
        const c = compileSchedule(s);
        const [from, to] = a <= b ? [new Date(a), new Date(b)] : [new Date(b), new Date(a)];
        expect(outcome(() => c.addBusinessMinutes(from, m).getTime())).toEqual(
          outcome(() => referenceAddBusinessMinutes(s, from, m).getTime()),
        );
        expect(c.businessMinutesBetween(from, to)).toBe(referenceBusinessMinutesBetween(s, from, to));
        expect(c.isBusinessTime(from)).toBe(isBusinessTime(s, from));
        expect(c.nextOpening(from)?.getTime()).toBe(nextOpening(s, from)?.getTime());
      }),
      { numRuns: 400 },
    );
  });

  it('the same compiled schedule answers many calls in any order as fresh ones do (property)', () => {
    fc.assert(
      fc.property(
        randomSchedule,
        fc.array(fc.tuple(instant, minutes), { minLength: 2, maxLength: 12 }),
        (s, calls) => {
          const shared = compileSchedule(s);
          for (const [t, m] of calls) {
            const start = new Date(t);
            expect(outcome(() => shared.addBusinessMinutes(start, m).getTime())).toEqual(
              outcome(() => compileSchedule(s).addBusinessMinutes(start, m).getTime()),
            );
          }
        },
      ),
      { numRuns: 150 },
    );
  });
});
