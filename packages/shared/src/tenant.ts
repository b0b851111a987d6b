import { z } from 'zod';
import { Feature, PlanId, PlanLimitsModel } from './plans.js';
import { Role } from './roles.js';

export const TenantStatus = z.enum(['pending', 'preparing', 'ready', 'failed', 'suspended', 'deleting', 'deleted']);
export type TenantStatus = z.infer<typeof TenantStatus>;

/** The provisioning steps, in order; `status.step` names the one running (or the one that failed). */
export const ProvisionStep = z.enum(['create_schema', 'migrate', 'seed', 'finish']);
export type ProvisionStep = z.infer<typeof ProvisionStep>;

export const PROVISION_STEP_LABELS: Record<ProvisionStep, string> = {
  create_schema: 'Creating the database schema',
  migrate: 'Creating the tables',
  seed: 'Adding the default settings',
  finish: 'Finishing',
};

/** Sub-domains and paths a tenant may not take: they name parts of the platform. */
export const RESERVED_SLUGS = new Set([
  'admin',
  'api',
  'app',
  'assets',
  'auth',
  'billing',
  'blog',
  'cdn',
  'dashboard',
  'docs',
  'help',
  'login',
  'logout',
  'mail',
  'new',
  'settings',
  'signin',
  'signup',
  'static',
  'status',
  'support',
  'superadmin',
  'system',
  'tenant',
  'tenants',
  'trpc',
  'health',
  'www',
]);

export const SLUG_MIN = 3;
export const SLUG_MAX = 48;

export const Slug = z
  .string()
  .trim()
  .toLowerCase()
  .min(SLUG_MIN, `At least ${SLUG_MIN} characters`)
  .max(SLUG_MAX, `At most ${SLUG_MAX} characters`)
  .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'Lower-case letters, digits and single dashes between them')
  .refine((slug) => !RESERVED_SLUGS.has(slug), 'This name is reserved');

/** A slug made from a display name: "Saint Mary's Hospital" → "saint-marys-hospital". */
export function slugFromName(name: string): string {
  return name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/['’]/g, '')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, SLUG_MAX)
    .replace(/-+$/, '');
}

export const TenantName = z.string().trim().min(2, 'At least 2 characters').max(100, 'At most 100 characters');

/** A host name a tenant serves under (its own domain), without scheme or port. */
export const Domain = z
  .string()
  .trim()
  .toLowerCase()
  .max(253)
  .regex(/^(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/, 'A domain such as app.example.com');

export const CreateTenantInput = z.object({ name: TenantName, slug: Slug.optional() });
export type CreateTenantInput = z.infer<typeof CreateTenantInput>;

export const UpdateTenantInput = z.object({
  name: TenantName.optional(),
  slug: Slug.optional(),
  domain: Domain.nullable().optional(),
});
export type UpdateTenantInput = z.infer<typeof UpdateTenantInput>;

export const TenantId = z.uuid();

export const TenantStatusInfo = z.object({
  id: z.uuid(),
  status: TenantStatus,
  step: ProvisionStep.nullable(),
  error: z.string().nullable(),
  attempts: z.number().int(),
  createdAt: z.iso.datetime(),
  preparationStartedAt: z.iso.datetime().nullable(),
  preparationCompletedAt: z.iso.datetime().nullable(),
  updatedAt: z.iso.datetime(),
});
export type TenantStatusInfo = z.infer<typeof TenantStatusInfo>;

export const Tenant = z.object({
  id: z.uuid(),
  slug: z.string(),
  name: z.string(),
  domain: z.string().nullable(),
  plan: PlanId,
  status: TenantStatus,
  schemaVersion: z.number().int(),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
});
export type Tenant = z.infer<typeof Tenant>;

/** A tenant as one of its members sees it in their list. */
export const MyTenant = Tenant.extend({
  role: Role,
  memberCount: z.number().int(),
  maxUsers: z.number().int().nullable(),
  current: z.boolean(),
});
export type MyTenant = z.infer<typeof MyTenant>;

/** The tenant a request runs in and how the caller reaches it. */
export const CurrentTenant = Tenant.extend({
  role: Role,
  /** True when a superadmin reaches a tenant they are not a member of. */
  viaSuperadmin: z.boolean(),
  memberCount: z.number().int(),
  maxUsers: z.number().int().nullable(),
  /** Bytes of the tenant's ready files (what the plan's storage limit is checked against). */
  storageBytes: z.number().int(),
  /** The features of the plan in force (custom overrides applied): what `useFeature` reads. */
  features: z.array(Feature),
  limits: PlanLimitsModel,
});
export type CurrentTenant = z.infer<typeof CurrentTenant>;

/** A row of the superadmin console. */
export const AdminTenant = Tenant.extend({
  memberCount: z.number().int(),
  step: ProvisionStep.nullable(),
  error: z.string().nullable(),
  attempts: z.number().int(),
  preparationStartedAt: z.iso.datetime().nullable(),
  preparationCompletedAt: z.iso.datetime().nullable(),
  /** Milliseconds from start of preparation to ready, when it finished. */
  provisioningMs: z.number().nullable(),
  /** Deletion: when it was asked for, when the purge may run, when it ran (null otherwise). */
  deletionRequestedAt: z.iso.datetime().nullable(),
  purgeAfter: z.iso.datetime().nullable(),
  deletedAt: z.iso.datetime().nullable(),
});
export type AdminTenant = z.infer<typeof AdminTenant>;

export const AdminTenantListInput = z.object({
  status: TenantStatus.optional(),
  search: z.string().trim().max(100).optional(),
  cursor: z.string().optional(),
  limit: z.number().int().min(1).max(100).default(50),
});
export type AdminTenantListInput = z.input<typeof AdminTenantListInput>;

/** Headers and query parameter that name a tenant explicitly (DESIGN §3). */
export const TENANT_ID_HEADER = 'x-tenant-id';
export const TENANT_SLUG_HEADER = 'x-tenant-slug';
export const TENANT_QUERY_PARAM = 'tenant';
