import { randomUUID } from 'node:crypto';
import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { PlanId, ProvisionStep, TenantStatus, type PlanOverrides, type TenantDeletionSummary } from '@tenantry/shared';

/** An organisation. Its data lives in its own schema, `schemaName`; this row is the control plane's record. */
export const TenantSchema = defineEntity({
  name: 'Tenant',
  tableName: 'tenants',
  schema: 'public',
  properties: {
    id: p
      .uuid()
      .primary()
      .onCreate(() => randomUUID()),
    slug: p.string().length(48).unique(),
    name: p.string().length(100),
    domain: p.string().length(253).unique().nullable(),
    /** Always `tenantSchemaName(id)`; stored so SQL tools and operators can see it. */
    schemaName: p.string().length(34).unique(),
    plan: p.enum(PlanId.options).default('basic'),
    planOverrides: p.json<PlanOverrides>().nullable(),
    status: p.enum(TenantStatus.options).default('pending').index(),
    provisionStep: p.enum(ProvisionStep.options).nullable(),
    preparationError: p.text().nullable(),
    preparationAttempts: p.integer().default(0),
    preparationStartedAt: p.datetime().nullable(),
    preparationCompletedAt: p.datetime().nullable(),
    /** How many tenant migrations the schema has applied. */
    schemaVersion: p.integer().default(0),
    /** Bytes of the tenant's ready files, kept by the files module; plan storage limits compare against it. */
    storageBytes: p.bigint('number').default(0),
    /** Deletion (DESIGN §6): who asked and when; the purge job runs from `purgeAfter`. */
    deletionRequestedAt: p.datetime().nullable(),
    deletionRequestedBy: p.uuid().nullable(),
    purgeAfter: p.datetime().nullable().index(),
    /** When the purge removed the tenant's data, and what it removed (the record that stays). */
    deletedAt: p.datetime().nullable(),
    deletionSummary: p.json<TenantDeletionSummary>().nullable(),
    createdBy: p.uuid().nullable().index(),
    createdAt: p.datetime().onCreate(() => new Date()),
    updatedAt: p
      .datetime()
      .onCreate(() => new Date())
      .onUpdate(() => new Date()),
  },
});

export type Tenant = InferEntity<typeof TenantSchema>;
