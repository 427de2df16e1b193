/**
 * Tables of the notification gateway (`modules/notify`): the outbox of messages to send (SMS today,
 * complaints' notices later) and every delivery attempt. A message row is written in the transaction of the
 * command that wants it sent; delivery workers claim due rows with `FOR UPDATE SKIP LOCKED`.
 */
import { index, integer, jsonb, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

export type NotifyChannel = 'sms';
/** pending: waiting for its (next) try; sending: claimed by a worker until `leaseUntil`; delivered; failed: gave up. */
export type NotifyStatus = 'pending' | 'sending' | 'delivered' | 'failed';

export const notifyMessages = pgTable(
  'notify_messages',
  {
    id: uuid('id').primaryKey(),
    provinceId: uuid('province_id').notNull(),
    /** The unit the message was sent for (its subtree's administrators see it in the outbox). */
    unitId: uuid('unit_id').notNull(),
    unitPath: text('unit_path').notNull(),
    channel: text('channel').$type<NotifyChannel>().notNull(),
    /** The recipient in clear: the gateway needs it to send. Lists and events show it masked. */
    recipient: text('recipient').notNull(),
    template: text('template').notNull(),
    params: jsonb('params').$type<Record<string, string | number>>().notNull(),
    /** The rendered text (zh-CN), as the recipient gets it. */
    body: text('body').notNull(),
    status: text('status').$type<NotifyStatus>().notNull(),
    attempts: integer('attempts').notNull().default(0),
    nextAttemptAt: ts('next_attempt_at').notNull(),
    leaseUntil: ts('lease_until'),
    driver: text('driver').notNull().default(''),
    lastError: text('last_error').notNull().default(''),
    createdAt: ts('created_at').notNull(),
    deliveredAt: ts('delivered_at'),
  },
  (t) => [
    index('notify_messages_due_idx').on(t.status, t.nextAttemptAt),
    index('notify_messages_path_idx').on(t.unitPath, t.createdAt),
  ],
);

/** One row per delivery attempt of a message. */
export const notifyAttempts = pgTable(
  'notify_attempts',
  {
    id: uuid('id').primaryKey(),
    messageId: uuid('message_id')
      .notNull()
      .references(() => notifyMessages.id),
    attempt: integer('attempt').notNull(),
    at: ts('at').notNull(),
    driver: text('driver').notNull(),
    status: text('status').$type<'delivered' | 'error'>().notNull(),
    error: text('error').notNull().default(''),
    /** When the next try is due after an error; null when delivered or given up. */
    nextAttemptAt: ts('next_attempt_at'),
  },
  (t) => [index('notify_attempts_message_idx').on(t.messageId, t.attempt)],
);
