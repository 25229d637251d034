import { loadConfig, parseConfig, type Config } from '../config/config.ts';
import { createServices, type Services } from '../services.ts';
import { openStorage } from '../storage/index.ts';
import type { Storage } from '../storage/storage.ts';
import type { User } from '../modules/accounts/accounts.types.ts';

export type Env = Record<string, string | undefined>;

export interface Output {
  write(text: string): unknown;
}

/** What a terminal prompt needs from standard input. */
export type Input = NodeJS.ReadableStream & { isTTY?: boolean; setRawMode?(mode: boolean): unknown };

/** Where a command reads and writes; tests pass their own, the executable passes the process's. */
export interface CliIo {
  stdout: Output;
  stderr: Output;
  stdin: Input;
  /** The environment; when omitted, `.env` is loaded into the process environment first. */
  env?: Env;
}

/** An expected failure: its message is printed as the command's one-line error. */
export class CliError extends Error {
  override name = 'CliError';
}

export class CliContext {
  private config: Config | undefined;

  constructor(readonly io: CliIo) {}

  /** Parsed once per invocation, and only by commands that need it (so `--help` never fails). */
  loadConfig(): Config {
    this.config ??= this.io.env ? parseConfig(this.io.env) : loadConfig();
    return this.config;
  }

  env(name: string): string | undefined {
    return (this.io.env ?? process.env)[name];
  }

  print(line: string): void {
    this.io.stdout.write(`${line}\n`);
  }

  printJson(value: unknown): void {
    this.io.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
  }

  /** Opens storage (migrating it), runs `work` over the same services as HTTP, always closes. */
  async withServices<T>(work: (services: Services, storage: Storage) => Promise<T>): Promise<T> {
    const config = this.loadConfig();
    const storage = await openStorage(config.databaseUrl, { poolSize: config.databasePoolSize });
    try {
      return await work(createServices(config, storage), storage);
    } finally {
      await storage.close();
    }
  }
}

export async function requireAccount(services: Services, email: string): Promise<User> {
  const user = await services.accounts.findByEmail(email);
  if (!user) throw new CliError(`No account with email ${email}`);
  return user;
}
