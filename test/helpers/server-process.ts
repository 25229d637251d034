import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { createInterface } from 'node:readline';

export interface RunningServer {
  child: ChildProcess;
  url: string;
  exited: Promise<number | null>;
  /** Every JSON log line written so far (and on, while it runs). */
  logs: Record<string, unknown>[];
}

/**
 * Starts `node <args>` as a server process (PORT=0, info logging) and resolves with the address
 * it logs as 'omi-dev-api listening'; rejects with its stderr if it exits first. The child is
 * added to `children` so the suite can kill whatever is left at the end.
 */
export function startServerProcess(args: string[], options: SpawnOptions, children: Set<ChildProcess>): Promise<RunningServer> {
  const child = spawn(process.execPath, args, { ...options, stdio: ['ignore', 'pipe', 'pipe'] });
  children.add(child);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    let stderr = '';
    const logs: Record<string, unknown>[] = [];
    child.stderr!.on('data', (chunk) => (stderr += String(chunk)));
    child.once('exit', (code) => reject(new Error(`server exited (${code}) before listening: ${stderr}`)));
    createInterface({ input: child.stdout! }).on('line', (line) => {
      try {
        const entry = JSON.parse(line) as { msg?: string; address?: string };
        logs.push(entry);
        if (entry.msg === 'omi-dev-api listening' && entry.address) resolve({ child, url: entry.address, exited, logs });
      } catch {
        // not a log line
      }
    });
  });
}
