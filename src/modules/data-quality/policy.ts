import { MANAGEMENT } from '../../core/positions.ts';
import { definePolicy } from '../../platform/auth/policy.ts';

/**
 * The customer-data indicators (2§3.7, 2–4) are read by a unit's managers, the auditor, the quality monitor,
 * statistics and the administrator, for their subtree. The return of an agent's customer documents (返档) is
 * recorded by a manager or the auditor, or at the cooperative hall itself by its counter staff (the service
 * refuses the front desk of any other kind of hall).
 */
export const dataQualityPolicy = definePolicy({
  'data_quality.read': ['system_admin', ...MANAGEMENT, 'auditor', 'quality_monitor', 'statistician'],
  'data_quality.return': [...MANAGEMENT, 'auditor', 'acceptance', 'sales'],
});
