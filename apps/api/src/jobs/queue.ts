import type { EntityManager } from '@mikro-orm/postgresql';

/** Every job the API runs in the background, with its payload. */
export interface JobPayloads {
  provision_tenant: { tenantId: string };
  /** Removes a deleted tenant's data once its grace period is over (services/tenant-deletion.ts). */
  tenant_purge: { tenantId: string };
  /** Applies pending tenant migrations to every tenant (services/tenant-migrations.ts); one at a time by job key. */
  tenants_migrate: { requestedBy: string | null };
  /** Writes one tenant export archive (services/tenant-export.ts). */
  tenant_export: { tenantId: string; exportId: string };
}
export type JobName = keyof JobPayloads;

export interface EnqueueOptions {
  /** One queued job per key: enqueueing again replaces a job that has not started yet. */
  jobKey?: string;
  maxAttempts?: number;
  /** Not before this time (graphile-worker's `run_at`); now when absent. */
  runAt?: Date;
}

/**
 * Adds a job with graphile-worker's own SQL function, on the caller's EntityManager: inside a transaction,
 * the job exists exactly when the rows it works on were committed.
 */
export async function enqueue<N extends JobName>(
  em: EntityManager,
  name: N,
  payload: JobPayloads[N],
  options: EnqueueOptions = {},
): Promise<void> {
  await em.execute(
    'select graphile_worker.add_job(?, ?::json, max_attempts => ?, job_key => ?, run_at => ?::timestamptz)',
    [name, JSON.stringify(payload), options.maxAttempts ?? null, options.jobKey ?? null, options.runAt ?? null],
  );
}
