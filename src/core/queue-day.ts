/**
 * Day rules of the business-hall queue and its appointments (2§3.6.6): tickets are taken only inside the
 * hall's opening hours, the day ends at the hall's last closing time, appointment slots lie inside the
 * opening hours, and who may book, when one may check in, and when one is late.
 *
 * Pure: no I/O, no clock of its own (`now` is always a parameter). Local dates are in the hall's time zone.
 */
import type { LocalDate, UnitSchedule } from './calendar.ts';
import { atLocal, isBusinessTime, localDateOf, openingIntervalsOn } from './calendar.ts';
import type { Tier } from './queue-order.ts';

const MS_PER_MINUTE = 60_000;

/** The instant the hall closes on a local date (the end of its last opening interval); null when closed. */
export function closingTimeOn(s: UnitSchedule, date: LocalDate): Date | null {
  const intervals = openingIntervalsOn(s, date);
  const last = intervals[intervals.length - 1];
  return last ? atLocal(date, last.close, s.timeZone) : null;
}

/** The instant the hall first opens on a local date; null when closed all day. */
export function openingTimeOn(s: UnitSchedule, date: LocalDate): Date | null {
  const first = openingIntervalsOn(s, date)[0];
  return first ? atLocal(date, first.open, s.timeZone) : null;
}

/** The queue day at `now`: its local date, whether tickets may be taken now, and when the day closes. */
export function queueDay(
  s: UnitSchedule,
  now: Date,
): { date: LocalDate; open: boolean; closesAt: Date | null } {
  const date = localDateOf(now, s.timeZone);
  return { date, open: isBusinessTime(s, now), closesAt: closingTimeOn(s, date) };
}

/**
 * Whether a queue day of the hall is over at `now`: its local date is in the past, or its last opening
 * interval has closed. Tickets of a day that is over and still open are closed as "not served".
 */
export function dayIsOver(s: UnitSchedule, date: LocalDate, now: Date): boolean {
  const today = localDateOf(now, s.timeZone);
  if (date < today) return true;
  if (date > today) return false;
  const closes = closingTimeOn(s, date);
  return closes === null || now.getTime() >= closes.getTime();
}

export interface Slot {
  start: Date;
  end: Date;
}

function hhmm(minutes: number): string {
  return `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
}

/**
 * Appointment slots of a local date: back-to-back slots of `slotMinutes` from the start of each opening
 * interval, each lying wholly inside it (a shorter remainder at the end is no slot).
 */
export function appointmentSlots(s: UnitSchedule, date: LocalDate, slotMinutes: number): Slot[] {
  if (!Number.isInteger(slotMinutes) || slotMinutes < 5) {
    throw new RangeError(`slotMinutes must be an integer >= 5, got ${slotMinutes}`);
  }
  const slots: Slot[] = [];
  for (const iv of openingIntervalsOn(s, date)) {
    const [oh, om] = iv.open.split(':').map(Number) as [number, number];
    const [ch, cm] = iv.close.split(':').map(Number) as [number, number];
    const open = oh * 60 + om;
    const close = ch * 60 + cm;
    for (let m = open; m + slotMinutes <= close; m += slotMinutes) {
      slots.push({
        start: atLocal(date, hhmm(m), s.timeZone),
        end: atLocal(date, hhmm(m + slotMinutes), s.timeZone),
      });
    }
  }
  return slots;
}

/** What decides appointment rights (2§3.6.6). */
export interface AppointmentFacts {
  tier: Tier | null;
  is3g: boolean;
}

/**
 * Appointments are for club diamond and gold members and for 3G VIP customers (a 3G customer with any
 * club tier above ordinary).
 */
export function appointmentEligible(f: AppointmentFacts): boolean {
  if (f.tier === 'diamond' || f.tier === 'gold') return true;
  return f.is3g && f.tier === 'silver';
}

export type BookingRefusal = 'not_eligible' | 'not_a_slot' | 'past' | 'too_far' | 'full' | 'blocked';

/**
 * Why a booking is refused, or null when it may be made: the customer must be eligible, the slot one of the
 * day's slots, not started yet, at most `bookAheadDays` local days ahead, not full, and the customer must
 * have had fewer than `noShowLimit` no-shows in the counting window.
 */
export function bookingRefusal(input: {
  facts: AppointmentFacts;
  isSlot: boolean;
  slotStart: Date;
  now: Date;
  daysAhead: number;
  bookAheadDays: number;
  booked: number;
  capacity: number;
  recentNoShows: number;
  noShowLimit: number;
}): BookingRefusal | null {
  if (!appointmentEligible(input.facts)) return 'not_eligible';
  if (!input.isSlot) return 'not_a_slot';
  if (input.slotStart.getTime() <= input.now.getTime()) return 'past';
  if (input.daysAhead > input.bookAheadDays) return 'too_far';
  if (input.recentNoShows >= input.noShowLimit) return 'blocked';
  if (input.booked >= input.capacity) return 'full';
  return null;
}

export type CheckInVerdict = 'too_early' | 'on_time' | 'late';

/**
 * Checking in for an appointment at `now`: earlier than `earlyMinutes` before the slot is too early; up to
 * `lateMinutes` after the slot starts is on time (the ticket has appointment priority); later is late (the
 * appointment lapses and the customer queues like a walk-in of their tier).
 */
export function checkInVerdict(
  slotStart: Date,
  now: Date,
  earlyMinutes: number,
  lateMinutes: number,
): CheckInVerdict {
  const t = now.getTime();
  const start = slotStart.getTime();
  if (t < start - earlyMinutes * MS_PER_MINUTE) return 'too_early';
  if (t > start + lateMinutes * MS_PER_MINUTE) return 'late';
  return 'on_time';
}

/** Whole local days from the date of `now` to `date` (negative for the past). */
export function daysBetween(from: LocalDate, to: LocalDate): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}
