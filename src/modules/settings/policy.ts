import { OFFICE } from '../../core/positions.ts';
import { definePolicy } from '../../platform/auth/policy.ts';

export const settingsPolicy = definePolicy({
  /**
   * The settings page (参数设置): administration, management and the back office. The front desk (clerks,
   * floor guides, agents) works with the values in force through its own pages and has no settings page.
   */
  'settings.read': OFFICE,
  'settings.write': ['system_admin'],
});
