/** Bilingual names of the queue's codes (ticket states, channels, counter kinds, outcomes, alerts). */
import { counterEn } from '../../../../src/core/ticket-numbers.ts';
import type { Bilingual } from '../../platform/i18n.tsx';

/** A counter's name: its sign as the hall configured it in Chinese, "Counter 3" in English (as the API says). */
export const counterName = (c: { name: string; number: number }): Bilingual => ({
  zh: c.name,
  en: counterEn(c),
});

export type TicketStatus =
  'waiting' | 'called' | 'serving' | 'parked' | 'done' | 'no_show' | 'cancelled' | 'not_served';

export const TICKET_STATUS: Record<TicketStatus, Bilingual & { color: string }> = {
  waiting: { zh: '等待中', en: 'Waiting', color: 'blue' },
  called: { zh: '已叫号', en: 'Called', color: 'orange' },
  serving: { zh: '办理中', en: 'Being served', color: 'green' },
  parked: { zh: '暂挂', en: 'Parked', color: 'purple' },
  done: { zh: '已办结', en: 'Finished', color: 'default' },
  no_show: { zh: '过号', en: 'No-show', color: 'red' },
  cancelled: { zh: '已取消', en: 'Cancelled', color: 'default' },
  not_served: { zh: '未服务', en: 'Not served', color: 'red' },
};

export const CHANNELS: Record<string, Bilingual> = {
  kiosk: { zh: '取号机', en: 'Kiosk' },
  guide: { zh: '引导员', en: 'Floor guide' },
  remote: { zh: '远程取号', en: 'Remote' },
  appointment: { zh: '预约', en: 'Appointment' },
};

export const COUNTER_KINDS: Record<'normal' | 'vip' | '3g' | 'group', Bilingual & { color: string }> = {
  normal: { zh: '普通', en: 'Normal', color: 'default' },
  vip: { zh: 'VIP专席', en: 'VIP', color: 'gold' },
  '3g': { zh: '3G专席', en: '3G', color: 'cyan' },
  group: { zh: '集团客户', en: 'Group', color: 'geekblue' },
};
export type CounterKindCode = keyof typeof COUNTER_KINDS;
export const COUNTER_KIND_CODES = Object.keys(COUNTER_KINDS) as CounterKindCode[];

export const COUNTER_STATES: Record<'closed' | 'open' | 'paused', Bilingual & { color: string }> = {
  closed: { zh: '关闭', en: 'Closed', color: 'default' },
  open: { zh: '服务中', en: 'Open', color: 'green' },
  paused: { zh: '暂停', en: 'Paused', color: 'orange' },
};

export const OUTCOMES: Record<'served' | 'partly_served' | 'referred' | 'not_handled', Bilingual> = {
  served: { zh: '办结', en: 'Served' },
  partly_served: { zh: '部分办理', en: 'Partly served' },
  referred: { zh: '转其他渠道', en: 'Referred elsewhere' },
  not_handled: { zh: '无法办理', en: 'Could not be handled' },
};
export type OutcomeCode = keyof typeof OUTCOMES;

export const ALERT_KINDS: Record<'wait' | 'vip_wait' | 'transaction', Bilingual> = {
  wait: { zh: '等待超时', en: 'Wait' },
  vip_wait: { zh: 'VIP/3G等待', en: 'VIP/3G wait' },
  transaction: { zh: '办理超时', en: 'Transaction' },
};

export const ALERT_LEVELS: Record<'warning' | 'breach', Bilingual & { color: string }> = {
  warning: { zh: '预警', en: 'Warning', color: 'orange' },
  breach: { zh: '超时', en: 'Breach', color: 'red' },
};

export const APPOINTMENT_STATUS: Record<string, Bilingual & { color: string }> = {
  booked: { zh: '已预约', en: 'Booked', color: 'blue' },
  checked_in: { zh: '已签到', en: 'Checked in', color: 'green' },
  late: { zh: '迟到', en: 'Late', color: 'orange' },
  no_show: { zh: '爽约', en: 'No-show', color: 'red' },
  cancelled: { zh: '已取消', en: 'Cancelled', color: 'default' },
};

/** Business of the catalogue (2§2.1.1) offered when pre-registering or finishing a ticket. */
export const BUSINESS_SUGGESTIONS: Bilingual[] = [
  { zh: '新开户', en: 'New account' },
  { zh: '补/换卡', en: 'SIM replacement' },
  { zh: '过户', en: 'Transfer of ownership' },
  { zh: '套餐变更', en: 'Plan change' },
  { zh: '增值业务变更', en: 'Value-added change' },
  { zh: '客户资料变更', en: 'Customer data change' },
  { zh: '缴费充值', en: 'Payment/top-up' },
  { zh: '话费详单打印', en: 'Bill detail print' },
  { zh: '停开机', en: 'Suspend/reactivate' },
  { zh: '销户', en: 'Cancellation' },
  { zh: '挂失', en: 'Report loss' },
  { zh: '国际长途/漫游', en: 'International/roaming' },
  { zh: '宽带业务', en: 'Broadband' },
  { zh: '3G业务开通', en: '3G activation' },
  { zh: '终端购买', en: 'Handset purchase' },
  { zh: '终端维修', en: 'Handset repair' },
  { zh: '投诉', en: 'Complaint' },
];
