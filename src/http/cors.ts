import type { FastifyInstance } from 'fastify';

const ALLOW_METHODS = 'GET, POST, PUT, PATCH, DELETE, OPTIONS';
const ALLOW_HEADERS = 'Authorization, Content-Type, Mcp-Session-Id, Mcp-Protocol-Version, Last-Event-ID';
const EXPOSE_HEADERS = [
  'X-Next-Cursor',
  'X-Scan-Truncated',
  'Retry-After',
  'X-RateLimit-Limit',
  'X-RateLimit-Remaining',
  'RateLimit',
  'RateLimit-Policy',
  'Mcp-Session-Id',
].join(', ');
const MAX_AGE_SECONDS = '600';

/**
 * CORS for browser apps (OMI_CORS_ORIGINS): a preflight from an allowed origin answers 204 with
 * the methods and headers the API takes; an actual request from one gets Allow-Origin and the
 * headers it may read. Any other origin gets no CORS headers (its preflight falls through to the
 * usual 404/405). No origins configured: no hook at all. Credentials are bearer tokens, never
 * cookies, so Allow-Credentials is not sent.
 */
export function registerCors(app: FastifyInstance, origins: readonly string[]): void {
  if (origins.length === 0) return;
  const any = origins.includes('*');
  const allowed = new Set(origins);
  app.addHook('onRequest', (request, reply, done) => {
    if (!any) reply.header('vary', 'Origin');
    const origin = request.headers.origin;
    if (origin === undefined || !(any || allowed.has(origin))) return done();
    reply.header('access-control-allow-origin', any ? '*' : origin);
    if (request.method === 'OPTIONS' && request.headers['access-control-request-method'] !== undefined) {
      reply
        .code(204)
        .header('access-control-allow-methods', ALLOW_METHODS)
        .header('access-control-allow-headers', ALLOW_HEADERS)
        .header('access-control-max-age', MAX_AGE_SECONDS)
        .send();
      return;
    }
    reply.header('access-control-expose-headers', EXPOSE_HEADERS);
    done();
  });
}
