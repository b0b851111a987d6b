import type { QueryClient, QueryKey } from '@tanstack/react-query';

/**
 * Queries whose answers do not depend on the active tenant: the user and their token, their list of
 * organisations, a tenant's provisioning status and the superadmin console. Everything else is tenant data.
 */
export function survivesTenantChange(queryKey: QueryKey): boolean {
  const head = queryKey[0];
  // tRPC keys start with the procedure path as an array; plain TanStack keys with a string.
  const [area, name] = Array.isArray(head) ? (head as unknown[]) : [head];
  return area === 'auth' || area === 'admin' || (area === 'tenants' && (name === 'mine' || name === 'status'));
}

/**
 * Changes the tenant context and drops every tenant-scoped answer in the same tick, so no screen shows
 * the previous tenant's data: active queries go back to loading and refetch with the new header.
 */
export function changeTenantContext(queryClient: QueryClient, apply: () => void): void {
  apply();
  void queryClient.resetQueries({ predicate: (query) => !survivesTenantChange(query.queryKey) });
  void queryClient.invalidateQueries({ queryKey: [['tenants', 'mine']] });
}
