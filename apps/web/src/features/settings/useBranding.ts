import { trpc } from '../../lib/trpc';
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
