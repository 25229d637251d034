import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOGIN_LIMITS } from '../../src/http/rate-limit/login-throttle.ts';
import { createTestContext, type TestContext } from '../helpers/context.ts';

const PASSWORD = 'correct horse battery';
const HOME = '203.0.113.10';
const ATTACKER = '198.51.100.66';

let counter = 0;

// Each failed sign-in verifies a password (scrypt): the suites that need a hundred of them take
// a while on a loaded machine.
describe('sign-in throttling', { timeout: 180_000 }, () => {
  let ctx: TestContext;

  beforeAll(async () => {
    ctx = await createTestContext({ OMI_ALLOW_SIGNUP: 'true' });
  });
  afterAll(async () => {
    await ctx.close();
  });

  const login = (email: string, password: string, remoteAddress: string) =>
    ctx.app.inject({ method: 'POST', url: '/v1/auth/login', remoteAddress, payload: { email, password } });

  async function account(): Promise<string> {
    const email = `victim${++counter}@example.com`;
    await ctx.services.accounts.createUser({ email, name: 'Victim', password: PASSWORD });
    return email;
  }

  async function fail(email: string, address: string, times: number): Promise<number[]> {
    const statuses: number[] = [];
    for (let i = 0; i < times; i++) statuses.push((await login(email, `wrong guess ${i}`, address)).statusCode);
    return statuses;
  }

  it('POST /v1/auth/login › answers 429 with Retry-After after too many failures for one account from one address', async () => {
    const email = await account();
    const max = LOGIN_LIMITS.accountAddress.max;
    expect(await fail(email, ATTACKER, max)).toEqual(Array(max).fill(401));

    const throttled = await login(email, 'one more guess', ATTACKER);
    expect(throttled.statusCode).toBe(429);
    expect(throttled.json()).toEqual({ detail: `Too many failed sign-in attempts. Try again in ${LOGIN_LIMITS.accountAddress.windowSeconds}s.` });
    expect(throttled.headers['retry-after']).toBe(String(LOGIN_LIMITS.accountAddress.windowSeconds));
    // The right password is refused too while throttled: a 200 would tell the attacker it was right.
    expect((await login(email, PASSWORD, ATTACKER)).statusCode).toBe(429);

    ctx.clock.advance(5 * 60 * 1000);
    const later = await login(email, 'guess', ATTACKER);
    expect(later.statusCode).toBe(429);
    expect(later.headers['retry-after']).toBe(String(LOGIN_LIMITS.accountAddress.windowSeconds - 5 * 60));

    // After the window the address may try again.
    ctx.clock.advance((LOGIN_LIMITS.accountAddress.windowSeconds - 5 * 60) * 1000);
    expect((await login(email, PASSWORD, ATTACKER)).statusCode).toBe(200);
  });

  it('POST /v1/auth/login › keeps letting the real user in from their address while another address is throttled', async () => {
    const email = await account();
    expect((await login(email, PASSWORD, HOME)).statusCode).toBe(200);
    await fail(email, ATTACKER, LOGIN_LIMITS.accountAddress.max + 5);
    expect((await login(email, 'guess', ATTACKER)).statusCode).toBe(429);

    const home = await login(email, PASSWORD, HOME);
    expect(home.statusCode).toBe(200);
    expect(home.json().user.email).toBe(email);
    ctx.clock.advance(LOGIN_LIMITS.accountAddress.windowSeconds * 1000);
  });

  it('POST /v1/auth/login › a botnet exhausting the per-account limit does not lock the user out of an address they signed in from', async () => {
    const email = await account();
    expect((await login(email, PASSWORD, HOME)).statusCode).toBe(200);
    // Many addresses, each staying under its own limits, together pass the account's.
    const perAddress = 5;
    for (let bot = 0; bot * perAddress < LOGIN_LIMITS.account.max; bot++) {
      expect(await fail(email, `192.0.2.${bot + 1}`, perAddress)).toEqual(Array(perAddress).fill(401));
    }
    // A new address is now refused for this account, even with the right password…
    const fresh = await login(email, PASSWORD, '192.0.2.200');
    expect(fresh.statusCode).toBe(429);
    expect(Number(fresh.headers['retry-after'])).toBeGreaterThan(0);
    // …but the address the user signed in from keeps working.
    expect((await login(email, PASSWORD, HOME)).statusCode).toBe(200);
    // The per-account limit is the account's: another account from the new address is unaffected.
    const other = await account();
    expect((await login(other, PASSWORD, '192.0.2.200')).statusCode).toBe(200);

    // An address stops being known 30 days after its last sign-in: then it is throttled like any other.
    ctx.clock.advance(LOGIN_LIMITS.knownForSeconds * 1000);
    for (let bot = 0; bot * perAddress < LOGIN_LIMITS.account.max; bot++) await fail(email, `192.0.2.${bot + 101}`, perAddress);
    expect((await login(email, PASSWORD, HOME)).statusCode).toBe(429);
    ctx.clock.advance(LOGIN_LIMITS.account.windowSeconds * 1000);
  });

  it('POST /v1/auth/login › throttles one address spraying many accounts, unknown emails included', async () => {
    const sprayer = '198.51.100.99';
    for (let i = 0; i < LOGIN_LIMITS.address.max; i++) {
      expect((await login(`nobody${i}@example.com`, 'Password1', sprayer)).statusCode).toBe(401);
    }
    const email = await account();
    const refused = await login(email, PASSWORD, sprayer);
    expect(refused.statusCode).toBe(429);
    expect(refused.headers['retry-after']).toBe(String(LOGIN_LIMITS.address.windowSeconds));
    // The same account from its owner's address is not affected.
    expect((await login(email, PASSWORD, HOME)).statusCode).toBe(200);
    ctx.clock.advance(LOGIN_LIMITS.address.windowSeconds * 1000);
    expect((await login(email, PASSWORD, sprayer)).statusCode).toBe(200);
  });

  it('POST /v1/auth/login › a successful sign-in clears that address\'s failures for the account', async () => {
    const email = await account();
    await fail(email, HOME, LOGIN_LIMITS.accountAddress.max - 1);
    expect((await login(email, PASSWORD, HOME)).statusCode).toBe(200);
    expect(await fail(email, HOME, LOGIN_LIMITS.accountAddress.max - 1)).toEqual(Array(LOGIN_LIMITS.accountAddress.max - 1).fill(401));
    expect((await login(email, PASSWORD, HOME)).statusCode).toBe(200);
  });

  it('POST /v1/auth/login › a burst of parallel guesses gets no more than the limit past the password check', async () => {
    const email = await account();
    const burst = await Promise.all(
      Array.from({ length: 3 * LOGIN_LIMITS.accountAddress.max }, (_, i) => login(email, `parallel guess ${i}`, '198.51.100.30')),
    );
    const statuses = burst.map((response) => response.statusCode);
    expect(statuses.filter((status) => status === 401)).toHaveLength(LOGIN_LIMITS.accountAddress.max);
    expect(statuses.filter((status) => status === 429)).toHaveLength(2 * LOGIN_LIMITS.accountAddress.max);
    ctx.clock.advance(LOGIN_LIMITS.accountAddress.windowSeconds * 1000);
  });

  it('POST /v1/auth/login › validation errors (422) do not count as failures', async () => {
    const email = await account();
    for (let i = 0; i < LOGIN_LIMITS.accountAddress.max + 1; i++) {
      const response = await ctx.app.inject({ method: 'POST', url: '/v1/auth/login', remoteAddress: '198.51.100.7', payload: { email } });
      expect(response.statusCode).toBe(422);
    }
    expect((await login(email, PASSWORD, '198.51.100.7')).statusCode).toBe(200);
  });

  it('POST /v1/auth/signup › answers 429 with Retry-After after too many sign-ups from one address', async () => {
    const address = '198.51.100.20';
    const signup = (i: number) =>
      ctx.app.inject({
        method: 'POST',
        url: '/v1/auth/signup',
        remoteAddress: address,
        payload: { email: `new${i}-${counter}@example.com`, password: PASSWORD, name: 'New' },
      });
    for (let i = 0; i < LOGIN_LIMITS.signup.max; i++) expect((await signup(i)).statusCode).toBe(200);
    const refused = await signup(LOGIN_LIMITS.signup.max);
    expect(refused.statusCode).toBe(429);
    expect(refused.json()).toEqual({ detail: `Too many sign-up attempts. Try again in ${LOGIN_LIMITS.signup.windowSeconds}s.` });
    expect(refused.headers['retry-after']).toBe(String(LOGIN_LIMITS.signup.windowSeconds));
    // Nothing was created for the refused attempt.
    expect(await ctx.services.accounts.findByEmail(`new${LOGIN_LIMITS.signup.max}-${counter}@example.com`)).toBeUndefined();
    // Another address may still sign up.
    const elsewhere = await ctx.app.inject({
      method: 'POST',
      url: '/v1/auth/signup',
      remoteAddress: '198.51.100.21',
      payload: { email: `elsewhere-${counter}@example.com`, password: PASSWORD, name: 'Elsewhere' },
    });
    expect(elsewhere.statusCode).toBe(200);
  });
});

describe('sign-in throttling with OMI_RATE_LIMIT_MULTIPLIER=0', () => {
  it('POST /v1/auth/login › does not throttle when rate limiting is off', async () => {
    const ctx = await createTestContext({ OMI_RATE_LIMIT_MULTIPLIER: '0' });
    try {
      await ctx.services.accounts.createUser({ email: 'off@example.com', name: 'Off', password: PASSWORD });
      for (let i = 0; i <= LOGIN_LIMITS.accountAddress.max; i++) {
        const response = await ctx.app.inject({ method: 'POST', url: '/v1/auth/login', payload: { email: 'off@example.com', password: 'nope nope' } });
        expect(response.statusCode).toBe(401);
      }
      const response = await ctx.app.inject({ method: 'POST', url: '/v1/auth/login', payload: { email: 'off@example.com', password: PASSWORD } });
      expect(response.statusCode).toBe(200);
    } finally {
      await ctx.close();
    }
  });
});
