/**
 * What a business-hall queue can do (2§3.2.4, 2§3.2.7, 2§3.6.5): take a ticket, pre-register its business,
 * open, pause and close a counter, call the next ticket by the counter's work profile, recall, start,
 * mark the business done, transfer, park, resume, finish, mark a no-show, cancel.
 *
 * Every command runs in one transaction that also appends its event. Waits and transaction times are
 * measured by the commands from the timestamps they write, with the limit in force recorded beside each
 * measurement. Calling claims a ticket with a row lock (`FOR UPDATE SKIP LOCKED`), so two counters — on
 * any number of app instances — never get the same ticket.
 */
import { and, asc, count, desc, eq, inArray, isNull, sql } from 'drizzle-orm';
import type { SQL, SQLWrapper } from 'drizzle-orm';
import { localDateOf } from '../../core/calendar.ts';
import { idDocumentProblem } from '../../core/id-documents.ts';
import type { IdDocKind } from '../../core/id-documents.ts';
import { queueDay } from '../../core/queue-day.ts';
import type { CustomerFacts, Tier, WaitingTicket, WorkProfile } from '../../core/queue-order.ts';
import { pickNext, segment, servesQueue } from '../../core/queue-order.ts';
import { counterEn, formatTicketNumber } from '../../core/ticket-numbers.ts';
import { authorize, can, systemActor } from '../../platform/auth/policy.ts';
import type { Ctx } from '../../platform/context.ts';
import type { DbOrTx, Tx } from '../../platform/db/index.ts';
import { preparedRows, reads, rows } from '../../platform/db/index.ts';
import type { EventType } from '../../platform/words.ts';
import { appendEvent, command } from '../../platform/events.ts';
import {
  badRequest,
  conflict,
  fieldProblem,
  forbidden,
  notFound,
  unprocessable,
} from '../../platform/http/problem.ts';
import type { Problem } from '../../platform/http/problem.ts';
import type { SettingKey } from '../../core/settings.ts';
import { newId } from '../../platform/ids.ts';
import type { PhoneLookup } from '../customers/contract.ts';
import { lookupPhone } from '../customers/service.ts';
import { settingValues } from '../settings/service.ts';
import type {
  Counter,
  FinishTicket,
  PreRegistrationInput,
  TakeTicket,
  Ticket,
  TransferTicket,
} from './contract.ts';
import { newFollowLink } from './follow.ts';
import { queuePolicy } from './policy.ts';
import {
  queueCounters,
  queueSequences,
  queueTickets,
  queueTransactions,
  queueWorkProfiles,
} from './schema.ts';
import type { TicketChannel, TicketStatus, TransactionOutcome } from './schema.ts';
import type {
  CategoryRow,
  CounterRow,
  HallConfig,
  HallRef,
  Position,
  QueueRow,
  TicketNames,
  TicketRow,
} from './shared.ts';
import {
  OPEN_STATUSES,
  assertAtCounter,
  categoryOf,
  counterNotOpen,
  counterRow,
  hallClosedProblem,
  hallConfig,
  hallRef,
  lockCounter,
  namesOf,
  namesSelect,
  lockCounterToCall,
  numbers,
  positionOf,
  profileRow,
  queueOf,
  scheduleFor,
  ticketStateProblem,
  ticketView,
  ticketWithNames,
  toTicket,
  unitRefOf,
  workProfileOf,
} from './shared.ts';

const VIP_TIERS: readonly string[] = ['diamond', 'gold', 'silver'];
const seconds = (from: Date, to: Date) => Math.max(0, Math.round((to.getTime() - from.getTime()) / 1000));

/* ----------------------------------------------------------------------------------------------- */
/* Taking a ticket.                                                                                  */
/* ----------------------------------------------------------------------------------------------- */

/** guide: staff; kiosk: a device of the hall (remote tickets come through `takeRemoteTicket`). */
function channelOf(ctx: Ctx): TicketChannel {
  return ctx.actor.kind === 'staff' ? 'guide' : 'kiosk';
}

/** What the customer behind a phone number is (tier, 3G flag), looked up in the hall's province. */
export async function customerFacts(
  ctx: Ctx,
  hall: HallRef,
  phone: string | undefined,
): Promise<PhoneLookup | null> {
  if (!phone) return null;
  return lookupPhone({ ...ctx, actor: systemActor(hall, 'queue') }, phone);
}

/**
 * Draws the next number of a queue letter for a hall's day. Taken on its own (autocommit) before the ticket's
 * command, the counter row is locked only for this one statement, so kiosks never queue behind each other's
 * commands; a take that then fails leaves a gap in the day's numbers, like a torn-off slip.
 */
async function nextSequence(db: DbOrTx, unitId: string, date: string, prefix: string): Promise<number> {
  const [row] = await db
    .insert(queueSequences)
    .values({ unitId, localDate: date, prefix, last: 1 })
    .onConflictDoUpdate({
      target: [queueSequences.unitId, queueSequences.localDate, queueSequences.prefix],
      set: { last: sql`${queueSequences.last} + 1` },
    })
    .returning({ last: queueSequences.last });
  return row!.last;
}

export interface IssueInput {
  config: HallConfig;
  category: CategoryRow;
  channel: TicketChannel;
  phone: string;
  lookup: PhoneLookup | null;
  appointmentId: string | null;
  hasAppointment: boolean;
  date: string;
}

export interface Prepared {
  id: string;
  seq: number;
  queue: QueueRow;
  facts: CustomerFacts;
  vip: boolean;
  priority: number;
  position: Position;
  nearFrontPeople: number;
}

/**
 * Everything about a new ticket that needs no lock: its queue by segmentation, whether the VIP/3G limit
 * applies, its place in the line (computed before it exists), its number and the settings in force. Done
 * before the command, so that concurrent takes do not wait for each other (a remote take's in its
 * transaction, after the phone's check).
 */
export async function prepareIssue(db: DbOrTx, ctx: Ctx, input: IssueInput): Promise<Prepared> {
  const { config, category, lookup } = input;
  const hall = config.hall;
  const now = ctx.clock.now();
  const facts: CustomerFacts = {
    tier: (lookup?.clubTier as Tier | null | undefined) ?? null,
    is3g: lookup?.is3g ?? false,
    hasAppointment: input.hasAppointment,
  };
  const queueCode = segment(config.segmentation, category.code, facts, category.queueCode);
  const queue = config.queues.find((q) => q.code === queueCode) ?? queueOf(config, category.queueCode);
  const vip = queue.vip || facts.is3g || (facts.tier !== null && VIP_TIERS.includes(facts.tier));
  const id = newId();
  const priority = input.hasAppointment ? 1 : 0;
  const line = {
    id,
    unitId: hall.id,
    unitPath: hall.path,
    localDate: input.date,
    queueCode: queue.code,
    categoryCode: category.code,
    priority,
    vip,
    waitingSince: now,
    takenAt: now,
    targetCounterId: null,
  };
  const [settings, position, seq] = await reads(
    db,
    () => numbers(db, hall.path, ['queue.nearFrontPeople'], now),
    () => positionOf(db, line, now),
    () => nextSequence(db, hall.id, input.date, queue.prefix),
  );
  return {
    id,
    seq,
    queue,
    facts,
    vip,
    priority,
    position,
    nearFrontPeople: settings['queue.nearFrontPeople'],
  };
}

/** The per-phone limit of a channel: the setting, which of the phone's tickets it counts, the refusal. */
const PHONE_LIMITS = {
  remote: {
    setting: 'queue.remoteTicketsPerPhone',
    statuses: OPEN_STATUSES,
    problem: (limit: number) =>
      conflict(
        'remote_limit',
        `该号码今天在本厅已有 ${limit} 张有效的远程号票`,
        `This phone number already holds ${limit} open remote ticket(s) at this hall today`,
      ),
  },
  kiosk: {
    setting: 'queue.kioskTicketsPerPhone',
    statuses: ['waiting'],
    problem: (limit: number) =>
      conflict(
        'kiosk_limit',
        `该号码在本厅已有 ${limit} 张等待中的号票，如需再取请联系大堂引导员`,
        `This phone number already holds ${limit} waiting ticket(s) at this hall; the floor guide can issue another`,
      ),
  },
} as const satisfies Partial<
  Record<
    TicketChannel,
    { setting: SettingKey; statuses: readonly TicketStatus[]; problem: (limit: number) => Problem }
  >
>;

/**
 * Refuses a remote or kiosk take when the phone already holds the hall's allowed tickets of that channel
 * today (remote: open ones; kiosk: waiting ones; the floor guide's takes are not limited, so the guide may
 * override). Counted under a lock of the hall, day, channel and phone that holds until the transaction
 * commits, so takes of one phone arriving at once (on any instance) are counted one after another.
 */
async function checkPhoneLimit(tx: Tx, ctx: Ctx, input: IssueInput, channel: keyof typeof PHONE_LIMITS) {
  const hall = input.config.hall;
  const rule = PHONE_LIMITS[channel];
  await tx.execute(
    sql`select pg_advisory_xact_lock(hashtextextended(${`${channel}:${hall.id}:${input.date}:${input.phone}`}, 0))`,
  );
  const [limits, [open]] = await reads(
    tx,
    () => numbers(tx, hall.path, [rule.setting], ctx.clock.now()),
    () =>
      tx
        .select({ n: count() })
        .from(queueTickets)
        .where(
          and(
            eq(queueTickets.phone, input.phone),
            eq(queueTickets.unitId, hall.id),
            eq(queueTickets.localDate, input.date),
            eq(queueTickets.channel, channel),
            inArray(queueTickets.status, [...rule.statuses]),
          ),
        ),
  );
  const limit = limits[rule.setting];
  if ((open?.n ?? 0) >= limit) throw rule.problem(limit);
}

/**
 * Issues a prepared ticket: today's next number of its queue; one event. Inside a command's transaction, or
 * — given the database — as a command of its own: the ticket and its event are one statement.
 */
export async function issueTicket(db: DbOrTx, ctx: Ctx, input: IssueInput, p: Prepared): Promise<Ticket> {
  const { config, category, lookup } = input;
  const hall = config.hall;
  const now = ctx.clock.now();
  const nearFront = input.channel === 'remote' && p.position.peopleAhead <= p.nearFrontPeople;
  // A ticket taken at the hall gets the slip's follow link (follow.ts); a remote one is the phone's.
  const follow = input.channel === 'remote' ? null : newFollowLink(input.date, hall.timeZone);
  const row: TicketRow = {
    ...NEW_TICKET,
    provinceId: hall.provinceId,
    id: p.id,
    unitId: hall.id,
    unitPath: hall.path,
    localDate: input.date,
    seq: p.seq,
    number: formatTicketNumber(p.queue.prefix, p.seq),
    queueCode: p.queue.code,
    categoryCode: category.code,
    priority: p.priority,
    vip: p.vip,
    channel: input.channel,
    customerId: lookup?.customerId ?? null,
    phone: input.phone,
    customerLabel: lookup?.displayName ?? '',
    clubTier: p.facts.tier,
    is3g: p.facts.is3g,
    appointmentId: input.appointmentId,
    takenAt: now,
    waitingSince: now,
    takenBy: ctx.actor.id,
    holderKeyHash: null,
    followTokenHash: follow?.hash ?? null,
    followExpiresAt: follow?.expiresAt ?? null,
    nearFrontAt: nearFront ? now : null,
  };
  const names: TicketNames = {
    hallName: hall.name,
    queueName: p.queue.name,
    categoryName: category.name,
    categoryNameEn: category.nameEn,
  };
  const view = toTicket(row, names, { position: p.position, nearFrontPeople: p.nearFrontPeople });
  await appendEvent(
    db,
    ctx,
    {
      action: 'ticket.taken',
      unit: hall,
      subjectType: 'ticket',
      subjectId: view.id,
      after: {
        ticketNumber: view.number,
        queue: view.queue,
        category: view.category,
        channel: view.channel,
        vip: p.vip,
        priority: view.priority,
        tier: p.facts.tier,
        is3g: p.facts.is3g,
        phone: input.phone,
        appointmentId: input.appointmentId,
        peopleAhead: view.peopleAhead,
        estimatedWaitMinutes: view.estimatedWaitMinutes,
      },
    },
    [db.insert(queueTickets).values(row)],
  );
  return follow
    ? { ...view, follow: { token: follow.token, expiresAt: follow.expiresAt.toISOString() } }
    : view;
}

/** What a new ticket holds before it is first called (the columns `issueTicket` does not fill). */
const NEW_TICKET = {
  status: 'waiting',
  targetCounterId: null,
  firstCalledAt: null,
  waitSeconds: null,
  waitLimitMinutes: null,
  calledAt: null,
  callWaitLimitMinutes: null,
  lastCallAt: null,
  recalls: 0,
  counterId: null,
  staffId: null,
  staffName: '',
  startedAt: null,
  businessDoneAt: null,
  finishedAt: null,
  outcome: null,
  business: [],
  transfers: 0,
  preRegistration: null,
  waitAlert: null,
  transactionAlert: null,
} satisfies Partial<TicketRow>;

/**
 * Takes a ticket for a service category at a hall, inside its opening hours: at the kiosk or from the floor
 * guide. The phone number finds the customer's tier and 3G flag, which segmentation uses. A device takes
 * tickets only at its own hall: remote tickets need a phone proven by a one-time code (`takeRemoteTicket`,
 * called by the e-channel module), not a device token above the hall.
 */
export async function takeTicket(
  ctx: Ctx,
  hallId: string,
  input: TakeTicket,
  options: { channel?: TicketChannel } = {},
): Promise<Ticket> {
  const hall = await hallRef(ctx.db, hallId);
  if (ctx.actor.kind === 'device' && ctx.actor.unitId !== hall.id) {
    throw forbidden(
      'remote_needs_phone_code',
      '设备只能在本厅取号；远程取号须先以短信验证码验证手机号码',
      'A device takes tickets only at its own hall; a remote ticket needs a phone proven by a one-time code',
    );
  }
  authorize(ctx.actor, queuePolicy, 'queue.take', hall.path);
  return issueAt(ctx, hall, input, options.channel ?? channelOf(ctx));
}

/**
 * A remote (e-channel) ticket for the phone the caller proved with a one-time code: the caller (the
 * e-channel module) has checked the phone capability, that `input.phone` is its phone, and that the hall
 * takes remote tickets. The ticket's `takenBy` is the phone's capability, which is how it is found again.
 */
export async function takeRemoteTicket(
  ctx: Ctx,
  hall: HallRef,
  input: { category: string; phone: string },
): Promise<Ticket> {
  return issueAt(ctx, hall, input, 'remote');
}

async function issueAt(ctx: Ctx, hall: HallRef, input: TakeTicket, channel: TicketChannel): Promise<Ticket> {
  if (channel === 'remote' && !input.phone) {
    throw unprocessable('phone_required', '远程取号须提供手机号码', 'A remote ticket needs a phone number', [
      fieldProblem('body.phone', '必填', 'Required'),
    ]);
  }
  const now = ctx.clock.now();
  const [config, schedule, lookup] = await Promise.all([
    hallConfig(ctx.db, hall),
    scheduleFor(ctx.db, hall.id),
    customerFacts(ctx, hall, input.phone),
  ]);
  const category = categoryOf(config, input.category);
  const day = queueDay(schedule, now);
  if (!day.open) throw hallClosedProblem(schedule, day.date);
  const issue: IssueInput = {
    config,
    category,
    channel,
    phone: input.phone ?? '',
    lookup,
    appointmentId: null,
    hasAppointment: false,
    date: day.date,
  };
  // A remote take, or a kiosk take with a phone number, is first checked against the phone's tickets, in a
  // transaction that then draws the number (a refused take uses none). Any other's ticket and event are one statement after the number: a
  // command without BEGIN and COMMIT.
  const limited = channel === 'remote' || (channel === 'kiosk' && issue.phone !== '') ? channel : null;
  if (limited) {
    return command(ctx, async (tx) => {
      await checkPhoneLimit(tx, ctx, issue, limited);
      return issueTicket(tx, ctx, issue, await prepareIssue(tx, ctx, issue));
    });
  }
  return issueTicket(ctx.db, ctx, issue, await prepareIssue(ctx.db, ctx, issue));
}

/* ----------------------------------------------------------------------------------------------- */
/* Reading tickets.                                                                                  */
/* ----------------------------------------------------------------------------------------------- */

/**
 * One ticket with its place in the line while it waits. `held`: the caller (the e-channel module) has
 * checked that the ticket is the proven phone's; otherwise the caller must be its kiosk or see the queue.
 */
export async function getTicket(ctx: Ctx, ticketId: string, held = false): Promise<Ticket> {
  const { ticket, names } = await ticketWithNames(ctx.db, ticketId);
  if (!held && !mayFollow(ctx, ticket)) {
    authorize(ctx.actor, queuePolicy, 'queue.view', ticket.unitPath);
  }
  return ticketView(ctx.db, ticket, names, ctx.clock.now());
}

/** Whether a device is the ticket's holder: the hall's kiosk that took it. */
function isHolder(ctx: Ctx, t: TicketRow): boolean {
  return ctx.actor.kind === 'device' && t.takenBy === ctx.actor.id;
}

/** The kiosk that took a ticket may follow it; staff need to see the queue. */
export function mayFollow(ctx: Ctx, t: TicketRow): boolean {
  return isHolder(ctx, t) && can(ctx.actor, queuePolicy, 'queue.take', t.unitPath);
}

/** Tickets of a hall on a local date (today by default), newest first. */
export async function listTickets(
  ctx: Ctx,
  hallId: string,
  query: { date?: string | undefined; status?: TicketStatus | undefined; limit: number; offset: number },
): Promise<{ items: Ticket[]; total: number }> {
  const hall = await hallRef(ctx.db, hallId);
  authorize(ctx.actor, queuePolicy, 'queue.view', hall.path);
  const date = query.date ?? localDateOf(ctx.clock.now(), hall.timeZone);
  const where = and(
    eq(queueTickets.unitId, hall.id),
    eq(queueTickets.localDate, date),
    query.status ? eq(queueTickets.status, query.status) : undefined,
  );
  const [found, [total], config, counters] = await Promise.all([
    ctx.db
      .select()
      .from(queueTickets)
      .where(where)
      .orderBy(desc(queueTickets.takenAt), desc(queueTickets.id))
      .limit(query.limit)
      .offset(query.offset),
    ctx.db.select({ n: count() }).from(queueTickets).where(where),
    hallConfig(ctx.db, hall),
    ctx.db.select().from(queueCounters).where(eq(queueCounters.unitId, hall.id)),
  ]);
  const byId = new Map(counters.map((c) => [c.id, c]));
  const items = found.map((t) => {
    const q = config.queues.find((x) => x.code === t.queueCode);
    const c = config.categories.find((x) => x.code === t.categoryCode);
    return toTicket(
      t,
      {
        hallName: hall.name,
        queueName: q?.name ?? t.queueCode,
        categoryName: c?.name ?? t.categoryCode,
        categoryNameEn: c?.nameEn ?? '',
      },
      { counter: t.counterId ? (byId.get(t.counterId) ?? null) : null },
    );
  });
  return { items, total: total?.n ?? 0 };
}

/* ----------------------------------------------------------------------------------------------- */
/* Pre-registration (预登记/预受理).                                                                   */
/* ----------------------------------------------------------------------------------------------- */

/** The floor guide fills in the business and ID details at peak times, so the counter finds them ready. */
export async function preRegister(ctx: Ctx, ticketId: string, input: PreRegistrationInput): Promise<Ticket> {
  return command(ctx, async (tx) => {
    const { ticket, names } = await ticketWithNames(tx, ticketId, true);
    authorize(ctx.actor, queuePolicy, 'queue.preregister', ticket.unitPath);
    if (!['waiting', 'called', 'parked'].includes(ticket.status)) {
      throw ticketStateProblem(ticket, { zh: '预登记', en: 'pre-registered' });
    }
    if (input.idDocKind && input.idDocNumber) {
      const problem = idDocumentProblem(input.idDocKind as IdDocKind, input.idDocNumber, ticket.localDate);
      if (problem) {
        throw unprocessable('id_doc_number', problem.zh, problem.en, [
          fieldProblem('body.idDocNumber', problem.zh, problem.en),
        ]);
      }
    }
    const pre = {
      business: input.business,
      customerName: input.customerName,
      idDocKind: input.idDocKind ?? '',
      idDocNumber: input.idDocNumber ?? '',
      note: input.note,
      by: ctx.actor.name,
      at: ctx.clock.now().toISOString(),
    };
    const [updated] = await tx
      .update(queueTickets)
      .set({ preRegistration: pre })
      .where(and(eq(queueTickets.provinceId, ticket.provinceId), eq(queueTickets.id, ticket.id)))
      .returning();
    await appendEvent(tx, ctx, {
      action: 'ticket.pre_registered',
      unit: unitRefOf(ticket),
      subjectType: 'ticket',
      subjectId: ticket.id,
      before: ticket.preRegistration ? { preRegistration: ticket.preRegistration } : undefined,
      after: { ticketNumber: ticket.number, preRegistration: pre },
    });
    return ticketView(tx, updated!, names, ctx.clock.now());
  });
}

/** The full pre-registered ID number, for the clerk serving the ticket; the view is an event. */
export async function revealPreRegistration(ctx: Ctx, ticketId: string) {
  return command(ctx, async (tx) => {
    const { ticket } = await ticketWithNames(tx, ticketId);
    authorize(ctx.actor, queuePolicy, 'queue.reveal', ticket.unitPath);
    const counter = ticket.counterId ? await counterRow(tx, ticket.counterId) : null;
    if (!counter || counter.staffId !== ctx.actor.id || !['called', 'serving'].includes(ticket.status)) {
      throw forbidden(
        'not_your_customer',
        '只有正在为该客户办理的台席可以查看完整证件号码',
        'Only the counter serving this customer may see the full ID number',
      );
    }
    if (!ticket.preRegistration) throw notFound({ zh: '预登记信息', en: 'Pre-registration' });
    await appendEvent(tx, ctx, {
      action: 'ticket.pre_registration_viewed',
      unit: unitRefOf(ticket),
      subjectType: 'ticket',
      subjectId: ticket.id,
      after: { ticketNumber: ticket.number, fields: ['idDocNumber'] },
    });
    return { ...ticket.preRegistration };
  });
}

/* ----------------------------------------------------------------------------------------------- */
/* Counters.                                                                                         */
/* ----------------------------------------------------------------------------------------------- */

const minutesSince = (from: Date, now: Date) =>
  Math.round(((now.getTime() - from.getTime()) / 60_000) * 10) / 10;

/** A counter with its work profile and the ticket at it now. */
export async function counterView(db: DbOrTx, c: CounterRow, now: Date): Promise<Counter> {
  const [profile, current] = await reads(
    db,
    () => (c.profileId ? profileRow(db, c.profileId) : Promise.resolve(null)),
    () => (c.currentTicketId ? ticketWithNames(db, c.currentTicketId) : Promise.resolve(null)),
  );
  return {
    id: c.id,
    hallId: c.unitId,
    code: c.code,
    number: c.number,
    name: c.name,
    kind: c.kind,
    categories: c.categories,
    state: c.state,
    busy: c.currentTicketId !== null,
    stateSince: c.stateSince.toISOString(),
    minutesInState: minutesSince(c.stateSince, now),
    profile: profile ? { id: profile.id, code: profile.code, name: profile.name } : null,
    defaultProfileId: c.defaultProfileId,
    staffId: c.staffId,
    staffName: c.staffName,
    pauseReason: c.pauseReason,
    currentTicket: current ? toTicket(current.ticket, current.names, { counter: c }) : null,
  };
}

export async function getCounter(ctx: Ctx, counterId: string): Promise<Counter> {
  const c = await counterRow(ctx.db, counterId);
  authorize(ctx.actor, queuePolicy, 'queue.view', c.unitPath);
  return counterView(ctx.db, c, ctx.clock.now());
}

async function updateCounter(
  tx: Tx,
  id: string,
  set: Partial<typeof queueCounters.$inferInsert>,
): Promise<CounterRow> {
  const [row] = await tx.update(queueCounters).set(set).where(eq(queueCounters.id, id)).returning();
  return row!;
}

const counterFacts = (c: CounterRow) => ({
  number: c.number,
  state: c.state,
  staffName: c.staffName,
  profileId: c.profileId,
  pauseReason: c.pauseReason,
});

/** The clerk opens a counter with a work profile (the counter's default unless another is named). */
export async function openCounter(
  ctx: Ctx,
  counterId: string,
  input: { profileId?: string | undefined } = {},
): Promise<Counter> {
  return command(ctx, async (tx) => {
    const counter = await lockCounter(tx, counterId);
    authorize(ctx.actor, queuePolicy, 'queue.serve', counter.unitPath);
    if (ctx.actor.kind !== 'staff' || !ctx.actor.id) {
      throw forbidden('not_staff', '只有员工可以开启台席', 'Only a member of staff opens a counter');
    }
    if (!counter.active)
      throw conflict(
        'counter_inactive',
        `${counter.name}已停用`,
        `${counterEn(counter)} is no longer in use`,
      );
    if (counter.state !== 'closed') {
      throw counter.staffId === ctx.actor.id
        ? conflict('already_open', `您已开启${counter.name}`, `You have already opened ${counterEn(counter)}`)
        : conflict(
            'counter_taken',
            `${counter.name}已由${counter.staffName}开启`,
            `${counterEn(counter)} is open by ${counter.staffName}`,
          );
    }
    const [elsewhere] = await tx
      .select({ name: queueCounters.name })
      .from(queueCounters)
      .where(and(eq(queueCounters.staffId, ctx.actor.id), sql`${queueCounters.state} <> 'closed'`));
    if (elsewhere) {
      throw conflict(
        'clerk_busy',
        `您已在${elsewhere.name}开台，请先关闭`,
        `You already have ${elsewhere.name} open; close it first`,
      );
    }
    const profileId = input.profileId ?? counter.defaultProfileId;
    const [profile] = await tx.select().from(queueWorkProfiles).where(eq(queueWorkProfiles.id, profileId));
    if (!profile || profile.unitId !== counter.unitId || !profile.active) {
      throw unprocessable(
        'unknown_profile',
        '该营业厅没有这个工作模式',
        'No such work profile at this hall',
        [fieldProblem('body.profileId', '没有这个工作模式', 'No such work profile')],
      );
    }
    const now = ctx.clock.now();
    const updated = await updateCounter(tx, counter.id, {
      state: 'open',
      stateSince: now,
      profileId,
      staffId: ctx.actor.id,
      staffName: ctx.actor.name,
      pauseReason: '',
    });
    await appendEvent(tx, ctx, {
      action: 'counter.opened',
      unit: unitRefOf(counter),
      subjectType: 'counter',
      subjectId: counter.id,
      before: counterFacts(counter),
      after: { ...counterFacts(updated), profile: profile.code },
    });
    return counterView(tx, updated, now);
  });
}

async function waitingCount(db: DbOrTx, unitId: string, date: string): Promise<number> {
  const [row] = await db
    .select({ n: count() })
    .from(queueTickets)
    .where(
      and(
        eq(queueTickets.unitId, unitId),
        eq(queueTickets.localDate, date),
        eq(queueTickets.status, 'waiting'),
      ),
    );
  return row?.n ?? 0;
}

/**
 * Pauses a counter with a reason; refused while more customers wait than the setting allows (2§3.2.4),
 * unless a duty or hall manager overrides — the override is an event of its own.
 */
export async function pauseCounter(
  ctx: Ctx,
  counterId: string,
  input: { reason: string; override: boolean },
): Promise<Counter> {
  return command(ctx, async (tx) => {
    const counter = await lockCounter(tx, counterId);
    authorize(ctx.actor, queuePolicy, 'queue.serve', counter.unitPath);
    if (counter.state !== 'open') throw counterNotOpen(counter);
    assertAtCounter(ctx, counter);
    if (counter.currentTicketId) {
      throw conflict(
        'counter_busy',
        `${counter.name}正在服务客户，请先办结`,
        `${counterEn(counter)} is serving a customer; finish first`,
      );
    }
    const now = ctx.clock.now();
    const unit = unitRefOf(counter);
    const { 'queue.pauseRefusedAboveWaiting': limit } = await numbers(
      tx,
      counter.unitPath,
      ['queue.pauseRefusedAboveWaiting'],
      now,
    );
    const [{ timeZone } = { timeZone: 'Asia/Shanghai' }] = await rows<{ timeZone: string }>(
      tx,
      sql`select time_zone as "timeZone" from units where id = ${counter.unitId}`,
    );
    const waiting = await waitingCount(tx, counter.unitId, localDateOf(now, timeZone));
    const overridden = waiting > limit;
    if (overridden) {
      if (!input.override) {
        throw conflict(
          'pause_refused',
          `当前有 ${waiting} 位客户等待（超过 ${limit} 位），不得暂停服务；如确需暂停请值班经理批准`,
          `${waiting} customers are waiting (more than ${limit}): the counter may not pause unless the duty manager overrides`,
        );
      }
      if (!can(ctx.actor, queuePolicy, 'queue.supervise', counter.unitPath)) {
        throw forbidden(
          'override_not_allowed',
          '只有值班经理或营业厅经理可以批准暂停',
          'Only the duty or hall manager may override',
        );
      }
      await appendEvent(tx, ctx, {
        action: 'counter.pause_overridden',
        unit,
        subjectType: 'counter',
        subjectId: counter.id,
        after: { number: counter.number, waiting, limit, reason: input.reason, clerk: counter.staffName },
      });
    }
    const updated = await updateCounter(tx, counter.id, {
      state: 'paused',
      stateSince: now,
      pauseReason: input.reason,
    });
    await appendEvent(tx, ctx, {
      action: 'counter.paused',
      unit,
      subjectType: 'counter',
      subjectId: counter.id,
      before: counterFacts(counter),
      after: { ...counterFacts(updated), waiting, limit, overridden },
    });
    return counterView(tx, updated, now);
  });
}

/** Resumes a paused counter. */
export async function resumeCounter(ctx: Ctx, counterId: string): Promise<Counter> {
  return command(ctx, async (tx) => {
    const counter = await lockCounter(tx, counterId);
    authorize(ctx.actor, queuePolicy, 'queue.serve', counter.unitPath);
    if (counter.state !== 'paused') {
      throw conflict('counter_not_paused', `${counter.name}没有暂停`, `${counterEn(counter)} is not paused`);
    }
    assertAtCounter(ctx, counter);
    const now = ctx.clock.now();
    const updated = await updateCounter(tx, counter.id, { state: 'open', stateSince: now, pauseReason: '' });
    await appendEvent(tx, ctx, {
      action: 'counter.resumed',
      unit: unitRefOf(counter),
      subjectType: 'counter',
      subjectId: counter.id,
      before: counterFacts(counter),
      after: { ...counterFacts(updated), pausedMinutes: minutesSince(counter.stateSince, now) },
    });
    return counterView(tx, updated, now);
  });
}

/** Closes a counter; refused while it serves a ticket or has tickets parked at it. */
export async function closeCounter(ctx: Ctx, counterId: string): Promise<Counter> {
  return command(ctx, async (tx) => {
    const counter = await lockCounter(tx, counterId);
    authorize(ctx.actor, queuePolicy, 'queue.serve', counter.unitPath);
    if (counter.state === 'closed')
      throw conflict('counter_closed', `${counter.name}已关闭`, `${counterEn(counter)} is already closed`);
    assertAtCounter(ctx, counter);
    if (counter.currentTicketId) {
      throw conflict(
        'counter_busy',
        `${counter.name}正在服务客户，请先办结`,
        `${counterEn(counter)} is serving a customer; finish first`,
      );
    }
    const [parked] = await tx
      .select({ n: count() })
      .from(queueTickets)
      .where(and(eq(queueTickets.counterId, counter.id), eq(queueTickets.status, 'parked')));
    if ((parked?.n ?? 0) > 0) {
      throw conflict(
        'tickets_parked',
        `${counter.name}还有 ${parked!.n} 张暂挂号票`,
        `${counterEn(counter)} still has ${parked!.n} parked ticket(s)`,
      );
    }
    const now = ctx.clock.now();
    const updated = await updateCounter(tx, counter.id, {
      state: 'closed',
      stateSince: now,
      staffId: null,
      staffName: '',
      profileId: null,
      pauseReason: '',
    });
    await appendEvent(tx, ctx, {
      action: 'counter.closed',
      unit: unitRefOf(counter),
      subjectType: 'counter',
      subjectId: counter.id,
      before: counterFacts(counter),
      after: { ...counterFacts(updated), openMinutes: minutesSince(counter.stateSince, now) },
    });
    return counterView(tx, updated, now);
  });
}

/* ----------------------------------------------------------------------------------------------- */
/* Calling.                                                                                          */
/* ----------------------------------------------------------------------------------------------- */

interface Candidate extends WaitingTicket {
  names: { queueName: string; categoryName: string; categoryNameEn: string };
}

const list = (values: readonly string[]) =>
  sql.join(
    values.map((v) => sql`${v}`),
    sql`, `,
  );

/**
 * The tickets `pickNext` needs to decide, without reading every waiting ticket: per queue of the profile
 * the first in queue order and the one waiting longest (each an index lookup), and the first of those
 * transferred to this counter; and whether a remote customer waits in those queues (to tell them when near
 * the front). Read without locks; the chosen one is then claimed with SKIP LOCKED.
 */
async function candidates(
  tx: Tx,
  counter: CounterRow,
  profile: WorkProfile,
  date: string,
  includeTargeted: boolean,
): Promise<{ candidates: Candidate[]; remote: boolean }> {
  const queues = [...new Set(profile.rules.map((r) => r.queue))];
  const cats = profile.categories ?? [];
  const base = sql`t.province_id = ${counter.provinceId} and t.unit_id = ${counter.unitId}
    and t.local_date = ${date} and t.status = 'waiting'`;
  const catFilter = cats.length > 0 ? sql`and t.category_code in (${list(cats)})` : sql``;
  const cols = sql`t.id, t.queue_code as q, t.category_code as c, t.priority as p, t.vip as v, t.target_counter_id as k,
    (extract(epoch from t.waiting_since) * 1000)::float8 as ws, (extract(epoch from t.taken_at) * 1000)::float8 as ta`;
  const FIRST = sql`order by t.priority desc, t.waiting_since, t.taken_at, t.id limit 1`;
  const OLDEST = sql`order by t.waiting_since, t.taken_at, t.id limit 1`;
  // Per line: the first by priority, and the longest waiting VIP/3G and other ticket (the first overdue
  // one of each limit, if any is): what the order rule of src/core/queue-order.ts can put first.
  const heads = (line: SQL) => [
    sql`(select ${cols} from queue_tickets t where ${base} and ${line} ${FIRST})`,
    sql`(select ${cols} from queue_tickets t where ${base} and ${line} and t.vip ${OLDEST})`,
    sql`(select ${cols} from queue_tickets t where ${base} and ${line} and not t.vip ${OLDEST})`,
  ];
  const branches = [
    ...(includeTargeted ? heads(sql`t.target_counter_id = ${counter.id}`) : []),
    ...queues.flatMap((q) => heads(sql`t.queue_code = ${q} and t.target_counter_id is null ${catFilter}`)),
  ];
  const remote =
    queues.length === 0
      ? sql`false`
      : sql`exists (select 1 from queue_tickets r where r.unit_id = ${counter.unitId} and r.local_date = ${date}
          and r.status = 'waiting' and r.channel = 'remote' and r.near_front_at is null
          and r.queue_code in (${list(queues)}))`;
  const [row] = await preparedRows<{
    candidates: {
      id: string;
      q: string;
      c: string;
      p: number;
      v: boolean;
      k: string | null;
      ws: number;
      ta: number;
      qn: string | null;
      cn: string | null;
      ce: string | null;
    }[];
    remote: boolean;
  }>(
    tx,
    sql`select coalesce((select json_agg(json_build_object('id', x.id, 'q', x.q, 'c', x.c, 'p', x.p, 'v', x.v, 'k', x.k,
          'ws', x.ws, 'ta', x.ta, 'qn', qq.name, 'cn', cc.name, 'ce', cc.name_en))
        from (${branches.length > 0 ? sql.join(branches, sql` union all `) : sql`select null::uuid as id, null as q, null as c, null::int as p, null::boolean as v, null::uuid as k, 0::float8 as ws, 0::float8 as ta where false`}) x
        left join queue_queues qq on qq.unit_id = ${counter.unitId} and qq.code = x.q
        left join queue_categories cc on cc.unit_id = ${counter.unitId} and cc.code = x.c), '[]'::json) as candidates,
      ${remote} as remote`,
  );
  return {
    remote: row?.remote === true,
    candidates: (row?.candidates ?? []).map((r) => ({
      id: r.id,
      queue: r.q,
      category: r.c,
      priority: r.p,
      vip: r.v === true,
      waitingSince: new Date(Number(r.ws)),
      takenAt: new Date(Number(r.ta)),
      counterId: r.k,
      names: { queueName: r.qn ?? r.q, categoryName: r.cn ?? r.c, categoryNameEn: r.ce ?? '' },
    })),
  };
}

/** Tells remote customers (once each) that they are near the front of the line of `queueCode`, in its order. */
async function tellNearFront(
  tx: Tx,
  ctx: Ctx,
  counter: CounterRow,
  date: string,
  queueCode: string,
  nearFront: number,
  now: Date,
  lineOrder: SQL[],
) {
  const told = await rows<{ id: string; number: string }>(
    tx,
    sql`update queue_tickets set near_front_at = ${now.toISOString()}::timestamptz
        where province_id = ${counter.provinceId} and near_front_at is null and id in (
          select id from (
            select id, channel, near_front_at from queue_tickets
            where unit_id = ${counter.unitId} and local_date = ${date} and status = 'waiting'
              and queue_code = ${queueCode} and target_counter_id is null
            order by ${sql.join(lineOrder, sql`, `)}
            limit ${nearFront + 1}
          ) head where channel = 'remote' and near_front_at is null)
        returning id, number`,
  );
  for (const t of told) {
    await appendEvent(tx, ctx, {
      action: 'ticket.near_front',
      unit: unitRefOf(counter),
      subjectType: 'ticket',
      subjectId: t.id,
      after: { ticketNumber: t.number, peopleAheadAtMost: nearFront },
    });
  }
}

/**
 * Calls the next ticket for a counter by its work profile (or only from `queue`, which the profile must
 * name); null when nothing waits for it. The counter must be open, free, and the caller its clerk.
 * The counter row is locked; the ticket is claimed with `FOR UPDATE SKIP LOCKED`, so concurrent calls on
 * any number of instances never claim the same ticket (a skipped one is tried again without it).
 */
export async function callNext(
  ctx: Ctx,
  counterId: string,
  input: { queue?: string | undefined } = {},
): Promise<Ticket | null> {
  return command(ctx, async (tx) => {
    const found = await lockCounterToCall(tx, ctx, counterId);
    const counter = found.counter;
    let work = workProfileOf(counter, { rules: found.rules ?? [], categories: found.categories ?? [] });
    if (input.queue !== undefined) {
      if (!servesQueue(work, input.queue)) {
        throw unprocessable(
          'queue_not_served',
          `工作模式“${found.profileName ?? ''}”不从队列 ${input.queue} 叫号`,
          `The work profile "${found.profileNameEn ?? ''}" does not call from queue ${input.queue}`,
          [fieldProblem('body.queue', '工作模式不服务该队列', 'The profile does not serve this queue')],
        );
      }
      work = { ...work, rules: [{ kind: 'queue', queue: input.queue }] };
    }
    const now = ctx.clock.now();
    const date = localDateOf(now, found.timeZone);
    const settings = await numbers(
      tx,
      counter.unitPath,
      ['queue.waitMinutes', 'queue.vipWaitMinutes', 'queue.nearFrontPeople'],
      now,
    );
    const normal = settings['queue.waitMinutes'];
    const vip = settings['queue.vipWaitMinutes'];
    const at = sql`${now.toISOString()}::timestamptz`;
    const limit = sql`(case when ${queueTickets.vip} then ${vip}::int else ${normal}::int end)`;
    // The order of a line (src/core/queue-order.ts `compareTickets`) in SQL: tickets past their wait limit
    // first, longest waiting first; then the others by priority and waiting time.
    const overdue = sql`(${at} - ${queueTickets.waitingSince} > ${limit} * interval '1 minute')`;
    const lineOrder = [
      sql`${overdue} desc`,
      sql`(case when ${overdue} then 0 else ${queueTickets.priority} end) desc`,
      asc(queueTickets.waitingSince),
      asc(queueTickets.takenAt),
      asc(queueTickets.id),
    ];
    const claimSet = {
      status: 'called' as const,
      calledAt: now,
      lastCallAt: now,
      callWaitLimitMinutes: limit,
      recalls: 0,
      counterId: counter.id,
      staffId: counter.staffId,
      staffName: counter.staffName,
      targetCounterId: null,
      firstCalledAt: sql`coalesce(${queueTickets.firstCalledAt}, ${at})`,
      waitSeconds: sql`coalesce(${queueTickets.waitSeconds},
        greatest(0, round(extract(epoch from (${at} - ${queueTickets.takenAt}))))::int)`,
      waitLimitMinutes: sql`coalesce(${queueTickets.waitLimitMinutes}, ${limit})`,
    };
    // Claims the one ticket the subquery locks (SKIP LOCKED: a row another counter is claiming is passed
    // over). The subquery is a scalar one on purpose: run once, as an InitPlan. Written as `id IN (…)`
    // PostgreSQL may rescan it per row, and each rescan would lock and claim the next free ticket.
    const claim = async (pick: SQLWrapper) => {
      const rows = await tx
        .update(queueTickets)
        .set(claimSet)
        .where(
          and(
            eq(queueTickets.provinceId, counter.provinceId),
            eq(queueTickets.status, 'waiting'),
            sql`${queueTickets.id} = (${pick})`,
          ),
        )
        .returning();
      if (rows.length > 1) throw new Error(`claimed ${rows.length} tickets at once`);
      return rows[0] ?? null;
    };
    const waitingHere = and(
      eq(queueTickets.provinceId, counter.provinceId),
      eq(queueTickets.unitId, counter.unitId),
      eq(queueTickets.localDate, date),
      eq(queueTickets.status, 'waiting'),
    );
    let includeTargeted = true;
    let called: TicketRow | null = null;
    let next: Candidate | null = null;
    for (let attempt = 0; attempt < 50 && !called; attempt++) {
      const found2 = await candidates(tx, counter, work, date, includeTargeted);
      next = pickNext(found2.candidates, work, now, counter.id, {
        waitMinutes: normal,
        vipWaitMinutes: vip,
      }) as Candidate | null;
      if (!next) return null;
      // pickNext chose the head of a line (a queue, or this counter's transfers); claimed is the first free
      // ticket of that line in queue order: the chosen one, or when another counter is claiming it this
      // instant the next; when the whole line is being claimed, the next line of the profile.
      const line =
        next.counterId !== null && next.counterId !== undefined
          ? eq(queueTickets.targetCounterId, counter.id)
          : and(
              eq(queueTickets.queueCode, next.queue),
              isNull(queueTickets.targetCounterId),
              work.categories && work.categories.length > 0
                ? inArray(queueTickets.categoryCode, work.categories)
                : undefined,
            );
      // The chosen ticket itself first (the order rule may put an overdue one before the line's head by
      // priority); when another command holds it this instant, the first free one of its line.
      const chosenId = next.id;
      called =
        (await claim(
          tx
            .select({ id: queueTickets.id })
            .from(queueTickets)
            .where(and(waitingHere, line, eq(queueTickets.id, chosenId)))
            .limit(1)
            .for('update', { skipLocked: true }),
        )) ??
        (await claim(
          tx
            .select({ id: queueTickets.id })
            .from(queueTickets)
            .where(and(waitingHere, line))
            .orderBy(...lineOrder)
            .limit(1)
            .for('update', { skipLocked: true }),
        ));
      if (called) {
        // Another ticket of the same line was claimed: it may be of another category.
        if (called.categoryCode !== next.category) next = { ...next, names: await namesOf(tx, called) };
        if (found2.remote) {
          await tellNearFront(
            tx,
            ctx,
            counter,
            date,
            called.queueCode,
            settings['queue.nearFrontPeople'],
            now,
            lineOrder,
          );
        }
        break;
      }
      if (next.counterId !== null && next.counterId !== undefined) includeTargeted = false;
      else {
        const exhausted = next.queue;
        work = { ...work, rules: work.rules.filter((r) => r.queue !== exhausted) };
      }
    }
    if (!called || !next) return null;
    const seat = tx
      .update(queueCounters)
      .set({ currentTicketId: called.id })
      .where(eq(queueCounters.id, counter.id));
    const firstCall = called.firstCalledAt?.getTime() === now.getTime() && called.transfers === 0;
    await appendEvent(
      tx,
      ctx,
      {
        action: 'ticket.called',
        unit: unitRefOf(counter),
        subjectType: 'ticket',
        subjectId: called.id,
        after: {
          ticketNumber: called.number,
          queue: called.queueCode,
          category: called.categoryCode,
          counterId: counter.id,
          counterNumber: counter.number,
          waitSeconds: seconds(called.waitingSince, now),
          waitLimitMinutes: called.callWaitLimitMinutes,
          firstCall,
          clerk: counter.staffName,
        },
      },
      [seat],
    );
    return toTicket(called, { hallName: found.hallName, ...next.names }, { counter });
  });
}

/* ----------------------------------------------------------------------------------------------- */
/* Serving a called ticket.                                                                          */
/* ----------------------------------------------------------------------------------------------- */

interface AtCounter {
  ticket: TicketRow;
  names: TicketNames;
  counter: CounterRow;
  now: Date;
}

/**
 * Locks the ticket and its counter (one statement) and checks the state and that the caller acts at that
 * counter. Without a counter the state is wrong: the problem says which state it is in.
 */
async function atCounter(
  tx: Tx,
  ctx: Ctx,
  ticketId: string,
  allowed: readonly TicketStatus[],
  doing: { zh: string; en: string },
): Promise<AtCounter> {
  const [row] = await tx
    .select({ ticket: queueTickets, counter: queueCounters, ...namesSelect })
    .from(queueTickets)
    .innerJoin(queueCounters, eq(queueCounters.id, queueTickets.counterId))
    .where(eq(queueTickets.id, ticketId))
    .for('update');
  if (!row) {
    const { ticket } = await ticketWithNames(tx, ticketId);
    authorize(ctx.actor, queuePolicy, 'queue.serve', ticket.unitPath);
    throw ticketStateProblem(ticket, doing);
  }
  const { ticket, counter, ...names } = row;
  authorize(ctx.actor, queuePolicy, 'queue.serve', ticket.unitPath);
  if (!allowed.includes(ticket.status)) throw ticketStateProblem(ticket, doing);
  assertAtCounter(ctx, counter);
  return { ticket, names, counter, now: ctx.clock.now() };
}

/** A change of a ticket: the row as it will be, and the update that makes it so (written with the event). */
function changeTicket(tx: Tx, t: TicketRow, set: Partial<TicketRow>): { row: TicketRow; write: SQLWrapper } {
  return {
    row: { ...t, ...set },
    write: tx
      .update(queueTickets)
      .set(set)
      .where(and(eq(queueTickets.provinceId, t.provinceId), eq(queueTickets.id, t.id))),
  };
}

/**
 * Ends the current call of a ticket at its counter: one transaction row with the call's wait and the
 * transaction time up to "business done" (selling afterwards not counted), each with the limit in force.
 * Answers the measurements and the writes (the transaction row, the counter freed), for the event.
 */
async function endCall(tx: Tx, t: TicketRow, counter: CounterRow, outcome: TransactionOutcome, now: Date) {
  const { 'queue.transactionMinutes': limit } = await numbers(
    tx,
    t.unitPath,
    ['queue.transactionMinutes'],
    now,
  );
  const calledAt = t.calledAt ?? now;
  const startedAt = t.startedAt ?? (outcome === 'served' ? calledAt : null);
  const businessEnd = t.businessDoneAt ?? now;
  const measure = {
    waitSeconds: seconds(t.waitingSince, calledAt),
    waitLimitMinutes: t.callWaitLimitMinutes ?? t.waitLimitMinutes ?? 0,
    transactionSeconds: startedAt ? seconds(startedAt, businessEnd) : null,
    transactionLimitMinutes: limit,
    sellingSeconds: t.businessDoneAt ? seconds(t.businessDoneAt, now) : 0,
  };
  const writes: SQLWrapper[] = [
    tx.insert(queueTransactions).values({
      provinceId: t.provinceId,
      id: newId(),
      ticketId: t.id,
      unitId: t.unitId,
      unitPath: t.unitPath,
      localDate: t.localDate,
      counterId: counter.id,
      staffId: counter.staffId,
      staffName: counter.staffName,
      queueCode: t.queueCode,
      categoryCode: t.categoryCode,
      vip: t.vip,
      channel: t.channel,
      waitingSince: t.waitingSince,
      calledAt,
      startedAt,
      businessDoneAt: t.businessDoneAt,
      endedAt: now,
      outcome,
      ...measure,
    }),
  ];
  if (counter.currentTicketId === t.id) {
    writes.push(
      tx.update(queueCounters).set({ currentTicketId: null }).where(eq(queueCounters.id, counter.id)),
    );
  }
  return { measure, writes };
}

function ticketEvent(
  tx: Tx,
  ctx: Ctx,
  action: EventType,
  t: TicketRow,
  after: Record<string, unknown>,
  writes: readonly SQLWrapper[],
) {
  return appendEvent(
    tx,
    ctx,
    {
      action,
      unit: unitRefOf(t),
      subjectType: 'ticket',
      subjectId: t.id,
      before: { status: t.status },
      after: { ticketNumber: t.number, ...after },
    },
    writes,
  );
}

/** Marks a called ticket a no-show (过号). */
async function markNoShow(
  tx: Tx,
  ctx: Ctx,
  a: AtCounter,
  reason: 'manual' | 'recall_limit',
): Promise<Ticket> {
  const { measure, writes } = await endCall(tx, a.ticket, a.counter, 'no_show', a.now);
  const { row: updated, write } = changeTicket(tx, a.ticket, {
    status: 'no_show',
    finishedAt: a.now,
    outcome: 'no_show',
  });
  await ticketEvent(
    tx,
    ctx,
    'ticket.no_show',
    a.ticket,
    {
      status: 'no_show',
      counterNumber: a.counter.number,
      recalls: a.ticket.recalls,
      reason,
      waitSeconds: measure.waitSeconds,
      waitLimitMinutes: measure.waitLimitMinutes,
    },
    [...writes, write],
  );
  return toTicket(updated, a.names, { counter: a.counter });
}

/**
 * Calls a called ticket again; once it has been recalled the number of times the setting allows, the next
 * recall marks it a no-show instead.
 */
export async function recallTicket(ctx: Ctx, ticketId: string): Promise<Ticket> {
  return command(ctx, async (tx) => {
    const a = await atCounter(tx, ctx, ticketId, ['called'], { zh: '重呼', en: 'recalled' });
    const { 'queue.maxRecalls': max } = await numbers(tx, a.ticket.unitPath, ['queue.maxRecalls'], a.now);
    if (a.ticket.recalls >= max) return markNoShow(tx, ctx, a, 'recall_limit');
    const { row: updated, write } = changeTicket(tx, a.ticket, {
      recalls: a.ticket.recalls + 1,
      lastCallAt: a.now,
    });
    await ticketEvent(
      tx,
      ctx,
      'ticket.recalled',
      a.ticket,
      {
        counterId: a.counter.id,
        counterNumber: a.counter.number,
        recalls: updated.recalls,
        maxRecalls: max,
      },
      [write],
    );
    return toTicket(updated, a.names, { counter: a.counter });
  });
}

/**
 * The customer has come to the counter: the transaction starts, timed afresh from now. An alert raised
 * while the ticket was only called is cleared, so the transaction's own warning and breach are raised.
 */
export async function startTicket(ctx: Ctx, ticketId: string): Promise<Ticket> {
  return command(ctx, (tx) => startTicketIn(tx, ctx, ticketId));
}

/** `startTicket` inside a caller's transaction (a visit opened from a called ticket starts it). */
export async function startTicketIn(tx: Tx, ctx: Ctx, ticketId: string): Promise<Ticket> {
  const a = await atCounter(tx, ctx, ticketId, ['called'], { zh: '开始办理', en: 'started' });
  const { row: updated, write } = changeTicket(tx, a.ticket, {
    status: 'serving',
    startedAt: a.now,
    transactionAlert: null,
  });
  await ticketEvent(
    tx,
    ctx,
    'ticket.started',
    a.ticket,
    {
      status: 'serving',
      counterNumber: a.counter.number,
      sinceCallSeconds: seconds(a.ticket.calledAt ?? a.now, a.now),
    },
    [write],
  );
  return toTicket(updated, a.names, { counter: a.counter });
}

/** "Business done, now selling": the transaction time stops here (2§3.6.5). */
export async function markBusinessDone(ctx: Ctx, ticketId: string): Promise<Ticket> {
  return command(ctx, async (tx) => {
    const a = await atCounter(tx, ctx, ticketId, ['serving'], {
      zh: '标记业务办结',
      en: 'marked business done',
    });
    if (a.ticket.businessDoneAt) {
      throw conflict(
        'business_done',
        `号票${a.ticket.number}已标记业务办结`,
        `Ticket ${a.ticket.number} is already marked business done`,
      );
    }
    const { 'queue.transactionMinutes': limit } = await numbers(
      tx,
      a.ticket.unitPath,
      ['queue.transactionMinutes'],
      a.now,
    );
    const { row: updated, write } = changeTicket(tx, a.ticket, { businessDoneAt: a.now });
    await ticketEvent(
      tx,
      ctx,
      'ticket.business_done',
      a.ticket,
      {
        transactionSeconds: seconds(a.ticket.startedAt ?? a.now, a.now),
        transactionLimitMinutes: limit,
      },
      [write],
    );
    return toTicket(updated, a.names, { counter: a.counter });
  });
}

/** Finishes a ticket with its outcome and the business done; the transaction is measured. */
export async function finishTicket(ctx: Ctx, ticketId: string, input: FinishTicket): Promise<Ticket> {
  return command(ctx, (tx) => finishTicketIn(tx, ctx, ticketId, input));
}

/** `finishTicket` inside a caller's transaction (closing a visit finishes its ticket in the same one). */
export async function finishTicketIn(
  tx: Tx,
  ctx: Ctx,
  ticketId: string,
  input: FinishTicket,
): Promise<Ticket> {
  const a = await atCounter(tx, ctx, ticketId, ['called', 'serving'], { zh: '办结', en: 'finished' });
  const { measure, writes } = await endCall(tx, a.ticket, a.counter, 'served', a.now);
  const { row: updated, write } = changeTicket(tx, a.ticket, {
    status: 'done',
    startedAt: a.ticket.startedAt ?? a.ticket.calledAt,
    finishedAt: a.now,
    outcome: input.outcome,
    business: input.business,
  });
  await ticketEvent(
    tx,
    ctx,
    'ticket.finished',
    a.ticket,
    {
      status: 'done',
      outcome: input.outcome,
      business: input.business,
      counterNumber: a.counter.number,
      clerk: a.counter.staffName,
      ...measure,
    },
    [...writes, write],
  );
  return toTicket(updated, a.names, { counter: a.counter });
}

/** Marks a called customer who did not come a no-show. */
export async function noShowTicket(ctx: Ctx, ticketId: string): Promise<Ticket> {
  return command(ctx, async (tx) => {
    const a = await atCounter(tx, ctx, ticketId, ['called'], { zh: '标记过号', en: 'marked a no-show' });
    return markNoShow(tx, ctx, a, 'manual');
  });
}

/**
 * Transfers a ticket to another queue and/or counter; it waits again, keeping its original waiting time
 * when the setting says so (then it is called before those who came later).
 */
export async function transferTicket(ctx: Ctx, ticketId: string, input: TransferTicket): Promise<Ticket> {
  return command(ctx, async (tx) => {
    const a = await atCounter(tx, ctx, ticketId, ['called', 'serving'], { zh: '转移', en: 'transferred' });
    const config = await hallConfig(tx, await hallRef(tx, a.ticket.unitId));
    const queue = input.queue !== undefined ? queueOf(config, input.queue) : null;
    const category = input.category !== undefined ? categoryOf(config, input.category) : null;
    let target: CounterRow | null = null;
    if (input.counterId !== undefined) {
      target = await counterRow(tx, input.counterId).catch(() => {
        throw unprocessable('unknown_counter', '没有这个台席', 'No such counter', [
          fieldProblem('body.counterId', '没有这个台席', 'No such counter'),
        ]);
      });
      if (target.unitId !== a.ticket.unitId || !target.active) {
        throw unprocessable('unknown_counter', '该营业厅没有这个台席', 'No such counter at this hall', [
          fieldProblem('body.counterId', '没有这个台席', 'No such counter'),
        ]);
      }
      if (target.id === a.counter.id) {
        throw badRequest(
          'same_counter',
          '不能转给本台席',
          'A ticket cannot be transferred to its own counter',
        );
      }
    }
    // Back into its own queue for anyone to call is no transfer: the same counter would call it again.
    if (target === null && (queue === null || queue.code === a.ticket.queueCode)) {
      throw unprocessable(
        'same_queue',
        '不能转回本队列，请选择其他队列或指定台席',
        'A ticket cannot be transferred to its own queue: choose another queue or a counter',
        [fieldProblem('body.queue', '不能转回本队列', 'Not its own queue')],
      );
    }
    const settings = await settingsFlag(tx, a.ticket.unitPath, a.now);
    const { measure, writes } = await endCall(tx, a.ticket, a.counter, 'transferred', a.now);
    const { row: updated, write } = changeTicket(tx, a.ticket, {
      status: 'waiting',
      queueCode: queue?.code ?? a.ticket.queueCode,
      categoryCode: category?.code ?? a.ticket.categoryCode,
      targetCounterId: target?.id ?? null,
      waitingSince: settings.keepWait ? a.ticket.waitingSince : a.now,
      counterId: null,
      staffId: null,
      staffName: '',
      calledAt: null,
      callWaitLimitMinutes: null,
      startedAt: null,
      businessDoneAt: null,
      recalls: 0,
      transfers: a.ticket.transfers + 1,
      nearFrontAt: null,
    });
    await ticketEvent(
      tx,
      ctx,
      'ticket.transferred',
      a.ticket,
      {
        status: 'waiting',
        from: { counterNumber: a.counter.number, queue: a.ticket.queueCode, category: a.ticket.categoryCode },
        to: {
          queue: updated.queueCode,
          category: updated.categoryCode,
          counterNumber: target?.number ?? null,
        },
        keptWaitingTime: settings.keepWait,
        ...measure,
      },
      [...writes, write],
    );
    const names = await namesOf(tx, updated);
    return ticketView(tx, updated, names, a.now);
  });
}

async function settingsFlag(tx: Tx, unitPath: string, at: Date): Promise<{ keepWait: boolean }> {
  const v = await settingValues(tx, unitPath, ['queue.transferKeepsWait'], at);
  return { keepWait: v['queue.transferKeepsWait'] === true };
}

/** Parks a ticket at the counter (the customer steps aside, e.g. to fetch a document); the counter is free. */
export async function parkTicket(
  ctx: Ctx,
  ticketId: string,
  input: { reason?: string | undefined } = {},
): Promise<Ticket> {
  return command(ctx, async (tx) => {
    const a = await atCounter(tx, ctx, ticketId, ['called', 'serving'], { zh: '暂挂', en: 'parked' });
    const { measure, writes } = await endCall(tx, a.ticket, a.counter, 'parked', a.now);
    const { row: updated, write } = changeTicket(tx, a.ticket, {
      status: 'parked',
      waitingSince: a.now,
      calledAt: null,
      startedAt: null,
      businessDoneAt: null,
      recalls: 0,
    });
    await ticketEvent(
      tx,
      ctx,
      'ticket.parked',
      a.ticket,
      {
        status: 'parked',
        counterNumber: a.counter.number,
        reason: input.reason ?? '',
        ...measure,
      },
      [...writes, write],
    );
    return toTicket(updated, a.names, { counter: a.counter });
  });
}

/** Takes a parked ticket back to the counter it was parked at (which must be open and free). */
export async function resumeTicket(ctx: Ctx, ticketId: string): Promise<Ticket> {
  return command(ctx, async (tx) => {
    const a = await atCounter(tx, ctx, ticketId, ['parked'], { zh: '恢复办理', en: 'resumed' });
    if (a.counter.state !== 'open') throw counterNotOpen(a.counter);
    if (a.counter.currentTicketId) {
      throw conflict(
        'counter_busy',
        `${a.counter.name}正在服务其他客户`,
        `${counterEn(a.counter)} is serving another customer`,
      );
    }
    const settings = await numbers(
      tx,
      a.ticket.unitPath,
      ['queue.waitMinutes', 'queue.vipWaitMinutes'],
      a.now,
    );
    const limit = a.ticket.vip ? settings['queue.vipWaitMinutes'] : settings['queue.waitMinutes'];
    const { row: updated, write } = changeTicket(tx, a.ticket, {
      status: 'called',
      calledAt: a.now,
      lastCallAt: a.now,
      callWaitLimitMinutes: limit,
      staffId: a.counter.staffId,
      staffName: a.counter.staffName,
    });
    const seat = tx
      .update(queueCounters)
      .set({ currentTicketId: a.ticket.id })
      .where(eq(queueCounters.id, a.counter.id));
    await ticketEvent(
      tx,
      ctx,
      'ticket.resumed',
      a.ticket,
      {
        status: 'called',
        counterId: a.counter.id,
        counterNumber: a.counter.number,
        parkedSeconds: seconds(a.ticket.waitingSince, a.now),
      },
      [write, seat],
    );
    return toTicket(updated, a.names, { counter: a.counter });
  });
}

/**
 * Cancels a waiting (or parked) ticket: the customer gives up. A device cancels only tickets it took.
 * `held`: given by the e-channel module, whether the ticket is the proven phone's (then no position is asked).
 */
export async function cancelTicket(
  ctx: Ctx,
  ticketId: string,
  held?: (ticket: TicketRow, tx: Tx) => Promise<boolean>,
): Promise<Ticket> {
  return command(ctx, async (tx) => {
    const { ticket, names } = await ticketWithNames(tx, ticketId, true);
    const notYours = () =>
      forbidden('not_your_ticket', '只能取消自己取的号票', 'You may cancel only the tickets you took');
    if (held) {
      if (!(await held(ticket, tx))) throw notYours();
    } else {
      authorize(ctx.actor, queuePolicy, 'queue.cancel', ticket.unitPath);
      if (ctx.actor.kind === 'device' && !isHolder(ctx, ticket)) throw notYours();
    }
    if (!['waiting', 'parked'].includes(ticket.status))
      throw ticketStateProblem(ticket, { zh: '取消', en: 'cancelled' });
    const now = ctx.clock.now();
    const { row: updated, write } = changeTicket(tx, ticket, {
      status: 'cancelled',
      finishedAt: now,
      outcome: 'cancelled',
      targetCounterId: null,
    });
    await ticketEvent(tx, ctx, 'ticket.cancelled', ticket, { status: 'cancelled', channel: ticket.channel }, [
      write,
    ]);
    return toTicket(updated, names);
  });
}
