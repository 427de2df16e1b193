/**
 * Ending a person's sessions and API tokens at once: after a change of password (own, or a reset by an
 * administrator) or of positions or unit, what was opened before must not keep acting with the old rights.
 */
import { and, eq, isNull, ne } from 'drizzle-orm';
import type { Ctx } from '../context.ts';
import type { DbOrTx } from '../db/index.ts';
import { schema } from '../db/index.ts';
import type { UnitRef } from '../events.ts';
import { appendEvent } from '../events.ts';

export type SessionsEndedReason = 'password_changed' | 'password_reset' | 'positions_changed' | 'locked';

/**
 * Revokes every open session and token of the staff member but `except` (the caller's own session, which
 * survives its own password change), in the command's transaction, and records `auth.sessions_ended` (which
 * empties the credential caches of every instance and closes the event streams of what was revoked).
 * Returns how many were ended; no event when there was none.
 */
export async function endSessions(
  tx: DbOrTx,
  ctx: Ctx,
  staffId: string,
  options: { unit: UnitRef; reason: SessionsEndedReason; except?: string },
): Promise<number> {
  const ended = await tx
    .update(schema.credentials)
    .set({ revokedAt: ctx.clock.now() })
    .where(
      and(
        eq(schema.credentials.staffId, staffId),
        isNull(schema.credentials.revokedAt),
        options.except ? ne(schema.credentials.id, options.except) : undefined,
      ),
    )
    .returning({ id: schema.credentials.id, kind: schema.credentials.kind });
  if (ended.length === 0) return 0;
  await appendEvent(tx, ctx, {
    action: 'auth.sessions_ended',
    unit: options.unit,
    subjectType: 'staff',
    subjectId: staffId,
    after: {
      reason: options.reason,
      sessions: ended.filter((c) => c.kind === 'session').length,
      tokens: ended.filter((c) => c.kind === 'token').length,
      credentialIds: ended.map((c) => c.id),
    },
  });
  return ended.length;
}
