/**
 * Where each device reaches in the queue: a hall's display and kiosk only at their own hall and only for
 * their page's actions; a kiosk device registered above halls (the old e-channel token) reaches none below.
 */
import { describe, expect, it } from 'vitest';
import { HALL_KINDS, UNIT_KIND_CODES, allowedUnder } from '../../core/org.ts';
import type { DevicePosition } from '../../core/positions.ts';
import type { Actor } from '../../platform/auth/policy.ts';
import { can } from '../../platform/auth/policy.ts';
import type { QueueAction } from './policy.ts';
import { queuePolicy } from './policy.ts';

const PROVINCE = '/hq/yc/';
const CITY = '/hq/yc/qy/';
const HALL = '/hq/yc/qy/h1/';
const SIBLING = '/hq/yc/qy/h10/';
const OTHER_CITY_HALL = '/hq/yc/xk/h1/';

const device = (position: DevicePosition, unitPath: string): Actor => ({
  kind: 'device',
  id: 'd',
  name: 'd',
  unitId: unitPath.split('/').at(-2)!,
  unitPath,
  provinceId: 'yc',
  positions: [position],
});

type Row = { who: string; actor: Actor; own: QueueAction[]; below: QueueAction[] };
const ROWS: Row[] = [
  {
    who: 'display at a hall',
    actor: device('device_display', HALL),
    own: ['queue.display', 'queue.feed'],
    below: [],
  },
  {
    who: 'kiosk at a hall',
    actor: device('device_kiosk', HALL),
    own: ['queue.kiosk', 'queue.feed', 'queue.take', 'queue.checkin'],
    below: [],
  },
  {
    who: 'kiosk at a province (e-channel)',
    actor: device('device_kiosk', PROVINCE),
    own: ['queue.kiosk', 'queue.feed', 'queue.take', 'queue.checkin'],
    below: [],
  },
  {
    who: 'display at a city',
    actor: device('device_display', CITY),
    own: ['queue.display', 'queue.feed'],
    below: [],
  },
];
const ACTIONS = Object.keys(queuePolicy) as QueueAction[];

describe('device reach in the queue', () => {
  const cases = ROWS.flatMap((row) => ACTIONS.map((action) => ({ ...row, action })));
  it.each(cases)('$who → $action', ({ actor, own, below, action }) => {
    expect(can(actor, queuePolicy, action, actor.unitPath), 'own unit').toBe(own.includes(action));
    // Nothing stands under a hall (see below), so only devices above halls are tried below their unit.
    if (actor.unitPath !== HALL) {
      const under = `${actor.unitPath}h9/`;
      expect(can(actor, queuePolicy, action, under), 'below').toBe(below.includes(action));
    }
    for (const target of [SIBLING, OTHER_CITY_HALL, '/hq/', '/hq/yc/xk/'].filter(
      (p) => p !== actor.unitPath,
    )) {
      if (target.startsWith(actor.unitPath)) continue;
      expect(can(actor, queuePolicy, action, target), target).toBe(false);
    }
  });

  it('no unit stands under a hall, so a hall’s device reaches its hall and nothing else', () => {
    for (const hall of HALL_KINDS)
      for (const kind of UNIT_KIND_CODES) expect(allowedUnder(kind, hall)).toBe(false);
  });

  it('staff keep their subtree: a statistician of a city reaches the halls below it', () => {
    const stats: Actor = { ...device('device_kiosk', CITY), kind: 'staff', positions: ['statistician'] };
    expect(can(stats, queuePolicy, 'queue.stats', HALL)).toBe(true);
    expect(can(stats, queuePolicy, 'queue.stats', OTHER_CITY_HALL)).toBe(false);
  });
});
