/** Fuwu assembled: the platform server with every module's routes, on an open database. */
import type { FastifyInstance } from 'fastify';
import type { Clock } from './platform/clock.ts';
import type { Database } from './platform/db/index.ts';
import { buildServer } from './platform/http/server.ts';
import { auditRoutes } from './modules/audit/routes.ts';
import { authRoutes } from './modules/auth/routes.ts';
import { authenticate } from './modules/auth/service.ts';
import { calendarRoutes } from './modules/calendar/routes.ts';
import { catalogueRoutes } from './modules/catalogue/routes.ts';
import { customersRoutes } from './modules/customers/routes.ts';
import { dataQualityRoutes } from './modules/data-quality/routes.ts';
import { echannelRoutes } from './modules/echannel/routes.ts';
import { notifyRoutes } from './modules/notify/routes.ts';
import { orgRoutes } from './modules/org/routes.ts';
import { clerkRoutes } from './modules/queue/clerk-routes.ts';
import { queueRoutes } from './modules/queue/routes.ts';
import { repairsRoutes } from './modules/repairs/routes.ts';
import { settingsRoutes } from './modules/settings/routes.ts';
import { numberSetting } from './modules/settings/service.ts';
import { staffRoutes } from './modules/staff/routes.ts';
import { visitRoutes } from './modules/visits/routes.ts';
import { workOrderRoutes } from './modules/workorders/routes.ts';
import type { LogFormat, LogLevel } from './platform/request-log.ts';

export const MODULE_ROUTES = [
  authRoutes,
  orgRoutes,
  staffRoutes,
  calendarRoutes,
  settingsRoutes,
  customersRoutes,
  catalogueRoutes,
  auditRoutes,
  queueRoutes,
  clerkRoutes,
  visitRoutes,
  notifyRoutes,
  echannelRoutes,
  repairsRoutes,
  dataQualityRoutes,
  workOrderRoutes,
] as const;

export function createApp(options: {
  database: Database;
  clock: Clock;
  logger?: boolean;
  logLevel?: LogLevel;
  logFormat?: LogFormat;
  logStream?: NodeJS.WritableStream;
  webDist?: string;
}): Promise<FastifyInstance> {
  return buildServer({
    ...options,
    authenticate: (token, now) => authenticate(options.database.db, token, now),
    maxStreams: (unitPath, now) =>
      numberSetting(options.database.db, unitPath, 'realtime.maxStreamsPerCredential', now),
    modules: MODULE_ROUTES,
  });
}
