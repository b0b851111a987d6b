import { randomUUID } from 'node:crypto';
import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { ExportStatus } from '@tenantry/shared';

/**
 * A tenant export (`tenants.export`): an archive written by the `tenant_export` job to `key`
 * (`<tenantId>/exports/<id>.zip`). Its object does not count in the tenant's file storage.
 */
export const ExportSchema = defineEntity({
  name: 'Export',
  tableName: 'exports',
  schema: '*',
  properties: {
    id: p
      .uuid()
      .primary()
      .onCreate(() => randomUUID()),
    status: p.enum(ExportStatus.options).default('queued'),
    /** 0–100: tables, then files by count, then the upload. */
    progress: p.integer().default(0),
    step: p.string().length(255).nullable(),
    key: p.string().length(1024),
    size: p.bigint('number').nullable(),
    error: p.text().nullable(),
    /** A user id of the control plane; no foreign key, so a tenant schema stands alone (DESIGN §7). */
    requestedBy: p.uuid().nullable(),
    createdAt: p.datetime().onCreate(() => new Date()),
    completedAt: p.datetime().nullable(),
  },
});

export type Export = InferEntity<typeof ExportSchema>;
