import type { MyTenant, Role, TenantStatus } from '@tenantry/shared';
import type { TenantContextState } from './tenant-context';

/** Where the signed-in user stands with respect to an organisation, for the screens that need one. */
export type ActiveTenant =
  | { state: 'loading' }
  | { state: 'error'; error: unknown }
  /** No organisation chosen (or none at all): invite them to choose or create one. */
  | { state: 'none'; tenants: MyTenant[] }
  /** Their organisation exists but cannot be used now (being prepared, failed, suspended). */
  | { state: 'unavailable'; tenant: { id: string; name: string; status: TenantStatus } }
  | { state: 'ready'; id: string; name: string; role: Role; viaSuperadmin: boolean };

/** The member tenant this tab should use: the one it chose if still listed, else the user's current one. */
export function memberTenantFor(mine: readonly MyTenant[], chosenId: string | null): MyTenant | null {
  return mine.find((t) => t.id === chosenId) ?? mine.find((t) => t.current) ?? null;
}

const USABLE_BY_MEMBERS: readonly TenantStatus[] = ['ready'];

export function resolveActiveTenant(
  context: TenantContextState,
  mine: { data: readonly MyTenant[] | undefined; error: unknown },
): ActiveTenant {
  if (context.explicit) {
    // A superadmin view acts with the owner's rights; the API audits each call.
    return { state: 'ready', id: context.explicit.id, name: context.explicit.name, role: 'owner', viaSuperadmin: true };
  }
  if (!mine.data) return mine.error ? { state: 'error', error: mine.error } : { state: 'loading' };
  const target = memberTenantFor(mine.data, context.memberTenantId);
  // The context is synced from the list in an effect; wait for it so every call carries the header.
  if ((target?.id ?? null) !== context.memberTenantId) return { state: 'loading' };
  if (!target) return { state: 'none', tenants: [...mine.data] };
  if (!USABLE_BY_MEMBERS.includes(target.status)) {
    return { state: 'unavailable', tenant: { id: target.id, name: target.name, status: target.status } };
  }
  return { state: 'ready', id: target.id, name: target.name, role: target.role, viaSuperadmin: false };
}
