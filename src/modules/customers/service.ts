/** Customers, their identity documents and their subscriptions; personal data masked unless revealed. */
import { and, asc, count, eq, ilike, inArray, like, or } from 'drizzle-orm';
import type { SQL } from 'drizzle-orm';
import { idDocumentProblem, docKindsFor, ID_DOC_KINDS } from '../../core/id-documents.ts';
import type { IdDocKind } from '../../core/id-documents.ts';
import { localDateOf } from '../../core/calendar.ts';
import { maskAddress, maskIdNumber, maskPhone } from '../../core/masking.ts';
import { HALL_KINDS } from '../../core/org.ts';
import { PHONE_PATTERN } from '../../core/phone.ts';
import { authorize, authorizeAny, can, provinceScope, reachOf } from '../../platform/auth/policy.ts';
import type { Ctx } from '../../platform/context.ts';
import type { DbOrTx, Tx } from '../../platform/db/index.ts';
import { escapeLike, schema } from '../../platform/db/index.ts';
import { appendEvent, command } from '../../platform/events.ts';
import { conflict, fieldProblem, forbidden, notFound, unprocessable } from '../../platform/http/problem.ts';
import { hit } from '../../platform/rate-limit.ts';
import type { RateLimit } from '../../platform/rate-limit.ts';
import { newId } from '../../platform/ids.ts';
import { xlsx } from '../../platform/xlsx.ts';
import { getUnitRef } from '../org/service.ts';
import type {
  CreateCustomer,
  Customer,
  CustomerDetail,
  CustomerQuery,
  NewSubscription,
  PhoneLookup,
  QueueLookup,
  Subscription,
  UpdateCustomer,
} from './contract.ts';
import { customersPolicy } from './policy.ts';

const CUSTOMER = { zh: '客户', en: 'Customer' };
type CustomerRow = typeof schema.customers.$inferSelect;
type SubscriptionRow = typeof schema.subscriptions.$inferSelect;

function toCustomer(row: CustomerRow, unitName: string): Customer {
  return {
    id: row.id,
    unitId: row.unitId,
    unitName,
    kind: row.kind,
    name: row.name,
    idDocKind: row.idDocKind as IdDocKind,
    idDocNumber: maskIdNumber(row.idDocNumber),
    contactPhone: maskPhone(row.contactPhone),
    address: maskAddress(row.address),
    clubTier: row.clubTier,
    is3g: row.is3g,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

function toSubscription(row: SubscriptionRow): Subscription {
  return {
    id: row.id,
    kind: row.kind,
    number: maskPhone(row.number),
    plan: row.plan,
    status: row.status,
    since: row.since,
  };
}

/** Mainland identity documents carry China's local date of birth. */
const ID_TIME_ZONE = 'Asia/Shanghai';

function checkDocument(
  customerKind: CreateCustomer['kind'],
  kind: IdDocKind,
  number: string,
  now: Date,
): void {
  if (!docKindsFor(customerKind).includes(kind)) {
    throw unprocessable(
      'id_doc_kind',
      `${ID_DOC_KINDS[kind].zh}不能用于此类客户`,
      `A ${ID_DOC_KINDS[kind].en} is not valid for this kind of customer`,
    );
  }
  const problem = idDocumentProblem(kind, number, localDateOf(now, ID_TIME_ZONE));
  if (problem) {
    throw unprocessable('id_doc_number', problem.zh, problem.en, [
      fieldProblem('body.idDocNumber', problem.zh, problem.en),
    ]);
  }
}

async function customerRow(db: DbOrTx, id: string) {
  const [row] = await db
    .select({ customer: schema.customers, unitName: schema.units.name })
    .from(schema.customers)
    .innerJoin(schema.units, eq(schema.units.id, schema.customers.unitId))
    .where(eq(schema.customers.id, id));
  if (!row) throw notFound(CUSTOMER);
  return row;
}

async function subscriptionsOf(db: DbOrTx, c: CustomerRow): Promise<SubscriptionRow[]> {
  return db
    .select()
    .from(schema.subscriptions)
    .where(and(eq(schema.subscriptions.provinceId, c.provinceId), eq(schema.subscriptions.customerId, c.id)))
    .orderBy(asc(schema.subscriptions.since));
}

/** Searches by a full phone or ID number of one position holder, per hour: each one is a reveal. */
export const NUMBER_SEARCH_LIMIT: RateLimit = {
  name: 'customer.number_search',
  max: 60,
  windowSeconds: 3600,
};

/** A search text that is a whole phone, service or ID number (not a part of one, no wildcard). */
export function isFullNumber(q: string): boolean {
  return PHONE_PATTERN.test(q) || /^[0-9]{17}[0-9X]$|^[0-9]{15}$/.test(q) || /^[A-Z][0-9A-Z]{7,17}$/.test(q);
}

/**
 * A search text as it may be written to the audit trail: every run of letters and digits holding 5 digits
 * or more (a phone, an ID number, or a part of one) is masked; names and short numbers stay.
 */
export function maskSearchText(q: string): string {
  return q.replace(/[0-9A-Za-z*-]+/g, (run) =>
    run.replace(/\D/g, '').length >= 5 ? maskIdNumber(run) : run,
  );
}

/**
 * Customers in the caller's reach (its subtree, or a centre's province or city): by name (a substring), or,
 * for a position that may reveal, by a whole phone, service or ID number: exact match only, counted as a
 * reveal (an event) and rate-limited, so nobody finds a full number by searching parts of it. For anyone
 * else, and for a part of a number, digits match names only. Results are masked.
 */
export async function listCustomers(
  ctx: Ctx,
  query: CustomerQuery,
): Promise<{ items: Customer[]; total: number }> {
  let scope = reachOf(ctx.actor, customersPolicy, 'customer.read');
  if (query.unitId) {
    const unit = await getUnitRef(ctx.db, query.unitId);
    authorize(ctx.actor, customersPolicy, 'customer.read', unit.path);
    scope = unit.path;
  } else {
    authorizeAny(ctx.actor, customersPolicy, 'customer.read');
  }
  const filters: SQL[] = [like(schema.customers.unitPath, `${scope}%`)];
  if (query.tier) filters.push(eq(schema.customers.clubTier, query.tier));
  if (query.kind) filters.push(eq(schema.customers.kind, query.kind));
  const q = query.q;
  const byNumber =
    q !== undefined &&
    isFullNumber(q.toUpperCase()) &&
    can(ctx.actor, customersPolicy, 'customer.reveal', scope);
  if (q && byNumber) {
    await hit(ctx.db, NUMBER_SEARCH_LIMIT, ctx.actor.id ?? ctx.actor.unitId, ctx.clock.now());
    const number = q.toUpperCase();
    const bySubscription = ctx.db
      .select({ id: schema.subscriptions.customerId })
      .from(schema.subscriptions)
      .where(eq(schema.subscriptions.number, number));
    filters.push(
      or(
        eq(schema.customers.contactPhone, number),
        eq(schema.customers.idDocNumber, number),
        inArray(schema.customers.id, bySubscription),
      )!,
    );
  } else if (q) {
    filters.push(ilike(schema.customers.name, `%${escapeLike(q)}%`));
  }
  const where = and(...filters);
  const rows = await ctx.db
    .select({ customer: schema.customers, unitName: schema.units.name })
    .from(schema.customers)
    .innerJoin(schema.units, eq(schema.units.id, schema.customers.unitId))
    .where(where)
    .orderBy(asc(schema.customers.name), asc(schema.customers.id))
    .limit(query.limit)
    .offset(query.offset);
  const [total] = await ctx.db.select({ n: count() }).from(schema.customers).where(where);
  if (q && byNumber) {
    await command(ctx, (tx) =>
      appendEvent(tx, ctx, {
        action: 'customer.number_searched',
        unit: { id: ctx.actor.unitId, path: ctx.actor.unitPath, provinceId: ctx.actor.provinceId },
        subjectType: 'customer_search',
        subjectId: ctx.requestId,
        after: { q: maskSearchText(q), found: total?.n ?? 0, customerIds: rows.map((r) => r.customer.id) },
      }),
    );
  }
  return { items: rows.map((r) => toCustomer(r.customer, r.unitName)), total: total?.n ?? 0 };
}

const TIERS = {
  diamond: '钻石卡 Diamond',
  gold: '金卡 Gold',
  silver: '银卡 Silver',
  ordinary: '普通 Ordinary',
};
const KINDS = { individual: '个人 Individual', family: '家庭 Family', group: '集团 Group' };
const EXPORT_LIMIT = 20_000;

/** The customers of a search as an Excel file, masked like the list; the export itself is an event. */
export async function exportCustomers(
  ctx: Ctx,
  query: Omit<CustomerQuery, 'limit' | 'offset'>,
): Promise<Buffer> {
  const { items, total } = await listCustomers(ctx, { ...query, limit: EXPORT_LIMIT, offset: 0 });
  if (total > EXPORT_LIMIT) {
    throw unprocessable(
      'export_too_large',
      `导出超过 ${EXPORT_LIMIT} 条，请缩小范围`,
      `More than ${EXPORT_LIMIT} rows: narrow the search`,
    );
  }
  const file = await xlsx<Customer>(
    '客户 Customers',
    [
      { header: '客户名称 Name', width: 24, value: (c) => c.name },
      { header: '类型 Kind', value: (c) => KINDS[c.kind] },
      { header: '证件类型 Document', width: 20, value: (c) => ID_DOC_KINDS[c.idDocKind].zh },
      { header: '证件号码 Number', width: 22, value: (c) => c.idDocNumber },
      { header: '联系电话 Phone', value: (c) => c.contactPhone },
      { header: '地址 Address', width: 24, value: (c) => c.address },
      { header: '俱乐部等级 Tier', value: (c) => TIERS[c.clubTier] },
      { header: '3G', value: (c) => (c.is3g ? '是 Yes' : '否 No') },
      { header: '服务单位 Unit', width: 22, value: (c) => c.unitName },
    ],
    items,
  );
  await command(ctx, (tx) =>
    appendEvent(tx, ctx, {
      action: 'customer.exported',
      unit: { id: ctx.actor.unitId, path: ctx.actor.unitPath, provinceId: ctx.actor.provinceId },
      subjectType: 'customer_export',
      subjectId: ctx.requestId,
      after: {
        rows: items.length,
        query: { ...query, q: query.q === undefined ? undefined : maskSearchText(query.q) },
      },
    }),
  );
  return file;
}

/** One customer with subscriptions, masked. */
export async function getCustomer(ctx: Ctx, id: string): Promise<CustomerDetail> {
  const row = await customerRow(ctx.db, id);
  authorize(ctx.actor, customersPolicy, 'customer.read', row.customer.unitPath);
  const subs = await subscriptionsOf(ctx.db, row.customer);
  return { ...toCustomer(row.customer, row.unitName), subscriptions: subs.map(toSubscription) };
}

/** The full ID number, phone and address, for a position that needs them; the view itself is an event. */
export async function revealCustomer(ctx: Ctx, id: string) {
  return command(ctx, async (tx) => {
    const row = await customerRow(tx, id);
    authorize(ctx.actor, customersPolicy, 'customer.reveal', row.customer.unitPath);
    await appendEvent(tx, ctx, {
      action: 'customer.pii_viewed',
      unit: { id: row.customer.unitId, path: row.customer.unitPath, provinceId: row.customer.provinceId },
      subjectType: 'customer',
      subjectId: id,
      after: { fields: ['idDocNumber', 'contactPhone', 'address'] },
    });
    const c = row.customer;
    return { idDocNumber: c.idDocNumber, contactPhone: c.contactPhone, address: c.address };
  });
}

async function insertSubscriptions(tx: Tx, ctx: Ctx, c: CustomerRow, subs: NewSubscription[], tz: string) {
  if (subs.length === 0) return [];
  const active = subs.filter((s) => s.status === 'active').map((s) => s.number);
  if (active.length > 0) {
    // A number in service belongs to one customer: a second one would make the phone lookup ambiguous.
    const [taken] = await tx
      .select({ number: schema.subscriptions.number })
      .from(schema.subscriptions)
      .where(and(inArray(schema.subscriptions.number, active), eq(schema.subscriptions.status, 'active')))
      .limit(1);
    if (taken) {
      throw conflict(
        'number_in_use',
        `号码 ${maskPhone(taken.number)} 已在使用中`,
        `Number ${maskPhone(taken.number)} is already in service`,
      );
    }
  }
  const today = localDateOf(ctx.clock.now(), tz);
  return tx
    .insert(schema.subscriptions)
    .values(
      subs.map((s) => ({
        provinceId: c.provinceId,
        id: newId(),
        customerId: c.id,
        kind: s.kind,
        number: s.number,
        plan: s.plan,
        status: s.status,
        since: s.since ?? today,
      })),
    )
    .returning();
}

/** Registers a customer after checking the identity document against the customer's kind (2§2.2.1). */
export async function createCustomer(ctx: Ctx, input: CreateCustomer): Promise<CustomerDetail> {
  checkDocument(input.kind, input.idDocKind, input.idDocNumber, ctx.clock.now());
  return command(ctx, (tx) => createCustomerIn(tx, ctx, input));
}

/** `createCustomer` inside a caller's transaction (a new customer registered with a visit's new account). */
export async function createCustomerIn(tx: Tx, ctx: Ctx, input: CreateCustomer): Promise<CustomerDetail> {
  checkDocument(input.kind, input.idDocKind, input.idDocNumber, ctx.clock.now());
  const unit = await getUnitRef(tx, input.unitId);
  authorize(ctx.actor, customersPolicy, 'customer.write', unit.path);
  const now = ctx.clock.now();
  const { subscriptions, ...fields } = input;
  const [row] = await tx
    .insert(schema.customers)
    .values({
      ...fields,
      provinceId: unit.provinceId,
      id: newId(),
      unitPath: unit.path,
      createdAt: now,
      updatedAt: now,
    })
    .returning();
  const subs = await insertSubscriptions(tx, ctx, row!, subscriptions, unit.timeZone);
  const detail = { ...toCustomer(row!, unit.name), subscriptions: subs.map(toSubscription) };
  await appendEvent(tx, ctx, {
    action: 'customer.created',
    unit,
    subjectType: 'customer',
    subjectId: row!.id,
    after: detail,
  });
  return detail;
}

/** Changes a customer's data; a new document is checked again. */
export async function updateCustomer(ctx: Ctx, id: string, patch: UpdateCustomer): Promise<Customer> {
  return command(ctx, async (tx) => {
    const current = await customerRow(tx, id);
    const c = current.customer;
    authorize(ctx.actor, customersPolicy, 'customer.write', c.unitPath);
    if (patch.idDocKind || patch.idDocNumber) {
      checkDocument(
        c.kind,
        patch.idDocKind ?? (c.idDocKind as IdDocKind),
        patch.idDocNumber ?? c.idDocNumber,
        ctx.clock.now(),
      );
    }
    const [row] = await tx
      .update(schema.customers)
      .set({ ...patch, updatedAt: ctx.clock.now() })
      .where(and(eq(schema.customers.provinceId, c.provinceId), eq(schema.customers.id, id)))
      .returning();
    const before = toCustomer(c, current.unitName);
    const after = toCustomer(row!, current.unitName);
    await appendEvent(tx, ctx, {
      action: 'customer.updated',
      unit: { id: c.unitId, path: c.unitPath, provinceId: c.provinceId },
      subjectType: 'customer',
      subjectId: id,
      before,
      after,
    });
    return after;
  });
}

/** Adds a subscription (a number or service) to a customer. */
export async function addSubscription(
  ctx: Ctx,
  customerId: string,
  input: NewSubscription,
): Promise<Subscription> {
  return command(ctx, async (tx) => {
    const current = await customerRow(tx, customerId);
    const c = current.customer;
    authorize(ctx.actor, customersPolicy, 'customer.write', c.unitPath);
    const unit = await getUnitRef(tx, c.unitId);
    const [sub] = await insertSubscriptions(tx, ctx, c, [input], unit.timeZone);
    const out = toSubscription(sub!);
    await appendEvent(tx, ctx, {
      action: 'subscription.added',
      unit,
      subjectType: 'customer',
      subjectId: customerId,
      after: out,
    });
    return out;
  });
}

/** Changes a subscription's plan or status. */
export async function updateSubscription(
  ctx: Ctx,
  customerId: string,
  subscriptionId: string,
  patch: { plan?: string | undefined; status?: Subscription['status'] | undefined },
): Promise<Subscription> {
  return command(ctx, async (tx) => {
    const current = await customerRow(tx, customerId);
    const c = current.customer;
    authorize(ctx.actor, customersPolicy, 'customer.write', c.unitPath);
    const where = and(
      eq(schema.subscriptions.provinceId, c.provinceId),
      eq(schema.subscriptions.id, subscriptionId),
      eq(schema.subscriptions.customerId, customerId),
    );
    const [old] = await tx.select().from(schema.subscriptions).where(where);
    if (!old) throw notFound({ zh: '业务号码', en: 'Subscription' });
    const [row] = await tx.update(schema.subscriptions).set(patch).where(where).returning();
    const after = toSubscription(row!);
    await appendEvent(tx, ctx, {
      action: 'subscription.updated',
      unit: { id: c.unitId, path: c.unitPath, provinceId: c.provinceId },
      subjectType: 'customer',
      subjectId: customerId,
      before: toSubscription(old),
      after,
    });
    return after;
  });
}

/** The customer behind an active phone or service number (or a contact phone) in a province subtree. */
async function customerByPhone(db: DbOrTx, provincePath: string, phone: string): Promise<PhoneLookup> {
  const bySubscription = db
    .select({ id: schema.subscriptions.customerId })
    .from(schema.subscriptions)
    .where(and(eq(schema.subscriptions.number, phone), eq(schema.subscriptions.status, 'active')));
  const [row] = await db
    .select()
    .from(schema.customers)
    .where(
      and(
        like(schema.customers.unitPath, `${provincePath}%`),
        or(inArray(schema.customers.id, bySubscription), eq(schema.customers.contactPhone, phone)),
      ),
    )
    .limit(1);
  if (!row)
    return { found: false, customerId: null, kind: null, clubTier: null, is3g: false, displayName: '' };
  const name = [...row.name];
  return {
    found: true,
    customerId: row.id,
    kind: row.kind,
    clubTier: row.clubTier,
    is3g: row.is3g,
    displayName: name.length > 0 ? `${name[0]}${'*'.repeat(Math.max(name.length - 1, 1))}` : '',
  };
}

/**
 * The customer behind a whole phone or service number in a province subtree, with their subscriptions
 * (masked), for taking a work order in: the number itself is checked, rate-limited and evented by the caller.
 */
export async function customerOfNumber(
  db: DbOrTx,
  provincePath: string,
  phone: string,
): Promise<{ customer: Customer; subscriptions: Subscription[] } | null> {
  const found = await customerByPhone(db, provincePath, phone);
  if (!found.customerId) return null;
  const [row] = await db
    .select({ customer: schema.customers, unitName: schema.units.name })
    .from(schema.customers)
    .innerJoin(schema.units, eq(schema.units.id, schema.customers.unitId))
    .where(eq(schema.customers.id, found.customerId));
  if (!row) return null;
  const subscriptions = await subscriptionsOf(db, row.customer);
  return {
    customer: toCustomer(row.customer, row.unitName),
    subscriptions: subscriptions.map(toSubscription),
  };
}

/**
 * For the queue's own commands: the customer behind a phone or service number anywhere in the caller's
 * province (a customer may visit any hall of it), with its id and a masked name for the ticket.
 */
export async function lookupPhone(ctx: Ctx, phone: string): Promise<PhoneLookup> {
  authorizeAny(ctx.actor, customersPolicy, 'customer.lookup');
  return customerByPhone(ctx.db, provinceScope(ctx.actor.unitPath), phone);
}

/**
 * The phone lookup of the HTTP API: only what queue priority needs (whether the number is a customer's,
 * its tier and 3G flag; no name, no id), only to reception and counter positions and to a kiosk device of
 * a hall, and only within the caller's province.
 */
export async function queueLookup(ctx: Ctx, phone: string): Promise<QueueLookup> {
  authorizeAny(ctx.actor, customersPolicy, 'customer.lookup');
  if (ctx.actor.kind === 'device') {
    const unit = await getUnitRef(ctx.db, ctx.actor.unitId);
    if (!HALL_KINDS.includes(unit.kind)) {
      throw forbidden(
        'not_hall_device',
        '只有营业厅的取号机可以查询号码',
        'Only a kiosk of a hall may look up a phone number',
      );
    }
  }
  const found = await customerByPhone(ctx.db, provinceScope(ctx.actor.unitPath), phone);
  return { found: found.found, clubTier: found.clubTier, is3g: found.is3g };
}
