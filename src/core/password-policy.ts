/** Password and login rules of 2§3.5.2 (operator passwords changed periodically), with every number a setting. */

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
  context: { username?: string; current?: string } = {},
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
  if (context.current !== undefined && password === context.current) {
    problems.push({ zh: '新密码不能与原密码相同', en: 'The new password must differ from the current one' });
  }
  return problems;
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

/** The state after a failed attempt: the counter grows, and at the limit the account locks for a while. */
export function afterFailedLogin(
  state: LoginState,
  now: Date,
  rules: Pick<PasswordRules, 'maxFailedAttempts' | 'lockMinutes'>,
): LoginState & { justLocked: boolean } {
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
