import { randomHex, sha256Hex, uuid } from '../../lib/crypto.ts';
import { badRequest, notFound, unauthorized, unprocessable } from '../../lib/errors.ts';
import { type Clock, toIso } from '../../lib/time.ts';
import type { Storage } from '../../storage/storage.ts';
import type { ApiKey } from './api-keys.types.ts';
import { availableScopesText, DEFAULT_SCOPES, isScope } from './scopes.ts';

export const DEV_KEY_PREFIX = 'omi_dev_';
export const MCP_KEY_PREFIX = 'omi_mcp_';

/** A raw key in a key name would be stored in plain text and shown in lists: refuse it. */
const RAW_KEY = /omi_(dev|mcp)_[0-9a-f]{8,}/i;

/** `last_used_at` is written at most once per key per this many milliseconds. */
const TOUCH_INTERVAL_MS = 60_000;

export interface CreatedKey {
  key: ApiKey;
  secret: string;
}

function newSecret() {
  const hex = randomHex(16);
  return {
    secret: `${DEV_KEY_PREFIX}${hex}`,
    hashedKey: sha256Hex(hex),
    keyPrefix: `${DEV_KEY_PREFIX}${hex.slice(0, 4)}...${hex.slice(-4)}`,
  };
}

export class ApiKeysService {
  /** When each key's last_used_at was last written, so most requests skip the write. */
  private readonly touched = new Map<string, number>();

  constructor(
    private readonly storage: Storage,
    private readonly clock: Clock,
  ) {}

  async create(userId: string, input: { name: string; scopes?: string[] | null | undefined }): Promise<CreatedKey> {
    const name = input.name.trim();
    if (name === '') throw unprocessable('Key name cannot be empty');
    if (RAW_KEY.test(name)) throw unprocessable('API key name must not contain a raw API key');
    let scopes: string[];
    if (input.scopes === undefined || input.scopes === null) scopes = [...DEFAULT_SCOPES];
    else {
      if (!input.scopes.every(isScope)) throw badRequest(`Invalid scopes. Available: ${availableScopesText()}`);
      scopes = [...new Set(input.scopes)];
    }
    const { secret, hashedKey, keyPrefix } = newSecret();
    const key: ApiKey = {
      id: uuid(),
      userId,
      name,
      hashedKey,
      keyPrefix,
      scopes,
      createdAt: toIso(this.clock.now()),
      lastUsedAt: null,
      rotatedAt: null,
    };
    await this.storage.apiKeys.insert(key);
    return { key, secret };
  }

  list(userId: string): Promise<ApiKey[]> {
    return this.storage.apiKeys.listByUser(userId);
  }

  /** Upstream answers 204 whether or not the key existed; so do we. */
  async revoke(userId: string, keyId: string): Promise<void> {
    await this.storage.apiKeys.delete(userId, keyId);
    this.touched.delete(keyId);
  }

  async rotate(userId: string, keyId: string): Promise<CreatedKey> {
    const { secret, hashedKey, keyPrefix } = newSecret();
    const key = await this.storage.apiKeys.rotate(userId, keyId, {
      hashedKey,
      keyPrefix,
      rotatedAt: toIso(this.clock.now()),
    });
    if (!key) throw notFound('API key not found');
    this.touched.delete(keyId);
    return { key, secret };
  }

  /**
   * The key a bearer token names, or 401 "Invalid API Key". Looked up on every request (no
   * cache), so a revoked or rotated key fails on the very next request, on every instance.
   */
  async authenticate(token: string): Promise<ApiKey> {
    if (!token.startsWith(DEV_KEY_PREFIX)) throw unauthorized('Invalid API Key');
    const key = await this.storage.apiKeys.findByHash(sha256Hex(token.slice(DEV_KEY_PREFIX.length)));
    if (!key) throw unauthorized('Invalid API Key');
    return this.recordUse(key);
  }

  /** Writes last_used_at when it is stale and returns the key as this request leaves it. */
  private async recordUse(key: ApiKey): Promise<ApiKey> {
    const now = this.clock.now().getTime();
    const last = this.touched.get(key.id) ?? (key.lastUsedAt ? Date.parse(key.lastUsedAt) : 0);
    if (now - last < TOUCH_INTERVAL_MS) return key;
    this.touched.set(key.id, now);
    const lastUsedAt = toIso(new Date(now));
    await this.storage.apiKeys.touch(key.id, lastUsedAt, toIso(new Date(now - TOUCH_INTERVAL_MS)));
    return { ...key, lastUsedAt };
  }
}
