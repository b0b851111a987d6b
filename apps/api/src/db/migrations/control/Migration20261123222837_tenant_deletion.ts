import { Migration } from '@mikro-orm/migrations';

export class Migration20261123222837_tenant_deletion extends Migration {
  override name = 'Migration20261123222837_tenant_deletion';

  override up(): void | Promise<void> {
    this.addSql(
      `alter table "tenants" add "deletion_requested_at" timestamptz null, add "deletion_requested_by" uuid null, add "purge_after" timestamptz null, add "deleted_at" timestamptz null, add "deletion_summary" jsonb null;`,
    );
    this.addSql(`create index "tenants_purge_after_index" on "tenants" ("purge_after");`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop index "tenants_purge_after_index";`);
    this.addSql(
      `alter table "tenants" drop column "deletion_requested_at", drop column "deletion_requested_by", drop column "purge_after", drop column "deleted_at", drop column "deletion_summary";`,
    );
  }
}
