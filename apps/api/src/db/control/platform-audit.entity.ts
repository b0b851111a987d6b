import { randomUUID } from 'node:crypto';
import { defineEntity, p, type InferEntity } from '@mikro-orm/core';

/**
 * One row per platform action: a superadmin reaching a tenant they are not a member of, or acting from the
 * console (on one tenant or, with no tenant, on all of them), and the platform's own jobs that remove a
 * tenant (no superadmin). Append-only.
 */
export const PlatformAuditSchema = defineEntity({
  name: 'PlatformAudit',
  tableName: 'platform_audit',
  schema: 'public',
  indexes: [{ properties: ['tenantId', 'at'] }],
  // A row names its superadmin whole or not at all (a job).
  checks: [
    { name: 'platform_audit_superadmin_check', expression: '(superadmin_id is null) = (superadmin_email is null)' },
  ],
  // The database itself refuses to change or remove a row, whatever the code does.
  triggers: [
    {
      name: 'append_only',
      timing: 'before',
      events: ['update', 'delete'],
      forEach: 'row',
      body: "raise exception 'platform_audit is append-only';",
    },
  ],
  properties: {
    id: p
      .uuid()
      .primary()
      .onCreate(() => randomUUID()),
    /** Null: the platform's own job acted, not a person. */
    superadminId: p.uuid().nullable().index(),
    superadminEmail: p.string().nullable(),
    /** Null: an action on the whole platform (every tenant), such as a tenant migration run. */
    tenantId: p.uuid().nullable(),
    /** The procedure a superadmin called (`admin.migrations.start`), or the action a job took (`tenant.purged`). */
    procedure: p.string(),
    /** What the action concerned, beyond the tenant: a migration run's target, a purged tenant's slug and what went. */
    details: p.json<Record<string, unknown>>().nullable(),
    requestId: p.string().nullable(),
    ip: p.string().nullable(),
    at: p.datetime().onCreate(() => new Date()),
  },
});

export type PlatformAudit = InferEntity<typeof PlatformAuditSchema>;
