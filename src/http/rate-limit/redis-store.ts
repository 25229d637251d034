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

type RedisWithHit = Redis & { rateLimitHit(key: string, windowSeconds: number): Promise<[number, number]> };

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

  async close() {
    this.redis.disconnect();
  }
}
