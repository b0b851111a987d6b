import type { AcceptInvitationInput } from '@tenantry/shared';
import { trpc } from '../../lib/trpc';
import { useSwitchTenant } from '../tenants/useActiveTenant';

export interface AcceptInvitation {
  accept: (input: AcceptInvitationInput) => void;
  isPending: boolean;
  /** Joined and opened. */
  isDone: boolean;
  acceptError: unknown;
  /** Joined, but the organisation could not be opened (the switcher still offers it). */
  switchError: unknown;
  tenantId: string | null;
}

/** Joins the invitation's organisation, then opens it the way the header's switcher does. */
export function useAcceptInvitation(): AcceptInvitation {
  const utils = trpc.useUtils();
  const switcher = useSwitchTenant();
  const accept = trpc.invitations.accept.useMutation({
    onSuccess: ({ tenantId }) => {
      void utils.invitations.mine.invalidate();
      switcher.mutate({ id: tenantId });
    },
  });
  return {
    accept: (input: AcceptInvitationInput) => accept.mutate(input),
    isPending: accept.isPending || switcher.isPending,
    isDone: accept.isSuccess && !switcher.isPending,
    acceptError: accept.isError ? accept.error : null,
    switchError: switcher.isError ? switcher.error : null,
    tenantId: accept.data?.tenantId ?? null,
  };
}
