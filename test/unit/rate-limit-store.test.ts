import { describe, expect, it } from 'vitest';
import { FallbackRateLimitStore } from '../../src/http/rate-limit/fallback-store.ts';
import { MemoryRateLimitStore, type RateLimitStore } from '../../src/http/rate-limit/store.ts';

describe('MemoryRateLimitStore', () => {
  it('peeks at counts without counting, and forgets a cleared key', async () => {
    let now = 0;
    const store = new MemoryRateLimitStore(() => now);
    await store.hit('k', 10);
    await store.hit('k', 10);
    now = 3_000;
    expect(await store.peek(['k', 'absent'])).toEqual([
      { count: 2, resetSeconds: 7 },
      { count: 0, resetSeconds: 0 },
    ]);
    expect(await store.peek(['k'])).toEqual([{ count: 2, resetSeconds: 7 }]);
    await store.clear('k');
    expect(await store.peek(['k'])).toEqual([{ count: 0, resetSeconds: 0 }]);
    await store.hit('k', 10);
    now = 13_000;
    expect(await store.peek(['k'])).toEqual([{ count: 0, resetSeconds: 0 }]);
  });

  it('takes a hit back, never below 0, and never revives an expired window', async () => {
    let now = 0;
    const store = new MemoryRateLimitStore(() => now);
    await store.hit('k', 10);
    await store.hit('k', 10);
    await store.release('k');
    expect(await store.peek(['k'])).toEqual([{ count: 1, resetSeconds: 10 }]);
    await store.release('k');
    await store.release('k');
    expect((await store.peek(['k']))[0]!.count).toBe(0);
    await store.release('absent');
    expect(await store.peek(['absent'])).toEqual([{ count: 0, resetSeconds: 0 }]);
    await store.hit('old', 10);
    now = 10_000;
    await store.release('old');
    expect((await store.hit('old', 10)).count).toBe(1);
  });
});

/** A store that can be switched off, to play a shared store going away. */
class Switchable implements RateLimitStore {
  up = true;
  constructor(private readonly inner = new MemoryRateLimitStore()) {}
  private guard() {
    if (!this.up) throw new Error('unreachable');
  }
  async hit(key: string, windowSeconds: number) {
    this.guard();
    return this.inner.hit(key, windowSeconds);
  }
  async peek(keys: readonly string[]) {
    this.guard();
    return this.inner.peek(keys);
  }
  async release(key: string) {
    this.guard();
    return this.inner.release(key);
  }
  async clear(key: string) {
    this.guard();
    return this.inner.clear(key);
  }
  async close() {}
}

describe('FallbackRateLimitStore', () => {
  it('counts in the fallback while the primary fails, says so once each way, and goes back to the primary', async () => {
    const primary = new Switchable();
    const changes: boolean[] = [];
    const store = new FallbackRateLimitStore(primary, new MemoryRateLimitStore(), (degraded) => changes.push(degraded));
    expect((await store.hit('k', 60)).count).toBe(1);
    primary.up = false;
    expect((await store.hit('k', 60)).count).toBe(1);
    expect((await store.hit('k', 60)).count).toBe(2);
    expect(await store.peek(['k'])).toEqual([{ count: 2, resetSeconds: 60 }]);
    primary.up = true;
    expect((await store.hit('k', 60)).count).toBe(2);
    expect(changes).toEqual([true, false]);
  });
});
