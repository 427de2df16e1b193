/** HTTP of work orders (issue #14): taking one in, the list, reading one, and every command on it. */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { Id } from '../../platform/contract.ts';
import { authorizeAny, inSubtree, provinceScope, reachOf } from '../../platform/auth/policy.ts';
import { systemClock } from '../../platform/clock.ts';
import { streamEvents } from '../../platform/realtime.ts';
import type { Ctx } from '../../platform/context.ts';
import { ctxOf, phoneCtxOf, publicCtx } from '../../platform/http/request-context.ts';
import { XLSX_TYPE } from '../../platform/xlsx.ts';
import { listCategories, seedMissingCategories } from './categories.ts';
import { attachFile, readAttachment } from './attachments.ts';
import { linkOrders } from './links.ts';
import { closeOrder, reopenOrder, replyOrder } from './closing.ts';
import {
  addInformation,
  followOrder,
  followOrders,
  rateBySurvey,
  rateOrder,
  reopenByCustomer,
} from './follow.ts';
import {
  AddInformation,
  CallerQuery,
  IntakeCaller,
  PeopleQuery,
  Person,
  WorkUnit,
  Assign,
  CustomerReopen,
  FollowedOrder,
  FollowParams,
  LinkOrders,
  NewAttachment,
  Rate,
  SurveyRated,
  SurveyRating,
  Category,
  Dispatch,
  NewWorkOrder,
  Note,
  OrderParams,
  ReportQuery,
  ReportUnit,
  Pause,
  Transfer,
  Versioned,
  WorkOrderDetail,
  WorkOrderPage,
  WorkOrderPolicy,
  WorkOrderQuery,
  WorkOrderReport,
} from './contract.ts';
import { reportUnits, unitsInReach, workOrderReport, workOrderReportXlsx } from './report.ts';
import {
  answerOrder,
  assignOrder,
  claimOrder,
  dispatchOrder,
  dispatchTargets,
  listWorkOrders,
  noteOrder,
  pauseOrder,
  peopleFor,
  resumeOrder,
  transferOrder,
} from './handling.ts';
import { handlingUnits, lookupCaller } from './intake.ts';
import { workOrdersPolicy } from './policy.ts';
import { createWorkOrder, getWorkOrder, listPolicies } from './service.ts';
import { orderNoticeFor } from './shared.ts';
import { startWorkOrderWorker } from './timers.ts';
import { PRODUCES, SECURITY } from '../../platform/http/openapi.ts';

export const tags = ['work orders 工单'];

/** The commands on one order: path, summary, body and the service that runs it. */
const COMMANDS: {
  path: string;
  operationId: string;
  summary: string;
  body: z.ZodType;
  run: (ctx: Ctx, id: string, body: never) => Promise<WorkOrderDetail>;
}[] = [
  {
    path: 'claim',
    operationId: 'claimWorkOrder',
    summary: '领取工单 · Claim the order from the group queue (a second claimer is told it is taken: 409)',
    body: Versioned,
    run: (ctx, id, b: z.infer<typeof Versioned>) => claimOrder(ctx, id, b.version),
  },
  {
    path: 'assign',
    operationId: 'assignWorkOrder',
    summary:
      '指派工单 · Assign it to a member, or automatically (round robin / least loaded among those on duty)',
    body: Assign,
    run: assignOrder,
  },
  {
    path: 'dispatch',
    operationId: 'dispatchWorkOrder',
    summary: '派发工单 · Send it on to another unit, the hop with its own limit (OLA) inside the order’s',
    body: Dispatch,
    run: dispatchOrder,
  },
  {
    path: 'answer',
    operationId: 'answerWorkOrder',
    summary: '回复上级 · Answer the hop back up, or — where the order started — mark it handled',
    body: Note,
    run: answerOrder,
  },
  {
    path: 'pause',
    operationId: 'pauseWorkOrder',
    summary: '挂起工单 · Wait for the customer or a third party (the clocks stop if the policy says so)',
    body: Pause,
    run: pauseOrder,
  },
  {
    path: 'resume',
    operationId: 'resumeWorkOrder',
    summary: '恢复工单 · End the wait: the clocks run again',
    body: Note,
    run: resumeOrder,
  },
  {
    path: 'notes',
    operationId: 'noteWorkOrder',
    summary: '添加备注 · A note on the timeline',
    body: Note,
    run: noteOrder,
  },
  {
    path: 'transfer',
    operationId: 'transferWorkOrder',
    summary: '转移首问责任 · Transfer ownership (首问责任) to another member of staff — supervisors only',
    body: Transfer,
    run: transferOrder,
  },
  {
    path: 'reply',
    operationId: 'replyWorkOrder',
    summary: '回复客户 · The owner replies to the customer (SMS in the owner’s name)',
    body: Note,
    run: replyOrder,
  },
  {
    path: 'close',
    operationId: 'closeWorkOrder',
    summary: '结案 · Close a replied order (结案)',
    body: Versioned,
    run: closeOrder,
  },
  {
    path: 'reopen',
    operationId: 'reopenWorkOrder',
    summary: '重开工单 · Reopen a replied or closed order within the reopen window',
    body: Note,
    run: reopenOrder,
  },
];

export const workOrderRoutes: FastifyPluginAsyncZod = async (app) => {
  // An installation older than work orders: its provinces get the default category tree at start.
  await seedMissingCategories(app.deps.database.db, app.deps.clock);
  if (app.deps.clock === systemClock && process.env.FUWU_WORKORDER_WORKER !== '0') {
    const stop = startWorkOrderWorker(app.deps.database.db, app.deps.clock, (err) =>
      app.log.error({ err }, 'work-order timers'),
    );
    app.addHook('onClose', async () => stop());
  }
  app.post(
    '/api/work-orders',
    {
      schema: {
        operationId: 'createWorkOrder',
        summary:
          '新建工单 · Take a work order in: the caller owns it to the end (首问负责); its time limits are set',
        tags,
        body: NewWorkOrder,
        response: { 201: WorkOrderDetail },
      },
    },
    async (req, reply) => reply.status(201).send(await createWorkOrder(ctxOf(req), req.body)),
  );
  app.get(
    '/api/work-orders',
    {
      schema: {
        operationId: 'listWorkOrders',
        description:
          '排序：未结案在前，再按处理期限（无期限的在后）、受理时间倒序、编号。 Sorted by state (open before closed), then by the resolution due time (none last), then newest first, then id. 按 limit/offset 分页，total 为全部条数。 Paged by limit/offset; total counts every match.',
        summary: '工单列表 · Orders in the caller’s part of the organisation, the soonest due first',
        tags,
        querystring: WorkOrderQuery,
        response: { 200: WorkOrderPage },
      },
    },
    (req) => listWorkOrders(ctxOf(req), req.query),
  );
  app.get(
    '/api/work-orders/caller',
    {
      schema: {
        operationId: 'lookupCaller',
        summary:
          '来电客户 · Who is calling, by their whole number: the customer (masked) and their earlier orders; rate-limited, evented',
        tags,
        querystring: CallerQuery,
        response: { 200: IntakeCaller },
      },
      config: { problems: [429] },
    },
    (req) => lookupCaller(ctxOf(req), req.query.phone),
  );
  app.get(
    '/api/work-orders/stream',
    {
      schema: {
        operationId: 'streamWorkOrders',
        summary:
          '工单事件流 · Server-sent events of the work orders in the caller’s reach; refetch the views on each',
        tags,
      },
      config: { produces: PRODUCES.eventStream },
    },
    async (req, reply) => {
      const ctx = ctxOf(req);
      authorizeAny(ctx.actor, workOrdersPolicy, 'workorder.read');
      const reach = reachOf(ctx.actor, workOrdersPolicy, 'workorder.read');
      const province = provinceScope(ctx.actor.unitPath);
      await streamEvents(app.realtime, req, reply, inSubtree(reach, province) ? reach : province, (n) =>
        orderNoticeFor(app.deps.database.db, reach, n),
      );
    },
  );
  app.get(
    '/api/work-order-handling-units',
    {
      schema: {
        operationId: 'listHandlingUnits',
        summary:
          '可受理单位 · Where the caller may send a new order: their own unit first, then the units and centres',
        tags,
        response: { 200: z.array(WorkUnit) },
      },
    },
    (req) => handlingUnits(ctxOf(req)),
  );
  app.get(
    '/api/work-order-units',
    {
      schema: {
        operationId: 'listWorkOrderUnits',
        tags,
        summary:
          '可查看工单的单位 · The units whose orders the caller reads (a centre: the province or city it serves), for filters and intake',
        response: { 200: z.array(ReportUnit) },
      },
    },
    (req) => unitsInReach(ctxOf(req), 'workorder.read'),
  );
  app.get(
    '/api/work-orders/report',
    {
      schema: {
        operationId: 'getWorkOrderReport',
        summary:
          '工单报表 · Indicator 1 (hall service-quality complaint rate) and the time limits of a unit, for a period',
        tags,
        querystring: ReportQuery,
        response: { 200: WorkOrderReport },
      },
    },
    (req) => workOrderReport(ctxOf(req), req.query),
  );
  app.get(
    '/api/work-orders/report/export',
    {
      schema: {
        operationId: 'exportWorkOrderReport',
        summary: '导出工单报表 · The same report as an Excel workbook',
        tags,
        querystring: ReportQuery,
      },
      config: { produces: PRODUCES.xlsx },
    },
    async (req, reply) =>
      reply
        .type(XLSX_TYPE)
        .header(
          'content-disposition',
          `attachment; filename="work-orders-${req.query.from}-${req.query.to}.xlsx"`,
        )
        .send(await workOrderReportXlsx(ctxOf(req), req.query)),
  );
  app.get(
    '/api/work-orders/report/units',
    {
      schema: {
        operationId: 'listReportUnits',
        summary:
          '报表单位 · The units the caller may ask the report for (a centre: the province or city it serves)',
        tags,
        response: { 200: z.array(ReportUnit) },
      },
    },
    (req) => reportUnits(ctxOf(req)),
  );
  app.get(
    '/api/work-orders/:orderId',
    {
      schema: {
        operationId: 'getWorkOrder',
        summary: '工单详情 · One work order with its clocks, timeline, hops, attachments and links',
        tags,
        params: OrderParams,
        response: { 200: WorkOrderDetail },
      },
    },
    (req) => getWorkOrder(ctxOf(req), req.params.orderId),
  );
  app.post(
    '/api/work-orders/:orderId/links',
    {
      schema: {
        operationId: 'linkWorkOrder',
        summary: '关联工单 · Link another order: related, a child, or this one merged into it as a duplicate',
        tags,
        params: OrderParams,
        body: LinkOrders,
        response: { 200: WorkOrderDetail },
      },
    },
    (req) => linkOrders(ctxOf(req), req.params.orderId, req.body),
  );
  app.post(
    '/api/work-orders/:orderId/attachments',
    {
      bodyLimit: 15 * 1024 * 1024,
      schema: {
        operationId: 'attachFile',
        summary:
          '上传附件 · Attach a file (image, PDF, recording, text; its type told by its bytes, its size limited)',
        tags,
        params: OrderParams,
        body: NewAttachment,
        response: { 200: WorkOrderDetail },
      },
    },
    (req) => attachFile(ctxOf(req), req.params.orderId, req.body),
  );
  app.get(
    '/api/work-orders/:orderId/attachments/:attachmentId',
    {
      schema: {
        operationId: 'getAttachment',
        summary: '下载附件 · One attached file, as a download',
        tags,
        params: OrderParams.extend({ attachmentId: Id }),
      },
      config: { produces: PRODUCES.file },
    },
    async (req, reply) => {
      const file = await readAttachment(ctxOf(req), req.params.orderId, req.params.attachmentId);
      return reply
        .type(file.mime)
        .header('x-content-type-options', 'nosniff')
        .header('content-disposition', `attachment; filename*=UTF-8''${encodeURIComponent(file.name)}`)
        .send(file.bytes);
    },
  );
  app.get(
    '/api/work-orders/:orderId/dispatch-targets',
    {
      schema: {
        operationId: 'listDispatchTargets',
        summary: '可派发单位 · The units the caller may send the order on to',
        tags,
        params: OrderParams,
        response: { 200: z.array(WorkUnit) },
      },
    },
    (req) => dispatchTargets(ctxOf(req), req.params.orderId),
  );
  app.get(
    '/api/work-orders/:orderId/people',
    {
      schema: {
        operationId: 'listAssignablePeople',
        summary: '可指派人员 · Whom a supervisor may assign the order to, or transfer its ownership to',
        tags,
        params: OrderParams,
        querystring: PeopleQuery,
        response: { 200: z.array(Person) },
      },
    },
    (req) => peopleFor(ctxOf(req), req.params.orderId, req.query.for),
  );
  for (const c of COMMANDS)
    app.post(
      `/api/work-orders/:orderId/${c.path}`,
      {
        schema: {
          operationId: c.operationId,
          summary: c.summary,
          tags,
          params: OrderParams,
          body: c.body,
          response: { 200: WorkOrderDetail },
        },
      },
      (req) => c.run(ctxOf(req), req.params.orderId, req.body as never),
    );
  // The customer's follow page (/m/orders): a phone proven by a one-time code (purpose 'work_order').
  app.get(
    '/api/e/work-orders',
    {
      schema: {
        operationId: 'listMyWorkOrders',
        summary: '我的工单 · The proven phone’s work orders, newest first (the customer’s follow page)',
        tags,
        security: SECURITY.phone,
        response: { 200: z.array(FollowedOrder) },
      },
    },
    (req) => followOrders(phoneCtxOf(req)),
  );
  app.get(
    '/api/e/work-orders/:number',
    {
      schema: {
        operationId: 'getMyWorkOrder',
        summary:
          '我的工单详情 · One of the phone’s orders by its number: the steps that concern the customer, the reply',
        tags,
        security: SECURITY.phone,
        params: FollowParams,
        response: { 200: FollowedOrder },
      },
    },
    (req) => followOrder(phoneCtxOf(req), req.params.number),
  );
  app.post(
    '/api/e/work-orders/:number/information',
    {
      schema: {
        operationId: 'addWorkOrderInformation',
        summary: '补充信息 · The customer adds information; an order waiting for them resumes',
        tags,
        security: SECURITY.phone,
        params: FollowParams,
        body: AddInformation,
        response: { 200: FollowedOrder },
      },
    },
    (req) => addInformation(phoneCtxOf(req), req.params.number, req.body.text),
  );
  app.post(
    '/api/e/work-orders/:number/rating',
    {
      schema: {
        operationId: 'rateWorkOrder',
        summary: '评价工单 · The customer rates a replied order, once (1–5)',
        tags,
        security: SECURITY.phone,
        params: FollowParams,
        body: Rate,
        response: { 200: FollowedOrder },
      },
    },
    (req) => rateOrder(phoneCtxOf(req), req.params.number, req.body.score),
  );
  app.post(
    '/api/e/work-orders/:number/survey',
    {
      // 429: tries of survey codes are limited per client address.
      config: { public: true, problems: [429] },
      schema: {
        operationId: 'rateBySurvey',
        tags,
        summary:
          '短信评价 · The customer rates a replied order with the survey code its reply SMS carried, once (limited tries)',
        security: [],
        params: FollowParams,
        body: SurveyRating,
        response: { 200: SurveyRated },
      },
    },
    (req) => rateBySurvey(publicCtx(req), req.params.number, req.body),
  );
  app.post(
    '/api/e/work-orders/:number/reopen',
    {
      schema: {
        operationId: 'reopenMyWorkOrder',
        summary:
          '客户重开工单 · The customer reopens a replied order within the window (after it: the appeal route)',
        tags,
        security: SECURITY.phone,
        params: FollowParams,
        body: CustomerReopen,
        response: { 200: FollowedOrder },
      },
    },
    (req) => reopenByCustomer(phoneCtxOf(req), req.params.number, req.body.text),
  );
  app.get(
    '/api/work-order-policies',
    {
      schema: {
        operationId: 'listWorkOrderPolicies',
        summary: '时限策略 · The time-limit policies in force at the caller’s unit (from the settings there)',
        tags,
        response: { 200: z.array(WorkOrderPolicy) },
      },
    },
    (req) => listPolicies(ctxOf(req)),
  );
  app.get(
    '/api/work-order-categories',
    {
      schema: {
        operationId: 'listWorkOrderCategories',
        summary: '工单分类 · The category tree of the caller’s province (retired ones too, marked)',
        tags,
        response: { 200: z.array(Category) },
      },
    },
    (req) => listCategories(ctxOf(req)),
  );
};
