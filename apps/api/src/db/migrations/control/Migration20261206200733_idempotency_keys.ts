import { Migration } from '@mikro-orm/migrations';

export class Migration20261206200733_idempotency_keys extends Migration {
  override name = 'Migration20261206200733_idempotency_keys';

  override up(): void | Promise<void> {
    this.addSql(
      `create table "idempotency_keys" ("scope" varchar(320) not null, "key" varchar(255) not null, "method" varchar(10) not null, "path" text not null, "request_hash" varchar(64) not null, "status" text not null default 'in_progress', "response_status" int null, "response_body" text null, "response_headers" jsonb null, "created_at" timestamptz not null, "expires_at" timestamptz not null, primary key ("scope", "key"));`,
    );
    this.addSql(`create index "idempotency_keys_expires_at_index" on "idempotency_keys" ("expires_at");`);

    this.addSql(
      `alter table "idempotency_keys" add constraint "idempotency_keys_status_check" check ("status" in ('in_progress', 'done'));`,
    );
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists "idempotency_keys" cascade;`);
  }
}
