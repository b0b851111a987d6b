/** Applies pending control-plane migrations. Usage: pnpm --filter @tenantry/api migrate (needs DATABASE_URL). */
import { createOrm, migrateControlPlane } from '../db/orm.js';
import { parseDatabaseEnv } from '../env.js';
import { orExit } from './env-or-exit.js';

const env = orExit(() => parseDatabaseEnv(process.env));
const orm = await createOrm({ databaseUrl: env.DATABASE_URL, poolMax: 2 });
try {
  const applied = await migrateControlPlane(orm);
  console.log(applied.length ? `Applied: ${applied.join(', ')}` : 'Control plane is up to date.');
} finally {
  await orm.close();
}
