import { z } from 'zod';
import { PlanLimitsModel } from './plans.js';

/** A UTC calendar day, `YYYY-MM-DD`. */
export const Day = z.iso.date();
export type Day = z.infer<typeof Day>;

/** Days most usage queries may span; longer ranges need the `advanced_analytics` feature. */
export const USAGE_BASIC_RANGE_DAYS = 31;
/** The longest range any query may span. */
export const USAGE_MAX_RANGE_DAYS = 366;

export const UsageRangeInput = z
  .object({ from: Day, to: Day })
  .refine((r) => r.from <= r.to, { message: '"from" must not be after "to"', path: ['from'] });
export type UsageRangeInput = z.infer<typeof UsageRangeInput>;

/** One tenant's usage on one day (days without traffic are filled with zero requests). */
export const UsageDay = z.object({
  day: Day,
  apiRequests: z.number().int(),
  apiErrors: z.number().int(),
  activeUsers: z.number().int(),
  storageBytes: z.number().int(),
  members: z.number().int(),
});
export type UsageDay = z.infer<typeof UsageDay>;

/** Totals over a range, and where the tenant stands today against its plan. */
export const UsageSummary = z.object({
  from: Day,
  to: Day,
  apiRequests: z.number().int(),
  apiErrors: z.number().int(),
  /** Distinct users active on at least one day of the range. */
  activeUsers: z.number().int(),
  today: z.object({
    day: Day,
    /** Requests counted by the rate limiter today (includes those not yet flushed to the daily table). */
    apiRequests: z.number().int(),
    members: z.number().int(),
    storageBytes: z.number().int(),
  }),
  limits: PlanLimitsModel,
});
export type UsageSummary = z.infer<typeof UsageSummary>;

export const AdminUsageInput = z.object({
  from: Day,
  to: Day,
  by: z.enum(['apiRequests', 'apiErrors', 'storageBytes']).default('apiRequests'),
  limit: z.number().int().min(1).max(100).default(10),
});
export type AdminUsageInput = z.infer<typeof AdminUsageInput>;

/** A tenant in the superadmin's top list. */
export const AdminUsageRow = z.object({
  tenantId: z.uuid(),
  slug: z.string(),
  name: z.string(),
  plan: z.string(),
  apiRequests: z.number().int(),
  apiErrors: z.number().int(),
  storageBytes: z.number().int(),
  members: z.number().int(),
});
export type AdminUsageRow = z.infer<typeof AdminUsageRow>;
