import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { AppDeps } from '../../app.ts';
import { LoginRequest, MeResponse } from '../../modules/accounts/accounts.schema.ts';
import { requireUser } from '../auth.ts';
import { clearConsoleCookie, setConsoleCookie } from '../console-session.ts';
import { DateTime } from '../schema.ts';

const ConsoleSessionResponse = Type.Object({ expires_at: DateTime(), user: MeResponse });

const TooMany = Type.Object({ detail: Type.String() }, { description: 'Too many failed attempts; see `Retry-After`.' });

const UpdateMeRequest = Type.Object({ name: Type.String({ maxLength: 200 }) });
const ChangePasswordRequest = Type.Object({
  current_password: Type.String({ minLength: 1, maxLength: 1024 }),
  new_password: Type.String({ maxLength: 1024 }),
});

const presentMe = (user: { id: string; email: string; name: string; createdAt: string }) => ({
  id: user.id,
  email: user.email,
  name: user.name,
  created_at: user.createdAt,
});

/**
 * The web console's sign-in and sign-out (an HttpOnly session cookie instead of a token in the
 * body), and the account settings it offers: renaming and changing the password.
 */
export const consoleSessionRoutes: FastifyPluginAsyncTypebox<AppDeps> = async (app, { services, config, rateLimiter }) => {
  app.post('/v1/console/session', {
    schema: {
      operationId: 'consoleSignIn',
      summary: 'Sign in to the web console',
      description:
        'Same credentials and rules as POST /v1/auth/login, but the session token is set as an HttpOnly, SameSite=Lax ' +
        'cookie (`Secure` over https) instead of being returned. Cookie-authenticated requests with an unsafe method ' +
        'must send `X-Omi-Console: 1`.',
      tags: ['Accounts'],
      body: LoginRequest,
      response: { 200: ConsoleSessionResponse, 429: TooMany },
    },
    handler: async (request, reply) => {
      const { email, password } = request.body;
      // Throttled as POST /v1/auth/login is (per account and address).
      const grant = await rateLimiter.login.attempt(email, request.ip, () => services.accounts.login(email, password));
      setConsoleCookie(request, reply, grant.token, config.sessionTtlSeconds);
      return { expires_at: grant.expiresAt, user: presentMe(grant.user) };
    },
  });

  app.delete('/v1/console/session', {
    config: { auth: 'session' },
    schema: {
      operationId: 'consoleSignOut',
      summary: 'Sign out of the web console: the session ends and its cookie is cleared',
      tags: ['Accounts'],
      response: { 204: Type.Null() },
    },
    handler: async (request, reply) => {
      requireUser(request);
      await services.accounts.logout(request.sessionToken!);
      clearConsoleCookie(request, reply);
      return reply.code(204).send(null);
    },
  });

  app.patch('/v1/users/me', {
    config: { auth: 'session' },
    schema: {
      operationId: 'updateMe',
      summary: 'Rename the signed-in account',
      tags: ['Accounts'],
      body: UpdateMeRequest,
      response: { 200: MeResponse },
    },
    handler: async (request) => presentMe(await services.accounts.rename(requireUser(request).id, request.body.name)),
  });

  app.post('/v1/users/me/password', {
    config: { auth: 'session' },
    schema: {
      operationId: 'changePassword',
      summary: 'Change the password: the current one is checked, every other session ends',
      tags: ['Accounts'],
      body: ChangePasswordRequest,
      response: { 204: Type.Null(), 429: TooMany },
    },
    handler: async (request, reply) => {
      const user = requireUser(request);
      const { current_password: current, new_password: next } = request.body;
      // Guessing the current password is throttled like guessing it at sign-in.
      await rateLimiter.login.attempt(user.email, request.ip, () =>
        services.accounts.changePassword(user, request.sessionToken!, current, next),
      );
      return reply.code(204).send(null);
    },
  });
};
