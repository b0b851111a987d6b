import type { MyTenant } from '@tenantry/shared';
import { describe, expect, it } from 'vitest';
import { memberTenantFor, resolveActiveTenant } from './active-tenant';

const tenant = (id: string, over: Partial<MyTenant> = {}): MyTenant => ({
  id,
  slug: `org-${id}`,
  name: `Org ${id}`,
  domain: null,
  plan: 'basic',
  status: 'ready',
  schemaVersion: 1,
  createdAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-01T00:00:00.000Z',
  role: 'owner',
  memberCount: 1,
  maxUsers: 100,
  current: false,
  ...over,
});

describe('memberTenantFor', () => {
  it('prefers the tab’s choice, then the persisted current one', () => {
    const mine = [tenant('a', { current: true }), tenant('b')];
    expect(memberTenantFor(mine, 'b')?.id).toBe('b');
    expect(memberTenantFor(mine, null)?.id).toBe('a');
    expect(memberTenantFor(mine, 'gone')?.id).toBe('a');
    expect(memberTenantFor([tenant('b')], null)).toBeNull();
  });
});

describe('resolveActiveTenant', () => {
  const none = { memberTenantId: null, explicit: null };

  it('is loading until the list arrives and the context is synced to it', () => {
    expect(resolveActiveTenant(none, { data: undefined, error: null })).toEqual({ state: 'loading' });
    expect(resolveActiveTenant(none, { data: [tenant('a', { current: true })], error: null })).toEqual({
      state: 'loading',
    });
  });

  it('invites a user without a current organisation to choose or create one', () => {
    const mine = [tenant('b')];
    expect(resolveActiveTenant(none, { data: mine, error: null })).toEqual({ state: 'none', tenants: mine });
  });

  it('reports an organisation that is not ready with its status', () => {
    const mine = [tenant('a', { current: true, status: 'preparing' })];
    expect(resolveActiveTenant({ memberTenantId: 'a', explicit: null }, { data: mine, error: null })).toEqual({
      state: 'unavailable',
      tenant: { id: 'a', name: 'Org a', status: 'preparing' },
    });
  });

  it('is ready with the member’s role', () => {
    const mine = [tenant('a', { current: true, role: 'viewer' })];
    expect(resolveActiveTenant({ memberTenantId: 'a', explicit: null }, { data: mine, error: null })).toMatchObject({
      state: 'ready',
      id: 'a',
      role: 'viewer',
      viaSuperadmin: false,
    });
  });

  it('uses a superadmin view over anything else', () => {
    expect(
      resolveActiveTenant({ memberTenantId: null, explicit: { id: 'x', name: 'X' } }, { data: undefined, error: null }),
    ).toEqual({ state: 'ready', id: 'x', name: 'X', role: 'owner', viaSuperadmin: true });
  });

  it('passes the list’s error on', () => {
    const error = new Error('down');
    expect(resolveActiveTenant(none, { data: undefined, error })).toEqual({ state: 'error', error });
  });
});
