import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  appCodeOf,
  createTenantryClient,
  errorDataOf,
  isTenantryClientError,
  type TenantryClient,
} from '../../../packages/client/src/index.js';
import { buildTestApp, type TestApp } from './helpers/app.js';
import { createUser, type TestUser } from './helpers/stack-env.js';

// @tenantry/client (imported by path: the package depends on the API for its router type) against the API listening on a real port: HTTP batching, headers and errors as a script sees them.
let t: TestApp;
let url: string;

beforeAll(async () => {
  t = await buildTestApp();
  await t.app.listen({ host: '127.0.0.1', port: 0 });
  url = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await t.close();
});

/** A fetch that counts the HTTP requests a client sends. */
function countingFetch(): { fetch: typeof globalThis.fetch; requests: string[] } {
  const requests: string[] = [];
  return {
    requests,
    fetch: (input, init) => {
      requests.push(input instanceof Request ? input.url : String(input));
      return globalThis.fetch(input, init);
    },
  };
}

/** Creates a tenant through the client and polls its status until it is ready. */
async function readyTenant(client: TenantryClient): Promise<{ id: string; slug: string }> {
  const created = await client.tenants.create.mutate({ name: `Client ${Math.random().toString(36).slice(2, 8)}` });
  const deadline = Date.now() + 20_000;
  for (;;) {
    const status = await client.tenants.status.query({ id: created.id });
    if (status.status === 'ready') return { id: created.id, slug: created.slug };
    if (status.status === 'failed') throw new Error(`tenant ${created.id} failed: ${status.error}`);
    if (Date.now() > deadline) throw new Error(`tenant ${created.id} still ${status.status}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('@tenantry/client', () => {
  let owner: TestUser;
  let client: TenantryClient;
  let tenant: { id: string; slug: string };

  beforeAll(async () => {
    owner = await createUser();
    client = createTenantryClient({ url, getToken: async () => owner.tokens.accessToken });
    tenant = await readyTenant(client);
  });

  it('signs calls with the token and sends the tenant header', async () => {
    const mine = await client.tenants.mine.query();
    expect(mine.map((m) => m.id)).toContain(tenant.id);

    const inTenant = client.withTenant(tenant.id);
    const project = await inTenant.projects.create.mutate({ name: 'From a script' });
    const page = await inTenant.projects.list.query({});
    expect(page.items.map((p) => p.id)).toContain(project.id);

    // By slug (a string that is not a UUID, or `{ slug }`), through the factory's own `tenant` option too.
    const bySlug = createTenantryClient({
      url,
      getToken: () => owner.tokens.accessToken,
      tenant: { slug: tenant.slug },
    });
    expect((await bySlug.projects.get.query({ id: project.id })).name).toBe('From a script');
    expect((await client.withTenant(tenant.slug).projects.get.query({ id: project.id })).id).toBe(project.id);
  });

  it('batches calls made together into one request', async () => {
    const counting = countingFetch();
    const batched = createTenantryClient({
      url,
      getToken: () => owner.tokens.accessToken,
      tenant,
      fetch: counting.fetch,
    });
    const [me, mine, page, current] = await Promise.all([
      batched.auth.me.query(),
      batched.tenants.mine.query(),
      batched.projects.list.query({}),
      batched.tenants.current.query(),
    ]);
    expect(me.email).toBe(owner.email);
    expect(mine.length).toBeGreaterThan(0);
    expect(page.items.length).toBeGreaterThan(0);
    expect(current.id).toBe(tenant.id);
    expect(counting.requests).toHaveLength(1);
    expect(counting.requests[0]).toContain('/trpc/auth.me,tenants.mine,projects.list,tenants.current?batch=1');
  });

  it('reports the API error codes: another tenant, a plan feature, no token', async () => {
    const other = await createUser();
    const otherClient = createTenantryClient({ url, getToken: () => other.tokens.accessToken });
    const otherTenant = await readyTenant(otherClient);
    const foreign = await otherClient.withTenant(otherTenant).projects.create.mutate({ name: 'Not yours' });

    // The owner naming their own tenant cannot read the other tenant's project: it does not exist there.
    const notFound = await client
      .withTenant(tenant)
      .projects.get.query({ id: foreign.id })
      .catch((e: unknown) => e);
    expect(isTenantryClientError(notFound)).toBe(true);
    expect(appCodeOf(notFound)).toBe('NOT_FOUND');
    expect(errorDataOf(notFound)?.httpStatus).toBe(404);
    // Naming the other tenant is refused as if it did not exist.
    const notMember = await client
      .withTenant(otherTenant.id)
      .projects.list.query({})
      .catch((e: unknown) => e);
    expect(errorDataOf(notMember)?.httpStatus).toBe(404);

    // A new tenant is on Basic: the audit export is a plan feature, with the plans that have it in the details.
    const disabled = await client
      .withTenant(tenant)
      .audit.export.query({})
      .catch((e: unknown) => e);
    expect(appCodeOf(disabled)).toBe('FEATURE_DISABLED');
    const data = errorDataOf(disabled);
    expect(data).toMatchObject({ code: 'FORBIDDEN', httpStatus: 403, details: { feature: 'audit_log' } });

    const anonymous = createTenantryClient({ url });
    const refused = await anonymous.tenants.mine.query().catch((e: unknown) => e);
    expect(appCodeOf(refused)).toBe('UNAUTHENTICATED');
    expect(appCodeOf(new Error('not an API error'))).toBeUndefined();
    expect(isTenantryClientError(new Error('plain'))).toBe(false);
  });

  it('withTenant switches tenants and keeps the token', async () => {
    const second = await readyTenant(client);
    const a = client.withTenant(tenant);
    const b = a.withTenant({ id: second.id });
    await b.projects.create.mutate({ name: 'Only in the second' });
    const [inA, inB] = await Promise.all([a.projects.list.query({}), b.projects.list.query({})]);
    expect(inB.items.map((p) => p.name)).toEqual(['Only in the second']);
    expect(inA.items.map((p) => p.name)).not.toContain('Only in the second');
    expect((await b.tenants.current.query()).id).toBe(second.id);
    // withTenant(null) names no tenant: the API falls back to the user's current one, and this user chose none.
    const none = await a
      .withTenant(null)
      .projects.list.query({})
      .catch((e: unknown) => e);
    expect(appCodeOf(none)).toBe('NOT_FOUND');
    expect((none as Error).message).toBe('Choose an organisation first');
  });
});
