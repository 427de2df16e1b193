/** Settings: the value in force for a unit at a moment, overrides at any scope, and their history. */
import { and, asc, eq, inArray } from 'drizzle-orm';
import type { Resolved, SettingKey, SettingRecord, SettingValue } from '../../core/settings.ts';
import { SETTINGS, resolveSetting, scopesOf, settingDef, settingValueProblem } from '../../core/settings.ts';
import { authorize } from '../../platform/auth/policy.ts';
import type { Ctx } from '../../platform/context.ts';
import type { DbOrTx } from '../../platform/db/index.ts';
import { schema } from '../../platform/db/index.ts';
import { cacheSpec, cached } from '../../platform/cache.ts';
import { appendEvent, command } from '../../platform/events.ts';
import { badRequest } from '../../platform/http/problem.ts';
import { newId } from '../../platform/ids.ts';
import { getUnitRef } from '../org/service.ts';
import { staffNames } from '../staff/service.ts';
import { settingsPolicy } from './policy.ts';

/** Every value ever set at the unit and the units above it; dropped when any setting changes. */
const SETTING_RECORDS = cacheSpec('setting values', ['setting.']);

function recordsFor(db: DbOrTx, unitPath: string): Promise<SettingRecord[]> {
  return cached(db, SETTING_RECORDS, unitPath, async () => {
    const rows = await db
      .select()
      .from(schema.settingValues)
      .where(inArray(schema.settingValues.unitId, scopesOf(unitPath)))
      // Oldest first (ids are time-ordered): of two values set in the same millisecond the later one wins.
      .orderBy(asc(schema.settingValues.validFrom), asc(schema.settingValues.id));
    return rows.map((r) => ({
      key: r.key,
      unitId: r.unitId,
      value: r.value as SettingValue | null,
      validFrom: r.validFrom,
    }));
  });
}

/** Every setting in force for the unit at `at`, with where each value comes from. */
export async function settingsInForce(db: DbOrTx, unitPath: string, at: Date): Promise<Resolved[]> {
  const records = await recordsFor(db, unitPath);
  const scopes = scopesOf(unitPath);
  return SETTINGS.map((d) => resolveSetting(d.key, records, scopes, at));
}

/** The values of some settings in force for a unit at `at`, by key. */
export async function settingValues<K extends SettingKey>(
  db: DbOrTx,
  unitPath: string,
  keys: readonly K[],
  at: Date,
): Promise<Record<K, SettingValue>> {
  const records = await recordsFor(db, unitPath);
  const scopes = scopesOf(unitPath);
  const out = {} as Record<K, SettingValue>;
  for (const key of keys) out[key] = resolveSetting(key, records, scopes, at).value;
  return out;
}

/** A numeric setting in force (throws if the key is boolean). */
export async function numberSetting(
  db: DbOrTx,
  unitPath: string,
  key: SettingKey,
  at: Date,
): Promise<number> {
  const v = (await settingValues(db, unitPath, [key], at))[key];
  if (typeof v !== 'number') throw new TypeError(`${key} is not numeric`);
  return v;
}

/** Sets (or, with null, clears) the value of a setting at a unit's scope from now on. */
export async function setSetting(
  ctx: Ctx,
  input: { key: string; unitId: string; value: SettingValue | null; reason: string },
): Promise<Resolved> {
  const d = settingDef(input.key);
  if (!d)
    throw badRequest('unknown_setting', `没有这个设置项：${input.key}`, `No such setting: ${input.key}`);
  if (input.value !== null) {
    const problem = settingValueProblem(d, input.value);
    if (problem) throw badRequest('setting_value', `${d.zh}：${problem.zh}`, `${d.en}: ${problem.en}`);
  }
  return command(ctx, async (tx) => {
    const unit = await getUnitRef(tx, input.unitId);
    authorize(ctx.actor, settingsPolicy, 'settings.write', unit.path);
    const now = ctx.clock.now();
    const records = await recordsFor(tx, unit.path);
    const record: SettingRecord = { key: d.key, unitId: unit.id, value: input.value, validFrom: now };
    await tx.insert(schema.settingValues).values({
      id: newId(),
      ...record,
      setBy: ctx.actor.id,
      reason: input.reason,
    });
    const before = resolveSetting(d.key, records, scopesOf(unit.path), now);
    const after = resolveSetting(d.key, [...records, record], scopesOf(unit.path), now);
    await appendEvent(tx, ctx, {
      action: input.value === null ? 'setting.cleared' : 'setting.set',
      unit,
      subjectType: 'setting',
      subjectId: d.key,
      before: { value: before.value, sourceUnitId: before.sourceUnitId },
      after: { value: after.value, sourceUnitId: after.sourceUnitId, reason: input.reason },
    });
    return after;
  });
}

/** Every value the setting has had at the unit's scopes (the unit, its city, …, headquarters), oldest first. */
export async function settingHistory(db: DbOrTx, unitPath: string, key: string) {
  const scopes = scopesOf(unitPath);
  const rows = await db
    .select()
    .from(schema.settingValues)
    .where(and(eq(schema.settingValues.key, key), inArray(schema.settingValues.unitId, scopes)))
    .orderBy(asc(schema.settingValues.validFrom));
  const names = await staffNames(
    db,
    rows.map((r) => r.setBy).filter((id): id is string => id !== null),
  );
  return rows.map((r) => ({
    unitId: r.unitId,
    value: r.value as SettingValue | null,
    validFrom: r.validFrom.toISOString(),
    setBy: r.setBy,
    setByName: r.setBy ? (names.get(r.setBy) ?? '') : '',
    reason: r.reason,
  }));
}
