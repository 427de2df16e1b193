/**
 * /data-quality: the customer-data indicators 2–4 of 2§3.7 of a unit for a period (hall manager, province
 * analyst): the three rates against their targets, a bar chart and a table per hall, a click on a hall's figure
 * opens the records behind it with why each falls short; below, the retention counts of cancellations (2§2.1.6).
 */
import { ReloadOutlined } from '@ant-design/icons';
import {
  Alert,
  Button,
  Card,
  Col,
  DatePicker,
  Drawer,
  Flex,
  Row,
  Statistic,
  Table,
  Tag,
  Tooltip,
  Typography,
} from 'antd';
import ReactEChartsCore from 'echarts-for-react/esm/core';
import { BarChart } from 'echarts/charts';
import { GridComponent, LegendComponent, MarkLineComponent, TooltipComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import dayjs from 'dayjs';
import type { Dayjs } from 'dayjs';
import { useCallback, useEffect, useMemo, useState } from 'react';
import type {
  DataQuality,
  DataQualityRecords,
  Indicator,
  Rate,
  RetentionCounts,
} from '../../../../src/modules/data-quality/contract.ts';
import { BI_SEP } from '../../../../src/platform/contract.ts';
import { api, errorText } from '../../platform/api.ts';
import { useMe } from '../../platform/auth.tsx';
import { useT } from '../../platform/i18n.tsx';
import { formatDateTime } from '../../platform/labels.ts';
import { PageTitle } from '../../platform/Page.tsx';
import { UnitSelect } from '../../platform/units.tsx';
import { messages } from './messages.ts';

echarts.use([BarChart, GridComponent, TooltipComponent, LegendComponent, MarkLineComponent, CanvasRenderer]);

const INDICATORS: Indicator[] = ['complete_timely', 'error_rate', 'agent_return'];
const pct = (v: number | null) => (v === null ? '—' : `${(Math.round(v * 1000) / 10).toFixed(1)}%`);
const DAY = 'YYYY-MM-DD';

export default function DataQualityPage() {
  const { t, lang } = useT(messages);
  const me = useMe();
  const [unitId, setUnitId] = useState(me.unitId);
  const [range, setRange] = useState<[Dayjs, Dayjs]>(() => [dayjs().startOf('month'), dayjs()]);
  const [dq, setDq] = useState<DataQuality | null>(null);
  const [retention, setRetention] = useState<RetentionCounts | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [loading, setLoading] = useState(false);
  const [drill, setDrill] = useState<{ unitId: string; name: string; indicator: Indicator } | null>(null);
  const [records, setRecords] = useState<DataQualityRecords | null>(null);

  const period = useMemo(() => ({ from: range[0].format(DAY), to: range[1].format(DAY) }), [range]);
  const load = useCallback(async () => {
    setLoading(true);
    setError(null);
    try {
      const [q, r] = await Promise.all([
        api.get<DataQuality>('/api/data-quality', { unitId, ...period }),
        api.get<RetentionCounts>('/api/data-quality/retention', { unitId, ...period }),
      ]);
      setDq(q);
      setRetention(r);
    } catch (e) {
      setError(e);
      setDq(null);
      setRetention(null);
    } finally {
      setLoading(false);
    }
  }, [unitId, period]);
  useEffect(() => {
    void load();
  }, [load]);

  useEffect(() => {
    if (!drill) return;
    setRecords(null);
    api
      .get<DataQualityRecords>('/api/data-quality/records', {
        unitId: drill.unitId,
        indicator: drill.indicator,
        ...period,
      })
      .then(setRecords, setError);
  }, [drill, period]);

  const targetText = (r: Rate) =>
    t('targetOf', { op: r.indicator === 'error_rate' ? '<' : '≥', value: pct(r.target) });
  const verdict = (r: Rate) =>
    r.met === null ? (
      <Tag>{t('noData')}</Tag>
    ) : r.met ? (
      <Tag color="green">{t('met')}</Tag>
    ) : (
      <Tag color="red">{t('notMet')}</Tag>
    );
  const bi = (s: string) => {
    const [zh, en] = s.split(BI_SEP);
    return lang === 'en-US' ? (en ?? zh ?? s) : (zh ?? s);
  };

  const option = useMemo(() => {
    if (!dq) return null;
    const halls = dq.halls;
    return {
      tooltip: { trigger: 'axis', valueFormatter: (v: number) => `${v}%` },
      legend: { bottom: 0 },
      grid: { left: 48, right: 16, top: 24, bottom: 64 },
      xAxis: { type: 'category', data: halls.map((h) => h.name), axisLabel: { interval: 0 } },
      yAxis: { type: 'value', min: 0, max: 100, axisLabel: { formatter: '{value}%' } },
      animationDuration: 300,
      series: INDICATORS.map((ind) => ({
        name: t(`ind.${ind}`),
        type: 'bar',
        data: halls.map((h) => {
          const r = h.rates.find((x) => x.indicator === ind);
          return r?.rate == null ? null : Math.round(r.rate * 1000) / 10;
        }),
        markLine:
          ind === 'complete_timely'
            ? {
                symbol: 'none',
                lineStyle: { type: 'dashed' },
                data: [{ yAxis: 100, name: t('target') }],
                label: { show: false },
              }
            : undefined,
      })),
    };
  }, [dq, t]);

  const rateCell = (unit: { unitId: string; name: string }, r: Rate | undefined) =>
    r ? (
      <Button
        type="link"
        size="small"
        style={{ padding: 0 }}
        data-testid={`dq-cell-${unit.unitId}-${r.indicator}`}
        onClick={() => setDrill({ unitId: unit.unitId, name: unit.name, indicator: r.indicator })}
      >
        {pct(r.rate)} ({r.numerator}/{r.denominator})
        {r.pending > 0 ? ` · ${t('pending', { n: r.pending })}` : ''}
      </Button>
    ) : (
      '—'
    );

  return (
    <div data-testid="page-data-quality">
      <PageTitle title={t('title')} />
      <Typography.Paragraph type="secondary">{t('intro')}</Typography.Paragraph>
      <Card style={{ marginBottom: 16 }}>
        <Flex gap={12} wrap align="center">
          <UnitSelect
            style={{ width: 260 }}
            value={unitId}
            onChange={(v: string) => setUnitId(v)}
            placeholder={t('unitPick')}
            data-testid="dq-unit"
          />
          <DatePicker.RangePicker
            value={range}
            allowClear={false}
            onChange={(v) => v && v[0] && v[1] && setRange([v[0], v[1]])}
            data-testid="dq-range"
          />
          <Tooltip title={t('refresh')}>
            <Button icon={<ReloadOutlined />} onClick={() => void load()} aria-label={t('refresh')} />
          </Tooltip>
        </Flex>
      </Card>
      {error !== null && (
        <Alert type="error" showIcon title={errorText(error, lang)} style={{ marginBottom: 16 }} />
      )}
      {dq && (
        <>
          <Row gutter={16} style={{ marginBottom: 16 }}>
            {dq.rates.map((r) => (
              <Col xs={24} md={8} key={r.indicator}>
                <Card data-testid={`dq-total-${r.indicator}`}>
                  <Statistic title={t(`ind.${r.indicator}`)} value={pct(r.rate)} />
                  <Flex gap={8} align="center" style={{ marginTop: 8 }}>
                    <Typography.Text type="secondary">
                      {r.numerator}/{r.denominator} · {targetText(r)}
                    </Typography.Text>
                    {verdict(r)}
                  </Flex>
                </Card>
              </Col>
            ))}
          </Row>
          {option && dq.halls.length > 0 && (
            <Card title={t('chart')} style={{ marginBottom: 16 }}>
              <ReactEChartsCore echarts={echarts} option={option} style={{ height: 300 }} notMerge />
            </Card>
          )}
          <Card style={{ marginBottom: 16 }}>
            <Table
              rowKey="unitId"
              size="small"
              loading={loading}
              pagination={false}
              data-testid="dq-halls"
              dataSource={dq.halls}
              columns={[
                { title: t('hall'), dataIndex: 'name' },
                ...INDICATORS.map((ind) => ({
                  title: t(`ind.${ind}`),
                  key: ind,
                  render: (_: unknown, h: DataQuality['halls'][number]) =>
                    rateCell(
                      h,
                      h.rates.find((r) => r.indicator === ind),
                    ),
                })),
              ]}
            />
          </Card>
        </>
      )}
      {retention && (
        <Card title={t('retention')} data-testid="dq-retention">
          <Table
            rowKey="unitId"
            size="small"
            pagination={false}
            dataSource={[...retention.halls, { unitId: 'total', name: t('total'), ...retention.total }]}
            columns={[
              { title: t('hall'), dataIndex: 'name' },
              { title: t('asked'), dataIndex: 'asked' },
              { title: t('retained'), dataIndex: 'retained' },
              {
                title: t('share'),
                key: 'share',
                render: (_: unknown, r: { share: number | null }) => pct(r.share),
              },
            ]}
          />
        </Card>
      )}
      <Drawer
        open={drill !== null}
        onClose={() => setDrill(null)}
        size="large"
        title={drill ? t('records', { hall: drill.name, indicator: t(`ind.${drill.indicator}`) }) : ''}
      >
        <Table
          rowKey={(r) => `${r.recordId}-${r.at}`}
          size="small"
          loading={records === null}
          data-testid="dq-records"
          dataSource={records?.items ?? []}
          pagination={{ pageSize: 50 }}
          columns={[
            { title: t('at'), key: 'at', render: (_, r) => formatDateTime(r.at) },
            { title: t('hall'), dataIndex: 'hallName' },
            {
              title: t('business'),
              key: 'b',
              render: (_, r) => (lang === 'en-US' ? r.businessEn : r.businessZh),
            },
            {
              title: t('reason'),
              key: 'reason',
              render: (_, r) => (
                <Tag color={r.reason === 'ok' ? 'green' : r.reason === 'pending' ? 'default' : 'red'}>
                  {t(`reason.${r.reason}`)}
                </Tag>
              ),
            },
            { title: t('detail'), key: 'detail', render: (_, r) => bi(r.detail) },
          ]}
        />
      </Drawer>
    </div>
  );
}
