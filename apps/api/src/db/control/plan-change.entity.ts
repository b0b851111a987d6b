import { randomUUID } from 'node:crypto';
import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { PlanId, type PlanOverrides } from '@tenantry/shared';

/** A tenant's history of plans: one row per change (and one for the plan it started on). Append-only. */
export const PlanChangeSchema = defineEntity({
  name: 'PlanChange',
  tableName: 'tenant_plan_changes',
  schema: 'public',
  indexes: [{ properties: ['tenantId', 'changedAt'] }],
  triggers: [
    {
      name: 'append_only',
      timing: 'before',
      events: ['update'],
      forEach: 'row',
      body: "raise exception 'tenant_plan_changes is append-only';",
    },
  ],
  properties: {
    id: p
      .uuid()
      .primary()
      .onCreate(() => randomUUID()),
    tenantId: p.uuid(),
    fromPlan: p.enum(PlanId.options).nullable(),
    toPlan: p.enum(PlanId.options),
    /** The custom limits in force after the change (custom plans only). */
    overrides: p.json<PlanOverrides>().nullable(),
    changedBy: p.uuid().nullable(),
    changedByEmail: p.string().nullable(),
    bySuperadmin: p.boolean().default(false),
    changedAt: p.datetime().onCreate(() => new Date()),
  },
});

export type PlanChange = InferEntity<typeof PlanChangeSchema>;
