import { Migration } from '@mikro-orm/migrations';

export class Migration20261123224500_tenant_migrations extends Migration {
  override name = 'Migration20261123224500_tenant_migrations';

  override up(): void | Promise<void> {
    this.addSql(
      `create table "tenant_migration_failures" ("tenant_id" uuid not null, "target_version" int not null, "error" text not null, "failed_at" timestamptz not null, primary key ("tenant_id"));`,
    );

    this.addSql(
      `create table "tenant_migration_log" ("tenant_id" uuid not null, "version" int not null, "name" varchar(255) not null, "applied_at" timestamptz not null, primary key ("tenant_id", "version"));`,
    );
    // Tenants migrated before this table existed: their versions so far, named after the migrations then known.
    this.addSql(
      `insert into "tenant_migration_log" ("tenant_id", "version", "name", "applied_at") select t."id", v, 'before tenant_migration_log', t."updated_at" from "tenants" t cross join lateral generate_series(1, t."schema_version") v;`,
    );
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists "tenant_migration_failures" cascade;`);
    this.addSql(`drop table if exists "tenant_migration_log" cascade;`);
  }
}
