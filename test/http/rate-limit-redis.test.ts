import { createServer, connect, type Server, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RedisRateLimitStore } from '../../src/http/rate-limit/redis-store.ts';
import { RateLimiter } from '../../src/http/rate-limit/rate-limiter.ts';
import { buildApp } from '../../src/app.ts';
import { parseConfig } from '../../src/config/config.ts';
import { createServices } from '../../src/services.ts';
import { openStorage } from '../../src/storage/index.ts';
import { redisAvailable, REDIS_TEST_URL as REDIS_URL } from '../helpers/databases.ts';

/** A TCP proxy in front of Redis that can be cut and restored, to play "Redis went away". */
async function startProxy(target: URL): Promise<{ port: number; cut(): void; restore(): Promise<void>; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  let server: Server;
  let port = 0;
  const listen = () =>
    new Promise<void>((resolve) => {
      server = createServer((client) => {
        const upstream = connect(Number(target.port || 6379), target.hostname);
        sockets.add(client).add(upstream);
        client.pipe(upstream).pipe(client);
        const end = () => {
          client.destroy();
          upstream.destroy();
        };
        client.on('error', end).on('close', end);
        upstream.on('error', end).on('close', end);
      });
      server.listen(port, '127.0.0.1', () => {
        port = (server.address() as { port: number }).port;
        resolve();
      });
    });
  await listen();
  const cut = () => {
    server.close();
    for (const socket of sockets) socket.destroy();
    sockets.clear();
  };
  return { port, cut, restore: listen, close: async () => cut() };
}

describe.skipIf(!(await redisAvailable()))('Redis rate-limit store', () => {
  const prefix = `test-${process.pid}-${Date.now()}`;
  let store: RedisRateLimitStore;
  beforeAll(async () => {
    store = new RedisRateLimitStore(REDIS_URL);
    await store.connect();
  });
  afterAll(() => store.close());

  it('counts atomically within a window shared by every client', async () => {
    const other = new RedisRateLimitStore(REDIS_URL);
    await other.connect();
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => (i % 2 ? store : other).hit(`${prefix}:a`, 60)));
    expect(results.map((r) => r.count).sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    expect(results.every((r) => r.resetSeconds > 0 && r.resetSeconds <= 60)).toBe(true);
    await other.close();
  });

  it('GET /v1/dev/user/memories › answers 503 "Rate limiter unavailable" while Redis is away, and recovers by itself', async () => {
    const proxy = await startProxy(new URL(REDIS_URL));
    const config = parseConfig({ OMI_DATABASE_URL: 'sqlite::memory:', OMI_LOG_LEVEL: 'silent' });
    const storage = await openStorage(config.databaseUrl);
    const services = createServices(config, storage);
    const proxied = new RedisRateLimitStore(`redis://127.0.0.1:${proxy.port}`);
    expect(await proxied.connect()).toBe(true);
    const app = await buildApp({ config, storage, services, rateLimiter: new RateLimiter(proxied, 100) });
    const user = await services.accounts.createUser({ email: 'r@example.com', name: 'R', password: 'password123' });
    const { secret } = await services.apiKeys.create(user.id, { name: 'k' });
    const get = () => app.inject({ method: 'GET', url: '/v1/dev/user/memories', headers: { authorization: `Bearer ${secret}` } });

    expect((await get()).statusCode).toBe(200);
    proxy.cut();
    const down = await get();
    expect(down.statusCode).toBe(503);
    expect(down.json()).toEqual({ detail: 'Rate limiter unavailable' });
    await proxy.restore();
    let recovered = 0;
    for (let attempt = 0; attempt < 50 && recovered !== 200; attempt++) {
      await new Promise((r) => setTimeout(r, 100));
      recovered = (await get()).statusCode;
    }
    expect(recovered).toBe(200);

    await app.close();
    await proxied.close();
    await proxy.close();
    await storage.close();
  });
});

describe('Redis rate-limit store, unreachable', () => {
  it('answers 503 "Rate limiter unavailable" on developer-key routes when Redis cannot be reached', async () => {
    const config = parseConfig({ OMI_DATABASE_URL: 'sqlite::memory:', OMI_LOG_LEVEL: 'silent' });
    const storage = await openStorage(config.databaseUrl);
    const services = createServices(config, storage);
    const store = new RedisRateLimitStore('redis://127.0.0.1:1');
    expect(await store.connect()).toBe(false);
    const app = await buildApp({ config, storage, services, rateLimiter: new RateLimiter(store, 100) });
    const user = await services.accounts.createUser({ email: 'u@example.com', name: 'U', password: 'password123' });
    const { secret } = await services.apiKeys.create(user.id, { name: 'k' });
    const response = await app.inject({ method: 'GET', url: '/v1/dev/user/memories', headers: { authorization: `Bearer ${secret}` } });
    expect(response.statusCode).toBe(503);
    expect(response.json()).toEqual({ detail: 'Rate limiter unavailable' });
    // Health does not depend on the rate limiter.
    expect((await app.inject({ method: 'GET', url: '/healthz' })).statusCode).toBe(200);
    await app.close();
    await store.close();
    await storage.close();
  });
});
