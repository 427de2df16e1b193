/**
 * The public e-channel (网上营业厅): a customer proves a phone number with a one-time code sent through
 * the notification gateway, and gets a short-lived capability of that phone that can only take a remote
 * ticket and book an appointment for it, and see, follow and cancel what it took or booked.
 *
 * - Codes: 6 digits, kept hashed, valid `echannel.codeMinutes`, dead after `echannel.codeMaxTries` wrong
 *   tries (counted on the locked row), replaced by a newer one. Sending is limited per phone and per client
 *   address, and answered alike whether or not the number is a customer's (no oracle).
 * - The capability is a credential of kind `phone` holding the phone's hash, valid
 *   `echannel.sessionMinutes`. What a phone holds is what capabilities of the same phone hash took
 *   (tickets' `taken_by`, appointments' `booked_by`), so a new code finds the phone's earlier tickets.
 */
import { createHash, randomInt, timingSafeEqual } from 'node:crypto';
import { and, desc, eq, inArray, isNull, sql } from 'drizzle-orm';
import { localDateOf } from '../../core/calendar.ts';
import { maskPhone } from '../../core/masking.ts';
import { codeVerdict } from '../../core/one-time-codes.ts';
import { systemActor } from '../../platform/auth/policy.ts';
import { newToken } from '../../platform/auth/password.ts';
import type { Ctx } from '../../platform/context.ts';
import type { DbOrTx } from '../../platform/db/index.ts';
import { schema } from '../../platform/db/index.ts';
import type { UnitRef } from '../../platform/events.ts';
import { appendEvent, command } from '../../platform/events.ts';
import { Problem, badRequest, conflict, forbidden, notFound } from '../../platform/http/problem.ts';
import { newId } from '../../platform/ids.ts';
import { keyedHash } from '../../platform/keyed-hash.ts';
import { LIMITS, hit } from '../../platform/rate-limit.ts';
import { send } from '../notify/service.ts';
import { rootUnit } from '../org/service.ts';
import {
  appointmentSlotsOf,
  bookAppointment,
  cancelAppointment,
  toAppointment,
} from '../queue/appointments.ts';
import type { z } from 'zod';
import type { Appointment, KioskState, Slots, Ticket } from '../queue/contract.ts';
import { queueAppointments, queueTickets } from '../queue/schema.ts';
import { cancelTicket, getTicket, takeRemoteTicket } from '../queue/service.ts';
import type { HallRef, TicketRow } from '../queue/shared.ts';
import { assertHall, hallRef, ticketWithNames } from '../queue/shared.ts';
import { kioskState } from '../queue/views.ts';
import { settingValues } from '../settings/service.ts';
import { echannelCodes } from './schema.ts';

/** The phone's hash as credentials and codes keep it. */
export const phoneHashOf = (phone: string) => keyedHash('phone', phone);
const codeHashOf = (codeId: string, code: string) =>
  createHash('sha256').update(`${codeId}\u0000${code}`).digest('hex');

const HALL = { zh: '营业厅', en: 'Hall' };

/** The hall of a remote take or booking: a hall or store, active, that takes remote tickets (a setting). */
async function remoteHall(db: DbOrTx, hallId: string, at: Date): Promise<HallRef> {
  const hall = await hallRef(db, hallId);
  assertHall(hall);
  const [unit] = await db
    .select({ active: schema.units.active })
    .from(schema.units)
    .where(eq(schema.units.id, hall.id));
  const v = await settingValues(db, hall.path, ['echannel.remoteTickets'], at);
  if (!unit?.active || v['echannel.remoteTickets'] !== true) {
    throw conflict(
      'no_remote_tickets',
      `${hall.name}暂不接受远程取号和预约`,
      `${hall.nameEn || hall.name} does not take remote tickets or appointments now`,
    );
  }
  return hall;
}

async function root(db: DbOrTx): Promise<UnitRef> {
  const r = await rootUnit(db);
  if (!r) throw notFound(HALL);
  return r;
}

/**
 * Sends a one-time code to a mobile number. Limited per number and per client address (429 with
 * Retry-After); the same answer whether or not the number is a customer's.
 */
export async function requestCode(
  base: Omit<Ctx, 'actor'>,
  input: { phone: string; purpose: string; hallId?: string | undefined },
): Promise<{ sent: true; to: string; expiresInSeconds: number }> {
  const now = base.clock.now();
  const unit: UnitRef = input.hallId ? await remoteHall(base.db, input.hallId, now) : await root(base.db);
  await hit(base.db, LIMITS.codeSendClient, base.clientIp, now);
  await hit(base.db, LIMITS.codeSendPhone, input.phone, now);
  const v = await settingValues(base.db, unit.path, ['echannel.codeMinutes'], now);
  const minutes = Number(v['echannel.codeMinutes']);
  const ctx: Ctx = { ...base, actor: systemActor(unit, `e-channel ${maskPhone(input.phone)}`) };
  const phoneHash = phoneHashOf(input.phone);
  const code = String(randomInt(0, 1_000_000)).padStart(6, '0');
  const id = newId();
  await command(ctx, async (tx) => {
    // A newer code replaces the phone's live ones.
    await tx
      .update(echannelCodes)
      .set({ deadAt: now })
      .where(
        and(
          eq(echannelCodes.phoneHash, phoneHash),
          isNull(echannelCodes.usedAt),
          isNull(echannelCodes.deadAt),
        ),
      );
    await tx.insert(echannelCodes).values({
      id,
      phoneHash,
      purpose: input.purpose,
      codeHash: codeHashOf(id, code),
      createdAt: now,
      expiresAt: new Date(now.getTime() + minutes * 60_000),
    });
    await send(tx, ctx, {
      channel: 'sms',
      to: input.phone,
      template: input.purpose === 'work_order' ? 'echannel.code_work_order' : 'echannel.code',
      params: { code, minutes },
      unit,
    });
    await appendEvent(tx, ctx, {
      action: 'echannel.code_sent',
      unit,
      subjectType: 'echannel_code',
      subjectId: id,
      after: { phone: input.phone, purpose: input.purpose },
    });
  });
  return { sent: true, to: maskPhone(input.phone), expiresInSeconds: minutes * 60 };
}

const CODE_WRONG = (left: number) =>
  badRequest(
    'code_wrong',
    `验证码不正确，还可尝试 ${left} 次`,
    `Wrong code; ${left} more tr${left === 1 ? 'y' : 'ies'}`,
  );
const CODE_DEAD = () =>
  badRequest(
    'code_dead',
    '验证码错误次数过多，已失效，请重新获取',
    'Too many wrong codes: this code is dead; ask for a new one',
  );
const CODE_INVALID = () =>
  badRequest(
    'code_invalid',
    '验证码无效或已过期，请重新获取',
    'The code is not valid or has expired; ask for a new one',
  );

/**
 * Proves a phone with its code: a capability of that phone for `echannel.sessionMinutes`. A wrong code is
 * counted on the code's locked row (so parallel guesses count one by one); the try that reaches
 * `echannel.codeMaxTries` kills it. Tries are limited per phone and per client address too.
 */
export async function openPhoneSession(
  base: Omit<Ctx, 'actor'>,
  input: { phone: string; code: string },
): Promise<{ token: string; expiresAt: string; phone: string }> {
  const now = base.clock.now();
  await hit(base.db, LIMITS.codeCheckClient, base.clientIp, now);
  await hit(base.db, LIMITS.codeCheckPhone, input.phone, now);
  const unit = await root(base.db);
  const v = await settingValues(
    base.db,
    unit.path,
    ['echannel.codeMaxTries', 'echannel.sessionMinutes'],
    now,
  );
  const maxTries = Number(v['echannel.codeMaxTries']);
  const phoneHash = phoneHashOf(input.phone);
  const ctx: Ctx = { ...base, actor: systemActor(unit, `e-channel ${maskPhone(input.phone)}`) };
  const { token, hash } = newToken();
  const expiresAt = new Date(now.getTime() + Number(v['echannel.sessionMinutes']) * 60_000);
  const outcome = await command(ctx, async (tx) => {
    const [c] = await tx
      .select()
      .from(echannelCodes)
      .where(eq(echannelCodes.phoneHash, phoneHash))
      // The live code (a newer one kills the older), else the newest, to tell why it is refused.
      .orderBy(
        sql`(${echannelCodes.usedAt} is null and ${echannelCodes.deadAt} is null) desc`,
        desc(echannelCodes.createdAt),
        desc(echannelCodes.id),
      )
      .limit(1)
      .for('update');
    if (!c) return { verdict: 'invalid' as const, left: 0 };
    const given = Buffer.from(codeHashOf(c.id, input.code), 'hex');
    const stored = Buffer.from(c.codeHash, 'hex');
    const matches = stored.length === given.length && timingSafeEqual(given, stored);
    const verdict = codeVerdict(c, matches, now, maxTries);
    if (verdict === 'wrong' || (verdict === 'dead' && !c.deadAt)) {
      const failed = c.failedAttempts + 1;
      await tx
        .update(echannelCodes)
        .set({ failedAttempts: failed, ...(verdict === 'dead' ? { deadAt: now } : {}) })
        .where(eq(echannelCodes.id, c.id));
      await appendEvent(tx, ctx, {
        action: verdict === 'dead' ? 'echannel.code_dead' : 'echannel.code_failed',
        unit,
        subjectType: 'echannel_code',
        subjectId: c.id,
        after: { phone: input.phone, failedAttempts: failed },
      });
      return { verdict, left: Math.max(0, maxTries - failed) };
    }
    if (verdict !== 'ok') return { verdict, left: 0 };
    const credentialId = newId();
    await tx.update(echannelCodes).set({ usedAt: now }).where(eq(echannelCodes.id, c.id));
    await tx.insert(schema.credentials).values({
      id: credentialId,
      tokenHash: hash,
      kind: 'phone',
      label: maskPhone(input.phone),
      unitId: unit.id,
      phoneHash,
      createdAt: now,
      expiresAt,
    });
    await appendEvent(tx, ctx, {
      action: 'echannel.session_opened',
      unit,
      subjectType: 'credential',
      subjectId: credentialId,
      after: { phone: input.phone, expiresAt: expiresAt.toISOString() },
    });
    return { verdict, left: 0 };
  });
  if (outcome.verdict === 'wrong') throw CODE_WRONG(outcome.left);
  if (outcome.verdict === 'dead') throw CODE_DEAD();
  if (outcome.verdict !== 'ok') throw CODE_INVALID();
  return { token, expiresAt: expiresAt.toISOString(), phone: maskPhone(input.phone) };
}

/** The capability of a proven phone, as the e-channel's routes get it. */
export interface PhoneCtx {
  ctx: Ctx;
  phoneHash: string;
}

function assertOwnPhone(p: PhoneCtx, phone: string): void {
  if (phoneHashOf(phone) !== p.phoneHash) {
    throw forbidden(
      'not_your_phone',
      '只能为已验证的手机号码取号或预约',
      'Only for the phone number you proved',
    );
  }
}

/** The ids of the capabilities of the caller's phone (what they took or booked is the phone's). */
function phoneCredentialIds(p: PhoneCtx) {
  return p.ctx.db
    .select({ id: schema.credentials.id })
    .from(schema.credentials)
    .where(and(eq(schema.credentials.kind, 'phone'), eq(schema.credentials.phoneHash, p.phoneHash)));
}

async function holdsBy(p: PhoneCtx, by: string | null, db: DbOrTx = p.ctx.db): Promise<boolean> {
  if (!by) return false;
  const [row] = await db
    .select({ id: schema.credentials.id })
    .from(schema.credentials)
    .where(
      and(
        eq(schema.credentials.id, by),
        eq(schema.credentials.kind, 'phone'),
        eq(schema.credentials.phoneHash, p.phoneHash),
      ),
    );
  return row !== undefined;
}

/** What a hall's e-channel page shows before any code (public): the kiosk's view of a hall that takes remote tickets. */
export async function publicHall(base: Omit<Ctx, 'actor'>, hallId: string): Promise<KioskState> {
  const hall = await remoteHall(base.db, hallId, base.clock.now());
  return kioskState({ ...base, actor: systemActor(hall, 'e-channel') }, hall.id);
}

/** The slots of a day at a hall that takes appointments remotely (public). */
export async function publicSlots(
  base: Omit<Ctx, 'actor'>,
  hallId: string,
  date: string,
): Promise<z.infer<typeof Slots>> {
  const hall = await remoteHall(base.db, hallId, base.clock.now());
  return appointmentSlotsOf({ ...base, actor: systemActor(hall, 'e-channel') }, hall.id, date);
}

export async function takeForPhone(
  p: PhoneCtx,
  hallId: string,
  input: { category: string; phone: string },
): Promise<Ticket> {
  assertOwnPhone(p, input.phone);
  const hall = await remoteHall(p.ctx.db, hallId, p.ctx.clock.now());
  return takeRemoteTicket(p.ctx, hall, input);
}

export async function bookForPhone(
  p: PhoneCtx,
  hallId: string,
  input: { category: string; phone: string; slotStart: string },
): Promise<Appointment> {
  assertOwnPhone(p, input.phone);
  const hall = await remoteHall(p.ctx.db, hallId, p.ctx.clock.now());
  return bookAppointment(p.ctx, hall.id, input, { held: true });
}

const NOT_YOURS = () => notFound({ zh: '您的号票', en: 'Your ticket' });

/** A ticket the phone holds (404 for any other: a phone learns nothing of others' tickets). */
export async function heldTicket(p: PhoneCtx, ticketId: string): Promise<TicketRow> {
  const { ticket } = await ticketWithNames(p.ctx.db, ticketId);
  if (!(await holdsBy(p, ticket.takenBy))) throw NOT_YOURS();
  return ticket;
}

export async function getForPhone(p: PhoneCtx, ticketId: string): Promise<Ticket> {
  await heldTicket(p, ticketId);
  return getTicket(p.ctx, ticketId, true);
}

export async function cancelForPhone(p: PhoneCtx, ticketId: string): Promise<Ticket> {
  try {
    return await cancelTicket(p.ctx, ticketId, (t, tx) => holdsBy(p, t.takenBy, tx));
  } catch (e) {
    if (e instanceof Problem && e.code === 'not_your_ticket') throw NOT_YOURS();
    throw e;
  }
}

/** The phone's tickets of the last two days and its appointments from yesterday on, newest first. */
export async function heldByPhone(p: PhoneCtx): Promise<{ tickets: Ticket[]; appointments: Appointment[] }> {
  const now = p.ctx.clock.now();
  const since = localDateOf(new Date(now.getTime() - 86_400_000), 'Asia/Shanghai');
  const mine = phoneCredentialIds(p);
  const ticketRows = await p.ctx.db
    .select({ id: queueTickets.id })
    .from(queueTickets)
    .where(and(inArray(queueTickets.takenBy, mine), sql`${queueTickets.localDate} >= ${since}`))
    .orderBy(desc(queueTickets.takenAt))
    .limit(20);
  const tickets = await Promise.all(ticketRows.map((t) => getTicket(p.ctx, t.id, true)));
  const appts = await p.ctx.db
    .select()
    .from(queueAppointments)
    .where(
      and(
        inArray(queueAppointments.bookedBy, phoneCredentialIds(p)),
        sql`${queueAppointments.localDate} >= ${since}`,
      ),
    )
    .orderBy(desc(queueAppointments.slotStart))
    .limit(20);
  const appointments = await Promise.all(
    appts.map(async (a) => toAppointment(a, (await hallRef(p.ctx.db, a.unitId)).name)),
  );
  return { tickets, appointments };
}

export async function cancelAppointmentForPhone(p: PhoneCtx, id: string): Promise<Appointment> {
  try {
    return await cancelAppointment(p.ctx, id, (a, tx) => holdsBy(p, a.bookedBy, tx));
  } catch (e) {
    if (e instanceof Problem && e.code === 'not_your_appointment') {
      throw notFound({ zh: '您的预约', en: 'Your appointment' });
    }
    throw e;
  }
}

/** Ends the phone's capability (this one only). */
export async function closePhoneSession(p: PhoneCtx, credentialId: string): Promise<void> {
  const ctx = p.ctx;
  await command(ctx, async (tx) => {
    await tx
      .update(schema.credentials)
      .set({ revokedAt: ctx.clock.now() })
      .where(and(eq(schema.credentials.id, credentialId), eq(schema.credentials.kind, 'phone')));
    await appendEvent(tx, ctx, {
      action: 'auth.logout',
      unit: { id: ctx.actor.unitId, path: ctx.actor.unitPath, provinceId: ctx.actor.provinceId },
      subjectType: 'phone',
      subjectId: credentialId,
    });
  });
}
