import { Logger, run, runMigrations, type Runner, type Task, type TaskList } from 'graphile-worker';
import type { FastifyBaseLogger } from 'fastify';
import type { Orm } from '../db/orm.js';
import { provisionTenant, type ProvisionOptions } from '../services/provisioning.js';
import type { JobName, JobPayloads } from './queue.js';

export interface WorkerSettings {
  databaseUrl: string;
  concurrency: number;
  orm: Orm;
  log: FastifyBaseLogger;
  /** Test hook: runs after each provisioning step. */
  afterProvisionStep?: ProvisionOptions['afterStep'];
}

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

export function taskList(settings: Pick<WorkerSettings, 'orm' | 'afterProvisionStep'>): TaskList {
  const provision: Task = async (payload, helpers) => {
    if (!isPayload('provision_tenant', payload)) throw new Error('provision_tenant needs { tenantId }');
    const outcome = await provisionTenant(settings.orm, payload.tenantId, {
      attempt: helpers.job.attempts,
      maxAttempts: helpers.job.max_attempts,
      afterStep: settings.afterProvisionStep,
    });
    helpers.logger.info(`tenant ${payload.tenantId}: ${outcome}`);
  };
  return { provision_tenant: provision };
}

/** Creates graphile-worker's own schema (`graphile_worker`) when missing; safe to run from many processes. */
export async function migrateJobQueue(databaseUrl: string, log: FastifyBaseLogger): Promise<void> {
  await runMigrations({ connectionString: databaseUrl, logger: workerLogger(log) });
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
    // No cron jobs yet; without this graphile-worker looks for a `crontab` file in the working directory.
    parsedCronItems: [],
  });
}
