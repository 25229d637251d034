import { AppError, unavailable } from '../../lib/errors.ts';
import { LoginThrottle } from './login-throttle.ts';
import { effectiveLimit, type PolicyName, WINDOW_SECONDS } from './policies.ts';
import type { RateLimitStore } from './store.ts';

export interface RateLimitOutcome {
  headers: Record<string, string>;
}

/**
 * Fixed-window limits per (policy, key), as upstream: every request counts, the request is
 * allowed while the count is within the limit. Over it: 429 with `Retry-After`. If the counter
 * store cannot answer, the request is refused with 503 (upstream fails closed on API-key routes).
 */
export class RateLimiter {
  /** Sign-in and sign-up throttling; off with the rest when the multiplier is 0. */
  readonly login: LoginThrottle;

  constructor(
    private readonly store: RateLimitStore,
    private readonly multiplier: number,
    private readonly loginStore: RateLimitStore = store,
  ) {
    this.login = new LoginThrottle(loginStore, multiplier > 0);
  }

  /** Told the policy of every request refused with 429 (the /metrics counter). */
  onRejected: ((policy: PolicyName) => void) | undefined;

  get enabled(): boolean {
    return this.multiplier > 0;
  }

  async check(policy: PolicyName, subject: string): Promise<RateLimitOutcome> {
    if (!this.enabled) return { headers: {} };
    const limit = effectiveLimit(policy, this.multiplier);
    let result: { count: number; resetSeconds: number };
    try {
      result = await this.store.hit(`rl:${policy}:${subject}`, WINDOW_SECONDS);
    } catch {
      throw unavailable('Rate limiter unavailable');
    }
    const remaining = Math.max(0, limit - result.count);
    const headers: Record<string, string> = {
      'x-ratelimit-limit': String(limit),
      'x-ratelimit-remaining': String(remaining),
      // IETF draft-ietf-httpapi-ratelimit-headers structured fields.
      'ratelimit-policy': `"${policy}";q=${limit};w=${WINDOW_SECONDS}`,
      ratelimit: `"${policy}";r=${remaining};t=${result.resetSeconds}`,
    };
    if (result.count > limit) {
      this.onRejected?.(policy);
      throw new AppError('rate_limited', `Rate limit exceeded. Try again in ${result.resetSeconds}s.`, {
        ...headers,
        'retry-after': String(result.resetSeconds),
      });
    }
    return { headers };
  }

  async close(): Promise<void> {
    if (this.loginStore !== this.store) await this.loginStore.close();
    await this.store.close();
  }
}
