import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import type { FastifyInstance, onSendHookHandler } from 'fastify';
import type { Config } from '../config/config.ts';

/**
 * Server options against slow and silent clients: headers within OMI_HEADERS_TIMEOUT_MS, the whole
 * request within OMI_REQUEST_TIMEOUT_MS, idle keep-alive connections closed after
 * OMI_KEEP_ALIVE_TIMEOUT_MS. Node checks the first two on an interval, kept short enough that a
 * stalled connection is cut soon after its deadline.
 */
export function serverOptions(config: Config) {
  const shortest = Math.min(config.headersTimeoutMs, config.requestTimeoutMs);
  return {
    requestTimeout: config.requestTimeoutMs,
    keepAliveTimeout: config.keepAliveTimeoutMs,
    http: {
      headersTimeout: config.headersTimeoutMs,
      connectionsCheckingInterval: Math.max(50, Math.min(1_000, Math.floor(shortest / 4))),
    },
    clientErrorHandler,
  };
}

function parserError(code: string | undefined): [number, string] {
  switch (code) {
    case 'ERR_HTTP_REQUEST_TIMEOUT':
      return [408, 'Request Timeout: the request was not received in time'];
    case 'HPE_HEADER_OVERFLOW':
      return [431, 'Request header fields too large'];
    case 'HPE_INVALID_METHOD':
      return [501, 'Not Implemented: unknown HTTP method'];
    case 'HPE_INVALID_CHUNK_SIZE':
    case 'HPE_INVALID_TRANSFER_ENCODING':
    case 'HPE_UNEXPECTED_CONTENT_LENGTH':
      return [400, 'Bad Request: malformed request body framing'];
    default:
      return [400, 'Bad Request: malformed HTTP request'];
  }
}

/**
 * Errors Node's HTTP parser raises before Fastify sees a request (unknown method, oversized or
 * malformed headers, bad chunked framing, timeouts), answered as `{"detail": …}` and the
 * connection closed. Nothing is written when the response had already begun.
 */
export function clientErrorHandler(error: Error & { code?: string }, socket: Socket): void {
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  const started = (socket as Socket & { _httpMessage?: { headersSent?: boolean } })._httpMessage?.headersSent === true;
  if (!socket.writable || started) {
    socket.destroy();
    return;
  }
  const [status, detail] = parserError(error.code);
  const body = JSON.stringify({ detail });
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\n` +
      'Content-Type: application/json; charset=utf-8\r\n' +
      `Content-Length: ${Buffer.byteLength(body)}\r\n` +
      'X-Content-Type-Options: nosniff\r\n' +
      'Connection: close\r\n\r\n' +
      body,
  );
  // A client that never reads or closes does not keep the socket.
  socket.setTimeout(5_000, () => socket.destroy());
}

/** Routes whose answers carry a secret (session token, API key, client secret): never cached. */
const SECRET_ROUTES = new Set([
  'POST /v1/auth/login',
  'POST /v1/auth/signup',
  'POST /v1/dev/keys',
  'POST /v1/dev/keys/:key_id/rotate',
  'POST /v1/mcp/keys',
  'POST /v1/mcp/keys/:key_id/rotate',
  'POST /v1/console/session',
  'POST /register',
  'POST /token',
]);

const noStore: onSendHookHandler = (_request, reply, payload, done) => {
  reply.header('cache-control', 'no-store');
  done(null, payload);
};

/**
 * `X-Content-Type-Options: nosniff` on every response (one callback-style hook); `Cache-Control:
 * no-store` added only to the routes that hand out secrets, as a route-level hook.
 */
export function registerSecurityHeaders(app: FastifyInstance): void {
  app.addHook('onRoute', (route) => {
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    if (!methods.some((method) => SECRET_ROUTES.has(`${method} ${route.url}`))) return;
    const existing = route.onSend === undefined ? [] : Array.isArray(route.onSend) ? route.onSend : [route.onSend];
    route.onSend = [...existing, noStore];
  });
  app.addHook('onRequest', (_request, reply, done) => {
    reply.header('x-content-type-options', 'nosniff');
    done();
  });
}
