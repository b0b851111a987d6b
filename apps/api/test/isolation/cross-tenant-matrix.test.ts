import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { appRouter } from '../../src/router/root.js';
import { router, tenantProcedure } from '../../src/trpc.js';
import { buildTestApp, type TestApp } from '../helpers/app.js';
import { connectDb, snapshotTenant, userIdByEmail, type Db } from '../helpers/db.js';
import {
  coverageProblems,
  needsCrossTenantCase,
  proceduresOf,
  type AllowlistEntry,
  type ProcedureInfo,
} from '../helpers/procedures.js';
import { uploadFile } from '../helpers/files.js';
import { createUser, type TestUser } from '../helpers/stack-env.js';
import {
  call,
  createReadyTenant,
  invoke,
  tenantHeader,
  type CallOptions,
  type TestTenant,
} from '../helpers/tenants.js';

/** Tenant A's identifiers, from which every case builds its input. */
interface TenantA {
  id: string;
  slug: string;
  domain: string;
  projectId: string;
  ownerId: string;
  invitationId: string;
  secretName: string;
  fileId: string;
  exportId: string;
}

interface CrossTenantCase {
  input: (a: TenantA) => unknown;
  /**
   * How the procedure may answer in B's own context with A's ids: `denied` (A's object is not found),
   * or `scoped` when its input names no object of A, so it acts on B and only has to leak nothing of A.
   */
  inOwnContext: 'denied' | 'scoped';
}

/** Every procedure that runs in a tenant or names an object by id. A new one without an entry fails the matrix. */
const CASES: Record<string, CrossTenantCase> = {
  'tenants.status': { input: (a) => ({ id: a.id }), inOwnContext: 'denied' },
  'tenants.onStatus': { input: (a) => ({ id: a.id }), inOwnContext: 'denied' },
  'tenants.get': { input: (a) => ({ id: a.id }), inOwnContext: 'denied' },
  'tenants.switch': { input: (a) => ({ id: a.id }), inOwnContext: 'denied' },
  'tenants.current': { input: () => undefined, inOwnContext: 'scoped' },
  'tenants.update': { input: () => ({ name: 'Renamed by B' }), inOwnContext: 'scoped' },
  // In B's own context A's address does not confirm B's deletion: refused, and neither tenant is touched.
  'tenants.delete': { input: (a) => ({ confirmSlug: a.slug }), inOwnContext: 'scoped' },
  'projects.list': { input: () => ({}), inOwnContext: 'scoped' },
  'projects.get': { input: (a) => ({ id: a.projectId }), inOwnContext: 'denied' },
  'projects.create': { input: () => ({ name: 'Planted by B' }), inOwnContext: 'scoped' },
  'projects.update': { input: (a) => ({ id: a.projectId, name: 'Hijacked by B' }), inOwnContext: 'denied' },
  'projects.delete': { input: (a) => ({ id: a.projectId }), inOwnContext: 'denied' },
  'audit.list': { input: () => ({}), inOwnContext: 'scoped' },
  // Refused on B's basic plan in its own context (FEATURE_DISABLED): still nothing of A.
  'audit.export': { input: () => ({}), inOwnContext: 'scoped' },
  'tenants.plan': { input: () => undefined, inOwnContext: 'scoped' },
  // B's own plan, already basic: a no-op in its own context.
  'tenants.changePlan': { input: () => ({ plan: 'basic' }), inOwnContext: 'scoped' },
  'usage.summary': { input: () => ({ from: '2026-01-01', to: '2026-01-31' }), inOwnContext: 'scoped' },
  'usage.daily': { input: () => ({ from: '2026-01-01', to: '2026-01-31' }), inOwnContext: 'scoped' },
  'members.list': { input: () => ({}), inOwnContext: 'scoped' },
  'members.updateRole': { input: (a) => ({ userId: a.ownerId, role: 'viewer' }), inOwnContext: 'denied' },
  'members.remove': { input: (a) => ({ userId: a.ownerId }), inOwnContext: 'denied' },
  // In its own tenant B is the last owner, so leaving is refused there; in A it is not a member.
  'members.leave': { input: () => undefined, inOwnContext: 'scoped' },
  'members.invite': { input: () => ({ email: 'planted-by-b@example.test', role: 'viewer' }), inOwnContext: 'scoped' },
  'invitations.list': { input: () => undefined, inOwnContext: 'scoped' },
  'invitations.revoke': { input: (a) => ({ id: a.invitationId }), inOwnContext: 'denied' },
  'invitations.resend': { input: (a) => ({ id: a.invitationId }), inOwnContext: 'denied' },
  // Not tenant-scoped: an invitation is accepted by the user it was sent to, whatever the context.
  'invitations.accept': { input: (a) => ({ id: a.invitationId }), inOwnContext: 'denied' },
  'invitations.decline': { input: (a) => ({ id: a.invitationId }), inOwnContext: 'denied' },
  'config.get': { input: () => undefined, inOwnContext: 'scoped' },
  'config.branding': { input: () => undefined, inOwnContext: 'scoped' },
  'config.set': {
    input: () => ({ key: 'branding', value: { displayName: 'Renamed by B', colour: '#000000', logoFileId: null } }),
    inOwnContext: 'scoped',
  },
  'config.setSecret': { input: () => ({ name: 'planted-by-b', value: 'planted-by-b-value' }), inOwnContext: 'scoped' },
  'config.deleteSecret': { input: (a) => ({ name: a.secretName }), inOwnContext: 'denied' },
  'files.list': { input: () => ({}), inOwnContext: 'scoped' },
  'files.createUpload': {
    input: () => ({ name: 'planted-by-b.txt', size: 5, contentType: 'text/plain' }),
    inOwnContext: 'scoped',
  },
  'files.completeUpload': { input: (a) => ({ id: a.fileId }), inOwnContext: 'denied' },
  'files.getDownloadUrl': { input: (a) => ({ id: a.fileId }), inOwnContext: 'denied' },
  'files.delete': { input: (a) => ({ id: a.fileId }), inOwnContext: 'denied' },
  // Refused on B's basic plan in its own context (FEATURE_DISABLED): still nothing of A.
  'tenants.export': { input: () => undefined, inOwnContext: 'scoped' },
  'tenants.exports': { input: () => undefined, inOwnContext: 'scoped' },
  'tenants.exportDownloadUrl': { input: (a) => ({ id: a.exportId }), inOwnContext: 'denied' },
  'tenants.health': { input: () => undefined, inOwnContext: 'scoped' },
};

/** Procedures that neither run in a tenant nor take a tenant's object id, each with why. */
const ALLOWLIST: Record<string, AllowlistEntry> = {
  'auth.me': { reason: 'the caller’s own user row; no tenant input' },
  'auth.signUp': { reason: 'public Cognito flow; no tenant input' },
  'auth.confirmSignUp': { reason: 'public Cognito flow; no tenant input' },
  'auth.resendCode': { reason: 'public Cognito flow; no tenant input' },
  'auth.signIn': { reason: 'public Cognito flow; no tenant input' },
  'auth.refresh': { reason: 'public Cognito flow; no tenant input' },
  'auth.forgotPassword': { reason: 'public Cognito flow; no tenant input' },
  'auth.confirmForgotPassword': { reason: 'public Cognito flow; no tenant input' },
  'auth.changePassword': { reason: 'the caller’s own Cognito password; no tenant input' },
  'auth.signOut': { reason: 'revokes the caller’s own refresh token; no tenant input' },
  'tenants.create': { reason: 'makes a new tenant owned by the caller; names no existing one' },
  'tenants.mine': { reason: 'lists the caller’s own memberships; no tenant input' },
  'invitations.mine': { reason: 'invitations addressed to the caller’s own e-mail; no tenant input' },
  'dev.mailbox': { reason: 'the development mailer’s outbox; refused in production' },
  'admin.tenants.list': { reason: 'superadmin console', superadminOnly: true },
  'admin.tenants.counts': { reason: 'superadmin console', superadminOnly: true },
  'admin.tenants.retry': { reason: 'superadmin console', superadminOnly: true },
  'admin.tenants.suspend': { reason: 'superadmin console', superadminOnly: true },
  'admin.tenants.resume': { reason: 'superadmin console', superadminOnly: true },
  'admin.tenants.plan': { reason: 'superadmin console', superadminOnly: true },
  'admin.tenants.setPlan': { reason: 'superadmin console', superadminOnly: true },
  'admin.tenants.restore': { reason: 'superadmin console', superadminOnly: true },
  'admin.tenants.purgePlan': { reason: 'superadmin console', superadminOnly: true },
  'admin.tenants.purge': { reason: 'superadmin console', superadminOnly: true },
  'admin.tenants.health': { reason: 'superadmin console', superadminOnly: true },
  'admin.usage': { reason: 'superadmin console', superadminOnly: true },
  'admin.migrations.status': { reason: 'superadmin console', superadminOnly: true },
  'admin.migrations.start': { reason: 'superadmin console', superadminOnly: true },
  'plans.list': { reason: 'the public plan catalogue; no tenant input' },
};

const procedures = proceduresOf(appRouter);

describe('the case table (no app needed)', () => {
  it('covers every procedure of the router, and names only procedures it has', () => {
    expect(coverageProblems(procedures, Object.keys(CASES), ALLOWLIST)).toEqual([]);
  });

  it('has a case for every tenant-scoped or id-taking procedure', () => {
    const needing = procedures.filter(needsCrossTenantCase).map((p) => p.path);
    expect(needing.filter((p) => !CASES[p] && !ALLOWLIST[p]?.superadminOnly)).toEqual([]);
    expect(procedures.filter((p) => p.tenantScoped).length).toBeGreaterThan(0);
  });

  it('catches a new procedure without a case, and a case for a procedure that is gone', () => {
    // A scratch router: the real one plus a tenant-scoped procedure nobody wrote a case for.
    const grown = router({
      ...appRouter._def.record,
      projects2: router({
        archive: tenantProcedure.input(z.object({ id: z.uuid() })).mutation(() => null),
      }),
    });
    const grownProcedures: ProcedureInfo[] = proceduresOf(grown);
    expect(grownProcedures.find((p) => p.path === 'projects2.archive')).toMatchObject({ tenantScoped: true });
    expect(coverageProblems(grownProcedures, Object.keys(CASES), ALLOWLIST)).toEqual([
      'projects2.archive: no cross-tenant case and not allowlisted',
    ]);
    expect(coverageProblems(procedures, [...Object.keys(CASES), 'projects.gone'], ALLOWLIST)).toEqual([
      'projects.gone: named by the test but not a procedure of the router',
    ]);
    // Allowlisting a tenant-scoped procedure does not make it pass.
    const { 'projects.get': _get, ...withoutGet } = CASES;
    void _get;
    expect(
      coverageProblems(procedures, Object.keys(withoutGet), { ...ALLOWLIST, 'projects.get': { reason: 'no' } }),
    ).toEqual(['projects.get: tenant-scoped, so it needs a case, not the allowlist']);
  });
});

describe('cross-tenant matrix', () => {
  let t: TestApp;
  let db: Db;
  let ownerA: TestUser;
  let ownerB: TestUser;
  let tenantA: TestTenant;
  let tenantB: TestTenant;
  let a: TenantA;
  /** Strings that must never appear in an answer to B. */
  let markersOfA: string[];

  beforeAll(async () => {
    t = await buildTestApp();
    db = await connectDb();
    [ownerA, ownerB] = await Promise.all([createUser(), createUser()]);
    [tenantA, tenantB] = await Promise.all([
      createReadyTenant(t.app, ownerA, `Alpha Matrix ${Date.now()}`),
      createReadyTenant(t.app, ownerB, `Bravo Matrix ${Date.now()}`),
    ]);
    const asA: CallOptions = { token: ownerA.tokens.accessToken, headers: tenantHeader(tenantA.id) };
    const projects = [];
    for (const name of ['Alpha secret ward', 'Alpha secret lab']) {
      const res = await call<{ id: string }>(t.app, 'mutation', 'projects.create', { name }, asA);
      expect(res.status).toBe(200);
      projects.push(res.data.id);
    }
    const domain = `alpha-${tenantA.id.slice(0, 8)}.example.org`;
    // A custom domain is a plan feature: A is on enterprise (B stays on basic).
    await db.query(`update tenants set plan = 'enterprise' where id = $1`, [tenantA.id]);
    expect((await call(t.app, 'mutation', 'tenants.update', { domain }, asA)).status).toBe(200);
    const invited = await call<{ id: string }>(
      t.app,
      'mutation',
      'members.invite',
      { email: 'alpha-invitee@example.test', role: 'member' },
      asA,
    );
    expect(invited.status).toBe(200);
    const secret = { name: 'alpha-webhook', value: 'Alpha secret signing key 0123456789' };
    expect((await call(t.app, 'mutation', 'config.setSecret', secret, asA)).status).toBe(200);
    const file = await uploadFile(t.app, asA, {
      name: 'Alpha secret plan.txt',
      contentType: 'text/plain',
      body: 'Alpha secret contents',
    });
    // A ready export of A (A is on enterprise, which has data_export), settled before any snapshot.
    const exported = await call<{ id: string }>(t.app, 'mutation', 'tenants.export', undefined, asA);
    expect(exported.status).toBe(200);
    for (let tries = 0; ; tries++) {
      const listed = await call<Array<{ id: string; status: string }>>(
        t.app,
        'query',
        'tenants.exports',
        undefined,
        asA,
      );
      const status = listed.data.find((e) => e.id === exported.data.id)?.status;
      if (status === 'ready') break;
      if (status === 'failed' || tries > 300) throw new Error(`A's export ended ${status}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    a = {
      exportId: exported.data.id,
      fileId: file.id,
      secretName: secret.name,
      invitationId: invited.data.id,
      id: tenantA.id,
      slug: tenantA.slug,
      domain,
      projectId: projects[0]!,
      ownerId: await userIdByEmail(db, ownerA.email),
    };
    markersOfA = [tenantA.id, tenantA.name, ...projects, file.id, exported.data.id, 'Alpha secret'];
    // B works in its own tenant by default, as after signing in.
    const switched = await call(
      t.app,
      'mutation',
      'tenants.switch',
      { id: tenantB.id },
      { token: ownerB.tokens.accessToken },
    );
    expect(switched.status).toBe(200);
  });
  afterAll(async () => {
    await db?.close();
    await t?.close();
  });

  /** Ways B can name tenant A explicitly. */
  const explicitA = (): Array<{ how: string; options: Pick<CallOptions, 'headers' | 'query'> }> => [
    { how: 'X-Tenant-ID: A', options: { headers: { 'x-tenant-id': a.id } } },
    { how: 'X-Tenant-Slug: A', options: { headers: { 'x-tenant-slug': a.slug } } },
    { how: '?tenant=<A id>', options: { query: `tenant=${a.id}` } },
    { how: '?tenant=<A slug>', options: { query: `tenant=${a.slug}` } },
    { how: 'Host: A’s domain', options: { headers: { host: a.domain } } },
  ];
  /** Ways B works in B (explicitly, or by its current tenant). */
  const ownContext = (): Array<{ how: string; options: Pick<CallOptions, 'headers' | 'query'> }> => [
    { how: 'X-Tenant-ID: B', options: { headers: { 'x-tenant-id': tenantB.id } } },
    { how: 'current tenant B', options: {} },
  ];

  const denied = (code: string | null) => code === 'NOT_FOUND' || code === 'FORBIDDEN';

  it.each(Object.keys(CASES))('%s: B cannot reach A', async (path) => {
    const procedure = procedures.find((p) => p.path === path);
    expect(procedure, `${path} is not in the router`).toBeDefined();
    const testCase = CASES[path]!;
    const before = await snapshotTenant(db, a.id);
    const failures: string[] = [];
    const leaks = (body: string) => markersOfA.filter((m) => body.includes(m));

    for (const { how, options } of explicitA()) {
      const out = await invoke(t.app, procedure!.type, path, testCase.input(a), {
        ...options,
        token: ownerB.tokens.accessToken,
      });
      if (out.ok || !denied(out.code)) failures.push(`${how}: answered ${out.status} ${out.code}`);
      if (leaks(out.body).length) failures.push(`${how}: leaked ${leaks(out.body).join(', ')}`);
    }
    for (const { how, options } of ownContext()) {
      const out = await invoke(t.app, procedure!.type, path, testCase.input(a), {
        ...options,
        token: ownerB.tokens.accessToken,
      });
      if (testCase.inOwnContext === 'denied' && (out.ok || !denied(out.code))) {
        failures.push(`${how} with A's ids: answered ${out.status} ${out.code}`);
      }
      if (leaks(out.body).length) failures.push(`${how} with A's ids: leaked ${leaks(out.body).join(', ')}`);
    }

    expect(failures).toEqual([]);
    expect(await snapshotTenant(db, a.id)).toEqual(before);
  });

  it.each(Object.keys(ALLOWLIST).filter((p) => ALLOWLIST[p]!.superadminOnly))(
    '%s: refuses a tenant owner (superadmins only)',
    async (path) => {
      const procedure = procedures.find((p) => p.path === path)!;
      const before = await snapshotTenant(db, a.id);
      const input = procedure.inputFields.includes('id') ? { id: a.id } : procedure.inputFields.length ? {} : undefined;
      const out = await invoke(t.app, procedure.type, path, input, {
        token: ownerB.tokens.accessToken,
        headers: tenantHeader(a.id),
      });
      expect(out.code).toBe('FORBIDDEN');
      expect(await snapshotTenant(db, a.id)).toEqual(before);
    },
  );

  it('leaves A working for its owner', async () => {
    const asA: CallOptions = { token: ownerA.tokens.accessToken, headers: tenantHeader(a.id) };
    const list = await call<{ items: Array<{ name: string }> }>(t.app, 'query', 'projects.list', {}, asA);
    expect(list.data.items.map((p) => p.name).sort()).toEqual(['Alpha secret lab', 'Alpha secret ward']);
    const current = await call<{ name: string }>(t.app, 'query', 'tenants.current', undefined, asA);
    expect(current.data.name).toBe(tenantA.name);
  });
});
