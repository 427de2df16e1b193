/** The kinds of unit in the organisation (1§1.3, 3§1.1) and where each may stand in the tree. */
export const UNIT_KINDS = {
  hq: { zh: '总部', en: 'Headquarters', parents: [] },
  province: { zh: '省分公司', en: 'Province branch', parents: ['hq'] },
  city: { zh: '地市分公司', en: 'City branch', parents: ['province'] },
  hall_own: { zh: '自有营业厅', en: 'Business hall', parents: ['city'] },
  hall_coop: { zh: '合作营业厅', en: 'Cooperative hall', parents: ['city'] },
  store_3g: { zh: '3G品牌店', en: '3G brand store', parents: ['city'] },
  store_self: { zh: '自助服务店', en: 'Self-service store', parents: ['city'] },
  centre_hq: { zh: '总部客服中心', en: 'HQ service centre', parents: ['hq'] },
  centre_province: { zh: '省客服中心', en: 'Province service centre', parents: ['province'] },
  centre_city: { zh: '地市客服中心', en: 'City service centre', parents: ['city'] },
  remote_seats: { zh: '远端座席', en: 'Remote seats', parents: ['city'] },
  club: { zh: '客户俱乐部', en: 'Customer club', parents: ['province', 'city'] },
  account_team: { zh: '客户经理团队', en: 'Account-manager team', parents: ['province', 'city'] },
  echannel: { zh: '电子渠道', en: 'E-channel', parents: ['hq', 'province'] },
  /** A back-office department work orders are dispatched to (network maintenance, billing …; 8§1). */
  department: { zh: '职能部门', en: 'Department', parents: ['province', 'city'] },
} as const satisfies Record<string, { zh: string; en: string; parents: readonly string[] }>;

export type UnitKind = keyof typeof UNIT_KINDS;
export const UNIT_KIND_CODES = Object.keys(UNIT_KINDS) as [UnitKind, ...UnitKind[]];

/** Halls and stores: the units that serve customers face to face (chapter 2). */
export const HALL_KINDS: readonly UnitKind[] = ['hall_own', 'hall_coop', 'store_3g', 'store_self'];

/** May a unit of `kind` stand under a unit of `parentKind` (null for the root)? */
export function allowedUnder(kind: UnitKind, parentKind: UnitKind | null): boolean {
  const parents: readonly string[] = UNIT_KINDS[kind].parents;
  return parentKind === null ? parents.length === 0 : parents.includes(parentKind);
}

/** The province id of a unit given its parent's province (a province is its own; the root is its own). */
export function provinceOf(kind: UnitKind, id: string, parentProvinceId: string | null): string {
  return kind === 'province' || parentProvinceId === null ? id : parentProvinceId;
}
