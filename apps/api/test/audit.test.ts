import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditEntry, AuditPage, Project } from '@tenantry/shared';
import { tenantSchemaName } from '../src/db/tenant-schema.js';
import { createProject } from '../src/services/projects.js';
import { buildTestApp, type TestApp } from './helpers/app.js';
import { addMembership, connectDb, userIdByEmail, type Db } from './helpers/db.js';
import { createUser, type TestUser } from './helpers/stack-env.js';
import { call, ownerWithTenant, tenantHeader, type TestTenant } from './helpers/tenants.js';

let t: TestApp;
let db: Db;
let owner: TestUser;
let tenant: TestTenant;
let schema: string;

const auditRows = (where = 'true', params: unknown[] = []) =>
  db.query<{ id: string; action: string; target_id: string; before: unknown; after: unknown; actor_email: string }>(
    `select * from "${schema}"."audit_log" where ${where} order by at, id`,
    params,
  );

const as = (user: TestUser, extra: Record<string, string> = {}) => ({
  token: user.tokens.accessToken,
  headers: { ...tenantHeader(tenant.id), 'user-agent': 'audit-test/1.0', ...extra },
});

beforeAll(async () => {
  t = await buildTestApp();
  db = await connectDb();
  ({ user: owner, tenant } = await ownerWithTenant(t.app, 'Audited Clinic'));
  schema = tenantSchemaName(tenant.id);
});
afterAll(async () => {
  await db.close();
  await t.close();
});

describe('the audit log', () => {
  it('starts with the tenant’s creation, by its owner', async () => {
    const [first] = await auditRows();
    expect(first).toMatchObject({
      id: tenant.id,
      action: 'tenant.created',
      actor_email: owner.email,
      after: { name: 'Audited Clinic', plan: 'basic' },
    });
  });

  it('gets exactly one row per successful mutation, with actor, request and the change', async () => {
    const created = await call<Project>(
      t.app,
      'mutation',
      'projects.create',
      { name: 'Wards' },
      as(owner, { 'x-request-id': 'req-audit-1' }),
    );
    expect(created.status).toBe(200);
    const rows = await auditRows('target_id = $1', [created.data.id]);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      action: 'project.created',
      actor_email: owner.email,
      actor_is_superadmin: false,
      target_type: 'project',
      request_id: 'req-audit-1',
      user_agent: 'audit-test/1.0',
      before: null,
      after: { name: 'Wards', description: '', status: 'active' },
    });

    // An update keeps only what changed; an update that changes nothing writes nothing.
    await call(
      t.app,
      'mutation',
      'projects.update',
      { id: created.data.id, name: 'Wards', status: 'archived' },
      as(owner),
    );
    await call(t.app, 'mutation', 'projects.update', { id: created.data.id, status: 'archived' }, as(owner));
    await call(t.app, 'mutation', 'projects.delete', { id: created.data.id }, as(owner));
    const all = await auditRows('target_id = $1', [created.data.id]);
    expect(all.map((r) => r.action)).toEqual(['project.created', 'project.updated', 'project.deleted']);
    expect(all[1]).toMatchObject({ before: { status: 'active' }, after: { status: 'archived' } });
    expect(all[2]).toMatchObject({ before: { name: 'Wards', status: 'archived' }, after: null });
  });

  it('gets no row for a mutation that fails', async () => {
    const before = (await auditRows()).length;
    const missing = await call(
      t.app,
      'mutation',
      'projects.delete',
      { id: '00000000-0000-4000-8000-000000000000' },
      as(owner),
    );
    expect(missing.status).toBe(404);
    const invalid = await call(t.app, 'mutation', 'projects.create', { name: '' }, as(owner));
    expect(invalid.status).toBe(400);
    expect(await auditRows()).toHaveLength(before);
  });

  it('shares the change’s transaction: a transaction killed after both leaves neither', async () => {
    const em = t.app.services.orm.em.fork({ schema });
    const ownerId = await userIdByEmail(db, owner.email);
    const audit = {
      actorId: ownerId,
      actorEmail: owner.email,
      actorIsSuperadmin: false,
      requestId: 'r',
      ip: '127.0.0.1',
      userAgent: null,
    };
    await expect(
      em.transactional(async (tx) => {
        await createProject(tx, { name: 'Never committed' }, audit);
        throw new Error('killed after the change and its audit row');
      }),
    ).rejects.toThrow('killed');
    expect(await db.query(`select 1 from "${schema}"."projects" where name = 'Never committed'`)).toHaveLength(0);
    expect(await auditRows(`after->>'name' = 'Never committed'`)).toHaveLength(0);
  });

  it('cannot be changed or deleted: the database refuses', async () => {
    await expect(db.query(`update "${schema}"."audit_log" set action = 'x'`)).rejects.toThrow(/append-only/);
    await expect(db.query(`delete from "${schema}"."audit_log"`)).rejects.toThrow(/append-only/);
  });

  it('records tenant updates and superadmin access', async () => {
    const renamed = await call(t.app, 'mutation', 'tenants.update', { name: 'Audited Clinic (North)' }, as(owner));
    expect(renamed.status).toBe(200);
    expect((await auditRows(`action = 'tenant.updated'`))[0]).toMatchObject({
      before: { name: 'Audited Clinic' },
      after: { name: 'Audited Clinic (North)' },
    });

    const superadmin = await createUser({ groups: ['superadmin'] });
    for (const path of ['admin.tenants.suspend', 'admin.tenants.resume']) {
      const res = await call(t.app, 'mutation', path, { id: tenant.id }, { token: superadmin.tokens.accessToken });
      expect(res.status, path).toBe(200);
    }
    expect(await auditRows(`action in ('tenant.suspended', 'tenant.resumed')`)).toMatchObject([
      {
        action: 'tenant.suspended',
        actor_email: superadmin.email,
        actor_is_superadmin: true,
        after: { status: 'suspended' },
      },
      {
        action: 'tenant.resumed',
        actor_email: superadmin.email,
        actor_is_superadmin: true,
        after: { status: 'ready' },
      },
    ]);
    const seen = await call(t.app, 'query', 'projects.list', {}, as(superadmin));
    expect(seen.status).toBe(200);
    expect(await auditRows(`action = 'superadmin.accessed' and actor_email = $1`, [superadmin.email])).toMatchObject([
      { actor_is_superadmin: true, target_type: 'tenant', after: { procedure: 'projects.list' } },
    ]);
  });
});

describe('audit.list', () => {
  it('is for owners and admins only', async () => {
    for (const role of ['member', 'viewer'] as const) {
      const user = await createUser();
      await call(t.app, 'query', 'auth.me', undefined, { token: user.tokens.accessToken });
      await addMembership(db, tenant.id, await userIdByEmail(db, user.email), role);
      const res = await call(t.app, 'query', 'audit.list', {}, as(user));
      expect(res.status, role).toBe(403);
    }
    const admin = await createUser();
    await call(t.app, 'query', 'auth.me', undefined, { token: admin.tokens.accessToken });
    await addMembership(db, tenant.id, await userIdByEmail(db, admin.email), 'admin');
    expect((await call(t.app, 'query', 'audit.list', {}, as(admin))).status).toBe(200);
  });

  it('filters by action and actor, pages newest first, and shows 7 days on the basic plan, all on premium', async () => {
    const ownerId = await userIdByEmail(db, owner.email);
    await db.query(
      `insert into "${schema}"."audit_log" (id, action, actor_id, actor_email, actor_is_superadmin, target_type, target_id, at)
       values (gen_random_uuid(), 'project.created', $1, $2, false, 'project', 'old-one', now() - interval '30 days')`,
      [ownerId, owner.email],
    );
    const list = (input: object) => call<AuditPage>(t.app, 'query', 'audit.list', input, as(owner));

    const basic = await list({});
    expect(basic.data.visibleDays).toBe(7);
    expect(basic.data.items.map((e) => e.targetId)).not.toContain('old-one');

    const created = await list({ action: 'project.created', actor: owner.email.slice(0, 8) });
    expect(created.data.items.length).toBeGreaterThan(0);
    expect(created.data.items.every((e: AuditEntry) => e.action === 'project.created')).toBe(true);
    const byId = await list({ actor: ownerId, limit: 2 });
    expect(byId.data.items).toHaveLength(2);
    expect(byId.data.nextCursor).not.toBeNull();
    const next = await list({ actor: ownerId, limit: 2, cursor: byId.data.nextCursor });
    expect(next.data.items[0]!.at <= byId.data.items[1]!.at).toBe(true);
    expect(next.data.items.map((e) => e.id)).not.toContain(byId.data.items[1]!.id);

    await db.query(`update tenants set plan = 'premium' where id = $1`, [tenant.id]);
    const premium = await list({});
    expect(premium.data.visibleDays).toBeNull();
    expect((await list({ limit: 100 })).data.items.map((e) => e.targetId)).toContain('old-one');
  });
});
