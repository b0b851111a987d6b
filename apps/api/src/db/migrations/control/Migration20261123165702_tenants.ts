import { Migration } from '@mikro-orm/migrations';

export class Migration20261123165702_tenants extends Migration {
  override name = 'Migration20261123165702_tenants';

  override up(): void | Promise<void> {
    this.addSql(
      `create table "platform_audit" ("id" uuid not null, "superadmin_id" uuid not null, "superadmin_email" varchar(255) not null, "tenant_id" uuid not null, "procedure" varchar(255) not null, "request_id" varchar(255) null, "ip" varchar(255) null, "at" timestamptz not null, primary key ("id"));`,
    );
    this.addSql(`create index "platform_audit_superadmin_id_index" on "platform_audit" ("superadmin_id");`);
    this.addSql(`create index "platform_audit_tenant_id_at_index" on "platform_audit" ("tenant_id", "at");`);

    this.addSql(
      `create table "tenants" ("id" uuid not null, "slug" varchar(48) not null, "name" varchar(100) not null, "domain" varchar(253) null, "schema_name" varchar(34) not null, "plan" text not null default 'basic', "plan_overrides" jsonb null, "status" text not null default 'pending', "provision_step" text null, "preparation_error" text null, "preparation_attempts" int not null default 0, "preparation_started_at" timestamptz null, "preparation_completed_at" timestamptz null, "schema_version" int not null default 0, "created_by" uuid null, "created_at" timestamptz not null, "updated_at" timestamptz not null, primary key ("id"));`,
    );
    this.addSql(`alter table "tenants" add constraint "tenants_slug_unique" unique ("slug");`);
    this.addSql(`alter table "tenants" add constraint "tenants_domain_unique" unique ("domain");`);
    this.addSql(`alter table "tenants" add constraint "tenants_schema_name_unique" unique ("schema_name");`);
    this.addSql(`create index "tenants_status_index" on "tenants" ("status");`);
    this.addSql(`create index "tenants_created_by_index" on "tenants" ("created_by");`);

    this.addSql(
      `create table "memberships" ("id" uuid not null, "tenant_id" uuid not null, "user_id" uuid not null, "role" text not null, "joined_at" timestamptz not null, primary key ("id"));`,
    );
    this.addSql(`create index "memberships_user_id_index" on "memberships" ("user_id");`);
    this.addSql(
      `alter table "memberships" add constraint "memberships_tenant_id_user_id_unique" unique ("tenant_id", "user_id");`,
    );

    this.addSql(
      `create or replace function "platform_audit_append_only_fn"() returns trigger as $$ begin raise exception 'platform_audit is append-only'; end; $$ language plpgsql;`,
    );
    this.addSql(
      `create trigger "append_only" BEFORE UPDATE OR DELETE on "platform_audit" for each ROW execute function "platform_audit_append_only_fn"();`,
    );

    this.addSql(
      `alter table "tenants" add constraint "tenants_plan_check" check ("plan" in ('basic', 'premium', 'enterprise', 'custom'));`,
    );
    this.addSql(
      `alter table "tenants" add constraint "tenants_status_check" check ("status" in ('pending', 'preparing', 'ready', 'failed', 'suspended', 'deleting', 'deleted'));`,
    );
    this.addSql(
      `alter table "tenants" add constraint "tenants_provision_step_check" check ("provision_step" in ('create_schema', 'migrate', 'seed', 'finish'));`,
    );

    this.addSql(
      `alter table "memberships" add constraint "memberships_tenant_id_foreign" foreign key ("tenant_id") references "tenants" ("id") on delete cascade;`,
    );
    this.addSql(
      `alter table "memberships" add constraint "memberships_user_id_foreign" foreign key ("user_id") references "users" ("id") on delete cascade;`,
    );
    this.addSql(
      `alter table "memberships" add constraint "memberships_role_check" check ("role" in ('owner', 'admin', 'member', 'viewer'));`,
    );
  }

  override down(): void | Promise<void> {
    this.addSql(`alter table "memberships" drop constraint "memberships_tenant_id_foreign";`);

    this.addSql(`drop trigger if exists "append_only" on "platform_audit";`);
    this.addSql(`drop function if exists "platform_audit_append_only_fn"();`);
    this.addSql(`drop table if exists "platform_audit" cascade;`);
    this.addSql(`drop table if exists "tenants" cascade;`);
    this.addSql(`drop table if exists "memberships" cascade;`);
  }
}
