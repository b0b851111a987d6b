import { Migration } from '@mikro-orm/migrations';

export class Migration20261123192436_plans_usage extends Migration {
  override name = 'Migration20261123192436_plans_usage';

  override up(): void | Promise<void> {
    this.addSql(
      `create table "tenant_plan_changes" ("id" uuid not null, "tenant_id" uuid not null, "from_plan" text null, "to_plan" text not null, "overrides" jsonb null, "changed_by" uuid null, "changed_by_email" varchar(255) null, "by_superadmin" boolean not null default false, "changed_at" timestamptz not null, primary key ("id"));`,
    );
    this.addSql(
      `create index "tenant_plan_changes_tenant_id_changed_at_index" on "tenant_plan_changes" ("tenant_id", "changed_at");`,
    );

    this.addSql(
      `create table "usage_active_users" ("tenant_id" uuid not null, "day" date not null, "user_id" uuid not null, primary key ("tenant_id", "day", "user_id"));`,
    );

    this.addSql(
      `create table "usage_daily" ("tenant_id" uuid not null, "day" date not null, "api_requests" bigint not null default '0', "api_errors" bigint not null default '0', "active_users" int not null default 0, "storage_bytes" bigint not null default '0', "members" int not null default 0, "updated_at" timestamptz not null, primary key ("tenant_id", "day"));`,
    );
    this.addSql(`create index "usage_daily_day_index" on "usage_daily" ("day");`);

    this.addSql(`alter table "tenants" add "storage_bytes" bigint not null default '0';`);

    this.addSql(
      `alter table "tenant_plan_changes" add constraint "tenant_plan_changes_from_plan_check" check ("from_plan" in ('basic', 'premium', 'enterprise', 'custom'));`,
    );
    this.addSql(
      `alter table "tenant_plan_changes" add constraint "tenant_plan_changes_to_plan_check" check ("to_plan" in ('basic', 'premium', 'enterprise', 'custom'));`,
    );
    this.addSql(
      `create or replace function "tenant_plan_changes_append_only_fn"() returns trigger as $$ begin raise exception 'tenant_plan_changes is append-only'; end; $$ language plpgsql;`,
    );
    this.addSql(
      `create trigger "append_only" BEFORE UPDATE on "tenant_plan_changes" for each ROW execute function "tenant_plan_changes_append_only_fn"();`,
    );
    // Every existing tenant's history starts with the plan it has now.
    this.addSql(
      `insert into "tenant_plan_changes" ("id", "tenant_id", "from_plan", "to_plan", "overrides", "changed_by", "changed_at") select gen_random_uuid(), "id", null, "plan", "plan_overrides", "created_by", "created_at" from "tenants";`,
    );
  }

  override down(): void | Promise<void> {
    this.addSql(`drop trigger if exists "append_only" on "tenant_plan_changes";`);
    this.addSql(`drop function if exists "tenant_plan_changes_append_only_fn"();`);
    this.addSql(`drop table if exists "tenant_plan_changes" cascade;`);
    this.addSql(`drop table if exists "usage_active_users" cascade;`);
    this.addSql(`drop table if exists "usage_daily" cascade;`);

    this.addSql(`alter table "tenants" drop column "storage_bytes";`);
  }
}
