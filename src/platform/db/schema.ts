/**
 * The PostgreSQL schema of Fuwu. Large tables lead their primary key with `province_id` so they can be
 * distributed by province (DESIGN "Scale"); ids are time-ordered UUIDs (v7) made in the application.
 * Migrations are generated from this file by `npm run db:generate` into `drizzle/`.
 */
import { sql } from 'drizzle-orm';
import {
  boolean,
  customType,
  date,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import type { DayException, OpeningHours } from '../../core/calendar.ts';

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });
const bytea = customType<{ data: Buffer; driverData: Buffer }>({ dataType: () => 'bytea' });

/** Headquarters, provinces, cities and service units, as one tree with a materialised path. */
export const units = pgTable(
  'units',
  {
    id: uuid('id').primaryKey(),
    parentId: uuid('parent_id'),
    /** The province the unit belongs to; a province is its own, headquarters is its own too. */
    provinceId: uuid('province_id').notNull(),
    /** `/<hq>/<province>/<city>/<unit>/` of ids: a subtree is a prefix. */
    path: text('path').notNull(),
    kind: text('kind').notNull(),
    code: text('code').notNull(),
    name: text('name').notNull(),
    nameEn: text('name_en').notNull().default(''),
    address: text('address').notNull().default(''),
    timeZone: text('time_zone').notNull().default('Asia/Shanghai'),
    openingHours: jsonb('opening_hours').$type<OpeningHours>().notNull(),
    attributes: jsonb('attributes').$type<Record<string, unknown>>().notNull().default({}),
    active: boolean('active').notNull().default(true),
    createdAt: ts('created_at').notNull(),
    updatedAt: ts('updated_at').notNull(),
  },
  (t) => [
    uniqueIndex('units_code_key').on(t.code),
    index('units_path_idx').on(sql`${t.path} text_pattern_ops`),
    index('units_parent_idx').on(t.parentId),
  ],
);

/** Per-unit exceptions to opening hours on a date (closed, or special hours). */
export const unitDayExceptions = pgTable(
  'unit_day_exceptions',
  {
    unitId: uuid('unit_id')
      .notNull()
      .references(() => units.id),
    date: date('date', { mode: 'string' }).notNull(),
    hours: jsonb('hours').$type<DayException['hours']>().notNull(),
    note: text('note').notNull().default(''),
  },
  (t) => [primaryKey({ columns: [t.unitId, t.date] })],
);

/** The national business calendar: public holidays and makeup working days (调休). */
export const calendarDays = pgTable('calendar_days', {
  date: date('date', { mode: 'string' }).primaryKey(),
  kind: text('kind').$type<'holiday' | 'makeup_workday'>().notNull(),
  name: text('name').notNull(),
});

/** Staff accounts. */
export const staff = pgTable(
  'staff',
  {
    id: uuid('id').primaryKey(),
    provinceId: uuid('province_id').notNull(),
    unitId: uuid('unit_id')
      .notNull()
      .references(() => units.id),
    username: text('username').notNull(),
    name: text('name').notNull(),
    phone: text('phone').notNull().default(''),
    passwordHash: text('password_hash').notNull(),
    passwordChangedAt: ts('password_changed_at').notNull(),
    mustChangePassword: boolean('must_change_password').notNull().default(true),
    /** Hashes of the passwords before the current one, newest first (`auth.passwordHistory`). */
    previousPasswordHashes: text('previous_password_hashes')
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    failedAttempts: integer('failed_attempts').notNull().default(0),
    lockedUntil: ts('locked_until'),
    active: boolean('active').notNull().default(true),
    createdAt: ts('created_at').notNull(),
  },
  (t) => [uniqueIndex('staff_username_key').on(t.username), index('staff_unit_idx').on(t.unitId)],
);

/** The positions (岗位) a staff member holds. */
export const staffPositions = pgTable(
  'staff_positions',
  {
    staffId: uuid('staff_id')
      .notNull()
      .references(() => staff.id),
    position: text('position').notNull(),
  },
  (t) => [primaryKey({ columns: [t.staffId, t.position] })],
);

/** Console sessions (cookie) and bearer tokens for API clients and devices; only a hash of the secret is kept. */
export const credentials = pgTable(
  'credentials',
  {
    id: uuid('id').primaryKey(),
    tokenHash: text('token_hash').notNull(),
    /** session: the console's cookie; token: a bearer token; phone: the e-channel's capability of a proven phone. */
    kind: text('kind').$type<'session' | 'token' | 'phone'>().notNull(),
    label: text('label').notNull().default(''),
    /** The staff member acting; null for a device token. */
    staffId: uuid('staff_id').references(() => staff.id),
    /** The unit a device belongs to (for staff the staff member's unit is used). */
    unitId: uuid('unit_id')
      .notNull()
      .references(() => units.id),
    /** Positions of a device token (e.g. `device_kiosk`); empty for staff. */
    devicePositions: text('device_positions')
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    /** For a rating pad (`device_rating_pad`): the one counter of its unit whose customers it asks. */
    counterId: uuid('counter_id'),
    /** For kind `phone`: the hash of the phone number a one-time code proved (`modules/echannel`). */
    phoneHash: text('phone_hash'),
    createdAt: ts('created_at').notNull(),
    expiresAt: ts('expires_at'),
    lastUsedAt: ts('last_used_at'),
    revokedAt: ts('revoked_at'),
  },
  (t) => [uniqueIndex('credentials_token_key').on(t.tokenHash), index('credentials_staff_idx').on(t.staffId)],
);

/** Every value a setting has been given, at any scope; the value in force is the newest at the nearest scope. */
export const settingValues = pgTable(
  'setting_values',
  {
    id: uuid('id').primaryKey(),
    key: text('key').notNull(),
    unitId: uuid('unit_id')
      .notNull()
      .references(() => units.id),
    /** null clears the override at this scope from validFrom on. */
    value: jsonb('value').$type<number | string | boolean | null>(),
    validFrom: ts('valid_from').notNull(),
    setBy: uuid('set_by'),
    reason: text('reason').notNull().default(''),
  },
  (t) => [index('setting_values_lookup_idx').on(t.key, t.unitId, t.validFrom)],
);

/** The audit trail: one row per command, written in the command's transaction. */
export const events = pgTable(
  'events',
  {
    provinceId: uuid('province_id').notNull(),
    id: uuid('id').notNull(),
    at: ts('at').notNull(),
    actorId: uuid('actor_id'),
    actorKind: text('actor_kind').notNull(),
    actorName: text('actor_name').notNull(),
    unitId: uuid('unit_id').notNull(),
    unitPath: text('unit_path').notNull(),
    action: text('action').notNull(),
    subjectType: text('subject_type').notNull(),
    subjectId: text('subject_id').notNull(),
    before: jsonb('before'),
    after: jsonb('after'),
    requestId: text('request_id').notNull().default(''),
    clientIp: text('client_ip').notNull().default(''),
  },
  (t) => [
    primaryKey({ columns: [t.provinceId, t.id] }),
    index('events_at_idx').on(t.at),
    index('events_path_idx').on(sql`${t.unitPath} text_pattern_ops`, t.at),
    index('events_subject_idx').on(t.subjectType, t.subjectId),
  ],
);

/** Individual, family and group customers. */
export const customers = pgTable(
  'customers',
  {
    provinceId: uuid('province_id').notNull(),
    id: uuid('id').notNull(),
    unitId: uuid('unit_id')
      .notNull()
      .references(() => units.id),
    unitPath: text('unit_path').notNull(),
    kind: text('kind').$type<'individual' | 'family' | 'group'>().notNull(),
    name: text('name').notNull(),
    idDocKind: text('id_doc_kind').notNull(),
    idDocNumber: text('id_doc_number').notNull(),
    contactPhone: text('contact_phone').notNull().default(''),
    address: text('address').notNull().default(''),
    clubTier: text('club_tier').$type<'diamond' | 'gold' | 'silver' | 'ordinary'>().notNull(),
    is3g: boolean('is_3g').notNull().default(false),
    createdAt: ts('created_at').notNull(),
    updatedAt: ts('updated_at').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.provinceId, t.id] }),
    uniqueIndex('customers_id_key').on(t.id, t.provinceId),
    index('customers_path_idx').on(sql`${t.unitPath} text_pattern_ops`),
    index('customers_phone_idx').on(t.contactPhone),
    index('customers_doc_idx').on(t.idDocNumber),
  ],
);

/** A customer's services: mobile, fixed, broadband, data, value-added. */
export const subscriptions = pgTable(
  'subscriptions',
  {
    provinceId: uuid('province_id').notNull(),
    id: uuid('id').notNull(),
    customerId: uuid('customer_id').notNull(),
    kind: text('kind').$type<'mobile' | 'fixed' | 'broadband' | 'data' | 'value_added'>().notNull(),
    number: text('number').notNull(),
    plan: text('plan').notNull().default(''),
    status: text('status').$type<'active' | 'suspended' | 'cancelled'>().notNull(),
    since: date('since', { mode: 'string' }).notNull(),
    /** The SIM card in use (ICCID), for a mobile subscription. */
    iccid: text('iccid'),
    /** Deposit held (international roaming and long distance …), in fen. */
    depositFen: integer('deposit_fen').notNull().default(0),
    /** Last days of a contract (合约) and a subsidy period: the stricter check applies until then (2§2.2.1). */
    contractUntil: date('contract_until', { mode: 'string' }),
    subsidyUntil: date('subsidy_until', { mode: 'string' }),
    /**
     * The subscription's service password (服务密码), hashed like a staff password; `initial` until the
     * customer sets their own (the initial one is not enough to identify them), `none` when never given.
     * It locks after `counter.servicePasswordMaxFailures` wrong tries in a row.
     */
    servicePasswordHash: text('service_password_hash'),
    servicePasswordState: text('service_password_state')
      .$type<'none' | 'initial' | 'set'>()
      .notNull()
      .default('none'),
    servicePasswordFailures: integer('service_password_failures').notNull().default(0),
    servicePasswordLockedUntil: ts('service_password_locked_until'),
    updatedAt: ts('updated_at'),
  },
  (t) => [
    primaryKey({ columns: [t.provinceId, t.id] }),
    index('subscriptions_number_idx').on(t.number),
    // A number is never held by two subscriptions at once (two new accounts at the same instant on two instances).
    uniqueIndex('subscriptions_number_live_key')
      .on(t.provinceId, t.kind, t.number)
      .where(sql`${t.status} <> 'cancelled'`),
    index('subscriptions_customer_idx').on(t.provinceId, t.customerId),
  ],
);

/** Secrets of the installation, made by its migrations: `hash_key`, the key of `platform/keyed-hash`. */
export const installationSecrets = pgTable('installation_secrets', {
  name: text('name').primaryKey(),
  value: bytea('value').notNull(),
});

/**
 * Counters of the rate limits (`platform/rate-limit`): one row per limit and subject (an account, a client
 * address, a phone), keyed by a hash so that no phone number or user name is stored. Shared by every app
 * instance, so a limit holds however requests are spread over them.
 */
export const rateLimits = pgTable('rate_limits', {
  key: text('key').primaryKey(),
  windowStart: ts('window_start').notNull(),
  hits: integer('hits').notNull(),
});
