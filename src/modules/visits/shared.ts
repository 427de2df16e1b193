/**
 * What every stage of a visit stands on: finding and locking a visit with the caller's checks (position and
 * subtree of `visitsPolicy`, and for serving the clerk who has the visit's counter open), the refusals of a
 * visit in the wrong state, the catalogue version it was opened under, and its answer (`Visit`) with every
 * personal field masked.
 */
import { and, asc, eq, inArray } from 'drizzle-orm';
import type { BusinessType, FieldValues } from '../../core/business-catalogue.ts';
import { maskIdNumber, maskPhone } from '../../core/masking.ts';
import { visitTotals } from '../../core/visit-money.ts';
import type { IdDocKind } from '../../core/id-documents.ts';
import { authorize } from '../../platform/auth/policy.ts';
import type { Ctx } from '../../platform/context.ts';
import type { DbOrTx } from '../../platform/db/index.ts';
import { reads, schema } from '../../platform/db/index.ts';
import type { UnitRef } from '../../platform/events.ts';
import { conflict, notFound } from '../../platform/http/problem.ts';
import type { CatalogueVersion } from '../catalogue/service.ts';
import { catalogueVersion } from '../catalogue/service.ts';
import { getUnitRef } from '../org/service.ts';
import { queueTickets } from '../queue/schema.ts';
import type { CounterRow } from '../queue/shared.ts';
import { assertAtCounter, counterRow } from '../queue/shared.ts';
import type { Visit } from './contract.ts';
import type { VisitAction } from './policy.ts';
import { visitsPolicy } from './policy.ts';
import { visitCorrections, visitDocuments, visitLines, visitPayments, visits } from './schema.ts';

export const VISIT = { zh: '受理记录', en: 'Visit' };
export const LINE = { zh: '受理业务', en: 'Transaction' };
export type VisitRow = typeof visits.$inferSelect;
export type LineRow = typeof visitLines.$inferSelect;
export type PaymentRow = typeof visitPayments.$inferSelect;
export type CustomerRow = typeof schema.customers.$inferSelect;
export type SubscriptionRow = typeof schema.subscriptions.$inferSelect;

export const unitOf = (v: { unitId: string; unitPath: string; provinceId: string }): UnitRef => ({
  id: v.unitId,
  path: v.unitPath,
  provinceId: v.provinceId,
});

export interface Locked {
  visit: VisitRow;
  counter: CounterRow;
}

/**
 * Locks a visit for a command (FOR UPDATE: two clerks never both change or close it) and checks the caller:
 * the action's positions within the visit's hall, and for `visit.serve` the clerk at its counter.
 */
export async function lockVisit(db: DbOrTx, ctx: Ctx, visitId: string, action: VisitAction): Promise<Locked> {
  const [visit] = await db.select().from(visits).where(eq(visits.id, visitId)).for('update');
  if (!visit) throw notFound(VISIT);
  authorize(ctx.actor, visitsPolicy, action, visit.unitPath);
  const counter = await counterRow(db, visit.counterId);
  if (action === 'visit.serve') assertAtCounter(ctx, counter);
  return { visit, counter };
}

/** A visit for reading (no lock), checked against `visit.read` in the caller's subtree. */
export async function readVisit(db: DbOrTx, ctx: Ctx, visitId: string): Promise<VisitRow> {
  const [visit] = await db.select().from(visits).where(eq(visits.id, visitId));
  if (!visit) throw notFound(VISIT);
  authorize(ctx.actor, visitsPolicy, 'visit.read', visit.unitPath);
  return visit;
}

/** Refuses a change to a visit that is no longer open: signed, closed or voided (409, nothing written). */
export function assertOpen(v: VisitRow): void {
  if (v.status === 'open') return;
  const what: Record<Exclude<VisitRow['status'], 'open'>, [string, string]> = {
    signed: [
      '客户已签字确认，不能再修改本次受理（如有错误请在签字后更正）',
      'The customer has signed: the visit cannot change (correct a line after signing instead)',
    ],
    closed: ['本次受理已完成，不能再修改', 'The visit is closed: it cannot change'],
    voided: ['本次受理已作废', 'The visit was voided'],
  };
  const [zh, en] = what[v.status];
  throw conflict(`visit_${v.status}`, zh, en);
}

/** The catalogue version the visit was opened under (retired ones too: the caller decides what that means). */
export function catalogueOf(db: DbOrTx, v: VisitRow): Promise<CatalogueVersion> {
  return catalogueVersion(db, v.catalogueUnitId, v.catalogueVersion);
}

export async function linesOf(db: DbOrTx, v: Pick<VisitRow, 'provinceId' | 'id'>): Promise<LineRow[]> {
  return db
    .select()
    .from(visitLines)
    .where(and(eq(visitLines.provinceId, v.provinceId), eq(visitLines.visitId, v.id)))
    .orderBy(asc(visitLines.seq));
}

export async function paymentsOf(db: DbOrTx, v: Pick<VisitRow, 'provinceId' | 'id'>): Promise<PaymentRow[]> {
  return db
    .select()
    .from(visitPayments)
    .where(and(eq(visitPayments.provinceId, v.provinceId), eq(visitPayments.visitId, v.id)))
    .orderBy(asc(visitPayments.at), asc(visitPayments.id));
}

export const doneLines = (lines: readonly LineRow[]) => lines.filter((l) => l.status === 'done');

export function toPayment(p: PaymentRow) {
  return {
    method: p.method,
    amountFen: p.amountFen,
    ...(p.tenderedFen === null ? {} : { tenderedFen: p.tenderedFen }),
  };
}

/** The totals of the visit's lines and payments (as stored, so they add up by construction). */
export function totalsOf(lines: readonly LineRow[], payments: readonly PaymentRow[]) {
  const result = visitTotals(
    doneLines(lines).map((l) => ({ amountFen: l.feeFen })),
    payments.map(toPayment),
  );
  if (!result.ok) {
    const total = doneLines(lines).reduce((s, l) => s + l.feeFen, 0);
    const paid = payments.reduce((s, p) => s + p.amountFen, 0);
    return { totalFen: total, paidFen: paid, balanceFen: total - paid, settled: total === paid };
  }
  return {
    totalFen: result.totalFen,
    paidFen: result.paidFen,
    balanceFen: result.balanceFen,
    settled: result.settled,
  };
}

/** A phone, ICCID-free masking of a form's values for answers and documents: phones and ID-like numbers. */
export function maskValues(type: Pick<BusinessType, 'fields'> | undefined, values: FieldValues) {
  const out: Record<string, string | number | boolean> = {};
  for (const [k, v] of Object.entries(values)) {
    if (v === undefined) continue;
    const field = type?.fields.find((f) => f.key === k);
    if (typeof v === 'string' && (field?.kind === 'phone' || /^1\d{10}$/.test(v))) out[k] = maskPhone(v);
    else if (typeof v === 'string' && /^[0-9]{15,17}[0-9X]$/i.test(v)) out[k] = maskIdNumber(v);
    else out[k] = v;
  }
  return out;
}

export function maskIccid(iccid: string | null): string | null {
  return iccid === null ? null : `****${iccid.slice(-4)}`;
}

export function passwordStateOf(s: SubscriptionRow, now: Date): 'none' | 'initial' | 'set' | 'locked' {
  if (s.servicePasswordLockedUntil && s.servicePasswordLockedUntil > now) return 'locked';
  return s.servicePasswordState;
}

export async function customerView(db: DbOrTx, customerId: string, now: Date) {
  const [c] = await db.select().from(schema.customers).where(eq(schema.customers.id, customerId));
  if (!c) return null;
  const subs = await db
    .select()
    .from(schema.subscriptions)
    .where(and(eq(schema.subscriptions.provinceId, c.provinceId), eq(schema.subscriptions.customerId, c.id)))
    .orderBy(asc(schema.subscriptions.since), asc(schema.subscriptions.id));
  return {
    id: c.id,
    kind: c.kind,
    name: maskName(c.name, c.kind),
    idDocKind: c.idDocKind as IdDocKind,
    idDocNumber: maskIdNumber(c.idDocNumber),
    contactPhone: maskPhone(c.contactPhone),
    clubTier: c.clubTier,
    subscriptions: subs.map((s) => ({
      id: s.id,
      kind: s.kind,
      number: maskPhone(s.number),
      plan: s.plan,
      status: s.status,
      iccid: maskIccid(s.iccid),
      depositFen: s.depositFen,
      contractUntil: s.contractUntil,
      subsidyUntil: s.subsidyUntil,
      servicePassword: passwordStateOf(s, now),
    })),
  };
}

/** A person's name in a list: the family name kept (`张*`, `欧阳**`); a group's name stays whole. */
export function maskName(name: string, kind: string): string {
  if (kind === 'group') return name;
  const chars = [...name];
  if (chars.length <= 1) return name;
  const keep = chars.length >= 4 ? 2 : 1;
  return chars.slice(0, keep).join('') + '*'.repeat(chars.length - keep);
}

/** The masked numbers of the subscriptions the lines act on, by subscription id. */
export async function subscriptionNumbers(
  db: DbOrTx,
  v: Pick<VisitRow, 'provinceId'>,
  lines: readonly LineRow[],
): Promise<Map<string, string>> {
  const ids = [...new Set(lines.map((l) => l.subscriptionId).filter((x): x is string => x !== null))];
  if (ids.length === 0) return new Map();
  const found = await db
    .select({ id: schema.subscriptions.id, number: schema.subscriptions.number })
    .from(schema.subscriptions)
    .where(and(eq(schema.subscriptions.provinceId, v.provinceId), inArray(schema.subscriptions.id, ids)));
  return new Map(found.map((s) => [s.id, maskPhone(s.number)]));
}

/** The visit as answered: names, masked customer and lines, payments, totals, the document. */
export async function visitView(db: DbOrTx, v: VisitRow, now: Date): Promise<Visit> {
  const [hall, counter, lines, payments, docs, corrections] = await reads(
    db,
    () => getUnitRef(db, v.unitId),
    () => counterRow(db, v.counterId),
    () => linesOf(db, v),
    () => paymentsOf(db, v),
    () =>
      db
        .select({
          id: visitDocuments.id,
          sha256: visitDocuments.sha256,
          signedAt: visitDocuments.signedAt,
          copies: visitDocuments.copies,
          voidedAt: visitDocuments.voidedAt,
          voidReason: visitDocuments.voidReason,
          replaces: visitDocuments.replaces,
        })
        .from(visitDocuments)
        .where(and(eq(visitDocuments.provinceId, v.provinceId), eq(visitDocuments.visitId, v.id)))
        .orderBy(asc(visitDocuments.signedAt)),
    () => correctionsOf(db, v),
  );
  let ticket: { number: string; pre: (typeof queueTickets.$inferSelect)['preRegistration'] } | null = null;
  if (v.ticketId) {
    const [t] = await db
      .select({ number: queueTickets.number, pre: queueTickets.preRegistration })
      .from(queueTickets)
      .where(and(eq(queueTickets.provinceId, v.provinceId), eq(queueTickets.id, v.ticketId)));
    ticket = t ?? null;
  }
  const numbers = await subscriptionNumbers(db, v, lines);
  const doc = docs.at(-1);
  const pre = ticket?.pre;
  const customer = v.customerId ? await customerView(db, v.customerId, now) : null;
  const req = v.status === 'open' ? v.padRequest : null;
  return {
    id: v.id,
    hallId: v.unitId,
    hallName: hall.name,
    counterId: v.counterId,
    counterName: counter.name,
    ticketId: v.ticketId,
    ticketNumber: ticket?.number ?? null,
    staffName: v.staffName,
    status: v.status,
    catalogueVersion: v.catalogueVersion,
    customer,
    preRegistered: pre
      ? {
          business: pre.business,
          idDocKind: pre.idDocKind ?? '',
          idDocNumber: pre.idDocNumber ? maskIdNumber(pre.idDocNumber) : '',
        }
      : null,
    passwordVerifiedFor: v.passwordVerifiedFor,
    padRequest: req
      ? {
          kind: req.kind,
          subscriptionId: req.kind === 'password' ? req.subscriptionId : null,
          number:
            req.kind === 'password'
              ? (customer?.subscriptions.find((s) => s.id === req.subscriptionId)?.number ?? null)
              : null,
          at: req.at,
        }
      : null,
    corrections,
    lines: lines.map((l) => ({
      id: l.id,
      seq: l.seq,
      businessCode: l.businessCode,
      businessZh: l.businessZh,
      businessEn: l.businessEn,
      light: l.light,
      subscriptionId: l.subscriptionId,
      subscriptionNumber: l.subscriptionId ? (numbers.get(l.subscriptionId) ?? null) : null,
      values: maskValues(undefined, l.values),
      feeFen: l.feeFen,
      identityMethod: l.identityMethod as 'id_document' | 'password' | 'none',
      strict: l.strict,
      retention: l.retention ?? null,
      status: l.status,
      enteredAt: l.enteredAt.toISOString(),
    })),
    payments: payments.map((p) => ({
      id: p.id,
      method: p.method,
      amountFen: p.amountFen,
      tenderedFen: p.tenderedFen,
      changeFen: p.changeFen,
      at: p.at.toISOString(),
    })),
    totals: totalsOf(lines, payments),
    document: doc
      ? {
          id: doc.id,
          sha256: doc.sha256,
          signedAt: doc.signedAt.toISOString(),
          copies: doc.copies,
          voidedAt: doc.voidedAt?.toISOString() ?? null,
          voidReason: doc.voidReason,
          replaces: doc.replaces,
        }
      : null,
    openedAt: v.openedAt.toISOString(),
    signedAt: v.signedAt?.toISOString() ?? null,
    closedAt: v.closedAt?.toISOString() ?? null,
  };
}

const FOUND_BY = ['audit', 'complaint', 'customer'] as const;

/** The corrections of a visit's signed lines, oldest first: values masked, the staff who found or recorded them named. */
async function correctionsOf(
  db: DbOrTx,
  v: Pick<VisitRow, 'provinceId' | 'id'>,
): Promise<Visit['corrections']> {
  const rows = await db
    .select()
    .from(visitCorrections)
    .where(and(eq(visitCorrections.provinceId, v.provinceId), eq(visitCorrections.visitId, v.id)))
    .orderBy(asc(visitCorrections.foundAt), asc(visitCorrections.id));
  if (rows.length === 0) return [];
  const isOther = (x: string): x is (typeof FOUND_BY)[number] => (FOUND_BY as readonly string[]).includes(x);
  const staffIds = [
    ...new Set(
      rows.flatMap((r) => [isOther(r.foundBy) ? null : r.foundBy, r.recordedBy]).filter((x) => x !== null),
    ),
  ].filter((x) => /^[0-9a-f-]{36}$/i.test(x));
  const names = new Map(
    staffIds.length === 0
      ? []
      : (
          await db
            .select({ id: schema.staff.id, name: schema.staff.name })
            .from(schema.staff)
            .where(inArray(schema.staff.id, staffIds))
        ).map((s) => [s.id, s.name]),
  );
  const masked = (x: unknown) =>
    typeof x === 'string' || typeof x === 'number' || typeof x === 'boolean'
      ? (maskValues(undefined, { v: x }).v ?? null)
      : null;
  return rows.map((r) => ({
    id: r.id,
    lineId: r.lineId,
    field: r.field,
    before: masked(r.before),
    after: masked(r.after),
    reason: r.reason,
    foundBy: isOther(r.foundBy) ? r.foundBy : 'self',
    foundByName: isOther(r.foundBy) ? null : (names.get(r.foundBy) ?? null),
    foundAt: r.foundAt.toISOString(),
    recordedByName: r.recordedBy ? (names.get(r.recordedBy) ?? null) : null,
  }));
}

/** A unique index refused the write (PostgreSQL 23505), optionally a named one. */
export function isUniqueViolation(err: unknown, constraint?: string): boolean {
  for (let e: unknown = err; e && typeof e === 'object'; e = (e as { cause?: unknown }).cause) {
    const x = e as { code?: unknown; constraint?: unknown };
    if (x.code === '23505') return constraint === undefined || x.constraint === constraint;
  }
  return false;
}
