import type { FastifyReply, FastifyRequest, onRequestHookHandler } from 'fastify';
import type { Config } from '../../config/config.ts';
import { AppError, forbidden, unauthorized } from '../../lib/errors.ts';
import { CANONICAL_MCP_PATH, canonicalResource } from '../../modules/mcp-oauth/oauth-resources.ts';
import { TOKEN_STORE_UNAVAILABLE, TokenStoreUnavailable } from '../../modules/mcp-oauth/oauth-store.ts';
import { ACCESS_TOKEN_PREFIX } from '../../modules/mcp-oauth/oauth-tokens.ts';
import type { McpPrincipal } from '../../modules/mcp-keys/mcp-keys.types.ts';
import type { RestPage } from '../../modules/mcp-rest/mcp-rest.service.ts';
import { DEV_KEY_ON_MCP_ROUTE, McpCredentialError, resolveMcpPrincipal, type McpCredentialVerifiers } from '../../modules/mcp-keys/mcp-principal.ts';
import { MISSING_DEV_HEADER } from '../auth.ts';
import type { PolicyName } from '../rate-limit/policies.ts';
import type { RateLimiter } from '../rate-limit/rate-limiter.ts';
import { mcpChallenge, publicBase } from './oauth-metadata.ts';

/** Upstream's generic retry hint on a 429 or 503 of the MCP REST routes that carries none. */
export const REST_RETRY_AFTER = '60';

export const MCP_REST_AUTH_NOTE =
  'Authenticated with an MCP API key (`Authorization: Bearer omi_mcp_…`), as the `mcp-server-omi` stdio server sends it, ' +
  "or an MCP OAuth access token (`omi_oat_…`) for this server's `/v1/mcp` resource holding the route's scope.";

/** The 401 detail for an `omi_oat_` token that is unknown, expired, revoked or meant for another resource. */
export const INVALID_ACCESS_TOKEN = 'Invalid or expired OAuth access token';

/** Puts the next page's opaque cursor in `X-Next-Cursor`, so that list bodies stay bare arrays. */
export function sendPage<T, W>(reply: FastifyReply, page: RestPage<T>, present: (row: T) => W): W[] {
  if (page.nextCursor) reply.header('x-next-cursor', page.nextCursor);
  if (page.scanTruncated) reply.header('x-scan-truncated', 'true');
  return page.rows.map(present);
}

const principals = new WeakMap<FastifyRequest, McpPrincipal>();

/** The principal the route's guard authenticated; every guarded MCP REST route has one. */
export function principalOf(request: FastifyRequest): McpPrincipal {
  const principal = principals.get(request);
  if (!principal) throw unauthorized('Invalid API Key');
  return principal;
}

export interface McpRestGuardDeps {
  verifiers: McpCredentialVerifiers;
  rateLimiter: RateLimiter;
  /** OMI_PUBLIC_URL, for the resource an OAuth access token must be meant for. */
  config: Pick<Config, 'publicUrl'>;
}

/**
 * The guard of one MCP REST route (upstream's `get_uid_from_mcp_api_key` + `with_rate_limit`):
 * `Bearer ` header → MCP principal (the same resolution as the MCP transport; an OAuth access
 * token must be meant for this server's MCP resource) → the route's scope (403 naming it) → the
 * route's rate-limit policy, counted per MCP key or OAuth grant.
 */
export function mcpRestGuard(deps: McpRestGuardDeps, scope: string | undefined, policy: PolicyName): onRequestHookHandler {
  return async function guard(request: FastifyRequest, reply: FastifyReply) {
    const header = request.headers.authorization;
    if (!header?.startsWith('Bearer ')) throw unauthorized(MISSING_DEV_HEADER);
    const token = header.slice('Bearer '.length).trim();
    const base = publicBase(deps.config, request);
    let principal: McpPrincipal;
    try {
      principal = await resolveMcpPrincipal(deps.verifiers, token, { oauthResource: canonicalResource(base) });
    } catch (error) {
      if (error instanceof TokenStoreUnavailable) request.log.error({ err: error.cause }, TOKEN_STORE_UNAVAILABLE);
      if (!(error instanceof McpCredentialError)) throw error;
      if (error.problem === 'developer_key') throw unauthorized(DEV_KEY_ON_MCP_ROUTE);
      if (!token.startsWith(ACCESS_TOKEN_PREFIX)) throw unauthorized('Invalid API Key');
      const challenge = mcpChallenge(base, CANONICAL_MCP_PATH, INVALID_ACCESS_TOKEN);
      throw new AppError('unauthorized', INVALID_ACCESS_TOKEN, { 'www-authenticate': challenge });
    }
    if (scope && !principal.scopes.includes(scope)) throw forbidden(`Insufficient permissions. Required scope: ${scope}`);
    principals.set(request, principal);
    const { headers } = await deps.rateLimiter.check(policy, `mcp:${principal.userId}:${principal.keyId}`);
    reply.headers(headers);
  };
}

/** An onSend hook: every 429 and 503 of these routes tells the client when to retry. */
export function addRetryAfter(_request: FastifyRequest, reply: FastifyReply, payload: unknown, done: (err: null, payload: unknown) => void) {
  if ((reply.statusCode === 429 || reply.statusCode === 503) && !reply.hasHeader('retry-after')) {
    reply.header('retry-after', REST_RETRY_AFTER);
  }
  done(null, payload);
}
