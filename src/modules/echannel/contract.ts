import { z } from 'zod';
import { MOBILE_PATTERN } from '../../core/phone.ts';
import { Id } from '../../platform/contract.ts';

export const Mobile = z
  .string()
  .trim()
  .regex(MOBILE_PATTERN, '不是有效的手机号码 ¦ Not a valid mobile number')
  .describe('an 11-digit mobile number');

export const CodePurpose = z.enum(['ticket', 'appointment', 'work_order']);

export const RequestCode = z.object({
  phone: Mobile,
  purpose: CodePurpose.default('ticket'),
  hallId: Id.optional().describe('the hall the page is for (whose administrators see the message)'),
});
export type RequestCode = z.infer<typeof RequestCode>;

export const CodeSent = z.object({
  sent: z.literal(true).describe('answered alike whether or not the number is a customer’s'),
  to: z.string().describe('masked'),
  expiresInSeconds: z.number().int(),
});

export const OpenSession = z.object({
  phone: Mobile,
  code: z
    .string()
    .trim()
    .regex(/^\d{6}$/, '验证码为6位数字 ¦ The code is 6 digits'),
});

export const PhoneSession = z.object({
  token: z.string().describe('bearer credential of the proven phone: remote tickets and appointments only'),
  expiresAt: z.string(),
  phone: z.string().describe('masked'),
});

export const RemoteTake = z.object({
  category: z.string().trim().min(1).max(40),
  phone: Mobile.describe('the proven phone (checked against the credential)'),
});

export const RemoteBook = z.object({
  category: z.string().trim().min(1).max(40),
  phone: Mobile.describe('the proven phone (checked against the credential)'),
  slotStart: z.iso.datetime({ offset: true }),
});
