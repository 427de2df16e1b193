import { EVERY_POSITION } from '../../core/positions.ts';
import { definePolicy } from '../../platform/auth/policy.ts';

/** The national calendar is one for the whole company: only an administrator at headquarters edits it. */
export const calendarPolicy = definePolicy({
  'calendar.read': [...EVERY_POSITION, 'device_kiosk', 'device_display'],
  'calendar.write': ['system_admin'],
});
