import { randomUUID } from 'node:crypto';
import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { FileStatus } from '@tenantry/shared';

/**
 * A tenant's file on S3 (DESIGN §6). `pending` from `files.createUpload` until `files.completeUpload`
 * has seen the object; only `ready` files count in the tenant's storage (`tenants.storage_bytes`).
 */
export const FileSchema = defineEntity({
  name: 'File',
  tableName: 'files',
  schema: '*',
  properties: {
    id: p
      .uuid()
      .primary()
      .onCreate(() => randomUUID()),
    /** The name the uploader gave, shown and used for downloads. */
    name: p.string().length(255),
    /** `<tenantId>/<fileId>/<safe name>`, built by the server. */
    key: p.string().length(1024).unique(),
    size: p.bigint('number'),
    contentType: p.string().length(255),
    status: p.enum(FileStatus.options).default('pending'),
    /** A user id of the control plane; no foreign key, so a tenant schema stands alone (DESIGN §7). */
    uploadedBy: p.uuid().nullable(),
    uploadedByEmail: p.string().length(255).nullable(),
    createdAt: p.datetime().onCreate(() => new Date()),
    completedAt: p.datetime().nullable(),
    /** When the presigned upload stops working; a pending file past it is removed by `files_expire_uploads`. */
    expiresAt: p.datetime(),
  },
});

export type File = InferEntity<typeof FileSchema>;
