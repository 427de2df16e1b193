/**
 * An event's before/after as a person reads it: one row per field with its label (`src/platform/words.ts`)
 * and its value in words (states, kinds, positions, yes/no, times, units by name), never the stored JSON.
 */
import { Table, Typography } from 'antd';
import type { ReactNode } from 'react';
import { FIELD_LABELS } from '../../../../src/platform/words.ts';
import type { Bilingual, Lang } from '../../platform/i18n.tsx';
import {
  CLUB_TIERS,
  CUSTOMER_KINDS,
  WEEKDAYS,
  formatDateTime,
  positionLabel,
  unitKindLabel,
} from '../../platform/labels.ts';
import { unitName, useUnits } from '../../platform/units.tsx';
import { SUBSCRIPTION_KINDS, SUBSCRIPTION_STATUSES } from '../customers/labels.ts';
import {
  APPOINTMENT_STATUS,
  CHANNELS,
  COUNTER_KINDS,
  COUNTER_STATES,
  OUTCOMES,
  TICKET_STATUS,
} from '../queue/labels.ts';

const w = (b: Bilingual, lang: Lang) => (lang === 'en-US' ? b.en : b.zh);
const YES: Bilingual = { zh: '是', en: 'Yes' };
const NO: Bilingual = { zh: '否', en: 'No' };
const NONE: Bilingual = { zh: '（空）', en: '(empty)' };

/** Named values of the fields whose values are codes. */
const VALUE_WORDS: Record<string, Record<string, Bilingual>> = {
  status: {
    ...SUBSCRIPTION_STATUSES,
    ...APPOINTMENT_STATUS,
    ...TICKET_STATUS,
    ...COUNTER_STATES,
  },
  state: COUNTER_STATES,
  kind: { ...SUBSCRIPTION_KINDS, ...CUSTOMER_KINDS, ...COUNTER_KINDS },
  clubTier: CLUB_TIERS,
  tier: CLUB_TIERS,
  tiers: CLUB_TIERS,
  outcome: OUTCOMES,
  channel: CHANNELS,
};

export const label = (key: string, lang: Lang) => {
  const l = FIELD_LABELS[key];
  return l ? w(l, lang) : key;
};

const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/;
const isInterval = (v: unknown): v is { open: string; close: string } =>
  typeof v === 'object' && v !== null && 'open' in v && 'close' in v && Object.keys(v).length === 2;

/** A value in words. */
export function ValueText({ field, value, lang }: { field: string; value: unknown; lang: Lang }) {
  const { byId } = useUnits();
  const show = (f: string, v: unknown): ReactNode => {
    if (v === null || v === undefined || v === '') return w(NONE, lang);
    if (typeof v === 'boolean') return w(v ? YES : NO, lang);
    if (typeof v === 'number') return String(v);
    if (typeof v === 'string') {
      if ((f === 'unitId' || f === 'parentId' || f === 'hallId' || f === 'provinceId') && byId.get(v))
        return unitName(byId.get(v)!, lang);
      if (f === 'path' && v.startsWith('/'))
        return v
          .split('/')
          .filter(Boolean)
          .map((id) => (byId.get(id) ? unitName(byId.get(id)!, lang) : id))
          .join(' / ');
      if (f === 'positions' || f === 'position') return w(positionLabel(v), lang);
      if (f === 'kind' && !VALUE_WORDS.kind![v]) return w(unitKindLabel(v), lang);
      const named = VALUE_WORDS[f]?.[v];
      if (named) return w(named, lang);
      if (ISO.test(v)) return formatDateTime(v);
      return v;
    }
    if (Array.isArray(v)) {
      if (v.length === 0) return w(NONE, lang);
      if (f === 'weekly' && v.length === 7)
        return (
          <span>
            {v.map((day, i) => (
              <span key={i} style={{ display: 'block' }}>
                {w(WEEKDAYS[i]!, lang)} {show('hours', day)}
              </span>
            ))}
          </span>
        );
      if (v.every(isInterval)) return v.map((x) => `${x.open}–${x.close}`).join(', ');
      if (v.every((x) => typeof x !== 'object' || x === null))
        return v.map((x) => show(f, x)).reduce<ReactNode[]>((acc, x, i) => [...acc, i ? '、' : '', x], []);
      return (
        <span>
          {v.map((x, i) => (
            <span key={i} style={{ display: 'block' }}>
              {show(f, x)}
            </span>
          ))}
        </span>
      );
    }
    if (isInterval(v)) return `${v.open}–${v.close}`;
    const entries = Object.entries(v as Record<string, unknown>);
    if (entries.length === 0) return w(NONE, lang);
    return (
      <span>
        {entries.map(([k, x]) => (
          <span key={k} style={{ display: 'block' }}>
            {label(k, lang)}
            {lang === 'en-US' ? ': ' : '：'}
            {show(k, x)}
          </span>
        ))}
      </span>
    );
  };
  return <>{show(field, value)}</>;
}

const columns = {
  field: { zh: '项目', en: 'Field' },
  before: { zh: '变更前', en: 'Before' },
  after: { zh: '变更后', en: 'After' },
};

/** The fields of before and after side by side, the changed ones first. */
export function ChangeTable({ before, after, lang }: { before: unknown; after: unknown; lang: Lang }) {
  const b = (before && typeof before === 'object' ? before : {}) as Record<string, unknown>;
  const a = (after && typeof after === 'object' ? after : {}) as Record<string, unknown>;
  const keys = [...new Set([...Object.keys(b), ...Object.keys(a)])];
  const changed = (k: string) => JSON.stringify(b[k]) !== JSON.stringify(a[k]);
  keys.sort((x, y) => Number(changed(y)) - Number(changed(x)));
  if (keys.length === 0) return <Typography.Text type="secondary">{w(NONE, lang)}</Typography.Text>;
  const hasBefore = before !== null && before !== undefined;
  const hasAfter = after !== null && after !== undefined;
  return (
    <Table
      size="small"
      pagination={false}
      rowKey="key"
      data-testid="audit-changes"
      dataSource={keys.map((key) => ({ key }))}
      rowClassName={(r) => (hasBefore && hasAfter && changed(r.key) ? 'audit-changed' : '')}
      columns={[
        {
          title: w(columns.field, lang),
          dataIndex: 'key',
          width: 180,
          render: (k: string) => <span data-testid="audit-field">{label(k, lang)}</span>,
        },
        ...(hasBefore
          ? [
              {
                title: w(columns.before, lang),
                key: 'before',
                render: (_: unknown, r: { key: string }) =>
                  r.key in b ? <ValueText field={r.key} value={b[r.key]} lang={lang} /> : '—',
              },
            ]
          : []),
        ...(hasAfter
          ? [
              {
                title: w(columns.after, lang),
                key: 'after',
                render: (_: unknown, r: { key: string }) =>
                  r.key in a ? (
                    <Typography.Text strong={hasBefore && changed(r.key)}>
                      <ValueText field={r.key} value={a[r.key]} lang={lang} />
                    </Typography.Text>
                  ) : (
                    '—'
                  ),
              },
            ]
          : []),
      ]}
    />
  );
}
