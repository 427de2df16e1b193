/**
 * Repair intake at a hall (2§2.1.7, checklist item 15): the device checked (brand, model, IMEI by its Luhn
 * check digit, fault, the intake checklist), a spare phone optionally lent, then the steps received → sent →
 * returned → collected (`repairStep` in core). Collecting needs the spare back. Each command is one
 * transaction with its event; every query is scoped to the caller's subtree.
 */
import { and, asc, count, desc, eq, inArray, like, ne } from 'drizzle-orm';
import type { SQL } from 'drizzle-orm';
import { luhnValid } from '../../core/business-catalogue.ts';
import { HALL_KINDS } from '../../core/org.ts';
import type { RepairTarget } from '../../core/repairs.ts';
import { repairStep, spareReturn } from '../../core/repairs.ts';
import { authorize, authorizeAny, inSubtree, reachOf } from '../../platform/auth/policy.ts';
import type { Ctx } from '../../platform/context.ts';
import type { DbOrTx } from '../../platform/db/index.ts';
import { escapeLike, schema } from '../../platform/db/index.ts';
import { appendEvent, command } from '../../platform/events.ts';
import { conflict, fieldProblem, notFound, unprocessable } from '../../platform/http/problem.ts';
import { newId } from '../../platform/ids.ts';
import { getUnitRef } from '../org/service.ts';
import { repairs } from '../visits/schema.ts';
import type { NewRepair, Repair } from './contract.ts';
import type { RepairQuery } from './contract.ts';
import type { z } from 'zod';
import { repairsPolicy } from './policy.ts';

const REPAIR = { zh: '维修单', en: 'Repair order' };
type Row = typeof repairs.$inferSelect;

const iso = (d: Date | null) => (d ? d.toISOString() : null);

function toRepair(r: Row, hallName: string): Repair {
  return {
    id: r.id,
    hallId: r.unitId,
    hallName,
    customerId: r.customerId,
    visitId: r.visitId,
    brand: r.brand,
    model: r.model,
    imei: r.imei,
    fault: r.fault,
    intakeCheck: r.intakeCheck,
    status: r.status,
    spareImei: r.spareImei,
    spareLentAt: iso(r.spareLentAt),
    spareReturnedAt: iso(r.spareReturnedAt),
    receivedAt: r.receivedAt.toISOString(),
    sentAt: iso(r.sentAt),
    returnedAt: iso(r.returnedAt),
    collectedAt: iso(r.collectedAt),
  };
}

async function hallNames(db: DbOrTx, ids: string[]): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map();
  const rows = await db
    .select({ id: schema.units.id, name: schema.units.name })
    .from(schema.units)
    .where(inArray(schema.units.id, [...new Set(ids)]));
  return new Map(rows.map((r) => [r.id, r.name]));
}

async function views(db: DbOrTx, rows: Row[]): Promise<Repair[]> {
  const names = await hallNames(
    db,
    rows.map((r) => r.unitId),
  );
  return rows.map((r) => toRepair(r, names.get(r.unitId) ?? ''));
}

/** A customer's repairs not yet collected, in the caller's scope (for the visit's customer view). */
export async function openRepairsOf(db: DbOrTx, customerId: string, scopePath: string): Promise<Repair[]> {
  const rows = await db
    .select()
    .from(repairs)
    .where(
      and(
        eq(repairs.customerId, customerId),
        like(repairs.unitPath, `${escapeLike(scopePath)}%`),
        ne(repairs.status, 'collected'),
      ),
    )
    .orderBy(asc(repairs.receivedAt));
  return views(db, rows);
}

async function hallOf(db: DbOrTx, hallId: string) {
  const hall = await getUnitRef(db, hallId);
  if (!HALL_KINDS.includes(hall.kind))
    throw unprocessable('not_a_hall', '维修只在营业厅受理', 'Repairs are taken in at a hall', [
      fieldProblem('body.hallId', '不是营业厅', 'Not a hall'),
    ]);
  return hall;
}

/** Takes a device in for repair at a hall, with its check and optionally a spare phone lent. */
export async function receiveRepair(ctx: Ctx, input: NewRepair): Promise<Repair> {
  return command(ctx, async (tx) => {
    const hall = await hallOf(tx, input.hallId);
    authorize(ctx.actor, repairsPolicy, 'repair.write', hall.path);
    const problems = [];
    if (!luhnValid(input.imei))
      problems.push(fieldProblem('body.imei', 'IMEI校验位错误', 'The IMEI check digit is wrong'));
    if (input.spareImei !== undefined && !luhnValid(input.spareImei))
      problems.push(
        fieldProblem('body.spareImei', '备用机IMEI校验位错误', 'The spare phone IMEI check digit is wrong'),
      );
    if (input.spareImei !== undefined && input.spareImei === input.imei)
      problems.push(
        fieldProblem('body.spareImei', '备用机不能是送修机', 'The spare cannot be the phone repaired'),
      );
    if (problems.length > 0)
      throw unprocessable('device_check', '设备信息有误', 'The device details are wrong', problems);
    const [customer] = await tx
      .select({ id: schema.customers.id })
      .from(schema.customers)
      .where(
        and(eq(schema.customers.id, input.customerId), eq(schema.customers.provinceId, hall.provinceId)),
      );
    if (!customer) throw notFound({ zh: '客户', en: 'Customer' });
    const open = await tx
      .select({ id: repairs.id })
      .from(repairs)
      .where(and(eq(repairs.imei, input.imei), ne(repairs.status, 'collected')));
    if (open.length > 0)
      throw conflict('repair_open', '该设备已有未完结的维修单', 'This device already has an open repair');
    const now = ctx.clock.now();
    const [row] = await tx
      .insert(repairs)
      .values({
        provinceId: hall.provinceId,
        id: newId(),
        unitId: hall.id,
        unitPath: hall.path,
        customerId: input.customerId,
        visitId: input.visitId ?? null,
        brand: input.brand,
        model: input.model,
        imei: input.imei,
        fault: input.fault,
        intakeCheck: input.intakeCheck,
        status: 'received',
        spareImei: input.spareImei ?? null,
        spareLentAt: input.spareImei ? now : null,
        receivedAt: now,
        receivedBy: ctx.actor.id,
      })
      .returning();
    if (!row) throw new Error('insert returned no row');
    await appendEvent(tx, ctx, {
      action: 'repair.received',
      unit: hall,
      subjectType: 'repair',
      subjectId: row.id,
      after: {
        customerId: row.customerId,
        visitId: row.visitId,
        brand: row.brand,
        model: row.model,
        imei: row.imei,
        spareLent: row.spareImei !== null,
      },
    });
    return toRepair(row, hall.name);
  });
}

async function lockRepair(ctx: Ctx, tx: DbOrTx, id: string, action: 'repair.write'): Promise<Row> {
  const [row] = await tx
    .select()
    .from(repairs)
    .where(
      and(
        eq(repairs.id, id),
        like(repairs.unitPath, `${escapeLike(reachOf(ctx.actor, repairsPolicy, action))}%`),
      ),
    )
    .for('update');
  if (!row) throw notFound(REPAIR);
  authorize(ctx.actor, repairsPolicy, action, row.unitPath);
  return row;
}

const STEP_COLUMN = { sent: 'sentAt', returned: 'returnedAt', collected: 'collectedAt' } as const;

/** Moves a repair one step on (409 for any other step, or collecting while the spare phone is out). */
export async function stepRepair(ctx: Ctx, id: string, to: RepairTarget, note: string): Promise<Repair> {
  authorizeAny(ctx.actor, repairsPolicy, 'repair.write');
  return command(ctx, async (tx) => {
    const row = await lockRepair(ctx, tx, id, 'repair.write');
    const verdict = repairStep(row.status, to, {
      lent: row.spareLentAt !== null,
      returned: row.spareReturnedAt !== null,
    });
    if (!verdict.ok) throw conflict(verdict.code, verdict.zh, verdict.en);
    const now = ctx.clock.now();
    const [updated] = await tx
      .update(repairs)
      .set({ status: to, [STEP_COLUMN[to]]: now })
      .where(and(eq(repairs.provinceId, row.provinceId), eq(repairs.id, id)))
      .returning();
    if (!updated) throw new Error('update returned no row');
    const hall = await getUnitRef(tx, row.unitId);
    await appendEvent(tx, ctx, {
      action: 'repair.stepped',
      unit: hall,
      subjectType: 'repair',
      subjectId: id,
      before: { status: row.status },
      after: { status: to, note },
    });
    return toRepair(updated, hall.name);
  });
}

/** The spare phone lent with a repair comes back (before or at collection; once). */
export async function spareReturned(ctx: Ctx, id: string): Promise<Repair> {
  authorizeAny(ctx.actor, repairsPolicy, 'repair.write');
  return command(ctx, async (tx) => {
    const row = await lockRepair(ctx, tx, id, 'repair.write');
    const verdict = spareReturn(row.status, {
      lent: row.spareLentAt !== null,
      returned: row.spareReturnedAt !== null,
    });
    if (!verdict.ok) throw conflict(verdict.code, verdict.zh, verdict.en);
    const [updated] = await tx
      .update(repairs)
      .set({ spareReturnedAt: ctx.clock.now() })
      .where(and(eq(repairs.provinceId, row.provinceId), eq(repairs.id, id)))
      .returning();
    if (!updated) throw new Error('update returned no row');
    const hall = await getUnitRef(tx, row.unitId);
    await appendEvent(tx, ctx, {
      action: 'repair.spare_returned',
      unit: hall,
      subjectType: 'repair',
      subjectId: id,
      before: { spareReturnedAt: null },
      after: { spareReturnedAt: iso(updated.spareReturnedAt) },
    });
    return toRepair(updated, hall.name);
  });
}

/** Repairs in the caller's subtree (a hall's, a customer's, by status), newest first. */
export async function listRepairs(
  ctx: Ctx,
  query: z.infer<typeof RepairQuery>,
): Promise<{ items: Repair[]; total: number }> {
  let scope: string;
  if (query.hallId) {
    const hall = await getUnitRef(ctx.db, query.hallId);
    authorize(ctx.actor, repairsPolicy, 'repair.read', hall.path);
    scope = hall.path;
  } else {
    authorizeAny(ctx.actor, repairsPolicy, 'repair.read');
    scope = reachOf(ctx.actor, repairsPolicy, 'repair.read');
  }
  const filters: SQL[] = [like(repairs.unitPath, `${escapeLike(scope)}%`)];
  if (query.customerId) filters.push(eq(repairs.customerId, query.customerId));
  if (query.status) filters.push(eq(repairs.status, query.status));
  const where = and(...filters);
  const [rows, [total]] = await Promise.all([
    ctx.db
      .select()
      .from(repairs)
      .where(where)
      .orderBy(desc(repairs.receivedAt), desc(repairs.id))
      .limit(query.limit)
      .offset(query.offset),
    ctx.db.select({ n: count() }).from(repairs).where(where),
  ]);
  return { items: await views(ctx.db, rows), total: total?.n ?? 0 };
}

export async function getRepair(ctx: Ctx, id: string): Promise<Repair> {
  authorizeAny(ctx.actor, repairsPolicy, 'repair.read');
  const [row] = await ctx.db.select().from(repairs).where(eq(repairs.id, id));
  if (!row || !inSubtree(reachOf(ctx.actor, repairsPolicy, 'repair.read'), row.unitPath))
    throw notFound(REPAIR);
  const [view] = await views(ctx.db, [row]);
  return view!;
}
