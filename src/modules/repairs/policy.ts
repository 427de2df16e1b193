import { MANAGEMENT } from '../../core/positions.ts';
import { definePolicy } from '../../platform/auth/policy.ts';
import { COUNTER_POSITIONS } from '../queue/policy.ts';

/** Repairs are taken in and moved on by the counter positions (售后维修 among them) and the hall's managers. */
export const repairsPolicy = definePolicy({
  'repair.read': [...COUNTER_POSITIONS, ...MANAGEMENT],
  'repair.write': [...COUNTER_POSITIONS, ...MANAGEMENT],
});
