/** Charts of the queue statistics (ECharts through echarts/core with only what they need). */
import ReactEChartsCore from 'echarts-for-react/esm/core';
import { BarChart, LineChart } from 'echarts/charts';
import { GridComponent, LegendComponent, MarkLineComponent, TooltipComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import { useMemo } from 'react';
import type { StatsRow } from '../../../../src/modules/queue/contract.ts';
import { categoryAxis } from './chart-axis.ts';

echarts.use([
  BarChart,
  LineChart,
  GridComponent,
  TooltipComponent,
  LegendComponent,
  MarkLineComponent,
  CanvasRenderer,
]);

export interface ChartLabels {
  avgWait: string;
  p90Wait: string;
  normalShare: string;
  vipShare: string;
  minutes: string;
  share: string;
  waitLimit: number;
  channels: Record<string, string>;
  noShows: string;
  tickets: string;
  txShare: string;
}

const pct = (v: number | null) => (v === null ? null : Math.round(v * 1000) / 10);
const round = (v: number | null) => (v === null ? null : Math.round(v * 10) / 10);

/** Average and 90th-percentile wait (bars, minutes) and the shares within the limits (lines, %). */
export function WaitChart({ rows, labels, line }: { rows: StatsRow[]; labels: ChartLabels; line: boolean }) {
  const axis = useMemo(() => categoryAxis(rows.map((r) => r.label)), [rows]);
  const option = useMemo(
    () => ({
      tooltip: { trigger: 'axis' },
      legend: { bottom: 0 },
      xAxis: axis.xAxis,
      grid: axis.grid,
      animationDuration: 400,
      yAxis: [
        {
          type: 'value',
          name: labels.minutes,
          min: 0,
          // Always up to the limit, so its dashed line shows.
          max: (v: { max: number }) => Math.ceil((Math.max(v.max, labels.waitLimit) * 1.1) / 5) * 5,
        },
        { type: 'value', name: labels.share, min: 0, max: 100, axisLabel: { formatter: '{value}%' } },
      ],
      series: [
        {
          name: labels.avgWait,
          type: line ? 'line' : 'bar',
          data: rows.map((r) => round(r.wait.averageMinutes)),
          itemStyle: { color: '#1677ff' },
          markLine: {
            symbol: 'none',
            lineStyle: { color: '#cf1322', type: 'dashed' },
            data: [{ yAxis: labels.waitLimit, name: `${labels.waitLimit}` }],
          },
        },
        {
          name: labels.p90Wait,
          type: line ? 'line' : 'bar',
          data: rows.map((r) => round(r.wait.p90Minutes)),
          itemStyle: { color: '#69b1ff' },
        },
        {
          name: labels.normalShare,
          type: 'line',
          yAxisIndex: 1,
          data: rows.map((r) => pct(r.normalWait.withinLimitShare)),
          itemStyle: { color: '#52c41a' },
        },
        {
          name: labels.vipShare,
          type: 'line',
          yAxisIndex: 1,
          data: rows.map((r) => pct(r.vipWait.withinLimitShare)),
          itemStyle: { color: '#faad14' },
        },
      ],
    }),
    [rows, labels, line, axis],
  );
  return (
    <ReactEChartsCore
      echarts={echarts}
      option={option}
      notMerge
      style={{ height: axis.height, width: '100%' }}
    />
  );
}

/** Tickets by channel (stacked bars), no-shows, and the transaction's average and share within 10 min. */
export function VolumeChart({ rows, labels }: { rows: StatsRow[]; labels: ChartLabels }) {
  const axis = useMemo(() => categoryAxis(rows.map((r) => r.label)), [rows]);
  const channels = Object.keys(labels.channels);
  const option = useMemo(
    () => ({
      tooltip: { trigger: 'axis' },
      legend: { bottom: 0 },
      xAxis: axis.xAxis,
      grid: axis.grid,
      animationDuration: 400,
      yAxis: [
        { type: 'value', name: labels.tickets, min: 0, minInterval: 1 },
        { type: 'value', name: labels.share, min: 0, max: 100, axisLabel: { formatter: '{value}%' } },
      ],
      series: [
        ...channels.map((c) => ({
          name: labels.channels[c],
          type: 'bar',
          stack: 'channel',
          data: rows.map((r) => r.byChannel[c] ?? 0),
        })),
        {
          name: labels.noShows,
          type: 'bar',
          data: rows.map((r) => r.noShows),
          itemStyle: { color: '#ff7875' },
        },
        {
          name: labels.txShare,
          type: 'line',
          yAxisIndex: 1,
          data: rows.map((r) => pct(r.transaction.withinLimitShare)),
          itemStyle: { color: '#722ed1' },
        },
      ],
    }),
    [rows, labels, channels, axis],
  );
  return (
    <ReactEChartsCore
      echarts={echarts}
      option={option}
      notMerge
      style={{ height: axis.height, width: '100%' }}
    />
  );
}

export default function StatsCharts({
  rows,
  labels,
  line,
}: {
  rows: StatsRow[];
  labels: ChartLabels;
  line: boolean;
}) {
  return (
    <div style={{ display: 'grid', gridTemplateColumns: 'repeat(auto-fit, minmax(480px, 1fr))', gap: 16 }}>
      <div data-testid="stats-chart-wait">
        <WaitChart rows={rows} labels={labels} line={line} />
      </div>
      <div data-testid="stats-chart-volume">
        <VolumeChart rows={rows} labels={labels} />
      </div>
    </div>
  );
}
