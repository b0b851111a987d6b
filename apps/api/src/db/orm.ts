import { MikroORM, type Options } from '@mikro-orm/postgresql';
import { Migrator } from '@mikro-orm/migrations';
import { controlPlaneEntities } from './control/index.js';
import { tenantEntities } from './tenant/index.js';
import { controlPlaneMigrations } from './migrations/control/index.js';

export type Orm = MikroORM;

export interface OrmSettings {
  databaseUrl: string;
  poolMax: number;
  debug?: boolean;
  /** Where the ORM's own messages (migrations applied) go; the console by default. */
  log?: (message: string) => void;
}

/** Any number of API instances may start at once; only one applies migrations at a time. */
const MIGRATION_LOCK_KEY = 0x7e4a_0001;

export function ormConfig(settings: OrmSettings): Options {
  return {
    clientUrl: settings.databaseUrl,
    entities: [...controlPlaneEntities, ...tenantEntities],
    extensions: [Migrator],
    pool: { min: 0, max: settings.poolMax },
    debug: settings.debug ?? false,
    ...(settings.log ? { logger: settings.log, colors: false } : {}),
    // Entities are declared with defineEntity; no reflection or discovery from files.
    discovery: { warnWhenNoEntities: true },
    migrations: {
      tableName: 'mikro_orm_migrations',
      migrationsList: controlPlaneMigrations,
      path: 'src/db/migrations/control',
      pathTs: 'src/db/migrations/control',
      transactional: true,
      allOrNothing: true,
      snapshot: false,
      emit: 'ts',
    },
  };
}

export async function createOrm(settings: OrmSettings): Promise<Orm> {
  return MikroORM.init(ormConfig(settings));
}

/** Applies pending control-plane migrations under an advisory lock; returns the names applied. */
export async function migrateControlPlane(orm: Orm): Promise<string[]> {
  // A transaction-scoped lock: released when this transaction ends, on whichever pooled connection held it.
  return orm.em.fork().transactional(async (em) => {
    await em.execute('select pg_advisory_xact_lock(?)', [MIGRATION_LOCK_KEY]);
    const applied = await orm.migrator.up();
    return applied.map((m) => m.name);
  });
}
