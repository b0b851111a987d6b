import { TenantHealth } from '@tenantry/shared';
import { z } from 'zod';
import type { AppServices } from '../services/index.js';
import { findAnyTenant } from '../services/tenants.js';
import { tenantHealth, type HealthStorage } from '../services/tenant-health.js';
import { adminProcedure, requirePermission } from '../trpc.js';

const storageOf = (services: AppServices): HealthStorage => ({ s3: services.s3, bucket: services.env.S3_BUCKET });

/** `tenants.health`: the caller's tenant, for its owners and admins (`tenant.health`). */
export const tenantHealthProcedures = {
  health: requirePermission('tenant.health')
    .output(TenantHealth)
    .query(({ ctx }) => tenantHealth(ctx.em, storageOf(ctx.services), ctx.tenant)),
};

/** `admin.tenants.health`: any tenant, for superadmins. */
export const adminTenantHealthProcedure = adminProcedure
  .input(z.object({ id: z.uuid() }))
  .output(TenantHealth)
  .query(async ({ ctx, input }) =>
    tenantHealth(ctx.em, storageOf(ctx.services), await findAnyTenant(ctx.em, input.id)),
  );
