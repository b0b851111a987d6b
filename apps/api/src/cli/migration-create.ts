/**
 * Generates a control-plane migration from the difference between the entities and the database.
 * Usage: pnpm --filter @tenantry/api migration:create [name]   (needs DATABASE_URL)
 */
import { createOrm } from '../db/orm.js';
import { parseDatabaseEnv } from '../env.js';
import { orExit } from './env-or-exit.js';

const env = orExit(() => parseDatabaseEnv(process.env));
const orm = await createOrm({ databaseUrl: env.DATABASE_URL, poolMax: 2 });
try {
  const result = await orm.migrator.create(undefined, false, false, process.argv[2]);
  if (!result.fileName) {
    console.log('No changes: the entities match the database.');
  } else {
    console.log(`Created ${result.fileName}. Review it, then add it to src/db/migrations/control/index.ts.`);
  }
} finally {
  await orm.close();
}
