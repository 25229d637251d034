import { badRequest } from '../../lib/errors.ts';
import type { Clock } from '../../lib/time.ts';
import type { Storage } from '../../storage/storage.ts';
import { ApiKeysService, MCP_KEY_PREFIX, type CreatedKey, type KeyFamilyRules } from '../api-keys/api-keys.service.ts';
import type { ApiKey } from '../api-keys/api-keys.types.ts';
import type { McpPrincipal } from './mcp-keys.types.ts';
import { availableMcpScopesText, isMcpScope, MCP_SCOPES } from './mcp-scopes.ts';

export const MCP_INVALID_KEY = 'Invalid or missing API key. Provide via Authorization header.';

/** MCP keys: generated, hashed and displayed like developer keys, with `omi_mcp_` and every MCP scope. */
export const MCP_KEYS: KeyFamilyRules = {
  family: 'mcp',
  prefix: MCP_KEY_PREFIX,
  scopesFor(requested) {
    if (requested && !requested.every(isMcpScope)) throw badRequest(`Invalid scopes. Available: ${availableMcpScopesText()}`);
    return [...MCP_SCOPES];
  },
  invalidKey: MCP_INVALID_KEY,
};

/** `/v1/mcp/keys` and the principal behind every MCP request. */
export class McpKeysService {
  private readonly keys: ApiKeysService;

  constructor(storage: Storage, clock: Clock) {
    this.keys = new ApiKeysService(storage, clock, MCP_KEYS);
  }

  create(userId: string, input: { name: string; scopes?: string[] | null | undefined }): Promise<CreatedKey> {
    return this.keys.create(userId, input);
  }

  list(userId: string): Promise<ApiKey[]> {
    return this.keys.list(userId);
  }

  revoke(userId: string, keyId: string): Promise<void> {
    return this.keys.revoke(userId, keyId);
  }

  rotate(userId: string, keyId: string): Promise<CreatedKey> {
    return this.keys.rotate(userId, keyId);
  }

  /** The owner and scopes of an `omi_mcp_` key, or 401 with upstream's MCP text. Keys stored without scopes have them all. */
  async authenticate(token: string): Promise<McpPrincipal> {
    const key = await this.keys.authenticate(token);
    return { userId: key.userId, keyId: key.id, scopes: key.scopes ?? [...MCP_SCOPES] };
  }
}
