/**
 * The shipped list of common passwords (`common-passwords.txt`: the 10,000 most frequent passwords of 6
 * characters or more from the zxcvbn-ts list, MIT, see common-passwords.LICENSE.txt), read once. Apart from
 * `password-policy.ts` so that the console, which uses those rules, does not bundle a file read.
 */
import { readFileSync } from 'node:fs';

let commonList: ReadonlySet<string> | null = null;

export function commonPasswords(): ReadonlySet<string> {
  commonList ??= new Set(
    readFileSync(new URL('./common-passwords.txt', import.meta.url), 'utf8')
      .split('\n')
      .filter((line) => line.length > 0),
  );
  return commonList;
}
