/**
 * GET /metrics: behind a bearer token on the API's port, or on a separate port, or off (404); and the series
 * it exposes after real traffic (procedures, pool, job queue, jobs, provisioning, usage flushes, rate limits).
 */
import { randomInt, randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type {} from '../src/plugins/metrics.js'; // FastifyInstance.metricsAddress
import { createMetrics } from '../src/services/metrics.js';
import { buildTestApp, trpcMutation, type TestApp } from './helpers/app.js';
import { createUser, uniqueEmail } from './helpers/stack-env.js';
import { call, ownerWithTenant, tenantHeader, waitForStatus } from './helpers/tenants.js';

const TOKEN = `metrics-${randomUUID()}`;
const freshIp = () => `10.${randomInt(256)}.${randomInt(256)}.${randomInt(1, 255)}`;

interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

/** The Prometheus text format's sample lines: `name{label="value",…} number`. */
function parseMetrics(text: string): Sample[] {
  const samples: Sample[] = [];
  for (const line of text.split('\n')) {
    if (!line || line.startsWith('#')) continue;
    const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!match) throw new Error(`not a sample line: ${line}`);
    const labels: Record<string, string> = {};
    for (const [, key, raw] of (match[2] ?? '').matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)) {
      labels[key!] = raw!.replace(/\\n/g, '\n').replace(/\\(["\\])/g, '$1');
    }
    samples.push({ name: match[1]!, labels, value: Number(match[3]) });
  }
  return samples;
}

/** The samples named `name` whose labels include `labels`. */
function find(samples: Sample[], name: string, labels: Record<string, string> = {}): Sample[] {
  return samples.filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v));
}

function one(samples: Sample[], name: string, labels: Record<string, string> = {}): number {
  const found = find(samples, name, labels);
  if (found.length !== 1) {
    throw new Error(`expected one ${name} ${JSON.stringify(labels)}, found ${found.length}`);
  }
  return found[0]!.value;
}

async function scrape(app: FastifyInstance, token = TOKEN): Promise<{ text: string; samples: Sample[] }> {
  const res = await app.inject({ method: 'GET', url: '/metrics', headers: { authorization: `Bearer ${token}` } });
  expect(res.statusCode).toBe(200);
  expect(res.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
  return { text: res.body, samples: parseMetrics(res.body) };
}

/** Scrapes until `ready` holds (series fed by background work: flushes, job events). */
async function scrapeUntil(app: FastifyInstance, ready: (samples: Sample[]) => boolean, timeoutMs = 10_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const result = await scrape(app);
    if (ready(result.samples) || Date.now() > deadline) return result;
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('GET /metrics on the API port (METRICS_TOKEN)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await buildTestApp({ METRICS_TOKEN: TOKEN, USAGE_FLUSH_SECONDS: '0.2' });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('refuses without the token, with a wrong one, or with another scheme: 401 with WWW-Authenticate', async () => {
    const attempts: Array<Record<string, string>> = [
      {},
      { authorization: `Bearer ${TOKEN}x` },
      { authorization: `Bearer ${TOKEN.slice(0, -1)}` },
      { authorization: 'Bearer ' },
      { authorization: `Basic ${Buffer.from(`metrics:${TOKEN}`).toString('base64')}` },
      { authorization: TOKEN },
    ];
    for (const headers of attempts) {
      const res = await t.app.inject({ method: 'GET', url: '/metrics', headers });
      expect(res.statusCode, JSON.stringify(headers)).toBe(401);
      expect(res.headers['www-authenticate']).toBe('Bearer realm="metrics"');
      expect(res.body).not.toContain('tenantry_');
    }
    expect((await scrape(t.app)).samples.length).toBeGreaterThan(0);
  });

  it('exposes procedures by path, type and code, the pool, the job queue, jobs and provisioning; never a tenant id', async () => {
    // A public procedure (an error), a tenant's provisioning through the worker, tenant procedures (OK and NOT_FOUND).
    const signIn = await trpcMutation(
      t.app,
      'auth.signIn',
      { email: uniqueEmail(), password: 'Wrong-Passw0rd' },
      { ip: freshIp() },
    );
    const signInCode = signIn.body.error?.data.code;
    expect(signInCode).toBeTruthy();
    const { user, tenant } = await ownerWithTenant(t.app);
    const as = { token: user.tokens.accessToken, headers: tenantHeader(tenant.id) };
    expect((await call(t.app, 'query', 'projects.list', {}, as)).status).toBe(200);
    expect((await call(t.app, 'query', 'projects.list', {}, as)).status).toBe(200);
    expect((await call(t.app, 'query', 'projects.get', { id: randomUUID() }, as)).status).toBe(404);

    const { text, samples } = await scrapeUntil(
      t.app,
      (s) =>
        find(s, 'tenantry_job_duration_seconds_count', { task: 'provision_tenant', outcome: 'success' }).length > 0,
    );

    // Procedures: a counter and a latency histogram by path, type and result code.
    expect(text).toContain('# TYPE tenantry_trpc_request_duration_seconds histogram');
    expect(text).toContain('# TYPE tenantry_trpc_requests_total counter');
    const list = { path: 'projects.list', type: 'query', code: 'OK' };
    expect(one(samples, 'tenantry_trpc_requests_total', list)).toBe(2);
    expect(one(samples, 'tenantry_trpc_request_duration_seconds_count', list)).toBe(2);
    expect(one(samples, 'tenantry_trpc_request_duration_seconds_bucket', { ...list, le: '+Inf' })).toBe(2);
    expect(one(samples, 'tenantry_trpc_request_duration_seconds_sum', list)).toBeGreaterThan(0);
    expect(
      one(samples, 'tenantry_trpc_request_duration_seconds_count', {
        path: 'projects.get',
        type: 'query',
        code: 'NOT_FOUND',
      }),
    ).toBe(1);
    expect(
      one(samples, 'tenantry_trpc_request_duration_seconds_count', {
        path: 'auth.signIn',
        type: 'mutation',
        code: signInCode!,
      }),
    ).toBe(1);
    expect(one(samples, 'tenantry_trpc_requests_total', { path: 'tenants.create', type: 'mutation', code: 'OK' })).toBe(
      1,
    );

    // The database pool of MikroORM.
    const total = one(samples, 'tenantry_db_pool_connections');
    expect(total).toBeGreaterThanOrEqual(1);
    expect(one(samples, 'tenantry_db_pool_idle_connections')).toBeLessThanOrEqual(total);
    expect(one(samples, 'tenantry_db_pool_waiting_clients')).toBeGreaterThanOrEqual(0);
    expect(one(samples, 'tenantry_db_pool_max_connections')).toBe(t.app.services.env.DATABASE_POOL_MAX);

    // The job queue by task and state, and the provisioning job's run.
    for (const state of ['queued', 'delayed', 'locked', 'failed']) {
      expect(one(samples, 'tenantry_job_queue_jobs', { task: 'provision_tenant', state })).toBeGreaterThanOrEqual(0);
    }
    expect(
      one(samples, 'tenantry_job_duration_seconds_count', { task: 'provision_tenant', outcome: 'success' }),
    ).toBeGreaterThanOrEqual(1);
    expect(
      one(samples, 'tenantry_job_duration_seconds_sum', { task: 'provision_tenant', outcome: 'success' }),
    ).toBeGreaterThan(0);

    // Provisioning from its start to ready.
    expect(one(samples, 'tenantry_provisioning_duration_seconds_count', { outcome: 'ready' })).toBeGreaterThanOrEqual(
      1,
    );
    expect(one(samples, 'tenantry_provisioning_duration_seconds_sum', { outcome: 'ready' })).toBeGreaterThan(0);

    // The process (prom-client's defaults), with the same prefix.
    expect(find(samples, 'tenantry_process_cpu_user_seconds_total')).toHaveLength(1);
    expect(find(samples, 'tenantry_nodejs_heap_size_used_bytes')).toHaveLength(1);
    expect(samples.every((s) => s.name.startsWith('tenantry_'))).toBe(true);

    // No tenant id (nor slug) anywhere: not as a label value, not in the text at all.
    for (const s of samples) {
      for (const value of Object.values(s.labels)) {
        expect(value).not.toBe(tenant.id);
        expect(value).not.toBe(tenant.slug);
      }
    }
    expect(text).not.toContain(tenant.id);
  });

  it('reports the usage flushes: their duration, lag and the age of the last one', async () => {
    const flushes = (s: Sample[]) =>
      find(s, 'tenantry_usage_flush_duration_seconds_count', { outcome: 'ok' })[0]?.value ?? 0;
    const before = flushes((await scrape(t.app)).samples);
    const { user, tenant } = await ownerWithTenant(t.app);
    const as = { token: user.tokens.accessToken, headers: tenantHeader(tenant.id) };
    expect((await call(t.app, 'query', 'projects.list', {}, as)).status).toBe(200);
    const { samples } = await scrapeUntil(t.app, (s) => flushes(s) > before);
    expect(flushes(samples)).toBeGreaterThan(before);
    expect(one(samples, 'tenantry_usage_flush_duration_seconds_sum', { outcome: 'ok' })).toBeGreaterThan(0);
    expect(one(samples, 'tenantry_usage_flush_lag_seconds')).toBeGreaterThan(0);
    expect(one(samples, 'tenantry_usage_flush_rows_total')).toBeGreaterThanOrEqual(1);
    // Flushed every 0.2 s: the last successful one is recent.
    expect(one(samples, 'tenantry_usage_last_flush_age_seconds')).toBeLessThan(5);
  });
});

describe('a provisioning that fails for good', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await buildTestApp(
      { METRICS_TOKEN: TOKEN, PROVISION_MAX_ATTEMPTS: '1' },
      {
        afterProvisionStep: (step) => {
          if (step === 'migrate') throw new Error('the disk is full (test)');
        },
      },
    );
  });
  afterAll(async () => {
    await t?.close();
  });

  it('is timed as failed, and its job run counted as failed', async () => {
    const user = await createUser();
    const created = await call<{ id: string }>(
      t.app,
      'mutation',
      'tenants.create',
      { name: 'Doomed' },
      { token: user.tokens.accessToken },
    );
    expect(created.status).toBe(200);
    expect((await waitForStatus(t.app, user.tokens.accessToken, created.data.id)).status).toBe('failed');
    const job = { task: 'provision_tenant', outcome: 'failed' };
    const { samples } = await scrapeUntil(t.app, (s) => find(s, 'tenantry_job_duration_seconds_count', job).length > 0);
    expect(one(samples, 'tenantry_job_duration_seconds_count', job)).toBe(1);
    expect(
      find(samples, 'tenantry_job_duration_seconds_count', { task: 'provision_tenant', outcome: 'retry' }),
    ).toHaveLength(0);
    expect(one(samples, 'tenantry_provisioning_duration_seconds_count', { outcome: 'failed' })).toBe(1);
    expect(one(samples, 'tenantry_provisioning_duration_seconds_sum', { outcome: 'failed' })).toBeGreaterThan(0);
    expect(find(samples, 'tenantry_provisioning_duration_seconds_count', { outcome: 'ready' })).toHaveLength(0);
  });
});

describe('rate-limit rejections', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await buildTestApp({ METRICS_TOKEN: TOKEN, RATE_LIMIT_IP_PER_SECOND: '1' });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('are counted by scope', async () => {
    const ip = freshIp();
    const input = { email: uniqueEmail(), password: 'Wrong-Passw0rd' };
    await trpcMutation(t.app, 'auth.signIn', input, { ip });
    const refused = await trpcMutation(t.app, 'auth.signIn', input, { ip });
    expect(refused.status).toBe(429);
    const { samples } = await scrape(t.app);
    expect(one(samples, 'tenantry_rate_limit_rejections_total', { scope: 'ip_burst' })).toBe(1);
    expect(
      one(samples, 'tenantry_trpc_requests_total', {
        path: 'auth.signIn',
        type: 'mutation',
        code: 'TOO_MANY_REQUESTS',
      }),
    ).toBe(1);
  });
});

describe('GET /metrics unconfigured', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await buildTestApp({ METRICS_TOKEN: undefined, METRICS_PORT: undefined });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('answers 404 (with or without a token) and says once at start-up how to turn metrics on', async () => {
    for (const headers of [{}, { authorization: `Bearer ${TOKEN}` }]) {
      const res = await t.app.inject({ method: 'GET', url: '/metrics', headers });
      expect(res.statusCode).toBe(404);
      expect(res.body).not.toContain('tenantry_');
    }
    const off = t.logs.filter((l) => String(l.msg).startsWith('metrics are off'));
    expect(off).toHaveLength(1);
    expect(off[0]!.msg).toMatch(/METRICS_TOKEN.*METRICS_PORT/);
    expect(t.app.metricsAddress()).toBeUndefined();
  });
});

describe('GET /metrics on a separate port (METRICS_PORT)', () => {
  let open: TestApp;
  let guarded: TestApp;
  beforeAll(async () => {
    [open, guarded] = await Promise.all([
      buildTestApp({ METRICS_PORT: '0', METRICS_TOKEN: undefined }),
      buildTestApp({ METRICS_PORT: '0', METRICS_TOKEN: TOKEN }),
    ]);
  });
  afterAll(async () => {
    await open?.close();
    await guarded?.close();
  });

  const urlOf = (t: TestApp, path = '/metrics') => {
    const address = t.app.metricsAddress();
    if (!address) throw new Error('the metrics server is not listening');
    return `http://127.0.0.1:${address.port}${path}`;
  };

  it('answers there without a token, and not on the API port', async () => {
    expect(open.app.metricsAddress()?.address).toBe('127.0.0.1');
    expect((await call(open.app, 'query', 'projects.list', {}, {})).status).toBe(401);
    const res = await fetch(urlOf(open));
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    const samples = parseMetrics(await res.text());
    expect(one(samples, 'tenantry_db_pool_max_connections')).toBe(open.app.services.env.DATABASE_POOL_MAX);
    expect(find(samples, 'tenantry_trpc_requests_total', { path: 'projects.list' }).length).toBe(1);
    // Each app counts its own calls (one registry per app): the other app saw no projects.list.
    const other = parseMetrics(
      await (await fetch(urlOf(guarded), { headers: { authorization: `Bearer ${TOKEN}` } })).text(),
    );
    expect(find(other, 'tenantry_trpc_requests_total', { path: 'projects.list' })).toHaveLength(0);

    expect((await fetch(urlOf(open, '/'))).status).toBe(404);
    expect((await fetch(urlOf(open, '/health/live'))).status).toBe(404);
    expect((await open.app.inject({ method: 'GET', url: '/metrics' })).statusCode).toBe(404);
    expect(
      (await guarded.app.inject({ method: 'GET', url: '/metrics', headers: { authorization: `Bearer ${TOKEN}` } }))
        .statusCode,
    ).toBe(404);
  });

  it('requires the token there too when METRICS_TOKEN is set', async () => {
    const without = await fetch(urlOf(guarded));
    expect(without.status).toBe(401);
    expect(without.headers.get('www-authenticate')).toBe('Bearer realm="metrics"');
    expect((await fetch(urlOf(guarded), { headers: { authorization: 'Bearer wrong-token-wrong-token' } })).status).toBe(
      401,
    );
    const withToken = await fetch(urlOf(guarded), { headers: { authorization: `Bearer ${TOKEN}` } });
    expect(withToken.status).toBe(200);
    expect(await withToken.text()).toContain('tenantry_db_pool_connections');
  });

  it('stops listening when the app closes', async () => {
    const t = await buildTestApp({ METRICS_PORT: '0' });
    const url = urlOf(t);
    expect((await fetch(url)).status).toBe(200);
    await t.close();
    await expect(fetch(url)).rejects.toThrow();
  });
});

describe('createMetrics', () => {
  it('keeps each registry apart, and shares the process series', async () => {
    const [a, b] = [createMetrics(), createMetrics()];
    a.observeProcedure({ path: 'projects.list', type: 'query', code: 'OK', seconds: 0.01 });
    a.rateLimited('tenant_daily');
    const [textA, textB] = [await a.registry.metrics(), await b.registry.metrics()];
    expect(one(parseMetrics(textA), 'tenantry_trpc_requests_total', { path: 'projects.list' })).toBe(1);
    expect(one(parseMetrics(textA), 'tenantry_rate_limit_rejections_total', { scope: 'tenant_daily' })).toBe(1);
    expect(textB).not.toContain('projects.list');
    expect(find(parseMetrics(textB), 'tenantry_process_start_time_seconds')).toHaveLength(1);
  });

  it('leaves the queue series out when the queue cannot be read, and still answers', async () => {
    const metrics = createMetrics();
    const errors: unknown[] = [];
    let fail = true;
    metrics.watchJobQueue(
      async () => {
        if (fail) throw new Error('relation "graphile_worker._private_jobs" does not exist');
        return [{ task: 'provision_tenant', queued: 2, delayed: 1, locked: 0, failed: 3 }];
      },
      (err) => errors.push(err),
    );
    const broken = parseMetrics(await metrics.registry.metrics());
    expect(find(broken, 'tenantry_job_queue_jobs')).toHaveLength(0);
    expect(find(broken, 'tenantry_process_start_time_seconds')).toHaveLength(1);
    expect(errors).toHaveLength(1);
    fail = false;
    const fixed = parseMetrics(await metrics.registry.metrics());
    expect(one(fixed, 'tenantry_job_queue_jobs', { task: 'provision_tenant', state: 'queued' })).toBe(2);
    expect(one(fixed, 'tenantry_job_queue_jobs', { task: 'provision_tenant', state: 'failed' })).toBe(3);
  });

  it('counts failed usage flushes apart, and an idle tick only marks the flusher alive', async () => {
    const metrics = createMetrics();
    await new Promise((r) => setTimeout(r, 1100));
    metrics.usageFlushed({ seconds: 0.5, lagSeconds: 3, rows: 0, ok: false });
    let samples = parseMetrics(await metrics.registry.metrics());
    expect(one(samples, 'tenantry_usage_flush_duration_seconds_count', { outcome: 'error' })).toBe(1);
    expect(one(samples, 'tenantry_usage_last_flush_age_seconds')).toBeGreaterThanOrEqual(1);
    metrics.usageFlushed({ seconds: 0.02, lagSeconds: 4, rows: 3, ok: true });
    metrics.usageFlushed({ seconds: 0, lagSeconds: 0, rows: 0, ok: true });
    samples = parseMetrics(await metrics.registry.metrics());
    expect(one(samples, 'tenantry_usage_flush_duration_seconds_count', { outcome: 'ok' })).toBe(1);
    expect(one(samples, 'tenantry_usage_flush_lag_seconds')).toBe(4);
    expect(one(samples, 'tenantry_usage_flush_rows_total')).toBe(3);
    expect(one(samples, 'tenantry_usage_last_flush_age_seconds')).toBeLessThan(1);
  });
});
