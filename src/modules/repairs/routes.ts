/** HTTP of repair intake (2§2.1.7): take a device in, step it on, the spare phone back, lists. */
import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { IdParams } from '../../platform/contract.ts';
import { ctxOf } from '../../platform/http/request-context.ts';
import { NewRepair, Repair, RepairQuery, RepairStep } from './contract.ts';
import { getRepair, listRepairs, receiveRepair, spareReturned, stepRepair } from './service.ts';

const tags = ['repairs 维修'];

export const repairsRoutes: FastifyPluginAsyncZod = async (app) => {
  app.post(
    '/api/repairs',
    {
      schema: {
        tags,
        summary: 'Take a device in for repair: the device check, optionally a spare phone lent',
        body: NewRepair,
        response: { 201: Repair },
      },
    },
    async (req, reply) => reply.status(201).send(await receiveRepair(ctxOf(req), req.body)),
  );
  app.post(
    '/api/repairs/:id/steps',
    {
      schema: {
        tags,
        summary: 'The next step of a repair (received → sent → returned → collected); any other is 409',
        params: IdParams,
        body: RepairStep,
        response: { 200: Repair },
      },
    },
    (req) => stepRepair(ctxOf(req), req.params.id, req.body.to, req.body.note),
  );
  app.post(
    '/api/repairs/:id/spare-returned',
    {
      schema: {
        tags,
        summary: 'The spare phone lent with a repair is back (before or at collection)',
        params: IdParams,
        response: { 200: Repair },
      },
    },
    (req) => spareReturned(ctxOf(req), req.params.id),
  );
  app.get(
    '/api/repairs',
    {
      schema: {
        tags,
        summary: 'Repairs in the caller’s part of the organisation, by hall, customer and status',
        querystring: RepairQuery,
        response: { 200: z.object({ items: z.array(Repair), total: z.number().int() }) },
      },
    },
    (req) => listRepairs(ctxOf(req), req.query),
  );
  app.get(
    '/api/repairs/:id',
    { schema: { tags, summary: 'One repair order', params: IdParams, response: { 200: Repair } } },
    (req) => getRepair(ctxOf(req), req.params.id),
  );
};
