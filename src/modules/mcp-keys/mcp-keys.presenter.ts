import type { ApiKey } from '../api-keys/api-keys.types.ts';
import { MCP_SCOPES } from './mcp-scopes.ts';

/** McpApiKey: never the secret or its hash; `app_id` is upstream's MCP app. */
export const presentMcpKey = (key: ApiKey) => ({
  id: key.id,
  name: key.name,
  key_prefix: key.keyPrefix,
  created_at: key.createdAt,
  last_used_at: key.lastUsedAt,
  app_id: 'mcp-api',
  scopes: key.scopes ?? [...MCP_SCOPES],
});

/** The full key, shown only on create and rotate. */
export const presentCreatedMcpKey = (key: ApiKey, secret: string) => ({ ...presentMcpKey(key), key: secret });
