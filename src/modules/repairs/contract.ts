/**
 * zod schemas of repair intake (2§2.1.7, checklist item 15): a customer's device taken in at a hall with its
 * check, a spare phone lent and returned, and the steps received → sent → returned → collected. Imported by
 * the visits module (a customer's open repairs) and the web console.
 */
import { z } from 'zod';
import { bi, Id } from '../../platform/contract.ts';

export const RepairStatus = z.enum(['received', 'sent', 'returned', 'collected']);

export const Repair = z.object({
  id: Id,
  hallId: Id,
  hallName: z.string(),
  customerId: Id,
  visitId: Id.nullable(),
  brand: z.string(),
  model: z.string(),
  imei: z.string(),
  fault: z.string(),
  intakeCheck: z.record(z.string(), z.union([z.string(), z.boolean()])),
  status: RepairStatus,
  spareImei: z.string().nullable(),
  spareLentAt: z.string().nullable(),
  spareReturnedAt: z.string().nullable(),
  receivedAt: z.string(),
  sentAt: z.string().nullable(),
  returnedAt: z.string().nullable(),
  collectedAt: z.string().nullable(),
});
export type Repair = z.infer<typeof Repair>;

const Imei = z
  .string()
  .trim()
  .transform((s) =>
    s.replace(/[\s-]/g, '').replace(/[０-９]/g, (d) => String.fromCharCode(d.charCodeAt(0) - 0xfee0)),
  )
  .pipe(z.string().regex(/^\d{15}$/, bi('IMEI应为15位数字', 'An IMEI is 15 digits')));

/** The intake check (验机): what the clerk looked at with the customer, each answered. */
export const IntakeCheck = z.object({
  appearance: z.string().trim().min(1).max(200).describe('scratches, cracks … as seen'),
  accessories: z.string().trim().max(200).describe('what was handed in with it (battery, charger …)'),
  powersOn: z.boolean(),
  dataBackedUp: z.boolean(),
  timelineTold: z
    .literal(true, { error: bi('须告知客户维修时限', 'The customer must be told the timeline') })
    .describe('the customer was told how long the repair takes'),
});

export const NewRepair = z.object({
  customerId: Id,
  visitId: Id.optional(),
  hallId: Id,
  brand: z.string().trim().min(1).max(40),
  model: z.string().trim().min(1).max(60),
  imei: Imei.describe('checked by its Luhn check digit'),
  fault: z.string().trim().min(2).max(500),
  intakeCheck: IntakeCheck,
  spareImei: Imei.optional().describe('a spare phone lent to the customer'),
});
export type NewRepair = z.infer<typeof NewRepair>;

export const RepairStep = z.object({
  to: z.enum(['sent', 'returned', 'collected']),
  note: z.string().trim().max(200).default(''),
});

export const RepairQuery = z.object({
  hallId: Id.optional(),
  customerId: Id.optional(),
  status: RepairStatus.optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
});
