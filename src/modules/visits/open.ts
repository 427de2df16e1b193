/**
 * Opening a visit (一台清, SPEC §2.2) at a counter — from the called or serving ticket at the caller's counter
 * (an only-called ticket is started in the same transaction), or for a walk-in without a ticket — and its
 * customer: found by phone or the whole ID number (masked answer, rate-limited like the customers' number
 * search), or registered anew for a new account (the customers module's command in the same transaction).
 * One visit in progress per ticket and per counter (unique indexes: a second one is 409).
 */
import { and, asc, count, desc, eq, inArray, like, or, sql } from 'drizzle-orm';
import type { SQL } from 'drizzle-orm';
import { localDateOf } from '../../core/calendar.ts';
import { normaliseDocNumber } from '../../core/id-documents.ts';
import { maskPhone } from '../../core/masking.ts';
import { authorize, can, provinceScope, reachOf } from '../../platform/auth/policy.ts';
import type { Ctx } from '../../platform/context.ts';
import { schema } from '../../platform/db/index.ts';
import { appendEvent, command } from '../../platform/events.ts';
import { conflict, forbidden, notFound, unprocessable } from '../../platform/http/problem.ts';
import { newId } from '../../platform/ids.ts';
import { hit } from '../../platform/rate-limit.ts';
import { catalogueFor } from '../catalogue/service.ts';
import { createCustomerIn, NUMBER_SEARCH_LIMIT } from '../customers/service.ts';
import { getUnitRef } from '../org/service.ts';
import { queueTickets } from '../queue/schema.ts';
import { startTicketIn } from '../queue/service.ts';
import { assertAtCounter, COUNTER, counterNotOpen, lockCounter, TICKET } from '../queue/shared.ts';
import type { z } from 'zod';
import type {
  CustomerSearch,
  OpenVisit,
  SetVisitCustomer,
  Visit,
  VisitCustomer,
  VisitListQuery,
  VisitSummary,
} from './contract.ts';
import { visitsPolicy } from './policy.ts';
import { visitLines, visits } from './schema.ts';
import {
  assertOpen,
  customerView,
  isUniqueViolation,
  lockVisit,
  maskName,
  readVisit,
  totalsOf,
  unitOf,
  visitView,
} from './shared.ts';

const visitInProgress = () =>
  conflict(
    'visit_in_progress',
    '该号票或台席已有进行中的受理，请先完成它',
    'This ticket or counter already has a visit in progress: finish it first',
  );

/** Opens a visit at a counter, from its called or serving ticket or for a walk-in. */
export async function openVisit(ctx: Ctx, input: OpenVisit): Promise<Visit> {
  return command(ctx, async (tx) => {
    const now = ctx.clock.now();
    let counterId = input.counterId;
    let ticket: typeof queueTickets.$inferSelect | null = null;
    if (input.ticketId) {
      const [t] = await tx.select().from(queueTickets).where(eq(queueTickets.id, input.ticketId));
      if (!t) throw notFound(TICKET);
      authorize(ctx.actor, visitsPolicy, 'visit.serve', t.unitPath);
      if ((t.status !== 'called' && t.status !== 'serving') || t.counterId === null)
        throw conflict(
          'ticket_not_at_counter',
          `号票${t.number}不在台席办理中（须已叫号或正在办理）`,
          `Ticket ${t.number} is not being served at a counter (it must be called or serving)`,
        );
      counterId = t.counterId;
      ticket = t;
    }
    if (!counterId) throw notFound(COUNTER);
    const counter = await lockCounter(tx, counterId);
    authorize(ctx.actor, visitsPolicy, 'visit.serve', counter.unitPath);
    if (counter.state === 'closed') throw counterNotOpen(counter);
    assertAtCounter(ctx, counter);
    if (ticket === null && counter.currentTicketId !== null)
      throw conflict(
        'counter_has_ticket',
        '本台席正在办理号票，请从号票开始受理',
        'The counter is serving a ticket: open the visit from the ticket',
      );
    const [busy] = await tx
      .select({ id: visits.id })
      .from(visits)
      .where(
        and(
          sql`${visits.status} in ('open', 'signed')`,
          ticket
            ? or(eq(visits.counterId, counter.id), eq(visits.ticketId, ticket.id))
            : eq(visits.counterId, counter.id),
        ),
      )
      .limit(1);
    if (busy) throw visitInProgress();
    if (ticket?.status === 'called') await startTicketIn(tx, ctx, ticket.id);
    const hall = await getUnitRef(tx, counter.unitId);
    const catalogue = await catalogueFor(tx, hall.path);
    const customerId = input.customerId ?? ticket?.customerId ?? null;
    if (customerId) await assertCustomerInReach(tx, ctx, hall.path, customerId);
    const id = newId();
    const row = {
      provinceId: hall.provinceId,
      id,
      unitId: hall.id,
      unitPath: hall.path,
      localDate: localDateOf(now, hall.timeZone),
      counterId: counter.id,
      ticketId: ticket?.id ?? null,
      staffId: ctx.actor.id,
      staffName: counter.staffName || ctx.actor.name,
      customerId,
      catalogueUnitId: catalogue.unitId,
      catalogueVersion: catalogue.versionId,
      status: 'open' as const,
      openedAt: now,
    };
    try {
      await tx.transaction((sp) => sp.insert(visits).values(row));
    } catch (err) {
      if (isUniqueViolation(err)) throw visitInProgress();
      throw err;
    }
    await appendEvent(tx, ctx, {
      action: 'visit.opened',
      unit: unitOf(row),
      subjectType: 'visit',
      subjectId: id,
      after: { visitId: id, counterId: counter.id, ticketId: row.ticketId, customerId },
    });
    const [stored] = await tx.select().from(visits).where(eq(visits.id, id));
    return visitView(tx, stored!, now);
  });
}

/** A customer is served in any hall of their province (the hall's province is the reach). */
async function assertCustomerInReach(
  db: Parameters<typeof getUnitRef>[0],
  ctx: Ctx,
  hallPath: string,
  customerId: string,
): Promise<void> {
  const [c] = await db
    .select({ unitPath: schema.customers.unitPath })
    .from(schema.customers)
    .where(eq(schema.customers.id, customerId));
  if (!c || !c.unitPath.startsWith(provinceScope(hallPath))) throw notFound({ zh: '客户', en: 'Customer' });
  void ctx;
}

/**
 * Sets the customer of an open visit with no business yet: an existing customer of the hall's province, or a
 * new one (registered by the customers module in this transaction, at the hall) for a new account.
 */
export async function setVisitCustomer(
  ctx: Ctx,
  visitId: string,
  input: z.infer<typeof SetVisitCustomer>,
): Promise<Visit> {
  return command(ctx, async (tx) => {
    const { visit } = await lockVisit(tx, ctx, visitId, 'visit.serve');
    assertOpen(visit);
    const [lines] = await tx
      .select({ n: count() })
      .from(visitLines)
      .where(
        and(
          eq(visitLines.provinceId, visit.provinceId),
          eq(visitLines.visitId, visit.id),
          eq(visitLines.status, 'done'),
        ),
      );
    if ((lines?.n ?? 0) > 0)
      throw conflict(
        'visit_has_business',
        '本次受理已办理业务，不能更换客户',
        'The visit has business already: its customer cannot change',
      );
    let customerId: string;
    if (input.customerId) {
      await assertCustomerInReach(tx, ctx, visit.unitPath, input.customerId);
      customerId = input.customerId;
    } else {
      const n = input.newCustomer!;
      const created = await createCustomerIn(tx, ctx, {
        unitId: visit.unitId,
        kind: n.kind,
        name: n.name,
        idDocKind: n.idDocKind,
        idDocNumber: normaliseDocNumber(n.idDocNumber),
        contactPhone: n.contactPhone,
        address: n.address,
        clubTier: 'ordinary',
        is3g: false,
        subscriptions: [],
      });
      customerId = created.id;
    }
    await tx
      .update(visits)
      .set({ customerId, passwordVerifiedAt: null, passwordVerifiedFor: null })
      .where(and(eq(visits.provinceId, visit.provinceId), eq(visits.id, visit.id)));
    await appendEvent(tx, ctx, {
      action: 'visit.customer_set',
      unit: unitOf(visit),
      subjectType: 'visit',
      subjectId: visit.id,
      before: { customerId: visit.customerId },
      after: { customerId, created: input.newCustomer !== undefined },
    });
    return visitView(tx, { ...visit, customerId }, ctx.clock.now());
  });
}

/**
 * The customer at the counter by a whole phone number (contact or subscription) or a whole ID number, in the
 * caller's province: masked, each search an event and counted against the number-search rate limit.
 */
export async function searchVisitCustomer(
  ctx: Ctx,
  query: z.infer<typeof CustomerSearch>,
): Promise<{ items: z.infer<typeof VisitCustomer>[] }> {
  const reach = reachOf(ctx.actor, visitsPolicy, 'visit.serve');
  if (!can(ctx.actor, visitsPolicy, 'visit.serve', ctx.actor.unitPath))
    throw forbidden('forbidden', '您的岗位不能查询客户办理业务', 'Your position does not serve customers');
  const scope = provinceScope(reach);
  await hit(ctx.db, NUMBER_SEARCH_LIMIT, ctx.actor.id ?? ctx.actor.unitId, ctx.clock.now());
  const filters: SQL[] = [like(schema.customers.unitPath, `${scope}%`)];
  if (query.phone) {
    const bySub = ctx.db
      .select({ id: schema.subscriptions.customerId })
      .from(schema.subscriptions)
      .where(eq(schema.subscriptions.number, query.phone));
    filters.push(or(eq(schema.customers.contactPhone, query.phone), inArray(schema.customers.id, bySub))!);
  } else {
    const number = normaliseDocNumber(query.idDocNumber ?? '');
    if (number.length < 5)
      throw unprocessable('id_number_short', '请输入完整的证件号码', 'Type the whole ID number');
    filters.push(eq(schema.customers.idDocNumber, number));
  }
  const found = await ctx.db
    .select({ id: schema.customers.id })
    .from(schema.customers)
    .where(and(...filters))
    .orderBy(asc(schema.customers.name))
    .limit(10);
  const now = ctx.clock.now();
  const items: z.infer<typeof VisitCustomer>[] = [];
  for (const f of found) {
    const v = await customerView(ctx.db, f.id, now);
    if (v) items.push(v);
  }
  await command(ctx, (tx) =>
    appendEvent(tx, ctx, {
      action: 'customer.number_searched',
      unit: { id: ctx.actor.unitId, path: ctx.actor.unitPath, provinceId: ctx.actor.provinceId },
      subjectType: 'customer_search',
      subjectId: ctx.requestId,
      after: {
        q: query.phone ? maskPhone(query.phone) : '证件号码 ID number',
        found: items.length,
        customerIds: items.map((i) => i.id),
        at: 'counter',
      },
    }),
  );
  return { items };
}

export async function getVisit(ctx: Ctx, visitId: string): Promise<Visit> {
  const visit = await readVisit(ctx.db, ctx, visitId);
  return visitView(ctx.db, visit, ctx.clock.now());
}

/** Visits of a hall (the caller's by default) on a day, e.g. those left open at closing for the duty manager. */
export async function listVisits(
  ctx: Ctx,
  query: z.infer<typeof VisitListQuery>,
): Promise<{ items: z.infer<typeof VisitSummary>[]; total: number }> {
  const unit = await getUnitRef(ctx.db, query.hallId ?? ctx.actor.unitId);
  authorize(ctx.actor, visitsPolicy, 'visit.read', unit.path);
  const filters: SQL[] = [like(visits.unitPath, `${unit.path}%`)];
  if (query.status) filters.push(eq(visits.status, query.status));
  if (query.date) filters.push(eq(visits.localDate, query.date));
  const where = and(...filters);
  const rows = await ctx.db
    .select({
      visit: visits,
      counterName: sql<string>`(select name from queue_counters c where c.id = ${visits.counterId})`,
      ticketNumber: sql<string | null>`(select number from queue_tickets t where t.id = ${visits.ticketId})`,
      customerName: schema.customers.name,
      customerKind: schema.customers.kind,
    })
    .from(visits)
    .leftJoin(schema.customers, eq(schema.customers.id, visits.customerId))
    .where(where)
    .orderBy(desc(visits.openedAt), desc(visits.id))
    .limit(query.limit)
    .offset(query.offset);
  const [total] = await ctx.db.select({ n: count() }).from(visits).where(where);
  const ids = rows.map((r) => r.visit.id);
  const lines =
    ids.length === 0
      ? []
      : await ctx.db
          .select()
          .from(visitLines)
          .where(and(inArray(visitLines.visitId, ids), eq(visitLines.status, 'done')));
  return {
    items: rows.map((r) => {
      const own = lines.filter((l) => l.visitId === r.visit.id);
      const totals = totalsOf(own, []);
      return {
        id: r.visit.id,
        hallId: r.visit.unitId,
        counterName: r.counterName ?? '',
        ticketNumber: r.ticketNumber ?? null,
        staffName: r.visit.staffName,
        customerName: r.customerName ? maskName(r.customerName, r.customerKind ?? 'individual') : '',
        status: r.visit.status,
        lines: own.length,
        totalFen: totals.totalFen,
        balanceFen: totals.totalFen - r.visit.paidFen,
        openedAt: r.visit.openedAt.toISOString(),
      };
    }),
    total: total?.n ?? 0,
  };
}
