import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { UnitFacts } from './simulation.ts';
import {
  arrivalsPerMinute,
  busyTrainingHall,
  dayClock,
  localClock,
  minutesOf,
  peakArrivalsPerMinute,
  realAt,
  simulatedAt,
  simulationTarget,
  trainingHallCode,
} from './simulation.ts';

const unit = (
  code: string,
  kind: string,
  attributes: Record<string, unknown> = {},
  active = true,
): UnitFacts => ({
  id: `id-${code}`,
  code,
  kind,
  active,
  attributes,
});
const real = unit('YC-QY-H01', 'hall_own');
const training = unit('YC-QY-H01-SIM', 'hall_own', { training: true, trainingFor: 'YC-QY-H01' });

describe('where a simulated day plays', () => {
  const cases: [string, string, UnitFacts[], string, string?][] = [
    ['a real hall without a training hall: make it', 'YC-QY-H01', [real], 'create', 'YC-QY-H01-SIM'],
    [
      'a real hall with its training hall: play there',
      'YC-QY-H01',
      [real, training],
      'play',
      'YC-QY-H01-SIM',
    ],
    ['a training hall named: play there', 'YC-QY-H01-SIM', [real, training], 'play', 'YC-QY-H01-SIM'],
    ['a training hall by id', 'id-YC-QY-H01-SIM', [training], 'play', 'YC-QY-H01-SIM'],
    ['a cooperative hall is a hall too', 'C1', [unit('C1', 'hall_coop')], 'create', 'C1-SIM'],
    ['no such unit', 'NOPE', [real], 'no_hall'],
    ['a city is not a hall', 'YC-QY', [unit('YC-QY', 'city')], 'not_a_hall'],
    [
      'a unit coded like the training hall that is not one',
      'YC-QY-H01',
      [real, unit('YC-QY-H01-SIM', 'hall_own')],
      'not_training',
    ],
    [
      'training must be the boolean true, not a string',
      'YC-QY-H01',
      [real, unit('YC-QY-H01-SIM', 'hall_own', { training: 'true' })],
      'not_training',
    ],
    [
      'a training attribute on a unit that is not a hall',
      'YC-QY-H01',
      [real, unit('YC-QY-H01-SIM', 'city', { training: true })],
      'not_training',
    ],
    ['a deactivated training hall', 'YC-QY-H01', [real, { ...training, active: false }], 'hall_inactive'],
    [
      'a code too long for its training hall',
      'H'.repeat(29),
      [unit('H'.repeat(29), 'hall_own')],
      'code_too_long',
    ],
  ];
  it.each(cases)('%s', (_name, named, units, verdict, code) => {
    const target = simulationTarget(named, units);
    if (target.kind === 'refuse') {
      expect(target.code).toBe(verdict);
      expect(target.zh).not.toBe('');
      expect(target.en).not.toBe('');
    } else {
      expect(target.kind).toBe(verdict);
      expect(target.kind === 'play' ? target.hall.code : target.code).toBe(code);
    }
  });

  it('never plays in a unit that is not a training hall', () => {
    const arbUnit = fc.record({
      id: fc.uuid(),
      code: fc.stringMatching(/^[A-Z][A-Z0-9-]{1,30}$/),
      kind: fc.constantFrom('hall_own', 'hall_coop', 'store_3g', 'city', 'province'),
      active: fc.boolean(),
      attributes: fc.oneof(
        fc.constant({}),
        fc.record({ training: fc.oneof(fc.boolean(), fc.constant('true'), fc.constant(1)) }),
      ),
    });
    fc.assert(
      fc.property(fc.array(arbUnit, { maxLength: 8 }), fc.nat(10), (units, k) => {
        const unique = [...new Map(units.map((u) => [u.code, u])).values()];
        const named = unique[k % Math.max(1, unique.length)]?.code ?? 'X';
        const target = simulationTarget(named, unique);
        if (target.kind === 'play') {
          expect(target.hall.attributes.training).toBe(true);
          expect(target.hall.active).toBe(true);
        }
        if (target.kind === 'create') expect(unique.some((u) => u.code === target.code)).toBe(false);
      }),
    );
  });

  it('makes the training hall code from the model, within 32 characters', () => {
    expect(trainingHallCode('YC-QY-H01')).toBe('YC-QY-H01-SIM');
    expect(trainingHallCode('H'.repeat(28))).toHaveLength(32);
    expect(trainingHallCode('H'.repeat(29))).toBeNull();
  });
});

describe('a training hall in use', () => {
  it.each([
    ['every counter closed', [{ number: 1, state: 'closed' as const, staffName: '' }], null],
    ['none at all', [], null],
    ['one open', [{ number: 3, state: 'open' as const, staffName: '张悦' }], '3 (张悦)'],
    [
      'one paused, one closed',
      [
        { number: 1, state: 'closed' as const, staffName: '' },
        { number: 2, state: 'paused' as const, staffName: '' },
      ],
      '2',
    ],
  ])('%s', (_name, counters, listed) => {
    const busy = busyTrainingHall(counters);
    if (listed === null) expect(busy).toBeNull();
    else {
      expect(busy?.en).toContain(listed);
      expect(busy?.zh).toContain(listed);
    }
  });
});

describe('simulated time on the real clock', () => {
  const pace = { realStart: Date.parse('2026-12-03T13:00:00Z'), simStart: 9 * 60, speed: 60 };
  it.each([
    [0, 540],
    [1_000, 541], // a real second is a simulated minute at speed 60
    [60_000, 600],
    [9 * 60_000, 1080], // a 9-hour day in 9 real minutes
  ])('%d ms after the start is simulated minute %d', (ms, minute) => {
    expect(simulatedAt(pace, pace.realStart + ms)).toBeCloseTo(minute, 9);
    expect(realAt(pace, minute)).toBeCloseTo(pace.realStart + ms, 6);
  });
  it('maps back and forth at any speed', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 3600 }), fc.integer({ min: 0, max: 86_400_000 }), (speed, ms) => {
        const p = { ...pace, speed };
        expect(realAt(p, simulatedAt(p, p.realStart + ms))).toBeCloseTo(p.realStart + ms, 3);
      }),
    );
  });
});

describe('arrivals', () => {
  it.each([
    [3, 6, 1, 0],
    [8, 6, 1, (3.5 * 6) / 60],
    [10, 10, 0.5, (7.5 * 10 * 0.5) / 60],
    [24 + 10, 10, 0.5, (7.5 * 10 * 0.5) / 60],
  ])('at %d h with %d counters and load %d: %d a minute', (hour, counters, load, rate) => {
    expect(arrivalsPerMinute(hour, counters, load)).toBeCloseTo(rate, 12);
  });
  it('never passes the peak (the thinning bound)', () => {
    for (let h = 0; h < 24; h++)
      expect(arrivalsPerMinute(h, 7, 1.3)).toBeLessThanOrEqual(peakArrivalsPerMinute(7, 1.3));
  });
});

describe('times of the log', () => {
  it.each([
    ['2026-03-02T02:00:00Z', 'Asia/Shanghai', '10:00:00'],
    ['2026-12-03T16:30:05Z', 'Asia/Shanghai', '00:30:05'],
    ['2026-12-03T16:30:05Z', 'UTC', '16:30:05'],
    ['2026-07-01T12:00:00Z', 'Asia/Urumqi', '18:00:00'],
  ])('%s in %s is %s', (at, zone, shown) => {
    expect(localClock(new Date(at), zone)).toBe(shown);
  });
  it.each([
    [540, '09:00'],
    [541.9, '09:01'],
    [1439, '23:59'],
    [-3, '00:00'],
  ])('simulated minute %d is %s', (m, shown) => expect(dayClock(m)).toBe(shown));
  it.each([
    ['09:00', 540],
    ['24:00', 1440],
    ['9:00', null],
    ['12:60', null],
    ['25:00', null],
  ])('"%s" is minute %s', (t, m) => expect(minutesOf(t)).toBe(m));
});
