import type { Position } from '../../core/positions.ts';
import { EVERY_POSITION, FRONT_DESK, MANAGEMENT } from '../../core/positions.ts';
import { definePolicy } from '../../platform/auth/policy.ts';

/** The back-office people who supervise orders: complaint handling, the centre's traffic and quality. */
const SUPERVISORS: readonly Position[] = [
  ...MANAGEMENT,
  'complaint_handler',
  'traffic_manager',
  'quality_monitor',
];

/**
 * Work orders (issue #14). Everyone on the staff reads the orders of their part of the organisation and
 * takes one in (首问负责: whoever receives it first owns it); the front desk, the complaint handlers and the
 * managers work on them; supervisors transfer ownership, assign others and merge; the complaint handlers
 * and administrators keep the category tree; the back office reads the reports. A centre serves its
 * parent's subtree (the province centre dispatches to the cities).
 */
export const workOrdersPolicy = definePolicy(
  {
    'workorder.read': EVERY_POSITION,
    'workorder.create': EVERY_POSITION,
    'workorder.handle': [...FRONT_DESK, ...SUPERVISORS],
    'workorder.supervise': SUPERVISORS,
    'workorder.configure': ['system_admin', 'complaint_handler'],
    'workorder.report': [...SUPERVISORS, 'system_admin', 'statistician'],
  },
  {
    centreServed: [
      'workorder.read',
      'workorder.create',
      'workorder.handle',
      'workorder.supervise',
      'workorder.report',
    ],
  },
);
