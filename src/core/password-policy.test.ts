import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  afterFailedLogin,
  characterClasses,
  isCommonPassword,
  isLocked,
  passwordExpired,
  passwordHistoryAfterChange,
  passwordProblems,
} from './password-policy.ts';
import type { LoginState } from './password-policy.ts';
import { commonPasswords } from './common-passwords.ts';

const NOW = new Date('2026-03-02T02:00:00.000Z');
const DAY = 86_400_000;
const at = (ms: number) => new Date(NOW.getTime() + ms);
const RULES = { minLength: 8, minClasses: 3, maxAgeDays: 90, maxFailedAttempts: 5, lockMinutes: 15 };

describe('character classes', () => {
  it.each([
    ['', 0],
    ['abc', 1],
    ['ABC', 1],
    ['123', 1],
    ['!@#', 1],
    ['abcD', 2],
    ['abcD1', 3],
    ['abcD1!', 4],
    ['密码密码', 1],
    ['Fuwu@2026', 4],
  ])('%j has %i', (password, n) => {
    expect(characterClasses(password)).toBe(n);
  });
});

describe('password problems', () => {
  it('accepts a password that meets the rules', () => {
    expect(passwordProblems('Good-Pass-2026', RULES, { username: 'qy_clerk', current: 'Fuwu@2026' })).toEqual(
      [],
    );
  });

  it('counts the length in characters: 7 is short, 8 is enough', () => {
    expect(passwordProblems('Abcdef1', RULES).map((p) => p.en)).toEqual(['At least 8 characters']);
    expect(passwordProblems('Abcdef12', RULES)).toEqual([]);
    // Characters outside the BMP count once each.
    expect(passwordProblems('Aa1𠀋𠀋𠀋𠀋', RULES).map((p) => p.en)).toEqual(['At least 8 characters']);
  });

  it('asks for the number of classes the rules say', () => {
    expect(passwordProblems('alllowercase', RULES)[0]!.zh).toBe(
      '密码须包含大写字母、小写字母、数字、符号中的至少 3 类',
    );
    expect(passwordProblems('lowerUPPER', RULES)).toHaveLength(1);
    expect(passwordProblems('lowerUPPER', { ...RULES, minClasses: 2 })).toEqual([]);
    expect(passwordProblems('lowerUPPER1', { ...RULES, minClasses: 4 })).toHaveLength(1);
  });

  it('refuses the user name inside (any case) and the current password again', () => {
    expect(passwordProblems('My-QY_Clerk-1', RULES, { username: 'qy_clerk' }).map((p) => p.en)).toEqual([
      'The password must not contain the user name',
    ]);
    expect(passwordProblems('Fuwu@2026', RULES, { current: 'Fuwu@2026' }).map((p) => p.en)).toEqual([
      'The new password must differ from the current one',
    ]);
  });

  it('reports every problem at once, in both languages', () => {
    const problems = passwordProblems('abc', RULES, { current: 'abc' });
    expect(problems).toHaveLength(3);
    for (const p of problems) {
      expect(p.zh).toBeTruthy();
      expect(p.en).toBeTruthy();
    }
  });

  it('finds no problem exactly when length and classes are met (property)', () => {
    fc.assert(
      fc.property(
        fc.string({ maxLength: 20 }),
        fc.integer({ min: 1, max: 12 }),
        fc.integer({ min: 1, max: 4 }),
        (pw, minLength, minClasses) => {
          const ok = [...pw].length >= minLength && characterClasses(pw) >= minClasses;
          expect(passwordProblems(pw, { minLength, minClasses }).length === 0).toBe(ok);
        },
      ),
    );
  });
});

describe('common, breached and published passwords', () => {
  const common = new Set(['password', 'qwerty123', 'iloveyou']);

  it.each([
    ['password', true],
    ['Password', true],
    ['PASSWORD', true],
    ['Password123!', true], // a common word with digits and a symbol added to pass the rules
    ['Qwerty123', true],
    ['qwerty1234', false], // not in this list, and stripping digits leaves "qwerty", not listed
    ['pass', false],
    ['Good-Pass-2026', false],
    ['ILoveYou!!', true],
  ])('%j common: %s', (pw, expected) => {
    expect(isCommonPassword(pw, common)).toBe(expected);
  });

  it('ships 10,000 common passwords of 6 characters or more, read once', () => {
    const list = commonPasswords();
    expect(list.size).toBe(10_000);
    expect(commonPasswords()).toBe(list);
    for (const pw of ['password', '12345678', 'qwerty123', '1qaz2wsx', 'iloveyou'])
      expect(list.has(pw)).toBe(true);
    expect([...list].every((pw) => pw.length >= 6 && pw === pw.toLowerCase())).toBe(true);
  });

  it('refuses a common password and a published one with a bilingual message, and says nothing else of them', () => {
    const ctx = { common: commonPasswords(), published: ['Fuwu@2026'] };
    expect(passwordProblems('Password123!', RULES, ctx).map((p) => p.en)).toEqual([
      'This password is too common or has appeared in a breach; choose another',
    ]);
    const demo = passwordProblems('Fuwu@2026', RULES, ctx);
    expect(demo.map((p) => p.en)).toEqual([
      'The demo password, or any password printed in documentation, cannot be used',
    ]);
    expect(demo[0]!.zh).toBe('不能使用演示密码或公开文档中的密码');
    expect(passwordProblems('Lotus-Gate-701', RULES, ctx)).toEqual([]);
  });
});

describe('password history', () => {
  it.each([
    [[], 'h0', 5, ['h0']],
    [['h1', 'h2', 'h3', 'h4'], 'h0', 5, ['h0', 'h1', 'h2', 'h3']],
    [['h1', 'h2', 'h3', 'h4', 'h5', 'h6'], 'h0', 3, ['h0', 'h1']],
    [['h1'], 'h0', 1, []],
  ])('keeps the current hash and the newest earlier ones: %j + %j, N=%i', (before, current, n, after) => {
    expect(passwordHistoryAfterChange(before, current, n)).toEqual(after);
  });
});

describe('password age', () => {
  const changed = NOW;
  it('expires at exactly 90 days, not a millisecond before', () => {
    expect(passwordExpired(changed, at(90 * DAY - 1), 90)).toBe(false);
    expect(passwordExpired(changed, at(90 * DAY), 90)).toBe(true);
    expect(passwordExpired(changed, at(91 * DAY), 90)).toBe(true);
    expect(passwordExpired(changed, changed, 90)).toBe(false);
  });

  it('follows the setting', () => {
    expect(passwordExpired(changed, at(30 * DAY), 30)).toBe(true);
    expect(passwordExpired(changed, at(30 * DAY), 31)).toBe(false);
  });
});

describe('lockout', () => {
  it('isLocked until the moment the lock ends', () => {
    expect(isLocked(null, NOW)).toBe(false);
    expect(isLocked(at(1), NOW)).toBe(true);
    expect(isLocked(NOW, NOW)).toBe(false);
    expect(isLocked(at(-1), NOW)).toBe(false);
  });

  it('counts failures and locks at the 5th for 15 minutes', () => {
    let state: LoginState = { failedAttempts: 0, lockedUntil: null };
    for (let i = 1; i <= 4; i++) {
      const next = afterFailedLogin(state, NOW, RULES);
      expect(next).toEqual({ failedAttempts: i, lockedUntil: null, justLocked: false });
      state = next;
    }
    const locked = afterFailedLogin(state, NOW, RULES);
    expect(locked).toEqual({ failedAttempts: 5, lockedUntil: at(15 * 60_000), justLocked: true });
    expect(isLocked(locked.lockedUntil, at(15 * 60_000 - 1))).toBe(true);
    expect(isLocked(locked.lockedUntil, at(15 * 60_000))).toBe(false);
  });

  it('counts a failure while locked without extending the lock', () => {
    const locked: LoginState = { failedAttempts: 5, lockedUntil: at(60_000) };
    expect(afterFailedLogin(locked, NOW, RULES)).toEqual({
      failedAttempts: 6,
      lockedUntil: at(60_000),
      justLocked: false,
    });
  });

  it('starts counting again once the lock has expired', () => {
    const expired: LoginState = { failedAttempts: 5, lockedUntil: at(-1) };
    expect(afterFailedLogin(expired, NOW, RULES)).toEqual({
      failedAttempts: 1,
      lockedUntil: null,
      justLocked: false,
    });
    const endsNow: LoginState = { failedAttempts: 5, lockedUntil: NOW };
    expect(afterFailedLogin(endsNow, NOW, RULES).failedAttempts).toBe(1);
  });

  it('locks after exactly maxFailedAttempts failures in a row, for lockMinutes (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 20 }), fc.integer({ min: 1, max: 1440 }), (max, minutes) => {
        const rules = { maxFailedAttempts: max, lockMinutes: minutes };
        let state: LoginState = { failedAttempts: 0, lockedUntil: null };
        for (let i = 1; i <= max; i++) {
          const next = afterFailedLogin(state, NOW, rules);
          expect(next.justLocked).toBe(i === max);
          state = next;
        }
        expect(state.lockedUntil).toEqual(at(minutes * 60_000));
        // After the lock, one more failure counts from one again.
        const after = afterFailedLogin(state, at(minutes * 60_000), rules);
        expect(after.failedAttempts).toBe(1);
        expect(after.justLocked).toBe(max === 1);
      }),
    );
  });
});
