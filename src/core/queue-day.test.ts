import { describe, expect, it } from 'vitest';
import type { UnitSchedule } from './calendar.ts';
import {
  appointmentEligible,
  appointmentSlots,
  bookingRefusal,
  checkInVerdict,
  closingTimeOn,
  dayIsOver,
  daysBetween,
  openingTimeOn,
  queueDay,
} from './queue-day.ts';

const day = [{ open: '08:30', close: '18:30' }];
const split = [
  { open: '09:00', close: '12:00' },
  { open: '13:30', close: '17:45' },
];
const hall: UnitSchedule = {
  timeZone: 'Asia/Shanghai',
  hours: { weekly: [day, day, day, day, day, split, []], holiday: day },
  calendar: [{ date: '2026-04-05', kind: 'holiday', name: '清明节' }],
  exceptions: [{ date: '2026-03-04', hours: [] }],
};
const at = (iso: string) => new Date(iso);

describe('queue day', () => {
  it('knows when the hall opens and closes on a date, in its own time zone', () => {
    expect(openingTimeOn(hall, '2026-03-02')?.toISOString()).toBe('2026-03-02T00:30:00.000Z');
    expect(closingTimeOn(hall, '2026-03-02')?.toISOString()).toBe('2026-03-02T10:30:00.000Z');
    expect(closingTimeOn(hall, '2026-03-07')?.toISOString()).toBe('2026-03-07T09:45:00.000Z');
    expect(closingTimeOn(hall, '2026-03-08')).toBeNull();
    expect(closingTimeOn(hall, '2026-03-04')).toBeNull();
    // A Sunday that is a public holiday has the holiday hours.
    expect(closingTimeOn(hall, '2026-04-05')?.toISOString()).toBe('2026-04-05T10:30:00.000Z');
  });

  it('opens the queue only inside opening hours, dated in the hall time zone', () => {
    expect(queueDay(hall, at('2026-03-02T02:00:00Z'))).toMatchObject({ date: '2026-03-02', open: true });
    expect(queueDay(hall, at('2026-03-02T00:29:00Z')).open).toBe(false);
    expect(queueDay(hall, at('2026-03-02T10:30:00Z')).open).toBe(false);
    // 01:00 on 3 March in Shanghai is still 2 March in UTC.
    expect(queueDay(hall, at('2026-03-02T17:00:00Z')).date).toBe('2026-03-03');
    // Lunch break of the split Saturday.
    expect(queueDay(hall, at('2026-03-07T04:30:00Z')).open).toBe(false);
  });

  it('ends a day at its last closing time, and every earlier day', () => {
    expect(dayIsOver(hall, '2026-03-02', at('2026-03-02T10:29:59Z'))).toBe(false);
    expect(dayIsOver(hall, '2026-03-02', at('2026-03-02T10:30:00Z'))).toBe(true);
    expect(dayIsOver(hall, '2026-03-01', at('2026-03-02T01:00:00Z'))).toBe(true);
    expect(dayIsOver(hall, '2026-03-03', at('2026-03-02T11:00:00Z'))).toBe(false);
    expect(dayIsOver(hall, '2026-03-04', at('2026-03-04T02:00:00Z'))).toBe(true);
  });
});

describe('appointment slots', () => {
  it('lie back to back inside each opening interval', () => {
    const slots = appointmentSlots(hall, '2026-03-07', 60);
    expect(slots.map((s) => s.start.toISOString().slice(11, 16))).toEqual([
      '01:00',
      '02:00',
      '03:00',
      '05:30',
      '06:30',
      '07:30',
      '08:30',
    ]);
    expect(slots.at(-1)!.end.toISOString()).toBe('2026-03-07T09:30:00.000Z');
    expect(appointmentSlots(hall, '2026-03-02', 30)).toHaveLength(20);
    expect(appointmentSlots(hall, '2026-03-08', 30)).toEqual([]);
  });

  it('refuses silly slot lengths', () => {
    expect(() => appointmentSlots(hall, '2026-03-02', 0)).toThrow(RangeError);
    expect(() => appointmentSlots(hall, '2026-03-02', 7.5)).toThrow(RangeError);
  });
});

describe('appointment rights and bookings', () => {
  it.each([
    { tier: 'diamond', is3g: false, ok: true },
    { tier: 'gold', is3g: false, ok: true },
    { tier: 'silver', is3g: false, ok: false },
    { tier: 'silver', is3g: true, ok: true },
    { tier: 'ordinary', is3g: true, ok: false },
    { tier: null, is3g: true, ok: false },
  ] as const)('$tier, 3G $is3g → $ok', ({ tier, is3g, ok }) => {
    expect(appointmentEligible({ tier, is3g })).toBe(ok);
  });

  const base = {
    facts: { tier: 'gold' as const, is3g: false },
    isSlot: true,
    slotStart: at('2026-03-03T02:00:00Z'),
    now: at('2026-03-02T02:00:00Z'),
    daysAhead: 1,
    bookAheadDays: 14,
    booked: 1,
    capacity: 2,
    recentNoShows: 0,
    noShowLimit: 3,
  };

  it('accepts a good booking and names the first reason to refuse one', () => {
    expect(bookingRefusal(base)).toBeNull();
    expect(bookingRefusal({ ...base, facts: { tier: 'silver', is3g: false } })).toBe('not_eligible');
    expect(bookingRefusal({ ...base, isSlot: false })).toBe('not_a_slot');
    expect(bookingRefusal({ ...base, slotStart: base.now })).toBe('past');
    expect(bookingRefusal({ ...base, daysAhead: 15 })).toBe('too_far');
    expect(bookingRefusal({ ...base, booked: 2 })).toBe('full');
    expect(bookingRefusal({ ...base, recentNoShows: 3 })).toBe('blocked');
  });

  it('judges a check-in against the slot, the early and the late allowance', () => {
    const slot = at('2026-03-02T06:00:00Z');
    const m = (min: number) => new Date(slot.getTime() + min * 60_000);
    expect(checkInVerdict(slot, m(-31), 30, 10)).toBe('too_early');
    expect(checkInVerdict(slot, m(-30), 30, 10)).toBe('on_time');
    expect(checkInVerdict(slot, m(10), 30, 10)).toBe('on_time');
    expect(checkInVerdict(slot, m(10.01), 30, 10)).toBe('late');
  });

  it('counts days between local dates', () => {
    expect(daysBetween('2026-03-02', '2026-03-16')).toBe(14);
    expect(daysBetween('2026-03-02', '2026-03-01')).toBe(-1);
    expect(daysBetween('2026-02-28', '2026-03-01')).toBe(1);
  });
});
