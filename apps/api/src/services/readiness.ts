import { HeadBucketCommand } from '@aws-sdk/client-s3';
import type { AppServices } from './index.js';

export type Dependency = 'postgres' | 'cognito' | 's3';

export interface DependencyStatus {
  status: 'up' | 'down';
  latencyMs: number;
  error?: string;
}

export interface Readiness {
  status: 'ready' | 'not_ready';
  /** The dependencies that are down, by name. */
  failing: Dependency[];
  checks: Record<Dependency, DependencyStatus>;
}

const CHECK_TIMEOUT_MS = 2000;

async function timed(check: (signal: AbortSignal) => Promise<unknown>): Promise<DependencyStatus> {
  const started = performance.now();
  const signal = AbortSignal.timeout(CHECK_TIMEOUT_MS);
  try {
    await Promise.race([
      check(signal),
      new Promise((_, reject) =>
        signal.addEventListener('abort', () => reject(new Error(`no answer within ${CHECK_TIMEOUT_MS} ms`))),
      ),
    ]);
    return { status: 'up', latencyMs: Math.round(performance.now() - started) };
  } catch (err) {
    return {
      status: 'down',
      latencyMs: Math.round(performance.now() - started),
      error: err instanceof Error ? err.message || err.name : String(err),
    };
  }
}

/** Checks every dependency a request may need, in parallel, each within a time limit. */
export async function checkReadiness(services: AppServices): Promise<Readiness> {
  const { orm, env, s3 } = services;
  const [postgres, cognito, s3Status] = await Promise.all([
    timed(() => orm.em.getConnection().execute('select 1')),
    timed(async (signal) => {
      const res = await fetch(env.cognitoJwksUri, { signal });
      if (!res.ok) throw new Error(`JWKS answered HTTP ${res.status}`);
      const body = (await res.json()) as { keys?: unknown };
      if (!Array.isArray(body.keys) || body.keys.length === 0) throw new Error('JWKS has no keys');
    }),
    timed((signal) => s3.send(new HeadBucketCommand({ Bucket: env.S3_BUCKET }), { abortSignal: signal })),
  ]);
  const checks = { postgres, cognito, s3: s3Status };
  const failing = (Object.keys(checks) as Dependency[]).filter((k) => checks[k].status === 'down');
  return { status: failing.length ? 'not_ready' : 'ready', failing, checks };
}
