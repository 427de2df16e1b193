/** Turns every error a route can meet into a problem+json reply: validation, Problem, Fastify's own, unknown. */
import { createReadStream, existsSync } from 'node:fs';
import { join } from 'node:path';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { BI_SEP as SEP } from '../contract.ts';
import { Problem, fieldProblem, preferredLanguage, problemBody } from './problem.ts';

const zhErrors = z.locales.zhCN().localeError;
const enErrors = z.locales.en().localeError;

type ErrorMap = typeof zhErrors;
type Issue = Parameters<ErrorMap>[0];

function localise(map: ErrorMap, issue: Issue, fallback: string): string {
  const result = map(issue);
  if (typeof result === 'string') return result;
  return result?.message ?? fallback;
}

interface ValidationItem {
  keyword: string;
  instancePath: string;
  message?: string | undefined;
  params: Record<string, unknown>;
}

function validationProblem(items: ValidationItem[], where: string): Problem {
  const fields = items.map((item) => {
    const path = `${where}${item.instancePath.replace(/\//g, '.').replace(/^\.$/, '')}`;
    const message = item.message ?? '';
    if (message.includes(SEP)) {
      const [zh = message, en = message] = message.split(SEP);
      return fieldProblem(path, zh, en);
    }
    const issue = {
      code: item.keyword,
      path: item.instancePath.split('/').filter(Boolean),
      ...item.params,
    } as Issue;
    return fieldProblem(path, localise(zhErrors, issue, message), localise(enErrors, issue, message));
  });
  const summary = (lang: 'zh' | 'en') => fields.map((f) => `${f.path}: ${f.messages[lang]}`).join('; ');
  return new Problem(
    400,
    'validation',
    { zh: `输入有误：${summary('zh')}`, en: `Invalid input: ${summary('en')}` },
    fields,
  );
}

/** Maps an error to the Problem the caller sees; unknown errors become a bare 500 without details. */
export function toProblem(error: unknown): Problem {
  if (error instanceof Problem) return error;
  if (hasZodFastifySchemaValidationErrors(error)) {
    const where = (error as { validationContext?: string }).validationContext ?? 'body';
    return validationProblem(error.validation as ValidationItem[], where);
  }
  const fe = error as Partial<FastifyError>;
  const status = typeof fe.statusCode === 'number' ? fe.statusCode : 500;
  if (status >= 400 && status < 500) {
    if (
      fe.code === 'FST_ERR_CTP_INVALID_JSON_BODY' ||
      fe.code === 'FST_ERR_CTP_EMPTY_JSON_BODY' ||
      error instanceof SyntaxError
    ) {
      return new Problem(400, 'malformed_json', {
        zh: '请求体不是有效的 JSON',
        en: 'The request body is not valid JSON',
      });
    }
    if (fe.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') {
      return new Problem(415, 'media_type', { zh: '不支持的内容类型', en: 'Unsupported content type' });
    }
    if (fe.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
      return new Problem(413, 'too_large', { zh: '请求体过大', en: 'The request body is too large' });
    }
    return new Problem(status, 'bad_request', { zh: '请求有误', en: fe.message ?? 'Bad request' });
  }
  return new Problem(500, 'internal', {
    zh: '服务器内部错误，已记录，请稍后重试',
    en: 'Internal error; it has been logged, please try again later',
  });
}

/** Sends a problem in the caller's language. */
export function sendProblem(request: FastifyRequest, reply: FastifyReply, problem: Problem): FastifyReply {
  const lang = preferredLanguage(request.headers['accept-language']);
  return (
    reply
      .headers(problem.headers)
      .status(problem.status)
      .type('application/problem+json; charset=utf-8')
      // The instance is the path only: a query string may carry a phone number.
      .send(problemBody(problem, lang, request.url.split('?')[0] ?? '', String(request.id)))
  );
}

/** Installs the error and not-found handlers on the server. */
export function installErrorHandling(app: FastifyInstance, webDist: string): void {
  const index = join(webDist, 'index.html');
  app.setErrorHandler((error, request, reply) => {
    const problem = toProblem(error);
    if (problem.status >= 500) request.log.error({ err: error }, 'unhandled error');
    return sendProblem(request, reply, problem);
  });
  app.setNotFoundHandler((request, reply) => {
    // The console routes on the client: unknown page addresses get its index page.
    if (
      (request.method === 'GET' || request.method === 'HEAD') &&
      !request.url.startsWith('/api/') &&
      existsSync(index)
    ) {
      return reply.type('text/html; charset=utf-8').send(createReadStream(index));
    }
    return sendProblem(
      request,
      reply,
      new Problem(404, 'no_route', {
        zh: `没有这个地址：${request.method} ${request.url.split('?')[0]}`,
        en: `No such route: ${request.method} ${request.url.split('?')[0]}`,
      }),
    );
  });
}
