/**
 * One piece of business of a visit (a transaction, 2§2.1 and 2§2.2.1): the business type from the catalogue
 * version the visit opened under (a version retired since: 409), its form's values through `fieldsSchema`,
 * the customer kind, the subscription it acts on (`subscriptionProblem`), the identity rule
 * (`identityDecision`, with the service password checked against its hash and lockout), the retention step
 * before a cancellation (2§2.1.6), the copy of the ID document of a new account, and its effects applied
 * through `subscriptions.ts` — all in one transaction with `visit.transaction_added`. Refused: nothing is
 * written, except a wrong service password's failure count (see `password.ts`).
 */
import { and, eq, isNull, max, sql } from 'drizzle-orm';
import type { SQLWrapper } from 'drizzle-orm';
import { createHash } from 'node:crypto';
import type { BusinessType, FieldValues, SubscriptionState } from '../../core/business-catalogue.ts';
import { effectChanges, feeOf, fieldsSchema, subscriptionProblem } from '../../core/business-catalogue.ts';
import { localDateOf } from '../../core/calendar.ts';
import { visitTotals } from '../../core/visit-money.ts';
import { originOfDocKind } from '../../core/id-documents.ts';
import type { IdDocKind } from '../../core/id-documents.ts';
import type { PasswordCheck } from '../../core/identity-check.ts';
import { identityDecision } from '../../core/identity-check.ts';
import { maskIdNumber } from '../../core/masking.ts';
import type { Ctx } from '../../platform/context.ts';
import type { Tx } from '../../platform/db/index.ts';
import { schema } from '../../platform/db/index.ts';
import { appendEvent, command } from '../../platform/events.ts';
import type { FieldProblem } from '../../platform/http/problem.ts';
import { conflict, fieldProblem, notFound, unprocessable } from '../../platform/http/problem.ts';
import { newId } from '../../platform/ids.ts';
import { getUnitRef } from '../org/service.ts';
import type { AddTransaction, Visit } from './contract.ts';
import { WrongPassword, passwordMatches, passwordSucceeded, withPasswordFailures } from './password.ts';
import { agentSales, idDocumentCopies, visitLines, visits } from './schema.ts';
import type { CustomerRow, SubscriptionRow, VisitRow } from './shared.ts';
import {
  LINE,
  assertOpen,
  catalogueOf,
  linesOf,
  lockVisit,
  maskValues,
  paymentsOf,
  toPayment,
  unitOf,
  visitView,
} from './shared.ts';
import { applyChanges, reversible } from './subscriptions.ts';

/** Business "developed" by a cooperative hall or agent even when it opens no account (events.md). */
const AGENT_TRACKED = new Set(['mobile_open', 'fixed_open', 'broadband_open', 'transfer']);
const SUBSCRIPTION = { zh: '号码', en: 'Subscription' };

/** Splits a zod message `中文 ¦ English` into both languages. */
function split(message: string): { zh: string; en: string } {
  const [zh, en] = message.split(' ¦ ');
  return { zh: zh ?? message, en: en ?? zh ?? message };
}

/** The customer's record has what the norms ask at entry: name, ID document, contact phone and address. */
export function customerComplete(c: CustomerRow | null): boolean {
  if (c === null) return true;
  return [c.name, c.idDocNumber, c.contactPhone, c.address].every((v) => v.trim().length > 0);
}

export const catalogueRetired = () =>
  conflict(
    'catalogue_retired',
    '本次受理所用的业务目录版本已停用，请完成已办业务后重新开始受理',
    'The catalogue version of this visit was retired: finish what is done and open a new visit',
  );

function dataUrlImage(dataUrl: string): { mime: string; bytes: Buffer } | null {
  const m = /^data:(image\/(?:png|jpeg));base64,([A-Za-z0-9+/=]+)$/.exec(dataUrl);
  if (!m) return null;
  const bytes = Buffer.from(m[2]!, 'base64');
  const png = bytes.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
  const jpeg = bytes.subarray(0, 3).equals(Buffer.from([0xff, 0xd8, 0xff]));
  if (m[1] === 'image/png' && png) return { mime: 'image/png', bytes };
  if (m[1] === 'image/jpeg' && jpeg) return { mime: 'image/jpeg', bytes };
  return null;
}

async function subscriptionOf(tx: Tx, visit: VisitRow, id: string): Promise<SubscriptionRow> {
  const [s] = await tx
    .select()
    .from(schema.subscriptions)
    .where(and(eq(schema.subscriptions.provinceId, visit.provinceId), eq(schema.subscriptions.id, id)))
    .for('update');
  if (!s || s.customerId !== visit.customerId) throw notFound(SUBSCRIPTION);
  return s;
}

/** The password as the identity rule sees it: typed at the keypad (checked now) or verified on the pad. */
async function passwordCheck(
  visit: VisitRow,
  type: BusinessType,
  input: AddTransaction,
  sub: SubscriptionRow | null,
  now: Date,
): Promise<{ check?: PasswordCheck; matched: boolean }> {
  if (!sub || sub.servicePasswordState === 'none') return { matched: false };
  const state = sub.servicePasswordState;
  if (input.identity.usePadPassword) {
    const verified = visit.passwordVerifiedFor === sub.id && visit.passwordVerifiedAt !== null;
    return { check: { state, verified }, matched: false };
  }
  // A business that sets a new password takes `identity.password` as the new one, not as proof.
  if (input.identity.password === undefined || type.effects.some((e) => e.kind === 'service_password'))
    return { matched: false };
  const ok = await passwordMatches(sub, input.identity.password, now);
  if (!ok) throw new WrongPassword(sub, unitOf(visit));
  return { check: { state, verified: true }, matched: true };
}

/** Adds one piece of business to an open visit. */
export async function addTransaction(ctx: Ctx, visitId: string, input: AddTransaction): Promise<Visit> {
  return withPasswordFailures(ctx, () => command(ctx, (tx) => addIn(tx, ctx, visitId, input)));
}

async function addIn(tx: Tx, ctx: Ctx, visitId: string, input: AddTransaction): Promise<Visit> {
  const { visit } = await lockVisit(tx, ctx, visitId, 'visit.serve');
  assertOpen(visit);
  const now = ctx.clock.now();
  const hall = await getUnitRef(tx, visit.unitId);
  const today = localDateOf(now, hall.timeZone);
  const catalogue = await catalogueOf(tx, visit);
  if (catalogue.retired) throw catalogueRetired();
  const type = catalogue.types.find((t) => t.code === input.businessCode);
  if (!type)
    throw unprocessable('business_unknown', '业务目录中没有此业务', 'No such business in the catalogue', [
      fieldProblem('body.businessCode', '未知业务', 'Unknown business'),
    ]);

  const parsed = fieldsSchema(type).safeParse(input.values);
  if (!parsed.success) {
    const fields: FieldProblem[] = parsed.error.issues.map((i) => {
      const m = split(i.message);
      return fieldProblem(['body', 'values', ...i.path.map(String)].join('.'), m.zh, m.en);
    });
    throw unprocessable(
      'fields_invalid',
      `${type.zh}：表单填写有误`,
      `${type.en}: the form has errors`,
      fields,
    );
  }
  const values: FieldValues = parsed.data;

  const [customer] = visit.customerId
    ? await tx.select().from(schema.customers).where(eq(schema.customers.id, visit.customerId))
    : [];
  const anonymousOk = type.identity === 'none' && !type.opensAccount && type.appliesTo === null;
  if (!customer && !anonymousOk)
    throw unprocessable(
      'customer_missing',
      `办理${type.zh}须先确定客户`,
      `${type.en}: choose the customer first`,
    );

  const sub = input.subscriptionId ? await subscriptionOf(tx, visit, input.subscriptionId) : null;
  const subState: SubscriptionState | null = sub ? { kind: sub.kind, status: sub.status } : null;
  const subProblem = subscriptionProblem(type, type.appliesTo === null ? null : subState);
  if (subProblem)
    throw unprocessable('subscription_not_applicable', subProblem.zh, subProblem.en, [
      fieldProblem('body.subscriptionId', subProblem.zh, subProblem.en),
    ]);

  let method: 'id_document' | 'password' | 'none' = 'none';
  let strict = false;
  let docNumber: string | null = null;
  let copyRequired = false;
  let matchedSub: SubscriptionRow | null = null;
  if (customer) {
    const pw = await passwordCheck(visit, type, input, sub, now);
    if (pw.matched) matchedSub = sub;
    // The person's origin, from the document on their record (a mainland resident shows mainland documents).
    const origin = originOfDocKind(customer.idDocKind as IdDocKind);
    const decision = identityDecision({
      customerKind: customer.kind,
      ...(origin ? { origin } : {}),
      businessType: type,
      ...(input.identity.document
        ? {
            document: {
              kind: input.identity.document.kind,
              number: input.identity.document.number,
              ...(input.identity.document.expiresOn ? { expiresOn: input.identity.document.expiresOn } : {}),
            },
          }
        : {}),
      registered: { kind: customer.idDocKind as IdDocKind, number: customer.idDocNumber },
      ...(pw.check ? { password: pw.check } : {}),
      subscription: { subsidyUntil: sub?.subsidyUntil ?? null, contractUntil: sub?.contractUntil ?? null },
      ownerInPerson: input.identity.ownerInPerson,
      today,
    });
    if (!decision.allowed)
      throw unprocessable(
        'identity_refused',
        decision.message.zh,
        decision.message.en,
        decision.reasons.map((r) => fieldProblem(`identity.${r.code}`, r.zh, r.en)),
      );
    method = decision.method ?? 'none';
    strict = decision.strict;
    docNumber = input.identity.document ? decision.documentNumber : null;
    copyRequired = decision.copyRequired;
  }

  let copy: { mime: string; bytes: Buffer } | null = null;
  if (copyRequired) {
    if (!input.idCopy)
      throw unprocessable(
        'id_copy_required',
        '新入网须留存身份证件复印件（拍照或上传）',
        'A new account keeps a copy of the ID document: capture or upload it',
        [fieldProblem('body.idCopy', '缺少证件复印件', 'No copy of the document')],
      );
    copy = dataUrlImage(input.idCopy);
    if (!copy)
      throw unprocessable(
        'id_copy_invalid',
        '证件复印件须为PNG或JPEG图像',
        'The copy of the document must be a PNG or JPEG image',
        [fieldProblem('body.idCopy', '不是PNG或JPEG图像', 'Not a PNG or JPEG image')],
      );
  }

  let retention: { offered: string[]; accepted: string | null } | null = null;
  if (type.retentionFirst && customer) {
    const offers = catalogue.retentionOffers.filter((o) => o.tiers.includes(customer.clubTier));
    if (!input.retention)
      throw unprocessable(
        'retention_required',
        `办理${type.zh}前须先做挽留：${offers.map((o) => o.zh).join('、') || '（本客户级别无挽留方案）'}`,
        `${type.en} comes after a retention step: ${offers.map((o) => o.en).join('; ') || '(no offer for this tier)'}`,
        [fieldProblem('body.retention', '须记录挽留结果', 'Record the retention outcome')],
      );
    const codes = new Set(offers.map((o) => o.code));
    const bad = input.retention.offered.find((c) => !codes.has(c));
    if (
      bad !== undefined ||
      (input.retention.accepted !== null && !input.retention.offered.includes(input.retention.accepted))
    )
      throw unprocessable(
        'retention_invalid',
        '挽留方案须为本客户级别可用的方案，接受的方案须是提供过的',
        'Offers must be those of the customer’s tier, and the accepted one among those offered',
        [fieldProblem('body.retention', '挽留方案无效', 'Not an offer of this tier')],
      );
    retention = { offered: input.retention.offered, accepted: input.retention.accepted };
  }
  const retained = retention?.accepted != null;

  const changes = retained ? [] : effectChanges(type, values, today, subState);
  const newPassword = type.effects.some((e) => e.kind === 'service_password' || e.kind === 'new_subscription')
    ? input.identity.password
    : undefined;
  const applied = await applyChanges(
    tx,
    {
      provinceId: visit.provinceId,
      customerId: visit.customerId,
      subscriptionId: sub?.id ?? null,
      today,
      now,
      ...(newPassword ? { newPassword } : {}),
    },
    changes,
  );
  if (matchedSub) await passwordSucceeded(tx, matchedSub);

  const [after] = customer
    ? await tx.select().from(schema.customers).where(eq(schema.customers.id, customer.id))
    : [];
  const complete = customerComplete(after ?? null);
  const [last] = await tx
    .select({ seq: max(visitLines.seq) })
    .from(visitLines)
    .where(and(eq(visitLines.provinceId, visit.provinceId), eq(visitLines.visitId, visit.id)));
  const seq = (last?.seq ?? 0) + 1;
  const lineId = newId();
  const feeFen = retained || type.light ? 0 : feeOf(type, values);
  const line = {
    provinceId: visit.provinceId,
    id: lineId,
    visitId: visit.id,
    unitId: visit.unitId,
    unitPath: visit.unitPath,
    seq,
    businessCode: type.code,
    businessZh: retained ? `${type.zh}（已挽留）` : type.zh,
    businessEn: retained ? `${type.en} (retained)` : type.en,
    light: type.light,
    subscriptionId: applied.subscriptionId,
    values,
    feeFen,
    identityMethod: method,
    strict,
    docKind: input.identity.document?.kind ?? null,
    docNumberMasked: docNumber ? maskIdNumber(docNumber) : null,
    changes,
    retention,
    status: 'done' as const,
    enteredAt: now,
    completedAt: complete ? now : null,
    enteredBy: ctx.actor.id,
  };
  const writes: SQLWrapper[] = [
    tx.insert(visitLines).values(line),
    tx
      .update(visits)
      .set({ totalFen: sql`${visits.totalFen} + ${feeFen}` })
      .where(and(eq(visits.provinceId, visit.provinceId), eq(visits.id, visit.id))),
  ];
  if (copy && input.identity.document)
    writes.push(
      tx.insert(idDocumentCopies).values({
        provinceId: visit.provinceId,
        id: newId(),
        customerId: visit.customerId,
        visitId: visit.id,
        lineId,
        docKind: input.identity.document.kind,
        mime: copy.mime,
        bytes: copy.bytes,
        sha256: createHash('sha256').update(copy.bytes).digest('hex'),
        capturedAt: now,
        capturedBy: ctx.actor.id,
      }),
    );
  const agentSale =
    hall.kind === 'hall_coop' && !retained && (type.opensAccount || AGENT_TRACKED.has(type.code));
  if (agentSale)
    writes.push(
      tx.insert(agentSales).values({
        provinceId: visit.provinceId,
        id: newId(),
        unitId: visit.unitId,
        unitPath: visit.unitPath,
        lineId,
        customerId: visit.customerId,
        businessCode: type.code,
        soldAt: now,
      }),
    );
  await appendEvent(
    tx,
    ctx,
    {
      action: 'visit.transaction_added',
      unit: unitOf(visit),
      subjectType: 'visit_line',
      subjectId: lineId,
      after: {
        visitId: visit.id,
        lineId,
        seq,
        businessCode: type.code,
        businessZh: type.zh,
        businessEn: type.en,
        light: type.light,
        opensAccount: type.opensAccount,
        feeFen,
        identityMethod: method,
        strict,
        customerId: visit.customerId,
        enteredAt: now.toISOString(),
        customerDataComplete: complete,
        unitKind: hall.kind,
        retention,
        values: maskValues(type, values),
      },
    },
    writes,
  );
  // A customer-information change that completes the record completes the visit's earlier lines too.
  if (applied.customerChanged && complete) await completeEarlier(tx, ctx, visit, lineId, now);
  const [stored] = await tx.select().from(visits).where(eq(visits.id, visit.id));
  return visitView(tx, stored!, now);
}

async function completeEarlier(tx: Tx, ctx: Ctx, visit: VisitRow, except: string, now: Date) {
  const open = await tx
    .update(visitLines)
    .set({ completedAt: now })
    .where(
      and(
        eq(visitLines.provinceId, visit.provinceId),
        eq(visitLines.visitId, visit.id),
        eq(visitLines.status, 'done'),
        isNull(visitLines.completedAt),
        sql`${visitLines.id} <> ${except}`,
      ),
    )
    .returning({ id: visitLines.id });
  for (const l of open)
    await appendEvent(tx, ctx, {
      action: 'visit.record_completed',
      unit: unitOf(visit),
      subjectType: 'visit_line',
      subjectId: l.id,
      after: { lineId: l.id, completedAt: now.toISOString() },
    });
}

/**
 * Removes a line of an open visit (before signing). Only a line that changed nothing the customer holds may
 * be removed (see `reversible`): one that did is refused (409) — the opposite business is done instead.
 */
export async function removeTransaction(ctx: Ctx, visitId: string, lineId: string): Promise<Visit> {
  return command(ctx, async (tx) => {
    const { visit } = await lockVisit(tx, ctx, visitId, 'visit.serve');
    assertOpen(visit);
    const line = (await linesOf(tx, visit)).find((l) => l.id === lineId);
    if (!line || line.status !== 'done') throw notFound(LINE);
    const rest = (await linesOf(tx, visit)).filter((l) => l.status === 'done' && l.id !== line.id);
    const after = visitTotals(
      rest.map((l) => ({ amountFen: l.feeFen })),
      (await paymentsOf(tx, visit)).map(toPayment),
    );
    if (!after.ok)
      throw conflict(
        'line_paid',
        `${line.businessZh}的费用已收，撤销后付款将多于应收；请先退款`,
        `${line.businessEn} is paid for: removing it would leave more paid than due; pay back first`,
      );
    if (!reversible(line.changes))
      throw conflict(
        'line_not_reversible',
        `${line.businessZh}已变更客户的号码或资料，不能撤销；请办理相反的业务`,
        `${line.businessEn} changed the customer’s subscription or record: it cannot be removed; do the opposite business instead`,
      );
    await appendEvent(
      tx,
      ctx,
      {
        action: 'visit.transaction_removed',
        unit: unitOf(visit),
        subjectType: 'visit_line',
        subjectId: line.id,
        before: { status: 'done', feeFen: line.feeFen },
        after: { visitId: visit.id, lineId: line.id, status: 'removed' },
      },
      [
        tx
          .update(visitLines)
          .set({ status: 'removed' })
          .where(and(eq(visitLines.provinceId, visit.provinceId), eq(visitLines.id, line.id))),
        tx
          .update(visits)
          .set({ totalFen: sql`${visits.totalFen} - ${line.feeFen}` })
          .where(and(eq(visits.provinceId, visit.provinceId), eq(visits.id, visit.id))),
        tx.delete(agentSales).where(eq(agentSales.lineId, line.id)),
      ],
    );
    return visitView(tx, visit, ctx.clock.now());
  });
}
