/**
 * Appointments (预约办理, 2§3.6.6): club diamond and gold members and 3G VIP customers book a slot within the
 * hall's business calendar; slots have a capacity; checking in at the kiosk with the phone number gives a
 * priority ticket; late arrivals and no-shows follow settings (a late check-in queues like a walk-in of
 * the customer's tier; too many no-shows suspend booking for a while).
 */
import { and, asc, count, eq, gte, inArray } from 'drizzle-orm';
import { localDateOf } from '../../core/calendar.ts';
import type { BookingRefusal } from '../../core/queue-day.ts';
import {
  appointmentSlots,
  bookingRefusal,
  checkInVerdict,
  daysBetween,
  queueDay,
} from '../../core/queue-day.ts';
import type { Tier } from '../../core/queue-order.ts';
import { maskPhone } from '../../core/masking.ts';
import { authorize } from '../../platform/auth/policy.ts';
import type { Ctx } from '../../platform/context.ts';
import type { Tx } from '../../platform/db/index.ts';
import { appendEvent, command } from '../../platform/events.ts';
import { conflict, fieldProblem, forbidden, notFound, unprocessable } from '../../platform/http/problem.ts';
import { newId } from '../../platform/ids.ts';
import { scheduleOf } from '../calendar/service.ts';
import type { Appointment, BookAppointment } from './contract.ts';
import { queuePolicy } from './policy.ts';
import { queueAppointments, queueHalls } from './schema.ts';
import {
  assertHall,
  categoryOf,
  hallClosedProblem,
  hallConfig,
  hallRef,
  numbers,
  scheduleFor,
  unitRefOf,
} from './shared.ts';
import type { HallRef } from './shared.ts';
import type { IssueInput } from './service.ts';
import { customerFacts, issueTicket, prepareIssue } from './service.ts';
import type { Ticket } from './contract.ts';

export type AppointmentRow = typeof queueAppointments.$inferSelect;
const APPOINTMENT = { zh: '预约', en: 'Appointment' };

export function toAppointment(a: AppointmentRow, hallName: string): Appointment {
  return {
    id: a.id,
    hallId: a.unitId,
    hallName,
    date: a.localDate,
    slotStart: a.slotStart.toISOString(),
    slotEnd: a.slotEnd.toISOString(),
    category: a.categoryCode,
    phone: maskPhone(a.phone),
    tier: (a.clubTier as Tier | null) ?? null,
    is3g: a.is3g,
    status: a.status,
    ticketId: a.ticketId,
    createdAt: a.createdAt.toISOString(),
  };
}

const SLOT_KEYS = ['queue.appointmentSlotMinutes', 'queue.appointmentSlotCapacity'] as const;

/** The slots of a date at a hall with how many are booked. */
export async function appointmentSlotsOf(ctx: Ctx, hallId: string, date: string) {
  const hall = await hallRef(ctx.db, hallId);
  authorize(ctx.actor, queuePolicy, 'queue.appointment', hall.path);
  await hallConfig(ctx.db, hall);
  const now = ctx.clock.now();
  const settings = await numbers(ctx.db, hall.path, SLOT_KEYS, now);
  const slotMinutes = settings['queue.appointmentSlotMinutes'];
  const capacity = settings['queue.appointmentSlotCapacity'];
  const schedule = await scheduleOf(ctx.db, hall.id);
  const booked = await ctx.db
    .select({ start: queueAppointments.slotStart, n: count() })
    .from(queueAppointments)
    .where(
      and(
        eq(queueAppointments.unitId, hall.id),
        eq(queueAppointments.localDate, date),
        inArray(queueAppointments.status, ['booked', 'checked_in']),
      ),
    )
    .groupBy(queueAppointments.slotStart);
  const byStart = new Map(booked.map((b) => [b.start.getTime(), b.n]));
  return {
    hallId: hall.id,
    date,
    slotMinutes,
    capacity,
    slots: appointmentSlots(schedule, date, slotMinutes).map((s) => {
      const n = byStart.get(s.start.getTime()) ?? 0;
      return {
        start: s.start.toISOString(),
        end: s.end.toISOString(),
        booked: n,
        free: Math.max(0, capacity - n),
      };
    }),
  };
}

const REFUSALS: Record<BookingRefusal, { status: number; zh: string; en: string }> = {
  not_eligible: {
    status: 403,
    zh: '预约服务仅面向钻石卡、金卡会员及3G VIP客户',
    en: 'Appointments are for diamond and gold members and 3G VIP customers',
  },
  not_a_slot: { status: 422, zh: '不是该营业厅当日的预约时段', en: 'Not one of the hall’s slots that day' },
  past: { status: 422, zh: '该时段已开始，不能预约', en: 'The slot has already begun' },
  too_far: { status: 422, zh: '超出可提前预约的天数', en: 'Too far ahead to book' },
  full: { status: 409, zh: '该时段已约满', en: 'The slot is full' },
  blocked: {
    status: 409,
    zh: '近期爽约次数过多，暂停预约资格',
    en: 'Too many recent no-shows: booking is suspended for now',
  },
};

/**
 * Books a slot for an eligible customer (by phone number) at a hall. `held`: the e-channel module has
 * checked that `input.phone` is the phone its caller proved (then no position is asked).
 */
export async function bookAppointment(
  ctx: Ctx,
  hallId: string,
  input: BookAppointment,
  options: { held?: boolean } = {},
): Promise<Appointment> {
  const hall = await hallRef(ctx.db, hallId);
  if (!options.held) authorize(ctx.actor, queuePolicy, 'queue.appointment', hall.path);
  const config = await hallConfig(ctx.db, hall);
  const category = categoryOf(config, input.category);
  const lookup = await customerFacts(ctx, hall, input.phone);
  if (!lookup?.found || !lookup.customerId) {
    throw unprocessable('customer_unknown', '未找到该号码的客户资料', 'No customer has this phone number', [
      fieldProblem('body.phone', '未找到客户', 'No such customer'),
    ]);
  }
  const now = ctx.clock.now();
  const slotStart = new Date(input.slotStart);
  const date = localDateOf(slotStart, hall.timeZone);
  const settings = await numbers(
    ctx.db,
    hall.path,
    [
      ...SLOT_KEYS,
      'queue.appointmentBookAheadDays',
      'queue.appointmentNoShowLimit',
      'queue.appointmentNoShowWindowDays',
    ],
    now,
  );
  const schedule = await scheduleOf(ctx.db, hall.id);
  const slot = appointmentSlots(schedule, date, settings['queue.appointmentSlotMinutes']).find(
    (s) => s.start.getTime() === slotStart.getTime(),
  );
  return command(ctx, async (tx) => {
    await tx.select().from(queueHalls).where(eq(queueHalls.unitId, hall.id)).for('update');
    const [booked] = await tx
      .select({ n: count() })
      .from(queueAppointments)
      .where(
        and(
          eq(queueAppointments.unitId, hall.id),
          eq(queueAppointments.slotStart, slotStart),
          inArray(queueAppointments.status, ['booked', 'checked_in']),
        ),
      );
    const windowStart = new Date(now.getTime() - settings['queue.appointmentNoShowWindowDays'] * 86_400_000);
    const [noShows] = await tx
      .select({ n: count() })
      .from(queueAppointments)
      .where(
        and(
          eq(queueAppointments.customerId, lookup.customerId!),
          eq(queueAppointments.status, 'no_show'),
          gte(queueAppointments.slotStart, windowStart),
        ),
      );
    const refusal = bookingRefusal({
      facts: { tier: lookup.clubTier, is3g: lookup.is3g },
      isSlot: slot !== undefined,
      slotStart,
      now,
      daysAhead: daysBetween(localDateOf(now, hall.timeZone), date),
      bookAheadDays: settings['queue.appointmentBookAheadDays'],
      booked: booked?.n ?? 0,
      capacity: settings['queue.appointmentSlotCapacity'],
      recentNoShows: noShows?.n ?? 0,
      noShowLimit: settings['queue.appointmentNoShowLimit'],
    });
    if (refusal) {
      const r = REFUSALS[refusal];
      throw r.status === 403
        ? forbidden(`appointment_${refusal}`, r.zh, r.en)
        : r.status === 409
          ? conflict(`appointment_${refusal}`, r.zh, r.en)
          : unprocessable(`appointment_${refusal}`, r.zh, r.en, [fieldProblem('body.slotStart', r.zh, r.en)]);
    }
    const [same] = await tx
      .select({ id: queueAppointments.id })
      .from(queueAppointments)
      .where(
        and(
          eq(queueAppointments.customerId, lookup.customerId!),
          eq(queueAppointments.unitId, hall.id),
          eq(queueAppointments.localDate, date),
          eq(queueAppointments.status, 'booked'),
        ),
      );
    if (same)
      throw conflict(
        'appointment_exists',
        '该客户当天在本厅已有预约',
        'The customer already has an appointment here that day',
      );
    const [row] = await tx
      .insert(queueAppointments)
      .values({
        provinceId: hall.provinceId,
        id: newId(),
        unitId: hall.id,
        unitPath: hall.path,
        localDate: date,
        slotStart,
        slotEnd: slot!.end,
        categoryCode: category.code,
        customerId: lookup.customerId!,
        phone: input.phone,
        clubTier: lookup.clubTier,
        is3g: lookup.is3g,
        status: 'booked',
        bookedBy: ctx.actor.id,
        bookedByKind: ctx.actor.kind,
        createdAt: now,
        updatedAt: now,
      })
      .returning();
    const view = toAppointment(row!, hall.name);
    await appendEvent(tx, ctx, {
      action: 'appointment.booked',
      unit: hall,
      subjectType: 'appointment',
      subjectId: view.id,
      after: { ...view, phone: input.phone },
    });
    return view;
  });
}

/** Appointments of a hall on a date (today by default), by slot. */
export async function listAppointments(ctx: Ctx, hallId: string, date?: string): Promise<Appointment[]> {
  const hall = await hallRef(ctx.db, hallId);
  authorize(ctx.actor, queuePolicy, 'queue.appointments', hall.path);
  assertHall(hall);
  const day = date ?? localDateOf(ctx.clock.now(), hall.timeZone);
  const found = await ctx.db
    .select()
    .from(queueAppointments)
    .where(and(eq(queueAppointments.unitId, hall.id), eq(queueAppointments.localDate, day)))
    .orderBy(asc(queueAppointments.slotStart));
  return found.map((a) => toAppointment(a, hall.name));
}

/**
 * Cancels a booked appointment; a device cancels only appointments it booked. `held`: given by the
 * e-channel module, whether the appointment is the proven phone's (then no position is asked).
 */
export async function cancelAppointment(
  ctx: Ctx,
  id: string,
  held?: (a: AppointmentRow, tx: Tx) => Promise<boolean>,
): Promise<Appointment> {
  return command(ctx, async (tx) => {
    const [a] = await tx.select().from(queueAppointments).where(eq(queueAppointments.id, id)).for('update');
    if (!a) throw notFound(APPOINTMENT);
    const notYours = () =>
      forbidden('not_your_appointment', '只能取消自己的预约', 'You may cancel only your own bookings');
    if (held) {
      if (!(await held(a, tx))) throw notYours();
    } else {
      authorize(ctx.actor, queuePolicy, 'queue.appointment', a.unitPath);
      if (ctx.actor.kind === 'device' && a.bookedBy !== ctx.actor.id) throw notYours();
    }
    if (a.status !== 'booked') {
      throw conflict(
        'appointment_state',
        '该预约已签到、取消或失效',
        'The appointment is checked in, cancelled or lapsed',
      );
    }
    const now = ctx.clock.now();
    const [row] = await tx
      .update(queueAppointments)
      .set({ status: 'cancelled', updatedAt: now })
      .where(and(eq(queueAppointments.provinceId, a.provinceId), eq(queueAppointments.id, a.id)))
      .returning();
    const hall = await hallRef(tx, a.unitId);
    await appendEvent(tx, ctx, {
      action: 'appointment.cancelled',
      unit: unitRefOf(a),
      subjectType: 'appointment',
      subjectId: a.id,
      before: { status: a.status },
      after: { status: 'cancelled' },
    });
    return toAppointment(row!, hall.name);
  });
}

/**
 * Checks a customer in at the kiosk by phone number: today's booked appointment at this hall gives a
 * priority ticket when on time; a late arrival gets an ordinary ticket of their tier (the appointment lapses);
 * too early is refused with the slot time.
 */
export async function checkIn(
  ctx: Ctx,
  hallId: string,
  phone: string,
): Promise<{ verdict: 'on_time' | 'late'; appointment: Appointment; ticket: Ticket }> {
  const hall: HallRef = await hallRef(ctx.db, hallId);
  authorize(ctx.actor, queuePolicy, 'queue.checkin', hall.path);
  const config = await hallConfig(ctx.db, hall);
  const now = ctx.clock.now();
  const schedule = await scheduleFor(ctx.db, hall.id);
  const day = queueDay(schedule, now);
  if (!day.open) throw hallClosedProblem(schedule, day.date);
  const lookup = await customerFacts(ctx, hall, phone);
  const settings = await numbers(
    ctx.db,
    hall.path,
    ['queue.appointmentEarlyMinutes', 'queue.appointmentLateMinutes'],
    now,
  );
  return command(ctx, async (tx) => {
    const candidates = await tx
      .select()
      .from(queueAppointments)
      .where(
        and(
          eq(queueAppointments.unitId, hall.id),
          eq(queueAppointments.localDate, day.date),
          eq(queueAppointments.status, 'booked'),
        ),
      )
      .orderBy(asc(queueAppointments.slotStart))
      .for('update');
    const a = candidates.find(
      (c) => c.phone === phone || (lookup?.customerId && c.customerId === lookup.customerId),
    );
    if (!a)
      throw notFound({ zh: '该号码今日在本厅的预约', en: 'Appointment for this number today at this hall' });
    const verdict = checkInVerdict(
      a.slotStart,
      now,
      settings['queue.appointmentEarlyMinutes'],
      settings['queue.appointmentLateMinutes'],
    );
    if (verdict === 'too_early') {
      const at = a.slotStart.toLocaleTimeString('zh-CN', {
        timeZone: hall.timeZone,
        hour: '2-digit',
        minute: '2-digit',
      });
      throw conflict(
        'too_early',
        `预约时段 ${at} 开始，最早可提前 ${settings['queue.appointmentEarlyMinutes']} 分钟签到`,
        `The slot begins at ${at}; check in at most ${settings['queue.appointmentEarlyMinutes']} minutes before`,
      );
    }
    const category =
      config.categories.find((c) => c.code === a.categoryCode) ?? categoryOf(config, a.categoryCode);
    const issue: IssueInput = {
      config,
      category,
      channel: 'appointment',
      phone,
      lookup,
      appointmentId: a.id,
      hasAppointment: verdict === 'on_time',
      date: day.date,
    };
    const ticket = await issueTicket(tx, ctx, issue, await prepareIssue(tx, ctx, issue));
    const status = verdict === 'on_time' ? 'checked_in' : 'late';
    const [row] = await tx
      .update(queueAppointments)
      .set({ status, ticketId: ticket.id, updatedAt: now })
      .where(and(eq(queueAppointments.provinceId, a.provinceId), eq(queueAppointments.id, a.id)))
      .returning();
    await appendEvent(tx, ctx, {
      action: verdict === 'on_time' ? 'appointment.checked_in' : 'appointment.late',
      unit: hall,
      subjectType: 'appointment',
      subjectId: a.id,
      before: { status: a.status },
      after: {
        status,
        ticketId: ticket.id,
        ticketNumber: ticket.number,
        lateMinutes: Math.max(0, Math.round((now.getTime() - a.slotStart.getTime()) / 60_000)),
      },
    });
    return { verdict, appointment: toAppointment(row!, hall.name), ticket };
  });
}
