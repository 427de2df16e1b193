/** HTTP of the business catalogue (2§2.1): the catalogue in force, and a province's versions. */
import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { Id } from '../../platform/contract.ts';
import { ctxOf } from '../../platform/http/request-context.ts';
import {
  CatalogueInForce,
  CatalogueQuery,
  CatalogueVersionSummary,
  NewCatalogueVersion,
} from './contract.ts';
import {
  businessTypes,
  getCatalogueVersion,
  listCatalogueVersions,
  retireCatalogueVersion,
  storeCatalogueVersion,
} from './service.ts';

const tags = ['catalogue 业务目录'];
const VersionParams = z.object({ unitId: Id, versionId: z.string().regex(/^[A-Za-z0-9._-]{1,60}$/) });

export const catalogueRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/api/business-types',
    {
      schema: {
        operationId: 'listBusinessTypes',
        summary:
          '业务目录 · The business catalogue in force for the caller’s province (or a unit they reach), searchable',
        tags,
        querystring: CatalogueQuery,
        response: { 200: CatalogueInForce },
      },
    },
    (req) => businessTypes(ctxOf(req), req.query),
  );
  app.get(
    '/api/business-types/versions',
    {
      schema: {
        operationId: 'listCatalogueVersions',
        summary: '目录版本列表 · The catalogue versions of a province (or headquarters), newest first',
        tags,
        querystring: z.object({ unitId: Id }),
        response: { 200: z.object({ items: z.array(CatalogueVersionSummary) }) },
      },
      // 422: the unit is not a province (nor headquarters).
      config: { problems: [422] },
    },
    (req) => listCatalogueVersions(ctxOf(req), req.query.unitId),
  );
  app.get(
    '/api/business-types/versions/:unitId/:versionId',
    {
      schema: {
        operationId: 'getCatalogueVersion',
        summary: '目录版本详情 · One catalogue version, whole (to read it or start a new version from it)',
        tags,
        params: VersionParams,
        response: { 200: CatalogueInForce },
      },
      // 422: the unit is not a province (nor headquarters).
      config: { problems: [422] },
    },
    (req) => getCatalogueVersion(ctxOf(req), req.params.unitId, req.params.versionId),
  );
  app.post(
    '/api/business-types/versions',
    {
      schema: {
        operationId: 'createCatalogueVersion',
        summary:
          '新建目录版本 · Store a new catalogue version of a province; it is in force there from now on',
        tags,
        body: NewCatalogueVersion,
        response: { 201: CatalogueVersionSummary },
      },
    },
    async (req, reply) => reply.status(201).send(await storeCatalogueVersion(ctxOf(req), req.body)),
  );
  app.post(
    '/api/business-types/versions/:unitId/:versionId/retire',
    {
      schema: {
        operationId: 'retireCatalogueVersion',
        summary: '停用目录版本 · Retire a catalogue version: no more business is added under it',
        tags,
        params: VersionParams,
        response: { 200: CatalogueVersionSummary },
      },
    },
    (req) => retireCatalogueVersion(ctxOf(req), req.params.unitId, req.params.versionId),
  );
};
