/**
 * Links between orders (issue #14): related orders, a child under a parent, and a duplicate merged into the
 * order it repeats — closed with a pointer to it, counted once in the indicators. Both orders must be in
 * the caller's reach; merging is a supervisor's.
 */
import { and, eq, isNull, or } from 'drizzle-orm';
import type { Ctx } from '../../platform/context.ts';
import { conflict, fieldProblem, unprocessable } from '../../platform/http/problem.ts';
import { onOrder, record, saveOrder, wrongState } from './handling.ts';
import { workOrderLinks, workOrderTimers } from './schema.ts';
import { readableOrder, syncClocks } from './shared.ts';

export function linkOrders(
  ctx: Ctx,
  id: string,
  input: { otherId: string; kind: 'related' | 'duplicate' | 'child' },
) {
  const action = input.kind === 'duplicate' ? 'workorder.supervise' : 'workorder.handle';
  return onOrder(ctx, id, action, undefined, async (tx, row, now) => {
    const bad = (zh: string, en: string) =>
      unprocessable('link_invalid', '不能关联这两张工单', 'These orders cannot be linked', [
        fieldProblem('body.otherId', zh, en),
      ]);
    if (input.otherId === row.id) throw bad('不能关联自身', 'An order cannot be linked to itself');
    const other = await readableOrder(ctx, tx, input.otherId, true).catch(() => null);
    if (!other || other.provinceId !== row.provinceId) throw bad('没有这张工单', 'No such work order');
    const [existing] = await tx
      .select()
      .from(workOrderLinks)
      .where(
        or(
          and(eq(workOrderLinks.orderId, row.id), eq(workOrderLinks.otherId, other.id)),
          and(eq(workOrderLinks.orderId, other.id), eq(workOrderLinks.otherId, row.id)),
        ),
      );
    if (existing) throw conflict('already_linked', '两张工单已关联', 'The orders are already linked');
    if (input.kind === 'duplicate') {
      // This order repeats `other`: it is closed into it.
      if (row.state === 'closed') throw wrongState(row);
      if (other.mergedIntoId) throw bad('对方本身是重复工单', 'The other order is itself a duplicate');
      await tx
        .insert(workOrderLinks)
        .values({ orderId: row.id, otherId: other.id, kind: 'duplicate', at: now });
      await tx
        .delete(workOrderTimers)
        .where(and(eq(workOrderTimers.orderId, row.id), isNull(workOrderTimers.firedAt)));
      const saved = await saveOrder(tx, row, { mergedIntoId: other.id, state: 'closed', closedAt: now });
      await syncClocks(tx, saved, now);
      await record(tx, ctx, saved, 'merged', 'workorder.merged', '', { into: other.number });
      return;
    }
    // A child: `other` is a child of this order.
    await tx.insert(workOrderLinks).values({ orderId: row.id, otherId: other.id, kind: input.kind, at: now });
    if (input.kind === 'child') await saveOrder(tx, other, { parentId: row.id });
    const saved = await saveOrder(tx, row, {});
    await record(tx, ctx, saved, 'linked', 'workorder.linked', '', { other: other.number, kind: input.kind });
  });
}
