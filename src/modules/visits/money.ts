/**
 * The money of a visit (2§2.2.2): payments in integer fen by cash, bank card or mobile pay, checked by
 * `visitTotals(lines, [...payments, next])` before they are written (a payment that does not add up: 422,
 * nothing written); change is given for cash. Each clerk's cash day (`daySummary` of their payments of the
 * day) closes once, with the cash counted in the drawer, for the daily audit.
 */
import { and, eq, sql } from 'drizzle-orm';
import { localDateOf } from '../../core/calendar.ts';
import { daySummary, visitTotals } from '../../core/visit-money.ts';
import { authorize } from '../../platform/auth/policy.ts';
import type { Ctx } from '../../platform/context.ts';
import { appendEvent, command } from '../../platform/events.ts';
import { conflict, fieldProblem, unprocessable } from '../../platform/http/problem.ts';
import { newId } from '../../platform/ids.ts';
import { reads } from '../../platform/db/index.ts';
import { getUnitRef } from '../org/service.ts';
import type { z } from 'zod';
import type { AddPayment, CashDay, CloseCashDay, Visit } from './contract.ts';
import { visitsPolicy } from './policy.ts';
import { cashDays, visitPayments, visits } from './schema.ts';
import {
  assertOpen,
  isUniqueViolation,
  doneLines,
  linesOf,
  lockVisit,
  paymentsOf,
  toPayment,
  unitOf,
  visitView,
} from './shared.ts';

/** Takes (or pays out) one payment of an open visit. */
export async function addPayment(
  ctx: Ctx,
  visitId: string,
  input: z.infer<typeof AddPayment>,
): Promise<Visit> {
  return command(ctx, async (tx) => {
    const { visit } = await lockVisit(tx, ctx, visitId, 'visit.serve');
    assertOpen(visit);
    const [lines, payments] = await reads(
      tx,
      () => linesOf(tx, visit),
      () => paymentsOf(tx, visit),
    );
    const next = {
      method: input.method,
      amountFen: input.amountFen,
      ...(input.tenderedFen === undefined ? {} : { tenderedFen: input.tenderedFen }),
    };
    const result = visitTotals(
      doneLines(lines).map((l) => ({ amountFen: l.feeFen })),
      [...payments.map(toPayment), next],
    );
    if (!result.ok)
      throw unprocessable(`payment_${result.code}`, result.zh, result.en, [
        fieldProblem('body.amountFen', result.zh, result.en),
      ]);
    const now = ctx.clock.now();
    const hall = await getUnitRef(tx, visit.unitId);
    const changeFen =
      input.method === 'cash' && input.amountFen > 0 && input.tenderedFen !== undefined
        ? input.tenderedFen - input.amountFen
        : 0;
    const id = newId();
    await appendEvent(
      tx,
      ctx,
      {
        action: 'visit.payment_added',
        unit: unitOf(visit),
        subjectType: 'visit',
        subjectId: visit.id,
        after: {
          visitId: visit.id,
          paymentId: id,
          method: input.method,
          amountFen: input.amountFen,
          changeFen,
          balanceFen: result.balanceFen,
        },
      },
      [
        tx.insert(visitPayments).values({
          provinceId: visit.provinceId,
          id,
          visitId: visit.id,
          unitId: visit.unitId,
          localDate: localDateOf(now, hall.timeZone),
          staffId: ctx.actor.id,
          method: input.method,
          amountFen: input.amountFen,
          tenderedFen: input.tenderedFen ?? null,
          changeFen,
          at: now,
        }),
        tx
          .update(visits)
          .set({ paidFen: sql`${visits.paidFen} + ${input.amountFen}` })
          .where(and(eq(visits.provinceId, visit.provinceId), eq(visits.id, visit.id))),
      ],
    );
    return visitView(tx, { ...visit, paidFen: visit.paidFen + input.amountFen }, now);
  });
}

async function dayOf(ctx: Ctx, db: Ctx['db'], hallId: string, date: string | undefined) {
  const hall = await getUnitRef(db, hallId);
  authorize(ctx.actor, visitsPolicy, 'visit.serve', hall.path);
  if (!ctx.actor.id) throw unprocessable('no_clerk', '日结属于营业员本人', 'A cash day belongs to a clerk');
  const day = date ?? localDateOf(ctx.clock.now(), hall.timeZone);
  const rows = await db
    .select()
    .from(visitPayments)
    .where(
      and(
        eq(visitPayments.unitId, hall.id),
        eq(visitPayments.localDate, day),
        eq(visitPayments.staffId, ctx.actor.id),
      ),
    );
  const byVisit = new Map<string, typeof rows>();
  for (const r of rows) byVisit.set(r.visitId, [...(byVisit.get(r.visitId) ?? []), r]);
  const summary = daySummary([...byVisit.values()].map((ps) => ({ payments: ps.map(toPayment) })));
  return { hall, day, summary, visits: byVisit.size };
}

function cashDayView(
  hallId: string,
  date: string,
  staffName: string,
  s: ReturnType<typeof daySummary>,
  visitCount: number,
  closed: typeof cashDays.$inferSelect | undefined,
): z.infer<typeof CashDay> {
  const sum = (r: Record<string, number>) => Object.values(r).reduce((a, b) => a + b, 0);
  return {
    hallId,
    date,
    staffName,
    visits: visitCount,
    receivedFen: sum(s.inFen),
    paidOutFen: sum(s.outFen),
    byMethod: {
      cash: s.inFen.cash - s.outFen.cash,
      bank_card: s.inFen.bank_card - s.outFen.bank_card,
      mobile_pay: s.inFen.mobile_pay - s.outFen.mobile_pay,
    },
    cashFen: s.cashNetFen,
    closed: closed
      ? {
          countedCashFen: closed.countedCashFen,
          differenceFen: closed.differenceFen,
          at: closed.closedAt.toISOString(),
        }
      : null,
  };
}

async function closedRow(db: Ctx['db'], provinceId: string, hallId: string, staffId: string, date: string) {
  const [row] = await db
    .select()
    .from(cashDays)
    .where(
      and(
        eq(cashDays.provinceId, provinceId),
        eq(cashDays.unitId, hallId),
        eq(cashDays.staffId, staffId),
        eq(cashDays.localDate, date),
      ),
    );
  return row;
}

/** The caller's own cash day at a hall: what came in and went out by method, the cash the drawer should hold. */
export async function cashDay(ctx: Ctx, hallId: string, date?: string): Promise<z.infer<typeof CashDay>> {
  const d = await dayOf(ctx, ctx.db, hallId, date);
  const closed = await closedRow(ctx.db, d.hall.provinceId, d.hall.id, ctx.actor.id!, d.day);
  return cashDayView(d.hall.id, d.day, ctx.actor.name, d.summary, d.visits, closed);
}

/** Closes the caller's cash day of today, once, with the cash counted (the difference is recorded). */
export async function closeCashDay(
  ctx: Ctx,
  input: z.infer<typeof CloseCashDay>,
): Promise<z.infer<typeof CashDay>> {
  return command(ctx, async (tx) => {
    const d = await dayOf(ctx, tx, input.hallId, undefined);
    const staffId = ctx.actor.id!;
    if (await closedRow(tx, d.hall.provinceId, d.hall.id, staffId, d.day))
      throw conflict('cash_day_closed', '今天的日结已完成', 'Today’s cash day is closed already');
    const now = ctx.clock.now();
    const row = {
      provinceId: d.hall.provinceId,
      unitId: d.hall.id,
      staffId,
      localDate: d.day,
      summary: { ...d.summary, visits: d.visits },
      countedCashFen: input.countedCashFen,
      differenceFen: input.countedCashFen - d.summary.cashNetFen,
      closedAt: now,
    };
    try {
      // A savepoint: a second close at the same instant meets the primary key and is answered 409.
      await tx.transaction((sp) => sp.insert(cashDays).values(row));
    } catch (err) {
      if (isUniqueViolation(err))
        throw conflict('cash_day_closed', '今天的日结已完成', 'Today’s cash day is closed already');
      throw err;
    }
    await appendEvent(tx, ctx, {
      action: 'visit.cash_day_closed',
      unit: d.hall,
      subjectType: 'cash_day',
      subjectId: `${d.hall.id}:${staffId}:${d.day}`,
      after: {
        date: d.day,
        cashFen: d.summary.cashNetFen,
        countedCashFen: input.countedCashFen,
        differenceFen: row.differenceFen,
      },
    });
    return cashDayView(
      d.hall.id,
      d.day,
      ctx.actor.name,
      d.summary,
      d.visits,
      row as typeof cashDays.$inferSelect,
    );
  });
}
