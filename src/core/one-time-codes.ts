/** The rules with numbers of the notification gateway's retries and the e-channel's one-time codes. */

/**
 * The wait before try `attempt + 1` after try `attempt` (1-based) failed: `baseSeconds` doubled each try,
 * at most an hour; null when `attempt` was the last of `maxAttempts` (the message is given up).
 */
export function retryDelaySeconds(attempt: number, baseSeconds: number, maxAttempts: number): number | null {
  if (attempt >= maxAttempts) return null;
  return Math.min(3600, baseSeconds * 2 ** Math.max(0, attempt - 1));
}

export interface CodeState {
  expiresAt: Date;
  failedAttempts: number;
  usedAt: Date | null;
  deadAt: Date | null;
}

export type CodeVerdict = 'ok' | 'wrong' | 'dead' | 'expired' | 'used';

/**
 * What a try of a one-time code gives: a used, dead or expired code is refused whatever is typed; a wrong
 * code counts a failure, and the one that reaches `maxTries` kills the code ('dead').
 */
export function codeVerdict(state: CodeState, matches: boolean, now: Date, maxTries: number): CodeVerdict {
  if (state.usedAt) return 'used';
  if (state.deadAt || state.failedAttempts >= maxTries) return 'dead';
  if (state.expiresAt.getTime() <= now.getTime()) return 'expired';
  if (matches) return 'ok';
  return state.failedAttempts + 1 >= maxTries ? 'dead' : 'wrong';
}
