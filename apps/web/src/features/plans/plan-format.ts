import { Feature, PLANS, PlanId, PlanOverage, type PlanLimits, type PlanOverrides } from '@tenantry/shared';
import { formatBytes, formatCount } from '../usage/usage-format';

export const PLAN_PATH = '/plan';

/** What each feature gives, as plan cards and upgrade hints name it. */
export const FEATURE_NAMES: Record<Feature, string> = {
  audit_log: 'Full audit history and CSV export',
  data_export: 'Data export',
  biometric_auth: 'Biometric sign-in',
  custom_domain: 'Custom domain',
  advanced_analytics: 'Advanced analytics (ranges over 31 days)',
};

export const FEATURES: readonly Feature[] = Feature.options;

/** "Premium", "Premium and Enterprise", "Basic, Premium and Enterprise". */
export function joinNames(names: readonly string[]): string {
  if (names.length <= 1) return names[0] ?? '';
  return `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
}

/** "Audit CSV export is included in Premium and Enterprise" (or "… is not included in your plan"). */
export function upgradeHintText(what: string, plans: readonly PlanId[]): string {
  if (plans.length === 0) return `${what} is not included in your plan`;
  return `${what} is included in ${joinNames(plans.map((id) => PLANS[id].name))}`;
}

const NOUNS: Record<keyof PlanLimits, [one: string, many: string]> = {
  maxUsers: ['member', 'members'],
  storageBytes: ['storage', 'storage'],
  apiRequestsPerDay: ['API request a day', 'API requests a day'],
};

/** One limit of a plan card: "Up to 100 members", "10 GB storage", "Unlimited API requests a day". */
export function limitLabel(limit: keyof PlanLimits, value: number | null): string {
  const [one, many] = NOUNS[limit];
  if (value === null) return `Unlimited ${many}`;
  if (limit === 'storageBytes') return `${formatBytes(value)} ${many}`;
  if (limit === 'maxUsers') return `Up to ${formatCount(value)} ${value === 1 ? one : many}`;
  return `${formatCount(value)} ${value === 1 ? one : many}`;
}

/**
 * What must go before a downgrade: "You have 12 members; Basic allows 10: remove 2 first", or
 * "You use 12 GB of storage; Basic allows 10 GB: free 2 GB first".
 */
export function overageMessage(overage: PlanOverage, planName: string): string {
  if (overage.limit === 'maxUsers') {
    const noun = overage.inUse === 1 ? 'member' : 'members';
    return `You have ${formatCount(overage.inUse)} ${noun}; ${planName} allows ${formatCount(overage.allowed)}: remove ${formatCount(overage.over)} first`;
  }
  return `You use ${formatBytes(overage.inUse)} of storage; ${planName} allows ${formatBytes(overage.allowed)}: free ${formatBytes(overage.over)} first`;
}

/** A failed call's `data.details`, as an object to read fields from. */
function detailsOf(error: unknown): Record<string, unknown> {
  if (typeof error !== 'object' || error === null || !('data' in error)) return {};
  const details = (error as { data?: { details?: unknown } | null }).data?.details;
  return typeof details === 'object' && details !== null ? (details as Record<string, unknown>) : {};
}

/** The limits a refused plan change would break (`PLAN_LIMIT`'s `details.overages`), or `[]`. */
export function overagesOf(error: unknown): PlanOverage[] {
  const parsed = PlanOverage.array().safeParse(detailsOf(error).overages);
  return parsed.success ? parsed.data : [];
}

/** The feature a `FEATURE_DISABLED` refusal names, and the plans that include it. */
export function disabledFeatureOf(error: unknown): { feature: Feature; plans: PlanId[] } | null {
  const details = detailsOf(error);
  const feature = Feature.safeParse(details.feature);
  const plans = PlanId.array().safeParse(details.plans);
  return feature.success && plans.success ? { feature: feature.data, plans: plans.data } : null;
}

export type PlanMove = 'current' | 'upgrade' | 'downgrade' | 'switch';

const RANK: Record<PlanId, number> = { basic: 1, premium: 2, enterprise: 3, custom: 4 };

/** Whether picking `target` from `current` is an upgrade or a downgrade (custom compares by neither). */
export function planMove(current: PlanId, target: PlanId): PlanMove {
  if (current === target) return 'current';
  if (current === 'custom' || target === 'custom') return 'switch';
  return RANK[target] > RANK[current] ? 'upgrade' : 'downgrade';
}

/** The features `target` adds to and takes away from `current`. */
export function featureChanges(
  current: { features: readonly Feature[] },
  target: { features: readonly Feature[] },
): { gained: Feature[]; lost: Feature[] } {
  // In the catalogue's order, whatever order each plan lists them in.
  return {
    gained: FEATURES.filter((f) => target.features.includes(f) && !current.features.includes(f)),
    lost: FEATURES.filter((f) => current.features.includes(f) && !target.features.includes(f)),
  };
}

/** A custom plan's own limits in one line: "Up to 50 members · 5 GB storage · Unlimited API requests a day". */
export function overridesSummary(overrides: PlanOverrides): string {
  const parts: string[] = [];
  for (const limit of ['maxUsers', 'storageBytes', 'apiRequestsPerDay'] as const) {
    const value = overrides[limit];
    if (value !== undefined) parts.push(limitLabel(limit, value));
  }
  if (overrides.features) {
    parts.push(overrides.features.length ? overrides.features.map((f) => FEATURE_NAMES[f]).join(', ') : 'no features');
  }
  return parts.join(' · ');
}
