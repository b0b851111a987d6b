import { fetchAuthSession, type AuthTokens } from 'aws-amplify/auth';

export interface AccessTokenInfo {
  issuedAt: Date | null;
  expiresAt: Date;
}

export const accessTokenQueryKey = ['auth', 'access-token'] as const;

function infoOf(tokens: AuthTokens | undefined): AccessTokenInfo | null {
  const { exp, iat } = tokens?.accessToken.payload ?? {};
  if (typeof exp !== 'number') return null;
  return { expiresAt: new Date(exp * 1000), issuedAt: typeof iat === 'number' ? new Date(iat * 1000) : null };
}

/** When the current access token expires; `null` when there is none. */
export async function readAccessToken(): Promise<AccessTokenInfo | null> {
  const { tokens } = await fetchAuthSession();
  return infoOf(tokens);
}

/** Trades the refresh token for new tokens now, instead of when the access token expires. */
export async function renewAccessToken(): Promise<AccessTokenInfo> {
  const { tokens } = await fetchAuthSession({ forceRefresh: true });
  const info = infoOf(tokens);
  if (!info) throw new Error('Your session could not be renewed. Sign in again.');
  return info;
}
