/**
 * A log a person can read. One line per request — time, method, path (never the query string, and no long
 * digit run: a phone or an ID number in a path is shown as its shape), status, milliseconds — written at
 * `info`, so it appears only when asked (`fuwu start --log-level info`); errors are logged at `error` and
 * always appear. The human format turns the logger's JSON lines into text; `json` keeps them for a
 * collector (`FUWU_LOG_FORMAT=json`). Personal data never reaches either: errors go through `safeError`.
 */
import { Writable } from 'node:stream';
import type { FastifyInstance } from 'fastify';

export const LOG_LEVELS = ['error', 'warn', 'info', 'debug'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];
export type LogFormat = 'human' | 'json';

export function isLogLevel(v: unknown): v is LogLevel {
  return typeof v === 'string' && (LOG_LEVELS as readonly string[]).includes(v);
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The path of a request as it may be logged: no query, no run of 7 or more digits. */
export function loggablePath(url: string): string {
  return (url.split('?')[0] ?? '')
    .split('/')
    .map((part) => (UUID.test(part) ? part : part.replace(/\d{7,}/g, (d) => `<digits:${d.length}>`)))
    .join('/');
}

/** Logs one line per request when its response has been sent (5xx at `error`, the rest at `info`). */
export function installRequestLog(app: FastifyInstance): void {
  app.addHook('onResponse', async (req, reply) => {
    const line = {
      method: req.method,
      path: loggablePath(req.url),
      status: reply.statusCode,
      ms: Math.round(reply.elapsedTime),
    };
    if (reply.statusCode >= 500) req.log.error(line, 'request');
    else req.log.info(line, 'request');
  });
}

const LEVEL_NAMES: Record<number, string> = {
  10: 'TRACE',
  20: 'DEBUG',
  30: 'INFO',
  40: 'WARN',
  50: 'ERROR',
  60: 'FATAL',
};

const pad = (n: number, w = 2) => String(n).padStart(w, '0');
/** `14:03:27` in the server's local time. */
function localTime(ms: number): string {
  const d = new Date(ms);
  return `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}

interface ErrLike {
  type?: string;
  message?: string;
  code?: string;
  statement?: string;
  inputs?: string[];
  detail?: string;
  stack?: string;
  cause?: ErrLike;
}

function errText(e: ErrLike, depth = 0): string {
  const parts = [`${e.type ?? 'Error'}: ${e.message ?? ''}`];
  const extra = [
    e.code,
    e.statement,
    e.inputs?.length ? `inputs ${e.inputs.join(', ')}` : undefined,
    e.detail,
  ]
    .filter(Boolean)
    .join('; ');
  if (extra) parts.push(`(${extra})`);
  let out = parts.join(' ');
  if (e.cause && depth < 3) out += `\n    caused by ${errText(e.cause, depth + 1)}`;
  return out;
}

/** One JSON line of the logger as one line (or a few, for an error's causes) of text. */
export function humanLine(json: string): string {
  let r: Record<string, unknown>;
  try {
    r = JSON.parse(json) as Record<string, unknown>;
  } catch {
    return json;
  }
  const time = localTime(typeof r.time === 'number' ? r.time : Date.now());
  const level = LEVEL_NAMES[Number(r.level)] ?? String(r.level);
  if (r.msg === 'request' && typeof r.method === 'string') {
    const lead = level === 'INFO' ? '' : `${level} `;
    return `${time} ${lead}${r.method} ${String(r.path)} ${String(r.status)} ${String(r.ms)} ms`;
  }
  let out = `${time} ${level} ${String(r.msg ?? '')}`;
  const err = (r.err ?? r.error) as ErrLike | undefined;
  if (err && typeof err === 'object') out += ` — ${errText(err)}`;
  const req = r.req as { method?: string; url?: string } | undefined;
  if (req?.method) out += ` [${req.method} ${loggablePath(req.url ?? '')}]`;
  if (typeof r.reqId === 'string' && level !== 'INFO') out += ` (request ${r.reqId})`;
  return out;
}

/** A stream for the logger that writes each line as text to `out`. */
export function humanLogStream(out: NodeJS.WritableStream = process.stdout): Writable {
  let rest = '';
  return new Writable({
    write(chunk: Buffer | string, _enc, done) {
      const text = rest + chunk.toString();
      const lines = text.split('\n');
      rest = lines.pop() ?? '';
      for (const l of lines) if (l.trim()) out.write(`${humanLine(l)}\n`);
      done();
    },
  });
}
