import { AuditExport, AuditExportInput, AuditListInput, AuditPage } from '@tenantry/shared';
import { exportAudit, listAudit } from '../services/audit.js';
import { requireFeature, requirePermission, router } from '../trpc.js';

/** The tenant's audit log, for owners and admins. */
export const auditRouter = router({
  list: requirePermission('audit.read')
    .input(AuditListInput)
    .output(AuditPage)
    .query(({ ctx, input }) => listAudit(ctx.em, ctx.tenant, input)),

  /** The filtered audit as CSV: the full audit log is a plan feature (`audit_log`). */
  export: requireFeature('audit_log', 'audit.read')
    .input(AuditExportInput)
    .output(AuditExport)
    .query(({ ctx, input }) => exportAudit(ctx.em, ctx.tenant, input)),
});
