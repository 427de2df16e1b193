/**
 * The queue configuration of a hall: service categories, queues with their ticket letters, segmentation
 * rules, work profiles and counters, and the notices of the calling display. Replaced as a whole by code;
 * what is left out is deactivated (refused while still in use).
 */
import { and, asc, eq, inArray, notInArray, sql } from 'drizzle-orm';
import type { FieldProblem } from '../../platform/http/problem.ts';
import { fieldProblem } from '../../platform/http/problem.ts';
import { authorize } from '../../platform/auth/policy.ts';
import type { Ctx } from '../../platform/context.ts';
import type { DbOrTx, Tx } from '../../platform/db/index.ts';
import { reads } from '../../platform/db/index.ts';
import { appendEvent, command } from '../../platform/events.ts';
import { conflict, unprocessable } from '../../platform/http/problem.ts';
import { newId } from '../../platform/ids.ts';
import type { HallQueueConfig, HallQueueConfigView } from './contract.ts';
import { queuePolicy } from './policy.ts';
import {
  queueCategories,
  queueCounters,
  queueHalls,
  queueQueues,
  queueTickets,
  queueWorkProfiles,
} from './schema.ts';
import type { HallNotice } from './schema.ts';
import type { HallRef } from './shared.ts';
import { assertHall, hallRef } from './shared.ts';

/** What is inconsistent in a configuration (unknown references, repeated codes, numbers or letters). */
export function configProblems(c: HallQueueConfig): FieldProblem[] {
  const problems: FieldProblem[] = [];
  const add = (path: string, zh: string, en: string) => problems.push(fieldProblem(path, zh, en));
  const queues = new Set(c.queues.map((q) => q.code));
  const categories = new Set(c.categories.map((x) => x.code));
  const profiles = new Set(c.profiles.map((p) => p.code));
  const repeated = <T>(list: T[], key: (t: T) => string | number, path: string, what: [string, string]) => {
    const seen = new Set<string | number>();
    list.forEach((item, i) => {
      const k = key(item);
      if (seen.has(k)) add(`${path}.${i}`, `${what[0]}重复：${k}`, `${what[1]} repeated: ${k}`);
      seen.add(k);
    });
  };
  repeated(c.categories, (x) => x.code, 'body.categories', ['业务类别代码', 'Category code']);
  repeated(c.queues, (x) => x.code, 'body.queues', ['队列代码', 'Queue code']);
  repeated(c.queues, (x) => x.prefix, 'body.queues', ['号码前缀', 'Ticket prefix']);
  repeated(c.profiles, (x) => x.code, 'body.profiles', ['工作模式代码', 'Work profile code']);
  repeated(c.counters, (x) => x.code, 'body.counters', ['台席代码', 'Counter code']);
  repeated(c.counters, (x) => x.number, 'body.counters', ['窗口号', 'Counter number']);
  const queue = (code: string, path: string) => {
    if (!queues.has(code)) add(path, `没有这个队列：${code}`, `No such queue: ${code}`);
  };
  const category = (code: string, path: string) => {
    if (!categories.has(code)) add(path, `没有这个业务类别：${code}`, `No such category: ${code}`);
  };
  c.categories.forEach((x, i) => queue(x.queue, `body.categories.${i}.queue`));
  c.segmentation.forEach((r, i) => {
    queue(r.queue, `body.segmentation.${i}.queue`);
    (r.when.categories ?? []).forEach((x, j) => category(x, `body.segmentation.${i}.when.categories.${j}`));
  });
  c.profiles.forEach((p, i) => {
    p.rules.forEach((r, j) => queue(r.queue, `body.profiles.${i}.rules.${j}.queue`));
    p.categories.forEach((x, j) => category(x, `body.profiles.${i}.categories.${j}`));
  });
  c.counters.forEach((k, i) => {
    if (!profiles.has(k.profile)) {
      add(
        `body.counters.${i}.profile`,
        `没有这个工作模式：${k.profile}`,
        `No such work profile: ${k.profile}`,
      );
    }
    k.categories.forEach((x, j) => category(x, `body.counters.${i}.categories.${j}`));
  });
  return problems;
}

/** The configuration of a hall as it is now (404/409 like every queue call). */
export async function readHallConfig(db: DbOrTx, hall: HallRef): Promise<HallQueueConfigView> {
  assertHall(hall);
  const [row] = await db.select().from(queueHalls).where(eq(queueHalls.unitId, hall.id));
  if (!row) {
    throw conflict(
      'queue_not_configured',
      `${hall.name}尚未配置排队叫号`,
      `${hall.name} has no queue configured`,
    );
  }
  const [categories, queues, profiles, counters] = await reads(
    db,
    () =>
      db
        .select()
        .from(queueCategories)
        .where(and(eq(queueCategories.unitId, hall.id), eq(queueCategories.active, true)))
        .orderBy(asc(queueCategories.sort)),
    () =>
      db
        .select()
        .from(queueQueues)
        .where(and(eq(queueQueues.unitId, hall.id), eq(queueQueues.active, true)))
        .orderBy(asc(queueQueues.sort)),
    () =>
      db
        .select()
        .from(queueWorkProfiles)
        .where(and(eq(queueWorkProfiles.unitId, hall.id), eq(queueWorkProfiles.active, true)))
        .orderBy(asc(queueWorkProfiles.code)),
    () =>
      db
        .select()
        .from(queueCounters)
        .where(and(eq(queueCounters.unitId, hall.id), eq(queueCounters.active, true)))
        .orderBy(asc(queueCounters.number)),
  );

  const profileCode = new Map(profiles.map((p) => [p.id, p.code]));
  return {
    hallId: hall.id,
    categories: categories.map((c) => ({
      code: c.code,
      name: c.name,
      nameEn: c.nameEn,
      queue: c.queueCode,
      meanServiceMinutes: c.meanServiceMinutes,
    })),
    queues: queues.map((q) => ({
      code: q.code,
      name: q.name,
      nameEn: q.nameEn,
      prefix: q.prefix,
      vip: q.vip,
    })),
    segmentation: row.segmentation,
    profiles: profiles.map((p) => ({
      id: p.id,
      code: p.code,
      name: p.name,
      nameEn: p.nameEn,
      rules: p.rules,
      categories: p.categories,
    })),
    counters: counters.map((k) => ({
      id: k.id,
      code: k.code,
      number: k.number,
      name: k.name,
      kind: k.kind,
      categories: k.categories,
      profile: profileCode.get(k.defaultProfileId) ?? '',
    })),
    notices: row.notices,
  };
}

/** The configuration of a hall (for those who see its queue). */
export async function getHallConfig(ctx: Ctx, hallId: string): Promise<HallQueueConfigView> {
  const hall = await hallRef(ctx.db, hallId);
  authorize(ctx.actor, queuePolicy, 'queue.view', hall.path);
  return readHallConfig(ctx.db, hall);
}

async function writeConfig(tx: Tx, ctx: Ctx, hall: HallRef, input: HallQueueConfig): Promise<void> {
  const now = ctx.clock.now();
  const [existing] = await tx.select().from(queueHalls).where(eq(queueHalls.unitId, hall.id)).for('update');
  const queueCodes = input.queues.map((q) => q.code);
  const profileCodes = input.profiles.map((p) => p.code);
  const counterCodes = input.counters.map((k) => k.code);

  // Nothing in use may disappear: open counters, profiles they call with, queues with waiting tickets.
  const busyCounters = await tx
    .select({ code: queueCounters.code, profileId: queueCounters.profileId, state: queueCounters.state })
    .from(queueCounters)
    .where(and(eq(queueCounters.unitId, hall.id), sql`${queueCounters.state} <> 'closed'`));
  const removedOpen = busyCounters.filter((k) => !counterCodes.includes(k.code));
  if (removedOpen.length > 0) {
    const list = removedOpen.map((k) => k.code).join(', ');
    throw conflict(
      'counter_in_use',
      `台席仍在服务，不能删除：${list}`,
      `Counters still open cannot be removed: ${list}`,
    );
  }
  const profilesInUse = busyCounters.map((k) => k.profileId).filter((id): id is string => id !== null);
  if (profilesInUse.length > 0) {
    const used = await tx
      .select({ code: queueWorkProfiles.code })
      .from(queueWorkProfiles)
      .where(inArray(queueWorkProfiles.id, profilesInUse));
    const gone = used.filter((p) => !profileCodes.includes(p.code)).map((p) => p.code);
    if (gone.length > 0) {
      throw conflict(
        'profile_in_use',
        `开启的台席正在使用工作模式：${gone.join(', ')}`,
        `Open counters call with work profiles: ${gone.join(', ')}`,
      );
    }
  }
  const waitingIn = await tx
    .selectDistinct({ queue: queueTickets.queueCode })
    .from(queueTickets)
    .where(
      and(
        eq(queueTickets.unitId, hall.id),
        inArray(queueTickets.status, ['waiting', 'parked']),
        notInArray(queueTickets.queueCode, queueCodes),
      ),
    );
  if (waitingIn.length > 0) {
    const list = waitingIn.map((w) => w.queue).join(', ');
    throw conflict('queue_in_use', `队列中仍有客户等待：${list}`, `Customers still wait in queues: ${list}`);
  }

  const notices: HallNotice[] = input.notices ?? existing?.notices ?? [];
  await tx
    .insert(queueHalls)
    .values({
      unitId: hall.id,
      provinceId: hall.provinceId,
      unitPath: hall.path,
      segmentation: input.segmentation,
      notices,
      updatedAt: now,
    })
    .onConflictDoUpdate({
      target: queueHalls.unitId,
      set: { segmentation: input.segmentation, notices, updatedAt: now, unitPath: hall.path },
    });

  await tx.update(queueCategories).set({ active: false }).where(eq(queueCategories.unitId, hall.id));
  for (const [sort, c] of input.categories.entries()) {
    const values = {
      name: c.name,
      nameEn: c.nameEn,
      queueCode: c.queue,
      meanServiceMinutes: c.meanServiceMinutes,
      sort,
      active: true,
    };
    await tx
      .insert(queueCategories)
      .values({ unitId: hall.id, code: c.code, ...values })
      .onConflictDoUpdate({ target: [queueCategories.unitId, queueCategories.code], set: values });
  }
  await tx.update(queueQueues).set({ active: false }).where(eq(queueQueues.unitId, hall.id));
  for (const [sort, q] of input.queues.entries()) {
    const values = { name: q.name, nameEn: q.nameEn, prefix: q.prefix, vip: q.vip, sort, active: true };
    await tx
      .insert(queueQueues)
      .values({ unitId: hall.id, code: q.code, ...values })
      .onConflictDoUpdate({ target: [queueQueues.unitId, queueQueues.code], set: values });
  }
  await tx.update(queueWorkProfiles).set({ active: false }).where(eq(queueWorkProfiles.unitId, hall.id));
  const profileIds = new Map<string, string>();
  for (const p of input.profiles) {
    const values = { name: p.name, nameEn: p.nameEn, rules: p.rules, categories: p.categories, active: true };
    const [row] = await tx
      .insert(queueWorkProfiles)
      .values({ id: newId(), unitId: hall.id, code: p.code, ...values })
      .onConflictDoUpdate({ target: [queueWorkProfiles.unitId, queueWorkProfiles.code], set: values })
      .returning({ id: queueWorkProfiles.id });
    profileIds.set(p.code, row!.id);
  }
  await tx.update(queueCounters).set({ active: false }).where(eq(queueCounters.unitId, hall.id));
  for (const k of input.counters) {
    const values = {
      number: k.number,
      name: k.name,
      kind: k.kind,
      categories: k.categories,
      defaultProfileId: profileIds.get(k.profile)!,
      active: true,
      unitPath: hall.path,
    };
    await tx
      .insert(queueCounters)
      .values({
        id: newId(),
        provinceId: hall.provinceId,
        unitId: hall.id,
        code: k.code,
        stateSince: now,
        ...values,
      })
      .onConflictDoUpdate({ target: [queueCounters.unitId, queueCounters.code], set: values });
  }
}

/** Sets the queue configuration of a hall (by code: kept ids for kept counters and profiles). */
export async function configureHall(
  ctx: Ctx,
  hallId: string,
  input: HallQueueConfig,
): Promise<HallQueueConfigView> {
  const problems = configProblems(input);
  if (problems.length > 0) {
    throw unprocessable(
      'config_invalid',
      `排队配置有误：${problems.map((p) => p.messages.zh).join('；')}`,
      `The queue configuration is inconsistent: ${problems.map((p) => p.messages.en).join('; ')}`,
      problems,
    );
  }
  return command(ctx, async (tx) => {
    const hall = await hallRef(tx, hallId);
    authorize(ctx.actor, queuePolicy, 'queue.configure', hall.path);
    assertHall(hall);
    await writeConfig(tx, ctx, hall, input);
    const view = await readHallConfig(tx, hall);
    await appendEvent(tx, ctx, {
      action: 'queue.configured',
      unit: hall,
      subjectType: 'hall',
      subjectId: hall.id,
      after: {
        categories: view.categories.map((c) => c.code),
        queues: view.queues.map((q) => `${q.code}:${q.prefix}`),
        segmentation: view.segmentation,
        profiles: view.profiles.map((p) => ({ code: p.code, rules: p.rules, categories: p.categories })),
        counters: view.counters.map((k) => ({
          code: k.code,
          number: k.number,
          kind: k.kind,
          profile: k.profile,
        })),
      },
    });
    return view;
  });
}

/** Sets the notices the calling display shows. */
export async function setNotices(
  ctx: Ctx,
  hallId: string,
  notices: HallNotice[],
): Promise<HallQueueConfigView> {
  return command(ctx, async (tx) => {
    const hall = await hallRef(tx, hallId);
    authorize(ctx.actor, queuePolicy, 'queue.configure', hall.path);
    const before = await readHallConfig(tx, hall);
    await tx
      .update(queueHalls)
      .set({ notices, updatedAt: ctx.clock.now() })
      .where(eq(queueHalls.unitId, hall.id));
    await appendEvent(tx, ctx, {
      action: 'queue.notices_set',
      unit: hall,
      subjectType: 'hall',
      subjectId: hall.id,
      before: { notices: before.notices },
      after: { notices },
    });
    return { ...before, notices };
  });
}
