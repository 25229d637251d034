import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ALL_SCOPES, createTestContext } from '../helpers/context.ts';
import { concretePath, fetchDocument, operationsOf, sampleQuery, sampleValue, type Operation } from '../helpers/openapi.ts';

/**
 * Property tests over every route in the OpenAPI document: whatever arrives (bodies, query
 * strings, path ids, content types), the answer is never a 5xx and every error is `{"detail"}`.
 */
const RUNS = 50;
const STACK_TRACE = /\n\s+at |node_modules|\.ts:\d+/;
const LOCATIONS = ['body', 'query', 'path'];

const ctx = await createTestContext();
const document = await fetchDocument(ctx.app);
const operations = operationsOf(document);

let shared: Credentials & { userId: string };

beforeAll(async () => {
  shared = await ctx.developer();
});

afterAll(() => ctx.close());

function expectWellFormed(response: LightMyRequestResponse, request: string): void {
  const context = `${request} → ${response.statusCode} ${response.body.slice(0, 300)}`;
  expect(response.statusCode, context).toBeLessThan(500);
  expect(response.body, context).not.toMatch(STACK_TRACE);
  if (response.statusCode < 400) return;
  expect(response.headers['content-type'], context).toMatch(/^application\/json/);
  const body = response.json<{ detail: unknown }>();
  expect(body, context).toHaveProperty('detail');
  if (response.statusCode === 422 && Array.isArray(body.detail)) {
    for (const issue of body.detail as Record<string, unknown>[]) {
      expect(Object.keys(issue), context).toEqual(expect.arrayContaining(['type', 'loc', 'msg', 'input']));
      expect(LOCATIONS, context).toContain((issue.loc as unknown[])[0]);
    }
  }
}

// ---- arbitraries -------------------------------------------------------------------------

const printableAscii = fc.integer({ min: 0x20, max: 0x7e }).map((code) => String.fromCharCode(code));
const percentJunk = fc.constantFrom('%', '%Z', '%ZZ', '%E0%A4%A', '%00', '%C0%AF', '%FF%FE', '%2', '%25', '+', '%20', '[]', '%5B%5D', '%26%3D', '%ED%A0%80', '%ED%BF%BF', 'hi%20%ED%B0%80');
/** Lone UTF-16 surrogates, which no UTF-8 encoder can write and PostgreSQL's json type refuses. */
const loneSurrogate = fc.constantFrom('\uD800', '\uDFFF', 'hi \uDFFF', '\uD83D tail', 'a\uDC00b', '\uDBFF\uDBFF');
const numberish = fc.oneof(
  fc.integer().map(String),
  fc.double().map(String),
  { arbitrary: fc.bigInt().map(String), weight: 2 },
  { arbitrary: fc.constantFrom('NaN', 'Infinity', '-Infinity', '1e400', '-1e400', '99999999999999999999999', '-99999999999999999999999'), weight: 2 },
  fc.constantFrom('9007199254740993', '-0', '0x1F', '1_000', '%205%20', '5.0', '1e3', '-1', '0'),
);
const text = fc.string({ unit: 'grapheme', maxLength: 40 }).map(encodeURIComponent);
const queryValue = fc.oneof(
  numberish,
  text,
  percentJunk,
  fc.constantFrom('true', 'false', 'null', '', 'yes', 'on', 'maybe', '2026-13-45', '2026-01-01T00%3A00%3A00Z', 'a'.repeat(10_000)),
);

function queryString(op: Operation): fc.Arbitrary<string> {
  const names = op.query.map((p) => p.name);
  const known = names.length > 0 ? fc.constantFrom(...names) : fc.constant('limit');
  const key = fc.oneof({ arbitrary: known, weight: 4 }, text, percentJunk);
  const pair = fc.oneof(
    { arbitrary: fc.tuple(known, numberish).map(([k, v]) => `${k}=${v}`), weight: 3 },
    { arbitrary: fc.tuple(key, queryValue).map(([k, v]) => `${k}=${v}`), weight: 3 },
    key.map((k) => `${k}[]=1`),
    key, // a key without a value
  );
  return fc.array(pair, { maxLength: 8 }).map((pairs) => pairs.join('&'));
}

const pathId = fc.oneof(
  fc.string({ unit: 'grapheme', maxLength: 60 }).map(encodeURIComponent),
  fc.string({ unit: 'binary-ascii', maxLength: 60 }).map(encodeURIComponent),
  percentJunk,
  fc.constantFrom('..', '.', '%2e%2e', '%2F', 'x'.repeat(150), 'x'.repeat(5000), '__proto__', 'constructor', 'null', '-1', '0', '%20'),
);

/** Values that break naive handlers: wrong types, extremes, control characters, huge strings. */
const nasty = fc.oneof(
  fc.constantFrom<unknown>(null, true, false, 0, -1, 1.5, -1e308, 1e308, 2 ** 53 + 2, '', ' ', '\u0000', '\uD800', '\u202E', []),
  fc.constantFrom<unknown>({}, [null], JSON.parse('{"__proto__": {"polluted": true}}'), '😀'.repeat(1000), 'x'.repeat(600)),
  { arbitrary: loneSurrogate, weight: 2 },
  loneSurrogate.map((key) => ({ [key]: key })),
  fc.integer({ min: 0, max: 1_000_000 }).map((n) => 'x'.repeat(n)),
  fc.jsonValue({ maxDepth: 3 }),
  fc.string({ unit: 'grapheme' }),
);

type Path = (string | number)[];

function pathsIn(value: unknown, prefix: Path = []): Path[] {
  const found: Path[] = [prefix];
  if (Array.isArray(value)) value.forEach((item, i) => found.push(...pathsIn(item, [...prefix, i])));
  else if (value !== null && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) found.push(...pathsIn(item, [...prefix, key]));
  }
  return found;
}

function replaceAt(value: unknown, path: Path, replacement: unknown): unknown {
  if (path.length === 0) return replacement;
  const copy = structuredClone(value) as Record<string | number, unknown>;
  let node = copy;
  for (const key of path.slice(0, -1)) node = node[key] as Record<string | number, unknown>;
  node[path.at(-1) as string | number] = replacement;
  return copy;
}

function mutatedBody(valid: unknown): fc.Arbitrary<unknown> {
  return fc
    .tuple(fc.constantFrom(...pathsIn(valid)), nasty, fc.option(fc.tuple(fc.string({ maxLength: 12 }), nasty)))
    .map(([path, replacement, extra]) => {
      const body = replaceAt(valid, path, replacement);
      if (extra && body !== null && typeof body === 'object' && !Array.isArray(body)) {
        return { ...(body as object), [extra[0]]: extra[1] };
      }
      return body;
    });
}

const contentType = fc.option(
  fc.oneof(
    fc.constantFrom('application/json', 'application/json; charset=utf-8', 'application/json; charset=latin1', 'text/plain'),
    fc.constantFrom('application/x-www-form-urlencoded', 'multipart/form-data; boundary=----x', 'application/octet-stream'),
    fc.constantFrom('application/vnd.api+json', '*/*', '', ';', ';;;', 'application/', '/json', 'application/json;', 'text/html; charset=utf-16'),
    fc.string({ unit: printableAscii, maxLength: 40 }),
  ),
  { nil: undefined },
);

function rawBody(valid: unknown): fc.Arbitrary<string | Buffer> {
  const json = valid === undefined ? '{}' : JSON.stringify(valid);
  return fc.oneof(
    fc.string({ unit: 'binary', maxLength: 200 }),
    fc.uint8Array({ maxLength: 200 }).map((bytes) => Buffer.from(bytes)),
    fc.constantFrom('{', '[1,2', '{"a":1}{"b":2}', '\uFEFF{}', 'null', 'true', '1e999', '"x"', '[]', '{}', 'NaN', '<xml/>', 'a=b&c=d'),
    fc.constantFrom(`${'['.repeat(100_000)}${']'.repeat(100_000)}`, `{"a":${'{"a":'.repeat(300)}1${'}'.repeat(301)}`),
    fc.constantFrom(`\uFEFF${json}`, ` \n${json}\n `, json.slice(0, -1), `${json}${json}`, Buffer.from(json, 'utf16le')),
    // Every string of a valid body ending in an escaped lone surrogate (`"…\udfff"`).
    fc.constantFrom(json.replace(/(?<!\\)"(?=[,}\]:])/g, (quote, at: number) => (json[at + 1] === ':' ? quote : `\\udfff${quote}`))),
  );
}

// ---- requests ----------------------------------------------------------------------------

interface Credentials {
  key: string;
  session: string;
  mcpKey?: string;
}

function inject(op: Operation, credentials: Credentials, url: string, payload?: string | Buffer, type?: string) {
  const token =
    op.guard === 'developer-key'
      ? credentials.key
      : op.guard === 'session'
        ? credentials.session
        : op.guard === 'mcp-key'
          ? credentials.mcpKey
          : undefined;
  return ctx.app.inject({
    method: op.method as 'POST',
    url,
    headers: {
      ...(token !== undefined && { authorization: `Bearer ${token}` }),
      ...(type !== undefined && { 'content-type': type }),
    },
    ...(payload !== undefined && { payload }),
  });
}

const hasBody = (op: Operation) => op.method !== 'GET';

for (const op of operations) {
  describe(op.label, () => {
    // Each route gets its own key (its own rate-limit budget); session routes get their own
    // account, since logout, revoke or rotate must not spoil the other routes' credentials.
    let credentials: Credentials;
    beforeAll(async () => {
      if (op.guard === 'session') credentials = await ctx.developer();
      // The MCP REST routes get an MCP key; the MCP transport (JSON-RPC answers, endless GET
      // streams) is fuzzed unauthenticated, as before.
      else if (op.guard === 'mcp-key' && !op.operationId.startsWith('mcpStreamableHttp')) {
        const { secret } = await ctx.services.mcpKeys.create(shared.userId, { name: `fuzz ${op.operationId}` });
        credentials = { key: '', session: shared.session, mcpKey: secret };
      } else {
        const { secret } = await ctx.services.apiKeys.create(shared.userId, { name: `fuzz ${op.operationId}`, scopes: ALL_SCOPES });
        credentials = { key: secret, session: shared.session };
      }
    });

    const validBody = op.body ? sampleValue(document, op.body) : undefined;
    const validJson = validBody === undefined ? undefined : JSON.stringify(validBody);
    const validUrl = () => `${concretePath(op.path, randomUUID())}${sampleQuery(document, op)}`;
    const run = <T>(arbitrary: fc.Arbitrary<T>, request: (value: T) => Promise<void>) =>
      fc.assert(fc.asyncProperty(arbitrary, request), { numRuns: RUNS });

    if (hasBody(op)) {
      it('never fails on random JSON bodies', () =>
        run(fc.oneof(fc.jsonValue(), fc.object()), async (body) => {
          const payload = JSON.stringify(body) ?? 'null';
          expectWellFormed(await inject(op, credentials, validUrl(), payload, 'application/json'), payload.slice(0, 200));
        }));

      it('never fails on raw bodies with random content types', () =>
        run(fc.tuple(rawBody(validBody), contentType), async ([payload, type]) => {
          const response = await inject(op, credentials, validUrl(), payload, type);
          expectWellFormed(response, `${JSON.stringify(type)} ${String(payload).slice(0, 200)}`);
        }));
    }

    if (validBody !== undefined) {
      it('never fails on mutations of a valid body', () =>
        run(mutatedBody(validBody), async (body) => {
          const payload = JSON.stringify(body) ?? 'null';
          expectWellFormed(await inject(op, credentials, validUrl(), payload, 'application/json'), payload.slice(0, 200));
        }));
    }

    it('never fails on random query strings', () =>
      run(queryString(op), async (query) => {
        const url = `${concretePath(op.path, randomUUID())}?${query}`;
        // A valid body lets the query reach the handler; without declared parameters it would only slow login down.
        const payload = op.query.length > 0 ? validJson : undefined;
        expectWellFormed(await inject(op, credentials, url, payload, payload && 'application/json'), url.slice(0, 200));
      }));

    if (op.pathParams.length > 0) {
      // `/v1/mcp/<collection>/..` resolves to `/v1/mcp` itself, whose GET is the MCP transport's
      // endless event stream: not a path id for these routes.
      const ids = op.guard === 'mcp-key' ? pathId.filter((id) => !/^(\.|%2e){2}$/i.test(id)) : pathId;
      it('never fails on random path ids', () =>
        run(ids, async (id) => {
          const url = `${concretePath(op.path, id, true)}${sampleQuery(document, op)}`;
          expectWellFormed(await inject(op, credentials, url, validJson, validJson && 'application/json'), url.slice(0, 200));
        }));
    }
  });
}
