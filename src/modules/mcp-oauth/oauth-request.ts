import type { OAuthClients } from './oauth-clients.ts';
import { redirectAllowed } from './oauth-clients.ts';
import { OAuthProblem } from './oauth-problem.ts';
import { resolveResource } from './oauth-resources.ts';
import { parseScopeParam } from './oauth-scopes.ts';
import type { AuthorizationRequest } from './mcp-oauth.types.ts';

/** PKCE code challenges and verifiers (RFC 7636): 43 to 128 unreserved characters. */
export const PKCE_PATTERN = /^[A-Za-z0-9._~-]{43,128}$/;

/** The parameters of an authorization request, as they arrive (query string or JSON body). */
export type AuthorizationParams = Record<string, unknown>;

const MAX_PARAM_LENGTH = 4096;

/** One string parameter: absent → undefined; repeated, non-string or oversized → invalid_request. */
export function param(params: AuthorizationParams, name: string): string | undefined {
  const value = params[name];
  if (value === undefined || value === null) return undefined;
  if (Array.isArray(value)) throw new OAuthProblem('invalid_request', `Parameter ${name} must be given once`);
  if (typeof value !== 'string') throw new OAuthProblem('invalid_request', `Parameter ${name} must be a string`);
  if (value.length > MAX_PARAM_LENGTH) throw new OAuthProblem('invalid_request', `Parameter ${name} is too long`);
  return value;
}

function required(params: AuthorizationParams, name: string): string {
  const value = param(params, name);
  if (value === undefined || value === '') throw new OAuthProblem('invalid_request', `${name} is required`);
  return value;
}

/**
 * Checks an authorization request in the order that keeps redirects safe: the client and its
 * redirect URI first (nothing is ever sent to an unverified one), then the rest.
 */
export async function validateAuthorizationRequest(
  clients: OAuthClients,
  base: string,
  params: AuthorizationParams,
): Promise<AuthorizationRequest> {
  const client = await clients.find(required(params, 'client_id'));
  // 400, not 401: at the authorization endpoint nobody is authenticating as the client.
  if (!client) throw new OAuthProblem('invalid_client', 'Unknown OAuth client', 400);
  const redirectUri = required(params, 'redirect_uri');
  if (!redirectAllowed(client, redirectUri)) {
    throw new OAuthProblem('invalid_request', 'redirect_uri is not registered for this client');
  }
  const responseType = param(params, 'response_type');
  if (responseType !== 'code') throw new OAuthProblem('unsupported_response_type', 'response_type must be code');
  const codeChallenge = required(params, 'code_challenge');
  if (!PKCE_PATTERN.test(codeChallenge)) {
    throw new OAuthProblem('invalid_request', 'code_challenge must be 43 to 128 characters of A-Z a-z 0-9 . _ ~ -');
  }
  if (param(params, 'code_challenge_method') !== 'S256') {
    throw new OAuthProblem('invalid_request', 'code_challenge_method must be S256');
  }
  const scopes = parseScopeParam(param(params, 'scope'));
  const resource = resolveResource(base, param(params, 'resource'));
  return { client, redirectUri, state: param(params, 'state'), scopes, codeChallenge, resource };
}

/** `redirect_uri` with these parameters added (keeping any query it has). */
export function withQuery(redirectUri: string, values: Record<string, string | undefined>): string {
  const url = new URL(redirectUri);
  for (const [name, value] of Object.entries(values)) if (value !== undefined) url.searchParams.set(name, value);
  return url.toString();
}
