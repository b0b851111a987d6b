/**
 * Runs background jobs (tenant provisioning) without serving HTTP, for deployments that keep workers apart
 * from the API (set WORKER_CONCURRENCY=0 on the API instances then). With S3_BUCKET (and the other S3_*
 * variables) set it also runs the jobs that remove tenant objects, such as the purge of deleted tenants.
 * Usage: pnpm --filter @tenantry/api worker   (needs DATABASE_URL; WORKER_CONCURRENCY jobs at once, default 4)
 */
import Fastify from 'fastify';
import { createOrm, migrateControlPlane } from '../db/orm.js';
import { migrateJobQueue, startWorker } from '../jobs/worker.js';
import { parseDatabaseEnv, parseStorageEnv } from '../env.js';
import { createS3Client } from '../services/s3.js';
import { orExit } from './env-or-exit.js';

const env = orExit(() => parseDatabaseEnv(process.env));
// Fastify's logger (pino), not listening: the same JSON lines as the API's.
const log = Fastify({ logger: { level: env.LOG_LEVEL } }).log;
const concurrency = Math.max(1, env.WORKER_CONCURRENCY);
const orm = await createOrm({ databaseUrl: env.DATABASE_URL, poolMax: concurrency + 1 });
await migrateControlPlane(orm);
await migrateJobQueue(env.DATABASE_URL, log);
const storageEnv = process.env.S3_BUCKET ? orExit(() => parseStorageEnv(process.env)) : undefined;
const storage = storageEnv && { s3: createS3Client(storageEnv), bucket: storageEnv.S3_BUCKET };
if (!storage) log.warn('S3_BUCKET is not set: this worker leaves tenant purges to one that has it');
const runner = await startWorker({ databaseUrl: env.DATABASE_URL, concurrency, orm, log, storage });
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
      .then(() => storage?.s3.destroy())
      .then(() => process.exit(0));
  });
}
await runner.promise;
