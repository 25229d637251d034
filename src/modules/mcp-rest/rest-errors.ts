import { AppError, type ErrorCode } from '../../lib/errors.ts';
import { ToolError } from '../../mcp/tools/results.ts';

/**
 * How a failed argument check reads on a REST route, as upstream maps its tool errors: a 400 on
 * most routes, a 422 on the action-item routes.
 */
export type InvalidStatus = 'bad_request' | 'unprocessable';

const TOOL_CODES: Record<ToolError['code'], ErrorCode | undefined> = {
  invalid_arguments: undefined, // the route's InvalidStatus
  not_found: 'not_found',
  rate_limited: 'rate_limited',
  unavailable: 'unavailable',
  internal: undefined,
};

/**
 * Runs a call shared with the MCP tools and turns their argument errors into the route's HTTP
 * error; a service's own 422 becomes the route's invalid status too (upstream's -32602/-32000).
 */
export async function asRest<T>(invalid: InvalidStatus, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (error instanceof ToolError) {
      const code = error.code === 'invalid_arguments' ? invalid : TOOL_CODES[error.code];
      if (code) throw new AppError(code, error.message);
    }
    if (error instanceof AppError && error.code === 'unprocessable' && invalid === 'bad_request' && typeof error.detail === 'string') {
      throw new AppError('bad_request', error.detail, error.headers);
    }
    throw error;
  }
}
