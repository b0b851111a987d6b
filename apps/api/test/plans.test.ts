/**
 * Plans and feature gating (issue 7): the catalogue, owners' changes checked against use, custom limits
 * set by a superadmin, the history of plans, and every gated procedure on a plan with and without its feature.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PLANS, type PlanChangeEntry, type PlanInfo, type TenantPlan } from '@tenantry/shared';
import { buildTestApp, type TestApp } from './helpers/app.js';
import { addMembership, connectDb, userIdByEmail, type Db } from './helpers/db.js';
import { createUser, type TestUser } from './helpers/stack-env.js';
import { call, ownerWithTenant, tenantHeader, type TestTenant } from './helpers/tenants.js';

const GB = 1024 ** 3;
let t: TestApp;
let db: Db;
let superadmin: TestUser;

beforeAll(async () => {
  t = await buildTestApp();
  db = await connectDb();
  superadmin = await createUser({ groups: ['superadmin'] });
});
afterAll(async () => {
  await db.close();
  await t.close();
});

const as = (user: TestUser, tenant: TestTenant) => ({
  token: user.tokens.accessToken,
  headers: tenantHeader(tenant.id),
});
const asSuperadmin = () => ({ token: superadmin.tokens.accessToken });

async function setPlan(tenant: TestTenant, plan: string, overrides?: Record<string, unknown>) {
  return call<TenantPlan>(
    t.app,
    'mutation',
    'admin.tenants.setPlan',
    { tenantId: tenant.id, plan, overrides },
    asSuperadmin(),
  );
}

async function history(tenant: TestTenant): Promise<PlanChangeEntry[]> {
  const res = await call<{ history: PlanChangeEntry[] }>(
    t.app,
    'query',
    'admin.tenants.plan',
    { tenantId: tenant.id },
    asSuperadmin(),
  );
  expect(res.status).toBe(200);
  return res.data.history;
}

describe('the catalogue', () => {
  it('lists the four plans of DESIGN §4 with their limits and features', async () => {
    const { user } = await ownerWithTenant(t.app);
    const res = await call<PlanInfo[]>(t.app, 'query', 'plans.list', undefined, { token: user.tokens.accessToken });
    expect(res.status).toBe(200);
    expect(res.data.map((p) => p.id)).toEqual(['basic', 'premium', 'enterprise', 'custom']);
    const basic = res.data[0]!;
    expect(basic).toMatchObject({ maxUsers: 100, storageBytes: 10 * GB, apiRequestsPerDay: 1000, features: [] });
    expect(res.data[1]).toMatchObject({ maxUsers: 1000, storageBytes: 100 * GB, apiRequestsPerDay: 10_000 });
    expect(res.data[1]!.features).toEqual(expect.arrayContaining(['biometric_auth', 'data_export', 'audit_log']));
    expect(res.data[2]).toMatchObject({ maxUsers: 10_000, storageBytes: 1024 * GB, apiRequestsPerDay: 100_000 });
    expect(res.data[3]!.superadminOnly).toBe(true);
  });
});

describe('owners change plans', () => {
  it('takes effect at once, is audited and kept in the history', async () => {
    const { user: owner, tenant } = await ownerWithTenant(t.app);
    const before = await call<{ features: string[] }>(t.app, 'query', 'tenants.current', undefined, as(owner, tenant));
    expect(before.data.features).toEqual([]);

    const changed = await call<TenantPlan>(
      t.app,
      'mutation',
      'tenants.changePlan',
      { plan: 'premium' },
      as(owner, tenant),
    );
    expect(changed.status, JSON.stringify(changed.body.error)).toBe(200);
    expect(changed.data).toMatchObject({ plan: 'premium', maxUsers: 1000, apiRequestsPerDay: 10_000 });

    const after = await call<{ plan: string; features: string[]; limits: { maxUsers: number } }>(
      t.app,
      'query',
      'tenants.current',
      undefined,
      as(owner, tenant),
    );
    expect(after.data.plan).toBe('premium');
    expect(after.data.features).toEqual(expect.arrayContaining(['audit_log', 'data_export']));
    expect(after.data.limits.maxUsers).toBe(1000);

    const mine = await call<{ current: TenantPlan; history: PlanChangeEntry[] }>(
      t.app,
      'query',
      'tenants.plan',
      undefined,
      as(owner, tenant),
    );
    expect(mine.data.current.plan).toBe('premium');
    expect(mine.data.history.map((h) => [h.fromPlan, h.toPlan])).toEqual([
      ['basic', 'premium'],
      [null, 'basic'],
    ]);
    expect(mine.data.history[0]).toMatchObject({ changedByEmail: owner.email, bySuperadmin: false });

    const audit = await call<{ items: Array<{ action: string; before: unknown; after: unknown }> }>(
      t.app,
      'query',
      'audit.list',
      { action: 'tenant.plan_changed' },
      as(owner, tenant),
    );
    expect(audit.data.items).toHaveLength(1);
    expect(audit.data.items[0]).toMatchObject({ before: { plan: 'basic' }, after: { plan: 'premium' } });
  });

  it('a change to the plan in force writes nothing', async () => {
    const { user: owner, tenant } = await ownerWithTenant(t.app);
    const res = await call(t.app, 'mutation', 'tenants.changePlan', { plan: 'basic' }, as(owner, tenant));
    expect(res.status).toBe(200);
    expect(await history(tenant)).toHaveLength(1);
  });

  it('refuses a downgrade below the storage in use, saying what is over and by how much', async () => {
    const { user: owner, tenant } = await ownerWithTenant(t.app);
    expect(
      (await call(t.app, 'mutation', 'tenants.changePlan', { plan: 'enterprise' }, as(owner, tenant))).status,
    ).toBe(200);
    await db.query('update tenants set storage_bytes = $1 where id = $2', [12 * GB, tenant.id]);

    const res = await call(t.app, 'mutation', 'tenants.changePlan', { plan: 'basic' }, as(owner, tenant));
    expect(res.status).toBe(409);
    expect(res.body.error?.data.appCode).toBe('PLAN_LIMIT');
    expect(res.body.error?.message).toMatch(/12\.00 GB stored where the plan allows 10\.00 GB \(2\.00 GB over\)/);
    const details = (res.body.error?.data as unknown as { details: { overages: unknown[] } }).details;
    expect(details.overages).toEqual([{ limit: 'storageBytes', inUse: 12 * GB, allowed: 10 * GB, over: 2 * GB }]);
    // Nothing changed; premium (100 GB) still fits.
    const current = await call<{ plan: string }>(t.app, 'query', 'tenants.current', undefined, as(owner, tenant));
    expect(current.data.plan).toBe('enterprise');
    expect((await call(t.app, 'mutation', 'tenants.changePlan', { plan: 'premium' }, as(owner, tenant))).status).toBe(
      200,
    );
  });

  it('cannot pick the custom plan (a superadmin sets it)', async () => {
    const { user: owner, tenant } = await ownerWithTenant(t.app);
    const res = await call(t.app, 'mutation', 'tenants.changePlan', { plan: 'custom' }, as(owner, tenant));
    expect(res.status).toBe(400);
  });
});

describe('custom plans set by a superadmin', () => {
  it('refuses limits below the members in use', async () => {
    const { tenant } = await ownerWithTenant(t.app);
    for (const role of ['admin', 'member'] as const) {
      const u = await createUser();
      await call(t.app, 'query', 'auth.me', undefined, { token: u.tokens.accessToken });
      await addMembership(db, tenant.id, await userIdByEmail(db, u.email), role);
    }
    const res = await setPlan(tenant, 'custom', { maxUsers: 2 });
    expect(res.status).toBe(409);
    const details = (res.body.error?.data as unknown as { details: { overages: unknown[] } }).details;
    expect(details.overages).toEqual([{ limit: 'maxUsers', inUse: 3, allowed: 2, over: 1 }]);
  });

  it('honours the custom seat limit, unlimited storage and the chosen features', async () => {
    const { user: owner, tenant } = await ownerWithTenant(t.app);
    const res = await setPlan(tenant, 'custom', { maxUsers: 2, storageBytes: null, features: ['audit_log'] });
    expect(res.status, JSON.stringify(res.body.error)).toBe(200);
    expect(res.data).toMatchObject({ plan: 'custom', maxUsers: 2, storageBytes: null, features: ['audit_log'] });

    const first = await call(
      t.app,
      'mutation',
      'members.invite',
      { email: 'one@example.test', role: 'member' },
      as(owner, tenant),
    );
    expect(first.status).toBe(200);
    const second = await call(
      t.app,
      'mutation',
      'members.invite',
      { email: 'two@example.test', role: 'member' },
      as(owner, tenant),
    );
    expect(second.status).toBe(403);
    expect(second.body.error?.data.appCode).toBe('PLAN_LIMIT');

    // Unlimited storage: any amount fits.
    await db.query('update tenants set storage_bytes = $1 where id = $2', [5000 * GB, tenant.id]);
    expect((await setPlan(tenant, 'custom', { maxUsers: 2, storageBytes: null, features: ['audit_log'] })).status).toBe(
      200,
    );
    // The custom feature list applies: audit export yes, custom domain no.
    expect((await call(t.app, 'query', 'audit.export', {}, as(owner, tenant))).status).toBe(200);
    const domain = await call(
      t.app,
      'mutation',
      'tenants.update',
      { domain: `${tenant.slug}.example.test` },
      as(owner, tenant),
    );
    expect(domain.status).toBe(403);
    expect(domain.body.error?.data.appCode).toBe('FEATURE_DISABLED');

    const rows = await history(tenant);
    expect(rows[0]).toMatchObject({ toPlan: 'custom', bySuperadmin: true, changedByEmail: superadmin.email });
    expect(rows[0]!.overrides).toMatchObject({ maxUsers: 2, storageBytes: null });
  });

  it('an invitation sent before the plan shrank cannot take a seat the plan no longer has', async () => {
    const { user: owner, tenant } = await ownerWithTenant(t.app);
    const invitee = await createUser();
    await call(t.app, 'query', 'auth.me', undefined, { token: invitee.tokens.accessToken });
    const invited = await call<{ id: string }>(
      t.app,
      'mutation',
      'members.invite',
      { email: invitee.email, role: 'member' },
      as(owner, tenant),
    );
    expect(invited.status).toBe(200);
    // One member in use: a one-seat plan is allowed (pending invitations are not members yet).
    expect((await setPlan(tenant, 'custom', { maxUsers: 1 })).status).toBe(200);
    const accepted = await call(
      t.app,
      'mutation',
      'invitations.accept',
      { id: invited.data.id },
      { token: invitee.tokens.accessToken },
    );
    expect(accepted.status).toBe(403);
    expect(accepted.body.error?.data.appCode).toBe('PLAN_LIMIT');
    expect(accepted.body.error?.message).toMatch(/no free seat/);
    // Room again: the same invitation works.
    expect((await setPlan(tenant, 'custom', { maxUsers: 2 })).status).toBe(200);
    const retried = await call(
      t.app,
      'mutation',
      'invitations.accept',
      { id: invited.data.id },
      { token: invitee.tokens.accessToken },
    );
    expect(retried.status, JSON.stringify(retried.body.error)).toBe(200);
  });

  it('refuses limits on a catalogue plan, and owners cannot use the superadmin procedure', async () => {
    const { user: owner, tenant } = await ownerWithTenant(t.app);
    expect((await setPlan(tenant, 'premium', { maxUsers: 5 })).status).toBe(400);
    const res = await call(
      t.app,
      'mutation',
      'admin.tenants.setPlan',
      { tenantId: tenant.id, plan: 'enterprise' },
      { token: owner.tokens.accessToken },
    );
    expect(res.status).toBe(403);
  });

  it('writes the change into the tenant’s audit as the superadmin', async () => {
    const { user: owner, tenant } = await ownerWithTenant(t.app);
    expect((await setPlan(tenant, 'enterprise')).status).toBe(200);
    const audit = await call<{ items: Array<{ actorEmail: string; actorIsSuperadmin: boolean }> }>(
      t.app,
      'query',
      'audit.list',
      { action: 'tenant.plan_changed' },
      as(owner, tenant),
    );
    expect(audit.data.items[0]).toMatchObject({ actorEmail: superadmin.email, actorIsSuperadmin: true });
  });
});

/** Every gated procedure, called in a way that needs the feature. */
const GATED = [
  { feature: 'audit_log', kind: 'query', path: 'audit.export', input: () => ({}) },
  {
    feature: 'custom_domain',
    kind: 'mutation',
    path: 'tenants.update',
    input: (tenant: TestTenant) => ({ domain: `${tenant.slug}.gated.example.test` }),
  },
  {
    feature: 'advanced_analytics',
    kind: 'query',
    path: 'usage.daily',
    input: () => ({ from: '2026-01-01', to: '2026-06-30' }),
  },
] as const;

describe('feature gating', () => {
  it.each(GATED)('$path refuses without $feature and works with it', async ({ feature, kind, path, input }) => {
    const { user: owner, tenant } = await ownerWithTenant(t.app);
    const refused = await call(t.app, kind, path, input(tenant), as(owner, tenant));
    expect(refused.status).toBe(403);
    expect(refused.body.error?.data.appCode).toBe('FEATURE_DISABLED');
    const details = (refused.body.error?.data as unknown as { details: { feature: string; plans: string[] } }).details;
    expect(details.feature).toBe(feature);
    expect(details.plans).toEqual(
      (['basic', 'premium', 'enterprise'] as const).filter((p) => PLANS[p].features.includes(feature)),
    );

    const cheapest = details.plans[0]!;
    expect((await call(t.app, 'mutation', 'tenants.changePlan', { plan: cheapest }, as(owner, tenant))).status).toBe(
      200,
    );
    const allowed = await call(t.app, kind, path, input(tenant), as(owner, tenant));
    expect(allowed.status, JSON.stringify(allowed.body.error)).toBe(200);
  });

  it('the audit export is a CSV of the audit rows, safe to open in a spreadsheet', async () => {
    const { user: owner, tenant } = await ownerWithTenant(t.app);
    await call(t.app, 'mutation', 'tenants.changePlan', { plan: 'premium' }, as(owner, tenant));
    await call(t.app, 'mutation', 'projects.create', { name: '=HYPERLINK("http://evil")' }, as(owner, tenant));
    const res = await call<{ filename: string; csv: string; rows: number }>(
      t.app,
      'query',
      'audit.export',
      {},
      as(owner, tenant),
    );
    expect(res.data.filename).toMatch(new RegExp(`^audit-${tenant.slug}-\\d{4}-\\d{2}-\\d{2}\\.csv$`));
    const lines = res.data.csv.trim().split('\r\n');
    expect(lines[0]).toBe(
      'at,action,actor_email,actor_id,by_superadmin,target_type,target_id,before,after,ip,user_agent,request_id',
    );
    expect(res.data.rows).toBe(lines.length - 1);
    expect(res.data.csv).toContain('tenant.plan_changed');
    expect(res.data.csv).toContain('tenant.created');
    // The project name sits inside a JSON cell; a cell never starts with "=".
    expect(res.data.csv).not.toMatch(/(^|,)=/m);
  });

  it('removing a custom domain needs no feature', async () => {
    const { user: owner, tenant } = await ownerWithTenant(t.app);
    const res = await call(t.app, 'mutation', 'tenants.update', { domain: null }, as(owner, tenant));
    expect(res.status, JSON.stringify(res.body.error)).toBe(200);
  });
});
