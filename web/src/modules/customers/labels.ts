import type { Bilingual } from '../../platform/i18n.tsx';

export type SubscriptionKind = 'mobile' | 'fixed' | 'broadband' | 'data' | 'value_added';
export type SubscriptionStatus = 'active' | 'suspended' | 'cancelled';

export const SUBSCRIPTION_KINDS: Record<SubscriptionKind, Bilingual> = {
  mobile: { zh: '移动电话', en: 'Mobile' },
  fixed: { zh: '固定电话', en: 'Fixed line' },
  broadband: { zh: '宽带', en: 'Broadband' },
  data: { zh: '数据业务', en: 'Data' },
  value_added: { zh: '增值业务', en: 'Value-added' },
};

export const SUBSCRIPTION_STATUSES: Record<SubscriptionStatus, Bilingual & { color: string }> = {
  active: { zh: '正常', en: 'Active', color: 'success' },
  suspended: { zh: '停机', en: 'Suspended', color: 'warning' },
  cancelled: { zh: '已销户', en: 'Cancelled', color: 'default' },
};
