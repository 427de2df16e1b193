/** Which pages a person may open, from the permissions GET /api/auth/me reports. */
import type { Me } from '../../../src/modules/auth/contract.ts';

export type PageKey = 'home' | 'org' | 'staff' | 'customers' | 'calendar' | 'settings' | 'audit' | 'tokens';

export const PAGE_PATHS: Record<PageKey, string> = {
  home: '/',
  org: '/org',
  staff: '/staff',
  customers: '/customers',
  calendar: '/calendar',
  settings: '/settings',
  audit: '/audit',
  tokens: '/tokens',
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
    case 'tokens':
      return me.kind === 'staff';
  }
}

/** A customer action (`customer.read`, `customer.write`, `customer.reveal`, `customer.lookup`). */
export function customerMay(me: Me, action: 'read' | 'write' | 'reveal' | 'lookup'): boolean {
  return hasPermission(me, `customer.${action}`);
}
