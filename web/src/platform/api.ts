/**
 * The console's HTTP client: JSON over fetch with the session cookie; every error reply becomes an
 * ApiError carrying the problem+json body (RFC 9457) with its message in both languages.
 */
import { activeLang } from './i18n.tsx';
import type { Lang } from './i18n.tsx';

export interface FieldError {
  path: string;
  messages: Record<Lang, string>;
}

export interface ProblemBody {
  type?: string;
  status: number;
  title: string;
  detail: string;
  code: string;
  messages: Record<Lang, string>;
  errors?: FieldError[];
  requestId?: string;
}

export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly problem: ProblemBody;

  constructor(problem: ProblemBody) {
    super(problem.messages['en-US'] || problem.detail || problem.title);
    this.name = 'ApiError';
    this.status = problem.status;
    this.code = problem.code;
    this.problem = problem;
  }

  /** The message for the user, in their language. */
  messageIn(lang: Lang): string {
    return this.problem.messages[lang] || this.problem.detail || this.problem.title;
  }
}

const FALLBACK: Record<string, Record<Lang, string>> = {
  network: {
    'zh-CN': '无法连接服务器，请检查网络后重试',
    'en-US': 'Cannot reach the server; check the network and retry',
  },
  unexpected: { 'zh-CN': '服务器返回了无法识别的内容', 'en-US': 'The server sent something unexpected' },
};

function isProblem(value: unknown): value is ProblemBody {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Partial<ProblemBody>;
  return typeof v.status === 'number' && typeof v.messages === 'object' && v.messages !== null;
}

function syntheticProblem(status: number, code: 'network' | 'unexpected', detail: string): ProblemBody {
  const messages = FALLBACK[code]!;
  return {
    status,
    title: detail,
    detail,
    code,
    messages: { 'zh-CN': messages['zh-CN'], 'en-US': messages['en-US'] },
  };
}

type UnauthorizedListener = () => void;
let onUnauthorized: UnauthorizedListener | null = null;

/** Called when a request answers 401 (the session has ended): the auth context goes back to the login page. */
export function setUnauthorizedListener(listener: UnauthorizedListener | null): void {
  onUnauthorized = listener;
}

export type Query = Record<string, string | number | boolean | null | undefined>;

/** `?a=1&b=x` from the defined, non-empty values. */
export function queryString(query: Query | undefined): string {
  if (!query) return '';
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined || value === null || value === '') continue;
    params.set(key, String(value));
  }
  const s = params.toString();
  return s ? `?${s}` : '';
}

async function request<T>(method: string, path: string, body?: unknown, query?: Query): Promise<T> {
  const headers: Record<string, string> = {
    Accept: 'application/json, application/problem+json',
    'Accept-Language': activeLang(),
  };
  const init: RequestInit = { method, headers, credentials: 'same-origin' };
  if (body !== undefined) {
    headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  let response: Response;
  try {
    response = await fetch(`${path}${queryString(query)}`, init);
  } catch (e) {
    throw new ApiError(syntheticProblem(0, 'network', e instanceof Error ? e.message : String(e)));
  }
  if (response.status === 204) return undefined as T;
  const text = await response.text();
  let json: unknown = undefined;
  if (text) {
    try {
      json = JSON.parse(text);
    } catch {
      json = undefined;
    }
  }
  if (!response.ok) {
    const problem = isProblem(json)
      ? json
      : syntheticProblem(response.status, 'unexpected', `${response.status} ${response.statusText}`);
    if (response.status === 401 && !path.startsWith('/api/auth/login')) onUnauthorized?.();
    throw new ApiError(problem);
  }
  if (text && json === undefined) {
    throw new ApiError(syntheticProblem(response.status, 'unexpected', 'not JSON'));
  }
  return json as T;
}

export const api = {
  get: <T>(path: string, query?: Query) => request<T>('GET', path, undefined, query),
  post: <T>(path: string, body?: unknown) => request<T>('POST', path, body ?? {}),
  put: <T>(path: string, body?: unknown) => request<T>('PUT', path, body ?? {}),
  patch: <T>(path: string, body: unknown) => request<T>('PATCH', path, body),
  del: <T = void>(path: string) => request<T>('DELETE', path),
};

/** A paged list reply. */
export interface PageOf<T> {
  items: T[];
  total: number;
}

/** The message of any error for the user, in their language. */
export function errorText(error: unknown, lang: Lang): string {
  if (error instanceof ApiError) return error.messageIn(lang);
  if (error instanceof Error) return error.message;
  return String(error);
}

/** `body.openingHours.weekly.0.0.open` → `['openingHours','weekly',0,0,'open']` (the form's name path). */
export function fieldPath(path: string): (string | number)[] {
  return path
    .replace(/^(body|querystring|params|headers)\.?/, '')
    .split('.')
    .filter(Boolean)
    .map((p) => (/^\d+$/.test(p) ? Number(p) : p));
}
