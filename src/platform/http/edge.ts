/**
 * The edge, in one place for every route: what comes in is text the database can hold, and every error the
 * framework or Node's HTTP server raises itself is answered as problem+json.
 *
 * - Bad bytes: a NUL (U+0000) or a lone surrogate in any string of the body (keys too, however deeply
 *   nested), of the query, of the path parameters or of a header the app reads is refused with 400 before
 *   validation (PostgreSQL refuses NUL in text and lone surrogates cannot be encoded as UTF-8); every other
 *   string is normalised to NFC, so `é` typed two ways is one value. Nesting deeper than `MAX_DEPTH` is
 *   refused too.
 * - Errors raised before a route runs (bad percent-encoding, a too long path parameter) go through
 *   `frameworkErrors`; errors Node's parser raises on the socket (headers too large, broken chunked framing)
 *   through `clientErrorHandler`, which writes the problem+json response on the socket itself.
 */
import { STATUS_CODES } from 'node:http';
import type { IncomingMessage, Server } from 'node:http';
import type { Socket } from 'node:net';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { sendProblem, toProblem } from './errors.ts';
import { Problem, problemBody } from './problem.ts';

/** Deepest nesting of a JSON body or query accepted. */
export const MAX_DEPTH = 32;
/** Longest path parameter, in characters (ids are 36). */
export const MAX_PARAM_LENGTH = 200;
/** Headers the app reads as text. */
const READ_HEADERS = ['authorization', 'x-ticket-key', 'accept-language', 'origin', 'referer', 'user-agent'];

// A NUL, or a high surrogate not followed by a low one, or a low one not preceded by a high one.
// eslint-disable-next-line no-control-regex
const BAD = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

const badBytes = (where: string) =>
  new Problem(400, 'bad_characters', {
    zh: `${where} 含有不允许的字符（空字符或不成对的代理项）`,
    en: `${where} contains a character that is not allowed (NUL or a lone surrogate)`,
  });
const tooDeep = (where: string) =>
  new Problem(400, 'too_deep', {
    zh: `${where} 嵌套过深（最多 ${MAX_DEPTH} 层）`,
    en: `${where} is nested too deeply (at most ${MAX_DEPTH} levels)`,
  });

/** A string as the app takes it (NFC), or the Problem of a string it refuses. */
function cleanString(s: string, where: string): string {
  if (BAD.test(s)) throw badBytes(where);
  return s.normalize('NFC');
}

/**
 * The value with every string (and key) checked and normalised to NFC; throws a 400 Problem for a bad one.
 * Iterative, so a deeply nested body cannot exhaust the stack.
 */
export function cleanInput(value: unknown, where: string): unknown {
  if (typeof value === 'string') return cleanString(value, where);
  if (value === null || typeof value !== 'object') return value;
  const root: { v: unknown } = { v: value };
  const stack: { holder: Record<string, unknown> | unknown[]; key: string | number; depth: number }[] = [
    { holder: root as unknown as Record<string, unknown>, key: 'v', depth: 0 },
  ];
  while (stack.length > 0) {
    const { holder, key, depth } = stack.pop()!;
    const v = (holder as Record<string | number, unknown>)[key];
    if (typeof v === 'string') {
      (holder as Record<string | number, unknown>)[key] = cleanString(v, where);
    } else if (Array.isArray(v)) {
      if (depth >= MAX_DEPTH) throw tooDeep(where);
      for (let i = 0; i < v.length; i++) stack.push({ holder: v, key: i, depth: depth + 1 });
    } else if (v !== null && typeof v === 'object' && !Buffer.isBuffer(v)) {
      if (depth >= MAX_DEPTH) throw tooDeep(where);
      const obj = v as Record<string, unknown>;
      for (const k of Object.keys(obj)) {
        const clean = cleanString(k, where);
        if (clean !== k) {
          obj[clean] = obj[k];
          delete obj[k];
        }
        stack.push({ holder: obj, key: clean, depth: depth + 1 });
      }
    }
  }
  return root.v;
}

/** The hook: checks and normalises body, query, path parameters and the headers the app reads. */
async function cleanRequest(req: FastifyRequest): Promise<void> {
  for (const h of READ_HEADERS) {
    const v = req.headers[h];
    if (typeof v === 'string' && BAD.test(v)) throw badBytes(`headers.${h}`);
  }
  for (const [name, v] of Object.entries(req.cookies ?? {})) {
    if (typeof v === 'string' && BAD.test(v)) throw badBytes(`cookies.${name}`);
  }
  if (req.params) req.params = cleanInput(req.params, 'params');
  if (req.query) req.query = cleanInput(req.query, 'querystring');
  if (req.body !== undefined && req.body !== null) req.body = cleanInput(req.body, 'body');
}

/** Installs the check on every route, after the login check (who asks comes before what is asked). */
export function installInputHygiene(app: FastifyInstance): void {
  app.addHook('onRoute', (route) => {
    const existing = route.preValidation ? [route.preValidation].flat() : [];
    route.preValidation = [...existing, cleanRequest];
  });
}

/** Fastify's `frameworkErrors`: a bad percent-encoding or a too long path parameter, as problem+json. */
export function frameworkErrors(error: FastifyError, request: FastifyRequest, reply: FastifyReply): void {
  let problem: Problem;
  if (error.code === 'FST_ERR_BAD_URL') {
    problem = new Problem(400, 'bad_url', {
      zh: '地址的百分号编码有误',
      en: 'The address is not validly percent-encoded',
    });
  } else if (error.code === 'FST_ERR_MAX_PARAM_LENGTH') {
    problem = new Problem(414, 'uri_too_long', {
      zh: `地址中的参数过长（最多 ${MAX_PARAM_LENGTH} 个字符）`,
      en: `A parameter of the address is too long (at most ${MAX_PARAM_LENGTH} characters)`,
    });
  } else {
    problem = toProblem(error);
  }
  void sendProblem(request, reply, problem);
}

/** The problem of an error Node's HTTP parser raised on a connection. */
export function clientErrorProblem(err: NodeJS.ErrnoException): Problem {
  switch (err.code) {
    case 'HPE_HEADER_OVERFLOW':
      return new Problem(431, 'headers_too_large', {
        zh: '请求头过大',
        en: 'The request headers are too large',
      });
    case 'ERR_HTTP_REQUEST_TIMEOUT':
      return new Problem(408, 'timeout', { zh: '请求超时', en: 'The request took too long' });
    case 'HPE_INVALID_CHUNK_SIZE':
    case 'HPE_INVALID_TRANSFER_ENCODING':
    case 'HPE_UNEXPECTED_CONTENT_LENGTH':
    case 'HPE_INVALID_CONTENT_LENGTH':
    case 'HPE_CHUNK_EXTENSIONS_OVERFLOW':
    case 'HPE_INVALID_EOF_STATE':
      return new Problem(400, 'bad_framing', {
        zh: '请求体的分块或长度有误',
        en: 'The request body is not correctly framed (chunks or length)',
      });
    default:
      return new Problem(400, 'bad_http', { zh: '请求不是有效的 HTTP', en: 'The request is not valid HTTP' });
  }
}

/** Writes a problem as a raw HTTP response on a socket and closes it. */
function writeRawProblem(socket: Socket, problem: Problem): void {
  const body = JSON.stringify(problemBody(problem, 'zh', '', ''));
  socket.write(
    `HTTP/1.1 ${problem.status} ${STATUS_CODES[problem.status] ?? 'Bad Request'}\r\n` +
      `Content-Type: application/problem+json; charset=utf-8\r\n` +
      `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
}

/** `CONNECT` (a proxy tunnel), which Node hands to its own event and never to Fastify: 405 problem+json. */
export function refuseConnect(server: Server): void {
  server.on('connect', (_req: IncomingMessage, socket: Socket) => {
    if (socket.writable) {
      writeRawProblem(
        socket,
        new Problem(405, 'method_not_allowed', { zh: '不支持此请求方法', en: 'Method not allowed' }),
      );
    }
    socket.destroy();
  });
}

/** Fastify's `clientErrorHandler`: writes a problem+json response on the socket and closes it. */
export function clientErrorHandler(err: NodeJS.ErrnoException, socket: Socket): void {
  if (err.code === 'ECONNRESET' || socket.destroyed) return;
  const inProgress = (socket as Socket & { _httpMessage?: { headersSent?: boolean } })._httpMessage;
  if (socket.writable && !inProgress?.headersSent) writeRawProblem(socket, clientErrorProblem(err));
  socket.destroy();
}
