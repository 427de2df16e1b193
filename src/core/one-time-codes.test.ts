import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { codeVerdict, retryDelaySeconds } from './one-time-codes.ts';

describe('retryDelaySeconds', () => {
  it.each([
    [1, 30, 5, 30],
    [2, 30, 5, 60],
    [3, 30, 5, 120],
    [4, 30, 5, 240],
    [5, 30, 5, null],
    [1, 30, 1, null],
    [12, 600, 20, 3600],
  ])('after try %i (base %i s, %i tries) waits %s', (attempt, base, max, expected) => {
    expect(retryDelaySeconds(attempt, base, max)).toBe(expected);
  });
  it('never waits less than the base nor more than an hour, and gives up exactly at the last try', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 30 }),
        fc.integer({ min: 1, max: 3600 }),
        fc.integer({ min: 1, max: 20 }),
        (a, b, m) => {
          const d = retryDelaySeconds(a, b, m);
          if (a >= m) return d === null;
          return d !== null && d >= Math.min(b, 3600) && d <= 3600;
        },
      ),
    );
  });
});

describe('codeVerdict', () => {
  const now = new Date('2026-03-02T02:00:00Z');
  const live = { expiresAt: new Date(now.getTime() + 60_000), failedAttempts: 0, usedAt: null, deadAt: null };
  it.each([
    ['right code', live, true, 'ok'],
    ['wrong code', live, false, 'wrong'],
    ['4th wrong', { ...live, failedAttempts: 3 }, false, 'wrong'],
    ['5th wrong kills it', { ...live, failedAttempts: 4 }, false, 'dead'],
    ['right code after 5 wrong', { ...live, failedAttempts: 5 }, true, 'dead'],
    ['right code once dead', { ...live, deadAt: now }, true, 'dead'],
    ['right code expired', { ...live, expiresAt: now }, true, 'expired'],
    ['right code used', { ...live, usedAt: now }, true, 'used'],
  ] as const)('%s', (_name, state, matches, expected) => {
    expect(codeVerdict(state, matches, now, 5)).toBe(expected);
  });
});
