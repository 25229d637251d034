/**
 * Where fixed-window counters live. The in-process store serves one instance; a shared store
 * (Redis) lets many instances enforce one budget.
 */
export interface RateLimitStore {
  /** Counts one hit on `key` and returns the count in the current window and its seconds left. */
  hit(key: string, windowSeconds: number): Promise<{ count: number; resetSeconds: number }>;
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

  private sweep(now: number) {
    for (const [key, window] of this.windows) if (window.expiresAt <= now) this.windows.delete(key);
    this.nextSweep = now + 60_000;
  }

  async close() {
    this.windows.clear();
  }
}
