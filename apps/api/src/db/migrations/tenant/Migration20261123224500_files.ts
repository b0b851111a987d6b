import type { TenantMigration } from './types.js';

/** Tenant files (DESIGN §6): one row per object under `<tenantId>/<fileId>/`, `pending` until confirmed. */
export const Migration20261123224500_files: TenantMigration = {
  name: 'Migration20261123224500_files',
  up: (s) => [
    `create table ${s}."files" ("id" uuid not null, "name" varchar(255) not null, "key" varchar(1024) not null, "size" bigint not null, "content_type" varchar(255) not null, "status" text not null default 'pending', "uploaded_by" uuid null, "uploaded_by_email" varchar(255) null, "created_at" timestamptz not null, "completed_at" timestamptz null, "expires_at" timestamptz not null, primary key ("id"));`,
    `alter table ${s}."files" add constraint "files_status_check" check ("status" in ('pending', 'ready'));`,
    `alter table ${s}."files" add constraint "files_key_unique" unique ("key");`,
    `create index "files_status_created_at_id_index" on ${s}."files" ("status", "created_at", "id");`,
    `create index "files_status_name_id_index" on ${s}."files" ("status", lower("name"), "id");`,
    `create index "files_status_expires_at_index" on ${s}."files" ("status", "expires_at");`,
  ],
};
