import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { AppDeps } from '../../app.ts';
import { AppError } from '../../lib/errors.ts';
import { LEGACY_CLIENT_ID } from '../../modules/mcp-oauth/oauth-clients.ts';
import { OAuthProblem } from '../../modules/mcp-oauth/oauth-problem.ts';
import { TOKEN_STORE_UNAVAILABLE, TokenStoreUnavailable, withTokenStore } from '../../modules/mcp-oauth/oauth-store.ts';
import { withQuery, type AuthorizationParams } from '../../modules/mcp-oauth/oauth-request.ts';
import { presentAuthorizationRequest, presentGrants, presentRegisteredClient } from '../../modules/mcp-oauth/mcp-oauth.presenter.ts';
import { requireUser } from '../auth.ts';
import { sendError } from '../errors.ts';
import {
  AUTHORIZATION_SERVER_PATH,
  authorizationServerMetadata,
  PROTECTED_RESOURCE_PATH,
  protectedResourceMetadata,
  publicBase,
} from './oauth-metadata.ts';
import { OAUTH_SCHEMAS as S } from './oauth.schemas.ts';

const NO_STORE = { 'cache-control': 'no-store', pragma: 'no-cache' };

/** A form-urlencoded or JSON body as a plain object of parameters; anything else is a 400. */
function bodyParams(request: FastifyRequest): AuthorizationParams {
  const text = typeof request.body === 'string' ? request.body : '';
  if (text.trim() === '') return {};
  if ((request.headers['content-type'] ?? '').toLowerCase().startsWith('application/x-www-form-urlencoded')) {
    const params: Record<string, string | string[]> = {};
    for (const [name, value] of new URLSearchParams(text)) {
      const seen = params[name];
      params[name] = seen === undefined ? value : [...(Array.isArray(seen) ? seen : [seen]), value];
    }
    return params;
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new OAuthProblem('invalid_request', 'Invalid request body');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new OAuthProblem('invalid_request', 'Invalid request body');
  }
  return parsed as AuthorizationParams;
}

/** RFC 7591 metadata is JSON; what it holds is the registration's to judge. */
function registrationBody(request: FastifyRequest): unknown {
  try {
    return JSON.parse(typeof request.body === 'string' ? request.body : '');
  } catch {
    throw new OAuthProblem('invalid_client_metadata', 'The body must be a JSON object of client metadata');
  }
}

/** The token store failed: logged with its cause, answered 503 `{"detail"}` with Retry-After. */
function storeDown(reply: FastifyReply, error: TokenStoreUnavailable, headers: Record<string, string>) {
  reply.log.error({ err: error.cause }, TOKEN_STORE_UNAVAILABLE);
  return sendError(reply, 503, error.detail, { ...headers, ...error.headers });
}

/**
 * Runs an OAuth endpoint: an OAuthProblem becomes `{"error", "error_description"}` with its status;
 * the token store failing, 503 `{"detail"}` with Retry-After.
 */
async function oauth(reply: FastifyReply, work: () => Promise<unknown>, headers: Record<string, string> = {}) {
  try {
    const result = await work();
    return reply.headers(headers).send(result);
  } catch (error) {
    if (error instanceof TokenStoreUnavailable) return storeDown(reply, error, headers);
    if (!(error instanceof OAuthProblem)) throw error;
    return reply.code(error.status).headers(headers).send(error.toJSON());
  }
}

/**
 * The MCP OAuth 2.1 authorization server (omi-webhooks-and-data.md §5): discovery documents,
 * dynamic client registration, the authorization endpoint and its consent API, the token
 * endpoint, and the user's grants. The legacy `client_id=omi` shim (§5.1) lives alongside.
 */
export const oauthRoutes: FastifyPluginAsync<AppDeps> = async (app, { config, services, rateLimiter }) => {
  // The token endpoint takes form-urlencoded bodies as well as JSON; each handler parses its own.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'string' }, (_request, body, done) => done(null, String(body)));
  const service = services.mcpOAuth;
  const base = (request: FastifyRequest) => publicBase(config, request);

  for (const [path, legacy, suffix] of [
    [PROTECTED_RESOURCE_PATH, true, 'Root'],
    [`${PROTECTED_RESOURCE_PATH}/v1/mcp/sse`, true, 'Legacy'],
    [`${PROTECTED_RESOURCE_PATH}/v1/mcp`, false, 'Canonical'],
  ] as const) {
    app.get(path, { schema: S.protectedResource(suffix, legacy) }, async (request) => protectedResourceMetadata(base(request), legacy));
  }
  app.get(AUTHORIZATION_SERVER_PATH, { schema: S.authorizationServer }, async (request) => authorizationServerMetadata(base(request)));

  app.post('/register', { schema: S.register }, async (request, reply) => {
    const { headers } = await rateLimiter.check('oauth:register', request.ip);
    return oauth(
      reply.code(201),
      async () => presentRegisteredClient(await service.clients.register(registrationBody(request))),
      { ...headers, ...NO_STORE },
    );
  });

  app.get('/authorize', { schema: S.authorize }, async (request, reply) => {
    const query = request.query as AuthorizationParams;
    if (query.client_id === LEGACY_CLIENT_ID) return legacyAuthorize(query, reply);
    try {
      await service.authorizationRequest(base(request), query);
    } catch (error) {
      if (!(error instanceof OAuthProblem)) throw error;
      return reply.code(error.status as 400).send(error.toJSON());
    }
    // The console's consent page gets the very same parameters.
    const search = request.raw.url?.split('?')[1] ?? '';
    return reply.redirect(`${base(request)}/consent?${search}`, 302);
  });

  app.get('/v1/mcp/oauth/authorize/request', { config: { auth: 'session' }, schema: S.authorizationRequest }, async (request, reply) =>
    oauth(reply, async () =>
      presentAuthorizationRequest(await service.authorizationRequest(base(request), request.query as AuthorizationParams)),
    ),
  );

  app.post('/authorize', { config: { auth: 'session' }, schema: S.decide }, async (request, reply) => {
    const user = requireUser(request);
    return oauth(
      reply,
      async () => {
        const params = bodyParams(request);
        if (typeof params.approve !== 'boolean') throw new OAuthProblem('invalid_request', 'approve must be true or false');
        return { redirect_uri: await service.decide(user.id, base(request), params, params.approve) };
      },
      NO_STORE,
    );
  });

  app.post('/token', { schema: S.token }, async (request, reply) => {
    let params: AuthorizationParams;
    try {
      params = bodyParams(request);
    } catch {
      return sendError(reply, 400, 'Invalid request body', NO_STORE);
    }
    if (params.client_id === LEGACY_CLIENT_ID) return legacyToken(params, reply);
    return oauth(reply, () => service.token(params), NO_STORE);
  });

  app.get('/v1/mcp/oauth/grants', { config: { auth: 'session' }, schema: S.listGrants }, async (request) =>
    presentGrants(await service.listGrants(requireUser(request).id)),
  );

  app.delete('/v1/mcp/oauth/grants/:grant_id', { config: { auth: 'session' }, schema: S.revokeGrant }, async (request, reply) => {
    const { grant_id } = request.params as { grant_id: string };
    await service.revokeGrant(requireUser(request).id, grant_id);
    return reply.code(204).send();
  });

  /** §5.1: any http(s) redirect_uri gets `code=omi`, which is no secret (the key is the credential). */
  function legacyAuthorize(query: AuthorizationParams, reply: FastifyReply) {
    const redirect = typeof query.redirect_uri === 'string' ? query.redirect_uri : '';
    if (!/^https?:\/\//i.test(redirect) || !URL.canParse(redirect)) return sendError(reply, 400, 'Invalid redirect_uri');
    const state = typeof query.state === 'string' ? query.state : undefined;
    return reply.redirect(withQuery(redirect, { code: 'omi', state }), 302);
  }

  /** §5.1: the client secret is an MCP key, and it is handed back as the access token. */
  async function legacyToken(params: AuthorizationParams, reply: FastifyReply) {
    const secret = params.client_secret;
    if (typeof secret !== 'string' || secret === '') return sendError(reply, 400, 'client_secret is required', NO_STORE);
    try {
      await withTokenStore(() => services.mcpKeys.authenticate(secret));
    } catch (error) {
      if (error instanceof AppError && error.code === 'unauthorized') return sendError(reply, 401, 'Invalid API key', NO_STORE);
      if (error instanceof TokenStoreUnavailable) return storeDown(reply, error, NO_STORE);
      throw error;
    }
    return reply.headers(NO_STORE).send({ access_token: secret, token_type: 'Bearer' });
  }
};
