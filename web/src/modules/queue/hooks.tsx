/** What the queue pages share: the hall stream, the server's clock, the hall choice, a ticking now. */
import { Select } from 'antd';
import type { SelectProps } from 'antd';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { HALL_KINDS } from '../../../../src/core/org.ts';
import type { UnitKind } from '../../../../src/core/org.ts';
import { useMe } from '../../platform/auth.tsx';
import { useLang } from '../../platform/i18n.tsx';
import { unitName, useUnits } from '../../platform/units.tsx';
import type { Unit } from '../../platform/units.tsx';
import { followStream } from './client.ts';
import type { StreamEvent } from './client.ts';

/**
 * Calls `onEvent` for every event of the hall's queue stream (SSE), and `onReconnect` when the stream
 * comes back after a drop (the page should refetch: events may have been missed).
 */
export function useHallStream(
  hallId: string | undefined,
  token: string | null,
  onEvent: (e: StreamEvent) => void,
): boolean {
  const [connected, setConnected] = useState(false);
  const handler = useRef(onEvent);
  useEffect(() => {
    handler.current = onEvent;
  }, [onEvent]);
  useEffect(() => {
    if (!hallId) return;
    let wasConnected = false;
    const stop = followStream(
      `/api/halls/${hallId}/stream`,
      token,
      (e) => handler.current(e),
      (up) => {
        setConnected(up);
        if (up && wasConnected) handler.current({ event: 'reconnected', data: '{}' });
        if (up) wasConnected = true;
      },
    );
    return stop;
  }, [hallId, token]);
  return connected;
}

/** Calls `fn` every `ms` while mounted (and at once when `immediate`). */
export function useInterval(fn: () => void, ms: number | null): void {
  const saved = useRef(fn);
  useEffect(() => {
    saved.current = fn;
  }, [fn]);
  useEffect(() => {
    if (ms === null) return;
    const id = window.setInterval(() => saved.current(), ms);
    return () => window.clearInterval(id);
  }, [ms]);
}

/**
 * The server's clock as seen from the browser: every view carries the server's `at`; the offset to the
 * browser's clock is kept so timers count from server instants without trusting the browser's clock.
 */
export function useServerClock(tickMs = 1000): { now: number; sync: (serverAt: string) => void } {
  const offset = useRef(0);
  const [now, setNow] = useState(() => Date.now());
  const sync = useCallback((serverAt: string) => {
    const t = Date.parse(serverAt);
    if (!Number.isNaN(t)) {
      offset.current = t - Date.now();
      setNow(Date.now() + offset.current);
    }
  }, []);
  useInterval(() => setNow(Date.now() + offset.current), tickMs);
  return { now, sync };
}

/** Minutes and seconds `mm:ss` (or `h:mm:ss`) of a duration in milliseconds. */
export function clockText(ms: number): string {
  const total = Math.max(0, Math.floor(ms / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const p = (n: number) => String(n).padStart(2, '0');
  return h > 0 ? `${h}:${p(m)}:${p(s)}` : `${p(m)}:${p(s)}`;
}

/** A time of day `09:30` of an instant in the hall's time zone. */
export function timeIn(iso: string | null | undefined, timeZone = 'Asia/Shanghai', seconds = false): string {
  if (!iso) return '—';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return d.toLocaleTimeString('zh-CN', {
    timeZone,
    hour: '2-digit',
    minute: '2-digit',
    ...(seconds ? { second: '2-digit' } : {}),
    hour12: false,
  });
}

/** A date and time `2026-03-02 09:30` of an instant in the hall's time zone. */
export function dateTimeIn(iso: string | null | undefined, timeZone = 'Asia/Shanghai'): string {
  if (!iso) return '—';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hour12: false,
  }).formatToParts(d);
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  return `${get('year')}-${get('month')}-${get('day')} ${get('hour')}:${get('minute')}`;
}

const HALL_KEY = 'fuwu.queue.hall';

function isHall(u: Unit): boolean {
  return HALL_KINDS.includes(u.kind as UnitKind) && u.active;
}

/**
 * The hall a console page works on: remembered across pages; the person's own hall by default, else the
 * first hall of their subtree.
 */
export function useHallChoice(): {
  hallId: string | undefined;
  setHallId: (id: string) => void;
  halls: Unit[];
  hall: Unit | undefined;
  loading: boolean;
} {
  const me = useMe();
  const { units, loading } = useUnits();
  const halls = useMemo(() => units.filter(isHall).sort((a, b) => a.code.localeCompare(b.code)), [units]);
  const [chosen, setChosen] = useState<string | undefined>(() => {
    try {
      return window.localStorage.getItem(HALL_KEY) ?? undefined;
    } catch {
      return undefined;
    }
  });
  const hallId = useMemo(() => {
    if (chosen && halls.some((h) => h.id === chosen)) return chosen;
    if (halls.some((h) => h.id === me.unitId)) return me.unitId;
    return halls[0]?.id;
  }, [chosen, halls, me.unitId]);
  const setHallId = useCallback((id: string) => {
    setChosen(id);
    try {
      window.localStorage.setItem(HALL_KEY, id);
    } catch {
      // not remembered
    }
  }, []);
  return { hallId, setHallId, halls, hall: halls.find((h) => h.id === hallId), loading };
}

/** The hall selector of the queue pages. */
export function HallSelect({
  halls,
  value,
  onChange,
  ...rest
}: { halls: Unit[]; value: string | undefined; onChange: (id: string) => void } & Omit<
  SelectProps<string>,
  'options' | 'value' | 'onChange'
>) {
  const { lang } = useLang();
  return (
    <Select<string>
      data-testid="hall-select"
      style={{ minWidth: 220 }}
      showSearch={{ optionFilterProp: 'label' }}
      value={value}
      onChange={onChange}
      options={halls.map((h) => ({ value: h.id, label: unitName(h, lang) }))}
      {...rest}
    />
  );
}

/** Calls `fn` once `ms` after the first of a burst of calls: one reload for many events at once. */
export function useCoalesced(fn: () => void, ms: number): () => void {
  const pending = useRef<number | null>(null);
  const latest = useRef(fn);
  useEffect(() => {
    latest.current = fn;
  }, [fn]);
  useEffect(
    () => () => {
      if (pending.current !== null) window.clearTimeout(pending.current);
    },
    [],
  );
  return useCallback(() => {
    if (pending.current !== null) return;
    pending.current = window.setTimeout(() => {
      pending.current = null;
      latest.current();
    }, ms);
  }, [ms]);
}

/**
 * A view of a hall that follows the hall's event stream (refetching shortly after each event, at most
 * every 300 ms) and refreshes every `everyMs` as well, so that time-based states appear as time passes.
 */
export function useLiveView<T extends { at: string }>(
  hallId: string | undefined,
  fetchView: ((hallId: string) => Promise<T>) | null,
  options: { everyMs?: number; token?: string | null; onError?: (e: unknown) => void } = {},
): { view: T | null; reload: () => Promise<void>; error: unknown; connected: boolean; now: number } {
  const [view, setView] = useState<T | null>(null);
  const [error, setError] = useState<unknown>(null);
  const clock = useServerClock(1000);
  const { sync } = clock;
  const current = useRef(hallId);
  const onError = useRef(options.onError);
  useEffect(() => {
    onError.current = options.onError;
  }, [options.onError]);

  const reload = useCallback(async () => {
    if (!hallId || !fetchView) return;
    current.current = hallId;
    try {
      const v = await fetchView(hallId);
      if (current.current !== hallId) return;
      setView(v);
      sync(v.at);
      setError(null);
    } catch (e) {
      setError(e);
      onError.current?.(e);
    }
  }, [hallId, fetchView, sync]);

  useEffect(() => {
    setView(null);
    void reload();
  }, [reload]);
  useInterval(() => void reload(), options.everyMs ?? 5000);
  const onEvent = useCoalesced(() => void reload(), 300);
  const connected = useHallStream(hallId, options.token ?? null, onEvent);
  return { view, reload, error, connected, now: clock.now };
}
