import type { TenantMigration } from './types.js';

export const Migration20261123174912_audit_log: TenantMigration = {
  name: 'Migration20261123174912_audit_log',
  up: (s) => [
    `create table ${s}."audit_log" ("id" uuid not null, "action" varchar(64) not null, "actor_id" uuid null, "actor_email" varchar(255) null, "actor_is_superadmin" boolean not null default false, "target_type" varchar(50) not null, "target_id" varchar(100) null, "before" jsonb null, "after" jsonb null, "request_id" varchar(128) null, "ip" varchar(64) null, "user_agent" varchar(500) null, "at" timestamptz not null, primary key ("id"));`,
    `create index "audit_log_at_id_index" on ${s}."audit_log" ("at", "id");`,
    `create index "audit_log_action_at_index" on ${s}."audit_log" ("action", "at");`,
    `create or replace function ${s}."audit_log_append_only_fn"() returns trigger as $$ begin raise exception 'audit_log is append-only'; end; $$ language plpgsql;`,
    `create trigger "append_only" BEFORE UPDATE OR DELETE on ${s}."audit_log" for each ROW execute function ${s}."audit_log_append_only_fn"();`,
  ],
};
