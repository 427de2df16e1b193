/** Position tags and the grouped position select (management / back office / front desk / admin). */
import { Select, Tag } from 'antd';
import type { SelectProps } from 'antd';
import { POSITIONS, POSITION_CODES } from '../../../src/core/positions.ts';
import type { Position } from '../../../src/core/positions.ts';
import { useLang, pick } from './i18n.tsx';
import { POSITION_GROUPS, positionLabel } from './labels.ts';

const GROUP_ORDER = ['management', 'back', 'front', 'admin'] as const;
const GROUP_COLOR: Record<string, string> = {
  management: 'red',
  back: 'geekblue',
  front: 'green',
  admin: 'purple',
};

export function PositionTags({ positions }: { positions: readonly string[] }) {
  const { lang } = useLang();
  return (
    <span style={{ display: 'inline-flex', flexWrap: 'wrap', gap: 4 }}>
      {positions.map((p) => {
        const group = p in POSITIONS ? POSITIONS[p as Position].group : 'device';
        return (
          <Tag key={p} color={GROUP_COLOR[group] ?? 'default'} style={{ marginInlineEnd: 0 }}>
            {pick(lang, positionLabel(p))}
          </Tag>
        );
      })}
    </span>
  );
}

/** Options grouped as the norms group positions; `disableAdmin` greys out the administrator. */
export function usePositionOptions(disableAdmin = false): NonNullable<SelectProps['options']> {
  const { lang } = useLang();
  return GROUP_ORDER.map((g) => ({
    label: pick(lang, POSITION_GROUPS[g]),
    title: pick(lang, POSITION_GROUPS[g]),
    options: POSITION_CODES.filter((p) => POSITIONS[p].group === g).map((p) => ({
      value: p,
      label: pick(lang, POSITIONS[p]),
      disabled: disableAdmin && p === 'system_admin',
    })),
  }));
}

export function PositionSelect(props: SelectProps<string[] | string> & { disableAdmin?: boolean }) {
  const { disableAdmin, ...rest } = props;
  const options = usePositionOptions(disableAdmin);
  return <Select<string[] | string> showSearch={{ optionFilterProp: 'label' }} {...rest} options={options} />;
}
