import { AppError } from '../../lib/errors.ts';
import { sha256Hex } from '../../lib/crypto.ts';
import type { RateLimitStore } from './store.ts';

interface Limit {
  readonly max: number;
  readonly windowSeconds: number;
}

/**
 * Sign-in throttling (OWASP's "known device" approach). Only failed sign-ins count:
 * - per account and address: one address guessing one account's password;
 * - per address: one address spraying many accounts;
 * - per account, from addresses that have not signed in to it lately: many addresses (a botnet)
 *   guessing one account. An address that signed in to the account within `knownForSeconds` is exempt
 *   from this one, so an attacker cannot lock the real user out from where they usually sign in.
 * While any applicable limit is exceeded every attempt from that address is refused with 429
 * before the password is checked, the right password too, so the throttle leaks nothing.
 * (`max` failures are allowed per window; the next attempt is refused.)
 * Sign-ups are counted per address, every attempt.
 */
export const LOGIN_LIMITS = {
  accountAddress: { max: 10, windowSeconds: 15 * 60 },
  address: { max: 50, windowSeconds: 15 * 60 },
  account: { max: 50, windowSeconds: 60 * 60 },
  signup: { max: 10, windowSeconds: 60 * 60 },
  /** How long a successful sign-in makes its address "known" to the account. */
  knownForSeconds: 30 * 24 * 3600,
} as const satisfies Record<string, Limit | number>;

const TOO_MANY_SIGN_INS = 'Too many failed sign-in attempts';
const TOO_MANY_SIGN_UPS = 'Too many sign-up attempts';

function tooMany(text: string, retryAfter: number): AppError {
  return new AppError('rate_limited', `${text}. Try again in ${retryAfter}s.`, { 'retry-after': String(retryAfter) });
}

/** Keys carry a hash of the email, not the address itself. */
const account = (email: string) => sha256Hex(email.trim().toLowerCase()).slice(0, 32);

export class LoginThrottle {
  /** Told of every attempt refused with 429, as `login` or `signup` (the /metrics counter). */
  onRejected: ((policy: 'login' | 'signup') => void) | undefined;

  constructor(
    private readonly store: RateLimitStore,
    readonly enabled: boolean,
  ) {}

  /**
   * Runs `signIn` unless `address` is throttled for `email`. The attempt is counted before the
   * password is checked (atomically, so a burst of parallel guesses cannot slip past the limit)
   * and taken back unless it fails with 401; a success also forgets this address's failures for
   * the account and remembers the address as known to it.
   */
  async attempt<T>(email: string, address: string, signIn: () => Promise<T>): Promise<T> {
    if (!this.enabled) return signIn();
    const keys = this.keys(email, address);
    const [known] = await this.store.peek([keys.known]);
    const [pair, byAddress, byAccount] = await Promise.all([
      this.store.hit(keys.pair, LOGIN_LIMITS.accountAddress.windowSeconds),
      this.store.hit(keys.address, LOGIN_LIMITS.address.windowSeconds),
      this.store.hit(keys.account, LOGIN_LIMITS.account.windowSeconds),
    ]);
    const exceeded = [
      pair.count > LOGIN_LIMITS.accountAddress.max && pair,
      byAddress.count > LOGIN_LIMITS.address.max && byAddress,
      known!.count === 0 && byAccount.count > LOGIN_LIMITS.account.max && byAccount,
    ].filter((window) => window !== false);
    // A refused attempt stays counted: it changes nothing, the windows are fixed.
    if (exceeded.length > 0) {
      this.onRejected?.('login');
      throw tooMany(TOO_MANY_SIGN_INS, Math.max(...exceeded.map((w) => w.resetSeconds)));
    }

    let result: T;
    try {
      result = await signIn();
    } catch (error) {
      // Only a wrong email or password is a failure; anything else (the database down, say) is not.
      if (!(error instanceof AppError && error.code === 'unauthorized')) {
        await Promise.all([keys.pair, keys.address, keys.account].map((key) => this.store.release(key)));
      }
      throw error;
    }
    await Promise.all([
      this.store.clear(keys.pair),
      this.store.release(keys.address),
      this.store.release(keys.account),
      // Restart the known-address window from this sign-in.
      this.store.clear(keys.known).then(() => this.store.hit(keys.known, LOGIN_LIMITS.knownForSeconds)),
    ]);
    return result;
  }

  /** Counts a sign-up attempt from `address`; over the limit → 429. */
  async signup(address: string): Promise<void> {
    if (!this.enabled) return;
    const { count, resetSeconds } = await this.store.hit(`signup:addr:${address}`, LOGIN_LIMITS.signup.windowSeconds);
    if (count > LOGIN_LIMITS.signup.max) {
      this.onRejected?.('signup');
      throw tooMany(TOO_MANY_SIGN_UPS, resetSeconds);
    }
  }

  private keys(email: string, address: string) {
    const id = account(email);
    return {
      pair: `login:fail:${id}:${address}`,
      address: `login:fail:addr:${address}`,
      account: `login:fail:${id}`,
      known: `login:known:${id}:${address}`,
    };
  }
}
