/**
 * One-time codes that prove a phone number to the public e-channel (remote tickets, appointments). Only
 * hashes are kept: of the phone (to find its live code) and of the code.
 */
import { index, integer, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

export const echannelCodes = pgTable(
  'echannel_codes',
  {
    id: uuid('id').primaryKey(),
    phoneHash: text('phone_hash').notNull(),
    purpose: text('purpose').notNull(),
    codeHash: text('code_hash').notNull(),
    createdAt: ts('created_at').notNull(),
    expiresAt: ts('expires_at').notNull(),
    failedAttempts: integer('failed_attempts').notNull().default(0),
    /** Set when the code opened a session. */
    usedAt: ts('used_at'),
    /** Set when too many wrong codes were tried, or a newer code replaced it. */
    deadAt: ts('dead_at'),
  },
  (t) => [index('echannel_codes_phone_idx').on(t.phoneHash, t.createdAt)],
);
