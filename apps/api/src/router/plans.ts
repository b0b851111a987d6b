import { PlanInfo } from '@tenantry/shared';
import { z } from 'zod';
import { listPlans } from '../services/plans.js';
import { authedProcedure, router } from '../trpc.js';

/** The plan catalogue (DESIGN §4), for the plan page and the superadmin console. */
export const plansRouter = router({
  list: authedProcedure.output(z.array(PlanInfo)).query(() => listPlans()),
});
