import { Migration20261123170000_projects_config } from './Migration20261123170000_projects_config.js';
import { Migration20261123174912_audit_log } from './Migration20261123174912_audit_log.js';
import { Migration20261123224500_files } from './Migration20261123224500_files.js';
import { Migration20261123233000_exports } from './Migration20261123233000_exports.js';
import type { TenantMigration } from './types.js';

export type { TenantMigration } from './types.js';

/** Tenant migrations in the order they apply; a tenant's `schema_version` counts how many it has. */
export const tenantMigrations: readonly TenantMigration[] = [
  Migration20261123170000_projects_config,
  Migration20261123174912_audit_log,
  Migration20261123224500_files,
  Migration20261123233000_exports,
];

export const LATEST_TENANT_SCHEMA_VERSION = tenantMigrations.length;
