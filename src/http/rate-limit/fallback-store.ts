import { MemoryRateLimitStore, type RateLimitStore } from './store.ts';

/**
 * A shared store that falls back to counters in this process while it cannot answer. Used for
 * sign-in throttling, where failing closed (503) would lock every user out whenever Redis is away
 * and failing open would leave password guessing unthrottled: each instance keeps throttling on
 * its own until the shared counters are back.
 */
export class FallbackRateLimitStore implements RateLimitStore {
  private degraded = false;

  constructor(
    private readonly primary: RateLimitStore,
    private readonly fallback: RateLimitStore = new MemoryRateLimitStore(),
    private readonly onChange: (degraded: boolean) => void = () => {},
  ) {}

  hit(key: string, windowSeconds: number) {
    return this.either((store) => store.hit(key, windowSeconds));
  }

  peek(keys: readonly string[]) {
    return this.either((store) => store.peek(keys));
  }

  release(key: string) {
    return this.either((store) => store.release(key));
  }

  clear(key: string) {
    return this.either((store) => store.clear(key));
  }

  /** Closes the fallback only: the primary belongs to whoever made it. */
  close() {
    return this.fallback.close();
  }

  private async either<T>(operation: (store: RateLimitStore) => Promise<T>): Promise<T> {
    try {
      const result = await operation(this.primary);
      this.mark(false);
      return result;
    } catch {
      this.mark(true);
      return operation(this.fallback);
    }
  }

  private mark(degraded: boolean) {
    if (degraded === this.degraded) return;
    this.degraded = degraded;
    this.onChange(degraded);
  }
}
