/**
 * The event log: every command appends one row in its own transaction (who, which unit, what, on what,
 * before/after, when, from where) and announces it on the `fuwu_events` channel, which PostgreSQL
 * delivers to every app instance when the transaction commits.
 */
import { sql } from 'drizzle-orm';
import { maskRecord } from '../core/masking.ts';
import type { Ctx } from './context.ts';
import type { DbOrTx, Tx } from './db/index.ts';
import { schema } from './db/index.ts';
import { newId } from './ids.ts';

export const EVENTS_CHANNEL = 'fuwu_events';

/** The unit an event happened in. */
export interface UnitRef {
  id: string;
  path: string;
  provinceId: string;
}

export interface EventInput {
  action: string;
  unit: UnitRef;
  subjectType: string;
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

/** Appends the event of a command inside its transaction; personal data is masked, secrets dropped. */
export async function appendEvent(tx: DbOrTx, ctx: Ctx, input: EventInput): Promise<EventNotice> {
  const id = newId();
  const at = ctx.clock.now();
  await tx.insert(schema.events).values({
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
  const notice: EventNotice = {
    id,
    at: at.toISOString(),
    action: input.action,
    unitId: input.unit.id,
    unitPath: input.unit.path,
    subjectType: input.subjectType,
    subjectId: input.subjectId,
  };
  await tx.execute(sql`select pg_notify(${EVENTS_CHANNEL}, ${JSON.stringify(notice)})`);
  return notice;
}

/** Runs a command: one transaction in which the work and its event are written, or nothing is. */
export function command<T>(ctx: Ctx, work: (tx: Tx) => Promise<T>): Promise<T> {
  return ctx.db.transaction(work);
}
