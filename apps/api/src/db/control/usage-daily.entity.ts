import { defineEntity, p, type InferEntity } from '@mikro-orm/core';

/**
 * A tenant's usage on one UTC day. Request counters are added by the API's batched flushes (never a
 * write per request); members and storage are the day's last snapshot.
 */
export const UsageDailySchema = defineEntity({
  name: 'UsageDaily',
  tableName: 'usage_daily',
  schema: 'public',
  indexes: [{ properties: ['day'] }],
  properties: {
    tenantId: p.uuid().primary(),
    day: p.date().primary(),
    apiRequests: p.bigint('number').default(0),
    apiErrors: p.bigint('number').default(0),
    activeUsers: p.integer().default(0),
    storageBytes: p.bigint('number').default(0),
    members: p.integer().default(0),
    updatedAt: p.datetime().onCreate(() => new Date()),
  },
});

export type UsageDaily = InferEntity<typeof UsageDailySchema>;

/** Who was active in a tenant on a day; `usage_daily.active_users` is their count. */
export const UsageActiveUserSchema = defineEntity({
  name: 'UsageActiveUser',
  tableName: 'usage_active_users',
  schema: 'public',
  properties: {
    tenantId: p.uuid().primary(),
    day: p.date().primary(),
    userId: p.uuid().primary(),
  },
});

export type UsageActiveUser = InferEntity<typeof UsageActiveUserSchema>;
