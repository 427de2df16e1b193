import { definePolicy } from '../../platform/auth/policy.ts';

export const authPolicy = definePolicy({
  /** Registering kiosks, calling displays and API clients of a unit, and revoking them. */
  'token.manage': ['system_admin', 'hall_manager'],
});
