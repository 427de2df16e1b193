/**
 * Password and login rules of 2§3.5.2 (operator passwords changed periodically) and OWASP ASVS 2.1 / NIST
 * 800-63B 5.1.1.2 (no known-common or breached password, no reuse of the last N), with every number a setting.
 */

export interface PasswordRules {
  minLength: number;
  minClasses: number;
  maxAgeDays: number;
  maxFailedAttempts: number;
  lockMinutes: number;
}

export interface Bilingual {
  zh: string;
  en: string;
}

/** The character classes a password draws from: lower case, upper case, digits, others. */
export function characterClasses(password: string): number {
  return [/[a-z]/, /[A-Z]/, /[0-9]/, /[^A-Za-z0-9]/].filter((re) => re.test(password)).length;
}

/** What is wrong with a new password; empty when it is acceptable. */
export function passwordProblems(
  password: string,
  rules: Pick<PasswordRules, 'minLength' | 'minClasses'>,
  context: {
    username?: string;
    current?: string;
    /** Known-common and breached passwords, lower case (`commonPasswords()`). */
    common?: ReadonlySet<string>;
    /** Passwords printed in the documentation (the demo password): refused for a real account. */
    published?: readonly string[];
  } = {},
): Bilingual[] {
  const problems: Bilingual[] = [];
  if ([...password].length < rules.minLength) {
    problems.push({ zh: `密码至少 ${rules.minLength} 位`, en: `At least ${rules.minLength} characters` });
  }
  if (characterClasses(password) < rules.minClasses) {
    problems.push({
      zh: `密码须包含大写字母、小写字母、数字、符号中的至少 ${rules.minClasses} 类`,
      en: `Use at least ${rules.minClasses} of: upper case, lower case, digits, symbols`,
    });
  }
  if (context.username && password.toLowerCase().includes(context.username.toLowerCase())) {
    problems.push({ zh: '密码不能包含用户名', en: 'The password must not contain the user name' });
  }
  if (context.published?.includes(password)) {
    problems.push({
      zh: '不能使用演示密码或公开文档中的密码',
      en: 'The demo password, or any password printed in documentation, cannot be used',
    });
  } else if (context.common && isCommonPassword(password, context.common)) {
    problems.push({
      zh: '该密码过于常见或已在泄露数据中出现，请换一个',
      en: 'This password is too common or has appeared in a breach; choose another',
    });
  }
  if (context.current !== undefined && password === context.current) {
    problems.push({ zh: '新密码不能与原密码相同', en: 'The new password must differ from the current one' });
  }
  return problems;
}

/**
 * Is the password in the list of common ones? Compared in lower case, and also without what people add to a
 * common word to pass the rules: a capital first letter is covered by the lower case, trailing digits and
 * symbols (`Password123!` → `password`) are stripped.
 */
export function isCommonPassword(password: string, common: ReadonlySet<string>): boolean {
  const lower = password.normalize('NFC').toLowerCase();
  if (common.has(lower)) return true;
  const stem = lower.replace(/[^a-z]+$/u, '');
  return stem.length >= 6 && stem !== lower && common.has(stem);
}

/** Has the password outlived its maximum age? */
export function passwordExpired(changedAt: Date, now: Date, maxAgeDays: number): boolean {
  return now.getTime() - changedAt.getTime() >= maxAgeDays * 86_400_000;
}

/** Is the account locked at `now`? */
export function isLocked(lockedUntil: Date | null, now: Date): boolean {
  return lockedUntil !== null && lockedUntil.getTime() > now.getTime();
}

export interface LoginState {
  failedAttempts: number;
  lockedUntil: Date | null;
}

/**
 * The state after a failed attempt: the counter grows, and at the limit the account locks for a while. A
 * failure while locked is counted too (the audit shows how hard the account was tried) but does not extend
 * the lock: the holder gets back in when it ends.
 */
export function afterFailedLogin(
  state: LoginState,
  now: Date,
  rules: Pick<PasswordRules, 'maxFailedAttempts' | 'lockMinutes'>,
): LoginState & { justLocked: boolean } {
  if (isLocked(state.lockedUntil, now)) {
    return { failedAttempts: state.failedAttempts + 1, lockedUntil: state.lockedUntil, justLocked: false };
  }
  const lockExpired = state.lockedUntil !== null && !isLocked(state.lockedUntil, now);
  const failedAttempts = (lockExpired ? 0 : state.failedAttempts) + 1;
  if (failedAttempts >= rules.maxFailedAttempts) {
    return {
      failedAttempts,
      lockedUntil: new Date(now.getTime() + rules.lockMinutes * 60_000),
      justLocked: true,
    };
  }
  return { failedAttempts, lockedUntil: lockExpired ? null : state.lockedUntil, justLocked: false };
}

/**
 * The earlier passwords' hashes kept after a change, newest first: with `auth.passwordHistory` = N a new
 * password must differ from the current one and the N - 1 before it, so N - 1 are kept besides the current.
 */
export function passwordHistoryAfterChange(
  previousHashes: readonly string[],
  currentHash: string,
  keep: number,
): string[] {
  return [currentHash, ...previousHashes].slice(0, Math.max(0, keep - 1));
}
