import { plansWithFeature, type Feature, type PlanId } from '@tenantry/shared';
import { trpc } from '../../lib/trpc';

export interface FeatureState {
  /** The active organisation's plan includes the feature. */
  enabled: boolean;
  /** The organisation is still loading: neither show nor hint yet. */
  pending: boolean;
  /** Plans that include it, cheapest first: what an upgrade hint names. */
  plans: PlanId[];
}

/** Whether the active organisation's plan includes `feature` (from `tenants.current`, so a plan change shows at once). */
export function useFeature(feature: Feature): FeatureState {
  const current = trpc.tenants.current.useQuery();
  return {
    enabled: current.data?.features.includes(feature) ?? false,
    pending: current.isPending,
    plans: plansWithFeature(feature),
  };
}
