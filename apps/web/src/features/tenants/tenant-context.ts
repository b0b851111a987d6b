import { useSyncExternalStore } from 'react';

/** A tenant a superadmin opened from the console without joining or switching to it. */
export interface ExplicitTenant {
  id: string;
  name: string;
}

export interface TenantContextState {
  /** The signed-in user's own organisation in this tab (their persisted current one, or the one they switched to). */
  memberTenantId: string | null;
  /** Set while a superadmin views another organisation; it wins over `memberTenantId`. */
  explicit: ExplicitTenant | null;
}

type Listener = () => void;

// Survives a reload of this tab, not other tabs: viewing as superadmin is a deliberate, local act.
const EXPLICIT_KEY = 'tenantry.explicitTenant';

export interface KeyValueStorage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

function readExplicit(storage: KeyValueStorage | undefined): ExplicitTenant | null {
  try {
    const raw = storage?.getItem(EXPLICIT_KEY);
    if (!raw) return null;
    const value = JSON.parse(raw) as Partial<ExplicitTenant>;
    return typeof value.id === 'string' && typeof value.name === 'string' ? { id: value.id, name: value.name } : null;
  } catch {
    return null;
  }
}

/** The one place that knows which tenant the SPA's tenant-scoped calls are for (the X-Tenant-ID header). */
export function createTenantContextStore(storage?: KeyValueStorage) {
  let state: TenantContextState = { memberTenantId: null, explicit: readExplicit(storage) };
  const listeners = new Set<Listener>();

  const set = (next: TenantContextState) => {
    if (next.memberTenantId === state.memberTenantId && next.explicit?.id === state.explicit?.id) return;
    state = next;
    try {
      if (next.explicit) storage?.setItem(EXPLICIT_KEY, JSON.stringify(next.explicit));
      else storage?.removeItem(EXPLICIT_KEY);
    } catch {
      // Storage may be full or blocked; the context still holds for this page's life.
    }
    for (const listener of listeners) listener();
  };

  return {
    getState: (): TenantContextState => state,
    subscribe: (listener: Listener): (() => void) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    /** The id every tenant-scoped call sends as X-Tenant-ID, or `null` (the server then uses the user's current one). */
    headerTenantId: (): string | null => state.explicit?.id ?? state.memberTenantId,
    /** The user's own organisation; choosing one also leaves any superadmin view. */
    setMemberTenant(id: string | null, { keepExplicit = false }: { keepExplicit?: boolean } = {}) {
      set({ memberTenantId: id, explicit: keepExplicit ? state.explicit : null });
    },
    openAsSuperadmin(tenant: ExplicitTenant) {
      set({ ...state, explicit: { id: tenant.id, name: tenant.name } });
    },
    exitSuperadmin() {
      set({ ...state, explicit: null });
    },
    /** At sign-out: nothing of the previous user's context may reach the next one. */
    clear() {
      set({ memberTenantId: null, explicit: null });
    },
  };
}

export type TenantContextStore = ReturnType<typeof createTenantContextStore>;

function browserSessionStorage(): KeyValueStorage | undefined {
  try {
    return typeof window === 'undefined' ? undefined : window.sessionStorage;
  } catch {
    return undefined;
  }
}

export const tenantContext: TenantContextStore = createTenantContextStore(browserSessionStorage());

/** The tenant context, re-rendering when it changes. */
export function useTenantContext(): TenantContextState {
  return useSyncExternalStore(tenantContext.subscribe, tenantContext.getState);
}

/** Headers for an API call: the active tenant, when there is one. */
export function tenantHeaders(store: TenantContextStore = tenantContext): Record<string, string> {
  const id = store.headerTenantId();
  return id ? { 'X-Tenant-ID': id } : {};
}
