/** The positions (岗位) of the norms (2§1.2, 3§1.2), grouped as the norms group them. */
export const POSITIONS = {
  system_admin: { zh: '系统管理员', en: 'System administrator', group: 'admin' },
  hall_manager: { zh: '营业厅经理', en: 'Hall manager', group: 'management' },
  duty_manager: { zh: '值班经理', en: 'Duty manager', group: 'management' },
  trainer: { zh: '培训', en: 'Training', group: 'back' },
  stock_keeper: { zh: '库管', en: 'Stock keeper', group: 'back' },
  auditor: { zh: '稽核', en: 'Auditor', group: 'back' },
  equipment_contact: { zh: '设备维修', en: 'Equipment-repair contact', group: 'back' },
  quality_monitor: { zh: '质量监督', en: 'Quality monitor', group: 'back' },
  statistician: { zh: '统计分析', en: 'Statistics', group: 'back' },
  info_editor: { zh: '信息采编', en: 'Information editor', group: 'back' },
  complaint_handler: { zh: '投诉处理', en: 'Complaint handler', group: 'back' },
  demand_manager: { zh: '需求管理', en: 'Demand manager', group: 'back' },
  traffic_manager: { zh: '话务管理', en: 'Traffic manager', group: 'back' },
  acceptance: { zh: '业务受理', en: 'Business acceptance', group: 'front' },
  sales: { zh: '前台销售', en: 'Sales', group: 'front' },
  consultation: { zh: '业务咨询', en: 'Consultation', group: 'front' },
  floor_guide: { zh: '引导', en: 'Floor guide', group: 'front' },
  complaint_reception: { zh: '投诉/故障申告接待', en: 'Complaint/fault reception', group: 'front' },
  repair: { zh: '售后维修', en: 'After-sales repair', group: 'front' },
  reception_3g: { zh: '3G接待', en: '3G reception', group: 'front' },
  vip_reception: { zh: 'VIP接待', en: 'VIP reception', group: 'front' },
  group_reception: { zh: '集团客户接待', en: 'Group-customer reception', group: 'front' },
  retention: { zh: '挽留维系', en: 'Retention', group: 'front' },
  agent: { zh: '客服代表', en: 'Call-centre agent', group: 'front' },
} as const satisfies Record<
  string,
  { zh: string; en: string; group: 'admin' | 'management' | 'back' | 'front' }
>;

export type Position = keyof typeof POSITIONS;
export const POSITION_CODES = Object.keys(POSITIONS) as [Position, ...Position[]];

/**
 * Positions a registered device (kiosk, calling display, a counter's rating pad 服务评价器) acts with; never
 * given to a person.
 */
export const DEVICE_POSITIONS = ['device_kiosk', 'device_display', 'device_rating_pad'] as const;
export type DevicePosition = (typeof DEVICE_POSITIONS)[number];
export type AnyPosition = Position | DevicePosition;

/** Groups of positions that policies grant together. */
export const FRONT_DESK: readonly Position[] = POSITION_CODES.filter((p) => POSITIONS[p].group === 'front');
export const MANAGEMENT: readonly Position[] = ['hall_manager', 'duty_manager'];
/** Everyone but the front desk (administration, management, back office): the people who look after settings. */
export const OFFICE: readonly Position[] = POSITION_CODES.filter((p) => POSITIONS[p].group !== 'front');
export const EVERY_POSITION: readonly Position[] = POSITION_CODES;
