/** zod pieces shared by the contracts of every module (imported by the web console too). */
import { z } from 'zod';
import { PHONE_PATTERN } from '../core/phone.ts';

/** Separator of a bilingual custom message in a zod schema (see `bi`). */
export const BI_SEP = ' ¦ ';

/** A custom zod message in both languages; the problem writer splits it again. */
export function bi(zh: string, en: string): string {
  return `${zh}${BI_SEP}${en}`;
}

export const Id = z.uuid().describe('UUID');
export const IdParams = z.object({ id: Id });
export const LocalDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'YYYY-MM-DD')
  .refine(
    (s) =>
      !Number.isNaN(Date.parse(`${s}T00:00:00Z`)) && new Date(`${s}T00:00:00Z`).toISOString().startsWith(s),
    {
      message: '不是有效日期 ¦ Not a valid date',
    },
  );
/** A mobile or fixed-line number (see `PHONE_PATTERN`). */
export const Phone = z.string().trim().regex(PHONE_PATTERN, '不是有效的电话号码 ¦ Not a valid phone number');
export const LocalTime = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$|^24:00$/, 'HH:mm');
export const Interval = z.object({ open: LocalTime, close: LocalTime });
export const OpeningHours = z.object({
  weekly: z.array(z.array(Interval)).length(7).describe('Monday … Sunday'),
  holiday: z.array(Interval),
  makeupWorkday: z.array(Interval).optional(),
});
export const Page = z.object({
  limit: z.coerce.number().int().min(1).max(500).default(50),
  offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
});
export const Ok = z.object({ ok: z.literal(true) });
/** The answer of a command that returns nothing (204). */
export const NoContent = z.null().describe('无内容 · No content');

/** The body of every error answer (RFC 9457 problem details), as `problemBody` writes it. */
export const problemSchema = z.object({
  type: z.string().describe('https://fuwu.invalid/problems/<code>'),
  title: z.string().describe('the status in the caller’s language'),
  status: z.number().int().describe('the HTTP status'),
  detail: z.string().describe('what went wrong, in the caller’s language (zh-CN unless Accept-Language: en)'),
  code: z.string().describe('stable code of the problem, e.g. validation, not_found, ticket_state'),
  messages: z.object({ 'zh-CN': z.string(), 'en-US': z.string() }).describe('the detail in both languages'),
  errors: z
    .array(z.object({ path: z.string(), messages: z.object({ 'zh-CN': z.string(), 'en-US': z.string() }) }))
    .optional()
    .describe('one entry per field of a refused input (body.phone, querystring.from …)'),
  instance: z.string().describe('the path asked for, without its query'),
  requestId: z.string().describe('the request’s id in the server log'),
});

/** A paged list. */
export function paged<T extends z.ZodType>(item: T) {
  return z.object({ items: z.array(item), total: z.number().int() });
}
