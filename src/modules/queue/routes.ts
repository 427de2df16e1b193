/**
 * HTTP of the business-hall queue. Kiosks and calling displays are registered devices of a hall and use
 * bearer tokens (POST /api/tokens, positions device_kiosk / device_display); a device reaches only what
 * its page calls, at its own hall (queue/policy.ts), and a hall's kiosk follows the tickets it took. Remote (e-channel) tickets and appointments are taken by a phone proven by
 * a one-time code, through the routes of `modules/echannel` (/api/e/…), not here.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { systemClock } from '../../platform/clock.ts';
import { IdParams } from '../../platform/contract.ts';
import { ctxOf } from '../../platform/http/request-context.ts';
import { newId } from '../../platform/ids.ts';
import { authorize } from '../../platform/auth/policy.ts';
import type { Ctx } from '../../platform/context.ts';
import type { EventNotice } from '../../platform/events.ts';
import { streamEvents } from '../../platform/realtime.ts';
import {
  Appointment,
  AppointmentQuery,
  AnnouncementQuery,
  BookAppointment,
  CallNext,
  CheckIn,
  CheckedIn,
  CloseDay,
  Counter,
  DayClosed,
  DisplayState,
  FinishTicket,
  HallParams,
  HallQueueConfig,
  HallQueueConfigView,
  KioskState,
  OpenCounter,
  ParkTicket,
  PauseCounter,
  PreRegistrationInput,
  PreRegistrationView,
  QueueAlert,
  AcknowledgeAlert,
  AlertRow,
  QueueState,
  SetNotices,
  SlotQuery,
  Slots,
  Stats,
  StatsQuery,
  TakeTicket,
  Ticket,
  TicketQuery,
  TransferTicket,
} from './contract.ts';
import {
  appointmentSlotsOf,
  bookAppointment,
  cancelAppointment,
  checkIn,
  listAppointments,
} from './appointments.ts';
import { configureHall, getHallConfig, setNotices } from './config.ts';
import { acknowledgeAlert, closeDay, raiseAlerts, startQueueTimer } from './day.ts';
import { queuePolicy } from './policy.ts';
import {
  callNext,
  cancelTicket,
  closeCounter,
  finishTicket,
  getCounter,
  getTicket,
  listTickets,
  markBusinessDone,
  mayFollow,
  noShowTicket,
  openCounter,
  parkTicket,
  pauseCounter,
  preRegister,
  recallTicket,
  resumeCounter,
  resumeTicket,
  revealPreRegistration,
  startTicket,
  takeTicket,
  transferTicket,
} from './service.ts';
import type { TicketRow } from './shared.ts';
import { assertHall, hallRef, ticketWithNames } from './shared.ts';
import { displayState, kioskState, queueState, queueStats } from './views.ts';
import { announcementWav } from './speech.ts';
import { notFound } from '../../platform/http/problem.ts';
import { XLSX_TYPE } from '../../platform/xlsx.ts';
import { exportStats } from './stats-export.ts';
import { PRODUCES, SECURITY } from '../../platform/http/openapi.ts';

const tags = ['queue 排队叫号'];
const QUEUE_EVENTS = ['ticket.', 'counter.', 'queue.', 'appointment.'];
const isQueueEvent = (n: EventNotice) => QUEUE_EVENTS.some((p) => n.action.startsWith(p));
/** What a kiosk's or a calling display's page refetches on: tickets, counters, the display's notices. */
// `visit.`: the counter's pad refetches the visit of its counter (lines, a password or signature asked).
const DEVICE_EVENTS = ['ticket.', 'counter.', 'queue.notices_set', 'queue.configured', 'visit.'];
/**
 * A device's hall feed: only the notices its page refetches on, without which ticket or counter (the page
 * reads the view again; a device need not know whose ticket moved).
 */
const deviceFeed = (n: EventNotice): EventNotice | null =>
  DEVICE_EVENTS.some((p) => n.action.startsWith(p)) ? { ...n, subjectId: '' } : null;

/**
 * Streams one ticket's events to whoever may follow it (checked by the caller), and `line.moved` when
 * another change in its hall may move its place or expected wait.
 */
export function streamTicket(
  app: FastifyInstance,
  req: FastifyRequest,
  reply: FastifyReply,
  ctx: Ctx,
  ticket: TicketRow,
): Promise<void> {
  return streamEvents(app.realtime, req, reply, ticket.unitPath, (n) => {
    if (n.subjectId === ticket.id) return n;
    // Another ticket or counter of the hall: only that the line may have moved, nothing of whose (an id
    // of its own, so it cannot be matched with the event that caused it).
    if (n.unitId !== ticket.unitId || !isQueueEvent(n)) return null;
    const at = ctx.clock.now().toISOString();
    return { ...n, id: newId(), at, action: 'line.moved', subjectType: 'ticket', subjectId: ticket.id };
  });
}

export const queueRoutes: FastifyPluginAsyncZod = async (app) => {
  if (app.deps.clock === systemClock && process.env.FUWU_QUEUE_TIMER !== '0') {
    const stop = startQueueTimer(app.deps.database.db, app.deps.clock, (err) =>
      app.log.error({ err }, 'queue timer'),
    );
    app.addHook('onClose', async () => stop());
  }

  /* Configuration. */
  app.get(
    '/api/halls/:hallId/queue-config',
    {
      schema: {
        operationId: 'getHallConfig',
        summary: '营业厅排队配置 · Queue configuration of a hall',
        tags,
        params: HallParams,
        response: { 200: HallQueueConfigView },
      },
    },
    (req) => getHallConfig(ctxOf(req), req.params.hallId),
  );
  app.put(
    '/api/halls/:hallId/queue-config',
    {
      schema: {
        operationId: 'configureHall',
        summary:
          '设置营业厅排队配置 · Set categories, queues, segmentation rules, work profiles and counters of a hall',
        tags,
        params: HallParams,
        body: HallQueueConfig,
        response: { 200: HallQueueConfigView },
      },
    },
    (req) => configureHall(ctxOf(req), req.params.hallId, req.body),
  );
  app.put(
    '/api/halls/:hallId/queue-notices',
    {
      schema: {
        operationId: 'setNotices',
        summary: '设置叫号屏公告 · Notices of the calling display',
        tags,
        params: HallParams,
        body: SetNotices,
        response: { 200: HallQueueConfigView },
      },
    },
    (req) => setNotices(ctxOf(req), req.params.hallId, req.body.notices),
  );

  /* Tickets. */
  app.post(
    '/api/halls/:hallId/tickets',
    {
      schema: {
        operationId: 'takeTicket',
        security: SECURITY.staffOrDevice,
        summary: '取号 · Take a ticket (kiosk, floor guide, or remotely through the e-channel)',
        tags,
        params: HallParams,
        body: TakeTicket,
        response: { 201: Ticket },
      },
    },
    async (req, reply) => reply.status(201).send(await takeTicket(ctxOf(req), req.params.hallId, req.body)),
  );
  app.get(
    '/api/halls/:hallId/tickets',
    {
      schema: {
        operationId: 'listTickets',
        description:
          '排序：取号时间倒序、编号。 Sorted by the time taken, newest first, then id. 按 limit/offset 分页，total 为全部条数。 Paged by limit/offset; total counts every match.',
        summary: '排队票列表 · Tickets of a hall on a day',
        tags,
        params: HallParams,
        querystring: TicketQuery,
        response: { 200: z.object({ items: z.array(Ticket), total: z.number().int() }) },
      },
    },
    (req) => listTickets(ctxOf(req), req.params.hallId, req.query),
  );
  app.get(
    '/api/tickets/:id',
    {
      schema: {
        operationId: 'getTicket',
        security: SECURITY.staffOrDevice,
        summary: '排队票详情 · A ticket with its live position and estimated wait',
        tags,
        params: IdParams,
        response: { 200: Ticket },
      },
    },
    (req) => getTicket(ctxOf(req), req.params.id),
  );
  app.get(
    '/api/tickets/:id/stream',
    {
      schema: {
        operationId: 'streamTicket',
        security: SECURITY.staffOrDevice,
        summary:
          '排队票事件流 · Server-sent events of one ticket (called, near the front, …) for whoever took it, and `line.moved` when another change in its hall may move its place or expected wait',
        tags,
        params: IdParams,
      },
      config: { produces: PRODUCES.eventStream },
    },
    async (req, reply) => {
      const ctx = ctxOf(req);
      const { ticket } = await ticketWithNames(ctx.db, req.params.id);
      if (!mayFollow(ctx, ticket)) authorize(ctx.actor, queuePolicy, 'queue.view', ticket.unitPath);
      await streamTicket(app, req, reply, ctx, ticket);
    },
  );
  app.post(
    '/api/tickets/:id/pre-registration',
    {
      schema: {
        operationId: 'preRegister',
        summary: '预登记 · Pre-register the business and ID details (预登记/预受理)',
        tags,
        params: IdParams,
        body: PreRegistrationInput,
        response: { 200: Ticket },
      },
    },
    (req) => preRegister(ctxOf(req), req.params.id, req.body),
  );
  app.post(
    '/api/tickets/:id/pre-registration/reveal',
    {
      schema: {
        operationId: 'revealPreRegistration',
        summary: '查看预登记证件号 · The full pre-registered ID number, for the serving clerk (an event)',
        tags,
        params: IdParams,
        response: { 200: PreRegistrationView },
      },
    },
    (req) => revealPreRegistration(ctxOf(req), req.params.id),
  );
  const ticketCommand = (
    path: string,
    operationId: string,
    summary: string,
    run: (ctx: ReturnType<typeof ctxOf>, id: string) => Promise<z.infer<typeof Ticket>>,
  ) =>
    app.post(
      `/api/tickets/:id/${path}`,
      { schema: { operationId, summary, tags, params: IdParams, response: { 200: Ticket } } },
      (req) => run(ctxOf(req), req.params.id),
    );
  ticketCommand(
    'recall',
    'recallTicket',
    '重呼 · Call the ticket again (a no-show after the allowed recalls)',
    recallTicket,
  );
  ticketCommand(
    'start',
    'startTicket',
    '开始办理 · The customer is at the counter: the transaction starts',
    startTicket,
  );
  ticketCommand(
    'business-done',
    'markBusinessDone',
    '业务办结 · Business done, now selling: the transaction time stops',
    markBusinessDone,
  );
  ticketCommand('no-show', 'noShowTicket', '过号 · The called customer did not come (过号)', noShowTicket);
  app.post(
    '/api/tickets/:id/cancel',
    {
      schema: {
        operationId: 'cancelTicket',
        security: SECURITY.staffOrDevice,
        summary: '取消排队票 · Cancel a waiting ticket (a kiosk cancels only those it took)',
        tags,
        params: IdParams,
        response: { 200: Ticket },
      },
    },
    (req) => cancelTicket(ctxOf(req), req.params.id),
  );
  ticketCommand(
    'resume',
    'resumeTicket',
    '恢复挂起票 · Take a parked ticket back to its counter',
    resumeTicket,
  );
  app.post(
    '/api/tickets/:id/finish',
    {
      schema: {
        operationId: 'finishTicket',
        summary: '完成办理 · Finish with the outcome and the business done',
        tags,
        params: IdParams,
        body: FinishTicket,
        response: { 200: Ticket },
      },
    },
    (req) => finishTicket(ctxOf(req), req.params.id, req.body),
  );
  app.post(
    '/api/tickets/:id/transfer',
    {
      schema: {
        operationId: 'transferTicket',
        summary: '转移排队票 · Transfer to another queue and/or counter (the waiting time kept per setting)',
        tags,
        params: IdParams,
        body: TransferTicket,
        response: { 200: Ticket },
      },
    },
    (req) => transferTicket(ctxOf(req), req.params.id, req.body),
  );
  app.post(
    '/api/tickets/:id/park',
    {
      schema: {
        operationId: 'parkTicket',
        summary: '挂起排队票 · Park the ticket at its counter',
        tags,
        params: IdParams,
        body: ParkTicket,
        response: { 200: Ticket },
      },
    },
    (req) => parkTicket(ctxOf(req), req.params.id, req.body ?? {}),
  );

  /* Counters. */
  app.get(
    '/api/counters/:id',
    {
      schema: {
        operationId: 'getCounter',
        summary: '窗口详情 · A counter with the customer at it',
        tags,
        params: IdParams,
        response: { 200: Counter },
      },
    },
    (req) => getCounter(ctxOf(req), req.params.id),
  );
  app.post(
    '/api/counters/:id/open',
    {
      schema: {
        operationId: 'openCounter',
        summary: '开窗 · Open the counter with a work profile',
        tags,
        params: IdParams,
        body: OpenCounter,
        response: { 200: Counter },
      },
    },
    (req) => openCounter(ctxOf(req), req.params.id, req.body ?? {}),
  );
  app.post(
    '/api/counters/:id/pause',
    {
      schema: {
        operationId: 'pauseCounter',
        summary:
          '暂停窗口 · Pause with a reason; refused while too many wait unless the duty manager overrides',
        tags,
        params: IdParams,
        body: PauseCounter,
        response: { 200: Counter },
      },
    },
    (req) => pauseCounter(ctxOf(req), req.params.id, req.body),
  );
  app.post(
    '/api/counters/:id/resume',
    {
      schema: {
        operationId: 'resumeCounter',
        summary: '恢复窗口 · Resume a paused counter',
        tags,
        params: IdParams,
        response: { 200: Counter },
      },
    },
    (req) => resumeCounter(ctxOf(req), req.params.id),
  );
  app.post(
    '/api/counters/:id/close',
    {
      schema: {
        operationId: 'closeCounter',
        summary: '关窗 · Close the counter',
        tags,
        params: IdParams,
        response: { 200: Counter },
      },
    },
    (req) => closeCounter(ctxOf(req), req.params.id),
  );
  app.post(
    '/api/counters/:id/call-next',
    {
      schema: {
        operationId: 'callNext',
        summary: '叫号 · Call the next ticket by the work profile: the called ticket, or 204 when none waits',
        tags,
        params: IdParams,
        body: CallNext,
        response: { 200: Ticket, 204: z.null().describe('no ticket waits for this counter') },
      },
    },
    async (req, reply) => {
      const ticket = await callNext(ctxOf(req), req.params.id, req.body ?? {});
      return ticket ? ticket : reply.status(204).send(null);
    },
  );

  /* Live views. */
  app.get(
    '/api/halls/:hallId/queue',
    {
      schema: {
        operationId: 'getQueueState',
        summary: '排队实况 · Live queue state: queues, counters, waiting tickets, alerts (floor view)',
        tags,
        params: HallParams,
        response: { 200: QueueState },
      },
    },
    (req) => queueState(ctxOf(req), req.params.hallId),
  );
  app.get(
    '/api/halls/:hallId/display',
    {
      schema: {
        operationId: 'getDisplayState',
        security: SECURITY.staffOrDevice,
        summary: '叫号屏内容 · What the calling display shows',
        tags,
        params: HallParams,
        response: { 200: DisplayState },
      },
    },
    (req) => displayState(ctxOf(req), req.params.hallId),
  );
  app.get(
    '/api/halls/:hallId/display/announcement',
    {
      schema: {
        operationId: 'getAnnouncement',
        security: SECURITY.staffOrDevice,
        summary:
          '叫号语音 · The Mandarin announcement of one of the display’s calls as a WAV (for a display without a Chinese voice; rendered once per number and counter)',
        tags,
        params: HallParams,
        querystring: AnnouncementQuery,
      },
      config: { produces: PRODUCES.wav },
    },
    async (req, reply) => {
      const ctx = ctxOf(req);
      const hall = await hallRef(ctx.db, req.params.hallId);
      authorize(ctx.actor, queuePolicy, 'queue.display', hall.path);
      assertHall(hall);
      const { number, counter } = req.query;
      const display = await displayState(ctx, hall.id);
      const called = [...display.calling, ...display.recent].some(
        (c) => c.number === number && c.counterNumber === counter,
      );
      if (!called) {
        throw notFound({
          zh: `叫号 ${number} → ${counter} 号窗口`,
          en: `Call ${number} to counter ${counter}`,
        });
      }
      const wav = await announcementWav(number, counter);
      return reply.type('audio/wav').header('cache-control', 'private, max-age=86400').send(wav);
    },
  );
  app.get(
    '/api/halls/:hallId/kiosk',
    {
      schema: {
        operationId: 'getKioskState',
        security: SECURITY.staffOrDevice,
        summary: '取号机内容 · What the kiosk shows',
        tags,
        params: HallParams,
        response: { 200: KioskState },
      },
    },
    (req) => kioskState(ctxOf(req), req.params.hallId),
  );
  app.get(
    '/api/halls/:hallId/stream',
    {
      schema: {
        operationId: 'streamHall',
        security: SECURITY.staffOrDevice,
        summary:
          '营业厅事件流 · Server-sent events of the hall queue (tickets, counters, alerts); refetch the views on each',
        tags,
        params: HallParams,
      },
      config: { produces: PRODUCES.eventStream },
    },
    async (req, reply) => {
      const ctx = ctxOf(req);
      const hall = await hallRef(ctx.db, req.params.hallId);
      authorize(ctx.actor, queuePolicy, 'queue.feed', hall.path);
      assertHall(hall);
      const select =
        ctx.actor.kind === 'device' ? deviceFeed : (n: EventNotice) => (isQueueEvent(n) ? n : null);
      await streamEvents(app.realtime, req, reply, hall.path, select);
    },
  );
  app.post(
    '/api/halls/:hallId/queue/close-day',
    {
      schema: {
        operationId: 'closeDay',
        summary: '排队日结 · Close a queue day that is over: still-waiting tickets become "not served"',
        tags,
        params: HallParams,
        body: CloseDay,
        response: { 200: DayClosed },
      },
    },
    (req) => closeDay(ctxOf(req), req.params.hallId, req.body?.date),
  );
  app.post(
    '/api/halls/:hallId/queue/check-alerts',
    {
      schema: {
        operationId: 'raiseAlerts',
        summary: '检查预警 · Raise the alerts not raised yet (the timer does this every 30 s)',
        tags,
        params: HallParams,
        response: { 200: z.object({ raised: z.array(QueueAlert) }) },
      },
    },
    async (req) => ({ raised: await raiseAlerts(ctxOf(req), req.params.hallId) }),
  );
  app.post(
    '/api/halls/:hallId/queue/alerts/acknowledge',
    {
      schema: {
        operationId: 'acknowledgeAlert',
        summary:
          '确认预警 · Acknowledge a floor alert row (a queue’s waits or a counter’s transaction): an event',
        tags,
        params: HallParams,
        body: AcknowledgeAlert,
        response: { 200: AlertRow },
      },
    },
    (req) => acknowledgeAlert(ctxOf(req), req.params.hallId, req.body),
  );

  /* Appointments. */
  app.get(
    '/api/halls/:hallId/appointment-slots',
    {
      schema: {
        operationId: 'listAppointmentSlots',
        summary: '预约时段 · Appointment slots of a day',
        tags,
        params: HallParams,
        querystring: SlotQuery,
        response: { 200: Slots },
      },
    },
    (req) => appointmentSlotsOf(ctxOf(req), req.params.hallId, req.query.date),
  );
  app.get(
    '/api/halls/:hallId/appointments',
    {
      schema: {
        operationId: 'listAppointments',
        summary: '预约列表 · Appointments of a day',
        tags,
        params: HallParams,
        querystring: AppointmentQuery,
        response: { 200: z.array(Appointment) },
      },
    },
    (req) => listAppointments(ctxOf(req), req.params.hallId, req.query.date),
  );
  app.post(
    '/api/halls/:hallId/appointments',
    {
      schema: {
        operationId: 'bookAppointment',
        summary: '预约 · Book a slot for a diamond/gold member or a 3G VIP customer',
        tags,
        params: HallParams,
        body: BookAppointment,
        response: { 201: Appointment },
      },
    },
    async (req, reply) =>
      reply.status(201).send(await bookAppointment(ctxOf(req), req.params.hallId, req.body)),
  );
  app.post(
    '/api/appointments/:id/cancel',
    {
      schema: {
        operationId: 'cancelAppointment',
        summary: '取消预约 · Cancel a booked appointment',
        tags,
        params: IdParams,
        response: { 200: Appointment },
      },
    },
    (req) => cancelAppointment(ctxOf(req), req.params.id),
  );
  app.post(
    '/api/halls/:hallId/check-in',
    {
      schema: {
        operationId: 'checkIn',
        security: SECURITY.staffOrDevice,
        summary: '预约签到 · Check in for today’s appointment by phone number: a priority ticket',
        tags,
        params: HallParams,
        body: CheckIn,
        response: { 201: CheckedIn },
      },
    },
    async (req, reply) =>
      reply.status(201).send(await checkIn(ctxOf(req), req.params.hallId, req.body.phone)),
  );

  /* Statistics. */
  app.get(
    '/api/queue/stats',
    {
      schema: {
        operationId: 'getQueueStats',
        summary: '排队统计 · Queue statistics by hall, day, category, counter or clerk',
        tags,
        querystring: StatsQuery,
        response: { 200: Stats },
      },
    },
    (req) => queueStats(ctxOf(req), req.query),
  );
  app.get(
    '/api/queue/stats/export',
    {
      schema: {
        operationId: 'exportQueueStats',
        summary: '导出排队统计 · The statistics table as an Excel file (the same query, scope and columns)',
        tags,
        querystring: StatsQuery,
      },
      config: { produces: PRODUCES.xlsx },
    },
    async (req, reply) =>
      reply
        .type(XLSX_TYPE)
        .header(
          'content-disposition',
          `attachment; filename="queue-stats-${req.query.by}-${req.query.from}-${req.query.to}.xlsx"`,
        )
        .send(await exportStats(ctxOf(req), req.query)),
  );
};
