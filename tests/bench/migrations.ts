/**
 * `migrate_1000_tenants_s`: one added column applied to 1,000 tenant schemas by the tenant migration
 * orchestrator (services/tenant-migrations.ts) at its default concurrency, in a scratch database; the
 * projected time for 10,000; and a baseline measured in the same run: the same kind of DDL applied to the
 * same schemas by one plain loop of statements on one connection, without the orchestrator.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { createOrm, migrateControlPlane } from '../../apps/api/src/db/orm.js';
import { tenantMigrations, type TenantMigration } from '../../apps/api/src/db/migrations/tenant/index.js';
import { quotedSchema, tenantSchemaName } from '../../apps/api/src/db/tenant-schema.js';
import { migrateAllTenants } from '../../apps/api/src/services/tenant-migrations.js';
import { pg } from './deps.js';
import { report } from './load.js';

const TENANTS = Number(process.env.BENCH_MIGRATE_TENANTS ?? 1000);
const PROJECTED = 10_000;
/** Tenants whose schemas are created per query in the fast set-up (many statements in one round trip). */
const SETUP_BATCH = 25;

const seconds = (ms: number) => ms / 1000;

export async function benchTenantMigrations(databaseUrl: string): Promise<void> {
  const base = new URL(databaseUrl);
  const name = `tenantry_bench_migrate_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: base.toString() });
  await admin.connect();
  await admin.query(`create database "${name}"`);
  const url = new URL(base);
  url.pathname = `/${name}`;
  const orm = await createOrm({ databaseUrl: url.toString(), poolMax: 6, log: () => undefined });
  const pool = new pg.Pool({ connectionString: url.toString(), max: 4 });
  try {
    await migrateControlPlane(orm);

    // Set-up, the fast path: the tenant rows in one statement, then the current tenant migrations applied to
    // SETUP_BATCH schemas per round trip on 4 connections, versions and log rows written in bulk.
    const setupStart = performance.now();
    const ids = Array.from({ length: TENANTS }, () => randomUUID());
    await pool.query(
      `insert into tenants (id, slug, name, schema_name, status, schema_version, created_at, updated_at)
       select id, 'bench-' || n, 'Bench tenant ' || n, schema_name, 'ready', 0, now(), now()
         from unnest($1::uuid[], $2::text[]) with ordinality as s(id, schema_name, n)`,
      [ids, ids.map((id) => tenantSchemaName(id))],
    );
    const batches: string[][] = [];
    for (let i = 0; i < ids.length; i += SETUP_BATCH) batches.push(ids.slice(i, i + SETUP_BATCH));
    const queue = [...batches];
    await Promise.all(
      Array.from({ length: 4 }, async () => {
        for (let batch = queue.shift(); batch; batch = queue.shift()) {
          const sql = batch.flatMap((id) => {
            const schema = quotedSchema(tenantSchemaName(id));
            return [`create schema ${schema}`, ...tenantMigrations.flatMap((m) => m.up(schema))];
          });
          await pool.query(`begin; ${sql.map((s) => s.replace(/;\s*$/, '')).join(';\n')}; commit;`);
        }
      }),
    );
    await pool.query(`update tenants set schema_version = $1`, [tenantMigrations.length]);
    await pool.query(
      `insert into tenant_migration_log (tenant_id, version, name, applied_at)
       select t.id, v, 'bench set-up', now() from tenants t cross join generate_series(1, $1) v`,
      [tenantMigrations.length],
    );
    console.log(
      `# migrations: ${TENANTS} tenant schemas at version ${tenantMigrations.length} created in ` +
        `${seconds(performance.now() - setupStart).toFixed(1)} s (bulk set-up, not timed below)`,
    );

    // The figure: one added column, through the orchestrator at its default concurrency.
    const added: TenantMigration = {
      name: 'bench_add_column',
      up: (s) => [`alter table ${s}."projects" add column "bench_note" text`],
    };
    const result = await migrateAllTenants({ orm, migrations: [...tenantMigrations, added] });
    if (result.migrated !== TENANTS || result.failed.length) {
      throw new Error(`orchestrator migrated ${result.migrated}, failed ${result.failed.length}`);
    }
    report(`migrate_${TENANTS}_tenants_s`, result.seconds, 's');
    report(`migrate_${PROJECTED}_tenants_projected_s`, (result.seconds * PROJECTED) / TENANTS, 's');
    report(`migrate_${TENANTS}_tenants.per_tenant_ms`, (result.seconds * 1000) / TENANTS, 'ms');

    // Baseline: the same DDL (another column) on the same schemas, one statement after another on one
    // connection, each its own implicit transaction; no locking, version or log.
    const client = await pool.connect();
    try {
      const start = performance.now();
      for (const id of ids) {
        await client.query(
          `alter table ${quotedSchema(tenantSchemaName(id))}."projects" add column "bench_note_2" text`,
        );
      }
      const baselineS = seconds(performance.now() - start);
      report(`baseline.plain_loop_${TENANTS}_tenants_s`, baselineS, 's');
      report(`migrate_${TENANTS}_tenants.vs_baseline`, result.seconds / baselineS, 'ratio');
    } finally {
      client.release();
    }
  } finally {
    await pool.end();
    await orm.close();
    await admin.query(`drop database if exists "${name}" with (force)`);
    await admin.end();
  }
}
