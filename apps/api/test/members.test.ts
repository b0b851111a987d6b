import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Member, MemberPage, Role } from '@tenantry/shared';
import { tenantSchemaName } from '../src/db/tenant-schema.js';
import { buildTestApp, type TestApp } from './helpers/app.js';
import { addMembership, connectDb, userIdByEmail, type Db } from './helpers/db.js';
import { createUser, type TestUser } from './helpers/stack-env.js';
import { call, ownerWithTenant, tenantHeader, type TestTenant } from './helpers/tenants.js';

let t: TestApp;
let db: Db;

beforeAll(async () => {
  t = await buildTestApp();
  db = await connectDb();
});
afterAll(async () => {
  await db.close();
  await t.close();
});

interface Org {
  tenant: TestTenant;
  owner: TestUser & { id: string };
  /** Adds a signed-in user with `role` (memberships are written directly: invitations come later). */
  add(role: Role, name?: string): Promise<TestUser & { id: string }>;
  as(user: TestUser): { token: string; headers: Record<string, string> };
}

async function org(): Promise<Org> {
  const { user, tenant } = await ownerWithTenant(t.app);
  const as = (u: TestUser) => ({ token: u.tokens.accessToken, headers: tenantHeader(tenant.id) });
  return {
    tenant,
    owner: { ...user, id: await userIdByEmail(db, user.email) },
    as,
    async add(role, name) {
      const u = await createUser(name ? { name } : {});
      await call(t.app, 'query', 'auth.me', undefined, { token: u.tokens.accessToken }); // creates the user row
      const id = await userIdByEmail(db, u.email);
      await addMembership(db, tenant.id, id, role);
      return { ...u, id };
    },
  };
}

const codeOf = (res: { body: { error?: { data: { appCode: string } } } }) => res.body.error?.data.appCode;

describe('members.list', () => {
  it('lists everyone with name, email, role and joined date; searches, filters by role and pages; counts seats', async () => {
    const o = await org();
    const admin = await o.add('admin', 'Ada Admin');
    const viewer = await o.add('viewer', 'Vic Viewer');
    const list = (input: object, user: TestUser = viewer) =>
      call<MemberPage>(t.app, 'query', 'members.list', input, o.as(user));

    const all = await list({});
    expect(all.status).toBe(200);
    expect(all.data).toMatchObject({ count: 3, maxUsers: 100 });
    expect(all.data.items.map((m) => m.email).sort()).toEqual([admin.email, o.owner.email, viewer.email].sort());
    expect(all.data.items.find((m) => m.email === admin.email)).toMatchObject({ name: 'Ada Admin', role: 'admin' });

    expect((await list({ search: 'vic vie' })).data.items.map((m) => m.email)).toEqual([viewer.email]);
    expect((await list({ search: admin.email.toUpperCase() })).data.items.map((m) => m.email)).toEqual([admin.email]);
    expect((await list({ role: 'owner' })).data.items.map((m) => m.email)).toEqual([o.owner.email]);

    const first = await list({ limit: 2 });
    expect(first.data.items).toHaveLength(2);
    const second = await list({ limit: 2, cursor: first.data.nextCursor });
    expect(second.data.items).toHaveLength(1);
    expect(second.data.nextCursor).toBeNull();
    const seen = [...first.data.items, ...second.data.items].map((m) => m.userId);
    expect(new Set(seen).size).toBe(3);
  });
});

describe('members.updateRole and members.remove', () => {
  it('are for owners and admins; members and viewers are refused', async () => {
    const o = await org();
    const member = await o.add('member');
    const viewer = await o.add('viewer');
    for (const user of [member, viewer]) {
      const res = await call(
        t.app,
        'mutation',
        'members.updateRole',
        { userId: viewer.id, role: 'member' },
        o.as(user),
      );
      expect(res.status).toBe(403);
      expect((await call(t.app, 'mutation', 'members.remove', { userId: viewer.id }, o.as(user))).status).toBe(403);
    }
  });

  it('let an admin change and remove members, but not owners, and not make owners', async () => {
    const o = await org();
    const admin = await o.add('admin');
    const member = await o.add('member');
    const changed = await call<Member>(
      t.app,
      'mutation',
      'members.updateRole',
      { userId: member.id, role: 'viewer' },
      o.as(admin),
    );
    expect(changed.data).toMatchObject({ userId: member.id, role: 'viewer' });

    const promote = await call(
      t.app,
      'mutation',
      'members.updateRole',
      { userId: member.id, role: 'owner' },
      o.as(admin),
    );
    expect(promote.status).toBe(403);
    expect(promote.body.error?.message).toMatch(/Only an owner/);
    const demoteOwner = await call(
      t.app,
      'mutation',
      'members.updateRole',
      { userId: o.owner.id, role: 'admin' },
      o.as(admin),
    );
    expect(demoteOwner.status).toBe(403);
    expect((await call(t.app, 'mutation', 'members.remove', { userId: o.owner.id }, o.as(admin))).status).toBe(403);

    expect((await call(t.app, 'mutation', 'members.remove', { userId: member.id }, o.as(admin))).status).toBe(200);
    expect(
      await db.query('select 1 from memberships where tenant_id = $1 and user_id = $2', [o.tenant.id, member.id]),
    ).toHaveLength(0);
    // The removed member no longer reaches the tenant.
    expect((await call(t.app, 'query', 'projects.list', {}, o.as(member))).status).toBe(404);
  });

  it('let an owner make another owner, and never leave the tenant without one', async () => {
    const o = await org();
    const admin = await o.add('admin');
    const lastOwner = await call(
      t.app,
      'mutation',
      'members.updateRole',
      { userId: o.owner.id, role: 'admin' },
      o.as(o.owner),
    );
    expect(lastOwner.status).toBe(409);
    expect(lastOwner.body.error?.message).toMatch(/without an owner/);
    expect((await call(t.app, 'mutation', 'members.remove', { userId: o.owner.id }, o.as(o.owner))).status).toBe(409);
    expect((await call(t.app, 'mutation', 'members.leave', undefined, o.as(o.owner))).status).toBe(409);

    const promoted = await call<Member>(
      t.app,
      'mutation',
      'members.updateRole',
      { userId: admin.id, role: 'owner' },
      o.as(o.owner),
    );
    expect(promoted.data.role).toBe('owner');
    // Two owners now: either may step down, not both.
    const [a, b] = await Promise.all([
      call(t.app, 'mutation', 'members.updateRole', { userId: o.owner.id, role: 'member' }, o.as(admin)),
      call(t.app, 'mutation', 'members.updateRole', { userId: admin.id, role: 'member' }, o.as(o.owner)),
    ]);
    expect([a.status, b.status].sort()).toEqual([200, 409]);
    const owners = await db.query(`select 1 from memberships where tenant_id = $1 and role = 'owner'`, [o.tenant.id]);
    expect(owners).toHaveLength(1);
  });

  it('answer NOT_FOUND for someone who is not a member', async () => {
    const o = await org();
    const stranger = await createUser();
    await call(t.app, 'query', 'auth.me', undefined, { token: stranger.tokens.accessToken });
    const id = await userIdByEmail(db, stranger.email);
    const res = await call(t.app, 'mutation', 'members.updateRole', { userId: id, role: 'viewer' }, o.as(o.owner));
    expect(res.status).toBe(404);
    expect(codeOf(res)).toBe('NOT_FOUND');
  });
});

describe('members.leave', () => {
  it('ends the caller’s membership, clears it as their current tenant, and is audited', async () => {
    const o = await org();
    const member = await o.add('member');
    await call(t.app, 'mutation', 'tenants.switch', { id: o.tenant.id }, { token: member.tokens.accessToken });
    const left = await call(t.app, 'mutation', 'members.leave', undefined, o.as(member));
    expect(left.status).toBe(200);
    const [user] = await db.query<{ current_tenant_id: string | null }>(
      'select current_tenant_id from users where id = $1',
      [member.id],
    );
    expect(user?.current_tenant_id).toBeNull();
    const audit = await db.query<{ action: string; target_id: string; before: unknown }>(
      `select action, target_id, before from "${tenantSchemaName(o.tenant.id)}"."audit_log" where action like 'member.%'`,
    );
    expect(audit).toEqual([
      { action: 'member.left', target_id: member.id, before: { email: member.email, role: 'member' } },
    ]);
  });

  it('writes one audit row per role change and removal, none for a refused change', async () => {
    const o = await org();
    const member = await o.add('member');
    await call(t.app, 'mutation', 'members.updateRole', { userId: member.id, role: 'viewer' }, o.as(o.owner));
    await call(t.app, 'mutation', 'members.updateRole', { userId: member.id, role: 'viewer' }, o.as(o.owner)); // no change
    await call(t.app, 'mutation', 'members.updateRole', { userId: o.owner.id, role: 'viewer' }, o.as(o.owner)); // refused
    await call(t.app, 'mutation', 'members.remove', { userId: member.id }, o.as(o.owner));
    const audit = await db.query<{ action: string; before: unknown; after: unknown }>(
      `select action, before, after from "${tenantSchemaName(o.tenant.id)}"."audit_log" where action like 'member.%' order by at`,
    );
    expect(audit).toEqual([
      {
        action: 'member.role_changed',
        before: { email: member.email, role: 'member' },
        after: { email: member.email, role: 'viewer' },
      },
      { action: 'member.removed', before: { email: member.email, role: 'viewer' }, after: null },
    ]);
  });
});
