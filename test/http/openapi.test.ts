import { afterAll, describe, expect, it } from 'vitest';
import { createTestContext } from '../helpers/context.ts';
import { fetchDocument, operationsOf, refsIn, registeredRoutes, toFastifyPath, type OpenApiDocument } from '../helpers/openapi.ts';
import { officialSpec } from '../helpers/spec.ts';
import { isConsoleRoute } from '../../src/http/routes/console.routes.ts';

/** GET /openapi.json against itself, the app's routes and the published document. */
const ctx = await createTestContext();
const document = await fetchDocument(ctx.app);
const published = officialSpec as unknown as OpenApiDocument;
const ours = operationsOf(document);
const theirs = operationsOf(published);

afterAll(() => ctx.close());

const has = (method: string, path: string) => ctx.app.hasRoute({ method: method as 'GET', url: toFastifyPath(path) });

/** The `$ref`s of a request body or a 200 response, without following them. */
function schemaRefs(doc: OpenApiDocument, method: string, path: string, part: 'request' | 'response'): string[] {
  const operation = doc.paths[path]?.[method.toLowerCase()];
  const content = part === 'request' ? operation?.requestBody?.content : operation?.responses?.['200']?.content;
  return [...refsIn(content?.['application/json']?.schema)].sort();
}

describe('GET /openapi.json', () => {
  it('is an OpenAPI 3.1 document with info and paths', () => {
    expect(document.openapi).toMatch(/^3\.1\.\d+$/);
    expect(document).toMatchObject({ info: { title: expect.any(String), version: expect.any(String) } });
    expect(Object.keys(document.paths).length).toBeGreaterThan(0);
  });

  it('resolves every $ref inside the document', () => {
    const unresolved = [...refsIn(document)].filter((ref) => {
      if (!ref.startsWith('#/')) return true;
      let node: unknown = document;
      for (const part of ref.slice(2).split('/').map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'))) {
        node = node !== null && typeof node === 'object' ? (node as Record<string, unknown>)[part] : undefined;
      }
      return node === undefined;
    });
    expect(unresolved).toEqual([]);
  });

  it('gives every operation a unique operationId and a response', () => {
    const ids = ours.map((op) => op.operationId);
    expect(ids.filter((id) => id === '')).toEqual([]);
    expect(ids.filter((id, i) => ids.indexOf(id) !== i)).toEqual([]);
    for (const op of ours) expect(Object.keys(document.paths[op.path]?.[op.method.toLowerCase()]?.responses ?? {}), op.label).not.toEqual([]);
  });

  it('declares the developerApiKey and firebaseBearer security schemes', () => {
    expect(document.components.securitySchemes).toMatchObject({
      developerApiKey: { type: 'http', scheme: 'bearer' },
      firebaseBearer: { type: 'http', scheme: 'bearer' },
    });
  });

  it('publishes the same security requirement as upstream for shared operations', () => {
    expect(implemented.length).toBeGreaterThan(0);
    for (const op of implemented) {
      expect(ours.find((o) => o.label === op.label)?.guard, op.label).toBe(op.guard);
    }
  });

  it('documents a path parameter for every {param} in a path', () => {
    for (const op of ours) {
      const parameters = document.paths[op.path]?.[op.method.toLowerCase()]?.parameters ?? [];
      const documented = parameters.filter((p) => p.in === 'path').map((p) => p.name);
      expect(documented.sort(), op.label).toEqual([...op.pathParams].sort());
    }
  });

  it('marks query parameters as required exactly as the published document does', () => {
    for (const op of implemented) {
      const mine = ours.find((o) => o.label === op.label);
      const flags = (list: typeof op.query) => Object.fromEntries(list.map((p) => [p.name, p.required === true]));
      expect(flags(mine?.query ?? []), op.label).toMatchObject(flags(op.query));
    }
  });
});

/** Published operations whose method and path this server routes. */
const implemented = theirs.filter((op) => has(op.method, op.path));

for (const op of implemented) {
  describe(op.label, () => {
    it(`is published with operationId ${op.operationId}`, () => {
      expect(document.paths[op.path]?.[op.method.toLowerCase()]?.operationId).toBe(op.operationId);
    });

    it('uses the published component schemas for its request body and 200 response', () => {
      expect(schemaRefs(document, op.method, op.path, 'request')).toEqual(schemaRefs(published, op.method, op.path, 'request'));
      expect(schemaRefs(document, op.method, op.path, 'response')).toEqual(schemaRefs(published, op.method, op.path, 'response'));
    });
  });
}

/** Components a request body reaches, directly or through other components. */
function requestComponents(doc: OpenApiDocument): Set<string> {
  const names = new Set<string>();
  const queue = Object.values(doc.paths).flatMap((methods) => Object.values(methods).flatMap((op) => [...refsIn(op.requestBody)]));
  for (let ref = queue.pop(); ref !== undefined; ref = queue.pop()) {
    const name = ref.replace('#/components/schemas/', '');
    if (names.has(name)) continue;
    names.add(name);
    queue.push(...refsIn(doc.components.schemas?.[name]));
  }
  return names;
}

describe('component schemas', () => {
  const names = Object.keys(document.components.schemas ?? {}).filter((name) => name in (published.components.schemas ?? {}));
  const requests = requestComponents(published);
  const shape = (schema: Record<string, unknown> | undefined) => ({
    properties: Object.keys((schema?.properties ?? {}) as object).sort(),
    required: [...((schema?.required ?? []) as string[])].sort(),
    enum: schema?.enum,
  });

  for (const name of names) {
    const mine = shape(document.components.schemas?.[name]);
    const theirs = shape(published.components.schemas?.[name]);
    if (requests.has(name)) {
      it(`${name} (request) has the published properties and exactly the published required fields`, () => {
        expect(mine).toEqual(theirs);
      });
    } else {
      // Responses may promise more than upstream (we always send every field), never less.
      it(`${name} has the published properties and requires at least the published fields`, () => {
        expect({ ...mine, required: undefined }).toEqual({ ...theirs, required: undefined });
        expect(mine.required).toEqual(expect.arrayContaining(theirs.required));
      });
    }
  }
});

describe('routes and the document', () => {
  const routes = registeredRoutes(ctx.app).filter((route) => {
    const [method, path = ''] = route.split(' ');
    return (
      method !== 'HEAD' && method !== 'OPTIONS' && !path.startsWith('/docs') && path !== '/openapi.json' && !isConsoleRoute(path) &&
      // Operational, not part of the API: kept out of the document on purpose (metrics.test.ts).
      path !== '/metrics' &&
      // Webhook receivers (secret-token URLs for the Omi app, README "Receive the Omi app's webhooks"):
      // not yet in the document, because the generic error suites would drive them without a live token.
      !path.startsWith('/v1/receivers/') &&
      !path.startsWith('/v1/users/developer/receivers')
    );
  });

  it('finds the routes the server registers', () => {
    expect(routes).toEqual(expect.arrayContaining(['GET /healthz', 'GET /v1/dev/user/memories', 'DELETE /v1/dev/keys/:key_id']));
  });

  it('documents every route the server has', () => {
    const documented = new Set(ours.map((op) => `${op.method} ${toFastifyPath(op.path)}`));
    expect(routes.filter((route) => !documented.has(route))).toEqual([]);
  });

  it('has a route for every documented operation', () => {
    expect(ours.filter((op) => !has(op.method, op.path)).map((op) => op.label)).toEqual([]);
  });
});

describe('GET /docs', () => {
  it('serves the Swagger UI from local assets only', async () => {
    let response = await ctx.call('GET', '/docs');
    for (let hops = 0; response.statusCode >= 300 && response.statusCode < 400 && hops < 5; hops++) {
      response = await ctx.call('GET', new URL(String(response.headers.location), 'http://localhost/docs').pathname);
    }
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toMatch(/^text\/html/);
    expect(response.body).toMatch(/<html/i);
    expect(response.body).not.toMatch(/(?:src|href)\s*=\s*["']?(?:https?:)?\/\//i);

    const assets = [...response.body.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1] ?? '');
    expect(assets.length).toBeGreaterThan(0);
    for (const asset of assets) {
      const assetResponse = await ctx.call('GET', new URL(asset, 'http://localhost/docs/').pathname);
      expect(assetResponse.statusCode, asset).toBe(200);
    }
  });

  it('points the UI at a JSON document served by this server', async () => {
    const initializer = await ctx.call('GET', '/docs/static/swagger-initializer.js');
    expect(initializer.statusCode).toBe(200);
    expect(initializer.body).not.toMatch(/url:\s*["']https?:\/\//);
    const json = await ctx.call('GET', '/docs/json');
    expect(json.statusCode).toBe(200);
    expect(json.json()).toEqual(document);
  });
});
