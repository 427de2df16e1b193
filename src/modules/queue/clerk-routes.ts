/**
 * HTTP of the clerk's counter work (issue #12): calling a specific number with a reason, the clerk's own
 * figures of the day, and the counter's rating pad (a device token `device_rating_pad` bound to one
 * counter). The commands and their checks are in `clerk.ts`.
 */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { IdParams } from '../../platform/contract.ts';
import { ctxOf } from '../../platform/http/request-context.ts';
import { CallTicket, ClerkDay, ClerkDayQuery, PadState, RatePadTicket, Rating } from './clerk-contract.ts';
import { callTicket, clerkToday, padState, rateTicket } from './clerk.ts';
import { Ticket } from './contract.ts';
import { SECURITY } from '../../platform/http/openapi.ts';

const tags = ['queue 排队叫号'];

export const clerkRoutes: FastifyPluginAsyncZod = async (app) => {
  app.post(
    '/api/counters/:id/call-number',
    {
      schema: {
        operationId: 'callNumber',
        summary:
          '指定叫号 · Call a specific waiting ticket of the hall at the counter, with a reason (an event)',
        tags,
        params: IdParams,
        body: CallTicket,
        response: { 200: Ticket },
      },
    },
    (req) => callTicket(ctxOf(req), req.params.id, req.body),
  );
  app.get(
    '/api/queue/my-day',
    {
      schema: {
        operationId: 'getMyDay',
        summary:
          '我的今日 · The caller’s own figures today: served, average handling time, share within the limit',
        tags,
        querystring: ClerkDayQuery,
        response: { 200: ClerkDay },
      },
    },
    (req) => clerkToday(ctxOf(req), req.query.hallId),
  );
  app.get(
    '/api/rating-pad',
    {
      schema: {
        operationId: 'getRatingPad',
        security: SECURITY.device,
        summary:
          '评价器内容 · What a counter’s rating pad shows: the ticket its counter finished last, to rate',
        tags,
        response: { 200: PadState },
      },
    },
    (req) => padState(ctxOf(req)),
  );
  app.post(
    '/api/rating-pad/ratings',
    {
      schema: {
        operationId: 'rateTicket',
        security: SECURITY.device,
        summary:
          '服务评价 · The customer rates the ticket the pad’s counter finished last (1–5; once per ticket)',
        tags,
        body: RatePadTicket,
        response: { 201: Rating },
      },
    },
    async (req, reply) => reply.status(201).send(await rateTicket(ctxOf(req), req.body)),
  );
};
