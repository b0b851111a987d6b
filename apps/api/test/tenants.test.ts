import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CurrentTenant, MyTenant, Project } from '@tenantry/shared';
import { LATEST_TENANT_SCHEMA_VERSION } from '../src/db/migrations/tenant/index.js';
import { buildTestApp, type TestApp } from './helpers/app.js';
import { createUser } from './helpers/stack-env.js';
import { call, ownerWithTenant, tenantHeader } from './helpers/tenants.js';

let t: TestApp;
beforeAll(async () => {
  t = await buildTestApp();
});
afterAll(async () => {
  await t.close();
});

describe('tenants', () => {
  it('are created pending, provisioned to ready, and reached by their owner', async () => {
    const { user, tenant } = await ownerWithTenant(t.app, 'Saint Mary’s Hospital');
    expect(tenant.slug).toMatch(/^saint-marys-hospital/);
    const token = user.tokens.accessToken;
    const mine = await call<MyTenant[]>(t.app, 'query', 'tenants.mine', undefined, { token });
    expect(mine.data).toHaveLength(1);
    expect(mine.data[0]).toMatchObject({ id: tenant.id, role: 'owner', memberCount: 1, maxUsers: 100 });

    const current = await call<CurrentTenant>(t.app, 'query', 'tenants.current', undefined, {
      token,
      headers: tenantHeader(tenant.id),
    });
    expect(current.status).toBe(200);
    expect(current.data).toMatchObject({
      id: tenant.id,
      role: 'owner',
      status: 'ready',
      schemaVersion: LATEST_TENANT_SCHEMA_VERSION,
    });

    const created = await call<Project>(
      t.app,
      'mutation',
      'projects.create',
      { name: 'Wards' },
      {
        token,
        headers: tenantHeader(tenant.id),
      },
    );
    expect(created.status).toBe(200);
    const listed = await call<{ items: Project[] }>(
      t.app,
      'query',
      'projects.list',
      {},
      {
        token,
        headers: tenantHeader(tenant.id),
      },
    );
    expect(listed.data.items.map((p) => p.name)).toEqual(['Wards']);

    const other = await createUser();
    const denied = await call(
      t.app,
      'query',
      'projects.list',
      {},
      {
        token: other.tokens.accessToken,
        headers: tenantHeader(tenant.id),
      },
    );
    expect(denied.status).toBe(404);
  });

  it('stream their status over SSE until ready, authenticated by connection params', async () => {
    const user = await createUser();
    const created = await call<{ id: string }>(
      t.app,
      'mutation',
      'tenants.create',
      { name: 'Streamed' },
      {
        token: user.tokens.accessToken,
      },
    );
    const params = new URLSearchParams({
      input: JSON.stringify({ id: created.data.id }),
      connectionParams: JSON.stringify({ token: user.tokens.accessToken }),
    });
    const res = await t.app.inject({ method: 'GET', url: `/trpc/tenants.onStatus?${params.toString()}` });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/text\/event-stream/);
    const statuses = res.body
      .split('\n')
      .filter((line) => line.startsWith('data: {'))
      .map((line) => JSON.parse(line.slice(6)) as { status?: string })
      .map((d) => d.status)
      .filter(Boolean);
    expect(statuses.at(-1)).toBe('ready');
  });
});

describe('tenant status events', () => {
  it('wake a subscriber at a NOTIFY from another connection, long before its re-read timeout', async () => {
    const id = '00000000-0000-4000-8000-000000000001';
    const subscription = await t.app.services.tenantEvents.subscribe(id);
    try {
      await t.app.services.orm.em.fork().execute(`select pg_notify('tenant_status', ?)`, [id]);
      // With a missed notification this waits the whole hour and the test times out.
      await subscription.wait(3_600_000);
    } finally {
      subscription.unsubscribe();
    }
  });
});
