/**
 * Ticket numbers (取号号码): the letter(s) of a queue and a sequence that restarts every local day of the
 * hall, e.g. A012 or V003, the spoken call of the calling display ("请A012号到3号窗口"), and a counter's
 * name in English ("Counter 3").
 *
 * Pure: no I/O, no clock.
 */

/** Digits of the sequence part; longer sequences simply grow (A999 → A1000). */
export const TICKET_DIGITS = 3;

const PREFIX_RE = /^[A-Z]{1,2}$/;
const NUMBER_RE = /^([A-Z]{1,2})(\d{3,6})$/;

/** Whether a queue's ticket prefix is valid: one or two capital letters. */
export function isTicketPrefix(prefix: string): boolean {
  return PREFIX_RE.test(prefix);
}

/** `A` + 12 → `A012`. Throws RangeError for a bad prefix or a sequence that is not a positive integer. */
export function formatTicketNumber(prefix: string, seq: number, digits: number = TICKET_DIGITS): string {
  if (!isTicketPrefix(prefix))
    throw new RangeError(`ticket prefix must be 1–2 capital letters, got ${prefix}`);
  if (!Number.isSafeInteger(seq) || seq < 1) throw new RangeError(`sequence must be >= 1, got ${seq}`);
  return `${prefix}${String(seq).padStart(digits, '0')}`;
}

/** `V003` → { prefix: 'V', seq: 3 }; null when it is not a ticket number. */
export function parseTicketNumber(value: string): { prefix: string; seq: number } | null {
  const m = NUMBER_RE.exec(value.trim().toUpperCase());
  if (!m) return null;
  const seq = Number(m[2]);
  return seq >= 1 ? { prefix: m[1]!, seq } : null;
}

/** A counter in English: its configured name is the hall's (often Chinese) sign; its number is understood. */
export const counterEn = (c: { number: number }): string => `Counter ${c.number}`;

/** The voice call and the line of the calling display, in Chinese and English. */
export function callAnnouncement(number: string, counterNumber: number): { zh: string; en: string } {
  return {
    zh: `请${number}号到${counterNumber}号窗口`,
    en: `Number ${number}, please go to counter ${counterNumber}`,
  };
}
