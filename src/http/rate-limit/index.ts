import type { Config } from '../../config/config.ts';
import { RateLimiter } from './rate-limiter.ts';
import { MemoryRateLimitStore } from './store.ts';

/** Counters in Redis when OMI_REDIS_URL is set (shared by every instance), else in this process. */
export async function createRateLimiter(config: Config, onWarning: (message: string) => void): Promise<RateLimiter> {
  if (!config.redisUrl) return new RateLimiter(new MemoryRateLimitStore(), config.rateLimitMultiplier);
  // Loaded only when asked for: a single instance starts without the Redis client.
  const { RedisRateLimitStore } = await import('./redis-store.ts');
  const store = new RedisRateLimitStore(config.redisUrl);
  if (!(await store.connect())) {
    onWarning('Redis is unreachable; developer-key routes answer 503 until it is back');
  }
  return new RateLimiter(store, config.rateLimitMultiplier);
}
