import { DownloadUrl, TenantExport } from '@tenantry/shared';
import { z } from 'zod';
import type { AppServices } from '../services/index.js';
import { exportDownloadUrl, listExports, requestExport, type ExportStorage } from '../services/tenant-export.js';
import { requireFeature, requirePermission } from '../trpc.js';

const storageOf = (services: AppServices): ExportStorage => ({ s3: services.s3, bucket: services.env.S3_BUCKET });

/**
 * Tenant export (plan feature `data_export`), merged into the `tenants` router: `tenants.export`,
 * `tenants.exports` and `tenants.exportDownloadUrl`. Owners and admins only (`tenant.export`).
 */
export const exportProcedures = {
  /** Starts an export (or answers the one already queued or running); audited. */
  export: requireFeature('data_export', 'tenant.export')
    .output(TenantExport)
    .mutation(({ ctx }) => requestExport(ctx.em, ctx.tenant, ctx.audit)),

  /** The tenant's exports, newest first, with status and progress. */
  exports: requirePermission('tenant.export')
    .output(z.array(TenantExport))
    .query(({ ctx }) => listExports(ctx.em)),

  /** A short-lived presigned download of a ready export of the caller's tenant. */
  exportDownloadUrl: requireFeature('data_export', 'tenant.export')
    .input(z.object({ id: z.uuid() }))
    .output(DownloadUrl)
    .query(({ ctx, input }) => exportDownloadUrl(ctx.em, ctx.tenant, storageOf(ctx.services), input.id)),
};
