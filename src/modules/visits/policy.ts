import { MANAGEMENT } from '../../core/positions.ts';
import { definePolicy } from '../../platform/auth/policy.ts';
import { COUNTER_POSITIONS } from '../queue/policy.ts';

/**
 * Counter business acceptance (SPEC §2.2): who reads a visit, serves one at a counter, voids or corrects a
 * signed one, and the counter's customer-facing pad. Every check is against the visit's hall path (the
 * caller's subtree); serving is further limited to the clerk who has the visit's counter open (or a hall or
 * duty manager of the hall, as the queue's `assertAtCounter`).
 */
export const visitsPolicy = definePolicy({
  /** A visit, the list of visits left open, the document and its PDF. */
  'visit.read': ['system_admin', ...MANAGEMENT, ...COUNTER_POSITIONS, 'auditor'],
  /** Opening a visit, its customer, business, payments, the pad's steps, signing and closing; the cash day. */
  'visit.serve': [...COUNTER_POSITIONS, ...MANAGEMENT],
  /** Voiding a signed document (a manager's decision, recorded with its reason). */
  'visit.void': MANAGEMENT,
  /** Correcting a signed line's data: an error found (indicator 3), by the counter, an auditor or a manager. */
  'visit.correct': [...COUNTER_POSITIONS, 'auditor', ...MANAGEMENT],
  /** The counter's customer pad (`device_rating_pad`, bound to one counter): the lines, password, signature. */
  'visit.pad': ['device_rating_pad'],
});

export type VisitAction = keyof typeof visitsPolicy;
