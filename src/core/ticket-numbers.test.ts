import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  callAnnouncement,
  counterEn,
  formatTicketNumber,
  isTicketPrefix,
  parseTicketNumber,
} from './ticket-numbers.ts';

describe('ticket numbers', () => {
  it.each([
    ['A', 1, 'A001'],
    ['A', 12, 'A012'],
    ['V', 3, 'V003'],
    ['VG', 999, 'VG999'],
    ['A', 1000, 'A1000'],
  ])('%s + %i → %s', (prefix, seq, expected) => {
    expect(formatTicketNumber(prefix, seq)).toBe(expected);
  });

  it('refuses bad prefixes and sequences', () => {
    for (const p of ['', 'a', 'ABC', '1', 'Ä']) expect(() => formatTicketNumber(p, 1)).toThrow(RangeError);
    for (const n of [0, -1, 1.5, Number.NaN]) expect(() => formatTicketNumber('A', n)).toThrow(RangeError);
    expect(isTicketPrefix('G')).toBe(true);
    expect(isTicketPrefix('g')).toBe(false);
  });

  it('parses what it formats, and nothing else', () => {
    expect(parseTicketNumber('v003')).toEqual({ prefix: 'V', seq: 3 });
    expect(parseTicketNumber('A000')).toBeNull();
    expect(parseTicketNumber('A12')).toBeNull();
    expect(parseTicketNumber('12A')).toBeNull();
    fc.assert(
      fc.property(fc.constantFrom('A', 'V', 'G', 'JT'), fc.integer({ min: 1, max: 99_999 }), (p, n) => {
        expect(parseTicketNumber(formatTicketNumber(p, n))).toEqual({ prefix: p, seq: n });
      }),
    );
  });

  it('announces a call in both languages', () => {
    expect(callAnnouncement('A012', 3)).toEqual({
      zh: '请A012号到3号窗口',
      en: 'Number A012, please go to counter 3',
    });
  });

  it('names a counter in English by its number', () => {
    expect(counterEn({ number: 3 })).toBe('Counter 3');
  });
});
