/** The organisation: headquarters → provinces → cities → service units, each with hours and exceptions. */
import { seedCategories } from '../workorders/categories.ts';
import { and, asc, eq, like } from 'drizzle-orm';
import { dailyOpenMinutes, localDateOf } from '../../core/calendar.ts';
import type { OpeningHours } from '../../core/calendar.ts';
import type { UnitKind } from '../../core/org.ts';
import { HALL_KINDS, UNIT_KINDS, allowedUnder, provinceOf } from '../../core/org.ts';
import { authorize, authorizeAny } from '../../platform/auth/policy.ts';
import type { Ctx } from '../../platform/context.ts';
import { systemContext } from '../../platform/context.ts';
import type { Clock } from '../../platform/clock.ts';
import type { Db, DbOrTx } from '../../platform/db/index.ts';
import { schema } from '../../platform/db/index.ts';
import type { UnitRef } from '../../platform/events.ts';
import { cacheSpec, cached } from '../../platform/cache.ts';
import { appendEvent, command } from '../../platform/events.ts';
import { conflict, notFound, unprocessable } from '../../platform/http/problem.ts';
import { newId } from '../../platform/ids.ts';
import { scheduleOf } from '../calendar/service.ts';
import { numberSetting } from '../settings/service.ts';
import type { CreateUnit, DayException, Unit, UnitDetail, UpdateUnit } from './contract.ts';
import { orgPolicy } from './policy.ts';

type UnitRow = typeof schema.units.$inferSelect;

const UNIT = { zh: '单位', en: 'Unit' };

/** Default hours: every day 08:30–18:30, holidays included (≥ 10 hours a day, 2§3.2.1). */
export function defaultOpeningHours(kind: UnitKind): OpeningHours {
  const day = [{ open: '08:30', close: '18:30' }];
  if (HALL_KINDS.includes(kind)) return { weekly: Array.from({ length: 7 }, () => day), holiday: day };
  const office = [{ open: '09:00', close: '17:30' }];
  return { weekly: [office, office, office, office, office, [], []], holiday: [] };
}

function toUnit(row: UnitRow): Unit {
  return {
    id: row.id,
    parentId: row.parentId,
    provinceId: row.provinceId,
    path: row.path,
    kind: row.kind as UnitKind,
    code: row.code,
    name: row.name,
    nameEn: row.nameEn,
    address: row.address,
    timeZone: row.timeZone,
    openingHours: row.openingHours,
    attributes: row.attributes,
    active: row.active,
  };
}

async function unitRow(db: DbOrTx, id: string): Promise<UnitRow> {
  const [row] = await db.select().from(schema.units).where(eq(schema.units.id, id));
  if (!row) throw notFound(UNIT);
  return row;
}

/** What other modules read of a unit on every request; dropped when any unit changes. */
const UNIT_REFS = cacheSpec('unit refs', ['unit.']);

/** The unit as other modules need it: where it is and its clock (404 if unknown). Cached (`platform/cache`). */
export function getUnitRef(
  db: DbOrTx,
  id: string,
): Promise<UnitRef & { kind: UnitKind; timeZone: string; name: string; nameEn: string; code: string }> {
  return cached(db, UNIT_REFS, id, () => unitRefOf(db, id));
}

async function unitRefOf(db: DbOrTx, id: string) {
  const row = await unitRow(db, id);
  return {
    id: row.id,
    path: row.path,
    provinceId: row.provinceId,
    kind: row.kind as UnitKind,
    timeZone: row.timeZone,
    name: row.name,
    nameEn: row.nameEn,
    code: row.code,
  };
}

/** The root (headquarters), for system work; null before the organisation exists. */
export async function rootUnit(db: DbOrTx): Promise<Unit | null> {
  const [row] = await db.select().from(schema.units).where(eq(schema.units.kind, 'hq')).limit(1);
  return row ? toUnit(row) : null;
}

/** Every unit in the caller's subtree, in tree order. */
export async function listUnits(ctx: Ctx): Promise<Unit[]> {
  authorizeAny(ctx.actor, orgPolicy, 'org.read');
  const rows = await ctx.db
    .select()
    .from(schema.units)
    .where(like(schema.units.path, `${ctx.actor.unitPath}%`))
    .orderBy(asc(schema.units.path));
  return rows.map(toUnit);
}

/** One unit with its day exceptions and the coming days that fall short of the minimum opening time. */
export async function getUnit(ctx: Ctx, id: string): Promise<UnitDetail> {
  const row = await unitRow(ctx.db, id);
  authorize(ctx.actor, orgPolicy, 'org.read', row.path);
  const exceptions = await ctx.db
    .select()
    .from(schema.unitDayExceptions)
    .where(eq(schema.unitDayExceptions.unitId, id))
    .orderBy(asc(schema.unitDayExceptions.date));
  const shortDays: UnitDetail['shortDays'] = [];
  if (HALL_KINDS.includes(row.kind as UnitKind)) {
    const now = ctx.clock.now();
    const minimum = (await numberSetting(ctx.db, row.path, 'hall.minOpeningHours', now)) * 60;
    const schedule = await scheduleOf(ctx.db, id);
    for (let i = 0; i < 14; i++) {
      const date = localDateOf(new Date(now.getTime() + i * 86_400_000), row.timeZone);
      const minutes = dailyOpenMinutes(schedule, date);
      if (minutes < minimum) shortDays.push({ date, minutes });
    }
  }
  return {
    ...toUnit(row),
    exceptions: exceptions.map((e) => ({ date: e.date, hours: e.hours, note: e.note })),
    shortDays,
  };
}

/** Creates headquarters, the root of the tree, in an empty database (the seeder and `fuwu start` do). */
export async function createRootUnit(
  ctx: Ctx,
  input: { code: string; name: string; nameEn: string },
): Promise<Unit> {
  return command(ctx, async (tx) => {
    if (await rootUnit(tx)) throw conflict('root_exists', '总部已存在', 'Headquarters already exists');
    const id = newId();
    const now = ctx.clock.now();
    const [row] = await tx
      .insert(schema.units)
      .values({
        id,
        parentId: null,
        provinceId: id,
        path: `/${id}/`,
        kind: 'hq',
        ...input,
        openingHours: defaultOpeningHours('hq'),
        createdAt: now,
        updatedAt: now,
      })
      .returning();
    const unit = toUnit(row!);
    await appendEvent(tx, ctx, {
      action: 'unit.created',
      unit,
      subjectType: 'unit',
      subjectId: id,
      after: unit,
    });
    return unit;
  });
}

/** Creates headquarters (HQ, 总部) in an empty database; answers it and a system context acting from it. */
export async function createHeadquarters(
  db: Db,
  clock: Clock,
  name: string,
): Promise<{ root: Unit; ctx: Ctx }> {
  const boot = systemContext(db, clock, { id: 'root', path: '/', provinceId: 'root' }, name);
  const root = await createRootUnit(boot, { code: 'HQ', name: '总部', nameEn: 'Headquarters' });
  return { root, ctx: systemContext(db, clock, root, name) };
}

/** Creates a unit under a parent; the kind must fit there (a hall under a city, a city under a province …). */
export async function createUnit(ctx: Ctx, input: CreateUnit): Promise<Unit> {
  return command(ctx, async (tx) => {
    const parent = await unitRow(tx, input.parentId);
    authorize(ctx.actor, orgPolicy, 'org.write', parent.path);
    if (!allowedUnder(input.kind, parent.kind as UnitKind)) {
      throw unprocessable(
        'unit_kind_parent',
        `${UNIT_KINDS[input.kind].zh}不能设在${UNIT_KINDS[parent.kind as UnitKind].zh}之下`,
        `A ${UNIT_KINDS[input.kind].en} cannot stand under a ${UNIT_KINDS[parent.kind as UnitKind].en}`,
      );
    }
    const [taken] = await tx
      .select({ id: schema.units.id })
      .from(schema.units)
      .where(eq(schema.units.code, input.code));
    if (taken)
      throw conflict(
        'unit_code_taken',
        `单位编码 ${input.code} 已被使用`,
        `Unit code ${input.code} is taken`,
      );
    const id = newId();
    const now = ctx.clock.now();
    const [row] = await tx
      .insert(schema.units)
      .values({
        id,
        parentId: parent.id,
        provinceId: provinceOf(input.kind, id, parent.provinceId),
        path: `${parent.path}${id}/`,
        kind: input.kind,
        code: input.code,
        name: input.name,
        nameEn: input.nameEn,
        address: input.address,
        timeZone: input.timeZone,
        openingHours: input.openingHours ?? defaultOpeningHours(input.kind),
        attributes: input.attributes,
        createdAt: now,
        updatedAt: now,
      })
      .returning();
    const unit = toUnit(row!);
    await appendEvent(tx, ctx, {
      action: 'unit.created',
      unit,
      subjectType: 'unit',
      subjectId: id,
      after: unit,
    });
    if (input.kind === 'province')
      await seedCategories(tx, ctx, { id: row!.id, path: row!.path, provinceId: row!.provinceId });
    return unit;
  });
}

/** Changes a unit's name, address, time zone, opening hours, attributes or whether it is active. */
export async function updateUnit(ctx: Ctx, id: string, patch: UpdateUnit): Promise<Unit> {
  return command(ctx, async (tx) => {
    const row = await unitRow(tx, id);
    authorize(ctx.actor, orgPolicy, 'org.write', row.path);
    if (patch.active === false && row.kind === 'hq') {
      throw unprocessable('root_inactive', '总部不能停用', 'Headquarters cannot be deactivated');
    }
    const [updated] = await tx
      .update(schema.units)
      .set({ ...patch, updatedAt: ctx.clock.now() })
      .where(eq(schema.units.id, id))
      .returning();
    const before = toUnit(row);
    const after = toUnit(updated!);
    await appendEvent(tx, ctx, {
      action: 'unit.updated',
      unit: after,
      subjectType: 'unit',
      subjectId: id,
      before,
      after,
    });
    return after;
  });
}

/** Sets a day exception (closed, or special hours on that date) for a unit. */
export async function setDayException(ctx: Ctx, unitId: string, input: DayException): Promise<DayException> {
  return command(ctx, async (tx) => {
    const row = await unitRow(tx, unitId);
    authorize(ctx.actor, orgPolicy, 'org.hours', row.path);
    const [old] = await tx
      .select()
      .from(schema.unitDayExceptions)
      .where(and(eq(schema.unitDayExceptions.unitId, unitId), eq(schema.unitDayExceptions.date, input.date)));
    await tx
      .insert(schema.unitDayExceptions)
      .values({ unitId, date: input.date, hours: input.hours, note: input.note })
      .onConflictDoUpdate({
        target: [schema.unitDayExceptions.unitId, schema.unitDayExceptions.date],
        set: { hours: input.hours, note: input.note },
      });
    await appendEvent(tx, ctx, {
      action: 'unit.day_exception_set',
      unit: row,
      subjectType: 'unit',
      subjectId: unitId,
      before: old ? { date: old.date, hours: old.hours, note: old.note } : undefined,
      after: input,
    });
    return input;
  });
}

/** Removes a unit's day exception; its ordinary hours apply again. */
export async function deleteDayException(ctx: Ctx, unitId: string, date: string): Promise<void> {
  await command(ctx, async (tx) => {
    const row = await unitRow(tx, unitId);
    authorize(ctx.actor, orgPolicy, 'org.hours', row.path);
    const deleted = await tx
      .delete(schema.unitDayExceptions)
      .where(and(eq(schema.unitDayExceptions.unitId, unitId), eq(schema.unitDayExceptions.date, date)))
      .returning();
    if (deleted.length === 0) throw notFound({ zh: '该日期的例外', en: 'Exception on that date' });
    await appendEvent(tx, ctx, {
      action: 'unit.day_exception_removed',
      unit: row,
      subjectType: 'unit',
      subjectId: unitId,
      before: { date, hours: deleted[0]!.hours, note: deleted[0]!.note },
    });
  });
}
