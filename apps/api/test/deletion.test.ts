import { ListObjectsV2Command, PutObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AdminTenant, MyTenant, PurgePlan, PurgeResult, TenantStatusInfo } from '@tenantry/shared';
import { tenantSchemaName } from '../src/db/tenant-schema.js';
import { provisionTenant } from '../src/services/provisioning.js';
import { purgeTenant } from '../src/services/tenant-deletion.js';
import { buildTestApp, type TestApp } from './helpers/app.js';
import { addMembership, connectDb, isolatedDatabase, userIdByEmail, type Db } from './helpers/db.js';
import { createUser, type TestUser } from './helpers/stack-env.js';
import { call, createReadyTenant, tenantHeader, type TestTenant } from './helpers/tenants.js';

// A database of its own: purge plans and TENANT_PURGE_MAX count every due tenant, and no other file's
// worker should run these purge jobs.
let iso: Awaited<ReturnType<typeof isolatedDatabase>>;
/** Grace 0: the purge job runs as soon as the deletion commits. */
let now: TestApp;
/** Grace 1 hour and at most 2 tenants per purge run: tests move `purge_after` into the past themselves. */
let later: TestApp;
let db: Db;
let superadmin: TestUser;

beforeAll(async () => {
  iso = await isolatedDatabase('tenantry_deletion');
  now = await buildTestApp({ DATABASE_URL: iso.url, TENANT_DELETE_GRACE: '0' });
  later = await buildTestApp({ DATABASE_URL: iso.url, TENANT_DELETE_GRACE: '1h', TENANT_PURGE_MAX: '2' });
  db = await connectDb(iso.url);
  superadmin = await createUser({ groups: ['superadmin'] });
});
afterAll(async () => {
  await db?.close();
  await now?.close();
  await later?.close();
  await iso?.drop();
});

const as = (user: TestUser, tenant: TestTenant) => ({
  token: user.tokens.accessToken,
  headers: tenantHeader(tenant.id),
});
const admin = () => ({ token: superadmin.tokens.accessToken });

async function orgWith(t: TestApp, roles: Array<'admin' | 'member' | 'viewer'> = []) {
  const owner = await createUser();
  const tenant = await createReadyTenant(t.app, owner);
  const others: TestUser[] = [];
  for (const role of roles) {
    const user = await createUser();
    await call(t.app, 'query', 'auth.me', undefined, { token: user.tokens.accessToken });
    await addMembership(db, tenant.id, await userIdByEmail(db, user.email), role);
    others.push(user);
  }
  return { owner, tenant, others };
}

async function putObjects(t: TestApp, tenantId: string, count: number): Promise<number> {
  const { s3, env } = t.app.services;
  let bytes = 0;
  for (let i = 0; i < count; i++) {
    const body = `object ${i} of ${tenantId}`;
    bytes += Buffer.byteLength(body);
    await s3.send(new PutObjectCommand({ Bucket: env.S3_BUCKET, Key: `${tenantId}/f${i}/file-${i}.txt`, Body: body }));
  }
  return bytes;
}

async function keysUnder(t: TestApp, prefix: string): Promise<string[]> {
  const { s3, env } = t.app.services;
  const page = await s3.send(new ListObjectsV2Command({ Bucket: env.S3_BUCKET, Prefix: prefix }));
  return (page.Contents ?? []).map((o) => o.Key ?? '');
}

async function schemaExists(tenantId: string): Promise<boolean> {
  const rows = await db.query('select 1 from information_schema.schemata where schema_name = $1', [
    tenantSchemaName(tenantId),
  ]);
  return rows.length > 0;
}

async function tenantRow(id: string) {
  const [row] = await db.query<{
    status: string;
    deletion_requested_by: string | null;
    deletion_requested_at: Date | null;
    purge_after: Date | null;
    deleted_at: Date | null;
    deletion_summary: Record<string, unknown> | null;
  }>('select * from tenants where id = $1', [id]);
  return row!;
}

/** The tenant's rows in the control plane's audit, oldest first. */
async function platformRows(tenantId: string) {
  return db.query<{
    procedure: string;
    superadmin_id: string | null;
    superadmin_email: string | null;
    details: Record<string, unknown> | null;
  }>(
    `select procedure, superadmin_id, superadmin_email, details from platform_audit
      where tenant_id = $1 order by at, id`,
    [tenantId],
  );
}

async function waitForTenantStatus(id: string, status: string, timeoutMs = 20_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const row = await tenantRow(id);
    if (row.status === status) return row;
    if (Date.now() > deadline) throw new Error(`tenant ${id} still ${row.status} after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const deleteTenant = (t: TestApp, user: TestUser, tenant: TestTenant, confirmSlug = tenant.slug) =>
  call<TenantStatusInfo>(t.app, 'mutation', 'tenants.delete', { confirmSlug }, as(user, tenant));

describe('tenants.delete', () => {
  it('needs the exact address typed, and an owner', async () => {
    const { owner, tenant, others } = await orgWith(later, ['admin', 'member']);
    const wrong = await deleteTenant(later, owner, tenant, `${tenant.slug}-x`);
    expect(wrong.status).toBe(400);
    expect(wrong.body.error?.data.appCode).toBe('VALIDATION_FAILED');
    expect(wrong.body.error?.data.zodError?.fieldErrors.confirmSlug?.[0]).toContain(tenant.slug);
    for (const user of others) {
      const refused = await deleteTenant(later, user, tenant);
      expect(refused.status).toBe(403);
      expect(refused.body.error?.data.appCode).toBe('FORBIDDEN');
    }
    expect((await tenantRow(tenant.id)).status).toBe('ready');
  });

  it('takes the organisation away from every member at once, and a superadmin can restore it', async () => {
    const { owner, tenant, others } = await orgWith(later, ['member']);
    const member = others[0]!;
    await call(later.app, 'mutation', 'tenants.switch', { id: tenant.id }, { token: member.tokens.accessToken });

    const deleted = await deleteTenant(later, owner, tenant);
    expect(deleted.status).toBe(200);
    expect(deleted.data.status).toBe('deleting');
    const row = await tenantRow(tenant.id);
    expect(row).toMatchObject({ status: 'deleting', deletion_requested_by: await userIdByEmail(db, owner.email) });
    const graceMs = row.purge_after!.getTime() - row.deletion_requested_at!.getTime();
    expect(graceMs).toBe(3_600_000);
    // The purge is queued for the end of the grace period.
    const [job] = await db.query<{ run_at: Date }>(`select run_at from graphile_worker.jobs where key = $1`, [
      `tenant_purge:${tenant.id}`,
    ]);
    expect(job?.run_at.getTime()).toBe(row.purge_after!.getTime());

    for (const user of [owner, member]) {
      const mine = await call<MyTenant[]>(later.app, 'query', 'tenants.mine', undefined, {
        token: user.tokens.accessToken,
      });
      expect(mine.data.map((x) => x.id)).not.toContain(tenant.id);
      const reach = await call(later.app, 'query', 'projects.list', {}, as(user, tenant));
      expect(reach.status).toBe(404);
      expect(reach.body.error?.data.appCode).toBe('NOT_FOUND');
      // Nor through the current-tenant pointer, which the deletion cleared.
      const current = await call(later.app, 'query', 'tenants.current', undefined, { token: user.tokens.accessToken });
      expect(current.status).toBe(404);
    }
    const [pointer] = await db.query<{ current_tenant_id: string | null }>(
      'select current_tenant_id from users where email = $1',
      [member.email],
    );
    expect(pointer?.current_tenant_id).toBeNull();

    // The superadmin console still shows it, with when the purge happens.
    const listed = await call<{ items: AdminTenant[] }>(
      later.app,
      'query',
      'admin.tenants.list',
      { status: 'deleting' },
      admin(),
    );
    expect(listed.data.items.find((x) => x.id === tenant.id)?.purgeAfter).toBe(row.purge_after!.toISOString());

    // Owners cannot restore; superadmins can, and the tenant is back with its data.
    const byOwner = await call(
      later.app,
      'mutation',
      'admin.tenants.restore',
      { id: tenant.id },
      { token: owner.tokens.accessToken },
    );
    expect(byOwner.status).toBe(403);
    const restored = await call<AdminTenant>(
      later.app,
      'mutation',
      'admin.tenants.restore',
      { id: tenant.id },
      admin(),
    );
    expect(restored.status, JSON.stringify(restored.body.error)).toBe(200);
    expect(restored.data).toMatchObject({ status: 'ready', purgeAfter: null, deletionRequestedAt: null });
    expect(await db.query(`select 1 from graphile_worker.jobs where key = $1`, [`tenant_purge:${tenant.id}`])).toEqual(
      [],
    );
    const back = await call(later.app, 'query', 'projects.list', {}, as(member, tenant));
    expect(back.status).toBe(200);
    const audit = await call<{ items: Array<{ action: string; actorIsSuperadmin: boolean }> }>(
      later.app,
      'query',
      'audit.list',
      {},
      as(owner, tenant),
    );
    expect(audit.data.items.map((e) => e.action)).toEqual(
      expect.arrayContaining(['tenant.deletion_requested', 'tenant.restored']),
    );
    expect(await db.query('select procedure from platform_audit where tenant_id = $1', [tenant.id])).toEqual([
      { procedure: 'admin.tenants.restore' },
    ]);

    // Restoring twice is refused: there is nothing to take back.
    const again = await call(later.app, 'mutation', 'admin.tenants.restore', { id: tenant.id }, admin());
    expect(again.status).toBe(409);
  });
});

describe('the purge', () => {
  it('with a grace of 0 removes schema, objects and memberships and leaves the record', async () => {
    const { owner, tenant, others } = await orgWith(now, ['member', 'viewer']);
    await call(now.app, 'mutation', 'projects.create', { name: 'Doomed project' }, as(owner, tenant));
    const invited = await call(
      now.app,
      'mutation',
      'members.invite',
      { email: 'someone@example.com', role: 'member' },
      as(owner, tenant),
    );
    expect(invited.status, JSON.stringify(invited.body.error)).toBe(200);
    const bytes = await putObjects(now, tenant.id, 5);
    // Another tenant's objects, with a key that starts like this one's, are not touched.
    const neighbour = `${tenant.id.slice(0, -1)}${tenant.id.endsWith('0') ? '1' : '0'}`;
    await putObjects(now, neighbour, 1);
    expect(await schemaExists(tenant.id)).toBe(true);

    expect((await deleteTenant(now, owner, tenant)).status).toBe(200);
    const row = await waitForTenantStatus(tenant.id, 'deleted');

    expect(await schemaExists(tenant.id)).toBe(false);
    expect(await keysUnder(now, `${tenant.id}/`)).toEqual([]);
    expect(await keysUnder(now, `${neighbour}/`)).toHaveLength(1);
    expect(await db.query('select 1 from memberships where tenant_id = $1', [tenant.id])).toEqual([]);
    expect(await db.query('select 1 from invitations where tenant_id = $1', [tenant.id])).toEqual([]);
    expect(row.deleted_at).toBeInstanceOf(Date);
    expect(row.deletion_requested_by).toBe(await userIdByEmail(db, owner.email));
    expect(row.deletion_summary).toMatchObject({
      schema: tenantSchemaName(tenant.id),
      objects: 5,
      objectBytes: bytes,
      memberships: 3,
      invitations: 1,
    });
    expect((row.deletion_summary?.tables as Record<string, number>).projects).toBe(1);
    // The job's purge is in the platform audit, with no superadmin, and stays there: the database refuses
    // to change or remove it.
    const recorded = await platformRows(tenant.id);
    expect(recorded).toEqual([
      {
        procedure: 'tenant.purged',
        superadmin_id: null,
        superadmin_email: null,
        details: { slug: tenant.slug, summary: row.deletion_summary },
      },
    ]);
    await expect(
      db.query(`update platform_audit set details = null where tenant_id = $1`, [tenant.id]),
    ).rejects.toThrow(/append-only/);
    await expect(db.query('delete from platform_audit where tenant_id = $1', [tenant.id])).rejects.toThrow(
      /append-only/,
    );
    expect(await platformRows(tenant.id)).toEqual(recorded);
    // Still gone for its former members; nothing left to restore.
    const mine = await call<MyTenant[]>(now.app, 'query', 'tenants.mine', undefined, {
      token: others[0]!.tokens.accessToken,
    });
    expect(mine.data.map((x) => x.id)).not.toContain(tenant.id);
    const restore = await call(now.app, 'mutation', 'admin.tenants.restore', { id: tenant.id }, admin());
    expect(restore.status).toBe(404);
  });

  it('pages through more objects than one listing holds', async () => {
    const { owner, tenant } = await orgWith(later);
    const bytes = await putObjects(later, tenant.id, 7);
    expect((await deleteTenant(later, owner, tenant)).status).toBe(200);
    const services = later.app.services;
    const storage = { s3: services.s3, bucket: services.env.S3_BUCKET, pageSize: 2 };

    // Not before the grace period is over.
    expect(await purgeTenant(services.orm.em.fork(), storage, tenant.id, null)).toEqual({
      outcome: 'skipped',
      reason: 'grace period not over',
    });
    await db.query(`update tenants set purge_after = now() - interval '1 second' where id = $1`, [tenant.id]);
    const result = await purgeTenant(services.orm.em.fork(), storage, tenant.id, null);
    expect(result).toMatchObject({ outcome: 'purged', summary: { objects: 7, objectBytes: bytes, memberships: 1 } });
    expect(await keysUnder(later, `${tenant.id}/`)).toEqual([]);
    // A second run, as the job queued for the end of the grace period will be, does nothing.
    expect(await purgeTenant(services.orm.em.fork(), storage, tenant.id, null)).toEqual({
      outcome: 'skipped',
      reason: 'tenant is deleted',
    });
    // Recorded once, for the run that purged.
    expect(await platformRows(tenant.id)).toMatchObject([
      { procedure: 'tenant.purged', superadmin_id: null, details: { slug: tenant.slug, summary: { objects: 7 } } },
    ]);
  });

  it('purgePlan is a dry run of the next purge, and a purge removes at most TENANT_PURGE_MAX tenants', async () => {
    const orgs = [await orgWith(later), await orgWith(later), await orgWith(later)];
    for (const [i, o] of orgs.entries()) {
      await putObjects(later, o.tenant.id, i + 1);
      expect((await deleteTenant(later, o.owner, o.tenant)).status).toBe(200);
    }
    const ids = orgs.map((o) => o.tenant.id);
    // Still in their grace period: nothing to purge.
    const early = await call<PurgePlan>(later.app, 'query', 'admin.tenants.purgePlan', undefined, admin());
    expect(early.status, JSON.stringify(early.body.error)).toBe(200);
    expect(early.data.items.filter((x) => ids.includes(x.id))).toEqual([]);

    // Due in order: the first two go first.
    for (const [i, id] of ids.entries()) {
      await db.query(`update tenants set purge_after = now() - ($2 || ' minutes')::interval where id = $1`, [
        id,
        10 - i,
      ]);
    }
    const plan = await call<PurgePlan>(later.app, 'query', 'admin.tenants.purgePlan', undefined, admin());
    expect(plan.data.max).toBe(2);
    expect(plan.data.items.map((x) => x.id)).toEqual(ids.slice(0, 2));
    expect(plan.data.remaining).toBe(1);
    expect(plan.data.items[1]!.would).toMatchObject({ objects: 2, memberships: 1, invitations: 0 });
    // A dry run removed nothing.
    for (const id of ids) {
      expect(await schemaExists(id)).toBe(true);
      expect((await tenantRow(id)).status).toBe('deleting');
    }

    const byOwner = await call(later.app, 'mutation', 'admin.tenants.purge', undefined, {
      token: orgs[0]!.owner.tokens.accessToken,
    });
    expect(byOwner.status).toBe(403);

    const run = await call<PurgeResult>(later.app, 'mutation', 'admin.tenants.purge', undefined, admin());
    expect(run.status, JSON.stringify(run.body.error)).toBe(200);
    expect(run.data.purged.map((x) => x.id)).toEqual(ids.slice(0, 2));
    expect(run.data.remaining).toBe(1);
    expect((await tenantRow(ids[0]!)).status).toBe('deleted');
    expect((await tenantRow(ids[2]!)).status).toBe('deleting');
    expect(await schemaExists(ids[0]!)).toBe(false);
    expect(await schemaExists(ids[2]!)).toBe(true);
    // Each purge is the superadmin's in the platform audit.
    const superadminId = await userIdByEmail(db, superadmin.email);
    for (const [i, o] of orgs.slice(0, 2).entries()) {
      expect(await platformRows(o.tenant.id)).toEqual([
        {
          procedure: 'admin.tenants.purge',
          superadmin_id: superadminId,
          superadmin_email: superadmin.email,
          details: { slug: o.tenant.slug, summary: run.data.purged[i]!.summary },
        },
      ]);
    }
    expect(await platformRows(ids[2]!)).toEqual([]);

    const after = await call<PurgePlan>(later.app, 'query', 'admin.tenants.purgePlan', undefined, admin());
    expect(after.data.items.map((x) => x.id)).toEqual([ids[2]]);
    const last = await call<PurgeResult>(later.app, 'mutation', 'admin.tenants.purge', undefined, admin());
    expect(last.data).toMatchObject({ remaining: 0, purged: [{ id: ids[2] }] });
    expect(
      (await call<PurgePlan>(later.app, 'query', 'admin.tenants.purgePlan', undefined, admin())).data.items,
    ).toEqual([]);
  });

  it('leaves a deleted tenant alone in every other job', async () => {
    const { owner, tenant } = await orgWith(now);
    expect((await deleteTenant(now, owner, tenant)).status).toBe(200);
    await waitForTenantStatus(tenant.id, 'deleted');
    // A provisioning job for it (a late retry, say) neither recreates its schema nor revives it.
    const outcome = await provisionTenant(now.app.services.orm, tenant.id, { attempt: 1, maxAttempts: 1 });
    expect(outcome).toBe('skipped');
    expect(await schemaExists(tenant.id)).toBe(false);
    expect((await tenantRow(tenant.id)).status).toBe('deleted');
    const retry = await call(now.app, 'mutation', 'admin.tenants.retry', { id: tenant.id }, admin());
    expect(retry.status).toBe(404);
  });
});
