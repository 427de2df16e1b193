/**
 * zod schemas of the clerk's routes (issue #12): calling a specific ticket number with a reason, the
 * clerk's own figures of the day, and the counter's rating pad (服务评价器). Imported by the web console too.
 */
import { z } from 'zod';
import { Id } from '../../platform/contract.ts';

/** Why a clerk calls a specific number instead of the next (the short list; `other` needs a note). */
export const CALL_REASONS = {
  customer_returned: { zh: '过号客户返回', en: 'A customer who missed the call came back' },
  appointment: { zh: '预约客户到达', en: 'An appointment customer arrived' },
  priority_care: { zh: '老弱病残孕优先', en: 'Priority care (elderly, disabled, pregnant)' },
  manager: { zh: '值班经理安排', en: 'Arranged by the duty manager' },
  fault: { zh: '设备故障补叫', en: 'Called after an equipment fault' },
  other: { zh: '其他原因', en: 'Other' },
} as const;
export type CallReason = keyof typeof CALL_REASONS;
export const CALL_REASON_CODES = Object.keys(CALL_REASONS) as [CallReason, ...CallReason[]];

export const CallTicket = z
  .object({
    number: z
      .string()
      .trim()
      .toUpperCase()
      .max(8)
      .regex(/^[A-Z]{1,2}\d{1,5}$/, '请输入号码，如 A012 ¦ Enter a ticket number such as A012')
      .describe('the ticket number to call, e.g. A012'),
    reason: z.enum(CALL_REASON_CODES).describe('why this number and not the next'),
    note: z.string().trim().max(100).default('').describe('free text; required for `other`'),
  })
  .superRefine((v, ctx) => {
    if (v.reason === 'other' && v.note.length < 2) {
      ctx.addIssue({
        code: 'custom',
        path: ['note'],
        message: '选择“其他原因”时请写明原因（2–100 字） ¦ Say why in 2 to 100 characters',
      });
    }
  });
export type CallTicket = z.infer<typeof CallTicket>;

export const ClerkDayQuery = z.object({
  hallId: Id.optional().describe('the hall; by default the hall of the counter the clerk has open'),
});

const Handling = z.object({
  count: z.number().int(),
  averageMinutes: z.number().nullable(),
  p90Minutes: z.number().nullable(),
  withinLimitShare: z.number().nullable(),
  limitsMinutes: z.array(z.number()),
});

export const RatingSummary = z.object({
  count: z.number().int(),
  average: z.number().nullable(),
  byScore: z.array(z.number().int()).length(5).describe('ratings of 1, 2, 3, 4 and 5'),
  satisfiedShare: z.number().nullable().describe('share of 4 and 5'),
  unsatisfiedShare: z.number().nullable().describe('share of 1 and 2'),
});

/** The clerk's own figures of the day at a hall (the counter page's 今日业绩). */
export const ClerkDay = z.object({
  hallId: Id,
  date: z.string(),
  served: z.number().int(),
  calls: z.number().int(),
  noShows: z.number().int(),
  handling: Handling.describe('start → business done of the customers served'),
  /** The transaction limit in force now (queue.transactionMinutes), which the share is judged against. */
  transactionMinutes: z.number().int(),
  ratings: RatingSummary,
});
export type ClerkDay = z.infer<typeof ClerkDay>;

/* ----------------------------------------------------------------------------------------------- */
/* The rating pad.                                                                                  */

/** Quick reasons on the pad (the customer may also write a few words). */
export const RATING_REASONS = {
  fast: { zh: '办理快捷', en: 'Quick service' },
  friendly: { zh: '态度热情', en: 'Friendly' },
  expert: { zh: '业务熟练', en: 'Knows the business' },
  long_wait: { zh: '等候太久', en: 'Waited too long' },
  slow: { zh: '办理太慢', en: 'Service too slow' },
  unfriendly: { zh: '态度不好', en: 'Unfriendly' },
  unclear: { zh: '解释不清', en: 'Explained unclearly' },
} as const;
export type RatingReason = keyof typeof RATING_REASONS;
export const RATING_REASON_CODES = Object.keys(RATING_REASONS) as [RatingReason, ...RatingReason[]];

export const RatePadTicket = z.object({
  ticketId: Id.describe('the ticket the pad shows: its counter’s last finished one'),
  score: z.number().int().min(1).max(5),
  reasons: z.array(z.enum(RATING_REASON_CODES)).max(7).default([]),
  comment: z.string().trim().max(100).default(''),
});
export type RatePadTicket = z.infer<typeof RatePadTicket>;

/** What the pad shows: its counter, and the ticket to rate (its counter's last finished, not rated yet). */
export const PadState = z.object({
  hallId: Id,
  hallName: z.string(),
  hallNameEn: z.string(),
  counter: z.object({ id: Id, number: z.number().int(), name: z.string() }),
  clerkName: z.string(),
  ticket: z
    .object({
      id: Id,
      number: z.string(),
      finishedAt: z.string(),
      /** Until when it may still be rated (queue.ratingWindowMinutes after finishing). */
      rateUntil: z.string(),
      clerkName: z.string(),
    })
    .nullable(),
  at: z.string(),
});
export type PadState = z.infer<typeof PadState>;

export const Rating = z.object({
  id: Id,
  ticketId: Id,
  ticketNumber: z.string(),
  counterNumber: z.number().int(),
  score: z.number().int(),
  reasons: z.array(z.string()),
  comment: z.string(),
  ratedAt: z.string(),
});
export type Rating = z.infer<typeof Rating>;
