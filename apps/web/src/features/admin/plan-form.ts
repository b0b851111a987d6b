import { Feature, PLANS, type AdminSetPlanInput, type PlanId, type TenantPlan } from '@tenantry/shared';

const GB = 1024 ** 3;

/** The superadmin's plan form as typed: limits as strings ('' is unlimited), storage in GB. */
export interface PlanForm {
  plan: PlanId;
  maxUsers: string;
  storageGb: string;
  apiRequestsPerDay: string;
  features: Feature[];
}

export type PlanFormErrors = Partial<Record<'maxUsers' | 'storageGb' | 'apiRequestsPerDay', string>>;

const gbText = (bytes: number | null): string => (bytes === null ? '' : String(Math.round((bytes / GB) * 1000) / 1000));

/** The form opened on a tenant's plan: its limits in force, so a move to custom starts from what it has. */
export function planFormFrom(current: TenantPlan): PlanForm {
  return {
    plan: current.plan,
    maxUsers: current.maxUsers === null ? '' : String(current.maxUsers),
    storageGb: gbText(current.storageBytes),
    apiRequestsPerDay: current.apiRequestsPerDay === null ? '' : String(current.apiRequestsPerDay),
    features: Feature.options.filter((f) => current.features.includes(f)),
  };
}

function wholeNumber(text: string): number | null | string {
  const value = text.trim();
  if (value === '') return null;
  if (!/^\d+$/.test(value) || Number(value) < 1) return 'A whole number of at least 1, or empty for unlimited';
  return Number(value);
}

function gigabytes(text: string): number | null | string {
  const value = text.trim().replace(',', '.');
  if (value === '') return null;
  const gb = Number(value);
  if (!/^\d*\.?\d+$/.test(value) || !Number.isFinite(gb) || gb <= 0) {
    return 'A size in GB greater than 0, or empty for unlimited';
  }
  return Math.max(1, Math.round(gb * GB));
}

/** The `admin.tenants.setPlan` input for the form, or what to fix first. */
export function setPlanInput(
  tenantId: string,
  form: PlanForm,
): { input: AdminSetPlanInput; errors?: undefined } | { input?: undefined; errors: PlanFormErrors } {
  if (form.plan !== 'custom') return { input: { tenantId, plan: form.plan } };
  const maxUsers = wholeNumber(form.maxUsers);
  const storageBytes = gigabytes(form.storageGb);
  const apiRequestsPerDay = wholeNumber(form.apiRequestsPerDay);
  const errors: PlanFormErrors = {};
  if (typeof maxUsers === 'string') errors.maxUsers = maxUsers;
  if (typeof storageBytes === 'string') errors.storageGb = storageBytes;
  if (typeof apiRequestsPerDay === 'string') errors.apiRequestsPerDay = apiRequestsPerDay;
  if (typeof maxUsers === 'string' || typeof storageBytes === 'string' || typeof apiRequestsPerDay === 'string') {
    return { errors };
  }
  return {
    input: {
      tenantId,
      plan: 'custom',
      overrides: { maxUsers, storageBytes, apiRequestsPerDay, features: form.features },
    },
  };
}

/** The catalogue's features for a plan, to preview what a non-custom choice gives. */
export const catalogueFeatures = (plan: PlanId): readonly Feature[] => PLANS[plan].features;
