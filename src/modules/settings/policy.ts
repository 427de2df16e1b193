import { EVERY_POSITION } from '../../core/positions.ts';
import { definePolicy } from '../../platform/auth/policy.ts';

export const settingsPolicy = definePolicy({
  'settings.read': EVERY_POSITION,
  'settings.write': ['system_admin'],
});
