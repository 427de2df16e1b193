/** zod schemas and types of the queue API (imported by the web console too). */
import { z } from 'zod';
import { ID_DOC_KIND_CODES } from '../../core/id-documents.ts';
import { Id, LocalDate, Phone } from '../../platform/contract.ts';
import { RatingSummary } from './clerk-contract.ts';

export const HallParams = z.object({ hallId: Id });

const Code = z
  .string()
  .trim()
  .max(30)
  .regex(/^[a-z0-9][a-z0-9_-]{0,29}$/, '代码应为小写字母、数字、_ 或 - ¦ Lower-case letters, digits, _ or -');
const Name = z.string().trim().min(1).max(40);
const Tier = z.enum(['diamond', 'gold', 'silver', 'ordinary']);

/* ----------------------------------------------------------------------------------------------- */
/* Configuration of a hall.                                                                         */
/* ----------------------------------------------------------------------------------------------- */

export const CategoryConfig = z.object({
  code: Code,
  name: Name.describe('e.g. 业务办理'),
  nameEn: Name,
  queue: Code.describe('the queue a ticket joins unless a segmentation rule says otherwise'),
  meanServiceMinutes: z.number().min(0.5).max(120).describe('expected until enough are measured'),
});

export const QueueConfig = z.object({
  code: Code,
  name: Name,
  nameEn: Name,
  prefix: z
    .string()
    .regex(/^[A-Z]{1,2}$/, '号码前缀应为1–2个大写字母 ¦ The prefix is one or two capital letters'),
  vip: z.boolean().default(false).describe('held to the VIP/3G wait limit'),
});

export const SegmentationRuleConfig = z.object({
  queue: Code,
  when: z.object({
    tiers: z.array(Tier).max(4).optional(),
    is3g: z.boolean().optional(),
    appointment: z.boolean().optional(),
    categories: z.array(Code).max(50).optional(),
  }),
});

export const ProfileRuleConfig = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('queue'), queue: Code }),
  z.object({ kind: z.literal('overdue'), queue: Code, afterMinutes: z.number().int().min(1).max(240) }),
]);

export const WorkProfileConfig = z.object({
  code: Code,
  name: Name,
  nameEn: Name,
  rules: z.array(ProfileRuleConfig).min(1).max(20),
  categories: z.array(Code).max(50).default([]),
});

export const CounterKind = z.enum(['normal', 'vip', '3g', 'group']).describe('普通/VIP专席/3G/集团客户');

export const CounterConfig = z.object({
  code: Code,
  number: z.number().int().min(1).max(999).describe('the window number called out'),
  name: Name,
  kind: CounterKind,
  categories: z.array(Code).max(50).default([]).describe('empty: every category'),
  profile: Code.describe('the default work profile'),
});

export const Notice = z.object({ zh: z.string().trim().min(1).max(200), en: z.string().trim().max(200) });

export const HallQueueConfig = z.object({
  categories: z.array(CategoryConfig).min(1).max(50),
  queues: z.array(QueueConfig).min(1).max(20),
  segmentation: z.array(SegmentationRuleConfig).max(50).default([]),
  profiles: z.array(WorkProfileConfig).min(1).max(50),
  counters: z.array(CounterConfig).max(200),
  notices: z.array(Notice).max(10).optional(),
});
export type HallQueueConfig = z.infer<typeof HallQueueConfig>;
export type HallQueueConfigInput = z.input<typeof HallQueueConfig>;

export const HallQueueConfigView = HallQueueConfig.extend({
  hallId: Id,
  profiles: z.array(WorkProfileConfig.extend({ id: Id })),
  counters: z.array(CounterConfig.extend({ id: Id })),
  notices: z.array(Notice),
});
export type HallQueueConfigView = z.infer<typeof HallQueueConfigView>;

export const SetNotices = z.object({ notices: z.array(Notice).max(10) });

/* ----------------------------------------------------------------------------------------------- */
/* Tickets.                                                                                          */
/* ----------------------------------------------------------------------------------------------- */

export const TicketStatus = z.enum([
  'waiting',
  'called',
  'serving',
  'parked',
  'done',
  'no_show',
  'cancelled',
  'not_served',
]);
export const TicketChannel = z.enum(['kiosk', 'guide', 'remote', 'appointment']);
export const FinishOutcome = z
  .enum(['served', 'partly_served', 'referred', 'not_handled'])
  .describe('办结/部分办理/转其他渠道/无法办理');

export const TakeTicket = z.object({
  category: Code.describe('service category code, e.g. business'),
  phone: Phone.optional().describe('finds tier and 3G flag; required for a remote ticket'),
});
export type TakeTicket = z.infer<typeof TakeTicket>;

export const PreRegistrationInput = z
  .object({
    business: z.array(z.string().trim().min(1).max(60)).min(1).max(10).describe('e.g. 补换卡, 套餐变更'),
    customerName: z.string().trim().max(80).default(''),
    idDocKind: z.enum(ID_DOC_KIND_CODES).optional(),
    idDocNumber: z.string().trim().toUpperCase().min(5).max(30).optional(),
    note: z.string().trim().max(200).default(''),
  })
  .refine((v) => (v.idDocKind === undefined) === (v.idDocNumber === undefined), {
    message: '证件类型和号码须同时填写 ¦ Give both the document kind and its number',
  });
export type PreRegistrationInput = z.infer<typeof PreRegistrationInput>;

export const PreRegistrationView = z.object({
  business: z.array(z.string()),
  customerName: z.string(),
  idDocKind: z.string(),
  /** Masked; the clerk serving the ticket may reveal it (an event). */
  idDocNumber: z.string(),
  note: z.string(),
  by: z.string(),
  at: z.string(),
});

export const CounterRef = z.object({ id: Id, number: z.number().int(), name: z.string() });

export const Ticket = z.object({
  id: Id,
  hallId: Id,
  hallName: z.string(),
  date: LocalDate,
  number: z.string().describe('e.g. A012'),
  queue: z.string(),
  queueName: z.string(),
  category: z.string(),
  categoryName: z.string(),
  categoryNameEn: z.string(),
  priority: z.number().int(),
  vip: z.boolean().describe('VIP or 3G customer: the VIP wait limit applies'),
  channel: TicketChannel,
  status: TicketStatus,
  customer: z
    .object({ tier: Tier.nullable(), is3g: z.boolean(), displayName: z.string() })
    .nullable()
    .describe('found by the phone number; the name masked'),
  phone: z.string().describe('masked'),
  appointmentId: Id.nullable(),
  takenAt: z.string(),
  waitingSince: z.string(),
  calledAt: z.string().nullable(),
  counter: CounterRef.nullable(),
  targetCounterId: Id.nullable(),
  staffName: z.string(),
  recalls: z.number().int(),
  startedAt: z.string().nullable(),
  businessDoneAt: z.string().nullable(),
  finishedAt: z.string().nullable(),
  outcome: z.string().nullable(),
  business: z.array(z.string()),
  transfers: z.number().int(),
  waitMinutes: z.number().nullable().describe('wait until the first call'),
  waitLimitMinutes: z.number().nullable().describe('the limit in force at the first call'),
  preRegistration: PreRegistrationView.nullable(),
  /** While waiting: tickets ahead in the same line and the expected wait (null: no counter open). */
  peopleAhead: z.number().int().nullable(),
  estimatedWaitMinutes: z.number().nullable(),
  nearFront: z.boolean(),
  announcement: z.object({ zh: z.string(), en: z.string() }).nullable(),
  follow: z
    .object({ token: z.string(), expiresAt: z.string() })
    .optional()
    .describe(
      'only in the answer of a take at the hall: the slip’s follow link (QR code), shown once — it follows and cancels this ticket only, until the end of its day',
    ),
});
export type Ticket = z.infer<typeof Ticket>;

export const TicketQuery = z.object({
  date: LocalDate.optional().describe('the hall local date; today by default'),
  status: TicketStatus.optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
  offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
});

export const CallNext = z
  .object({ queue: Code.optional().describe('call only from this queue (the profile must name it)') })
  .nullish();

export const TransferTicket = z
  .object({
    queue: Code.optional(),
    counterId: Id.optional().describe('only this counter calls the ticket, before its own queues'),
    category: Code.optional(),
  })
  .refine((v) => v.queue !== undefined || v.counterId !== undefined, {
    message: '请指定转入的队列或台席 ¦ Name the queue or the counter to transfer to',
  });
export type TransferTicket = z.infer<typeof TransferTicket>;

export const FinishTicket = z.object({
  outcome: FinishOutcome.default('served'),
  business: z.array(z.string().trim().min(1).max(60)).max(20).default([]).describe('business done'),
});
export type FinishTicket = z.infer<typeof FinishTicket>;

export const ParkTicket = z.object({ reason: z.string().trim().max(100).default('') }).nullish();

/* ----------------------------------------------------------------------------------------------- */
/* Counters.                                                                                         */
/* ----------------------------------------------------------------------------------------------- */

export const CounterState = z.enum(['closed', 'open', 'paused']);

export const Counter = z.object({
  id: Id,
  hallId: Id,
  code: z.string(),
  number: z.number().int(),
  name: z.string(),
  kind: CounterKind,
  categories: z.array(z.string()),
  state: CounterState,
  /** open and a ticket called or served now. */
  busy: z.boolean(),
  stateSince: z.string(),
  minutesInState: z.number(),
  profile: z.object({ id: Id, code: z.string(), name: z.string() }).nullable(),
  defaultProfileId: Id,
  staffId: Id.nullable(),
  staffName: z.string(),
  pauseReason: z.string(),
  currentTicket: Ticket.nullable(),
});
export type Counter = z.infer<typeof Counter>;

export const OpenCounter = z.object({ profileId: Id.optional() }).nullish();
export const PauseCounter = z.object({
  reason: z.string().trim().min(2).max(100).describe('e.g. 用餐, 培训'),
  override: z
    .boolean()
    .default(false)
    .describe('duty manager: pause although more customers wait than allowed (an event)'),
});

/* ----------------------------------------------------------------------------------------------- */
/* Live views.                                                                                       */
/* ----------------------------------------------------------------------------------------------- */

const Limits = z.object({
  waitMinutes: z.number(),
  vipWaitMinutes: z.number(),
  transactionMinutes: z.number(),
  warnShare: z.number(),
});

export const HallHeader = z.object({
  id: Id,
  code: z.string(),
  name: z.string(),
  nameEn: z.string(),
  timeZone: z.string(),
  date: LocalDate,
  open: z.boolean(),
  closesAt: z.string().nullable(),
});

export const QueueAlert = z.object({
  kind: z.enum(['wait', 'vip_wait', 'transaction']),
  level: z.enum(['warning', 'breach']),
  queue: z.string().nullable(),
  ticketId: Id,
  number: z.string(),
  counterId: Id.nullable(),
  counterNumber: z.number().nullable(),
  elapsedMinutes: z.number(),
  limitMinutes: z.number(),
  countersToOpen: z.number().int(),
  message: z.object({ zh: z.string(), en: z.string() }),
});
export type QueueAlert = z.infer<typeof QueueAlert>;

/** What an acknowledgement names: a queue's wait alerts or a counter's transaction alert. */
export const AlertKey = z
  .string()
  .trim()
  .regex(/^(queue:[A-Za-z0-9_-]{1,32}|counter:[0-9a-f-]{36})$/, {
    message: '请指定队列或台席的预警 ¦ Name a queue’s or a counter’s alert',
  })
  .describe('queue:<code> or counter:<id>');

/** The floor view's alerts: one row per queue (waits) and per counter (a transaction over its limit). */
export const AlertRow = z.object({
  key: AlertKey,
  kind: z.enum(['wait', 'vip_wait', 'transaction']),
  level: z.enum(['warning', 'breach']),
  queue: z.string().nullable(),
  counterId: Id.nullable(),
  counterNumber: z.number().nullable(),
  oldestTicketId: Id,
  oldestNumber: z.string(),
  oldestMinutes: z.number(),
  limitMinutes: z.number(),
  over: z.number().int().describe('tickets over their limit'),
  near: z.number().int().describe('tickets at the warning share, not over'),
  acknowledged: z
    .object({ by: z.string(), at: z.string(), note: z.string() })
    .nullable()
    .describe('the duty manager has seen it; cleared when more go over or it turns into a breach'),
  message: z.object({ zh: z.string(), en: z.string() }),
});
export type AlertRow = z.infer<typeof AlertRow>;

export const AcknowledgeAlert = z.object({
  key: AlertKey,
  note: z.string().trim().max(100).default(''),
});
export type AcknowledgeAlert = z.infer<typeof AcknowledgeAlert>;

/** One "open N more counters" figure for the hall, never more than the closed counters; the split adds up. */
export const CounterAdvice = z.object({
  countersToOpen: z.number().int(),
  closedCounters: z.number().int(),
  byQueue: z.array(z.object({ queue: z.string(), countersToOpen: z.number().int() })),
  counters: z.array(z.object({ counterId: Id, counterNumber: z.number().int(), queue: z.string() })),
  message: z.object({ zh: z.string(), en: z.string() }),
});
export type CounterAdvice = z.infer<typeof CounterAdvice>;

export const WaitingLine = z.object({
  id: Id,
  number: z.string(),
  queue: z.string(),
  category: z.string(),
  vip: z.boolean(),
  tier: Tier.nullable(),
  is3g: z.boolean(),
  channel: TicketChannel,
  status: TicketStatus,
  waitingSince: z.string(),
  waitingMinutes: z.number(),
  preRegistered: z.boolean(),
  targetCounterId: Id.nullable(),
});

/**
 * A service category as the kiosk, the remote page, the floor guide and the floor view show it: the
 * figures of the queue it sends tickets to (its waiting tickets and the expected wait of a new ticket).
 */
const CategoryLine = z.object({
  code: z.string(),
  name: z.string(),
  nameEn: z.string(),
  queue: z.string().describe('the queue its tickets go to (before segmentation by customer)'),
  waiting: z.number().int().describe('tickets waiting in that queue'),
  estimatedWaitMinutes: z
    .number()
    .nullable()
    .describe('expected wait of a new ticket; null: no counter open'),
});

export const QueueState = z.object({
  hall: HallHeader,
  at: z.string(),
  limits: Limits,
  queues: z.array(
    z.object({
      code: z.string(),
      name: z.string(),
      nameEn: z.string(),
      prefix: z.string(),
      vip: z.boolean(),
      waiting: z.number().int(),
      oldestWaitMinutes: z.number().nullable(),
      openCounters: z.number().int(),
      arrivalsPerHour: z.number(),
      meanServiceMinutes: z.number(),
      estimatedWaitMinutes: z.number().nullable(),
      countersNeeded: z.number().int(),
      countersToOpen: z.number().int().describe('this queue’s share of the hall’s advice'),
    }),
  ),
  categories: z.array(CategoryLine),
  counters: z.array(
    Counter.omit({ currentTicket: true }).extend({
      currentNumber: z.string().nullable(),
      currentStatus: TicketStatus.nullable(),
      currentMinutes: z.number().nullable().describe('since the call, or since the start of service'),
    }),
  ),
  waiting: z.array(WaitingLine),
  alerts: z.array(QueueAlert).describe('per ticket (as raised as events)'),
  alertRows: z.array(AlertRow).describe('per queue and per counter: what the floor view lists'),
  advice: CounterAdvice,
  totals: z.object({
    tickets: z.number().int(),
    waiting: z.number().int(),
    served: z.number().int(),
    noShows: z.number().int(),
    notServed: z.number().int(),
    cancelled: z.number().int(),
  }),
});
export type QueueState = z.infer<typeof QueueState>;

const Call = z.object({
  ticketId: Id,
  number: z.string(),
  counterNumber: z.number().int(),
  counterName: z.string(),
  at: z.string(),
  announcement: z.object({ zh: z.string(), en: z.string() }),
});

export const DisplayState = z.object({
  hall: HallHeader,
  at: z.string(),
  calling: z.array(Call).describe('called now, newest first'),
  recent: z
    .array(Call)
    .describe('the last calls, without tickets since parked or transferred (waiting again)'),
  waitingByCategory: z.array(
    z.object({ code: z.string(), name: z.string(), nameEn: z.string(), waiting: z.number().int() }),
  ),
  notices: z.array(Notice),
});
export type DisplayState = z.infer<typeof DisplayState>;

/** A call of the display whose Mandarin announcement is asked for as audio (it must be one of the display's calls). */
export const AnnouncementQuery = z.object({
  number: z
    .string()
    .trim()
    .regex(
      /^[A-Z]{1,2}\d{3,6}$/,
      '号码应为1–2个大写字母加数字 ¦ A ticket number: one or two capital letters and digits',
    )
    .describe('the ticket number called, e.g. A012'),
  counter: z.coerce.number().int().min(1).max(9999).describe('the counter it is called to'),
});

export const KioskState = z.object({
  hall: HallHeader,
  at: z.string(),
  categories: z.array(CategoryLine),
  notices: z.array(Notice),
  idleMinutes: z
    .number()
    .int()
    .describe('minutes without a touch before the attract screen (queue.kioskIdleMinutes)'),
});
export type KioskState = z.infer<typeof KioskState>;

export const DayClosed = z.object({
  hallId: Id,
  date: LocalDate,
  notServed: z.number().int(),
  appointmentNoShows: z.number().int(),
  countersClosed: z.number().int(),
});
export type DayClosed = z.infer<typeof DayClosed>;

export const CloseDay = z.object({ date: LocalDate.optional() }).nullish();

/* ----------------------------------------------------------------------------------------------- */
/* Appointments.                                                                                     */
/* ----------------------------------------------------------------------------------------------- */

export const SlotQuery = z.object({ date: LocalDate });
export const Slots = z.object({
  hallId: Id,
  date: LocalDate,
  slotMinutes: z.number().int(),
  capacity: z.number().int(),
  slots: z.array(
    z.object({ start: z.string(), end: z.string(), booked: z.number().int(), free: z.number().int() }),
  ),
});

export const BookAppointment = z.object({
  phone: Phone,
  category: Code,
  slotStart: z.iso.datetime({ offset: true }).describe('the start of one of the day’s slots'),
});
export type BookAppointment = z.infer<typeof BookAppointment>;

export const AppointmentStatus = z.enum(['booked', 'checked_in', 'late', 'no_show', 'cancelled']);
export const Appointment = z.object({
  id: Id,
  hallId: Id,
  hallName: z.string(),
  date: LocalDate,
  slotStart: z.string(),
  slotEnd: z.string(),
  category: z.string(),
  phone: z.string().describe('masked'),
  tier: Tier.nullable(),
  is3g: z.boolean(),
  status: AppointmentStatus,
  ticketId: Id.nullable(),
  createdAt: z.string(),
});
export type Appointment = z.infer<typeof Appointment>;

export const AppointmentQuery = z.object({ date: LocalDate.optional() });
export const CheckIn = z.object({ phone: Phone });
export const CheckedIn = z.object({
  verdict: z.enum(['on_time', 'late']),
  appointment: Appointment,
  ticket: Ticket,
});

/* ----------------------------------------------------------------------------------------------- */
/* Statistics.                                                                                       */
/* ----------------------------------------------------------------------------------------------- */

export const StatsQuery = z
  .object({
    unitId: Id.describe('a hall, or a city or province for all its halls'),
    from: LocalDate,
    to: LocalDate,
    by: z.enum(['hall', 'day', 'category', 'counter', 'clerk']).default('hall'),
  })
  .refine((q) => q.from <= q.to, { message: '起始日期不能晚于结束日期 ¦ from must not be after to' })
  .refine((q) => (Date.parse(q.to) - Date.parse(q.from)) / 86_400_000 <= 366, {
    message: '统计区间最长一年 ¦ At most one year at a time',
  });
export type StatsQuery = z.infer<typeof StatsQuery>;

const Duration = z.object({
  count: z.number().int(),
  averageMinutes: z.number().nullable(),
  p90Minutes: z.number().nullable(),
  withinLimitShare: z.number().nullable(),
  limitsMinutes: z.array(z.number()),
});

export const StatsRow = z.object({
  key: z.string(),
  label: z.string(),
  tickets: z.number().int(),
  served: z.number().int(),
  noShows: z.number().int(),
  notServed: z.number().int(),
  cancelled: z.number().int(),
  transferred: z.number().int().describe('calls ended by a transfer or park (counter/clerk rows)'),
  open: z.number().int(),
  byChannel: z.record(z.string(), z.number().int()),
  wait: Duration,
  normalWait: Duration.describe('customers with the normal limit: share within 30 min by default'),
  vipWait: Duration.describe('VIP/3G customers: share within 5 min by default'),
  transaction: Duration.describe('start → business done; share within 10 min by default'),
  averageSellingMinutes: z.number().nullable(),
  ratings: RatingSummary.describe('customers’ ratings (1–5) on the counters’ rating pads'),
});
export type StatsRow = z.infer<typeof StatsRow>;

export const Stats = z.object({
  unitId: Id,
  from: LocalDate,
  to: LocalDate,
  by: z.enum(['hall', 'day', 'category', 'counter', 'clerk']),
  rows: z.array(StatsRow),
});
export type Stats = z.infer<typeof Stats>;
