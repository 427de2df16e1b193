/** Bilingual names of the domain's codes that more than one page shows. */
import { POSITIONS } from '../../../src/core/positions.ts';
import type { Position } from '../../../src/core/positions.ts';
import { UNIT_KINDS } from '../../../src/core/org.ts';
import type { UnitKind } from '../../../src/core/org.ts';
import type { Bilingual } from './i18n.tsx';

export type ClubTier = 'diamond' | 'gold' | 'silver' | 'ordinary';
export type CustomerKind = 'individual' | 'family' | 'group';

export const CLUB_TIERS: Record<ClubTier, Bilingual & { color: string; chart: string }> = {
  diamond: { zh: '钻石卡', en: 'Diamond', color: 'purple', chart: '#722ed1' },
  gold: { zh: '金卡', en: 'Gold', color: 'gold', chart: '#faad14' },
  silver: { zh: '银卡', en: 'Silver', color: 'default', chart: '#8c8c8c' },
  ordinary: { zh: '普通', en: 'Ordinary', color: 'blue', chart: '#1677ff' },
};
export const CLUB_TIER_CODES = Object.keys(CLUB_TIERS) as ClubTier[];

export const CUSTOMER_KINDS: Record<CustomerKind, Bilingual> = {
  individual: { zh: '个人客户', en: 'Individual' },
  family: { zh: '家庭客户', en: 'Family' },
  group: { zh: '集团客户', en: 'Group' },
};
export const CUSTOMER_KIND_CODES = Object.keys(CUSTOMER_KINDS) as CustomerKind[];

export const DEVICE_POSITION_LABELS: Record<
  'device_kiosk' | 'device_display' | 'device_rating_pad',
  Bilingual
> = {
  device_kiosk: { zh: '取号机', en: 'Ticket kiosk' },
  device_display: { zh: '叫号屏', en: 'Calling display' },
  device_rating_pad: { zh: '服务评价器', en: 'Rating pad' },
};

export const POSITION_GROUPS: Record<'management' | 'back' | 'front' | 'admin', Bilingual> = {
  management: { zh: '管理岗', en: 'Management' },
  back: { zh: '后台岗', en: 'Back office' },
  front: { zh: '前台岗', en: 'Front desk' },
  admin: { zh: '系统管理', en: 'Administration' },
};

/** Monday … Sunday, as the opening hours are stored. */
export const WEEKDAYS: Bilingual[] = [
  { zh: '周一', en: 'Mon' },
  { zh: '周二', en: 'Tue' },
  { zh: '周三', en: 'Wed' },
  { zh: '周四', en: 'Thu' },
  { zh: '周五', en: 'Fri' },
  { zh: '周六', en: 'Sat' },
  { zh: '周日', en: 'Sun' },
];

export function positionLabel(code: string): Bilingual {
  if (code in POSITIONS) return POSITIONS[code as Position];
  if (code in DEVICE_POSITION_LABELS)
    return DEVICE_POSITION_LABELS[code as keyof typeof DEVICE_POSITION_LABELS];
  return { zh: code, en: code };
}

export function unitKindLabel(kind: string): Bilingual {
  return kind in UNIT_KINDS ? UNIT_KINDS[kind as UnitKind] : { zh: kind, en: kind };
}

/** The weekday (0 = Monday) of a local date 'YYYY-MM-DD'. */
export function weekdayOf(date: string): number {
  const d = new Date(`${date}T00:00:00Z`);
  return (d.getUTCDay() + 6) % 7;
}

/** A timestamp shown in the browser's time zone, `2026-03-01 09:30:12`. */
export function formatDateTime(iso: string | null | undefined): string {
  if (!iso) return '—';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
}

export function formatDate(iso: string | null | undefined): string {
  return iso ? formatDateTime(iso).slice(0, 10) : '—';
}
