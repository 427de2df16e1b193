/**
 * HTTP of the public e-channel (/api/e/…): asking for a one-time code and proving it (public, rate-limited),
 * a hall's public view and slots (public), and what the proven phone's capability may do — take a remote
 * ticket, book an appointment, see, follow and cancel what it holds. No other route accepts that capability.
 */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { IdParams, NoContent } from '../../platform/contract.ts';
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
import { PRODUCES, SECURITY } from '../../platform/http/openapi.ts';

const tags = ['e-channel 网上营业厅'];
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
      schema: {
        operationId: 'sendCode',
        summary: '发送验证码 · Send a one-time code to a mobile number (limited per number and per client)',
        tags,
        security: [],
        body: RequestCode,
        response: { 202: CodeSent },
      },
      config: { public: true, problems: [429] },
    },
    async (req, reply) => reply.status(202).send(await requestCode(publicCtx(req), req.body)),
  );
  app.post(
    '/api/e/sessions',
    {
      schema: {
        operationId: 'provePhone',
        summary: '验证手机号 · Prove the number with its code: a short-lived capability of that phone',
        tags,
        security: [],
        body: OpenSession,
        response: { 201: PhoneSession },
      },
      config: { public: true, problems: [429] },
    },
    async (req, reply) => reply.status(201).send(await openPhoneSession(publicCtx(req), req.body)),
  );
  app.delete(
    '/api/e/session',
    {
      schema: {
        operationId: 'closePhoneSession',
        response: { 204: NoContent },
        summary: '结束手机会话 · End this phone capability',
        tags,
        security: SECURITY.phone,
      },
    },
    async (req, reply) => {
      await closePhoneSession(phoneCtxOf(req), req.principal!.credentialId);
      return reply.status(204).send(null);
    },
  );
  app.get(
    '/api/e/halls/:hallId',
    {
      // 409: the hall takes no remote tickets or bookings.
      config: { public: true, problems: [409] },
      schema: {
        operationId: 'getRemoteHall',
        summary: '营业厅信息 · A hall that takes remote tickets: opening, categories and how many wait',
        tags,
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
      // 409: the hall takes no remote tickets or bookings.
      config: { public: true, problems: [409] },
      schema: {
        operationId: 'listRemoteSlots',
        summary: '可预约时段 · Appointment slots of a day at a hall that takes remote bookings',
        tags,
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
        operationId: 'takeRemoteTicket',
        summary: '远程取号 · Take a remote ticket for the proven phone',
        tags,
        security: SECURITY.phone,
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
        operationId: 'bookRemoteAppointment',
        summary: '网上预约 · Book an appointment for the proven phone (diamond/gold members, 3G VIP)',
        tags,
        security: SECURITY.phone,
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
        operationId: 'listMine',
        summary: '我的排队与预约 · The tickets and appointments the proven phone holds',
        tags,
        security: SECURITY.phone,
        response: { 200: z.object({ tickets: z.array(Ticket), appointments: z.array(Appointment) }) },
      },
    },
    (req) => heldByPhone(phoneCtxOf(req)),
  );
  app.get(
    '/api/e/tickets/:id',
    {
      schema: {
        operationId: 'getMyTicket',
        summary: '我的排队票 · A ticket the phone holds, with its place and expected wait',
        tags,
        security: SECURITY.phone,
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
        operationId: 'streamMyTicket',
        summary:
          '我的排队票事件流 · Server-sent events of a ticket the phone holds (its own, and `line.moved`)',
        tags,
        security: SECURITY.phone,
        params: IdParams,
      },
      config: { produces: PRODUCES.eventStream },
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
        operationId: 'cancelMyTicket',
        summary: '取消我的排队票 · Cancel a waiting ticket the phone holds',
        tags,
        security: SECURITY.phone,
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
        operationId: 'getFollowedTicket',
        summary: '跟踪排队票 · The ticket a slip’s follow link opens, with its place and expected wait',
        tags,
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
      config: { public: true, produces: PRODUCES.eventStream },
      schema: {
        operationId: 'streamFollowedTicket',
        summary:
          '跟踪排队票事件流 · Server-sent events of the ticket a slip’s follow link opens (its own, and `line.moved`)',
        tags,
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
        operationId: 'cancelFollowedTicket',
        summary: '取消跟踪的排队票 · Cancel the waiting ticket a slip’s follow link opens',
        tags,
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
        operationId: 'cancelMyAppointment',
        summary: '取消我的预约 · Cancel an appointment the phone booked',
        tags,
        security: SECURITY.phone,
        params: IdParams,
        response: { 200: Appointment },
      },
    },
    (req) => cancelAppointmentForPhone(phoneCtxOf(req), req.params.id),
  );
};
