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
        operationId: 'takeRepair',
        summary: '维修收机 · Take a device in for repair: the device check, optionally a spare phone lent',
        tags,
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
        operationId: 'advanceRepair',
        summary:
          '维修进度 · The next step of a repair (received → sent → returned → collected); any other is 409',
        tags,
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
        operationId: 'returnSpare',
        summary: '备用机归还 · The spare phone lent with a repair is back (before or at collection)',
        tags,
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
        operationId: 'listRepairs',
        description:
          '排序：收机时间倒序、编号。 Sorted by the time received, newest first, then id. 按 limit/offset 分页，total 为全部条数。 Paged by limit/offset; total counts every match.',
        summary:
          '维修单列表 · Repairs in the caller’s part of the organisation, by hall, customer and status',
        tags,
        querystring: RepairQuery,
        response: { 200: z.object({ items: z.array(Repair), total: z.number().int() }) },
      },
    },
    (req) => listRepairs(ctxOf(req), req.query),
  );
  app.get(
    '/api/repairs/:id',
    {
      schema: {
        operationId: 'getRepair',
        summary: '维修单详情 · One repair order',
        tags,
        params: IdParams,
        response: { 200: Repair },
      },
    },
    (req) => getRepair(ctxOf(req), req.params.id),
  );
};
