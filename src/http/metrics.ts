import type { FastifyInstance, FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { AppDeps } from '../app.ts';
import { ServerMetrics, UNMATCHED_ROUTE } from '../observability/server-metrics.ts';
import { metricsRoutes } from './routes/metrics.routes.ts';

declare module '../app.ts' {
  interface AppDeps {
    /** Shared with the job runner (main.ts); a fresh one when omitted. */
    metrics?: ServerMetrics;
  }
}

/** The user a request acted for, once authenticated (developer key or session). */
const userOf = (request: FastifyRequest): string | undefined => request.apiKey?.userId ?? request.sessionUser?.id;

/**
 * One callback-style onResponse hook for both the request metrics and the access log: no promise
 * per request, a Map lookup and a few additions (the cheapest routes serve thousands a second).
 * The route label is the pattern (`/v1/dev/user/memories/:memory_id`), never the URL.
 */
function registerRequestHook(app: FastifyInstance, metrics: ServerMetrics, accessLog: boolean): void {
  const log = accessLog ? app.log.child({}, { level: 'info' }) : undefined;
  app.addHook('onResponse', (request: FastifyRequest, reply: FastifyReply, done: () => void) => {
    const route = request.routeOptions.url ?? UNMATCHED_ROUTE;
    const ms = reply.elapsedTime;
    metrics.httpRequest(request.method, route, reply.statusCode, ms / 1000);
    // Never the URL (its query may carry a secret), headers or body: the pattern says what was asked.
    log?.info(
      { reqId: request.id, method: request.method, route, status: reply.statusCode, duration_ms: Math.round(ms * 100) / 100, user_id: userOf(request) },
      'request completed',
    );
    done();
  });
}

/**
 * Request metrics, the access log (OMI_ACCESS_LOG) and GET /metrics. Registered before the
 * routes and the not-found handler, and not encapsulated, so its hook sees every request.
 */
async function observabilityPlugin(app: FastifyInstance, deps: AppDeps): Promise<void> {
  const metrics = deps.metrics ?? new ServerMetrics();
  registerRequestHook(app, metrics, deps.config.accessLog);
  deps.rateLimiter.onRejected = (policy) => metrics.rateLimitRejected(policy);
  deps.rateLimiter.login.onRejected = (policy) => metrics.rateLimitRejected(policy);
  // A metrics object made here is this app's alone; one passed in belongs to the caller.
  if (!deps.metrics) {
    app.addHook('onClose', (_instance, done) => {
      metrics.close();
      done();
    });
  }
  await app.register(metricsRoutes, { ...deps, metrics });
}

// Fastify's `skip-override`: hooks added here apply to the whole app, not one plugin scope.
export const observability: FastifyPluginAsync<AppDeps> = Object.assign(observabilityPlugin, {
  [Symbol.for('skip-override')]: true,
});
