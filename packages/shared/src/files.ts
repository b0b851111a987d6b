import { z } from 'zod';

/**
 * Tenant files on S3 (DESIGN §6). The server builds every key (`<tenantId>/<fileId>/<safe name>`);
 * a client uploads with the presigned POST it is given and confirms with `files.completeUpload`.
 */

/** Content types a tenant may upload unless FILE_TYPES says otherwise (exact types, or `image/*`-style families). */
export const DEFAULT_FILE_TYPES = [
  'image/*',
  'application/pdf',
  'text/plain',
  'text/csv',
  'application/json',
  'application/zip',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  'application/vnd.openxmlformats-officedocument.presentationml.presentation',
] as const;

/** True when `contentType` is allowed by `allowed` (exact matches, or `family/*` entries). */
export function fileTypeAllowed(contentType: string, allowed: readonly string[]): boolean {
  const type = contentType.toLowerCase();
  return allowed.some((a) => (a.endsWith('/*') ? type.startsWith(a.slice(0, -1)) : type === a));
}

export const FileStatus = z.enum(['pending', 'ready']);
export type FileStatus = z.infer<typeof FileStatus>;

export const FileName = z
  .string()
  .trim()
  .min(1, 'Give the file a name')
  .max(255, 'At most 255 characters')
  .refine((n) => ![...n].some((c) => c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f), 'No control characters');

export const ContentType = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^[a-z0-9][a-z0-9!#$&^_.+-]*\/[a-z0-9][a-z0-9!#$&^_.+-]*$/, 'A MIME type such as image/png');

export const FileModel = z.object({
  id: z.uuid(),
  name: z.string(),
  size: z.number().int().nonnegative(),
  contentType: z.string(),
  status: FileStatus,
  uploadedBy: z.uuid().nullable(),
  uploadedByEmail: z.string().nullable(),
  createdAt: z.iso.datetime(),
  completedAt: z.iso.datetime().nullable(),
});
export type FileModel = z.infer<typeof FileModel>;

export const CreateUploadInput = z.object({
  name: FileName,
  size: z.number().int().positive('An empty file cannot be uploaded'),
  contentType: ContentType,
});
export type CreateUploadInput = z.input<typeof CreateUploadInput>;

/** A presigned POST: send `fields` first, then the file as the form field `file`, to `url`. */
export const PresignedUpload = z.object({
  file: FileModel,
  url: z.string(),
  method: z.literal('POST'),
  fields: z.record(z.string(), z.string()),
  expiresAt: z.iso.datetime(),
});
export type PresignedUpload = z.infer<typeof PresignedUpload>;

export const FileSort = z.enum(['newest', 'oldest', 'name', 'largest']);
export type FileSort = z.infer<typeof FileSort>;

export const FileListInput = z.object({
  search: z.string().trim().max(100).optional(),
  /** A content type or a family such as `image/`. */
  type: z.string().trim().max(100).optional(),
  sort: FileSort.default('newest'),
  cursor: z.string().optional(),
  limit: z.number().int().min(1).max(100).default(50),
});
export type FileListInput = z.input<typeof FileListInput>;

export const FilePage = z.object({ items: z.array(FileModel), nextCursor: z.string().nullable() });
export type FilePage = z.infer<typeof FilePage>;

export const DownloadUrl = z.object({ url: z.string(), expiresAt: z.iso.datetime() });
export type DownloadUrl = z.infer<typeof DownloadUrl>;

/** Tenant export (plan feature `data_export`). */
export const ExportStatus = z.enum(['queued', 'running', 'ready', 'failed']);
export type ExportStatus = z.infer<typeof ExportStatus>;

export const TenantExport = z.object({
  id: z.uuid(),
  status: ExportStatus,
  /** 0–100. */
  progress: z.number().int().min(0).max(100),
  step: z.string().nullable(),
  size: z.number().int().nonnegative().nullable(),
  error: z.string().nullable(),
  requestedBy: z.uuid().nullable(),
  createdAt: z.iso.datetime(),
  completedAt: z.iso.datetime().nullable(),
});
export type TenantExport = z.infer<typeof TenantExport>;

/** Tenant health, for the owner's card and the superadmin console. */
export const TenantHealth = z.object({
  tenantId: z.uuid(),
  schemaPresent: z.boolean(),
  schemaVersion: z.number().int(),
  latestSchemaVersion: z.number().int(),
  tables: z.array(z.object({ name: z.string(), rows: z.number().int() })),
  storage: z.object({
    /** What the control plane counts (`tenants.storage_bytes`). */
    countedBytes: z.number(),
    /** What is actually under `<tenantId>/` in the bucket. */
    objectBytes: z.number(),
    objects: z.number().int(),
    /** Export archives under `<tenantId>/exports/`: kept apart, they do not count in the tenant's storage. */
    exportBytes: z.number(),
    exportObjects: z.number().int(),
  }),
  recentJobErrors: z.array(z.object({ task: z.string(), error: z.string(), at: z.iso.datetime() })),
  healthy: z.boolean(),
  problems: z.array(z.string()),
  checkedAt: z.iso.datetime(),
});
export type TenantHealth = z.infer<typeof TenantHealth>;

/** `manifest.json` at the root of an export archive: what it holds and how to check it. */
export const ExportManifest = z.object({
  format: z.literal('tenantry-export'),
  formatVersion: z.literal(1),
  /** The tenant schema version the rows were read at (its count of tenant migrations). */
  schemaVersion: z.number().int(),
  exportedAt: z.iso.datetime(),
  tenant: z.object({ id: z.uuid(), slug: z.string(), name: z.string() }),
  /** One NDJSON entry per tenant table (`tables/<name>.ndjson`, one JSON object per row). */
  tables: z.array(z.object({ name: z.string(), path: z.string(), rows: z.number().int(), sha256: z.string() })),
  /** Every ready file's object (`files/<fileId>/<safe name>`); `key` is where it lives in the bucket. */
  files: z.array(
    z.object({
      id: z.uuid(),
      name: z.string(),
      key: z.string(),
      path: z.string(),
      size: z.number().int(),
      contentType: z.string(),
      sha256: z.string(),
    }),
  ),
  /** Tenant tables not in the archive, and why. */
  excluded: z.array(z.object({ name: z.string(), reason: z.string() })),
});
export type ExportManifest = z.infer<typeof ExportManifest>;
