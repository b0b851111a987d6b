import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { can, PERMISSIONS, Role, type Permission } from '@tenantry/shared';
import { buildTestApp, type TestApp } from './helpers/app.js';
import { addMembership, connectDb, userIdByEmail, type Db } from './helpers/db.js';
import { createUser, type TestUser } from './helpers/stack-env.js';
import { call, ownerWithTenant, tenantHeader, type TestTenant } from './helpers/tenants.js';

let t: TestApp;
let db: Db;
let tenant: TestTenant;
let owner: TestUser;
const users = {} as Record<Role, TestUser>;

const as = (user: TestUser) => ({ token: user.tokens.accessToken, headers: tenantHeader(tenant.id) });

/** One procedure that needs each permission, called with a fresh object where it changes one. */
interface Probe {
  kind: 'query' | 'mutation';
  path: string;
  input: unknown;
  /** What an allowed caller gets when the call itself must not take effect (default 200). */
  allowed?: { status: number; appCode: string };
}
const PROBES: Record<Permission, () => Promise<Probe>> = {
  'projects.read': async () => ({ kind: 'query', path: 'projects.list', input: {} }),
  'projects.write': async () => ({ kind: 'mutation', path: 'projects.create', input: { name: 'Probe' } }),
  'projects.delete': async () => {
    const created = await call<{ id: string }>(t.app, 'mutation', 'projects.create', { name: 'Doomed' }, as(owner));
    return { kind: 'mutation', path: 'projects.delete', input: { id: created.data.id } };
  },
  'tenant.update': async () => ({ kind: 'mutation', path: 'tenants.update', input: { name: tenant.name } }),
  'audit.read': async () => ({ kind: 'query', path: 'audit.list', input: {} }),
  'members.read': async () => ({ kind: 'query', path: 'members.list', input: {} }),
  'members.manage': async () => ({ kind: 'query', path: 'invitations.list', input: undefined }),
  'settings.read': async () => ({ kind: 'query', path: 'config.get', input: undefined }),
  'settings.update': async () => ({ kind: 'mutation', path: 'config.set', input: { key: 'timezone', value: 'UTC' } }),
  'secrets.manage': async () => ({
    kind: 'mutation',
    path: 'config.setSecret',
    input: { name: 'probe', value: 'probe-value-123456' },
  }),
  // Its current plan: allowed callers get a no-op.
  'plan.change': async () => ({ kind: 'mutation', path: 'tenants.changePlan', input: { plan: 'basic' } }),
  // A wrong confirmation: allowed callers get past the guard to the validation, and nothing is deleted.
  'tenant.delete': async () => ({
    kind: 'mutation',
    path: 'tenants.delete',
    input: { confirmSlug: 'not-this-one' },
    allowed: { status: 400, appCode: 'VALIDATION_FAILED' },
  }),
  'usage.read': async () => ({
    kind: 'query',
    path: 'usage.summary',
    input: { from: new Date().toISOString().slice(0, 10), to: new Date().toISOString().slice(0, 10) },
  }),
  'files.read': async () => ({ kind: 'query', path: 'files.list', input: {} }),
  // Reserves an upload and returns its presigned POST; nothing is sent to S3.
  'files.write': async () => ({
    kind: 'mutation',
    path: 'files.createUpload',
    input: { name: 'probe.txt', size: 5, contentType: 'text/plain' },
  }),
  // An upload the owner reserved and never sent: deleting it gives it up.
  'files.delete': async () => {
    const input = { name: 'doomed.txt', size: 5, contentType: 'text/plain' };
    const created = await call<{ file: { id: string } }>(t.app, 'mutation', 'files.createUpload', input, as(owner));
    return { kind: 'mutation', path: 'files.delete', input: { id: created.data.file.id } };
  },
  // The list: the export itself is also gated by the plan feature data_export (export.test.ts).
  'tenant.export': async () => ({ kind: 'query', path: 'tenants.exports', input: undefined }),
  'tenant.health': async () => ({ kind: 'query', path: 'tenants.health', input: undefined }),
};

beforeAll(async () => {
  t = await buildTestApp();
  db = await connectDb();
  ({ user: owner, tenant } = await ownerWithTenant(t.app));
  users.owner = owner;
  for (const role of ['admin', 'member', 'viewer'] as const) {
    const user = await createUser();
    await call(t.app, 'query', 'auth.me', undefined, { token: user.tokens.accessToken });
    await addMembership(db, tenant.id, await userIdByEmail(db, user.email), role);
    users[role] = user;
  }
});
afterAll(async () => {
  await db.close();
  await t.close();
});

describe('the permission matrix, against the API', () => {
  it('has a probe for every permission', () => {
    expect(Object.keys(PROBES).sort()).toEqual(Object.keys(PERMISSIONS).sort());
  });

  const cases = (Object.keys(PERMISSIONS) as Permission[]).flatMap((permission) =>
    Role.options.map((role) => ({ permission, role, allowed: can(role, permission) })),
  );
  it.each(cases)('$role $permission: allowed=$allowed', async ({ permission, role, allowed }) => {
    const probe = await PROBES[permission]();
    const res = await call(t.app, probe.kind, probe.path, probe.input, as(users[role]));
    if (allowed && probe.allowed) {
      expect(res.status, JSON.stringify(res.body.error)).toBe(probe.allowed.status);
      expect(res.body.error?.data.appCode).toBe(probe.allowed.appCode);
    } else if (allowed) expect(res.status, JSON.stringify(res.body.error)).toBe(200);
    else {
      expect(res.status).toBe(403);
      expect(res.body.error?.data.appCode).toBe('FORBIDDEN');
    }
  });
});
