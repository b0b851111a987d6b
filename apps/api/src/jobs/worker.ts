import { EventEmitter } from 'node:events';
import {
  Logger,
  parseCronItems,
  run,
  runMigrations,
  type Runner,
  type Task,
  type TaskList,
  type WorkerEvents,
} from 'graphile-worker';
import type { FastifyBaseLogger } from 'fastify';
import type { Orm } from '../db/orm.js';
import type { Metrics, QueueDepth } from '../services/metrics.js';
import { provisionTenant, type ProvisionOptions } from '../services/provisioning.js';
import { purgeTenant, type TenantStorage } from '../services/tenant-deletion.js';
import { migrateAllTenants } from '../services/tenant-migrations.js';
import { expirePendingUploads } from '../services/files.js';
import { removeExpiredIdempotencyKeys } from '../services/idempotency.js';
import { runTenantExport } from '../services/tenant-export.js';
import type { JobName, JobPayloads } from './queue.js';

export interface WorkerSettings {
  databaseUrl: string;
  concurrency: number;
  orm: Orm;
  log: FastifyBaseLogger;
  /** Test hook: runs after each provisioning step. */
  afterProvisionStep?: ProvisionOptions['afterStep'];
  /** Where job and provisioning durations are recorded (the API's metrics; absent in `cli worker`). */
  metrics?: Pick<Metrics, 'jobFinished' | 'provisioningFinished'>;
  /** The bucket of tenant objects; a worker without it leaves `tenant_purge` jobs to one that has it. */
  storage?: TenantStorage;
}

/**
 * Every 15 minutes, once across all workers (graphile-worker's cron keeps one schedule per identifier);
 * runs missed while no worker ran are not made up: the next run removes the same uploads.
 */
const FILES_EXPIRE_CRON = {
  task: 'files_expire_uploads',
  identifier: 'files_expire_uploads',
  match: '*/15 * * * *',
  options: { backfillPeriod: 0, maxAttempts: 1 },
};

/** Hourly, once across all workers: REST idempotency keys past their 24 hours (expired ones are already ignored). */
const IDEMPOTENCY_EXPIRE_CRON = {
  task: 'idempotency_keys_expire',
  identifier: 'idempotency_keys_expire',
  match: '7 * * * *',
  options: { backfillPeriod: 0, maxAttempts: 1 },
};

/** graphile-worker's log lines through our logger (pino), so they carry the same fields and levels. */
function workerLogger(log: FastifyBaseLogger): Logger {
  return new Logger((scope) => (level, message, meta) => {
    // graphile-worker attaches the whole job row; its id and attempt are what a log reader needs.
    const { job, ...rest } = (meta ?? {}) as { job?: { id?: string; attempts?: number } };
    const fields = { ...scope, ...rest, ...(job ? { jobId: job.id, attempt: job.attempts } : {}) };
    const name = String(level); // a const enum of @graphile/logger, compared by value
    if (name === 'error') log.error(fields, message);
    else if (name === 'warning') log.warn(fields, message);
    else if (name === 'info') log.info(fields, message);
    else log.debug(fields, message);
  });
}

function isPayload<N extends JobName>(name: N, payload: unknown): payload is JobPayloads[N] {
  void name;
  return (
    typeof payload === 'object' && payload !== null && typeof (payload as { tenantId?: unknown }).tenantId === 'string'
  );
}

export function taskList(
  settings: Pick<WorkerSettings, 'orm' | 'afterProvisionStep' | 'metrics' | 'storage'>,
): TaskList {
  const metrics = settings.metrics;
  const provision: Task = async (payload, helpers) => {
    if (!isPayload('provision_tenant', payload)) throw new Error('provision_tenant needs { tenantId }');
    const outcome = await provisionTenant(settings.orm, payload.tenantId, {
      attempt: helpers.job.attempts,
      maxAttempts: helpers.job.max_attempts,
      afterStep: settings.afterProvisionStep,
      onFinished: metrics && ((result) => metrics.provisioningFinished(result)),
    });
    helpers.logger.info(`tenant ${payload.tenantId}: ${outcome}`);
  };
  const storage = settings.storage;
  const purge: Task = async (payload, helpers) => {
    if (!isPayload('tenant_purge', payload)) throw new Error('tenant_purge needs { tenantId }');
    if (!storage) throw new Error('tenant_purge needs the S3 bucket');
    const result = await purgeTenant(settings.orm.em.fork(), storage, payload.tenantId, null);
    helpers.logger.info(
      result.outcome === 'purged'
        ? `tenant ${payload.tenantId}: purged (${result.summary.objects} objects, ${result.summary.memberships} memberships)`
        : `tenant ${payload.tenantId}: purge skipped, ${result.reason}`,
    );
  };
  const migrateTenants: Task = async (_payload, helpers) => {
    const report = await migrateAllTenants({ orm: settings.orm, log: (line) => helpers.logger.info(line) });
    // Failed tenants are recorded for the console; retrying the whole job would not fix them.
    if (report.failed.length) helpers.logger.warn(`${report.failed.length} tenant(s) failed to migrate`);
  };
  // Recurring (FILES_EXPIRE_CRON): pending uploads past their presigned POST's expiry, in every ready tenant.
  const expireUploads: Task = async (_payload, helpers) => {
    if (!storage) throw new Error('files_expire_uploads needs the S3 bucket');
    const result = await expirePendingUploads(settings.orm, storage);
    if (result.removed) {
      helpers.logger.info(`${result.removed} expired upload(s) removed in ${result.tenants} tenant(s)`);
    }
  };
  // Recurring (IDEMPOTENCY_EXPIRE_CRON).
  const expireIdempotencyKeys: Task = async (_payload, helpers) => {
    const removed = await removeExpiredIdempotencyKeys(settings.orm);
    if (removed) helpers.logger.info(`${removed} expired idempotency key(s) removed`);
  };
  const exportTenant: Task = async (payload, helpers) => {
    if (!isPayload('tenant_export', payload)) throw new Error('tenant_export needs { tenantId, exportId }');
    if (!storage) throw new Error('tenant_export needs the S3 bucket');
    const result = await runTenantExport(settings.orm, storage, payload, {
      attempt: helpers.job.attempts,
      maxAttempts: helpers.job.max_attempts,
    });
    helpers.logger.info(
      result.outcome === 'ready'
        ? `tenant ${payload.tenantId}: export ${payload.exportId} ready (${result.size} bytes)`
        : `tenant ${payload.tenantId}: export ${payload.exportId} skipped, ${result.reason}`,
    );
  };
  return {
    provision_tenant: provision,
    tenants_migrate: migrateTenants,
    idempotency_keys_expire: expireIdempotencyKeys,
    ...(storage ? { tenant_purge: purge } : {}),
    ...(storage ? { files_expire_uploads: expireUploads } : {}),
    ...(storage ? { tenant_export: exportTenant } : {}),
  };
}

/** Creates graphile-worker's own schema (`graphile_worker`) when missing; safe to run from many processes. */
export async function migrateJobQueue(databaseUrl: string, log: FastifyBaseLogger): Promise<void> {
  await runMigrations({ connectionString: databaseUrl, logger: workerLogger(log) });
}

/** Jobs by task and state, for the queue-depth gauge; bounded so that a slow database cannot hold up a scrape. */
export async function readQueueDepth(orm: Orm, timeoutMs = 2000): Promise<QueueDepth[]> {
  const query = orm.em.fork().transactional(async (em) => {
    await em.execute(`set local statement_timeout = ${Math.ceil(timeoutMs)}`);
    return em.execute<QueueDepth[]>(
      `select t.identifier as task,
              count(j.id) filter (where j.locked_at is null and j.attempts < j.max_attempts and j.run_at <= now())::int as queued,
              count(j.id) filter (where j.locked_at is null and j.attempts < j.max_attempts and j.run_at > now())::int as delayed,
              count(j.id) filter (where j.locked_at is not null)::int as locked,
              count(j.id) filter (where j.locked_at is null and j.attempts >= j.max_attempts)::int as failed
         from graphile_worker._private_tasks t
         left join graphile_worker._private_jobs j on j.task_id = t.id
        group by t.identifier`,
    );
  });
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`job queue depth: no answer within ${timeoutMs} ms`)), timeoutMs);
  });
  try {
    return await Promise.race([query, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** Records each job run's duration: job:error is a retry unless job:failed follows (out of attempts). */
function jobEvents(metrics: NonNullable<WorkerSettings['metrics']>): WorkerEvents {
  const events: WorkerEvents = new EventEmitter();
  const started = new Map<string, number>();
  const finish = (job: { id: string; task_identifier: string }, outcome: 'success' | 'retry' | 'failed') => {
    const start = started.get(job.id);
    if (start === undefined) return;
    started.delete(job.id);
    metrics.jobFinished({ task: job.task_identifier, outcome, seconds: (performance.now() - start) / 1000 });
  };
  events.on('job:start', ({ job }) => started.set(job.id, performance.now()));
  events.on('job:success', ({ job }) => finish(job, 'success'));
  events.on('job:error', ({ job }) => {
    if (job.attempts < job.max_attempts) finish(job, 'retry');
  });
  events.on('job:failed', ({ job }) => finish(job, 'failed'));
  events.on('job:complete', ({ job }) => started.delete(job.id));
  return events;
}

/** Starts the job runner; `stop()` lets running jobs finish. Signals are handled by the server, not here. */
export async function startWorker(settings: WorkerSettings): Promise<Runner> {
  return run({
    connectionString: settings.databaseUrl,
    concurrency: settings.concurrency,
    maxPoolSize: settings.concurrency + 2,
    noHandleSignals: true,
    logger: workerLogger(settings.log.child({ component: 'worker' })),
    taskList: taskList(settings),
    ...(settings.metrics ? { events: jobEvents(settings.metrics) } : {}),
    // Given explicitly: without it graphile-worker looks for a `crontab` file in the working directory.
    parsedCronItems: parseCronItems([...(settings.storage ? [FILES_EXPIRE_CRON] : []), IDEMPOTENCY_EXPIRE_CRON]),
  });
}
