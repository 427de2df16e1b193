/** The national business calendar (holidays and 调休 working days) and the schedule of a unit. */
import { readFileSync } from 'node:fs';
import { asc, eq } from 'drizzle-orm';
import type { CalendarDay, UnitSchedule } from '../../core/calendar.ts';
import { calendarYears, parseHolidayFile } from '../../core/calendar.ts';
import { authorize, authorizeAny } from '../../platform/auth/policy.ts';
import type { Ctx } from '../../platform/context.ts';
import type { DbOrTx } from '../../platform/db/index.ts';
import { schema } from '../../platform/db/index.ts';
import { appendEvent, command } from '../../platform/events.ts';
import { notFound } from '../../platform/http/problem.ts';
import { rootUnit } from '../org/service.ts';
import type { CalendarYear } from './contract.ts';
import { calendarPolicy } from './policy.ts';

/** Every national calendar day on record. */
export async function calendarDays(db: DbOrTx): Promise<CalendarDay[]> {
  const rows = await db.select().from(schema.calendarDays).orderBy(asc(schema.calendarDays.date));
  return rows.map((r) => ({ date: r.date, kind: r.kind, name: r.name }));
}

/** What the calendar rules of `src/core/calendar.ts` need to know of a unit. */
export async function scheduleOf(db: DbOrTx, unitId: string): Promise<UnitSchedule> {
  const [unit] = await db.select().from(schema.units).where(eq(schema.units.id, unitId));
  if (!unit) throw notFound({ zh: '单位', en: 'Unit' });
  const exceptions = await db
    .select()
    .from(schema.unitDayExceptions)
    .where(eq(schema.unitDayExceptions.unitId, unitId));
  return {
    timeZone: unit.timeZone,
    hours: unit.openingHours,
    calendar: await calendarDays(db),
    exceptions: exceptions.map((e) => ({ date: e.date, hours: e.hours, note: e.note })),
  };
}

/** The days of one year, and whether the year has any published data. */
export async function calendarYear(ctx: Ctx, year: number): Promise<CalendarYear> {
  authorizeAny(ctx.actor, calendarPolicy, 'calendar.read');
  const all = await calendarDays(ctx.db);
  const yearsWithData = calendarYears(all);
  const days = all.filter((d) => d.date.startsWith(`${year}-`));
  return { year, days, yearsWithData, missing: !yearsWithData.includes(year) };
}

async function rootRef(db: DbOrTx) {
  const root = await rootUnit(db);
  if (!root) throw notFound({ zh: '总部', en: 'Headquarters' });
  return root;
}

/** Adds or changes a national calendar day (a holiday or a makeup working day). */
export async function setCalendarDay(ctx: Ctx, day: CalendarDay): Promise<CalendarDay> {
  return command(ctx, async (tx) => {
    const root = await rootRef(tx);
    authorize(ctx.actor, calendarPolicy, 'calendar.write', root.path);
    const [old] = await tx.select().from(schema.calendarDays).where(eq(schema.calendarDays.date, day.date));
    await tx
      .insert(schema.calendarDays)
      .values(day)
      .onConflictDoUpdate({ target: schema.calendarDays.date, set: { kind: day.kind, name: day.name } });
    await appendEvent(tx, ctx, {
      action: 'calendar.day_set',
      unit: root,
      subjectType: 'calendar_day',
      subjectId: day.date,
      before: old,
      after: day,
    });
    return day;
  });
}

/** Removes a national calendar day: the date becomes an ordinary weekday or weekend day again. */
export async function removeCalendarDay(ctx: Ctx, date: string): Promise<void> {
  await command(ctx, async (tx) => {
    const root = await rootRef(tx);
    authorize(ctx.actor, calendarPolicy, 'calendar.write', root.path);
    const deleted = await tx
      .delete(schema.calendarDays)
      .where(eq(schema.calendarDays.date, date))
      .returning();
    if (deleted.length === 0) throw notFound({ zh: '该日期的节假日记录', en: 'Calendar day' });
    await appendEvent(tx, ctx, {
      action: 'calendar.day_removed',
      unit: root,
      subjectType: 'calendar_day',
      subjectId: date,
      before: deleted[0],
    });
  });
}

/** The shipped default: mainland holidays and makeup working days as the State Council published them. */
export function shippedCalendar(): CalendarDay[] {
  const file = new URL('../../core/cn-public-holidays.json', import.meta.url);
  return parseHolidayFile(JSON.parse(readFileSync(file, 'utf8'))).days;
}

/** Loads the shipped calendar into an empty calendar table (used by the seeder). */
export async function loadShippedCalendar(db: DbOrTx): Promise<number> {
  const [any] = await db.select().from(schema.calendarDays).limit(1);
  if (any) return 0;
  const days = shippedCalendar();
  if (days.length > 0) await db.insert(schema.calendarDays).values(days);
  return days.length;
}
