import { AdminTenant, AdminTenantListInput, TenantStatus } from '@tenantry/shared';
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
import { adminProcedure, router } from '../trpc.js';

const ById = z.object({ id: z.uuid() });

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
        const tenant = await suspendTenant(ctx.em, input.id);
        ctx.log.info({ tenantId: input.id }, 'superadmin suspended a tenant');
        return toAdminTenant(tenant, await memberCount(ctx.em, tenant.id));
      }),

    resume: adminProcedure
      .input(ById)
      .output(AdminTenant)
      .mutation(async ({ ctx, input }) => {
        const tenant = await resumeTenant(ctx.em, input.id);
        ctx.log.info({ tenantId: input.id }, 'superadmin resumed a tenant');
        return toAdminTenant(tenant, await memberCount(ctx.em, tenant.id));
      }),
  }),
});
