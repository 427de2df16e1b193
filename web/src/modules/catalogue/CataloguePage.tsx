/**
 * /catalogue: the business catalogue (业务目录, 2§2.1) of a province — the version in force and the versions
 * stored, each business type with who may do it, the identity check it needs, its fee, its fields and the
 * notes the clerk reads beside the form. An administrator of the province stores a new version (fees, notes
 * and retention offers edited on a copy, or a whole catalogue imported from a JSON file) and retires one.
 */
import { Button, Flex, Input, Select, Space, Table, Tag, Typography } from 'antd';
import { useCallback, useEffect, useMemo, useState } from 'react';
import type { BusinessType } from '../../../../src/core/business-catalogue.ts';
import {
  BUSINESS_GROUPS,
  IDENTITY_CHECKS,
  searchCatalogue,
} from '../../../../src/core/business-catalogue.ts';
import { formatYuan } from '../../../../src/core/visit-money.ts';
import type {
  CatalogueInForce,
  CatalogueVersionSummary,
} from '../../../../src/modules/catalogue/contract.ts';
import type { z } from 'zod';
import { hasPermission } from '../../platform/access.ts';
import { api } from '../../platform/api.ts';
import { useMe } from '../../platform/auth.tsx';
import { useFeedback } from '../../platform/feedback.ts';
import { useT } from '../../platform/i18n.tsx';
import { CUSTOMER_KINDS, formatDateTime } from '../../platform/labels.ts';
import { PageTitle } from '../../platform/Page.tsx';
import { unitName, useUnits } from '../../platform/units.tsx';
import { NewVersionModal } from './NewVersionModal.tsx';
import { messages } from './messages.ts';

type Catalogue = z.infer<typeof CatalogueInForce>;
type Summary = z.infer<typeof CatalogueVersionSummary>;

/** The province (or headquarters) a unit path lies in: the owner of the catalogue in force there. */
function ownerOf(path: string): string {
  const ids = path.split('/').filter(Boolean);
  return ids[1] ?? ids[0] ?? '';
}

export function feeText(type: BusinessType, lang: string): string {
  if (type.fee.kind === 'fixed') return type.fee.fen === 0 ? '—' : `¥${formatYuan(type.fee.fen)}`;
  const field = type.fields.find((f) => f.key === (type.fee.kind === 'field' ? type.fee.field : ''));
  const name = field ? (lang === 'en-US' ? field.en : field.zh) : '';
  return type.fee.sign < 0 ? `−${name}` : name;
}

export default function CataloguePage() {
  const { t, lang, pick } = useT(messages);
  const me = useMe();
  const feedback = useFeedback();
  const { units } = useUnits();
  const owners = useMemo(() => units.filter((u) => u.kind === 'province' || u.kind === 'hq'), [units]);
  const [ownerId, setOwnerId] = useState(() => ownerOf(me.unitPath));
  const [versions, setVersions] = useState<Summary[]>([]);
  const [shown, setShown] = useState<Catalogue | null>(null);
  const [query, setQuery] = useState('');
  const [creating, setCreating] = useState(false);
  const writes = hasPermission(me, 'catalogue.write');

  // A person above a province's level reads and keeps its versions; anyone else reads the catalogue in force
  // at their own unit.
  const managesVersions = owners.some((u) => u.id === ownerId);
  const load = useCallback(
    async (versionId?: string) => {
      try {
        if (!managesVersions) {
          setVersions([]);
          setShown(await api.get<Catalogue>('/api/business-types'));
          return;
        }
        const list = await api.get<{ items: Summary[] }>('/api/business-types/versions', { unitId: ownerId });
        setVersions(list.items);
        setShown(
          versionId
            ? await api.get<Catalogue>(`/api/business-types/versions/${ownerId}/${versionId}`)
            : await api.get<Catalogue>('/api/business-types', { unitId: ownerId }),
        );
      } catch (e) {
        feedback.error(e);
      }
    },
    [ownerId, managesVersions, feedback],
  );
  const { loading: unitsLoading } = useUnits();
  useEffect(() => {
    if (!unitsLoading) void load();
  }, [load, unitsLoading]);

  const retire = async (v: Summary) => {
    try {
      await api.post(`/api/business-types/versions/${v.unitId}/${v.versionId}/retire`);
      feedback.success(t('retired'));
      await load();
    } catch (e) {
      feedback.error(e);
    }
  };

  const types = useMemo(
    () =>
      shown
        ? searchCatalogue({ versionId: shown.versionId, basedOn: shown.basedOn, types: shown.types }, query)
        : [],
    [shown, query],
  );
  const ownerName = (id: string) => {
    const u = units.find((x) => x.id === id);
    return u ? unitName(u, lang) : '';
  };

  return (
    <div data-testid="page-catalogue">
      <PageTitle
        title={t('title')}
        extra={
          <>
            {owners.length > 1 && (
              <Select
                value={ownerId}
                onChange={setOwnerId}
                style={{ minWidth: 200 }}
                options={owners.map((u) => ({ value: u.id, label: unitName(u, lang) }))}
                data-testid="catalogue-owner"
              />
            )}
            {writes && managesVersions && shown && (
              <Button type="primary" onClick={() => setCreating(true)} data-testid="catalogue-new">
                {t('newVersion')}
              </Button>
            )}
          </>
        }
      />
      <Typography.Paragraph type="secondary">{t('intro')}</Typography.Paragraph>
      {managesVersions && (
        <Table<Summary>
          rowKey={(v) => `${v.unitId}:${v.versionId}`}
          size="small"
          pagination={false}
          dataSource={versions}
          locale={{ emptyText: shown ? t('noVersions', { version: shown.versionId }) : '' }}
          data-testid="catalogue-versions"
          style={{ marginBottom: 16 }}
          columns={[
            { title: t('version'), dataIndex: 'versionId' },
            { title: t('basedOn'), dataIndex: 'basedOn', render: (v: string | null) => v ?? '—' },
            { title: t('types'), dataIndex: 'types', width: 90 },
            {
              title: t('created'),
              dataIndex: 'createdAt',
              render: (v: string) => (v.startsWith('1970') ? t('builtin') : formatDateTime(v)),
            },
            {
              title: t('state'),
              render: (_: unknown, v: Summary) =>
                v.inForce ? (
                  <Tag color="green">{t('inForce')}</Tag>
                ) : v.retiredAt ? (
                  <Tag>{t('retiredAt', { at: formatDateTime(v.retiredAt) })}</Tag>
                ) : (
                  <Tag color="blue">{t('stored')}</Tag>
                ),
            },
            {
              title: '',
              render: (_: unknown, v: Summary) => (
                <Space>
                  <Button
                    size="small"
                    onClick={() => void load(v.versionId)}
                    data-testid={`catalogue-show-${v.versionId}`}
                  >
                    {t('show')}
                  </Button>
                  {writes && !v.retiredAt && !v.createdAt.startsWith('1970') && (
                    <Button
                      size="small"
                      danger
                      onClick={() => void retire(v)}
                      data-testid={`catalogue-retire-${v.versionId}`}
                    >
                      {t('retire')}
                    </Button>
                  )}
                </Space>
              ),
            },
          ]}
        />
      )}
      {shown && (
        <>
          <Flex align="center" justify="space-between" wrap gap={8} style={{ marginBottom: 8 }}>
            <Typography.Text strong data-testid="catalogue-shown">
              {ownerName(shown.unitId)
                ? t('shown', { version: shown.versionId, owner: ownerName(shown.unitId) })
                : t('shownVersion', { version: shown.versionId })}
            </Typography.Text>
            <Input.Search
              allowClear
              placeholder={t('search')}
              style={{ maxWidth: 320 }}
              maxLength={40}
              value={query}
              onChange={(e) => setQuery(e.target.value)}
              data-testid="catalogue-search"
            />
          </Flex>
          <Table<BusinessType>
            rowKey="code"
            size="small"
            dataSource={types}
            pagination={{ pageSize: 50, hideOnSinglePage: true }}
            data-testid="catalogue-types"
            expandable={{
              expandedRowRender: (type) => (
                <div data-testid={`catalogue-notes-${type.code}`}>
                  <Typography.Paragraph style={{ whiteSpace: 'pre-wrap', marginBottom: 8 }}>
                    {pick(type.notes)}
                  </Typography.Paragraph>
                  <Typography.Text type="secondary">
                    {t('fields')}:{' '}
                    {type.fields.length === 0
                      ? '—'
                      : type.fields
                          .map((f) => `${pick(f)}${f.required ? '*' : ''}`)
                          .join(lang === 'en-US' ? ', ' : '、')}
                  </Typography.Text>
                </div>
              ),
            }}
            columns={[
              { title: t('name'), render: (_: unknown, x: BusinessType) => pick(x), width: 180 },
              { title: t('pinyin'), dataIndex: 'pinyin', width: 90 },
              {
                title: t('group'),
                render: (_: unknown, x: BusinessType) => pick(BUSINESS_GROUPS[x.group]),
                width: 120,
              },
              {
                title: t('customerKinds'),
                render: (_: unknown, x: BusinessType) =>
                  x.customerKinds.map((k) => pick(CUSTOMER_KINDS[k])).join(' / '),
              },
              {
                title: t('identity'),
                render: (_: unknown, x: BusinessType) => pick(IDENTITY_CHECKS[x.identity]),
              },
              { title: t('fee'), render: (_: unknown, x: BusinessType) => feeText(x, lang), width: 110 },
              {
                title: t('flags'),
                render: (_: unknown, x: BusinessType) => (
                  <Space size={4} wrap>
                    {x.opensAccount && <Tag color="purple">{t('opensAccount')}</Tag>}
                    {x.strictUnderContract && <Tag color="orange">{t('strict')}</Tag>}
                    {x.retentionFirst && <Tag color="red">{t('retention')}</Tag>}
                    {x.light && <Tag>{t('light')}</Tag>}
                  </Space>
                ),
              },
            ]}
          />
          {writes && (
            <NewVersionModal
              open={creating}
              base={shown}
              ownerId={ownerId}
              onClose={() => setCreating(false)}
              onStored={(versionId) => {
                setCreating(false);
                void load(versionId);
              }}
            />
          )}
        </>
      )}
    </div>
  );
}
