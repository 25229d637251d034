import type { App } from '../../src/app.ts';

/**
 * The app's own OpenAPI document, read as a route inventory: cross-cutting suites (security
 * matrix, fuzzing) iterate over whatever routes the server publishes instead of a fixed list.
 */
export type JsonSchema = Record<string, unknown>;

export interface OpenApiParameter {
  name: string;
  in: 'path' | 'query' | 'header' | 'cookie';
  required?: boolean;
  schema?: JsonSchema;
}

interface OpenApiOperation {
  operationId?: string;
  security?: Record<string, string[]>[];
  parameters?: OpenApiParameter[];
  requestBody?: { required?: boolean; content?: Record<string, { schema?: JsonSchema }> };
  responses?: Record<string, { content?: Record<string, { schema?: JsonSchema }> }>;
}

export interface OpenApiDocument {
  openapi: string;
  paths: Record<string, Record<string, OpenApiOperation>>;
  components: { schemas?: Record<string, JsonSchema>; securitySchemes?: Record<string, JsonSchema> };
}

export type Guard = 'developer-key' | 'session' | 'mcp-key' | 'public';

export interface Operation {
  method: string;
  /** OpenAPI form: `/v1/dev/user/memories/{memory_id}`. */
  path: string;
  /** `GET /v1/dev/user/memories/{memory_id}`, used to name tests. */
  label: string;
  operationId: string;
  guard: Guard;
  pathParams: string[];
  query: OpenApiParameter[];
  body: JsonSchema | undefined;
}

const HTTP_METHODS = new Set(['get', 'post', 'put', 'patch', 'delete']);

export async function fetchDocument(app: App): Promise<OpenApiDocument> {
  const response = await app.inject({ method: 'GET', url: '/openapi.json' });
  if (response.statusCode !== 200) throw new Error(`GET /openapi.json answered ${response.statusCode}`);
  return response.json<OpenApiDocument>();
}

function guardOf(security: OpenApiOperation['security']): Guard {
  const schemes = (security ?? []).flatMap((requirement) => Object.keys(requirement));
  if (schemes.includes('developerApiKey')) return 'developer-key';
  if (schemes.includes('firebaseBearer')) return 'session';
  if (schemes.includes('mcpApiKey')) return 'mcp-key';
  return 'public';
}

export function operationsOf(document: OpenApiDocument): Operation[] {
  const operations: Operation[] = [];
  for (const [path, methods] of Object.entries(document.paths)) {
    for (const [method, operation] of Object.entries(methods)) {
      if (!HTTP_METHODS.has(method)) continue;
      const parameters = operation.parameters ?? [];
      operations.push({
        method: method.toUpperCase(),
        path,
        label: `${method.toUpperCase()} ${path}`,
        operationId: operation.operationId ?? '',
        guard: guardOf(operation.security),
        pathParams: [...path.matchAll(/\{([^}]+)\}/g)].map((match) => match[1] ?? ''),
        query: parameters.filter((p) => p.in === 'query'),
        body: operation.requestBody?.content?.['application/json']?.schema,
      });
    }
  }
  return operations;
}

/** `/a/{id}/b` with every path parameter replaced (URL-encoded unless `raw`). */
export function concretePath(path: string, id: string, raw = false): string {
  return path.replace(/\{[^}]+\}/g, raw ? id : encodeURIComponent(id));
}

/** `{param}` → `:param`, the form Fastify registers. */
export const toFastifyPath = (path: string) => path.replace(/\{([^}]+)\}/g, ':$1');

/** The collection a path parameter belongs to: `/v1/dev/user/goals/{goal_id}/history` → `/v1/dev/user/goals`. */
export const collectionOf = (path: string) => path.slice(0, Math.max(0, path.indexOf('/{')));

/** Dereferences `$ref` and flattens `allOf` (the generated document wraps refs that carry a description). */
export function resolveSchema(document: OpenApiDocument, schema: JsonSchema | undefined): JsonSchema {
  if (!schema) return {};
  let resolved = schema;
  const ref = resolved.$ref;
  if (typeof ref === 'string') {
    const name = ref.replace('#/components/schemas/', '');
    resolved = { ...(document.components.schemas?.[name] ?? {}), ...Object.fromEntries(Object.entries(resolved).filter(([k]) => k !== '$ref')) };
  }
  if (Array.isArray(resolved.allOf)) {
    const { allOf, ...rest } = resolved;
    return (allOf as JsonSchema[]).reduce<JsonSchema>((merged, part) => ({ ...resolveSchema(document, part), ...merged }), rest);
  }
  return resolved;
}

/**
 * A small value that satisfies `schema`: required properties only (or the first property when
 * none is required, so updates change something), first enum value, first non-null branch.
 */
export function sampleValue(document: OpenApiDocument, input: JsonSchema | undefined, seed = 'sample'): unknown {
  const schema = resolveSchema(document, input);
  if ('const' in schema) return schema.const;
  if (Array.isArray(schema.enum)) return schema.enum[0];
  if (Array.isArray(schema.anyOf) || Array.isArray(schema.oneOf)) {
    const branches = (schema.anyOf ?? schema.oneOf) as JsonSchema[];
    const branch = branches.find((b) => resolveSchema(document, b).type !== 'null') ?? branches[0];
    return sampleValue(document, branch, seed);
  }
  switch (schema.type) {
    case 'object': {
      const properties = (schema.properties ?? {}) as Record<string, JsonSchema>;
      const required = (schema.required ?? []) as string[];
      const names = required.length > 0 ? required : Object.keys(properties).slice(0, 1);
      return Object.fromEntries(names.map((name) => [name, sampleValue(document, properties[name], `${seed} ${name}`)]));
    }
    case 'array': {
      const count = Math.max(1, Number(schema.minItems ?? 0));
      return Array.from({ length: count }, (_, i) => sampleValue(document, schema.items as JsonSchema, `${seed} ${i}`));
    }
    case 'string': {
      if (schema.format === 'date-time') return '2026-01-20T10:00:00Z';
      if (schema.format === 'email') return 'sample@example.com';
      const min = Number(schema.minLength ?? 0);
      const max = Number(schema.maxLength ?? Infinity);
      return seed.padEnd(min, 'x').slice(0, max);
    }
    case 'integer':
    case 'number': {
      const min = Number(schema.minimum ?? -Infinity);
      const max = Number(schema.maximum ?? Infinity);
      return Math.min(Math.max(1, min), max);
    }
    case 'boolean':
      return true;
    case 'null':
      return null;
    default:
      return seed;
  }
}

/** Required query parameters with valid values, as a query string (`''` when none). */
export function sampleQuery(document: OpenApiDocument, operation: Operation): string {
  const pairs = operation.query
    .filter((p) => p.required)
    .map((p) => `${encodeURIComponent(p.name)}=${encodeURIComponent(String(sampleValue(document, p.schema, 'sample')))}`);
  return pairs.length > 0 ? `?${pairs.join('&')}` : '';
}

/** Every `$ref` string in a JSON value, without following them. */
export function refsIn(value: unknown, found = new Set<string>()): Set<string> {
  if (Array.isArray(value)) for (const item of value) refsIn(item, found);
  else if (value !== null && typeof value === 'object') {
    for (const [key, child] of Object.entries(value)) {
      if (key === '$ref' && typeof child === 'string') found.add(child);
      else refsIn(child, found);
    }
  }
  return found;
}

/** The routes Fastify has registered, as `METHOD /path/:param`, read from `printRoutes()`. */
export function registeredRoutes(app: App): string[] {
  const routes: string[] = [];
  const prefixes: string[] = [];
  for (const line of app.printRoutes({ commonPrefix: false }).split('\n')) {
    const match = /^([│ ]*)[├└]── (.*?)(?: \(([A-Z, ]+)\))?$/u.exec(line);
    if (!match) continue;
    const depth = Math.round((match[1] ?? '').length / 4);
    const segment = match[2] ?? '';
    prefixes.length = depth;
    prefixes.push(segment);
    const path = prefixes.join('');
    for (const method of (match[3] ?? '').split(',').map((m) => m.trim())) if (method) routes.push(`${method} ${path}`);
  }
  return routes;
}
