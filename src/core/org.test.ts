import { describe, expect, it } from 'vitest';
import { HALL_KINDS, UNIT_KINDS, UNIT_KIND_CODES, allowedUnder, provinceOf } from './org.ts';
import type { UnitKind } from './org.ts';

/** Where each kind of unit may stand (1§1.3, 3§1.1), written out as the table it is. */
const PARENTS: Record<UnitKind, (UnitKind | null)[]> = {
  hq: [null],
  province: ['hq'],
  city: ['province'],
  hall_own: ['city'],
  hall_coop: ['city'],
  store_3g: ['city'],
  store_self: ['city'],
  centre_hq: ['hq'],
  centre_province: ['province'],
  centre_city: ['city'],
  remote_seats: ['city'],
  club: ['province', 'city'],
  account_team: ['province', 'city'],
  echannel: ['hq', 'province'],
  department: ['province', 'city'],
};

describe('allowedUnder', () => {
  it('knows every kind of unit', () => {
    expect([...UNIT_KIND_CODES].sort()).toEqual(Object.keys(PARENTS).sort());
    for (const kind of UNIT_KIND_CODES) {
      expect(UNIT_KINDS[kind].zh, kind).toBeTruthy();
      expect(UNIT_KINDS[kind].en, kind).toBeTruthy();
    }
  });

  const cells = UNIT_KIND_CODES.flatMap((kind) =>
    [null, ...UNIT_KIND_CODES].map((parent) => [kind, parent, PARENTS[kind].includes(parent)] as const),
  );
  it.each(cells)('%s under %s: %s', (kind, parent, allowed) => {
    expect(allowedUnder(kind, parent)).toBe(allowed);
  });

  it('only headquarters is a root, and nothing stands under a hall or store', () => {
    expect(UNIT_KIND_CODES.filter((k) => allowedUnder(k, null))).toEqual(['hq']);
    for (const hall of HALL_KINDS) {
      expect(
        UNIT_KIND_CODES.filter((k) => allowedUnder(k, hall)),
        hall,
      ).toEqual([]);
    }
    expect(HALL_KINDS.every((k) => PARENTS[k].join() === 'city')).toBe(true);
  });
});

describe('provinceOf', () => {
  it('a province is its own, the root its own, everything else its parent’s', () => {
    expect(provinceOf('province', 'p1', 'hq1')).toBe('p1');
    expect(provinceOf('hq', 'hq1', null)).toBe('hq1');
    expect(provinceOf('city', 'c1', 'p1')).toBe('p1');
    expect(provinceOf('hall_own', 'h1', 'p1')).toBe('p1');
    expect(provinceOf('centre_hq', 'x', 'hq1')).toBe('hq1');
  });
});
