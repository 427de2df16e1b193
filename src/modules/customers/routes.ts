import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { Id, IdParams, paged } from '../../platform/contract.ts';
import { ctxOf } from '../../platform/http/request-context.ts';
import { XLSX_TYPE } from '../../platform/xlsx.ts';
import {
  CreateCustomer,
  Customer,
  CustomerDetail,
  CustomerQuery,
  NewSubscription,
  QueueLookup,
  Revealed,
  Subscription,
  UpdateCustomer,
  UpdateSubscription,
} from './contract.ts';
import {
  addSubscription,
  createCustomer,
  exportCustomers,
  getCustomer,
  listCustomers,
  queueLookup,
  revealCustomer,
  updateCustomer,
  updateSubscription,
} from './service.ts';
import { PRODUCES, SECURITY } from '../../platform/http/openapi.ts';

const tags = ['customers 客户'];

export const customersRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/api/customers',
    {
      schema: {
        operationId: 'searchCustomers',
        description:
          '排序：姓名、编号。 Sorted by name, then id. 按 limit/offset 分页，total 为全部条数。 Paged by limit/offset; total counts every match.',
        summary: '查询客户 · Customers of the caller’s province by name, phone or ID number (masked)',
        tags,
        querystring: CustomerQuery,
        response: { 200: paged(Customer) },
      },
      config: { problems: [429] },
    },
    (req) => listCustomers(ctxOf(req), req.query),
  );
  app.get(
    '/api/customers/export',
    {
      schema: {
        operationId: 'exportCustomers',
        summary: '导出客户 · The search as an Excel file, masked (the export is an event)',
        tags,
        querystring: CustomerQuery.omit({ limit: true, offset: true }),
      },
      config: { produces: PRODUCES.xlsx, problems: [429] },
    },
    async (req, reply) =>
      reply
        .type(XLSX_TYPE)
        .header(
          'content-disposition',
          `attachment; filename="customers-${new Date().toISOString().slice(0, 10)}.xlsx"`,
        )
        .send(await exportCustomers(ctxOf(req), req.query)),
  );
  app.get(
    '/api/customers/lookup',
    {
      schema: {
        operationId: 'lookupCustomer',
        security: SECURITY.staffOrDevice,
        summary: '客户等级查询 · Tier and 3G flag of a phone number (for queue priority)',
        tags,
        querystring: z.object({
          phone: z
            .string()
            .trim()
            .regex(/^[0-9-]{5,20}$/),
        }),
        response: { 200: QueueLookup },
      },
    },
    (req) => queueLookup(ctxOf(req), req.query.phone),
  );
  app.get(
    '/api/customers/:id',
    {
      schema: {
        operationId: 'getCustomer',
        summary: '客户详情 · One customer (masked) with subscriptions',
        tags,
        params: IdParams,
        response: { 200: CustomerDetail },
      },
    },
    (req) => getCustomer(ctxOf(req), req.params.id),
  );
  app.post(
    '/api/customers',
    {
      schema: {
        operationId: 'createCustomer',
        summary: '新建客户 · Create a customer',
        tags,
        body: CreateCustomer,
        response: { 201: CustomerDetail },
      },
    },
    async (req, reply) => reply.status(201).send(await createCustomer(ctxOf(req), req.body)),
  );
  app.patch(
    '/api/customers/:id',
    {
      schema: {
        operationId: 'updateCustomer',
        summary: '修改客户 · Change a customer’s data',
        tags,
        params: IdParams,
        body: UpdateCustomer,
        response: { 200: Customer },
      },
    },
    (req) => updateCustomer(ctxOf(req), req.params.id, req.body),
  );
  app.post(
    '/api/customers/:id/reveal',
    {
      schema: {
        operationId: 'revealCustomer',
        summary: '查看完整客户资料 · Full personal data (logged as an event)',
        tags,
        params: IdParams,
        response: { 200: Revealed },
      },
    },
    (req) => revealCustomer(ctxOf(req), req.params.id),
  );
  app.post(
    '/api/customers/:id/subscriptions',
    {
      schema: {
        operationId: 'addSubscription',
        summary: '新增号码 · Add a subscription (a number) to a customer',
        tags,
        params: IdParams,
        body: NewSubscription,
        response: { 201: Subscription },
      },
    },
    async (req, reply) => reply.status(201).send(await addSubscription(ctxOf(req), req.params.id, req.body)),
  );
  app.patch(
    '/api/customers/:id/subscriptions/:subscriptionId',
    {
      schema: {
        operationId: 'updateSubscription',
        summary: '修改号码 · Change a subscription (status, tier, 3G flag)',
        tags,
        params: IdParams.extend({ subscriptionId: Id }),
        body: UpdateSubscription,
        response: { 200: Subscription },
      },
    },
    (req) => updateSubscription(ctxOf(req), req.params.id, req.params.subscriptionId, req.body),
  );
};
