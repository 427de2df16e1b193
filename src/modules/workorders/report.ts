/**
 * The work-order report of a unit for a period of local dates (issue #14): indicator 1 of 2§3.7 — the
 * service-quality complaint rate of its halls, each hall's count — and the time-limit summary (handled on
 * time, overdue while open, satisfaction) per kind, per top-level category and per unit below; beside it
 * the backlog now, by age. Training halls are not halls here. The figures come from the pure core
 * (`core/complaint-rate.ts`); the export is the same figures as a workbook.
 */
import type { SQL } from 'drizzle-orm';
import { sql } from 'drizzle-orm';
import { atLocal } from '../../core/calendar.ts';
import type { OrderFact, Period, TimeLimitFigures } from '../../core/complaint-rate.ts';
import {
  backlogAgeing,
  complaintRate,
  timeLimitSummary,
  timeLimitSummaryBy,
} from '../../core/complaint-rate.ts';
import { HALL_KINDS } from '../../core/org.ts';
import { WORK_ORDER_KIND_NAMES } from '../../core/sla.ts';
import { TRAINING_ATTRIBUTE } from '../../core/simulation.ts';
import { authorize, authorizeAny, reachOf } from '../../platform/auth/policy.ts';
import type { Ctx } from '../../platform/context.ts';
import { escapeLike, rows } from '../../platform/db/index.ts';
import type { Column } from '../../platform/xlsx.ts';
import { xlsx } from '../../platform/xlsx.ts';
import { getUnitRef } from '../org/service.ts';
import { settingsInForce } from '../settings/service.ts';
import { categoryPath, categoryRows } from './categories.ts';
import type { ReportQuery, ReportUnit, WorkOrderReport } from './contract.ts';
import { workOrdersPolicy } from './policy.ts';

interface FactRow {
  id: string;
  category_id: string;
  concerns_path: string;
  kind: OrderFact['kind'];
  concerns_unit_id: string;
  created_at: Date;
  service_quality: boolean;
  duplicate: boolean;
  resolution_due_at: Date | null;
  resolved_at: Date | null;
  closed: boolean;
  satisfaction: number | null;
}

export async function workOrderReport(ctx: Ctx, q: ReportQuery): Promise<WorkOrderReport> {
  const unit = await getUnitRef(ctx.db, q.unitId);
  authorize(ctx.actor, workOrdersPolicy, 'workorder.report', unit.path);
  const now = ctx.clock.now();
  const period = { from: atLocal(q.from, '00:00', unit.timeZone), to: atLocal(q.to, '24:00', unit.timeZone) };
  const prefix = `${escapeLike(unit.path)}%`;
  const halls = await rows<{ id: string; name: string }>(
    ctx.db,
    sql`select id, name from units where path like ${prefix} and kind in (${sql.join(
      HALL_KINDS.map((k) => sql`${k}`),
      sql`, `,
    )}) and coalesce(attributes->${TRAINING_ATTRIBUTE} <> 'true'::jsonb, true) order by path`,
  );
  const facts = await orderFacts(
    ctx,
    unit.provinceId,
    prefix,
    sql`w.created_at >= ${period.from} and w.created_at < ${period.to}`,
  );
  const settingsAt = period.to < now ? new Date(period.to.getTime() - 1) : now;
  const target = (await settingsInForce(ctx.db, unit.path, settingsAt)).find(
    (s) => s.key === 'hall.complaintRateMax',
  )!;
  const rate = complaintRate(
    facts,
    halls.map((h) => h.id),
    period,
    target,
  );
  const names = new Map(halls.map((h) => [h.id, h.name]));
  return {
    unitId: unit.id,
    from: q.from,
    to: q.to,
    complaintRate: {
      numerator: rate.numerator,
      denominator: rate.denominator,
      rate: rate.rate,
      target: Number(target.value),
      met: rate.meetsTarget,
    },
    halls: rate.byHall.map((h) => ({
      unitId: h.hallId,
      name: names.get(h.hallId) ?? '',
      complaints: h.complaints,
      met: h.meetsTarget,
    })),
    byKind: timeLimitSummary(facts, period, now),
    byCategory: await byCategory(ctx, unit.provinceId, facts, period, now),
    byUnit: await byUnit(ctx, unit, facts, period, now),
    backlog: {
      asOf: now.toISOString(),
      ...backlogAgeing(
        await orderFacts(
          ctx,
          unit.provinceId,
          prefix,
          sql`w.state <> 'closed' and w.answered_at is null and w.replied_at is null`,
        ),
        now,
      ),
    },
  };
}

/** The orders that have been with a unit under `prefix`, as the indicators see them. */
async function orderFacts(
  ctx: Ctx,
  provinceId: string,
  prefix: string,
  where: SQL,
): Promise<(FactRow & OrderFact)[]> {
  const facts = await rows<FactRow>(
    ctx.db,
    sql`select w.id, w.kind, w.category_id, w.concerns_unit_id, u.path as concerns_path, w.created_at,
               c.service_quality, w.merged_into_id is not null as duplicate, w.resolution_due_at,
               coalesce(w.answered_at, w.replied_at) as resolved_at, w.state = 'closed' as closed, w.satisfaction
          from work_orders w join work_order_categories c on c.id = w.category_id
               join units u on u.id = w.concerns_unit_id
         where w.province_id = ${provinceId} and ${where}
           and exists (select 1 from unnest(w.paths) p where p like ${prefix})`,
  );
  return facts.map((f) => ({ ...f, ...toFact(f) }));
}

function toFact(f: FactRow): OrderFact {
  return {
    id: f.id,
    kind: f.kind,
    concernsUnitId: f.concerns_unit_id,
    createdAt: new Date(f.created_at),
    serviceQuality: f.service_quality,
    duplicate: f.duplicate,
    dueAt: f.resolution_due_at ? new Date(f.resolution_due_at) : null,
    resolvedAt: f.resolved_at ? new Date(f.resolved_at) : null,
    closed: f.closed,
    satisfaction: f.satisfaction,
  };
}

/** Per top-level category, in the tree's order. */
async function byCategory(
  ctx: Ctx,
  provinceId: string,
  facts: readonly (FactRow & OrderFact)[],
  period: Period,
  now: Date,
): Promise<WorkOrderReport['byCategory']> {
  const tree = await categoryRows(ctx.db, provinceId);
  const rootOf = (id: string) => categoryPath(tree, id)[0] ?? id;
  const groups = new Map(
    timeLimitSummaryBy(facts, period, now, (f) => rootOf(f.category_id)).map((g) => [g.key, g.figures]),
  );
  return tree.flatMap((c) => {
    const figures = groups.get(c.id);
    return figures ? [{ categoryId: c.id, zh: c.zh, en: c.en, ...figures }] : [];
  });
}

/** Per unit directly below `unit` (and the unit itself), by the unit each order concerns. */
async function byUnit(
  ctx: Ctx,
  unit: { id: string; path: string; name: string },
  facts: readonly (FactRow & OrderFact)[],
  period: Period,
  now: Date,
): Promise<WorkOrderReport['byUnit']> {
  const children = await rows<{ id: string; name: string; path: string }>(
    ctx.db,
    sql`select id, name, path from units where parent_id = ${unit.id} order by path`,
  );
  const under = [...children, unit];
  const keyOf = (f: FactRow) => under.find((u) => f.concerns_path.startsWith(u.path))?.id ?? null;
  const groups = new Map(timeLimitSummaryBy(facts, period, now, keyOf).map((g) => [g.key, g.figures]));
  return [...under, { id: null, name: '' }].flatMap((u) => {
    const figures = groups.get(u.id);
    return figures ? [{ unitId: u.id, name: u.name, ...figures }] : [];
  });
}

/**
 * The units the caller may ask the report for, in path order: the subtree of their reach for
 * `workorder.report` — a customer-service centre's is the province or city it serves, whose units its
 * staff do not otherwise see (GET /api/units lists their own subtree only).
 */
export async function reportUnits(ctx: Ctx): Promise<ReportUnit[]> {
  return unitsInReach(ctx, 'workorder.report');
}

/**
 * The active units of the caller's reach for an action, in path order (a centre's: the subtree it serves):
 * the report's unit picker, and the handling desk's unit filter and the unit an order concerns.
 */
export async function unitsInReach(
  ctx: Ctx,
  action: 'workorder.report' | 'workorder.read',
): Promise<ReportUnit[]> {
  authorizeAny(ctx.actor, workOrdersPolicy, action);
  const prefix = `${escapeLike(reachOf(ctx.actor, workOrdersPolicy, action))}%`;
  return rows<ReportUnit>(
    ctx.db,
    sql`select id, parent_id as "parentId", code, kind, name, name_en as "nameEn", time_zone as "timeZone"
          from units where path like ${prefix} and active order by path`,
  );
}

const pct = (x: number | null) => (x === null ? null : Math.round(x * 1000) / 10);

/**
 * The report as a workbook: a row per kind, per top-level category and per unit with the time-limit
 * figures; a row per hall with its complaints; the rate; the backlog by age.
 */
export async function workOrderReportXlsx(ctx: Ctx, q: ReportQuery): Promise<Buffer> {
  const r = await workOrderReport(ctx, q);
  type Row = {
    label: string;
    figures?: TimeLimitFigures;
    hall?: WorkOrderReport['halls'][number];
    band?: WorkOrderReport['backlog']['bands'][number];
  };
  const columns: Column<Row>[] = [
    { header: '类型/类别/单位/营业厅 Kind / category / unit / hall', width: 34, value: (x) => x.label },
    { header: '受理 Taken', value: (x) => x.figures?.taken ?? null },
    { header: '处理 Handled', value: (x) => x.figures?.handled ?? null },
    { header: '按时处理率% On time %', value: (x) => (x.figures ? pct(x.figures.onTimeShare) : null) },
    { header: '在办超时 Open overdue', value: (x) => x.figures?.openOverdue ?? x.band?.overdue ?? null },
    { header: '满意度 Satisfaction', value: (x) => x.figures?.satisfaction ?? null },
    {
      header: '服务质量投诉 Service-quality complaints',
      width: 24,
      value: (x) => x.hall?.complaints ?? null,
    },
    { header: '达标 Met', value: (x) => (x.hall ? x.hall.met : null) },
    { header: '积压 Backlog', value: (x) => x.band?.open ?? null },
  ];
  const days = (h: number) => Math.round(h / 24);
  const data: Row[] = [
    ...r.byKind.map((k) => ({ label: WORK_ORDER_KIND_NAMES[k.kind], figures: k })),
    ...r.byCategory.map((c) => ({ label: `类别 ${c.zh} ${c.en}`, figures: c })),
    ...r.byUnit.map((u) => ({ label: `单位 ${u.name || '其他单位 elsewhere'}`, figures: u })),
    ...r.halls.map((h) => ({ label: h.name, hall: h })),
    {
      label: `投诉率 ${r.complaintRate.rate ?? '-'}（目标 < ${r.complaintRate.target}）`,
    },
    ...r.backlog.bands.map((b) => ({
      label: `积压 ${days(b.fromHours)}–${b.toHours === null ? '' : days(b.toHours)} 天 days`,
      band: b,
    })),
  ];
  return xlsx('工单 Work orders', columns, data);
}
