import type { FastifyRequest } from 'fastify';
import type { Config } from '../../config/config.ts';
import { OAUTH_SCOPES } from '../../modules/mcp-oauth/oauth-scopes.ts';
import { canonicalResource, CANONICAL_MCP_PATH, LEGACY_MCP_PATH, legacyResource } from '../../modules/mcp-oauth/oauth-resources.ts';

/** Where protected-resource metadata is published (RFC 9728 §3.1: the well-known path, then the resource's path). */
export const PROTECTED_RESOURCE_PATH = '/.well-known/oauth-protected-resource';
export const AUTHORIZATION_SERVER_PATH = '/.well-known/oauth-authorization-server';

/** This server's externally reachable base URL: OMI_PUBLIC_URL, else the request's protocol and Host. */
export function publicBase(config: Pick<Config, 'publicUrl'>, request: FastifyRequest): string {
  if (config.publicUrl) return config.publicUrl;
  // A Host header that is not a host[:port] names nothing this server could be reached at.
  const host = /^[A-Za-z0-9.-]+(:\d{1,5})?$|^\[[0-9A-Fa-f:.]+\](:\d{1,5})?$/.test(request.host ?? '') ? request.host : 'localhost';
  return `${request.protocol}://${host}`;
}

/** The protected-resource document for the canonical (`/v1/mcp`) or legacy (`/v1/mcp/sse`) endpoint. */
export function protectedResourceMetadata(base: string, legacy: boolean) {
  return {
    resource: legacy ? legacyResource(base) : canonicalResource(base),
    authorization_servers: [base],
    scopes_supported: [...OAUTH_SCOPES],
    bearer_methods_supported: ['header'],
    resource_name: 'Omi MCP server',
  };
}

export function authorizationServerMetadata(base: string) {
  return {
    issuer: base,
    authorization_endpoint: `${base}/authorize`,
    token_endpoint: `${base}/token`,
    registration_endpoint: `${base}/register`,
    response_types_supported: ['code'],
    grant_types_supported: ['authorization_code', 'refresh_token'],
    code_challenge_methods_supported: ['S256'],
    token_endpoint_auth_methods_supported: ['client_secret_post', 'none'],
    scopes_supported: [...OAUTH_SCOPES],
  };
}

/**
 * The challenge on every 401 from an MCP endpoint: it names the metadata document of the
 * endpoint's own path, from which a client discovers how to get a token.
 */
export function mcpChallenge(base: string, endpoint: string, description: string): string {
  const path = endpoint === LEGACY_MCP_PATH ? LEGACY_MCP_PATH : CANONICAL_MCP_PATH;
  const quoted = description.replace(/["\\]/g, '');
  return `Bearer resource_metadata="${base}${PROTECTED_RESOURCE_PATH}${path}", error="invalid_token", error_description="${quoted}"`;
}
