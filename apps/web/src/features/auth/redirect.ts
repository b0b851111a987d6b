export const SIGN_IN_PATH = '/sign-in';
export const HOME_PATH = '/';

// Only used to parse relative paths; never requested.
const PARSE_BASE = 'https://tenantry.invalid';

/**
 * The page to return to after signing in, from an untrusted `?next=` value.
 * Only a same-origin path is accepted (`/members?x=1#y`); anything that a browser could read as
 * another origin (`//evil.com`, `/\evil.com`, `https://evil.com`, `javascript:`) falls back to home.
 */
export function safeNextPath(raw: string | null | undefined): string {
  if (typeof raw !== 'string' || !raw.startsWith('/') || raw.startsWith('//')) return HOME_PATH;
  // Browsers read `\` as `/` and drop tabs and newlines, so `/\evil.com` and `/\t/evil.com` mean `//evil.com`.
  if (raw.includes('\\') || hasControlCharacter(raw)) return HOME_PATH;
  let url: URL;
  try {
    url = new URL(raw, PARSE_BASE);
  } catch {
    return HOME_PATH;
  }
  if (url.origin !== PARSE_BASE) return HOME_PATH;
  // Coming back to the sign-in page after signing in would loop.
  if (url.pathname === SIGN_IN_PATH) return HOME_PATH;
  return `${url.pathname}${url.search}${url.hash}`;
}

function hasControlCharacter(value: string): boolean {
  for (let i = 0; i < value.length; i++) {
    const code = value.charCodeAt(i);
    if (code < 0x20 || code === 0x7f) return true;
  }
  return false;
}

export interface LocationLike {
  pathname: string;
  search?: string;
  hash?: string;
}

/** The sign-in page, remembering where the user wanted to go (`/sign-in?next=…`). */
export function signInPath(wanted?: LocationLike): string {
  if (!wanted) return SIGN_IN_PATH;
  const next = safeNextPath(`${wanted.pathname}${wanted.search ?? ''}${wanted.hash ?? ''}`);
  return next === HOME_PATH ? SIGN_IN_PATH : `${SIGN_IN_PATH}?${new URLSearchParams({ next }).toString()}`;
}
