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

export const queuePolicy = definePolicy({
  /** The live queue, counters and alerts of a hall (the duty manager's floor view). */
  'queue.view': ['system_admin', ...MANAGEMENT, ...COUNTER_POSITIONS, 'floor_guide', 'quality_monitor'],
  /** What a calling display and a kiosk show; the per-hall event stream. */
  'queue.display': [
    'device_display',
    'device_kiosk',
    'system_admin',
    ...MANAGEMENT,
    ...COUNTER_POSITIONS,
    'floor_guide',
  ],
  /**
   * Taking a ticket: the kiosk (at its own hall only), the floor guide and reception. Remote tickets are
   * taken by a phone proven by a one-time code (`modules/echannel`), never by a device above the hall.
   */
  'queue.take': ['device_kiosk', ...RECEPTION],
  /** Pre-registration (预登记/预受理) of business and ID details at peak times. */
  'queue.preregister': [...RECEPTION, ...COUNTER_POSITIONS],
  /** Cancelling a waiting ticket; a device only cancels tickets it took. */
  'queue.cancel': ['device_kiosk', ...RECEPTION],
  /** Opening a counter and serving at it: call, recall, start, transfer, park, finish, no-show. */
  'queue.serve': [...COUNTER_POSITIONS, ...MANAGEMENT],
  /** Seeing the full pre-registered ID number of the customer at one's counter (an event). */
  'queue.reveal': COUNTER_POSITIONS,
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
  /** Checking in for an appointment by phone number at the kiosk or with the floor guide. */
  'queue.checkin': ['device_kiosk', ...RECEPTION],
});

export type QueueAction = keyof typeof queuePolicy;
