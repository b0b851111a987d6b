import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ProvisionStep, TenantStatusInfo } from '@tenantry/shared';
import { tenantMigrations } from '../../src/db/migrations/tenant/index.js';
import { tenantSchemaName } from '../../src/db/tenant-schema.js';
import { startWorker } from '../../src/jobs/worker.js';
import { DEFAULT_TENANT_CONFIG, provisionTenant } from '../../src/services/provisioning.js';
import { buildTestApp, type TestApp } from '../helpers/app.js';
import { connectDb, isolatedDatabase, setTenantStatus, type Db } from '../helpers/db.js';
import { tenantTableNames, tenantTableReferences } from '../helpers/sql-log.js';
import { createUser, type TestUser } from '../helpers/stack-env.js';
import { call, tenantHeader, waitForStatus } from '../helpers/tenants.js';

const STEPS: ProvisionStep[] = ['create_schema', 'migrate', 'seed', 'finish'];
const MAX_ATTEMPTS = 3;

/**
 * A database of its own, served by an app without a worker: the other files' workers share the default
 * database's queue and would provision these tenants behind the test's back.
 */
let database: { url: string; drop: () => Promise<void> };
let t: TestApp;
let db: Db;

beforeAll(async () => {
  database = await isolatedDatabase('tenantry_provisioning');
  t = await buildTestApp(
    { DATABASE_URL: database.url, PROVISION_MAX_ATTEMPTS: String(MAX_ATTEMPTS), DATABASE_POOL_MAX: '4' },
    { worker: false },
  );
  db = await connectDb(database.url);
});
afterAll(async () => {
  await db?.close();
  await t?.close();
  await database?.drop();
});

interface TenantRow {
  status: string;
  schema_version: number;
  preparation_error: string | null;
  provision_step: string | null;
}
const tenantRow = async (id: string) =>
  (
    await db.query<TenantRow>(
      'select status, schema_version, preparation_error, provision_step from tenants where id = $1',
      [id],
    )
  )[0]!;
const schemaExists = async (id: string) =>
  (await db.query('select 1 from information_schema.schemata where schema_name = $1', [tenantSchemaName(id)])).length >
  0;

/** A tenant written by tenants.create and left pending: nothing here runs its job. */
async function pendingTenant(owner?: TestUser, name = `Provisioned ${Date.now()}`) {
  const user = owner ?? (await createUser());
  const res = await call<TenantStatusInfo & { slug: string }>(
    t.app,
    'mutation',
    'tenants.create',
    { name },
    {
      token: user.tokens.accessToken,
    },
  );
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  expect(res.data.status).toBe('pending');
  // Its queued job is taken out: only what a test enqueues later (a retry) can provision it.
  await db.query('select graphile_worker.remove_job($1)', [`provision_tenant:${res.data.id}`]);
  return { user, id: res.data.id, slug: res.data.slug };
}

const stopAt = (stop: ProvisionStep) => (step: ProvisionStep) => {
  if (step === stop) throw new Error(`stopped after ${step}`);
};

async function expectReady(id: string, user: TestUser) {
  const row = await tenantRow(id);
  expect(row).toMatchObject({ status: 'ready', schema_version: tenantMigrations.length, preparation_error: null });
  expect(row.provision_step).toBeNull();
  const config = await db.query<{ key: string; value: unknown }>(
    `select key, value from "${tenantSchemaName(id)}"."config" order by key`,
  );
  expect(Object.fromEntries(config.map((c) => [c.key, c.value]))).toEqual(DEFAULT_TENANT_CONFIG);
  const list = await call(
    t.app,
    'query',
    'projects.list',
    {},
    { token: user.tokens.accessToken, headers: tenantHeader(id) },
  );
  expect(list.status).toBe(200);
}

describe('a provisioning run', () => {
  it.each(STEPS)('stopped after %s, then run again, reaches ready', async (step) => {
    const { id, user } = await pendingTenant();
    await expect(
      provisionTenant(t.app.services.orm, id, { attempt: 1, maxAttempts: MAX_ATTEMPTS, afterStep: stopAt(step) }),
    ).rejects.toThrow(`stopped after ${step}`);
    const second = await provisionTenant(t.app.services.orm, id, { attempt: 2, maxAttempts: MAX_ATTEMPTS });
    // After `finish` the tenant was already ready: the second run has nothing to do.
    expect(second).toBe(step === 'finish' ? 'skipped' : 'ready');
    await expectReady(id, user);
    // And once more, as a duplicate job would: nothing changes.
    expect(await provisionTenant(t.app.services.orm, id, { attempt: 1, maxAttempts: MAX_ATTEMPTS })).toBe('skipped');
  });

  it('skips a tenant deleted before its job runs, and creates no schema', async () => {
    const { id } = await pendingTenant();
    await setTenantStatus(db, id, 'deleting');
    expect(await provisionTenant(t.app.services.orm, id, { attempt: 1, maxAttempts: MAX_ATTEMPTS })).toBe('skipped');
    expect(await schemaExists(id)).toBe(false);
    expect((await tenantRow(id)).status).toBe('deleting');
  });

  it('keeps a failing tenant preparing while retries remain, then failed with the error', async () => {
    const { id } = await pendingTenant();
    const schema = tenantSchemaName(id);
    // A table in the way: the tenant migration cannot create "config".
    await db.query(`create schema "${schema}"; create table "${schema}"."config" (x int)`);

    await expect(provisionTenant(t.app.services.orm, id, { attempt: 1, maxAttempts: MAX_ATTEMPTS })).rejects.toThrow(
      /already exists/,
    );
    const retrying = await tenantRow(id);
    expect(retrying.status).toBe('preparing');
    expect(retrying.preparation_error).toMatch(/retrying/);
    expect(retrying.preparation_error).toMatch(/already exists/);

    await expect(
      provisionTenant(t.app.services.orm, id, { attempt: MAX_ATTEMPTS, maxAttempts: MAX_ATTEMPTS }),
    ).rejects.toThrow(/already exists/);
    const failed = await tenantRow(id);
    expect(failed.status).toBe('failed');
    expect(failed.preparation_error).toMatch(/already exists/);
    expect(failed.preparation_error).not.toMatch(/retrying/);
    expect(failed.schema_version).toBe(0);
  });
});

describe('tenants.create', () => {
  it('limits how many of a user’s tenants are in provisioning at once', async () => {
    const user = await createUser();
    const limit = t.app.services.env.TENANT_CREATE_MAX_IN_FLIGHT;
    const first = [];
    for (let i = 0; i < limit; i++) first.push(await pendingTenant(user, `In flight ${i} ${Date.now()}`));
    const refused = await call(
      t.app,
      'mutation',
      'tenants.create',
      { name: 'One too many' },
      {
        token: user.tokens.accessToken,
      },
    );
    expect(refused.status).toBe(429);
    expect(refused.body.error?.data).toMatchObject({ code: 'TOO_MANY_REQUESTS', appCode: 'RATE_LIMITED' });
    expect(refused.headers['retry-after']).toBeDefined();
    // Once one of them is ready, there is room again.
    await setTenantStatus(db, first[0]!.id, 'ready');
    await pendingTenant(user, 'Room again');
  });

  it('derives the slug from the name, refuses a taken or reserved one with a field error', async () => {
    const user = await createUser();
    const name = `Saint Mary’s Clinic ${Date.now().toString(36)}`;
    const first = await pendingTenant(user, name);
    const expected = name
      .toLowerCase()
      .replace(/’/g, '')
      .replace(/[^a-z0-9]+/g, '-');
    expect(first.slug).toBe(expected);

    const taken = await call(
      t.app,
      'mutation',
      'tenants.create',
      { name: 'Another', slug: first.slug },
      {
        token: user.tokens.accessToken,
      },
    );
    expect(taken.status).toBe(409);
    expect(taken.body.error?.data.code).toBe('CONFLICT');
    expect(taken.body.error?.data.zodError?.fieldErrors.slug).toBeDefined();

    for (const slug of ['www', 'api', 'admin']) {
      const reserved = await call(
        t.app,
        'mutation',
        'tenants.create',
        { name: 'Platform', slug },
        {
          token: user.tokens.accessToken,
        },
      );
      expect(reserved.status, slug).toBe(400);
      expect(reserved.body.error?.data.code).toBe('BAD_REQUEST');
      expect(reserved.body.error?.data.zodError?.fieldErrors.slug, slug).toBeDefined();
    }

    // The same name again gets a free address of its own.
    const second = await pendingTenant(user, name);
    expect(second.slug).not.toBe(first.slug);
    expect(second.slug.startsWith(first.slug)).toBe(true);
  });
});

describe('tenant migrations', () => {
  it('build exactly what the tenant entities describe', async () => {
    const { id } = await pendingTenant();
    expect(await provisionTenant(t.app.services.orm, id, { attempt: 1, maxAttempts: MAX_ATTEMPTS })).toBe('ready');
    const schema = tenantSchemaName(id);
    const drift = await t.app.services.orm.schema.getUpdateSchemaSQL({ schema, wrap: false });
    const statements = drift
      .split(/;\s*\n/)
      .map((s) => s.trim())
      .filter(Boolean);
    expect(statements.filter((s) => tenantTableReferences(s, tenantTableNames).length > 0)).toEqual([]);
  });
});

describe('admin.tenants.retry', () => {
  it('is for superadmins only, and brings a failed tenant to ready', async () => {
    const { id, user } = await pendingTenant();
    const schema = tenantSchemaName(id);
    await db.query(`create schema "${schema}"; create table "${schema}"."projects" (x int)`);
    await expect(
      provisionTenant(t.app.services.orm, id, { attempt: MAX_ATTEMPTS, maxAttempts: MAX_ATTEMPTS }),
    ).rejects.toThrow(/already exists/);
    expect((await tenantRow(id)).status).toBe('failed');

    const denied = await call(t.app, 'mutation', 'admin.tenants.retry', { id }, { token: user.tokens.accessToken });
    expect(denied.status).toBe(403);
    expect(denied.body.error?.data.code).toBe('FORBIDDEN');
    expect((await tenantRow(id)).status).toBe('failed');

    await db.query(`drop table "${schema}"."projects"`);
    const superadmin = await createUser({ groups: ['superadmin'] });
    const retried = await call(
      t.app,
      'mutation',
      'admin.tenants.retry',
      { id },
      {
        token: superadmin.tokens.accessToken,
      },
    );
    expect(retried.status, JSON.stringify(retried.body)).toBe(200);
    expect(retried.data).toMatchObject({ id, status: 'pending' });
    // A worker for this database only now: the retry's job is the only one it can find for this tenant.
    const worker = await startWorker({
      databaseUrl: database.url,
      concurrency: 1,
      orm: t.app.services.orm,
      log: t.app.log,
    });
    try {
      const status = await waitForStatus(t.app, user.tokens.accessToken, id, (s) => s.status === 'ready', 15_000);
      expect(status.status).toBe('ready');
      await expectReady(id, user);
    } finally {
      await worker.stop();
    }
  });
});
