import type { ApiKey } from './api-keys.types.ts';
import { effectiveScopes } from './scopes.ts';

/** DevApiKey: never the secret or its hash. */
export const presentKey = (key: ApiKey) => ({
  id: key.id,
  name: key.name,
  key_prefix: key.keyPrefix,
  created_at: key.createdAt,
  last_used_at: key.lastUsedAt,
  scopes: key.scopes,
});

/** DevApiKeyCreated: the full key, shown only on create and rotate. */
export const presentCreatedKey = (key: ApiKey, secret: string) => ({ ...presentKey(key), key: secret });

/** GET /v1/dev/key reports the scopes the key actually has (the default for a legacy null). */
export const presentCallingKey = (key: ApiKey) => ({ ...presentKey(key), scopes: [...effectiveScopes(key.scopes)] });
