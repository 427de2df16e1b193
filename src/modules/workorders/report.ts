/**
 * The work-order report of a unit for a period of local dates (issue #14): indicator 1 of 2§3.7 — the
 * service-quality complaint rate of its halls, each hall's count — and per kind the time-limit summary
 * (handled on time, overdue while open, satisfaction). Training halls are not halls here. The figures come
 * from the pure core
 * (`core/complaint-rate.ts`); the export is the same figures as a workbook.
 */
import { sql } from 'drizzle-orm';
import { atLocal } from '../../core/calendar.ts';
import type { OrderFact } from '../../core/complaint-rate.ts';
import { complaintRate, timeLimitSummary } from '../../core/complaint-rate.ts';
import { HALL_KINDS } from '../../core/org.ts';
import { TRAINING_ATTRIBUTE } from '../../core/simulation.ts';
import { authorize, authorizeAny, reachOf } from '../../platform/auth/policy.ts';
import type { Ctx } from '../../platform/context.ts';
import { escapeLike, rows } from '../../platform/db/index.ts';
import type { Column } from '../../platform/xlsx.ts';
import { xlsx } from '../../platform/xlsx.ts';
import { getUnitRef } from '../org/service.ts';
import { settingsInForce } from '../settings/service.ts';
import type { ReportQuery, ReportUnit, WorkOrderReport } from './contract.ts';
import { workOrdersPolicy } from './policy.ts';

interface FactRow {
  id: string;
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
  const facts = await rows<FactRow>(
    ctx.db,
    sql`select w.id, w.kind, w.concerns_unit_id, w.created_at, c.service_quality,
               w.merged_into_id is not null as duplicate, w.resolution_due_at,
               coalesce(w.answered_at, w.replied_at) as resolved_at, w.state = 'closed' as closed, w.satisfaction
          from work_orders w join work_order_categories c on c.id = w.category_id
         where w.province_id = ${unit.provinceId}
           and w.created_at >= ${period.from} and w.created_at < ${period.to}
           and exists (select 1 from unnest(w.paths) p where p like ${prefix})`,
  );
  const orders: OrderFact[] = facts.map((f) => ({
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
  }));
  const settingsAt = period.to < now ? new Date(period.to.getTime() - 1) : now;
  const target = (await settingsInForce(ctx.db, unit.path, settingsAt)).find(
    (s) => s.key === 'hall.complaintRateMax',
  )!;
  const rate = complaintRate(
    orders,
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
    byKind: timeLimitSummary(orders, period, now),
  };
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

type KindRow = WorkOrderReport['byKind'][number];
const pct = (x: number | null) => (x === null ? null : Math.round(x * 1000) / 10);

/** The report as a workbook: one row per kind, then one per hall. */
export async function workOrderReportXlsx(ctx: Ctx, q: ReportQuery): Promise<Buffer> {
  const r = await workOrderReport(ctx, q);
  type Row = { label: string; kind?: KindRow; hall?: WorkOrderReport['halls'][number] };
  const columns: Column<Row>[] = [
    { header: '类型/营业厅 Kind / hall', width: 28, value: (x) => x.label },
    { header: '受理 Taken', value: (x) => x.kind?.taken ?? null },
    { header: '处理 Handled', value: (x) => x.kind?.handled ?? null },
    { header: '按时处理率% On time %', value: (x) => (x.kind ? pct(x.kind.onTimeShare) : null) },
    { header: '在办超时 Open overdue', value: (x) => x.kind?.openOverdue ?? null },
    { header: '满意度 Satisfaction', value: (x) => x.kind?.satisfaction ?? null },
    {
      header: '服务质量投诉 Service-quality complaints',
      width: 24,
      value: (x) => x.hall?.complaints ?? null,
    },
    { header: '达标 Met', value: (x) => (x.hall ? x.hall.met : null) },
  ];
  const data: Row[] = [
    ...r.byKind.map((k) => ({ label: k.kind, kind: k })),
    ...r.halls.map((h) => ({ label: h.name, hall: h })),
    {
      label: `投诉率 ${r.complaintRate.rate ?? '-'}（目标 < ${r.complaintRate.target}）`,
    },
  ];
  return xlsx('工单 Work orders', columns, data);
}
