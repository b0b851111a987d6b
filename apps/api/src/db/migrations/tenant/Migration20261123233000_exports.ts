import type { TenantMigration } from './types.js';

/** Tenant exports (`tenants.export`): one row per archive under `<tenantId>/exports/`, with its progress. */
export const Migration20261123233000_exports: TenantMigration = {
  name: 'Migration20261123233000_exports',
  up: (s) => [
    `create table ${s}."exports" ("id" uuid not null, "status" text not null default 'queued', "progress" int not null default 0, "step" varchar(255) null, "key" varchar(1024) not null, "size" bigint null, "error" text null, "requested_by" uuid null, "created_at" timestamptz not null, "completed_at" timestamptz null, primary key ("id"));`,
    `alter table ${s}."exports" add constraint "exports_status_check" check ("status" in ('queued', 'running', 'ready', 'failed'));`,
    `create index "exports_created_at_id_index" on ${s}."exports" ("created_at", "id");`,
  ],
};
