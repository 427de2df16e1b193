/**
 * What the handling desk's pages share: the live clock of an order's time limit (counting down in the
 * browser from the due time the server gave, amber from the instant the server says the warning share is
 * reached, red once due), the tags of a state, kind and priority, and the work-order stream (SSE).
 */
import { Tag, Tooltip, TreeSelect, Typography } from 'antd';
import type { TreeSelectProps } from 'antd';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { ReportUnit, SlaClockView, WorkOrder } from '../../../../../src/modules/workorders/contract.ts';
import { api } from '../../../platform/api.ts';
import { useMe } from '../../../platform/auth.tsx';
import type { T } from '../../../platform/i18n.tsx';
import { useLang } from '../../../platform/i18n.tsx';
import { formatDateTime } from '../../../platform/labels.ts';
import { unitName, useUnits } from '../../../platform/units.tsx';
import { followStream } from '../../queue/client.ts';
import type { messages } from './messages.ts';

export type Msg = T<typeof messages>;
export type OrderState = WorkOrder['state'];

export const KINDS = [
  'consultation',
  'fault',
  'complaint',
  'escalated_complaint',
  'appeal',
  'suggestion',
] as const satisfies readonly WorkOrder['kind'][];
export const CHANNELS = [
  'counter',
  'hotline',
  'e_channel',
  'letter',
  'regulator',
] as const satisfies readonly WorkOrder['channel'][];
export const STATES = [
  'new',
  'assigned',
  'dispatched',
  'waiting_customer',
  'waiting_third_party',
  'answered',
  'replied',
  'closed',
] as const satisfies readonly OrderState[];
export const PRIORITIES = [
  'low',
  'normal',
  'high',
  'urgent',
] as const satisfies readonly WorkOrder['priority'][];

const STATE_COLOURS: Record<OrderState, string> = {
  new: 'blue',
  assigned: 'processing',
  dispatched: 'geekblue',
  waiting_customer: 'default',
  waiting_third_party: 'default',
  answered: 'cyan',
  replied: 'green',
  closed: 'default',
};
const PRIORITY_COLOURS: Record<WorkOrder['priority'], string> = {
  low: 'default',
  normal: 'blue',
  high: 'orange',
  urgent: 'red',
};

export function StateTag({ state, t, testId }: { state: OrderState; t: Msg; testId?: string }) {
  return (
    <Tag color={STATE_COLOURS[state]} data-testid={testId}>
      {t(`state.${state}`)}
    </Tag>
  );
}

export function PriorityTag({ priority, t }: { priority: WorkOrder['priority']; t: Msg }) {
  return <Tag color={PRIORITY_COLOURS[priority]}>{t(`priority.${priority}`)}</Tag>;
}

/** The browser's time, ticking every `ms`. */
export function useNow(ms = 1000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const id = window.setInterval(() => setNow(Date.now()), ms);
    return () => window.clearInterval(id);
  }, [ms]);
  return now;
}

/** A duration in words: 2天3时 / 3时05分 / 12分30秒. */
export function durationText(msLeft: number, t: Msg): string {
  const s = Math.max(0, Math.floor(Math.abs(msLeft) / 1000));
  const d = Math.floor(s / 86_400);
  const h = Math.floor((s % 86_400) / 3600);
  const m = Math.floor((s % 3600) / 60);
  if (d > 0) return t('dur.d', { d, h });
  if (h > 0) return t('dur.h', { h, m: String(m).padStart(2, '0') });
  return t('dur.m', { m, s: String(s % 60).padStart(2, '0') });
}

export type ClockColour = 'green' | 'amber' | 'red' | 'grey';

/** The clock's colour and words at `now` (the browser's), from what the server gave when it was read. */
export function clockAt(
  clock: SlaClockView,
  now: number,
  t: Msg,
): { colour: ClockColour; text: string; due: string } {
  const due = clock.dueAt ?? clock.projectedDueAt;
  const dueText = t('clock.due', { at: formatDateTime(due) });
  if (clock.metAt)
    return {
      colour: clock.breached ? 'red' : 'grey',
      text: t(clock.breached ? 'clock.metLate' : 'clock.met'),
      due: dueText,
    };
  if (clock.paused || !clock.dueAt)
    return {
      colour: clock.breached ? 'red' : 'grey',
      text: t('clock.paused', { t: durationText(clock.remainingMinutes * 60_000, t) }),
      due: dueText,
    };
  const left = Date.parse(clock.dueAt) - now;
  if (left <= 0 || clock.breached)
    return { colour: 'red', text: t('clock.over', { t: durationText(left, t) }), due: dueText };
  const amber = clock.colour === 'amber' || (clock.amberAt !== null && now >= Date.parse(clock.amberAt));
  return {
    colour: amber ? 'amber' : 'green',
    text: t('clock.left', { t: durationText(left, t) }),
    due: dueText,
  };
}

const COLOURS: Record<ClockColour, string> = {
  green: 'green',
  amber: 'orange',
  red: 'red',
  grey: 'default',
};

/** One live clock: a tag counting down, its colour also in `data-colour` (for tests). */
export function LiveClock({
  clock,
  now,
  t,
  testId,
  label,
}: {
  clock: SlaClockView | null;
  now: number;
  t: Msg;
  testId?: string;
  label?: string;
}) {
  if (!clock) return <Typography.Text type="secondary">—</Typography.Text>;
  const c = clockAt(clock, now, t);
  return (
    <Tooltip title={c.due}>
      <Tag
        color={COLOURS[c.colour]}
        data-testid={testId}
        data-colour={c.colour}
        style={{ marginInlineEnd: 0 }}
      >
        {label ? `${label} ` : ''}
        {c.text}
      </Tag>
    </Tooltip>
  );
}

/**
 * Follows the work-order stream of the caller's reach: `onChange` (coalesced, at most every 300 ms) on
 * each order change, and when the stream comes back after a drop (changes may have been missed).
 */
export function useOrderStream(onChange: (orderId: string | null) => void): boolean {
  const [connected, setConnected] = useState(false);
  const handler = useRef(onChange);
  useEffect(() => {
    handler.current = onChange;
  }, [onChange]);
  useEffect(() => {
    let timer: number | null = null;
    let pendingIds = new Set<string | null>();
    const fire = (id: string | null) => {
      pendingIds.add(id);
      if (timer !== null) return;
      timer = window.setTimeout(() => {
        timer = null;
        const ids = pendingIds;
        pendingIds = new Set();
        for (const x of ids) handler.current(x);
      }, 300);
    };
    let wasUp = false;
    const stop = followStream(
      '/api/work-orders/stream',
      null,
      (e) => {
        try {
          const n = JSON.parse(e.data) as { subjectId?: string };
          fire(typeof n.subjectId === 'string' ? n.subjectId : null);
        } catch {
          fire(null);
        }
      },
      (up) => {
        setConnected(up);
        if (up && wasUp) fire(null);
        if (up) wasUp = true;
      },
    );
    return () => {
      stop();
      if (timer !== null) window.clearTimeout(timer);
    };
  }, []);
  return connected;
}

let unitsCache: { who: string; units: Promise<ReportUnit[]> } | null = null;

/**
 * The units whose orders the caller reads (GET /api/work-order-units: a centre's are those it serves, beyond
 * its own subtree), fetched once per person.
 */
export function useOrderUnits(): ReportUnit[] {
  const me = useMe();
  const who = me.id ?? me.username;
  const [units, setUnits] = useState<ReportUnit[]>([]);
  useEffect(() => {
    if (unitsCache?.who !== who) {
      const units = api.get<ReportUnit[]>('/api/work-order-units');
      unitsCache = { who, units };
      units.catch(() => {
        if (unitsCache?.units === units) unitsCache = null;
      });
    }
    let live = true;
    unitsCache.units.then(
      (u) => live && setUnits(u),
      () => undefined,
    );
    return () => {
      live = false;
    };
  }, [who]);
  return units;
}

/** A unit's name in the language (the order carries the Chinese one). */
export function useUnitName(): (unit: { id: string; name: string }) => string {
  const units = useOrderUnits();
  const { byId } = useUnits();
  const { lang } = useLang();
  const known = useMemo(() => new Map(units.map((u) => [u.id, u])), [units]);
  return useCallback(
    (unit) => {
      const u = known.get(unit.id) ?? byId.get(unit.id);
      return u ? unitName(u, lang) : unit.name;
    },
    [known, byId, lang],
  );
}

interface UnitOption {
  value: string;
  title: string;
  children: UnitOption[];
}

/** A tree select of the units whose orders the caller reads. */
export function OrderUnitSelect(props: Omit<TreeSelectProps<string>, 'treeData'>) {
  const units = useOrderUnits();
  const { lang } = useLang();
  const treeData = useMemo(() => {
    const nodes = new Map<string, UnitOption>(
      units.map((u) => [u.id, { value: u.id, title: unitName(u, lang), children: [] }]),
    );
    const roots: UnitOption[] = [];
    for (const u of units) {
      const parent = u.parentId ? nodes.get(u.parentId) : undefined;
      (parent ? parent.children : roots).push(nodes.get(u.id)!);
    }
    return roots;
  }, [units, lang]);
  return (
    <TreeSelect<string>
      showSearch={{ treeNodeFilterProp: 'title' }}
      treeDefaultExpandAll
      popupMatchSelectWidth={false}
      {...props}
      treeData={treeData}
    />
  );
}
