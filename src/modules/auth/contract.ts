import { z } from 'zod';
import { DEVICE_POSITIONS } from '../../core/positions.ts';
import { Id } from '../../platform/contract.ts';
import { PositionCode } from '../staff/contract.ts';

export const LoginBody = z.object({
  username: z.string().trim().min(1).max(64).describe('用户名'),
  password: z.string().min(1).max(256).describe('密码'),
});

export const ChangePasswordBody = z.object({
  currentPassword: z.string().min(1).max(256),
  newPassword: z.string().min(1).max(256),
});

export const Me = z.object({
  id: Id.nullable(),
  kind: z.enum(['staff', 'device', 'system', 'phone']),
  username: z.string(),
  name: z.string(),
  unitId: Id,
  unitName: z.string(),
  unitNameEn: z.string(),
  unitPath: z.string(),
  positions: z.array(z.string()),
  /** The password rules in force for the caller's unit, for the change-password page. */
  passwordRules: z.object({ minLength: z.number().int(), minClasses: z.number().int() }),
  mustChangePassword: z.boolean(),
  /** The actions the caller holds somewhere in its subtree, for the console's menus. */
  permissions: z.array(z.string()),
});
export type Me = z.infer<typeof Me>;

export const LoginReply = z.object({
  me: Me,
  /** A bearer token for API clients; the console uses the HttpOnly cookie set with the same reply. */
  token: z.string(),
  expiresAt: z.string(),
});

export const DevicePosition = z.enum(DEVICE_POSITIONS);

export const CreateToken = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('device'),
    unitId: Id,
    label: z.string().trim().min(2).max(60).describe('e.g. 1号取号机'),
    positions: z.array(DevicePosition).min(1),
    /** A rating pad's (`device_rating_pad`) counter, of the token's unit; only for a rating pad. */
    counterId: Id.optional(),
    /** Days until it expires; without it, the unit's setting auth.deviceTokenDays (also the most allowed). */
    expiresInDays: z.number().int().min(1).max(3650).optional(),
    /** No expiry at all: only where the setting auth.deviceTokenMayNeverExpire allows it. */
    neverExpires: z.boolean().optional(),
  }),
  z.object({
    kind: z.literal('client'),
    label: z.string().trim().min(2).max(60),
    expiresInDays: z.number().int().min(1).max(365).default(90),
  }),
]);
export type CreateToken = z.infer<typeof CreateToken>;

export const TokenInfo = z.object({
  id: Id,
  label: z.string(),
  unitId: Id,
  unitName: z.string(),
  staffId: Id.nullable(),
  positions: z.array(z.union([DevicePosition, PositionCode])),
  /** A rating pad's counter. */
  counterId: Id.nullable(),
  createdAt: z.string(),
  expiresAt: z.string().nullable(),
  lastUsedAt: z.string().nullable(),
  revokedAt: z.string().nullable(),
});
export type TokenInfo = z.infer<typeof TokenInfo>;

export const CreatedToken = z.object({ info: TokenInfo, token: z.string() });
