import { describe, expect, it, vi } from 'vitest';
import { createTenantContextStore, tenantHeaders, type KeyValueStorage } from './tenant-context';
import { survivesTenantChange } from './tenant-queries';

function memoryStorage(): KeyValueStorage & { data: Map<string, string> } {
  const data = new Map<string, string>();
  return {
    data,
    getItem: (k) => data.get(k) ?? null,
    setItem: (k, v) => void data.set(k, v),
    removeItem: (k) => void data.delete(k),
  };
}

const A = '11111111-1111-4111-8111-111111111111';
const B = '22222222-2222-4222-8222-222222222222';

describe('tenant context store', () => {
  it('sends no tenant header until one is chosen, then the member tenant', () => {
    const store = createTenantContextStore();
    expect(tenantHeaders(store)).toEqual({});
    store.setMemberTenant(A);
    expect(tenantHeaders(store)).toEqual({ 'X-Tenant-ID': A });
  });

  it('lets a superadmin view win over the member tenant, and restores it on exit', () => {
    const store = createTenantContextStore();
    store.setMemberTenant(A);
    store.openAsSuperadmin({ id: B, name: 'Beta' });
    expect(store.headerTenantId()).toBe(B);
    store.exitSuperadmin();
    expect(store.headerTenantId()).toBe(A);
  });

  it('leaves the superadmin view when the user switches organisation', () => {
    const store = createTenantContextStore();
    store.openAsSuperadmin({ id: B, name: 'Beta' });
    store.setMemberTenant(A);
    expect(store.getState()).toEqual({ memberTenantId: A, explicit: null });
  });

  it('notifies subscribers on change only', () => {
    const store = createTenantContextStore();
    const listener = vi.fn();
    store.subscribe(listener);
    store.setMemberTenant(A);
    store.setMemberTenant(A);
    expect(listener).toHaveBeenCalledTimes(1);
  });

  it('keeps the superadmin view across a reload of the tab, and forgets everything on clear', () => {
    const storage = memoryStorage();
    createTenantContextStore(storage).openAsSuperadmin({ id: B, name: 'Beta' });
    const reloaded = createTenantContextStore(storage);
    expect(reloaded.getState().explicit).toEqual({ id: B, name: 'Beta' });
    reloaded.clear();
    expect(reloaded.getState()).toEqual({ memberTenantId: null, explicit: null });
    expect(storage.data.size).toBe(0);
  });

  it('ignores a corrupt stored view', () => {
    const storage = memoryStorage();
    storage.setItem('tenantry.explicitTenant', '{nope');
    expect(createTenantContextStore(storage).getState().explicit).toBeNull();
  });
});

describe('survivesTenantChange', () => {
  it('keeps user, organisation list, status and console queries', () => {
    expect(survivesTenantChange([['auth', 'me'], { type: 'query' }])).toBe(true);
    expect(survivesTenantChange(['auth', 'access-token'])).toBe(true);
    expect(survivesTenantChange([['tenants', 'mine'], { type: 'query' }])).toBe(true);
    expect(survivesTenantChange([['admin', 'tenants', 'list'], { type: 'infinite' }])).toBe(true);
  });
  it('drops tenant data', () => {
    expect(survivesTenantChange([['projects', 'list'], { type: 'infinite' }])).toBe(false);
    expect(survivesTenantChange([['tenants', 'current'], { type: 'query' }])).toBe(false);
  });
});
