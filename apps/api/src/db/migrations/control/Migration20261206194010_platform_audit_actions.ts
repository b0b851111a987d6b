import { Migration } from '@mikro-orm/migrations';

export class Migration20261206194010_platform_audit_actions extends Migration {
  override name = 'Migration20261206194010_platform_audit_actions';

  override up(): void | Promise<void> {
    this.addSql(`alter table "platform_audit" add "details" jsonb null;`);
    this.addSql(`alter table "platform_audit" alter column "superadmin_id" drop not null;`);
    this.addSql(`alter table "platform_audit" alter column "superadmin_email" drop not null;`);
    this.addSql(`alter table "platform_audit" alter column "tenant_id" drop not null;`);
    this.addSql(
      `alter table "platform_audit" add constraint "platform_audit_superadmin_check" check ((superadmin_id is null) = (superadmin_email is null));`,
    );
  }

  override down(): void | Promise<void> {
    // Fails once a job's or a platform-wide row exists: the table is append-only, so they cannot be removed.
    this.addSql(`alter table "platform_audit" drop constraint "platform_audit_superadmin_check";`);
    this.addSql(`alter table "platform_audit" drop column "details";`);
    this.addSql(`alter table "platform_audit" alter column "superadmin_id" set not null;`);
    this.addSql(`alter table "platform_audit" alter column "superadmin_email" set not null;`);
    this.addSql(`alter table "platform_audit" alter column "tenant_id" set not null;`);
  }
}
