import type { RegisteredClient } from './oauth-clients.ts';
import type { GrantView } from './mcp-oauth.service.ts';
import type { AuthorizationRequest } from './mcp-oauth.types.ts';

/** What the consent page shows: who asks, for what, and where the answer goes. */
export function presentAuthorizationRequest(request: AuthorizationRequest) {
  return {
    client: { client_id: request.client.id, client_name: request.client.name },
    scopes: request.scopes,
    redirect_uri: request.redirectUri,
    resource: request.resource,
  };
}

/** RFC 7591 §3.2.1: the registered metadata, the client id and (confidential clients) the secret, shown once. */
export function presentRegisteredClient({ client, secret }: RegisteredClient) {
  return {
    client_id: client.id,
    ...(secret !== undefined && { client_secret: secret, client_secret_expires_at: 0 }),
    client_id_issued_at: Math.floor(Date.parse(client.createdAt) / 1000),
    client_name: client.name,
    redirect_uris: [...client.redirectUris],
    token_endpoint_auth_method: client.tokenEndpointAuthMethod,
    grant_types: ['authorization_code', 'refresh_token'],
    response_types: ['code'],
  };
}

export function presentGrants(grants: GrantView[]) {
  return {
    grants: grants.map((grant) => ({
      id: grant.id,
      client_id: grant.clientId,
      client_name: grant.clientName,
      resource: grant.resource,
      scopes: grant.scopes,
      created_at: grant.createdAt,
      updated_at: grant.updatedAt,
      last_used_at: grant.lastUsedAt,
    })),
  };
}
