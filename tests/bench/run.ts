/**
 * `pnpm bench`: request-path figures against a baseline measured in the same run, on loopback,
 * each load bounded in time. Uses the configured services, or a fresh local stack.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  AuthFlowType,
  CognitoIdentityProviderClient,
  InitiateAuthCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import Fastify from 'fastify';
import { buildApp } from '../../apps/api/src/app.js';
import { parseEnv } from '../../apps/api/src/env.js';
import { startLocalStack } from '../../apps/api/src/local-stack/index.js';
import { load, report } from './load.js';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 16);

const dataDir = await mkdtemp(join(tmpdir(), 'tenantry-bench-'));
const stack = await startLocalStack({ dataDir, env: process.env });
const owner = stack.demoUsers.find((u) => u.role === 'owner');
const env = parseEnv({ ...process.env, ...stack.env, NODE_ENV: 'test', LOG_LEVEL: 'warn', LOG_FORMAT: 'json' });
const app = await buildApp(env);
const baseline = Fastify();
baseline.get('/hello', async () => ({ ok: true }));

try {
  if (!owner) throw new Error('pnpm bench needs the local Cognito emulator for its demo user (leave COGNITO_* unset)');
  const apiUrl = await app.listen({ host: '127.0.0.1', port: 0 });
  const baselineUrl = await baseline.listen({ host: '127.0.0.1', port: 0 });
  const cognito = new CognitoIdentityProviderClient({ region: env.COGNITO_REGION, endpoint: env.COGNITO_ENDPOINT });
  const auth = await cognito.send(
    new InitiateAuthCommand({
      ClientId: env.COGNITO_SPA_CLIENT_ID,
      AuthFlow: AuthFlowType.USER_PASSWORD_AUTH,
      AuthParameters: { USERNAME: owner.email, PASSWORD: owner.password },
    }),
  );
  cognito.destroy();
  const authorization = `Bearer ${auth.AuthenticationResult?.AccessToken ?? ''}`;
  const opts = { connections: CONNECTIONS, seconds: SECONDS };

  // Warm-up: JIT, the JWKS cache and the user row.
  await load({ ...opts, seconds: 2, url: `${apiUrl}/trpc/auth.me`, headers: { authorization } });

  const hello = await load({ ...opts, url: `${baselineUrl}/hello` });
  const live = await load({ ...opts, url: `${apiUrl}/health/live` });
  const me = await load({ ...opts, url: `${apiUrl}/trpc/auth.me`, headers: { authorization } });
  for (const [name, r] of [
    ['baseline', hello],
    ['live', live],
    ['auth.me', me],
  ] as const) {
    if (r.non2xx || r.errors) throw new Error(`${name}: ${r.non2xx} non-2xx answers, ${r.errors} errors`);
  }

  report('baseline.fastify_hello', hello.requestsPerSecond, 'req/s');
  report('api.health_live', live.requestsPerSecond, 'req/s');
  report('api.health_live.vs_baseline', live.requestsPerSecond / hello.requestsPerSecond, 'ratio');
  report('api.auth_me', me.requestsPerSecond, 'req/s');
  report('api.auth_me.p50', me.latencyP50Ms, 'ms');
  report('api.auth_me.p99', me.latencyP99Ms, 'ms');
  report('api.auth_me.vs_baseline', me.requestsPerSecond / hello.requestsPerSecond, 'ratio');
} finally {
  await Promise.allSettled([app.close(), baseline.close()]);
  await stack.stop();
  await rm(dataDir, { recursive: true, force: true });
}
