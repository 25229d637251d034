import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parsePrometheus, sampleValue } from '../helpers/prometheus.ts';
import { startServerProcess, type RunningServer } from '../helpers/server-process.ts';

/**
 * The access log (OMI_ACCESS_LOG) and /metrics as an operator meets them: a real server process,
 * its log stream read line by line, scraped over loopback TCP.
 */
const dir = mkdtempSync(join(tmpdir(), 'omi-access-log-'));
const children = new Set<ChildProcess>();
const PASSWORD = 'owner-password-123';
const SECRET = 'supersecret-query-value';

const env = (extra: Record<string, string>) => ({
  ...process.env,
  PORT: '0',
  HOST: '127.0.0.1',
  OMI_REDIS_URL: '',
  OMI_DATABASE_URL: `sqlite:${join(dir, `omi-${children.size}.db`)}`,
  OMI_ADMIN_EMAIL: 'owner@example.com',
  OMI_ADMIN_PASSWORD: PASSWORD,
  ...extra,
});

afterAll(() => {
  for (const child of children) child.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

const accessLines = (server: RunningServer) => server.logs.filter((entry) => entry.msg === 'request completed');

/** Waits until the server has written `count` access lines (each is written as its response completes). */
async function waitForLines(server: RunningServer, count: number): Promise<Record<string, unknown>[]> {
  while (accessLines(server).length < count) await new Promise((resolve) => setTimeout(resolve, 20));
  return accessLines(server);
}

async function stop(server: RunningServer): Promise<void> {
  server.child.kill('SIGTERM');
  expect(await server.exited).toBe(0);
}

describe('access log', () => {
  it('OMI_ACCESS_LOG=true › one info line per request with route pattern, status, duration, user and request id; no secret', { timeout: 60_000 }, async () => {
    const server = await startServerProcess(['--import', 'tsx', 'src/main.ts'], { env: env({ OMI_ACCESS_LOG: 'true', OMI_LOG_LEVEL: 'info' }) }, children);
    const login = await fetch(`${server.url}/v1/auth/login`, { method: 'POST', body: JSON.stringify({ email: 'owner@example.com', password: PASSWORD }) });
    expect(login.status).toBe(200);
    const { token, user } = (await login.json()) as { token: string; user: { id: string } };
    expect((await fetch(`${server.url}/v1/users/me`, { headers: { authorization: `Bearer ${token}` } })).status).toBe(200);
    expect((await fetch(`${server.url}/healthz?api_key=${SECRET}`)).status).toBe(200);
    expect((await fetch(`${server.url}/v1/dev/user/memories/${SECRET}`, { method: 'PATCH', headers: { authorization: `Bearer omi_dev_${SECRET}` } })).status).toBe(401);

    const lines = await waitForLines(server, 4);
    expect(lines.map((l) => [l.method, l.route, l.status])).toEqual([
      ['POST', '/v1/auth/login', 200],
      ['GET', '/v1/users/me', 200],
      ['GET', '/healthz', 200],
      ['PATCH', '/v1/dev/user/memories/:memory_id', 401],
    ]);
    for (const line of lines) {
      expect(line).toMatchObject({ level: 30, reqId: expect.any(String), duration_ms: expect.any(Number) });
      expect(line.duration_ms as number).toBeGreaterThanOrEqual(0);
    }
    expect(lines[1]!.user_id).toBe(user.id);
    expect(lines[2]!.user_id).toBeUndefined();
    expect(new Set(lines.map((l) => l.reqId)).size).toBe(4);
    const text = JSON.stringify(server.logs);
    for (const secret of [SECRET, PASSWORD, token, 'authorization', 'Bearer']) expect(text).not.toContain(secret);

    // The same process serves /metrics to loopback, counting what it answered.
    const scrape = await fetch(`${server.url}/metrics`);
    expect(scrape.status).toBe(200);
    const families = parsePrometheus(await scrape.text());
    expect(sampleValue(families, 'omi_http_requests_total', { method: 'GET', route: '/healthz', status: '200' })).toBe(1);
    expect(sampleValue(families, 'omi_process_uptime_seconds')).toBeGreaterThan(0);
    await stop(server);
  });

  it('OMI_ACCESS_LOG unset › no per-request lines', { timeout: 60_000 }, async () => {
    const server = await startServerProcess(['--import', 'tsx', 'src/main.ts'], { env: env({ OMI_LOG_LEVEL: 'info' }) }, children);
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
    expect((await fetch(`${server.url}/nope`)).status).toBe(404);
    server.child.kill('SIGTERM');
    // Lines are written in order: once the shutdown line is read, any access line would have been.
    while (!server.logs.some((entry) => entry.msg === 'shutting down: finishing in-flight requests')) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(accessLines(server)).toEqual([]);
    expect(await server.exited).toBe(0);
  });
});
