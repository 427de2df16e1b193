/** Password hashing with scrypt (Node's crypto), in a self-describing format `scrypt$N$r$p$salt$hash`. */
import { randomBytes, scrypt as scryptCb, timingSafeEqual, createHash, randomInt } from 'node:crypto';
import { promisify } from 'node:util';

const scrypt = promisify(scryptCb) as (
  password: string,
  salt: Buffer,
  keylen: number,
  options: { N: number; r: number; p: number; maxmem: number },
) => Promise<Buffer>;

/**
 * Work factor: OWASP's Password Storage Cheat Sheet lists equivalent scrypt settings; N=2^15, r=8, p=3 (32 MiB
 * a hash) is the one that keeps parallel logins on a small server within memory (2^17/8/1 needs 128 MiB
 * each). Tests may lower N with FUWU_SCRYPT_COST to keep seeding fast (the hash records its own).
 */
function params(): { N: number; r: number; p: number } {
  const fromEnv = Number(process.env.FUWU_SCRYPT_COST);
  return { N: Number.isInteger(fromEnv) && fromEnv >= 1024 ? fromEnv : 32768, r: 8, p: 3 };
}

/** Was the stored hash made with less work than is asked now (an older, cheaper setting)? Then rehash it. */
export function needsRehash(stored: string): boolean {
  const [scheme, n, r, p] = stored.split('$');
  if (scheme !== 'scrypt') return true;
  const want = params();
  return Number(n) * Number(p) < want.N * want.p || Number(n) < want.N || Number(r) < want.r;
}

let dummy: Promise<string> | null = null;

/**
 * A hash of a random password made at today's cost, to verify against for a login whose account does not
 * exist or cannot log in: the answer then takes as long as for a wrong password (no user enumeration).
 */
export function dummyHash(): Promise<string> {
  dummy ??= hashPassword(randomBytes(16).toString('base64url'));
  return dummy;
}

export async function hashPassword(password: string): Promise<string> {
  const { N, r, p } = params();
  const salt = randomBytes(16);
  const hash = await scrypt(password.normalize('NFC'), salt, 32, { N, r, p, maxmem: 256 * N * r });
  return `scrypt$${N}$${r}$${p}$${salt.toString('base64')}$${hash.toString('base64')}`;
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, n, r, p, salt, hash] = stored.split('$');
  if (scheme !== 'scrypt' || !n || !r || !p || !salt || !hash) return false;
  const expected = Buffer.from(hash, 'base64');
  const N = Number(n);
  const actual = await scrypt(password.normalize('NFC'), Buffer.from(salt, 'base64'), expected.length, {
    N,
    r: Number(r),
    p: Number(p),
    maxmem: 256 * N * Number(r),
  });
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

/** A new secret for a session or bearer token, and the hash that is stored instead of it. */
export function newToken(): { token: string; hash: string } {
  const token = randomBytes(32).toString('base64url');
  return { token, hash: hashToken(token) };
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** An initial password that meets the default policy (upper, lower, digits, a symbol), for a new account. */
export function initialPassword(): string {
  const pick = (set: string) => set[randomInt(set.length)]!;
  const lower = 'abcdefghjkmnpqrstuvwxyz';
  const upper = 'ABCDEFGHJKMNPQRSTUVWXYZ';
  const digits = '23456789';
  const chars = [
    pick(upper),
    pick(lower),
    pick(lower),
    pick(lower),
    pick(digits),
    pick(digits),
    pick(digits),
    '#',
  ];
  return `${chars.slice(0, 4).join('')}-${chars.slice(4).join('')}${pick(digits)}`;
}
