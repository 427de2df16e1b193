/**
 * zod schemas of the customer-data indicators 2–4 of 2§3.7 (complete and timely, error rate, agent-sold data
 * returned on time), their drill-down, the agent sales followed until 返档, and the retention counts of
 * 2§2.1.6 — all computed from the event log. Imported by the web console too.
 */
import { z } from 'zod';
import { Id, LocalDate } from '../../platform/contract.ts';

export const Indicator = z.enum(['complete_timely', 'error_rate', 'agent_return']);
export type Indicator = z.infer<typeof Indicator>;

export const DataQualityQuery = z
  .object({
    unitId: Id,
    from: LocalDate,
    to: LocalDate.describe('inclusive'),
  })
  .refine((q) => q.from <= q.to, { message: '开始日期不能晚于结束日期 ¦ The period ends before it starts' });
export type DataQualityQuery = z.infer<typeof DataQualityQuery>;

export const Rate = z.object({
  indicator: Indicator,
  numerator: z.number().int(),
  denominator: z.number().int(),
  /** 0–1, null when nothing was due. */
  rate: z.number().nullable(),
  target: z.number(),
  met: z.boolean().nullable(),
  pending: z.number().int(),
});
export type Rate = z.infer<typeof Rate>;

export const DataQuality = z.object({
  unitId: Id,
  from: LocalDate,
  to: LocalDate,
  rates: z.array(Rate),
  /** One row per hall under the unit. */
  halls: z.array(z.object({ unitId: Id, name: z.string(), rates: z.array(Rate) })),
  settings: z.array(z.object({ key: z.string(), value: z.union([z.number(), z.boolean()]) })),
});
export type DataQuality = z.infer<typeof DataQuality>;

export const DataQualityRecordsQuery = z
  .object({
    unitId: Id,
    from: LocalDate,
    to: LocalDate.describe('inclusive'),
    indicator: Indicator,
  })
  .refine((q) => q.from <= q.to, { message: '开始日期不能晚于结束日期 ¦ The period ends before it starts' });

/** The records behind a unit's figure (drill-down). */
export const DataQualityRecords = z.object({
  items: z.array(
    z.object({
      indicator: Indicator,
      recordId: Id,
      visitId: Id.nullable(),
      hallName: z.string(),
      businessZh: z.string(),
      businessEn: z.string(),
      at: z.string(),
      reason: z.enum(['ok', 'incomplete', 'late', 'overdue', 'returned_late', 'error', 'pending']),
      /** Why, in both languages (`zh ¦ en`). */
      detail: z.string(),
    }),
  ),
  total: z.number().int(),
});
export type DataQualityRecords = z.infer<typeof DataQualityRecords>;

export const AgentSaleQuery = z.object({
  unitId: Id,
  status: z.enum(['outstanding', 'returned']).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
  offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
});

export const AgentSale = z.object({
  lineId: Id,
  visitId: Id.nullable(),
  hallId: Id,
  hallName: z.string(),
  businessCode: z.string(),
  businessZh: z.string(),
  businessEn: z.string(),
  soldAt: z.string(),
  deadline: z.string(),
  returnedAt: z.string().nullable(),
  overdue: z.boolean(),
});
export type AgentSale = z.infer<typeof AgentSale>;

export const AgentSaleList = z.object({ items: z.array(AgentSale), total: z.number().int() });

export const AgentSaleReturned = z.object({ lineId: Id, returnedAt: z.string(), onTime: z.boolean() });

export const RetentionCounts = z.object({
  unitId: Id,
  from: LocalDate,
  to: LocalDate,
  /** Per hall: cancellations that went through the retention step, those retained, and the share. */
  halls: z.array(
    z.object({
      unitId: Id,
      name: z.string(),
      asked: z.number().int(),
      retained: z.number().int(),
      share: z.number().nullable(),
    }),
  ),
  total: z.object({ asked: z.number().int(), retained: z.number().int(), share: z.number().nullable() }),
});
export type RetentionCounts = z.infer<typeof RetentionCounts>;
