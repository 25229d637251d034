import { Redis } from 'ioredis';
import type { RateLimitStore } from './store.ts';

/**
 * Fixed-window counters in Redis, shared by every instance: one atomic script increments the
 * window's counter, starts its expiry on the first hit (or if the key lost its TTL), and returns
 * the count with the seconds left. While Redis is unreachable `hit` rejects at once (no offline
 * queue), so guarded routes answer 503; the client reconnects by itself.
 */
const HIT = `
local count = redis.call('INCR', KEYS[1])
local ttl = redis.call('TTL', KEYS[1])
if count == 1 or ttl < 0 then
  redis.call('EXPIRE', KEYS[1], ARGV[1])
  ttl = tonumber(ARGV[1])
end
return {count, ttl}
`;

/** Every key's count and seconds left in one round trip (a missing key: 0 and -2). */
const PEEK = `
local out = {}
for i, key in ipairs(KEYS) do
  out[2 * i - 1] = tonumber(redis.call('GET', key) or '0')
  out[2 * i] = redis.call('TTL', key)
end
return out
`;

/** Takes one hit back, never below 0, and never creates a key. */
const RELEASE = `
local count = tonumber(redis.call('GET', KEYS[1]) or '0')
if count > 0 then redis.call('DECR', KEYS[1]) end
return 0
`;

type RedisWithHit = Redis & {
  rateLimitRelease(key: string): Promise<number>;
  rateLimitHit(key: string, windowSeconds: number): Promise<[number, number]>;
  rateLimitPeek(...args: [number, ...string[]]): Promise<number[]>;
};

export class RedisRateLimitStore implements RateLimitStore {
  private readonly redis: RedisWithHit;

  constructor(url: string) {
    this.redis = new Redis(url, {
      lazyConnect: true,
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      commandTimeout: 1000,
      connectTimeout: 2000,
      retryStrategy: (attempt) => Math.min(attempt * 200, 2000),
    }) as RedisWithHit;
    this.redis.defineCommand('rateLimitHit', { numberOfKeys: 1, lua: HIT });
    this.redis.defineCommand('rateLimitPeek', { lua: PEEK });
    this.redis.defineCommand('rateLimitRelease', { numberOfKeys: 1, lua: RELEASE });
    // Connection errors are answered per request (503); they must not crash the process.
    this.redis.on('error', () => {});
  }

  /** Connects once; if Redis is down now, requests answer 503 until it comes back. */
  async connect(): Promise<boolean> {
    try {
      await this.redis.connect();
      return true;
    } catch {
      return false;
    }
  }

  async hit(key: string, windowSeconds: number) {
    const [count, ttl] = await this.redis.rateLimitHit(key, windowSeconds);
    return { count, resetSeconds: Math.max(1, ttl) };
  }

  async peek(keys: readonly string[]) {
    if (keys.length === 0) return [];
    const flat = await this.redis.rateLimitPeek(keys.length, ...keys);
    return keys.map((_, i) => {
      const count = Number(flat[2 * i] ?? 0);
      return { count, resetSeconds: count > 0 ? Math.max(1, Number(flat[2 * i + 1] ?? 1)) : 0 };
    });
  }

  async release(key: string) {
    await this.redis.rateLimitRelease(key);
  }

  async clear(key: string) {
    await this.redis.del(key);
  }

  async close() {
    this.redis.disconnect();
  }
}
