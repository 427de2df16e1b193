/**
 * Errors that reach a caller: RFC 9457 problem details with the message in Chinese and English.
 * Services throw these; the HTTP layer turns them into `application/problem+json`.
 */
export interface Bilingual {
  zh: string;
  en: string;
}

/** What is wrong with one field of the input (`body.phone`, `querystring.from` …). */
export interface FieldProblem {
  path: string;
  messages: Bilingual;
}

export const fieldProblem = (path: string, zh: string, en: string): FieldProblem => ({
  path,
  messages: { zh, en },
});

/** An error meant for the caller, with an HTTP status and a message in both languages. */
export class Problem extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly messages: Bilingual,
    readonly fields: FieldProblem[] = [],
    /** Response headers that belong to the problem, e.g. `retry-after` of a 429. */
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(messages.en);
    this.name = 'Problem';
  }
}

export const badRequest = (code: string, zh: string, en: string, fields: FieldProblem[] = []) =>
  new Problem(400, code, { zh, en }, fields);
export const unauthorized = (code: string, zh: string, en: string) => new Problem(401, code, { zh, en });
export const forbidden = (code: string, zh: string, en: string) => new Problem(403, code, { zh, en });
export const notFound = (what: Bilingual) =>
  new Problem(404, 'not_found', { zh: `未找到${what.zh}`, en: `${what.en} not found` });
export const conflict = (code: string, zh: string, en: string) => new Problem(409, code, { zh, en });
export const unprocessable = (code: string, zh: string, en: string, fields: FieldProblem[] = []) =>
  new Problem(422, code, { zh, en }, fields);
export const tooMany = (code: string, zh: string, en: string) => new Problem(429, code, { zh, en });

const titles: Record<number, Bilingual> = {
  400: { zh: '请求有误', en: 'Bad request' },
  401: { zh: '未登录', en: 'Unauthorized' },
  403: { zh: '无权操作', en: 'Forbidden' },
  404: { zh: '未找到', en: 'Not found' },
  405: { zh: '方法不允许', en: 'Method not allowed' },
  409: { zh: '状态冲突', en: 'Conflict' },
  413: { zh: '请求过大', en: 'Payload too large' },
  415: { zh: '不支持的内容类型', en: 'Unsupported media type' },
  422: { zh: '无法处理', en: 'Unprocessable content' },
  423: { zh: '已锁定', en: 'Locked' },
  429: { zh: '请求过多', en: 'Too many requests' },
  500: { zh: '服务器内部错误', en: 'Internal server error' },
  503: { zh: '服务不可用', en: 'Service unavailable' },
};

/** The JSON body of a problem response, in the language the caller prefers (zh-CN by default). */
export function problemBody(problem: Problem, lang: 'zh' | 'en', instance: string, requestId: string) {
  const title = titles[problem.status] ?? titles[problem.status >= 500 ? 500 : 400]!;
  return {
    type: `https://fuwu.invalid/problems/${problem.code}`,
    title: title[lang],
    status: problem.status,
    detail: problem.messages[lang],
    code: problem.code,
    messages: { 'zh-CN': problem.messages.zh, 'en-US': problem.messages.en },
    ...(problem.fields.length > 0
      ? {
          errors: problem.fields.map((f) => ({
            path: f.path,
            messages: { 'zh-CN': f.messages.zh, 'en-US': f.messages.en },
          })),
        }
      : {}),
    instance,
    requestId,
  };
}

/** Picks the caller's language from an Accept-Language header: English only when asked for first. */
export function preferredLanguage(acceptLanguage: string | undefined): 'zh' | 'en' {
  const first = (acceptLanguage ?? '').split(',')[0]?.trim().toLowerCase() ?? '';
  return first.startsWith('en') ? 'en' : 'zh';
}
