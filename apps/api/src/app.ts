import { randomUUID } from 'node:crypto';
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import { createOrm, migrateControlPlane } from './db/orm.js';
import { EnvError, type Env } from './env.js';
import { healthPlugin } from './plugins/health.js';
import { metricsPlugin } from './plugins/metrics.js';
import { restPlugin } from './plugins/rest.js';
import { trpcPlugin } from './plugins/trpc.js';
import { webPlugin } from './plugins/web.js';
import { createCognitoDirectory } from './services/cognito.js';
import { createAuthService } from './services/auth.js';
import { createBruteForceGuard } from './services/brute-force.js';
import { createCognitoAuth } from './services/cognito-auth.js';
import type { AppServices } from './services/index.js';
import { createS3Client } from './services/s3.js';
import { createAccessTokenVerifier } from './services/token-verifier.js';
import { createTenantEvents } from './services/tenant-events.js';
import { createDevMailer, createSesMailer } from './services/mailer.js';
import { createKeyring } from './services/keyring.js';
import { createMetrics } from './services/metrics.js';
import { createRateLimiter } from './services/rate-limits.js';
import { createUsageRecorder } from './services/usage.js';
import { migrateJobQueue, startWorker, type WorkerSettings } from './jobs/worker.js';
import type { Runner } from 'graphile-worker';

declare module 'fastify' {
  interface FastifyInstance {
    services: AppServices;
  }
}

export interface BuildOptions {
  /** Where log lines go (tests capture them); stdout by default. */
  logStream?: NodeJS.WritableStream;
  /** Apply pending control-plane migrations before serving (default true). */
  migrate?: boolean;
  /** Run background jobs in this process (default: when WORKER_CONCURRENCY > 0). */
  worker?: boolean;
  /**
   * Count tenant procedures against the rate limits and in usage (default true). Benchmarks turn it off
   * to measure what metering costs; a deployment never does (RATE_LIMITS=false still counts usage).
   */
  metering?: boolean;
  /** Test hook: runs after each provisioning step of this process's worker. */
  afterProvisionStep?: WorkerSettings['afterProvisionStep'];
}

const REQUEST_ID = /^[A-Za-z0-9._-]{1,128}$/;

/** Paths and fields that must never reach a log line. */
export const LOG_REDACTIONS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'headers.authorization',
  'headers.cookie',
  '*.password',
  '*.newPassword',
  '*.accessToken',
  '*.idToken',
  '*.refreshToken',
];

/** Human-readable lines in development, when pino-pretty is installed; JSON everywhere else. */
function prettyTransport(env: Env): { target: string; options: Record<string, unknown> } | undefined {
  const format = env.LOG_FORMAT ?? (env.NODE_ENV === 'development' ? 'pretty' : 'json');
  if (format !== 'pretty') return undefined;
  try {
    return {
      target: import.meta.resolve('pino-pretty'),
      options: { translateTime: 'HH:MM:ss.l', ignore: 'pid,hostname', singleLine: true },
    };
  } catch {
    return undefined; // a production install without development dependencies
  }
}

function loggerOptions(env: Env, stream?: NodeJS.WritableStream): FastifyServerOptions['logger'] {
  const transport = stream ? undefined : prettyTransport(env);
  return {
    ...(transport ? { transport } : {}),
    level: env.LOG_LEVEL,
    redact: { paths: LOG_REDACTIONS, censor: '[redacted]' },
    serializers: {
      // Path only: a query string may carry tRPC inputs.
      req: (req: { method: string; url: string; id: string }) => ({ method: req.method, path: req.url.split('?')[0] }),
    },
    ...(stream ? { stream } : {}),
  };
}

/** A hop count as the function Fastify applies for it (its types take booleans, addresses or a function). */
function trustProxyOption(
  value: boolean | number | string,
): boolean | string | ((address: string, hop: number) => boolean) {
  return typeof value === 'number' ? (_address, hop) => hop < value : value;
}

/** Builds the API without listening: tests call `app.inject()` or listen on port 0. */
export async function buildApp(env: Env, options: BuildOptions = {}): Promise<FastifyInstance> {
  // An ephemeral key would lose every secret at the next start: refuse instead (pnpm dev and the tests provide one).
  if (!env.MASTER_KEY) {
    throw new EnvError(['MASTER_KEY is required: tenant secrets are encrypted under it (openssl rand -base64 32)']);
  }
  const keyring = createKeyring(env.MASTER_KEY, env.MASTER_KEYS_PREVIOUS);
  const app = Fastify({
    logger: loggerOptions(env, options.logStream),
    // Accept a caller's request id (a load balancer's) when it is sane; otherwise make one.
    genReqId: (req) => {
      const incoming = req.headers['x-request-id'];
      return typeof incoming === 'string' && REQUEST_ID.test(incoming) ? incoming : randomUUID();
    },
    trustProxy: trustProxyOption(env.TRUST_PROXY),
    bodyLimit: 1024 * 1024,
    // A tRPC batch names its procedures in one path segment ("a.b,c.d,…"): the default 100 answers 414.
    routerOptions: { maxParamLength: 5000 },
  });

  const orm = await createOrm({
    databaseUrl: env.DATABASE_URL,
    poolMax: env.DATABASE_POOL_MAX,
    log: (message) => app.log.info({ component: 'orm' }, message),
  });
  const cognitoAuth =
    env.COGNITO_SERVER_CLIENT_ID && env.COGNITO_SERVER_CLIENT_SECRET
      ? createCognitoAuth({
          region: env.COGNITO_REGION,
          endpoint: env.COGNITO_ENDPOINT,
          clientId: env.COGNITO_SERVER_CLIENT_ID,
          clientSecret: env.COGNITO_SERVER_CLIENT_SECRET,
        })
      : undefined;
  const bruteForce = createBruteForceGuard(env, app.log.child({ component: 'rate-limit' }));
  const metrics = createMetrics();
  const services: AppServices = {
    env,
    orm,
    verifier: createAccessTokenVerifier({
      issuer: env.cognitoIssuer,
      jwksUri: env.cognitoJwksUri,
      clientIds: env.cognitoClientIds,
    }),
    cognito: createCognitoDirectory({ region: env.COGNITO_REGION, endpoint: env.COGNITO_ENDPOINT }),
    s3: createS3Client(env),
    cognitoAuth,
    bruteForce,
    keyring,
    auth: createAuthService(cognitoAuth, bruteForce),
    tenantEvents: createTenantEvents(env.DATABASE_URL, app.log.child({ component: 'tenant-events' })),
    mailer: env.SES_FROM
      ? createSesMailer(
          { from: env.SES_FROM, region: env.SES_REGION ?? env.S3_REGION, endpoint: env.SES_ENDPOINT },
          app.log.child({ component: 'mail' }),
        )
      : createDevMailer(app.log.child({ component: 'mail' })),
    metrics,
    metering: options.metering ?? true,
    rateLimiter: createRateLimiter(env, app.log.child({ component: 'rate-limit' })),
    usage: createUsageRecorder({
      orm,
      flushSeconds: env.USAGE_FLUSH_SECONDS,
      metrics,
      log: app.log.child({ component: 'usage' }),
    }),
  };
  app.decorate('services', services);
  let worker: Runner | undefined;
  app.addHook('onClose', async () => {
    await worker?.stop();
    await services.tenantEvents.close();
    // Before the pool closes: the counts of the last requests are written now.
    await services.usage.close();
    await orm.close();
    services.cognito.destroy();
    services.s3.destroy();
    services.mailer.close();
    services.cognitoAuth?.destroy();
    await services.bruteForce.close();
    await services.rateLimiter.close();
  });

  if (options.migrate ?? true) {
    const applied = await migrateControlPlane(orm);
    if (applied.length) app.log.info({ applied }, 'control-plane migrations applied');
    await migrateJobQueue(env.DATABASE_URL, app.log.child({ component: 'worker' }));
  }
  if (options.worker ?? env.WORKER_CONCURRENCY > 0) {
    worker = await startWorker({
      databaseUrl: env.DATABASE_URL,
      concurrency: Math.max(1, env.WORKER_CONCURRENCY),
      orm,
      log: app.log,
      afterProvisionStep: options.afterProvisionStep,
      metrics: services.metrics,
      storage: { s3: services.s3, bucket: env.S3_BUCKET },
    });
  }

  app.addHook('onRequest', async (req, reply) => {
    reply.header('x-request-id', req.id);
  });

  await app.register(webPlugin, { env });
  await app.register(healthPlugin, { services });
  await app.register(trpcPlugin, { services });
  await app.register(restPlugin, { services });
  await app.register(metricsPlugin, { services });

  // Fetch the signing keys early; a failure is reported by /health/ready, not fatal at start.
  app.addHook('onReady', async () => {
    services.verifier.hydrate().catch((err: unknown) => {
      app.log.warn({ err }, 'could not fetch the Cognito JWKS yet');
    });
  });

  return app;
}
