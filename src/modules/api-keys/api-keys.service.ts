import { randomHex, sha256Hex, uuid } from '../../lib/crypto.ts';
import { badRequest, notFound, unauthorized, unprocessable } from '../../lib/errors.ts';
import { type Clock, toIso } from '../../lib/time.ts';
import type { Storage } from '../../storage/storage.ts';
import type { ApiKey, KeyFamily } from './api-keys.types.ts';
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

/** What sets one family of keys apart: its prefix, its scopes and its refusal text. */
export interface KeyFamilyRules {
  family: KeyFamily;
  prefix: string;
  /** The scopes to store for what the caller asked (throws on unknown scopes). */
  scopesFor(requested: readonly string[] | null | undefined): string[];
  /** The 401 detail for a token that is not a key of this family. */
  invalidKey: string;
}

export const DEVELOPER_KEYS: KeyFamilyRules = {
  family: 'developer',
  prefix: DEV_KEY_PREFIX,
  scopesFor(requested) {
    if (requested === undefined || requested === null) return [...DEFAULT_SCOPES];
    if (!requested.every(isScope)) throw badRequest(`Invalid scopes. Available: ${availableScopesText()}`);
    return [...new Set(requested)];
  },
  invalidKey: 'Invalid API Key',
};

function newSecret(prefix: string) {
  const hex = randomHex(16);
  return {
    secret: `${prefix}${hex}`,
    hashedKey: sha256Hex(hex),
    keyPrefix: `${prefix}${hex.slice(0, 4)}...${hex.slice(-4)}`,
  };
}

/** Create, list, revoke, rotate and authenticate the keys of one family (developer or MCP). */
export class ApiKeysService {
  /** When each key's last_used_at was last written, so most requests skip the write. */
  private readonly touched = new Map<string, number>();

  constructor(
    private readonly storage: Storage,
    private readonly clock: Clock,
    private readonly rules: KeyFamilyRules = DEVELOPER_KEYS,
  ) {}

  async create(userId: string, input: { name: string; scopes?: string[] | null | undefined }): Promise<CreatedKey> {
    const name = input.name.trim();
    if (name === '') throw unprocessable('Key name cannot be empty');
    if (RAW_KEY.test(name)) throw unprocessable('API key name must not contain a raw API key');
    const scopes = this.rules.scopesFor(input.scopes);
    const { secret, hashedKey, keyPrefix } = newSecret(this.rules.prefix);
    const key: ApiKey = {
      id: uuid(),
      family: this.rules.family,
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
    return this.storage.apiKeys.listByUser(userId, this.rules.family);
  }

  /** Upstream answers 204 whether or not the key existed; so do we. */
  async revoke(userId: string, keyId: string): Promise<void> {
    await this.storage.apiKeys.delete(userId, keyId, this.rules.family);
    this.touched.delete(keyId);
  }

  async rotate(userId: string, keyId: string): Promise<CreatedKey> {
    const { secret, hashedKey, keyPrefix } = newSecret(this.rules.prefix);
    const key = await this.storage.apiKeys.rotate(userId, keyId, this.rules.family, {
      hashedKey,
      keyPrefix,
      rotatedAt: toIso(this.clock.now()),
    });
    if (!key) throw notFound('API key not found');
    this.touched.delete(keyId);
    return { key, secret };
  }

  /**
   * The key a bearer token names, or 401 with the family's text. Looked up on every request (no
   * cache), so a revoked or rotated key fails on the very next request, on every instance.
   */
  async authenticate(token: string): Promise<ApiKey> {
    const { prefix, family, invalidKey } = this.rules;
    if (!token.startsWith(prefix)) throw unauthorized(invalidKey);
    const key = await this.storage.apiKeys.findByHash(sha256Hex(token.slice(prefix.length)));
    if (!key || key.family !== family) throw unauthorized(invalidKey);
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
