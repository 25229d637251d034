import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, parseConfig } from '../../src/config/config.ts';
import { LOGIN_LIMITS } from '../../src/http/rate-limit/login-throttle.ts';
import { createTestContext, type TestContext } from '../helpers/context.ts';

const PASSWORD = 'correct horse battery';
const PROXY = '127.0.0.1';
const CLIENT = '198.51.100.20';
const OTHER = '198.51.100.21';
const STRANGER = '203.0.113.9';

let counter = 0;

/** Observes `request.ip` through the sign-in throttle: `max` failures lock that address out of the account. */
function throttleProbe(ctx: () => TestContext) {
  const login = (email: string, password: string, remoteAddress: string, forwardedFor?: string) =>
    ctx().app.inject({
      method: 'POST',
      url: '/v1/auth/login',
      remoteAddress,
      headers: forwardedFor === undefined ? {} : { 'x-forwarded-for': forwardedFor },
      payload: { email, password },
    });
  const account = async () => {
    const email = `proxied${++counter}@example.com`;
    await ctx().services.accounts.createUser({ email, name: 'Proxied', password: PASSWORD });
    return email;
  };
  return { login, account };
}

describe('OMI_TRUST_PROXY parsing', () => {
  const parse = (value: string) => parseConfig({ OMI_DATABASE_URL: 'sqlite::memory:', OMI_TRUST_PROXY: value }).trustProxy;

  it('is off when unset, and accepts true, a hop count, or addresses and CIDRs', () => {
    expect(parseConfig({ OMI_DATABASE_URL: 'sqlite::memory:' }).trustProxy).toBe(false);
    expect(parse('false')).toBe(false);
    expect(parse('true')).toBe(true);
    expect(parse('2')).toBe(2);
    expect(parse(' 10.0.0.1, 10.1.0.0/16 ,fd00::/8,loopback')).toEqual(['10.0.0.1', '10.1.0.0/16', 'fd00::/8', 'loopback']);
  });

  it('refuses anything else at start-up, naming the variable', () => {
    for (const bad of ['10.0.0.300', 'proxy.example.com', '10.0.0.0/33', '10.0.0.1/8/8', '::1/129', ',', 'maybe']) {
      let thrown: unknown;
      try {
        parse(bad);
      } catch (error) {
        thrown = error;
      }
      expect(thrown, bad).toBeInstanceOf(ConfigError);
      expect((thrown as ConfigError).variable).toBe('OMI_TRUST_PROXY');
      expect((thrown as Error).message).toContain('OMI_TRUST_PROXY');
    }
  });
});

describe('without OMI_TRUST_PROXY', { timeout: 120_000 }, () => {
  let ctx: TestContext;
  const { login, account } = throttleProbe(() => ctx);

  beforeAll(async () => {
    ctx = await createTestContext();
  });
  afterAll(async () => {
    await ctx.close();
  });

  it('POST /v1/auth/login › throttles the socket address whatever X-Forwarded-For claims', async () => {
    const email = await account();
    for (let i = 0; i < LOGIN_LIMITS.accountAddress.max; i++) {
      expect((await login(email, `guess ${i}`, STRANGER, `192.0.2.${i + 1}`)).statusCode).toBe(401);
    }
    expect((await login(email, 'another guess', STRANGER, '192.0.2.200')).statusCode).toBe(429);
    expect((await login(email, PASSWORD, STRANGER)).statusCode).toBe(429);
    // Another real address is not affected.
    expect((await login(email, PASSWORD, OTHER)).statusCode).toBe(200);
  });

  it('GET /metrics › a forwarded request from loopback stays remote', async () => {
    expect((await ctx.app.inject({ method: 'GET', url: '/metrics', remoteAddress: PROXY })).statusCode).toBe(200);
    const forwarded = await ctx.app.inject({ method: 'GET', url: '/metrics', remoteAddress: PROXY, headers: { 'x-forwarded-for': '127.0.0.1' } });
    expect(forwarded.statusCode).toBe(404);
  });

  it('OAuth metadata › ignores X-Forwarded-Proto and -Host', async () => {
    const res = await ctx.app.inject({
      method: 'GET',
      url: '/.well-known/oauth-authorization-server',
      remoteAddress: PROXY,
      headers: { host: 'internal:8080', 'x-forwarded-proto': 'https', 'x-forwarded-host': 'omi.example.com' },
    });
    expect(res.json().issuer).toBe('http://internal:8080');
  });
});

describe('OMI_TRUST_PROXY=127.0.0.1', { timeout: 120_000 }, () => {
  let ctx: TestContext;
  const { login, account } = throttleProbe(() => ctx);

  beforeAll(async () => {
    ctx = await createTestContext({ OMI_TRUST_PROXY: PROXY });
  });
  afterAll(async () => {
    await ctx.close();
  });

  it('POST /v1/auth/login › throttles the forwarded client address, not the proxy', async () => {
    const email = await account();
    for (let i = 0; i < LOGIN_LIMITS.accountAddress.max; i++) {
      expect((await login(email, `guess ${i}`, PROXY, CLIENT)).statusCode).toBe(401);
    }
    expect((await login(email, PASSWORD, PROXY, CLIENT)).statusCode).toBe(429);
    // Another client behind the same proxy still signs in…
    expect((await login(email, PASSWORD, PROXY, OTHER)).statusCode).toBe(200);
    // …and a spoofed address in front of the real one changes nothing: the proxy's entry is the one used.
    expect((await login(email, PASSWORD, PROXY, `${OTHER}, ${CLIENT}`)).statusCode).toBe(429);
  });

  it('POST /v1/auth/login › an untrusted peer cannot choose its address with X-Forwarded-For', async () => {
    const email = await account();
    for (let i = 0; i < LOGIN_LIMITS.accountAddress.max; i++) {
      expect((await login(email, `guess ${i}`, STRANGER, `192.0.2.${i + 1}`)).statusCode).toBe(401);
    }
    expect((await login(email, PASSWORD, STRANGER, '192.0.2.250')).statusCode).toBe(429);
  });

  it('GET /metrics › answers a loopback client through the proxy, and no one the proxy forwards from elsewhere', async () => {
    const scrape = (remoteAddress: string, forwardedFor?: string) =>
      ctx.app.inject({ method: 'GET', url: '/metrics', remoteAddress, headers: forwardedFor ? { 'x-forwarded-for': forwardedFor } : {} });
    expect((await scrape(PROXY)).statusCode).toBe(200);
    expect((await scrape(PROXY, '127.0.0.1')).statusCode).toBe(200);
    expect((await scrape(PROXY, CLIENT)).statusCode).toBe(404);
    // A remote client writing 127.0.0.1 itself: the proxy appends its real address.
    expect((await scrape(PROXY, `127.0.0.1, ${CLIENT}`)).statusCode).toBe(404);
    expect((await scrape(STRANGER, '127.0.0.1')).statusCode).toBe(404);
  });

  it('OAuth metadata and the console cookie › follow X-Forwarded-Proto and -Host from the proxy only', async () => {
    const headers = { host: 'internal:8080', 'x-forwarded-proto': 'https', 'x-forwarded-host': 'omi.example.com' };
    const issuer = async (remoteAddress: string) =>
      (await ctx.app.inject({ method: 'GET', url: '/.well-known/oauth-authorization-server', remoteAddress, headers })).json().issuer;
    expect(await issuer(PROXY)).toBe('https://omi.example.com');
    expect(await issuer(STRANGER)).toBe('http://internal:8080');

    const email = await account();
    const session = await ctx.app.inject({ method: 'POST', url: '/v1/console/session', remoteAddress: PROXY, headers, payload: { email, password: PASSWORD } });
    expect(session.statusCode).toBe(200);
    expect(String(session.headers['set-cookie'])).toContain('; Secure');
  });
});

describe('OMI_TRUST_PROXY as a hop count', { timeout: 120_000 }, () => {
  let ctx: TestContext;
  const { login, account } = throttleProbe(() => ctx);

  beforeAll(async () => {
    ctx = await createTestContext({ OMI_TRUST_PROXY: '1' });
  });
  afterAll(async () => {
    await ctx.close();
  });

  it('POST /v1/auth/login › throttles the address the nearest hop names', async () => {
    const email = await account();
    for (let i = 0; i < LOGIN_LIMITS.accountAddress.max; i++) {
      expect((await login(email, `guess ${i}`, `10.0.0.${i + 1}`, `192.0.2.${i + 1}, ${CLIENT}`)).statusCode).toBe(401);
    }
    expect((await login(email, PASSWORD, '10.0.0.99', CLIENT)).statusCode).toBe(429);
    expect((await login(email, PASSWORD, '10.0.0.99', OTHER)).statusCode).toBe(200);
  });
});
