import { TenantMigrationStart, TenantMigrationStatus } from '@tenantry/shared';
import { queueTenantMigrationRun, tenantMigrationStatus } from '../services/tenant-migrations.js';
import { adminProcedure, router } from '../trpc.js';

/** Tenant schema migrations across all tenants, from the superadmin console (`admin.migrations`). */
export const adminMigrationsRouter = router({
  /** The latest version, tenants per version, the tenants behind with their last error, and the job's state. */
  status: adminProcedure.output(TenantMigrationStatus).query(({ ctx }) => tenantMigrationStatus(ctx.em)),

  /** Queues a run of the orchestrator on the job runner (one at a time); `queued: false` if one is already on. */
  start: adminProcedure.output(TenantMigrationStart).mutation(async ({ ctx }) => {
    const queued = await queueTenantMigrationRun(ctx.em, {
      id: ctx.user.id,
      email: ctx.user.email,
      requestId: ctx.req.id,
      ip: ctx.req.ip,
    });
    ctx.log.info(
      { superadminId: ctx.user.id, superadminEmail: ctx.user.email, queued },
      'superadmin started a tenant migration run',
    );
    return { queued };
  }),
});
