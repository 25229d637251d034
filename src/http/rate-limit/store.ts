/**
 * Where fixed-window counters live. The in-process store serves one instance; a shared store
 * (Redis) lets many instances enforce one budget.
 */
export interface RateLimitStore {
  /** Counts one hit on `key` and returns the count in the current window and its seconds left. */
  hit(key: string, windowSeconds: number): Promise<{ count: number; resetSeconds: number }>;
  /** Each key's count in its current window (0 when it has none), without counting a hit. */
  peek(keys: readonly string[]): Promise<{ count: number; resetSeconds: number }[]>;
  /** Takes back one hit counted in the key's current window (never below 0; nothing if it has none). */
  release(key: string): Promise<void>;
  /** Forgets a key's window. */
  clear(key: string): Promise<void>;
  close(): Promise<void>;
}

/** Counters in a Map, swept of expired windows as it grows. */
export class MemoryRateLimitStore implements RateLimitStore {
  private readonly windows = new Map<string, { count: number; expiresAt: number }>();
  private nextSweep = 0;

  constructor(private readonly now: () => number = Date.now) {}

  async hit(key: string, windowSeconds: number) {
    const now = this.now();
    if (now >= this.nextSweep) this.sweep(now);
    let window = this.windows.get(key);
    if (!window || window.expiresAt <= now) {
      window = { count: 0, expiresAt: now + windowSeconds * 1000 };
      this.windows.set(key, window);
    }
    window.count += 1;
    return { count: window.count, resetSeconds: Math.max(1, Math.ceil((window.expiresAt - now) / 1000)) };
  }

  async peek(keys: readonly string[]) {
    const now = this.now();
    return keys.map((key) => {
      const window = this.windows.get(key);
      if (!window || window.expiresAt <= now) return { count: 0, resetSeconds: 0 };
      return { count: window.count, resetSeconds: Math.max(1, Math.ceil((window.expiresAt - now) / 1000)) };
    });
  }

  async release(key: string) {
    const window = this.windows.get(key);
    if (window && window.expiresAt > this.now() && window.count > 0) window.count -= 1;
  }

  async clear(key: string) {
    this.windows.delete(key);
  }

  private sweep(now: number) {
    for (const [key, window] of this.windows) if (window.expiresAt <= now) this.windows.delete(key);
    this.nextSweep = now + 60_000;
  }

  async close() {
    this.windows.clear();
  }
}
