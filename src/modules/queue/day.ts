/**
 * The queue day of a hall: at closing, tickets still waiting are closed as "not served" and counted, and
 * appointments nobody came for become no-shows; alerts are raised (once per ticket and level) as events so
 * the duty manager's screens hear of them at once. A timer does both on the system clock; tests and the
 * simulator call them directly.
 */
import { and, eq, inArray, sql } from 'drizzle-orm';
import { localDateOf } from '../../core/calendar.ts';
import { dayIsOver } from '../../core/queue-day.ts';
import { authorize } from '../../platform/auth/policy.ts';
import type { Clock } from '../../platform/clock.ts';
import type { Ctx } from '../../platform/context.ts';
import { systemContext } from '../../platform/context.ts';
import type { Db } from '../../platform/db/index.ts';
import { rows } from '../../platform/db/index.ts';
import { appendEvent, command } from '../../platform/events.ts';
import { conflict } from '../../platform/http/problem.ts';
import { scheduleOf } from '../calendar/service.ts';
import type { AcknowledgeAlert, AlertRow, DayClosed, QueueAlert } from './contract.ts';
import { queuePolicy } from './policy.ts';
import { queueAppointments, queueCounters, queueDays, queueHalls, queueTickets } from './schema.ts';
import type { HallRef } from './shared.ts';
import { OPEN_STATUSES, assertHall, hallRef } from './shared.ts';
import { alertRowsOf, alertSubject, alertsOf, hallSnapshot, limitAlerts, loadsOf } from './views.ts';
import { repeatEvery } from '../../platform/worker.ts';

/**
 * Closes a queue day that is over: waiting, called and parked tickets become "not served" (on a past day
 * also those still being served), counters without a customer are closed, booked appointments become
 * no-shows. Refused (409) while the day is still open. Doing it twice changes nothing the second time.
 */
export async function closeDay(ctx: Ctx, hallId: string, date?: string): Promise<DayClosed> {
  const hall = await hallRef(ctx.db, hallId);
  authorize(ctx.actor, queuePolicy, 'queue.supervise', hall.path);
  assertHall(hall);
  const now = ctx.clock.now();
  const day = date ?? localDateOf(now, hall.timeZone);
  const schedule = await scheduleOf(ctx.db, hall.id);
  if (!dayIsOver(schedule, day, now)) {
    throw conflict(
      'day_not_over',
      `${hall.name} ${day} 尚未结束营业，不能结束当日排队`,
      `${hall.name} is still open on ${day}: the queue day cannot be closed yet`,
    );
  }
  return closeOver(ctx, hall, day, day < localDateOf(now, hall.timeZone));
}

async function closeOver(ctx: Ctx, hall: HallRef, day: string, past: boolean): Promise<DayClosed> {
  return command(ctx, async (tx) => {
    // One closer at a time per hall (any instance).
    await tx.select().from(queueHalls).where(eq(queueHalls.unitId, hall.id)).for('update');
    const now = ctx.clock.now();
    const statuses = past ? [...OPEN_STATUSES] : ['waiting', 'called', 'parked'];
    const closed = await tx
      .update(queueTickets)
      .set({ status: 'not_served', outcome: 'not_served', finishedAt: now, targetCounterId: null })
      .where(
        and(
          eq(queueTickets.unitId, hall.id),
          eq(queueTickets.localDate, day),
          inArray(queueTickets.status, statuses as (typeof OPEN_STATUSES)[number][]),
        ),
      )
      .returning({
        id: queueTickets.id,
        number: queueTickets.number,
        status: queueTickets.status,
        counterId: queueTickets.counterId,
      });
    const closedIds = closed.map((t) => t.id);
    if (closedIds.length > 0) {
      await tx
        .update(queueCounters)
        .set({ currentTicketId: null })
        .where(and(eq(queueCounters.unitId, hall.id), inArray(queueCounters.currentTicketId, closedIds)));
    }
    const counters = await tx
      .update(queueCounters)
      .set({
        state: 'closed',
        stateSince: now,
        staffId: null,
        staffName: '',
        profileId: null,
        pauseReason: '',
      })
      .where(
        and(
          eq(queueCounters.unitId, hall.id),
          sql`${queueCounters.state} <> 'closed'`,
          sql`${queueCounters.currentTicketId} is null`,
        ),
      )
      .returning({ id: queueCounters.id, number: queueCounters.number });
    const noShows = await tx
      .update(queueAppointments)
      .set({ status: 'no_show', updatedAt: now })
      .where(
        and(
          eq(queueAppointments.unitId, hall.id),
          eq(queueAppointments.localDate, day),
          eq(queueAppointments.status, 'booked'),
        ),
      )
      .returning({ id: queueAppointments.id });
    const result: DayClosed = {
      hallId: hall.id,
      date: day,
      notServed: closed.length,
      appointmentNoShows: noShows.length,
      countersClosed: counters.length,
    };
    if (closed.length === 0 && noShows.length === 0 && counters.length === 0) return result;
    for (const t of closed) {
      await appendEvent(tx, ctx, {
        action: 'ticket.not_served',
        unit: hall,
        subjectType: 'ticket',
        subjectId: t.id,
        after: { ticketNumber: t.number, status: 'not_served', reason: 'day_closed', date: day },
      });
    }
    for (const c of counters) {
      await appendEvent(tx, ctx, {
        action: 'counter.closed',
        unit: hall,
        subjectType: 'counter',
        subjectId: c.id,
        after: { number: c.number, state: 'closed', reason: 'day_closed' },
      });
    }
    await tx
      .insert(queueDays)
      .values({
        unitId: hall.id,
        localDate: day,
        closedAt: now,
        notServed: closed.length,
        appointmentNoShows: noShows.length,
      })
      .onConflictDoUpdate({
        target: [queueDays.unitId, queueDays.localDate],
        set: {
          closedAt: now,
          notServed: sql`${queueDays.notServed} + ${closed.length}`,
          appointmentNoShows: sql`${queueDays.appointmentNoShows} + ${noShows.length}`,
        },
      });
    await appendEvent(tx, ctx, {
      action: 'queue.day_closed',
      unit: hall,
      subjectType: 'hall',
      subjectId: hall.id,
      after: result,
    });
    return result;
  });
}

const RANK: Record<string, number> = { warning: 1, breach: 2 };

/**
 * Raises the alerts of a hall that have not been raised yet at their level (a ticket warns once, and
 * breaches once): each is an event `queue.alert`, recorded on the ticket so no instance raises it again.
 */
export async function raiseAlerts(ctx: Ctx, hallId: string): Promise<QueueAlert[]> {
  const hall = await hallRef(ctx.db, hallId);
  authorize(ctx.actor, queuePolicy, 'queue.supervise', hall.path);
  const now = ctx.clock.now();
  const snapshot = await hallSnapshot(ctx.db, hall, now);
  const byId = new Map(snapshot.tickets.map((t) => [t.id, t]));
  const fresh = alertsOf(snapshot).filter((a) => {
    const t = byId.get(a.ticketId)!;
    const raised = a.kind === 'transaction' ? t.transactionAlert : t.waitAlert;
    return (RANK[raised ?? ''] ?? 0) < RANK[a.level]!;
  });
  if (fresh.length === 0) return [];
  return command(ctx, async (tx) => {
    const raised: QueueAlert[] = [];
    for (const a of fresh) {
      const t = byId.get(a.ticketId)!;
      const column = a.kind === 'transaction' ? sql`transaction_alert` : sql`wait_alert`;
      const lower =
        a.level === 'breach' ? sql`(${column} is null or ${column} = 'warning')` : sql`${column} is null`;
      const done = await rows<{ id: string }>(
        tx,
        sql`update queue_tickets set ${column} = ${a.level}
            where province_id = ${t.provinceId} and id = ${t.id} and ${lower} returning id`,
      );
      if (done.length === 0) continue;
      // `number` would be masked as a phone number in the event log: the ticket number goes by its own name.
      const { number: ticketNumber, ...rest } = a;
      await appendEvent(tx, ctx, {
        action: 'queue.alert',
        unit: hall,
        subjectType: 'ticket',
        subjectId: a.ticketId,
        after: { ticketNumber, ...rest },
      });
      raised.push(a);
    }
    return raised;
  });
}

/**
 * The duty manager acknowledges an alert row of the floor view (a queue's waits or a counter's
 * transaction): an event `queue.alert_acknowledged` naming the row, its level and how many were over the
 * limit then. The row shows it as seen until more tickets go over or a warning turns into a breach.
 * 409 when the row has no alert now.
 */
export async function acknowledgeAlert(ctx: Ctx, hallId: string, input: AcknowledgeAlert): Promise<AlertRow> {
  const hall = await hallRef(ctx.db, hallId);
  authorize(ctx.actor, queuePolicy, 'queue.supervise', hall.path);
  const now = ctx.clock.now();
  const s = await hallSnapshot(ctx.db, hall, now);
  const row = (await alertRowsOf(ctx.db, s, limitAlerts(s, loadsOf(s)))).find((r) => r.key === input.key);
  if (!row) {
    throw conflict('no_alert', '该队列或台席当前没有预警', 'There is no alert for this queue or counter now');
  }
  return command(ctx, async (tx) => {
    await appendEvent(tx, ctx, {
      action: 'queue.alert_acknowledged',
      unit: hall,
      subjectType: 'queue_alert',
      subjectId: alertSubject(hall.id, s.date, row.key),
      after: {
        key: row.key,
        queue: row.queue,
        counterNumber: row.counterNumber,
        level: row.level,
        over: row.over,
        near: row.near,
        ticketNumber: row.oldestNumber,
        oldestMinutes: row.oldestMinutes,
        note: input.note,
      },
    });
    return { ...row, acknowledged: { by: ctx.actor.name, at: now.toISOString(), note: input.note } };
  });
}

/** Halls with work for the timer: open tickets or booked appointments of a day that may be over. */
async function hallsWithOpenDays(db: Db): Promise<{ unitId: string; date: string }[]> {
  return rows<{ unitId: string; date: string }>(
    db,
    sql`select distinct unit_id as "unitId", local_date::text as date from queue_tickets
          where status in ('waiting', 'called', 'serving', 'parked')
        union
        select distinct unit_id, local_date::text from queue_appointments where status = 'booked'`,
  );
}

/**
 * One round of the queue's timer: closes the days that are over and raises due alerts, as the system.
 * Safe on any number of instances at once (row locks and conditional updates).
 */
export async function queueTimerTick(db: Db, clock: Clock): Promise<{ closed: DayClosed[]; alerts: number }> {
  const closed: DayClosed[] = [];
  let alerts = 0;
  const now = clock.now();
  const todayHalls = new Set<string>();
  for (const { unitId, date } of await hallsWithOpenDays(db)) {
    const hall = await hallRef(db, unitId);
    const ctx = systemContext(db, clock, hall, 'queue timer');
    const schedule = await scheduleOf(db, hall.id);
    const today = localDateOf(now, hall.timeZone);
    if (dayIsOver(schedule, date, now)) {
      const result = await closeOver(ctx, hall, date, date < today);
      if (result.notServed + result.appointmentNoShows + result.countersClosed > 0) closed.push(result);
    } else if (date === today) {
      todayHalls.add(hall.id);
    }
  }
  for (const hallId of todayHalls) {
    const hall = await hallRef(db, hallId);
    const ctx = systemContext(db, clock, hall, 'queue timer');
    alerts += (await raiseAlerts(ctx, hallId)).length;
  }
  return { closed, alerts };
}

/** Runs the queue timer every `everyMs` until stopped; errors are logged, never thrown. */
export function startQueueTimer(
  db: Db,
  clock: Clock,
  log: (err: unknown) => void,
  everyMs = 30_000,
): () => void {
  return repeatEvery(everyMs, () => queueTimerTick(db, clock), log);
}
