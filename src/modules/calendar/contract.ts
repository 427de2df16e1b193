import { z } from 'zod';
import { LocalDate } from '../../platform/contract.ts';

export const CalendarDay = z.object({
  date: LocalDate,
  kind: z.enum(['holiday', 'makeup_workday']).describe('holiday 法定节假日 / makeup_workday 调休上班'),
  name: z.string().trim().min(1).max(40),
});
export type CalendarDay = z.infer<typeof CalendarDay>;

export const YearParams = z.object({ year: z.coerce.number().int().min(2000).max(2100) });
export const DateParams = z.object({ date: LocalDate });

export const CalendarYear = z.object({
  year: z.number().int(),
  days: z.array(CalendarDay),
  /** Years that have holiday data at all. */
  yearsWithData: z.array(z.number().int()),
  /** The year has no published data: plain weekdays and weekends apply (the console shows a warning). */
  missing: z.boolean(),
});
export type CalendarYear = z.infer<typeof CalendarYear>;
