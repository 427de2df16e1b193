/** HTTP of the customer-data indicators (2§3.7, 2–4), their drill-down, agent sales (返档) and retention. */
import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { Id } from '../../platform/contract.ts';
import { ctxOf } from '../../platform/http/request-context.ts';
import {
  AgentSaleList,
  AgentSaleQuery,
  AgentSaleReturned,
  DataQuality,
  DataQualityQuery,
  DataQualityRecords,
  DataQualityRecordsQuery,
  RetentionCounts,
} from './contract.ts';
import {
  dataQualityOf,
  dataQualityRecords,
  listAgentSales,
  recordAgentReturn,
  retentionCounts,
} from './service.ts';

const tags = ['data quality 数据质量'];

export const dataQualityRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/api/data-quality',
    {
      schema: {
        operationId: 'getDataQuality',
        summary:
          '数据质量 · The three customer-data rates of a unit and each hall under it, for a period of local dates',
        tags,
        querystring: DataQualityQuery,
        response: { 200: DataQuality },
      },
    },
    (req) => dataQualityOf(ctxOf(req), req.query),
  );
  app.get(
    '/api/data-quality/records',
    {
      schema: {
        operationId: 'listDataQualityRecords',
        summary:
          '数据质量明细 · The records behind a unit’s figure of one indicator, with why each falls short',
        tags,
        querystring: DataQualityRecordsQuery,
        response: { 200: DataQualityRecords },
      },
    },
    (req) => dataQualityRecords(ctxOf(req), req.query),
  );
  app.get(
    '/api/data-quality/retention',
    {
      schema: {
        operationId: 'getRetention',
        summary:
          '挽留统计 · Cancellations that went through the retention step, and those retained, per hall',
        tags,
        querystring: DataQualityQuery,
        response: { 200: RetentionCounts },
      },
    },
    (req) => retentionCounts(ctxOf(req), req.query),
  );
  app.get(
    '/api/agent-sales',
    {
      schema: {
        operationId: 'listAgentSales',
        description:
          '排序：返档期限（最早的在前）、业务行编号。 Sorted by the documents’ deadline, soonest first, then line id. 按 limit/offset 分页，total 为全部条数。 Paged by limit/offset; total counts every match.',
        summary:
          '代理商销售 · Business sold by cooperative halls and agents, with its deadline for the documents (返档)',
        tags,
        querystring: AgentSaleQuery,
        response: { 200: AgentSaleList },
      },
    },
    (req) => listAgentSales(ctxOf(req), req.query),
  );
  app.post(
    '/api/agent-sales/:lineId/returned',
    {
      schema: {
        operationId: 'markDocumentsReturned',
        summary: '返档 · The customer documents of an agent sale came back (返档); once',
        tags,
        params: z.object({ lineId: Id }),
        response: { 200: AgentSaleReturned },
      },
    },
    (req) => recordAgentReturn(ctxOf(req), req.params.lineId),
  );
};
