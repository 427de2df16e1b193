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

const tags = ['customers 客户'];

export const customersRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/api/customers',
    { schema: { tags, querystring: CustomerQuery, response: { 200: paged(Customer) } } },
    (req) => listCustomers(ctxOf(req), req.query),
  );
  app.get(
    '/api/customers/export',
    {
      schema: {
        tags,
        summary: 'The search as an Excel file, masked (the export is an event)',
        querystring: CustomerQuery.omit({ limit: true, offset: true }),
      },
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
        tags,
        summary: 'Tier and 3G flag of a phone number (for queue priority)',
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
    { schema: { tags, params: IdParams, response: { 200: CustomerDetail } } },
    (req) => getCustomer(ctxOf(req), req.params.id),
  );
  app.post(
    '/api/customers',
    { schema: { tags, body: CreateCustomer, response: { 201: CustomerDetail } } },
    async (req, reply) => reply.status(201).send(await createCustomer(ctxOf(req), req.body)),
  );
  app.patch(
    '/api/customers/:id',
    { schema: { tags, params: IdParams, body: UpdateCustomer, response: { 200: Customer } } },
    (req) => updateCustomer(ctxOf(req), req.params.id, req.body),
  );
  app.post(
    '/api/customers/:id/reveal',
    {
      schema: {
        tags,
        summary: 'Full personal data (logged as an event)',
        params: IdParams,
        response: { 200: Revealed },
      },
    },
    (req) => revealCustomer(ctxOf(req), req.params.id),
  );
  app.post(
    '/api/customers/:id/subscriptions',
    { schema: { tags, params: IdParams, body: NewSubscription, response: { 201: Subscription } } },
    async (req, reply) => reply.status(201).send(await addSubscription(ctxOf(req), req.params.id, req.body)),
  );
  app.patch(
    '/api/customers/:id/subscriptions/:subscriptionId',
    {
      schema: {
        tags,
        params: IdParams.extend({ subscriptionId: Id }),
        body: UpdateSubscription,
        response: { 200: Subscription },
      },
    },
    (req) => updateSubscription(ctxOf(req), req.params.id, req.params.subscriptionId, req.body),
  );
};
