/**
 * Applies pending tenant migrations to every tenant schema, a few tenants at a time (services/tenant-migrations.ts);
 * each tenant is migrated in one transaction, so a run stopped anywhere is resumed by running it again.
 * Usage: pnpm --filter @tenantry/api migrate:tenants [--concurrency N]   (needs DATABASE_URL)
 * Exits 1 when any tenant failed; the failures are listed and kept for the superadmin console.
 */
import { parseArgs } from 'node:util';
import { createOrm } from '../db/orm.js';
import { tenantMigrations, type TenantMigration } from '../db/migrations/tenant/index.js';
import { parseDatabaseEnv } from '../env.js';
import { migrateAllTenants } from '../services/tenant-migrations.js';
import { orExit } from './env-or-exit.js';

const { values } = parseArgs({
  options: { concurrency: { type: 'string', short: 'c', default: '4' } },
  strict: true,
});
const concurrency = Number(values.concurrency);
if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 64) {
  console.error('--concurrency must be a whole number from 1 to 64');
  process.exit(1);
}
const env = orExit(() => parseDatabaseEnv(process.env));

/**
 * Test hook, honoured only with NODE_ENV=test: TENANTRY_TEST_EXTRA_MIGRATION is a JSON array of SQL
 * statements (`{schema}` stands for the quoted tenant schema) applied as one more migration after the real
 * ones, so a test can make a run slow or failing without a migration of its own in the product.
 */
function testExtraMigration(source: Record<string, string | undefined>): TenantMigration[] {
  const raw = source.TENANTRY_TEST_EXTRA_MIGRATION;
  if (!raw || source.NODE_ENV !== 'test') return [];
  const statements = JSON.parse(raw) as unknown;
  if (!Array.isArray(statements) || !statements.every((s): s is string => typeof s === 'string')) {
    throw new Error('TENANTRY_TEST_EXTRA_MIGRATION must be a JSON array of SQL strings');
  }
  return [{ name: 'test_extra_migration', up: (schema) => statements.map((s) => s.replaceAll('{schema}', schema)) }];
}

const migrations = [...tenantMigrations, ...testExtraMigration(process.env)];
const orm = await createOrm({ databaseUrl: env.DATABASE_URL, poolMax: concurrency + 1 });
try {
  const report = await migrateAllTenants({
    orm,
    concurrency,
    migrations,
    log: (line) => console.log(line),
    onProgress: (p) => {
      if (p.done % 50 === 0 || p.done === p.total) console.log(`progress: ${p.done}/${p.total}`);
    },
  });
  if (report.failed.length) {
    console.error(`${report.failed.length} tenant(s) failed; fix the cause and run again:`);
    for (const f of report.failed) console.error(`  ${f.tenant.slug} (${f.tenant.id}): ${f.error}`);
    process.exitCode = 1;
  }
} finally {
  await orm.close();
}
