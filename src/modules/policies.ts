/** Every module's policy, for the console's menus and the test matrix. */
import type { Policy } from '../platform/auth/policy.ts';
import { auditPolicy } from './audit/policy.ts';
import { authPolicy } from './auth/policy.ts';
import { calendarPolicy } from './calendar/policy.ts';
import { cataloguePolicy } from './catalogue/policy.ts';
import { customersPolicy } from './customers/policy.ts';
import { dataQualityPolicy } from './data-quality/policy.ts';
import { notifyPolicy } from './notify/policy.ts';
import { orgPolicy } from './org/policy.ts';
import { queuePolicy } from './queue/policy.ts';
import { repairsPolicy } from './repairs/policy.ts';
import { settingsPolicy } from './settings/policy.ts';
import { staffPolicy } from './staff/policy.ts';
import { visitsPolicy } from './visits/policy.ts';
import { workOrdersPolicy } from './workorders/policy.ts';

export const ALL_POLICIES: readonly Policy<string>[] = [
  orgPolicy,
  staffPolicy,
  authPolicy,
  calendarPolicy,
  settingsPolicy,
  customersPolicy,
  cataloguePolicy,
  auditPolicy,
  queuePolicy,
  notifyPolicy,
  visitsPolicy,
  repairsPolicy,
  dataQualityPolicy,
  workOrdersPolicy,
];
