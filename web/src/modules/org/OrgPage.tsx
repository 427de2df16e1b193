/** /org: the organisation tree with the selected unit's detail, hours, exceptions and edit forms. */
import { ApartmentOutlined, EditOutlined, PlusOutlined } from '@ant-design/icons';
import {
  Alert,
  Button,
  Card,
  Col,
  Descriptions,
  Empty,
  Flex,
  Input,
  Row,
  Spin,
  Tag,
  Tree,
  Typography,
} from 'antd';
import type { TreeDataNode } from 'antd';
import { useCallback, useEffect, useMemo, useState } from 'react';
import type { Key } from 'react';
import { HALL_KINDS, UNIT_KINDS } from '../../../../src/core/org.ts';
import type { UnitDetail } from '../../../../src/modules/org/contract.ts';
import { CreateUnit } from '../../../../src/modules/org/contract.ts';
import { FIELD_LABELS } from '../../../../src/platform/words.ts';
import { maxLengthOf } from '../../platform/limits.ts';
import { hasPermission } from '../../platform/access.ts';
import { api, errorText } from '../../platform/api.ts';
import { useMe } from '../../platform/auth.tsx';
import { useT } from '../../platform/i18n.tsx';
import type { Lang } from '../../platform/i18n.tsx';
import { unitKindLabel, weekdayOf, WEEKDAYS } from '../../platform/labels.ts';
import { PageTitle } from '../../platform/Page.tsx';
import { unitName, useUnits } from '../../platform/units.tsx';
import type { UnitNode } from '../../platform/units.tsx';
import { ExceptionsCard } from './ExceptionsCard.tsx';
import { formatMinutes, HoursTable } from './hours.tsx';
import { AddChildModal, EditUnitModal } from './UnitForms.tsx';
import { messages } from './messages.ts';
import { DeviceLinks } from '../tokens/DeviceLinks.tsx';
import { WithClauses } from '../../platform/Clause.tsx';

function matches(node: UnitNode, q: string): boolean {
  const s = q.toLowerCase();
  return (
    node.unit.name.toLowerCase().includes(s) ||
    node.unit.code.toLowerCase().includes(s) ||
    node.unit.nameEn.toLowerCase().includes(s)
  );
}

function toTreeData(
  nodes: UnitNode[],
  lang: Lang,
  q: string,
  kindLabel: (k: string) => string,
): TreeDataNode[] {
  const out: TreeDataNode[] = [];
  for (const n of nodes) {
    const children = toTreeData(n.children, lang, q, kindLabel);
    if (q && !matches(n, q) && children.length === 0) continue;
    out.push({
      key: n.unit.id,
      title: (
        <span
          data-testid={`org-node-${n.unit.code}`}
          style={{ whiteSpace: 'normal', wordBreak: 'break-word' }}
        >
          <span style={{ opacity: n.unit.active ? 1 : 0.5 }}>{unitName(n.unit, lang)}</span>{' '}
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {kindLabel(n.unit.kind)}
          </Typography.Text>
        </span>
      ),
      children,
    });
  }
  return out;
}

export default function OrgPage() {
  const me = useMe();
  const { t, lang, pick } = useT(messages);
  const { roots, byId, loading: unitsLoading, reload: reloadUnits } = useUnits();
  const [selected, setSelected] = useState<string | null>(null);
  const [detail, setDetail] = useState<UnitDetail | null>(null);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [q, setQ] = useState('');
  const [expanded, setExpanded] = useState<Key[] | null>(null);
  const [editing, setEditing] = useState(false);
  const [adding, setAdding] = useState(false);
  const mayWrite = hasPermission(me, 'org.write');
  const mayHours = hasPermission(me, 'org.hours') || mayWrite;

  // default: the person's own unit (or the first root of the subtree)
  useEffect(() => {
    if (selected || roots.length === 0) return;
    setSelected(byId.has(me.unitId) ? me.unitId : (roots[0]?.unit.id ?? null));
  }, [roots, byId, me.unitId, selected]);

  const load = useCallback(async (id: string) => {
    setLoading(true);
    setError(null);
    try {
      setDetail(await api.get<UnitDetail>(`/api/units/${id}`));
    } catch (e) {
      setError(e);
      setDetail(null);
    } finally {
      setLoading(false);
    }
  }, []);

  useEffect(() => {
    if (selected) void load(selected);
  }, [selected, load]);

  const treeData = useMemo(
    () => toTreeData(roots, lang, q.trim(), (k) => pick(unitKindLabel(k))),
    [roots, lang, q, pick],
  );
  // two levels open at first; everything open while searching
  const defaultExpanded = useMemo(() => {
    const keys: string[] = [];
    const walk = (nodes: UnitNode[], depth: number) => {
      for (const n of nodes) {
        if (depth < 2 || q) keys.push(n.unit.id);
        walk(n.children, depth + 1);
      }
    };
    walk(roots, 0);
    return keys;
  }, [roots, q]);

  const parent = detail?.parentId ? byId.get(detail.parentId) : undefined;
  const childKinds = detail
    ? (Object.keys(UNIT_KINDS) as (keyof typeof UNIT_KINDS)[]).filter((k) =>
        (UNIT_KINDS[k].parents as readonly string[]).includes(detail.kind),
      )
    : [];

  const afterSave = async (id: string) => {
    await reloadUnits();
    if (id === selected) await load(id);
    else setSelected(id);
  };

  return (
    <div data-testid="page-org">
      <PageTitle title={t('title')} />
      <Row gutter={[16, 16]} wrap>
        <Col xs={24} md={9} xl={7}>
          <Card
            title={
              <Flex gap={8} align="center">
                <ApartmentOutlined />
                {t('tree')}
              </Flex>
            }
            styles={{ body: { padding: 12 } }}
          >
            <Input.Search
              allowClear
              maxLength={maxLengthOf(CreateUnit, 'name')}
              placeholder={t('treeSearch')}
              value={q}
              onChange={(e) => {
                setQ(e.target.value);
                setExpanded(null);
              }}
              style={{ marginBottom: 8 }}
              data-testid="org-tree-search"
            />
            {unitsLoading ? (
              <Spin />
            ) : treeData.length === 0 ? (
              <Empty description={t('noUnits')} />
            ) : (
              <div style={{ overflowX: 'auto', maxHeight: 'calc(100vh - 260px)', overflowY: 'auto' }}>
                <Tree
                  data-testid="org-tree"
                  treeData={treeData}
                  blockNode
                  showLine
                  expandedKeys={expanded ?? defaultExpanded}
                  onExpand={(keys) => setExpanded(keys)}
                  selectedKeys={selected ? [selected] : []}
                  onSelect={(keys) => {
                    const k = keys[0];
                    if (typeof k === 'string') setSelected(k);
                  }}
                />
              </div>
            )}
          </Card>
        </Col>
        <Col xs={24} md={15} xl={17}>
          {error !== null && (
            <Alert type="error" showIcon title={errorText(error, lang)} style={{ marginBottom: 16 }} />
          )}
          {!detail ? (
            <Card>{loading ? <Spin /> : <Empty description={t('pickUnit')} />}</Card>
          ) : (
            <Spin spinning={loading}>
              <Flex vertical gap={16}>
                <Card
                  data-testid="unit-detail"
                  title={
                    <Flex gap={8} align="center" wrap>
                      <span data-testid="unit-detail-name">{unitName(detail, lang)}</span>
                      <Tag color="red">{pick(unitKindLabel(detail.kind))}</Tag>
                      {!detail.active && <Tag>{t('inactive')}</Tag>}
                    </Flex>
                  }
                  extra={
                    mayWrite && (
                      <Flex gap={8}>
                        <Button
                          icon={<EditOutlined />}
                          onClick={() => setEditing(true)}
                          data-testid="unit-edit"
                        >
                          {t('edit')}
                        </Button>
                        {childKinds.length > 0 && (
                          <Button
                            type="primary"
                            icon={<PlusOutlined />}
                            onClick={() => setAdding(true)}
                            data-testid="unit-add-child"
                          >
                            {t('addChild')}
                          </Button>
                        )}
                      </Flex>
                    )
                  }
                >
                  <Descriptions
                    size="small"
                    column={{ xs: 1, sm: 1, md: 1, lg: 2, xl: 2, xxl: 3 }}
                    items={[
                      { key: 'kind', label: t('kind'), children: pick(unitKindLabel(detail.kind)) },
                      {
                        key: 'code',
                        label: t('code'),
                        children: <Typography.Text code>{detail.code}</Typography.Text>,
                      },
                      {
                        key: 'id',
                        label: t('unitId'),
                        children: (
                          <Typography.Text code copyable data-testid="org-unit-id">
                            {detail.id}
                          </Typography.Text>
                        ),
                      },
                      { key: 'name', label: t('unitName'), children: detail.name },
                      { key: 'nameEn', label: t('nameEn'), children: detail.nameEn || '—' },
                      { key: 'parent', label: t('parent'), children: parent ? unitName(parent, lang) : '—' },
                      { key: 'tz', label: t('timeZone'), children: detail.timeZone },
                      ...(HALL_KINDS.includes(detail.kind)
                        ? [
                            {
                              key: 'devicePages',
                              label: t('devicePages'),
                              span: 'filled' as const,
                              children: (
                                <DeviceLinks
                                  hallId={detail.id}
                                  kinds={['kiosk', 'display', 'remote']}
                                  qr={false}
                                />
                              ),
                            },
                          ]
                        : []),
                      {
                        key: 'address',
                        label: t('address'),
                        children: detail.address || '—',
                        span: 'filled',
                      },
                      ...(Object.keys(detail.attributes).length > 0
                        ? [
                            {
                              key: 'attrs',
                              label: t('attributes'),
                              span: 'filled' as const,
                              children: (
                                <Flex gap={4} wrap>
                                  {Object.entries(detail.attributes).map(([k, v]) => (
                                    <Tag key={k} data-testid={`unit-attribute-${k}`}>
                                      {FIELD_LABELS[k] ? pick(FIELD_LABELS[k]) : k}
                                      {lang === 'en-US' ? ': ' : '：'}
                                      {typeof v === 'boolean'
                                        ? pick(v ? { zh: '是', en: 'Yes' } : { zh: '否', en: 'No' })
                                        : String(v)}
                                    </Tag>
                                  ))}
                                </Flex>
                              ),
                            },
                          ]
                        : []),
                    ]}
                  />
                </Card>
                {detail.shortDays.length > 0 && (
                  <Alert
                    type="warning"
                    showIcon
                    data-testid="short-days"
                    title={<WithClauses text={t('shortDaysTitle')} />}
                    description={
                      <Flex gap={6} wrap>
                        {detail.shortDays.map((d) => (
                          <Tag key={d.date} color="orange">
                            {t('shortDay', {
                              date: d.date,
                              weekday: pick(WEEKDAYS[weekdayOf(d.date)]!),
                              hours: formatMinutes(d.minutes, t),
                            })}
                          </Tag>
                        ))}
                      </Flex>
                    }
                  />
                )}
                <Card title={t('openingHours')} styles={{ body: { padding: 0 } }}>
                  <HoursTable
                    hours={detail.openingHours}
                    minMinutes={HALL_KINDS.includes(detail.kind) ? 600 : 0}
                  />
                </Card>
                <ExceptionsCard unit={detail} mayEdit={mayHours} onChanged={() => void load(detail.id)} />
              </Flex>
            </Spin>
          )}
        </Col>
      </Row>
      {detail && editing && (
        <EditUnitModal
          unit={detail}
          onClose={() => setEditing(false)}
          onSaved={(u) => {
            setEditing(false);
            void afterSave(u.id);
          }}
        />
      )}
      {detail && adding && (
        <AddChildModal
          parent={detail}
          kinds={childKinds}
          onClose={() => setAdding(false)}
          onSaved={(u) => {
            setAdding(false);
            void afterSave(u.id);
          }}
        />
      )}
    </div>
  );
}
