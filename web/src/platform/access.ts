/** Which pages a person may open, from the permissions GET /api/auth/me reports. */
import type { Me } from '../../../src/modules/auth/contract.ts';

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

export function mayOpen(me: Me, page: PageKey): boolean {
  switch (page) {
    case 'home':
      return true;
    case 'org':
      return hasAnyOf(me, 'org.read', 'org.write');
    case 'staff':
      return hasAnyOf(me, 'staff.read', 'staff.write');
    case 'customers':
      return hasAnyOf(me, 'customer.read', 'customer.write');
    case 'calendar':
      return hasAnyOf(me, 'calendar.read', 'calendar.write');
    case 'settings':
      return hasAnyOf(me, 'settings.read', 'settings.write');
    case 'audit':
      return hasPermission(me, 'audit.read');
    case 'outbox':
      return hasPermission(me, 'notify.view');
    case 'tokens':
      return me.kind === 'staff';
    case 'guide':
      return me.kind === 'staff' && hasPermission(me, 'queue.take');
    case 'counter':
      return me.kind === 'staff' && hasPermission(me, 'queue.serve');
    case 'floor':
      return hasPermission(me, 'queue.view');
    case 'appointments':
      return me.kind === 'staff' && hasPermission(me, 'queue.appointment');
    case 'queueStats':
      return hasPermission(me, 'queue.stats');
    case 'queueConfig':
      return hasAnyOf(me, 'queue.configure', 'queue.supervise');
  }
}

/** A customer action (`customer.read`, `customer.write`, `customer.reveal`, `customer.lookup`). */
export function customerMay(me: Me, action: 'read' | 'write' | 'reveal' | 'lookup'): boolean {
  return hasPermission(me, `customer.${action}`);
}
