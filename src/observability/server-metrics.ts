import { monitorEventLoopDelay, type IntervalHistogram } from 'node:perf_hooks';
import type { JobKindStats } from '../jobs/jobs.types.ts';
import { toIso } from '../lib/time.ts';
import type { PoolStats, Storage } from '../storage/storage.ts';
import { Counter, CounterSeries, Gauge, Histogram, HistogramSeries, Registry, type Sample } from './registry.ts';

/** Request latency buckets in seconds: the cheap routes answer in about a millisecond. */
const LATENCY_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
const JOB_BUCKETS = [0.01, 0.05, 0.1, 0.5, 1, 5, 10, 30, 60, 300];

/** How a job attempt ended: done, queued again for a retry, failed for good. */
export type JobResult = 'completed' | 'retried' | 'failed';

export type WebhookResult = 'success' | 'failure';

/** Label of requests no route matched (their raw URLs would explode the series). */
export const UNMATCHED_ROUTE = 'unmatched';

interface RouteSeries {
  duration: HistogramSeries;
  byStatus: Map<number, CounterSeries>;
}

/** What a scrape reads fresh: the jobs table and the connection pool. */
export interface ScrapeSources {
  storage: Storage;
  now: Date;
  /** Job kinds with a handler, reported (as 0) even while none is queued. */
  jobKinds: readonly string[];
}

/**
 * Every metric the server exposes at /metrics. Counters are updated where things happen (the
 * request hook, the job runner, the rate limiter); gauges are read when scraped.
 */
export class ServerMetrics {
  private readonly registry = new Registry();
  private readonly requests: Counter;
  private readonly durations: Histogram;
  /** route → method → series: two lookups, no string built per request. */
  private readonly routes = new Map<string, Map<string, RouteSeries>>();
  private readonly jobsProcessed: Counter;
  private readonly jobDurations: Histogram;
  private readonly rateLimitRejections: Counter;
  private readonly webhookDeliveries: Counter;
  private readonly loopDelay: IntervalHistogram;
  private jobs: JobKindStats[] = [];
  private pool: PoolStats | undefined;
  private now = new Date();
  private databaseUp = true;

  constructor() {
    const r = this.registry;
    this.requests = r.add(new Counter('omi_http_requests_total', 'HTTP requests answered, by method, route pattern and status', ['method', 'route', 'status']));
    this.durations = r.add(
      new Histogram('omi_http_request_duration_seconds', 'Time from request to response, by method and route pattern', ['method', 'route'], LATENCY_BUCKETS),
    );
    this.jobsProcessed = r.add(
      new Counter('omi_jobs_processed_total', 'Background job attempts by kind and result (completed, retried, failed for good)', ['kind', 'result']),
    );
    this.jobDurations = r.add(new Histogram('omi_job_duration_seconds', 'Time one background job attempt took, by kind', ['kind'], JOB_BUCKETS));
    r.add(new Gauge('omi_database_up', 'Whether the database answered the scrape’s queue query (1) or not (0)', [], () => [{ labels: [], value: this.databaseUp ? 1 : 0 }]));
    const byKind = (pick: (s: JobKindStats) => number) => () => this.jobs.map((s): Sample => ({ labels: [s.kind], value: pick(s) }));
    r.add(new Gauge('omi_jobs_queued', 'Background jobs waiting to run (including those scheduled for later), by kind', ['kind'], byKind((s) => s.queued)));
    r.add(new Gauge('omi_jobs_running', 'Background jobs claimed by a worker, by kind', ['kind'], byKind((s) => s.running)));
    r.add(new Gauge('omi_jobs_failed', 'Background jobs that failed for good (dead; see `omi-dev-api jobs list`), by kind', ['kind'], byKind((s) => s.failed)));
    r.add(
      new Gauge(
        'omi_jobs_oldest_due_age_seconds',
        'How long the oldest due, unclaimed job has been waiting (0: none due), by kind',
        ['kind'],
        byKind((s) => (s.oldestDueRunAt === null ? 0 : Math.max(0, (this.now.getTime() - Date.parse(s.oldestDueRunAt)) / 1000))),
      ),
    );
    this.rateLimitRejections = r.add(new Counter('omi_rate_limit_rejections_total', 'Requests refused with 429 by the rate limiter, by policy', ['policy']));
    this.webhookDeliveries = r.add(new Counter('omi_webhook_deliveries_total', 'Outbound webhook deliveries by result', ['result']));
    for (const result of ['success', 'failure'] as const) this.webhookDeliveries.labels(result);
    const pool = (pick: (p: PoolStats) => number) => () => (this.pool ? [{ labels: [], value: pick(this.pool) }] : []);
    r.add(new Gauge('omi_db_pool_connections', 'PostgreSQL connections open in the pool', [], pool((p) => p.total)));
    r.add(new Gauge('omi_db_pool_idle_connections', 'PostgreSQL connections open and idle', [], pool((p) => p.idle)));
    r.add(new Gauge('omi_db_pool_waiting_clients', 'Queries waiting for a free PostgreSQL connection', [], pool((p) => p.waiting)));
    this.loopDelay = monitorEventLoopDelay({ resolution: 20 });
    this.loopDelay.enable();
    this.addProcessGauges();
  }

  private addProcessGauges(): void {
    const r = this.registry;
    const one = (value: () => number) => () => [{ labels: [], value: value() }];
    r.add(new Gauge('omi_process_resident_memory_bytes', 'Resident set size of the process', [], one(() => process.memoryUsage.rss())));
    r.add(new Gauge('omi_process_heap_used_bytes', 'V8 heap in use', [], one(() => process.memoryUsage().heapUsed)));
    r.add(new Gauge('omi_process_heap_total_bytes', 'V8 heap reserved', [], one(() => process.memoryUsage().heapTotal)));
    r.add(new Gauge('omi_process_uptime_seconds', 'Seconds since the process started', [], one(() => process.uptime())));
    // Read at the scrape, then reset: the figures cover the time since the previous scrape.
    r.add(new Gauge('omi_event_loop_lag_mean_seconds', 'Mean event-loop delay since the previous scrape', [], one(() => nsToSeconds(this.loopDelay.mean))));
    r.add(new Gauge('omi_event_loop_lag_p99_seconds', '99th percentile event-loop delay since the previous scrape', [], one(() => nsToSeconds(this.loopDelay.percentile(99)))));
    r.add(new Gauge('omi_event_loop_lag_max_seconds', 'Longest event-loop delay since the previous scrape', [], one(() => nsToSeconds(this.loopDelay.max))));
  }

  /** The request hook's call: two Map lookups, then additions. */
  httpRequest(method: string, route: string, status: number, seconds: number): void {
    let byMethod = this.routes.get(route);
    if (!byMethod) {
      byMethod = new Map();
      this.routes.set(route, byMethod);
    }
    let series = byMethod.get(method);
    if (!series) {
      series = { duration: this.durations.labels(method, route), byStatus: new Map() };
      byMethod.set(method, series);
    }
    series.duration.observe(seconds);
    let counter = series.byStatus.get(status);
    if (!counter) {
      counter = this.requests.labels(method, route, String(status));
      series.byStatus.set(status, counter);
    }
    counter.value++;
  }

  jobSettled(kind: string, result: JobResult, seconds: number): void {
    this.jobsProcessed.labels(kind, result).inc();
    this.jobDurations.labels(kind).observe(seconds);
  }

  rateLimitRejected(policy: string): void {
    this.rateLimitRejections.labels(policy).inc();
  }

  webhookDelivered(result: WebhookResult): void {
    this.webhookDeliveries.labels(result).inc();
  }

  /** Reads the jobs table and the pool, then renders every family. */
  async render(sources: ScrapeSources): Promise<string> {
    try {
      this.jobs = this.withIdleKinds(await sources.storage.jobs.stats(toIso(sources.now)), sources.jobKinds);
      this.databaseUp = true;
    } catch {
      // The request metrics matter most when the database is down: serve them without the queue.
      this.jobs = [];
      this.databaseUp = false;
    }
    this.pool = sources.storage.poolStats?.();
    this.now = sources.now;
    const text = this.registry.render();
    this.loopDelay.reset();
    return text;
  }

  /** Kinds with a handler but no rows are reported as zeros, so their series never vanish. */
  private withIdleKinds(stats: JobKindStats[], kinds: readonly string[]): JobKindStats[] {
    const seen = new Set(stats.map((s) => s.kind));
    const idle = kinds.filter((kind) => !seen.has(kind)).map((kind) => ({ kind, queued: 0, running: 0, failed: 0, oldestDueRunAt: null }));
    return [...stats, ...idle].sort((a, b) => (a.kind < b.kind ? -1 : a.kind > b.kind ? 1 : 0));
  }

  close(): void {
    this.loopDelay.disable();
  }
}

const nsToSeconds = (ns: number) => (Number.isFinite(ns) ? ns / 1e9 : 0);
