/**
 * The event log: every command appends one row in its own transaction (who, which unit, what, on what,
 * before/after, when, from where) and announces it on the `fuwu_events` channel, which PostgreSQL
 * delivers to every app instance when the transaction commits.
 */
import { sql } from 'drizzle-orm';
import type { SQLWrapper } from 'drizzle-orm';
import { maskRecord } from '../core/masking.ts';
import type { Ctx } from './context.ts';
import type { DbOrTx, Tx } from './db/index.ts';
import { schema } from './db/index.ts';
import { newId } from './ids.ts';
import { dropCached, forgetStored, shareCaches } from './cache.ts';
import type { EventType, SubjectType } from './words.ts';

export const EVENTS_CHANNEL = 'fuwu_events';

/** The unit an event happened in. */
export interface UnitRef {
  id: string;
  path: string;
  provinceId: string;
}

export interface EventInput {
  /** The event's type; every type has its name in both languages in `words.ts`. */
  action: EventType;
  unit: UnitRef;
  subjectType: SubjectType;
  subjectId: string;
  before?: unknown;
  after?: unknown;
}

/** What is broadcast to listeners when an event commits (no personal data). */
export interface EventNotice {
  id: string;
  at: string;
  action: string;
  unitId: string;
  unitPath: string;
  subjectType: string;
  subjectId: string;
}

/** The notices of the events each running command has appended, announced to the caches when it commits. */
const appended = new WeakMap<object, EventNotice[]>();

/**
 * Appends the event of a command inside its transaction; personal data is masked, secrets dropped.
 *
 * The event row, its notification and the command's `writes` (inserts, updates or deletes whose results
 * the command does not need, each on other rows) are one statement: one round trip to the database instead
 * of one for each. Given the database instead of a command's transaction, that statement is the whole
 * command: PostgreSQL runs one statement as one transaction, so no BEGIN and COMMIT need to be sent.
 */
export async function appendEvent(
  tx: DbOrTx,
  ctx: Ctx,
  input: EventInput,
  writes: readonly SQLWrapper[] = [],
): Promise<EventNotice> {
  const id = newId();
  const at = ctx.clock.now();
  const notice: EventNotice = {
    id,
    at: at.toISOString(),
    action: input.action,
    unitId: input.unit.id,
    unitPath: input.unit.path,
    subjectType: input.subjectType,
    subjectId: input.subjectId,
  };
  const row = tx.insert(schema.events).values({
    provinceId: input.unit.provinceId,
    id,
    at,
    actorId: ctx.actor.id,
    actorKind: ctx.actor.kind,
    actorName: ctx.actor.name,
    unitId: input.unit.id,
    unitPath: input.unit.path,
    action: input.action,
    subjectType: input.subjectType,
    subjectId: input.subjectId,
    before: input.before === undefined ? null : maskRecord(input.before),
    after: input.after === undefined ? null : maskRecord(input.after),
    requestId: ctx.requestId,
    clientIp: ctx.clientIp,
  });
  const ctes = [...writes, row].map((w, i) => sql`${sql.raw(`w${i}`)} as (${w.getSQL()})`);
  await tx.execute(
    sql`with ${sql.join(ctes, sql`, `)} select pg_notify(${EVENTS_CHANNEL}, ${JSON.stringify(notice)})`,
  );
  const inCommand = appended.get(tx);
  if (inCommand) inCommand.push(notice);
  else if (tx === ctx.db) dropCached(ctx.db, [notice]);
  return notice;
}

/**
 * Runs a command: one transaction in which the work and its event are written, or nothing is. When it
 * commits, the read caches its events name are emptied on this instance (the others hear the events).
 */
export async function command<T>(ctx: Ctx, work: (tx: Tx) => Promise<T>): Promise<T> {
  const notices: EventNotice[] = [];
  let open: Tx | null = null;
  try {
    const result = await ctx.db.transaction((tx) => {
      open = tx;
      appended.set(tx, notices);
      shareCaches(tx, ctx.db);
      return work(tx);
    });
    dropCached(ctx.db, notices);
    return result;
  } catch (error) {
    if (open) forgetStored(open);
    throw error;
  }
}
