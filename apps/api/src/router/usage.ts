import {
  USAGE_BASIC_RANGE_DAYS,
  USAGE_MAX_RANGE_DAYS,
  UsageDay,
  UsageRangeInput,
  UsageSummary,
} from '@tenantry/shared';
import { z } from 'zod';
import { AppError, fieldError } from '../errors.js';
import { effectivePlanName, featureDisabled, hasFeature } from '../services/plans.js';
import { rangeDays, usageDaily, usageSummary } from '../services/usage.js';
import { requirePermission, router } from '../trpc.js';
import type { Tenant } from '../db/control/index.js';

/** Long ranges are an `advanced_analytics` feature; nothing spans more than a year. */
function checkRange(tenant: Tenant, range: UsageRangeInput): void {
  const days = rangeDays(range);
  if (days > USAGE_MAX_RANGE_DAYS) {
    throw new AppError({
      code: 'BAD_REQUEST',
      appCode: 'VALIDATION_FAILED',
      message: `A range spans at most ${USAGE_MAX_RANGE_DAYS} days`,
      fieldErrors: fieldError('from', `At most ${USAGE_MAX_RANGE_DAYS} days`),
    });
  }
  if (days > USAGE_BASIC_RANGE_DAYS && !hasFeature(tenant, 'advanced_analytics')) {
    throw featureDisabled('advanced_analytics', effectivePlanName(tenant));
  }
}

/** The tenant's usage, for owners and admins. */
export const usageRouter = router({
  summary: requirePermission('usage.read')
    .input(UsageRangeInput)
    .output(UsageSummary)
    .query(async ({ ctx, input }) => {
      checkRange(ctx.tenant, input);
      const requestsToday = await ctx.services.rateLimiter.requestsToday(ctx.tenant.id).catch((err: unknown) => {
        ctx.log.warn({ err }, 'could not read today’s request count from the rate limiter');
        return 0;
      });
      const pending = ctx.services.usage.pending(ctx.tenant.id, new Date().toISOString().slice(0, 10));
      return usageSummary(ctx.em, ctx.tenant, input, { requestsToday, pendingToday: pending });
    }),

  daily: requirePermission('usage.read')
    .input(UsageRangeInput)
    .output(z.array(UsageDay))
    .query(({ ctx, input }) => {
      checkRange(ctx.tenant, input);
      return usageDaily(ctx.em, ctx.tenant.id, input);
    }),
});
