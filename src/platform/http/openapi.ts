/**
 * The API description (OpenAPI 3.1 at /api/openapi.json) in one place: who may call each operation (its
 * security), and every problem+json answer it can give, added uniformly from what the route is (secured,
 * with path parameters, with a body, a command) plus the statuses a route declares for itself
 * (`config.problems`). Routes declare their own `operationId`, a summary in Chinese and English and their
 * module's tag; test/api/openapi-*.test.ts lint the live document, check the operationIds and generate a
 * typed client from it.
 */
import type { FastifyDynamicSwaggerOptions, SwaggerTransform } from '@fastify/swagger';
import { jsonSchemaTransform } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { problemSchema } from '../contract.ts';
import { MAX_PARAM_LENGTH } from './edge.ts';
import { Problem, fieldProblem, problemBody } from './problem.ts';

/** The problem statuses an operation may document. */
export type ProblemStatus = 400 | 401 | 403 | 404 | 409 | 413 | 414 | 415 | 422 | 429 | 500;

declare module 'fastify' {
  interface FastifyContextConfig {
    /**
     * Problem statuses the route answers beyond the uniform ones (see `uniformProblems`), e.g. 429 of a
     * rate-limited route, 422 of a query whose period can be refused.
     */
    problems?: readonly ProblemStatus[];
    /** What a route without a JSON answer sends with its 200 (a stream, a file): see `PRODUCES`. */
    produces?: Produces;
  }
}

export interface Produces {
  type: string;
  description: string;
}

/** The answers that are not JSON, for `config.produces`. */
export const PRODUCES = {
  eventStream: {
    type: 'text/event-stream',
    description: '服务器推送事件流（每条为一个事件通知） · Server-sent events, one notice per event',
  },
  xlsx: {
    type: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    description: 'Excel 工作簿（附件下载） · An Excel workbook, as a download',
  },
  pdf: { type: 'application/pdf', description: 'PDF 文件 · A PDF document' },
  wav: { type: 'audio/wav', description: 'WAV 音频 · A WAV recording' },
  file: {
    type: 'application/octet-stream',
    description: '文件（其类型见 Content-Type） · The file, its type in Content-Type',
  },
} as const satisfies Record<string, Produces>;

type Requirement = Record<string, string[]>[];

/**
 * Who may call an operation, as a route's `schema.security`. Without one a route is for staff (the
 * document's default); a `config.public` route is open (`[]`).
 */
export const SECURITY = {
  /** Staff: the console's session cookie, or a staff member's bearer token (integrations). */
  staff: [{ session: [] }, { bearer: [] }],
  /** Staff, or a registered device of a hall (kiosk, calling display, counter pad) with its token. */
  staffOrDevice: [{ session: [] }, { bearer: [] }, { device: [] }],
  /** Only a registered device (the counter's rating and signing pad). */
  device: [{ device: [] }],
  /** A phone proven by a one-time code (POST /api/e/sessions): the e-channel's short-lived capability. */
  phone: [{ phone: [] }],
} as const satisfies Record<string, Requirement>;

const securitySchemes = {
  session: {
    type: 'apiKey',
    in: 'cookie',
    name: 'fuwu_session',
    description:
      '控制台会话（POST /api/auth/login 设置） · The console session cookie set by POST /api/auth/login',
  },
  bearer: {
    type: 'http',
    scheme: 'bearer',
    description:
      '员工令牌（POST /api/tokens，kind=staff）或登录返回的令牌 · A staff token (POST /api/tokens) or the token login returns',
  },
  device: {
    type: 'http',
    scheme: 'bearer',
    description:
      '营业厅设备令牌（取号机、叫号屏、评价器；POST /api/tokens，kind=device） · A registered hall device’s token (kiosk, display, pad)',
  },
  phone: {
    type: 'http',
    scheme: 'bearer',
    description:
      '经验证码证明的手机号的短期令牌（POST /api/e/sessions） · A proven phone’s short-lived capability (POST /api/e/sessions)',
  },
} as const;

const EXAMPLE_ID = '01936b2e-8f00-7000-8000-000000000000';
const example = (problem: Problem, instance = '/api/halls/{hallId}/tickets') =>
  problemBody(problem, 'zh', instance, EXAMPLE_ID);

/** What each status means here, with one example body (zh-CN; `Accept-Language: en` answers in English). */
const PROBLEMS: Record<ProblemStatus, { description: string; example: Problem }> = {
  400: {
    description:
      '请求有误（校验未通过、JSON 无效或含不允许的字符） · Bad request: validation, malformed JSON or bad characters',
    example: new Problem(
      400,
      'validation',
      { zh: '输入有误：请填写业务类别', en: 'Please check the input: Category is required' },
      [fieldProblem('body.categoryId', '请填写业务类别', 'Category is required')],
    ),
  },
  401: {
    description: '未登录或凭证无效 · Not logged in, or the credential is not valid',
    example: new Problem(401, 'unauthenticated', { zh: '请先登录', en: 'Please log in first' }),
  },
  403: {
    description: '岗位或组织范围不允许 · The caller’s position or part of the organisation does not allow it',
    example: new Problem(403, 'forbidden', {
      zh: '无权在此单位进行此操作',
      en: 'Not allowed at this unit',
    }),
  },
  404: {
    description: '未找到，或不在调用者的范围内 · Not found, or not in the caller’s reach',
    example: new Problem(404, 'not_found', { zh: '未找到营业厅', en: 'Hall not found' }),
  },
  409: {
    description:
      '当前状态不允许（已被他人处理、版本已变化等） · The state does not allow it (taken by someone else, a newer version …)',
    example: new Problem(409, 'version_conflict', {
      zh: '已被他人修改，请刷新后重试',
      en: 'Changed by someone else; reload and try again',
    }),
  },
  413: {
    description: '请求体过大 · The request body is too large',
    example: new Problem(413, 'too_large', { zh: '请求体过大', en: 'The request body is too large' }),
  },
  414: {
    description: `地址参数过长（最多 ${MAX_PARAM_LENGTH} 个字符） · A path parameter is too long`,
    example: new Problem(414, 'uri_too_long', {
      zh: `地址中的参数过长（最多 ${MAX_PARAM_LENGTH} 个字符）`,
      en: `A parameter of the address is too long (at most ${MAX_PARAM_LENGTH} characters)`,
    }),
  },
  415: {
    description: '不支持的内容类型 · Unsupported content type',
    example: new Problem(415, 'media_type', { zh: '不支持的内容类型', en: 'Unsupported content type' }),
  },
  422: {
    description: '内容合法但业务规则不允许 · Well-formed, but a business rule refuses it',
    example: new Problem(422, 'unprocessable', {
      zh: '该营业厅今日已停止取号',
      en: 'The hall takes no more tickets today',
    }),
  },
  429: {
    description: '请求过于频繁（见 Retry-After） · Too many requests; see Retry-After',
    example: new Problem(429, 'rate_limited', {
      zh: '尝试过于频繁，请 15 分钟后再试',
      en: 'Too many attempts; try again in 15 minutes',
    }),
  },
  500: {
    description: '服务器内部错误（已记录） · Internal error (logged)',
    example: new Problem(500, 'internal', {
      zh: '服务器内部错误，已记录，请稍后重试',
      en: 'Internal error; it has been logged, please try again later',
    }),
  },
};

const SUCCESS: Record<string, string> = {
  '200': '成功 · OK',
  '201': '已创建 · Created',
  '202': '已受理 · Accepted',
  '204': '成功，无内容 · Done, no content',
};

const PROBLEM_REF = { $ref: '#/components/schemas/Problem' };
const STASH = 'x-fuwu-problems';
const PRODUCES_STASH = 'x-fuwu-produces';

interface RouteFacts {
  method: string;
  secured: boolean;
  hasParams: boolean;
  /** The query or the body names something by its id (a `uuid` property). */
  namesById: boolean;
  /** The path, query or body names a hall (`hallId`), which must be a business hall (409 otherwise). */
  namesHall: boolean;
  declared: readonly ProblemStatus[];
}

/**
 * The problem statuses of an operation. Every route checks the headers it reads and its input (400) and may
 * fail (500); a secured one asks for a credential (401) and checks the position and scope (403); a path
 * parameter names something that may not exist or not be in reach (404), and so does an id in the query
 * or the body (404), and a path parameter has a length limit (414); a unit named as a hall (`hallId`) may
 * not be one (409); a
 * command (any method but GET) has a body that may be too large or of another type (413, 415), and meets
 * the state it changes (409) and the business rules (422). The rest the route declares in `config.problems`.
 */
export function uniformProblems(route: RouteFacts): ProblemStatus[] {
  const statuses = new Set<ProblemStatus>([400, 500, ...route.declared]);
  if (route.secured) [401, 403].forEach((s) => statuses.add(s as ProblemStatus));
  if (route.hasParams) [404, 414].forEach((s) => statuses.add(s as ProblemStatus));
  if (route.namesById) statuses.add(404);
  if (route.namesHall) statuses.add(409);
  // Fastify reads a body on any method but GET and HEAD, whether the route wants one or not.
  if (route.method !== 'GET' && route.method !== 'HEAD')
    [409, 413, 415, 422].forEach((s) => statuses.add(s as ProblemStatus));
  return [...statuses].sort((a, b) => a - b);
}

/** Whether a JSON Schema has a property of the `uuid` format anywhere inside. */
function hasUuid(schema: unknown): boolean {
  if (Array.isArray(schema)) return schema.some(hasUuid);
  if (schema === null || typeof schema !== 'object') return false;
  const o = schema as Record<string, unknown>;
  return o.format === 'uuid' || Object.values(o).some(hasUuid);
}

/** Whether a JSON Schema has a property of that name anywhere inside. */
function hasProperty(schema: unknown, name: string): boolean {
  if (Array.isArray(schema)) return schema.some((s) => hasProperty(s, name));
  if (schema === null || typeof schema !== 'object') return false;
  const o = schema as Record<string, unknown>;
  const properties = o.properties as Record<string, unknown> | undefined;
  if (properties && name in properties) return true;
  return Object.values(o).some((s) => hasProperty(s, name));
}

/** The per-route transform: zod → JSON Schema, then the route's security and its problem statuses. */
const transform: SwaggerTransform = (input) => {
  const { schema, url } = jsonSchemaTransform(input as Parameters<typeof jsonSchemaTransform>[0]);
  const s = schema as Record<string, unknown> & { hide?: boolean; security?: Requirement };
  if (!s || s.hide) return { schema, url };
  const config = input.route.config ?? {};
  const security = s.security ?? (config.public ? [] : undefined);
  const method = [input.route.method].flat()[0] ?? 'GET';
  const problems = uniformProblems({
    method: String(method).toUpperCase(),
    secured: security === undefined || security.length > 0,
    hasParams: Boolean(s.params) || url.includes(':'),
    namesById: hasUuid(s.querystring) || hasUuid(s.body),
    namesHall: [s.params, s.querystring, s.body].some((part) => hasProperty(part, 'hallId')),
    declared: config.problems ?? [],
  });
  return {
    schema: {
      ...s,
      ...(security ? { security } : {}),
      [STASH]: problems,
      ...(config.produces ? { [PRODUCES_STASH]: config.produces } : {}),
    },
    url,
  };
};

type Operation = Record<string, unknown> & { responses?: Record<string, unknown> };
type Document = Record<string, unknown> & {
  paths?: Record<string, Record<string, Operation>>;
  components?: Record<string, Record<string, unknown>>;
};

function problemResponse(status: ProblemStatus): Record<string, unknown> {
  const { description, example: problem } = PROBLEMS[status];
  return {
    description,
    ...(status === 429
      ? {
          headers: {
            'Retry-After': {
              description: '多少秒后可重试 · Seconds until a new try is counted',
              schema: { type: 'integer', minimum: 1 },
            },
          },
        }
      : {}),
    content: {
      'application/problem+json': {
        schema: PROBLEM_REF,
        examples: { [problem.code]: { summary: problem.messages.en, value: example(problem) } },
      },
    },
  };
}

/** The whole document: servers, the Problem schema, the security schemes, each operation's problems. */
const transformObject = (
  input: Parameters<NonNullable<FastifyDynamicSwaggerOptions['transformObject']>>[0],
) => {
  const doc = ('openapiObject' in input ? input.openapiObject : input.swaggerObject) as Document;
  for (const ops of Object.values(doc.paths ?? {})) {
    for (const op of Object.values(ops)) {
      const statuses = op[STASH] as ProblemStatus[] | undefined;
      const produces = op[PRODUCES_STASH] as Produces | undefined;
      delete op[STASH];
      delete op[PRODUCES_STASH];
      if (!statuses) continue;
      const responses = (op.responses ??= {});
      // @fastify/swagger's placeholder for a response schema without a description.
      for (const [status, response] of Object.entries(responses) as [string, { description?: string }][])
        if (response.description === 'Default Response')
          response.description = SUCCESS[status] ?? SUCCESS['200']!;
      if (produces) {
        const binary = !produces.type.startsWith('text/');
        responses['200'] = {
          description: produces.description,
          content: {
            [produces.type]: {
              schema: binary ? { type: 'string', contentMediaType: produces.type } : { type: 'string' },
            },
          },
        };
      }
      for (const status of statuses) responses[String(status)] ??= problemResponse(status);
    }
  }
  const problem = z.toJSONSchema(problemSchema, { target: 'draft-2020-12', io: 'output' }) as Record<
    string,
    unknown
  >;
  delete problem.$schema;
  doc.components = {
    ...doc.components,
    schemas: {
      ...doc.components?.schemas,
      Problem: { ...problem, description: 'RFC 9457 problem details, messages in zh-CN and en-US' },
    },
  };
  return doc;
};

/** The options of @fastify/swagger for this API. */
export const swaggerOptions: FastifyDynamicSwaggerOptions = {
  openapi: {
    openapi: '3.1.0',
    info: {
      title: 'Fuwu 服务管理平台 API',
      version: '0.1.0',
      description:
        '服务管理平台的 HTTP API。每个错误都是 RFC 9457 problem+json，中英文消息齐全（`Accept-Language: en` 时以英文为主）。\n\n' +
        'The HTTP API of the service-management platform. Every error is RFC 9457 problem+json with its ' +
        'message in zh-CN and en-US (English first with `Accept-Language: en`).',
    },
    servers: [{ url: '/', description: '本服务器 · This server' }],
    // Here, not in `transformObject`: @fastify/swagger reads the schemes while it builds each operation.
    components: { securitySchemes },
    security: [...SECURITY.staff],
  },
  transform,
  transformObject,
};
