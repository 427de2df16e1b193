/**
 * The registry of every number the norms give, with its default, unit and allowed range, and the rule
 * that finds the value in force for a unit at a moment: the newest value at or before that moment at the
 * nearest scope (the unit, its city, its province, headquarters), else the default.
 */

export type SettingUnit = 'minutes' | 'hours' | 'days' | 'business_days' | 'count' | 'share' | 'fen' | 'flag';

export interface SettingDef {
  key: string;
  kind: 'integer' | 'number' | 'boolean';
  default: number | boolean;
  min?: number;
  max?: number;
  unit: SettingUnit;
  zh: string;
  en: string;
  /** Where in the norms the number comes from, e.g. 2§3.6.5; empty where the norms are silent. */
  clause: string;
}

const def = (d: SettingDef): SettingDef => d;

export const SETTINGS = [
  def({
    key: 'queue.waitMinutes',
    kind: 'integer',
    default: 30,
    min: 1,
    max: 240,
    unit: 'minutes',
    zh: '客户等待时长上限',
    en: 'Longest customer wait',
    clause: '2§3.6.5',
  }),
  def({
    key: 'queue.vipWaitMinutes',
    kind: 'integer',
    default: 5,
    min: 1,
    max: 120,
    unit: 'minutes',
    zh: 'VIP及3G客户等待时长上限',
    en: 'Longest VIP and 3G wait',
    clause: '2§3.6.5',
  }),
  def({
    key: 'queue.transactionMinutes',
    kind: 'integer',
    default: 10,
    min: 1,
    max: 120,
    unit: 'minutes',
    zh: '单项业务办理时长上限',
    en: 'Longest single transaction',
    clause: '2§3.6.5',
  }),
  def({
    key: 'queue.warnShare',
    kind: 'number',
    default: 0.8,
    min: 0.1,
    max: 1,
    unit: 'share',
    zh: '提前预警比例',
    en: 'Warn at this share of a limit',
    clause: '',
  }),
  def({
    key: 'queue.pauseRefusedAboveWaiting',
    kind: 'integer',
    default: 5,
    min: 0,
    max: 200,
    unit: 'count',
    zh: '等待人数超过此数时不得暂停服务',
    en: 'Refuse a counter pause while more wait than',
    clause: '2§3.2.4',
  }),
  def({
    key: 'queue.maxRecalls',
    kind: 'integer',
    default: 3,
    min: 1,
    max: 10,
    unit: 'count',
    zh: '重呼次数后视为过号',
    en: 'Recalls before a no-show',
    clause: '',
  }),
  def({
    key: 'queue.transferKeepsWait',
    kind: 'boolean',
    default: true,
    unit: 'flag',
    zh: '转移时保留原等待时间',
    en: 'A transfer keeps the waiting time',
    clause: '',
  }),
  def({
    key: 'queue.nearFrontPeople',
    kind: 'integer',
    default: 3,
    min: 0,
    max: 50,
    unit: 'count',
    zh: '前方等待人数不超过此数时提醒远程取号客户',
    en: 'Tell a remote customer when this few are ahead',
    clause: '',
  }),
  def({
    key: 'queue.ratingWindowMinutes',
    kind: 'integer',
    default: 5,
    min: 1,
    max: 60,
    unit: 'minutes',
    zh: '办结后客户可在评价器上评价的时限',
    en: 'Minutes after finishing in which the customer may rate on the rating pad',
    clause: '',
  }),
  def({
    key: 'queue.remoteTicketsPerPhone',
    kind: 'integer',
    default: 1,
    min: 1,
    max: 10,
    unit: 'count',
    zh: '同一号码在一个营业厅同时有效的远程号数',
    en: 'Open remote tickets per phone number and hall',
    clause: '',
  }),
  def({
    key: 'queue.kioskIdleMinutes',
    kind: 'integer',
    default: 1,
    min: 1,
    max: 30,
    unit: 'minutes',
    zh: '取号机无人触摸多久后显示待机画面',
    en: 'Minutes without a touch before the kiosk shows its attract screen',
    clause: '',
  }),
  def({
    key: 'queue.kioskTicketsPerPhone',
    kind: 'integer',
    default: 2,
    min: 1,
    max: 10,
    unit: 'count',
    zh: '同一号码在一个营业厅取号机同时等待的号数',
    en: 'Waiting kiosk tickets per phone number and hall',
    clause: '',
  }),
  def({
    key: 'queue.arrivalWindowMinutes',
    kind: 'integer',
    default: 30,
    min: 5,
    max: 240,
    unit: 'minutes',
    zh: '计算到达率的时间窗口',
    en: 'Arrival rate measured over the last',
    clause: '',
  }),
  def({
    key: 'queue.estimateWindow',
    kind: 'integer',
    default: 50,
    min: 5,
    max: 500,
    unit: 'count',
    zh: '预计等待：取当天最近几笔办理的平均时长',
    en: 'Wait estimate: mean of the latest transactions of the day',
    clause: '',
  }),
  def({
    key: 'queue.estimateMinMeasured',
    kind: 'integer',
    default: 5,
    min: 1,
    max: 50,
    unit: 'count',
    zh: '预计等待：实测办理少于此笔数时用配置的办理时长',
    en: 'Wait estimate: configured service time until this many are measured',
    clause: '',
  }),
  def({
    key: 'queue.defaultServiceMinutes',
    kind: 'number',
    default: 8,
    min: 0.5,
    max: 120,
    unit: 'minutes',
    zh: '预计等待：未配置业务办理时长时的默认值',
    en: 'Wait estimate: service time when none is configured',
    clause: '',
  }),
  def({
    key: 'queue.staffingTargetShare',
    kind: 'number',
    default: 0.8,
    min: 0.5,
    max: 0.99,
    unit: 'share',
    zh: '开台建议：在时限内被叫号的客户比例目标',
    en: 'Counter advice: share to be called within the limit',
    clause: '2§3.6.5',
  }),
  def({
    key: 'queue.appointmentSlotMinutes',
    kind: 'integer',
    default: 30,
    min: 10,
    max: 240,
    unit: 'minutes',
    zh: '预约时段长度',
    en: 'Appointment slot length',
    clause: '2§3.6.6',
  }),
  def({
    key: 'queue.appointmentSlotCapacity',
    kind: 'integer',
    default: 2,
    min: 1,
    max: 100,
    unit: 'count',
    zh: '每个预约时段可预约人数',
    en: 'Appointments per slot',
    clause: '2§3.6.6',
  }),
  def({
    key: 'queue.appointmentBookAheadDays',
    kind: 'integer',
    default: 14,
    min: 0,
    max: 90,
    unit: 'days',
    zh: '最多可提前预约天数',
    en: 'Book at most this many days ahead',
    clause: '2§3.6.6',
  }),
  def({
    key: 'queue.appointmentEarlyMinutes',
    kind: 'integer',
    default: 30,
    min: 0,
    max: 240,
    unit: 'minutes',
    zh: '预约时段开始前最早可签到',
    en: 'Check in at most this early',
    clause: '2§3.6.6',
  }),
  def({
    key: 'queue.appointmentLateMinutes',
    kind: 'integer',
    default: 15,
    min: 0,
    max: 240,
    unit: 'minutes',
    zh: '迟到超过此时长预约失效（按普通取号）',
    en: 'An appointment lapses when this late',
    clause: '2§3.6.6',
  }),
  def({
    key: 'queue.appointmentNoShowLimit',
    kind: 'integer',
    default: 3,
    min: 1,
    max: 20,
    unit: 'count',
    zh: '爽约次数达到此数暂停预约资格',
    en: 'No-shows that suspend booking',
    clause: '2§3.6.6',
  }),
  def({
    key: 'queue.appointmentNoShowWindowDays',
    kind: 'integer',
    default: 90,
    min: 1,
    max: 365,
    unit: 'days',
    zh: '爽约次数统计期',
    en: 'No-shows counted over the last',
    clause: '2§3.6.6',
  }),
  def({
    key: 'realtime.maxStreamsPerCredential',
    kind: 'integer',
    default: 10,
    min: 1,
    max: 1000,
    unit: 'count',
    zh: '同一登录或令牌同时打开的实时连接上限',
    en: 'Most live streams open with one login or token',
    clause: '',
  }),
  def({
    key: 'hall.minOpeningHours',
    kind: 'number',
    default: 10,
    min: 0,
    max: 24,
    unit: 'hours',
    zh: '每天营业时间不少于',
    en: 'Opening hours a day at least',
    clause: '2§3.2.1',
  }),
  def({
    key: 'hall.complaintRateMax',
    kind: 'number',
    default: 1,
    min: 0,
    max: 100,
    unit: 'count',
    zh: '营业厅服务质量投诉率上限',
    en: 'Hall service-quality complaint rate below',
    clause: '2§3.7 #1',
  }),
  def({
    key: 'customerData.completenessTarget',
    kind: 'number',
    default: 1,
    min: 0,
    max: 1,
    unit: 'share',
    zh: '客户资料完整及时率目标',
    en: 'Customer data complete and timely',
    clause: '2§3.6.2',
  }),
  def({
    key: 'customerData.errorRateMax',
    kind: 'number',
    default: 0.01,
    min: 0,
    max: 1,
    unit: 'share',
    zh: '客户资料差错率上限',
    en: 'Customer data error rate below',
    clause: '2§3.6.3',
  }),
  def({
    key: 'customerData.agentReturnTarget',
    kind: 'number',
    default: 1,
    min: 0,
    max: 1,
    unit: 'share',
    zh: '代理销售客户资料返档及时率目标',
    en: 'Agent-sold data returned on time',
    clause: '2§3.6.4',
  }),
  def({
    key: 'complaint.ordinaryLimitBusinessDays',
    kind: 'integer',
    default: 2,
    min: 1,
    max: 30,
    unit: 'business_days',
    zh: '普通投诉办结时限',
    en: 'Ordinary complaint resolved within',
    clause: '8 (限时办结)',
  }),
  def({
    key: 'complaint.escalatedLimitBusinessDays',
    kind: 'integer',
    default: 1,
    min: 1,
    max: 30,
    unit: 'business_days',
    zh: '升级投诉办结时限',
    en: 'Escalated complaint resolved within',
    clause: '8 (升级投诉)',
  }),
  def({
    key: 'complaint.appealLimitBusinessDays',
    kind: 'integer',
    default: 5,
    min: 1,
    max: 30,
    unit: 'business_days',
    zh: '用户申诉办结时限',
    en: 'Customer appeal resolved within',
    clause: '8 (申诉)',
  }),
  def({
    key: 'complaint.escalateAtShare',
    kind: 'number',
    default: 0.8,
    min: 0.1,
    max: 1,
    unit: 'share',
    zh: '时限用去此比例时预警升级',
    en: 'Escalate at this share of the limit',
    clause: '8',
  }),
  // Time limits of work orders (限时办结, issue #14): the numbers of the regulations the norms sit under;
  // the internal complaint limits and the warning share are the complaint.* keys above.
  def({
    key: 'sla.firstResponseMinutes',
    kind: 'integer',
    default: 120,
    min: 5,
    max: 1440,
    unit: 'minutes',
    zh: '工单首次响应时限（营业时间）',
    en: 'First response to a work order within (business time)',
    clause: '',
  }),
  def({
    key: 'sla.faultMobileAverageHours',
    kind: 'integer',
    default: 24,
    min: 1,
    max: 240,
    unit: 'hours',
    zh: '移动业务故障平均修复时长不超过',
    en: 'Mobile faults repaired on average within',
    clause: '',
  }),
  def({
    key: 'sla.faultMobileMaxHours',
    kind: 'integer',
    default: 48,
    min: 1,
    max: 720,
    unit: 'hours',
    zh: '移动业务故障修复时限（最长）',
    en: 'A mobile fault repaired within (at most)',
    clause: '',
  }),
  def({
    key: 'sla.faultFixedTownHours',
    kind: 'integer',
    default: 48,
    min: 1,
    max: 720,
    unit: 'hours',
    zh: '固定电话故障修复时限（城镇）',
    en: 'A fixed-line fault repaired within (towns)',
    clause: '',
  }),
  def({
    key: 'sla.faultFixedRuralHours',
    kind: 'integer',
    default: 72,
    min: 1,
    max: 720,
    unit: 'hours',
    zh: '固定电话故障修复时限（农村）',
    en: 'A fixed-line fault repaired within (rural areas)',
    clause: '',
  }),
  def({
    key: 'sla.complaintReplyMaxDays',
    kind: 'integer',
    default: 15,
    min: 1,
    max: 60,
    unit: 'days',
    zh: '投诉答复用户时限（最长，自受理之日起）',
    en: 'A complaint answered within (at most, from receipt)',
    clause: '8',
  }),
  def({
    key: 'sla.otherLimitBusinessDays',
    kind: 'integer',
    default: 3,
    min: 1,
    max: 30,
    unit: 'business_days',
    zh: '咨询、建议类工单办结时限',
    en: 'A consultation or suggestion resolved within',
    clause: '',
  }),
  def({
    key: 'sla.superiorAfterHours',
    kind: 'integer',
    default: 24,
    min: 1,
    max: 720,
    unit: 'hours',
    zh: '超时后此时长仍未办结则移交上级单位督办',
    en: 'Moved to the superior unit this long after a breach',
    clause: '8',
  }),
  def({
    key: 'refund.hallApprovalLimitFen',
    kind: 'integer',
    default: 20000,
    min: 0,
    max: 100_000_000,
    unit: 'fen',
    zh: '营业厅经理可直接审批的退费减免赠款限额',
    en: 'Refund/waiver the hall manager approves',
    clause: '2§3.4.3',
  }),
  def({
    key: 'auth.passwordMinLength',
    kind: 'integer',
    default: 8,
    min: 6,
    max: 64,
    unit: 'count',
    zh: '密码最短长度',
    en: 'Password length at least',
    clause: '2§3.5.2',
  }),
  def({
    key: 'auth.passwordMinClasses',
    kind: 'integer',
    default: 3,
    min: 1,
    max: 4,
    unit: 'count',
    zh: '密码字符类别至少',
    en: 'Password character classes at least',
    clause: '2§3.5.2',
  }),
  def({
    key: 'auth.passwordMaxAgeDays',
    kind: 'integer',
    default: 90,
    min: 1,
    max: 3650,
    unit: 'days',
    zh: '密码有效期',
    en: 'Password expires after',
    clause: '2§3.5.2',
  }),
  def({
    key: 'auth.deviceTokenDays',
    kind: 'integer',
    default: 365,
    min: 1,
    max: 3650,
    unit: 'days',
    zh: '设备令牌有效期（默认及上限）',
    en: 'A device token lasts (by default and at most)',
    clause: '',
  }),
  def({
    key: 'auth.deviceTokenMayNeverExpire',
    kind: 'boolean',
    default: false,
    unit: 'flag',
    zh: '允许创建永不过期的设备令牌',
    en: 'Device tokens may be made to never expire',
    clause: '',
  }),
  def({
    key: 'auth.maxFailedAttempts',
    kind: 'integer',
    default: 5,
    min: 1,
    max: 50,
    unit: 'count',
    zh: '连续登录失败锁定次数',
    en: 'Failed logins before lockout',
    clause: '2§3.5.2',
  }),
  def({
    key: 'auth.lockMinutes',
    kind: 'integer',
    default: 15,
    min: 1,
    max: 1440,
    unit: 'minutes',
    zh: '锁定时长',
    en: 'Lockout lasts',
    clause: '2§3.5.2',
  }),
  def({
    key: 'auth.passwordHistory',
    kind: 'integer',
    default: 5,
    min: 1,
    max: 24,
    unit: 'count',
    zh: '新密码不得与最近几次密码相同',
    en: 'A new password differs from the last',
    clause: '2§3.5.2',
  }),
  def({
    key: 'auth.sessionHours',
    kind: 'integer',
    default: 12,
    min: 1,
    max: 720,
    unit: 'hours',
    zh: '登录会话有效期',
    en: 'A console session lasts',
    clause: '',
  }),
  def({
    key: 'notify.maxAttempts',
    kind: 'integer',
    default: 5,
    min: 1,
    max: 20,
    unit: 'count',
    zh: '消息发送失败后最多尝试次数',
    en: 'Tries to deliver a message before giving up',
    clause: '',
  }),
  def({
    key: 'notify.retrySeconds',
    kind: 'integer',
    default: 30,
    min: 1,
    max: 3600,
    unit: 'count',
    zh: '消息重发的初始间隔（秒，每次加倍）',
    en: 'First wait before a message is retried (seconds, doubled each try)',
    clause: '',
  }),
  def({
    key: 'echannel.codeMinutes',
    kind: 'integer',
    default: 5,
    min: 1,
    max: 30,
    unit: 'minutes',
    zh: '短信验证码有效期',
    en: 'A one-time code lasts',
    clause: '',
  }),
  def({
    key: 'echannel.codeMaxTries',
    kind: 'integer',
    default: 5,
    min: 1,
    max: 10,
    unit: 'count',
    zh: '验证码输错此次数后作废',
    en: 'Wrong tries that kill a one-time code',
    clause: '',
  }),
  def({
    key: 'echannel.sessionMinutes',
    kind: 'integer',
    default: 30,
    min: 5,
    max: 240,
    unit: 'minutes',
    zh: '手机号验证后的远程取号/预约凭证有效期',
    en: 'A proven phone’s e-channel session lasts',
    clause: '',
  }),
  def({
    key: 'echannel.remoteTickets',
    kind: 'boolean',
    default: true,
    unit: 'flag',
    zh: '营业厅接受远程取号',
    en: 'The hall takes remote tickets',
    clause: '',
  }),
  // -- Counter business acceptance (issue #13): data quality (2§3.6.2–3.6.4) and the service password ------
  def({
    key: 'customerData.entryWithinHours',
    kind: 'integer',
    default: 24,
    min: 1,
    max: 720,
    unit: 'hours',
    zh: '业务办理后客户资料须完整录入的时限',
    en: 'Customer data entered complete within',
    clause: '2§3.6.2',
  }),
  def({
    key: 'customerData.agentReturnDays',
    kind: 'integer',
    default: 7,
    min: 1,
    max: 90,
    unit: 'days',
    zh: '代理销售客户资料返档时限',
    en: 'Agent-sold customer documents returned within',
    clause: '2§3.6.4',
  }),
  def({
    key: 'counter.servicePasswordMaxFailures',
    kind: 'integer',
    default: 5,
    min: 1,
    max: 20,
    unit: 'count',
    zh: '服务密码连续错误锁定次数',
    en: 'Wrong service passwords before it locks',
    clause: '2§2.2.1',
  }),
  def({
    key: 'counter.servicePasswordLockMinutes',
    kind: 'integer',
    default: 30,
    min: 1,
    max: 1440,
    unit: 'minutes',
    zh: '服务密码锁定时长',
    en: 'A locked service password stays locked',
    clause: '2§2.2.1',
  }),
] as const satisfies readonly SettingDef[];

export type SettingKey = (typeof SETTINGS)[number]['key'];
export type SettingValue = number | boolean;

const BY_KEY = new Map<string, SettingDef>(SETTINGS.map((d) => [d.key, d]));

export function settingDef(key: string): SettingDef | undefined {
  return BY_KEY.get(key);
}

/** What is wrong with a value for a setting (English and Chinese), or null when it is allowed. */
export function settingValueProblem(d: SettingDef, value: unknown): { zh: string; en: string } | null {
  if (d.kind === 'boolean') {
    return typeof value === 'boolean' ? null : { zh: '应为是/否', en: 'Must be true or false' };
  }
  if (typeof value !== 'number' || !Number.isFinite(value)) return { zh: '应为数字', en: 'Must be a number' };
  if (d.kind === 'integer' && !Number.isInteger(value))
    return { zh: '应为整数', en: 'Must be a whole number' };
  if ((d.min !== undefined && value < d.min) || (d.max !== undefined && value > d.max)) {
    return { zh: `应在 ${d.min} 到 ${d.max} 之间`, en: `Must be between ${d.min} and ${d.max}` };
  }
  return null;
}

/** One recorded value of a setting at a scope (null clears the override from validFrom on). */
export interface SettingRecord {
  key: string;
  unitId: string;
  value: SettingValue | null;
  validFrom: Date;
}

export interface Resolved {
  key: string;
  value: SettingValue;
  /** The unit whose value is in force, or null for the default. */
  sourceUnitId: string | null;
  since: Date | null;
}

/**
 * The value of `key` in force at `at` for a unit whose scopes, nearest first, are `scopeIds`
 * (the unit, its parent, …, headquarters).
 */
export function resolveSetting(
  key: string,
  records: readonly SettingRecord[],
  scopeIds: readonly string[],
  at: Date,
): Resolved {
  const d = BY_KEY.get(key);
  if (!d) throw new RangeError(`unknown setting ${key}`);
  for (const unitId of scopeIds) {
    let newest: SettingRecord | null = null;
    for (const r of records) {
      if (r.key !== key || r.unitId !== unitId || r.validFrom.getTime() > at.getTime()) continue;
      if (!newest || r.validFrom.getTime() >= newest.validFrom.getTime()) newest = r;
    }
    if (newest && newest.value !== null)
      return { key, value: newest.value, sourceUnitId: unitId, since: newest.validFrom };
  }
  return { key, value: d.default, sourceUnitId: null, since: null };
}

/** The ids of the scopes of a unit, nearest first, from its materialised path `/hq/province/city/unit/`. */
export function scopesOf(path: string): string[] {
  return path.split('/').filter(Boolean).reverse();
}
