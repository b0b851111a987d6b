import { defineEntity, p, type InferEntity } from '@mikro-orm/core';

/**
 * One row per tenant migration applied to a tenant schema, written in the same transaction as the
 * migration itself: the primary key makes applying a version twice to one tenant impossible, and the
 * table is the proof that every tenant got each migration exactly once.
 */
export const TenantMigrationLogSchema = defineEntity({
  name: 'TenantMigrationLog',
  tableName: 'tenant_migration_log',
  schema: 'public',
  properties: {
    tenantId: p.uuid().primary(),
    /** The tenant's `schema_version` once this migration is applied (1 for the first). */
    version: p.integer().primary(),
    name: p.string(),
    appliedAt: p.datetime().onCreate(() => new Date()),
  },
});

export type TenantMigrationLog = InferEntity<typeof TenantMigrationLogSchema>;

/** The last failed attempt to migrate a tenant, until a later attempt succeeds (then the row goes). */
export const TenantMigrationFailureSchema = defineEntity({
  name: 'TenantMigrationFailure',
  tableName: 'tenant_migration_failures',
  schema: 'public',
  properties: {
    tenantId: p.uuid().primary(),
    /** The version the failed attempt was bringing the tenant to. */
    targetVersion: p.integer(),
    error: p.text(),
    failedAt: p.datetime().onCreate(() => new Date()),
  },
});

export type TenantMigrationFailure = InferEntity<typeof TenantMigrationFailureSchema>;
