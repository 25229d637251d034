import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { defaultReply, FAKE_MEMORIES, startFakeLlm } from '../helpers/fake-llm.ts';
import { startServerProcess, type RunningServer } from '../helpers/server-process.ts';

/**
 * The server as a real process (what `npm start` runs), on a SQLite file: an acknowledged write
 * survives SIGKILL, and SIGTERM shuts down cleanly.
 */
const dir = mkdtempSync(join(tmpdir(), 'omi-process-'));
const database = join(dir, 'omi.db');
const children = new Set<ChildProcess>();

function start(env: Record<string, string> = {}): Promise<RunningServer> {
  return startServerProcess(
    ['--import', 'tsx', 'src/main.ts'],
    {
      env: {
        ...process.env,
        PORT: '0',
        OMI_DATABASE_URL: `sqlite:${database}`,
        OMI_ADMIN_EMAIL: 'owner@example.com',
        OMI_ADMIN_PASSWORD: 'owner-password',
        OMI_LOG_LEVEL: 'info',
        ...env,
      },
    },
    children,
  );
}

async function json(url: string, init: RequestInit = {}): Promise<{ status: number; body: any }> {
  const response = await fetch(url, { ...init, headers: { 'content-type': 'application/json', ...init.headers } });
  return { status: response.status, body: await response.json().catch(() => null) };
}

afterAll(() => {
  for (const child of children) child.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

describe('server process', () => {
  it('keeps an acknowledged write across SIGKILL, and exits 0 on SIGTERM', async () => {
    const first = await start();
    const login = await json(`${first.url}/v1/auth/login`, {
      method: 'POST',
      body: JSON.stringify({ email: 'owner@example.com', password: 'owner-password' }),
    });
    expect(login.status).toBe(200);
    const created = await json(`${first.url}/v1/dev/keys`, {
      method: 'POST',
      headers: { authorization: `Bearer ${login.body.token}` },
      body: JSON.stringify({ name: 'process test', scopes: ['memories:read', 'memories:write'] }),
    });
    const key = created.body.key as string;
    const memory = await json(`${first.url}/v1/dev/user/memories`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}` },
      body: JSON.stringify({ content: 'Written just before the crash', category: 'system' }),
    });
    expect(memory.status).toBe(200);

    first.child.kill('SIGKILL');
    await first.exited;

    const second = await start();
    const list = await json(`${second.url}/v1/dev/user/memories`, { headers: { authorization: `Bearer ${key}` } });
    expect(list.status).toBe(200);
    expect(list.body.map((m: { content: string }) => m.content)).toContain('Written just before the crash');
    // Start-up with the same admin variables is idempotent: still one account, the same key works.
    expect((await json(`${second.url}/readyz`)).body).toEqual({ status: 'ok' });

    second.child.kill('SIGTERM');
    expect(await second.exited).toBe(0);
  });

  it('finishes a background job that was mid-way when the process was killed', async () => {
    const llm = await startFakeLlm();
    try {
      // The memory-extraction call never answers: the job is in flight when the process dies.
      let hang = true;
      llm.respondWith((request) => (request.kind === 'memories' && hang ? { hang: true } : defaultReply(request)));
      const env = { OMI_LLM_BASE_URL: llm.url, OMI_LLM_MODEL: 'fake', OMI_LLM_TIMEOUT_MS: '600000' };
      const first = await start(env);
      const login = await json(`${first.url}/v1/auth/login`, {
        method: 'POST',
        body: JSON.stringify({ email: 'owner@example.com', password: 'owner-password' }),
      });
      const created = await json(`${first.url}/v1/dev/keys`, {
        method: 'POST',
        headers: { authorization: `Bearer ${login.body.token}` },
        body: JSON.stringify({ name: 'jobs', scopes: ['conversations:write', 'memories:read'] }),
      });
      const key = created.body.key as string;
      const conversation = await json(`${first.url}/v1/dev/user/conversations`, {
        method: 'POST',
        headers: { authorization: `Bearer ${key}` },
        body: JSON.stringify({ text: 'I started testing our software against fake language models this week.' }),
      });
      expect(conversation.status).toBe(200);
      await expect.poll(() => llm.requests.some((r) => r.kind === 'memories'), { timeout: 20_000 }).toBe(true);

      first.child.kill('SIGKILL');
      await first.exited;
      hang = false;

      // The new process sees the dead one's job at once (same machine, its pid is gone) and runs it.
      const second = await start(env);
      const memories = async () =>
        (await json(`${second.url}/v1/dev/user/memories`, { headers: { authorization: `Bearer ${key}` } })).body as { content: string }[];
      await expect.poll(async () => (await memories()).map((m) => m.content), { timeout: 20_000 }).toContain(FAKE_MEMORIES.memories[0].content);
      expect((await memories()).filter((m) => m.content === FAKE_MEMORIES.memories[0].content)).toHaveLength(1);
      second.child.kill('SIGTERM');
      expect(await second.exited).toBe(0);
    } finally {
      await llm.close();
    }
  });
});
