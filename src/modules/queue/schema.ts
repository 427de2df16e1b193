/**
 * Tables of the business-hall queue (vocabulary after Qmatic): a hall's service categories, queues,
 * segmentation rules and work profiles; its counters (service points); tickets (visits) and the
 * transactions (one per call of a ticket at a counter) they are served in; appointments; the daily
 * ticket sequences and the record of each closed day.
 *
 * Large tables (tickets, transactions, appointments) lead their primary key with `province_id`.
 */
import { sql } from 'drizzle-orm';
import {
  boolean,
  date,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  real,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import type { ProfileRule, SegmentationRule } from '../../core/queue-order.ts';
import { units } from '../../platform/db/schema.ts';

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

export interface HallNotice {
  zh: string;
  en: string;
}

/** The queue configuration of a hall beyond its lists: segmentation rules and the notices of the display. */
export const queueHalls = pgTable('queue_halls', {
  unitId: uuid('unit_id')
    .primaryKey()
    .references(() => units.id),
  provinceId: uuid('province_id').notNull(),
  unitPath: text('unit_path').notNull(),
  /** Tried in order; the first that matches sends the ticket to its queue, else the category's queue. */
  segmentation: jsonb('segmentation').$type<SegmentationRule[]>().notNull(),
  notices: jsonb('notices').$type<HallNotice[]>().notNull().default([]),
  updatedAt: ts('updated_at').notNull(),
});

/** A service category the kiosk offers (业务办理, 缴费充值, 3G业务 …). */
export const queueCategories = pgTable(
  'queue_categories',
  {
    unitId: uuid('unit_id')
      .notNull()
      .references(() => units.id),
    code: text('code').notNull(),
    name: text('name').notNull(),
    nameEn: text('name_en').notNull(),
    /** The queue a ticket of this category joins unless a segmentation rule says otherwise. */
    queueCode: text('queue_code').notNull(),
    /** Expected service time until enough transactions have been measured. */
    meanServiceMinutes: real('mean_service_minutes').notNull(),
    sort: integer('sort').notNull().default(0),
    active: boolean('active').notNull().default(true),
  },
  (t) => [primaryKey({ columns: [t.unitId, t.code] })],
);

/** A queue of a hall, with the letter of its ticket numbers; `vip` queues are held to the VIP/3G limit. */
export const queueQueues = pgTable(
  'queue_queues',
  {
    unitId: uuid('unit_id')
      .notNull()
      .references(() => units.id),
    code: text('code').notNull(),
    name: text('name').notNull(),
    nameEn: text('name_en').notNull(),
    prefix: text('prefix').notNull(),
    vip: boolean('vip').notNull().default(false),
    sort: integer('sort').notNull().default(0),
    active: boolean('active').notNull().default(true),
  },
  (t) => [primaryKey({ columns: [t.unitId, t.code] })],
);

/** How a counter calls: the queues in order and rules such as "queue X first once it waited N minutes". */
export const queueWorkProfiles = pgTable(
  'queue_work_profiles',
  {
    id: uuid('id').primaryKey(),
    unitId: uuid('unit_id')
      .notNull()
      .references(() => units.id),
    code: text('code').notNull(),
    name: text('name').notNull(),
    nameEn: text('name_en').notNull(),
    rules: jsonb('rules').$type<ProfileRule[]>().notNull(),
    /** Empty: every category the counter serves. */
    categories: text('categories')
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    active: boolean('active').notNull().default(true),
  },
  (t) => [uniqueIndex('queue_work_profiles_code_key').on(t.unitId, t.code)],
);

export type CounterKind = 'normal' | 'vip' | '3g' | 'group';
export type CounterState = 'closed' | 'open' | 'paused';

/** A counter (台席, service point) of a hall and who is at it now. */
export const queueCounters = pgTable(
  'queue_counters',
  {
    id: uuid('id').primaryKey(),
    provinceId: uuid('province_id').notNull(),
    unitId: uuid('unit_id')
      .notNull()
      .references(() => units.id),
    unitPath: text('unit_path').notNull(),
    code: text('code').notNull(),
    /** The window number called out: "请A012号到3号窗口". */
    number: integer('number').notNull(),
    name: text('name').notNull(),
    kind: text('kind').$type<CounterKind>().notNull(),
    /** Categories the counter serves; empty: every category. */
    categories: text('categories')
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    defaultProfileId: uuid('default_profile_id').notNull(),
    active: boolean('active').notNull().default(true),
    state: text('state').$type<CounterState>().notNull().default('closed'),
    stateSince: ts('state_since').notNull(),
    profileId: uuid('profile_id'),
    staffId: uuid('staff_id'),
    staffName: text('staff_name').notNull().default(''),
    pauseReason: text('pause_reason').notNull().default(''),
    /** The ticket called to or served at the counter now. */
    currentTicketId: uuid('current_ticket_id'),
  },
  (t) => [
    uniqueIndex('queue_counters_code_key').on(t.unitId, t.code),
    index('queue_counters_staff_idx').on(t.staffId),
  ],
);

export type TicketStatus =
  'waiting' | 'called' | 'serving' | 'parked' | 'done' | 'no_show' | 'cancelled' | 'not_served';
export type TicketChannel = 'kiosk' | 'guide' | 'remote' | 'appointment';

/** Details the floor guide registers at peak times (预登记/预受理) so the counter finds them filled in. */
export interface PreRegistration {
  business: string[];
  customerName: string;
  idDocKind: string;
  idDocNumber: string;
  note: string;
  by: string;
  at: string;
}

/** A ticket (visit): from taking it to its end. Its waits and transactions are measured by the commands. */
export const queueTickets = pgTable(
  'queue_tickets',
  {
    provinceId: uuid('province_id').notNull(),
    id: uuid('id').notNull(),
    unitId: uuid('unit_id').notNull(),
    unitPath: text('unit_path').notNull(),
    /** The hall's local date: numbering restarts every day. */
    localDate: date('local_date', { mode: 'string' }).notNull(),
    seq: integer('seq').notNull(),
    number: text('number').notNull(),
    queueCode: text('queue_code').notNull(),
    categoryCode: text('category_code').notNull(),
    priority: integer('priority').notNull().default(0),
    /** A VIP or 3G customer: the VIP wait limit applies. */
    vip: boolean('vip').notNull().default(false),
    channel: text('channel').$type<TicketChannel>().notNull(),
    customerId: uuid('customer_id'),
    phone: text('phone').notNull().default(''),
    /** The customer's masked name (张*), for the clerk. */
    customerLabel: text('customer_label').notNull().default(''),
    clubTier: text('club_tier'),
    is3g: boolean('is_3g').notNull().default(false),
    appointmentId: uuid('appointment_id'),
    status: text('status').$type<TicketStatus>().notNull(),
    /** Set after a transfer to one counter: only it calls the ticket. */
    targetCounterId: uuid('target_counter_id'),
    takenAt: ts('taken_at').notNull(),
    /** Order and wait of the current wait: takenAt, or the transfer time unless the wait is kept. */
    waitingSince: ts('waiting_since').notNull(),
    takenBy: uuid('taken_by'),
    /**
     * A remote ticket's holder key, hashed: the e-channel's device token is shared by every phone, so the
     * key its take answered is what shows a phone to be the ticket's (to follow or cancel it).
     */
    holderKeyHash: text('holder_key_hash'),
    /**
     * The slip's follow link (a QR code), hashed: it follows and cancels this one ticket only, until
     * `followExpiresAt` (the end of the ticket's local day). Null for remote tickets (the phone follows).
     */
    followTokenHash: text('follow_token_hash'),
    followExpiresAt: ts('follow_expires_at'),
    firstCalledAt: ts('first_called_at'),
    /** The wait of the first call and the limit in force then (VIP/3G or normal). */
    waitSeconds: integer('wait_seconds'),
    waitLimitMinutes: integer('wait_limit_minutes'),
    /** The current call: when, the wait limit in force then, and the last (re)call for the display. */
    calledAt: ts('called_at'),
    callWaitLimitMinutes: integer('call_wait_limit_minutes'),
    lastCallAt: ts('last_call_at'),
    recalls: integer('recalls').notNull().default(0),
    counterId: uuid('counter_id'),
    staffId: uuid('staff_id'),
    staffName: text('staff_name').notNull().default(''),
    startedAt: ts('started_at'),
    businessDoneAt: ts('business_done_at'),
    finishedAt: ts('finished_at'),
    outcome: text('outcome'),
    business: text('business')
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    transfers: integer('transfers').notNull().default(0),
    preRegistration: jsonb('pre_registration').$type<PreRegistration>(),
    nearFrontAt: ts('near_front_at'),
    /** The highest wait alert raised for the ticket ('warning' | 'breach'), so each is raised once. */
    waitAlert: text('wait_alert'),
    transactionAlert: text('transaction_alert'),
  },
  (t) => [
    primaryKey({ columns: [t.provinceId, t.id] }),
    uniqueIndex('queue_tickets_id_key').on(t.id, t.provinceId),
    uniqueIndex('queue_tickets_number_key').on(t.unitId, t.localDate, t.number),
    // Calling reads, per queue, the first waiting ticket in queue order and the one waiting longest.
    index('queue_tickets_next_idx')
      .on(t.unitId, t.localDate, t.queueCode, t.priority.desc(), t.waitingSince, t.takenAt, t.id)
      .where(sql`${t.status} = 'waiting'`),
    index('queue_tickets_oldest_idx')
      .on(t.unitId, t.localDate, t.queueCode, t.waitingSince, t.takenAt, t.id)
      .where(sql`${t.status} = 'waiting'`),
    index('queue_tickets_open_idx')
      .on(t.unitId, t.localDate)
      .where(sql`${t.status} in ('waiting', 'called', 'serving', 'parked')`),
    index('queue_tickets_path_idx').on(sql`${t.unitPath} text_pattern_ops`, t.localDate),
    index('queue_tickets_phone_idx').on(t.phone, t.unitId, t.localDate),
    index('queue_tickets_calls_idx').on(t.unitId, t.localDate, t.lastCallAt),
  ],
);

export type TransactionOutcome = 'served' | 'transferred' | 'parked' | 'no_show' | 'not_served';

/** One call of a ticket at a counter, from the call to its end: the measurements per counter and clerk. */
export const queueTransactions = pgTable(
  'queue_transactions',
  {
    provinceId: uuid('province_id').notNull(),
    id: uuid('id').notNull(),
    ticketId: uuid('ticket_id').notNull(),
    unitId: uuid('unit_id').notNull(),
    unitPath: text('unit_path').notNull(),
    localDate: date('local_date', { mode: 'string' }).notNull(),
    counterId: uuid('counter_id').notNull(),
    staffId: uuid('staff_id'),
    staffName: text('staff_name').notNull().default(''),
    queueCode: text('queue_code').notNull(),
    categoryCode: text('category_code').notNull(),
    vip: boolean('vip').notNull(),
    channel: text('channel').notNull(),
    waitingSince: ts('waiting_since').notNull(),
    calledAt: ts('called_at').notNull(),
    startedAt: ts('started_at'),
    businessDoneAt: ts('business_done_at'),
    endedAt: ts('ended_at').notNull(),
    outcome: text('outcome').$type<TransactionOutcome>().notNull(),
    /** Wait of this call (waitingSince → calledAt) and the wait limit in force at the call. */
    waitSeconds: integer('wait_seconds').notNull(),
    waitLimitMinutes: integer('wait_limit_minutes').notNull(),
    /** Start → business done (or end): proactive selling afterwards does not count (2§3.6.5). */
    transactionSeconds: integer('transaction_seconds'),
    transactionLimitMinutes: integer('transaction_limit_minutes').notNull(),
    sellingSeconds: integer('selling_seconds').notNull().default(0),
  },
  (t) => [
    primaryKey({ columns: [t.provinceId, t.id] }),
    index('queue_transactions_path_idx').on(sql`${t.unitPath} text_pattern_ops`, t.localDate),
    index('queue_transactions_unit_idx').on(t.unitId, t.endedAt),
    // A queue's latest measured transactions of the day (shared.ts recentTransactions): read backwards, stops at the window.
    index('queue_transactions_recent_idx')
      .on(t.unitId, t.localDate, t.queueCode, t.endedAt, t.id)
      .where(sql`${t.transactionSeconds} is not null`),
    index('queue_transactions_ticket_idx').on(t.provinceId, t.ticketId),
  ],
);

export type AppointmentStatus = 'booked' | 'checked_in' | 'late' | 'no_show' | 'cancelled';

/** A booked appointment slot (预约) of a VIP customer at a hall. */
export const queueAppointments = pgTable(
  'queue_appointments',
  {
    provinceId: uuid('province_id').notNull(),
    id: uuid('id').notNull(),
    unitId: uuid('unit_id').notNull(),
    unitPath: text('unit_path').notNull(),
    localDate: date('local_date', { mode: 'string' }).notNull(),
    slotStart: ts('slot_start').notNull(),
    slotEnd: ts('slot_end').notNull(),
    categoryCode: text('category_code').notNull(),
    customerId: uuid('customer_id').notNull(),
    phone: text('phone').notNull(),
    clubTier: text('club_tier'),
    is3g: boolean('is_3g').notNull().default(false),
    status: text('status').$type<AppointmentStatus>().notNull(),
    ticketId: uuid('ticket_id'),
    bookedBy: uuid('booked_by'),
    bookedByKind: text('booked_by_kind').notNull(),
    createdAt: ts('created_at').notNull(),
    updatedAt: ts('updated_at').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.provinceId, t.id] }),
    index('queue_appointments_slot_idx').on(t.unitId, t.slotStart),
    index('queue_appointments_phone_idx').on(t.phone, t.unitId, t.localDate),
    index('queue_appointments_customer_idx').on(t.customerId, t.status),
  ],
);

/**
 * A customer's rating (服务评价) of a finished ticket, given on the counter's rating pad: 1–5 and an optional
 * reason. One per ticket (the unique index refuses a second); the clerk, counter, hall, day and category are
 * copied from the ticket's last transaction, so statistics group ratings as they group transactions. Each
 * rating is also the event `ticket.rated`.
 */
export const queueRatings = pgTable(
  'queue_ratings',
  {
    provinceId: uuid('province_id').notNull(),
    id: uuid('id').notNull(),
    ticketId: uuid('ticket_id').notNull(),
    unitId: uuid('unit_id').notNull(),
    unitPath: text('unit_path').notNull(),
    localDate: date('local_date', { mode: 'string' }).notNull(),
    counterId: uuid('counter_id').notNull(),
    staffId: uuid('staff_id'),
    staffName: text('staff_name').notNull().default(''),
    categoryCode: text('category_code').notNull(),
    score: integer('score').notNull(),
    /** Quick reasons the customer tapped (clerk-contract.ts RATING_REASONS) and a few words of their own. */
    reasons: text('reasons')
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    comment: text('comment').notNull().default(''),
    /** The pad (device token) that took the rating. */
    deviceId: uuid('device_id').notNull(),
    ratedAt: ts('rated_at').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.provinceId, t.id] }),
    uniqueIndex('queue_ratings_ticket_key').on(t.provinceId, t.ticketId),
    index('queue_ratings_path_idx').on(sql`${t.unitPath} text_pattern_ops`, t.localDate),
  ],
);

/** The last ticket number given per hall, local day and queue letter. */
export const queueSequences = pgTable(
  'queue_sequences',
  {
    unitId: uuid('unit_id').notNull(),
    localDate: date('local_date', { mode: 'string' }).notNull(),
    prefix: text('prefix').notNull(),
    last: integer('last').notNull(),
  },
  (t) => [primaryKey({ columns: [t.unitId, t.localDate, t.prefix] })],
);

/** A closed queue day of a hall: what was still open at closing and was closed as "not served". */
export const queueDays = pgTable(
  'queue_days',
  {
    unitId: uuid('unit_id').notNull(),
    localDate: date('local_date', { mode: 'string' }).notNull(),
    closedAt: ts('closed_at').notNull(),
    notServed: integer('not_served').notNull(),
    appointmentNoShows: integer('appointment_no_shows').notNull(),
  },
  (t) => [primaryKey({ columns: [t.unitId, t.localDate] })],
);
