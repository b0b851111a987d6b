/**
 * Usage analytics (issue 7): a known pattern of requests gives exactly the expected daily counts after a
 * flush, flushes add up, the summary and daily series read them back, the superadmin's top list ranks
 * tenants, and SIGTERM writes the counts still in memory.
 */
import { once } from 'node:events';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AdminUsageRow, UsageDay, UsageSummary } from '@tenantry/shared';
import { buildTestApp, type TestApp } from './helpers/app.js';
import { addMembership, connectDb, isolatedDatabase, userIdByEmail, type Db } from './helpers/db.js';
import { createOrm, migrateControlPlane } from '../src/db/orm.js';
import { createMetrics } from '../src/services/metrics.js';
import { createUsageRecorder } from '../src/services/usage.js';
import { createUser, type TestUser } from './helpers/stack-env.js';
import { startApi } from './helpers/api-process.js';
import { call, ownerWithTenant, tenantHeader, type TestTenant } from './helpers/tenants.js';

let t: TestApp;
let db: Db;

beforeAll(async () => {
  // Flushed by hand: the timer never fires during the test.
  t = await buildTestApp({ USAGE_FLUSH_SECONDS: '3600' });
  db = await connectDb();
});
afterAll(async () => {
  await db.close();
  await t.close();
});

const as = (user: TestUser, tenant: TestTenant) => ({
  token: user.tokens.accessToken,
  headers: tenantHeader(tenant.id),
});
const today = () => new Date().toISOString().slice(0, 10);

interface DailyRow {
  api_requests: string;
  api_errors: string;
  active_users: number;
  members: number;
  storage_bytes: string;
}

async function dailyRow(tenantId: string): Promise<DailyRow | undefined> {
  const [row] = await db.query<DailyRow & Record<string, unknown>>(
    'select api_requests, api_errors, active_users, members, storage_bytes from usage_daily where tenant_id = $1 and day = $2',
    [tenantId, today()],
  );
  return row;
}

async function memberOf(tenant: TestTenant, role: 'admin' | 'member' | 'viewer'): Promise<TestUser> {
  const user = await createUser();
  await call(t.app, 'query', 'auth.me', undefined, { token: user.tokens.accessToken });
  await addMembership(db, tenant.id, await userIdByEmail(db, user.email), role);
  return user;
}

describe('counting and flushing', () => {
  it('a known pattern of requests gives exactly the expected counts, and flushes add up', async () => {
    const { user: owner, tenant } = await ownerWithTenant(t.app);
    const viewer = await memberOf(tenant, 'viewer');
    await t.app.services.usage.flush();
    expect(await dailyRow(tenant.id)).toBeUndefined(); // no tenant procedure ran yet

    for (let i = 0; i < 5; i++)
      expect((await call(t.app, 'query', 'projects.list', {}, as(owner, tenant))).status).toBe(200);
    // Two errors: an unknown project, and a viewer trying to write.
    expect((await call(t.app, 'query', 'projects.get', { id: randomUUID() }, as(owner, tenant))).status).toBe(404);
    expect((await call(t.app, 'mutation', 'projects.create', { name: 'X' }, as(viewer, tenant))).status).toBe(403);
    for (let i = 0; i < 3; i++)
      expect((await call(t.app, 'query', 'projects.list', {}, as(viewer, tenant))).status).toBe(200);

    // Nothing is written per request.
    expect(await dailyRow(tenant.id)).toBeUndefined();
    expect(t.app.services.usage.pending(tenant.id, today())).toBe(10);
    await t.app.services.usage.flush();
    expect(await dailyRow(tenant.id)).toEqual({
      api_requests: '10',
      api_errors: '2',
      active_users: 2,
      members: 2,
      storage_bytes: '0',
    });
    expect(t.app.services.usage.pending(tenant.id, today())).toBe(0);

    // A second flush adds to the day's row; the same users are not counted twice.
    for (let i = 0; i < 4; i++) await call(t.app, 'query', 'projects.list', {}, as(owner, tenant));
    await t.app.services.usage.flush();
    expect(await dailyRow(tenant.id)).toMatchObject({ api_requests: '14', api_errors: '2', active_users: 2 });
  });

  it('concurrent calls to flush write each count once', async () => {
    const { user: owner, tenant } = await ownerWithTenant(t.app);
    await Promise.all(Array.from({ length: 12 }, () => call(t.app, 'query', 'projects.list', {}, as(owner, tenant))));
    await Promise.all([t.app.services.usage.flush(), t.app.services.usage.flush(), t.app.services.usage.flush()]);
    expect((await dailyRow(tenant.id))?.api_requests).toBe('12');
  });
});

describe('a failed flush', () => {
  it('keeps its counts for the next one: nothing is lost while the table cannot be written', async () => {
    // A database of its own, so making its usage table unwritable disturbs no other test.
    const iso = await isolatedDatabase('tenantry_usage');
    const orm = await createOrm({ databaseUrl: iso.url, poolMax: 2, log: () => undefined });
    const isoDb = await connectDb(iso.url);
    const warnings: string[] = [];
    try {
      await migrateControlPlane(orm);
      const recorder = createUsageRecorder({
        orm,
        flushSeconds: 3600,
        metrics: createMetrics(),
        log: {
          warn: (o, msg) => warnings.push(`${msg} ${String((o as { err?: unknown }).err)}`),
          error: (o, msg) => warnings.push(`${msg} ${String((o as { err?: unknown }).err)}`),
        },
      });
      // A tenant id with no tenants row, as after a deletion: its counts are still written.
      const tenantId = randomUUID();
      const users = [randomUUID(), randomUUID()];
      for (let i = 0; i < 6; i++) recorder.record(tenantId, users[i % 2]!, i !== 0);

      await isoDb.query('alter table usage_daily rename to usage_daily_away');
      await expect(recorder.flush()).rejects.toThrow();
      expect(recorder.pending(tenantId, today())).toBe(6);
      recorder.record(tenantId, users[0]!, true); // counted meanwhile

      await isoDb.query('alter table usage_daily_away rename to usage_daily');
      await recorder.close();
      const rows = await isoDb.query(
        'select api_requests, api_errors, active_users from usage_daily where tenant_id = $1',
        [tenantId],
      );
      expect(rows, warnings.join('; ')).toEqual([{ api_requests: '7', api_errors: '1', active_users: 2 }]);
      expect(warnings).toHaveLength(1);
      expect(warnings[0]).toMatch(
        /^usage flush failed; the counts are kept for the next one .*usage_daily" does not exist/,
      );
    } finally {
      await isoDb.close();
      await orm.close();
      await iso.drop();
    }
  });
});

describe('reading usage', () => {
  it('summary and daily give the counts, today’s figures and the plan’s limits', async () => {
    const { user: owner, tenant } = await ownerWithTenant(t.app);
    const admin = await memberOf(tenant, 'admin');
    for (let i = 0; i < 3; i++) await call(t.app, 'query', 'projects.list', {}, as(owner, tenant));
    await t.app.services.usage.flush();
    await call(t.app, 'query', 'projects.list', {}, as(admin, tenant)); // not flushed yet

    const from = new Date(Date.now() - 29 * 86_400_000).toISOString().slice(0, 10);
    const summary = await call<UsageSummary>(t.app, 'query', 'usage.summary', { from, to: today() }, as(admin, tenant));
    expect(summary.status, JSON.stringify(summary.body.error)).toBe(200);
    expect(summary.data).toMatchObject({ apiRequests: 3, apiErrors: 0, activeUsers: 1 });
    // Today's requests include what is not flushed yet (and the limiter's count of this very call's predecessors).
    expect(summary.data.today.apiRequests).toBeGreaterThanOrEqual(4);
    expect(summary.data.today).toMatchObject({ members: 2, storageBytes: 0 });
    expect(summary.data.limits).toEqual({ maxUsers: 100, storageBytes: 10 * 1024 ** 3, apiRequestsPerDay: 1000 });

    const daily = await call<UsageDay[]>(t.app, 'query', 'usage.daily', { from, to: today() }, as(owner, tenant));
    expect(daily.data).toHaveLength(30);
    expect(daily.data[0]).toMatchObject({ day: from, apiRequests: 0 });
    expect(daily.data.at(-1)).toMatchObject({ day: today(), apiRequests: 3, activeUsers: 1, members: 2 });
  });

  it('refuses a range that ends before it starts, and members below admin', async () => {
    const { user: owner, tenant } = await ownerWithTenant(t.app);
    const bad = await call(t.app, 'query', 'usage.daily', { from: '2026-02-01', to: '2026-01-01' }, as(owner, tenant));
    expect(bad.status).toBe(400);
    expect(bad.body.error?.data.zodError?.fieldErrors.from).toBeDefined();
    const member = await memberOf(tenant, 'member');
    const refused = await call(t.app, 'query', 'usage.summary', { from: today(), to: today() }, as(member, tenant));
    expect(refused.status).toBe(403);
  });

  it('admin.usage ranks tenants by requests for superadmins only', async () => {
    const busy = await ownerWithTenant(t.app);
    const quiet = await ownerWithTenant(t.app);
    for (let i = 0; i < 40; i++) await call(t.app, 'query', 'projects.list', {}, as(busy.user, busy.tenant));
    await call(t.app, 'query', 'projects.list', {}, as(quiet.user, quiet.tenant));
    await t.app.services.usage.flush();
    const superadmin = await createUser({ groups: ['superadmin'] });
    const input = { from: today(), to: today(), by: 'apiRequests', limit: 100 };
    const res = await call<AdminUsageRow[]>(t.app, 'query', 'admin.usage', input, {
      token: superadmin.tokens.accessToken,
    });
    expect(res.status).toBe(200);
    const ids = res.data.map((r) => r.tenantId);
    expect(ids.indexOf(busy.tenant.id)).toBeGreaterThanOrEqual(0);
    expect(ids.indexOf(busy.tenant.id)).toBeLessThan(ids.indexOf(quiet.tenant.id));
    expect(res.data.find((r) => r.tenantId === busy.tenant.id)).toMatchObject({ apiRequests: 40, members: 1 });
    const sorted = res.data.map((r) => r.apiRequests);
    expect(sorted).toEqual([...sorted].sort((a, b) => b - a));

    const owner = await call(t.app, 'query', 'admin.usage', input, { token: busy.user.tokens.accessToken });
    expect(owner.status).toBe(403);
  });
});

describe('shutdown', () => {
  it('SIGTERM writes the counts still in memory', async () => {
    const { user: owner, tenant } = await ownerWithTenant(t.app);
    const { child, url, output } = await startApi({ USAGE_FLUSH_SECONDS: '3600', WORKER_CONCURRENCY: '0' });
    const headers = { authorization: `Bearer ${owner.tokens.accessToken}`, 'x-tenant-id': tenant.id };
    for (let i = 0; i < 7; i++) {
      expect((await fetch(`${url}/trpc/projects.list?input=${encodeURIComponent('{}')}`, { headers })).status).toBe(
        200,
      );
    }
    expect(await dailyRow(tenant.id)).toBeUndefined();
    child.kill('SIGTERM');
    const [code] = (await once(child, 'exit')) as [number | null];
    expect(code, output()).toBe(0);
    expect((await dailyRow(tenant.id))?.api_requests).toBe('7');
  });
});
