import { PutObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TenantHealth } from '@tenantry/shared';
import { LATEST_TENANT_SCHEMA_VERSION } from '../src/db/migrations/tenant/index.js';
import { TenantSchema } from '../src/db/control/index.js';
import { tenantSchemaName } from '../src/db/tenant-schema.js';
import { tenantHealth } from '../src/services/tenant-health.js';
import { buildTestApp, type TestApp } from './helpers/app.js';
import { addMembership, connectDb, userIdByEmail, type Db } from './helpers/db.js';
import { uploadFile } from './helpers/files.js';
import { createUser, type TestUser } from './helpers/stack-env.js';
import { call, createReadyTenant, tenantHeader, type CallOptions, type TestTenant } from './helpers/tenants.js';

let t: TestApp;
let db: Db;
let superadmin: TestUser;

const as = (user: TestUser, tenant: TestTenant): CallOptions => ({
  token: user.tokens.accessToken,
  headers: tenantHeader(tenant.id),
});

async function org() {
  const owner = await createUser();
  const tenant = await createReadyTenant(t.app, owner);
  return { owner, tenant };
}

async function put(key: string, body: string) {
  const { s3, env } = t.app.services;
  await s3.send(new PutObjectCommand({ Bucket: env.S3_BUCKET, Key: key, Body: body }));
}

const health = async (owner: TestUser, tenant: TestTenant) => {
  const res = await call<TenantHealth>(t.app, 'query', 'tenants.health', undefined, as(owner, tenant));
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.data;
};

beforeAll(async () => {
  t = await buildTestApp();
  db = await connectDb();
  superadmin = await createUser({ groups: ['superadmin'] });
});
afterAll(async () => {
  await db?.close();
  await t?.close();
});

describe('tenant health', () => {
  it('finds a fresh tenant healthy, and still healthy with files and an export archive', async () => {
    const { owner, tenant } = await org();
    const fresh = await health(owner, tenant);
    expect(fresh).toMatchObject({
      tenantId: tenant.id,
      schemaPresent: true,
      schemaVersion: LATEST_TENANT_SCHEMA_VERSION,
      latestSchemaVersion: LATEST_TENANT_SCHEMA_VERSION,
      storage: { countedBytes: 0, objectBytes: 0, objects: 0, exportBytes: 0, exportObjects: 0 },
      recentJobErrors: [],
      healthy: true,
      problems: [],
    });
    expect(fresh.tables.map((r) => r.name)).toEqual(
      expect.arrayContaining(['projects', 'audit_log', 'files', 'exports']),
    );
    expect(fresh.tables.find((r) => r.name === 'audit_log')?.rows).toBeGreaterThan(0);

    await call(t.app, 'mutation', 'projects.create', { name: 'Counted' }, as(owner, tenant));
    const file = await uploadFile(t.app, as(owner, tenant), {
      name: 'a.txt',
      contentType: 'text/plain',
      body: 'twelve bytes',
    });
    // An upload reserved but never sent, and an export archive: neither is file storage.
    await call(
      t.app,
      'mutation',
      'files.createUpload',
      { name: 'later.txt', size: 3, contentType: 'text/plain' },
      as(owner, tenant),
    );
    await put(`${tenant.id}/exports/00000000-0000-4000-8000-000000000000.zip`, 'zip bytes');
    const later = await health(owner, tenant);
    expect(later.tables.find((r) => r.name === 'projects')?.rows).toBe(1);
    expect(later.tables.find((r) => r.name === 'files')?.rows).toBe(2);
    expect(later.storage).toEqual({
      countedBytes: file.size,
      objectBytes: file.size,
      objects: 1,
      exportBytes: 9,
      exportObjects: 1,
    });
    expect(later).toMatchObject({ healthy: true, problems: [] });
  });

  it('reports storage that does not match the bucket, counting objects across pages', async () => {
    const { owner, tenant } = await org();
    await uploadFile(t.app, as(owner, tenant), { name: 'a.txt', contentType: 'text/plain', body: 'abc' });
    // Objects behind the API's back: counted nowhere.
    for (let i = 0; i < 5; i++) await put(`${tenant.id}/stray/${i}.bin`, 'xx');
    const report = await health(owner, tenant);
    expect(report.storage).toMatchObject({ countedBytes: 3, objectBytes: 13, objects: 6 });
    expect(report.healthy).toBe(false);
    expect(report.problems).toEqual([expect.stringMatching(/^Storage counts 3 bytes but the bucket holds 13 bytes/)]);

    // Two keys a page: the StartAfter walk crosses four pages and finds the same.
    const row = await t.app.services.orm.em.fork().findOneOrFail(TenantSchema, { id: tenant.id });
    const paged = await tenantHealth(
      t.app.services.orm.em.fork(),
      { s3: t.app.services.s3, bucket: t.app.services.env.S3_BUCKET, pageSize: 2 },
      row,
    );
    expect(paged.storage).toEqual(report.storage);

    // The count drifts the other way too.
    await db.query('update tenants set storage_bytes = 1000 where id = $1', [tenant.id]);
    expect((await health(owner, tenant)).problems[0]).toMatch(/^Storage counts 1000 bytes/);
  });

  it('reports a schema behind the latest version and a tenant’s failed jobs', async () => {
    const { owner, tenant } = await org();
    await db.query('update tenants set schema_version = schema_version - 1 where id = $1', [tenant.id]);
    // A job no worker knows, so none runs it; its error is what a failed attempt leaves.
    const [job] = await db.query<{ id: string }>(
      `select id from graphile_worker.add_job('health_probe', json_build_object('tenantId', $1::text), max_attempts => 1)`,
      [tenant.id],
    );
    await db.query(`update graphile_worker._private_jobs set attempts = 1, last_error = 'S3 said no' where id = $1`, [
      job!.id,
    ]);
    try {
      const report = await health(owner, tenant);
      expect(report.healthy).toBe(false);
      expect(report.recentJobErrors.map(({ task, error }) => ({ task, error }))).toEqual([
        { task: 'health_probe', error: 'S3 said no' },
      ]);
      expect(report.problems).toEqual([
        `The schema is at version ${LATEST_TENANT_SCHEMA_VERSION - 1}; the latest is ${LATEST_TENANT_SCHEMA_VERSION}. Run the tenant migrations.`,
        '1 job of this tenant failed recently (see the job errors).',
      ]);
    } finally {
      await db.query('delete from graphile_worker._private_jobs where id = $1', [job!.id]);
    }
  });

  it('admin.tenants.health reports a dropped schema, and is for superadmins only', async () => {
    const { owner, tenant } = await org();
    await db.query(`drop schema "${tenantSchemaName(tenant.id)}" cascade`);
    const res = await call<TenantHealth>(
      t.app,
      'query',
      'admin.tenants.health',
      { id: tenant.id },
      {
        token: superadmin.tokens.accessToken,
      },
    );
    expect(res.status).toBe(200);
    expect(res.data).toMatchObject({ schemaPresent: false, tables: [], healthy: false });
    expect(res.data.problems).toContain(`The schema ${tenantSchemaName(tenant.id)} does not exist.`);

    const byOwner = await call(
      t.app,
      'query',
      'admin.tenants.health',
      { id: tenant.id },
      {
        token: owner.tokens.accessToken,
      },
    );
    expect(byOwner.status).toBe(403);
  });

  it('tenants.health is for owners and admins', async () => {
    const { owner, tenant } = await org();
    for (const role of ['admin', 'member', 'viewer'] as const) {
      const user = await createUser();
      await call(t.app, 'query', 'auth.me', undefined, { token: user.tokens.accessToken });
      await addMembership(db, tenant.id, await userIdByEmail(db, user.email), role);
      const res = await call(t.app, 'query', 'tenants.health', undefined, as(user, tenant));
      expect(res.status, role).toBe(role === 'admin' ? 200 : 403);
    }
    expect((await health(owner, tenant)).healthy).toBe(true);
  });
});
