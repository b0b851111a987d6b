import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Hub } from 'aws-amplify/utils';
import { useEffect } from 'react';
import { accessTokenQueryKey, readAccessToken, renewAccessToken, type AccessTokenInfo } from './access-token';

/** The current access token's lifetime, kept current when Amplify refreshes it in the background. */
export function useAccessToken() {
  const queryClient = useQueryClient();
  useEffect(
    () =>
      Hub.listen('auth', ({ payload }) => {
        if (payload.event === 'tokenRefresh') void queryClient.invalidateQueries({ queryKey: accessTokenQueryKey });
      }),
    [queryClient],
  );
  return useQuery({ queryKey: accessTokenQueryKey, queryFn: readAccessToken, staleTime: Infinity, retry: false });
}

/** Renews the tokens now; `onRenewed` runs once the new token is in the cache. */
export function useRenewAccessToken({ onRenewed }: { onRenewed?: (info: AccessTokenInfo) => Promise<void> } = {}) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: renewAccessToken,
    onSuccess: async (info) => {
      queryClient.setQueryData(accessTokenQueryKey, info);
      await onRenewed?.(info);
    },
  });
}
