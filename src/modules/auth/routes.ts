import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { IdParams, NoContent } from '../../platform/contract.ts';
import { SESSION_COOKIE } from '../../platform/http/authenticate.ts';
import { unauthorized } from '../../platform/http/problem.ts';
import { anonymousCtx, ctxOf } from '../../platform/http/request-context.ts';
import { systemActor } from '../../platform/auth/policy.ts';
import { rootUnit } from '../org/service.ts';
import {
  ChangePasswordBody,
  CreatedToken,
  CreateToken,
  LoginBody,
  LoginReply,
  Me,
  TokenInfo,
} from './contract.ts';
import { changeOwnPassword, createToken, listTokens, login, logout, me, revokeToken } from './service.ts';

const tags = ['auth 登录与令牌'];

export const authRoutes: FastifyPluginAsyncZod = async (app) => {
  app.post(
    '/api/auth/login',
    {
      schema: {
        operationId: 'logIn',
        summary: '登录 · Log in with a user name and password: a session cookie',
        tags,
        body: LoginBody,
        response: { 200: LoginReply },
      },
      config: { problems: [401, 429], public: true },
    },
    async (req, reply) => {
      const root = await rootUnit(app.deps.database.db);
      if (!root) throw unauthorized('invalid_credentials', '用户名或密码错误', 'Wrong user name or password');
      const { actor: _anonymous, ...base } = anonymousCtx(req, systemActor(root));
      const session = await login(base, req.body);
      req.principal = session.principal;
      // A browser-session cookie: it ends when the browser closes (shared counter PCs); the server
      // enforces the session's own expiry (auth.sessionHours) on every request.
      reply.setCookie(SESSION_COOKIE, session.token, {
        path: '/',
        httpOnly: true,
        sameSite: 'lax',
        secure: req.protocol === 'https',
      });
      return {
        me: await me(ctxOf(req, { allowPasswordChange: true }), session.principal),
        token: session.token,
        expiresAt: session.expiresAt.toISOString(),
      };
    },
  );
  app.post(
    '/api/auth/logout',
    {
      schema: {
        operationId: 'logOut',
        response: { 204: NoContent },
        summary: '退出登录 · Log out: the session ends',
        tags,
      },
    },
    async (req, reply) => {
      const ctx = ctxOf(req, { allowPasswordChange: true });
      await logout(ctx, req.principal!.credentialId);
      reply.clearCookie(SESSION_COOKIE, { path: '/' });
      return reply.status(204).send(null);
    },
  );
  app.get(
    '/api/auth/me',
    {
      schema: {
        operationId: 'getMe',
        summary: '当前用户 · Who is logged in: the member of staff, their unit and positions',
        tags,
        response: { 200: Me },
      },
    },
    (req) => me(ctxOf(req, { allowPasswordChange: true }), req.principal!),
  );
  app.post(
    '/api/auth/password',
    {
      schema: {
        operationId: 'changePassword',
        response: { 204: NoContent },
        summary: '修改密码 · Change one’s own password',
        tags,
        body: ChangePasswordBody,
      },
      config: { problems: [429] },
    },
    async (req, reply) => {
      await changeOwnPassword(
        ctxOf(req, { allowPasswordChange: true }),
        req.body,
        req.principal?.credentialId,
      );
      return reply.status(204).send(null);
    },
  );
  app.get(
    '/api/tokens',
    {
      schema: {
        operationId: 'listTokens',
        summary: '令牌列表 · Bearer tokens (API and device) of the caller’s subtree',
        tags,
        response: { 200: z.array(TokenInfo) },
      },
    },
    (req) => listTokens(ctxOf(req)),
  );
  app.post(
    '/api/tokens',
    {
      schema: {
        operationId: 'issueToken',
        summary: '签发令牌 · Issue a bearer token for an integration or a registered device',
        tags,
        body: CreateToken,
        response: { 201: CreatedToken },
      },
    },
    async (req, reply) => reply.status(201).send(await createToken(ctxOf(req), req.body)),
  );
  app.delete(
    '/api/tokens/:id',
    {
      schema: {
        operationId: 'revokeToken',
        summary: '吊销令牌 · Revoke a bearer token',
        tags,
        params: IdParams,
        response: { 200: TokenInfo },
      },
    },
    (req) => revokeToken(ctxOf(req), req.params.id),
  );
};
