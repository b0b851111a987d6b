import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CurrentTenant, Role } from '@tenantry/shared';
import { buildTestApp, type TestApp } from '../helpers/app.js';
import { addMembership, connectDb, setTenantStatus, userIdByEmail, type Db } from '../helpers/db.js';
import { claimsOf, forgeEmulatorToken } from '../helpers/forge.js';
import { createUser, type TestUser } from '../helpers/stack-env.js';
import {
  call,
  createReadyTenant,
  signedInUser,
  tenantHeader,
  type CallOptions,
  type CallResult,
  type TestTenant,
} from '../helpers/tenants.js';

const BASE_DOMAIN = 'tenantry.test';

let t: TestApp;
let db: Db;
let owner: TestUser;
/** Two tenants of the same owner; the owner's current tenant is `two`. */
let one: TestTenant;
let two: TestTenant;

beforeAll(async () => {
  t = await buildTestApp({ BASE_DOMAIN });
  db = await connectDb();
  owner = await createUser();
  [one, two] = await Promise.all([
    createReadyTenant(t.app, owner, `Resolution One ${Date.now()}`),
    createReadyTenant(t.app, owner, `Resolution Two ${Date.now()}`),
  ]);
  expect(
    (await call(t.app, 'mutation', 'tenants.switch', { id: two.id }, { token: owner.tokens.accessToken })).status,
  ).toBe(200);
});
afterAll(async () => {
  await db?.close();
  await t?.close();
});

type Details = { details?: Record<string, unknown> | null };
const appCode = (res: CallResult<unknown>) => res.body.error?.data.appCode;
const details = (res: CallResult<unknown>) => (res.body.error?.data as Details | undefined)?.details;

/** tenants.current as `user` with these request options: which tenant the request resolved to. */
async function current(options: Omit<CallOptions, 'token'>, user: TestUser = owner) {
  return call<CurrentTenant>(t.app, 'query', 'tenants.current', undefined, {
    token: user.tokens.accessToken,
    ...options,
  });
}

describe('the order of tenant context', () => {
  it('uses the current tenant without explicit context', async () => {
    expect((await current({})).data.id).toBe(two.id);
  });

  it.each([
    ['X-Tenant-ID', () => ({ headers: tenantHeader(one.id) })],
    ['X-Tenant-Slug', () => ({ headers: { 'x-tenant-slug': one.slug } })],
    ['?tenant=<id>', () => ({ query: `tenant=${one.id}` })],
    ['?tenant=<slug>', () => ({ query: `tenant=${one.slug}` })],
    ['a subdomain of BASE_DOMAIN', () => ({ headers: { host: `${one.slug}.${BASE_DOMAIN}` } })],
  ])('%s beats the current tenant', async (_how, options) => {
    const res = await current(options());
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.data).toMatchObject({ id: one.id, role: 'owner', viaSuperadmin: false });
  });

  it.each([`www.${BASE_DOMAIN}`, BASE_DOMAIN, 'localhost', 'unknown-host.example.net'])(
    'Host %s names no tenant: the current one is used',
    async (host) => {
      const res = await current({ headers: { host } });
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      expect(res.data.id).toBe(two.id);
    },
  );

  it('reaches a tenant by its custom domain once set', async () => {
    const domain = `one-${one.id.slice(0, 8)}.example.com`;
    // A custom domain is a plan feature (enterprise).
    await db.query(`update tenants set plan = 'enterprise' where id = $1`, [one.id]);
    const set = await call(
      t.app,
      'mutation',
      'tenants.update',
      { domain },
      {
        token: owner.tokens.accessToken,
        headers: tenantHeader(one.id),
      },
    );
    expect(set.status, JSON.stringify(set.body)).toBe(200);
    expect((await current({ headers: { host: domain } })).data.id).toBe(one.id);
    expect((await current({ headers: { host: `${domain}:8443` } })).data.id).toBe(one.id);
  });

  it('refuses two explicit hints that name different tenants (TENANT_MISMATCH)', async () => {
    const conflicting: Array<Omit<CallOptions, 'token'>> = [
      { headers: { ...tenantHeader(one.id), 'x-tenant-slug': two.slug } },
      { headers: tenantHeader(one.id), query: `tenant=${two.slug}` },
      { headers: { 'x-tenant-slug': one.slug, host: `${two.slug}.${BASE_DOMAIN}` } },
      { query: `tenant=${two.id}`, headers: { host: `${one.slug}.${BASE_DOMAIN}` } },
    ];
    for (const options of conflicting) {
      const res = await current(options);
      expect(res.status).toBe(403);
      expect(appCode(res)).toBe('TENANT_MISMATCH');
    }
    // Hints that agree are fine.
    const agreeing = await current({ headers: { ...tenantHeader(one.id), 'x-tenant-slug': one.slug } });
    expect(agreeing.data.id).toBe(one.id);
  });
});

describe('a tenant claim in the token', () => {
  const withClaim = async (claim: string) =>
    forgeEmulatorToken({ ...claimsOf(owner.tokens.accessToken), 'custom:tenant_id': claim });

  it('must agree with the resolved tenant', async () => {
    const claimsTwo = await withClaim(two.id);
    const explicitOne = await call(t.app, 'query', 'tenants.current', undefined, {
      token: claimsTwo,
      headers: tenantHeader(one.id),
    });
    expect(explicitOne.status).toBe(403);
    expect(appCode(explicitOne)).toBe('TENANT_MISMATCH');

    const claimsOne = await withClaim(one.id);
    // The current tenant (two) disagrees with the claim too.
    const fromCurrent = await call(t.app, 'query', 'tenants.current', undefined, { token: claimsOne });
    expect(appCode(fromCurrent)).toBe('TENANT_MISMATCH');

    const agreeing = await call<CurrentTenant>(t.app, 'query', 'tenants.current', undefined, {
      token: claimsOne,
      headers: tenantHeader(one.id),
    });
    expect(agreeing.status, JSON.stringify(agreeing.body)).toBe(200);
    expect(agreeing.data.id).toBe(one.id);
    const bySlug = await call<CurrentTenant>(t.app, 'query', 'tenants.current', undefined, {
      token: await withClaim(one.slug),
      headers: tenantHeader(one.id),
    });
    expect(bySlug.data.id).toBe(one.id);
  });

  it('is only a hint: it grants nothing to a non-member', async () => {
    const stranger = await signedInUser(t.app, await createUser());
    const token = await forgeEmulatorToken({ ...claimsOf(stranger.tokens.accessToken), 'custom:tenant_id': one.id });
    const res = await call(t.app, 'query', 'projects.list', {}, { token, headers: tenantHeader(one.id) });
    expect(res.status).toBe(404);
  });
});

describe('who gets in', () => {
  it('answers a non-member exactly as for a tenant that does not exist', async () => {
    const stranger = await createUser();
    const pairs: Array<[Omit<CallOptions, 'token'>, Omit<CallOptions, 'token'>]> = [
      [{ headers: tenantHeader(one.id) }, { headers: tenantHeader(randomUUID()) }],
      [{ headers: { 'x-tenant-slug': one.slug } }, { headers: { 'x-tenant-slug': `nope-${one.slug}` } }],
      [{ query: `tenant=${one.slug}` }, { query: `tenant=nope-${one.slug}` }],
      [{ headers: { host: `${one.slug}.${BASE_DOMAIN}` } }, { headers: { host: `nope-${one.slug}.${BASE_DOMAIN}` } }],
    ];
    for (const [existing, missing] of pairs) {
      const [a, b] = [await current(existing, stranger), await current(missing, stranger)];
      expect(a.status).toBe(404);
      expect(b.status).toBe(404);
      expect({ code: a.body.error?.data.code, appCode: appCode(a), message: a.body.error?.message }).toEqual({
        code: b.body.error?.data.code,
        appCode: appCode(b),
        message: b.body.error?.message,
      });
    }
  });

  it.each(['pending', 'preparing', 'failed'])(
    'answers CONFLICT TENANT_NOT_READY with the status for a %s tenant',
    async (status) => {
      const owner3 = await createUser();
      const tenant = await createReadyTenant(t.app, owner3);
      await setTenantStatus(db, tenant.id, status);
      const res = await call(
        t.app,
        'query',
        'projects.list',
        {},
        {
          token: owner3.tokens.accessToken,
          headers: tenantHeader(tenant.id),
        },
      );
      expect(res.status).toBe(409);
      expect(appCode(res)).toBe('TENANT_NOT_READY');
      expect(details(res)).toMatchObject({ tenantStatus: status });
    },
  );

  it('answers NOT_FOUND for a tenant being deleted', async () => {
    const owner3 = await createUser();
    const tenant = await createReadyTenant(t.app, owner3);
    await setTenantStatus(db, tenant.id, 'deleting');
    const res = await call(t.app, 'query', 'tenants.current', undefined, {
      token: owner3.tokens.accessToken,
      headers: tenantHeader(tenant.id),
    });
    expect(res.status).toBe(404);
  });
});

describe('suspension and superadmins', () => {
  let superadmin: TestUser;
  let superadminId: string;
  beforeAll(async () => {
    superadmin = await signedInUser(t.app, await createUser({ groups: ['superadmin'] }));
    superadminId = await userIdByEmail(db, superadmin.email);
  });
  const auditRows = () =>
    db.query<{ tenant_id: string; procedure: string; at: Date; superadmin_id: string }>(
      'select tenant_id, procedure, at, superadmin_id from platform_audit where superadmin_id = $1 order by at',
      [superadminId],
    );

  it('a suspended tenant answers TENANT_SUSPENDED to its members; resumed, it serves again', async () => {
    // The resolution rule on its own (status set in SQL), whatever admin.tenants.suspend does.
    const owner3 = await createUser();
    const tenant = await createReadyTenant(t.app, owner3);
    const asOwner: CallOptions = { token: owner3.tokens.accessToken, headers: tenantHeader(tenant.id) };
    await setTenantStatus(db, tenant.id, 'suspended');
    const refused = await call(t.app, 'query', 'projects.list', {}, asOwner);
    expect(refused.status).toBe(403);
    expect(appCode(refused)).toBe('TENANT_SUSPENDED');
    expect(details(refused)).toMatchObject({ tenantStatus: 'suspended' });
    await setTenantStatus(db, tenant.id, 'ready');
    expect((await call(t.app, 'query', 'projects.list', {}, asOwner)).status).toBe(200);
  });

  it('admin.tenants.suspend and resume by a superadmin', async () => {
    const owner3 = await createUser();
    const tenant = await createReadyTenant(t.app, owner3);
    const asOwner: CallOptions = { token: owner3.tokens.accessToken, headers: tenantHeader(tenant.id) };
    const asAdmin: CallOptions = { token: superadmin.tokens.accessToken };

    const suspended = await call(t.app, 'mutation', 'admin.tenants.suspend', { id: tenant.id }, asAdmin);
    expect(suspended.status, JSON.stringify(suspended.body)).toBe(200);
    expect(suspended.data).toMatchObject({ id: tenant.id, status: 'suspended' });
    const refused = await call(t.app, 'query', 'projects.list', {}, asOwner);
    expect(appCode(refused)).toBe('TENANT_SUSPENDED');

    const resumed = await call(t.app, 'mutation', 'admin.tenants.resume', { id: tenant.id }, asAdmin);
    expect(resumed.status, JSON.stringify(resumed.body)).toBe(200);
    expect((await call(t.app, 'query', 'projects.list', {}, asOwner)).status).toBe(200);
  });

  it('admin.tenants.list shows tenants, with their member counts, to a superadmin', async () => {
    const res = await call<{ items: Array<{ id: string; memberCount: number }> }>(
      t.app,
      'query',
      'admin.tenants.list',
      { search: one.slug },
      { token: superadmin.tokens.accessToken },
    );
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.data.items.find((i) => i.id === one.id)?.memberCount).toBeGreaterThanOrEqual(1);
  });

  it('a superadmin reaches a tenant with explicit context, and every such request is audited', async () => {
    const before = await auditRows();
    const started = new Date(Date.now() - 1000);
    const explicit: CallOptions = { token: superadmin.tokens.accessToken, headers: tenantHeader(one.id) };
    const res = await call<CurrentTenant>(t.app, 'query', 'tenants.current', undefined, explicit);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.data).toMatchObject({ id: one.id, viaSuperadmin: true });
    expect((await call(t.app, 'query', 'projects.list', {}, explicit)).status).toBe(200);

    const added = (await auditRows()).slice(before.length);
    expect(added.map((r) => [r.tenant_id, r.procedure])).toEqual([
      [one.id, 'tenants.current'],
      [one.id, 'projects.list'],
    ]);
    for (const row of added) {
      expect(row.superadmin_id).toBe(superadminId);
      expect(row.at.getTime()).toBeGreaterThanOrEqual(started.getTime());
    }
  });

  it('a superadmin does not get in through a current tenant, and nothing is audited', async () => {
    await db.query('update users set current_tenant_id = $1 where id = $2', [one.id, superadminId]);
    const before = (await auditRows()).length;
    const res = await call(t.app, 'query', 'projects.list', {}, { token: superadmin.tokens.accessToken });
    expect(res.status).toBe(404);
    expect((await auditRows()).length).toBe(before);
  });

  it('the audit trail cannot be changed or deleted (the database refuses)', async () => {
    // A row of its own, so this holds whatever the request path writes.
    await db.query(
      `insert into platform_audit (id, superadmin_id, superadmin_email, tenant_id, procedure, at)
       values (gen_random_uuid(), $1, $2, $3, 'test.append_only', now())`,
      [superadminId, superadmin.email, one.id],
    );
    await expect(
      db.query(`update platform_audit set procedure = 'nothing' where superadmin_id = $1`, [superadminId]),
    ).rejects.toThrow(/append-only/);
    await expect(db.query('delete from platform_audit where superadmin_id = $1', [superadminId])).rejects.toThrow(
      /append-only/,
    );
  });
});

describe('roles', () => {
  const members: Partial<Record<Role, TestUser>> = {};
  beforeAll(async () => {
    for (const role of ['viewer', 'member', 'admin'] as const) {
      const user = await signedInUser(t.app, await createUser());
      await addMembership(db, one.id, await userIdByEmail(db, user.email), role);
      members[role] = user;
    }
  });
  const as = (role: Role): CallOptions => ({ token: members[role]!.tokens.accessToken, headers: tenantHeader(one.id) });

  it('viewers read, members write, admins delete', async () => {
    expect((await call(t.app, 'query', 'projects.list', {}, as('viewer'))).status).toBe(200);
    const viewerCreate = await call(t.app, 'mutation', 'projects.create', { name: 'By a viewer' }, as('viewer'));
    expect(viewerCreate.status).toBe(403);
    expect(appCode(viewerCreate)).toBe('FORBIDDEN');

    const created = await call<{ id: string }>(
      t.app,
      'mutation',
      'projects.create',
      { name: 'By a member' },
      as('member'),
    );
    expect(created.status).toBe(200);
    const memberDelete = await call(t.app, 'mutation', 'projects.delete', { id: created.data.id }, as('member'));
    expect(memberDelete.status).toBe(403);
    expect((await call(t.app, 'mutation', 'tenants.update', { name: 'By a member' }, as('member'))).status).toBe(403);

    const adminDelete = await call(t.app, 'mutation', 'projects.delete', { id: created.data.id }, as('admin'));
    expect(adminDelete.status).toBe(200);
    expect((await call(t.app, 'query', 'projects.get', { id: created.data.id }, as('viewer'))).status).toBe(404);
  });
});
