import type { EntityManager } from '@mikro-orm/postgresql';
import type { TenantMigrationStatus, TenantStatus } from '@tenantry/shared';
import type { Orm } from '../db/orm.js';
import { tenantMigrations, type TenantMigration } from '../db/migrations/tenant/index.js';
import { recordPlatformAction, type SuperadminActor } from './platform-audit.js';
import { migrateTenantSchema } from './tenant-migrator.js';

/**
 * The states whose schema the orchestrator migrates. `pending`/`preparing` and `failed` tenants get every
 * migration from their provisioning (or its retry), which holds their row while it runs; `deleting` and
 * `deleted` tenants' schemas are about to be, or have been, dropped — migrating them is wasted work that
 * could fail on a half-removed schema.
 */
export const MIGRATABLE_STATUSES = ['ready', 'suspended'] as const;

export interface TenantMigrationProgress {
  tenant: { id: string; slug: string };
  outcome: 'migrated' | 'failed' | 'skipped';
  /** The tenant's version after this attempt. */
  schemaVersion: number;
  error?: string;
  done: number;
  total: number;
}

export interface MigrateAllOptions {
  orm: Orm;
  /** Tenants migrated at once (each on its own connection); 4 by default. */
  concurrency?: number;
  log?: (line: string) => void;
  onProgress?: (progress: TenantMigrationProgress) => void;
  /** The list of tenant migrations; the real one unless a test or the bench adds one. */
  migrations?: readonly TenantMigration[];
  /** Only these tenants (tests that must not touch other files' tenants). */
  tenantIds?: readonly string[];
  /** How long one statement waits for a lock held by the API before the tenant fails (and is retried next run). */
  lockTimeoutMs?: number;
}

export interface MigrateAllReport {
  latestVersion: number;
  /** Tenants behind when the run started. */
  lagging: number;
  migrated: number;
  failed: { tenant: { id: string; slug: string }; error: string }[];
  /** Behind at the start, but up to date, locked by another runner or no longer migratable when reached. */
  skipped: number;
  seconds: number;
}

interface LaggingTenant {
  id: string;
  slug: string;
  schema_version: number;
}

const messageOf = (err: unknown) => (err instanceof Error ? err.message : String(err));

/**
 * Applies pending tenant migrations to every lagging tenant schema, `concurrency` at a time. Each tenant is
 * migrated in its own transaction that locks its row (`for update skip locked`) and re-reads its version,
 * so two runners at once never migrate a tenant twice, and a run stopped anywhere resumes by running again.
 * A failing tenant is recorded in `tenant_migration_failures` and the run goes on.
 */
export async function migrateAllTenants(options: MigrateAllOptions): Promise<MigrateAllReport> {
  const started = performance.now();
  const migrations = options.migrations ?? tenantMigrations;
  const latestVersion = migrations.length;
  const concurrency = Math.max(1, Math.floor(options.concurrency ?? 4));
  const log = options.log ?? (() => undefined);
  const lagging = await options.orm.em.fork().execute<LaggingTenant[]>(
    `select id, slug, schema_version from tenants
      where status in (${MIGRATABLE_STATUSES.map(() => '?').join(', ')}) and schema_version < ?
        ${options.tenantIds ? 'and id = any(?::uuid[])' : ''}
      order by created_at, id`,
    [...MIGRATABLE_STATUSES, latestVersion, ...(options.tenantIds ? [`{${options.tenantIds.join(',')}}`] : [])],
  );
  log(`${lagging.length} tenant(s) behind version ${latestVersion}; migrating ${concurrency} at a time.`);
  const report: MigrateAllReport = {
    latestVersion,
    lagging: lagging.length,
    migrated: 0,
    failed: [],
    skipped: 0,
    seconds: 0,
  };
  let done = 0;
  const queue = [...lagging];
  const progress = (p: Omit<TenantMigrationProgress, 'done' | 'total'>) => {
    done += 1;
    options.onProgress?.({ ...p, done, total: lagging.length });
  };

  /** Tenants whose row was locked on the first pass: another runner, a provisioning, or a killed run's
   *  transaction the server has not rolled back yet. They are tried again at the end, waiting for the lock. */
  const lockedOut: LaggingTenant[] = [];
  const migrateOne = async (t: LaggingTenant, waitForLock: boolean) => {
    const tenant = { id: t.id, slug: t.slug };
    try {
      const result = await migrateTenantSchema(options.orm.em.fork(), t.id, {
        migrations,
        skipLocked: !waitForLock,
        statuses: MIGRATABLE_STATUSES,
        lockTimeoutMs: options.lockTimeoutMs ?? 10_000,
      });
      if (result === 'locked') {
        lockedOut.push(t);
        return;
      }
      if (!result || result.applied.length === 0) {
        report.skipped += 1;
        log(`${t.slug}: skipped (${result ? `already at ${result.schemaVersion}` : 'no longer migratable'})`);
        progress({ tenant, outcome: 'skipped', schemaVersion: result?.schemaVersion ?? t.schema_version });
        return;
      }
      report.migrated += 1;
      log(`${t.slug}: ${result.schemaVersion - result.applied.length} → ${result.schemaVersion}`);
      progress({ tenant, outcome: 'migrated', schemaVersion: result.schemaVersion });
    } catch (err) {
      const error = messageOf(err);
      report.failed.push({ tenant, error });
      log(`${t.slug}: failed, left at ${t.schema_version}: ${error}`);
      await recordFailure(options.orm.em.fork(), t.id, latestVersion, error).catch((e: unknown) =>
        log(`${t.slug}: could not record the failure: ${messageOf(e)}`),
      );
      progress({ tenant, outcome: 'failed', schemaVersion: t.schema_version, error });
    }
  };

  const drain = (waitForLock: boolean) =>
    Promise.all(
      Array.from({ length: Math.min(concurrency, Math.max(1, queue.length)) }, async () => {
        for (let t = queue.shift(); t; t = queue.shift()) await migrateOne(t, waitForLock);
      }),
    );
  await drain(false);
  if (lockedOut.length) {
    log(`${lockedOut.length} tenant(s) were locked; trying them again, waiting for their lock.`);
    queue.push(...lockedOut.splice(0));
    await drain(true);
  }
  report.seconds = (performance.now() - started) / 1000;
  log(
    `Done in ${report.seconds.toFixed(1)} s: ${report.migrated} migrated, ${report.failed.length} failed, ${report.skipped} skipped.`,
  );
  return report;
}

async function recordFailure(em: EntityManager, tenantId: string, targetVersion: number, error: string) {
  await em.execute(
    `insert into tenant_migration_failures (tenant_id, target_version, error, failed_at) values (?, ?, ?, now())
     on conflict (tenant_id) do update set target_version = excluded.target_version, error = excluded.error, failed_at = now()`,
    [tenantId, targetVersion, error.slice(0, 2000)],
  );
}

/**
 * Where the migratable tenants stand against the latest version; the superadmin console's view. A running
 * job has already used its attempt (graphile-worker counts it when it locks the job): running is "locked",
 * queued is "unlocked with an attempt left"; a failed one is neither.
 */
export async function tenantMigrationStatus(em: EntityManager, limit = 200): Promise<TenantMigrationStatus> {
  const latestVersion = tenantMigrations.length;
  const statuses = MIGRATABLE_STATUSES.map(() => '?').join(', ');
  const byVersion = await em.execute<{ version: number; tenants: number }[]>(
    `select schema_version as version, count(*)::int as tenants from tenants
      where status in (${statuses}) group by schema_version order by schema_version`,
    [...MIGRATABLE_STATUSES],
  );
  const behind = await em.execute<
    {
      id: string;
      slug: string;
      name: string;
      status: TenantStatus;
      schema_version: number;
      error: string | null;
      failed_at: Date | string | null;
    }[]
  >(
    `select t.id, t.slug, t.name, t.status, t.schema_version, f.error, f.failed_at
       from tenants t left join tenant_migration_failures f on f.tenant_id = t.id
      where t.status in (${statuses}) and t.schema_version < ?
      order by f.failed_at desc nulls last, t.created_at, t.id
      limit ?`,
    [...MIGRATABLE_STATUSES, latestVersion, limit],
  );
  const jobs = await em.execute<{ locked: boolean }[]>(
    `select j.locked_at is not null as locked
       from graphile_worker.jobs j
      where j.task_identifier = 'tenants_migrate' and (j.locked_at is not null or j.attempts < j.max_attempts)`,
  );
  return {
    latestVersion,
    byVersion,
    behind: behind.map((r) => ({
      id: r.id,
      slug: r.slug,
      name: r.name,
      status: r.status,
      schemaVersion: r.schema_version,
      lastError: r.error,
      failedAt: r.failed_at ? new Date(r.failed_at).toISOString() : null,
    })),
    behindCount: byVersion.filter((v) => v.version < latestVersion).reduce((n, v) => n + v.tenants, 0),
    job: jobs.some((j) => j.locked) ? 'running' : jobs.length ? 'queued' : null,
  };
}

/** One migration job at a time: its job key, and the named queue that runs its jobs one after another. */
export const TENANTS_MIGRATE_JOB_KEY = 'tenants_migrate';

/**
 * Queues a run of the orchestrator on the job runner, unless one is already queued or running (answered
 * false). An advisory lock makes the check and the enqueue one step for concurrent callers. Either way the
 * superadmin's request is recorded in the platform audit, for every tenant (no tenant id).
 */
export async function queueTenantMigrationRun(em: EntityManager, superadmin: SuperadminActor): Promise<boolean> {
  return em.transactional(async (tx) => {
    await tx.execute('select pg_advisory_xact_lock(hashtext(?))', [TENANTS_MIGRATE_JOB_KEY]);
    const [active] = await tx.execute<{ n: number }[]>(
      `select count(*)::int as n
         from graphile_worker.jobs j
        where j.task_identifier = 'tenants_migrate' and (j.locked_at is not null or j.attempts < j.max_attempts)`,
    );
    const queued = (active?.n ?? 0) === 0;
    if (queued) {
      await tx.execute(
        `select graphile_worker.add_job('tenants_migrate', ?::json, queue_name => ?, max_attempts => 1, job_key => ?)`,
        [JSON.stringify({ requestedBy: superadmin.id }), TENANTS_MIGRATE_JOB_KEY, TENANTS_MIGRATE_JOB_KEY],
      );
    }
    const targetVersion = tenantMigrations.length;
    const [behind] = await tx.execute<{ n: number }[]>(
      `select count(*)::int as n from tenants
        where status in (${MIGRATABLE_STATUSES.map(() => '?').join(', ')}) and schema_version < ?`,
      [...MIGRATABLE_STATUSES, targetVersion],
    );
    await recordPlatformAction(tx, {
      superadmin,
      tenantId: null,
      procedure: 'admin.migrations.start',
      details: { queued, targetVersion, tenantsBehind: behind?.n ?? 0 },
    });
    return queued;
  });
}
