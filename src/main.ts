import { buildApp } from './app.ts';
import { ConfigError, loadConfig, type Config } from './config/config.ts';
import { createRateLimiter, describeRateLimitStore } from './http/rate-limit/index.ts';
import { JobRunner } from './jobs/job-runner.ts';
import { isEntryPoint } from './lib/entry-point.ts';
import { ServerMetrics } from './observability/server-metrics.ts';
import { systemClock } from './lib/time.ts';
import pino from 'pino';
import { createServices } from './services.ts';
import { describeDatabase, openStorage } from './storage/index.ts';

/**
 * The composition root: config → storage (migrated) → services → app → listen, with a job runner
 * working through the background queue. SIGTERM/SIGINT stop accepting connections, let in-flight
 * requests and the job in hand finish, then close the database.
 */
export async function serve(config: Config): Promise<void> {
  const storage = await openStorage(config.databaseUrl, { poolSize: config.databasePoolSize });
  const log = pino({ level: config.logLevel });
  const services = createServices(config, storage, { log });
  const metrics = new ServerMetrics();
  const jobs = new JobRunner(storage, services.jobs.handlers, systemClock, log, { onSettled: (kind, result, seconds) => metrics.jobSettled(kind, result, seconds) });
  services.jobs.queue.subscribe(() => jobs.kick());
  if (config.adminEmail && config.adminPassword) {
    const { user, created } = await services.accounts.ensureAdmin(config.adminEmail, config.adminPassword, config.adminName);
    log.info({ email: user.email, name: user.name }, created ? 'admin account created' : 'admin account already exists');
  }
  const rateLimiter = await createRateLimiter(config, (message) => log.warn(message));
  const app = await buildApp({ config, storage, services, rateLimiter, metrics });
  // Documents written before embeddings were configured (or by another model) are embedded now.
  const backlog = await services.search.enqueueBacklog();
  if (backlog > 0) app.log.info({ users: backlog }, 'queued embedding of documents not yet embedded');

  let closing = false;
  const shutdown = async (signal: string) => {
    if (closing) return;
    closing = true;
    app.log.info({ signal }, 'shutting down: finishing in-flight requests');
    const force = setTimeout(() => {
      app.log.error('in-flight requests did not finish within 10 s; exiting');
      process.exit(1);
    }, 10_000);
    force.unref();
    try {
      await app.close();
      await jobs.stop();
      await rateLimiter.close();
      await storage.close();
      process.exit(0);
    } catch (error) {
      app.log.error({ err: error }, 'error during shutdown');
      process.exit(1);
    }
  };
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
  process.once('SIGINT', () => void shutdown('SIGINT'));

  const address = await app.listen({ port: config.port, host: config.host });
  jobs.start();
  app.log.info(
    { address, docs: `${address}/docs`, database: describeDatabase(config.databaseUrl), rateLimitStore: describeRateLimitStore(config) },
    'omi-dev-api listening',
  );
}

export async function runServe(): Promise<void> {
  try {
    await serve(loadConfig());
  } catch (error) {
    console.error(error instanceof ConfigError ? error.message : `Failed to start: ${(error as Error).message}`);
    process.exit(1);
  }
}

if (isEntryPoint(import.meta.url)) await runServe();
