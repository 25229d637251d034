import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext } from '../helpers/context.ts';
import { concretePath, fetchDocument, operationsOf, resolveSchema, sampleQuery, type Operation } from '../helpers/openapi.ts';

/** Error shapes shared by every route (service-contract.md §2 and §6). */
const ctx = await createTestContext();
const document = await fetchDocument(ctx.app);
const operations = operationsOf(document);
const bodyRoutes = operations.filter((op) => op.body !== undefined);

let developer: Awaited<ReturnType<typeof ctx.developer>>;
let mcpKey: string;

beforeAll(async () => {
  developer = await ctx.developer();
  mcpKey = (await ctx.services.mcpKeys.create(developer.userId, { name: 'errors' })).secret;
});

afterAll(() => ctx.close());

const tokenFor = (op: Operation) =>
  op.guard === 'developer-key'
    ? developer.key
    : op.guard === 'session'
      ? developer.session
      : op.guard === 'mcp-key'
        ? mcpKey
        : undefined;

function raw(op: Operation, payload: string | Buffer | undefined, headers: Record<string, string> = {}) {
  const token = tokenFor(op);
  return ctx.app.inject({
    method: op.method as 'POST',
    url: `${concretePath(op.path, 'some-id')}${sampleQuery(document, op)}`,
    headers: { ...(token !== undefined && { authorization: `Bearer ${token}` }), ...headers },
    ...(payload !== undefined && { payload }),
  });
}

const STACK_TRACE = /\n\s+at |node_modules|\.ts:\d+|\bError: /;

function expectCleanError(response: LightMyRequestResponse, status: number) {
  expect(response.statusCode).toBe(status);
  expect(response.headers['content-type']).toMatch(/^application\/json/);
  expect(response.json()).toHaveProperty('detail');
  expect(response.body).not.toMatch(STACK_TRACE);
}

describe('unknown routes and methods', () => {
  it.each([
    ['GET', '/nope'],
    ['GET', '/v1/dev/user/nothing-here'],
    ['POST', '/v1/dev/user/memories/abc/def'],
    ['GET', '/v2/dev/user/memories'],
  ])('%s %s › returns 404 Not Found', async (method, url) => {
    const response = await ctx.call(method, url, developer.key);
    expect({ status: response.statusCode, body: response.json() }).toEqual({ status: 404, body: { detail: 'Not Found' } });
  });

  it.each([
    ['PUT', '/v1/dev/user/memories'],
    ['DELETE', '/v1/dev/keys'],
    ['POST', '/healthz'],
    ['GET', '/v1/dev/user/memories/some-id'],
    ['PUT', '/v1/dev/keys/some-id'],
  ])('%s %s › returns 405 Method Not Allowed', async (method, url) => {
    const response = await ctx.call(method, url, developer.key);
    expect({ status: response.statusCode, body: response.json() }).toEqual({ status: 405, body: { detail: 'Method Not Allowed' } });
  });

  it('DELETE /v1/dev/user/memories/{memory_id} › answers 404 Not Found for an id longer than the router accepts', async () => {
    const response = await ctx.call('DELETE', `/v1/dev/user/memories/${'x'.repeat(5000)}`, developer.key);
    expect({ status: response.statusCode, body: response.json() }).toEqual({ status: 404, body: { detail: 'Not Found' } });
  });

  it.each(['%', '%E0%A4%A', '%ZZ'])('DELETE /v1/dev/user/memories/{memory_id} › answers 400 with a detail for the malformed id %s', async (id) => {
    expectCleanError(await ctx.call('DELETE', `/v1/dev/user/memories/${id}`, developer.key), 400);
  });
});

describe('request bodies', () => {
  for (const op of bodyRoutes) {
    describe(op.label, () => {
      it('returns 422 json_invalid for malformed JSON', async () => {
        const response = await raw(op, '{"oops": ', { 'content-type': 'application/json' });
        expectCleanError(response, 422);
        expect(response.json()).toEqual({
          detail: [expect.objectContaining({ type: 'json_invalid', loc: ['body', expect.any(Number)], msg: 'JSON decode error' })],
        });
      });

      it.each([
        ['an empty body', undefined],
        ['an empty string', ''],
        ['whitespace', '  \n'],
        ['JSON null', 'null'],
      ])('returns 422 Field required for %s', async (_case, payload) => {
        const response = await raw(op, payload, { 'content-type': 'application/json' });
        expect({ status: response.statusCode, body: response.json() }).toEqual({
          status: 422,
          body: { detail: [{ type: 'missing', loc: ['body'], msg: 'Field required', input: null }] },
        });
      });

      it('returns 422 json_invalid for JSON nested deeper than 200 levels', async () => {
        const response = await raw(op, `${'['.repeat(100_000)}${']'.repeat(100_000)}`, { 'content-type': 'application/json' });
        expectCleanError(response, 422);
        expect(response.json<{ detail: { type: string }[] }>().detail[0]?.type).toBe('json_invalid');
      });

      it('returns 413 with a detail for a body over the size limit', async () => {
        expectCleanError(await raw(op, 'x'.repeat(3 * 1024 * 1024), { 'content-type': 'application/json' }), 413);
      });

      it('returns 413 with a short detail for a body holding more JSON values than any route takes', async () => {
        const response = await raw(op, `[${'0,'.repeat(30_000)}0]`, { 'content-type': 'application/json' });
        expectCleanError(response, 413);
        expect(response.body.length).toBeLessThan(200);
      });

      const schema = resolveSchema(document, op.body);
      if (schema.type === 'object') {
        it('returns 422 with loc ["body"] when the body is not an object', async () => {
          const response = await raw(op, '[1, 2]', { 'content-type': 'application/json' });
          expectCleanError(response, 422);
          expect(response.json()).toEqual({ detail: [expect.objectContaining({ type: 'model_attributes_type', loc: ['body'], input: [1, 2] })] });
        });
      }
    });
  }

  it('POST /v1/dev/user/memories › accepts a body one byte under the limit as far as parsing goes', async () => {
    const padding = ' '.repeat(ctx.config.bodyLimitBytes - 40);
    const response = await ctx.call('POST', '/v1/dev/user/memories', developer.key, `{"content": "limit probe"${padding}}`);
    expect(response.statusCode).toBe(200);
  });

  it('POST /v1/dev/user/memories › returns 413 one byte over the limit', async () => {
    const response = await ctx.call('POST', '/v1/dev/user/memories', developer.key, 'x'.repeat(ctx.config.bodyLimitBytes + 1));
    expectCleanError(response, 413);
  });

  it.each([
    ['text/plain', { 'content-type': 'text/plain' }],
    ['application/x-www-form-urlencoded (curl -d)', { 'content-type': 'application/x-www-form-urlencoded' }],
    ['an empty Content-Type', { 'content-type': '' }],
    ['no Content-Type', {}],
  ])('POST /v1/dev/user/memories › reads a JSON body sent as %s', async (_case, headers) => {
    const response = await ctx.app.inject({
      method: 'POST',
      url: '/v1/dev/user/memories',
      headers: { authorization: `Bearer ${developer.key}`, ...headers },
      payload: JSON.stringify({ content: `content type ${_case}` }),
    });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ content: `content type ${_case}` });
  });

  it('PATCH /v1/dev/user/memories/{memory_id} › keeps null fields null instead of coercing them to strings', async () => {
    const created = await ctx.call('POST', '/v1/dev/user/memories', developer.key, { content: 'nullable fields stay null' });
    const { id } = created.json<{ id: string }>();
    const response = await ctx.call('PATCH', `/v1/dev/user/memories/${id}`, developer.key, { content: null, tags: ['x'] });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ id, content: 'nullable fields stay null', tags: ['x'] });
  });

  it('POST /v1/dev/user/memories › does not coerce a number into a string field', async () => {
    const response = await ctx.call('POST', '/v1/dev/user/memories', developer.key, { content: 5 });
    expect(response.statusCode).toBe(422);
    expect(response.json()).toEqual({
      detail: [{ type: 'string_type', loc: ['body', 'content'], msg: 'Input should be a valid string', input: 5 }],
    });
  });
});

describe('validation error shape', () => {
  const isIssue = expect.objectContaining({
    type: expect.any(String),
    loc: expect.any(Array),
    msg: expect.any(String),
    input: expect.anything(),
  });

  it('POST /v1/dev/user/memories › reports body errors with loc starting "body"', async () => {
    const response = await ctx.call('POST', '/v1/dev/user/memories', developer.key, { content: '', tags: 'nope' });
    expect(response.statusCode).toBe(422);
    const { detail } = response.json<{ detail: { loc: unknown[] }[] }>();
    expect(detail.length).toBeGreaterThan(0);
    for (const issue of detail) {
      expect(issue).toEqual(isIssue);
      expect(issue.loc[0]).toBe('body');
    }
  });

  it('POST /v1/dev/user/memories › reports a missing required field', async () => {
    const response = await ctx.call('POST', '/v1/dev/user/memories', developer.key, { tags: [] });
    expect(response.json()).toEqual({
      detail: [{ type: 'missing', loc: ['body', 'content'], msg: 'Field required', input: expect.objectContaining({ tags: [] }) }],
    });
  });

  it('GET /v1/dev/user/memories › reports query errors with loc ["query", name]', async () => {
    const response = await ctx.call('GET', '/v1/dev/user/memories?limit=ten', developer.key);
    expect(response.statusCode).toBe(422);
    expect(response.json()).toEqual({
      detail: [
        {
          type: 'int_parsing',
          loc: ['query', 'limit'],
          msg: 'Input should be a valid integer, unable to parse string as an integer',
          input: 'ten',
        },
      ],
    });
  });

  it('GET /v1/dev/user/memories › answers a huge offset instead of failing', async () => {
    const response = await ctx.call('GET', '/v1/dev/user/memories?offset=99999999999999999999999&limit=99999999999999999999999', developer.key);
    expect({ status: response.statusCode, body: response.json() }).toEqual({ status: 200, body: [] });
  });

  const required = operations.flatMap((op) => op.query.filter((p) => p.required).map((p) => ({ op, name: p.name })));
  for (const { op, name } of required) {
    it(`${op.label} › reports a missing required query parameter as loc ["query", "${name}"]`, async () => {
      const token = tokenFor(op);
      const response = await ctx.app.inject({
        method: op.method as 'GET',
        url: concretePath(op.path, 'some-id'),
        headers: { ...(token !== undefined && { authorization: `Bearer ${token}` }), 'content-type': 'application/json' },
        ...(op.body !== undefined && { payload: '{}' }),
      });
      expect(response.statusCode).toBe(422);
      expect(response.json<{ detail: unknown[] }>().detail).toContainEqual(
        expect.objectContaining({ type: 'missing', loc: ['query', name], msg: 'Field required' }),
      );
    });
  }
});

describe('query booleans', () => {
  const booleans = operations.flatMap((op) =>
    op.query
      .filter((p) => {
        const schema = resolveSchema(document, p.schema);
        const branches = (schema.anyOf as { type?: string }[] | undefined) ?? [schema];
        return branches.some((branch) => branch.type === 'boolean');
      })
      .map((p) => ({ op, name: p.name })),
  );

  it('exist on at least one route', () => {
    expect(booleans.length).toBeGreaterThan(0);
  });

  for (const { op, name } of booleans) {
    const url = (value: string) => {
      const query = sampleQuery(document, op);
      return `${concretePath(op.path, 'some-id')}${query ? `${query}&` : '?'}${name}=${value}`;
    };

    it.each(['true', 'false', '1', '0', 'yes', 'no', 'on', 'off', 'True', 'OFF'])(
      `${op.label} › accepts ${name}=%s`,
      async (value) => {
        const response = await ctx.call(op.method, url(value), tokenFor(op));
        expect(response.statusCode).not.toBe(422);
        expect(response.statusCode).toBeLessThan(500);
      },
    );

    it(`${op.label} › rejects ${name}=maybe with bool_parsing`, async () => {
      const response = await ctx.call(op.method, url('maybe'), tokenFor(op));
      expect(response.statusCode).toBe(422);
      expect(response.json()).toEqual({
        detail: [
          {
            type: 'bool_parsing',
            loc: ['query', name],
            msg: 'Input should be a valid boolean, unable to interpret input',
            input: 'maybe',
          },
        ],
      });
    });
  }
});

describe('health', () => {
  it.each(['/healthz', '/readyz'])('GET %s › returns 200 {"status":"ok"}', async (url) => {
    const response = await ctx.call('GET', url);
    expect({ status: response.statusCode, body: response.json() }).toEqual({ status: 200, body: { status: 'ok' } });
  });

  it('GET /readyz › returns 503 with a detail when the database is closed', async () => {
    const broken = await createTestContext();
    try {
      await broken.storage.close();
      const response = await broken.call('GET', '/readyz');
      expectCleanError(response, 503);
      expect((await broken.call('GET', '/healthz')).statusCode).toBe(200);
    } finally {
      await broken.close();
    }
  });
});

describe('no stack traces', () => {
  it('data routes answer a closed database with a bare 500 detail', async () => {
    const broken = await createTestContext();
    try {
      const { key } = await broken.developer();
      await broken.storage.close();
      const response = await broken.call('GET', '/v1/dev/user/memories', key);
      expect(response.statusCode).toBeGreaterThanOrEqual(500);
      expect(response.json()).toEqual({ detail: expect.any(String) });
      expect(response.body).not.toMatch(STACK_TRACE);
      expect(response.body).not.toMatch(/sqlite|database|closed/i);
    } finally {
      await broken.close();
    }
  });
});

describe('NUL characters (U+0000), which PostgreSQL text cannot hold', () => {
  let ctx: Awaited<ReturnType<typeof createTestContext>>;
  let key: string;
  beforeAll(async () => {
    ctx = await createTestContext();
    ({ key } = await ctx.developer());
  });
  afterAll(() => ctx.close());

  it('PATCH /v1/dev/user/memories/{memory_id} › returns 404 for an id containing NUL', async () => {
    const res = await ctx.call('PATCH', '/v1/dev/user/memories/a%00b', key, { content: 'x' });
    expect(res.statusCode).toBe(404);
    expect(res.json()).toEqual({ detail: 'Not Found' });
  });

  it('POST /v1/dev/user/memories › returns 422 naming the field whose text contains NUL', async () => {
    const res = await ctx.call('POST', '/v1/dev/user/memories', key, { content: 'a\u0000b', tags: ['ok'] });
    expect(res.statusCode).toBe(422);
    expect(res.json().detail).toEqual([
      { type: 'string_nul', loc: ['body', 'content'], msg: 'String should not contain NUL characters (\\u0000)', input: 'a\u0000b' },
    ]);
  });

  it('POST /v1/dev/user/memories › stores a lone surrogate (\\udfff) as U+FFFD, as every database does', async () => {
    const res = await ctx.call('POST', '/v1/dev/user/memories', key, '{"content":"tea \\udfff time","tags":["\\ud800"]}');
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ content: 'tea \uFFFD time' });
    const list = await ctx.call('GET', '/v1/dev/user/memories', key);
    expect(list.json()).toEqual(expect.arrayContaining([expect.objectContaining({ content: 'tea \uFFFD time' })]));
  });

  it('GET /v1/dev/user/action-items › returns 422 for a query value containing NUL', async () => {
    const res = await ctx.call('GET', '/v1/dev/user/action-items?conversation_id=a%00', key);
    expect(res.statusCode).toBe(422);
    expect(res.json().detail[0]).toMatchObject({ type: 'string_nul', loc: ['query', 'conversation_id'] });
  });
});
