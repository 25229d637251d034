import type { FastifyInstance } from 'fastify';
import { unprocessable } from '../lib/errors.ts';
import { MAX_JSON_DEPTH, nulIssue, nulPath, setOwn } from './validation.ts';

/** The most JSON values (objects, arrays, scalars) a body may hold; every route's schema allows far fewer. */
export const MAX_JSON_VALUES = 20_000;

export type JsonScan = { problem: 'depth' | 'values' } | { problem: 'nul'; path: (string | number)[] } | { problem: undefined };

/** A JSON escape that may be a UTF-16 surrogate (`\uD800`–`\uDFFF`); without one, no string can be ill-formed. */
const SURROGATE_ESCAPE = /\\u[dD][89a-fA-F]/;

/**
 * One pass over a parsed body, in time linear in its size and without copying: refuses nesting
 * deeper than MAX_JSON_DEPTH and more than MAX_JSON_VALUES values, finds a NUL, and (when the raw
 * text had a surrogate escape) replaces lone surrogates with U+FFFD in place, as SQLite's UTF-8
 * conversion does, so every database stores the same text.
 */
export function scanJson(root: unknown, raw: string): JsonScan {
  const repair = SURROGATE_ESCAPE.test(raw);
  const nodes: object[] = root !== null && typeof root === 'object' ? [root] : [];
  const depths: number[] = [0];
  let values = 1;
  let nul = typeof root === 'string' && root.includes('\u0000');
  while (nodes.length > 0) {
    const node = nodes.pop() as object;
    const depth = depths.pop() as number;
    if (depth >= MAX_JSON_DEPTH) return { problem: 'depth' };
    const record = node as Record<string, unknown>;
    const keys = Array.isArray(node) ? undefined : Object.keys(node);
    values += keys ? keys.length : (node as unknown[]).length;
    if (values > MAX_JSON_VALUES) return { problem: 'values' };
    const count = keys ? keys.length : (node as unknown[]).length;
    for (let i = 0; i < count; i++) {
      let key: string | number = i;
      if (keys) {
        key = keys[i] as string;
        if (key.includes('\u0000')) nul = true;
        if (repair && !key.isWellFormed()) key = renameKey(record, key);
      }
      const child = record[key];
      if (typeof child === 'string') {
        if (child.includes('\u0000')) nul = true;
        if (repair && !child.isWellFormed()) setOwn(record, key, child.toWellFormed());
      } else if (child !== null && typeof child === 'object') {
        nodes.push(child);
        depths.push(depth + 1);
      }
    }
  }
  return nul ? { problem: 'nul', path: nulPath(root) ?? [] } : { problem: undefined };
}

function renameKey(record: Record<string, unknown>, key: string): string {
  const renamed = key.toWellFormed();
  const value = record[key];
  delete record[key];
  setOwn(record, renamed, value);
  return renamed;
}

const invalid = (message: string) => Object.assign(new Error(message), { statusCode: 422, code: 'FST_ERR_CTP_INVALID_JSON_BODY' });

/** A body whose JSON holds more values than any route accepts: refused before Ajv walks it. */
const tooComplex = () =>
  Object.assign(new Error(`Request body has too many JSON values (at most ${MAX_JSON_VALUES})`), {
    statusCode: 413,
    code: 'OMI_BODY_TOO_COMPLEX',
  });

/**
 * Every body is read as JSON whatever its content type: clients written for upstream send JSON
 * with any (or no) content type, as `curl -d` does. One linear pass then bounds its depth and
 * size, refuses NUL characters and makes every string well-formed (lone surrogates → U+FFFD).
 */
export function registerJsonBody(app: FastifyInstance): void {
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'string' }, (_request, body, done) => {
    const text = String(body);
    if (text.trim() === '') return done(null, undefined);
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      return done(invalid('Invalid JSON'), undefined);
    }
    if (typeof parsed === 'string') parsed = parsed.toWellFormed();
    const scan = scanJson(parsed, text);
    if (scan.problem === 'depth') return done(invalid('recursion limit exceeded'), undefined);
    if (scan.problem === 'values') return done(tooComplex(), undefined);
    if (scan.problem === 'nul') return done(unprocessable([nulIssue('body', parsed, scan.path)]), undefined);
    done(null, parsed);
  });
}
