import type { PublicConfig } from '@tenantry/shared';
import { QueryClientProvider } from '@tanstack/react-query';
import { useState, type ReactNode } from 'react';
import { signInPath, SIGN_IN_PATH } from '../features/auth/redirect';
import { SessionProvider, signOutLocally } from '../features/auth/session';
import { PublicConfigProvider } from '../lib/config';
import { createQueryClient } from '../lib/query-client';
import { createTrpcClient, trpc } from '../lib/trpc';
import { router } from './router';

/** The API no longer accepts this session: end it here and ask to sign in, coming back to this page. */
async function onUnauthorized(): Promise<void> {
  const wanted = router.state.location;
  await signOutLocally();
  if (wanted.pathname !== SIGN_IN_PATH) await router.navigate(signInPath(wanted), { replace: true });
}

export function AppProviders({ config, children }: { config: PublicConfig; children: ReactNode }) {
  const [queryClient] = useState(() => createQueryClient({ onUnauthorized }));
  const [trpcClient] = useState(createTrpcClient);
  return (
    <PublicConfigProvider value={config}>
      <trpc.Provider client={trpcClient} queryClient={queryClient}>
        <QueryClientProvider client={queryClient}>
          <SessionProvider>{children}</SessionProvider>
        </QueryClientProvider>
      </trpc.Provider>
    </PublicConfigProvider>
  );
}
