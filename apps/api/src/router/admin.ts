import type { FastifyRequest } from 'fastify';
import type { AuditContext } from '../services/audit.js';
import {
  AdminSetPlanInput,
  AdminTenant,
  AdminTenantListInput,
  AdminUsageInput,
  AdminUsageRow,
  PlanChangeEntry,
  PurgePlan,
  PurgeResult,
  TenantPlan,
  TenantRestoreInput,
  TenantStatus,
} from '@tenantry/shared';
import { changePlan, planHistory, tenantPlanOf } from '../services/plans.js';
import { adminUsage } from '../services/usage.js';
import { findAnyTenant } from '../services/tenants.js';
import { z } from 'zod';
import {
  listAllTenants,
  resumeTenant,
  retryProvisioning,
  suspendTenant,
  tenantStatusCounts,
  toAdminTenant,
} from '../services/admin-tenants.js';
import { memberCount } from '../services/tenants.js';
import { purgeDue, purgePlan, restoreTenant, type TenantStorage } from '../services/tenant-deletion.js';
import { adminProcedure, router } from '../trpc.js';
import { adminMigrationsRouter } from './admin-migrations.js';
import { adminTenantHealthProcedure } from './health.js';
import { AppError } from '../errors.js';

const ById = z.object({ id: z.uuid() });

/** The superadmin as the actor of a row in a tenant's audit. */
function superadminAudit(ctx: { user: { id: string; email: string }; req: FastifyRequest }): AuditContext {
  const userAgent = ctx.req.headers['user-agent'];
  return {
    actorId: ctx.user.id,
    actorEmail: ctx.user.email,
    actorIsSuperadmin: true,
    requestId: ctx.req.id,
    ip: ctx.req.ip,
    userAgent: typeof userAgent === 'string' ? userAgent : null,
  };
}

const storageOf = (ctx: { services: { s3: TenantStorage['s3']; env: { S3_BUCKET: string } } }): TenantStorage => ({
  s3: ctx.services.s3,
  bucket: ctx.services.env.S3_BUCKET,
});

/** The superadmin console's procedures (Cognito group `superadmin`). */
export const adminRouter = router({
  tenants: router({
    list: adminProcedure
      .input(AdminTenantListInput)
      .output(z.object({ items: z.array(AdminTenant), nextCursor: z.string().nullable() }))
      .query(({ ctx, input }) => listAllTenants(ctx.em, input)),

    counts: adminProcedure
      .output(z.partialRecord(TenantStatus, z.number().int()))
      .query(({ ctx }) => tenantStatusCounts(ctx.em)),

    retry: adminProcedure
      .input(ById)
      .output(AdminTenant)
      .mutation(async ({ ctx, input }) => {
        const tenant = await retryProvisioning(ctx.em, input.id, ctx.services.env.PROVISION_MAX_ATTEMPTS);
        ctx.log.info({ tenantId: input.id }, 'superadmin retried provisioning');
        return toAdminTenant(tenant, await memberCount(ctx.em, tenant.id));
      }),

    suspend: adminProcedure
      .input(ById)
      .output(AdminTenant)
      .mutation(async ({ ctx, input }) => {
        const tenant = await suspendTenant(ctx.em, input.id, superadminAudit(ctx));
        ctx.log.info({ tenantId: input.id }, 'superadmin suspended a tenant');
        return toAdminTenant(tenant, await memberCount(ctx.em, tenant.id));
      }),

    resume: adminProcedure
      .input(ById)
      .output(AdminTenant)
      .mutation(async ({ ctx, input }) => {
        const tenant = await resumeTenant(ctx.em, input.id, superadminAudit(ctx));
        ctx.log.info({ tenantId: input.id }, 'superadmin resumed a tenant');
        return toAdminTenant(tenant, await memberCount(ctx.em, tenant.id));
      }),

    /** Takes back a deletion during its grace period: the tenant is ready again and its purge will not run. */
    restore: adminProcedure
      .input(TenantRestoreInput)
      .output(AdminTenant)
      .mutation(async ({ ctx, input }) => {
        const tenant = await restoreTenant(ctx.em, input.id, superadminAudit(ctx));
        ctx.log.info({ tenantId: input.id }, 'superadmin restored a tenant');
        return toAdminTenant(tenant, await memberCount(ctx.em, tenant.id));
      }),

    /** A dry run: the tenants the next purge would remove (at most TENANT_PURGE_MAX) and what each would lose. */
    purgePlan: adminProcedure
      .output(PurgePlan)
      .query(({ ctx }) => purgePlan(ctx.em, storageOf(ctx), ctx.services.env.TENANT_PURGE_MAX)),

    /** Purges now the tenants past their grace period, at most TENANT_PURGE_MAX of them. */
    purge: adminProcedure.output(PurgeResult).mutation(async ({ ctx }) => {
      const result = await purgeDue(ctx.em, storageOf(ctx), ctx.services.env.TENANT_PURGE_MAX, superadminAudit(ctx));
      ctx.log.info({ purged: result.purged.length, remaining: result.remaining }, 'superadmin ran a purge');
      return result;
    }),

    /** Schema, version, row counts, storage against the bucket, job errors (router/health.ts). */
    health: adminTenantHealthProcedure,

    /** A tenant's plan and history of plans. */
    plan: adminProcedure
      .input(z.object({ tenantId: z.uuid() }))
      .output(z.object({ current: TenantPlan, history: z.array(PlanChangeEntry) }))
      .query(async ({ ctx, input }) => {
        const tenant = await findAnyTenant(ctx.em, input.tenantId);
        return { current: tenantPlanOf(tenant), history: await planHistory(ctx.em, tenant.id) };
      }),

    /** Any plan, including custom limits (null = unlimited); audited in the tenant's log as the superadmin. */
    setPlan: adminProcedure
      .input(AdminSetPlanInput)
      .output(TenantPlan)
      .mutation(async ({ ctx, input }) => {
        const tenant = await findAnyTenant(ctx.em, input.tenantId);
        if (tenant.status === 'deleted' || tenant.status === 'deleting') {
          throw new AppError({ code: 'CONFLICT', appCode: 'CONFLICT', message: 'This organisation is being deleted' });
        }
        const updated = await changePlan(ctx.em, tenant.id, input.plan, input.overrides, {
          audit: superadminAudit(ctx),
          bySuperadmin: true,
        });
        ctx.log.info({ tenantId: tenant.id, plan: input.plan }, 'superadmin set a plan');
        return tenantPlanOf(updated);
      }),
  }),

  migrations: adminMigrationsRouter,

  /** Top tenants by requests, errors or storage over a range. */
  usage: adminProcedure
    .input(AdminUsageInput)
    .output(z.array(AdminUsageRow))
    .query(({ ctx, input }) => adminUsage(ctx.em, input)),
});
