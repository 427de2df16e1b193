import type { AnyPosition, Position } from '../../core/positions.ts';
import { MANAGEMENT } from '../../core/positions.ts';
import { definePolicy } from '../../platform/auth/policy.ts';

/** Front-desk positions that serve customers at a counter. */
export const COUNTER_POSITIONS: readonly Position[] = [
  'acceptance',
  'sales',
  'consultation',
  'complaint_reception',
  'repair',
  'reception_3g',
  'vip_reception',
  'group_reception',
  'retention',
];

/** Positions that receive customers on the floor and hand out tickets. */
const RECEPTION: readonly AnyPosition[] = [
  'floor_guide',
  'vip_reception',
  'reception_3g',
  'group_reception',
  ...MANAGEMENT,
];

/** Staff who see what a hall's calling display and kiosk show, and follow the hall's queue feed. */
const HALL_WATCHERS: readonly AnyPosition[] = [
  'system_admin',
  ...MANAGEMENT,
  ...COUNTER_POSITIONS,
  'floor_guide',
];

/**
 * Devices do only their page's job, at the unit they are registered at (platform/auth/policy.ts): a calling
 * display reads its hall's display and feed; a hall's kiosk reads its kiosk view and feed, takes tickets and
 * checks appointments in. Everything else a device may not (not the floor view, a hall's tickets or
 * appointments, cancelling, booking, the general event stream). Remote tickets and bookings are a phone's,
 * proven by a one-time code (`modules/echannel`).
 */
export const queuePolicy = definePolicy(
  {
    /** The live queue, counters and alerts of a hall (the duty manager's floor view). */
    'queue.view': ['system_admin', ...MANAGEMENT, ...COUNTER_POSITIONS, 'floor_guide', 'quality_monitor'],
    /** What a calling display shows. */
    'queue.display': ['device_display', ...HALL_WATCHERS],
    /** What a kiosk shows (also the e-channel's remote-ticket page: the hall's categories and waits). */
    'queue.kiosk': ['device_kiosk', ...HALL_WATCHERS],
    /** The hall's queue feed (server-sent events); a device gets only what its page refetches on. */
    'queue.feed': ['device_display', 'device_kiosk', 'device_rating_pad', ...HALL_WATCHERS],
    /**
     * Taking a ticket: the kiosk (at its own hall only), the floor guide and reception. Remote tickets are
     * taken by a phone proven by a one-time code (`modules/echannel`), never by a device above the hall.
     */
    'queue.take': ['device_kiosk', ...RECEPTION],
    /** Pre-registration (预登记/预受理) of business and ID details at peak times. */
    'queue.preregister': [...RECEPTION, ...COUNTER_POSITIONS],
    /** Cancelling a waiting ticket (staff; a phone cancels its own remote tickets through the e-channel). */
    'queue.cancel': RECEPTION,
    /** Opening a counter and serving at it: call, recall, start, transfer, park, finish, no-show. */
    'queue.serve': [...COUNTER_POSITIONS, ...MANAGEMENT],
    /**
     * Seeing the full pre-registered ID number of the customer at one's counter (an event); a hall manager
     * serving at a counter too (it may reveal a customer's data anyway, and hands out the counter positions).
     */
    'queue.reveal': [...COUNTER_POSITIONS, 'hall_manager'],
    /** Overriding a refused pause, closing another clerk's counter, closing the day, checking alerts. */
    'queue.supervise': ['hall_manager', 'duty_manager'],
    /** Categories, queues, segmentation rules, work profiles, counters and display notices of a hall. */
    'queue.configure': ['system_admin', 'hall_manager'],
    /** Queue statistics of halls in one's subtree. */
    'queue.stats': ['system_admin', ...MANAGEMENT, 'statistician', 'quality_monitor', 'auditor'],
    /**
     * Booking and cancelling appointments for eligible customers (staff). Customers book for themselves
     * through the e-channel with a phone proven by a one-time code (`modules/echannel`), not with a device.
     */
    'queue.appointment': ['agent', ...RECEPTION],
    /** A hall's list of appointments of a day (who booked, masked phones): staff only. */
    'queue.appointments': ['agent', ...RECEPTION],
    /**
     * A counter's rating pad (服务评价器): what it shows (its counter's last finished ticket) and the
     * customer's rating of that ticket. Only the pad; it is bound to one counter (its token's `counterId`).
     */
    'queue.rate': ['device_rating_pad'],
    /** Checking in for an appointment by phone number at the kiosk or with the floor guide. */
    'queue.checkin': ['device_kiosk', ...RECEPTION],
  },
  {
    /** A province (city) call-centre agent books, cancels and lists appointments at its province's (city's) halls. */
    centreServed: ['queue.appointment', 'queue.appointments'],
  },
);

export type QueueAction = keyof typeof queuePolicy;
