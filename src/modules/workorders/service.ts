/**
 * Taking a work order in and reading it (issue #14). Whoever takes it in owns it to the end (首问负责); the
 * policy in force is matched from the order's facts (kind, channel, customer tier, category, attributes) and
 * recorded with its targets, so a later change of settings never moves the clocks of an order already taken.
 * A complaint from a customer who complained within `workorder.repeatWindowDays` becomes an escalated
 * complaint by itself; one from senior management or the media is escalated when taken.
 */
import { and, desc, eq, gte, inArray, or, sql } from 'drizzle-orm';
import { localDateOf } from '../../core/calendar.ts';
import { MOBILE_PATTERN } from '../../core/phone.ts';
import type { OrderFacts, SlaPolicy, SlaSettingKey, SlaTarget, WorkOrderKind } from '../../core/sla.ts';
import { defaultPolicies, ESCALATION_LEVEL_LABELS, matchPolicy, SLA_SETTING_KEYS } from '../../core/sla.ts';
import type { z } from 'zod';
import { authorize, authorizeAny, can, inSubtree, reachOf } from '../../platform/auth/policy.ts';
import type { Ctx } from '../../platform/context.ts';
import type { DbOrTx } from '../../platform/db/index.ts';
import { rows, schema } from '../../platform/db/index.ts';
import { appendEvent, command } from '../../platform/events.ts';
import { fieldProblem, unprocessable } from '../../platform/http/problem.ts';
import { newId } from '../../platform/ids.ts';
import type { Words } from '../../platform/words.ts';
import { phoneHashOf } from '../echannel/service.ts';
import { queueTickets } from '../queue/schema.ts';
import { getUnitRef } from '../org/service.ts';
import { settingValues } from '../settings/service.ts';
import { activeCategory, categoryPath, categoryRows } from './categories.ts';
import type { NewWorkOrder, WorkOrderDetail, WorkOrderPolicy } from './contract.ts';
import { handlingUnitFor } from './intake.ts';
import { workOrdersPolicy } from './policy.ts';
import type { WorkOrderRow } from './schema.ts';
import { workOrderLinks, workOrderNumbers, workOrders } from './schema.ts';
import {
  addStep,
  inHandlingUnit,
  inReach,
  isOwner,
  namesOf,
  orderViews,
  reachSql,
  readableOrder,
  STEP_WORDS,
  storedTarget,
  syncClocks,
  targetWords,
} from './shared.ts';

const NUMBER_PREFIX = 'GD';

/** The policies in force at a unit: the defaults of the regulations, from the settings in force there. */
export async function policiesAt(db: DbOrTx, unitPath: string, at: Date): Promise<SlaPolicy[]> {
  const values = await settingValues(db, unitPath, SLA_SETTING_KEYS, at);
  return defaultPolicies((key: SlaSettingKey) => Number(values[key]));
}

/** The policies in force at the caller's unit, in words (the console's policy page, the API). */
export async function listPolicies(ctx: Ctx): Promise<z.infer<typeof WorkOrderPolicy>[]> {
  authorizeAny(ctx.actor, workOrdersPolicy, 'workorder.read');
  const words = (t: SlaTarget | null | undefined) => (t ? targetWords(storedTarget(t)) : null);
  return (await policiesAt(ctx.db, ctx.actor.unitPath, ctx.clock.now())).map((p) => ({
    id: p.id,
    zh: p.zh,
    en: p.en,
    condition: {
      kinds: [...(p.condition.kinds ?? [])],
      channels: [...(p.condition.channels ?? [])],
      customerTiers: [...(p.condition.customerTiers ?? [])],
      category: p.condition.category ?? null,
      attributes: { ...(p.condition.attributes ?? {}) },
    },
    firstResponse: words(p.targets.firstResponse),
    resolution: words(p.targets.resolution)!,
    answer: words(p.targets.answer),
    orderDeadline: p.orderDeadline === true,
    pauseStates: [...p.pauseStates],
    escalation: p.escalation.map((e) => ({
      level: e.level,
      ...ESCALATION_LEVEL_LABELS[e.level],
      threshold:
        'at' in e
          ? `${Math.round(e.at * 100)}%`
          : 'beforeMinutes' in e
            ? `-${e.beforeMinutes}min`
            : `+${e.afterMinutes}min`,
    })),
  }));
}

/** The words of a recorded policy id (the defaults' ids are stable). */
export function policyWords(id: string): Words {
  const p = defaultPolicies().find((x) => x.id === id);
  return p ? { zh: p.zh, en: p.en } : { zh: id, en: id };
}

/**
 * The next order number of the province for the local date: GD + yyyymmdd + a sequence of at least 4 digits,
 * from the day's counter row (the upsert locks it, so two orders never get one number).
 */
async function nextNumber(db: DbOrTx, provinceId: string, localDate: string): Promise<string> {
  const day = localDate.replaceAll('-', '');
  const [row] = await db
    .insert(workOrderNumbers)
    .values({ provinceId, day, last: 1 })
    .onConflictDoUpdate({
      target: [workOrderNumbers.provinceId, workOrderNumbers.day],
      set: { last: sql`${workOrderNumbers.last} + 1` },
    })
    .returning({ last: workOrderNumbers.last });
  return `${NUMBER_PREFIX}${day}${String(row!.last).padStart(4, '0')}`;
}

/** Whether the customer (or the number) complained within the repeat window: a repeat complaint. */
async function isRepeat(
  db: DbOrTx,
  provinceId: string,
  customerId: string | null,
  phoneHash: string,
  since: Date,
): Promise<boolean> {
  const who = customerId
    ? or(eq(workOrders.customerId, customerId), eq(workOrders.contactPhoneHash, phoneHash))
    : eq(workOrders.contactPhoneHash, phoneHash);
  const [row] = await db
    .select({ id: workOrders.id })
    .from(workOrders)
    .where(
      and(
        eq(workOrders.provinceId, provinceId),
        inArray(workOrders.kind, ['complaint', 'escalated_complaint']),
        gte(workOrders.createdAt, since),
        who,
      ),
    )
    .limit(1);
  return row !== undefined;
}

/** Takes a work order in: the caller owns it (首问负责); its policy, clocks and due-time rows are set. */
export async function createWorkOrder(ctx: Ctx, input: NewWorkOrder): Promise<WorkOrderDetail> {
  const id = await command(ctx, async (tx) => {
    const now = ctx.clock.now();
    const concerns = await getUnitRef(tx, input.concernsUnitId);
    authorize(ctx.actor, workOrdersPolicy, 'workorder.create', concerns.path);
    if (ctx.actor.kind !== 'staff' || !ctx.actor.id)
      throw unprocessable('staff_only', '工单须由员工受理', 'A work order is taken in by a member of staff');
    const owner = await getUnitRef(tx, ctx.actor.unitId);
    const handling = await handlingUnitFor(ctx, tx, input.handlingUnitId);
    const provinceId = concerns.provinceId;
    const problems = [];
    if (handling.provinceId !== provinceId)
      problems.push(fieldProblem('body.handlingUnitId', '须在同一省', 'Must be in the same province'));
    if (input.kind === 'appeal' && !input.regulatorRef)
      problems.push(
        fieldProblem(
          'body.regulatorRef',
          '申诉须填写管局申诉编号',
          "An appeal carries the regulator's reference",
        ),
      );
    if (input.kind !== 'appeal' && (input.regulatorRef || input.deadline))
      problems.push(
        fieldProblem(
          'body.deadline',
          '只有申诉带管局时限',
          "Only an appeal carries the regulator's deadline",
        ),
      );
    if (input.deadline && new Date(input.deadline) <= now)
      problems.push(fieldProblem('body.deadline', '时限已过', 'The deadline has passed'));
    const categories = await categoryRows(tx, provinceId);
    const category = activeCategory(categories, input.categoryId);

    // Taken at a counter from the called ticket: its customer and number when the clerk gave none.
    let ticket: { customerId: string | null; phone: string } | null = null;
    if (input.ticketId) {
      const [tk] = await tx
        .select({
          customerId: queueTickets.customerId,
          phone: queueTickets.phone,
          unitPath: queueTickets.unitPath,
        })
        .from(queueTickets)
        .where(eq(queueTickets.id, input.ticketId));
      if (!tk || !inSubtree(ctx.actor.unitPath, tk.unitPath))
        problems.push(fieldProblem('body.ticketId', '没有这张号票', 'No such ticket'));
      else ticket = tk;
    }
    const customerId = input.customerId ?? ticket?.customerId ?? undefined;
    let customer: { id: string; contactPhone: string; clubTier: string } | null = null;
    if (customerId) {
      const [c] = await tx
        .select({
          id: schema.customers.id,
          contactPhone: schema.customers.contactPhone,
          clubTier: schema.customers.clubTier,
        })
        .from(schema.customers)
        .where(and(eq(schema.customers.provinceId, provinceId), eq(schema.customers.id, customerId)));
      if (!c) problems.push(fieldProblem('body.customerId', '没有这位客户', 'No such customer'));
      else customer = c;
    }
    if (input.subscriptionId) {
      const [s] = await tx
        .select({ customerId: schema.subscriptions.customerId })
        .from(schema.subscriptions)
        .where(eq(schema.subscriptions.id, input.subscriptionId));
      if (!s || s.customerId !== customerId)
        problems.push(
          fieldProblem('body.subscriptionId', '不是该客户的业务', "Not one of the customer's subscriptions"),
        );
    }
    const ticketPhone = ticket && MOBILE_PATTERN.test(ticket.phone) ? ticket.phone : undefined;
    const phone = input.contactPhone ?? ticketPhone ?? customer?.contactPhone ?? '';
    if (!MOBILE_PATTERN.test(phone))
      problems.push(
        fieldProblem(
          'body.contactPhone',
          '须有一个回复客户的手机号码',
          'A mobile number to reply to is needed',
        ),
      );
    if (input.parentId) {
      const parent = await readableOrder(ctx, tx, input.parentId).catch(() => null);
      if (!parent) problems.push(fieldProblem('body.parentId', '没有这张工单', 'No such work order'));
    }
    if (problems.length > 0)
      throw unprocessable('work_order_invalid', '工单信息有误', 'The work order has errors', problems);

    const settings = await settingValues(tx, concerns.path, ['workorder.repeatWindowDays'], now);
    const phoneHash = phoneHashOf(phone);
    let kind: WorkOrderKind = input.kind;
    let escalatedFrom: 'management' | 'media' | 'repeat' | null = input.escalatedFrom ?? null;
    if (kind === 'complaint' && escalatedFrom) kind = 'escalated_complaint';
    if (kind === 'complaint') {
      const since = new Date(now.getTime() - Number(settings['workorder.repeatWindowDays']) * 86_400_000);
      if (await isRepeat(tx, provinceId, customer?.id ?? null, phoneHash, since)) {
        kind = 'escalated_complaint';
        escalatedFrom = 'repeat';
      }
    }
    const facts: OrderFacts = {
      kind,
      channel: input.channel,
      customerTier: customer?.clubTier ?? null,
      categoryPath: categoryPath(categories, category.id),
      attributes: input.attributes,
      deadline: input.deadline ? new Date(input.deadline) : null,
    };
    const match = matchPolicy(await policiesAt(tx, concerns.path, now), facts);
    if (!match) throw unprocessable('no_policy', '没有适用的时限规则', 'No time-limit policy applies');

    const orderId = newId();
    const number = await nextNumber(tx, provinceId, localDateOf(now, owner.timeZone));
    const paths = [...new Set([owner.path, concerns.path, handling.path])];
    const row = {
      provinceId,
      id: orderId,
      number,
      kind,
      channel: input.channel,
      state: 'new' as const,
      priority: input.priority,
      customerId: customer?.id ?? null,
      subscriptionId: input.subscriptionId ?? null,
      customerTier: customer?.clubTier ?? null,
      contactPhone: phone,
      contactPhoneHash: phoneHash,
      categoryId: category.id,
      concernsUnitId: concerns.id,
      concernsUnitPath: concerns.path,
      title: input.title,
      description: input.description,
      attributes: input.attributes,
      escalatedFrom,
      regulatorRef: input.regulatorRef ?? null,
      deadline: input.deadline ? new Date(input.deadline) : null,
      ownerStaffId: ctx.actor.id,
      ownerName: ctx.actor.name,
      ownerUnitId: owner.id,
      ownerUnitPath: owner.path,
      handlingUnitId: handling.id,
      handlingUnitPath: handling.path,
      assigneeStaffId: null,
      assigneeName: null,
      paths,
      policyId: match.policyId,
      targets: {
        firstResponse: match.targets.firstResponse ? storedTarget(match.targets.firstResponse) : null,
        resolution: storedTarget(match.targets.resolution),
        answer: match.targets.answer ? storedTarget(match.targets.answer) : null,
      },
      escalation: [...match.policy.escalation],
      pauseStates: [...match.policy.pauseStates],
      calendarUnitId: owner.id,
      createdAt: now,
      parentId: input.parentId ?? null,
    };
    const [inserted] = await tx.insert(workOrders).values(row).returning();
    if (input.parentId)
      await tx
        .insert(workOrderLinks)
        .values({ orderId: input.parentId, otherId: orderId, kind: 'child', at: now });
    await syncClocks(tx, inserted!, now);
    await addStep(
      tx,
      ctx,
      orderId,
      'created',
      input.description,
      {
        kind,
        channel: input.channel,
        policyId: match.policyId,
        ...(escalatedFrom ? { escalatedFrom } : {}),
        ...(input.visitId ? { visitId: input.visitId } : {}),
        ...(input.ticketId ? { ticketId: input.ticketId } : {}),
      },
      owner.id,
    );
    await appendEvent(tx, ctx, {
      action: 'workorder.created',
      unit: { id: handling.id, path: handling.path, provinceId },
      subjectType: 'work_order',
      subjectId: orderId,
      after: {
        orderNumber: number,
        kind,
        channel: input.channel,
        policyId: match.policyId,
        concerns: concerns.id,
      },
    });
    return orderId;
  });
  return getWorkOrder(ctx, id);
}

/* ---------------------------------------------------------------------------------------------- */
/* Reading.                                                                                       */
/* ---------------------------------------------------------------------------------------------- */

const iso = (json: string) => new Date(json).toISOString();

/**
 * The actions the caller may take on the order now (the detail page's buttons). The commands decide; this
 * follows their checks so that no button leads to a refusal that could be foreseen.
 */
export function actionsFor(ctx: Ctx, row: WorkOrderRow): string[] {
  if (ctx.actor.kind !== 'staff' || !inReach(ctx.actor, 'workorder.read', row)) return [];
  const at = (a: keyof typeof workOrdersPolicy, paths = [row.handlingUnitPath, row.ownerUnitPath]) =>
    paths.some((p) => can(ctx.actor, workOrdersPolicy, a, p));
  const handle = at('workorder.handle');
  const supervise = at('workorder.supervise');
  const queue = handle && inHandlingUnit(ctx, row);
  const owner = handle && (isOwner(ctx, row) || at('workorder.supervise', [row.ownerUnitPath]));
  const s = row.state;
  const working = s === 'assigned' || s === 'dispatched';
  const atOnce = (s === 'new' || s === 'assigned') && row.handlingUnitId === row.ownerUnitId;
  const out: string[] = [];
  if (queue && !row.assigneeStaffId && (s === 'new' || s === 'dispatched')) out.push('claim');
  if (supervise && ['new', 'assigned', 'dispatched', 'waiting_customer', 'waiting_third_party'].includes(s))
    out.push('assign');
  if (supervise && s !== 'closed') out.push('transfer');
  if (queue && (s === 'new' || working)) out.push('dispatch');
  if (queue && working) out.push('answer', 'pause');
  if (queue && (s === 'waiting_customer' || s === 'waiting_third_party')) out.push('resume');
  if (owner && (s === 'answered' || atOnce)) out.push('reply');
  if (owner && s === 'replied') out.push('close');
  if (handle && (s === 'replied' || s === 'closed')) out.push('reopen');
  if (handle && s !== 'closed') out.push('note', 'attach', 'link');
  if (supervise && s !== 'closed') out.push('merge');
  return out;
}

async function orderParts(db: DbOrTx, id: string) {
  /** Times come as JSON text: `iso` them. */
  type Step = {
    id: string;
    at: string;
    step: string;
    actorName: string;
    unitId: string | null;
    text: string;
    details: Record<string, unknown>;
  };
  type Hop = {
    id: string;
    fromUnitId: string;
    toUnitId: string;
    sentBy: string;
    sentAt: string;
    dueAt: string;
    note: string;
    answeredAt: string | null;
    answer: string | null;
  };
  type File = { id: string; name: string; mime: string; size: number; addedBy: string; addedAt: string };
  type Link = {
    otherId: string;
    number: string;
    state: WorkOrderRow['state'];
    title: string;
    kind: 'related' | 'duplicate' | 'child';
    mine: boolean;
  };
  const [parts] = await rows<{ steps: Step[]; hops: Hop[]; files: File[]; links: Link[] }>(
    db,
    sql`select
      coalesce((select json_agg(json_build_object('id', s.id, 'at', s.at, 'step', s.step,
                 'actorName', s.actor_name, 'unitId', s.unit_id, 'text', s.text, 'details', s.details)
                 order by s.at, s.id) from work_order_steps s where s.order_id = ${id}), '[]') as steps,
      coalesce((select json_agg(json_build_object('id', h.id, 'fromUnitId', h.from_unit_id,
                 'toUnitId', h.to_unit_id, 'sentBy', h.sent_by, 'sentAt', h.sent_at, 'dueAt', h.due_at, 'note', h.note,
                 'answeredAt', h.answered_at, 'answer', h.answer)
                 order by h.sent_at) from work_order_hops h where h.order_id = ${id}), '[]') as hops,
      coalesce((select json_agg(json_build_object('id', f.id, 'name', f.name, 'mime', f.mime, 'size', f.size,
                 'addedBy', f.added_by, 'addedAt', f.added_at)
                 order by f.added_at) from work_order_attachments f where f.order_id = ${id}), '[]') as files,
      coalesce((select json_agg(json_build_object('otherId', o.id, 'number', o.number, 'state', o.state,
                 'title', o.title, 'kind', l.kind, 'mine', l.order_id = ${id}))
                 from work_order_links l
                 join work_orders o on o.id = case when l.order_id = ${id} then l.other_id else l.order_id end
                where l.order_id = ${id} or l.other_id = ${id}), '[]') as links`,
  );
  return parts!;
}

/** One order with its timeline, hops, attachments, links and the customer's other orders. */
export async function getWorkOrder(ctx: Ctx, id: string): Promise<WorkOrderDetail> {
  const db = ctx.db;
  const row = await readableOrder(ctx, db, id);
  const now = ctx.clock.now();
  const [view] = await orderViews(db, [row], now, policyWords);
  const { steps, hops, files, links } = await orderParts(db, id);
  const unitIds = [
    ...steps.flatMap((s) => (s.unitId ? [s.unitId] : [])),
    ...hops.flatMap((h) => [h.fromUnitId, h.toUnitId]),
  ];
  const names = await namesOf(db, unitIds);
  const earlier = row.customerId
    ? await db
        .select({
          id: workOrders.id,
          number: workOrders.number,
          kind: workOrders.kind,
          state: workOrders.state,
          title: workOrders.title,
          createdAt: workOrders.createdAt,
        })
        .from(workOrders)
        .where(
          and(
            eq(workOrders.customerId, row.customerId),
            sql`${workOrders.id} <> ${id}`,
            reachSql(reachOf(ctx.actor, workOrdersPolicy, 'workorder.read')),
          ),
        )
        .orderBy(desc(workOrders.createdAt))
        .limit(20)
    : [];
  return {
    ...view!,
    timeline: steps.map((s) => ({
      id: s.id,
      at: iso(s.at),
      step: s.step,
      label: STEP_WORDS[s.step] ?? { zh: s.step, en: s.step },
      actorName: s.actorName,
      unit: s.unitId ? { id: s.unitId, name: names.get(s.unitId) ?? '' } : null,
      text: s.text,
      details: s.details,
    })),
    hops: hops.map((h) => ({
      id: h.id,
      from: { id: h.fromUnitId, name: names.get(h.fromUnitId) ?? '' },
      to: { id: h.toUnitId, name: names.get(h.toUnitId) ?? '' },
      sentBy: h.sentBy,
      sentAt: iso(h.sentAt),
      dueAt: iso(h.dueAt),
      note: h.note,
      answeredAt: h.answeredAt === null ? null : iso(h.answeredAt),
      answer: h.answer,
      overdue: (h.answeredAt === null ? now : new Date(h.answeredAt)) > new Date(h.dueAt),
    })),
    attachments: files.map((f) => ({ ...f, addedAt: iso(f.addedAt) })),
    links: links.map((l) => ({
      other: { id: l.otherId, number: l.number, state: l.state, title: l.title },
      kind: l.kind === 'child' && !l.mine ? 'parent' : l.kind,
    })),
    earlier: earlier.map((e) => ({ ...e, createdAt: e.createdAt.toISOString() })),
    may: actionsFor(ctx, row),
  };
}
