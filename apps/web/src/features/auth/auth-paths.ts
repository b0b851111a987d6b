export const SIGN_UP_PATH = '/sign-up';
export const CONFIRM_PATH = '/confirm';
export const FORGOT_PASSWORD_PATH = '/forgot-password';
export const CHANGE_PASSWORD_PATH = '/account/password';

/** `path` keeping the page to return to after signing in (`?next=`), unless that is home. */
export function withNext(path: string, next: string): string {
  return next === '/' ? path : `${path}?${new URLSearchParams({ next }).toString()}`;
}

/** The confirmation page for an account waiting for its code, keeping where to go after signing in. */
export function confirmPath(email: string, next = '/'): string {
  return `${CONFIRM_PATH}?${new URLSearchParams(next === '/' ? { email } : { email, next }).toString()}`;
}

/** What another flow hands to the sign-in page: a notice to show and the email to prefill. */
export interface SignInHandoff {
  notice?: string;
  email?: string;
}

/** Reads the router's location state, which may be anything (it survives reloads and history moves). */
export function readSignInHandoff(state: unknown): SignInHandoff {
  if (typeof state !== 'object' || state === null) return {};
  const { notice, email } = state as Record<string, unknown>;
  return {
    ...(typeof notice === 'string' ? { notice } : {}),
    ...(typeof email === 'string' ? { email } : {}),
  };
}
