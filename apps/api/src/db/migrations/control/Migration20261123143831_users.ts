import { Migration } from '@mikro-orm/migrations';

export class Migration20261123143831_users extends Migration {
  override name = 'Migration20261123143831_users';

  override up(): void | Promise<void> {
    this.addSql(
      `create table "users" ("id" uuid not null, "cognito_sub" varchar(255) not null, "email" varchar(255) not null, "name" varchar(255) null, "current_tenant_id" uuid null, "created_at" timestamptz not null, "updated_at" timestamptz not null, primary key ("id"));`,
    );
    this.addSql(`alter table "users" add constraint "users_cognito_sub_unique" unique ("cognito_sub");`);
    this.addSql(`alter table "users" add constraint "users_email_unique" unique ("email");`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists "users" cascade;`);
  }
}
