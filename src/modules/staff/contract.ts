import { z } from 'zod';
import { POSITION_CODES } from '../../core/positions.ts';
import { PHONE_PATTERN } from '../../core/phone.ts';
import { Id } from '../../platform/contract.ts';

export const PositionCode = z.enum(POSITION_CODES);

export const Staff = z.object({
  id: Id,
  unitId: Id,
  unitName: z.string(),
  username: z.string(),
  name: z.string(),
  /** Masked in lists (138****1234). */
  phone: z.string(),
  positions: z.array(PositionCode),
  active: z.boolean(),
  mustChangePassword: z.boolean(),
  locked: z.boolean(),
  createdAt: z.string(),
});
export type Staff = z.infer<typeof Staff>;

const Username = z
  .string()
  .trim()
  .toLowerCase()
  .min(3)
  .max(32)
  .regex(
    /^[a-z][a-z0-9._-]*$/,
    '字母开头，仅含字母、数字、点、下划线、连字符 ¦ Start with a letter; letters, digits, . _ - only',
  );
/** A staff member's phone is optional: empty, or a phone number. */
const Phone = z
  .string()
  .trim()
  .refine((v) => v === '' || PHONE_PATTERN.test(v), '不是有效的电话号码 ¦ Not a valid phone number');

export const CreateStaff = z.object({
  unitId: Id,
  username: Username,
  name: z.string().trim().min(2).max(40).describe('姓名'),
  phone: Phone.default(''),
  positions: z.array(PositionCode).min(1).max(10),
});
export type CreateStaff = z.infer<typeof CreateStaff>;

export const UpdateStaff = z
  .object({
    unitId: Id,
    name: z.string().trim().min(2).max(40),
    phone: Phone,
    positions: z.array(PositionCode).min(1).max(10),
    active: z.boolean(),
  })
  .partial()
  .refine((v) => Object.keys(v).length > 0, { message: '没有要修改的内容 ¦ Nothing to change' });
export type UpdateStaff = z.infer<typeof UpdateStaff>;

export const StaffQuery = z.object({
  unitId: Id.optional(),
  q: z.string().trim().max(40).optional(),
  position: PositionCode.optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
  offset: z.coerce.number().int().min(0).default(0),
});
export type StaffQuery = z.infer<typeof StaffQuery>;

/** The one-time initial password, shown once to the person who created or reset the account. */
export const WithInitialPassword = z.object({ staff: Staff, initialPassword: z.string() });
