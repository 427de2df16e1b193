/**
 * The slip's follow link (QR code on the ticket slip of the kiosk and the floor guide, issue #12): whoever
 * holds the slip may follow that one ticket (its place, expected wait, its call) and cancel it while it
 * waits, on the e-channel's page, without a phone code.
 *
 * - A take at the hall (kiosk, floor guide, appointment check-in) makes 32 random bytes; only their hash
 *   (domain-separated sha256) is stored on the ticket, with the end of the ticket's local day as expiry
 *   (`core/follow-links.ts`). The token is answered once, in the take's reply, and put in the slip's QR as
 *   the address's fragment (`/m/t/<ticket id>#<token>`: a fragment is never sent to a server or in a
 *   Referer), from which the page sends it in the `X-Follow-Token` header.
 * - The token opens only the ticket whose row holds its hash: the routes name the ticket and the hash is
 *   compared with that row's in constant time. Every refusal (unknown ticket, no link, wrong token,
 *   expired) is the same 404, so the link tells nothing about other tickets.
 * - It is no credential: it never becomes a principal, so no other route accepts it. A cancel through it
 *   is an event of the system actor "slip A012" of the ticket's hall. The routes are the e-channel's
 *   (`modules/echannel/follow.ts`, `/api/e/follow/…`).
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { followAllowed, followLinkExpiry } from '../../core/follow-links.ts';
import type { TicketRow } from './shared.ts';

export const FOLLOW_HEADER = 'x-follow-token';

const hashOf = (token: string) => createHash('sha256').update(`follow\u0000${token}`).digest('hex');

/** A new follow link for a ticket of `date` at a hall in `timeZone`: the token (answered once) and what is stored. */
export function newFollowLink(
  date: string,
  timeZone: string,
): { token: string; hash: string; expiresAt: Date } {
  const token = randomBytes(32).toString('base64url');
  return { token, hash: hashOf(token), expiresAt: followLinkExpiry(date, timeZone) };
}

/** Whether `token` is the live follow link of this ticket row. */
export function opens(ticket: TicketRow, token: string, now: Date): boolean {
  const stored = ticket.followTokenHash;
  let matches = false;
  if (stored) {
    const a = Buffer.from(hashOf(token), 'hex');
    const b = Buffer.from(stored, 'hex');
    matches = a.length === b.length && timingSafeEqual(a, b);
  }
  return followAllowed({ tokenHash: stored, expiresAt: ticket.followExpiresAt }, matches, now);
}
