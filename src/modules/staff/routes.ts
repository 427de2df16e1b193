import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { IdParams, paged } from '../../platform/contract.ts';
import { ctxOf } from '../../platform/http/request-context.ts';
import { CreateStaff, Staff, StaffQuery, UpdateStaff, WithInitialPassword } from './contract.ts';
import { createStaff, getStaff, listStaff, resetStaffPassword, updateStaff } from './service.ts';

const tags = ['staff 员工'];

export const staffRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/api/staff',
    {
      schema: {
        operationId: 'listStaff',
        description:
          '排序：单位（组织路径）、用户名。 Sorted by unit (its place in the organisation), then user name. 按 limit/offset 分页，total 为全部条数。 Paged by limit/offset; total counts every match.',
        summary: '员工列表 · Staff of the caller’s subtree',
        tags,
        querystring: StaffQuery,
        response: { 200: paged(Staff) },
      },
    },
    (req) => listStaff(ctxOf(req), req.query),
  );
  app.get(
    '/api/staff/:id',
    {
      schema: {
        operationId: 'getStaff',
        summary: '员工详情 · One member of staff',
        tags,
        params: IdParams,
        response: { 200: Staff },
      },
    },
    (req) => getStaff(ctxOf(req), req.params.id),
  );
  app.post(
    '/api/staff',
    {
      schema: {
        operationId: 'createStaff',
        summary: '新建员工 · Create a member of staff with positions',
        tags,
        body: CreateStaff,
        response: { 201: WithInitialPassword },
      },
    },
    async (req, reply) => reply.status(201).send(await createStaff(ctxOf(req), req.body)),
  );
  app.patch(
    '/api/staff/:id',
    {
      schema: {
        operationId: 'updateStaff',
        summary: '修改员工 · Change a member of staff (name, positions, unit, active)',
        tags,
        params: IdParams,
        body: UpdateStaff,
        response: { 200: Staff },
      },
    },
    (req) => updateStaff(ctxOf(req), req.params.id, req.body),
  );
  app.post(
    '/api/staff/:id/reset-password',
    {
      schema: {
        operationId: 'resetStaffPassword',
        summary: '重置密码 · Reset a member of staff’s password to a one-time one',
        tags,
        params: IdParams,
        response: { 200: WithInitialPassword },
      },
    },
    (req) => resetStaffPassword(ctxOf(req), req.params.id),
  );
};
