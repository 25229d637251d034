import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { AppDeps } from '../../app.ts';
import type { SessionGrant } from '../../modules/accounts/accounts.service.ts';
import { LoginRequest, MeResponse, SessionResponse, SignupRequest } from '../../modules/accounts/accounts.schema.ts';
import { requireUser } from '../auth.ts';

const presentSession = (grant: SessionGrant) => ({
  token: grant.token,
  expires_at: grant.expiresAt,
  user: { id: grant.user.id, email: grant.user.email, name: grant.user.name },
});

const tooMany = Type.Object({ detail: Type.String() }, { description: 'Too many attempts from this address; see `Retry-After`.' });

export const accountsRoutes: FastifyPluginAsyncTypebox<AppDeps> = async (app, { config, services, rateLimiter }) => {
  app.post('/v1/auth/login', {
    schema: {
      operationId: 'login',
      summary: 'Sign in',
      tags: ['Accounts'],
      body: LoginRequest,
      response: { 200: SessionResponse, 429: tooMany },
    },
    // Failed sign-ins are throttled per account and address (http/rate-limit/login-throttle.ts).
    handler: async (request) => {
      const { email, password } = request.body;
      return presentSession(await rateLimiter.login.attempt(email, request.ip, () => services.accounts.login(email, password)));
    },
  });

  app.post('/v1/auth/signup', {
    schema: {
      operationId: 'signup',
      summary: 'Create an account (when OMI_ALLOW_SIGNUP=true)',
      tags: ['Accounts'],
      body: SignupRequest,
      response: { 200: SessionResponse, 429: tooMany },
    },
    handler: async (request) => {
      if (config.allowSignup) await rateLimiter.login.signup(request.ip);
      return presentSession(await services.accounts.signup(request.body));
    },
  });

  app.post('/v1/auth/logout', {
    config: { auth: 'session' },
    schema: {
      operationId: 'logout',
      summary: 'Sign out: the session token stops working at once',
      tags: ['Accounts'],
      response: { 204: Type.Null() },
    },
    handler: async (request, reply) => {
      requireUser(request);
      await services.accounts.logout(request.sessionToken!);
      return reply.code(204).send(null);
    },
  });

  app.get('/v1/users/me', {
    config: { auth: 'session' },
    schema: { operationId: 'getMe', summary: 'The signed-in account', tags: ['Accounts'], response: { 200: MeResponse } },
    handler: async (request) => {
      const user = requireUser(request);
      return { id: user.id, email: user.email, name: user.name, created_at: user.createdAt };
    },
  });
};
