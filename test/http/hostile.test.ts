import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, parseConfig } from '../../src/config/config.ts';
import { createTestContext, type TestContext } from '../helpers/context.ts';

/** Hostile and careless clients: ill-formed text, huge JSON, secrets in caches, CORS. In-process. */
const ctx = await createTestContext({ OMI_ALLOW_SIGNUP: 'true' });
let developer: Awaited<ReturnType<typeof ctx.developer>>;

beforeAll(async () => {
  developer = await ctx.developer();
});

afterAll(() => ctx.close());

const CONVERSATIONS = '/v1/dev/user/conversations';
const LONG_TEXT = 'We agreed to ship the quarterly report on Friday and to review the budget with the finance team next week.';

describe('lone UTF-16 surrogates', () => {
  it('POST /v1/dev/user/conversations/from-segments › stores them as U+FFFD in text and speaker', async () => {
    const payload = `{"transcript_segments":[{"text":"hi \\udfff ${LONG_TEXT}","speaker":"SPEAKER_\\ud800","start":0,"end":4}]}`;
    const created = await ctx.call('POST', `${CONVERSATIONS}/from-segments`, developer.key, payload);
    expect(created.statusCode, created.body).toBe(200);
    const read = await ctx.call('GET', `${CONVERSATIONS}/${created.json().id}?include_transcript=true`, developer.key);
    expect(read.statusCode, read.body).toBe(200);
    const [segment] = read.json<{ transcript_segments: { text: string }[] }>().transcript_segments;
    expect(segment?.text).toBe(`hi \uFFFD ${LONG_TEXT}`);
  });

  it('POST /v1/dev/user/memories › stores a lone surrogate (and one in a key) as U+FFFD', async () => {
    const payload = '{"content":"likes \\ud83d tea","tags":["\\udc00"],"\\ud800":1}';
    const created = await ctx.call('POST', '/v1/dev/user/memories', developer.key, payload);
    expect(created.statusCode, created.body).toBe(200);
    expect(created.json().content).toBe('likes \uFFFD tea');
  });

  it('GET /v1/dev/user/memories › a lone surrogate in the query or path answers without a 5xx', async () => {
    const search = await ctx.app.inject({ method: 'GET', url: '/v1/dev/user/memories?q=tea%ED%A0%80', headers: { authorization: `Bearer ${developer.key}` } });
    expect(search.statusCode, search.body).toBeLessThan(500);
    const byId = await ctx.call('DELETE', '/v1/dev/user/memories/%ED%A0%80', developer.key);
    expect(byId.statusCode, byId.body).toBeLessThan(500);
    expect(byId.json()).toHaveProperty('detail');
  });
});

describe('large JSON bodies', () => {
  it('POST /v1/auth/login › a 900,000-element array answers 413 with a short detail', async () => {
    const payload = `[${Array.from({ length: 900_000 }, () => '1').join(',')}]`;
    const response = await ctx.call('POST', '/v1/auth/login', undefined, payload);
    expect(response.statusCode).toBe(413);
    expect(response.body.length).toBeLessThan(200);
    expect(response.json().detail).toMatch(/too many JSON values/);
  });

  it('POST /v1/auth/login › the 422 echoes a clipped input for a large array of long strings', async () => {
    const payload = JSON.stringify(Array.from({ length: 5_000 }, (_, i) => `${i}`.padEnd(300, 'x')));
    const response = await ctx.call('POST', '/v1/auth/login', undefined, payload);
    expect(response.statusCode).toBe(422);
    const [issue] = response.json<{ detail: { type: string; loc: unknown[]; msg: string; input: string[] }[] }>().detail;
    expect(issue).toMatchObject({ type: 'model_attributes_type', loc: ['body'] });
    expect(issue?.input).toHaveLength(20);
    expect(issue?.input[0]).toBe(`0${'x'.repeat(199)}…`);
    expect(response.body.length).toBeLessThan(10_000);
  });

  it('POST /v1/dev/user/memories/batch › thousands of invalid items list at most 100 issues', async () => {
    const payload = JSON.stringify({ memories: Array.from({ length: 5_000 }, () => ({ content: 1 })) });
    const response = await ctx.call('POST', '/v1/dev/user/memories/batch', developer.key, payload);
    expect(response.statusCode).toBe(422);
    const issues = response.json<{ detail: { loc: unknown[] }[] }>().detail;
    expect(issues.length).toBeGreaterThan(0);
    expect(issues.length).toBeLessThanOrEqual(100);
    expect(issues[0]?.loc[0]).toBe('body');
  });
});

describe('security headers', () => {
  it('every answer carries X-Content-Type-Options: nosniff, errors included', async () => {
    for (const [method, url] of [['GET', '/healthz'], ['GET', '/nope'], ['PUT', '/healthz'], ['DELETE', '/v1/dev/user/memories/%ZZ']]) {
      const response = await ctx.call(method as string, url as string, developer.key);
      expect(response.headers['x-content-type-options'], `${method} ${url}`).toBe('nosniff');
    }
    const list = await ctx.call('GET', '/v1/dev/user/memories', developer.key);
    expect(list.headers['cache-control']).toBeUndefined();
  });

  it('answers carrying a token or key are Cache-Control: no-store', async () => {
    const email = `nostore-${Date.now()}@example.com`;
    const signup = await ctx.call('POST', '/v1/auth/signup', undefined, { email, password: 'correct horse battery', name: 'N' });
    const login = await ctx.call('POST', '/v1/auth/login', undefined, { email, password: 'correct horse battery' });
    const session = login.json().token as string;
    const key = await ctx.call('POST', '/v1/dev/keys', session, { name: 'k' });
    const rotated = await ctx.call('POST', `/v1/dev/keys/${key.json().id}/rotate`, session);
    const mcpKey = await ctx.call('POST', '/v1/mcp/keys', session, { name: 'm' });
    for (const [name, response] of Object.entries({ signup, login, key, rotated, mcpKey })) {
      expect(response.statusCode, `${name}: ${response.body}`).toBeLessThan(300);
      expect(response.headers['cache-control'], name).toBe('no-store');
    }
  });
});

describe('CORS (OMI_CORS_ORIGINS)', () => {
  let cors: TestContext;
  let any: TestContext;
  beforeAll(async () => {
    cors = await createTestContext({ OMI_CORS_ORIGINS: 'https://app.example.com, http://localhost:5173' });
    any = await createTestContext({ OMI_CORS_ORIGINS: '*' });
  });
  afterAll(async () => {
    await cors.close();
    await any.close();
  });

  const preflight = (app: TestContext, origin: string) =>
    app.app.inject({
      method: 'OPTIONS',
      url: '/v1/dev/user/memories',
      headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization, content-type' },
    });

  it('a preflight from an allowed origin answers 204 with methods, headers and max age', async () => {
    const response = await preflight(cors, 'https://app.example.com');
    expect(response.statusCode).toBe(204);
    expect(response.headers).toMatchObject({
      'access-control-allow-origin': 'https://app.example.com',
      'access-control-max-age': '600',
      vary: 'Origin',
    });
    expect(response.headers['access-control-allow-methods']).toContain('POST');
    expect(String(response.headers['access-control-allow-headers']).toLowerCase()).toEqual(expect.stringContaining('authorization'));
    expect(String(response.headers['access-control-allow-headers']).toLowerCase()).toEqual(expect.stringContaining('content-type'));
  });

  it('a preflight or request from another origin gets no CORS headers', async () => {
    const response = await preflight(cors, 'https://evil.example.com');
    expect(response.statusCode).toBe(405);
    expect(response.headers['access-control-allow-origin']).toBeUndefined();
    const actual = await cors.app.inject({ method: 'GET', url: '/healthz', headers: { origin: 'https://evil.example.com' } });
    expect(actual.headers['access-control-allow-origin']).toBeUndefined();
    expect(actual.headers.vary).toBe('Origin');
  });

  it('an actual request from an allowed origin may read the paging and rate-limit headers', async () => {
    const { key } = await cors.developer();
    const response = await cors.app.inject({ method: 'GET', url: '/v1/dev/user/memories', headers: { origin: 'http://localhost:5173', authorization: `Bearer ${key}` } });
    expect(response.statusCode).toBe(200);
    expect(response.headers['access-control-allow-origin']).toBe('http://localhost:5173');
    for (const header of ['X-Next-Cursor', 'Retry-After', 'X-RateLimit-Remaining']) {
      expect(response.headers['access-control-expose-headers']).toContain(header);
    }
  });

  it('with * any origin is allowed; unset, no CORS headers at all', async () => {
    const response = await preflight(any, 'https://whoever.example');
    expect(response.statusCode).toBe(204);
    expect(response.headers['access-control-allow-origin']).toBe('*');
    const none = await preflight(ctx, 'https://app.example.com');
    expect(none.statusCode).toBe(405);
    expect(none.headers['access-control-allow-origin']).toBeUndefined();
    expect(none.json()).toEqual({ detail: 'Method Not Allowed' });
  });
});

describe('configuration', () => {
  it.each([
    [{ OMI_HEADERS_TIMEOUT_MS: 'soon' }, 'OMI_HEADERS_TIMEOUT_MS'],
    [{ OMI_REQUEST_TIMEOUT_MS: '0' }, 'OMI_REQUEST_TIMEOUT_MS'],
    [{ OMI_KEEP_ALIVE_TIMEOUT_MS: '-5' }, 'OMI_KEEP_ALIVE_TIMEOUT_MS'],
    [{ OMI_HEADERS_TIMEOUT_MS: '20000', OMI_REQUEST_TIMEOUT_MS: '10000' }, 'OMI_REQUEST_TIMEOUT_MS'],
    [{ OMI_CORS_ORIGINS: 'app.example.com' }, 'OMI_CORS_ORIGINS'],
    [{ OMI_CORS_ORIGINS: 'https://app.example.com/path' }, 'OMI_CORS_ORIGINS'],
  ])('%j › refuses to start, naming %s', (env, variable) => {
    expect(() => parseConfig(env)).toThrow(ConfigError);
    expect(() => parseConfig(env)).toThrow(variable);
  });

  it('defaults cut stalled connections within 30 s', () => {
    const config = parseConfig({});
    expect(config.headersTimeoutMs).toBeLessThanOrEqual(30_000);
    expect(config.requestTimeoutMs).toBeLessThanOrEqual(30_000);
    expect(config.keepAliveTimeoutMs).toBeLessThanOrEqual(30_000);
    expect(config.corsOrigins).toEqual([]);
  });
});


// ---- a real listening server: what only a socket shows ------------------------------------

interface Exchange {
  status: number;
  head: string;
  body: string;
  /** A write or read error the client met (EPIPE, ECONNRESET), if any. */
  error?: string;
}

/** Sends the chunks over one connection (gapMs apart), then reads until the server closes it. */
function exchange(port: number, chunks: (string | Buffer)[], gapMs = 0): Promise<Exchange> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    const received: Buffer[] = [];
    let error: string | undefined;
    socket.on('data', (chunk) => received.push(chunk));
    socket.on('error', (e: NodeJS.ErrnoException) => (error = e.code ?? e.message));
    socket.on('close', () => {
      const text = Buffer.concat(received).toString('utf8');
      const [head = '', body = ''] = text.split('\r\n\r\n', 2);
      resolve({ status: Number(head.split(' ')[1]), head, body, ...(error !== undefined && { error }) });
    });
    void (async () => {
      for (const chunk of chunks) {
        if (socket.destroyed || socket.writableEnded) return;
        socket.write(chunk);
        if (gapMs > 0) await new Promise((r) => setTimeout(r, gapMs));
      }
    })();
  });
}

const detailOf = (reply: Exchange) => (JSON.parse(reply.body) as { detail: unknown }).detail;

describe('over a socket', () => {
  let server: TestContext;
  let port: number;
  beforeAll(async () => {
    server = await createTestContext({ OMI_HEADERS_TIMEOUT_MS: '300', OMI_REQUEST_TIMEOUT_MS: '600', OMI_KEEP_ALIVE_TIMEOUT_MS: '200' });
    port = Number(new URL(await server.app.listen({ port: 0, host: '127.0.0.1' })).port);
  });
  afterAll(() => server.close());

  const post = (path: string, length: number, extra = '') =>
    `POST ${path} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${length}\r\n${extra}\r\n`;

  it('a 5 MB body gets a readable 413, not a closed socket', async () => {
    const size = 5 * 1024 * 1024;
    const chunk = Buffer.alloc(64 * 1024, 'x');
    const reply = await exchange(port, [post('/v1/auth/login', size), ...Array.from({ length: size / chunk.length }, () => chunk)]);
    expect(reply.error).toBeUndefined();
    expect(reply.status).toBe(413);
    expect(detailOf(reply)).toBe('Request body is too large');
  });

  it('a large upload sent promptly is read whole', async () => {
    const body = JSON.stringify({ email: 'nobody@example.com', password: 'x'.repeat(1_500_000) });
    const reply = await exchange(port, [post('/v1/auth/login', body.length, 'Connection: close\r\n'), body]);
    // Parsed and validated whole: the password is over its length limit.
    expect(reply.status).toBe(422);
    expect(detailOf(reply)).toEqual([expect.objectContaining({ type: 'string_too_long', loc: ['body', 'password'] })]);
  });

  it.each([
    ['an unknown method', ['FOO / HTTP/1.1\r\nHost: x\r\n\r\n'], 501],
    ['headers over the size limit', [`GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`], 431],
    ['invalid UTF-8 in the path', [Buffer.concat([Buffer.from('GET /v1/dev/user/memories/'), Buffer.from([0xff, 0xfe]), Buffer.from(' HTTP/1.1\r\nHost: x\r\n\r\n')])], 400],
    ['invalid UTF-8 in the query', [Buffer.concat([Buffer.from('GET /v1/dev/user/memories?q='), Buffer.from([0xc0]), Buffer.from(' HTTP/1.1\r\nHost: x\r\n\r\n')])], 400],
    ['a bad chunk size', ['POST /v1/auth/login HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nabc\r\n0\r\n\r\n'], 400],
    ['a chunk longer than announced', ['POST /v1/auth/login HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nabcdefgh\r\n0\r\n\r\n'], 400],
  ])('%s › answers %i with a detail and closes', async (_name, chunks, status) => {
    const reply = await exchange(port, chunks as (string | Buffer)[]);
    expect(reply.status, reply.head).toBe(status);
    expect(reply.head).toMatch(/content-type: application\/json/i);
    expect(reply.head).toMatch(/x-content-type-options: nosniff/i);
    expect(detailOf(reply)).toBeTypeOf('string');
  });

  it('invalid UTF-8 in a header value answers with a detail', async () => {
    const request = Buffer.concat([Buffer.from('GET /v1/dev/user/memories HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer '), Buffer.from([0xff, 0xc0]), Buffer.from('\r\nConnection: close\r\n\r\n')]);
    const reply = await exchange(port, [request]);
    expect(reply.status).toBe(401);
    expect(detailOf(reply)).toBeTypeOf('string');
  });

  it.each([
    ['a silent connection', [], 0],
    ['headers sent a byte at a time', [...'GET /healthz HTTP/1.1\r\nHost: x\r\nX-Slow: yes\r\n\r\n'], 100],
    ['a body sent a byte at a time', [post('/v1/auth/login', 40), ...'{"email":"a@example.com","password":"x"}'], 100],
  ])('%s › is cut with 408 and a detail', async (_name, chunks, gap) => {
    const reply = await exchange(port, chunks as string[], gap as number);
    expect(reply.status).toBe(408);
    expect(detailOf(reply)).toMatch(/Request Timeout/);
  });

  it('an idle keep-alive connection is closed after its answer', async () => {
    const reply = await exchange(port, ['GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n']);
    expect(reply.status).toBe(200);
    expect(reply.head).toMatch(/connection: keep-alive/i);
  });
});
