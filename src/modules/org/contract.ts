import { z } from 'zod';
import { intervalsProblems, openingHoursProblems } from '../../core/calendar.ts';
import { UNIT_KIND_CODES } from '../../core/org.ts';
import { Id, Interval, LocalDate, OpeningHours, bi } from '../../platform/contract.ts';

const CheckedHours = OpeningHours.superRefine((h, ctx) => {
  for (const problem of openingHoursProblems(h)) {
    ctx.addIssue({
      code: 'custom',
      message: bi(`营业时间有误：${problem.zh}`, `Opening hours: ${problem.en}`),
    });
  }
});

export const UnitKind = z.enum(UNIT_KIND_CODES);

export const Unit = z.object({
  id: Id,
  parentId: Id.nullable(),
  provinceId: Id,
  path: z.string(),
  kind: UnitKind,
  code: z.string(),
  name: z.string(),
  nameEn: z.string(),
  address: z.string(),
  timeZone: z.string(),
  openingHours: OpeningHours,
  attributes: z.record(z.string(), z.unknown()),
  active: z.boolean(),
});
export type Unit = z.infer<typeof Unit>;

const TimeZone = z.string().refine(
  (tz) => {
    try {
      new Intl.DateTimeFormat('en', { timeZone: tz });
      return true;
    } catch {
      return false;
    }
  },
  { message: '不是有效的时区 ¦ Not a known time zone' },
);

export const CreateUnit = z.object({
  parentId: Id,
  kind: UnitKind,
  code: z
    .string()
    .trim()
    .min(2)
    .max(32)
    .regex(/^[A-Za-z0-9_-]+$/),
  name: z.string().trim().min(2).max(80).describe('单位名称'),
  nameEn: z.string().trim().max(120).default(''),
  address: z.string().trim().max(200).default(''),
  timeZone: TimeZone.default('Asia/Shanghai'),
  openingHours: CheckedHours.optional(),
  attributes: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).default({}),
});
export type CreateUnit = z.infer<typeof CreateUnit>;

export const UpdateUnit = z
  .object({
    name: z.string().trim().min(2).max(80),
    nameEn: z.string().trim().max(120),
    address: z.string().trim().max(200),
    timeZone: TimeZone,
    openingHours: CheckedHours,
    attributes: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])),
    active: z.boolean(),
  })
  .partial()
  .refine((v) => Object.keys(v).length > 0, { message: '没有要修改的内容 ¦ Nothing to change' });
export type UpdateUnit = z.infer<typeof UpdateUnit>;

const CheckedIntervals = z.array(Interval).superRefine((hours, ctx) => {
  for (const problem of intervalsProblems(hours, { zh: '特殊日期', en: 'exception' })) {
    ctx.addIssue({
      code: 'custom',
      message: bi(`营业时间有误：${problem.zh}`, `Opening hours: ${problem.en}`),
    });
  }
});

export const DayException = z.object({
  date: LocalDate,
  hours: CheckedIntervals.describe('[] = closed all day'),
  note: z.string().max(200).default(''),
});
export type DayException = z.infer<typeof DayException>;

export const UnitDetail = Unit.extend({
  exceptions: z.array(DayException),
  /** Days of the coming two weeks whose opening time is below the norm's minimum (2§3.2.1). */
  shortDays: z.array(z.object({ date: LocalDate, minutes: z.number() })),
});
export type UnitDetail = z.infer<typeof UnitDetail>;
