/** Opening hours: shown as a table (Mon … Sun, holidays, 调休 working days) and edited interval by interval. */
import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { Button, Flex, Input, Switch, Table, Tag, Typography } from 'antd';
import type { Interval, OpeningHours } from '../../../../src/core/calendar.ts';
import { useT } from '../../platform/i18n.tsx';
import type { T } from '../../platform/i18n.tsx';
import { WEEKDAYS } from '../../platform/labels.ts';
import { messages } from './messages.ts';

export type { Interval, OpeningHours };

const TIME = /^([01]\d|2[0-3]):[0-5]\d$|^24:00$/;

function toMinutes(time: string): number {
  const [h = '0', m = '0'] = time.split(':');
  return Number(h) * 60 + Number(m);
}

/** Open minutes of a day's intervals (only well-formed, non-crossing intervals count). */
export function openMinutes(intervals: Interval[]): number {
  return intervals.reduce((sum, i) => {
    if (!TIME.test(i.open) || !TIME.test(i.close)) return sum;
    return sum + Math.max(0, toMinutes(i.close) - toMinutes(i.open));
  }, 0);
}

export function formatMinutes(minutes: number, t: T<typeof messages>): string {
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  if (m === 0) return t('hOnly', { h });
  if (h === 0) return t('mOnly', { m });
  return t('hm', { h, m });
}

export function IntervalsText({ intervals }: { intervals: Interval[] }) {
  const { t } = useT(messages);
  if (intervals.length === 0) return <Tag>{t('closed')}</Tag>;
  return (
    <Flex gap={4} wrap>
      {intervals.map((i, n) => (
        <Tag key={n} color="green">
          {i.open}–{i.close}
        </Tag>
      ))}
    </Flex>
  );
}

interface HoursRow {
  key: string;
  label: string;
  intervals: Interval[] | null;
}

/** The opening hours of a unit, one row a day type; days under `minMinutes` are marked. */
export function HoursTable({ hours, minMinutes = 600 }: { hours: OpeningHours; minMinutes?: number }) {
  const { t, pick } = useT(messages);
  const rows: HoursRow[] = [
    ...WEEKDAYS.map((w, i) => ({ key: `d${i}`, label: pick(w), intervals: hours.weekly[i] ?? [] })),
    { key: 'holiday', label: t('holiday'), intervals: hours.holiday },
    { key: 'makeup', label: t('makeupWorkday'), intervals: hours.makeupWorkday ?? null },
  ];
  return (
    <Table<HoursRow>
      size="small"
      rowKey="key"
      pagination={false}
      dataSource={rows}
      data-testid="opening-hours-table"
      columns={[
        { title: t('day'), dataIndex: 'label', width: 150 },
        {
          title: t('hours'),
          render: (_, r) =>
            r.intervals === null ? (
              <Typography.Text type="secondary">{t('makeupLikeMonday')}</Typography.Text>
            ) : (
              <IntervalsText intervals={r.intervals} />
            ),
        },
        {
          title: t('dayTotal'),
          width: 130,
          align: 'right',
          render: (_, r) => {
            const list = r.intervals ?? hours.weekly[0] ?? [];
            const minutes = openMinutes(list);
            if (minutes === 0) return <Typography.Text type="secondary">—</Typography.Text>;
            return (
              <Typography.Text type={minutes < minMinutes ? 'warning' : undefined}>
                {formatMinutes(minutes, t)}
              </Typography.Text>
            );
          },
        },
      ]}
    />
  );
}

/** Edits the intervals of one day: open/close "HH:mm" pairs, added and removed. */
export function IntervalsEditor({
  value = [],
  onChange,
  testId,
}: {
  value?: Interval[];
  onChange?: (next: Interval[]) => void;
  testId?: string;
}) {
  const { t } = useT(messages);
  const set = (next: Interval[]) => onChange?.(next);
  return (
    <Flex gap={8} wrap align="center" data-testid={testId}>
      {value.length === 0 && <Tag>{t('closed')}</Tag>}
      {value.map((iv, n) => {
        // a close before its open (e.g. crossing midnight) is marked here; the server explains it
        const reversed =
          TIME.test(iv.open) && TIME.test(iv.close) && toMinutes(iv.close) <= toMinutes(iv.open);
        const bad = (s: string) => reversed || (s !== '' && !TIME.test(s));
        return (
          <Flex key={n} gap={4} align="center" style={{ whiteSpace: 'nowrap' }}>
            <Input
              size="small"
              value={iv.open}
              placeholder="08:30"
              aria-label={t('open')}
              status={bad(iv.open) ? 'error' : undefined}
              style={{ width: 68 }}
              maxLength={5}
              onChange={(e) =>
                set(value.map((x, i) => (i === n ? { ...x, open: e.target.value.trim() } : x)))
              }
            />
            <span>–</span>
            <Input
              size="small"
              value={iv.close}
              placeholder="18:30"
              aria-label={t('shut')}
              status={bad(iv.close) ? 'error' : undefined}
              style={{ width: 68 }}
              maxLength={5}
              onChange={(e) =>
                set(value.map((x, i) => (i === n ? { ...x, close: e.target.value.trim() } : x)))
              }
            />
            <Button
              size="small"
              type="text"
              danger
              icon={<DeleteOutlined />}
              aria-label={t('remove')}
              onClick={() => set(value.filter((_, i) => i !== n))}
            />
          </Flex>
        );
      })}
      <Button
        size="small"
        type="dashed"
        icon={<PlusOutlined />}
        onClick={() => {
          const last = value[value.length - 1];
          set([...value, last ? { open: last.close, close: '' } : { open: '08:30', close: '18:30' }]);
        }}
      >
        {t('addInterval')}
      </Button>
    </Flex>
  );
}

/** Every interval written as HH:mm (the server checks order and midnight crossing itself). */
export function hoursWellFormed(hours: OpeningHours): boolean {
  const all = [...hours.weekly.flat(), ...hours.holiday, ...(hours.makeupWorkday ?? [])];
  return all.every((i) => TIME.test(i.open) && TIME.test(i.close));
}

export function intervalsWellFormed(list: Interval[]): boolean {
  return list.every((i) => TIME.test(i.open) && TIME.test(i.close));
}

/** A form control for a unit's opening hours. */
export function HoursEditor({
  value,
  onChange,
}: {
  value?: OpeningHours;
  onChange?: (next: OpeningHours) => void;
}) {
  const { t, pick } = useT(messages);
  const hours: OpeningHours = value ?? { weekly: [[], [], [], [], [], [], []], holiday: [] };
  const set = (patch: Partial<OpeningHours>) => onChange?.({ ...hours, ...patch });
  const setDay = (day: number, list: Interval[]) =>
    set({ weekly: hours.weekly.map((d, i) => (i === day ? list : d)) });
  const label = (text: string) => (
    <Typography.Text strong style={{ width: 120, flex: 'none', paddingTop: 2 }}>
      {text}
    </Typography.Text>
  );
  return (
    <Flex vertical gap={10} data-testid="hours-editor">
      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
        {t('hoursHint')}
      </Typography.Text>
      {WEEKDAYS.map((w, i) => (
        <Flex key={i} gap={8} align="flex-start">
          {label(pick(w))}
          <IntervalsEditor
            value={hours.weekly[i] ?? []}
            onChange={(l) => setDay(i, l)}
            testId={`hours-day-${i}`}
          />
        </Flex>
      ))}
      <div>
        <Button
          size="small"
          onClick={() =>
            set({ weekly: hours.weekly.map((d, i) => (i >= 1 && i <= 4 ? [...(hours.weekly[0] ?? [])] : d)) })
          }
        >
          {t('copyMonday')}
        </Button>
      </div>
      <Flex gap={8} align="flex-start">
        {label(t('holiday'))}
        <IntervalsEditor value={hours.holiday} onChange={(l) => set({ holiday: l })} testId="hours-holiday" />
      </Flex>
      <Flex gap={8} align="flex-start">
        {label(t('makeupWorkday'))}
        <Flex vertical gap={6}>
          <Flex gap={8} align="center">
            <Switch
              size="small"
              checked={hours.makeupWorkday !== undefined}
              onChange={(on) => {
                if (on) set({ makeupWorkday: [...(hours.weekly[0] ?? [])] });
                else {
                  const { makeupWorkday: _drop, ...rest } = hours;
                  onChange?.(rest);
                }
              }}
            />
            <Typography.Text type="secondary">
              {hours.makeupWorkday === undefined ? t('makeupLikeMonday') : t('makeupOwn')}
            </Typography.Text>
          </Flex>
          {hours.makeupWorkday !== undefined && (
            <IntervalsEditor
              value={hours.makeupWorkday}
              onChange={(l) => set({ makeupWorkday: l })}
              testId="hours-makeup"
            />
          )}
        </Flex>
      </Flex>
    </Flex>
  );
}
