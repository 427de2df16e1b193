/** Resolves the principal of each request from its session cookie or `Authorization: Bearer` token. */
import type { FastifyRequest } from 'fastify';
import type { Principal } from '../auth/principal.ts';

export const SESSION_COOKIE = 'fuwu_session';

/** The secret a request carries, if any: the bearer token wins over the cookie. */
export function credentialOf(request: FastifyRequest): string | null {
  const header = request.headers.authorization;
  if (header?.startsWith('Bearer ')) return header.slice(7).trim() || null;
  return request.cookies[SESSION_COOKIE] ?? null;
}

export type Authenticator = (token: string, now: Date) => Promise<Principal | null>;
