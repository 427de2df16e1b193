import { definePolicy } from '../../platform/auth/policy.ts';

export const auditPolicy = definePolicy({
  'audit.read': ['system_admin', 'hall_manager', 'auditor', 'quality_monitor'],
});
