/**
 * The measuring side of `npm run bench`: child processes under test (started, timed to their
 * first answer, their memory sampled from /proc) and autocannon runs with every response's
 * latency recorded, so p50, p95 and p99 are exact rather than autocannon's fixed buckets.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import type { EventEmitter } from 'node:events';
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import autocannon from 'autocannon';

export interface Result {
  scenario: string;
  connections: number;
  seconds: number;
  requests: number;
  rps: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  errors: number;
  rssMb: number | null;
}

export interface Target {
  method: 'GET' | 'POST';
  /** A fixed path, or one per request (search queries, new bodies). */
  path: string | (() => string);
  body?: () => string;
}

/** Resident memory of a process, in MB (Linux /proc); null elsewhere. */
export function rssMb(pid: number | undefined): number | null {
  if (pid === undefined) return null;
  try {
    const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Math.round(Number(match[1]) / 1024) : null;
  } catch {
    return null;
  }
}

const percentile = (sorted: number[], p: number) => (sorted.length === 0 ? 0 : sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!);

/** Drives `url` with autocannon for `seconds` (after a one-second warm-up that is not counted). */
export async function load(
  name: string,
  url: string,
  headers: Record<string, string>,
  target: Target,
  options: { connections: number; seconds: number; pid?: number | undefined },
): Promise<Result> {
  const path = typeof target.path === 'string' ? () => target.path as string : target.path;
  const run = async (seconds: number, record: boolean) => {
    const latencies: number[] = [];
    let peak = 0;
    const sampler = setInterval(() => (peak = Math.max(peak, rssMb(options.pid) ?? 0)), 100);
    // Without a callback autocannon returns its run as a promise that is also an event emitter.
    const instance = autocannon({
      url,
      connections: options.connections,
      duration: seconds,
      requests: [
        {
          method: target.method,
          headers,
          setupRequest: (request) => ({ ...request, path: path(), ...(target.body && { body: target.body() }) }),
        },
      ],
    }) as Promise<autocannon.Result> & EventEmitter;
    if (record) instance.on('response', (_client: unknown, _status: number, _bytes: number, time: number) => latencies.push(time));
    const result = await instance;
    clearInterval(sampler);
    peak = Math.max(peak, rssMb(options.pid) ?? 0);
    return { result, latencies, peak };
  };
  await run(1, false);
  const { result, latencies, peak } = await run(options.seconds, true);
  latencies.sort((a, b) => a - b);
  const round = (ms: number) => Math.round(ms * 100) / 100;
  return {
    scenario: name,
    connections: options.connections,
    seconds: options.seconds,
    requests: latencies.length,
    rps: Math.round(result.requests.total / options.seconds),
    p50: round(percentile(latencies, 0.5)),
    p95: round(percentile(latencies, 0.95)),
    p99: round(percentile(latencies, 0.99)),
    max: round(latencies.at(-1) ?? 0),
    errors: result.non2xx + result.errors + result.timeouts,
    rssMb: options.pid === undefined ? null : peak,
  };
}

export interface Child {
  process: ChildProcess;
  url: string;
  stop(): Promise<void>;
}

/** Starts a process that prints a JSON line with its `url` when it listens. */
export async function start(command: string, args: string[], env: Record<string, string>): Promise<Child> {
  const child = spawn(command, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'inherit'] });
  const url = await new Promise<string>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`${args.join(' ')} exited with ${code}`)));
    createInterface({ input: child.stdout! }).on('line', (line) => {
      try {
        const { url } = JSON.parse(line) as { url?: string };
        if (url) resolve(url);
      } catch {
        // not a JSON line
      }
    });
  });
  return { process: child, url, stop: () => stop(child) };
}

/** SIGTERM, resolved when the process has exited. */
function stop(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}

/**
 * Milliseconds from spawning `node <entry>` to the first 200 for `probe` — what a user waits
 * for after a restart. Polls every 2 ms; the server logs its address at info level.
 */
export async function coldStart(entry: string, env: Record<string, string>, probe: { url: string; headers: Record<string, string> }) {
  const started = performance.now();
  const child = spawn(process.execPath, [entry], { env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'inherit'] });
  let exited = false;
  child.once('exit', () => (exited = true));
  for (;;) {
    if (exited) throw new Error(`${entry} exited before answering`);
    try {
      const response = await fetch(probe.url, { headers: probe.headers });
      await response.arrayBuffer();
      if (response.status === 200) break;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
  const ms = Math.round(performance.now() - started);
  return { ms, process: child, stop: () => stop(child) };
}
