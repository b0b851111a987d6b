import { router } from '../trpc.js';
import { adminRouter } from './admin.js';
import { auditRouter } from './audit.js';
import { authRouter } from './auth.js';
import { configRouter } from './config.js';
import { membersRouter } from './members.js';
import { invitationsRouter } from './invitations.js';
import { devRouter } from './dev.js';
import { projectsRouter } from './projects.js';
import { tenantsRouter } from './tenants.js';
import { plansRouter } from './plans.js';
import { usageRouter } from './usage.js';
import { filesRouter } from './files.js';

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
  config: configRouter,
  plans: plansRouter,
  usage: usageRouter,
  files: filesRouter,
});

export type AppRouter = typeof appRouter;
