import type { MigrationObject } from '@mikro-orm/core';
import { Migration20261123143831_users } from './Migration20261123143831_users.js';
import { Migration20261123165702_tenants } from './Migration20261123165702_tenants.js';
import { Migration20261123180144_invitations } from './Migration20261123180144_invitations.js';
import { Migration20261123192436_plans_usage } from './Migration20261123192436_plans_usage.js';
import { Migration20261123222837_tenant_deletion } from './Migration20261123222837_tenant_deletion.js';
import { Migration20261123224500_tenant_migrations } from './Migration20261123224500_tenant_migrations.js';
import { Migration20261206194010_platform_audit_actions } from './Migration20261206194010_platform_audit_actions.js';
import { Migration20261206200733_idempotency_keys } from './Migration20261206200733_idempotency_keys.js';

/** Control-plane migrations in the order they apply. Add each generated migration here. */
export const controlPlaneMigrations: MigrationObject[] = [
  { name: 'Migration20261123143831_users', class: Migration20261123143831_users },
  { name: 'Migration20261123165702_tenants', class: Migration20261123165702_tenants },
  { name: 'Migration20261123180144_invitations', class: Migration20261123180144_invitations },
  { name: 'Migration20261123192436_plans_usage', class: Migration20261123192436_plans_usage },
  { name: 'Migration20261123222837_tenant_deletion', class: Migration20261123222837_tenant_deletion },
  { name: 'Migration20261123224500_tenant_migrations', class: Migration20261123224500_tenant_migrations },
  { name: 'Migration20261206194010_platform_audit_actions', class: Migration20261206194010_platform_audit_actions },
  { name: 'Migration20261206200733_idempotency_keys', class: Migration20261206200733_idempotency_keys },
];
