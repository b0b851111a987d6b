import type { EntityManager } from '@mikro-orm/postgresql';
import type { ProvisionStep } from '@tenantry/shared';
import type { Orm } from '../db/orm.js';
import { quotedSchema } from '../db/tenant-schema.js';
import { migrateTenantSchema } from './tenant-migrator.js';

/** The channel on which every tenant status change is announced (payload: the tenant id). */
export const TENANT_STATUS_CHANNEL = 'tenant_status';

/** Settings every new tenant starts with; existing keys are never overwritten. */
export const DEFAULT_TENANT_CONFIG: Record<string, unknown> = {
  locale: 'en',
  timezone: 'UTC',
  week_starts_on: 1,
};

export interface ProvisionOptions {
  /** 1 for the first run of the job; graphile-worker counts the retries. */
  attempt: number;
  maxAttempts: number;
  /** Called after each step has committed (tests stop a run there, as a crash would). */
  afterStep?: (step: ProvisionStep) => void | Promise<void>;
  /** Told once the tenant is ready or has failed for good, with the seconds since its first attempt started. */
  onFinished?: (result: { outcome: 'ready' | 'failed'; seconds: number }) => void;
}

export type ProvisionOutcome = 'ready' | 'skipped';

const MAX_ERROR_LENGTH = 1000;

/** Writes a status change and announces it in one statement; the notification leaves on commit. */
async function setStatus(
  em: EntityManager,
  tenantId: string,
  assignments: string,
  params: unknown[],
): Promise<boolean> {
  const rows = await em.execute<{ id: string }[]>(
    `with changed as (
       update tenants set ${assignments}, updated_at = now()
       where id = ? and status in ('pending', 'preparing', 'failed') returning id
     ) select pg_notify('${TENANT_STATUS_CHANNEL}', id::text), id from changed`,
    [...params, tenantId],
  );
  return rows.length > 0;
}

/**
 * Prepares a tenant's schema: create the schema, apply the tenant migrations, seed defaults, mark it ready.
 * Each step is idempotent, so a run killed anywhere and started again finishes the tenant. A tenant that was
 * deleted, suspended or already finished meanwhile is left alone.
 */
export async function provisionTenant(
  orm: Orm,
  tenantId: string,
  options: ProvisionOptions,
): Promise<ProvisionOutcome> {
  const em = orm.em.fork();
  const rows = await em.execute<{ status: string; schema_name: string }[]>(
    'select status, schema_name from tenants where id = ?',
    [tenantId],
  );
  const tenant = rows[0];
  if (!tenant || !['pending', 'preparing', 'failed'].includes(tenant.status)) return 'skipped';
  const schema = quotedSchema(tenant.schema_name);

  const finished = async (outcome: 'ready' | 'failed') => {
    if (!options.onFinished) return;
    // A metric is best-effort: failing to read it must not fail (and retry) a finished provisioning.
    const [row] = await em
      .execute<{ seconds: number | null }[]>(
        `select extract(epoch from coalesce(preparation_completed_at, now()) - preparation_started_at)::float8 as seconds
           from tenants where id = ?`,
        [tenantId],
      )
      .catch(() => []);
    if (row?.seconds != null) options.onFinished({ outcome, seconds: row.seconds });
  };

  const step = async (name: ProvisionStep, work: () => Promise<void>) => {
    if (!(await setStatus(em, tenantId, 'provision_step = ?', [name]))) throw new TenantGoneError(tenantId);
    await work();
    await options.afterStep?.(name);
  };

  try {
    const started = await setStatus(
      em,
      tenantId,
      `status = 'preparing', preparation_attempts = ?,
       preparation_started_at = case when ? or preparation_started_at is null then now() else preparation_started_at end`,
      [options.attempt, options.attempt === 1],
    );
    if (!started) return 'skipped';
    await step('create_schema', async () => {
      await em.execute(`create schema if not exists ${schema}`);
    });
    await step('migrate', async () => {
      await migrateTenantSchema(em, tenantId);
    });
    await step('seed', async () => {
      await em.execute(
        `insert into ${schema}."config" ("key", "value", "secret", "updated_at")
         select key, value, false, now() from jsonb_each(?::jsonb) on conflict ("key") do nothing`,
        [JSON.stringify(DEFAULT_TENANT_CONFIG)],
      );
      // The tenant's first audit row, keyed by the tenant's id so a re-run does not write it twice.
      await em.execute(
        `insert into ${schema}."audit_log" ("id", "action", "actor_id", "actor_email", "actor_is_superadmin",
                                            "target_type", "target_id", "after", "at")
         select t.id, 'tenant.created', t.created_by, u.email, false, 'tenant', t.id::text,
                jsonb_build_object('name', t.name, 'slug', t.slug, 'plan', t.plan), t.created_at
           from tenants t left join users u on u.id = t.created_by
          where t.id = ? on conflict ("id") do nothing`,
        [tenantId],
      );
    });
    await step('finish', async () => {
      await setStatus(
        em,
        tenantId,
        `status = 'ready', provision_step = null, preparation_error = null, preparation_completed_at = now()`,
        [],
      );
    });
    await finished('ready');
    return 'ready';
  } catch (err) {
    if (err instanceof TenantGoneError) return 'skipped';
    const message = (err instanceof Error ? err.message : String(err)).slice(0, MAX_ERROR_LENGTH);
    const last = options.attempt >= options.maxAttempts;
    await setStatus(em, tenantId, last ? `status = 'failed', preparation_error = ?` : `preparation_error = ?`, [
      last ? message : `Attempt ${options.attempt} of ${options.maxAttempts} failed, retrying: ${message}`,
    ]);
    if (last) await finished('failed');
    throw err;
  }
}

class TenantGoneError extends Error {
  constructor(tenantId: string) {
    super(`Tenant ${tenantId} was deleted or suspended during provisioning`);
  }
}
