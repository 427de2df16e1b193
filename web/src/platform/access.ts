/** Which pages a person may open, from the permissions GET /api/auth/me reports. */
import type { Me } from '../../../src/modules/auth/contract.ts';
import { COUNTER_POSITIONS } from '../../../src/modules/queue/policy.ts';

export type PageKey =
  | 'home'
  | 'org'
  | 'staff'
  | 'customers'
  | 'calendar'
  | 'settings'
  | 'audit'
  | 'outbox'
  | 'tokens'
  | 'catalogue'
  | 'visitPrint'
  | 'repairs'
  | 'dataQuality'
  | 'workOrders'
  | 'workOrderReport'
  | QueuePageKey;

/** The pages of the hall queue (营业厅排队), one group of the side menu. */
export type QueuePageKey = 'guide' | 'counter' | 'floor' | 'appointments' | 'queueStats' | 'queueConfig';
export const QUEUE_PAGES: QueuePageKey[] = [
  'guide',
  'counter',
  'floor',
  'appointments',
  'queueStats',
  'queueConfig',
];

export const PAGE_PATHS: Record<PageKey, string> = {
  home: '/',
  org: '/org',
  staff: '/staff',
  customers: '/customers',
  calendar: '/calendar',
  settings: '/settings',
  audit: '/audit',
  outbox: '/outbox',
  tokens: '/tokens',
  catalogue: '/catalogue',
  /** The print page of a visit's signed document, `/visits/:visitId/print` (not in the menu). */
  visitPrint: '/visits',
  repairs: '/repairs',
  dataQuality: '/data-quality',
  workOrders: '/work-orders',
  workOrderReport: '/work-orders/report',
  guide: '/queue/guide',
  counter: '/counter',
  floor: '/floor',
  appointments: '/queue/appointments',
  queueStats: '/queue/stats',
  queueConfig: '/queue/config',
};

export function hasPermission(me: Me, permission: string): boolean {
  return me.permissions.includes(permission);
}

/** Some permissions of a capability, whatever their action name (e.g. any `customer.*`). */
export function hasAnyOf(me: Me, ...prefixesOrNames: string[]): boolean {
  return me.permissions.some((p) =>
    prefixesOrNames.some((x) => (x.endsWith('.') ? p.startsWith(x) : p === x)),
  );
}

/**
 * What each page needs, in the permission names the server's policies grant (src/modules/policies.ts,
 * reported by GET /api/auth/me): the page opens, and shows in the menu, when the person holds any of
 * them; `staffOnly` pages are not for devices; `hidden` pages are not in the menu (another page links to
 * them). Each is the permission of the API the page reads, so the menu cannot offer a page whose API
 * would answer 403.
 */
export const PAGE_NEEDS: Record<
  PageKey,
  { anyOf: readonly string[]; staffOnly?: boolean; hidden?: boolean }
> = {
  home: { anyOf: [] },
  org: { anyOf: ['org.read', 'org.write'] },
  staff: { anyOf: ['staff.read', 'staff.write'] },
  customers: { anyOf: ['customer.read', 'customer.write'] },
  calendar: { anyOf: ['calendar.read', 'calendar.write'] },
  settings: { anyOf: ['settings.read', 'settings.write'] },
  audit: { anyOf: ['audit.read'] },
  outbox: { anyOf: ['notify.view'] },
  tokens: { anyOf: ['token.manage', 'token.client'], staffOnly: true },
  catalogue: { anyOf: ['catalogue.read'], staffOnly: true },
  visitPrint: { anyOf: ['visit.read'], staffOnly: true, hidden: true },
  repairs: { anyOf: ['repair.read'], staffOnly: true },
  dataQuality: { anyOf: ['data_quality.read'], staffOnly: true },
  workOrders: { anyOf: ['workorder.read'], staffOnly: true },
  workOrderReport: { anyOf: ['workorder.report'], staffOnly: true },
  guide: { anyOf: ['queue.take'], staffOnly: true },
  counter: { anyOf: ['queue.serve'], staffOnly: true },
  floor: { anyOf: ['queue.view'] },
  appointments: { anyOf: ['queue.appointment'], staffOnly: true },
  queueStats: { anyOf: ['queue.stats'] },
  queueConfig: { anyOf: ['queue.configure', 'queue.supervise'] },
};

export function mayOpen(me: Me, page: PageKey): boolean {
  const needs = PAGE_NEEDS[page];
  if (needs.staffOnly && me.kind !== 'staff') return false;
  return needs.anyOf.length === 0 || hasAnyOf(me, ...needs.anyOf);
}

/**
 * A person whose positions are all counter positions (src/modules/queue/policy.ts COUNTER_POSITIONS: the
 * clerks of the front desk) lands on the counter page (台席叫号) after login; everyone else on the home
 * dashboard.
 */
export function homePath(me: Me): string {
  const counterOnly =
    me.kind === 'staff' &&
    me.positions.length > 0 &&
    me.positions.every((p) => (COUNTER_POSITIONS as readonly string[]).includes(p));
  return counterOnly && mayOpen(me, 'counter') ? PAGE_PATHS.counter : PAGE_PATHS.home;
}

/** A customer action (`customer.read`, `customer.write`, `customer.reveal`, `customer.lookup`). */
export function customerMay(me: Me, action: 'read' | 'write' | 'reveal' | 'lookup'): boolean {
  return hasPermission(me, `customer.${action}`);
}
