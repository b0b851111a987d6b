import { z } from 'zod';

export const PlanId = z.enum(['basic', 'premium', 'enterprise', 'custom']);
export type PlanId = z.infer<typeof PlanId>;

/** Features a plan can include; procedures and screens are gated on these names. */
export const Feature = z.enum(['audit_log', 'data_export', 'biometric_auth', 'custom_domain', 'advanced_analytics']);
export type Feature = z.infer<typeof Feature>;

const GB = 1024 ** 3;

export interface PlanLimits {
  /** `null` is unlimited (custom plans only). */
  maxUsers: number | null;
  storageBytes: number | null;
  apiRequestsPerDay: number | null;
}

export interface Plan extends PlanLimits {
  id: PlanId;
  name: string;
  features: readonly Feature[];
}

/** The catalogue of DESIGN §4. `custom` limits are set per tenant; these are its defaults. */
export const PLANS: Record<PlanId, Plan> = {
  basic: { id: 'basic', name: 'Basic', maxUsers: 100, storageBytes: 10 * GB, apiRequestsPerDay: 1_000, features: [] },
  premium: {
    id: 'premium',
    name: 'Premium',
    maxUsers: 1_000,
    storageBytes: 100 * GB,
    apiRequestsPerDay: 10_000,
    features: ['biometric_auth', 'data_export', 'audit_log'],
  },
  enterprise: {
    id: 'enterprise',
    name: 'Enterprise',
    maxUsers: 10_000,
    storageBytes: 1024 * GB,
    apiRequestsPerDay: 100_000,
    features: Feature.options,
  },
  custom: {
    id: 'custom',
    name: 'Custom',
    maxUsers: 10_000,
    storageBytes: 1024 * GB,
    apiRequestsPerDay: 100_000,
    features: Feature.options,
  },
};

/** Per-tenant overrides of a `custom` plan; each key replaces the catalogue's value. */
export const PlanOverrides = z.object({
  maxUsers: z.number().int().positive().nullable().optional(),
  storageBytes: z.number().int().positive().nullable().optional(),
  apiRequestsPerDay: z.number().int().positive().nullable().optional(),
  features: z.array(Feature).optional(),
});
export type PlanOverrides = z.infer<typeof PlanOverrides>;

/** The limits in force for a tenant: the catalogue's, with a custom plan's overrides applied. */
export function effectivePlan(plan: PlanId, overrides?: PlanOverrides | null): Plan {
  const base = PLANS[plan];
  if (plan !== 'custom' || !overrides) return base;
  return {
    ...base,
    maxUsers: overrides.maxUsers === undefined ? base.maxUsers : overrides.maxUsers,
    storageBytes: overrides.storageBytes === undefined ? base.storageBytes : overrides.storageBytes,
    apiRequestsPerDay: overrides.apiRequestsPerDay === undefined ? base.apiRequestsPerDay : overrides.apiRequestsPerDay,
    features: overrides.features ?? base.features,
  };
}
