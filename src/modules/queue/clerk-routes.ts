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

const tags = ['queue 排队叫号'];

export const clerkRoutes: FastifyPluginAsyncZod = async (app) => {
  app.post(
    '/api/counters/:id/call-number',
    {
      schema: {
        tags,
        summary: 'Call a specific waiting ticket of the hall at the counter, with a reason (an event)',
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
        tags,
        summary: 'The caller’s own figures today: served, average handling time, share within the limit',
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
        tags,
        summary: 'What a counter’s rating pad shows: the ticket its counter finished last, to rate',
        response: { 200: PadState },
      },
    },
    (req) => padState(ctxOf(req)),
  );
  app.post(
    '/api/rating-pad/ratings',
    {
      schema: {
        tags,
        summary: 'The customer rates the ticket the pad’s counter finished last (1–5; once per ticket)',
        body: RatePadTicket,
        response: { 201: Rating },
      },
    },
    async (req, reply) => reply.status(201).send(await rateTicket(ctxOf(req), req.body)),
  );
};
