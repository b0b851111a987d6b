import { randomBytes } from 'node:crypto';
import pg from 'pg';
import type { Role } from '@tenantry/shared';
import { tenantSchemaName } from '../../src/db/tenant-schema.js';
import { stackEnv } from './stack-env.js';

/**
 * Direct SQL on the test database, outside the app: what tests read and write behind the API's back
 * (snapshots, memberships, statuses). Its statements never reach the app's ORM log.
 */
export interface Db {
  query<R extends pg.QueryResultRow = Record<string, unknown>>(text: string, params?: unknown[]): Promise<R[]>;
  close(): Promise<void>;
}

export async function connectDb(url = stackEnv().DATABASE_URL): Promise<Db> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  return {
    query: async <R extends pg.QueryResultRow>(text: string, params: unknown[] = []) =>
      (await client.query<R>(text, params)).rows,
    close: () => client.end(),
  };
}

/**
 * A database of its own on the test server, for files whose jobs must not be picked up by the other files'
 * workers (they all share the default database and its queue). `drop()` removes it.
 */
export async function isolatedDatabase(prefix = 'tenantry_iso'): Promise<{ url: string; drop: () => Promise<void> }> {
  const base = new URL(stackEnv().DATABASE_URL);
  const name = `${prefix}_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: base.toString() });
  await admin.connect();
  await admin.query(`create database "${name}"`);
  await admin.end();
  const url = new URL(base);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      const client = new pg.Client({ connectionString: base.toString() });
      await client.connect();
      await client.query(`drop database if exists "${name}" with (force)`);
      await client.end();
    },
  };
}

export async function userIdByEmail(db: Db, email: string): Promise<string> {
  const rows = await db.query<{ id: string }>('select id from users where email = $1', [email.toLowerCase()]);
  if (!rows[0]) throw new Error(`no user row for ${email}: call an authed procedure with their token first`);
  return rows[0].id;
}

/** Adds a membership behind the API's back (there are no invitations yet). */
export async function addMembership(db: Db, tenantId: string, userId: string, role: Role): Promise<void> {
  await db.query(
    `insert into memberships (id, tenant_id, user_id, role, joined_at) values (gen_random_uuid(), $1, $2, $3, now())`,
    [tenantId, userId, role],
  );
}

export async function setTenantStatus(db: Db, tenantId: string, status: string): Promise<void> {
  await db.query('update tenants set status = $1 where id = $2', [status, tenantId]);
}

/**
 * Everything a tenant owns, read with SQL: its control-plane row, its memberships, and every row of every
 * table in its schema (whatever tables migrations add later), in a stable order.
 */
export async function snapshotTenant(db: Db, tenantId: string): Promise<Record<string, unknown>> {
  const schema = tenantSchemaName(tenantId);
  const snapshot: Record<string, unknown> = {
    tenant: await db.query('select * from tenants where id = $1', [tenantId]),
    memberships: await db.query('select * from memberships where tenant_id = $1 order by id', [tenantId]),
  };
  const tables = await db.query<{ table_name: string }>(
    `select table_name from information_schema.tables where table_schema = $1 order by table_name`,
    [schema],
  );
  for (const { table_name: table } of tables) {
    // Identifiers from information_schema of a validated schema name; quoted.
    const rows = await db.query(`select * from "${schema}"."${table.replace(/"/g, '""')}"`);
    snapshot[table] = rows
      .map((r) => JSON.stringify(r))
      .sort()
      .map((r) => JSON.parse(r) as unknown);
  }
  return snapshot;
}
