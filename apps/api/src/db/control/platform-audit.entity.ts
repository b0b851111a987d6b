import { randomUUID } from 'node:crypto';
import { defineEntity, p, type InferEntity } from '@mikro-orm/core';

/** One row per request in which a superadmin reached a tenant they are not a member of. Append-only. */
export const PlatformAuditSchema = defineEntity({
  name: 'PlatformAudit',
  tableName: 'platform_audit',
  schema: 'public',
  indexes: [{ properties: ['tenantId', 'at'] }],
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
    superadminId: p.uuid().index(),
    superadminEmail: p.string(),
    tenantId: p.uuid(),
    procedure: p.string(),
    requestId: p.string().nullable(),
    ip: p.string().nullable(),
    at: p.datetime().onCreate(() => new Date()),
  },
});

export type PlatformAudit = InferEntity<typeof PlatformAuditSchema>;
