import fastJson from 'fast-json-stringify';
import type { FastifySerializerCompiler } from 'fastify';

type Schema = Record<string, unknown>;

/**
 * Response serializers from the route schemas, with one rewrite: a nullable scalar written
 * FastAPI's way (`anyOf: [{type: T}, {type: null}]`, which is what /openapi.json publishes)
 * becomes `type: [T, "null"]`. The two accept exactly the same values, but fast-json-stringify
 * resolves `anyOf` by running a validator per field per row; type arrays are three times faster
 * on a 25-memory page.
 */
export function nullableAsTypeArray(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(nullableAsTypeArray);
  if (schema === null || typeof schema !== 'object') return schema;
  const node = schema as Schema;
  const branches = node.anyOf;
  if (Array.isArray(branches) && branches.length === 2) {
    const [value, none] = branches as Schema[];
    if (none?.type === 'null' && typeof value?.type === 'string' && !['object', 'array'].includes(value.type)) {
      const { anyOf: _anyOf, ...rest } = node;
      return { ...rest, ...value, type: [value.type, 'null'] };
    }
  }
  return Object.fromEntries(Object.entries(node).map(([key, child]) => [key, nullableAsTypeArray(child)]));
}

export const serializerCompiler: FastifySerializerCompiler<unknown> = ({ schema }) =>
  fastJson(nullableAsTypeArray(schema) as Parameters<typeof fastJson>[0]);
