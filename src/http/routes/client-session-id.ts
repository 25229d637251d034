import { unprocessable } from '../../lib/errors.ts';

/** Upstream also accepts these names for `client_session_id` (older clients send them). */
const ALIASES = ['client_session_id', 'client_conversation_id', 'session_id', 'client_id'] as const;

/**
 * The idempotency key of a from-segments request: `client_session_id` or the first alias
 * present. Aliases are not in the published schema, so they are read from the raw body here.
 */
export function clientSessionId(body: object): string | null {
  for (const name of ALIASES) {
    const value = (body as Record<string, unknown>)[name];
    if (value === undefined || value === null) continue;
    if (typeof value !== 'string') {
      throw unprocessable([{ type: 'string_type', loc: ['body', name], msg: 'Input should be a valid string', input: value }]);
    }
    return value;
  }
  return null;
}
