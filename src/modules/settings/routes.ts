import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Resolved } from '../../core/settings.ts';
import { settingDef } from '../../core/settings.ts';
import { authorize } from '../../platform/auth/policy.ts';
import type { Ctx } from '../../platform/context.ts';
import { ctxOf } from '../../platform/http/request-context.ts';
import { notFound } from '../../platform/http/problem.ts';
import { getUnitRef } from '../org/service.ts';
import { KeyParams, SetSettingBody, SettingHistoryEntry, SettingInForce, UnitQuery } from './contract.ts';
import { settingsPolicy } from './policy.ts';
import { setSetting, settingHistory, settingsInForce } from './service.ts';

const tags = ['settings 参数设置'];

function describe(r: Resolved): SettingInForce {
  const d = settingDef(r.key)!;
  return {
    key: r.key,
    value: r.value,
    default: d.default,
    unit: d.unit,
    zh: d.zh,
    en: d.en,
    clause: d.clause,
    ...(d.min !== undefined ? { min: d.min } : {}),
    ...(d.max !== undefined ? { max: d.max } : {}),
    sourceUnitId: r.sourceUnitId,
    since: r.since?.toISOString() ?? null,
  };
}

async function readableUnit(ctx: Ctx, unitId: string | undefined) {
  const unit = await getUnitRef(ctx.db, unitId ?? ctx.actor.unitId);
  authorize(ctx.actor, settingsPolicy, 'settings.read', unit.path);
  return unit;
}

export const settingsRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/api/settings',
    {
      schema: {
        operationId: 'listSettings',
        summary: '参数列表 · Every setting in force for a unit',
        tags,
        querystring: UnitQuery,
        response: { 200: z.array(SettingInForce) },
      },
    },
    async (req) => {
      const ctx = ctxOf(req);
      const unit = await readableUnit(ctx, req.query.unitId);
      const at = req.query.at ? new Date(req.query.at) : ctx.clock.now();
      return (await settingsInForce(ctx.db, unit.path, at)).map(describe);
    },
  );
  app.put(
    '/api/settings/:key',
    {
      schema: {
        operationId: 'setSetting',
        summary: '设置参数 · Set (or clear) a setting at a unit’s scope',
        tags,
        params: KeyParams,
        body: SetSettingBody,
        response: { 200: SettingInForce },
      },
    },
    async (req) => describe(await setSetting(ctxOf(req), { key: req.params.key, ...req.body })),
  );
  app.get(
    '/api/settings/:key/history',
    {
      schema: {
        operationId: 'getSettingHistory',
        summary: '参数变更历史 · The changes of a setting, newest first',
        tags,
        params: KeyParams,
        querystring: UnitQuery,
        response: { 200: z.array(SettingHistoryEntry) },
      },
    },
    async (req) => {
      const ctx = ctxOf(req);
      if (!settingDef(req.params.key)) throw notFound({ zh: '设置项', en: 'Setting' });
      const unit = await readableUnit(ctx, req.query.unitId);
      return settingHistory(ctx.db, unit.path, req.params.key);
    },
  );
};
