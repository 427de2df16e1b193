import { FRONT_DESK, MANAGEMENT } from '../../core/positions.ts';
import { definePolicy } from '../../platform/auth/policy.ts';

export const customersPolicy = definePolicy(
  {
    'customer.read': [
      'system_admin',
      ...MANAGEMENT,
      ...FRONT_DESK,
      'auditor',
      'quality_monitor',
      'complaint_handler',
      'statistician',
    ],
    'customer.write': [
      'hall_manager',
      'acceptance',
      'vip_reception',
      'reception_3g',
      'group_reception',
      'agent',
      'retention',
    ],
    /** Seeing a customer's full ID number, phone and address; each view is an event. */
    'customer.reveal': [
      'hall_manager',
      'acceptance',
      'vip_reception',
      'reception_3g',
      'group_reception',
      'auditor',
    ],
    /**
     * Looking up a phone number's tier and 3G flag (for queue priority), without personal data: the floor's
     * reception and counter positions only (not administrators or call-centre agents). Not a device's: taking
     * a ticket looks the phone up itself, so a kiosk needs no lookup of its own.
     */
    'customer.lookup': [...MANAGEMENT, ...FRONT_DESK.filter((p) => p !== 'agent')],
  },
  /** A province (city) customer-service centre serves the customers of its whole province (city). */
  { centreServed: ['customer.read', 'customer.write', 'customer.reveal'] },
);
