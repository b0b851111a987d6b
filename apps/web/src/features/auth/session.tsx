import { useQueryClient } from '@tanstack/react-query';
import { fetchAuthSession, getCurrentUser, signOut as amplifySignOut } from 'aws-amplify/auth';
import { Hub } from 'aws-amplify/utils';
import { createContext, use, useCallback, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { tenantContext } from '../tenants/tenant-context';

export interface SessionUser {
  /** The Cognito `sub`. */
  userId: string;
  username: string;
  /** From the ID token, or what the user typed to sign in; the access token carries none. */
  email: string | null;
}

export type SessionStatus = 'loading' | 'signedOut' | 'signedIn';

export type Session =
  { status: 'loading'; user: null } | { status: 'signedOut'; user: null } | { status: 'signedIn'; user: SessionUser };

export type SessionContextValue = Session & {
  /** Re-reads the session from Amplify's token store (refreshing the tokens if they expired). */
  refresh: () => Promise<void>;
  /** Ends the session on this device; the route guard then sends the user to the sign-in page. */
  signOut: () => Promise<void>;
};

const LOADING: Session = { status: 'loading', user: null };
const SIGNED_OUT: Session = { status: 'signedOut', user: null };

/** Reads who is signed in; any failure to get valid tokens means signed out. */
export async function readSession(): Promise<Session> {
  try {
    const { tokens } = await fetchAuthSession();
    if (!tokens?.accessToken) return SIGNED_OUT;
    const { userId, username, signInDetails } = await getCurrentUser();
    const idEmail = tokens.idToken?.payload.email;
    const email = typeof idEmail === 'string' ? idEmail : (signInDetails?.loginId ?? null);
    return { status: 'signedIn', user: { userId, username, email } };
  } catch {
    return SIGNED_OUT;
  }
}

/** Ends the session on this device (Amplify clears its tokens and emits `signedOut`). */
export async function signOutLocally(): Promise<void> {
  await amplifySignOut();
}

// Amplify keeps its tokens in localStorage under keys with this prefix.
const AMPLIFY_STORAGE_PREFIX = 'CognitoIdentityServiceProvider.';

const SessionContext = createContext<SessionContextValue | null>(null);

export function SessionProvider({ children }: { children: ReactNode }) {
  const queryClient = useQueryClient();
  const [session, setSession] = useState<Session>(LOADING);
  // Only the newest read may win: Hub events and explicit refreshes can overlap.
  const generation = useRef(0);

  const refresh = useCallback(async () => {
    const mine = ++generation.current;
    const next = await readSession();
    if (mine === generation.current) setSession(next);
  }, []);

  const markSignedOut = useCallback(() => {
    generation.current++;
    setSession(SIGNED_OUT);
  }, []);

  const signOut = useCallback(async () => {
    await signOutLocally();
    markSignedOut();
  }, [markSignedOut]);

  useEffect(() => {
    void refresh();
    const stopListening = Hub.listen('auth', ({ payload }) => {
      switch (payload.event) {
        case 'signedIn':
        case 'tokenRefresh_failure':
          void refresh();
          break;
        case 'signedOut':
          markSignedOut();
          break;
      }
    });
    // A sign-in or sign-out in another tab changes the shared token store.
    const onStorage = (event: StorageEvent) => {
      if (event.key === null || event.key.startsWith(AMPLIFY_STORAGE_PREFIX)) void refresh();
    };
    window.addEventListener('storage', onStorage);
    return () => {
      stopListening();
      window.removeEventListener('storage', onStorage);
    };
  }, [refresh, markSignedOut]);

  // Drop the previous user's cached data once its screens have unmounted.
  const previousStatus = useRef<SessionStatus>(session.status);
  useEffect(() => {
    if (previousStatus.current === 'signedIn' && session.status === 'signedOut') {
      queryClient.clear();
      tenantContext.clear();
    }
    previousStatus.current = session.status;
  }, [session.status, queryClient]);

  const value = useMemo<SessionContextValue>(() => ({ ...session, refresh, signOut }), [session, refresh, signOut]);
  return <SessionContext value={value}>{children}</SessionContext>;
}

export function useSession(): SessionContextValue {
  const value = use(SessionContext);
  if (!value) throw new Error('useSession must be used under <SessionProvider>');
  return value;
}
