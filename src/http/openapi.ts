import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance } from 'fastify';
import { namedComponents } from './schema.ts';

type Json = Record<string, unknown>;

const STANDARD_ERRORS = {
  Error401: { description: 'Missing or invalid authentication credentials.' },
  Error403: { description: 'Authenticated, but the token does not grant the required scope.' },
  Error404: { description: 'Requested resource was not found.' },
  Error429: { description: 'Rate limit exceeded for this key and policy; see Retry-After.' },
};

const errorResponse = (description: string) => ({
  description,
  content: { 'application/json': { schema: { $ref: '#/components/schemas/ErrorResponse' } } },
});

/**
 * Replaces every inlined named schema (see `component`) with a `$ref` to
 * `#/components/schemas/<Name>`, the way the published document is written.
 */
function hoistComponents(document: Json): Json {
  const names = namedComponents();
  const schemas: Record<string, unknown> = {};
  const visit = (node: unknown, root: boolean): unknown => {
    if (Array.isArray(node)) return node.map((n) => visit(n, false));
    if (node === null || typeof node !== 'object') return node;
    const object = node as Json;
    const title = object.title;
    if (!root && typeof title === 'string' && names.has(title) && (object.type !== undefined || object.enum !== undefined || object.anyOf !== undefined)) {
      if (!(title in schemas)) {
        schemas[title] = {};
        schemas[title] = visit(object, true);
      }
      const { title: _t, type: _y, properties: _p, required: _r, enum: _e, anyOf: _a, items: _i, additionalProperties: _x, ...rest } = object;
      return Object.keys(rest).length > 0 ? { allOf: [{ $ref: `#/components/schemas/${title}` }], ...rest } : { $ref: `#/components/schemas/${title}` };
    }
    return Object.fromEntries(Object.entries(object).map(([k, v]) => [k, visit(v, false)]));
  };
  const paths = visit(document.paths, false);
  const components = (document.components ?? {}) as Json;
  // Components registered but not reached from a route (e.g. ErrorResponse) are still published.
  for (const [name, schema] of names) if (!(name in schemas)) schemas[name] = visit(schema, true);
  const sorted = Object.fromEntries(Object.entries(schemas).sort(([a], [b]) => a.localeCompare(b)));
  return { ...document, paths, components: { ...components, schemas: sorted } };
}

/**
 * A query parameter with a default is optional to the client, as FastAPI documents it; the
 * schema lists it as required only so that validation fills the default in.
 */
function optionalDefaults(querystring: Json): Json {
  const properties = (querystring.properties ?? {}) as Record<string, Json>;
  const { required, ...rest } = querystring;
  const stillRequired = ((required ?? []) as string[]).filter((name) => properties[name]?.default === undefined);
  return stillRequired.length > 0 ? { ...rest, required: stillRequired } : rest;
}

/** Success responses read "Successful Response", as in the published (FastAPI-generated) document. */
function describeSuccess(document: Json): Json {
  for (const item of Object.values((document.paths ?? {}) as Record<string, Record<string, Json>>)) {
    for (const operation of Object.values(item)) {
      for (const [status, response] of Object.entries((operation.responses ?? {}) as Record<string, Json>)) {
        if (status.startsWith('2') && response.description === 'Default Response') response.description = 'Successful Response';
      }
    }
  }
  return document;
}

export async function registerOpenApi(app: FastifyInstance): Promise<void> {
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Omi Developer API',
        version: '1.0.0',
        description:
          'Programmatic access to your Omi data - memories, conversations, action items, goals, folders, and API keys. ' +
          'Served by omi-dev-api, a self-hostable server compatible with https://api.omi.me.',
        license: { name: 'MIT', url: 'https://opensource.org/licenses/MIT' },
      },
      tags: [
        { name: 'Memories', description: 'Read and write user memories - timeless facts, preferences, and insights.' },
        { name: 'Action Items', description: 'Manage tasks and to-dos extracted from conversations or created manually.' },
        { name: 'Goals', description: 'Manage user goals and progress history.' },
        { name: 'API Keys', description: 'Create, list, and revoke developer API keys.' },
        { name: 'MCP', description: 'MCP keys, and the MCP server for AI assistants (Streamable HTTP at /v1/mcp, alias /v1/mcp/sse).' },
        { name: 'MCP REST', description: 'The REST routes under /v1/mcp/ that MCP-key clients (upstream’s stdio MCP server) call.' },
        { name: 'Accounts', description: 'Sign in to this server and manage the session used for key management.' },
        { name: 'Health', description: 'Liveness and readiness probes.' },
      ],
      components: {
        securitySchemes: {
          developerApiKey: {
            type: 'http',
            scheme: 'bearer',
            bearerFormat: 'Omi Developer API key',
            description: 'Send `Authorization: Bearer <omi_developer_api_key>`.',
          },
          mcpApiKey: {
            type: 'http',
            scheme: 'bearer',
            bearerFormat: 'Omi MCP key',
            description: 'Send `Authorization: Bearer <omi_mcp_…>` (create one with POST /v1/mcp/keys).',
          },
          firebaseBearer: {
            type: 'http',
            scheme: 'bearer',
            bearerFormat: 'Session token',
            description:
              'Upstream takes a Firebase ID token here; this server takes the session token from `POST /v1/auth/login`. ' +
              'Send `Authorization: Bearer <omi_session_…>`.',
          },
        },
      },
    },
    transform: ({ schema, url, route }) => {
      const guard = route.config ?? {};
      const transformed = { ...(schema as Json) };
      if (transformed.querystring) transformed.querystring = optionalDefaults(transformed.querystring as Json);
      const responses = { ...((transformed.response as Json | undefined) ?? {}) };
      if (guard.auth === 'developer-key') {
        transformed.security = [{ developerApiKey: [] }];
        responses['401'] ??= errorResponse(STANDARD_ERRORS.Error401.description);
        if (guard.scope) responses['403'] ??= errorResponse(STANDARD_ERRORS.Error403.description);
        if (guard.policy) responses['429'] ??= errorResponse(STANDARD_ERRORS.Error429.description);
      } else if (guard.auth === 'session') {
        transformed.security = [{ firebaseBearer: [] }];
        responses['401'] ??= errorResponse(STANDARD_ERRORS.Error401.description);
      } else if (guard.auth === 'mcp-key') {
        transformed.security = [{ mcpApiKey: [] }];
        responses['401'] ??= errorResponse(STANDARD_ERRORS.Error401.description);
        responses['429'] ??= errorResponse(STANDARD_ERRORS.Error429.description);
      } else {
        transformed.security = [];
      }
      if (url.includes(':')) responses['404'] ??= errorResponse(STANDARD_ERRORS.Error404.description);
      if (transformed.body || transformed.querystring || url.includes(':')) {
        responses['422'] ??= {
          description: 'Validation Error',
          content: { 'application/json': { schema: { $ref: '#/components/schemas/HTTPValidationError' } } },
        };
      }
      transformed.response = responses;
      return { schema: transformed, url };
    },
    transformObject: (document) =>
      hoistComponents(describeSuccess((document as { openapiObject: Json }).openapiObject)) as never,
  });

  await app.register(swaggerUi, { routePrefix: '/docs', uiConfig: { docExpansion: 'list', deepLinking: true } });
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());
}
