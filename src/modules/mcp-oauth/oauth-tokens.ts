import { randomBytes } from 'node:crypto';
import { sha256Hex, uuid } from '../../lib/crypto.ts';
import { toIso, type Clock } from '../../lib/time.ts';
import type { OAuthGrant, OAuthToken, TokenKind, TokenResponse } from './mcp-oauth.types.ts';

export const ACCESS_TOKEN_PREFIX = 'omi_oat_';
export const REFRESH_TOKEN_PREFIX = 'omi_ort_';
export const ACCESS_TOKEN_TTL_SECONDS = 3600;
export const REFRESH_TOKEN_TTL_SECONDS = 365 * 24 * 3600;

/** Mints access/refresh pairs; the caller stores the hashed records, the client gets the values. */
export class TokenIssuer {
  constructor(private readonly clock: Clock) {}

  issue(
    grant: OAuthGrant,
    scopes: string[],
    familyId: string,
    resource: string,
  ): { response: TokenResponse; access: OAuthToken; refresh: OAuthToken } {
    const now = this.clock.now();
    const mint = (kind: TokenKind, prefix: string, ttlSeconds: number) => {
      const value = `${prefix}${randomBytes(32).toString('base64url')}`;
      const record: OAuthToken = {
        tokenHash: sha256Hex(value),
        id: uuid(),
        kind,
        grantId: grant.id,
        userId: grant.userId,
        clientId: grant.clientId,
        resource,
        scopes,
        familyId,
        createdAt: toIso(now),
        expiresAt: toIso(new Date(now.getTime() + ttlSeconds * 1000)),
        revokedAt: null,
        usedAt: null,
        replacedBy: null,
        replayDetectedAt: null,
      };
      return { value, record };
    };
    const access = mint('access', ACCESS_TOKEN_PREFIX, ACCESS_TOKEN_TTL_SECONDS);
    const refresh = mint('refresh', REFRESH_TOKEN_PREFIX, REFRESH_TOKEN_TTL_SECONDS);
    return {
      response: {
        access_token: access.value,
        refresh_token: refresh.value,
        token_type: 'Bearer',
        expires_in: ACCESS_TOKEN_TTL_SECONDS,
        scope: scopes.join(' '),
      },
      access: access.record,
      refresh: refresh.record,
    };
  }
}
