import { AuditListInput, AuditPage } from '@tenantry/shared';
import { listAudit } from '../services/audit.js';
import { requirePermission, router } from '../trpc.js';

/** The tenant's audit log, for owners and admins. */
export const auditRouter = router({
  list: requirePermission('audit.read')
    .input(AuditListInput)
    .output(AuditPage)
    .query(({ ctx, input }) => listAudit(ctx.em, ctx.tenant, input)),
});
