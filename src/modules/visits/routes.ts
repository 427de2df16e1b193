/**
 * HTTP of counter business acceptance (issue #13, SPEC §2.2): the visit and its stages, the counter's
 * customer pad and the clerk's cash day. Routes only validate (zod), call the service and shape the reply;
 * the checks are in the service files (see `service.ts`).
 */
import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { Id } from '../../platform/contract.ts';
import { ctxOf } from '../../platform/http/request-context.ts';
import {
  AddPayment,
  AddTransaction,
  CashDay,
  CashDayQuery,
  CloseCashDay,
  CorrectLine,
  CustomerSearch,
  CustomerSearchResult,
  OpenVisit,
  PadPassword,
  PadRequestInput,
  PadVisit,
  SetVisitCustomer,
  SignVisit,
  Visit,
  VisitDocument,
  VisitList,
  VisitListQuery,
  VoidVisit,
} from './contract.ts';
import * as visits from './service.ts';
import { PRODUCES, SECURITY } from '../../platform/http/openapi.ts';

const tags = ['visits 业务受理'];
const VisitParams = z.object({ visitId: Id });
const LineParams = z.object({ visitId: Id, lineId: Id });

export const visitRoutes: FastifyPluginAsyncZod = async (app) => {
  app.post(
    '/api/visits',
    {
      schema: {
        operationId: 'openVisit',
        summary: '开始受理 · Open a visit at a counter: from its called or serving ticket, or for a walk-in',
        tags,
        body: OpenVisit,
        response: { 201: Visit },
      },
    },
    async (req, reply) => reply.status(201).send(await visits.openVisit(ctxOf(req), req.body)),
  );
  app.get(
    '/api/visits',
    {
      schema: {
        operationId: 'listVisits',
        description:
          '排序：开始时间倒序、编号。 Sorted by the time opened, newest first, then id. 按 limit/offset 分页，total 为全部条数。 Paged by limit/offset; total counts every match.',
        summary: '受理列表 · Visits of a hall (e.g. those left open at closing, for the duty manager)',
        tags,
        querystring: VisitListQuery,
        response: { 200: VisitList },
      },
    },
    (req) => visits.listVisits(ctxOf(req), req.query),
  );
  app.get(
    '/api/visits/customer-search',
    {
      schema: {
        operationId: 'searchVisitCustomer',
        summary:
          '查找客户 · The customer at the counter by a whole phone or ID number (masked; an event; rate-limited)',
        tags,
        querystring: CustomerSearch,
        response: { 200: CustomerSearchResult },
      },
      // 422: an ID number that is not a valid one of its kind.
      config: { problems: [422, 429] },
    },
    (req) => visits.searchVisitCustomer(ctxOf(req), req.query),
  );
  app.get(
    '/api/visits/cash-day',
    {
      schema: {
        operationId: 'getCashDay',
        summary:
          '今日收款 · The caller’s own cash day at a hall: receipts and pay-outs by method, cash due in the drawer',
        tags,
        querystring: CashDayQuery,
        response: { 200: CashDay },
      },
    },
    (req) => visits.cashDay(ctxOf(req), req.query.hallId, req.query.date),
  );
  app.post(
    '/api/visits/cash-day/close',
    {
      schema: {
        operationId: 'closeCashDay',
        summary: '收款日结 · Close the caller’s cash day (once a day) with the cash counted in the drawer',
        tags,
        body: CloseCashDay,
        response: { 200: CashDay },
      },
    },
    (req) => visits.closeCashDay(ctxOf(req), req.body),
  );
  app.get(
    '/api/visits/:visitId',
    {
      schema: {
        operationId: 'getVisit',
        summary: '受理详情 · One visit',
        tags,
        params: VisitParams,
        response: { 200: Visit },
      },
    },
    (req) => visits.getVisit(ctxOf(req), req.params.visitId),
  );
  app.put(
    '/api/visits/:visitId/customer',
    {
      schema: {
        operationId: 'setVisitCustomer',
        summary: '设置受理客户 · The visit’s customer: an existing one, or a new one for a new account',
        tags,
        params: VisitParams,
        body: SetVisitCustomer,
        response: { 200: Visit },
      },
    },
    (req) => visits.setVisitCustomer(ctxOf(req), req.params.visitId, req.body),
  );
  app.post(
    '/api/visits/:visitId/transactions',
    {
      // An ID copy of up to 2 MB travels as a data URL.
      bodyLimit: 3_000_000,
      schema: {
        operationId: 'addTransaction',
        summary:
          '办理业务 · One piece of business (refused 4xx with the identity rule’s reasons; nothing written)',
        tags,
        params: VisitParams,
        body: AddTransaction,
        response: { 201: Visit },
      },
    },
    async (req, reply) =>
      reply.status(201).send(await visits.addTransaction(ctxOf(req), req.params.visitId, req.body)),
  );
  app.delete(
    '/api/visits/:visitId/transactions/:lineId',
    {
      schema: {
        operationId: 'removeTransaction',
        summary: '删除业务 · Remove a line before signing (only one that changed nothing the customer holds)',
        tags,
        params: LineParams,
        response: { 200: Visit },
      },
    },
    (req) => visits.removeTransaction(ctxOf(req), req.params.visitId, req.params.lineId),
  );
  app.post(
    '/api/visits/:visitId/payments',
    {
      schema: {
        operationId: 'addPayment',
        summary: '收款 · A payment (or pay-out) of the visit, in fen; refused when it does not add up',
        tags,
        params: VisitParams,
        body: AddPayment,
        response: { 201: Visit },
      },
    },
    async (req, reply) =>
      reply.status(201).send(await visits.addPayment(ctxOf(req), req.params.visitId, req.body)),
  );
  app.post(
    '/api/visits/:visitId/pad-request',
    {
      schema: {
        operationId: 'requestPad',
        summary: '请求密码或签名 · Ask the counter’s pad for a service password or the customer’s signature',
        tags,
        params: VisitParams,
        body: PadRequestInput,
        response: { 200: Visit },
      },
    },
    (req) => visits.requestPad(ctxOf(req), req.params.visitId, req.body),
  );
  app.post(
    '/api/visits/:visitId/sign',
    {
      bodyLimit: 1_500_000,
      schema: {
        operationId: 'signVisit',
        summary:
          '签名 · The customer signs the one document (PNG data URL); the PDF is stored with its SHA-256',
        tags,
        params: VisitParams,
        body: SignVisit,
        response: { 200: Visit },
      },
    },
    (req) => visits.signVisit(ctxOf(req), req.params.visitId, req.body.signature),
  );
  app.post(
    '/api/visits/:visitId/close',
    {
      schema: {
        operationId: 'closeVisit',
        summary: '结束受理 · Close the visit (signed, settled) and finish its ticket as served',
        tags,
        params: VisitParams,
        response: { 200: Visit },
      },
    },
    (req) => visits.closeVisit(ctxOf(req), req.params.visitId),
  );
  app.get(
    '/api/visits/:visitId/document.pdf',
    {
      schema: {
        operationId: 'getVisitDocumentPdf',
        summary:
          '受理单 PDF · The signed document as stored (PDF); `copy=true` renders the latest reprint marked as a copy',
        tags,
        params: VisitParams,
        querystring: z.object({ copy: z.enum(['true', 'false']).default('false') }),
      },
      config: { produces: PRODUCES.pdf },
    },
    async (req, reply) => {
      const pdf = await visits.documentPdf(ctxOf(req), req.params.visitId, req.query.copy === 'true');
      return reply
        .type('application/pdf')
        .header('content-disposition', `inline; filename="visit-${req.params.visitId}.pdf"`)
        .send(pdf);
    },
  );
  app.get(
    '/api/visits/:visitId/document',
    {
      schema: {
        operationId: 'getVisitDocument',
        summary: '受理单 · The signed document for the print page: its content, signature, hash and copies',
        tags,
        params: VisitParams,
        response: { 200: VisitDocument },
      },
    },
    (req) => visits.visitDocument(ctxOf(req), req.params.visitId),
  );
  app.post(
    '/api/visits/:visitId/reprint',
    {
      schema: {
        operationId: 'reprintDocument',
        summary: '补打受理单 · Reprint the signed document: one more copy (the print says 副本/COPY)',
        tags,
        params: VisitParams,
        response: { 200: Visit },
      },
    },
    (req) => visits.reprintDocument(ctxOf(req), req.params.visitId),
  );
  app.post(
    '/api/visits/:visitId/void',
    {
      schema: {
        operationId: 'voidDocument',
        summary: '作废受理单 · Void a signed document (hall or duty manager), with a reason',
        tags,
        params: VisitParams,
        body: VoidVisit,
        response: { 200: Visit },
      },
    },
    (req) => visits.voidVisit(ctxOf(req), req.params.visitId, req.body.reason),
  );
  app.post(
    '/api/visits/:visitId/lines/:lineId/corrections',
    {
      schema: {
        operationId: 'correctLine',
        summary: '更正业务 · Correct a signed line’s field: an error found after signing, with who found it',
        tags,
        params: LineParams,
        body: CorrectLine,
        response: { 200: Visit },
      },
    },
    (req) => visits.correctLine(ctxOf(req), req.params.visitId, req.params.lineId, req.body),
  );
  app.get(
    '/api/counter-pad/visit',
    {
      schema: {
        operationId: 'getPadVisit',
        security: SECURITY.device,
        summary: '签字板内容 · What the counter’s pad shows during a visit (the pad’s own counter only)',
        tags,
        response: { 200: PadVisit },
      },
    },
    (req) => visits.padVisit(ctxOf(req)),
  );
  app.post(
    '/api/counter-pad/password',
    {
      schema: {
        operationId: 'enterServicePassword',
        security: SECURITY.device,
        summary: '输入服务密码 · The customer types the service password the clerk asked for on the pad',
        tags,
        body: PadPassword,
        response: { 200: z.object({ verified: z.literal(true) }) },
      },
    },
    (req) => visits.padPassword(ctxOf(req), req.body.password),
  );
  app.post(
    '/api/counter-pad/sign',
    {
      bodyLimit: 1_500_000,
      schema: {
        operationId: 'signOnPad',
        security: SECURITY.device,
        summary: '签字板签名 · The customer signs on the pad, once the clerk asked for it',
        tags,
        body: SignVisit,
        response: { 200: z.object({ signed: z.literal(true) }) },
      },
    },
    (req) => visits.padSign(ctxOf(req), req.body.signature),
  );
};
