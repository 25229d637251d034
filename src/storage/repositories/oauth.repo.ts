import type { Kysely, Selectable } from 'kysely';
import type { OAuthClient, OAuthCode, OAuthGrant, OAuthToken } from '../../modules/mcp-oauth/mcp-oauth.types.ts';
import type { Database, OAuthClientsTable, OAuthCodesTable, OAuthGrantsTable, OAuthTokensTable } from '../schema.ts';
import type { OAuthRepository } from '../storage.ts';
import { fromJsonList } from './rows.ts';

const toClient = (row: Selectable<OAuthClientsTable>): OAuthClient => ({
  id: row.id,
  name: row.name,
  redirectUris: fromJsonList(row.redirect_uris),
  tokenEndpointAuthMethod: row.token_endpoint_auth_method === 'client_secret_post' ? 'client_secret_post' : 'none',
  secretHash: row.secret_hash,
  createdAt: row.created_at,
});

const toGrant = (row: Selectable<OAuthGrantsTable>): OAuthGrant => ({
  id: row.id,
  userId: row.user_id,
  clientId: row.client_id,
  resource: row.resource,
  scopes: fromJsonList(row.scopes),
  status: row.status === 'active' ? 'active' : 'revoked',
  createdAt: row.created_at,
  updatedAt: row.updated_at,
  lastUsedAt: row.last_used_at,
  revokedAt: row.revoked_at,
});

const toCode = (row: Selectable<OAuthCodesTable>): OAuthCode => ({
  codeHash: row.code_hash,
  grantId: row.grant_id,
  userId: row.user_id,
  clientId: row.client_id,
  redirectUri: row.redirect_uri,
  resource: row.resource,
  scopes: fromJsonList(row.scopes),
  codeChallenge: row.code_challenge,
  familyId: row.family_id,
  createdAt: row.created_at,
  expiresAt: row.expires_at,
  usedAt: row.used_at,
});

const toToken = (row: Selectable<OAuthTokensTable>): OAuthToken => ({
  tokenHash: row.token_hash,
  id: row.id,
  kind: row.kind === 'refresh' ? 'refresh' : 'access',
  grantId: row.grant_id,
  userId: row.user_id,
  clientId: row.client_id,
  resource: row.resource,
  scopes: fromJsonList(row.scopes),
  familyId: row.family_id,
  createdAt: row.created_at,
  expiresAt: row.expires_at,
  revokedAt: row.revoked_at,
  usedAt: row.used_at,
  replacedBy: row.replaced_by,
  replayDetectedAt: row.replay_detected_at,
});

export function oauthRepository(db: Kysely<Database>): OAuthRepository {
  return {
    async insertClient(client) {
      await db
        .insertInto('oauth_clients')
        .values({
          id: client.id,
          name: client.name,
          redirect_uris: JSON.stringify(client.redirectUris),
          token_endpoint_auth_method: client.tokenEndpointAuthMethod,
          secret_hash: client.secretHash,
          created_at: client.createdAt,
        })
        .execute();
    },
    async findClient(id) {
      const row = await db.selectFrom('oauth_clients').selectAll().where('id', '=', id).executeTakeFirst();
      return row && toClient(row);
    },
    async findGrant(userId, clientId, resource) {
      const row = await db
        .selectFrom('oauth_grants')
        .selectAll()
        .where('user_id', '=', userId)
        .where('client_id', '=', clientId)
        .where('resource', '=', resource)
        .executeTakeFirst();
      return row && toGrant(row);
    },
    async saveGrant(grant) {
      const values = {
        id: grant.id,
        user_id: grant.userId,
        client_id: grant.clientId,
        resource: grant.resource,
        scopes: JSON.stringify(grant.scopes),
        status: grant.status,
        created_at: grant.createdAt,
        updated_at: grant.updatedAt,
        last_used_at: grant.lastUsedAt,
        revoked_at: grant.revokedAt,
      };
      await db
        .insertInto('oauth_grants')
        .values(values)
        .onConflict((oc) =>
          oc.column('id').doUpdateSet({
            scopes: values.scopes,
            status: values.status,
            updated_at: values.updated_at,
            revoked_at: values.revoked_at,
          }),
        )
        .execute();
    },
    async listGrants(userId) {
      const rows = await db
        .selectFrom('oauth_grants')
        .selectAll()
        .where('user_id', '=', userId)
        .where('status', '=', 'active')
        .orderBy('created_at', 'desc')
        .orderBy('id', 'asc')
        .execute();
      return rows.map(toGrant);
    },
    async getGrant(userId, id) {
      const row = await db.selectFrom('oauth_grants').selectAll().where('user_id', '=', userId).where('id', '=', id).executeTakeFirst();
      return row && toGrant(row);
    },
    async revokeGrant(userId, id, now) {
      const result = await db
        .updateTable('oauth_grants')
        .set({ status: 'revoked', revoked_at: now, updated_at: now })
        .where('user_id', '=', userId)
        .where('id', '=', id)
        .where('status', '=', 'active')
        .executeTakeFirst();
      if (result.numUpdatedRows === 0n) return false;
      await db.updateTable('oauth_tokens').set({ revoked_at: now }).where('grant_id', '=', id).where('revoked_at', 'is', null).execute();
      // Codes not yet exchanged die with the grant, even if the user approves the client again later.
      await db.updateTable('oauth_codes').set({ used_at: now }).where('grant_id', '=', id).where('used_at', 'is', null).execute();
      return true;
    },
    async touchGrant(id, now, staleBefore) {
      await db
        .updateTable('oauth_grants')
        .set({ last_used_at: now })
        .where('id', '=', id)
        .where((eb) => eb.or([eb('last_used_at', 'is', null), eb('last_used_at', '<', staleBefore)]))
        .execute();
    },
    async insertCode(code) {
      await db
        .insertInto('oauth_codes')
        .values({
          code_hash: code.codeHash,
          grant_id: code.grantId,
          user_id: code.userId,
          client_id: code.clientId,
          redirect_uri: code.redirectUri,
          resource: code.resource,
          scopes: JSON.stringify(code.scopes),
          code_challenge: code.codeChallenge,
          family_id: code.familyId,
          created_at: code.createdAt,
          expires_at: code.expiresAt,
          used_at: code.usedAt,
        })
        .execute();
    },
    async findCode(codeHash) {
      const row = await db.selectFrom('oauth_codes').selectAll().where('code_hash', '=', codeHash).executeTakeFirst();
      return row && toCode(row);
    },
    async useCode(codeHash, now) {
      const result = await db
        .updateTable('oauth_codes')
        .set({ used_at: now })
        .where('code_hash', '=', codeHash)
        .where('used_at', 'is', null)
        .executeTakeFirst();
      return result.numUpdatedRows > 0n;
    },
    async insertToken(token) {
      await db
        .insertInto('oauth_tokens')
        .values({
          token_hash: token.tokenHash,
          id: token.id,
          kind: token.kind,
          grant_id: token.grantId,
          user_id: token.userId,
          client_id: token.clientId,
          resource: token.resource,
          scopes: JSON.stringify(token.scopes),
          family_id: token.familyId,
          created_at: token.createdAt,
          expires_at: token.expiresAt,
          revoked_at: token.revokedAt,
          used_at: token.usedAt,
          replaced_by: token.replacedBy,
          replay_detected_at: token.replayDetectedAt,
        })
        .execute();
    },
    async findToken(tokenHash) {
      const row = await db.selectFrom('oauth_tokens').selectAll().where('token_hash', '=', tokenHash).executeTakeFirst();
      return row && toToken(row);
    },
    async useRefreshToken(tokenHash, now, replacedBy) {
      const result = await db
        .updateTable('oauth_tokens')
        .set({ used_at: now, replaced_by: replacedBy })
        .where('token_hash', '=', tokenHash)
        .where('kind', '=', 'refresh')
        .where('used_at', 'is', null)
        .where('revoked_at', 'is', null)
        .executeTakeFirst();
      return result.numUpdatedRows > 0n;
    },
    async revokeFamily(familyId, now) {
      const result = await db
        .updateTable('oauth_tokens')
        .set({ revoked_at: now })
        .where('family_id', '=', familyId)
        .where('revoked_at', 'is', null)
        .executeTakeFirst();
      return Number(result.numUpdatedRows);
    },
    async markReplay(tokenHash, now) {
      await db.updateTable('oauth_tokens').set({ replay_detected_at: now }).where('token_hash', '=', tokenHash).execute();
    },
    async deleteExpired(before) {
      const codes = await db.deleteFrom('oauth_codes').where('expires_at', '<', before).executeTakeFirst();
      const tokens = await db.deleteFrom('oauth_tokens').where('expires_at', '<', before).executeTakeFirst();
      return Number(codes.numDeletedRows) + Number(tokens.numDeletedRows);
    },
  };
}
