/**
 * The slip's follow link (a QR code on the kiosk's or floor guide's ticket slip): who holds the slip may
 * follow that one ticket and cancel it while it waits, until the end of the ticket's local day. Pure rules;
 * the token itself is random and kept only as a hash (`modules/queue/follow.ts`).
 */
import type { LocalDate } from './calendar.ts';
import { atLocal } from './calendar.ts';

/** The instant a follow link of a ticket of `date` stops working: the next local midnight of the hall. */
export function followLinkExpiry(date: LocalDate, timeZone: string): Date {
  return atLocal(date, '24:00', timeZone);
}

export interface FollowState {
  /** The stored hash of the ticket's link; null when the ticket has none (a remote ticket, an old row). */
  tokenHash: string | null;
  expiresAt: Date | null;
}

/**
 * Whether a presented link opens the ticket: the ticket has a link, the presented token's hash is that
 * link's (compared by the caller in constant time, given here as `matches`), and it has not expired.
 */
export function followAllowed(state: FollowState, matches: boolean, now: Date): boolean {
  if (state.tokenHash === null || state.expiresAt === null) return false;
  if (!matches) return false;
  return now.getTime() < state.expiresAt.getTime();
}
