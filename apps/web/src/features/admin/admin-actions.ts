import type { TenantStatus } from '@tenantry/shared';

export type AdminAction = 'retry' | 'suspend' | 'resume' | 'restore';

/** The lifecycle action the console offers for a tenant in `status`, if any. */
export function adminActionFor(status: TenantStatus): AdminAction | null {
  switch (status) {
    case 'failed':
      return 'retry';
    case 'ready':
      return 'suspend';
    case 'suspended':
      return 'resume';
    case 'deleting':
      return 'restore';
    default:
      return null;
  }
}

/** A superadmin can open (view) a tenant whose data is reachable: ready, or suspended (superadmins only). */
export const canOpenTenant = (status: TenantStatus): boolean => status === 'ready' || status === 'suspended';

/** Filter choices, in order, with their counts; "all" sums every status. */
export function statusFilters(
  counts: Partial<Record<TenantStatus, number>> | undefined,
  order: readonly TenantStatus[],
): { value: TenantStatus | 'all'; count: number | null }[] {
  const total = counts ? Object.values(counts).reduce((sum, n) => sum + (n ?? 0), 0) : null;
  return [
    { value: 'all', count: total },
    ...order.map((status) => ({ value: status, count: counts ? (counts[status] ?? 0) : null })),
  ];
}
