import { existsSync } from 'node:fs';

/**
 * Every setting the server reads, parsed once at start-up (service contract §1).
 * Nothing else in the code base touches `process.env`.
 */
export interface Config {
  readonly port: number;
  readonly host: string;
  readonly databaseUrl: string;
  /** PostgreSQL connections per process. */
  readonly databasePoolSize: number;
  readonly adminEmail: string | undefined;
  readonly adminPassword: string | undefined;
  readonly allowSignup: boolean;
  /** Multiplies every hourly rate-limit policy; 0 turns rate limiting off. */
  readonly rateLimitMultiplier: number;
  readonly redisUrl: string | undefined;
  readonly llm: OpenAiCompatibleEndpoint | undefined;
  /** How long one LLM call may take before the offline processor answers instead. */
  readonly llmTimeoutMs: number;
  readonly embeddings: OpenAiCompatibleEndpoint | undefined;
  readonly logLevel: LogLevel;
  /** Session lifetime in seconds (30 days). */
  readonly sessionTtlSeconds: number;
  /** Largest accepted request body in bytes; larger bodies answer 413. */
  readonly bodyLimitBytes: number;
}

export interface OpenAiCompatibleEndpoint {
  readonly baseUrl: string;
  readonly apiKey: string | undefined;
  readonly model: string;
}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export class ConfigError extends Error {
  constructor(
    readonly variable: string,
    message: string,
  ) {
    super(`Invalid configuration: ${variable} ${message}`);
    this.name = 'ConfigError';
  }
}

type Env = Record<string, string | undefined>;

function text(env: Env, name: string): string | undefined {
  const value = env[name]?.trim();
  return value === undefined || value === '' ? undefined : value;
}

function integer(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = text(env, name);
  if (raw === undefined) return fallback;
  if (!/^\d+$/.test(raw)) throw new ConfigError(name, `must be a whole number, got "${raw}"`);
  const value = Number(raw);
  if (value < min || value > max) throw new ConfigError(name, `must be between ${min} and ${max}, got ${value}`);
  return value;
}

function decimal(env: Env, name: string, fallback: number): number {
  const raw = text(env, name);
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < 0) throw new ConfigError(name, `must be a number ≥ 0, got "${raw}"`);
  return value;
}

function boolean(env: Env, name: string, fallback: boolean): boolean {
  const raw = text(env, name)?.toLowerCase();
  if (raw === undefined) return fallback;
  if (['true', '1', 'yes', 'on'].includes(raw)) return true;
  if (['false', '0', 'no', 'off'].includes(raw)) return false;
  throw new ConfigError(name, `must be true or false, got "${raw}"`);
}

function databaseUrl(env: Env): string {
  const value = text(env, 'OMI_DATABASE_URL') ?? 'sqlite:./data/omi.db';
  if (value.startsWith('sqlite:') && value.length > 'sqlite:'.length) return value;
  if (/^postgres(ql)?:\/\//.test(value)) return value;
  throw new ConfigError('OMI_DATABASE_URL', `must be sqlite:<path>, sqlite::memory: or postgres://…, got "${value}"`);
}

function url(env: Env, name: string): string | undefined {
  const value = text(env, name);
  if (value === undefined) return undefined;
  try {
    new URL(value);
  } catch {
    throw new ConfigError(name, `must be a URL, got "${value}"`);
  }
  return value.replace(/\/+$/, '');
}

function endpoint(env: Env, prefix: string): OpenAiCompatibleEndpoint | undefined {
  const baseUrl = url(env, `${prefix}_BASE_URL`);
  const model = text(env, `${prefix}_MODEL`);
  if (baseUrl === undefined) {
    if (model !== undefined) throw new ConfigError(`${prefix}_BASE_URL`, `must be set when ${prefix}_MODEL is set`);
    return undefined;
  }
  if (model === undefined) throw new ConfigError(`${prefix}_MODEL`, `must be set when ${prefix}_BASE_URL is set`);
  return Object.freeze({ baseUrl, apiKey: text(env, `${prefix}_API_KEY`), model });
}

function logLevel(env: Env): LogLevel {
  const value = (text(env, 'OMI_LOG_LEVEL') ?? 'info').toLowerCase();
  if (!(LOG_LEVELS as readonly string[]).includes(value)) {
    throw new ConfigError('OMI_LOG_LEVEL', `must be one of ${LOG_LEVELS.join(', ')}, got "${value}"`);
  }
  return value as LogLevel;
}

/** Parses the environment into a frozen Config; throws ConfigError naming the bad variable. */
export function parseConfig(env: Env): Config {
  const adminEmail = text(env, 'OMI_ADMIN_EMAIL');
  const adminPassword = env.OMI_ADMIN_PASSWORD === '' ? undefined : env.OMI_ADMIN_PASSWORD;
  if ((adminEmail === undefined) !== (adminPassword === undefined)) {
    throw new ConfigError(
      adminEmail === undefined ? 'OMI_ADMIN_EMAIL' : 'OMI_ADMIN_PASSWORD',
      'must be set together with its partner (OMI_ADMIN_EMAIL and OMI_ADMIN_PASSWORD)',
    );
  }
  if (adminPassword !== undefined && adminPassword.length < 8) {
    throw new ConfigError('OMI_ADMIN_PASSWORD', 'must be at least 8 characters');
  }
  const redisUrl = url(env, 'OMI_REDIS_URL');
  return Object.freeze({
    port: integer(env, 'PORT', 8080, 0, 65535),
    host: text(env, 'HOST') ?? '127.0.0.1',
    databaseUrl: databaseUrl(env),
    databasePoolSize: integer(env, 'OMI_DATABASE_POOL_SIZE', 10, 1, 1000),
    adminEmail,
    adminPassword,
    allowSignup: boolean(env, 'OMI_ALLOW_SIGNUP', false),
    rateLimitMultiplier: decimal(env, 'OMI_RATE_LIMIT_MULTIPLIER', 100),
    redisUrl,
    llm: endpoint(env, 'OMI_LLM'),
    llmTimeoutMs: integer(env, 'OMI_LLM_TIMEOUT_MS', 30_000, 100, 600_000),
    embeddings: endpoint(env, 'OMI_EMBEDDINGS'),
    logLevel: logLevel(env),
    sessionTtlSeconds: 30 * 24 * 3600,
    bodyLimitBytes: 2 * 1024 * 1024,
  });
}

/** Reads `.env` (if present) into the process environment, then parses it. */
export function loadConfig(envFile = '.env'): Config {
  if (existsSync(envFile)) process.loadEnvFile(envFile);
  return parseConfig(process.env);
}
