/** Masking of personal data (ID numbers, phone numbers, addresses) for lists, logs and exports. */

/**
 * `110101199003071234` → `1101**********1234`; short values keep only their last character. At most half
 * of a number of 5 or more characters stays visible (a passport `E12345678` → `E1*****78`).
 */
export function maskIdNumber(value: string): string {
  if (value.length <= 4) return '*'.repeat(Math.max(0, value.length - 1)) + value.slice(-1);
  if (value.length <= 8) return value.slice(0, 1) + '*'.repeat(value.length - 3) + value.slice(-2);
  const keep = Math.min(4, Math.floor(value.length / 4));
  return value.slice(0, keep) + '*'.repeat(value.length - 2 * keep) + value.slice(-keep);
}

/** `13800001234` → `138****1234`; fixed lines `0571-88001234` → `0571-****1234`. */
export function maskPhone(value: string): string {
  const digits = value.replace(/\D/g, '');
  if (digits.length < 7) return '*'.repeat(value.length);
  const keepHead = value.includes('-') ? value.indexOf('-') + 1 : 3;
  const tail = 4;
  const middle = value.length - keepHead - tail;
  return value.slice(0, keepHead) + '*'.repeat(Math.max(middle, 0)) + value.slice(value.length - tail);
}

/** Keeps the first six characters (province, city, district) and hides the rest. */
export function maskAddress(value: string): string {
  const chars = [...value];
  if (chars.length <= 6) return chars.length === 0 ? '' : chars[0] + '*'.repeat(chars.length - 1);
  return chars.slice(0, 6).join('') + '****';
}

const MASKERS: Record<string, (v: string) => string> = {
  idDocNumber: maskIdNumber,
  contactPhone: maskPhone,
  phone: maskPhone,
  number: maskPhone,
  address: maskAddress,
};
const SECRETS = new Set(['passwordHash', 'password', 'tokenHash', 'token', 'newPassword', 'currentPassword']);

/** A deep copy of a record with personal fields masked and secrets removed: what may go into a log. */
export function maskRecord(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(maskRecord);
  if (value === null || typeof value !== 'object' || value instanceof Date) return value;
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) {
    if (SECRETS.has(key)) continue;
    const masker = MASKERS[key];
    out[key] = masker && typeof v === 'string' ? masker(v) : maskRecord(v);
  }
  return out;
}

/**
 * A name typed at login that matched no account (it may be a phone number, an ID number or a password typed
 * in the wrong field): only its first character stays, and the length is hidden (`ghost` → `g***`); a
 * phone-like value is masked as a phone.
 */
export function maskTypedName(value: string): string {
  if (/^\+?[\d\s-]{7,}$/.test(value)) return maskPhone(value);
  const first = [...value][0];
  return first === undefined ? '' : `${first}***`;
}
