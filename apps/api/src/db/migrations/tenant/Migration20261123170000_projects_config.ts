import type { TenantMigration } from './types.js';

export const Migration20261123170000_projects_config: TenantMigration = {
  name: 'Migration20261123170000_projects_config',
  up: (s) => [
    `create table ${s}."config" ("key" varchar(100) not null, "value" jsonb not null, "secret" boolean not null default false, "updated_at" timestamptz not null, primary key ("key"));`,
    `create table ${s}."projects" ("id" uuid not null, "name" varchar(120) not null, "description" text not null default '', "status" text not null default 'active', "created_by" uuid null, "created_at" timestamptz not null, "updated_at" timestamptz not null, primary key ("id"));`,
    `create index "projects_created_at_index" on ${s}."projects" ("created_at");`,
    `alter table ${s}."projects" add constraint "projects_status_check" check ("status" in ('active', 'archived'));`,
  ],
};
