/**
 * The one document of a visit (一单清, 2§2.2.2) and the end of the visit: the customer signs once (on the
 * clerk's page or the counter's pad — one command), the document's content, signature, PDF and SHA-256 are
 * stored unchangeably; closing needs a signed document (or only light business) and a settled balance, and
 * finishes the ticket with the outcome served and the business names in the same transaction (the visit's
 * row lock: two clerks never both close it). After signing, a reprint (a copy that says so), a void (a
 * manager, with a reason) and a correction of a line's data (an error found, indicator 3) are each their own
 * command and event.
 */
import { and, desc, eq } from 'drizzle-orm';
import { createHash } from 'node:crypto';
import { fieldsSchema } from '../../core/business-catalogue.ts';
import { ID_DOC_KIND_CODES } from '../../core/id-documents.ts';
import type { IdDocKind } from '../../core/id-documents.ts';
import { maskIdNumber } from '../../core/masking.ts';
import { formatYuan } from '../../core/visit-money.ts';
import type { Ctx } from '../../platform/context.ts';
import type { Tx } from '../../platform/db/index.ts';
import { reads, schema } from '../../platform/db/index.ts';
import { appendEvent, command } from '../../platform/events.ts';
import { conflict, fieldProblem, notFound, unprocessable } from '../../platform/http/problem.ts';
import { newId } from '../../platform/ids.ts';
import { getUnitRef } from '../org/service.ts';
import { queueTickets } from '../queue/schema.ts';
import { finishTicketIn } from '../queue/service.ts';
import type { CounterRow } from '../queue/shared.ts';
import type { z } from 'zod';
import type { CorrectLine, DocumentContent, Visit, VisitDocument } from './contract.ts';
import { renderVisitPdf } from './document.ts';
import { visitCorrections, visitDocuments, visitLines, visits } from './schema.ts';
import type { LineRow, PaymentRow, VisitRow } from './shared.ts';
import {
  LINE,
  catalogueOf,
  doneLines,
  linesOf,
  lockVisit,
  maskValues,
  paymentsOf,
  readVisit,
  totalsOf,
  unitOf,
  subscriptionNumbers,
  visitView,
} from './shared.ts';

/** The terms the customer reads before signing (业务受理须知). */
export const TERMS = {
  zh: '本人已核对上列业务内容、费用及付款，确认无误。本人知悉所办业务的资费标准及使用规则；证件复印件仅用于本次业务受理存档。如对本单有异议，请于30日内持本单到营业厅或拨打客服热线。',
  en: 'I have checked the business, fees and payments listed above and confirm them. I know the tariffs and rules of the business done; the copy of my ID document is kept only as the record of this business. Any objection to this document within 30 days at a hall or through the customer-service hotline.',
};

const DOCUMENT = { zh: '受理单', en: 'Document' };

function pngOf(dataUrl: string): Buffer {
  const b = Buffer.from(dataUrl.slice(dataUrl.indexOf(',') + 1), 'base64');
  if (!b.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])))
    throw unprocessable('signature_invalid', '签名应为PNG图像', 'The signature must be a PNG image', [
      fieldProblem('body.signature', '不是PNG图像', 'Not a PNG image'),
    ]);
  return b;
}

function localTime(at: Date, timeZone: string): string {
  return new Intl.DateTimeFormat('sv-SE', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hour12: false,
  })
    .format(at)
    .slice(0, 16);
}

/** What the document says, from the visit as it is now (masked ID and phones). */
async function contentOf(
  tx: Tx,
  visit: VisitRow,
  counter: CounterRow,
  { lines, payments }: { lines: readonly LineRow[]; payments: readonly PaymentRow[] },
  now: Date,
): Promise<DocumentContent> {
  const [hall, catalogue] = await reads(
    tx,
    () => getUnitRef(tx, visit.unitId),
    () => catalogueOf(tx, visit),
  );
  const hq = await getUnitRef(tx, visit.unitPath.split('/').filter(Boolean)[0] ?? visit.unitId);
  const [customer] = visit.customerId
    ? await tx.select().from(schema.customers).where(eq(schema.customers.id, visit.customerId))
    : [];
  let ticketNumber: string | null = null;
  if (visit.ticketId) {
    const [t] = await tx
      .select({ number: queueTickets.number })
      .from(queueTickets)
      .where(and(eq(queueTickets.provinceId, visit.provinceId), eq(queueTickets.id, visit.ticketId)));
    ticketNumber = t?.number ?? null;
  }
  const numbers = await subscriptionNumbers(tx, visit, lines);
  const done = doneLines(lines);
  const totals = totalsOf(lines, payments);
  return {
    operator: { zh: hq.name, en: hq.nameEn || hq.name },
    documentNo: `${hall.code}-${visit.localDate.replaceAll('-', '')}-${visit.id.slice(-6).toUpperCase()}`,
    hall: hall.name,
    counter: counter.name,
    clerk: visit.staffName,
    signedAtLocal: localTime(now, hall.timeZone),
    timeZone: hall.timeZone,
    ticketNumber,
    customer: customer
      ? {
          name: customer.name,
          kind: customer.kind,
          idDocKind: customer.idDocKind as IdDocKind,
          idDocNumber: maskIdNumber(customer.idDocNumber),
        }
      : { name: '散客 Walk-in', kind: 'individual', idDocKind: ID_DOC_KIND_CODES[0], idDocNumber: '' },
    lines: done.map((l) => {
      const type = catalogue.types.find((t) => t.code === l.businessCode);
      const values = maskValues(type, l.values);
      const details = Object.entries(values).map(([k, v]) => {
        const fd = type?.fields.find((f) => f.key === k);
        const option = fd?.kind === 'enum' ? fd.options.find((o) => o.value === v) : undefined;
        return {
          zh: fd?.zh ?? k,
          en: fd?.en ?? k,
          value: option
            ? `${option.zh} ${option.en}`
            : fd?.kind === 'money_fen' && typeof v === 'number'
              ? `¥${formatYuan(v)}`
              : typeof v === 'boolean'
                ? v
                  ? '是 Yes'
                  : '否 No'
                : String(v),
        };
      });
      return {
        seq: l.seq,
        businessZh: l.businessZh,
        businessEn: l.businessEn,
        subscriptionNumber: l.subscriptionId ? (numbers.get(l.subscriptionId) ?? null) : null,
        details,
        feeFen: l.feeFen,
      };
    }),
    totalFen: totals.totalFen,
    payments: payments.map((p) => ({
      method: p.method,
      amountFen: p.amountFen,
      tenderedFen: p.tenderedFen,
      changeFen: p.changeFen,
    })),
    paidFen: totals.paidFen,
    terms: TERMS,
  };
}

/** Signing inside a locked visit: the clerk's page (`visit.serve`) and the pad (`visit.pad`) both end here. */
export async function signLocked(
  tx: Tx,
  ctx: Ctx,
  visit: VisitRow,
  counter: CounterRow,
  signature: string,
): Promise<Visit> {
  if (visit.status !== 'open')
    throw conflict(
      visit.status === 'signed' ? 'already_signed' : `visit_${visit.status}`,
      visit.status === 'signed' ? '客户已签字，不能重复签字' : '本次受理已结束，不能签字',
      visit.status === 'signed' ? 'The customer has signed already' : 'The visit is over: nothing to sign',
    );
  const [lines, payments] = await reads(
    tx,
    () => linesOf(tx, visit),
    () => paymentsOf(tx, visit),
  );
  if (!doneLines(lines).some((l) => !l.light))
    throw unprocessable(
      'nothing_to_sign',
      '本次受理没有需要签字的业务（咨询、查询无需签字）',
      'Nothing in the visit needs a signature (consultations and queries do not)',
    );
  const totals = totalsOf(lines, payments);
  if (!totals.settled)
    throw conflict(
      'balance_unsettled',
      `尚有 ${totals.balanceFen} 分未结清，请先收付款`,
      `${totals.balanceFen} fen is not settled yet: take the payment first`,
    );
  const png = pngOf(signature);
  const now = ctx.clock.now();
  const content = await contentOf(tx, visit, counter, { lines, payments }, now);
  const pdf = await renderVisitPdf(content, png, { copy: null }).catch(() => {
    // A PNG whose header is right but whose body cannot be read: the customer's input, not a fault here.
    throw unprocessable('signature_invalid', '签名图像无法读取', 'The signature image cannot be read', [
      fieldProblem('body.signature', '图像已损坏', 'A damaged image'),
    ]);
  });
  const sha256 = createHash('sha256').update(pdf).digest('hex');
  const id = newId();
  await appendEvent(
    tx,
    ctx,
    {
      action: 'visit.signed',
      unit: unitOf(visit),
      subjectType: 'visit',
      subjectId: visit.id,
      before: { status: visit.status },
      after: { visitId: visit.id, documentId: id, sha256 },
    },
    [
      tx.insert(visitDocuments).values({
        provinceId: visit.provinceId,
        id,
        visitId: visit.id,
        replaces: null,
        content,
        signaturePng: png,
        pdf,
        sha256,
        signedAt: now,
      }),
      tx
        .update(visits)
        .set({ status: 'signed', signedAt: now, padRequest: null })
        .where(and(eq(visits.provinceId, visit.provinceId), eq(visits.id, visit.id))),
    ],
  );
  return visitView(tx, { ...visit, status: 'signed', signedAt: now, padRequest: null }, now);
}

export async function signVisit(ctx: Ctx, visitId: string, signature: string): Promise<Visit> {
  return command(ctx, async (tx) => {
    const { visit, counter } = await lockVisit(tx, ctx, visitId, 'visit.serve');
    return signLocked(tx, ctx, visit, counter, signature);
  });
}

/** Closes a visit: signed (or only light business) and settled; finishes its ticket in the same transaction. */
export async function closeVisit(ctx: Ctx, visitId: string): Promise<Visit> {
  return command(ctx, async (tx) => {
    const { visit } = await lockVisit(tx, ctx, visitId, 'visit.serve');
    if (visit.status === 'closed' || visit.status === 'voided')
      throw conflict(`visit_${visit.status}`, '本次受理已结束', 'The visit is over already');
    const [lines, payments] = await reads(
      tx,
      () => linesOf(tx, visit),
      () => paymentsOf(tx, visit),
    );
    const done = doneLines(lines);
    if (visit.status === 'open' && done.some((l) => !l.light))
      throw conflict(
        'not_signed',
        '受理单尚未经客户签字确认，不能完成',
        'The customer has not signed the document: the visit cannot close',
      );
    const totals = totalsOf(lines, payments);
    if (!totals.settled)
      throw conflict(
        'balance_unsettled',
        `尚有 ${totals.balanceFen} 分未结清，不能完成`,
        `${totals.balanceFen} fen is not settled: the visit cannot close`,
      );
    const now = ctx.clock.now();
    const business = [...new Set(done.map((l) => l.businessZh))].slice(0, 20);
    if (visit.ticketId) {
      const [t] = await tx
        .select({ status: queueTickets.status, counterId: queueTickets.counterId })
        .from(queueTickets)
        .where(and(eq(queueTickets.provinceId, visit.provinceId), eq(queueTickets.id, visit.ticketId)));
      if (t && (t.status === 'called' || t.status === 'serving') && t.counterId === visit.counterId)
        await finishTicketIn(tx, ctx, visit.ticketId, { outcome: 'served', business });
    }
    await appendEvent(
      tx,
      ctx,
      {
        action: 'visit.closed',
        unit: unitOf(visit),
        subjectType: 'visit',
        subjectId: visit.id,
        before: { status: visit.status },
        after: {
          visitId: visit.id,
          ticketId: visit.ticketId,
          lines: done.length,
          totalFen: totals.totalFen,
          business,
        },
      },
      [
        tx
          .update(visits)
          .set({ status: 'closed', closedAt: now, closedBy: ctx.actor.id, padRequest: null })
          .where(and(eq(visits.provinceId, visit.provinceId), eq(visits.id, visit.id))),
      ],
    );
    return visitView(tx, { ...visit, status: 'closed', closedAt: now, closedBy: ctx.actor.id }, now);
  });
}

async function latestDocument(db: Ctx['db'] | Tx, visit: VisitRow) {
  const [doc] = await db
    .select()
    .from(visitDocuments)
    .where(and(eq(visitDocuments.provinceId, visit.provinceId), eq(visitDocuments.visitId, visit.id)))
    .orderBy(desc(visitDocuments.signedAt))
    .limit(1);
  if (!doc) throw notFound(DOCUMENT);
  return doc;
}

/** The stored original PDF, or (after a reprint) the latest copy, rendered from the stored content. */
export async function documentPdf(ctx: Ctx, visitId: string, copy: boolean): Promise<Buffer> {
  const visit = await readVisit(ctx.db, ctx, visitId);
  const doc = await latestDocument(ctx.db, visit);
  if (!copy) return doc.pdf;
  if (doc.copies === 0) throw conflict('no_copy', '尚未补打，没有副本', 'No copy has been reprinted yet');
  return renderVisitPdf(doc.content as DocumentContent, doc.signaturePng, {
    copy: doc.copies,
    originalSha256: doc.sha256,
  });
}

export async function visitDocument(ctx: Ctx, visitId: string): Promise<z.infer<typeof VisitDocument>> {
  const visit = await readVisit(ctx.db, ctx, visitId);
  const doc = await latestDocument(ctx.db, visit);
  return {
    id: doc.id,
    visitId: visit.id,
    content: doc.content as DocumentContent,
    signature: `data:image/png;base64,${doc.signaturePng.toString('base64')}`,
    sha256: doc.sha256,
    signedAt: doc.signedAt.toISOString(),
    copies: doc.copies,
    voidedAt: doc.voidedAt?.toISOString() ?? null,
    replaces: doc.replaces,
  };
}

/** A reprint of the signed document: a copy (副本) counted, its own event. */
export async function reprintDocument(ctx: Ctx, visitId: string): Promise<Visit> {
  return command(ctx, async (tx) => {
    const { visit } = await lockVisit(tx, ctx, visitId, 'visit.correct');
    const doc = await latestDocument(tx, visit);
    if (doc.voidedAt) throw conflict('document_voided', '受理单已作废，不能补打', 'The document was voided');
    await appendEvent(
      tx,
      ctx,
      {
        action: 'visit.document_reprinted',
        unit: unitOf(visit),
        subjectType: 'visit',
        subjectId: visit.id,
        after: { visitId: visit.id, documentId: doc.id, copy: doc.copies + 1 },
      },
      [
        tx
          .update(visitDocuments)
          .set({ copies: doc.copies + 1 })
          .where(and(eq(visitDocuments.provinceId, visit.provinceId), eq(visitDocuments.id, doc.id))),
      ],
    );
    return visitView(tx, visit, ctx.clock.now());
  });
}

/** Voids a signed document (a manager, with a reason): the visit is voided, the document marked. */
export async function voidVisit(ctx: Ctx, visitId: string, reason: string): Promise<Visit> {
  return command(ctx, async (tx) => {
    const { visit } = await lockVisit(tx, ctx, visitId, 'visit.void');
    if (visit.status !== 'signed' && visit.status !== 'closed')
      throw conflict(
        visit.status === 'voided' ? 'visit_voided' : 'not_signed',
        visit.status === 'voided' ? '受理单已作废' : '尚未签字的受理无需作废',
        visit.status === 'voided'
          ? 'The document is voided already'
          : 'An unsigned visit has no document to void',
      );
    const doc = await latestDocument(tx, visit);
    const now = ctx.clock.now();
    await appendEvent(
      tx,
      ctx,
      {
        action: 'visit.voided',
        unit: unitOf(visit),
        subjectType: 'visit',
        subjectId: visit.id,
        before: { status: visit.status },
        after: { visitId: visit.id, documentId: doc.id, reason },
      },
      [
        tx
          .update(visitDocuments)
          .set({ voidedAt: now, voidReason: reason })
          .where(and(eq(visitDocuments.provinceId, visit.provinceId), eq(visitDocuments.id, doc.id))),
        tx
          .update(visits)
          .set({ status: 'voided' })
          .where(and(eq(visits.provinceId, visit.provinceId), eq(visits.id, visit.id))),
      ],
    );
    return visitView(tx, { ...visit, status: 'voided' }, now);
  });
}

/** Corrects a field of a signed line: an error found after signing (indicator 3), with who found it. */
export async function correctLine(
  ctx: Ctx,
  visitId: string,
  lineId: string,
  input: z.infer<typeof CorrectLine>,
): Promise<Visit> {
  return command(ctx, async (tx) => {
    const { visit } = await lockVisit(tx, ctx, visitId, 'visit.correct');
    if (visit.status !== 'signed' && visit.status !== 'closed')
      throw conflict(
        'not_signed',
        '签字前的差错直接修改本次受理，无需更正',
        'Before signing, change the visit itself: a correction is for signed lines',
      );
    const line = (await linesOf(tx, visit)).find((l) => l.id === lineId && l.status === 'done');
    if (!line) throw notFound(LINE);
    const catalogue = await catalogueOf(tx, visit);
    const field = catalogue.types
      .find((t) => t.code === line.businessCode)
      ?.fields.find((f) => f.key === input.field);
    if (!field)
      throw unprocessable(
        'field_unknown',
        `${line.businessZh}没有此项`,
        `${line.businessEn} has no such field`,
        [fieldProblem('body.field', '没有此项', 'No such field')],
      );
    const checked = fieldsSchema({ fields: [{ ...field, required: true }] }).safeParse({
      [input.field]: input.value,
    });
    if (!checked.success) {
      const [zh, en] = (checked.error.issues[0]?.message ?? '').split(' ¦ ');
      throw unprocessable('value_invalid', zh || '更正值无效', en ?? zh ?? 'Not a valid value', [
        fieldProblem('body.value', zh || '更正值无效', en ?? zh ?? 'Not a valid value'),
      ]);
    }
    const value = checked.data[input.field] ?? input.value;
    const now = ctx.clock.now();
    const foundBy = input.foundBy === 'self' ? (ctx.actor.id ?? 'self') : input.foundBy;
    const before = line.values[input.field] ?? null;
    await appendEvent(
      tx,
      ctx,
      {
        action: 'visit.line_corrected',
        unit: unitOf(visit),
        subjectType: 'visit_line',
        subjectId: line.id,
        before: maskValues(undefined, { [input.field]: before ?? '' }),
        after: {
          visitId: visit.id,
          lineId: line.id,
          field: input.field,
          foundBy,
          foundAt: now.toISOString(),
          value: maskValues(undefined, { v: value }).v,
          reason: input.reason,
        },
      },
      [
        tx.insert(visitCorrections).values({
          provinceId: visit.provinceId,
          id: newId(),
          visitId: visit.id,
          lineId: line.id,
          unitId: visit.unitId,
          unitPath: visit.unitPath,
          field: input.field,
          before,
          after: value,
          reason: input.reason,
          foundBy,
          foundAt: now,
          recordedBy: ctx.actor.id,
        }),
        tx
          .update(visitLines)
          .set({ values: { ...line.values, [input.field]: value } })
          .where(and(eq(visitLines.provinceId, visit.provinceId), eq(visitLines.id, line.id))),
      ],
    );
    return visitView(tx, visit, now);
  });
}
