/** Turns every error a route can meet into a problem+json reply: validation, Problem, Fastify's own, unknown. */
import { createReadStream, existsSync } from 'node:fs';
import { join } from 'node:path';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { fieldLabel } from '../words.ts';
import { BI_SEP as SEP } from '../contract.ts';
import { Problem, fieldProblem, preferredLanguage, problemBody } from './problem.ts';
import type { Bilingual } from './problem.ts';

interface ValidationItem {
  keyword: string;
  instancePath: string;
  message?: string | undefined;
  params: Record<string, unknown>;
}

const num = (v: unknown) => (typeof v === 'number' || typeof v === 'bigint' ? String(v) : '?');
const en1 = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

/**
 * One field's problem in words, in both languages, naming the field by its label (`words.ts`): never the
 * validator's own text, never the field's code. A schema's own bilingual message (`bi`) is kept.
 */
export function fieldMessage(item: ValidationItem): Bilingual {
  const path = item.instancePath.split('/').filter(Boolean);
  const label = fieldLabel(path);
  const L = { zh: label.zh, en: en1(label.en) };
  const p = item.params;
  const message = item.message ?? '';
  if (message.includes(SEP)) {
    const [zh = message, en = message] = message.split(SEP);
    if (path.length === 0) return { zh, en };
    return {
      zh: zh.includes(label.zh) ? zh : `${L.zh}：${zh}`,
      en: en.toLowerCase().includes(label.en.toLowerCase()) ? en : `${L.en}: ${en}`,
    };
  }
  const origin = typeof p.origin === 'string' ? p.origin : '';
  const sized = origin === 'array' || origin === 'set' || origin === 'map';
  switch (item.keyword) {
    case 'invalid_type': {
      if (/received undefined$/.test(message)) return { zh: `请填写${L.zh}`, en: `${L.en} is required` };
      const expected = String(p.expected ?? '');
      if (expected === 'number' || expected === 'int' || expected === 'bigint')
        return { zh: `${L.zh}应为数字`, en: `${L.en} must be a number` };
      if (expected === 'boolean') return { zh: `${L.zh}应为“是”或“否”`, en: `${L.en} must be yes or no` };
      if (expected === 'array') return { zh: `${L.zh}应为列表`, en: `${L.en} must be a list` };
      if (expected === 'string') return { zh: `${L.zh}应为文字`, en: `${L.en} must be text` };
      return { zh: `${L.zh}的格式不正确`, en: `${L.en} is not in the right form` };
    }
    case 'too_big': {
      const max = num(p.maximum);
      const strict = p.inclusive === false;
      if (origin === 'string')
        return { zh: `${L.zh}最多 ${max} 个字符`, en: `${L.en} must be at most ${max} characters` };
      if (sized) return { zh: `${L.zh}最多 ${max} 项`, en: `${L.en} may have at most ${max} items` };
      if (origin === 'date') return { zh: `${L.zh}太晚`, en: `${L.en} is too late` };
      return strict
        ? { zh: `${L.zh}应小于 ${max}`, en: `${L.en} must be less than ${max}` }
        : { zh: `${L.zh}不能大于 ${max}`, en: `${L.en} must be at most ${max}` };
    }
    case 'too_small': {
      const min = num(p.minimum);
      const strict = p.inclusive === false;
      if (origin === 'string')
        return min === '1'
          ? { zh: `请填写${L.zh}`, en: `${L.en} is required` }
          : { zh: `${L.zh}至少 ${min} 个字符`, en: `${L.en} must have at least ${min} characters` };
      if (sized)
        return min === '1'
          ? { zh: `请至少选择一项${L.zh}`, en: `${L.en}: choose at least one` }
          : { zh: `${L.zh}至少 ${min} 项`, en: `${L.en} must have at least ${min} items` };
      if (origin === 'date') return { zh: `${L.zh}太早`, en: `${L.en} is too early` };
      return strict
        ? { zh: `${L.zh}应大于 ${min}`, en: `${L.en} must be more than ${min}` }
        : { zh: `${L.zh}不能小于 ${min}`, en: `${L.en} must be at least ${min}` };
    }
    case 'invalid_format': {
      const format = String(p.format ?? '');
      if (format === 'uuid' || format === 'guid')
        return { zh: `${L.zh}不是有效的编号`, en: `${L.en} is not a valid id` };
      if (format === 'datetime') return { zh: `${L.zh}不是有效的时间`, en: `${L.en} is not a valid time` };
      if (format === 'date') return { zh: `${L.zh}不是有效的日期`, en: `${L.en} is not a valid date` };
      if (format === 'email')
        return { zh: `${L.zh}不是有效的电子邮箱`, en: `${L.en} is not a valid e-mail address` };
      // a pattern whose message is the form expected (`YYYY-MM-DD`, `HH:mm`)
      if (/^[A-Za-z:\-/ ]{2,12}$/.test(message) && /^[YMDHhms:\-/ ]+$/.test(message))
        return { zh: `${L.zh}的格式应为 ${message}`, en: `${L.en} must look like ${message}` };
      return { zh: `${L.zh}的格式不正确`, en: `${L.en} is not in the right form` };
    }
    case 'invalid_value':
      return { zh: `${L.zh}不是可选的值`, en: `${L.en} is not one of the allowed values` };
    case 'not_multiple_of':
      return {
        zh: `${L.zh}应为 ${num(p.divisor)} 的倍数`,
        en: `${L.en} must be a multiple of ${num(p.divisor)}`,
      };
    case 'unrecognized_keys': {
      const keys = Array.isArray(p.keys) ? p.keys.map(String).join(', ') : '';
      return { zh: `不支持的输入项：${keys}`, en: `Input not recognised: ${keys}` };
    }
    default:
      return { zh: `${L.zh}有误`, en: `${L.en} is not valid` };
  }
}

function validationProblem(items: ValidationItem[], where: string): Problem {
  const fields = items.map((item) => {
    const path = `${where}${item.instancePath.replace(/\//g, '.').replace(/^\.$/, '')}`;
    const m = fieldMessage(item);
    return fieldProblem(path, m.zh, m.en);
  });
  const summary = (lang: 'zh' | 'en') => [...new Set(fields.map((f) => f.messages[lang]))];
  return new Problem(
    400,
    'validation',
    {
      zh: `输入有误：${summary('zh').join('；')}`,
      en: `Please check the input: ${summary('en').join('; ')}`,
    },
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
    return new Problem(status, 'bad_request', { zh: '请求有误', en: 'Bad request' });
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
