import type { FastifyRequest } from 'fastify';
import { notFound, unprocessable } from '../lib/errors.ts';

// ES2024 string methods (Node 20 has them; the project's lib setting is ES2023).
declare global {
  interface String {
    isWellFormed(): boolean;
    toWellFormed(): string;
  }
}

/**
 * Request validation errors in FastAPI's shape, so clients written for upstream parse them:
 * `{"detail":[{"type","loc":["body"|"query"|"path",…],"msg","input"}]}`.
 */
export interface ValidationIssue {
  type: string;
  loc: (string | number)[];
  msg: string;
  input: unknown;
  ctx?: Record<string, unknown>;
}

interface AjvError {
  keyword: string;
  instancePath: string;
  params: Record<string, unknown>;
  message?: string;
}

const LOCATION: Record<string, string> = { body: 'body', querystring: 'query', params: 'path', headers: 'header' };

function pointerToPath(pointer: string): (string | number)[] {
  if (pointer === '') return [];
  return pointer
    .slice(1)
    .split('/')
    .map((part) => part.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((part) => (/^\d+$/.test(part) ? Number(part) : part));
}

function valueAt(root: unknown, path: (string | number)[]): unknown {
  let value = root;
  for (const key of path) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<string | number, unknown>)[key];
  }
  return value;
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

function describe(error: AjvError, input: unknown): Pick<ValidationIssue, 'type' | 'msg'> & { ctx?: Record<string, unknown> } {
  const p = error.params;
  switch (error.keyword) {
    case 'required':
      return { type: 'missing', msg: 'Field required' };
    case 'type': {
      const expected = String(p.type).split(',')[0];
      if (expected === 'integer')
        return typeof input === 'string'
          ? { type: 'int_parsing', msg: 'Input should be a valid integer, unable to parse string as an integer' }
          : { type: 'int_type', msg: 'Input should be a valid integer' };
      if (expected === 'number')
        return typeof input === 'string'
          ? { type: 'float_parsing', msg: 'Input should be a valid number, unable to parse string as a number' }
          : { type: 'float_type', msg: 'Input should be a valid number' };
      if (expected === 'boolean')
        return typeof input === 'string'
          ? { type: 'bool_parsing', msg: 'Input should be a valid boolean, unable to interpret input' }
          : { type: 'bool_type', msg: 'Input should be a valid boolean' };
      if (expected === 'string') return { type: 'string_type', msg: 'Input should be a valid string' };
      if (expected === 'array') return { type: 'list_type', msg: 'Input should be a valid list' };
      if (expected === 'object') return { type: 'model_attributes_type', msg: 'Input should be a valid dictionary or object to extract fields from' };
      return { type: `${expected}_type`, msg: `Input should be ${expected}` };
    }
    case 'minLength':
      return { type: 'string_too_short', msg: `String should have at least ${plural(Number(p.limit), 'character')}`, ctx: { min_length: p.limit } };
    case 'maxLength':
      return { type: 'string_too_long', msg: `String should have at most ${plural(Number(p.limit), 'character')}`, ctx: { max_length: p.limit } };
    case 'minItems':
      return { type: 'too_short', msg: `List should have at least ${plural(Number(p.limit), 'item')} after validation, not ${Array.isArray(input) ? input.length : 0}`, ctx: { field_type: 'List', min_length: p.limit } };
    case 'maxItems':
      return { type: 'too_long', msg: `List should have at most ${plural(Number(p.limit), 'item')} after validation, not ${Array.isArray(input) ? input.length : 0}`, ctx: { field_type: 'List', max_length: p.limit } };
    case 'minimum':
      return { type: 'greater_than_equal', msg: `Input should be greater than or equal to ${String(p.limit)}`, ctx: { ge: p.limit } };
    case 'maximum':
      return { type: 'less_than_equal', msg: `Input should be less than or equal to ${String(p.limit)}`, ctx: { le: p.limit } };
    case 'enum': {
      const values = (p.allowedValues as unknown[]).map((v) => `'${String(v)}'`);
      const expected = values.length > 1 ? `${values.slice(0, -1).join(', ')} or ${values.at(-1)}` : values.join('');
      return { type: 'enum', msg: `Input should be ${expected}`, ctx: { expected } };
    }
    case 'const':
      return { type: 'literal_error', msg: `Input should be '${String(p.allowedValue)}'` };
    case 'format':
      if (p.format === 'date-time') return { type: 'datetime_parsing', msg: 'Input should be a valid datetime' };
      return { type: 'value_error', msg: `Input should be a valid ${String(p.format)}` };
    default:
      return { type: 'value_error', msg: error.message ?? 'Invalid value' };
  }
}

/**
 * Ajv reports a failed `anyOf: [T, null]` three times (T's error, "must be null", "must match a
 * schema in anyOf"). Keep the error that explains T; fall back to the anyOf one.
 */
function relevant(errors: AjvError[]): AjvError[] {
  const byPath = new Map<string, AjvError[]>();
  for (const error of errors) {
    const path = error.keyword === 'required' ? `${error.instancePath}/${String(error.params.missingProperty)}` : error.instancePath;
    byPath.set(path, [...(byPath.get(path) ?? []), error]);
  }
  const kept: AjvError[] = [];
  for (const group of byPath.values()) {
    const specific = group.filter((e) => e.keyword !== 'anyOf' && !(e.keyword === 'type' && e.params.type === 'null'));
    kept.push(...(specific.length > 0 ? specific.slice(0, 1) : group.slice(0, 1)));
  }
  return kept;
}

const MAX_ERRORS = 1_000;
const MAX_ISSUES = 100;

export function toValidationIssues(errors: AjvError[], context: string, request: FastifyRequest): ValidationIssue[] {
  // FastAPI reports an absent (or `null`) required body once, as the body itself missing.
  if (context === 'body' && (request.body === undefined || request.body === null)) {
    return [{ type: 'missing', loc: ['body'], msg: 'Field required', input: null }];
  }
  const location = LOCATION[context] ?? context;
  const root: unknown =
    context === 'body' ? request.body : context === 'querystring' ? request.query : context === 'params' ? request.params : request.headers;
  // allErrors can report one error per element of a large array; the answer lists the first ones.
  return relevant(errors.slice(0, MAX_ERRORS)).slice(0, MAX_ISSUES).map((error) => {
    const path = pointerToPath(error.instancePath);
    if (error.keyword === 'required') path.push(String(error.params.missingProperty));
    const input = error.keyword === 'required' ? (valueAt(root, path.slice(0, -1)) ?? null) : valueAt(root, path);
    const { type, msg, ctx } = describe(error, input);
    return { type, loc: [location, ...path], msg, input: input === undefined ? null : clipInput(input), ...(ctx && { ctx }) };
  });
}

const clampSafe = (n: number) => Math.min(Math.max(n, Number.MIN_SAFE_INTEGER), Number.MAX_SAFE_INTEGER);

/** pydantic's JSON parser refuses nesting deeper than 200; so do we (deeper values cannot even be echoed back). */
export const MAX_JSON_DEPTH = 200;

export function exceedsDepth(value: unknown, limit = MAX_JSON_DEPTH): boolean {
  const stack: [unknown, number][] = [[value, 0]];
  for (let entry = stack.pop(); entry; entry = stack.pop()) {
    const [node, depth] = entry;
    if (node === null || typeof node !== 'object') continue;
    if (depth >= limit) return true;
    for (const child of Array.isArray(node) ? node : Object.values(node)) stack.push([child, depth + 1]);
  }
  return false;
}

/**
 * Where a NUL character (U+0000) sits in a parsed value (keys included), if anywhere. PostgreSQL
 * text cannot hold it, so it is refused at the edge, on every database alike.
 */
export function nulPath(value: unknown): (string | number)[] | undefined {
  const stack: [unknown, (string | number)[]][] = [[value, []]];
  for (let entry = stack.pop(); entry; entry = stack.pop()) {
    const [node, path] = entry;
    if (typeof node === 'string') {
      if (node.includes('\u0000')) return path;
    } else if (Array.isArray(node)) {
      node.forEach((child, i) => stack.push([child, [...path, i]]));
    } else if (node !== null && typeof node === 'object') {
      for (const [key, child] of Object.entries(node)) {
        if (key.includes('\u0000')) return [...path, key];
        stack.push([child, [...path, key]]);
      }
    }
  }
  return undefined;
}

/** Query values and path params with lone surrogates (possible from inject() or odd decoders) made well-formed. */
export function wellFormedStrings(record: Record<string, unknown> | undefined): void {
  if (!record) return;
  for (const key of Object.keys(record)) {
    const value = record[key];
    if (typeof value === 'string') {
      if (!value.isWellFormed()) record[key] = value.toWellFormed();
    } else if (Array.isArray(value)) {
      record[key] = value.map((item) => (typeof item === 'string' ? item.toWellFormed() : item));
    }
  }
}

/** Assigns an own property even when the key is `__proto__` (which JSON.parse makes an own key). */
export function setOwn(record: Record<string | number, unknown>, key: string | number, value: unknown): void {
  Object.defineProperty(record, key, { value, writable: true, enumerable: true, configurable: true });
}

const MAX_ECHO_STRING = 200;
const MAX_ECHO_ITEMS = 20;

/**
 * The `input` a 422 echoes, bounded: long strings are cut, arrays and objects keep their first
 * items, and nesting stops after a few levels, so a huge body is never sent back.
 */
export function clipInput(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return value.length > MAX_ECHO_STRING ? `${value.slice(0, MAX_ECHO_STRING)}…` : value;
  if (value === null || typeof value !== 'object') return value;
  if (depth >= 3) return Array.isArray(value) ? [] : {};
  if (Array.isArray(value)) return value.slice(0, MAX_ECHO_ITEMS).map((item) => clipInput(item, depth + 1));
  const clipped: Record<string, unknown> = {};
  let kept = 0;
  for (const key in value) {
    if (!Object.hasOwn(value, key)) continue;
    if (kept++ >= MAX_ECHO_ITEMS) break;
    setOwn(clipped, key, clipInput((value as Record<string, unknown>)[key], depth + 1));
  }
  return clipped;
}

export function nulIssue(location: 'body' | 'query', root: unknown, path: (string | number)[]): ValidationIssue {
  const input = valueAt(root, path);
  return { type: 'string_nul', loc: [location, ...path], msg: 'String should not contain NUL characters (\\u0000)', input: input ?? null };
}

/**
 * Before validation: lone surrogates in path ids and query values become U+FFFD (as in bodies);
 * a path id with a NUL cannot name anything (404); a query value with one is a 422. (Bodies are
 * checked when parsed.)
 */
export function rejectNul(request: FastifyRequest): void {
  const params = request.params as Record<string, unknown> | undefined;
  wellFormedStrings(params);
  wellFormedStrings(request.query as Record<string, unknown> | undefined);
  if (params && nulPath(params)) throw notFound('Not Found');
  const query = request.query as Record<string, unknown> | undefined;
  const at = query && nulPath(query);
  if (at) throw unprocessable([nulIssue('query', query, at)]);
}

const TRUE = new Set(['true', '1', 'yes', 'on', 't', 'y']);
const FALSE = new Set(['false', '0', 'no', 'off', 'f', 'n']);

function schemaTypes(schema: Record<string, unknown>): string[] {
  if (typeof schema.type === 'string') return [schema.type];
  if (Array.isArray(schema.anyOf)) return schema.anyOf.flatMap((s) => schemaTypes(s as Record<string, unknown>));
  return [];
}

/**
 * Query strings arrive as text. Coerce the values whose schema wants a number or a boolean, with
 * FastAPI's rules (booleans accept true/false/1/0/yes/no/on/off); anything unparseable stays a
 * string so validation answers 422. Body coercion is off: a JSON body must have the right types.
 */
export function coerceQuery(request: FastifyRequest): void {
  const schema = request.routeOptions.schema?.querystring as { properties?: Record<string, Record<string, unknown>> } | undefined;
  const query = request.query as Record<string, unknown> | undefined;
  if (!schema?.properties || !query) return;
  for (const [name, property] of Object.entries(schema.properties)) {
    let value = query[name];
    if (Array.isArray(value)) value = query[name] = value.at(-1); // FastAPI takes the last of repeated scalars
    if (typeof value !== 'string') continue;
    const types = schemaTypes(property);
    const trimmed = value.trim();
    // Python ints are unbounded; ours stop at 2^53, which still means "past the end" for offsets.
    if (types.includes('integer') && /^[+-]?\d+$/.test(trimmed)) query[name] = clampSafe(Number(trimmed));
    else if (types.includes('number') && trimmed !== '' && Number.isFinite(Number(trimmed))) query[name] = Number(trimmed);
    else if (types.includes('boolean')) {
      const lower = trimmed.toLowerCase();
      if (TRUE.has(lower)) query[name] = true;
      else if (FALSE.has(lower)) query[name] = false;
    }
  }
}
