import { definePolicy } from '../../platform/auth/policy.ts';

export const notifyPolicy = definePolicy({
  /** The outbox of one's subtree: recipients masked, statuses and attempts (no text). */
  'notify.view': ['system_admin', 'hall_manager', 'auditor'],
  /**
   * The text of messages (it may hold a one-time code): system administrators only, who run the demo's
   * outbox driver and look into a gateway's failures.
   */
  'notify.text': ['system_admin'],
});
