import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

export type RateLimitScope = 'tenant_burst' | 'tenant_daily' | 'user_burst' | 'ip_burst';
export type JobOutcome = 'success' | 'retry' | 'failed';
export type ProvisioningOutcome = 'ready' | 'failed';

/** What `pg.Pool` reports about itself (the pool behind MikroORM's connection). */
export interface PoolStats {
  readonly totalCount: number;
  readonly idleCount: number;
  readonly waitingCount: number;
  readonly options: { readonly max?: number };
}

/** One row per task of graphile-worker's queue: jobs by state. */
export interface QueueDepth {
  task: string;
  queued: number;
  delayed: number;
  locked: number;
  failed: number;
}

/**
 * The API's Prometheus series. One registry per app (tests build several apps in one process); no series
 * carries a tenant id: per-tenant figures are usage analytics, not metrics (their cardinality is unbounded).
 */
export interface Metrics {
  readonly registry: Registry;
  /** One finished procedure call; `code` is 'OK' or the TRPCError code (e.g. 'NOT_FOUND'). */
  observeProcedure(call: {
    path: string;
    type: 'query' | 'mutation' | 'subscription';
    code: string;
    seconds: number;
  }): void;
  rateLimited(scope: RateLimitScope): void;
  /**
   * One flush of the usage counters to usage_daily: how long it took, the age of the oldest count it wrote, rows.
   * A tick with nothing to write may report `{ rows: 0, ok: true }`: it only marks the flusher as alive.
   */
  usageFlushed(flush: { seconds: number; lagSeconds: number; rows: number; ok: boolean }): void;
  /** One run of a background job, from its start to its success or error. */
  jobFinished(run: { task: string; outcome: JobOutcome; seconds: number }): void;
  /** A tenant's provisioning ended: seconds from its preparation start (first attempt) to ready/failed. */
  provisioningFinished(result: { outcome: ProvisioningOutcome; seconds: number }): void;
  /** Reports this pool's connections at each scrape. */
  watchDbPool(pool: PoolStats): void;
  /** Reports the job queue at each scrape; a failing read leaves the series out and is reported by `onError`. */
  watchJobQueue(read: () => Promise<QueueDepth[]>, onError: (err: unknown) => void): void;
}

const PREFIX = 'tenantry_';
const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
const LONG_BUCKETS = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600];

/**
 * Process-wide series (CPU, memory, event loop, GC) are created once and shared by every app's registry:
 * collecting them per app would leave a GC observer and an event-loop monitor behind for each app built.
 */
let processRegistry: Registry | undefined;
function processMetrics(): Registry {
  if (!processRegistry) {
    processRegistry = new Registry();
    collectDefaultMetrics({ register: processRegistry, prefix: PREFIX });
  }
  return processRegistry;
}

export function createMetrics(): Metrics {
  const registry = new Registry();
  const shared = processMetrics();
  for (const { name } of shared.getMetricsAsArray()) {
    const metric = shared.getSingleMetric(name);
    if (metric) registry.registerMetric(metric);
  }
  const registers = [registry];

  const procedureCalls = new Counter({
    name: `${PREFIX}trpc_requests_total`,
    help: 'tRPC procedure calls by procedure path, type and result code (OK or the TRPCError code).',
    labelNames: ['path', 'type', 'code'] as const,
    registers,
  });
  const procedureSeconds = new Histogram({
    name: `${PREFIX}trpc_request_duration_seconds`,
    help: 'tRPC procedure latency in seconds by procedure path, type and result code.',
    labelNames: ['path', 'type', 'code'] as const,
    buckets: LATENCY_BUCKETS,
    registers,
  });
  const rateLimited = new Counter({
    name: `${PREFIX}rate_limit_rejections_total`,
    help: 'Procedure calls refused with TOO_MANY_REQUESTS, by limit (tenant_burst, tenant_daily, user_burst, ip_burst).',
    labelNames: ['scope'] as const,
    registers,
  });

  const flushSeconds = new Histogram({
    name: `${PREFIX}usage_flush_duration_seconds`,
    help: 'Time to write the in-memory usage counters to usage_daily, by outcome (ok, error).',
    labelNames: ['outcome'] as const,
    buckets: LATENCY_BUCKETS,
    registers,
  });
  const flushLag = new Gauge({
    name: `${PREFIX}usage_flush_lag_seconds`,
    help: 'Age of the oldest usage count written by the last successful flush.',
    registers,
  });
  const flushRows = new Counter({
    name: `${PREFIX}usage_flush_rows_total`,
    help: 'usage_daily rows upserted by successful flushes.',
    registers,
  });
  const started = Date.now();
  let lastFlushOk: number | undefined;
  new Gauge({
    name: `${PREFIX}usage_last_flush_age_seconds`,
    help: 'Seconds since the last successful usage flush (since start-up before the first one).',
    registers,
    collect() {
      this.set((Date.now() - (lastFlushOk ?? started)) / 1000);
    },
  });

  const jobSeconds = new Histogram({
    name: `${PREFIX}job_duration_seconds`,
    help: 'Background job runs in seconds by task and outcome (success, retry: failed and will run again, failed: out of attempts).',
    labelNames: ['task', 'outcome'] as const,
    buckets: LONG_BUCKETS,
    registers,
  });
  const provisioningSeconds = new Histogram({
    name: `${PREFIX}provisioning_duration_seconds`,
    help: 'Tenant provisioning in seconds, from the start of its first attempt to ready or failed.',
    labelNames: ['outcome'] as const,
    buckets: LONG_BUCKETS,
    registers,
  });

  return {
    registry,
    observeProcedure({ path, type, code, seconds }) {
      const labels = { path, type, code };
      procedureCalls.inc(labels);
      procedureSeconds.observe(labels, seconds);
    },
    rateLimited(scope) {
      rateLimited.inc({ scope });
    },
    usageFlushed({ seconds, lagSeconds, rows, ok }) {
      if (ok) lastFlushOk = Date.now();
      if (ok && rows === 0) return; // an idle tick: nothing was written
      flushSeconds.observe({ outcome: ok ? 'ok' : 'error' }, seconds);
      if (!ok) return;
      flushLag.set(lagSeconds);
      flushRows.inc(rows);
    },
    jobFinished({ task, outcome, seconds }) {
      jobSeconds.observe({ task, outcome }, seconds);
    },
    provisioningFinished({ outcome, seconds }) {
      provisioningSeconds.observe({ outcome }, seconds);
    },
    watchDbPool(pool) {
      const gauge = (name: string, help: string, read: () => number) =>
        new Gauge({
          name: `${PREFIX}${name}`,
          help,
          registers,
          collect() {
            this.set(read());
          },
        });
      gauge('db_pool_connections', 'Open connections of the database pool (idle and in use).', () => pool.totalCount);
      gauge('db_pool_idle_connections', 'Open connections of the database pool not in use.', () => pool.idleCount);
      gauge(
        'db_pool_waiting_clients',
        'Queries waiting for a connection of the database pool.',
        () => pool.waitingCount,
      );
      gauge('db_pool_max_connections', 'Size limit of the database pool.', () => pool.options.max ?? 10);
    },
    watchJobQueue(read, onError) {
      new Gauge({
        name: `${PREFIX}job_queue_jobs`,
        help: 'Jobs in the queue by task and state (queued: due now, delayed: waiting to run or retry, locked: running, failed: out of attempts).',
        labelNames: ['task', 'state'] as const,
        registers,
        async collect() {
          this.reset();
          try {
            for (const row of await read()) {
              this.set({ task: row.task, state: 'queued' }, row.queued);
              this.set({ task: row.task, state: 'delayed' }, row.delayed);
              this.set({ task: row.task, state: 'locked' }, row.locked);
              this.set({ task: row.task, state: 'failed' }, row.failed);
            }
          } catch (err) {
            onError(err);
          }
        },
      });
    },
  };
}
