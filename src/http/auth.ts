import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { forbidden, unauthorized } from '../lib/errors.ts';
import type { User } from '../modules/accounts/accounts.types.ts';
import type { ApiKey } from '../modules/api-keys/api-keys.types.ts';
import { MCP_KEY_PREFIX } from '../modules/api-keys/api-keys.service.ts';
import { effectiveScopes, SCOPES, type Scope } from '../modules/api-keys/scopes.ts';
import type { AppDeps } from '../app.ts';
import { checkConsoleRequest, consoleCookie } from './console-session.ts';
import type { PolicyName } from './rate-limit/policies.ts';
import type { RateLimiter } from './rate-limit/rate-limiter.ts';

/**
 * How a route is guarded, declared in its `config` and enforced here in one `onRequest` hook,
 * before the body is even parsed:
 * - `developer-key`: upstream's order — header → key family → lookup → scope → rate limit;
 * - `session`: a session token from POST /v1/auth/login (upstream's Firebase token), or with no
 *   Authorization header the web console's session cookie (CSRF-checked, see console-session.ts);
 * - `console`: the console's bridge to the developer routes (/console/api/v1/dev/user/…): the
 *   session cookie only, acting as the signed-in user with every scope — never a bearer token,
 *   and /v1/dev/user/* itself keeps taking developer keys only;
 * - `mcp-key`: an MCP key, checked by the MCP routes themselves (the MCP transport answers
 *   its own way); declared here so the OpenAPI document shows it;
 * - absent: public (health, docs, login).
 */
export interface RouteGuard {
  auth?: 'developer-key' | 'session' | 'mcp-key' | 'console';
  scope?: Scope;
  policy?: PolicyName;
}

declare module 'fastify' {
  interface FastifyContextConfig extends RouteGuard {}
  interface FastifyRequest {
    apiKey: ApiKey | null;
    sessionUser: User | null;
    sessionToken: string | null;
  }
}

export const MISSING_DEV_HEADER = "Missing or invalid Authorization header. Must be 'Bearer API_KEY'";
export const MCP_KEY_ON_DEV_ROUTE =
  'MCP API keys (omi_mcp_...) only authenticate the MCP endpoints under /v1/mcp/ (for example GET /v1/mcp/memories, ' +
  'GET /v1/mcp/conversations) and the MCP server at /v1/mcp (alias /v1/mcp/sse). This endpoint requires a Developer ' +
  'API key (omi_dev_...): create one with POST /v1/dev/keys, signed in with a session token from POST /v1/auth/login, ' +
  'or with `omi-dev-api keys create`.';

function bearer(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  return header?.startsWith('Bearer ') ? header.slice('Bearer '.length) : undefined;
}

/** The authenticated developer key; routes guarded by `developer-key` always have one. */
export function requireKey(request: FastifyRequest): ApiKey {
  if (!request.apiKey) throw unauthorized('Invalid API Key');
  return request.apiKey;
}

/** The signed-in account; routes guarded by `session` always have one. */
export function requireUser(request: FastifyRequest): User {
  if (!request.sessionUser) throw unauthorized('Invalid authentication credentials');
  return request.sessionUser;
}

/** Per key, as upstream: `dev:{uid}:{app_id}:{key_id}` (the introspection route has its own). */
const rateLimitSubject = (policy: PolicyName, key: ApiKey): string =>
  policy === 'dev:key_read' ? `app:developer_api:key:${key.id}` : `dev:${key.userId}:developer_api:${key.id}`;

/**
 * Charges a second policy from inside a handler, as upstream does for transcript reads
 * (`dev:conversation_transcript_read` on top of the route's own). Over the limit → 429.
 */
export async function chargePolicy(request: FastifyRequest, rateLimiter: RateLimiter, policy: PolicyName): Promise<void> {
  const key = requireKey(request);
  await rateLimiter.check(policy, rateLimitSubject(policy, key));
}

/**
 * What the console's bridge hands the developer routes: the signed-in user holding every scope,
 * rate-limited per user under the same policies as a key. Never stored, never shown.
 */
function consoleKey(user: User): ApiKey {
  return {
    id: `console:${user.id}`,
    family: 'developer',
    userId: user.id,
    name: 'Web console',
    hashedKey: '',
    keyPrefix: '',
    scopes: [...SCOPES],
    createdAt: user.createdAt,
    lastUsedAt: null,
    rotatedAt: null,
  };
}

export function registerAuth(app: FastifyInstance, deps: AppDeps): void {
  app.decorateRequest('apiKey', null);
  app.decorateRequest('sessionUser', null);
  app.decorateRequest('sessionToken', null);

  app.addHook('onRequest', async (request: FastifyRequest, reply: FastifyReply) => {
    const guard = request.routeOptions.config;
    if (guard.auth === 'developer-key') {
      const token = bearer(request);
      if (token === undefined) throw unauthorized(MISSING_DEV_HEADER);
      if (token.startsWith(MCP_KEY_PREFIX)) throw unauthorized(MCP_KEY_ON_DEV_ROUTE);
      const key = await deps.services.apiKeys.authenticate(token);
      if (guard.scope && !effectiveScopes(key.scopes).includes(guard.scope)) {
        throw forbidden(`Insufficient permissions. Required scope: ${guard.scope}`);
      }
      request.apiKey = key;
      if (guard.policy) {
        const { headers } = await deps.rateLimiter.check(guard.policy, rateLimitSubject(guard.policy, key));
        reply.headers(headers);
      }
    } else if (guard.auth === 'console') {
      const token = consoleCookie(request);
      const user = token === undefined ? undefined : await deps.services.accounts.authenticate(token);
      if (!user) throw unauthorized('Not authenticated');
      checkConsoleRequest(request, deps.config.publicUrl);
      request.sessionUser = user;
      request.sessionToken = token!;
      request.apiKey = consoleKey(user);
      if (guard.policy) {
        const { headers } = await deps.rateLimiter.check(guard.policy, rateLimitSubject(guard.policy, request.apiKey));
        reply.headers(headers);
      }
    } else if (guard.auth === 'session') {
      let token = bearer(request);
      if (token === undefined && request.headers.authorization === undefined) {
        token = consoleCookie(request);
        if (token !== undefined) checkConsoleRequest(request, deps.config.publicUrl);
      }
      if (token === undefined) throw unauthorized('Not authenticated');
      const user = await deps.services.accounts.authenticate(token);
      if (!user) {
        throw unauthorized(
          token.startsWith('omi_dev_')
            ? 'Developer API keys cannot manage keys or accounts; sign in with POST /v1/auth/login and send the session token'
            : 'Invalid authentication credentials',
        );
      }
      request.sessionUser = user;
      request.sessionToken = token;
    }
  });
}
