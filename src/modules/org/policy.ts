import { EVERY_POSITION } from '../../core/positions.ts';
import { definePolicy } from '../../platform/auth/policy.ts';

export const orgPolicy = definePolicy({
  'org.read': [...EVERY_POSITION, 'device_kiosk', 'device_display'],
  'org.write': ['system_admin'],
  /** Day exceptions to opening hours (a closed day, special hours): the administrator or the hall's manager. */
  'org.hours': ['system_admin', 'hall_manager'],
});
