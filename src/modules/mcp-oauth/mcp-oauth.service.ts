import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { notFound } from '../../lib/errors.ts';
import { sha256Hex, uuid } from '../../lib/crypto.ts';
import { toIso, type Clock } from '../../lib/time.ts';
import type { Storage } from '../../storage/storage.ts';
import { OAuthClients } from './oauth-clients.ts';
import { OAuthProblem } from './oauth-problem.ts';
import { param, validateAuthorizationRequest, withQuery, type AuthorizationParams } from './oauth-request.ts';
import { sameAudience } from './oauth-resources.ts';
import { orderScopes } from './oauth-scopes.ts';
import { withTokenStore } from './oauth-store.ts';
import { TokenIssuer } from './oauth-tokens.ts';
import type { AuthorizationRequest, OAuthAccess, OAuthClient, OAuthGrant, TokenResponse } from './mcp-oauth.types.ts';

export const CODE_PREFIX = 'omi_code_';
export const CODE_TTL_SECONDS = 600;
/** last_used_at of a grant is written at most this often. */
const TOUCH_INTERVAL_MS = 60_000;

const secret = (prefix: string) => `${prefix}${randomBytes(32).toString('base64url')}`;

/** Constant-time comparison of two SHA-256 hex digests. */
const sameHash = (a: string, b: string) => a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));

/** Who a grant listing shows. */
export interface GrantView extends OAuthGrant {
  clientName: string;
}

/**
 * The MCP OAuth 2.1 authorization server (omi-webhooks-and-data.md §5.3): client registration,
 * consent, authorization codes with PKCE, rotating refresh tokens, grants, and the access check
 * behind every OAuth request to the MCP endpoints.
 */
export class McpOAuthService {
  readonly clients: OAuthClients;
  private readonly tokens: TokenIssuer;

  constructor(
    private readonly storage: Storage,
    private readonly clock: Clock,
  ) {
    this.clients = new OAuthClients(storage, clock);
    this.tokens = new TokenIssuer(clock);
  }

  /** GET /authorize and the consent page's request check: the validated request, or an OAuthProblem. */
  authorizationRequest(base: string, params: AuthorizationParams): Promise<AuthorizationRequest> {
    return validateAuthorizationRequest(this.clients, base, params);
  }

  /**
   * The user's answer on the consent page. Approval merges the scopes into the user's grant for
   * this client and resource and issues a single-use code; refusal sends `access_denied` back.
   */
  async decide(userId: string, base: string, params: AuthorizationParams, approve: boolean): Promise<string> {
    const request = await this.authorizationRequest(base, params);
    if (!approve) return withQuery(request.redirectUri, { error: 'access_denied', state: request.state });
    const code = secret(CODE_PREFIX);
    const now = this.clock.now();
    await this.storage.transaction(async (tx) => {
      await tx.oauth.deleteExpired(toIso(new Date(now.getTime() - 24 * 3600_000)));
      const grant = await this.mergeGrant(tx.oauth, userId, request, toIso(now));
      await tx.oauth.insertCode({
        codeHash: sha256Hex(code),
        grantId: grant.id,
        userId,
        clientId: request.client.id,
        redirectUri: request.redirectUri,
        resource: request.resource,
        scopes: request.scopes,
        codeChallenge: request.codeChallenge,
        familyId: uuid(),
        createdAt: toIso(now),
        expiresAt: toIso(new Date(now.getTime() + CODE_TTL_SECONDS * 1000)),
        usedAt: null,
      });
    });
    return withQuery(request.redirectUri, { code, state: request.state });
  }

  private async mergeGrant(repo: Storage['oauth'], userId: string, request: AuthorizationRequest, now: string): Promise<OAuthGrant> {
    const existing = await repo.findGrant(userId, request.client.id, request.resource);
    const active = existing?.status === 'active';
    const grant: OAuthGrant = {
      id: existing?.id ?? uuid(),
      userId,
      clientId: request.client.id,
      resource: request.resource,
      scopes: orderScopes([...(active ? existing.scopes : []), ...request.scopes]),
      status: 'active',
      createdAt: existing?.createdAt ?? now,
      updatedAt: now,
      lastUsedAt: existing?.lastUsedAt ?? null,
      revokedAt: null,
    };
    await repo.saveGrant(grant);
    return grant;
  }

  /** POST /token: the authorization_code and refresh_token grants; the store failing → TokenStoreUnavailable. */
  token(params: AuthorizationParams): Promise<TokenResponse> {
    return withTokenStore(() => this.grant(params));
  }

  private async grant(params: AuthorizationParams): Promise<TokenResponse> {
    const grantType = param(params, 'grant_type');
    if (grantType === undefined || grantType === '') throw new OAuthProblem('invalid_request', 'grant_type is required');
    const client = await this.authenticateClient(params);
    if (grantType === 'authorization_code') return this.exchangeCode(client, params);
    if (grantType === 'refresh_token') return this.refresh(client, params);
    throw new OAuthProblem('unsupported_grant_type', 'grant_type must be authorization_code or refresh_token');
  }

  /** Public clients send no secret; confidential ones must send theirs (client_secret_post). */
  private async authenticateClient(params: AuthorizationParams): Promise<OAuthClient> {
    const clientId = param(params, 'client_id');
    if (clientId === undefined || clientId === '') throw new OAuthProblem('invalid_request', 'client_id is required');
    const client = await this.clients.find(clientId);
    if (!client) throw new OAuthProblem('invalid_client', 'Unknown OAuth client');
    const given = param(params, 'client_secret');
    if (client.tokenEndpointAuthMethod === 'none') {
      if (given !== undefined && given !== '') throw new OAuthProblem('invalid_client', 'Public clients must not send a client_secret');
      return client;
    }
    if (given === undefined || given === '') throw new OAuthProblem('invalid_client', 'client_secret is required for this client');
    if (!client.secretHash || !sameHash(sha256Hex(given), client.secretHash)) {
      throw new OAuthProblem('invalid_client', 'Invalid client credentials');
    }
    return client;
  }

  private async exchangeCode(client: OAuthClient, params: AuthorizationParams): Promise<TokenResponse> {
    const code = param(params, 'code');
    const verifier = param(params, 'code_verifier');
    const redirectUri = param(params, 'redirect_uri');
    if (!code) throw new OAuthProblem('invalid_request', 'code is required');
    if (!verifier) throw new OAuthProblem('invalid_request', 'code_verifier is required');
    if (!redirectUri) throw new OAuthProblem('invalid_request', 'redirect_uri is required');
    const stored = await this.storage.oauth.findCode(sha256Hex(code));
    const now = this.clock.now();
    if (!stored || stored.clientId !== client.id) throw new OAuthProblem('invalid_grant', 'Invalid authorization code');
    if (stored.usedAt !== null) {
      // A replayed code: whatever it issued is revoked (RFC 6749 §4.1.2).
      await this.storage.oauth.revokeFamily(stored.familyId, toIso(now));
      throw new OAuthProblem('invalid_grant', 'Authorization code has already been used');
    }
    if (stored.expiresAt <= toIso(now)) throw new OAuthProblem('invalid_grant', 'Authorization code has expired');
    if (stored.redirectUri !== redirectUri) throw new OAuthProblem('invalid_grant', 'redirect_uri does not match the authorization request');
    const challenge = createHash('sha256').update(verifier).digest('base64url');
    if (!/^[A-Za-z0-9._~-]{43,128}$/.test(verifier) || challenge !== stored.codeChallenge) {
      throw new OAuthProblem('invalid_grant', 'code_verifier does not match the code_challenge');
    }
    const resource = param(params, 'resource');
    if (resource && !sameAudience(resource, stored.resource)) {
      throw new OAuthProblem('invalid_target', 'resource does not match the authorization request');
    }
    const response = await this.storage.transaction(async (tx) => {
      const grant = await tx.oauth.getGrant(stored.userId, stored.grantId);
      if (grant?.status !== 'active') throw new OAuthProblem('invalid_grant', 'The authorization has been revoked');
      // Another exchange of the same code got here first: this one is the replay.
      if (!(await tx.oauth.useCode(stored.codeHash, toIso(now)))) return undefined;
      const issued = this.tokens.issue(grant, stored.scopes, stored.familyId, stored.resource);
      await tx.oauth.insertToken(issued.access);
      await tx.oauth.insertToken(issued.refresh);
      return issued.response;
    });
    if (response) return response;
    await this.storage.oauth.revokeFamily(stored.familyId, toIso(this.clock.now()));
    throw new OAuthProblem('invalid_grant', 'Authorization code has already been used');
  }

  private async refresh(client: OAuthClient, params: AuthorizationParams): Promise<TokenResponse> {
    const value = param(params, 'refresh_token');
    if (!value) throw new OAuthProblem('invalid_request', 'refresh_token is required');
    const stored = await this.storage.oauth.findToken(sha256Hex(value));
    const now = toIso(this.clock.now());
    if (!stored || stored.kind !== 'refresh' || stored.clientId !== client.id) {
      throw new OAuthProblem('invalid_grant', 'Invalid refresh token');
    }
    if (stored.usedAt !== null) {
      // A used refresh token presented again: someone holds a copy. The whole grant goes.
      await this.storage.transaction(async (tx) => {
        await tx.oauth.markReplay(stored.tokenHash, now);
        await tx.oauth.revokeFamily(stored.familyId, now);
        await tx.oauth.revokeGrant(stored.userId, stored.grantId, now);
      });
      throw new OAuthProblem('invalid_grant', 'Refresh token has already been used; the authorization is revoked');
    }
    if (stored.revokedAt !== null) throw new OAuthProblem('invalid_grant', 'Refresh token has been revoked');
    if (stored.expiresAt <= now) throw new OAuthProblem('invalid_grant', 'Refresh token has expired');
    const scopeParam = param(params, 'scope');
    const scopes = scopeParam === undefined || scopeParam.trim() === '' ? stored.scopes : scopeParam.split(/\s+/).filter(Boolean);
    if (!scopes.every((scope) => stored.scopes.includes(scope))) {
      throw new OAuthProblem('invalid_scope', 'A refresh may narrow the granted scopes, never widen them');
    }
    const resource = param(params, 'resource');
    if (resource && !sameAudience(resource, stored.resource)) {
      throw new OAuthProblem('invalid_target', 'resource does not match the grant');
    }
    return this.storage.transaction(async (tx) => {
      const grant = await tx.oauth.getGrant(stored.userId, stored.grantId);
      if (grant?.status !== 'active') throw new OAuthProblem('invalid_grant', 'The authorization has been revoked');
      const { response, access, refresh } = this.tokens.issue(grant, orderScopes(scopes), stored.familyId, stored.resource);
      if (!(await tx.oauth.useRefreshToken(stored.tokenHash, now, refresh.id))) {
        throw new OAuthProblem('invalid_grant', 'Refresh token has already been used');
      }
      await tx.oauth.insertToken(access);
      await tx.oauth.insertToken(refresh);
      return response;
    });
  }

  /**
   * The grant behind an `omi_oat_` access token, if it is live and meant for `resource` (either
   * MCP endpoint); undefined otherwise. No cache: a revocation holds from the next request.
   * The store failing throws TokenStoreUnavailable (503), never "no such token".
   */
  authenticate(token: string, resource: string): Promise<OAuthAccess | undefined> {
    return withTokenStore(() => this.access(token, resource));
  }

  private async access(token: string, resource: string): Promise<OAuthAccess | undefined> {
    const stored = await this.storage.oauth.findToken(sha256Hex(token));
    const now = this.clock.now();
    if (!stored || stored.kind !== 'access' || stored.revokedAt !== null || stored.expiresAt <= toIso(now)) return undefined;
    if (!sameAudience(stored.resource, resource)) return undefined;
    const grant = await this.storage.oauth.getGrant(stored.userId, stored.grantId);
    if (grant?.status !== 'active') return undefined;
    const staleBefore = toIso(new Date(now.getTime() - TOUCH_INTERVAL_MS));
    if (grant.lastUsedAt === null || grant.lastUsedAt < staleBefore) {
      await this.storage.oauth.touchGrant(grant.id, toIso(now), staleBefore);
    }
    const scopes = stored.scopes.filter((scope) => grant.scopes.includes(scope));
    return { userId: stored.userId, clientId: stored.clientId, grantId: grant.id, tokenId: stored.id, resource: stored.resource, scopes };
  }

  /** The user's active grants, with each client's name. */
  async listGrants(userId: string): Promise<GrantView[]> {
    const grants = await this.storage.oauth.listGrants(userId);
    const names = new Map<string, string>();
    for (const grant of grants) {
      if (!names.has(grant.clientId)) names.set(grant.clientId, (await this.clients.find(grant.clientId))?.name ?? grant.clientId);
    }
    return grants.map((grant) => ({ ...grant, clientName: names.get(grant.clientId)! }));
  }

  /** Revokes the user's grant and every token it issued, at once; another user's id → 404. */
  async revokeGrant(userId: string, grantId: string): Promise<void> {
    if (!(await this.storage.oauth.revokeGrant(userId, grantId, toIso(this.clock.now())))) {
      throw notFound('OAuth grant not found');
    }
  }
}
