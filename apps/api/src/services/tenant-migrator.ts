import type { EntityManager } from '@mikro-orm/postgresql';
import { quotedSchema } from '../db/tenant-schema.js';
import { tenantMigrations, type TenantMigration } from '../db/migrations/tenant/index.js';

export interface TenantMigrationResult {
  applied: string[];
  schemaVersion: number;
}

/**
 * Brings one tenant schema up to date. Everything happens in one transaction that also records the new
 * `schema_version`, with the tenant's row locked: a run killed half-way leaves nothing behind, and two
 * runs for the same tenant take turns.
 */
export async function migrateTenantSchema(
  em: EntityManager,
  tenantId: string,
  migrations: readonly TenantMigration[] = tenantMigrations,
): Promise<TenantMigrationResult> {
  return em.transactional(async (tx) => {
    const rows = await tx.execute<{ schema_name: string; schema_version: number }[]>(
      'select schema_name, schema_version from tenants where id = ? for update',
      [tenantId],
    );
    const row = rows[0];
    if (!row) throw new Error(`Tenant ${tenantId} does not exist`);
    const schema = quotedSchema(row.schema_name);
    await tx.execute(`create schema if not exists ${schema}`);
    const pending = migrations.slice(row.schema_version);
    for (const migration of pending) {
      for (const statement of migration.up(schema)) await tx.execute(statement);
    }
    const schemaVersion = row.schema_version + pending.length;
    if (pending.length) {
      await tx.execute('update tenants set schema_version = ?, updated_at = now() where id = ?', [
        schemaVersion,
        tenantId,
      ]);
    }
    return { applied: pending.map((m) => m.name), schemaVersion };
  });
}
