/**
 * The business catalogue in force (2§2.1) and a province's versions of it. Headquarters' built-in catalogue
 * (`BUILTIN_CATALOGUE`) is in force until headquarters stores a version of its own; a province's newest version
 * not retired is in force for every unit of the province, else headquarters'. A version is never changed once
 * stored: a province edits a copy, checked by `validateCatalogue`, and stores it under a new id. A visit keeps
 * the version it opened under, so `catalogueVersion` reads any version, retired or not.
 */
import { and, desc, eq, inArray, isNull } from 'drizzle-orm';
import type { BusinessType } from '../../core/business-catalogue.ts';
import { BUILTIN_CATALOGUE, searchCatalogue, validateCatalogue } from '../../core/business-catalogue.ts';
import { authorize } from '../../platform/auth/policy.ts';
import { cacheSpec, cached } from '../../platform/cache.ts';
import type { Ctx } from '../../platform/context.ts';
import type { DbOrTx } from '../../platform/db/index.ts';
import { appendEvent, command } from '../../platform/events.ts';
import { conflict, fieldProblem, notFound, unprocessable } from '../../platform/http/problem.ts';
import { getUnitRef } from '../org/service.ts';
import type { z } from 'zod';
import type {
  CatalogueInForce,
  CatalogueQuery,
  CatalogueVersionSummary,
  NewCatalogueVersion,
} from './contract.ts';
import { cataloguePolicy } from './policy.ts';
import type { RetentionOffer } from './schema.ts';
import { catalogueVersions } from './schema.ts';

export interface CatalogueVersion {
  /** The province or headquarters whose version it is. */
  unitId: string;
  versionId: string;
  basedOn: string | null;
  types: BusinessType[];
  retentionOffers: RetentionOffer[];
  retired: boolean;
}

const EVERY_TIER: RetentionOffer['tiers'] = ['diamond', 'gold', 'silver', 'ordinary'];

/** The retention offers of the built-in catalogue (a province configures its own with its version). */
export const DEFAULT_RETENTION_OFFERS: RetentionOffer[] = [
  {
    code: 'plan_discount',
    zh: '套餐月费八折（12个月）',
    en: '20% off the monthly plan fee for 12 months',
    tiers: EVERY_TIER,
  },
  {
    code: 'data_bonus',
    zh: '每月赠送10GB流量（6个月）',
    en: '10 GB extra data a month for 6 months',
    tiers: EVERY_TIER,
  },
  {
    code: 'handset_upgrade',
    zh: '合约换机优惠',
    en: 'A contract handset upgrade',
    tiers: ['diamond', 'gold'],
  },
  {
    code: 'club_points',
    zh: '俱乐部积分一年翻倍',
    en: 'Double club points for a year',
    tiers: ['diamond', 'gold', 'silver'],
  },
  {
    code: 'account_manager',
    zh: '专属客户经理上门回访',
    en: 'A personal account manager calls',
    tiers: ['diamond'],
  },
];

const CATALOGUE_IN_FORCE = cacheSpec('catalogue in force', ['catalogue.']);

/** Headquarters' and the province's ids, from a unit path (`/hq/province/…/`). */
function scopeIds(path: string): { hqId: string; provinceId: string | null } {
  const ids = path.split('/').filter(Boolean);
  return { hqId: ids[0] ?? '', provinceId: ids[1] ?? null };
}

function builtin(hqId: string): CatalogueVersion {
  return {
    unitId: hqId,
    versionId: BUILTIN_CATALOGUE.versionId,
    basedOn: BUILTIN_CATALOGUE.basedOn,
    types: BUILTIN_CATALOGUE.types.slice(),
    retentionOffers: DEFAULT_RETENTION_OFFERS,
    retired: false,
  };
}

function toVersion(row: typeof catalogueVersions.$inferSelect): CatalogueVersion {
  return {
    unitId: row.unitId,
    versionId: row.versionId,
    basedOn: row.basedOn,
    types: row.types,
    retentionOffers: row.retentionOffers,
    retired: row.retiredAt !== null,
  };
}

/** The catalogue in force for the unit at `path`: its province's newest live version, else headquarters'. */
export async function catalogueFor(db: DbOrTx, path: string): Promise<CatalogueVersion> {
  const { hqId, provinceId } = scopeIds(path);
  return cached(db, CATALOGUE_IN_FORCE, provinceId ?? hqId, async () => {
    const owners = provinceId && provinceId !== hqId ? [provinceId, hqId] : [hqId];
    const rows = await db
      .select()
      .from(catalogueVersions)
      .where(and(inArray(catalogueVersions.unitId, owners), isNull(catalogueVersions.retiredAt)))
      .orderBy(desc(catalogueVersions.createdAt));
    const own = rows.find((r) => r.unitId === provinceId) ?? rows.find((r) => r.unitId === hqId);
    return own ? toVersion(own) : builtin(hqId);
  });
}

/** A version by its owner and id (retired ones too: a visit keeps the version it opened under). */
export async function catalogueVersion(
  db: DbOrTx,
  unitId: string,
  versionId: string,
): Promise<CatalogueVersion> {
  const [row] = await db
    .select()
    .from(catalogueVersions)
    .where(and(eq(catalogueVersions.unitId, unitId), eq(catalogueVersions.versionId, versionId)));
  if (row) return toVersion(row);
  if (versionId === BUILTIN_CATALOGUE.versionId) {
    const ref = await getUnitRef(db, unitId);
    if (ref.kind === 'hq') return builtin(unitId);
  }
  throw notFound({ zh: '业务目录版本', en: 'Catalogue version' });
}

function inForceView(v: CatalogueVersion, types: BusinessType[]): z.infer<typeof CatalogueInForce> {
  return {
    unitId: v.unitId,
    versionId: v.versionId,
    basedOn: v.basedOn,
    types,
    retentionOffers: v.retentionOffers,
  };
}

/** The catalogue in force at a unit the caller reaches (their own by default), filtered by a search. */
export async function businessTypes(
  ctx: Ctx,
  query: z.infer<typeof CatalogueQuery>,
): Promise<z.infer<typeof CatalogueInForce>> {
  const unit = await getUnitRef(ctx.db, query.unitId ?? ctx.actor.unitId);
  authorize(ctx.actor, cataloguePolicy, 'catalogue.read', unit.path);
  const v = await catalogueFor(ctx.db, unit.path);
  const filtered =
    query.q || query.customerKind
      ? searchCatalogue(
          { versionId: v.versionId, basedOn: v.basedOn, types: v.types },
          query.q ?? '',
          query.customerKind,
        )
      : v.types;
  return inForceView(v, filtered);
}

/** A province or headquarters: the units that own catalogue versions. */
async function ownerUnit(db: DbOrTx, unitId: string) {
  const unit = await getUnitRef(db, unitId);
  if (unit.kind !== 'province' && unit.kind !== 'hq')
    throw unprocessable(
      'not_a_province',
      '业务目录按省分公司（或总部）管理',
      'A catalogue belongs to a province branch (or headquarters)',
    );
  return unit;
}

/** The versions of a province (or headquarters), newest first, with the built-in one for headquarters. */
export async function listCatalogueVersions(
  ctx: Ctx,
  unitId: string,
): Promise<{ items: z.infer<typeof CatalogueVersionSummary>[] }> {
  const unit = await ownerUnit(ctx.db, unitId);
  authorize(ctx.actor, cataloguePolicy, 'catalogue.read', unit.path);
  const rows = await ctx.db
    .select()
    .from(catalogueVersions)
    .where(eq(catalogueVersions.unitId, unit.id))
    .orderBy(desc(catalogueVersions.createdAt));
  const inForce = await catalogueFor(ctx.db, unit.path);
  const items = rows.map((r) =>
    summaryOf(r, inForce.unitId === r.unitId && inForce.versionId === r.versionId),
  );
  if (unit.kind === 'hq')
    items.push({
      unitId: unit.id,
      versionId: BUILTIN_CATALOGUE.versionId,
      basedOn: null,
      types: BUILTIN_CATALOGUE.types.length,
      createdAt: new Date(0).toISOString(),
      retiredAt: null,
      inForce: inForce.unitId === unit.id && inForce.versionId === BUILTIN_CATALOGUE.versionId,
    });
  return { items };
}

/** One version, whole (to read it, or to start a new version from a copy of it). */
export async function getCatalogueVersion(
  ctx: Ctx,
  unitId: string,
  versionId: string,
): Promise<z.infer<typeof CatalogueInForce>> {
  const unit = await ownerUnit(ctx.db, unitId);
  authorize(ctx.actor, cataloguePolicy, 'catalogue.read', unit.path);
  const v = await catalogueVersion(ctx.db, unit.id, versionId);
  return inForceView(v, v.types);
}

function summaryOf(
  row: typeof catalogueVersions.$inferSelect,
  inForce: boolean,
): z.infer<typeof CatalogueVersionSummary> {
  return {
    unitId: row.unitId,
    versionId: row.versionId,
    basedOn: row.basedOn,
    types: row.types.length,
    createdAt: row.createdAt.toISOString(),
    retiredAt: row.retiredAt?.toISOString() ?? null,
    inForce,
  };
}

/** Stores a new version of a province's catalogue; from then on it is in force there. */
export async function storeCatalogueVersion(
  ctx: Ctx,
  input: z.infer<typeof NewCatalogueVersion>,
): Promise<z.infer<typeof CatalogueVersionSummary>> {
  return command(ctx, async (tx) => {
    const unit = await ownerUnit(tx, input.unitId);
    authorize(ctx.actor, cataloguePolicy, 'catalogue.write', unit.path);
    const problems = validateCatalogue({
      versionId: input.versionId,
      basedOn: input.basedOn,
      types: input.types,
    });
    const offerCodes = new Set<string>();
    input.retentionOffers.forEach((o, i) => {
      if (offerCodes.has(o.code))
        problems.push({
          path: `retentionOffers[${i}].code`,
          zh: '挽留方案代码重复',
          en: 'Offer code used twice',
        });
      offerCodes.add(o.code);
    });
    if (problems.length > 0)
      throw unprocessable(
        'catalogue_invalid',
        '业务目录有误，未保存',
        'The catalogue has problems and was not stored',
        problems.map((p) => fieldProblem(`body.${p.path}`, p.zh, p.en)),
      );
    const taken =
      input.versionId === BUILTIN_CATALOGUE.versionId ||
      (
        await tx
          .select({ v: catalogueVersions.versionId })
          .from(catalogueVersions)
          .where(and(eq(catalogueVersions.unitId, unit.id), eq(catalogueVersions.versionId, input.versionId)))
      ).length > 0;
    if (taken)
      throw conflict(
        'version_exists',
        '该版本号已存在，版本一经保存不再修改',
        'This version id exists; a stored version never changes',
      );
    const [row] = await tx
      .insert(catalogueVersions)
      .values({
        unitId: unit.id,
        versionId: input.versionId,
        basedOn: input.basedOn,
        types: input.types,
        retentionOffers: input.retentionOffers,
        createdAt: ctx.clock.now(),
        createdBy: ctx.actor.id,
      })
      .returning();
    if (!row) throw new Error('insert returned no row');
    await appendEvent(tx, ctx, {
      action: 'catalogue.version_stored',
      unit,
      subjectType: 'catalogue_version',
      subjectId: `${unit.id}:${input.versionId}`,
      after: { versionId: input.versionId, basedOn: input.basedOn, types: input.types.length },
    });
    return summaryOf(row, true);
  });
}

/** Retires a version: no new visit opens under it, and open visits under it can add no more business. */
export async function retireCatalogueVersion(
  ctx: Ctx,
  unitId: string,
  versionId: string,
): Promise<z.infer<typeof CatalogueVersionSummary>> {
  return command(ctx, async (tx) => {
    const unit = await ownerUnit(tx, unitId);
    authorize(ctx.actor, cataloguePolicy, 'catalogue.write', unit.path);
    const [row] = await tx
      .select()
      .from(catalogueVersions)
      .where(and(eq(catalogueVersions.unitId, unit.id), eq(catalogueVersions.versionId, versionId)))
      .for('update');
    if (!row) throw notFound({ zh: '业务目录版本', en: 'Catalogue version' });
    if (row.retiredAt) throw conflict('already_retired', '该版本已停用', 'This version is already retired');
    const [retired] = await tx
      .update(catalogueVersions)
      .set({ retiredAt: ctx.clock.now() })
      .where(and(eq(catalogueVersions.unitId, unit.id), eq(catalogueVersions.versionId, versionId)))
      .returning();
    if (!retired) throw new Error('update returned no row');
    await appendEvent(tx, ctx, {
      action: 'catalogue.version_retired',
      unit,
      subjectType: 'catalogue_version',
      subjectId: `${unit.id}:${versionId}`,
      before: { retiredAt: null },
      after: { retiredAt: retired.retiredAt?.toISOString() ?? null },
    });
    return summaryOf(retired, false);
  });
}
