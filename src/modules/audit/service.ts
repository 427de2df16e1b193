/** Reading the audit trail (2§3.5.2): the events of the caller's subtree, newest first. */
import { and, count, desc, eq, gte, like, lt } from 'drizzle-orm';
import type { SQL } from 'drizzle-orm';
import { authorize } from '../../platform/auth/policy.ts';
import type { Ctx } from '../../platform/context.ts';
import { escapeLike, schema } from '../../platform/db/index.ts';
import { getUnitRef } from '../org/service.ts';
import type { AuditEvent, AuditQuery } from './contract.ts';
import { auditPolicy } from './policy.ts';

export async function listEvents(
  ctx: Ctx,
  query: AuditQuery,
): Promise<{ items: AuditEvent[]; total: number }> {
  const scope = query.unitId ? (await getUnitRef(ctx.db, query.unitId)).path : ctx.actor.unitPath;
  authorize(ctx.actor, auditPolicy, 'audit.read', scope);
  const e = schema.events;
  const filters: SQL[] = [like(e.unitPath, `${scope}%`)];
  if (query.action) {
    filters.push(
      query.action.endsWith('.')
        ? like(e.action, `${escapeLike(query.action)}%`)
        : eq(e.action, query.action),
    );
  }
  if (query.subjectType) filters.push(eq(e.subjectType, query.subjectType));
  if (query.subjectId) filters.push(eq(e.subjectId, query.subjectId));
  if (query.actorId) filters.push(eq(e.actorId, query.actorId));
  if (query.from) filters.push(gte(e.at, new Date(query.from)));
  if (query.to) filters.push(lt(e.at, new Date(query.to)));
  const where = and(...filters);
  const rows = await ctx.db
    .select({ event: e, unitName: schema.units.name })
    .from(e)
    .innerJoin(schema.units, eq(schema.units.id, e.unitId))
    .where(where)
    .orderBy(desc(e.at), desc(e.id))
    .limit(query.limit)
    .offset(query.offset);
  const [total] = await ctx.db.select({ n: count() }).from(e).where(where);
  return {
    items: rows.map(({ event, unitName }) => ({
      id: event.id,
      at: event.at.toISOString(),
      actorId: event.actorId,
      actorKind: event.actorKind,
      actorName: event.actorName,
      unitId: event.unitId,
      unitName,
      action: event.action,
      subjectType: event.subjectType,
      subjectId: event.subjectId,
      before: event.before,
      after: event.after,
      requestId: event.requestId,
      clientIp: event.clientIp,
    })),
    total: total?.n ?? 0,
  };
}
