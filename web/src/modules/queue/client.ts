/**
 * How the queue pages talk to the server. Console pages use the session cookie; the kiosk, the calling
 * display and the e-channel page are registered devices that carry a bearer token (opened once with
 * `?token=…`, then remembered in localStorage for that page). Errors are the console's ApiError.
 * Server-sent events are read with fetch, because EventSource cannot send an Authorization header.
 */
import { ApiError, queryString } from '../../platform/api.ts';
import type { ProblemBody, Query } from '../../platform/api.ts';
import { activeLang } from '../../platform/i18n.tsx';

/** Headers of one request beside those of the client (e.g. a remote ticket's holder key). */
export type Extra = Record<string, string>;

export interface QueueClient {
  /** The device token in use; null: the session cookie. */
  token: string | null;
  get: <T>(path: string, query?: Query, extra?: Extra) => Promise<T>;
  post: <T>(path: string, body?: unknown, extra?: Extra) => Promise<T>;
  put: <T>(path: string, body?: unknown) => Promise<T>;
}

/** The header in which the holder of a remote ticket shows the key its take answered. */
export const holderHeader = (key: string | null): Extra => (key ? { 'X-Ticket-Key': key } : {});

function problemOf(status: number, json: unknown, fallback: string): ProblemBody {
  const v = json as Partial<ProblemBody> | undefined;
  if (v && typeof v.status === 'number' && typeof v.messages === 'object' && v.messages !== null) {
    return v as ProblemBody;
  }
  const network = status === 0;
  return {
    status,
    title: fallback,
    detail: fallback,
    code: network ? 'network' : 'unexpected',
    messages: network
      ? {
          'zh-CN': '无法连接服务器，请检查网络后重试',
          'en-US': 'Cannot reach the server; check the network and retry',
        }
      : { 'zh-CN': '服务器返回了无法识别的内容', 'en-US': 'The server sent something unexpected' },
  };
}

function headersFor(token: string | null, json: boolean, extra: Extra = {}): Record<string, string> {
  const headers: Record<string, string> = {
    Accept: 'application/json, application/problem+json',
    'Accept-Language': activeLang(),
    ...extra,
  };
  if (json) headers['Content-Type'] = 'application/json';
  if (token) headers.Authorization = `Bearer ${token}`;
  return headers;
}

async function request<T>(
  token: string | null,
  method: string,
  path: string,
  body?: unknown,
  query?: Query,
  extra?: Extra,
) {
  let response: Response;
  try {
    response = await fetch(`${path}${queryString(query)}`, {
      method,
      headers: headersFor(token, body !== undefined, extra),
      credentials: 'same-origin',
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
  } catch (e) {
    throw new ApiError(problemOf(0, undefined, e instanceof Error ? e.message : String(e)));
  }
  if (response.status === 204) return undefined as T;
  const text = await response.text();
  let json: unknown;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  if (!response.ok) throw new ApiError(problemOf(response.status, json, `${response.status}`));
  return json as T;
}

export function queueClient(token: string | null): QueueClient {
  return {
    token,
    get: <T>(path: string, query?: Query, extra?: Extra) =>
      request<T>(token, 'GET', path, undefined, query, extra),
    post: <T>(path: string, body?: unknown, extra?: Extra) =>
      request<T>(token, 'POST', path, body ?? {}, undefined, extra),
    put: <T>(path: string, body?: unknown) => request<T>(token, 'PUT', path, body ?? {}),
  };
}

/** The session's client (console pages). */
export const sessionClient = queueClient(null);

export type DeviceKind = 'kiosk' | 'display' | 'remote' | 'pad';
const tokenKey = (kind: DeviceKind) => `fuwu.device.${kind}`;

/**
 * The device token of a page: `?token=…` in the address is remembered for that page and taken out of
 * the address bar; `?token=` (empty) forgets it. Without one the page uses the session.
 */
export function deviceToken(kind: DeviceKind): string | null {
  const url = new URL(window.location.href);
  const given = url.searchParams.get('token');
  try {
    if (given !== null) {
      if (given.trim()) window.localStorage.setItem(tokenKey(kind), given.trim());
      else window.localStorage.removeItem(tokenKey(kind));
      url.searchParams.delete('token');
      window.history.replaceState(window.history.state, '', url.pathname + url.search + url.hash);
    }
    return window.localStorage.getItem(tokenKey(kind));
  } catch {
    return given?.trim() || null;
  }
}

export function forgetDeviceToken(kind: DeviceKind): void {
  try {
    window.localStorage.removeItem(tokenKey(kind));
  } catch {
    // nothing stored
  }
}

export interface StreamEvent {
  event: string;
  data: string;
}

/**
 * Follows a server-sent-event stream with fetch (so a bearer token can be sent), reconnecting after a
 * short pause when it drops. Answers the function that stops it.
 */
export function followStream(
  path: string,
  token: string | null,
  onEvent: (e: StreamEvent) => void,
  onConnected?: (connected: boolean) => void,
  extra: Extra = {},
): () => void {
  const controller = new AbortController();
  let stopped = false;
  const run = async () => {
    while (!stopped) {
      try {
        const headers: Record<string, string> = { Accept: 'text/event-stream', ...extra };
        if (token) headers.Authorization = `Bearer ${token}`;
        const res = await fetch(path, { headers, credentials: 'same-origin', signal: controller.signal });
        if (!res.ok || !res.body) throw new Error(`stream ${res.status}`);
        onConnected?.(true);
        const reader = res.body.getReader();
        const decoder = new TextDecoder();
        let buffer = '';
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          buffer += decoder.decode(value, { stream: true }).replace(/\r\n/g, '\n');
          let at = buffer.indexOf('\n\n');
          while (at >= 0) {
            const block = buffer.slice(0, at);
            buffer = buffer.slice(at + 2);
            let event = 'message';
            const data: string[] = [];
            for (const line of block.split('\n')) {
              if (line.startsWith('event:')) event = line.slice(6).trim();
              else if (line.startsWith('data:')) data.push(line.slice(5).trimStart());
            }
            if (data.length > 0) onEvent({ event, data: data.join('\n') });
            at = buffer.indexOf('\n\n');
          }
        }
      } catch {
        // dropped or refused: try again shortly
      }
      if (stopped) break;
      onConnected?.(false);
      await new Promise((r) => setTimeout(r, 2000));
    }
  };
  void run();
  return () => {
    stopped = true;
    controller.abort();
  };
}
