/**
 * Request rate limits and quotas (issue 7): per-tenant burst and daily quota, per-user and per-IP bursts,
 * counted per procedure (a batch counts each call), with the limit headers; shared through Redis by
 * several API instances; and a Redis outage lets requests through.
 */
import { createServer, type Server, type Socket, connect } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { buildTestApp, type TestApp } from './helpers/app.js';
import { createUser, type TestUser } from './helpers/stack-env.js';
import { call, ownerWithTenant, tenantHeader, type TestTenant } from './helpers/tenants.js';

let superadmin: TestUser;
beforeAll(async () => {
  superadmin = await createUser({ groups: ['superadmin'] });
});

const apps: TestApp[] = [];
async function app(overrides: Record<string, string> = {}): Promise<TestApp> {
  const t = await buildTestApp(overrides);
  apps.push(t);
  return t;
}
afterAll(async () => {
  await Promise.all(apps.map((t) => t.close()));
});

const as = (user: TestUser, tenant: TestTenant) => ({
  token: user.tokens.accessToken,
  headers: tenantHeader(tenant.id),
});

/** Several calls of one query in one HTTP request (tRPC's batch link): returns each call's HTTP status. */
async function batch(
  target: FastifyInstance,
  path: string,
  count: number,
  input: unknown,
  headers: Record<string, string>,
) {
  const inputs = Object.fromEntries(Array.from({ length: count }, (_, i) => [String(i), input]));
  const res = await target.inject({
    method: 'GET',
    url: `/trpc/${Array(count).fill(path).join(',')}?batch=1&input=${encodeURIComponent(JSON.stringify(inputs))}`,
    headers,
  });
  const body = res.json<Array<{ result?: unknown; error?: { data: { httpStatus: number; appCode: string } } }>>();
  return {
    res,
    statuses: body.map((b) => (b.error ? b.error.data.httpStatus : 200)),
    appCodes: body.map((b) => b.error?.data.appCode ?? null),
  };
}

/** Waits for the start of a fresh second, so a per-second window is not half used. */
async function freshSecond(): Promise<void> {
  await sleep(1000 - (Date.now() % 1000) + 20);
}

async function customQuota(t: TestApp, tenant: TestTenant, apiRequestsPerDay: number): Promise<void> {
  const res = await call(
    t.app,
    'mutation',
    'admin.tenants.setPlan',
    { tenantId: tenant.id, plan: 'custom', overrides: { apiRequestsPerDay } },
    { token: superadmin.tokens.accessToken },
  );
  expect(res.status, JSON.stringify(res.body.error)).toBe(200);
}

describe('per-tenant burst limit', () => {
  it('counts each call of a batch and answers the rest with 429 and the limit headers', async () => {
    const t = await app({ RATE_LIMIT_TENANT_PER_SECOND: '5' });
    const { user, tenant } = await ownerWithTenant(t.app);
    await freshSecond();
    const { res, statuses, appCodes } = await batch(
      t.app,
      'projects.list',
      8,
      {},
      {
        authorization: `Bearer ${user.tokens.accessToken}`,
        ...tenantHeader(tenant.id),
      },
    );
    expect(statuses.filter((s) => s === 200)).toHaveLength(5);
    expect(statuses.filter((s) => s === 429)).toHaveLength(3);
    expect(appCodes.filter((c) => c === 'RATE_LIMITED')).toHaveLength(3);
    expect(res.headers['retry-after']).toBe('1');
    // Basic's daily quota (1,000) has more left than the burst; the headers show the tightest.
    expect(res.headers['x-ratelimit-limit']).toBe('5');
    expect(res.headers['x-ratelimit-remaining']).toBe('0');
    const reset = Number(res.headers['x-ratelimit-reset']);
    expect(reset).toBeGreaterThanOrEqual(Math.floor(Date.now() / 1000));
    expect(reset).toBeLessThanOrEqual(Math.ceil(Date.now() / 1000) + 1);

    await sleep(1100);
    const again = await call(t.app, 'query', 'projects.list', {}, as(user, tenant));
    expect(again.status).toBe(200);
  });

  it('one tenant’s burst does not limit another', async () => {
    const t = await app({ RATE_LIMIT_TENANT_PER_SECOND: '3' });
    const a = await ownerWithTenant(t.app);
    const b = await ownerWithTenant(t.app);
    await freshSecond();
    const hammered = await batch(
      t.app,
      'projects.list',
      6,
      {},
      {
        authorization: `Bearer ${a.user.tokens.accessToken}`,
        ...tenantHeader(a.tenant.id),
      },
    );
    expect(hammered.statuses).toContain(429);
    expect((await call(t.app, 'query', 'projects.list', {}, as(b.user, b.tenant))).status).toBe(200);
  });
});

describe('the plan’s daily quota', () => {
  it('refuses past the quota until midnight UTC, with the headers', async () => {
    const t = await app();
    const { user, tenant } = await ownerWithTenant(t.app);
    await customQuota(t, tenant, 3);
    const remaining: string[] = [];
    for (let i = 0; i < 3; i++) {
      const ok = await call(t.app, 'query', 'projects.list', {}, as(user, tenant));
      expect(ok.status).toBe(200);
      expect(ok.headers['x-ratelimit-limit']).toBe('3');
      remaining.push(String(ok.headers['x-ratelimit-remaining']));
    }
    expect(remaining).toEqual(['2', '1', '0']);
    const refused = await call(t.app, 'query', 'projects.list', {}, as(user, tenant));
    expect(refused.status).toBe(429);
    expect(refused.body.error?.data.appCode).toBe('QUOTA_EXCEEDED');
    expect(refused.body.error?.message).toMatch(/used its 3 API requests for today/);
    const now = new Date();
    const midnight = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() + 1) / 1000;
    expect(Number(refused.headers['x-ratelimit-reset'])).toBe(midnight);
    const retryAfter = Number(refused.headers['retry-after']);
    expect(Math.abs(retryAfter - (midnight - Date.now() / 1000))).toBeLessThan(5);
    // A bigger plan lifts it at once.
    await customQuota(t, tenant, 100);
    expect((await call(t.app, 'query', 'projects.list', {}, as(user, tenant))).status).toBe(200);
  });

  it('counts a batch per procedure', async () => {
    const t = await app();
    const { user, tenant } = await ownerWithTenant(t.app);
    await customQuota(t, tenant, 20);
    const { statuses } = await batch(
      t.app,
      'projects.list',
      25,
      {},
      {
        authorization: `Bearer ${user.tokens.accessToken}`,
        ...tenantHeader(tenant.id),
      },
    );
    expect(statuses.filter((s) => s === 200)).toHaveLength(20);
    expect(statuses.filter((s) => s === 429)).toHaveLength(5);
  });
});

describe('callers outside a tenant', () => {
  it('limits procedures without sign-in per client IP', async () => {
    const t = await app({ RATE_LIMIT_IP_PER_SECOND: '3' });
    await freshSecond();
    const from = (ip: string) =>
      t.app.inject({
        method: 'POST',
        url: '/trpc/auth.forgotPassword',
        headers: { 'content-type': 'application/json' },
        payload: JSON.stringify({ email: 'not-an-email' }),
        remoteAddress: ip,
      });
    const statuses = [];
    for (let i = 0; i < 4; i++) statuses.push((await from('198.51.100.7')).statusCode);
    // Three pass the limiter (and fail validation); the fourth is refused before it.
    expect(statuses).toEqual([400, 400, 400, 429]);
    expect((await from('198.51.100.8')).statusCode).toBe(400);
  });

  it('limits signed-in procedures outside a tenant per user', async () => {
    const t = await app({ RATE_LIMIT_USER_PER_SECOND: '3' });
    const user = await createUser();
    await freshSecond();
    const { statuses } = await batch(t.app, 'tenants.mine', 5, undefined, {
      authorization: `Bearer ${user.tokens.accessToken}`,
    });
    expect([...statuses].sort()).toEqual([200, 200, 200, 429, 429]);
  });

  it('RATE_LIMITS=false turns every limit off', async () => {
    const t = await app({ RATE_LIMITS: 'false', RATE_LIMIT_TENANT_PER_SECOND: '1' });
    const { user, tenant } = await ownerWithTenant(t.app);
    const { res, statuses } = await batch(
      t.app,
      'projects.list',
      5,
      {},
      {
        authorization: `Bearer ${user.tokens.accessToken}`,
        ...tenantHeader(tenant.id),
      },
    );
    expect(statuses).toEqual([200, 200, 200, 200, 200]);
    expect(res.headers['x-ratelimit-limit']).toBeUndefined();
  });
});

/** REDIS_URL when set, else a Redis on 127.0.0.1:6379 if one answers. */
async function findRedis(): Promise<string | undefined> {
  if (process.env.REDIS_URL) return process.env.REDIS_URL;
  const open = await new Promise<boolean>((resolve) => {
    const socket = connect(6379, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
  return open ? 'redis://127.0.0.1:6379' : undefined;
}
const redisUrl = await findRedis();

/** A TCP relay to Redis that the test can cut, as if Redis stopped. */
async function redisRelay(target: string): Promise<{ url: string; cut: () => Promise<void> }> {
  const { hostname, port } = new URL(target);
  const sockets = new Set<Socket>();
  const server: Server = createServer((client) => {
    const upstream = connect(Number(port || 6379), hostname);
    sockets.add(client).add(upstream);
    client.pipe(upstream).pipe(client);
    const drop = () => {
      client.destroy();
      upstream.destroy();
    };
    client.on('error', drop);
    upstream.on('error', drop);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('no relay address');
  return {
    url: `redis://127.0.0.1:${address.port}`,
    cut: async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

describe.skipIf(!redisUrl)(`shared through Redis (${redisUrl ? 'Redis found' : 'SKIPPED: no Redis'})`, () => {
  it('two API instances enforce one daily quota and one burst limit', async () => {
    const one = await app({ REDIS_URL: redisUrl!, RATE_LIMIT_TENANT_PER_SECOND: '4' });
    const two = await app({ REDIS_URL: redisUrl!, RATE_LIMIT_TENANT_PER_SECOND: '4' });
    const { user, tenant } = await ownerWithTenant(one.app);
    await customQuota(one, tenant, 6);
    await freshSecond();
    const calls = [one, two, one, two, one].map((t) => call(t.app, 'query', 'projects.list', {}, as(user, tenant)));
    const burst = (await Promise.all(calls)).map((r) => r.status);
    // Four per second across both instances.
    expect(burst.filter((s) => s === 200)).toHaveLength(4);
    expect(burst.filter((s) => s === 429)).toHaveLength(1);

    await sleep(1100);
    // The four served count against the daily quota of 6 (the refused one never reached it): two left, on either instance.
    expect((await call(two.app, 'query', 'projects.list', {}, as(user, tenant))).status).toBe(200);
    expect((await call(one.app, 'query', 'projects.list', {}, as(user, tenant))).status).toBe(200);
    const over = await call(two.app, 'query', 'projects.list', {}, as(user, tenant));
    expect(over.status).toBe(429);
    expect(over.body.error?.data.appCode).toBe('QUOTA_EXCEEDED');
  });

  it('Redis stopping mid-test leaves requests served, and the outage logged', async () => {
    const relay = await redisRelay(redisUrl!);
    const t = await app({ REDIS_URL: relay.url });
    const { user, tenant } = await ownerWithTenant(t.app);
    expect((await call(t.app, 'query', 'projects.list', {}, as(user, tenant))).status).toBe(200);
    await relay.cut();
    for (let i = 0; i < 5; i++) {
      const res = await call(t.app, 'query', 'projects.list', {}, as(user, tenant));
      expect(res.status, JSON.stringify(res.body.error)).toBe(200);
    }
    await vi.waitFor(
      () => expect(t.rawLogs()).toContain('Redis unreachable: request rate limits fall back to memory'),
      {
        timeout: 5000,
      },
    );
  });
});
