import type { EntityManager } from '@mikro-orm/postgresql';
import { quotedSchema } from '../db/tenant-schema.js';
import { tenantMigrations, type TenantMigration } from '../db/migrations/tenant/index.js';

export interface TenantMigrationResult {
  applied: string[];
  schemaVersion: number;
}

export interface MigrateTenantOptions {
  migrations?: readonly TenantMigration[];
  /**
   * Answer 'locked' when another transaction holds the tenant's row (another runner migrating it, or its
   * provisioning) instead of waiting for it; with the version re-read under the lock, no tenant is migrated twice.
   */
  skipLocked?: boolean;
  /** Only migrate a tenant in one of these states (checked under the lock); answers null otherwise. */
  statuses?: readonly string[];
  /** How long a statement may wait for a lock held by the API (e.g. a long request on a table being altered). */
  lockTimeoutMs?: number;
}

/**
 * Brings one tenant schema up to date. Everything happens in one transaction that also records the new
 * `schema_version` and one `tenant_migration_log` row per migration, with the tenant's row locked: a run
 * killed half-way leaves nothing behind, two runs for the same tenant take turns (or the second skips it),
 * and the log's primary key refuses a version applied twice.
 */
export async function migrateTenantSchema(
  em: EntityManager,
  tenantId: string,
  opts: MigrateTenantOptions = {},
): Promise<TenantMigrationResult | 'locked' | null> {
  const migrations = opts.migrations ?? tenantMigrations;
  return em.transactional(async (tx) => {
    if (opts.lockTimeoutMs) await tx.execute(`set local lock_timeout = ${Math.ceil(opts.lockTimeoutMs)}`);
    const rows = await tx.execute<{ schema_name: string; schema_version: number; status: string }[]>(
      `select schema_name, schema_version, status from tenants where id = ? for update${opts.skipLocked ? ' skip locked' : ''}`,
      [tenantId],
    );
    const row = rows[0];
    if (!row && opts.skipLocked) {
      const exists = await tx.execute<unknown[]>('select 1 from tenants where id = ?', [tenantId]);
      if (exists.length) return 'locked';
    }
    if (!row) throw new Error(`Tenant ${tenantId} does not exist`);
    if (opts.statuses && !opts.statuses.includes(row.status)) return null;
    const schema = quotedSchema(row.schema_name);
    await tx.execute(`create schema if not exists ${schema}`);
    const pending = migrations.slice(row.schema_version);
    for (const [i, migration] of pending.entries()) {
      for (const statement of migration.up(schema)) await tx.execute(statement);
      await tx.execute(
        'insert into tenant_migration_log (tenant_id, version, name, applied_at) values (?, ?, ?, now())',
        [tenantId, row.schema_version + i + 1, migration.name],
      );
    }
    const schemaVersion = row.schema_version + pending.length;
    if (pending.length) {
      await tx.execute('update tenants set schema_version = ?, updated_at = now() where id = ?', [
        schemaVersion,
        tenantId,
      ]);
      await tx.execute('delete from tenant_migration_failures where tenant_id = ?', [tenantId]);
    }
    return { applied: pending.map((m) => m.name), schemaVersion };
  });
}
