import type { IncomingMessage } from 'node:http';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError, type ErrorCode, type ErrorDetail } from '../lib/errors.ts';
import { toValidationIssues } from './validation.ts';

const STATUS: Record<ErrorCode, number> = {
  bad_request: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  unprocessable: 422,
  rate_limited: 429,
  unavailable: 503,
};

/** The one place an error becomes a response: `{"detail": …}`, already serialized. */
export function sendError(reply: FastifyReply, status: number, detail: ErrorDetail, headers: Record<string, string> = {}) {
  return reply
    .code(status)
    .headers(headers)
    .type('application/json; charset=utf-8')
    .send(JSON.stringify({ detail }));
}

/** Every route's path pattern (`/v1/dev/keys/:key_id`), to tell an unknown path (404) from a wrong method (405). */
function routePaths(app: FastifyInstance) {
  const patterns = new Map<string, RegExp>();
  app.addHook('onRoute', (route) => {
    const source = `^${route.url.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/:[A-Za-z0-9_]+/g, '[^/]+')}/?$`;
    if (!patterns.has(source)) patterns.set(source, new RegExp(source));
  });
  return (path: string) => [...patterns.values()].some((pattern) => pattern.test(path));
}

/**
 * Errors Fastify raises before routing (its `frameworkErrors` hook), in our shape. An id too long
 * for the router cannot name any resource, so it answers like an unknown one.
 */
export function sendFrameworkError(error: FastifyError, _request: FastifyRequest, reply: FastifyReply) {
  reply.header('x-content-type-options', 'nosniff');
  if (error.code === 'FST_ERR_MAX_PARAM_LENGTH') return sendError(reply, 404, 'Not Found');
  if (error.code === 'FST_ERR_BAD_URL') return sendError(reply, 400, 'Malformed percent-encoding in the URL path');
  return sendError(reply, 400, 'Bad Request');
}

/** The most of an oversized body read and dropped before the 413; past it the socket just closes. */
export const DISCARD_LIMIT_BYTES = 16 * 1024 * 1024;

function discardBody(raw: IncomingMessage): Promise<void> {
  if (raw.complete || raw.destroyed) return Promise.resolve();
  return new Promise((resolve) => {
    let seen = 0;
    const finish = () => {
      raw.off('data', onData).off('end', finish).off('error', finish).off('close', finish);
      resolve();
    };
    const onData = (chunk: Buffer) => {
      seen += chunk.length;
      if (seen > DISCARD_LIMIT_BYTES) finish();
    };
    raw.on('data', onData).on('end', finish).on('error', finish).on('close', finish);
    raw.resume();
  });
}

export function registerErrorHandling(app: FastifyInstance): void {
  const pathExists = routePaths(app);

  app.setNotFoundHandler((request, reply) => {
    const path = request.url.split('?')[0] ?? '/';
    if (pathExists(path)) return sendError(reply, 405, 'Method Not Allowed');
    return sendError(reply, 404, 'Not Found');
  });

  app.setErrorHandler((error: FastifyError, request, reply) => {
    if (error instanceof AppError) return sendError(reply, STATUS[error.code], error.detail, error.headers);
    if (error.validation) {
      return sendError(reply, 422, toValidationIssues(error.validation, error.validationContext ?? 'body', request));
    }
    switch (error.code) {
      case 'FST_ERR_CTP_INVALID_JSON_BODY':
      case 'FST_ERR_CTP_EMPTY_JSON_BODY':
        return sendError(reply, 422, [
          error.code === 'FST_ERR_CTP_EMPTY_JSON_BODY'
            ? { type: 'missing', loc: ['body'], msg: 'Field required', input: null }
            : {
                type: 'json_invalid',
                loc: ['body', 0],
                msg: 'JSON decode error',
                input: {},
                ctx: { error: error.message || 'Invalid JSON' },
              },
        ]);
      case 'FST_ERR_CTP_BODY_TOO_LARGE':
        // Read (and drop) what the client is still sending, so it can read the 413 rather than
        // meeting a closed socket; Fastify closes the connection after this answer.
        return discardBody(request.raw).then(() => {
          sendError(reply, 413, 'Request body is too large');
        });
      case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
        return sendError(reply, 415, 'Unsupported Media Type');
      case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
        return sendError(reply, 400, 'Request body length does not match Content-Length');
    }
    const status = error.statusCode ?? 500;
    if (status >= 400 && status < 500) return sendError(reply, status, error.message || 'Bad Request');
    request.log.error({ err: error }, 'unhandled error');
    return sendError(reply, 500, 'Internal Server Error');
  });
}
