import { Type, type TSchema, type TUnsafe } from 'typebox';

/**
 * Schema building blocks shared by every route. Named schemas (`component`) keep the component
 * names of the published OpenAPI document: they are inlined for validation and serialization,
 * and turned back into `$ref`s when /openapi.json is generated (src/http/openapi.ts).
 */
const components = new Map<string, TSchema>();

export function component<T extends TSchema>(name: string, schema: T): T {
  const named = { ...schema, title: name } as T;
  components.set(name, named);
  return named;
}

export const namedComponents = (): ReadonlyMap<string, TSchema> => components;

/** A string enum as `{"type":"string","enum":[…]}` (the published document's form). */
export const StringEnum = <const T extends readonly string[]>(values: T, options: Record<string, unknown> = {}) =>
  Type.Unsafe<T[number]>({ type: 'string', enum: [...values], ...options });

/** `T | null`, as FastAPI writes optional fields: `anyOf: [T, {type: null}]`. */
export const Nullable = <T extends TSchema>(schema: T, options: Record<string, unknown> = {}) =>
  Type.Union([schema, Type.Null()], options);

/** An ISO 8601 date-time. Naive values and bare dates are accepted too (see lib/time.ts). */
export const DateTime = (options: Record<string, unknown> = {}): TUnsafe<string> =>
  Type.Unsafe<string>({ type: 'string', format: 'date-time', ...options });

export const ErrorResponse = component(
  'ErrorResponse',
  Type.Object({
    detail: Type.Union([Type.String(), Type.Array(Type.Unknown()), Type.Object({})], {
      description: 'Error detail returned by the API.',
    }),
  }),
);

export const DeveloperSuccessResponse = component(
  'DeveloperSuccessResponse',
  Type.Object({ success: Type.Boolean({ title: 'Success' }) }),
);

export const ValidationError = component(
  'ValidationError',
  Type.Object({
    loc: Type.Array(Type.Union([Type.String(), Type.Integer()]), { title: 'Location' }),
    msg: Type.String({ title: 'Message' }),
    type: Type.String({ title: 'Error Type' }),
  }),
);

export const HTTPValidationError = component(
  'HTTPValidationError',
  Type.Object({ detail: Type.Optional(Type.Array(ValidationError, { title: 'Detail' })) }),
);
