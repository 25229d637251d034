/** How a client authenticates at the token endpoint: public clients send no secret. */
export type TokenEndpointAuthMethod = 'none' | 'client_secret_post';

/** An OAuth client: built in (code) or dynamically registered (stored). */
export interface OAuthClient {
  id: string;
  name: string;
  /** Redirect URIs matched exactly. */
  redirectUris: readonly string[];
  /** Redirect URI prefixes (built-in clients only), matched by https prefix. */
  redirectUriPrefixes?: readonly string[];
  tokenEndpointAuthMethod: TokenEndpointAuthMethod;
  /** SHA-256 (hex) of the secret of a confidential client; null for public ones. */
  secretHash: string | null;
  createdAt: string;
}

export type GrantStatus = 'active' | 'revoked';

/** What a user allowed one client on one resource (one per user, client and resource). */
export interface OAuthGrant {
  id: string;
  userId: string;
  clientId: string;
  resource: string;
  scopes: string[];
  status: GrantStatus;
  createdAt: string;
  updatedAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

/** An issued authorization code, by the hash of its value. */
export interface OAuthCode {
  codeHash: string;
  grantId: string;
  userId: string;
  clientId: string;
  redirectUri: string;
  resource: string;
  scopes: string[];
  codeChallenge: string;
  familyId: string;
  createdAt: string;
  expiresAt: string;
  usedAt: string | null;
}

export type TokenKind = 'access' | 'refresh';

/** An issued access or refresh token, by the hash of its value. */
export interface OAuthToken {
  tokenHash: string;
  id: string;
  kind: TokenKind;
  grantId: string;
  userId: string;
  clientId: string;
  resource: string;
  scopes: string[];
  familyId: string;
  createdAt: string;
  expiresAt: string;
  revokedAt: string | null;
  usedAt: string | null;
  replacedBy: string | null;
  replayDetectedAt: string | null;
}

/** A validated authorization request (GET /authorize and the consent API share it). */
export interface AuthorizationRequest {
  client: OAuthClient;
  redirectUri: string;
  state: string | undefined;
  scopes: string[];
  codeChallenge: string;
  /** The audience the grant binds to (legacy `/v1/mcp/sse` when the request named none). */
  resource: string;
}

/** Where the server is reached, for absolute URLs and audiences. */
export interface ServerOrigin {
  /** The base URL without a trailing slash (OMI_PUBLIC_URL, or from the request). */
  base: string;
}

export interface TokenResponse {
  access_token: string;
  refresh_token: string;
  token_type: 'Bearer';
  expires_in: number;
  scope: string;
}

/** An access token's owner and grant, as the MCP endpoints see it. */
export interface OAuthAccess {
  userId: string;
  clientId: string;
  grantId: string;
  tokenId: string;
  resource: string;
  scopes: string[];
}
