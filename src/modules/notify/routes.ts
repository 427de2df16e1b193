/** HTTP of the notification gateway: the console's outbox (消息发件箱); the delivery worker starts with the server. */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { systemClock } from '../../platform/clock.ts';
import { ctxOf } from '../../platform/http/request-context.ts';
import { listOutbox, startNotifyWorker } from './service.ts';

const tags = ['notify 消息'];

export const OutboxItem = z.object({
  id: z.string(),
  channel: z.enum(['sms']),
  to: z.string().describe('masked'),
  template: z.string(),
  text: z.string().nullable().describe('null unless the position may read messages'),
  status: z.enum(['pending', 'sending', 'delivered', 'failed']),
  attempts: z.number().int(),
  lastError: z.string(),
  driver: z.string(),
  createdAt: z.string(),
  deliveredAt: z.string().nullable(),
  nextAttemptAt: z.string().nullable(),
  tries: z.array(
    z.object({
      attempt: z.number().int(),
      at: z.string(),
      status: z.enum(['delivered', 'error']),
      error: z.string(),
    }),
  ),
});
export type OutboxItem = z.infer<typeof OutboxItem>;

export const notifyRoutes: FastifyPluginAsyncZod = async (app) => {
  if (app.deps.clock === systemClock && process.env.FUWU_NOTIFY_WORKER !== '0') {
    const stop = startNotifyWorker(app.deps.database.db, app.deps.clock, (err) =>
      app.log.error({ err }, 'notify worker'),
    );
    app.addHook('onClose', async () => stop());
  }
  app.get(
    '/api/notify/outbox',
    {
      schema: {
        operationId: 'listOutbox',
        summary: '消息发件箱 · Messages of the caller’s subtree, newest first (recipients masked)',
        tags,
        querystring: z.object({ limit: z.coerce.number().int().min(1).max(200).optional() }),
        response: { 200: z.array(OutboxItem) },
      },
    },
    (req) => listOutbox(ctxOf(req), req.query),
  );
};
