import { EVERY_POSITION } from '../../core/positions.ts';
import { definePolicy } from '../../platform/auth/policy.ts';

/**
 * The catalogue is read by every member of staff for the units they reach (a clerk sees the catalogue in force
 * at their hall); a province's versions are stored and retired by an administrator of that province (or of
 * headquarters, for headquarters' own versions and any province's).
 */
export const cataloguePolicy = definePolicy({
  'catalogue.read': EVERY_POSITION,
  'catalogue.write': ['system_admin'],
});
