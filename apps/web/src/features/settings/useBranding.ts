import { trpc } from '../../lib/trpc';
import { setDisplayRegion } from '../../lib/region';
import { useActiveTenant } from '../tenants/useActiveTenant';

/** A logo's presigned URL lives an hour (LOGO_URL_EXPIRES_SECONDS); read the branding again well before. */
const BRANDING_FRESH_MS = 20 * 60_000;

/** The active organisation's branding (name, colour, logo URL), or undefined while there is none to show. */
export function useBranding() {
  const active = useActiveTenant();
  const branding = trpc.config.branding.useQuery(undefined, {
    enabled: active.state === 'ready',
    staleTime: BRANDING_FRESH_MS,
    refetchInterval: BRANDING_FRESH_MS,
  });
  return active.state === 'ready' ? branding.data : undefined;
}

/**
 * Puts the active organisation's locale and time zone into lib/region.ts, for every date and count the
 * pages format. Set while the shell renders, not in an effect: the pages below render after it in the same
 * pass, so none of them formats with the previous region. Without an organisation, the browser's own.
 */
export function useRegionSync(): void {
  const branding = useBranding();
  setDisplayRegion(branding ? { locale: branding.locale, timeZone: branding.timezone } : null);
}
