import { Migration } from '@mikro-orm/migrations';

export class Migration20261123180144_invitations extends Migration {
  override name = 'Migration20261123180144_invitations';

  override up(): void | Promise<void> {
    this.addSql(
      `create table "invitations" ("id" uuid not null, "tenant_id" uuid not null, "email" varchar(255) not null, "role" text not null, "token_hash" varchar(64) not null, "invited_by" uuid null, "invited_by_email" varchar(255) null, "created_at" timestamptz not null, "expires_at" timestamptz not null, "last_sent_at" timestamptz not null, "accepted_at" timestamptz null, "accepted_by" uuid null, "revoked_at" timestamptz null, primary key ("id"));`,
    );
    this.addSql(`alter table "invitations" add constraint "invitations_token_hash_unique" unique ("token_hash");`);
    this.addSql(`create index "invitations_tenant_id_email_index" on "invitations" ("tenant_id", "email");`);
    this.addSql(`create index "invitations_email_index" on "invitations" ("email");`);

    this.addSql(
      `alter table "invitations" add constraint "invitations_tenant_id_foreign" foreign key ("tenant_id") references "tenants" ("id") on delete cascade;`,
    );
    this.addSql(
      `alter table "invitations" add constraint "invitations_role_check" check ("role" in ('owner', 'admin', 'member', 'viewer'));`,
    );
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists "invitations" cascade;`);
  }
}
