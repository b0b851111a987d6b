/**
 * The cross-tenant matrix over REST (issue "REST endpoints"): every REST route whose path names a tenant
 * (`{id}`) is called by tenant B's owner with tenant A's id. It must never succeed, must answer 404 (or 403),
 * must leak nothing of A and must leave A's data as it was. A route without a case fails the coverage test.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { restRoutes } from '../../src/rest/openapi.js';
import { bearer, buildTestApp, type TestApp } from '../helpers/app.js';
import { connectDb, snapshotTenant, userIdByEmail, type Db } from '../helpers/db.js';
import { uploadFile } from '../helpers/files.js';
import { createUser, type TestUser } from '../helpers/stack-env.js';
import { call, createReadyTenant, signedInUser, tenantHeader, type TestTenant } from '../helpers/tenants.js';

/** Tenant A's identifiers, from which every case builds its path, query and body. */
interface TenantA {
  id: string;
  slug: string;
  ownerId: string;
  ownerEmail: string;
  fileId: string;
}

interface RestCase {
  /** Path parameters other than `{id}`. */
  params?: (a: TenantA) => Record<string, string>;
  query?: (a: TenantA) => Record<string, string>;
  body?: (a: TenantA) => unknown;
}

/** Every REST route with `{id}` in its path, by `METHOD path`. */
const CASES: Record<string, RestCase> = {
  'GET /tenant-status/{id}': {},
  'GET /api/v1/tenants/{id}': {},
  'PATCH /api/v1/tenants/{id}': { body: () => ({ name: 'Renamed by B' }) },
  'DELETE /api/v1/tenants/{id}': { query: (a) => ({ confirmSlug: a.slug }) },
  'POST /api/v1/tenants/{id}/switch': {},
  'GET /api/v1/tenants/{id}/usage': { query: () => ({ from: '2026-01-01', to: '2026-01-31' }) },
  'GET /api/v1/tenants/{id}/config': {},
  'PUT /api/v1/tenants/{id}/config': { body: () => ({ key: 'timezone', value: 'Europe/Paris' }) },
  'POST /api/v1/tenants/{id}/plan': { body: () => ({ plan: 'premium' }) },
  'GET /api/v1/tenants/{id}/audit': {},
  'GET /api/v1/tenants/{id}/members': {},
  'POST /api/v1/tenants/{id}/members': { body: () => ({ email: 'planted-by-b@example.test', role: 'viewer' }) },
  'PATCH /api/v1/tenants/{id}/members/{userId}': {
    params: (a) => ({ userId: a.ownerId }),
    body: () => ({ role: 'viewer' }),
  },
  'DELETE /api/v1/tenants/{id}/members/{email}': { params: (a) => ({ email: a.ownerEmail }) },
  'POST /api/v1/tenants/{id}/files/uploads': {
    body: () => ({ name: 'planted.txt', size: 5, contentType: 'text/plain' }),
  },
  'POST /api/v1/tenants/{id}/files/{fileId}/complete': { params: (a) => ({ fileId: a.fileId }) },
  'GET /api/v1/tenants/{id}/files': {},
  'GET /api/v1/tenants/{id}/files/{fileId}/download': { params: (a) => ({ fileId: a.fileId }) },
  'DELETE /api/v1/tenants/{id}/files/{fileId}': { params: (a) => ({ fileId: a.fileId }) },
};

const idRoutes = () => restRoutes().filter((r) => r.path.includes('{id}'));
const keyOf = (r: { method: string; path: string }) => `${r.method} ${r.path}`;

/** The URL of a case for tenant `id`. */
function urlOf(route: { path: string }, testCase: RestCase, a: TenantA, id: string): string {
  const params: Record<string, string> = { ...testCase.params?.(a), id };
  const path = route.path.replace(/\{(\w+)\}/g, (_, name: string) => encodeURIComponent(params[name] ?? ''));
  const query = testCase.query ? `?${new URLSearchParams(testCase.query(a)).toString()}` : '';
  return `${path}${query}`;
}

describe('REST cross-tenant matrix', () => {
  let t: TestApp;
  let db: Db;
  let ownerA: TestUser;
  let ownerB: TestUser;
  let tenantA: TestTenant;
  let tenantB: TestTenant;
  let a: TenantA;
  let markersOfA: string[];

  beforeAll(async () => {
    t = await buildTestApp();
    db = await connectDb();
    ownerA = await signedInUser(t.app, await createUser({ name: 'Alpha Owner' }));
    ownerB = await signedInUser(t.app, await createUser({ name: 'Beta Owner' }));
    tenantA = await createReadyTenant(t.app, ownerA, 'Alpha Secret Org');
    tenantB = await createReadyTenant(t.app, ownerB, 'Beta Org');
    const asA = { token: ownerA.tokens.accessToken, headers: tenantHeader(tenantA.id) };
    const file = await uploadFile(t.app, asA, {
      name: 'Alpha secret plan.txt',
      contentType: 'text/plain',
      body: 'Alpha secret contents',
    });
    const invited = await call(
      t.app,
      'mutation',
      'members.invite',
      { email: 'alpha-invitee@example.test', role: 'member' },
      asA,
    );
    expect(invited.status).toBe(200);
    a = {
      id: tenantA.id,
      slug: tenantA.slug,
      ownerId: await userIdByEmail(db, ownerA.email),
      ownerEmail: ownerA.email,
      fileId: file.id,
    };
    markersOfA = [tenantA.name, tenantA.slug, file.id, 'Alpha secret', ownerA.email, 'alpha-invitee'];
  });
  afterAll(async () => {
    await db?.close();
    await t?.close();
  });

  /** Everything of A's, plus the control rows a call could touch (B's owner's current tenant, B's invitations). */
  const snapshot = async () => ({
    a: await snapshotTenant(db, a.id),
    ownerB: await db.query('select current_tenant_id from users where email = $1', [ownerB.email.toLowerCase()]),
    platformAudit: await db.query('select count(*)::int as n from platform_audit where tenant_id = $1', [a.id]),
  });

  async function send(route: { method: string }, url: string, testCase: RestCase, headers: Record<string, string>) {
    const body = testCase.body?.(a);
    const res = await t.app.inject({
      method: route.method as 'GET',
      url,
      headers: {
        ...bearer(ownerB.tokens.accessToken),
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...headers,
      },
      ...(body !== undefined ? { payload: JSON.stringify(body) } : {}),
    });
    return { status: res.statusCode, body: res.body };
  }

  it('has a case for every REST route that names a tenant in its path', () => {
    const routes = idRoutes().map(keyOf);
    expect(routes.length).toBeGreaterThanOrEqual(15);
    expect(
      routes.filter((r) => !CASES[r]),
      'REST routes without a cross-tenant case',
    ).toEqual([]);
    expect(
      Object.keys(CASES).filter((c) => !routes.includes(c)),
      'cases of routes that no longer exist',
    ).toEqual([]);
  });

  it.each(idRoutes().map(keyOf))('%s: B with A’s id never succeeds and changes nothing of A', async (key) => {
    const route = idRoutes().find((r) => keyOf(r) === key)!;
    const testCase = CASES[key];
    expect(testCase, `${key} has no case`).toBeDefined();
    const before = await snapshot();
    const failures: string[] = [];
    const leaks = (body: string) => markersOfA.filter((m) => body.includes(m));

    for (const [how, headers] of [
      ['no header', {}],
      ['X-Tenant-ID: A', tenantHeader(a.id)],
    ] as const) {
      const out = await send(route, urlOf(route, testCase!, a, a.id), testCase!, headers);
      if (out.status !== 404 && out.status !== 403) failures.push(`${how}: answered ${out.status} ${out.body}`);
      if (out.status === 403 && !/"appCode":"(FORBIDDEN|TENANT_MISMATCH)"/.test(out.body)) {
        failures.push(`${how}: 403 with ${out.body}`);
      }
      if (leaks(out.body).length) failures.push(`${how}: leaked ${leaks(out.body).join(', ')}`);
    }
    // B's own id in the path and A's in the header: the two disagree, whatever the route.
    {
      const mismatch = await send(route, urlOf(route, testCase!, a, tenantB.id), testCase!, tenantHeader(a.id));
      if (mismatch.status !== 403 || !mismatch.body.includes('"appCode":"TENANT_MISMATCH"')) {
        failures.push(`B's id with X-Tenant-ID: A answered ${mismatch.status} ${mismatch.body}`);
      }
      if (leaks(mismatch.body).length) failures.push(`mismatch: leaked ${leaks(mismatch.body).join(', ')}`);
    }

    expect(failures).toEqual([]);
    expect(await snapshot()).toEqual(before);
  });

  it('a superadmin without membership reaches A by its path id, and the request is audited', async () => {
    const superadmin = await signedInUser(t.app, await createUser({ groups: ['superadmin'] }));
    const superadminId = await userIdByEmail(db, superadmin.email);
    const rows = () =>
      db.query<{ tenant_id: string; procedure: string }>(
        'select tenant_id, procedure from platform_audit where superadmin_id = $1 order by at',
        [superadminId],
      );
    expect(await rows()).toEqual([]);
    const res = await t.app.inject({
      method: 'GET',
      url: `/api/v1/tenants/${a.id}/members`,
      headers: bearer(superadmin.tokens.accessToken),
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json<{ items: Array<{ email: string }> }>().items.map((m) => m.email)).toContain(ownerA.email);
    const audited = await rows();
    expect(audited.length).toBeGreaterThanOrEqual(1);
    expect(audited.every((r) => r.tenant_id === a.id)).toBe(true);
    expect(audited.map((r) => r.procedure)).toContain('members.list');
  });

  it('leaves A working for its owner over REST', async () => {
    const res = await t.app.inject({
      method: 'GET',
      url: `/api/v1/tenants/${a.id}/files`,
      headers: bearer(ownerA.tokens.accessToken),
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.body).toContain(a.fileId);
    const tenant = await t.app.inject({
      method: 'GET',
      url: `/api/v1/tenants/${a.id}`,
      headers: bearer(ownerA.tokens.accessToken),
    });
    expect(tenant.json<{ name: string }>().name).toBe('Alpha Secret Org');
  });
});
