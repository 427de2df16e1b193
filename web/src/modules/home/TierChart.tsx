/** Customers by club tier as a doughnut; ECharts through echarts/core with only what this chart needs. */
import ReactEChartsCore from 'echarts-for-react/esm/core';
import { PieChart } from 'echarts/charts';
import { LegendComponent, TooltipComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import { useMemo } from 'react';

echarts.use([PieChart, TooltipComponent, LegendComponent, CanvasRenderer]);

export interface TierSlice {
  name: string;
  value: number;
  color: string;
}

export default function TierChart({ data, seriesName }: { data: TierSlice[]; seriesName: string }) {
  const option = useMemo(
    () => ({
      tooltip: { trigger: 'item', formatter: '{b}: {c} ({d}%)' },
      legend: { orient: 'vertical', left: 8, top: 'middle' },
      series: [
        {
          name: seriesName,
          type: 'pie',
          radius: ['45%', '72%'],
          center: ['62%', '50%'],
          avoidLabelOverlap: true,
          label: { formatter: '{b}\n{c}' },
          data: data.map((d) => ({ name: d.name, value: d.value, itemStyle: { color: d.color } })),
        },
      ],
    }),
    [data, seriesName],
  );
  return (
    <ReactEChartsCore
      echarts={echarts}
      option={option}
      notMerge
      style={{ height: 300, width: '100%' }}
      opts={{ renderer: 'canvas' }}
    />
  );
}
