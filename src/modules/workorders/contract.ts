/**
 * zod schemas of work orders (工单; issue #14): what the console, the customer's follow page and the tests
 * send and get. Shared by the routes, the services' return types and the web pages.
 */
import { z } from 'zod';
import { ESCALATION_LEVELS, WORK_ORDER_CHANNELS, WORK_ORDER_KINDS } from '../../core/sla.ts';
import { bi, Id, LocalDate } from '../../platform/contract.ts';
import { Mobile } from '../echannel/contract.ts';
import { UNIT_KIND_CODES } from '../../core/org.ts';
import { PHONE_PATTERN } from '../../core/phone.ts';

export const WorkOrderKind = z.enum(WORK_ORDER_KINDS);
export const WorkOrderChannel = z.enum(WORK_ORDER_CHANNELS);
export const WorkOrderState = z.enum([
  'new',
  'assigned',
  'dispatched',
  'waiting_customer',
  'waiting_third_party',
  'answered',
  'replied',
  'closed',
]);
export const PAUSE_STATES = ['waiting_customer', 'waiting_third_party'] as const;
export const WorkOrderPriority = z.enum(['low', 'normal', 'high', 'urgent']);
export const EscalationLevel = z.enum(ESCALATION_LEVELS);

const Text = (max: number) => z.string().trim().min(1).max(max);
const Instant = z.iso.datetime({ offset: true });

/* ---------------------------------------------------------------------------------------------- */
/* Views.                                                                                         */
/* ---------------------------------------------------------------------------------------------- */

export const Named = z.object({ id: Id, name: z.string() });

/** One clock of an order (first response, resolution, the regulator's answer limit) at the time asked. */
export const SlaClockView = z.object({
  target: z
    .object({ zh: z.string(), en: z.string() })
    .describe('how the limit is counted, e.g. "5 working days"'),
  dueAt: z.string().nullable().describe('null while a pause stops the clock'),
  projectedDueAt: z.string().describe('the due time if the clock resumed now'),
  elapsedMinutes: z.number(),
  remainingMinutes: z.number(),
  pausedMinutes: z.number(),
  share: z.number().describe('share of the limit used, 0 … (over 1 when breached)'),
  paused: z.boolean(),
  breached: z.boolean(),
  /** Met: the clock's step is done (first response given; order answered or replied). */
  metAt: z.string().nullable(),
  amberAt: z
    .string()
    .nullable()
    .describe(
      'when the clock turns amber (the warning share reached), for a live countdown; null once met or while paused',
    ),
  /** green below the warning share, amber from it, red once breached. */
  colour: z.enum(['green', 'amber', 'red']),
});
export type SlaClockView = z.infer<typeof SlaClockView>;

export const WorkOrder = z.object({
  id: Id,
  number: z.string(),
  kind: WorkOrderKind,
  channel: WorkOrderChannel,
  state: WorkOrderState,
  priority: WorkOrderPriority,
  customer: z.object({ id: Id, name: z.string(), tier: z.string() }).nullable(),
  contactPhone: z.string().describe('masked'),
  subscriptionId: Id.nullable(),
  category: z.object({ id: Id, code: z.string(), zh: z.string(), en: z.string() }),
  concernsUnit: Named,
  title: z.string(),
  description: z.string(),
  attributes: z.record(z.string(), z.string()),
  escalatedFrom: z.enum(['management', 'media', 'repeat']).nullable(),
  regulatorRef: z.string().nullable(),
  deadline: z.string().nullable(),
  owner: z.object({ staffId: Id, name: z.string(), unit: Named }),
  handlingUnit: Named,
  assignee: z.object({ staffId: Id, name: z.string() }).nullable(),
  policy: z.object({ id: z.string(), zh: z.string(), en: z.string() }),
  responseDueAt: z.string().nullable(),
  resolutionDueAt: z.string().nullable(),
  pausedMinutes: z.number(),
  escalationLevel: EscalationLevel.nullable(),
  clocks: z.object({
    response: SlaClockView.nullable(),
    resolution: SlaClockView,
    answer: SlaClockView.nullable(),
  }),
  createdAt: z.string(),
  firstResponseAt: z.string().nullable(),
  answeredAt: z.string().nullable(),
  repliedAt: z.string().nullable(),
  closedAt: z.string().nullable(),
  reopenCount: z.number().int(),
  reply: z.string().nullable(),
  satisfaction: z.number().int().nullable(),
  parentId: Id.nullable(),
  mergedIntoId: Id.nullable(),
  version: z.number().int(),
});
export type WorkOrder = z.infer<typeof WorkOrder>;

export const TimelineStep = z.object({
  id: Id,
  at: z.string(),
  step: z.string(),
  label: z.object({ zh: z.string(), en: z.string() }),
  actorName: z.string(),
  unit: Named.nullable(),
  text: z.string(),
  details: z.record(z.string(), z.unknown()),
});

export const Hop = z.object({
  id: Id,
  from: Named,
  to: Named,
  sentBy: z.string(),
  sentAt: z.string(),
  dueAt: z.string(),
  note: z.string(),
  answeredAt: z.string().nullable(),
  answer: z.string().nullable(),
  overdue: z.boolean(),
});

export const Attachment = z.object({
  id: Id,
  name: z.string(),
  mime: z.string(),
  size: z.number().int(),
  addedBy: z.string(),
  addedAt: z.string(),
});

export const OrderLink = z.object({
  other: z.object({ id: Id, number: z.string(), state: WorkOrderState, title: z.string() }),
  kind: z.enum(['related', 'duplicate', 'child', 'parent']),
});

export const WorkOrderDetail = WorkOrder.extend({
  timeline: z.array(TimelineStep),
  hops: z.array(Hop),
  attachments: z.array(Attachment),
  links: z.array(OrderLink),
  /** The customer's other orders (newest first), shown beside. */
  earlier: z.array(
    z.object({
      id: Id,
      number: z.string(),
      kind: WorkOrderKind,
      state: WorkOrderState,
      title: z.string(),
      createdAt: z.string(),
    }),
  ),
  /** What the caller may do now (buttons). */
  may: z.array(z.string()),
});
export type WorkOrderDetail = z.infer<typeof WorkOrderDetail>;

export const WorkOrderPage = z.object({ items: z.array(WorkOrder), total: z.number().int() });

/** Who is calling, found by their whole number at intake: the customer (masked) and their earlier orders. */
export const IntakeCaller = z.object({
  customer: z
    .object({
      id: Id,
      name: z.string(),
      tier: z.string(),
      phone: z.string().describe('masked'),
      subscriptions: z.array(
        z.object({ id: Id, number: z.string().describe('masked'), kind: z.string(), status: z.string() }),
      ),
    })
    .nullable(),
  earlier: WorkOrderDetail.shape.earlier,
});
export type IntakeCaller = z.infer<typeof IntakeCaller>;
export const CallerQuery = z.object({
  phone: z
    .string()
    .trim()
    .regex(PHONE_PATTERN, bi('须是完整的手机或固话号码', 'A whole mobile or fixed-line number'))
    .describe('the whole number: a part of one finds nobody'),
});

/** A unit work can be sent to (a new order's group queue, or a dispatch target). */
export const WorkUnit = z.object({ id: Id, name: z.string(), kind: z.enum(UNIT_KIND_CODES) });

/** Someone a supervisor may assign the order to or transfer its ownership to. */
export const Person = z.object({
  staffId: Id,
  name: z.string(),
  unit: Named,
  onDuty: z.boolean().describe('signed in to the console now'),
  load: z.number().int().describe('open orders assigned to them'),
});
export const PeopleQuery = z.object({ for: z.enum(['assign', 'transfer']) });

export const Category = z.object({
  id: Id,
  parentId: Id.nullable(),
  code: z.string(),
  zh: z.string(),
  en: z.string(),
  serviceQuality: z.boolean(),
  active: z.boolean(),
});
export type Category = z.infer<typeof Category>;

/* ---------------------------------------------------------------------------------------------- */
/* Commands.                                                                                      */
/* ---------------------------------------------------------------------------------------------- */

export const NewWorkOrder = z.object({
  kind: WorkOrderKind,
  channel: WorkOrderChannel,
  customerId: Id.optional().describe('found by phone at intake; omit for a caller who is not a customer'),
  contactPhone: Mobile.optional().describe(
    "the number to reply to; the customer's contact phone when omitted",
  ),
  subscriptionId: Id.optional(),
  categoryId: Id,
  concernsUnitId: Id.describe('the unit the order concerns (a hall: its complaint rate counts it)'),
  handlingUnitId: Id.optional().describe(
    "the group queue the work goes to: the taker's unit by default, or a service centre that serves it",
  ),
  title: Text(120),
  description: Text(4000),
  priority: WorkOrderPriority.default('normal'),
  attributes: z.record(z.string().max(40), z.string().max(80)).default({}),
  escalatedFrom: z.enum(['management', 'media']).optional().describe('a repeat complaint is found by itself'),
  regulatorRef: z.string().trim().min(1).max(60).optional().describe('an appeal: the regulator’s reference'),
  deadline: Instant.optional().describe('an appeal: the regulator’s deadline'),
  visitId: Id.optional().describe('taken at a counter from a visit'),
  ticketId: Id.optional().describe(
    'taken at a counter from the called ticket: its customer and number when none is given',
  ),
  parentId: Id.optional(),
});
export type NewWorkOrder = z.infer<typeof NewWorkOrder>;

/** Every command on an order carries the version the caller saw: a stale one is 409. */
export const Versioned = z.object({ version: z.number().int().min(1).optional() });

export const Assign = Versioned.extend({
  staffId: Id.optional().describe('omit to assign automatically'),
  mode: z.enum(['round_robin', 'least_loaded']).default('least_loaded'),
});
export const Dispatch = Versioned.extend({
  toUnitId: Id,
  note: Text(2000),
  dueMinutes: z
    .number()
    .int()
    .min(1)
    .max(60 * 24 * 60)
    .optional()
    .describe('the hop’s own limit (OLA); by default its share of what is left'),
});
export const Pause = Versioned.extend({ state: z.enum(PAUSE_STATES), note: Text(2000) });
export const Note = Versioned.extend({ text: Text(4000) });
export const Transfer = Versioned.extend({ toStaffId: Id, reason: Text(500) });
export const LinkOrders = z.object({ otherId: Id, kind: z.enum(['related', 'duplicate', 'child']) });
export const NewAttachment = z.object({
  name: z.string().trim().min(1).max(120),
  mime: z.string().trim().min(3).max(100),
  dataBase64: z
    .string()
    .min(1)
    .max(14_000_000)
    .describe('the file, base64; size and type limited by settings'),
});

export const WorkOrderQuery = z.object({
  kind: WorkOrderKind.optional(),
  state: z
    .union([WorkOrderState, z.literal('open')])
    .optional()
    .describe("'open' = not closed"),
  unitId: Id.optional().describe('orders with this unit or below it'),
  owner: z.enum(['me']).optional(),
  assignee: z.enum(['me']).optional(),
  mine: z.coerce.boolean().optional().describe('owned by or assigned to me'),
  dueBefore: Instant.optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
});
export type WorkOrderQuery = z.infer<typeof WorkOrderQuery>;

export const OrderParams = z.object({ orderId: Id });

/* ---------------------------------------------------------------------------------------------- */
/* The customer's follow page (/m/orders).                                                        */
/* ---------------------------------------------------------------------------------------------- */

export const FollowParams = z.object({
  number: z
    .string()
    .trim()
    .regex(/^GD\d{12,}$/, bi('工单号格式不对', 'Not a work-order number')),
});

export const FollowedOrder = z.object({
  number: z.string(),
  kind: WorkOrderKind,
  state: WorkOrderState,
  title: z.string(),
  createdAt: z.string(),
  resolutionDueAt: z.string().nullable(),
  reply: z.string().nullable(),
  satisfaction: z.number().int().nullable(),
  mayRate: z.boolean(),
  mayReopenUntil: z.string().nullable(),
  steps: z.array(z.object({ at: z.string(), label: z.object({ zh: z.string(), en: z.string() }) })),
});

export type FollowedOrder = z.infer<typeof FollowedOrder>;

export const AddInformation = z.object({ text: Text(2000) });
export const Rate = z.object({ score: z.number().int().min(1).max(5) });
/** A rating with the survey code the reply's SMS carried (no phone code needed). */
export const SurveyRating = Rate.extend({
  code: z
    .string()
    .trim()
    .toUpperCase()
    .regex(
      /^[2-9A-HJ-NP-Z]{8}$/,
      bi('评价码是短信中的 8 位字母和数字', 'The survey code is the 8 letters and digits of the SMS'),
    ),
});
export const SurveyRated = z.object({ number: z.string(), satisfaction: z.number().int() });
export const CustomerReopen = z.object({ text: Text(2000) });

/* ---------------------------------------------------------------------------------------------- */
/* The report: indicator 1 and the time limits.                                                  */
/* ---------------------------------------------------------------------------------------------- */

export const ReportQuery = z
  .object({
    unitId: Id,
    from: LocalDate,
    to: LocalDate.describe('inclusive'),
  })
  .refine((q) => q.from <= q.to, { message: '开始日期不能晚于结束日期 ¦ The period ends before it starts' });
export type ReportQuery = z.infer<typeof ReportQuery>;

export const TimeLimitFigures = z.object({
  taken: z.number().int(),
  handled: z.number().int(),
  handledOnTime: z.number().int(),
  onTimeShare: z.number().nullable(),
  openOverdue: z.number().int(),
  open: z.number().int(),
  closed: z.number().int(),
  satisfaction: z.number().nullable(),
  rated: z.number().int(),
});
export const KindSummary = TimeLimitFigures.extend({ kind: WorkOrderKind });

export const AgeBand = z.object({
  fromHours: z.number(),
  toHours: z.number().nullable().describe('exclusive; null for the last band'),
  open: z.number().int(),
  overdue: z.number().int(),
});

export const WorkOrderReport = z.object({
  unitId: Id,
  from: LocalDate,
  to: LocalDate,
  /** Indicator 1 (2§3.7): service-quality complaints against halls / halls; below the target. */
  complaintRate: z.object({
    numerator: z.number().int(),
    denominator: z.number().int(),
    rate: z.number().nullable(),
    target: z.number(),
    met: z.boolean().nullable(),
  }),
  halls: z.array(z.object({ unitId: Id, name: z.string(), complaints: z.number().int(), met: z.boolean() })),
  byKind: z.array(KindSummary),
  /** The same figures per top-level category of the tree, in the tree's order. */
  byCategory: z.array(TimeLimitFigures.extend({ categoryId: Id, zh: z.string(), en: z.string() })),
  /**
   * Per unit directly below the one asked about (and the unit itself), by the unit each order concerns;
   * `unitId` null for orders that passed through the unit but concern a unit outside it.
   */
  byUnit: z.array(TimeLimitFigures.extend({ unitId: Id.nullable(), name: z.string() })),
  /** Now, whatever the period (积压): orders neither handled nor closed, by age since taken. */
  backlog: z.object({
    asOf: z.string(),
    open: z.number().int(),
    overdue: z.number().int(),
    oldestHours: z.number().nullable(),
    bands: z.array(AgeBand),
  }),
});
export type WorkOrderReport = z.infer<typeof WorkOrderReport>;

/** A unit the caller may ask the report for: their reach for `workorder.report` (a centre's: what it serves). */
export const ReportUnit = z.object({
  id: Id,
  parentId: Id.nullable(),
  code: z.string(),
  kind: z.string(),
  name: z.string(),
  nameEn: z.string(),
  timeZone: z.string(),
});
export type ReportUnit = z.infer<typeof ReportUnit>;

/** A time-limit policy in force at the caller's unit (condition → targets, pauses, escalation). */
export const WorkOrderPolicy = z.object({
  id: z.string(),
  zh: z.string(),
  en: z.string(),
  condition: z.object({
    kinds: z.array(WorkOrderKind),
    channels: z.array(WorkOrderChannel),
    customerTiers: z.array(z.string()),
    category: z.string().nullable(),
    attributes: z.record(z.string(), z.string()),
  }),
  firstResponse: z.object({ zh: z.string(), en: z.string() }).nullable(),
  resolution: z.object({ zh: z.string(), en: z.string() }),
  answer: z.object({ zh: z.string(), en: z.string() }).nullable(),
  orderDeadline: z.boolean(),
  pauseStates: z.array(z.string()),
  escalation: z.array(
    z.object({ level: EscalationLevel, zh: z.string(), en: z.string(), threshold: z.string() }),
  ),
});
