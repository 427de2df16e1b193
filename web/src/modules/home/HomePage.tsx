/** /: the dashboard: units by kind, staff, customers by club tier (computed from the list endpoints). */
import { ApartmentOutlined, IdcardOutlined, TeamOutlined } from '@ant-design/icons';
import { Alert, Card, Col, Empty, Row, Skeleton, Statistic, Table, Tag, Typography } from 'antd';
import { lazy, Suspense, useEffect, useMemo, useState } from 'react';
import { UNIT_KINDS } from '../../../../src/core/org.ts';
import type { UnitKind } from '../../../../src/core/org.ts';
import { mayOpen } from '../../platform/access.ts';
import { api, errorText } from '../../platform/api.ts';
import type { PageOf } from '../../platform/api.ts';
import { useMe } from '../../platform/auth.tsx';
import { useT } from '../../platform/i18n.tsx';
import { CLUB_TIERS, CLUB_TIER_CODES } from '../../platform/labels.ts';
import type { ClubTier } from '../../platform/labels.ts';
import { common } from '../../platform/messages.ts';
import { PageTitle } from '../../platform/Page.tsx';
import { useUnits } from '../../platform/units.tsx';

const TierChart = lazy(() => import('./TierChart.tsx'));

const messages = {
  ...common,
  title: { zh: '工作台', en: 'Dashboard' },
  hello: { zh: '您好，{name}', en: 'Hello, {name}' },
  units: { zh: '单位数', en: 'Units' },
  staff: { zh: '员工数', en: 'Staff' },
  customers: { zh: '客户数', en: 'Customers' },
  unitsByKind: { zh: '单位（按类型）', en: 'Units by kind' },
  customersByTier: { zh: '客户（按俱乐部等级）', en: 'Customers by club tier' },
  kind: { zh: '类型', en: 'Kind' },
  count: { zh: '数量', en: 'Count' },
  noCustomers: { zh: '暂无客户数据', en: 'No customers yet' },
  notVisible: { zh: '您的岗位无权查看', en: 'Not visible to your position' },
  tierSeries: { zh: '客户数', en: 'Customers' },
};

interface Counts {
  staff: number | null;
  tiers: Record<ClubTier, number> | null;
}

export default function HomePage() {
  const me = useMe();
  const { t, pick, lang } = useT(messages);
  const { units, loading: unitsLoading } = useUnits();
  const [counts, setCounts] = useState<Counts>({ staff: null, tiers: null });
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<unknown>(null);
  const mayStaff = mayOpen(me, 'staff');
  const mayCustomers = mayOpen(me, 'customers');

  useEffect(() => {
    let live = true;
    const load = async () => {
      setLoading(true);
      setError(null);
      try {
        const staff = mayStaff
          ? api.get<PageOf<unknown>>('/api/staff', { limit: 1 }).then((r) => r.total)
          : Promise.resolve(null);
        const tiers = mayCustomers
          ? Promise.all(
              CLUB_TIER_CODES.map((tier) =>
                api
                  .get<PageOf<unknown>>('/api/customers', { tier, limit: 1 })
                  .then((r) => [tier, r.total] as const),
              ),
            ).then((pairs) => Object.fromEntries(pairs) as Record<ClubTier, number>)
          : Promise.resolve(null);
        const [s, tr] = await Promise.all([staff, tiers]);
        if (live) setCounts({ staff: s, tiers: tr });
      } catch (e) {
        if (live) setError(e);
      } finally {
        if (live) setLoading(false);
      }
    };
    void load();
    return () => {
      live = false;
    };
  }, [mayStaff, mayCustomers]);

  const byKind = useMemo(() => {
    const m = new Map<UnitKind, number>();
    for (const u of units) m.set(u.kind, (m.get(u.kind) ?? 0) + 1);
    return (Object.keys(UNIT_KINDS) as UnitKind[])
      .filter((k) => m.has(k))
      .map((k) => ({ kind: k, count: m.get(k) ?? 0 }));
  }, [units]);

  const customerTotal = counts.tiers
    ? CLUB_TIER_CODES.reduce((s, k) => s + (counts.tiers?.[k] ?? 0), 0)
    : null;
  const slices = counts.tiers
    ? CLUB_TIER_CODES.map((k) => ({
        name: pick(CLUB_TIERS[k]),
        value: counts.tiers?.[k] ?? 0,
        color: CLUB_TIERS[k].chart,
      }))
    : [];

  return (
    <div data-testid="page-home">
      <PageTitle
        title={t('title')}
        extra={<Typography.Text type="secondary">{t('hello', { name: me.name })}</Typography.Text>}
      />
      {error !== null && (
        <Alert type="error" showIcon title={errorText(error, lang)} style={{ marginBottom: 16 }} />
      )}
      <Row gutter={[16, 16]}>
        <Col xs={24} sm={12} lg={8}>
          <Card>
            <Statistic
              title={t('units')}
              value={units.length}
              loading={unitsLoading}
              prefix={<ApartmentOutlined />}
              data-testid="stat-units"
            />
          </Card>
        </Col>
        <Col xs={24} sm={12} lg={8}>
          <Card>
            {mayStaff ? (
              <Statistic
                title={t('staff')}
                value={counts.staff ?? 0}
                loading={loading}
                prefix={<TeamOutlined />}
                data-testid="stat-staff"
              />
            ) : (
              <Statistic title={t('staff')} value={t('notVisible')} styles={{ content: { fontSize: 16 } }} />
            )}
          </Card>
        </Col>
        <Col xs={24} sm={24} lg={8}>
          <Card>
            {mayCustomers ? (
              <Statistic
                title={t('customers')}
                value={customerTotal ?? 0}
                loading={loading}
                prefix={<IdcardOutlined />}
                data-testid="stat-customers"
              />
            ) : (
              <Statistic
                title={t('customers')}
                value={t('notVisible')}
                styles={{ content: { fontSize: 16 } }}
              />
            )}
          </Card>
        </Col>
        <Col xs={24} lg={10}>
          <Card title={t('unitsByKind')} styles={{ body: { padding: 0 } }}>
            <Table
              rowKey="kind"
              size="small"
              pagination={false}
              loading={unitsLoading}
              dataSource={byKind}
              columns={[
                {
                  title: t('kind'),
                  dataIndex: 'kind',
                  render: (k: UnitKind) => <Tag>{pick(UNIT_KINDS[k])}</Tag>,
                },
                { title: t('count'), dataIndex: 'count', align: 'right', width: 100 },
              ]}
            />
          </Card>
        </Col>
        <Col xs={24} lg={14}>
          <Card title={t('customersByTier')} data-testid="tier-chart">
            {!mayCustomers ? (
              <Empty description={t('notVisible')} />
            ) : loading ? (
              <Skeleton active />
            ) : customerTotal === 0 ? (
              <Empty description={t('noCustomers')} />
            ) : (
              <Suspense fallback={<Skeleton active />}>
                <TierChart data={slices} seriesName={t('tierSeries')} />
              </Suspense>
            )}
          </Card>
        </Col>
      </Row>
    </div>
  );
}
