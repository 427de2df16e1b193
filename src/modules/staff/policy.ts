import { definePolicy } from '../../platform/auth/policy.ts';

export const staffPolicy = definePolicy({
  'staff.read': ['system_admin', 'hall_manager', 'duty_manager', 'trainer', 'auditor'],
  'staff.write': ['system_admin', 'hall_manager'],
  /** Granting or taking away the administrator position. */
  'staff.grant_admin': ['system_admin'],
  'staff.reset_password': ['system_admin', 'hall_manager'],
});
