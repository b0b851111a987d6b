import type { TenantStatusInfo } from '@tenantry/shared';
import { skipToken } from '@tanstack/react-query';
import { useCallback, useState } from 'react';
import { trpc } from '../../lib/trpc';
import { isSettled } from './provision-progress';

const POLL_MS = 1000;

/** The newer of two status reports (by `updatedAt`); `b` wins a tie. */
export function newerStatus(
  a: TenantStatusInfo | null | undefined,
  b: TenantStatusInfo | null | undefined,
): TenantStatusInfo | null {
  if (!a) return b ?? null;
  if (!b) return a;
  return Date.parse(a.updatedAt) > Date.parse(b.updatedAt) ? a : b;
}

/**
 * Follows a tenant's provisioning live through the status subscription (SSE), and polls `tenants.status`
 * every second instead while the subscription has failed or cannot connect.
 */
export interface FollowedTenantStatus {
  status: TenantStatusInfo | null;
  /** True while following by polling rather than by the stream. */
  polling: boolean;
  /** The last failure of the status query while polling with nothing to show yet. */
  error: unknown;
  /** Starts following again, e.g. after a retry moved a failed tenant back to pending. */
  resume: (next?: TenantStatusInfo) => void;
}

export function useTenantStatus(id: string, initial?: TenantStatusInfo | null): FollowedTenantStatus {
  const [streamed, setStreamed] = useState<TenantStatusInfo | null>(initial ?? null);
  const [streamFailed, setStreamFailed] = useState(false);
  const subscription = trpc.tenants.onStatus.useSubscription(streamFailed ? skipToken : { id }, {
    onData: (info) => setStreamed(info),
    onError: () => setStreamFailed(true),
  });
  // The link retries a lost connection by itself; poll meanwhile so the screen keeps moving.
  const polling = streamFailed || (subscription.status === 'connecting' && subscription.error !== null);
  const poll = trpc.tenants.status.useQuery(
    { id },
    {
      enabled: polling,
      refetchInterval: (query) => (query.state.data && isSettled(query.state.data.status) ? false : POLL_MS),
      staleTime: 0,
    },
  );
  const status = newerStatus(streamed, polling ? poll.data : null);

  const { reset } = subscription;
  const { refetch } = poll;
  const resume = useCallback(
    (next?: TenantStatusInfo) => {
      if (next) setStreamed(next);
      setStreamFailed(false);
      reset();
      if (polling) void refetch();
    },
    [reset, refetch, polling],
  );

  return { status, polling, error: polling && !status ? poll.error : null, resume };
}
