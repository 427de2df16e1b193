import { OFFICE } from '../../core/positions.ts';
import { definePolicy } from '../../platform/auth/policy.ts';

export const authPolicy = definePolicy({
  /** Registering kiosks, calling displays, rating pads and API clients of a unit, and revoking them. */
  'token.manage': ['system_admin', 'hall_manager'],
  /**
   * A personal API token acting as oneself (reports, integrations): administration, management and the
   * back office. The front desk works in the console only (no 设备与令牌 page); a token made before keeps
   * working until it expires or is revoked.
   */
  'token.client': OFFICE,
});
