import type { Config } from '../../config/config.ts';
import { RateLimiter } from './rate-limiter.ts';
import { FallbackRateLimitStore } from './fallback-store.ts';
import { MemoryRateLimitStore } from './store.ts';

/**
 * Counters in Redis when OMI_REDIS_URL is set (shared by every instance), else in this process.
 * `onWarning` may be called at any time (Redis going away and coming back).
 */
export async function createRateLimiter(config: Config, onWarning: (message: string) => void): Promise<RateLimiter> {
  if (!config.redisUrl) return new RateLimiter(new MemoryRateLimitStore(), config.rateLimitMultiplier);
  // Loaded only when asked for: a single instance starts without the Redis client.
  const { RedisRateLimitStore } = await import('./redis-store.ts');
  const store = new RedisRateLimitStore(config.redisUrl);
  if (!(await store.connect())) {
    onWarning('Redis is unreachable; developer-key routes answer 503 until it is back');
  }
  // Sign-in throttling keeps counting in this process while Redis is away (fallback-store.ts).
  const loginStore = new FallbackRateLimitStore(store, new MemoryRateLimitStore(), (degraded) =>
    onWarning(degraded ? 'Redis is unreachable; sign-in throttling counts in this process until it is back' : 'Redis is back; sign-in throttling is shared again'),
  );
  return new RateLimiter(store, config.rateLimitMultiplier, loginStore);
}

/** Where the counters live, for the start-up log: never Redis's password. */
export function describeRateLimitStore(config: Config): string {
  if (config.rateLimitMultiplier === 0) return 'off (OMI_RATE_LIMIT_MULTIPLIER=0)';
  if (!config.redisUrl) return 'in-process';
  const url = new URL(config.redisUrl);
  return `redis ${url.hostname}:${url.port || '6379'}${url.pathname.length > 1 ? url.pathname : ''}`;
}
