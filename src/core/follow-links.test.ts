import { describe, expect, it } from 'vitest';
import { followAllowed, followLinkExpiry } from './follow-links.ts';

describe('followLinkExpiry', () => {
  it.each([
    ['2026-03-02', 'Asia/Shanghai', '2026-03-02T16:00:00.000Z'],
    ['2026-12-31', 'Asia/Shanghai', '2026-12-31T16:00:00.000Z'],
    ['2026-03-02', 'UTC', '2026-03-03T00:00:00.000Z'],
    ['2026-03-28', 'Europe/Berlin', '2026-03-28T23:00:00.000Z'],
    ['2026-03-29', 'Europe/Berlin', '2026-03-29T22:00:00.000Z'],
  ])('a ticket of %s in %s: until %s', (date, zone, until) => {
    expect(followLinkExpiry(date, zone).toISOString()).toBe(until);
  });
});

describe('followAllowed', () => {
  const until = new Date('2026-03-02T16:00:00.000Z');
  const before = new Date('2026-03-02T15:59:59.999Z');
  it.each([
    ['the right token before the end of the day', { tokenHash: 'h', expiresAt: until }, true, before, true],
    ['the right token at the end of the day', { tokenHash: 'h', expiresAt: until }, true, until, false],
    [
      'the right token the next day',
      { tokenHash: 'h', expiresAt: until },
      true,
      new Date(until.getTime() + 1),
      false,
    ],
    ['a wrong token', { tokenHash: 'h', expiresAt: until }, false, before, false],
    ['a ticket without a link', { tokenHash: null, expiresAt: null }, true, before, false],
    ['a link without an expiry', { tokenHash: 'h', expiresAt: null }, true, before, false],
  ] as const)('%s', (_, state, matches, now, want) => {
    expect(followAllowed(state, matches, now)).toBe(want);
  });
});
