/**
 * Demo work orders for the demo installation (not for tests, which make their own): made through the same
 * commands as the console, each by the person who would do it, so the list, the clocks, the timeline and
 * the report show something on the first start.
 */
import { and, eq, sql } from 'drizzle-orm';
import type { Clock } from '../../platform/clock.ts';
import type { Ctx } from '../../platform/context.ts';
import type { Db } from '../../platform/db/index.ts';
import { schema } from '../../platform/db/index.ts';
import { newId } from '../../platform/ids.ts';
import { loadHashKey } from '../../platform/keyed-hash.ts';
import { staffActorOf } from '../auth/service.ts';
import { seedMissingCategories } from './categories.ts';
import { closeOrder, replyOrder } from './closing.ts';
import type { NewWorkOrder, WorkOrderDetail } from './contract.ts';
import { answerOrder, assignOrder, claimOrder, dispatchOrder } from './handling.ts';
import { workOrderCategories } from './schema.ts';
import { createWorkOrder } from './service.ts';

export async function seedWorkOrdersDemo(
  db: Db,
  clock: Clock,
  unitIds: Record<string, string>,
): Promise<void> {
  await loadHashKey(db); // the seed may run before the server (phones are kept as keyed hashes too)
  await seedMissingCategories(db, clock);
  const as = async (username: string): Promise<Ctx> => {
    const actor = await staffActorOf(db, username);
    if (!actor) throw new Error(`demo work orders: no ${username}`);
    return { db, actor, clock, requestId: `demo-${newId()}`, clientIp: '' };
  };
  const categoryId = async (code: string) => {
    const [row] = await db
      .select({ id: workOrderCategories.id })
      .from(workOrderCategories)
      .where(
        and(
          eq(workOrderCategories.provinceId, unitIds.province!),
          eq(workOrderCategories.code, code),
          eq(workOrderCategories.active, true),
        ),
      )
      .limit(1);
    return row!.id;
  };
  const customers = await db
    .select({ id: schema.customers.id })
    .from(schema.customers)
    .where(sql`${schema.customers.contactPhone} ~ '^1[0-9]{10}$'`)
    .orderBy(schema.customers.id)
    .limit(4);
  const customer = (i: number) =>
    customers[i] ? { customerId: customers[i].id } : { contactPhone: '13900000000' };
  const hall = unitIds.qyHall!;
  const centre = unitIds.provCentre!;
  const take = async (who: string, order: Omit<NewWorkOrder, 'priority' | 'attributes'>) =>
    createWorkOrder(await as(who), { priority: 'normal', attributes: {}, ...order });

  // 1. A hall's complaint waiting in the province centre's queue.
  await take('qy_complaint', {
    kind: 'complaint',
    channel: 'counter',
    ...customer(0),
    categoryId: await categoryId('service.waiting'),
    concernsUnitId: hall,
    handlingUnitId: centre,
    title: '排队等候超过 40 分钟',
    description: '客户上午在人民路营业厅办理补卡，取号后等候 40 多分钟，期间只开了两个窗口。',
  });

  // 2. A broadband fault from the hotline, claimed by an agent and sent to the city's network department.
  let fault: WorkOrderDetail = await take('cc_agent1', {
    kind: 'fault',
    channel: 'hotline',
    ...customer(1),
    categoryId: await categoryId('network.broadband'),
    concernsUnitId: hall,
    title: '家庭宽带每晚掉线',
    description: '近一周每晚 8 点后宽带频繁掉线，重启光猫无效。',
  });
  fault = await claimOrder(await as('cc_agent1'), fault.id, fault.version);
  await dispatchOrder(await as('cc_agent1'), fault.id, {
    version: fault.version,
    toUnitId: unitIds.qyNet!,
    note: '请安排上门检测线路。',
  });

  // 3. A complaint handled at the centre and replied by its owner at the hall, waiting to be closed.
  let replied: WorkOrderDetail = await take('qy_complaint', {
    kind: 'complaint',
    channel: 'counter',
    ...customer(2),
    categoryId: await categoryId('billing.value_added'),
    concernsUnitId: hall,
    handlingUnitId: centre,
    title: '未订购的增值业务扣费',
    description: '客户称从未订购“手机报”，上月被扣费 5 元。',
  });
  replied = await assignOrder(await as('cc_complaints'), replied.id, {
    version: replied.version,
    staffId: (await as('cc_agent2')).actor.id!,
    mode: 'least_loaded',
  });
  replied = await answerOrder(await as('cc_agent2'), replied.id, {
    version: replied.version,
    text: '核实为误订购，已退订并退还 5 元。',
  });
  await replyOrder(await as('qy_complaint'), replied.id, {
    version: replied.version,
    text: '已为您退订手机报并退还 5 元，给您带来不便深表歉意。',
  });

  // 4. A consultation answered at once and closed.
  let done: WorkOrderDetail = await take('qy_complaint', {
    kind: 'consultation',
    channel: 'counter',
    ...customer(3),
    categoryId: await categoryId('billing.payment'),
    concernsUnitId: hall,
    title: '如何开通自动缴费',
    description: '客户咨询银行卡代扣话费的办理方式。',
  });
  done = await replyOrder(await as('qy_complaint'), done.id, {
    version: done.version,
    text: '可在营业厅或网上营业厅签约银行代扣，每月 5 日自动扣款。',
  });
  await closeOrder(await as('qy_complaint'), done.id, { version: done.version });

  // 5. An appeal from the regulator's appeal centre, with its reference and deadline.
  await take('cc_complaints', {
    kind: 'appeal',
    channel: 'regulator',
    ...customer(0),
    categoryId: await categoryId('service.waiting'),
    concernsUnitId: hall,
    regulatorRef: 'GXB-YC-2026-0001',
    deadline: new Date(clock.now().getTime() + 5 * 86_400_000).toISOString(),
    title: '用户申诉：营业厅排队时间过长',
    description: '管局转来用户申诉，反映人民路营业厅排队时间过长且投诉后未获答复。',
  });
}
