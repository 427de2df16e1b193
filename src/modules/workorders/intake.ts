/**
 * What taking an order in needs besides the order itself (issue #14): who is calling, found by their whole
 * number (the call-centre agents and complaint receptionists who take orders may not search customers by
 * number in general), and where the new work may be sent.
 */
import { and, asc, desc, eq, inArray, or, sql } from 'drizzle-orm';
import type { UnitKind } from '../../core/org.ts';
import { HALL_KINDS } from '../../core/org.ts';
import {
  authorizeAny,
  can,
  CENTRE_KINDS,
  inSubtree,
  provinceScope,
  reachOf,
} from '../../platform/auth/policy.ts';
import type { Ctx } from '../../platform/context.ts';
import type { DbOrTx } from '../../platform/db/index.ts';
import { schema } from '../../platform/db/index.ts';
import { appendEvent, command } from '../../platform/events.ts';
import { fieldProblem, unprocessable } from '../../platform/http/problem.ts';
import { hit } from '../../platform/rate-limit.ts';
import { customerOfNumber, maskSearchText, NUMBER_SEARCH_LIMIT } from '../customers/service.ts';
import { phoneHashOf } from '../echannel/service.ts';
import { getUnitRef } from '../org/service.ts';
import type { IntakeCaller } from './contract.ts';
import { workOrdersPolicy } from './policy.ts';
import { workOrders } from './schema.ts';
import { reachSql } from './shared.ts';

/** Units that take new work in their group queue: the centres, remote seats, departments and halls. */
export const WORK_UNIT_KINDS: readonly UnitKind[] = [
  'centre_province',
  'centre_city',
  'remote_seats',
  'department',
  ...HALL_KINDS,
];

/**
 * The caller behind a whole number, for whoever takes orders in: the customer of the caller's province
 * (masked) with their subscriptions, and the orders of that customer or number the caller may read. Each
 * lookup counts against the same hourly limit as a search by number and is an event (the number masked).
 */
export async function lookupCaller(ctx: Ctx, phone: string): Promise<IntakeCaller> {
  authorizeAny(ctx.actor, workOrdersPolicy, 'workorder.create');
  await hit(ctx.db, NUMBER_SEARCH_LIMIT, ctx.actor.id ?? ctx.actor.unitId, ctx.clock.now());
  const found = await customerOfNumber(ctx.db, provinceScope(ctx.actor.unitPath), phone);
  const who = found
    ? or(eq(workOrders.customerId, found.customer.id), eq(workOrders.contactPhoneHash, phoneHashOf(phone)))
    : eq(workOrders.contactPhoneHash, phoneHashOf(phone));
  const earlier = await ctx.db
    .select({
      id: workOrders.id,
      number: workOrders.number,
      kind: workOrders.kind,
      state: workOrders.state,
      title: workOrders.title,
      createdAt: workOrders.createdAt,
    })
    .from(workOrders)
    .where(and(who, reachSql(reachOf(ctx.actor, workOrdersPolicy, 'workorder.read'))))
    .orderBy(desc(workOrders.createdAt))
    .limit(20);
  await command(ctx, (tx) =>
    appendEvent(tx, ctx, {
      action: 'customer.number_searched',
      unit: { id: ctx.actor.unitId, path: ctx.actor.unitPath, provinceId: ctx.actor.provinceId },
      subjectType: 'customer_search',
      subjectId: ctx.requestId,
      after: {
        q: maskSearchText(phone),
        found: found ? 1 : 0,
        customerIds: found ? [found.customer.id] : [],
        for: 'work_order',
      },
    }),
  );
  return {
    customer: found
      ? {
          id: found.customer.id,
          name: found.customer.name,
          tier: found.customer.clubTier,
          phone: found.customer.contactPhone,
          subscriptions: found.subscriptions.map((s) => ({
            id: s.id,
            number: s.number,
            kind: s.kind,
            status: s.status,
          })),
        }
      : null,
    earlier: earlier.map((e) => ({ ...e, createdAt: e.createdAt.toISOString() })),
  };
}

/** Whether the caller may send new work to `unit`: in their reach for taking orders, or a centre serving them. */
function mayHandleAt(ctx: Ctx, unit: { path: string; kind: UnitKind }): boolean {
  if (can(ctx.actor, workOrdersPolicy, 'workorder.create', unit.path)) return true;
  const served = `/${unit.path.split('/').filter(Boolean).slice(0, -1).join('/')}/`;
  return CENTRE_KINDS.includes(unit.kind) && inSubtree(served, ctx.actor.unitPath);
}

/**
 * The group queue a new order goes to: the one named if the caller may send work there (a hall's clerk sends
 * a complaint to the province centre), else the caller's own unit.
 */
export async function handlingUnitFor(ctx: Ctx, db: DbOrTx, id: string | undefined) {
  const unit = await getUnitRef(db, id ?? ctx.actor.unitId);
  if (mayHandleAt(ctx, unit)) return unit;
  throw unprocessable(
    'handling_unit_out_of_reach',
    '不能把工单送到该单位',
    'The order cannot be sent to that unit',
    [fieldProblem('body.handlingUnitId', '不在您可派送的范围内', 'Outside where you may send work')],
  );
}

/** Where the caller may send a new order: their own unit first, then the working units and centres by path. */
export async function handlingUnits(ctx: Ctx) {
  authorizeAny(ctx.actor, workOrdersPolicy, 'workorder.create');
  const units = await ctx.db
    .select({
      id: schema.units.id,
      name: schema.units.name,
      kind: schema.units.kind,
      path: schema.units.path,
    })
    .from(schema.units)
    .where(
      and(
        sql`starts_with(${schema.units.path}, ${provinceScope(ctx.actor.unitPath)})`,
        eq(schema.units.active, true),
        or(inArray(schema.units.kind, [...WORK_UNIT_KINDS]), eq(schema.units.id, ctx.actor.unitId)),
      ),
    )
    .orderBy(asc(schema.units.path));
  return units
    .filter((u) => mayHandleAt(ctx, { path: u.path, kind: u.kind as UnitKind }))
    .sort((a, b) => Number(b.id === ctx.actor.unitId) - Number(a.id === ctx.actor.unitId))
    .map(({ id, name, kind }) => ({ id, name, kind: kind as UnitKind }));
}
