/**
 * Demo queue configuration of the demo halls: the usual service categories, queues with their ticket
 * letters, segmentation (appointments, diamond/gold and 3G VIP customers to the VIP queue, 3G customers'
 * 3G business to the 3G queue), work profiles with "overdue" rules, and counters of every kind.
 */
import type { Ctx } from '../../platform/context.ts';
import type { HallQueueConfigInput } from './contract.ts';
import { HallQueueConfig } from './contract.ts';
import { configureHall } from './config.ts';

const CATEGORIES: HallQueueConfigInput['categories'] = [
  { code: 'business', name: '业务办理', nameEn: 'Account services', queue: 'normal', meanServiceMinutes: 7 },
  { code: 'payment', name: '缴费充值', nameEn: 'Payment and top-up', queue: 'pay', meanServiceMinutes: 3 },
  { code: '3g', name: '3G业务', nameEn: '3G services', queue: 'g3', meanServiceMinutes: 9 },
  { code: 'terminal', name: '终端销售', nameEn: 'Handset sales', queue: 'normal', meanServiceMinutes: 10 },
  {
    code: 'repair',
    name: '售后维修',
    nameEn: 'After-sales repair',
    queue: 'service',
    meanServiceMinutes: 12,
  },
  {
    code: 'complaint',
    name: '投诉/故障',
    nameEn: 'Complaints and faults',
    queue: 'service',
    meanServiceMinutes: 10,
  },
  { code: 'group', name: '集团业务', nameEn: 'Group customers', queue: 'group', meanServiceMinutes: 12 },
];

const QUEUES: HallQueueConfigInput['queues'] = [
  { code: 'vip', name: 'VIP客户', nameEn: 'VIP customers', prefix: 'V', vip: true },
  { code: 'normal', name: '普通业务', nameEn: 'General', prefix: 'A' },
  { code: 'pay', name: '缴费', nameEn: 'Payments', prefix: 'B' },
  { code: 'g3', name: '3G业务', nameEn: '3G', prefix: 'G' },
  { code: 'service', name: '售后与投诉', nameEn: 'After-sales and complaints', prefix: 'W' },
  { code: 'group', name: '集团客户', nameEn: 'Group customers', prefix: 'J' },
];

const SEGMENTATION: HallQueueConfigInput['segmentation'] = [
  { queue: 'vip', when: { appointment: true } },
  { queue: 'vip', when: { tiers: ['diamond', 'gold'] } },
  { queue: 'vip', when: { is3g: true, tiers: ['silver'] } },
  { queue: 'g3', when: { is3g: true, categories: ['business', 'terminal'] } },
];

const PROFILES: HallQueueConfigInput['profiles'] = [
  {
    code: 'general',
    name: '综合台',
    nameEn: 'General counter',
    rules: [
      { kind: 'overdue', queue: 'vip', afterMinutes: 4 },
      { kind: 'queue', queue: 'normal' },
      { kind: 'queue', queue: 'pay' },
      { kind: 'overdue', queue: 'service', afterMinutes: 20 },
      { kind: 'queue', queue: 'g3' },
    ],
  },
  {
    code: 'payment',
    name: '缴费台',
    nameEn: 'Payment counter',
    rules: [
      { kind: 'queue', queue: 'pay' },
      { kind: 'overdue', queue: 'vip', afterMinutes: 4 },
      { kind: 'queue', queue: 'normal' },
    ],
  },
  {
    code: 'vip',
    name: 'VIP专席',
    nameEn: 'VIP counter',
    rules: [
      { kind: 'queue', queue: 'vip' },
      { kind: 'overdue', queue: 'g3', afterMinutes: 3 },
      { kind: 'queue', queue: 'g3' },
      { kind: 'queue', queue: 'normal' },
    ],
  },
  {
    code: 'g3',
    name: '3G专区',
    nameEn: '3G counter',
    rules: [
      { kind: 'queue', queue: 'g3' },
      { kind: 'overdue', queue: 'vip', afterMinutes: 3 },
      { kind: 'queue', queue: 'vip' },
      { kind: 'queue', queue: 'normal' },
    ],
  },
  {
    code: 'group',
    name: '集团客户台',
    nameEn: 'Group counter',
    rules: [
      { kind: 'queue', queue: 'group' },
      { kind: 'overdue', queue: 'vip', afterMinutes: 4 },
      { kind: 'queue', queue: 'normal' },
    ],
  },
  {
    code: 'service',
    name: '售后投诉台',
    nameEn: 'After-sales counter',
    rules: [
      { kind: 'queue', queue: 'service' },
      { kind: 'overdue', queue: 'normal', afterMinutes: 25 },
    ],
  },
];

type Counter = HallQueueConfigInput['counters'][number];
const counter = (
  number: number,
  kind: Counter['kind'],
  profile: string,
  name?: string,
  categories: string[] = [],
) => ({
  code: `c${String(number).padStart(2, '0')}`,
  number,
  name: name ?? `${number}号窗口`,
  kind,
  profile,
  categories,
});

const NOTICES = [
  { zh: '沃3G新业务全面上线，欢迎到3G专区咨询办理', en: 'New 3G services are here: ask at the 3G counters' },
  { zh: '请保管好您的号票，过号请重新取号', en: 'Keep your ticket; a missed number needs a new ticket' },
];

/** The demo configuration of each demo hall, by the seed's unit key. */
export const DEMO_QUEUE_HALLS: Record<string, HallQueueConfigInput> = {
  qyHall: {
    categories: CATEGORIES,
    queues: QUEUES,
    segmentation: SEGMENTATION,
    profiles: PROFILES,
    counters: [
      counter(1, 'normal', 'general'),
      counter(2, 'normal', 'general'),
      counter(3, 'normal', 'payment', '3号窗口（缴费）'),
      counter(4, 'vip', 'vip', '4号 VIP专席'),
      counter(5, '3g', 'g3', '5号 3G专区'),
      counter(6, 'group', 'group', '6号 集团客户'),
      counter(7, 'normal', 'service', '7号 售后投诉', ['repair', 'complaint', 'business']),
      counter(8, 'normal', 'general'),
    ],
    notices: NOTICES,
  },
  qy3g: {
    categories: CATEGORIES.filter((c) => c.code !== 'group'),
    queues: QUEUES.filter((q) => q.code !== 'group'),
    segmentation: SEGMENTATION,
    profiles: PROFILES.filter((p) => p.code !== 'group'),
    counters: [
      counter(1, '3g', 'g3', '1号 3G专区'),
      counter(2, '3g', 'g3', '2号 3G专区'),
      counter(3, 'vip', 'vip', '3号 VIP专席'),
      counter(4, 'normal', 'general'),
      counter(5, 'normal', 'service', '5号 售后', ['repair', 'complaint']),
    ],
    notices: NOTICES,
  },
  qyCoop: {
    categories: CATEGORIES.filter((c) => c.code !== 'group'),
    queues: QUEUES.filter((q) => q.code !== 'group'),
    segmentation: SEGMENTATION,
    profiles: PROFILES.filter((p) => p.code !== 'group'),
    counters: [
      counter(1, 'normal', 'general'),
      counter(2, 'vip', 'vip', '2号 VIP专席'),
      counter(3, 'normal', 'payment'),
    ],
  },
  xkHall: {
    categories: CATEGORIES,
    queues: QUEUES,
    segmentation: SEGMENTATION,
    profiles: PROFILES,
    counters: [
      counter(1, 'normal', 'general'),
      counter(2, 'normal', 'payment'),
      counter(3, 'vip', 'vip', '3号 VIP专席'),
      counter(4, '3g', 'g3', '4号 3G专区'),
      counter(5, 'group', 'group', '5号 集团客户'),
      counter(6, 'normal', 'service', '6号 售后投诉', ['repair', 'complaint', 'business']),
    ],
    notices: NOTICES,
  },
  xkSelf: {
    categories: CATEGORIES.filter((c) => ['business', 'payment'].includes(c.code)),
    queues: QUEUES.filter((q) => ['vip', 'normal', 'pay'].includes(q.code)),
    segmentation: SEGMENTATION.slice(0, 3),
    profiles: [
      {
        code: 'general',
        name: '综合台',
        nameEn: 'General counter',
        rules: [
          { kind: 'queue', queue: 'vip' },
          { kind: 'queue', queue: 'normal' },
          { kind: 'queue', queue: 'pay' },
        ],
      },
    ],
    counters: [counter(1, 'normal', 'general', '1号 引导服务台')],
  },
};

/** Configures the queue of every demo hall (called at the end of the demo seed). */
export async function seedQueueDemo(ctx: Ctx, unitIds: Record<string, string>): Promise<void> {
  for (const [key, config] of Object.entries(DEMO_QUEUE_HALLS)) {
    const hallId = unitIds[key];
    if (hallId) await configureHall(ctx, hallId, HallQueueConfig.parse(config));
  }
}
