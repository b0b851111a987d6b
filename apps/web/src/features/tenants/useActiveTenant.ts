import { useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import { trpc } from '../../lib/trpc';
import { memberTenantFor, resolveActiveTenant, type ActiveTenant } from './active-tenant';
import { tenantContext, useTenantContext, type ExplicitTenant } from './tenant-context';
import { changeTenantContext } from './tenant-queries';

/** The organisation the signed-in screens work in. */
export function useActiveTenant(): ActiveTenant {
  const context = useTenantContext();
  const mine = trpc.tenants.mine.useQuery();
  return resolveActiveTenant(context, { data: mine.data, error: mine.error });
}

/** Keeps the tenant context on the user's current organisation once their list is known (mounted once, in the shell). */
export function useTenantContextSync(): void {
  const { memberTenantId } = useTenantContext();
  const mine = trpc.tenants.mine.useQuery();
  const targetId = mine.data ? (memberTenantFor(mine.data, memberTenantId)?.id ?? null) : undefined;
  useEffect(() => {
    if (targetId !== undefined && targetId !== memberTenantId) {
      tenantContext.setMemberTenant(targetId, { keepExplicit: true });
    }
  }, [targetId, memberTenantId]);
}

export interface SwitchTenant {
  mutate: (input: { id: string }, options?: { onSuccess?: () => void }) => void;
  mutateAsync: (input: { id: string }) => Promise<unknown>;
  isPending: boolean;
  isError: boolean;
  error: unknown;
}

/** Makes an organisation the user's current one, then shows it with nothing of the previous one left. */
export function useSwitchTenant(): SwitchTenant {
  const queryClient = useQueryClient();
  const mutation = trpc.tenants.switch.useMutation({
    onSuccess: (tenant) => changeTenantContext(queryClient, () => tenantContext.setMemberTenant(tenant.id)),
  });
  return {
    mutate: (input, options) => mutation.mutate(input, options?.onSuccess ? { onSuccess: options.onSuccess } : {}),
    mutateAsync: (input) => mutation.mutateAsync(input),
    isPending: mutation.isPending,
    isError: mutation.isError,
    error: mutation.error,
  };
}

/** A superadmin's explicit view of any organisation, without changing their own current one. */
export function useSuperadminView() {
  const queryClient = useQueryClient();
  return {
    open: (tenant: ExplicitTenant) => changeTenantContext(queryClient, () => tenantContext.openAsSuperadmin(tenant)),
    exit: () => changeTenantContext(queryClient, () => tenantContext.exitSuperadmin()),
  };
}
