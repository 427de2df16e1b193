import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { IdParams, LocalDate, NoContent } from '../../platform/contract.ts';
import { ctxOf } from '../../platform/http/request-context.ts';
import { CreateUnit, DayException, Unit, UnitDetail, UpdateUnit } from './contract.ts';
import {
  createUnit,
  deleteDayException,
  getUnit,
  listUnits,
  setDayException,
  updateUnit,
} from './service.ts';
import { SECURITY } from '../../platform/http/openapi.ts';

const tags = ['org 组织机构'];
const ExceptionParams = IdParams.extend({ date: LocalDate });

export const orgRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/api/units',
    {
      schema: {
        operationId: 'listUnits',
        security: SECURITY.staffOrDevice,
        summary: '单位列表 · Units of the caller’s subtree',
        tags,
        response: { 200: z.array(Unit) },
      },
    },
    (req) => listUnits(ctxOf(req)),
  );
  app.get(
    '/api/units/:id',
    {
      schema: {
        operationId: 'getUnit',
        security: SECURITY.staffOrDevice,
        summary: '单位详情 · One unit with its opening hours',
        tags,
        params: IdParams,
        response: { 200: UnitDetail },
      },
    },
    (req) => getUnit(ctxOf(req), req.params.id),
  );
  app.post(
    '/api/units',
    {
      schema: {
        operationId: 'createUnit',
        summary: '新建单位 · Create a unit under one the caller manages',
        tags,
        body: CreateUnit,
        response: { 201: Unit },
      },
    },
    async (req, reply) => reply.status(201).send(await createUnit(ctxOf(req), req.body)),
  );
  app.patch(
    '/api/units/:id',
    {
      schema: {
        operationId: 'updateUnit',
        summary: '修改单位 · Change a unit (name, opening hours, time zone …)',
        tags,
        params: IdParams,
        body: UpdateUnit,
        response: { 200: Unit },
      },
    },
    (req) => updateUnit(ctxOf(req), req.params.id, req.body),
  );
  app.put(
    '/api/units/:id/exceptions/:date',
    {
      schema: {
        operationId: 'setUnitException',
        summary: '设置单位例外日 · Opening hours of a unit on one date (an exception to its week)',
        tags,
        params: ExceptionParams,
        body: DayException.omit({ date: true }),
        response: { 200: DayException },
      },
    },
    (req) => setDayException(ctxOf(req), req.params.id, { ...req.body, date: req.params.date }),
  );
  app.delete(
    '/api/units/:id/exceptions/:date',
    {
      schema: {
        operationId: 'removeUnitException',
        response: { 204: NoContent },
        summary: '删除单位例外日 · Remove a unit’s exception of one date',
        tags,
        params: ExceptionParams,
      },
    },
    async (req, reply) => {
      await deleteDayException(ctxOf(req), req.params.id, req.params.date);
      return reply.status(204).send(null);
    },
  );
};
