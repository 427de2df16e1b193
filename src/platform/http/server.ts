/** The one HTTP server: the API under /api, its OpenAPI description, the realtime stream and the console. */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import cookie from '@fastify/cookie';
import fastifyStatic from '@fastify/static';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import Fastify, { LogController } from 'fastify';
import type { FastifyInstance, FastifyPluginAsync, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { migrationVersion } from '../db/index.ts';
import { newId } from '../ids.ts';
import { loadHashKey } from '../keyed-hash.ts';
import { RealtimeHub, streamEvents } from '../realtime.ts';
import type { Authenticator } from './authenticate.ts';
import { credentialOf } from './authenticate.ts';
import { allowedOriginsSetting, installCsrfCheck } from './csrf.ts';
import { installErrorHandling } from './errors.ts';
import { PRODUCES, swaggerOptions } from './openapi.ts';
import {
  MAX_PARAM_LENGTH,
  clientErrorHandler,
  frameworkErrors,
  installInputHygiene,
  refuseConnect,
} from './edge.ts';
import { safeError } from '../log-safety.ts';
import { humanLogStream, installRequestLog } from '../request-log.ts';
import type { LogFormat, LogLevel } from '../request-log.ts';
import { forbidden, unauthorized } from './problem.ts';
import type { AppDeps } from './request-context.ts';
import { ctxOf } from './request-context.ts';

export const defaultWebDist = fileURLToPath(new URL('../../../web/dist', import.meta.url));

declare module 'fastify' {
  interface FastifyInstance {
    realtime: RealtimeHub;
  }
  interface FastifyContextConfig {
    /** The route answers without a login (login itself, health, the API description). */
    public?: boolean;
  }
}

export interface ServerOptions extends AppDeps {
  authenticate: Authenticator;
  modules: readonly FastifyPluginAsyncZod[];
  logger?: boolean;
  /** The lowest level logged: `info` adds one line per request; `LOG_LEVEL`, else `info`, when absent. */
  logLevel?: LogLevel;
  /** `human`: lines of text (`fuwu start`); `json` (the default): one JSON object a line. */
  logFormat?: LogFormat;
  /** The most event streams one credential may hold open for a unit (`realtime.maxStreamsPerCredential`). */
  maxStreams?: (unitPath: string, now: Date) => Promise<number>;
  /** Where the log goes (stdout when absent); tests capture it. */
  logStream?: NodeJS.WritableStream;
  webDist?: string;
}

/**
 * The logger's options: query strings may carry phone numbers, so only a request's path is logged; an
 * error is logged as its masked shape (`safeError`), never with the values of its statement.
 */
function loggerOptions(options: ServerOptions) {
  if (!options.logger) return false;
  return {
    level: options.logLevel ?? process.env.LOG_LEVEL ?? 'info',
    ...(options.logFormat === 'human'
      ? { stream: humanLogStream(options.logStream ?? process.stdout) }
      : options.logStream
        ? { stream: options.logStream }
        : {}),
    serializers: {
      req: (req: { method: string; url: string }) => ({ method: req.method, url: req.url.split('?')[0] }),
      err: safeError,
      error: safeError,
    },
  };
}

/**
 * Which peers may tell the client's address and protocol (X-Forwarded-For, -Proto, -Host): the addresses or
 * CIDRs in FUWU_TRUST_PROXY (comma list), default none. Otherwise anyone could write the address that the
 * audit trail records (`req.ip`) and the rate limits count.
 */
export function trustProxySetting(value = process.env.FUWU_TRUST_PROXY): string[] | false {
  const list = (value ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  return list.length > 0 ? list : false;
}

/** Builds the server; `listen` is the caller's. Closing the server stops its realtime listener. */
export async function buildServer(options: ServerOptions): Promise<FastifyInstance> {
  const app = Fastify({
    logger: loggerOptions(options),
    genReqId: () => newId(),
    // One line per request, written by `installRequestLog`, instead of Fastify's two.
    logController: new LogController({ disableRequestLogging: true }),
    trustProxy: trustProxySetting(),
    bodyLimit: 1_048_576,
    // Errors raised before a route runs, and on the socket, are problem+json too (see ./edge.ts).
    routerOptions: { maxParamLength: MAX_PARAM_LENGTH },
    frameworkErrors,
    clientErrorHandler,
  });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  await loadHashKey(options.database.db);
  app.decorate('deps', { database: options.database, clock: options.clock });
  app.decorateRequest('principal', null);
  const hub = new RealtimeHub(options.database, {
    authenticate: options.authenticate,
    maxStreams: options.maxStreams ?? (async () => 10),
    now: () => options.clock.now(),
  });
  await hub.start();
  app.decorate('realtime', hub);
  app.addHook('onClose', () => hub.stop());

  await app.register(cookie);
  installCsrfCheck(app, allowedOriginsSetting());
  await app.register(swagger, swaggerOptions);
  await app.register(swaggerUi, { routePrefix: '/api/docs' });
  installErrorHandling(app, options.webDist ?? defaultWebDist);
  installInputHygiene(app);
  installRequestLog(app);
  refuseConnect(app.server);

  app.addHook('onRequest', async (req) => {
    if (!req.url.startsWith('/api/')) return;
    const token = credentialOf(req);
    if (token) req.principal = await options.authenticate(token, options.clock.now());
  });
  // Who is asking comes before what is asked: without a login, a private route answers 401 before validating.
  const requireLogin = async (req: FastifyRequest) => {
    if (!req.principal) throw unauthorized('unauthenticated', '请先登录', 'Please log in first');
  };
  app.addHook('onRoute', (route) => {
    if (!route.url.startsWith('/api/') || route.url.startsWith('/api/docs') || route.config?.public) return;
    const existing = route.preValidation ? [route.preValidation].flat() : [];
    route.preValidation = [requireLogin, ...existing];
  });

  const core: FastifyPluginAsyncZod = async (api) => {
    api.get(
      '/api/health',
      {
        config: { public: true },
        schema: {
          operationId: 'getHealth',
          summary: '健康检查 · Health: the database and its migrations',
          tags: ['platform'],
          response: {
            200: z.object({
              status: z.literal('ok'),
              database: z.enum(['embedded', 'postgres']),
              migrations: z.object({ applied: z.number(), latest: z.string().nullable() }),
              time: z.string(),
            }),
          },
        },
      },
      async () => ({
        status: 'ok' as const,
        database: options.database.kind,
        migrations: await migrationVersion(options.database.db),
        time: options.clock.now().toISOString(),
      }),
    );
    api.get('/api/openapi.json', { config: { public: true }, schema: { hide: true } }, () => app.swagger());
    api.get(
      '/api/stream',
      {
        schema: {
          operationId: 'streamEvents',
          summary: '事件流 · Server-sent events of the caller’s subtree (staff only)',
          tags: ['platform'],
        },
        config: { produces: PRODUCES.eventStream },
      },
      (req, reply) => {
        const ctx = ctxOf(req);
        // A device follows only its hall's feed (/api/halls/:hallId/stream), never its subtree's every event.
        if (ctx.actor.kind === 'device') {
          throw forbidden(
            'device_stream',
            '设备不能订阅全部事件',
            'A device may not follow the event stream',
          );
        }
        return streamEvents(hub, req, reply, ctx.actor.unitPath);
      },
    );
  };
  await app.register(core);
  for (const m of options.modules) await app.register(m);

  const dist = options.webDist ?? defaultWebDist;
  if (existsSync(dist)) {
    // wildcard: files are looked up when asked for, so a rebuilt console is served without a restart.
    await app.register(fastifyStatic as FastifyPluginAsync<{ root: string; wildcard: boolean }>, {
      root: dist,
      wildcard: true,
    });
  }
  return app;
}
