import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { SETTINGS, resolveSetting, scopesOf, settingDef, settingValueProblem } from './settings.ts';
import type { SettingDef, SettingRecord } from './settings.ts';

const KEY = 'queue.waitMinutes';
const SCOPES = ['hall', 'city', 'province', 'hq'];
const t = (minute: number) => new Date(Date.UTC(2026, 2, 2, 2, minute));
const rec = (unitId: string, value: number | boolean | null, minute: number, key = KEY): SettingRecord => ({
  key,
  unitId,
  value,
  validFrom: t(minute),
});

describe('the registry', () => {
  it('has the norms’ numbers as defaults', () => {
    expect(settingDef('queue.waitMinutes')?.default).toBe(30);
    expect(settingDef('queue.vipWaitMinutes')?.default).toBe(5);
    expect(settingDef('queue.transactionMinutes')?.default).toBe(10);
    expect(settingDef('hall.minOpeningHours')?.default).toBe(10);
    expect(settingDef('auth.passwordMaxAgeDays')?.default).toBe(90);
    expect(settingDef('nope')).toBeUndefined();
  });

  it('keys are unique, and every default is allowed by its own rules', () => {
    expect(new Set(SETTINGS.map((d) => d.key)).size).toBe(SETTINGS.length);
    for (const d of SETTINGS) {
      expect(settingValueProblem(d, d.default), d.key).toBeNull();
      expect(d.zh && d.en, d.key).toBeTruthy();
      if (d.kind === 'boolean') expect(typeof d.default).toBe('boolean');
      else expect(d.min! <= (d.default as number) && (d.default as number) <= d.max!, d.key).toBe(true);
    }
  });
});

describe('settingValueProblem', () => {
  const integer = settingDef('queue.waitMinutes')!;
  const number = settingDef('queue.warnShare')!;
  const flag = settingDef('queue.transferKeepsWait')!;

  it('takes the bounds inclusively', () => {
    expect(settingValueProblem(integer, 1)).toBeNull();
    expect(settingValueProblem(integer, 240)).toBeNull();
    expect(settingValueProblem(integer, 0)).toEqual({
      zh: '应在 1 到 240 之间',
      en: 'Must be between 1 and 240',
    });
    expect(settingValueProblem(integer, 241)).not.toBeNull();
  });

  it('wants whole numbers for integers, finite numbers for numbers, booleans for flags', () => {
    expect(settingValueProblem(integer, 2.5)?.en).toBe('Must be a whole number');
    expect(settingValueProblem(number, 0.5)).toBeNull();
    for (const bad of [Number.NaN, Number.POSITIVE_INFINITY, '30', true, null, undefined, {}]) {
      expect(settingValueProblem(integer, bad)?.en, String(bad)).toBe('Must be a number');
    }
    expect(settingValueProblem(flag, false)).toBeNull();
    expect(settingValueProblem(flag, 1)?.en).toBe('Must be true or false');
  });

  it('allows a number exactly when it is in range (and whole, for integers)', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...SETTINGS.filter((d) => d.kind !== 'boolean')),
        fc.double({ min: -10, max: 1e6, noNaN: true }),
        (d: SettingDef, v) => {
          const ok = v >= d.min! && v <= d.max! && (d.kind !== 'integer' || Number.isInteger(v));
          expect(settingValueProblem(d, v) === null).toBe(ok);
        },
      ),
    );
  });
});

describe('scopesOf', () => {
  it('lists the ids of a path nearest first', () => {
    expect(scopesOf('/hq/province/city/hall/')).toEqual(['hall', 'city', 'province', 'hq']);
    expect(scopesOf('/hq/')).toEqual(['hq']);
  });
});

describe('resolveSetting', () => {
  it('is the default without any record', () => {
    expect(resolveSetting(KEY, [], SCOPES, t(0))).toEqual({
      key: KEY,
      value: 30,
      sourceUnitId: null,
      since: null,
    });
  });

  it('takes the nearest scope that has a value', () => {
    const records = [rec('hq', 40, 1), rec('province', 25, 2), rec('city', 22, 3)];
    expect(resolveSetting(KEY, records, SCOPES, t(10))).toEqual({
      key: KEY,
      value: 22,
      sourceUnitId: 'city',
      since: t(3),
    });
    // A nearer scope wins even when its value is older.
    expect(resolveSetting(KEY, [rec('hall', 15, 0), rec('hq', 40, 5)], SCOPES, t(10)).value).toBe(15);
    // Scopes that are not the unit's own do not count.
    expect(resolveSetting(KEY, [rec('other-hall', 5, 0)], SCOPES, t(10)).value).toBe(30);
  });

  it('takes the newest value at or before the moment', () => {
    const records = [rec('province', 25, 10), rec('province', 20, 20), rec('province', 35, 30)];
    expect(resolveSetting(KEY, records, SCOPES, t(9)).value).toBe(30);
    expect(resolveSetting(KEY, records, SCOPES, t(10)).value).toBe(25);
    expect(resolveSetting(KEY, records, SCOPES, t(19)).value).toBe(25);
    expect(resolveSetting(KEY, records, SCOPES, t(20)).value).toBe(20);
    expect(resolveSetting(KEY, records, SCOPES, t(99))).toMatchObject({ value: 35, since: t(30) });
    // Order of the records does not matter.
    expect(resolveSetting(KEY, [...records].reverse(), SCOPES, t(25)).value).toBe(20);
  });

  it('a null clears the scope from then on, falling back to the next scope or the default', () => {
    const records = [rec('province', 25, 0), rec('hall', 20, 10), rec('hall', null, 20)];
    expect(resolveSetting(KEY, records, SCOPES, t(15))).toMatchObject({ value: 20, sourceUnitId: 'hall' });
    expect(resolveSetting(KEY, records, SCOPES, t(20))).toMatchObject({
      value: 25,
      sourceUnitId: 'province',
    });
    expect(resolveSetting(KEY, [rec('hall', 20, 0), rec('hall', null, 5)], SCOPES, t(9))).toMatchObject({
      value: 30,
      sourceUnitId: null,
    });
    // A value after the clearing is in force again.
    expect(resolveSetting(KEY, [...records, rec('hall', 18, 30)], SCOPES, t(30)).value).toBe(18);
  });

  it('of two values at one scope and moment, the one recorded last wins', () => {
    expect(resolveSetting(KEY, [rec('hall', 20, 5), rec('hall', null, 5)], SCOPES, t(5)).value).toBe(30);
    expect(resolveSetting(KEY, [rec('hall', null, 5), rec('hall', 20, 5)], SCOPES, t(5)).value).toBe(20);
  });

  it('ignores other keys and refuses an unknown key', () => {
    expect(resolveSetting(KEY, [rec('hall', 5, 0, 'queue.vipWaitMinutes')], SCOPES, t(1)).value).toBe(30);
    expect(() => resolveSetting('queue.nope', [], SCOPES, t(0))).toThrow(RangeError);
  });

  const records = fc.array(
    fc.record({
      key: fc.constantFrom(KEY, 'queue.vipWaitMinutes'),
      unitId: fc.constantFrom(...SCOPES, 'elsewhere'),
      value: fc.option(fc.integer({ min: 1, max: 240 }), { nil: null }),
      validFrom: fc.integer({ min: 0, max: 100 }).map(t),
    }),
    { maxLength: 25 },
  );

  it('always answers the default or one of the values recorded for the key (property)', () => {
    fc.assert(
      fc.property(records, fc.integer({ min: -5, max: 110 }), (rs, minute) => {
        const r = resolveSetting(KEY, rs, SCOPES, t(minute));
        if (r.sourceUnitId === null) {
          expect(r.value).toBe(30);
          expect(r.since).toBeNull();
        } else {
          const source = rs.filter(
            (x) =>
              x.key === KEY &&
              x.unitId === r.sourceUnitId &&
              x.value === r.value &&
              x.validFrom.getTime() === r.since!.getTime(),
          );
          expect(source.length).toBeGreaterThan(0);
          expect(SCOPES).toContain(r.sourceUnitId);
          expect(r.since!.getTime()).toBeLessThanOrEqual(t(minute).getTime());
        }
      }),
    );
  });

  it('agrees with a plain reading of the rule (property)', () => {
    fc.assert(
      fc.property(records, fc.integer({ min: -5, max: 110 }), (rs, minute) => {
        const moment = t(minute).getTime();
        let expected: number | boolean = 30;
        for (const scope of SCOPES) {
          const here = rs
            .map((r, i) => ({ r, i }))
            .filter(({ r }) => r.key === KEY && r.unitId === scope && r.validFrom.getTime() <= moment)
            .sort((a, b) => a.r.validFrom.getTime() - b.r.validFrom.getTime() || a.i - b.i);
          const newest = here.at(-1)?.r;
          if (newest && newest.value !== null) {
            expected = newest.value;
            break;
          }
        }
        expect(resolveSetting(KEY, rs, SCOPES, t(minute)).value).toBe(expected);
      }),
    );
  });
});
