/**
 * Domain errors: HTTP-agnostic, mapped to `{"detail": …}` in one place (src/http/errors.ts).
 * The `detail` is what the client sees, so it must never carry internals.
 */
export type ErrorCode =
  | 'bad_request' // 400
  | 'unauthorized' // 401
  | 'forbidden' // 403
  | 'not_found' // 404
  | 'conflict' // 409
  | 'unprocessable' // 422
  | 'rate_limited' // 429
  | 'unavailable'; // 503

export type ErrorDetail = string | Record<string, unknown> | unknown[];

export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    readonly detail: ErrorDetail,
    readonly headers: Record<string, string> = {},
  ) {
    super(typeof detail === 'string' ? detail : code);
    this.name = 'AppError';
  }
}

export const badRequest = (detail: ErrorDetail) => new AppError('bad_request', detail);
export const unauthorized = (detail: ErrorDetail) => new AppError('unauthorized', detail);
export const forbidden = (detail: ErrorDetail) => new AppError('forbidden', detail);
export const notFound = (detail: ErrorDetail) => new AppError('not_found', detail);
export const conflict = (detail: ErrorDetail) => new AppError('conflict', detail);
export const unprocessable = (detail: ErrorDetail) => new AppError('unprocessable', detail);
export const unavailable = (detail: ErrorDetail) => new AppError('unavailable', detail);
