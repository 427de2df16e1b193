/** The units of the caller's subtree (GET /api/units), loaded once for every page: names, tree, selects. */
import { TreeSelect } from 'antd';
import type { TreeSelectProps } from 'antd';
import { createContext, useCallback, useContext, useEffect, useMemo, useState } from 'react';
import type { ReactNode } from 'react';
import type { Unit } from '../../../src/modules/org/contract.ts';
import { api } from './api.ts';
import { useLang } from './i18n.tsx';
import type { Lang } from './i18n.tsx';

export type { Unit };

export interface UnitNode {
  unit: Unit;
  children: UnitNode[];
}

interface UnitsState {
  units: Unit[];
  byId: Map<string, Unit>;
  roots: UnitNode[];
  loading: boolean;
  reload: () => Promise<void>;
}

const UnitsContext = createContext<UnitsState>({
  units: [],
  byId: new Map(),
  roots: [],
  loading: true,
  reload: async () => {},
});

/** Builds the tree from parentId; units whose parent is outside the subtree are roots. */
export function buildTree(units: Unit[]): UnitNode[] {
  const nodes = new Map<string, UnitNode>(units.map((u) => [u.id, { unit: u, children: [] }]));
  const roots: UnitNode[] = [];
  for (const node of nodes.values()) {
    const parent = node.unit.parentId ? nodes.get(node.unit.parentId) : undefined;
    if (parent) parent.children.push(node);
    else roots.push(node);
  }
  const sort = (list: UnitNode[]) => {
    list.sort((a, b) => a.unit.code.localeCompare(b.unit.code));
    list.forEach((n) => sort(n.children));
  };
  sort(roots);
  return roots;
}

export function UnitsProvider({ children }: { children: ReactNode }) {
  const [units, setUnits] = useState<Unit[]>([]);
  const [loading, setLoading] = useState(true);
  const reload = useCallback(async () => {
    setLoading(true);
    try {
      setUnits(await api.get<Unit[]>('/api/units'));
    } catch {
      setUnits([]);
    } finally {
      setLoading(false);
    }
  }, []);
  useEffect(() => {
    void reload();
  }, [reload]);
  const value = useMemo<UnitsState>(
    () => ({ units, byId: new Map(units.map((u) => [u.id, u])), roots: buildTree(units), loading, reload }),
    [units, loading, reload],
  );
  return <UnitsContext.Provider value={value}>{children}</UnitsContext.Provider>;
}

export function useUnits(): UnitsState {
  return useContext(UnitsContext);
}

export function unitName(unit: Pick<Unit, 'name' | 'nameEn'>, lang: Lang): string {
  return lang === 'en-US' && unit.nameEn ? unit.nameEn : unit.name;
}

interface TreeOption {
  value: string;
  title: string;
  children: TreeOption[];
}

function toOptions(nodes: UnitNode[], lang: Lang): TreeOption[] {
  return nodes.map((n) => ({
    value: n.unit.id,
    title: unitName(n.unit, lang),
    children: toOptions(n.children, lang),
  }));
}

/** A tree select of the units the caller may see. */
export function UnitSelect(props: Omit<TreeSelectProps<string>, 'treeData'>) {
  const { roots } = useUnits();
  const { lang } = useLang();
  const treeData = useMemo(() => toOptions(roots, lang), [roots, lang]);
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
