import { z } from 'zod';

/** `tenants.delete`: the owner types the organisation's address (slug) to confirm. */
export const TenantDeleteInput = z.object({
  confirmSlug: z.string().trim().min(1, "Type the organisation's address to confirm").max(48),
});
export type TenantDeleteInput = z.infer<typeof TenantDeleteInput>;

/** `admin.tenants.restore`: a tenant still in its grace period goes back to ready. */
export const TenantRestoreInput = z.object({ id: z.uuid() });
export type TenantRestoreInput = z.infer<typeof TenantRestoreInput>;

/** What a purge removed (or would remove): the record kept in the control plane once the data is gone. */
export const TenantDeletionSummary = z.object({
  schema: z.string(),
  /** Rows per tenant table. */
  tables: z.record(z.string(), z.number().int()),
  objects: z.number().int(),
  objectBytes: z.number().int(),
  memberships: z.number().int(),
  invitations: z.number().int(),
});
export type TenantDeletionSummary = z.infer<typeof TenantDeletionSummary>;

/** One tenant the next purge would remove, with counts of what would go. */
export const PurgePlanItem = z.object({
  id: z.uuid(),
  slug: z.string(),
  name: z.string(),
  deletionRequestedAt: z.iso.datetime().nullable(),
  deletionRequestedBy: z.uuid().nullable(),
  purgeAfter: z.iso.datetime(),
  would: TenantDeletionSummary,
});
export type PurgePlanItem = z.infer<typeof PurgePlanItem>;

/** `admin.tenants.purgePlan()`: a dry run of the next purge (at most `max` tenants, oldest first). */
export const PurgePlan = z.object({
  max: z.number().int(),
  /** Tenants past their grace period beyond the `max` this run would take. */
  remaining: z.number().int(),
  items: z.array(PurgePlanItem),
});
export type PurgePlan = z.infer<typeof PurgePlan>;

/** `admin.tenants.purge()`: what one run removed. */
export const PurgeResult = z.object({
  purged: z.array(z.object({ id: z.uuid(), slug: z.string(), summary: TenantDeletionSummary })),
  remaining: z.number().int(),
});
export type PurgeResult = z.infer<typeof PurgeResult>;
