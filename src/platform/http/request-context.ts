/** Builds the command context of a request: who acts (from the cookie or bearer token), the clock, where from. */
import type { FastifyRequest } from 'fastify';
import type { Clock } from '../clock.ts';
import type { Ctx } from '../context.ts';
import type { Database } from '../db/index.ts';
import type { Principal } from '../auth/principal.ts';
import type { Actor } from '../auth/policy.ts';
import { forbidden, unauthorized } from './problem.ts';

export interface AppDeps {
  database: Database;
  clock: Clock;
}

declare module 'fastify' {
  interface FastifyRequest {
    principal: Principal | null;
  }
  interface FastifyInstance {
    deps: AppDeps;
  }
}

/** The context of a request made without anyone logged in (login itself, the kiosk's public pages). */
export function anonymousCtx(request: FastifyRequest, actor: Actor): Ctx {
  const { database, clock } = request.server.deps;
  return { db: database.db, actor, clock, requestId: String(request.id), clientIp: request.ip };
}

/** A request without a caller, whose service names its own actor (a code or token is its proof). */
export function publicCtx(request: FastifyRequest): Omit<Ctx, 'actor'> {
  const { database, clock } = request.server.deps;
  return { db: database.db, clock, requestId: String(request.id), clientIp: request.ip };
}

/**
 * The context of an authenticated request; 401 without a valid credential, 403 while the account must
 * still change its password (unless `allowPasswordChange`, for the routes that let it do so). A phone's
 * e-channel capability is refused here: only the routes that ask for it (`phoneCtxOf`) accept it, so a new
 * route cannot forget to refuse it.
 */
export function ctxOf(request: FastifyRequest, options: { allowPasswordChange?: boolean } = {}): Ctx {
  const principal = request.principal;
  if (!principal) throw unauthorized('unauthenticated', '请先登录', 'Please log in first');
  if (principal.via === 'phone') throw phoneRefused();
  if (principal.mustChangePassword && !options.allowPasswordChange) {
    throw forbidden(
      'password_change_required',
      '请先修改初始密码或已过期的密码',
      'Change your initial or expired password first',
    );
  }
  return anonymousCtx(request, principal.actor);
}

const phoneRefused = () =>
  forbidden(
    'phone_capability',
    '手机验证凭证只能用于远程取号和预约',
    'A proven phone may only take remote tickets and book appointments',
  );

/** The context of an e-channel request made with a phone's capability, and the hash of that phone. */
export function phoneCtxOf(request: FastifyRequest): { ctx: Ctx; phoneHash: string } {
  const principal = request.principal;
  if (!principal) {
    throw unauthorized(
      'phone_unverified',
      '请先以短信验证码验证手机号码',
      'Prove your phone number with a code first',
    );
  }
  if (principal.via !== 'phone' || !principal.phoneHash) {
    throw forbidden(
      'phone_only',
      '此功能仅供验证过的手机号码使用',
      'Only for a phone proven by a one-time code',
    );
  }
  return { ctx: anonymousCtx(request, principal.actor), phoneHash: principal.phoneHash };
}
