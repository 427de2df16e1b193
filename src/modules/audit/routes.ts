import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { paged } from '../../platform/contract.ts';
import { ctxOf } from '../../platform/http/request-context.ts';
import { AuditEvent, AuditQuery } from './contract.ts';
import { listEvents } from './service.ts';

export const auditRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/api/audit',
    {
      schema: {
        operationId: 'listEvents',
        description:
          '排序：时间倒序（新的在前）、编号。 Sorted by time, newest first, then id. 按 limit/offset 分页，total 为全部条数。 Paged by limit/offset; total counts every match.',
        summary: '审计事件 · The event trail of the caller’s subtree, newest first',
        tags: ['audit 审计'],
        querystring: AuditQuery,
        response: { 200: paged(AuditEvent) },
      },
    },
    (req) => listEvents(ctxOf(req), req.query),
  );
};
