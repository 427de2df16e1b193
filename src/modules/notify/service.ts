/**
 * The notification gateway (SMS today; complaints' notices will use it too). `send` writes a message into
 * the outbox in the caller's transaction, with its event (the recipient masked, no parameters: a one-time
 * code is a secret); `deliverDue` — run by each instance's worker every few seconds, and by tests with
 * their clock — claims due messages with `FOR UPDATE SKIP LOCKED` (so two workers never send one twice),
 * sends each through the configured driver, and records every attempt: delivered, or an error with the
 * next try after a growing wait, until `notify.maxAttempts` tries have failed.
 */
import { createHmac } from 'node:crypto';
import { and, desc, eq, inArray, like, sql } from 'drizzle-orm';
import { maskPhone } from '../../core/masking.ts';
import { retryDelaySeconds } from '../../core/one-time-codes.ts';
import { authorizeAny, holds, systemActor } from '../../platform/auth/policy.ts';
import type { Clock } from '../../platform/clock.ts';
import type { Ctx } from '../../platform/context.ts';
import type { Db, DbOrTx } from '../../platform/db/index.ts';
import { escapeLike, rows } from '../../platform/db/index.ts';
import type { UnitRef } from '../../platform/events.ts';
import { appendEvent, command } from '../../platform/events.ts';
import { newId } from '../../platform/ids.ts';
import { settingValues } from '../settings/service.ts';
import { notifyPolicy } from './policy.ts';
import type { NotifyChannel, NotifyStatus } from './schema.ts';
import { notifyAttempts, notifyMessages } from './schema.ts';
import { repeatEvery } from '../../platform/worker.ts';

/** The texts the gateway can send, by template name; `{name}` is replaced by the parameter. */
export const TEMPLATES: Record<string, string> = {
  'echannel.code': '【福务】您的验证码为 {code}，{minutes} 分钟内有效，仅用于远程取号/预约。请勿告诉他人。',
  'echannel.code_work_order':
    '【福务】您的验证码为 {code}，{minutes} 分钟内有效，仅用于查询您的工单进度。请勿告诉他人。',
  'workorder.escalated': '【福务】工单 {number}「{title}」{level}，办结时限 {due}，请尽快处理。',
  'workorder.reply':
    '【福务】您的工单 {number} 已处理：{reply}（首问责任人：{owner}）。{survey}如有疑问请致电 10010。',
};

export interface Message {
  channel: NotifyChannel;
  /** The recipient: a mobile number for `sms`. */
  to: string;
  template: string;
  params: Record<string, string | number>;
  /** The unit the message is sent for: its subtree's administrators see it in the outbox. */
  unit: UnitRef;
}

export function render(template: string, params: Record<string, string | number>): string {
  const text = TEMPLATES[template];
  if (text === undefined) throw new RangeError(`unknown template ${template}`);
  return text.replace(/\{(\w+)\}/g, (_m, k: string) => String(params[k] ?? ''));
}

/** Queues a message in the caller's transaction (with its event); the worker delivers it. */
export async function send(tx: DbOrTx, ctx: Ctx, message: Message): Promise<string> {
  const id = newId();
  const now = ctx.clock.now();
  await appendEvent(
    tx,
    ctx,
    {
      action: 'notify.queued',
      unit: message.unit,
      subjectType: 'notify_message',
      subjectId: id,
      after: { channel: message.channel, to: maskPhone(message.to), template: message.template },
    },
    [
      tx.insert(notifyMessages).values({
        id,
        provinceId: message.unit.provinceId,
        unitId: message.unit.id,
        unitPath: message.unit.path,
        channel: message.channel,
        recipient: message.to,
        template: message.template,
        params: message.params,
        body: render(message.template, message.params),
        status: 'pending',
        nextAttemptAt: now,
        createdAt: now,
      }),
    ],
  );
  return id;
}

/** What a driver is given to send. */
export interface Outgoing {
  id: string;
  channel: NotifyChannel;
  to: string;
  template: string;
  params: Record<string, string | number>;
  text: string;
  attempt: number;
}

/** Sends one message; throws to have it retried. */
export interface NotifyDriver {
  name: string;
  deliver(message: Outgoing): Promise<void>;
}

/** The built-in driver (demo, tests): "delivers" by marking the message delivered; the console's outbox shows it. */
export const outboxDriver: NotifyDriver = { name: 'outbox', deliver: async () => {} };

/**
 * POSTs the message as JSON to a gateway's URL, signed: `X-Fuwu-Signature: sha256=<hex HMAC-SHA256 of
 * "<timestamp>.<body>" with the shared secret>` and `X-Fuwu-Timestamp` (seconds), so the gateway can refuse
 * forged or replayed calls. A non-2xx answer or no answer within 10 s is an error (retried).
 */
export function webhookDriver(url: string, secret: string, timeoutMs = 10_000): NotifyDriver {
  return {
    name: 'webhook',
    async deliver(m) {
      const body = JSON.stringify({
        id: m.id,
        channel: m.channel,
        to: m.to,
        template: m.template,
        params: m.params,
        text: m.text,
        attempt: m.attempt,
      });
      const timestamp = String(Math.floor(Date.now() / 1000));
      const signature = createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex');
      const response = await fetch(url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'x-fuwu-timestamp': timestamp,
          'x-fuwu-signature': `sha256=${signature}`,
          'idempotency-key': m.id,
        },
        body,
        signal: AbortSignal.timeout(timeoutMs),
      });
      if (!response.ok) throw new Error(`gateway answered ${response.status}`);
    },
  };
}

/** The driver configured by the environment: `FUWU_SMS_WEBHOOK_URL` (+ `FUWU_SMS_WEBHOOK_SECRET`), else the outbox. */
export function configuredDriver(env: NodeJS.ProcessEnv = process.env): NotifyDriver {
  const url = env.FUWU_SMS_WEBHOOK_URL;
  if (!url) return outboxDriver;
  return webhookDriver(url, env.FUWU_SMS_WEBHOOK_SECRET ?? '');
}

/** A claimed message is the worker's for this long; a worker that died leaves it due again after. */
const LEASE_MS = 60_000;

type MessageRow = typeof notifyMessages.$inferSelect;

/**
 * Claims the due messages (at most `limit`), delivers each, and records the attempts. Safe on any number
 * of instances at once: a message is claimed by one statement that skips rows another worker holds, and
 * marked `sending` with a lease; only the claimer records its outcome. Answers how many were delivered.
 */
export async function deliverDue(
  db: Db,
  clock: Clock,
  options: { driver?: NotifyDriver; limit?: number } = {},
): Promise<{ delivered: number; failed: number; retried: number }> {
  const driver = options.driver ?? configuredDriver();
  const now = clock.now();
  const claimed = await rows<{ id: string }>(
    db,
    sql`update notify_messages set status = 'sending', attempts = attempts + 1,
          lease_until = ${new Date(now.getTime() + LEASE_MS)}, driver = ${driver.name}
        where id = any(array(
          select id from notify_messages
          where (status = 'pending' and next_attempt_at <= ${now})
             or (status = 'sending' and lease_until <= ${now})
          order by next_attempt_at limit ${options.limit ?? 20}
          for update skip locked))
        returning id`,
  );
  const result = { delivered: 0, failed: 0, retried: 0 };
  for (const { id } of claimed) {
    const [m] = await db.select().from(notifyMessages).where(eq(notifyMessages.id, id));
    if (!m) continue;
    let error = '';
    try {
      await driver.deliver({
        id: m.id,
        channel: m.channel,
        to: m.recipient,
        template: m.template,
        params: m.params,
        text: m.body,
        attempt: m.attempts,
      });
    } catch (e) {
      error = (e instanceof Error ? e.message : String(e)).slice(0, 500) || 'error';
    }
    const outcome = await recordAttempt(db, clock, m, driver.name, error);
    result[outcome] += 1;
  }
  return result;
}

async function recordAttempt(
  db: Db,
  clock: Clock,
  m: MessageRow,
  driverName: string,
  error: string,
): Promise<'delivered' | 'failed' | 'retried'> {
  const now = clock.now();
  const unit = { id: m.unitId, path: m.unitPath, provinceId: m.provinceId };
  const ctx = systemContextFor(db, clock, unit);
  const v = await settingValues(db, m.unitPath, ['notify.maxAttempts', 'notify.retrySeconds'], now);
  const delay = error
    ? retryDelaySeconds(m.attempts, Number(v['notify.retrySeconds']), Number(v['notify.maxAttempts']))
    : null;
  const status: NotifyStatus = !error ? 'delivered' : delay === null ? 'failed' : 'pending';
  const next = delay === null ? null : new Date(now.getTime() + delay * 1000);
  return command(ctx, async (tx) => {
    // Only the claimer records: the row is still ours (sending, this attempt).
    const [updated] = await tx
      .update(notifyMessages)
      .set({
        status,
        leaseUntil: null,
        lastError: error,
        deliveredAt: status === 'delivered' ? now : null,
        ...(next ? { nextAttemptAt: next } : {}),
      })
      .where(
        and(
          eq(notifyMessages.id, m.id),
          eq(notifyMessages.status, 'sending'),
          eq(notifyMessages.attempts, m.attempts),
        ),
      )
      .returning({ id: notifyMessages.id });
    if (!updated) return status === 'delivered' ? 'delivered' : delay === null ? 'failed' : 'retried';
    await appendEvent(
      tx,
      ctx,
      {
        action:
          status === 'delivered'
            ? 'notify.delivered'
            : status === 'failed'
              ? 'notify.failed'
              : 'notify.retry',
        unit,
        subjectType: 'notify_message',
        subjectId: m.id,
        after: { attempt: m.attempts, driver: driverName, error, nextAttemptAt: next?.toISOString() ?? null },
      },
      [
        tx.insert(notifyAttempts).values({
          id: newId(),
          messageId: m.id,
          attempt: m.attempts,
          at: now,
          driver: driverName,
          status: error ? 'error' : 'delivered',
          error,
          nextAttemptAt: next,
        }),
      ],
    );
    return status === 'delivered' ? 'delivered' : status === 'failed' ? 'failed' : 'retried';
  });
}

function systemContextFor(db: Db, clock: Clock, unit: UnitRef): Ctx {
  return { db, actor: systemActor(unit, 'notify'), clock, requestId: 'notify', clientIp: '' };
}

/** Runs `deliverDue` every `everyMs` until stopped (one instance's worker; others may run at once). */
export function startNotifyWorker(
  db: Db,
  clock: Clock,
  onError: (err: unknown) => void,
  everyMs = 2000,
): () => void {
  return repeatEvery(everyMs, () => deliverDue(db, clock), onError);
}

export interface OutboxItem {
  id: string;
  channel: NotifyChannel;
  to: string;
  template: string;
  /** The text; null unless the caller's position may read messages (`notify.text`). */
  text: string | null;
  status: NotifyStatus;
  attempts: number;
  lastError: string;
  driver: string;
  createdAt: string;
  deliveredAt: string | null;
  nextAttemptAt: string | null;
  tries: { attempt: number; at: string; status: 'delivered' | 'error'; error: string }[];
}

/** The newest messages of the caller's subtree, the recipient masked; the text only for `notify.text`. */
export async function listOutbox(ctx: Ctx, query: { limit?: number }): Promise<OutboxItem[]> {
  authorizeAny(ctx.actor, notifyPolicy, 'notify.view');
  const mayRead = holds(ctx.actor, notifyPolicy, 'notify.text');
  const found = await ctx.db
    .select()
    .from(notifyMessages)
    .where(like(notifyMessages.unitPath, `${escapeLike(ctx.actor.unitPath)}%`))
    .orderBy(desc(notifyMessages.createdAt))
    .limit(query.limit ?? 50);
  const tries = found.length
    ? await ctx.db
        .select()
        .from(notifyAttempts)
        .where(
          inArray(
            notifyAttempts.messageId,
            found.map((f) => f.id),
          ),
        )
        .orderBy(notifyAttempts.attempt)
    : [];
  return found.map((m) => ({
    id: m.id,
    channel: m.channel,
    to: maskPhone(m.recipient),
    template: m.template,
    text: mayRead ? m.body : null,
    status: m.status,
    attempts: m.attempts,
    lastError: m.lastError,
    driver: m.driver,
    createdAt: m.createdAt.toISOString(),
    deliveredAt: m.deliveredAt?.toISOString() ?? null,
    nextAttemptAt: m.status === 'pending' ? m.nextAttemptAt.toISOString() : null,
    tries: tries
      .filter((t) => t.messageId === m.id)
      .map((t) => ({ attempt: t.attempt, at: t.at.toISOString(), status: t.status, error: t.error })),
  }));
}
