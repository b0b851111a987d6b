/**
 * `pnpm bench`: request-path figures against baselines measured in the same run, on loopback, each load
 * bounded in time; tenant provisioning timed create → ready; the tenant read at 10 and at 1,000 tenant
 * schemas. Uses the configured services, or a fresh local stack.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  AdminCreateUserCommand,
  AdminSetUserPasswordCommand,
  AuthFlowType,
  CognitoIdentityProviderClient,
  InitiateAuthCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import Fastify from 'fastify';
import { createTenantryClient } from '@tenantry/client';
import { buildApp } from '../../apps/api/src/app.js';
import { parseEnv } from '../../apps/api/src/env.js';
import { startLocalStack } from '../../apps/api/src/local-stack/index.js';
import { appRouter } from '../../apps/api/src/router/root.js';
import { createCallerFactory } from '../../apps/api/src/trpc.js';
import { demoPassword, localCognitoClient } from '../../apps/api/src/local-stack/cognito-provision.js';
import { pg, trpcFastify, trpcServer } from './deps.js';
import { load, report, type LoadResult } from './load.js';
import { profile } from './profile.js';
import { benchTenantMigrations } from './migrations.js';
import { percentile, provisionTenants, sequentialLatency, SettledWatcher } from './tenants.js';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 4);
/** Every request-rate figure is the mean of this many rounds, interleaved with the other figures'. */
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 2);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 16);
/** Tenants timed create → ready, and the tenant counts the read is measured at. */
const PROVISION_COUNT = Number(process.env.BENCH_PROVISION_COUNT ?? 200);
const PROVISION_CLIENTS = Number(process.env.BENCH_PROVISION_CLIENTS ?? 8);
const FEW_TENANTS = 10;
const MANY_TENANTS = Number(process.env.BENCH_MANY_TENANTS ?? 1000);
const LATENCY_REQUESTS = 400;
/** Rounds of the read with metering on and off, for rate_limit_overhead (each BENCH_SECONDS long). */
const OVERHEAD_ROUNDS = Number(process.env.BENCH_OVERHEAD_ROUNDS ?? 8);
/** Background-job concurrency of the bench's API (the API's default is 4). */
const WORKER_CONCURRENCY = process.env.BENCH_WORKER_CONCURRENCY ?? '8';
/** Set to 0 to skip the CPU profile of projects.get under load. */
const PROFILE = process.env.BENCH_PROFILE !== '0';
/** Which of the request targets below is profiled (default: projects.get through the API). */
const PROFILE_TARGET = (process.env.BENCH_PROFILE_TARGET ?? 'get') as 'get';

const runStarted = performance.now();
const loadAverage = () =>
  loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');
console.log(`# ${new Date().toISOString()}, load average at start: ${loadAverage()}`);
const dataDir = await mkdtemp(join(tmpdir(), 'tenantry-bench-'));
const stack = await startLocalStack({ dataDir, env: process.env });
// BENCH_ONLY=migrations: only migrate_1000_tenants_s (it needs nothing but PostgreSQL).
if (process.env.BENCH_ONLY === 'migrations') {
  try {
    await benchTenantMigrations({ ...process.env, ...stack.env }.DATABASE_URL ?? '');
    console.log(`# load average at the end: ${loadAverage()}`);
  } finally {
    await stack.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
  process.exit(0);
}
const owner = stack.demoUsers.find((u) => u.role === 'owner');
const env = parseEnv({
  ...process.env,
  ...stack.env,
  NODE_ENV: 'test',
  LOG_LEVEL: 'warn',
  LOG_FORMAT: 'json',
  // Provisioning is timed for many tenants per user; the per-user limit (default 3) would refuse them.
  TENANT_CREATE_MAX_IN_FLIGHT: '1000',
  WORKER_CONCURRENCY,
  // The loads below send thousands of calls a second from one user to one tenant: the burst limits stay
  // on (they are counted, which is what rate_limit_overhead measures) but never refuse.
  RATE_LIMIT_TENANT_PER_SECOND: '1000000',
  RATE_LIMIT_USER_PER_SECOND: '1000000',
  RATE_LIMIT_IP_PER_SECOND: '1000000',
});
/** Each provisioning step's commit time (the API's test hook), to split a job's time by step. */
const stepLog: { step: string; at: number }[] = [];
let logSteps = false;
const app = await buildApp(env, {
  afterProvisionStep: (step) => {
    if (logSteps) stepLog.push({ step, at: performance.timeOrigin + performance.now() });
  },
});
// The same API with neither rate limits nor usage counting: rate_limit_overhead's baseline.
const unmetered = await buildApp(
  { ...env, RATE_LIMITS: false },
  { metering: false, migrate: false, worker: false, logStream: process.stderr },
);
const pool = new pg.Pool({ connectionString: env.DATABASE_URL, max: env.DATABASE_POOL_MAX });
const probePool = new pg.Pool({ connectionString: env.DATABASE_URL, max: 2 });
const watcher = new SettledWatcher(probePool);

// Baselines, each on a Fastify of its own: a bare route, the tRPC adapter with a no-op procedure, and a
// route doing the tenant read with `pg` directly.
const baseline = Fastify();
baseline.get('/hello', async () => ({ ok: true }));
const t = trpcServer.initTRPC.create();
const noopRouter = t.router({ noop: t.procedure.query(() => ({ ok: true })) });
const trpcBaseline = Fastify({ routerOptions: { maxParamLength: 5000 } });
await trpcBaseline.register(trpcFastify.fastifyTRPCPlugin, { prefix: '/trpc', trpcOptions: { router: noopRouter } });
let rawSchema = '';
const rawBaseline = Fastify();
rawBaseline.get<{ Params: { id: string } }>('/projects/:id', async (req, reply) => {
  const { rows } = await pool.query(`select * from "${rawSchema}"."projects" where id = $1`, [req.params.id]);
  if (!rows[0]) return reply.code(404).send({ error: 'not found' });
  return rows[0] as Record<string, unknown>;
});

// What the chain's four reads cost with nothing around them: user by token subject, tenant, membership,
// then the project (the queries auth + tenantProcedure + projects.get make), on the same pool.
let chainSub = '';
let chainTenant = '';
const chainBaseline = Fastify();
chainBaseline.get<{ Params: { id: string } }>('/projects/:id', async (req, reply) => {
  const user = await pool.query<{ id: string }>('select * from users where cognito_sub = $1', [chainSub]);
  const tenantRow = await pool.query('select * from tenants where id = $1', [chainTenant]);
  const member = await pool.query('select role from memberships where tenant_id = $1 and user_id = $2', [
    chainTenant,
    user.rows[0]?.id,
  ]);
  const { rows } = await pool.query(`select * from "${rawSchema}"."projects" where id = $1`, [req.params.id]);
  if (!tenantRow.rows[0] || !member.rows[0] || !rows[0]) return reply.code(404).send({ error: 'not found' });
  return rows[0] as Record<string, unknown>;
});
// The API's own procedure and middlewares, called from a plain Fastify route (no fetch-adapter layer).
const createCaller = createCallerFactory(appRouter);
const callerBaseline = Fastify();
callerBaseline.get<{ Params: { id: string } }>('/projects/:id', async (req, reply) =>
  createCaller({ req, res: reply, log: req.log, services: app.services, connectionParams: null }).projects.get({
    id: req.params.id,
  }),
);

const cognito = new CognitoIdentityProviderClient({ region: env.COGNITO_REGION, endpoint: env.COGNITO_ENDPOINT });
async function signIn(email: string, password: string): Promise<string> {
  const auth = await cognito.send(
    new InitiateAuthCommand({
      ClientId: env.COGNITO_SPA_CLIENT_ID,
      AuthFlow: AuthFlowType.USER_PASSWORD_AUTH,
      AuthParameters: { USERNAME: email, PASSWORD: password },
    }),
  );
  const token = auth.AuthenticationResult?.AccessToken;
  if (!token) throw new Error(`no access token for ${email}`);
  return token;
}

/** Two more users in the local emulator, so provisioning is driven by a few users, not one. */
async function benchUsers(count: number): Promise<string[]> {
  if (!env.COGNITO_ENDPOINT) return [];
  const admin = localCognitoClient(env.COGNITO_ENDPOINT);
  try {
    const tokens: string[] = [];
    for (let i = 0; i < count; i++) {
      const email = `bench-${i}-${Date.now()}@bench.tenantry.local`;
      const password = demoPassword();
      await admin.send(
        new AdminCreateUserCommand({
          UserPoolId: env.COGNITO_USER_POOL_ID,
          Username: email,
          TemporaryPassword: password,
          MessageAction: 'SUPPRESS',
          UserAttributes: [
            { Name: 'email', Value: email },
            { Name: 'email_verified', Value: 'true' },
            { Name: 'name', Value: `Bench ${i}` },
          ],
        }),
      );
      await admin.send(
        new AdminSetUserPasswordCommand({
          UserPoolId: env.COGNITO_USER_POOL_ID,
          Username: email,
          Password: password,
          Permanent: true,
        }),
      );
      tokens.push(await signIn(email, password));
    }
    return tokens;
  } finally {
    admin.destroy();
  }
}

function check(name: string, r: LoadResult): LoadResult {
  if (r.non2xx || r.errors) throw new Error(`${name}: ${r.non2xx} non-2xx answers, ${r.errors} errors`);
  return r;
}

/**
 * p50 of projects.get one request at a time, with controls for the machine's state measured in between:
 * the raw read (PostgreSQL and loopback), the raw four-query chain (the control-plane tables as they
 * grow) and auth.me (the API's CPU path without tenant schemas).
 */
type LatencyName = 'get' | 'raw' | 'rawChain' | 'me';
let latencyTargets: Record<LatencyName, { url: string; headers?: Record<string, string> }> | undefined;
async function interleavedLatency(): Promise<Record<LatencyName, number>> {
  if (!latencyTargets) throw new Error('latency targets are not set');
  const times: Record<LatencyName, number[]> = { get: [], raw: [], rawChain: [], me: [] };
  for (let i = 0; i < 4; i++) {
    for (const name of Object.keys(times) as LatencyName[]) {
      const target = latencyTargets[name];
      times[name].push(...(await sequentialLatency(target.url, target.headers ?? {}, LATENCY_REQUESTS / 4)).times);
    }
  }
  return {
    get: percentile(times.get, 50),
    raw: percentile(times.raw, 50),
    rawChain: percentile(times.rawChain, 50),
    me: percentile(times.me, 50),
  };
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

try {
  if (!owner) throw new Error('pnpm bench needs the local Cognito emulator for its demo user (leave COGNITO_* unset)');
  const apiUrl = await app.listen({ host: '127.0.0.1', port: 0 });
  const baselineUrl = await baseline.listen({ host: '127.0.0.1', port: 0 });
  const trpcBaselineUrl = await trpcBaseline.listen({ host: '127.0.0.1', port: 0 });
  const rawUrl = await rawBaseline.listen({ host: '127.0.0.1', port: 0 });
  const unmeteredUrl = await unmetered.listen({ host: '127.0.0.1', port: 0 });
  const token = await signIn(owner.email, owner.password);
  const superadmin = stack.demoUsers.find((u) => u.role === 'superadmin');
  const creators = [
    token,
    ...(superadmin ? [await signIn(superadmin.email, superadmin.password)] : []),
    ...(await benchUsers(2)),
  ];
  const authorization = `Bearer ${token}`;
  const opts = { connections: CONNECTIONS, seconds: SECONDS };

  // The tenant every read goes to, with one project, plus enough tenants to have FEW_TENANTS schemas.
  const setup = performance.now();
  const first = await provisionTenants({
    baseUrl: apiUrl,
    tokens: [token],
    count: 1,
    clients: 1,
    watcher,
    namePrefix: 'Bench read',
  });
  const tenant = first.tenants[0];
  if (!tenant) throw new Error('no tenant was created');
  const tenantHeaders = { authorization, 'x-tenant-id': tenant.id };
  const project = await createTenantryClient({
    url: apiUrl,
    getToken: () => token,
    tenant: tenant.id,
  }).projects.create.mutate({ name: 'Benchmark project', description: 'read by the benchmark' });
  await provisionTenants({
    baseUrl: apiUrl,
    tokens: creators,
    count: FEW_TENANTS - 1,
    clients: 4,
    watcher,
    namePrefix: 'Bench few',
  });
  rawSchema = `t_${tenant.id.replace(/-/g, '')}`;
  // A custom plan with a daily quota the loads never reach: it is counted on every call, never refused.
  await pool.query(`update tenants set plan = 'custom', plan_overrides = $1 where id = $2`, [
    JSON.stringify({ apiRequestsPerDay: 1_000_000_000 }),
    tenant.id,
  ]);
  const projectsGet = `${apiUrl}/trpc/projects.get?input=${encodeURIComponent(JSON.stringify({ id: project.id }))}`;
  console.log(`# setup: ${FEW_TENANTS} tenants in ${seconds(performance.now() - setup)}`);

  chainSub = (JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString()) as { sub: string }).sub;
  chainTenant = tenant.id;
  const chainUrl = await chainBaseline.listen({ host: '127.0.0.1', port: 0 });
  const callerUrl = await callerBaseline.listen({ host: '127.0.0.1', port: 0 });

  // The figures, measured in interleaved rounds so a busy moment of the machine hits all of them alike.
  const targets = {
    hello: { url: `${baselineUrl}/hello` },
    trpcNoop: { url: `${trpcBaselineUrl}/trpc/noop` },
    raw: { url: `${rawUrl}/projects/${project.id}` },
    rawChain: { url: `${chainUrl}/projects/${project.id}` },
    live: { url: `${apiUrl}/health/live` },
    me: { url: `${apiUrl}/trpc/auth.me`, headers: { authorization } },
    current: { url: `${apiUrl}/trpc/tenants.current`, headers: tenantHeaders },
    get: { url: projectsGet, headers: tenantHeaders },
    getUnmetered: { url: projectsGet.replace(apiUrl, unmeteredUrl), headers: tenantHeaders },
    callerGet: { url: `${callerUrl}/projects/${project.id}`, headers: tenantHeaders },
  } satisfies Record<string, { url: string; headers?: Record<string, string> }>;
  type Target = keyof typeof targets;
  latencyTargets = targets;

  // Warm-up: JIT, the JWKS cache, the user row, pools.
  for (const target of Object.values(targets)) await load({ ...opts, seconds: 1, ...target });

  // What the process burns with no request at all (timers, the job runner's polling), subtracted below.
  const idleBefore = process.cpuUsage();
  const idleBegan = performance.now();
  await new Promise((resolve) => setTimeout(resolve, 2000));
  const idle = process.cpuUsage(idleBefore);
  const idleCpuUsPerMs = (idle.user + idle.system) / (performance.now() - idleBegan);
  report('cpu_idle_share', idleCpuUsPerMs / 1000, 'cores');
  const rounds = new Map<Target, LoadResult[]>();
  // CPU time of this process (the API, the baselines; the load generator runs apart) per answer: steadier
  // than the rates when other processes compete for the cores, though contention still inflates it.
  const cpuUs = new Map<Target, number>();
  const answered = new Map<Target, number>();
  for (let round = 0; round < ROUNDS; round++) {
    for (const [name, target] of Object.entries(targets) as [Target, (typeof targets)[Target]][]) {
      const cpuBefore = process.cpuUsage();
      const began = performance.now();
      const result = check(name, await load({ ...opts, ...target }));
      const cpu = process.cpuUsage(cpuBefore);
      const background = idleCpuUsPerMs * (performance.now() - began);
      rounds.set(name, [...(rounds.get(name) ?? []), result]);
      cpuUs.set(name, (cpuUs.get(name) ?? 0) + Math.max(0, cpu.user + cpu.system - background));
      answered.set(name, (answered.get(name) ?? 0) + result.requestsTotal);
    }
  }
  const mean = (name: Target, field: keyof LoadResult) => {
    const rs = rounds.get(name) ?? [];
    return rs.reduce((sum, r) => sum + r[field], 0) / rs.length;
  };
  const rps = (name: Target) => mean(name, 'requestsPerSecond');
  const fewLatency = await interleavedLatency();
  console.log(`# load average after the request figures: ${loadAverage()}`);

  report('baseline.fastify_hello', rps('hello'), 'req/s');
  report('baseline.trpc_noop', rps('trpcNoop'), 'req/s');
  report('baseline.trpc_noop.vs_hello', rps('trpcNoop') / rps('hello'), 'ratio');
  report('baseline.raw_pg_project', rps('raw'), 'req/s');
  report('baseline.raw_pg_4_queries', rps('rawChain'), 'req/s');
  report('api.health_live', rps('live'), 'req/s');
  report('api.health_live.vs_baseline', rps('live') / rps('hello'), 'ratio');
  report('api.auth_me', rps('me'), 'req/s');
  report('api.auth_me.p50', mean('me', 'latencyP50Ms'), 'ms');
  report('api.auth_me.p99', mean('me', 'latencyP99Ms'), 'ms');
  report('api.auth_me.vs_baseline', rps('me') / rps('hello'), 'ratio');
  report('api.tenants_current', rps('current'), 'req/s');
  report('api.projects_get', rps('get'), 'req/s');
  report('api.projects_get.p50', mean('get', 'latencyP50Ms'), 'ms');
  report('api.projects_get.p99', mean('get', 'latencyP99Ms'), 'ms');
  report('api.projects_get.caller_no_adapter', rps('callerGet'), 'req/s');
  report('tenant_read_ratio', rps('get') / rps('raw'), 'ratio');
  report('api.projects_get.unmetered', rps('getUnmetered'), 'req/s');

  // Metering on vs off: a few percent is below the noise of two rounds, so more rounds of these two alone,
  // alternating which goes first, compared by their totals (requests and CPU time).
  const overhead = { on: { requests: 0, ms: 0, cpuUs: 0 }, off: { requests: 0, ms: 0, cpuUs: 0 } };
  const pairRatios: number[] = [];
  for (let round = 0; round < OVERHEAD_ROUNDS; round++) {
    const order = round % 2 ? (['off', 'on'] as const) : (['on', 'off'] as const);
    const rates = { on: 0, off: 0 };
    for (const side of order) {
      const name = side === 'on' ? 'get' : 'getUnmetered';
      const cpuBefore = process.cpuUsage();
      const began = performance.now();
      const result = check(name, await load({ ...opts, ...targets[name] }));
      const elapsed = performance.now() - began;
      const cpu = process.cpuUsage(cpuBefore);
      overhead[side].requests += result.requestsTotal;
      overhead[side].ms += elapsed;
      overhead[side].cpuUs += Math.max(0, cpu.user + cpu.system - idleCpuUsPerMs * elapsed);
      rates[side] = result.requestsPerSecond;
    }
    pairRatios.push(rates.on / rates.off);
  }
  const rate = (side: 'on' | 'off') => overhead[side].requests / overhead[side].ms;
  const cpuPerRequest = (side: 'on' | 'off') => overhead[side].cpuUs / overhead[side].requests;
  // How much slower the read is with the limits (burst + daily quota) and usage counting on.
  report('rate_limit_overhead', 1 - rate('on') / rate('off'), 'fraction');
  report('rate_limit_overhead.cpu', cpuPerRequest('on') / cpuPerRequest('off') - 1, 'fraction');
  console.log(
    `# rate_limit_overhead: ${OVERHEAD_ROUNDS} rounds; on/off rate per round ${pairRatios.map((r) => r.toFixed(3)).join(' ')}`,
  );
  for (const name of Object.keys(targets) as Target[]) {
    report(`cpu_ms_per_request.${name}`, (cpuUs.get(name) ?? 0) / 1000 / (answered.get(name) ?? 1), 'ms');
  }

  if (PROFILE) {
    const file = join(tmpdir(), `tenantry-bench-${PROFILE_TARGET}-${Date.now()}.cpuprofile`);
    const { summary } = await profile(file, () => load({ ...opts, ...targets[PROFILE_TARGET] }));
    console.log(`# CPU profile of the API process under load of ${PROFILE_TARGET}: ${file}`);
    console.log(`# ${seconds(summary.totalMs)} profiled, main thread idle ${(summary.idleShare * 100).toFixed(1)} %`);
    console.log('# top self time:');
    for (const f of summary.topFunctions) {
      console.log(`#   ${(f.share * 100).toFixed(1).padStart(5)} %  ${f.name}  ${f.where}`);
    }
    console.log('# self time by package:');
    for (const p of summary.byPackage) console.log(`#   ${(p.share * 100).toFixed(1).padStart(5)} %  ${p.name}`);
    console.log('# total time (self + synchronous callees), API and library frames:');
    for (const f of summary.topInclusive) {
      console.log(`#   ${(f.share * 100).toFixed(1).padStart(5)} %  ${f.name}  ${f.where}`);
    }
  }

  // Provisioning: PROVISION_COUNT tenants, create → ready, by a few users in a closed loop.
  const provisioned = await provisionTenants({
    baseUrl: apiUrl,
    tokens: creators,
    count: PROVISION_COUNT,
    clients: PROVISION_CLIENTS,
    watcher,
    namePrefix: 'Bench provision',
  });
  const readyMs = provisioned.tenants.map((x) => x.completedAt - x.createdAt);
  const queuedMs = provisioned.tenants.map((x) => x.startedAt - x.createdAt);
  const workMs = provisioned.tenants.map((x) => x.completedAt - x.startedAt);
  report('provision_p50_ms', percentile(readyMs, 50), 'ms');
  report('provision_p95_ms', percentile(readyMs, 95), 'ms');
  report('provision_per_s', (PROVISION_COUNT * 1000) / provisioned.wallMs, 'tenants/s');
  report(
    'provision.create_request_p50_ms',
    percentile(
      provisioned.tenants.map((x) => x.createMs),
      50,
    ),
    'ms',
  );
  report('provision.queued_p50_ms', percentile(queuedMs, 50), 'ms');
  report('provision.job_p50_ms', percentile(workMs, 50), 'ms');

  // One tenant at a time, to split a job's time by step (the hook cannot tell concurrent jobs apart).
  stepLog.length = 0;
  logSteps = true;
  const alone = await provisionTenants({
    baseUrl: apiUrl,
    tokens: [token],
    count: 20,
    clients: 1,
    watcher,
    namePrefix: 'Bench alone',
  });
  logSteps = false;
  const steps = new Map<string, number[]>();
  const add = (name: string, ms: number) => steps.set(name, [...(steps.get(name) ?? []), ms]);
  alone.tenants.forEach((x, i) => {
    const own = stepLog.slice(i * 4, i * 4 + 4);
    add('create_request', x.createMs);
    add('queued', x.startedAt - x.createdAt);
    let previous = x.startedAt;
    for (const s of own) {
      add(s.step, s.at - previous);
      previous = s.at;
    }
    add('create_to_ready', x.completedAt - x.createdAt);
  });
  for (const [name, values] of steps) report(`provision.alone.${name}_p50_ms`, percentile(values, 50), 'ms');

  // Grow to MANY_TENANTS tenant schemas, then the same read again.
  const grow = performance.now();
  const { count } = (await probePool.query<{ count: string }>('select count(*) from tenants')).rows[0] ?? { count: 0 };
  const grown = await provisionTenants({
    baseUrl: apiUrl,
    tokens: creators,
    count: MANY_TENANTS - Number(count),
    clients: PROVISION_CLIENTS * 2,
    watcher,
    namePrefix: 'Bench many',
  });
  const schemas = await probePool.query<{ count: string }>(
    `select count(*) from pg_namespace where nspname ~ '^t_[0-9a-f]{32}$'`,
  );
  console.log(
    `# grew to ${schemas.rows[0]?.count} tenant schemas in ${seconds(performance.now() - grow)} ` +
      `(${((grown.tenants.length * 1000) / grown.wallMs).toFixed(1)} tenants/s with ${PROVISION_CLIENTS * 2} clients)`,
  );
  for (const target of [targets.get, targets.raw, targets.rawChain, targets.me]) {
    await load({ ...opts, seconds: 1, ...target });
  }
  const manyLatency = await interleavedLatency();
  for (const [name, label] of [
    ['get', 'api.projects_get'],
    ['raw', 'baseline.raw_pg_project'],
    ['rawChain', 'baseline.raw_pg_4_queries'],
    ['me', 'api.auth_me'],
  ] as const) {
    report(`${label}.seq_p50.${FEW_TENANTS}_tenants`, fewLatency[name], 'ms');
    report(`${label}.seq_p50.${MANY_TENANTS}_tenants`, manyLatency[name], 'ms');
  }
  report(`read_latency_${MANY_TENANTS}_vs_${FEW_TENANTS}`, manyLatency.get / fewLatency.get, 'ratio');
  report(`baseline.raw_latency_${MANY_TENANTS}_vs_${FEW_TENANTS}`, manyLatency.raw / fewLatency.raw, 'ratio');
  report(
    `baseline.raw_4_queries_latency_${MANY_TENANTS}_vs_${FEW_TENANTS}`,
    manyLatency.rawChain / fewLatency.rawChain,
    'ratio',
  );
  report(`api.auth_me_latency_${MANY_TENANTS}_vs_${FEW_TENANTS}`, manyLatency.me / fewLatency.me, 'ratio');
  await benchTenantMigrations(env.DATABASE_URL);
  console.log(`# load average at the end: ${loadAverage()}`);
  console.log(`# bench run took ${seconds(performance.now() - runStarted)}`);
} finally {
  watcher.stop();
  cognito.destroy();
  await Promise.allSettled(
    [app, unmetered, baseline, trpcBaseline, rawBaseline, chainBaseline, callerBaseline].map((server) =>
      server.close(),
    ),
  );
  await Promise.allSettled([pool.end(), probePool.end()]);
  // A pool that is still closing a connection when PostgreSQL stops gets "terminating connection due to
  // administrator command" (57P01) on a client nobody listens to any more; that is the end of the run,
  // not a failure of it.
  const onShutdownError = (err: unknown) => {
    if ((err as { code?: unknown } | null)?.code !== '57P01') throw err;
    console.log('# a database connection was still closing when PostgreSQL stopped (57P01), ignored');
  };
  process.on('uncaughtException', onShutdownError);
  await new Promise((resolve) => setTimeout(resolve, 250));
  await stack.stop();
  await rm(dataDir, { recursive: true, force: true });
}
