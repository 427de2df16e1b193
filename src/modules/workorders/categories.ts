/**
 * The category tree of work orders (network, billing, service attitude, business handling, terminal …), one
 * per province, editable by the complaint handlers. A province gets the default tree when it is created;
 * an installation older than work orders gets it at start (`seedMissingCategories`). Categories marked
 * `serviceQuality` are the service-quality complaints a hall's complaint rate counts (indicator 1).
 */
import { and, asc, eq, notExists, sql } from 'drizzle-orm';
import type { Ctx } from '../../platform/context.ts';
import type { Db, DbOrTx } from '../../platform/db/index.ts';
import { schema } from '../../platform/db/index.ts';
import type { UnitRef } from '../../platform/events.ts';
import { cached, cacheSpec } from '../../platform/cache.ts';
import { appendEvent, command } from '../../platform/events.ts';
import { fieldProblem, unprocessable } from '../../platform/http/problem.ts';
import { newId } from '../../platform/ids.ts';
import { systemContext } from '../../platform/context.ts';
import type { Clock } from '../../platform/clock.ts';
import { authorizeAny } from '../../platform/auth/policy.ts';
import type { Category } from './contract.ts';
import { workOrdersPolicy } from './policy.ts';
import { workOrderCategories } from './schema.ts';

type Row = typeof workOrderCategories.$inferSelect;

/** [code, zh, en, service quality, children]. */
type Node = [string, string, string, boolean, Node[]?];

export const DEFAULT_CATEGORIES: Node[] = [
  [
    'network',
    '网络质量',
    'Network',
    false,
    [
      ['network.coverage', '信号覆盖', 'Coverage', false],
      ['network.call', '通话质量', 'Call quality', false],
      ['network.data', '上网速率', 'Data speed', false],
      ['network.broadband', '宽带故障', 'Broadband fault', false],
      ['network.fixed', '固话故障', 'Fixed-line fault', false],
    ],
  ],
  [
    'billing',
    '计费账务',
    'Billing',
    false,
    [
      ['billing.charge', '费用争议', 'Disputed charge', false],
      ['billing.value_added', '增值业务扣费', 'Value-added charge', false],
      ['billing.payment', '缴费充值', 'Payment and top-up', false],
    ],
  ],
  [
    'service',
    '服务质量',
    'Service quality',
    true,
    [
      ['service.attitude', '服务态度', 'Service attitude', true],
      ['service.waiting', '等候时间过长', 'Waited too long', true],
      ['service.conduct', '服务规范', 'Service conduct', true],
    ],
  ],
  [
    'business',
    '业务办理',
    'Business handling',
    true,
    [
      ['business.error', '办理差错', 'Handling error', true],
      ['business.refused', '业务受理推诿', 'Business refused', true],
      ['business.change', '业务变更', 'Change of service', false],
    ],
  ],
  [
    'terminal',
    '终端',
    'Terminal',
    false,
    [
      ['terminal.quality', '终端质量', 'Handset quality', false],
      ['terminal.repair', '售后维修', 'After-sales repair', false],
    ],
  ],
  ['consultation', '业务咨询', 'Consultation', false],
  ['suggestion', '意见建议', 'Suggestion', false],
  ['other', '其他', 'Other', false],
];

function flatten(nodes: Node[], provinceId: string, parentId: string | null, out: Row[] = []): Row[] {
  nodes.forEach(([code, zh, en, serviceQuality, children], i) => {
    const id = newId();
    out.push({ id, provinceId, parentId, code, zh, en, serviceQuality, active: true, sortOrder: i });
    if (children) flatten(children, provinceId, id, out);
  });
  return out;
}

/** Writes the default tree of a province (inside the caller's command; nothing when it has one). */
export async function seedCategories(tx: DbOrTx, ctx: Ctx, province: UnitRef): Promise<number> {
  const rows = flatten(DEFAULT_CATEGORIES, province.provinceId, null);
  const inserted = await tx
    .insert(workOrderCategories)
    .values(rows)
    .onConflictDoNothing()
    .returning({ id: workOrderCategories.id });
  if (inserted.length > 0)
    await appendEvent(tx, ctx, {
      action: 'workorder.category_saved',
      unit: province,
      subjectType: 'work_order_category',
      subjectId: province.id,
      after: { seeded: inserted.length },
    });
  return inserted.length;
}

/** At start: the default tree for every province that has no category yet (older installations). */
export async function seedMissingCategories(db: Db, clock: Clock): Promise<number> {
  const provinces = await db
    .select({ id: schema.units.id, path: schema.units.path, provinceId: schema.units.provinceId })
    .from(schema.units)
    .where(
      and(
        eq(schema.units.kind, 'province'),
        notExists(
          db
            .select({ one: sql`1` })
            .from(workOrderCategories)
            .where(eq(workOrderCategories.provinceId, schema.units.id)),
        ),
      ),
    );
  let n = 0;
  for (const p of provinces) {
    const ctx = systemContext(db, clock, p, 'work-order categories');
    n += await command(ctx, (tx) => seedCategories(tx, ctx, p));
  }
  return n;
}

export const toCategory = (r: Row): Category => ({
  id: r.id,
  parentId: r.parentId,
  code: r.code,
  zh: r.zh,
  en: r.en,
  serviceQuality: r.serviceQuality,
  active: r.active,
});

/** A province's tree, in order (parents before children at each level). */
export function categoryRows(db: DbOrTx, provinceId: string): Promise<Row[]> {
  return cached(db, CATEGORY_ROWS, provinceId, () =>
    db
      .select()
      .from(workOrderCategories)
      .where(eq(workOrderCategories.provinceId, provinceId))
      .orderBy(asc(workOrderCategories.sortOrder), asc(workOrderCategories.code)),
  );
}

/** A province's tree as every order view reads it; dropped when a category is saved. */
const CATEGORY_ROWS = cacheSpec('work-order categories', ['workorder.category_']);

/** The ids from the root of the tree down to the category (for policy matching). */
export function categoryPath(rows: readonly Row[], id: string): string[] {
  const byId = new Map(rows.map((r) => [r.id, r]));
  const path: string[] = [];
  for (let r = byId.get(id); r && path.length < 32; r = r.parentId ? byId.get(r.parentId) : undefined)
    path.unshift(r.id);
  return path;
}

/** An active category of the province, or a 422 naming the field. */
export function activeCategory(rows: readonly Row[], id: string, field = 'body.categoryId'): Row {
  const row = rows.find((r) => r.id === id);
  if (!row || !row.active)
    throw unprocessable('unknown_category', '没有这个工单分类', 'No such work-order category', [
      fieldProblem(field, '没有这个分类或已停用', 'Unknown or retired category'),
    ]);
  return row;
}

/** The caller's province's tree (every active and retired category: old orders still name them). */
export async function listCategories(ctx: Ctx): Promise<Category[]> {
  authorizeAny(ctx.actor, workOrdersPolicy, 'workorder.read');
  return (await categoryRows(ctx.db, ctx.actor.provinceId)).map(toCategory);
}
