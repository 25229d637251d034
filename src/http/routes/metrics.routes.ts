import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import type { AppDeps } from '../../app.ts';
import { CONTENT_TYPE } from '../../observability/registry.ts';
import type { ServerMetrics } from '../../observability/server-metrics.ts';
import { sendError } from '../errors.ts';
import { isLoopback } from '../trust-proxy.ts';
import type { Config } from '../../config/config.ts';

/**
 * A scrape from this machine. Without OMI_TRUST_PROXY, a loopback peer that did not come through a
 * proxy (a proxy on the same machine would make every client look local, so a forwarding header
 * counts as remote). With it, `request.ip` (the client the trusted proxies name) and every hop
 * between must be loopback: a client cannot pass by putting 127.0.0.1 in its own X-Forwarded-For,
 * since the proxy it came through adds its real address after it.
 */
function fromLoopback(request: FastifyRequest, trust: Config['trustProxy']): boolean {
  if (trust !== false) return (request.ips ?? [request.ip]).every(isLoopback);
  if (request.headers['x-forwarded-for'] !== undefined || request.headers.forwarded !== undefined) return false;
  return isLoopback(request.socket.remoteAddress);
}

/** `Authorization: Bearer <token>`, compared in constant time (digests, so lengths never leak either). */
function bearsToken(request: FastifyRequest, token: string | undefined): boolean {
  const header = request.headers.authorization;
  if (token === undefined || !header?.startsWith('Bearer ')) return false;
  const digest = (value: string) => createHash('sha256').update(value).digest();
  return timingSafeEqual(digest(header.slice('Bearer '.length)), digest(token));
}

/**
 * GET /metrics: Prometheus text format 0.0.4. Loopback may always scrape; anyone else only with
 * OMI_METRICS_TOKEN as a bearer token. A refused scrape gets the same 404 as an unknown path.
 * Not part of the published API, so it is kept out of /openapi.json.
 */
export const metricsRoutes: FastifyPluginAsync<AppDeps & { metrics: ServerMetrics }> = async (app, deps) => {
  const jobKinds = Object.keys(deps.services.jobs.handlers);
  app.get('/metrics', {
    schema: { hide: true },
    handler: async (request, reply) => {
      if (!fromLoopback(request, deps.config.trustProxy) && !bearsToken(request, deps.config.metricsToken)) return sendError(reply, 404, 'Not Found');
      const text = await deps.metrics.render({ storage: deps.storage, now: new Date(), jobKinds });
      return reply.type(CONTENT_TYPE).header('cache-control', 'no-store').send(text);
    },
  });
};
