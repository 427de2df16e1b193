import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { averageWait, ERLANG_DEFAULTS, erlangB, erlangC, serversNeeded, serviceLevel } from './erlang-c.ts';

/** Textbook Erlang C by the explicit sum, for cross-checking the iterative form on small systems. */
function erlangCBySum(servers: number, traffic: number): number {
  let term = 1;
  let sum = 0;
  for (let k = 0; k < servers; k += 1) {
    sum += term;
    term = (term * traffic) / (k + 1);
  }
  const top = (term * servers) / (servers - traffic);
  return top / (sum + top);
}

const traffic = fc.double({ min: 0, max: 60, noNaN: true, noDefaultInfinity: true });
const servers = fc.integer({ min: 0, max: 120 });

describe('erlangB', () => {
  it.each([
    { c: 0, a: 3, expected: 1 },
    { c: 1, a: 1, expected: 0.5 },
    { c: 1, a: 3, expected: 0.75 },
    { c: 2, a: 1, expected: 0.2 },
    { c: 3, a: 2, expected: 4 / 19 },
    { c: 5, a: 0, expected: 0 },
  ])('B($c, $a) = $expected', ({ c, a, expected }) => {
    expect(erlangB(c, a)).toBeCloseTo(expected, 12);
  });
});

describe('erlangC', () => {
  // Classic call-centre example: 100 calls per 30 min, 180 s handling, so A = 200/h × 0.05 h = 10 Erlangs.
  // Values computed independently with the explicit-sum formula.
  it.each([
    { c: 11, expected: 0.6821 },
    { c: 12, expected: 0.4494 },
    { c: 13, expected: 0.2853 },
    { c: 14, expected: 0.1741 },
    { c: 15, expected: 0.102 },
  ])('A = 10 Erlangs, $c agents: P(wait) ≈ $expected', ({ c, expected }) => {
    expect(Math.abs(erlangC(c, 10) - expected)).toBeLessThan(0.0005);
  });

  it.each([
    { c: 1, a: 0.5, expected: 0.5, note: 'M/M/1: P(wait) = utilisation' },
    { c: 1, a: 0.9, expected: 0.9, note: 'M/M/1: P(wait) = utilisation' },
    { c: 2, a: 1, expected: 1 / 3, note: 'M/M/2: A² / (2 + A)' },
    { c: 2, a: 1.5, expected: 2.25 / 3.5, note: 'M/M/2: A² / (2 + A)' },
    { c: 3, a: 2, expected: 4 / 9, note: 'textbook 3 servers, 2 Erlangs' },
    { c: 4, a: 0, expected: 0, note: 'no traffic, no wait' },
  ])('C($c, $a) = $expected ($note)', ({ c, a, expected }) => {
    expect(erlangC(c, a)).toBeCloseTo(expected, 12);
  });

  it.each([
    { c: 0, a: 0 },
    { c: 1, a: 1 },
    { c: 10, a: 10 },
    { c: 10, a: 12.5 },
    { c: 3, a: 100 },
  ])('is 1 when servers ($c) <= traffic ($a)', ({ c, a }) => {
    expect(erlangC(c, a)).toBe(1);
  });

  it('stays finite and accurate for large systems (no factorial overflow)', () => {
    const c = erlangC(200, 190);
    expect(Number.isFinite(c)).toBe(true);
    expect(c).toBeGreaterThan(0);
    expect(c).toBeLessThan(1);
    expect(erlangC(1000, 900)).toBeGreaterThan(0);
    expect(erlangC(1000, 900)).toBeLessThan(1);
  });

  it.each([
    { c: -1, a: 1 },
    { c: 1.5, a: 1 },
    { c: Number.NaN, a: 1 },
    { c: 2, a: -0.1 },
    { c: 2, a: Number.NaN },
    { c: 2, a: Infinity },
  ])('rejects invalid input c=$c a=$a', ({ c, a }) => {
    expect(() => erlangC(c, a)).toThrow(RangeError);
  });

  it('property: in [0, 1] and >= Erlang B', () => {
    fc.assert(
      fc.property(servers, traffic, (c, a) => {
        const value = erlangC(c, a);
        expect(value).toBeGreaterThanOrEqual(0);
        expect(value).toBeLessThanOrEqual(1);
        expect(value).toBeGreaterThanOrEqual(erlangB(c, a) - 1e-12);
      }),
    );
  });

  it('property: non-increasing in servers, strictly decreasing once stable', () => {
    fc.assert(
      fc.property(servers, traffic, (c, a) => {
        const here = erlangC(c, a);
        const next = erlangC(c + 1, a);
        expect(next).toBeLessThanOrEqual(here + 1e-12);
        if (c > a && a > 0 && here > 1e-300) expect(next).toBeLessThan(here);
      }),
    );
  });

  it('property: non-decreasing in traffic', () => {
    fc.assert(
      fc.property(servers, traffic, traffic, (c, a1, a2) => {
        const [lo, hi] = a1 <= a2 ? [a1, a2] : [a2, a1];
        expect(erlangC(c, lo)).toBeLessThanOrEqual(erlangC(c, hi) + 1e-12);
      }),
    );
  });

  it('property: matches the explicit-sum formula on small stable systems', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 40 }),
        fc.double({ min: 0, max: 1, noNaN: true, maxExcluded: true }),
        (c, utilisation) => {
          const a = c * utilisation;
          expect(erlangC(c, a)).toBeCloseTo(erlangCBySum(c, a), 9);
        },
      ),
    );
  });
});

describe('serviceLevel', () => {
  const arrivals = 200 / 60; // per minute
  const handling = 3; // minutes
  const target = 20 / 60; // minutes

  it.each([
    { c: 10, expected: 0 },
    { c: 11, expected: 0.3896 },
    { c: 12, expected: 0.6402 },
    { c: 13, expected: 0.7956 },
    { c: 14, expected: 0.8884 },
    { c: 15, expected: 0.9415 },
  ])('classic example, $c agents, 20 s target: service level ≈ $expected', ({ c, expected }) => {
    expect(Math.abs(serviceLevel(c, arrivals, handling, target) - expected)).toBeLessThan(0.0005);
  });

  it('matches the published rounded table (±0.01)', () => {
    expect(serviceLevel(11, arrivals, handling, target)).toBeCloseTo(0.39, 1);
    expect(Math.abs(serviceLevel(12, arrivals, handling, target) - 0.65)).toBeLessThanOrEqual(0.01);
    expect(Math.abs(serviceLevel(13, arrivals, handling, target) - 0.8)).toBeLessThanOrEqual(0.01);
    expect(Math.abs(serviceLevel(14, arrivals, handling, target) - 0.89)).toBeLessThanOrEqual(0.01);
  });

  it('is 1 − C when the target is 0 and 1 without arrivals', () => {
    expect(serviceLevel(12, arrivals, handling, 0)).toBeCloseTo(1 - erlangC(12, 10), 12);
    expect(serviceLevel(1, 0, handling, target)).toBe(1);
    expect(serviceLevel(3, 2, 0, 0)).toBe(1);
  });

  it('is 0 when unstable', () => {
    expect(serviceLevel(0, 0, 3, 1)).toBe(0);
    expect(serviceLevel(5, 2, 3, 100)).toBe(0);
  });

  it.each([
    { args: [-1, 1, 1, 1] },
    { args: [1, -1, 1, 1] },
    { args: [1, 1, -1, 1] },
    { args: [1, 1, 1, -1] },
    { args: [1, Number.NaN, 1, 1] },
  ])('rejects invalid input $args', ({ args }) => {
    const [c, l, h, t] = args as [number, number, number, number];
    expect(() => serviceLevel(c, l, h, t)).toThrow(RangeError);
  });

  it('property: in [0, 1], non-decreasing in servers and in target wait', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 80 }),
        fc.double({ min: 0, max: 10, noNaN: true }),
        fc.double({ min: 0.1, max: 20, noNaN: true }),
        fc.double({ min: 0, max: 60, noNaN: true }),
        fc.double({ min: 0, max: 60, noNaN: true }),
        (c, l, h, t1, t2) => {
          const sl = serviceLevel(c, l, h, t1);
          expect(sl).toBeGreaterThanOrEqual(0);
          expect(sl).toBeLessThanOrEqual(1);
          expect(serviceLevel(c + 1, l, h, t1)).toBeGreaterThanOrEqual(sl - 1e-12);
          const [lo, hi] = t1 <= t2 ? [t1, t2] : [t2, t1];
          expect(serviceLevel(c, l, h, hi)).toBeGreaterThanOrEqual(serviceLevel(c, l, h, lo) - 1e-12);
        },
      ),
    );
  });
});

describe('averageWait', () => {
  it.each([
    { c: 11, seconds: 122.78 },
    { c: 12, seconds: 40.44 },
    { c: 13, seconds: 17.12 },
    { c: 14, seconds: 7.84 },
    { c: 15, seconds: 3.67 },
  ])('classic example, $c agents: ASA ≈ $seconds s', ({ c, seconds }) => {
    expect(Math.abs(averageWait(c, 200 / 60, 3) * 60 - seconds)).toBeLessThan(0.01);
  });

  it('M/M/1 closed form: Wq = ρ·h / (1 − ρ)', () => {
    expect(averageWait(1, 0.25, 2)).toBeCloseTo((0.5 * 2) / 0.5, 12);
  });

  it('is 0 without arrivals and Infinity when unstable', () => {
    expect(averageWait(1, 0, 5)).toBe(0);
    expect(averageWait(10, 200 / 60, 3)).toBe(Infinity);
    expect(averageWait(0, 0, 3)).toBe(Infinity);
  });

  it('property: non-negative and non-increasing in servers', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 80 }),
        fc.double({ min: 0, max: 10, noNaN: true }),
        fc.double({ min: 0.1, max: 20, noNaN: true }),
        (c, l, h) => {
          const w = averageWait(c, l, h);
          expect(w).toBeGreaterThanOrEqual(0);
          expect(averageWait(c + 1, l, h)).toBeLessThanOrEqual(w);
        },
      ),
    );
  });
});

describe('serversNeeded', () => {
  it.each([
    { share: 0.3, expected: 11 },
    { share: 0.6, expected: 12 },
    { share: 0.75, expected: 13 },
    { share: 0.8, expected: 14 },
    { share: 0.85, expected: 14 },
    { share: 0.9, expected: 15 },
    { share: 0.94, expected: 15 },
    { share: 0.95, expected: 16 },
  ])('classic example, target 20 s for $share of calls: $expected agents', ({ share, expected }) => {
    expect(serversNeeded(200 / 60, 3, 20 / 60, share)).toBe(expected);
  });

  it.each([
    { l: 0, h: 3, t: 30, share: 0.8, expected: 0, note: 'no arrivals' },
    { l: 0.01, h: 5, t: 30, share: 0.8, expected: 1, note: 'quiet hall' },
    { l: 2, h: 0, t: 0, share: 1, expected: 1, note: 'instant service' },
    { l: 1, h: 5, t: 30, share: 0.8, expected: 6, note: 'A = 5, long wait limit: just stable' },
    { l: 1, h: 5, t: 5, share: 0.8, expected: 7, note: 'A = 5, VIP limit' },
  ])('$note: $expected', ({ l, h, t, share, expected }) => {
    expect(serversNeeded(l, h, t, share)).toBe(expected);
  });

  it('caps the search at maxServers (default 200)', () => {
    expect(ERLANG_DEFAULTS.maxServers).toBe(200);
    expect(serversNeeded(100, 3, 1, 0.8)).toBe(200);
    expect(serversNeeded(200 / 60, 3, 20 / 60, 0.8, 12)).toBe(12);
    expect(serversNeeded(200 / 60, 3, 20 / 60, 0.8, 14)).toBe(14);
  });

  it.each([
    { args: [-1, 3, 1, 0.8] },
    { args: [1, -3, 1, 0.8] },
    { args: [1, 3, -1, 0.8] },
    { args: [1, 3, 1, 0] },
    { args: [1, 3, 1, 1.2] },
    { args: [1, 3, 1, Number.NaN] },
    { args: [1, 3, 1, 0.8, 0] },
    { args: [1, 3, 1, 0.8, 2.5] },
  ])('rejects invalid input $args', ({ args }) => {
    const [l, h, t, share, max] = args as [number, number, number, number, number | undefined];
    expect(() => serversNeeded(l, h, t, share, max)).toThrow(RangeError);
  });

  const load = fc.record({
    l: fc.double({ min: 0.001, max: 10, noNaN: true }),
    h: fc.double({ min: 0.1, max: 15, noNaN: true }),
    t: fc.double({ min: 0, max: 45, noNaN: true }),
    share: fc.double({ min: 0.05, max: 0.99, noNaN: true }),
  });

  it('property: the result meets the target and one counter fewer does not', () => {
    fc.assert(
      fc.property(load, ({ l, h, t, share }) => {
        const c = serversNeeded(l, h, t, share);
        expect(c).toBeGreaterThanOrEqual(1);
        expect(c).toBeLessThanOrEqual(200);
        expect(c).toBeGreaterThan(l * h);
        if (c < 200) expect(serviceLevel(c, l, h, t)).toBeGreaterThanOrEqual(share);
        if (c > 1 && c < 200) expect(serviceLevel(c - 1, l, h, t)).toBeLessThan(share);
      }),
    );
  });

  it('property: more arrivals, longer service or a higher share never need fewer counters', () => {
    fc.assert(
      fc.property(load, fc.double({ min: 1, max: 3, noNaN: true }), ({ l, h, t, share }, factor) => {
        const base = serversNeeded(l, h, t, share);
        expect(serversNeeded(l * factor, h, t, share)).toBeGreaterThanOrEqual(base);
        expect(serversNeeded(l, h * factor, t, share)).toBeGreaterThanOrEqual(base);
        expect(serversNeeded(l, h, t, Math.min(1, share * factor))).toBeGreaterThanOrEqual(base);
        expect(serversNeeded(l, h, t * factor, share)).toBeLessThanOrEqual(base);
      }),
    );
  });
});
