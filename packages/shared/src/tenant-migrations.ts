import { z } from 'zod';
import { TenantStatus } from './tenant.js';

/** A tenant whose schema is behind the latest tenant migration, with the error of its last failed attempt. */
export const TenantBehind = z.object({
  id: z.uuid(),
  slug: z.string(),
  name: z.string(),
  status: TenantStatus,
  schemaVersion: z.number().int(),
  lastError: z.string().nullable(),
  failedAt: z.iso.datetime().nullable(),
});
export type TenantBehind = z.infer<typeof TenantBehind>;

/** `admin.migrations.status()`: where ready and suspended tenants stand against the latest version. */
export const TenantMigrationStatus = z.object({
  latestVersion: z.number().int(),
  byVersion: z.array(z.object({ version: z.number().int(), tenants: z.number().int() })),
  /** How many tenants are behind; `behind` lists the first of them (failed ones first). */
  behindCount: z.number().int(),
  behind: z.array(TenantBehind),
  /** The migration job: waiting for a worker, running, or none. */
  job: z.enum(['queued', 'running']).nullable(),
});
export type TenantMigrationStatus = z.infer<typeof TenantMigrationStatus>;

/** `admin.migrations.start()`: false when a run was already queued or running (nothing new queued). */
export const TenantMigrationStart = z.object({ queued: z.boolean() });
export type TenantMigrationStart = z.infer<typeof TenantMigrationStart>;
