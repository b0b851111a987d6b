import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CurrentTenant, MyTenant, Project } from '@tenantry/shared';
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
    expect(current.data).toMatchObject({ id: tenant.id, role: 'owner', status: 'ready', schemaVersion: 1 });

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
});
