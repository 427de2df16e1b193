/**
 * Tables of counter business acceptance (issue #13, SPEC §2.2; 2§2.1, 2§2.2, 2§3.6.2–3.6.6): the visit
 * (一台清) a called ticket or a walk-in opens at a counter, its transactions (one piece of business each),
 * payments, the one signed document (一单清), corrections after signing, kept copies of ID documents, repairs, agent-sold business followed until its documents are returned
 * (返档), and each clerk's cash day.
 *
 * Large tables lead their primary key with `province_id` (DESIGN "Scale"); ids are time-ordered UUIDs.
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
import type { FieldValues, SubscriptionChange } from '../../core/business-catalogue.ts';
import type { PaymentMethod } from '../../core/visit-money.ts';

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });
const bytea = customType<{ data: Buffer; driverData: Buffer }>({ dataType: () => 'bytea' });

export type VisitStatus = 'open' | 'signed' | 'closed' | 'voided';

export type PadRequest =
  { kind: 'password'; subscriptionId: string; at: string } | { kind: 'signature'; at: string };

/** A visit (一台清): every piece of business one customer does today at one counter. */
export const visits = pgTable(
  'visits',
  {
    provinceId: uuid('province_id').notNull(),
    id: uuid('id').notNull(),
    /** The hall. */
    unitId: uuid('unit_id').notNull(),
    unitPath: text('unit_path').notNull(),
    localDate: date('local_date', { mode: 'string' }).notNull(),
    counterId: uuid('counter_id').notNull(),
    /** The called ticket it serves; null for a walk-in at the counter. */
    ticketId: uuid('ticket_id'),
    staffId: uuid('staff_id'),
    staffName: text('staff_name').notNull(),
    customerId: uuid('customer_id'),
    /** The catalogue version the visit's business is done under. */
    catalogueUnitId: uuid('catalogue_unit_id').notNull(),
    catalogueVersion: text('catalogue_version').notNull(),
    status: text('status').$type<VisitStatus>().notNull(),
    totalFen: integer('total_fen').notNull().default(0),
    paidFen: integer('paid_fen').notNull().default(0),
    /** The customer typed the service password of a subscription on the counter's pad and it matched (this visit). */
    passwordVerifiedAt: ts('password_verified_at'),
    passwordVerifiedFor: uuid('password_verified_for'),
    /** What the clerk asked the counter's pad to take from the customer: a service password, or the signature. */
    padRequest: jsonb('pad_request').$type<PadRequest | null>(),
    openedAt: ts('opened_at').notNull(),
    signedAt: ts('signed_at'),
    closedAt: ts('closed_at'),
    closedBy: uuid('closed_by'),
  },
  (t) => [
    primaryKey({ columns: [t.provinceId, t.id] }),
    uniqueIndex('visits_id_key').on(t.id, t.provinceId),
    index('visits_path_idx').on(sql`${t.unitPath} text_pattern_ops`, t.localDate),
    index('visits_customer_idx').on(t.provinceId, t.customerId),
    // One visit in progress per ticket and per counter.
    uniqueIndex('visits_ticket_open_key')
      .on(t.ticketId)
      .where(sql`${t.ticketId} is not null and ${t.status} in ('open', 'signed')`),
    uniqueIndex('visits_counter_open_key')
      .on(t.counterId)
      .where(sql`${t.status} in ('open', 'signed')`),
    index('visits_open_idx')
      .on(t.unitId, t.localDate)
      .where(sql`${t.status} in ('open', 'signed')`),
  ],
);

export type VisitLineStatus = 'done' | 'removed';

/** One piece of business of a visit (a transaction): its type, values, fee, identity check and effects. */
export const visitLines = pgTable(
  'visit_lines',
  {
    provinceId: uuid('province_id').notNull(),
    id: uuid('id').notNull(),
    visitId: uuid('visit_id').notNull(),
    unitId: uuid('unit_id').notNull(),
    unitPath: text('unit_path').notNull(),
    seq: integer('seq').notNull(),
    businessCode: text('business_code').notNull(),
    businessZh: text('business_zh').notNull(),
    businessEn: text('business_en').notNull(),
    /** A consultation or query: counted, no fee, nothing to sign for it alone. */
    light: boolean('light').notNull().default(false),
    subscriptionId: uuid('subscription_id'),
    /** The values of the form as validated (phones are masked in every answer). */
    values: jsonb('values').$type<FieldValues>().notNull(),
    feeFen: integer('fee_fen').notNull(),
    /** How the customer was identified: id_document, password or none. */
    identityMethod: text('identity_method').notNull(),
    /** The stricter check of a subsidy or contract period was applied. */
    strict: boolean('strict').notNull().default(false),
    /** The document shown, masked, and its hash (to find the record by the full number, never by digits). */
    docKind: text('doc_kind'),
    docNumberMasked: text('doc_number_masked'),
    /** The subscription changes applied with the line, in the same transaction. */
    changes: jsonb('changes').$type<SubscriptionChange[]>().notNull(),
    /** The retention step before a cancellation: the offers made and the one accepted (null: declined). */
    retention: jsonb('retention').$type<{ offered: string[]; accepted: string | null } | null>(),
    status: text('status').$type<VisitLineStatus>().notNull(),
    /** Entered (business done) and when every required field of the customer data was complete. */
    enteredAt: ts('entered_at').notNull(),
    completedAt: ts('completed_at'),
    enteredBy: uuid('entered_by'),
  },
  (t) => [
    primaryKey({ columns: [t.provinceId, t.id] }),
    uniqueIndex('visit_lines_seq_key').on(t.visitId, t.seq),
    index('visit_lines_path_idx').on(sql`${t.unitPath} text_pattern_ops`, t.enteredAt),
  ],
);

/** A payment of a visit, in integer fen (negative when the hall pays out). */
export const visitPayments = pgTable(
  'visit_payments',
  {
    provinceId: uuid('province_id').notNull(),
    id: uuid('id').notNull(),
    visitId: uuid('visit_id').notNull(),
    unitId: uuid('unit_id').notNull(),
    localDate: date('local_date', { mode: 'string' }).notNull(),
    staffId: uuid('staff_id'),
    method: text('method').$type<PaymentMethod>().notNull(),
    amountFen: integer('amount_fen').notNull(),
    tenderedFen: integer('tendered_fen'),
    changeFen: integer('change_fen').notNull().default(0),
    at: ts('at').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.provinceId, t.id] }),
    index('visit_payments_visit_idx').on(t.provinceId, t.visitId),
    index('visit_payments_day_idx').on(t.unitId, t.localDate, t.staffId),
  ],
);

/**
 * The signed document (一单清) of a visit: what it said (`content`, the snapshot the PDF is rendered from),
 * the customer's signature, the PDF and its SHA-256. Never changed once stored: a void marks it, a reprint
 * counts a copy, a correction stores a new document that names the one it replaces.
 */
export const visitDocuments = pgTable(
  'visit_documents',
  {
    provinceId: uuid('province_id').notNull(),
    id: uuid('id').notNull(),
    visitId: uuid('visit_id').notNull(),
    /** The document this one replaces after a correction, or null. */
    replaces: uuid('replaces'),
    content: jsonb('content').$type<Record<string, unknown>>().notNull(),
    signaturePng: bytea('signature_png').notNull(),
    pdf: bytea('pdf').notNull(),
    sha256: text('sha256').notNull(),
    signedAt: ts('signed_at').notNull(),
    /** Copies printed after the original (each reprint an event; the print says it is a copy). */
    copies: integer('copies').notNull().default(0),
    voidedAt: ts('voided_at'),
    voidReason: text('void_reason'),
  },
  (t) => [
    primaryKey({ columns: [t.provinceId, t.id] }),
    index('visit_documents_visit_idx').on(t.provinceId, t.visitId),
  ],
);

/** A correction of a signed transaction's data: an error found (indicator 3 of 2§3.7), with who found it. */
export const visitCorrections = pgTable(
  'visit_corrections',
  {
    provinceId: uuid('province_id').notNull(),
    id: uuid('id').notNull(),
    visitId: uuid('visit_id').notNull(),
    lineId: uuid('line_id').notNull(),
    unitId: uuid('unit_id').notNull(),
    unitPath: text('unit_path').notNull(),
    field: text('field').notNull(),
    before: jsonb('before'),
    after: jsonb('after'),
    reason: text('reason').notNull(),
    /** Who found the error: a staff id, or `audit`, `complaint`, `customer`. */
    foundBy: text('found_by').notNull(),
    foundAt: ts('found_at').notNull(),
    recordedBy: uuid('recorded_by'),
  },
  (t) => [
    primaryKey({ columns: [t.provinceId, t.id] }),
    index('visit_corrections_path_idx').on(sql`${t.unitPath} text_pattern_ops`, t.foundAt),
  ],
);

/** A kept copy of the ID document shown for a new account (2§2.2.1): an image, never listed or exported. */
export const idDocumentCopies = pgTable(
  'id_document_copies',
  {
    provinceId: uuid('province_id').notNull(),
    id: uuid('id').notNull(),
    customerId: uuid('customer_id'),
    visitId: uuid('visit_id').notNull(),
    lineId: uuid('line_id'),
    docKind: text('doc_kind').notNull(),
    mime: text('mime').notNull(),
    bytes: bytea('bytes').notNull(),
    sha256: text('sha256').notNull(),
    capturedAt: ts('captured_at').notNull(),
    capturedBy: uuid('captured_by'),
  },
  (t) => [
    primaryKey({ columns: [t.provinceId, t.id] }),
    index('id_document_copies_customer_idx').on(t.provinceId, t.customerId),
  ],
);

export type RepairStatus = 'received' | 'sent' | 'returned' | 'collected';

/** A repair order (2§2.1.7, item 15): device check at intake, status, a spare phone lent and returned. */
export const repairs = pgTable(
  'repairs',
  {
    provinceId: uuid('province_id').notNull(),
    id: uuid('id').notNull(),
    unitId: uuid('unit_id').notNull(),
    unitPath: text('unit_path').notNull(),
    customerId: uuid('customer_id').notNull(),
    visitId: uuid('visit_id'),
    brand: text('brand').notNull(),
    model: text('model').notNull(),
    imei: text('imei').notNull(),
    fault: text('fault').notNull(),
    /** What the intake check found (appearance, accessories, power-on …). */
    intakeCheck: jsonb('intake_check').$type<Record<string, string | boolean>>().notNull(),
    status: text('status').$type<RepairStatus>().notNull(),
    spareImei: text('spare_imei'),
    spareLentAt: ts('spare_lent_at'),
    spareReturnedAt: ts('spare_returned_at'),
    receivedAt: ts('received_at').notNull(),
    sentAt: ts('sent_at'),
    returnedAt: ts('returned_at'),
    collectedAt: ts('collected_at'),
    receivedBy: uuid('received_by'),
  },
  (t) => [
    primaryKey({ columns: [t.provinceId, t.id] }),
    index('repairs_customer_idx').on(t.provinceId, t.customerId),
    index('repairs_path_idx').on(sql`${t.unitPath} text_pattern_ops`, t.status),
  ],
);

/**
 * Business developed by a cooperative hall or an agent (2§3.6.4), followed until its customer documents come
 * back (返档) within `customerData.agentReturnDays`.
 */
export const agentSales = pgTable(
  'agent_sales',
  {
    provinceId: uuid('province_id').notNull(),
    id: uuid('id').notNull(),
    unitId: uuid('unit_id').notNull(),
    unitPath: text('unit_path').notNull(),
    lineId: uuid('line_id').notNull(),
    customerId: uuid('customer_id'),
    businessCode: text('business_code').notNull(),
    soldAt: ts('sold_at').notNull(),
    returnedAt: ts('returned_at'),
    returnedBy: uuid('returned_by'),
  },
  (t) => [
    primaryKey({ columns: [t.provinceId, t.id] }),
    uniqueIndex('agent_sales_line_key').on(t.lineId),
    index('agent_sales_path_idx').on(sql`${t.unitPath} text_pattern_ops`, t.soldAt),
  ],
);

/** A clerk's closed cash day (each clerk's day closes with a cash and receipt summary, for the daily audit). */
export const cashDays = pgTable(
  'cash_days',
  {
    provinceId: uuid('province_id').notNull(),
    unitId: uuid('unit_id').notNull(),
    staffId: uuid('staff_id').notNull(),
    localDate: date('local_date', { mode: 'string' }).notNull(),
    /** The summary as computed at closing (`daySummary`): per method, receipts, paid out, visits. */
    summary: jsonb('summary').$type<Record<string, unknown>>().notNull(),
    /** Cash the clerk counted in the drawer, and the difference to the summary's cash. */
    countedCashFen: integer('counted_cash_fen').notNull(),
    differenceFen: integer('difference_fen').notNull(),
    closedAt: ts('closed_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.provinceId, t.unitId, t.staffId, t.localDate] })],
);
