/**
 * The REST surface (rest/routes.ts, plugins/rest.ts) against the real stack, with plain HTTP: every route's
 * status code and body, and each error class with its one body shape `{ error: { code, appCode, message } }`.
 */
import type { AuditPage, AuthTokens, TenantStatusInfo } from '@tenantry/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOCAL_CONFIRMATION_CODE } from '../src/local-stack/index.js';
import { bearer, buildTestApp, type TestApp } from './helpers/app.js';
import { addMembership, connectDb, userIdByEmail, type Db } from './helpers/db.js';
import { createUser, uniqueEmail, type TestUser } from './helpers/stack-env.js';
import { call, ownerWithTenant, signedInUser, tenantHeader, type TestTenant } from './helpers/tenants.js';

type Method = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';

interface RestOptions {
  token?: string;
  headers?: Record<string, string>;
  body?: unknown;
  ip?: string;
}

interface ErrorBody {
  error: { code: string; appCode: string; message: string; fields?: Record<string, string[]>; details?: unknown };
}

/** One REST call as curl makes it: a JSON body when there is one, nothing else. */
async function rest<T = unknown>(t: TestApp, method: Method, url: string, options: RestOptions = {}) {
  const res = await t.app.inject({
    method,
    url,
    headers: {
      ...(options.token ? bearer(options.token) : {}),
      ...(options.body !== undefined ? { 'content-type': 'application/json' } : {}),
      ...options.headers,
    },
    ...(options.body !== undefined ? { payload: JSON.stringify(options.body) } : {}),
    ...(options.ip ? { remoteAddress: options.ip } : {}),
  });
  const json = res.body ? (JSON.parse(res.body) as unknown) : undefined;
  return { status: res.statusCode, headers: res.headers, raw: res.body, data: json as T, error: json as ErrorBody };
}

/** The exact shape of an error body: these keys and no others. */
function expectErrorBody(body: ErrorBody, code: string, appCode: string): void {
  expect(Object.keys(body)).toEqual(['error']);
  expect(body.error.code).toBe(code);
  expect(body.error.appCode).toBe(appCode);
  expect(typeof body.error.message).toBe('string');
  expect(body.error.message.length).toBeGreaterThan(0);
  for (const key of Object.keys(body.error)) expect(['code', 'appCode', 'message', 'fields', 'details']).toContain(key);
}

const STRONG = 'Corr3ct-Horse-Battery';

let t: TestApp;
let db: Db;
beforeAll(async () => {
  t = await buildTestApp({
    AUTH_SIGNIN_LIMIT_ACCOUNT: '1000',
    AUTH_SIGNIN_LIMIT_IP: '1000',
    AUTH_CONFIRM_LIMIT_IP: '1000',
    AUTH_FORGOT_LIMIT_IP: '1000',
  });
  db = await connectDb();
});
afterAll(async () => {
  await db?.close();
  await t?.close();
});

describe('auth routes', () => {
  it('signs up (201), confirms, signs in, refreshes, resets the password and signs in with the new one', async () => {
    const email = uniqueEmail('rest');
    const up = await rest<{ medium: string }>(t, 'POST', '/auth/signup', {
      body: { email, password: STRONG, name: 'Rest Person' },
    });
    expect(up.status, up.raw).toBe(201);
    expect(up.data).toMatchObject({ medium: 'EMAIL' });

    const confirm = await rest(t, 'POST', '/auth/confirm', { body: { email, code: LOCAL_CONFIRMATION_CODE } });
    expect(confirm.status, confirm.raw).toBe(200);
    expect(confirm.data).toEqual({ ok: true });

    const signIn = await rest<AuthTokens>(t, 'POST', '/auth/signin', { body: { email, password: STRONG } });
    expect(signIn.status, signIn.raw).toBe(200);
    expect(signIn.data.accessToken).toEqual(expect.any(String));
    expect(signIn.data.refreshToken).toEqual(expect.any(String));
    // The token works on the REST surface.
    expect((await rest(t, 'GET', '/api/v1/tenants', { token: signIn.data.accessToken })).status).toBe(200);

    const refreshed = await rest<AuthTokens>(t, 'POST', '/auth/refresh', {
      body: { refreshToken: signIn.data.refreshToken },
    });
    expect(refreshed.status, refreshed.raw).toBe(200);
    expect(refreshed.data.accessToken).toEqual(expect.any(String));
    expect((await rest(t, 'GET', '/api/v1/tenants', { token: refreshed.data.accessToken })).status).toBe(200);

    const forgot = await rest<{ medium: string }>(t, 'POST', '/auth/forgot-password', { body: { email } });
    expect(forgot.status, forgot.raw).toBe(200);
    expect(forgot.data).toMatchObject({ medium: 'EMAIL' });

    const weak = await rest(t, 'POST', '/auth/reset-password', {
      body: { email, code: LOCAL_CONFIRMATION_CODE, newPassword: 'nodigits' },
    });
    expect(weak.status).toBe(400);
    expectErrorBody(weak.error, 'BAD_REQUEST', 'VALIDATION_FAILED');
    expect(weak.error.error.fields?.newPassword).toEqual(['An uppercase letter is required', 'A number is required']);

    const reset = await rest(t, 'POST', '/auth/reset-password', {
      body: { email, code: LOCAL_CONFIRMATION_CODE, newPassword: 'N3w-Password' },
    });
    expect(reset.status, reset.raw).toBe(200);
    expect(reset.data).toEqual({ ok: true });

    const old = await rest(t, 'POST', '/auth/signin', { body: { email, password: STRONG } });
    expect(old.status).toBe(401);
    expectErrorBody(old.error, 'UNAUTHORIZED', 'INVALID_CREDENTIALS');
    expect(old.error.error.message).toBe('Incorrect email or password');
    const fresh = await rest(t, 'POST', '/auth/signin', { body: { email, password: 'N3w-Password' } });
    expect(fresh.status, fresh.raw).toBe(200);
  });

  it('answers 400 with field errors for a bad e-mail and a weak password', async () => {
    const res = await rest(t, 'POST', '/auth/signup', {
      body: { email: 'not-an-email', password: 'short', name: 'X' },
    });
    expect(res.status).toBe(400);
    expectErrorBody(res.error, 'BAD_REQUEST', 'VALIDATION_FAILED');
    expect(Object.keys(res.error.error.fields ?? {}).sort()).toEqual(['email', 'password']);
    expect(res.error.error.fields?.email?.length).toBeGreaterThan(0);
  });

  it('answers 400 in the same shape for a body that is not JSON', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/auth/signin',
      headers: { 'content-type': 'application/json' },
      payload: '{"email": ',
    });
    expect(res.statusCode).toBe(400);
    expectErrorBody(res.json<ErrorBody>(), 'BAD_REQUEST', 'BAD_REQUEST');
  });

  it('answers 415 in the same shape for a body that is not JSON by its content type', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/auth/signin',
      headers: { 'content-type': 'application/x-unknown' },
      payload: 'email=a',
    });
    expect(res.statusCode).toBe(415);
    expectErrorBody(res.json<ErrorBody>(), 'UNSUPPORTED_MEDIA_TYPE', 'BAD_REQUEST');
  });
});

describe('tenant routes', () => {
  let owner: TestUser;
  let tenant: TestTenant;
  let ownerId: string;

  beforeAll(async () => {
    owner = await signedInUser(t.app, await createUser());
    ownerId = await userIdByEmail(db, owner.email);
  });

  it('POST /auth/tenants answers 202 with the id and status; GET /tenant-status/{id} reaches ready', async () => {
    const created = await rest<TenantStatusInfo & { slug: string }>(t, 'POST', '/auth/tenants', {
      token: owner.tokens.accessToken,
      body: { name: 'Rest Works' },
    });
    expect(created.status, created.raw).toBe(202);
    expect(created.data.status).toBe('pending');
    expect(created.data.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(created.data.slug).toMatch(/^rest-works/);
    const { id } = created.data;
    await expect
      .poll(
        async () =>
          (await rest<TenantStatusInfo>(t, 'GET', `/tenant-status/${id}`, { token: owner.tokens.accessToken })).data
            .status,
        { timeout: 20_000, interval: 100 },
      )
      .toBe('ready');
    tenant = { id, slug: created.data.slug, name: 'Rest Works' };
  });

  it('GET /api/v1/tenant by header and by the current tenant; users/count; /tenants', async () => {
    const token = owner.tokens.accessToken;
    const byHeader = await rest<{ id: string; name: string }>(t, 'GET', '/api/v1/tenant', {
      token,
      headers: tenantHeader(tenant.id),
    });
    expect(byHeader.status, byHeader.raw).toBe(200);
    expect(byHeader.data).toMatchObject({ id: tenant.id, name: 'Rest Works' });
    // No current tenant yet and no header: the route says to choose one.
    const none = await rest(t, 'GET', '/api/v1/tenant', { token });
    expect(none.status).toBe(404);
    expectErrorBody(none.error, 'NOT_FOUND', 'NOT_FOUND');

    const count = await rest(t, 'GET', '/api/v1/tenant/users/count', { token, headers: tenantHeader(tenant.id) });
    expect(count.status).toBe(200);
    expect(count.data).toEqual({ count: 1, maxUsers: 100 });

    const mine = await rest<Array<{ id: string }>>(t, 'GET', '/api/v1/tenants', { token });
    expect(mine.status).toBe(200);
    expect(mine.data.map((m) => m.id)).toContain(tenant.id);
    const one = await rest<{ id: string; slug: string }>(t, 'GET', `/api/v1/tenants/${tenant.id}`, { token });
    expect(one.status).toBe(200);
    expect(one.data).toMatchObject({ id: tenant.id, slug: tenant.slug });
  });

  it('PATCH /api/v1/tenants/{id} renames; POST …/switch (no body) makes it the current tenant', async () => {
    const token = owner.tokens.accessToken;
    const patched = await rest<{ name: string }>(t, 'PATCH', `/api/v1/tenants/${tenant.id}`, {
      token,
      body: { name: 'Rest Renamed' },
    });
    expect(patched.status, patched.raw).toBe(200);
    expect(patched.data.name).toBe('Rest Renamed');

    const other = await rest<{ id: string }>(t, 'POST', '/auth/tenants', { token, body: { name: 'Rest Second' } });
    expect(other.status).toBe(202);
    await expect
      .poll(
        async () => (await rest<TenantStatusInfo>(t, 'GET', `/tenant-status/${other.data.id}`, { token })).data.status,
        {
          timeout: 20_000,
          interval: 100,
        },
      )
      .toBe('ready');
    const toOther = await rest(t, 'POST', `/api/v1/tenants/${other.data.id}/switch`, { token });
    expect(toOther.status, toOther.raw).toBe(200);
    expect((await rest<{ id: string }>(t, 'GET', '/api/v1/tenant', { token })).data.id).toBe(other.data.id);
    // As curl sends it: no body, no content type.
    const res = await t.app.inject({
      method: 'POST',
      url: `/api/v1/tenants/${tenant.id}/switch`,
      headers: bearer(token),
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json<{ id: string }>().id).toBe(tenant.id);
    const after = await rest<{ id: string; name: string }>(t, 'GET', '/api/v1/tenant', { token });
    expect(after.data).toMatchObject({ id: tenant.id, name: 'Rest Renamed' });
  });

  it('members: list, invite (201), change a role, remove by e-mail (204, also %40-encoded)', async () => {
    const token = owner.tokens.accessToken;
    const base = `/api/v1/tenants/${tenant.id}/members`;
    const invited = await rest<{ id: string; email: string; status: string }>(t, 'POST', base, {
      token,
      body: { email: 'rest-invitee@example.test', role: 'member' },
    });
    expect(invited.status, invited.raw).toBe(201);
    expect(invited.data).toMatchObject({ email: 'rest-invitee@example.test', status: 'pending' });

    const bob = await signedInUser(t.app, await createUser());
    const carol = await signedInUser(t.app, await createUser());
    const bobId = await userIdByEmail(db, bob.email);
    await addMembership(db, tenant.id, bobId, 'member');
    await addMembership(db, tenant.id, await userIdByEmail(db, carol.email), 'viewer');

    const list = await rest<{ items: Array<{ userId: string; role: string }>; count: number }>(t, 'GET', base, {
      token,
    });
    expect(list.status).toBe(200);
    expect(list.data.count).toBe(3);
    expect(list.data.items.map((m) => m.userId)).toEqual(expect.arrayContaining([ownerId, bobId]));

    const role = await rest<{ userId: string; role: string }>(t, 'PATCH', `${base}/${bobId}`, {
      token,
      body: { role: 'admin' },
    });
    expect(role.status, role.raw).toBe(200);
    expect(role.data).toMatchObject({ userId: bobId, role: 'admin' });

    const removed = await rest(t, 'DELETE', `${base}/${bob.email}`, { token });
    expect(removed.status, removed.raw).toBe(204);
    expect(removed.raw).toBe('');
    expect(removed.headers['content-type']).toBeUndefined();
    const encoded = await rest(t, 'DELETE', `${base}/${carol.email.replace('@', '%40')}`, { token });
    expect(encoded.status, encoded.raw).toBe(204);
    expect(encoded.raw).toBe('');

    const count = await rest(t, 'GET', '/api/v1/tenant/users/count', { token, headers: tenantHeader(tenant.id) });
    expect(count.data).toEqual({ count: 1, maxUsers: 100 });
    const gone = await rest(t, 'DELETE', `${base}/${bob.email}`, { token });
    expect(gone.status).toBe(404);
    expectErrorBody(gone.error, 'NOT_FOUND', 'NOT_FOUND');
  });

  it('usage, config (GET/PUT), plans and plan change', async () => {
    const token = owner.tokens.accessToken;
    const base = `/api/v1/tenants/${tenant.id}`;
    const usage = await rest<{ from: string; to: string }>(t, 'GET', `${base}/usage?from=2026-01-01&to=2026-01-31`, {
      token,
    });
    expect(usage.status, usage.raw).toBe(200);
    expect(usage.data).toMatchObject({ from: '2026-01-01', to: '2026-01-31' });

    const config = await rest<Record<string, unknown>>(t, 'GET', `${base}/config`, { token });
    expect(config.status, config.raw).toBe(200);
    const set = await rest<{ settings: { timezone: string } }>(t, 'PUT', `${base}/config`, {
      token,
      body: { key: 'timezone', value: 'Europe/Paris' },
    });
    expect(set.status, set.raw).toBe(200);
    expect(set.data.settings.timezone).toBe('Europe/Paris');
    const reread = await rest<{ settings: { timezone: string } }>(t, 'GET', `${base}/config`, { token });
    expect(reread.data.settings.timezone).toBe('Europe/Paris');
    const badValue = await rest(t, 'PUT', `${base}/config`, {
      token,
      body: { key: 'timezone', value: 'Mars/Olympus' },
    });
    expect(badValue.status).toBe(400);
    expectErrorBody(badValue.error, 'BAD_REQUEST', 'VALIDATION_FAILED');

    const plans = await rest<Array<{ id: string }>>(t, 'GET', '/api/v1/plans', { token });
    expect(plans.status).toBe(200);
    expect(plans.data.map((p) => p.id)).toEqual(expect.arrayContaining(['basic', 'premium', 'enterprise']));
    const changed = await rest<{ plan: string }>(t, 'POST', `${base}/plan`, { token, body: { plan: 'enterprise' } });
    expect(changed.status, changed.raw).toBe(200);
    expect(changed.data).toMatchObject({ plan: 'enterprise' });
    // Enterprise has advanced analytics: a range over 31 days is allowed now.
    const wide = await rest(t, 'GET', `${base}/usage?from=2026-01-01&to=2026-03-31`, { token });
    expect(wide.status, wide.raw).toBe(200);
  });

  it('the REST calls are in the audit log with the same actions as tRPC calls', async () => {
    const token = owner.tokens.accessToken;
    const audit = await rest<AuditPage>(t, 'GET', `/api/v1/tenants/${tenant.id}/audit?limit=100`, { token });
    expect(audit.status, audit.raw).toBe(200);
    const actions = audit.data.items.map((i) => i.action);
    for (const action of [
      'tenant.created',
      'tenant.updated',
      'member.invited',
      'member.role_changed',
      'member.removed',
      'config.updated',
      'tenant.plan_changed',
    ]) {
      expect(actions, action).toContain(action);
    }
    // A tRPC rename lands in the same log with the same action as the REST one.
    const trpc = await call(
      t.app,
      'mutation',
      'tenants.update',
      { name: 'Renamed over tRPC' },
      { token, headers: tenantHeader(tenant.id) },
    );
    expect(trpc.status).toBe(200);
    const filtered = await rest<AuditPage>(t, 'GET', `/api/v1/tenants/${tenant.id}/audit?action=tenant.updated`, {
      token,
    });
    expect(filtered.data.items.length).toBe(2);
    expect(filtered.data.items.every((i) => i.actorId === ownerId)).toBe(true);
  });

  it('X-RateLimit-* headers are on a tenant route', async () => {
    const res = await rest(t, 'GET', `/api/v1/tenants/${tenant.id}/members`, { token: owner.tokens.accessToken });
    expect(res.status).toBe(200);
    expect(Number(res.headers['x-ratelimit-limit'])).toBeGreaterThan(0);
    expect(res.headers['x-ratelimit-remaining']).toEqual(expect.any(String));
    expect(res.headers['x-ratelimit-reset']).toEqual(expect.any(String));
  });
});

describe('error classes', () => {
  let owner: TestUser;
  let tenant: TestTenant;
  let other: { user: TestUser; tenant: TestTenant };
  let viewer: TestUser;

  beforeAll(async () => {
    ({ user: owner, tenant } = await ownerWithTenant(t.app));
    other = await ownerWithTenant(t.app);
    viewer = await signedInUser(t.app, await createUser());
    await addMembership(db, tenant.id, await userIdByEmail(db, viewer.email), 'viewer');
  });

  it('401 without a token and with a bad token', async () => {
    const none = await rest(t, 'GET', '/api/v1/tenants');
    expect(none.status).toBe(401);
    expectErrorBody(none.error, 'UNAUTHORIZED', 'UNAUTHENTICATED');
    const bad = await rest(t, 'GET', `/api/v1/tenants/${tenant.id}/members`, { token: 'not.a.jwt' });
    expect(bad.status).toBe(401);
    expect(bad.error.error.code).toBe('UNAUTHORIZED');
    expectErrorBody(bad.error, 'UNAUTHORIZED', bad.error.error.appCode);
  });

  it('403 for a role that may not, for a plan feature, and for a path and header that disagree', async () => {
    const role = await rest(t, 'PATCH', `/api/v1/tenants/${tenant.id}`, {
      token: viewer.tokens.accessToken,
      body: { name: 'Viewer was here' },
    });
    expect(role.status).toBe(403);
    expectErrorBody(role.error, 'FORBIDDEN', 'FORBIDDEN');

    const feature = await rest(t, 'GET', `/api/v1/tenants/${tenant.id}/usage?from=2026-01-01&to=2026-03-31`, {
      token: owner.tokens.accessToken,
    });
    expect(feature.status).toBe(403);
    expectErrorBody(feature.error, 'FORBIDDEN', 'FEATURE_DISABLED');

    for (const path of [`/api/v1/tenants/${tenant.id}`, `/api/v1/tenants/${tenant.id}/members`]) {
      const mismatch = await rest(t, 'GET', path, {
        token: owner.tokens.accessToken,
        headers: tenantHeader(other.tenant.id),
      });
      expect(mismatch.status, path).toBe(403);
      expectErrorBody(mismatch.error, 'FORBIDDEN', 'TENANT_MISMATCH');
    }
  });

  it('404 for an unknown tenant id and an unknown route', async () => {
    const unknown = await rest(t, 'GET', '/api/v1/tenants/00000000-0000-4000-8000-000000000000/members', {
      token: owner.tokens.accessToken,
    });
    expect(unknown.status).toBe(404);
    expectErrorBody(unknown.error, 'NOT_FOUND', unknown.error.error.appCode);
    const another = await rest(t, 'GET', `/api/v1/tenants/${other.tenant.id}`, { token: owner.tokens.accessToken });
    expect(another.status).toBe(404);
    const route = await rest(t, 'GET', '/api/v1/no-such-thing', { token: owner.tokens.accessToken });
    expect(route.status).toBe(404);
    expectErrorBody(route.error, 'NOT_FOUND', 'NOT_FOUND');
  });

  it('409 PLAN_LIMIT with details for a downgrade below what is in use, and for a taken slug', async () => {
    const token = owner.tokens.accessToken;
    const base = `/api/v1/tenants/${tenant.id}`;
    expect((await rest(t, 'POST', `${base}/plan`, { token, body: { plan: 'enterprise' } })).status).toBe(200);
    await db.query('update tenants set storage_bytes = $1 where id = $2', [12 * 1024 ** 3, tenant.id]);
    const down = await rest(t, 'POST', `${base}/plan`, { token, body: { plan: 'basic' } });
    expect(down.status).toBe(409);
    expectErrorBody(down.error, 'CONFLICT', 'PLAN_LIMIT');
    expect(down.error.error.details).toMatchObject({ overages: [expect.objectContaining({ limit: 'storageBytes' })] });
    await db.query('update tenants set storage_bytes = 0 where id = $1', [tenant.id]);

    const slug = await rest(t, 'PATCH', base, { token, body: { slug: other.tenant.slug } });
    expect(slug.status, slug.raw).toBe(409);
    expectErrorBody(slug.error, 'CONFLICT', slug.error.error.appCode);
  });

  it('423 TENANT_NOT_READY with the status for a tenant still being prepared', async () => {
    // Every test app's worker shares the one job queue, so a new tenant's status is a race: the test lets its
    // provisioning finish, then puts the tenant back into 'preparing' itself, which no job touches again.
    const user = await createUser();
    const created = await rest<{ id: string }>(t, 'POST', '/auth/tenants', {
      token: user.tokens.accessToken,
      body: { name: 'Never Prepared' },
    });
    expect(created.status).toBe(202);
    const { id } = created.data;
    await expect
      .poll(
        async () =>
          (await rest<TenantStatusInfo>(t, 'GET', `/tenant-status/${id}`, { token: user.tokens.accessToken })).data
            .status,
        { timeout: 20_000, interval: 100 },
      )
      .toBe('ready');
    await db.query(`update tenants set status = 'preparing' where id = $1`, [id]);
    const res = await rest(t, 'GET', `/api/v1/tenants/${id}/members`, { token: user.tokens.accessToken });
    expect(res.status, res.raw).toBe(423);
    expectErrorBody(res.error, res.error.error.code, 'TENANT_NOT_READY');
    expect(res.error.error.details).toMatchObject({ tenantStatus: 'preparing' });
    const current = await rest(t, 'GET', '/api/v1/tenant', {
      token: user.tokens.accessToken,
      headers: tenantHeader(id),
    });
    expect(current.status).toBe(423);
  });

  it('429 with Retry-After once the per-address limit is spent', async () => {
    const limited = await buildTestApp({ RATE_LIMIT_IP_PER_SECOND: '1' });
    try {
      const statuses: number[] = [];
      let refused: Awaited<ReturnType<typeof rest>> | undefined;
      for (let i = 0; i < 5; i++) {
        const res = await rest(limited, 'POST', '/auth/signin', {
          body: { email: 'nobody@example.test', password: 'Wrong-Passw0rd' },
          ip: '203.0.113.9',
        });
        statuses.push(res.status);
        if (res.status === 429) refused = res;
      }
      expect(statuses).toContain(429);
      expect(refused).toBeDefined();
      expectErrorBody(refused!.error, 'TOO_MANY_REQUESTS', refused!.error.error.appCode);
      expect(Number(refused!.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    } finally {
      await limited.close();
    }
  });
});
