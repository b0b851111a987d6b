import { z } from 'zod';

export const PlanId = z.enum(['basic', 'premium', 'enterprise', 'custom']);
export type PlanId = z.infer<typeof PlanId>;

/** Features a plan can include; procedures and screens are gated on these names. */
export const Feature = z.enum(['audit_log', 'data_export', 'biometric_auth', 'custom_domain', 'advanced_analytics']);
export type Feature = z.infer<typeof Feature>;

/** What each feature is called on screen and in error messages. */
export const FEATURE_LABELS: Record<Feature, string> = {
  audit_log: 'The full audit log',
  data_export: 'Data export',
  biometric_auth: 'Biometric sign-in',
  custom_domain: 'A custom domain',
  advanced_analytics: 'Advanced analytics',
};

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

/** Which plans include a feature, cheapest first: what an upgrade hint names. */
export function plansWithFeature(feature: Feature): PlanId[] {
  return (['basic', 'premium', 'enterprise'] as const).filter((id) => PLANS[id].features.includes(feature));
}

export const PlanLimitsModel = z.object({
  maxUsers: z.number().int().nullable(),
  storageBytes: z.number().int().nullable(),
  apiRequestsPerDay: z.number().int().nullable(),
});

/** A plan as `plans.list` describes it. */
export const PlanInfo = PlanLimitsModel.extend({
  id: PlanId,
  name: z.string(),
  features: z.array(Feature),
  /** Only a superadmin can put a tenant on it (custom limits are negotiated). */
  superadminOnly: z.boolean(),
});
export type PlanInfo = z.infer<typeof PlanInfo>;

/** The owner's choice; `custom` is a superadmin's (see AdminSetPlanInput). */
export const ChangePlanInput = z.object({ plan: PlanId.exclude(['custom']) });
export type ChangePlanInput = z.infer<typeof ChangePlanInput>;

/** A superadmin sets any plan, and for `custom` its limits (`null` is unlimited). */
export const AdminSetPlanInput = z
  .object({
    tenantId: z.uuid(),
    plan: PlanId,
    overrides: PlanOverrides.optional(),
  })
  .refine((v) => v.plan === 'custom' || v.overrides === undefined, {
    message: 'Limits can be set for the custom plan only',
    path: ['overrides'],
  });
export type AdminSetPlanInput = z.infer<typeof AdminSetPlanInput>;

/** One limit a plan change would break: what is in use against what the new plan allows. */
export const PlanOverage = z.object({
  limit: z.enum(['maxUsers', 'storageBytes']),
  inUse: z.number(),
  allowed: z.number(),
  over: z.number(),
});
export type PlanOverage = z.infer<typeof PlanOverage>;

/** A row of a tenant's plan history. */
export const PlanChangeEntry = z.object({
  id: z.uuid(),
  fromPlan: PlanId.nullable(),
  toPlan: PlanId,
  overrides: PlanOverrides.nullable(),
  changedByEmail: z.string().nullable(),
  bySuperadmin: z.boolean(),
  changedAt: z.iso.datetime(),
});
export type PlanChangeEntry = z.infer<typeof PlanChangeEntry>;

/** The plan in force for a tenant, with its limits resolved. */
export const TenantPlan = PlanLimitsModel.extend({
  plan: PlanId,
  name: z.string(),
  features: z.array(Feature),
  overrides: PlanOverrides.nullable(),
});
export type TenantPlan = z.infer<typeof TenantPlan>;
