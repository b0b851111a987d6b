import { randomUUID } from 'node:crypto';
import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import type { AuditAction } from '@tenantry/shared';

/**
 * One row per change made in the tenant, written in the transaction of the change. Append-only: the
 * database refuses UPDATE and DELETE, whatever the code does.
 */
export const AuditEntrySchema = defineEntity({
  name: 'AuditEntry',
  tableName: 'audit_log',
  schema: '*',
  indexes: [{ properties: ['at', 'id'] }, { properties: ['action', 'at'] }],
  triggers: [
    {
      name: 'append_only',
      timing: 'before',
      events: ['update', 'delete'],
      forEach: 'row',
      body: "raise exception 'audit_log is append-only';",
    },
  ],
  properties: {
    id: p
      .uuid()
      .primary()
      .onCreate(() => randomUUID()),
    // A string, not an enum check: new actions then need no migration of every tenant schema.
    action: p.string().length(64).$type<AuditAction>(),
    /** Control-plane user ids, without a foreign key: a tenant schema stands alone (DESIGN §7). */
    actorId: p.uuid().nullable(),
    actorEmail: p.string().nullable(),
    actorIsSuperadmin: p.boolean().default(false),
    targetType: p.string().length(50),
    targetId: p.string().length(100).nullable(),
    before: p.json<Record<string, unknown>>().nullable(),
    after: p.json<Record<string, unknown>>().nullable(),
    requestId: p.string().length(128).nullable(),
    ip: p.string().length(64).nullable(),
    userAgent: p.string().length(500).nullable(),
    at: p.datetime().onCreate(() => new Date()),
  },
});

export type AuditEntry = InferEntity<typeof AuditEntrySchema>;
