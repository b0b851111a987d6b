/**
 * Runs background jobs (tenant provisioning) without serving HTTP, for deployments that keep workers apart
 * from the API (set WORKER_CONCURRENCY=0 on the API instances then).
 * Usage: pnpm --filter @tenantry/api worker   (needs DATABASE_URL; WORKER_CONCURRENCY jobs at once, default 4)
 */
import Fastify from 'fastify';
import { createOrm, migrateControlPlane } from '../db/orm.js';
import { migrateJobQueue, startWorker } from '../jobs/worker.js';
import { parseDatabaseEnv } from '../env.js';
import { orExit } from './env-or-exit.js';

const env = orExit(() => parseDatabaseEnv(process.env));
// Fastify's logger (pino), not listening: the same JSON lines as the API's.
const log = Fastify({ logger: { level: env.LOG_LEVEL } }).log;
const concurrency = Math.max(1, env.WORKER_CONCURRENCY);
const orm = await createOrm({ databaseUrl: env.DATABASE_URL, poolMax: concurrency + 1 });
await migrateControlPlane(orm);
await migrateJobQueue(env.DATABASE_URL, log);
const runner = await startWorker({ databaseUrl: env.DATABASE_URL, concurrency, orm, log });
log.info({ concurrency }, 'worker started');

let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (stopping) process.exit(1); // a second signal: stop waiting for running jobs
    stopping = true;
    log.info({ signal }, 'stopping: running jobs finish first');
    void runner
      .stop()
      .then(() => orm.close())
      .then(() => process.exit(0));
  });
}
await runner.promise;
