/**
 * HTTP of the public e-channel (/api/e/…): asking for a one-time code and proving it (public, rate-limited),
 * a hall's public view and slots (public), and what the proven phone's capability may do — take a remote
 * ticket, book an appointment, see, follow and cancel what it holds. No other route accepts that capability.
 */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { IdParams } from '../../platform/contract.ts';
import { phoneCtxOf, publicCtx } from '../../platform/http/request-context.ts';
import { Appointment, HallParams, KioskState, SlotQuery, Slots, Ticket } from '../queue/contract.ts';
import { streamTicket } from '../queue/routes.ts';
import { CodeSent, OpenSession, PhoneSession, RemoteBook, RemoteTake, RequestCode } from './contract.ts';
import {
  bookForPhone,
  cancelAppointmentForPhone,
  cancelForPhone,
  closePhoneSession,
  getForPhone,
  heldByPhone,
  heldTicket,
  openPhoneSession,
  publicHall,
  publicSlots,
  requestCode,
  takeForPhone,
} from './service.ts';
import { cancelFollowed, followedTicket, getFollowed } from './follow.ts';

const tags = ['e-channel 网上营业厅'];
const phoneOnly = [{ bearer: [] }];
/** The slip's follow link: the ticket's token from the QR code's fragment, sent as a header (never in a URL). */
const FollowHeaders = z.object({
  'x-follow-token': z
    .string()
    .trim()
    .min(20)
    .max(100)
    .describe('the follow link of the ticket slip (its QR code): this ticket only, until the end of its day'),
});

export const echannelRoutes: FastifyPluginAsyncZod = async (app) => {
  app.post(
    '/api/e/codes',
    {
      config: { public: true },
      schema: {
        tags,
        summary: 'Send a one-time code to a mobile number (limited per number and per client)',
        security: [],
        body: RequestCode,
        response: { 202: CodeSent },
      },
    },
    async (req, reply) => reply.status(202).send(await requestCode(publicCtx(req), req.body)),
  );
  app.post(
    '/api/e/sessions',
    {
      config: { public: true },
      schema: {
        tags,
        summary: 'Prove the number with its code: a short-lived capability of that phone',
        security: [],
        body: OpenSession,
        response: { 201: PhoneSession },
      },
    },
    async (req, reply) => reply.status(201).send(await openPhoneSession(publicCtx(req), req.body)),
  );
  app.delete(
    '/api/e/session',
    { schema: { tags, summary: 'End this phone capability', security: phoneOnly } },
    async (req, reply) => {
      await closePhoneSession(phoneCtxOf(req), req.principal!.credentialId);
      return reply.status(204).send();
    },
  );
  app.get(
    '/api/e/halls/:hallId',
    {
      config: { public: true },
      schema: {
        tags,
        summary: 'A hall that takes remote tickets: opening, categories and how many wait',
        security: [],
        params: HallParams,
        response: { 200: KioskState },
      },
    },
    (req) => publicHall(publicCtx(req), req.params.hallId),
  );
  app.get(
    '/api/e/halls/:hallId/appointment-slots',
    {
      config: { public: true },
      schema: {
        tags,
        summary: 'Appointment slots of a day at a hall that takes remote bookings',
        security: [],
        params: HallParams,
        querystring: SlotQuery,
        response: { 200: Slots },
      },
    },
    (req) => publicSlots(publicCtx(req), req.params.hallId, req.query.date),
  );
  app.post(
    '/api/e/halls/:hallId/tickets',
    {
      schema: {
        tags,
        summary: 'Take a remote ticket for the proven phone',
        security: phoneOnly,
        params: HallParams,
        body: RemoteTake,
        response: { 201: Ticket },
      },
    },
    async (req, reply) =>
      reply.status(201).send(await takeForPhone(phoneCtxOf(req), req.params.hallId, req.body)),
  );
  app.post(
    '/api/e/halls/:hallId/appointments',
    {
      schema: {
        tags,
        summary: 'Book an appointment for the proven phone (diamond/gold members, 3G VIP)',
        security: phoneOnly,
        params: HallParams,
        body: RemoteBook,
        response: { 201: Appointment },
      },
    },
    async (req, reply) =>
      reply.status(201).send(await bookForPhone(phoneCtxOf(req), req.params.hallId, req.body)),
  );
  app.get(
    '/api/e/mine',
    {
      schema: {
        tags,
        summary: 'The tickets and appointments the proven phone holds',
        security: phoneOnly,
        response: { 200: z.object({ tickets: z.array(Ticket), appointments: z.array(Appointment) }) },
      },
    },
    (req) => heldByPhone(phoneCtxOf(req)),
  );
  app.get(
    '/api/e/tickets/:id',
    {
      schema: {
        tags,
        summary: 'A ticket the phone holds, with its place and expected wait',
        security: phoneOnly,
        params: IdParams,
        response: { 200: Ticket },
      },
    },
    (req) => getForPhone(phoneCtxOf(req), req.params.id),
  );
  app.get(
    '/api/e/tickets/:id/stream',
    {
      schema: {
        tags,
        summary: 'Server-sent events of a ticket the phone holds (its own, and `line.moved`)',
        security: phoneOnly,
        params: IdParams,
      },
    },
    async (req, reply) => {
      const p = phoneCtxOf(req);
      const ticket = await heldTicket(p, req.params.id);
      await streamTicket(app, req, reply, p.ctx, ticket);
    },
  );
  app.post(
    '/api/e/tickets/:id/cancel',
    {
      schema: {
        tags,
        summary: 'Cancel a waiting ticket the phone holds',
        security: phoneOnly,
        params: IdParams,
        response: { 200: Ticket },
      },
    },
    (req) => cancelForPhone(phoneCtxOf(req), req.params.id),
  );
  app.get(
    '/api/e/follow/:id',
    {
      config: { public: true },
      schema: {
        tags,
        summary: 'The ticket a slip’s follow link opens, with its place and expected wait',
        security: [],
        params: IdParams,
        headers: FollowHeaders,
        response: { 200: Ticket },
      },
    },
    (req) => getFollowed(req, req.params.id, req.headers['x-follow-token']),
  );
  app.get(
    '/api/e/follow/:id/stream',
    {
      config: { public: true },
      schema: {
        tags,
        summary: 'Server-sent events of the ticket a slip’s follow link opens (its own, and `line.moved`)',
        security: [],
        params: IdParams,
        headers: FollowHeaders,
      },
    },
    async (req, reply) => {
      const { ctx, ticket } = await followedTicket(req, req.params.id, req.headers['x-follow-token']);
      await streamTicket(app, req, reply, ctx, ticket);
    },
  );
  app.post(
    '/api/e/follow/:id/cancel',
    {
      config: { public: true },
      schema: {
        tags,
        summary: 'Cancel the waiting ticket a slip’s follow link opens',
        security: [],
        params: IdParams,
        headers: FollowHeaders,
        response: { 200: Ticket },
      },
    },
    (req) => cancelFollowed(req, req.params.id, req.headers['x-follow-token']),
  );
  app.post(
    '/api/e/appointments/:id/cancel',
    {
      schema: {
        tags,
        summary: 'Cancel an appointment the phone booked',
        security: phoneOnly,
        params: IdParams,
        response: { 200: Appointment },
      },
    },
    (req) => cancelAppointmentForPhone(phoneCtxOf(req), req.params.id),
  );
};
