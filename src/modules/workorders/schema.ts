/**
 * Tables of work orders (工单; issue #14, SPEC §3 and §4 ch. 8): complaints, escalated complaints, appeals,
 * fault reports, consultations and suggestions, owned to the end by the person who first received them
 * (首问负责), handled in hops through the tiers, each hop with its own deadline inside the order's time limit
 * (限时办结), with their pauses, their timeline, their attachments, the links between orders and the durable
 * due-time table the timer workers claim with row locks.
 *
 * Large tables lead their primary key with `province_id` (DESIGN "Scale"); ids are time-ordered UUIDs.
 */
import { sql } from 'drizzle-orm';
import {
  boolean,
  customType,
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
import type { EscalationLevel, EscalationStep, WorkOrderChannel, WorkOrderKind } from '../../core/sla.ts';

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });
const bytea = customType<{ data: Buffer; driverData: Buffer }>({ dataType: () => 'bytea' });

/**
 * new: in a group queue, nobody works on it yet; assigned: a member works on it; dispatched: a hop to
 * another unit is open; waiting_customer / waiting_third_party: paused (when the policy says so);
 * answered: the handling is done and the owner must reply; replied: the customer has the answer; closed.
 */
export type WorkOrderState =
  | 'new'
  | 'assigned'
  | 'dispatched'
  | 'waiting_customer'
  | 'waiting_third_party'
  | 'answered'
  | 'replied'
  | 'closed';

export type WorkOrderPriority = 'low' | 'normal' | 'high' | 'urgent';

/** The targets of the policy in force, as recorded on the order (JSON: instants as ISO strings). */
export type StoredTargets = {
  firstResponse: StoredTarget | null;
  resolution: StoredTarget;
  answer: StoredTarget | null;
};
export type StoredTarget =
  | {
      clock: 'business' | 'workdays' | 'calendar';
      minutes: number;
      pausable?: boolean;
      averageMinutes?: number;
    }
  | { clock: 'deadline'; at: string };

/** A category of the editable tree (network, billing, service attitude, business handling, terminal …). */
export const workOrderCategories = pgTable(
  'work_order_categories',
  {
    id: uuid('id').primaryKey(),
    provinceId: uuid('province_id').notNull(),
    parentId: uuid('parent_id'),
    code: text('code').notNull(),
    zh: text('zh').notNull(),
    en: text('en').notNull(),
    /** Service-quality complaints count in a hall's complaint rate (indicator 1). */
    serviceQuality: boolean('service_quality').notNull().default(false),
    active: boolean('active').notNull().default(true),
    sortOrder: integer('sort_order').notNull().default(0),
  },
  (t) => [uniqueIndex('work_order_categories_code_key').on(t.provinceId, t.code)],
);

/** One work order. */
export const workOrders = pgTable(
  'work_orders',
  {
    provinceId: uuid('province_id').notNull(),
    id: uuid('id').notNull(),
    /** The number the customer is told (GD + local date + sequence), unique in the province. */
    number: text('number').notNull(),
    kind: text('kind').$type<WorkOrderKind>().notNull(),
    channel: text('channel').$type<WorkOrderChannel>().notNull(),
    state: text('state').$type<WorkOrderState>().notNull(),
    priority: text('priority').$type<WorkOrderPriority>().notNull().default('normal'),
    customerId: uuid('customer_id'),
    subscriptionId: uuid('subscription_id'),
    /** The customer's tier when the order was taken (policies match on it). */
    customerTier: text('customer_tier'),
    /** The number to reply to and to follow the order with; lists show it masked. */
    contactPhone: text('contact_phone').notNull(),
    /** Keyed hash of the contact phone: the customer's follow page finds the order by it. */
    contactPhoneHash: text('contact_phone_hash').notNull(),
    categoryId: uuid('category_id').notNull(),
    /** The unit the order concerns: a hall's service-quality complaints count against that hall. */
    concernsUnitId: uuid('concerns_unit_id').notNull(),
    concernsUnitPath: text('concerns_unit_path').notNull(),
    title: text('title').notNull(),
    description: text('description').notNull(),
    /** Facts the policies match on, e.g. { line: 'mobile' } or { line: 'fixed', area: 'rural' }. */
    attributes: jsonb('attributes').$type<Record<string, string>>().notNull(),
    /** Escalated complaints: where it came from (senior management, media, repeat). */
    escalatedFrom: text('escalated_from').$type<'management' | 'media' | 'repeat'>(),
    /** Appeals: the regulator's reference and its deadline. */
    regulatorRef: text('regulator_ref'),
    deadline: ts('deadline'),
    /** 首问负责: the person who first received it owns it to the end; only a supervisor transfers it. */
    ownerStaffId: uuid('owner_staff_id').notNull(),
    ownerName: text('owner_name').notNull(),
    ownerUnitId: uuid('owner_unit_id').notNull(),
    ownerUnitPath: text('owner_unit_path').notNull(),
    /** The unit whose group queue holds the work now, and the member working on it (null = unclaimed). */
    handlingUnitId: uuid('handling_unit_id').notNull(),
    handlingUnitPath: text('handling_unit_path').notNull(),
    assigneeStaffId: uuid('assignee_staff_id'),
    assigneeName: text('assignee_name'),
    /** Every unit the order has been with (owner's, concerned, each hop's): units above these see it. */
    paths: text('paths').array().notNull(),
    /** The policy in force, recorded when the order was taken, and its targets and ladder then. */
    policyId: text('policy_id').notNull(),
    targets: jsonb('targets').$type<StoredTargets>().notNull(),
    escalation: jsonb('escalation').$type<EscalationStep[]>().notNull(),
    pauseStates: jsonb('pause_states').$type<string[]>().notNull(),
    /** The calendar whose schedule counts business time: the owning unit's. */
    calendarUnitId: uuid('calendar_unit_id').notNull(),
    /** Derived due times (null while paused), kept for lists, boards and the due-time table. */
    responseDueAt: ts('response_due_at'),
    resolutionDueAt: ts('resolution_due_at'),
    escalationLevel: text('escalation_level').$type<EscalationLevel>(),
    createdAt: ts('created_at').notNull(),
    firstResponseAt: ts('first_response_at'),
    answeredAt: ts('answered_at'),
    repliedAt: ts('replied_at'),
    closedAt: ts('closed_at'),
    reopenCount: integer('reopen_count').notNull().default(0),
    /** The reply to the customer, in the owner's name. */
    replyText: text('reply_text'),
    /** Satisfaction 1–5 from the customer's survey, and the survey code's hash. */
    satisfaction: integer('satisfaction'),
    /** Wrong tries of the survey code (the code dies at `echannel.codeMaxTries`). */
    surveyFailed: integer('survey_failed').notNull().default(0),
    surveyCodeHash: text('survey_code_hash'),
    parentId: uuid('parent_id'),
    mergedIntoId: uuid('merged_into_id'),
    version: integer('version').notNull().default(1),
  },
  (t) => [
    primaryKey({ columns: [t.provinceId, t.id] }),
    uniqueIndex('work_orders_id_key').on(t.id),
    uniqueIndex('work_orders_number_key').on(t.provinceId, t.number),
    index('work_orders_paths_idx').using('gin', t.paths),
    index('work_orders_handling_idx').on(sql`${t.handlingUnitPath} text_pattern_ops`, t.state),
    index('work_orders_owner_idx').on(t.ownerStaffId, t.state),
    index('work_orders_assignee_idx').on(t.assigneeStaffId, t.state),
    index('work_orders_customer_idx').on(t.customerId, t.createdAt),
    index('work_orders_phone_idx').on(t.contactPhoneHash),
    index('work_orders_concerns_idx').on(sql`${t.concernsUnitPath} text_pattern_ops`, t.createdAt),
  ],
);

/** An interval during which the order waited for the customer or a third party; `to` null = still paused. */
export const workOrderPauses = pgTable(
  'work_order_pauses',
  {
    id: uuid('id').primaryKey(),
    orderId: uuid('order_id').notNull(),
    state: text('state').$type<WorkOrderState>().notNull(),
    from: ts('from_at').notNull(),
    to: ts('to_at'),
  },
  (t) => [index('work_order_pauses_order_idx').on(t.orderId, t.from)],
);

/** A hop of dispatch: the order sent to another unit with its own deadline (OLA), answered back up. */
export const workOrderHops = pgTable(
  'work_order_hops',
  {
    id: uuid('id').primaryKey(),
    orderId: uuid('order_id').notNull(),
    fromUnitId: uuid('from_unit_id').notNull(),
    toUnitId: uuid('to_unit_id').notNull(),
    toUnitPath: text('to_unit_path').notNull(),
    sentBy: text('sent_by').notNull(),
    /** Who sent it: the work comes back to them when the hop is answered. */
    sentByStaffId: uuid('sent_by_staff_id').notNull(),
    sentAt: ts('sent_at').notNull(),
    dueAt: ts('due_at').notNull(),
    note: text('note').notNull(),
    answeredAt: ts('answered_at'),
    answer: text('answer'),
  },
  (t) => [index('work_order_hops_order_idx').on(t.orderId, t.sentAt)],
);

/** The timeline of an order: every step, who, where and what was said. */
export const workOrderSteps = pgTable(
  'work_order_steps',
  {
    id: uuid('id').primaryKey(),
    orderId: uuid('order_id').notNull(),
    at: ts('at').notNull(),
    step: text('step').notNull(),
    actorName: text('actor_name').notNull(),
    unitId: uuid('unit_id'),
    text: text('text').notNull().default(''),
    details: jsonb('details').$type<Record<string, unknown>>().notNull().default({}),
  },
  (t) => [index('work_order_steps_order_idx').on(t.orderId, t.at)],
);

/** A file attached to an order (size and type limited by settings). */
export const workOrderAttachments = pgTable(
  'work_order_attachments',
  {
    id: uuid('id').primaryKey(),
    orderId: uuid('order_id').notNull(),
    name: text('name').notNull(),
    mime: text('mime').notNull(),
    size: integer('size').notNull(),
    sha256: text('sha256').notNull(),
    bytes: bytea('bytes').notNull(),
    addedBy: text('added_by').notNull(),
    addedAt: ts('added_at').notNull(),
  },
  (t) => [index('work_order_attachments_order_idx').on(t.orderId)],
);

/** Links between orders: related, duplicate (merged into), child of a parent. */
export const workOrderLinks = pgTable(
  'work_order_links',
  {
    orderId: uuid('order_id').notNull(),
    otherId: uuid('other_id').notNull(),
    kind: text('kind').$type<'related' | 'duplicate' | 'child'>().notNull(),
    at: ts('at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.orderId, t.otherId] })],
);

/**
 * The durable due-time table: one row per deadline to act on (an escalation step of the resolution, the
 * first response, a hop's OLA). A worker claims due rows with `FOR UPDATE SKIP LOCKED` and marks them fired
 * in the same transaction as the escalation's event, so a deadline fires once across restarts and
 * instances. When the order's clocks move (pause, resume, reopen, close) its unfired rows are replaced.
 */
export const workOrderTimers = pgTable(
  'work_order_timers',
  {
    id: uuid('id').primaryKey(),
    provinceId: uuid('province_id').notNull(),
    orderId: uuid('order_id').notNull(),
    /** 'response' | 'escalation:<level>' | 'hop:<hopId>'. */
    what: text('what').notNull(),
    dueAt: ts('due_at').notNull(),
    firedAt: ts('fired_at'),
  },
  (t) => [
    index('work_order_timers_due_idx')
      .on(t.dueAt)
      .where(sql`${t.firedAt} IS NULL`),
    uniqueIndex('work_order_timers_what_key').on(t.orderId, t.what),
  ],
);

/** The last order number of a province's local day (GD + yyyymmdd + sequence): one row per day, locked to count. */
export const workOrderNumbers = pgTable(
  'work_order_numbers',
  {
    provinceId: uuid('province_id').notNull(),
    day: text('day').notNull(),
    last: integer('last').notNull(),
  },
  (t) => [primaryKey({ columns: [t.provinceId, t.day] })],
);

/** A round-robin cursor per group queue (the unit): the member who got the last automatic assignment. */
export const workOrderRoundRobin = pgTable('work_order_round_robin', {
  unitId: uuid('unit_id').primaryKey(),
  lastStaffId: uuid('last_staff_id'),
});

export type WorkOrderRow = typeof workOrders.$inferSelect;
