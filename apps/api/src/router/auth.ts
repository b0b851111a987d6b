import { Me } from '@tenantry/shared';
import { authedProcedure, router } from '../trpc.js';

export const authRouter = router({
  /** Who the caller is, as the API sees them. */
  me: authedProcedure.output(Me).query(({ ctx }) => ({
    id: ctx.user.id,
    email: ctx.user.email,
    name: ctx.user.name ?? null,
    isSuperadmin: ctx.isSuperadmin,
    groups: ctx.groups,
    createdAt: ctx.user.createdAt.toISOString(),
  })),
});
