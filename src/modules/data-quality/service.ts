/**
 * The customer-data indicators 2–4 of 2§3.7 for a unit and a period, per the unit and per hall under it,
 * computed from the event log ONLY (`dataQuality` in core does the arithmetic):
 *
 * - a record is a `visit.transaction_added` line that is not light (a consultation or query makes no customer
 *   record due) and was not removed before signing; it is complete at entry when its payload says
 *   `customerDataComplete`, else when its `visit.record_completed` came;
 * - an error found is a `visit.line_corrected` (who found it in its payload);
 * - an agent sale is a line of a cooperative hall (`unitKind` `hall_coop`) that opens an account (or a
 *   transfer), followed until its `agent_sale.returned` (返档), recorded here once per line.
 *
 * The period is of local dates in the unit's time zone, `to` inclusive; the settings are those in force for
 * each unit at the period's end (or now, for a period not yet over), and `asOf` is now.
 */
import { sql } from 'drizzle-orm';
import type {
  AgentSale as CoreAgentSale,
  DueRecord,
  EnteredRecord,
  ErrorFound,
} from '../../core/data-quality.ts';
import { dataQuality } from '../../core/data-quality.ts';
import { atLocal } from '../../core/calendar.ts';
import { HALL_KINDS } from '../../core/org.ts';
import type { UnitKind } from '../../core/org.ts';
import type { Resolved } from '../../core/settings.ts';
import { authorize, inSubtree } from '../../platform/auth/policy.ts';
import { bi } from '../../platform/contract.ts';
import type { Ctx } from '../../platform/context.ts';
import type { DbOrTx } from '../../platform/db/index.ts';
import { escapeLike, rows } from '../../platform/db/index.ts';
import { appendEvent, command } from '../../platform/events.ts';
import { conflict, forbidden, notFound, unprocessable } from '../../platform/http/problem.ts';
import { getUnitRef } from '../org/service.ts';
import { settingsInForce } from '../settings/service.ts';
import { agentSales as agentSalesTable } from '../visits/schema.ts';
import type {
  AgentSale,
  DataQuality,
  DataQualityQuery,
  DataQualityRecords,
  Indicator,
  Rate,
  RetentionCounts,
} from './contract.ts';
import { dataQualityPolicy } from './policy.ts';

/** Business that develops a customer whatever the catalogue says of it (events.md). */
const DEVELOPING_CODES = new Set(['mobile_open', 'fixed_open', 'broadband_open', 'transfer']);
const DAY = 86_400_000;
const HOUR = 3_600_000;

interface EventRow {
  id: string;
  at: Date;
  unit_id: string;
  unit_path: string;
  action: string;
  subject_id: string;
  after: Record<string, unknown> | null;
}

/** One line as the indicators see it, gathered from its events. */
export interface Line {
  lineId: string;
  visitId: string | null;
  unitId: string;
  unitPath: string;
  at: Date;
  businessCode: string;
  businessZh: string;
  businessEn: string;
  light: boolean;
  removed: boolean;
  completeAtEntry: boolean;
  completedAt: Date | null;
  agentSale: boolean;
  returnedAt: Date | null;
  retention: { offered: string[]; accepted: string | null } | null;
}

const str = (v: unknown, fallback = ''): string => (typeof v === 'string' ? v : fallback);
const dateOf = (v: unknown, fallback: Date): Date => {
  if (typeof v !== 'string') return fallback;
  const d = new Date(v);
  return Number.isNaN(d.getTime()) ? fallback : d;
};

export interface Window {
  from: Date;
  to: Date;
  asOf: Date;
  /** When the settings are resolved: the period's last moment, or now. */
  settingsAt: Date;
}

function windowOf(query: { from: string; to: string }, timeZone: string, now: Date): Window {
  const from = atLocal(query.from, '00:00', timeZone);
  const to = atLocal(query.to, '24:00', timeZone);
  const last = new Date(to.getTime() - 1);
  return { from, to, asOf: now, settingsAt: last.getTime() < now.getTime() ? last : now };
}

/** The lines done in the period under `scope`, with what happened to them up to `asOf`, and the errors found. */
async function gather(
  db: DbOrTx,
  scope: string,
  w: Window,
): Promise<{ lines: Map<string, Line>; errors: (ErrorFound & { unitPath: string })[] }> {
  const prefix = `${escapeLike(scope)}%`;
  const events = await rows<EventRow>(
    db,
    sql`select id, at, unit_id, unit_path, action, subject_id, after from events
        where unit_path like ${prefix} and at <= ${w.asOf}
          and ((action = 'visit.transaction_added' and at >= ${w.from} and at < ${w.to})
            or (action in ('visit.record_completed', 'visit.transaction_removed', 'agent_sale.returned',
                           'visit.line_corrected') and at >= ${w.from}))
        order by at, id`,
  );
  const lines = new Map<string, Line>();
  const later: EventRow[] = [];
  for (const e of events) {
    if (e.action !== 'visit.transaction_added') {
      later.push(e);
      continue;
    }
    const a = e.after ?? {};
    const lineId = str(a.lineId, e.subject_id);
    const unitKind = str(a.unitKind) as UnitKind | '';
    const businessCode = str(a.businessCode);
    const r = a.retention as { offered?: unknown; accepted?: unknown } | null | undefined;
    const at = new Date(e.at);
    lines.set(lineId, {
      lineId,
      visitId: typeof a.visitId === 'string' ? a.visitId : null,
      unitId: e.unit_id,
      unitPath: e.unit_path,
      at,
      businessCode,
      businessZh: str(a.businessZh, businessCode),
      businessEn: str(a.businessEn, businessCode),
      light: a.light === true,
      removed: false,
      completeAtEntry: a.customerDataComplete === true,
      completedAt: a.customerDataComplete === true ? dateOf(a.enteredAt, at) : null,
      agentSale: unitKind === 'hall_coop' && (a.opensAccount === true || DEVELOPING_CODES.has(businessCode)),
      returnedAt: null,
      retention:
        r && typeof r === 'object'
          ? {
              offered: Array.isArray(r.offered)
                ? r.offered.filter((o): o is string => typeof o === 'string')
                : [],
              accepted: typeof r.accepted === 'string' ? r.accepted : null,
            }
          : null,
    });
  }
  const errors: (ErrorFound & { unitPath: string })[] = [];
  for (const e of later) {
    const a = e.after ?? {};
    const lineId = str(a.lineId, e.subject_id);
    const at = new Date(e.at);
    if (e.action === 'visit.line_corrected') {
      errors.push({
        recordId: lineId,
        foundAt: dateOf(a.foundAt, at),
        foundBy: str(a.foundBy, 'unknown'),
        unitPath: e.unit_path,
      });
      continue;
    }
    const line = lines.get(lineId);
    if (!line) continue;
    if (e.action === 'visit.transaction_removed') line.removed = true;
    else if (e.action === 'visit.record_completed' && line.completedAt === null)
      line.completedAt = dateOf(a.completedAt, at);
    else if (e.action === 'agent_sale.returned' && line.returnedAt === null)
      line.returnedAt = dateOf(a.returnedAt, at);
  }
  return { lines, errors };
}

const KEYS = {
  entryWithinHours: 'customerData.entryWithinHours',
  completenessTarget: 'customerData.completenessTarget',
  errorRateMax: 'customerData.errorRateMax',
  agentReturnDays: 'customerData.agentReturnDays',
  agentReturnTarget: 'customerData.agentReturnTarget',
} as const;

async function settingsOf(db: DbOrTx, path: string, at: Date) {
  const all = await settingsInForce(db, path, at);
  const get = (key: string): Resolved => {
    const r = all.find((s) => s.key === key);
    if (!r) throw new Error(`setting ${key} is not defined`);
    return r;
  };
  return {
    entryWithinHours: get(KEYS.entryWithinHours),
    completenessTarget: get(KEYS.completenessTarget),
    errorRateMax: get(KEYS.errorRateMax),
    agentReturnDays: get(KEYS.agentReturnDays),
    agentReturnTarget: get(KEYS.agentReturnTarget),
  };
}

const records = (lines: Iterable<Line>) => [...lines].filter((l) => !l.light && !l.removed);

function compute(
  lines: Line[],
  errors: ErrorFound[],
  w: Window,
  settings: Awaited<ReturnType<typeof settingsOf>>,
) {
  const rec = records(lines);
  const due: DueRecord[] = rec.map((l) => ({ id: l.lineId, businessAt: l.at, completedAt: l.completedAt }));
  const entered: EnteredRecord[] = rec.map((l) => ({ id: l.lineId, enteredAt: l.at }));
  const sales: CoreAgentSale[] = lines
    .filter((l) => l.agentSale && !l.removed)
    .map((l) => ({ id: l.lineId, soldAt: l.at, returnedAt: l.returnedAt }));
  return dataQuality({
    period: { from: w.from, to: w.to },
    asOf: w.asOf,
    due,
    entered,
    errorsFound: errors,
    agentSales: sales,
    settings,
  });
}

function rateOf(r: ReturnType<typeof dataQuality>['completeTimely']): Rate {
  return {
    indicator: r.indicator,
    numerator: r.numerator,
    denominator: r.denominator,
    rate: r.rate,
    target: typeof r.target.value === 'number' ? r.target.value : 0,
    met: r.meetsTarget,
    pending: r.pending.length,
  };
}

const ratesOf = (q: ReturnType<typeof dataQuality>): Rate[] => [
  rateOf(q.completeTimely),
  rateOf(q.errorRate),
  rateOf(q.agentReturn),
];

interface HallRef {
  id: string;
  path: string;
  name: string;
  kind: UnitKind;
}

/** The unit the caller asked about (authorised to read) and the halls under it (itself, if a hall). */
async function scopeOf(ctx: Ctx, unitId: string) {
  const unit = await getUnitRef(ctx.db, unitId);
  authorize(ctx.actor, dataQualityPolicy, 'data_quality.read', unit.path);
  const halls = await rows<HallRef>(
    ctx.db,
    sql`select id, path, name, kind from units where path like ${`${escapeLike(unit.path)}%`}
        and kind in (${sql.join(
          HALL_KINDS.map((k) => sql`${k}`),
          sql`, `,
        )}) order by path`,
  );
  return { unit, halls };
}

const inHall = (h: HallRef) => (x: { unitPath: string }) => inSubtree(h.path, x.unitPath);

/** The three rates of a unit and of each hall under it, for a period of local dates. */
export async function dataQualityOf(ctx: Ctx, query: DataQualityQuery): Promise<DataQuality> {
  const { unit, halls } = await scopeOf(ctx, query.unitId);
  const w = windowOf(query, unit.timeZone, ctx.clock.now());
  const { lines, errors } = await gather(ctx.db, unit.path, w);
  const all = [...lines.values()];
  const settings = await settingsOf(ctx.db, unit.path, w.settingsAt);
  const total = compute(all, errors, w, settings);
  const perHall = await Promise.all(
    halls.map(async (h) => ({
      unitId: h.id,
      name: h.name,
      rates: ratesOf(
        compute(
          all.filter(inHall(h)),
          errors.filter(inHall(h)),
          w,
          await settingsOf(ctx.db, h.path, w.settingsAt),
        ),
      ),
    })),
  );
  return {
    unitId: unit.id,
    from: query.from,
    to: query.to,
    rates: ratesOf(total),
    halls: perHall,
    settings: Object.values(settings).map((s) => ({ key: s.key, value: s.value })),
  };
}

/** Who found an error, in words: the kinds `CorrectLine.foundBy` names, else a staff member (self) by name. */
const FINDERS: Record<string, { zh: string; en: string }> = {
  audit: { zh: '稽核', en: 'the audit' },
  complaint: { zh: '客户投诉', en: 'a customer complaint' },
  customer: { zh: '客户本人', en: 'the customer' },
  self: { zh: '经办人本人', en: 'the clerk who entered it' },
};
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

async function findersOf(db: DbOrTx, foundBy: string[]): Promise<(by: string) => { zh: string; en: string }> {
  const staffIds = [...new Set(foundBy.filter((b) => UUID.test(b)))];
  const names = new Map(
    staffIds.length === 0
      ? []
      : (
          await rows<{ id: string; name: string }>(
            db,
            sql`select id, name from staff where id in (${sql.join(
              staffIds.map((id) => sql`${id}::uuid`),
              sql`, `,
            )})`,
          )
        ).map((r) => [r.id, r.name]),
  );
  return (by) => {
    const name = names.get(by);
    if (name) return { zh: `${name}（经办人本人）`, en: `${name} (who entered it)` };
    return FINDERS[by] ?? { zh: by, en: by };
  };
}

const fmt = (d: Date) => d.toISOString().slice(0, 16).replace('T', ' ');

/** The records behind a unit's figure of one indicator, with why each counts or falls short. */
export async function dataQualityRecords(
  ctx: Ctx,
  query: DataQualityQuery & { indicator: Indicator },
): Promise<DataQualityRecords> {
  const { unit } = await scopeOf(ctx, query.unitId);
  const w = windowOf(query, unit.timeZone, ctx.clock.now());
  const { lines, errors } = await gather(ctx.db, unit.path, w);
  const settings = await settingsOf(ctx.db, unit.path, w.settingsAt);
  const q = compute([...lines.values()], errors, w, settings);
  const names = new Map(
    (
      await rows<{ id: string; name: string }>(
        ctx.db,
        sql`select id, name from units where path like ${`${escapeLike(unit.path)}%`}`,
      )
    ).map((u) => [u.id, u.name]),
  );
  const item = (
    recordId: string,
    reason: DataQualityRecords['items'][number]['reason'],
    detail: string,
    at?: Date,
  ): DataQualityRecords['items'][number] => {
    const l = lines.get(recordId);
    return {
      indicator: query.indicator,
      recordId,
      visitId: l?.visitId ?? null,
      hallName: l ? (names.get(l.unitId) ?? '') : '',
      businessZh: l?.businessZh ?? '',
      businessEn: l?.businessEn ?? '',
      at: (at ?? l?.at ?? w.from).toISOString(),
      reason,
      detail,
    };
  };
  const items: DataQualityRecords['items'] = [];
  if (query.indicator === 'complete_timely') {
    const hours = Number(settings.entryWithinHours.value);
    const r = q.completeTimely;
    for (const id of r.counted) items.push(item(id, 'ok', bi('资料完整及时', 'Complete in time')));
    for (const s of r.shortfall) {
      const l = lines.get(s.id);
      if (s.reason === 'late' && l?.completedAt)
        items.push(
          item(
            s.id,
            'late',
            bi(
              `资料于 ${fmt(l.completedAt)} 补全，超过 ${hours} 小时时限`,
              `Completed at ${fmt(l.completedAt)} UTC, past the ${hours} h limit`,
            ),
          ),
        );
      else
        items.push(
          item(
            s.id,
            'incomplete',
            bi(`${hours} 小时内资料未补全`, `Still incomplete ${hours} h after the business`),
          ),
        );
    }
    for (const id of r.pending) {
      const l = lines.get(id);
      const deadline = l ? new Date(l.at.getTime() + hours * HOUR) : w.to;
      items.push(
        item(id, 'pending', bi(`待补全，时限 ${fmt(deadline)}`, `To complete by ${fmt(deadline)} UTC`)),
      );
    }
  } else if (query.indicator === 'error_rate') {
    const finders = await findersOf(
      ctx.db,
      q.errorRate.errors.map((e) => e.foundBy),
    );
    for (const e of q.errorRate.errors) {
      const by = finders(e.foundBy);
      items.push(
        item(
          e.recordId,
          'error',
          bi(
            `差错，由${by.zh}发现${e.enteredInPeriod ? '' : '（非本期录入）'}`,
            `Error found by ${by.en}${e.enteredInPeriod ? '' : ' (entered in an earlier period)'}`,
          ),
          e.foundAt,
        ),
      );
    }
  } else {
    const days = Number(settings.agentReturnDays.value);
    const r = q.agentReturn;
    for (const id of r.counted) items.push(item(id, 'ok', bi('按时返档', 'Returned in time')));
    for (const s of r.shortfall)
      items.push(
        item(
          s.id,
          s.reason === 'returned_late' ? 'returned_late' : 'overdue',
          s.reason === 'returned_late'
            ? bi(`返档超过 ${days} 天时限`, `Returned later than ${days} days`)
            : bi(`超过 ${days} 天未返档`, `Not returned within ${days} days`),
        ),
      );
    for (const id of r.pending) {
      const l = lines.get(id);
      const deadline = l ? new Date(l.at.getTime() + days * DAY) : w.to;
      items.push(
        item(id, 'pending', bi(`待返档，时限 ${fmt(deadline)}`, `To return by ${fmt(deadline)} UTC`)),
      );
    }
  }
  items.sort((a, b) => a.at.localeCompare(b.at) || a.recordId.localeCompare(b.recordId));
  return { items, total: items.length };
}

/** Cancellations that went through the retention step (2§2.1.6), retained or not, per hall. */
export async function retentionCounts(ctx: Ctx, query: DataQualityQuery): Promise<RetentionCounts> {
  const { unit, halls } = await scopeOf(ctx, query.unitId);
  const w = windowOf(query, unit.timeZone, ctx.clock.now());
  const { lines } = await gather(ctx.db, unit.path, w);
  const asked = [...lines.values()].filter((l) => l.retention !== null && !l.removed);
  const count = (ls: Line[]) => {
    const retained = ls.filter((l) => l.retention?.accepted != null).length;
    return { asked: ls.length, retained, share: ls.length === 0 ? null : retained / ls.length };
  };
  return {
    unitId: unit.id,
    from: query.from,
    to: query.to,
    halls: halls.map((h) => ({ unitId: h.id, name: h.name, ...count(asked.filter(inHall(h))) })),
    total: count(asked),
  };
}

/** The line's `visit.transaction_added` in the caller's reach for the action, as an agent sale (or why not). */
async function agentLine(db: DbOrTx, lineId: string) {
  const [e] = await rows<EventRow>(
    db,
    sql`select id, at, unit_id, unit_path, action, subject_id, after from events
        where action = 'visit.transaction_added' and subject_id = ${lineId} order by at limit 1`,
  );
  return e ?? null;
}

/** Agent sales under a unit with their deadlines, outstanding or returned (oldest first). */
export async function listAgentSales(
  ctx: Ctx,
  query: { unitId: string; status?: 'outstanding' | 'returned' | undefined; limit: number; offset: number },
): Promise<{ items: AgentSale[]; total: number }> {
  const unit = await getUnitRef(ctx.db, query.unitId);
  authorize(ctx.actor, dataQualityPolicy, 'data_quality.read', unit.path);
  const now = ctx.clock.now();
  // Every agent sale ever made under the unit: no period, the list is of what is still followed.
  const { lines } = await gather(ctx.db, unit.path, {
    from: new Date(0),
    to: new Date(now.getTime() + 1),
    asOf: now,
    settingsAt: now,
  });
  const names = new Map(
    (
      await rows<{ id: string; name: string }>(
        ctx.db,
        sql`select id, name from units where path like ${`${escapeLike(unit.path)}%`}`,
      )
    ).map((u) => [u.id, u.name]),
  );
  const daysOf = new Map<string, number>();
  const items: AgentSale[] = [];
  for (const l of lines.values()) {
    if (!l.agentSale || l.removed) continue;
    if (query.status === 'outstanding' && l.returnedAt) continue;
    if (query.status === 'returned' && !l.returnedAt) continue;
    let days = daysOf.get(l.unitPath);
    if (days === undefined) {
      days = Number((await settingsOf(ctx.db, l.unitPath, l.at)).agentReturnDays.value);
      daysOf.set(l.unitPath, days);
    }
    const deadline = new Date(l.at.getTime() + days * DAY);
    items.push({
      lineId: l.lineId,
      visitId: l.visitId,
      hallId: l.unitId,
      hallName: names.get(l.unitId) ?? '',
      businessCode: l.businessCode,
      businessZh: l.businessZh,
      businessEn: l.businessEn,
      soldAt: l.at.toISOString(),
      deadline: deadline.toISOString(),
      returnedAt: l.returnedAt?.toISOString() ?? null,
      overdue: (l.returnedAt ?? now).getTime() > deadline.getTime(),
    });
  }
  // The soonest deadline first, so a page is stable and the overdue ones lead.
  items.sort((a, b) => a.deadline.localeCompare(b.deadline) || a.lineId.localeCompare(b.lineId));
  return { items: items.slice(query.offset, query.offset + query.limit), total: items.length };
}

/** The customer documents of an agent sale came back (返档): once per line, only for an agent sale. */
export async function recordAgentReturn(
  ctx: Ctx,
  lineId: string,
): Promise<{ lineId: string; returnedAt: string; onTime: boolean }> {
  return command(ctx, async (tx) => {
    const e = await agentLine(tx, lineId);
    if (!e) throw notFound({ zh: '业务受理记录', en: 'Visit line' });
    authorize(ctx.actor, dataQualityPolicy, 'data_quality.return', e.unit_path);
    const managerial = ctx.actor.positions.some(
      (p) => p === 'hall_manager' || p === 'duty_manager' || p === 'auditor',
    );
    if (!managerial && ctx.actor.unitKind !== 'hall_coop')
      throw forbidden(
        'not_coop_hall',
        '只有合作厅本厅、经理或稽核可登记返档',
        'Only the cooperative hall itself, a manager or the auditor records a return',
      );
    const a = e.after ?? {};
    const code = str(a.businessCode);
    if (!(str(a.unitKind) === 'hall_coop' && (a.opensAccount === true || DEVELOPING_CODES.has(code))))
      throw unprocessable(
        'not_agent_sale',
        '该业务不是代理/合作厅发展的业务，无需返档',
        'This business was not sold by a cooperative hall or agent: nothing to return',
      );
    const [removed] = await rows<{ n: number }>(
      tx,
      sql`select count(*)::int as n from events where action = 'visit.transaction_removed' and subject_id = ${lineId}`,
    );
    if ((removed?.n ?? 0) > 0)
      throw unprocessable('line_removed', '该业务已撤销', 'This business was removed');
    const unit = await getUnitRef(tx, e.unit_id);
    const now = ctx.clock.now();
    const soldAt = new Date(e.at);
    // The unique line key makes the return once, even for two requests at the same instant.
    const [row] = await tx
      .insert(agentSalesTable)
      .values({
        provinceId: unit.provinceId,
        id: lineId,
        unitId: unit.id,
        unitPath: unit.path,
        lineId,
        customerId: typeof a.customerId === 'string' ? a.customerId : null,
        businessCode: code,
        soldAt,
        returnedAt: now,
        returnedBy: ctx.actor.id,
      })
      .onConflictDoUpdate({
        target: agentSalesTable.lineId,
        set: { returnedAt: now, returnedBy: ctx.actor.id },
        setWhere: sql`${agentSalesTable.returnedAt} is null`,
      })
      .returning({ id: agentSalesTable.id });
    if (!row)
      throw conflict(
        'already_returned',
        '该业务资料已返档',
        'The documents of this business are already returned',
      );
    const days = Number((await settingsOf(tx, unit.path, soldAt)).agentReturnDays.value);
    const onTime = now.getTime() <= soldAt.getTime() + days * DAY;
    await appendEvent(tx, ctx, {
      action: 'agent_sale.returned',
      unit,
      subjectType: 'visit_line',
      subjectId: lineId,
      after: { lineId, returnedAt: now.toISOString(), onTime },
    });
    return { lineId, returnedAt: now.toISOString(), onTime };
  });
}
