/**
 * The statistics table as an Excel file, like the customer list's export (`platform/xlsx.ts`, bilingual
 * headers): the same query, the same scope and policy (`queueStats`), one row per row of the table. The
 * columns are the table's; any figure a row carries beyond them (a nested one too, e.g. ratings) becomes a
 * column of its own, named by its label in `platform/words.ts`, so a figure added to the statistics is
 * exported without touching this file. Rows hold no personal data of customers (counts, times, shares,
 * and for the clerk view the clerk's name as the console shows it).
 */
import type { Ctx } from '../../platform/context.ts';
import { fieldLabel } from '../../platform/words.ts';
import type { Column } from '../../platform/xlsx.ts';
import { xlsx } from '../../platform/xlsx.ts';
import type { Stats, StatsQuery, StatsRow } from './contract.ts';
import { queueStats } from './views.ts';

const BY: Record<Stats['by'], string> = {
  hall: '营业厅 Hall',
  day: '日期 Day',
  category: '业务类别 Service',
  counter: '台席 Counter',
  clerk: '员工 Clerk',
};
const CHANNELS: Record<string, string> = {
  kiosk: '取号机 Kiosk',
  guide: '引导员 Floor guide',
  remote: '远程取号 Remote',
  appointment: '预约 Appointment',
};

const min = (m: number | null) => (m === null ? null : Math.round(m * 10) / 10);
const pct = (s: number | null) => (s === null ? null : Math.round(s * 1000) / 10);

/** The fields the fixed columns show (and `key`, `open`: the row's id and a live figure). */
const SHOWN = new Set([
  'key',
  'label',
  'tickets',
  'served',
  'noShows',
  'notServed',
  'cancelled',
  'transferred',
  'open',
  'byChannel',
  'wait',
  'normalWait',
  'vipWait',
  'transaction',
  'averageSellingMinutes',
]);

const both = (path: string[]) => {
  const l = fieldLabel(path);
  return `${l.zh} ${l.en}`;
};

/** Columns for the figures a row has beyond the fixed ones: numbers, and the numbers of nested records. */
function extraColumns(rows: readonly StatsRow[]): Column<StatsRow>[] {
  const seen = new Map<string, Column<StatsRow>>();
  const at = (r: StatsRow, path: string[]): unknown =>
    path.reduce<unknown>(
      (v, k) => (v && typeof v === 'object' ? (v as Record<string, unknown>)[k] : null),
      r,
    );
  const walk = (value: unknown, path: string[]) => {
    if (typeof value === 'number' || typeof value === 'string' || typeof value === 'boolean') {
      const id = path.join('.');
      if (!seen.has(id)) {
        seen.set(id, {
          header: path.map((_, i) => both(path.slice(0, i + 1))).join(' · '),
          width: 18,
          value: (r) => {
            const v = at(r, path);
            return typeof v === 'number' || typeof v === 'string' || typeof v === 'boolean' ? v : null;
          },
        });
      }
    } else if (value && typeof value === 'object' && !Array.isArray(value)) {
      for (const [k, v] of Object.entries(value)) walk(v, [...path, k]);
    }
  };
  for (const r of rows)
    for (const [k, v] of Object.entries(r as Record<string, unknown>)) if (!SHOWN.has(k)) walk(v, [k]);
  return [...seen.values()];
}

/** The columns of the statistics table, in the order the console shows them. */
export function statsColumns(stats: Stats): Column<StatsRow>[] {
  const limit = (pick: (r: StatsRow) => number[], fallback: number) =>
    stats.rows.map((r) => pick(r)[0]).find((v) => v !== undefined) ?? fallback;
  const wait = limit((r) => r.normalWait.limitsMinutes, 30);
  const vip = limit((r) => r.vipWait.limitsMinutes, 5);
  const tx = limit((r) => r.transaction.limitsMinutes, 10);
  const channels = [
    ...new Set([...Object.keys(CHANNELS), ...stats.rows.flatMap((r) => Object.keys(r.byChannel))]),
  ];
  const perCall = stats.by === 'counter' || stats.by === 'clerk';
  return [
    { header: BY[stats.by], width: 24, value: (r) => r.label },
    { header: '取号数 Tickets', width: 12, value: (r) => r.tickets },
    { header: '办结 Served', width: 12, value: (r) => r.served },
    { header: '过号 No-shows', width: 12, value: (r) => r.noShows },
    { header: '未服务 Not served', width: 14, value: (r) => r.notServed },
    { header: '取消 Cancelled', width: 12, value: (r) => r.cancelled },
    ...(perCall
      ? [{ header: '转移/暂挂 Transferred/parked', width: 16, value: (r: StatsRow) => r.transferred }]
      : []),
    { header: '平均等待（分钟） Average wait (min)', width: 18, value: (r) => min(r.wait.averageMinutes) },
    { header: '90%分位等待（分钟） 90th pct wait (min)', width: 18, value: (r) => min(r.wait.p90Minutes) },
    {
      header: `${wait}分钟内（%） Within ${wait} min (%)`,
      width: 18,
      value: (r) => pct(r.normalWait.withinLimitShare),
    },
    {
      header: `VIP/3G ${vip}分钟内（%） VIP/3G within ${vip} min (%)`,
      width: 20,
      value: (r) => pct(r.vipWait.withinLimitShare),
    },
    {
      header: '平均办理（分钟） Average transaction (min)',
      width: 18,
      value: (r) => min(r.transaction.averageMinutes),
    },
    {
      header: '90%分位办理（分钟） 90th pct transaction (min)',
      width: 18,
      value: (r) => min(r.transaction.p90Minutes),
    },
    {
      header: `办理${tx}分钟内（%） Transactions within ${tx} min (%)`,
      width: 20,
      value: (r) => pct(r.transaction.withinLimitShare),
    },
    {
      header: '平均营销（分钟） Average selling (min)',
      width: 18,
      value: (r) => min(r.averageSellingMinutes),
    },
    ...channels.map((c) => ({
      header: `${CHANNELS[c] ?? c}`,
      width: 14,
      value: (r: StatsRow) => r.byChannel[c] ?? 0,
    })),
    ...extraColumns(stats.rows),
  ];
}

/** The statistics of a query as the bytes of an .xlsx file (scoped and authorised as the statistics). */
export async function exportStats(ctx: Ctx, q: StatsQuery): Promise<Buffer> {
  const stats = await queueStats(ctx, q);
  return xlsx<StatsRow>(`排队统计 Queue statistics`, statsColumns(stats), stats.rows);
}
