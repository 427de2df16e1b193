/**
 * Cross-site request forgery: a write that a browser makes with the session cookie must come from the
 * console's own origin. OWASP's "verify origin with standard headers": the `Origin` header, else
 * `Sec-Fetch-Site`, must say same origin (or name a configured allowed origin, FUWU_ALLOWED_ORIGINS).
 *
 * Decisions: a request carrying neither header is not from a browser (every current browser sends `Origin`
 * on a POST, PUT, PATCH or DELETE, and `Sec-Fetch-Site` with it) but from a script, the CLI or a test's
 * inject, which cannot ride on a victim's cookie: it is let through. Bearer-token calls are exempt (a
 * browser never adds the header by itself). Login is checked too, cookie or not (login CSRF: logging the
 * victim into the attacker's account).
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { SESSION_COOKIE } from './authenticate.ts';
import { forbidden } from './problem.ts';

const WRITES = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
const LOGIN = '/api/auth/login';

export interface CsrfRequest {
  method: string;
  path: string;
  /** The request's own origin, `https://host:port`. */
  ownOrigin: string;
  origin: string | undefined;
  secFetchSite: string | undefined;
  authorization: string | undefined;
  hasSessionCookie: boolean;
}

/** Does the request need the check, and does it pass? Pure, for the hook and its tests. */
export function csrfAllowed(req: CsrfRequest, allowedOrigins: readonly string[]): boolean {
  if (!WRITES.has(req.method) || !req.path.startsWith('/api/')) return true;
  if (req.authorization?.startsWith('Bearer ')) return true;
  if (!req.hasSessionCookie && req.path !== LOGIN) return true;
  if (req.origin !== undefined) {
    return req.origin === req.ownOrigin || allowedOrigins.includes(req.origin);
  }
  if (req.secFetchSite !== undefined) return req.secFetchSite === 'same-origin';
  return true;
}

/** The origins allowed besides the request's own (comma list in FUWU_ALLOWED_ORIGINS; default none). */
export function allowedOriginsSetting(value = process.env.FUWU_ALLOWED_ORIGINS): string[] {
  return (value ?? '')
    .split(',')
    .map((s) => s.trim().replace(/\/+$/, ''))
    .filter(Boolean);
}

const header = (req: FastifyRequest, name: string): string | undefined => {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
};

/** Refuses a cross-site cookie-authenticated write with 403 problem+json `csrf`. */
export function installCsrfCheck(app: FastifyInstance, allowedOrigins: readonly string[]): void {
  app.addHook('onRequest', async (req) => {
    const allowed = csrfAllowed(
      {
        method: req.method,
        path: req.url.split('?')[0] ?? req.url,
        ownOrigin: `${req.protocol}://${req.host}`,
        origin: header(req, 'origin'),
        secFetchSite: header(req, 'sec-fetch-site'),
        authorization: header(req, 'authorization'),
        hasSessionCookie: req.cookies[SESSION_COOKIE] !== undefined,
      },
      allowedOrigins,
    );
    if (!allowed) {
      throw forbidden(
        'csrf',
        '请求来自其他网站，已拒绝（跨站请求伪造防护）',
        'The request comes from another site and was refused (cross-site request forgery protection)',
      );
    }
  });
}
