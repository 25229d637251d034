import type { Ajv } from 'ajv';
import addFormats from 'ajv-formats';
import Fastify, { LogController, type FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { Config } from './config/config.ts';
import { registerAuth } from './http/auth.ts';
import { registerErrorHandling, sendFrameworkError } from './http/errors.ts';
import { registerJsonBody } from './http/json-body.ts';
import { registerCors } from './http/cors.ts';
import { registerSecurityHeaders, serverOptions } from './http/hardening.ts';
import { observability } from './http/metrics.ts';
import { registerOpenApi } from './http/openapi.ts';
import { serializerCompiler } from './http/serializer.ts';
import { fastifyTrustProxy } from './http/trust-proxy.ts';
import type { RateLimiter } from './http/rate-limit/rate-limiter.ts';
import { actionItemsRoutes } from './http/routes/action-items.routes.ts';
import { askRoutes } from './http/routes/ask.routes.ts';
import { mcpKeysRoutes } from './http/routes/mcp-keys.routes.ts';
import { mcpRestRoutes } from './http/routes/mcp-rest.routes.ts';
import { mcpRoutes } from './http/routes/mcp.routes.ts';
import { oauthRoutes } from './http/routes/oauth.routes.ts';
import { accountsRoutes } from './http/routes/accounts.routes.ts';
import { apiKeysRoutes } from './http/routes/api-keys.routes.ts';
import { conversationsRoutes } from './http/routes/conversations.routes.ts';
import { dailySummariesRoutes } from './http/routes/daily-summaries.routes.ts';
import { exportRoutes } from './http/routes/export.routes.ts';
import { consoleRoutes } from './http/routes/console.routes.ts';
import { consoleSessionRoutes } from './http/routes/console-session.routes.ts';
import { foldersRoutes } from './http/routes/folders.routes.ts';
import { goalsRoutes } from './http/routes/goals.routes.ts';
import { healthRoutes } from './http/routes/health.routes.ts';
import { memoriesRoutes } from './http/routes/memories.routes.ts';
import { receiversRoutes } from './http/routes/receivers.routes.ts';
import { coerceQuery, rejectNul } from './http/validation.ts';
import { parseDateTime } from './lib/time.ts';
import type { Services } from './services.ts';
import type { Storage } from './storage/storage.ts';

export interface AppDeps {
  config: Config;
  storage: Storage;
  services: Services;
  rateLimiter: RateLimiter;
  /** Where the built web console is (default: next to the running bundle, else dist/web). */
  consoleDir?: string;
}

export type App = FastifyInstance;

/** FastAPI accepts naive date-times and bare dates where the schema says `date-time`; so do we. */
function lenientDateTime(ajv: Ajv): Ajv {
  return ajv.addFormat('date-time', { type: 'string', validate: (value: string) => parseDateTime(value) !== undefined });
}

/** The HTTP app without listen(): what main.ts serves and what tests drive with inject(). */
export async function buildApp(deps: AppDeps): Promise<App> {
  const app = Fastify({
    logger: deps.config.logLevel === 'silent' ? false : { level: deps.config.logLevel },
    // One log line per request halves throughput on cheap routes; errors are still logged.
    logController: new LogController({ disableRequestLogging: true }),
    frameworkErrors: sendFrameworkError,
    bodyLimit: deps.config.bodyLimitBytes,
    // OMI_TRUST_PROXY: which peers' X-Forwarded-* headers set request.ip, .protocol and .host.
    trustProxy: fastifyTrustProxy(deps.config.trustProxy),
    return503OnClosing: true,
    ...serverOptions(deps.config),
    routerOptions: { ignoreTrailingSlash: true },
    ajv: {
      customOptions: {
        // Query strings are coerced by coerceQuery (FastAPI's rules); JSON bodies are not coerced.
        coerceTypes: false,
        allErrors: true,
        removeAdditional: true,
        useDefaults: true,
      },
      // ajv-formats first (Fastify would otherwise add it last, replacing our date-time format).
      plugins: [addFormats as unknown as (ajv: Ajv) => Ajv, lenientDateTime],
    },
  }).withTypeProvider<TypeBoxTypeProvider>();

  registerJsonBody(app);
  // An empty Content-Type counts as none (read as JSON, as FastAPI does) rather than a 415.
  // Hooks on every request are written callback-style: an async hook costs a promise and a
  // microtask turn per request, measurable on the cheapest routes.
  app.addHook('preParsing', (request, _reply, payload, done) => {
    if (request.headers['content-type']?.trim() === '') delete request.headers['content-type'];
    done(null, payload);
  });

  app.setSerializerCompiler(serializerCompiler);
  await app.register(observability, deps);
  registerErrorHandling(app);
  registerSecurityHeaders(app);
  registerCors(app, deps.config.corsOrigins);
  registerAuth(app, deps);
  app.addHook('preValidation', (request, _reply, done) => {
    try {
      rejectNul(request);
      coerceQuery(request);
    } catch (error) {
      return done(error as Error);
    }
    done();
  });
  await registerOpenApi(app);

  await app.register(healthRoutes, deps);
  await app.register(accountsRoutes, deps);
  await app.register(apiKeysRoutes, deps);
  await app.register(memoriesRoutes, deps);
  await app.register(actionItemsRoutes, deps);
  await app.register(goalsRoutes, deps);
  await app.register(conversationsRoutes, deps);
  await app.register(askRoutes, deps);
  await app.register(mcpKeysRoutes, deps);
  await app.register(mcpRoutes, deps);
  await app.register(oauthRoutes, deps);
  await app.register(mcpRestRoutes, deps);
  await app.register(foldersRoutes, deps);
  await app.register(dailySummariesRoutes, deps);
  await app.register(exportRoutes, deps);
  await app.register(receiversRoutes, deps);
  await app.register(consoleSessionRoutes, deps);
  await app.register(consoleRoutes, deps);
  return app;
}
