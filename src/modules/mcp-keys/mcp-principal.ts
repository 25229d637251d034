import { AppError } from '../../lib/errors.ts';
import { DEV_KEY_PREFIX } from '../api-keys/api-keys.service.ts';
import type { McpKeysService } from './mcp-keys.service.ts';
import type { McpOAuthService } from '../mcp-oauth/mcp-oauth.service.ts';
import { ACCESS_TOKEN_PREFIX } from '../mcp-oauth/oauth-tokens.ts';
import type { McpPrincipal } from './mcp-keys.types.ts';

/** How to get an MCP key on this server, for every message that asks for one. */
export const HOW_TO_CREATE_MCP_KEY =
  'create one with POST /v1/mcp/keys, signed in with a session token from POST /v1/auth/login, ' +
  'or with `omi-dev-api mcp-keys create`';

export const DEV_KEY_ON_MCP_ROUTE =
  'Developer API keys (omi_dev_...) only authenticate the Developer API endpoints under /v1/dev/. ' +
  `The MCP server requires an MCP API key (omi_mcp_...): ${HOW_TO_CREATE_MCP_KEY}.`;

/** Why a credential gave no MCP principal; each MCP surface words the 401 its own way. */
export type McpCredentialProblem = 'missing' | 'developer_key' | 'invalid';

export class McpCredentialError extends Error {
  constructor(readonly problem: McpCredentialProblem) {
    super(`MCP credential rejected: ${problem}`);
    this.name = 'McpCredentialError';
  }
}

/** What the credentials are checked against. */
export interface McpCredentialVerifiers {
  mcpKeys: Pick<McpKeysService, 'authenticate'>;
  /** OAuth access tokens (`omi_oat_`); only consulted when the caller names the resource. */
  mcpOAuth?: Pick<McpOAuthService, 'authenticate'>;
}

export interface McpCredentialOptions {
  /**
   * The MCP resource the request is for (`<base>/v1/mcp` or `<base>/v1/mcp/sse`; the REST routes
   * under `/v1/mcp/*` name `<base>/v1/mcp`). Given, an OAuth access token whose audience is either
   * endpoint of this server is accepted with its granted scopes; absent, OAuth access tokens are refused.
   */
  oauthResource?: string;
}

/**
 * The one place a bearer credential becomes the principal of an MCP request, for the transport
 * (`/v1/mcp`, `/v1/mcp/sse`) and the REST routes (`/v1/mcp/*`) alike. An `omi_mcp_` key resolves
 * to its owner with every MCP scope; an OAuth access token (`omi_oat_`) to its grant's owner with
 * the token's scopes, which each caller checks against what it serves.
 * Anything else fails with a McpCredentialError; the OAuth token store failing with
 * TokenStoreUnavailable (503); any other storage failure propagates as it is.
 */
export async function resolveMcpPrincipal(
  verifiers: McpCredentialVerifiers,
  token: string | undefined,
  options: McpCredentialOptions = {},
): Promise<McpPrincipal> {
  if (!token) throw new McpCredentialError('missing');
  if (token.startsWith(DEV_KEY_PREFIX)) throw new McpCredentialError('developer_key');
  if (token.startsWith(ACCESS_TOKEN_PREFIX)) {
    const access =
      options.oauthResource === undefined ? undefined : await verifiers.mcpOAuth?.authenticate(token, options.oauthResource);
    if (!access) throw new McpCredentialError('invalid');
    return {
      userId: access.userId,
      keyId: `oauth:${access.grantId}`,
      scopes: access.scopes,
      oauth: { clientId: access.clientId, grantId: access.grantId },
    };
  }
  try {
    return await verifiers.mcpKeys.authenticate(token);
  } catch (error) {
    if (error instanceof AppError && error.code === 'unauthorized') throw new McpCredentialError('invalid');
    throw error;
  }
}
