import { z } from 'zod';
import { Id } from '../../platform/contract.ts';

export const SettingValue = z.union([z.number(), z.boolean()]);

export const SettingInForce = z.object({
  key: z.string(),
  value: SettingValue,
  default: SettingValue,
  unit: z.string(),
  zh: z.string(),
  en: z.string(),
  clause: z.string(),
  min: z.number().optional(),
  max: z.number().optional(),
  /** The unit whose value is in force; null = the default. */
  sourceUnitId: Id.nullable(),
  since: z.string().nullable(),
});
export type SettingInForce = z.infer<typeof SettingInForce>;

export const UnitQuery = z.object({ unitId: Id.optional(), at: z.iso.datetime({ offset: true }).optional() });
export const KeyParams = z.object({ key: z.string().min(3).max(80) });
export const SetSettingBody = z.object({
  unitId: Id,
  value: SettingValue.nullable().describe('null clears the override at this scope'),
  reason: z.string().trim().max(200).default(''),
});
export const SettingHistoryEntry = z.object({
  unitId: Id,
  value: SettingValue.nullable(),
  validFrom: z.string(),
  setBy: z.string().nullable(),
  setByName: z.string(),
  reason: z.string(),
});
