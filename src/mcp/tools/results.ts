import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { AppError } from '../../lib/errors.ts';

/** What a failed tool call reports in `structuredContent.error.code`. */
export type ToolErrorCode = 'invalid_arguments' | 'not_found' | 'rate_limited' | 'unavailable' | 'internal';

/** A failure raised by a tool itself (argument checks); services raise AppError instead. */
export class ToolError extends Error {
  constructor(
    readonly code: ToolErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'ToolError';
  }
}

export const invalidArguments = (message: string) => new ToolError('invalid_arguments', message);

/** A successful call: the result as pretty JSON text and as structured content. */
export function toolResult(result: Record<string, unknown>): CallToolResult {
  return { content: [{ type: 'text', text: JSON.stringify(result, null, 2) }], structuredContent: result };
}

/** The code and client-facing message of any error; internals never leave the server. */
export function describeError(error: unknown): { code: ToolErrorCode; message: string } {
  if (error instanceof ToolError) return { code: error.code, message: error.message };
  if (error instanceof AppError) {
    const message = typeof error.detail === 'string' ? error.detail : error.message;
    switch (error.code) {
      case 'bad_request':
      case 'unprocessable':
        return { code: 'invalid_arguments', message };
      case 'not_found':
        return { code: 'not_found', message };
      case 'rate_limited':
        return { code: 'rate_limited', message };
      case 'unavailable':
        return { code: 'unavailable', message };
      default:
        break;
    }
  }
  return { code: 'internal', message: 'Internal error' };
}

/** A failed call: `isError` with the message as text and `{error: {code, message}}` as structured content. */
export function toolFailure(error: unknown): CallToolResult {
  const described = describeError(error);
  return {
    isError: true,
    content: [{ type: 'text', text: described.message }],
    structuredContent: { error: described },
  };
}

interface CursorPayload {
  t: string;
  o: number;
  f: Record<string, unknown>;
}

/** An opaque continuation token: the tool, the next offset and the filters of the listing. */
export function encodeCursor(tool: string, offset: number, filters: Record<string, unknown>): string {
  const payload: CursorPayload = { t: tool, o: offset, f: filters };
  return Buffer.from(JSON.stringify(payload), 'utf8').toString('base64url');
}

function decodeCursor(tool: string, cursor: string): CursorPayload {
  let payload: unknown;
  try {
    payload = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw invalidArguments('Invalid cursor');
  }
  const p = payload as Partial<CursorPayload> | null;
  if (
    typeof p !== 'object' ||
    p === null ||
    p.t !== tool ||
    typeof p.o !== 'number' ||
    !Number.isSafeInteger(p.o) ||
    p.o < 0 ||
    typeof p.f !== 'object' ||
    p.f === null
  ) {
    throw invalidArguments('Invalid cursor');
  }
  return p as CursorPayload;
}

/**
 * Where a listing starts: at `offset` (default 0) with the given filters, or where `cursor` left
 * off with the filters it was issued for. Filters passed along with a cursor must match them.
 */
export function startPage<F extends Record<string, unknown>>(
  tool: string,
  args: { cursor?: string | undefined; offset?: number | undefined },
  filters: F,
): { offset: number; filters: F } {
  if (args.cursor === undefined) return { offset: Math.max(0, args.offset ?? 0), filters };
  if (args.offset !== undefined) throw invalidArguments('Pass either cursor or offset, not both');
  const cursor = decodeCursor(tool, args.cursor);
  for (const [key, value] of Object.entries(filters)) {
    if (value !== undefined && JSON.stringify(value) !== JSON.stringify(cursor.f[key])) {
      throw invalidArguments(`cursor was issued for a different ${key}; pass the same filters or none`);
    }
  }
  return { offset: cursor.o, filters: { ...filters, ...cursor.f } as F };
}

/**
 * One page of a listing fetched with one row more than `limit`: the rows to return, whether
 * there are more, and (if so) the cursor for the next page.
 */
export function pageOf<T>(
  tool: string,
  rows: T[],
  page: { offset: number; limit: number; filters: Record<string, unknown> },
  hasMore = rows.length > page.limit,
): { rows: T[]; has_more: boolean; next_cursor?: string } {
  const kept = rows.slice(0, page.limit);
  return {
    rows: kept,
    has_more: hasMore,
    ...(hasMore && { next_cursor: encodeCursor(tool, page.offset + kept.length, page.filters) }),
  };
}
