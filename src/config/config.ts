import { existsSync } from 'node:fs';
import { isIP } from 'node:net';

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
  /** The name of the account OMI_ADMIN_EMAIL creates. */
  readonly adminName: string;
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
  /** Lets /metrics answer non-loopback requests bearing it (loopback is always allowed). */
  readonly metricsToken: string | undefined;
  /** One info log line per request (method, route pattern, status, duration, user, request id). */
  readonly accessLog: boolean;
  /** The externally reachable base URL (no trailing slash) for absolute links; unset: the request's Host. */
  readonly publicUrl: string | undefined;
  /** How long a client may take to send a request's headers; then 408 and the connection closes. */
  readonly headersTimeoutMs: number;
  /** How long a client may take to send a whole request (headers and body). */
  readonly requestTimeoutMs: number;
  /** How long an idle keep-alive connection stays open between requests. */
  readonly keepAliveTimeoutMs: number;
  /** Origins allowed to call the API from a browser (`*` = any); empty = no CORS headers. */
  readonly corsOrigins: readonly string[];
  /**
   * Which peers may tell the client's address and protocol (X-Forwarded-For/-Proto/-Host):
   * false = none (the socket's peer is the client), true = every hop, a hop count, or addresses/CIDRs.
   */
  readonly trustProxy: TrustProxy;
}

export type TrustProxy = boolean | number | readonly string[];

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

function adminName(env: Env): string {
  const value = text(env, 'OMI_ADMIN_NAME') ?? 'Admin';
  if (value.length > 200) throw new ConfigError('OMI_ADMIN_NAME', `must be at most 200 characters, got ${value.length}`);
  return value;
}

function publicUrl(env: Env): string | undefined {
  const value = text(env, 'OMI_PUBLIC_URL');
  if (value === undefined) return undefined;
  let parsed: URL;
  try {
    parsed = new URL(value);
  } catch {
    throw new ConfigError('OMI_PUBLIC_URL', `must be an http(s) URL, got ${JSON.stringify(value)}`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new ConfigError('OMI_PUBLIC_URL', `must be an http(s) URL, got ${JSON.stringify(value)}`);
  }
  if (value.endsWith('/')) throw new ConfigError('OMI_PUBLIC_URL', 'must not end with a slash');
  if (parsed.search !== '' || parsed.hash !== '' || parsed.username !== '' || parsed.password !== '') {
    throw new ConfigError('OMI_PUBLIC_URL', 'must be a bare base URL (no query, fragment or credentials)');
  }
  return value;
}

function metricsToken(env: Env): string | undefined {
  const value = text(env, 'OMI_METRICS_TOKEN');
  if (value !== undefined && value.length < 16) throw new ConfigError('OMI_METRICS_TOKEN', 'must be at least 16 characters');
  return value;
}

function corsOrigins(env: Env): readonly string[] {
  const value = text(env, 'OMI_CORS_ORIGINS');
  if (value === undefined) return Object.freeze([]);
  const origins = value.split(',').map((origin) => origin.trim()).filter((origin) => origin !== '');
  for (const origin of origins) {
    if (origin === '*') continue;
    let parsed: URL | undefined;
    try {
      parsed = new URL(origin);
    } catch {
      parsed = undefined;
    }
    if (!parsed || !/^https?:$/.test(parsed.protocol) || parsed.origin !== origin) {
      throw new ConfigError('OMI_CORS_ORIGINS', `must be * or comma-separated origins like https://app.example.com, got ${JSON.stringify(origin)}`);
    }
  }
  return Object.freeze(origins);
}

const PROXY_NAMES = new Set(['loopback', 'linklocal', 'uniquelocal']);

/** An address or CIDR (`10.0.0.0/8`, `fd00::/8`) or one of proxy-addr's names (loopback, linklocal, uniquelocal). */
function isProxyAddress(value: string): boolean {
  if (PROXY_NAMES.has(value)) return true;
  const [address = '', prefix, ...rest] = value.split('/');
  const family = isIP(address);
  if (family === 0 || rest.length > 0) return false;
  if (prefix === undefined) return true;
  if (!/^\d{1,3}$/.test(prefix)) return false;
  return Number(prefix) <= (family === 4 ? 32 : 128);
}

function trustProxy(env: Env): TrustProxy {
  const name = 'OMI_TRUST_PROXY';
  const raw = text(env, name);
  if (raw === undefined || ['false', '0', 'no', 'off'].includes(raw.toLowerCase())) return false;
  if (['true', 'yes', 'on'].includes(raw.toLowerCase())) return true;
  if (/^\d+$/.test(raw)) {
    const hops = Number(raw);
    if (hops > 100) throw new ConfigError(name, `must be a hop count between 1 and 100, got ${hops}`);
    return hops;
  }
  const entries = raw.split(',').map((entry) => entry.trim()).filter((entry) => entry !== '');
  const bad = entries.find((entry) => !isProxyAddress(entry));
  if (bad !== undefined || entries.length === 0) {
    throw new ConfigError(
      name,
      `must be true, a hop count, or comma-separated addresses/CIDRs (e.g. 10.0.0.1,10.1.0.0/16), got ${JSON.stringify(bad ?? raw)}`,
    );
  }
  return Object.freeze(entries);
}

function timeouts(env: Env) {
  const headersTimeoutMs = integer(env, 'OMI_HEADERS_TIMEOUT_MS', 10_000, 100, 600_000);
  const requestTimeoutMs = integer(env, 'OMI_REQUEST_TIMEOUT_MS', 30_000, 100, 3_600_000);
  if (requestTimeoutMs < headersTimeoutMs) {
    throw new ConfigError('OMI_REQUEST_TIMEOUT_MS', `must be at least OMI_HEADERS_TIMEOUT_MS (${headersTimeoutMs}), got ${requestTimeoutMs}`);
  }
  return { headersTimeoutMs, requestTimeoutMs, keepAliveTimeoutMs: integer(env, 'OMI_KEEP_ALIVE_TIMEOUT_MS', 5_000, 100, 600_000) };
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
    adminName: adminName(env),
    allowSignup: boolean(env, 'OMI_ALLOW_SIGNUP', false),
    rateLimitMultiplier: decimal(env, 'OMI_RATE_LIMIT_MULTIPLIER', 100),
    redisUrl,
    llm: endpoint(env, 'OMI_LLM'),
    llmTimeoutMs: integer(env, 'OMI_LLM_TIMEOUT_MS', 30_000, 100, 600_000),
    embeddings: endpoint(env, 'OMI_EMBEDDINGS'),
    logLevel: logLevel(env),
    sessionTtlSeconds: 30 * 24 * 3600,
    bodyLimitBytes: 2 * 1024 * 1024,
    metricsToken: metricsToken(env),
    accessLog: boolean(env, 'OMI_ACCESS_LOG', false),
    publicUrl: publicUrl(env),
    ...timeouts(env),
    corsOrigins: corsOrigins(env),
    trustProxy: trustProxy(env),
  });
}

/** Reads `.env` (if present) into the process environment, then parses it. */
export function loadConfig(envFile = '.env'): Config {
  if (existsSync(envFile)) process.loadEnvFile(envFile);
  return parseConfig(process.env);
}
