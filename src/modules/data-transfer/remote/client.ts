/** An import source that cannot be read: a bad key, a bad answer, or retries exhausted. One line. */
export class RemoteSourceError extends Error {
  override name = 'RemoteSourceError';
}

export interface RemoteClientOptions {
  /** The source server, e.g. https://api.omi.me (any path prefix is kept). */
  baseUrl: string;
  /** An omi_dev_ key of the account to bring over. */
  key: string;
  /** Attempts per request before giving up (429 waits do not count). Default 6. */
  maxAttempts?: number;
  /** First backoff after a 5xx or a dropped connection, doubled each time. Default 500 ms. */
  backoffMs?: number;
  /** The longest Retry-After honoured, in seconds; longer ones are waited this long. Default 60. */
  maxRetryAfterSeconds?: number;
  /** The most 429s in a row for one request before giving up. Default 20. */
  maxRateLimited?: number;
  /** Per-request timeout. Default 60 s. */
  timeoutMs?: number;
  /** Told before each wait (progress shows it). */
  onWait?: (reason: string, seconds: number) => void;
  sleep?: (ms: number) => Promise<void>;
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Retry-After as seconds (delta or HTTP date), capped; 1 s when absent or unreadable. */
export function retryAfterSeconds(header: string | null, cap: number, now = Date.now()): number {
  if (header === null || header.trim() === '') return Math.min(1, cap);
  const seconds = /^\d+$/.test(header.trim()) ? Number(header.trim()) : (Date.parse(header) - now) / 1000;
  if (!Number.isFinite(seconds)) return Math.min(1, cap);
  return Math.min(Math.max(0, seconds), cap);
}

const brief = (text: string) => text.replace(/\s+/g, ' ').trim().slice(0, 120);

/** The Developer API of a source server: authenticated GETs of JSON, with rate-limit waits and retries. */
export class RemoteClient {
  /** Requests sent, retries included. */
  requests = 0;
  private readonly base: string;

  constructor(private readonly options: RemoteClientOptions) {
    let url: URL;
    try {
      url = new URL(options.baseUrl);
    } catch {
      throw new RemoteSourceError(`--from: "${options.baseUrl}" is not a URL`);
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new RemoteSourceError(`--from: "${options.baseUrl}" is not an http(s) URL`);
    this.base = url.toString().replace(/\/+$/, '');
    if (!options.key.startsWith('omi_dev_')) throw new RemoteSourceError('--key: expected a developer key starting with omi_dev_');
  }

  /** GET `path` (with its query) and parse JSON; throws RemoteSourceError naming the URL on failure. */
  async getJson(path: string): Promise<unknown> {
    const url = `${this.base}${path}`;
    const maxAttempts = this.options.maxAttempts ?? 6;
    const sleep = this.options.sleep ?? defaultSleep;
    let failures = 0;
    let limited = 0;
    for (;;) {
      this.requests++;
      let response: Response;
      let body: string;
      try {
        response = await fetch(url, {
          headers: { authorization: `Bearer ${this.options.key}`, accept: 'application/json' },
          signal: AbortSignal.timeout(this.options.timeoutMs ?? 60_000),
        });
        body = await response.text();
      } catch (error) {
        failures++;
        const cause = (error as { cause?: { code?: string } }).cause?.code ?? (error as Error).name;
        if (failures >= maxAttempts) throw new RemoteSourceError(`GET ${url} failed after ${failures} attempts: connection error (${cause})`);
        await this.backoff(failures, `connection error (${cause})`, sleep);
        continue;
      }
      if (response.status === 429) {
        limited++;
        if (limited > (this.options.maxRateLimited ?? 20)) throw new RemoteSourceError(`GET ${url}: still rate limited (429) after ${limited} waits`);
        const seconds = retryAfterSeconds(response.headers.get('retry-after'), this.options.maxRetryAfterSeconds ?? 60);
        this.options.onWait?.('rate limited (429)', seconds);
        await sleep(seconds * 1000);
        continue;
      }
      if (response.status >= 500) {
        failures++;
        if (failures >= maxAttempts) throw new RemoteSourceError(`GET ${url} failed after ${failures} attempts: HTTP ${response.status}`);
        await this.backoff(failures, `HTTP ${response.status}`, sleep);
        continue;
      }
      return this.parse(url, response, body);
    }
  }

  private async backoff(failures: number, reason: string, sleep: (ms: number) => Promise<void>): Promise<void> {
    const ms = (this.options.backoffMs ?? 500) * 2 ** (failures - 1);
    this.options.onWait?.(reason, ms / 1000);
    await sleep(ms);
  }

  private parse(url: string, response: Response, body: string): unknown {
    const detail = () => {
      try {
        const parsed = JSON.parse(body) as { detail?: unknown };
        return typeof parsed.detail === 'string' ? `: ${parsed.detail}` : '';
      } catch {
        return '';
      }
    };
    if (response.status === 401 || response.status === 403) {
      throw new RemoteSourceError(`GET ${url}: HTTP ${response.status}${detail()} (check --key and its scopes)`);
    }
    if (response.status !== 200) throw new RemoteSourceError(`GET ${url}: HTTP ${response.status}${detail()}`);
    try {
      return JSON.parse(body);
    } catch {
      const type = response.headers.get('content-type') ?? 'no content type';
      throw new RemoteSourceError(`GET ${url}: the answer is not JSON (${type}): "${brief(body)}"`);
    }
  }
}
