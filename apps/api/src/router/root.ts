import { router } from '../trpc.js';
import { adminRouter } from './admin.js';
import { auditRouter } from './audit.js';
import { authRouter } from './auth.js';
import { membersRouter } from './members.js';
import { invitationsRouter } from './invitations.js';
import { devRouter } from './dev.js';
import { projectsRouter } from './projects.js';
import { tenantsRouter } from './tenants.js';

/** One router per area; the SPA imports only this type. */
export const appRouter = router({
  auth: authRouter,
  tenants: tenantsRouter,
  projects: projectsRouter,
  members: membersRouter,
  invitations: invitationsRouter,
  dev: devRouter,
  admin: adminRouter,
  audit: auditRouter,
});

export type AppRouter = typeof appRouter;
