/**
 * Applies pending tenant migrations to every existing tenant schema, a few tenants at a time; each tenant
 * is migrated in one transaction, so a run stopped anywhere is resumed by running it again.
 * Usage: pnpm --filter @tenantry/api tenants:migrate   (needs DATABASE_URL)
 */
import { createOrm } from '../db/orm.js';
import { LATEST_TENANT_SCHEMA_VERSION } from '../db/migrations/tenant/index.js';
import { parseDatabaseEnv } from '../env.js';
import { migrateTenantSchema } from '../services/tenant-migrator.js';
import { orExit } from './env-or-exit.js';

const CONCURRENCY = 4;
const env = orExit(() => parseDatabaseEnv(process.env));
const orm = await createOrm({ databaseUrl: env.DATABASE_URL, poolMax: CONCURRENCY + 1 });
try {
  const lagging = await orm.em.fork().execute<{ id: string; slug: string; schema_version: number }[]>(
    `select id, slug, schema_version from tenants
        where status in ('ready', 'suspended') and schema_version < ? order by created_at`,
    [LATEST_TENANT_SCHEMA_VERSION],
  );
  console.log(`${lagging.length} tenant(s) behind version ${LATEST_TENANT_SCHEMA_VERSION}.`);
  const failures: string[] = [];
  const queue = [...lagging];
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      for (let t = queue.shift(); t; t = queue.shift()) {
        try {
          const result = await migrateTenantSchema(orm.em.fork(), t.id);
          console.log(`${t.slug}: ${t.schema_version} → ${result.schemaVersion}`);
        } catch (err) {
          failures.push(t.slug);
          console.error(
            `${t.slug}: failed, left at ${t.schema_version}: ${err instanceof Error ? err.message : String(err)}`,
          );
        }
      }
    }),
  );
  if (failures.length) {
    console.error(`${failures.length} tenant(s) failed; run again once fixed.`);
    process.exitCode = 1;
  }
} finally {
  await orm.close();
}
