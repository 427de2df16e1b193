/** A paged, filtered list from one API route (`{ items, total }`), with the table's pagination props. */
import { useCallback, useEffect, useRef, useState } from 'react';
import { api } from './api.ts';
import type { PageOf, Query } from './api.ts';
import { useFeedback } from './feedback.ts';

export function usePagedList<T, F extends object>(path: string, initialFilters?: F) {
  const feedback = useFeedback();
  const [filters, setFilters] = useState<F>(() => initialFilters ?? ({} as F));
  const [page, setPage] = useState({ current: 1, pageSize: 20 });
  const [data, setData] = useState<PageOf<T>>({ items: [], total: 0 });
  const [loading, setLoading] = useState(false);

  // Only the newest request's answer is shown (a slower, older one must not overwrite it).
  const latest = useRef(0);
  const load = useCallback(async () => {
    const mine = ++latest.current;
    setLoading(true);
    try {
      const next = await api.get<PageOf<T>>(path, {
        ...(filters as Query),
        limit: page.pageSize,
        offset: (page.current - 1) * page.pageSize,
      });
      if (mine === latest.current) setData(next);
    } catch (e) {
      if (mine === latest.current) feedback.error(e);
    } finally {
      if (mine === latest.current) setLoading(false);
    }
  }, [path, filters, page, feedback]);

  useEffect(() => {
    void load();
  }, [load]);

  /** Changes some filters and goes back to the first page. */
  const setFilter = useCallback((patch: Partial<F>) => {
    setFilters((f) => ({ ...f, ...patch }));
    setPage((p) => ({ ...p, current: 1 }));
  }, []);

  /** Clears every filter. */
  const clearFilters = useCallback(() => {
    setFilters({} as F);
    setPage((p) => ({ ...p, current: 1 }));
  }, []);

  const pagination = {
    current: page.current,
    pageSize: page.pageSize,
    total: data.total,
    showSizeChanger: true,
    onChange: (current: number, pageSize: number) => setPage({ current, pageSize }),
  };

  return { data, loading, load, filters, setFilter, clearFilters, pagination };
}
