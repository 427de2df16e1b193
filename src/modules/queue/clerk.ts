/**
 * The clerk at the counter (issue #12): calling a specific ticket number with a reason (not the next by the
 * work profile), the clerk's own figures of the day, and the counter's rating pad (服务评价器) on which the
 * customer rates the ticket just finished.
 *
 * Each write is one command in one transaction with its event: `ticket.called_by_number` (with the reason
 * and how many of the same queue it passed over, for the audit trail) and `ticket.rated`. The figures are
 * computed by `clerkDay` and `ratingSummaryOf` (src/core/queue-stats.ts) from the transaction rows the
 * serving commands write and the ratings, judged against the limit recorded with each.
 */
import { and, count, desc, eq, sql } from 'drizzle-orm';
import type { SQL } from 'drizzle-orm';
import { localDateOf } from '../../core/calendar.ts';
import { servesQueue } from '../../core/queue-order.ts';
import type { ClerkCall } from '../../core/queue-stats.ts';
import { clerkDay, ratingRefusal, ratingSummaryOf } from '../../core/queue-stats.ts';
import { authorize, authorizeAny } from '../../platform/auth/policy.ts';
import type { Ctx } from '../../platform/context.ts';
import type { DbOrTx } from '../../platform/db/index.ts';
import { appendEvent, command } from '../../platform/events.ts';
import { badRequest, conflict, fieldProblem, notFound, unprocessable } from '../../platform/http/problem.ts';
import { newId } from '../../platform/ids.ts';
import { deviceCounterOf } from '../auth/service.ts';
import type { CallTicket, ClerkDay, PadState, RatePadTicket, Rating } from './clerk-contract.ts';
import { CALL_REASONS } from './clerk-contract.ts';
import type { Ticket } from './contract.ts';
import { queuePolicy } from './policy.ts';
import { queueCounters, queueRatings, queueTickets, queueTransactions } from './schema.ts';
import type { CounterRow } from './shared.ts';
import {
  COUNTER,
  TICKET,
  assertHall,
  counterRow,
  hallRef,
  lockCounterToCall,
  namesSelect,
  numbers,
  ticketStateProblem,
  toTicket,
  unitRefOf,
  workProfileOf,
} from './shared.ts';

const seconds = (from: Date, to: Date) => Math.max(0, Math.round((to.getTime() - from.getTime()) / 1000));

/* ----------------------------------------------------------------------------------------------- */
/* Calling a specific number.                                                                       */

/**
 * Calls the waiting ticket `number` of the counter's hall today at the counter, instead of the next by the
 * work profile, for one of the listed reasons. Refused: a number not waiting (409), not of this hall today
 * (422), of a queue or category the counter's work profile does not serve (422), transferred to another
 * counter (409); the counter must be open and free and the caller its clerk, like calling the next.
 */
export async function callTicket(ctx: Ctx, counterId: string, input: CallTicket): Promise<Ticket> {
  return command(ctx, async (tx) => {
    const found = await lockCounterToCall(tx, ctx, counterId);
    const counter = found.counter;
    const now = ctx.clock.now();
    const date = localDateOf(now, found.timeZone);
    const [row] = await tx
      .select({ ticket: queueTickets, ...namesSelect })
      .from(queueTickets)
      .where(
        and(
          eq(queueTickets.provinceId, counter.provinceId),
          eq(queueTickets.unitId, counter.unitId),
          eq(queueTickets.localDate, date),
          eq(queueTickets.number, input.number),
        ),
      )
      .for('update', { of: queueTickets });
    if (!row) {
      throw unprocessable(
        'ticket_not_here',
        `本营业厅今天没有号票 ${input.number}`,
        `No ticket ${input.number} at this hall today`,
        [fieldProblem('body.number', '本厅今天没有这个号', 'Not a number of this hall today')],
      );
    }
    const { ticket, ...names } = row;
    if (ticket.status !== 'waiting') throw ticketStateProblem(ticket, { zh: '叫号', en: 'called' });
    if (ticket.targetCounterId !== null && ticket.targetCounterId !== counter.id) {
      throw conflict(
        'ticket_for_other_counter',
        `号票${ticket.number}已转给其他台席办理`,
        `Ticket ${ticket.number} was transferred to another counter`,
      );
    }
    const work = workProfileOf(counter, { rules: found.rules ?? [], categories: found.categories ?? [] });
    const servedCategory =
      !work.categories || work.categories.length === 0 || work.categories.includes(ticket.categoryCode);
    if (ticket.targetCounterId !== counter.id && (!servesQueue(work, ticket.queueCode) || !servedCategory)) {
      throw unprocessable(
        'queue_not_served',
        `工作模式“${found.profileName ?? ''}”不办理号票${ticket.number}的队列或业务`,
        `The work profile "${found.profileNameEn ?? ''}" does not serve the queue or service of ${ticket.number}`,
        [fieldProblem('body.number', '本台席不办理该队列', 'This counter does not serve its queue')],
      );
    }
    const settings = await numbers(tx, counter.unitPath, ['queue.waitMinutes', 'queue.vipWaitMinutes'], now);
    const limit = ticket.vip ? settings['queue.vipWaitMinutes'] : settings['queue.waitMinutes'];
    // How many of the same line it passed over (called before them), for the audit trail.
    const [ahead] = await tx
      .select({ n: count() })
      .from(queueTickets)
      .where(
        and(
          eq(queueTickets.provinceId, counter.provinceId),
          eq(queueTickets.unitId, counter.unitId),
          eq(queueTickets.localDate, date),
          eq(queueTickets.status, 'waiting'),
          eq(queueTickets.queueCode, ticket.queueCode),
          sql`(${queueTickets.priority} > ${ticket.priority} or (${queueTickets.priority} = ${ticket.priority}
            and (${queueTickets.waitingSince}, ${queueTickets.takenAt}, ${queueTickets.id})
              < (${ticket.waitingSince.toISOString()}::timestamptz, ${ticket.takenAt.toISOString()}::timestamptz, ${ticket.id}::uuid)))`,
        ),
      );
    const firstCall = ticket.firstCalledAt === null && ticket.transfers === 0;
    const set = {
      status: 'called' as const,
      calledAt: now,
      lastCallAt: now,
      callWaitLimitMinutes: limit,
      recalls: 0,
      counterId: counter.id,
      staffId: counter.staffId,
      staffName: counter.staffName,
      targetCounterId: null,
      firstCalledAt: ticket.firstCalledAt ?? now,
      waitSeconds: ticket.waitSeconds ?? seconds(ticket.takenAt, now),
      waitLimitMinutes: ticket.waitLimitMinutes ?? limit,
    };
    const called = { ...ticket, ...set };
    await appendEvent(
      tx,
      ctx,
      {
        action: 'ticket.called_by_number',
        unit: unitRefOf(counter),
        subjectType: 'ticket',
        subjectId: ticket.id,
        before: { status: ticket.status },
        after: {
          ticketNumber: ticket.number,
          queue: ticket.queueCode,
          category: ticket.categoryCode,
          counterId: counter.id,
          counterNumber: counter.number,
          waitSeconds: seconds(ticket.waitingSince, now),
          waitLimitMinutes: limit,
          firstCall,
          clerk: counter.staffName,
          reason: input.reason,
          reasonText: CALL_REASONS[input.reason].zh,
          note: input.note,
          passedOver: ahead?.n ?? 0,
        },
      },
      [
        tx
          .update(queueTickets)
          .set(set)
          .where(and(eq(queueTickets.provinceId, ticket.provinceId), eq(queueTickets.id, ticket.id))),
        tx.update(queueCounters).set({ currentTicketId: ticket.id }).where(eq(queueCounters.id, counter.id)),
      ],
    );
    return toTicket(called, { ...names, hallName: found.hallName }, { counter });
  });
}

/* ----------------------------------------------------------------------------------------------- */
/* The clerk's own day.                                                                             */

/**
 * The caller's own figures today at a hall (by default the hall of the counter the caller has open, else
 * the caller's unit): customers served, average handling time and the share within the transaction limit,
 * and the customers' ratings. Only one's own: the figures are the caller's transactions and ratings.
 */
export async function clerkToday(ctx: Ctx, hallId: string | undefined): Promise<ClerkDay> {
  authorizeAny(ctx.actor, queuePolicy, 'queue.serve');
  if (ctx.actor.kind !== 'staff' || !ctx.actor.id) {
    throw badRequest('not_staff', '只有员工有个人业绩', 'Only staff have figures of their own');
  }
  const staffId = ctx.actor.id;
  let unitId = hallId;
  if (!unitId) {
    const [open] = await ctx.db
      .select({ unitId: queueCounters.unitId })
      .from(queueCounters)
      .where(and(eq(queueCounters.staffId, staffId), sql`${queueCounters.state} <> 'closed'`))
      .limit(1);
    unitId = open?.unitId ?? ctx.actor.unitId;
  }
  const hall = await hallRef(ctx.db, unitId);
  authorize(ctx.actor, queuePolicy, 'queue.serve', hall.path);
  assertHall(hall);
  const now = ctx.clock.now();
  const date = localDateOf(now, hall.timeZone);
  const [calls, scores, settings] = await Promise.all([
    ctx.db
      .select({
        outcome: queueTransactions.outcome,
        transactionSeconds: queueTransactions.transactionSeconds,
        transactionLimitMinutes: queueTransactions.transactionLimitMinutes,
      })
      .from(queueTransactions)
      .where(
        and(
          eq(queueTransactions.provinceId, hall.provinceId),
          eq(queueTransactions.unitId, hall.id),
          eq(queueTransactions.localDate, date),
          eq(queueTransactions.staffId, staffId),
        ),
      ),
    ratingCounts(
      ctx.db,
      and(
        eq(queueRatings.unitId, hall.id),
        eq(queueRatings.localDate, date),
        eq(queueRatings.staffId, staffId),
      ),
    ),
    numbers(ctx.db, hall.path, ['queue.transactionMinutes'], now),
  ]);
  const day = clerkDay(calls as ClerkCall[]);
  return {
    hallId: hall.id,
    date,
    ...day,
    transactionMinutes: settings['queue.transactionMinutes'],
    ratings: ratingSummaryOf(scores),
  };
}

/** Ratings per score (1–5) where `where` holds. */
async function ratingCounts(db: DbOrTx, where: SQL | undefined): Promise<number[]> {
  const found = await db
    .select({ score: queueRatings.score, n: count() })
    .from(queueRatings)
    .where(where)
    .groupBy(queueRatings.score);
  const out = [0, 0, 0, 0, 0];
  for (const r of found) if (r.score >= 1 && r.score <= 5) out[r.score - 1] = Number(r.n);
  return out;
}

/* ----------------------------------------------------------------------------------------------- */
/* The rating pad.                                                                                  */

/** The pad's counter (its token is bound to one); 403 for anyone but a rating pad of that counter's hall. */
async function padCounter(ctx: Ctx, db: DbOrTx): Promise<CounterRow> {
  authorize(ctx.actor, queuePolicy, 'queue.rate', ctx.actor.unitPath);
  const counterId = ctx.actor.id ? await deviceCounterOf(db, ctx.actor.id) : null;
  if (!counterId) throw notFound(COUNTER);
  const counter = await counterRow(db, counterId);
  authorize(ctx.actor, queuePolicy, 'queue.rate', counter.unitPath);
  return counter;
}

/** The counter's last served call: its ticket and when it ended. */
async function lastServed(db: DbOrTx, counter: CounterRow) {
  const [last] = await db
    .select({
      ticketId: queueTransactions.ticketId,
      endedAt: queueTransactions.endedAt,
      staffId: queueTransactions.staffId,
      staffName: queueTransactions.staffName,
      localDate: queueTransactions.localDate,
      categoryCode: queueTransactions.categoryCode,
    })
    .from(queueTransactions)
    .where(
      and(
        eq(queueTransactions.provinceId, counter.provinceId),
        eq(queueTransactions.counterId, counter.id),
        eq(queueTransactions.outcome, 'served'),
      ),
    )
    .orderBy(desc(queueTransactions.endedAt), desc(queueTransactions.id))
    .limit(1);
  return last ?? null;
}

async function isRated(db: DbOrTx, provinceId: string, ticketId: string): Promise<boolean> {
  const [r] = await db
    .select({ id: queueRatings.id })
    .from(queueRatings)
    .where(and(eq(queueRatings.provinceId, provinceId), eq(queueRatings.ticketId, ticketId)));
  return r !== undefined;
}

/** What the pad shows: its counter, its clerk now, and the ticket to rate (or none). */
export async function padState(ctx: Ctx): Promise<PadState> {
  const counter = await padCounter(ctx, ctx.db);
  const hall = await hallRef(ctx.db, counter.unitId);
  const now = ctx.clock.now();
  const [last, settings] = await Promise.all([
    lastServed(ctx.db, counter),
    numbers(ctx.db, counter.unitPath, ['queue.ratingWindowMinutes'], now),
  ]);
  const windowMinutes = settings['queue.ratingWindowMinutes'];
  let ticket: PadState['ticket'] = null;
  if (last) {
    const [t] = await ctx.db
      .select({
        number: queueTickets.number,
        finishedAt: queueTickets.finishedAt,
        status: queueTickets.status,
      })
      .from(queueTickets)
      .where(and(eq(queueTickets.provinceId, counter.provinceId), eq(queueTickets.id, last.ticketId)));
    const refused =
      t && t.status === 'done'
        ? ratingRefusal({
            finishedAt: t.finishedAt,
            isLastFinishedAtCounter: true,
            alreadyRated: await isRated(ctx.db, counter.provinceId, last.ticketId),
            windowMinutes,
            now,
          })
        : 'not_finished';
    if (t && refused === null && t.finishedAt) {
      ticket = {
        id: last.ticketId,
        number: t.number,
        finishedAt: t.finishedAt.toISOString(),
        rateUntil: new Date(t.finishedAt.getTime() + windowMinutes * 60_000).toISOString(),
        clerkName: last.staffName,
      };
    }
  }
  return {
    hallId: hall.id,
    hallName: hall.name,
    hallNameEn: hall.nameEn,
    counter: { id: counter.id, number: counter.number, name: counter.name },
    clerkName: counter.state === 'closed' ? '' : counter.staffName,
    ticket,
    at: now.toISOString(),
  };
}

const REFUSED = {
  not_finished: { zh: '该号票尚未办结，不能评价', en: 'The ticket is not finished: it cannot be rated' },
  not_last: {
    zh: '只能评价本台席刚办结的号票',
    en: 'Only the ticket this counter finished last can be rated',
  },
  already_rated: { zh: '该号票已评价过', en: 'This ticket has been rated already' },
  window_over: { zh: '已超过评价时限', en: 'The time to rate this ticket is over' },
} as const;

/**
 * The customer's rating (1–5, optional reasons and words) of the ticket the pad's counter finished last,
 * within `queue.ratingWindowMinutes` of finishing; one per ticket. A pad rates only its own counter's last
 * finished ticket: any other ticket is not found for it.
 */
export async function rateTicket(ctx: Ctx, input: RatePadTicket): Promise<Rating> {
  return command(ctx, async (tx) => {
    const counter = await padCounter(ctx, tx);
    const [ticket] = await tx
      .select()
      .from(queueTickets)
      .where(and(eq(queueTickets.provinceId, counter.provinceId), eq(queueTickets.id, input.ticketId)))
      .for('update');
    // Another counter's or hall's ticket is not the pad's business: not found, whatever it is.
    if (!ticket || ticket.unitId !== counter.unitId || ticket.counterId !== counter.id) {
      throw notFound(TICKET);
    }
    const now = ctx.clock.now();
    const last = await lastServed(tx, counter);
    const { 'queue.ratingWindowMinutes': windowMinutes } = await numbers(
      tx,
      counter.unitPath,
      ['queue.ratingWindowMinutes'],
      now,
    );
    const refused = ratingRefusal({
      finishedAt: ticket.status === 'done' ? ticket.finishedAt : null,
      isLastFinishedAtCounter: last?.ticketId === ticket.id,
      alreadyRated: await isRated(tx, ticket.provinceId, ticket.id),
      windowMinutes,
      now,
    });
    if (refused) throw conflict(refused, REFUSED[refused].zh, REFUSED[refused].en);
    const id = newId();
    const rating: Rating = {
      id,
      ticketId: ticket.id,
      ticketNumber: ticket.number,
      counterNumber: counter.number,
      score: input.score,
      reasons: input.reasons,
      comment: input.comment,
      ratedAt: now.toISOString(),
    };
    await appendEvent(
      tx,
      ctx,
      {
        action: 'ticket.rated',
        unit: unitRefOf(ticket),
        subjectType: 'ticket',
        subjectId: ticket.id,
        after: {
          ticketNumber: ticket.number,
          score: input.score,
          reasons: input.reasons,
          // The customer's own words stay in the rating; the trail notes only that there were some.
          commented: input.comment.length > 0,
          counterId: counter.id,
          counterNumber: counter.number,
          clerk: last!.staffName,
        },
      },
      [
        tx.insert(queueRatings).values({
          provinceId: ticket.provinceId,
          id,
          ticketId: ticket.id,
          unitId: ticket.unitId,
          unitPath: ticket.unitPath,
          localDate: last!.localDate,
          counterId: counter.id,
          staffId: last!.staffId,
          staffName: last!.staffName,
          categoryCode: last!.categoryCode,
          score: input.score,
          reasons: input.reasons,
          comment: input.comment,
          deviceId: ctx.actor.id!,
          ratedAt: now,
        }),
      ],
    );
    return rating;
  });
}
