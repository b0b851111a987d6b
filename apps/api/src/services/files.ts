/**
 * Tenant files on S3 (DESIGN §6). The server builds every key (`<tenantId>/<fileId>/<safe name>`). An upload
 * is reserved as a `pending` row (counted against the plan's storage while its presigned POST is valid),
 * sent by the client straight to S3 with a policy that pins the exact size and Content-Type, and confirmed
 * by `completeUpload`, which checks the object with HeadObject before counting it in `tenants.storage_bytes`.
 */
import { randomUUID } from 'node:crypto';
import { DeleteObjectCommand, GetObjectCommand, HeadObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { createPresignedPost } from '@aws-sdk/s3-presigned-post';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { LockMode } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import {
  DEFAULT_FILE_TYPES,
  fileTypeAllowed,
  FileListInput,
  type CreateUploadInput,
  type DownloadUrl,
  type FileModel,
  type FilePage,
  type FileSort,
  type PresignedUpload,
} from '@tenantry/shared';
import { z } from 'zod';
import type { Tenant } from '../db/control/index.js';
import type { Orm } from '../db/orm.js';
import { tenantMigrations } from '../db/migrations/tenant/index.js';
import { FileSchema, type File } from '../db/tenant/index.js';
import { quotedSchema } from '../db/tenant-schema.js';
import type { Env } from '../env.js';
import { AppError } from '../errors.js';
import { recordAudit, type AuditContext } from './audit.js';
import { tenantPlanOf } from './plans.js';

/** The bucket the files live in. */
export interface FileStorage {
  s3: S3Client;
  bucket: string;
}

export interface FileSettings {
  /** Allowed content types: exact, or `family/*`. */
  types: readonly string[];
  maxBytes: number;
  uploadExpiresSeconds: number;
  downloadExpiresSeconds: number;
}

/** A presigned GET is short-lived: long enough to start a download, not to share a link. */
export const DOWNLOAD_EXPIRES_SECONDS = 300;

export function fileSettingsOf(env: Pick<Env, 'FILE_TYPES' | 'FILE_MAX_BYTES' | 'S3_UPLOAD_EXPIRES'>): FileSettings {
  return {
    types: env.FILE_TYPES.length ? env.FILE_TYPES : DEFAULT_FILE_TYPES,
    maxBytes: env.FILE_MAX_BYTES,
    uploadExpiresSeconds: env.S3_UPLOAD_EXPIRES,
    downloadExpiresSeconds: DOWNLOAD_EXPIRES_SECONDS,
  };
}

export function toFileModel(f: File): FileModel {
  return {
    id: f.id,
    name: f.name,
    size: Number(f.size),
    contentType: f.contentType,
    status: f.status,
    uploadedBy: f.uploadedBy ?? null,
    uploadedByEmail: f.uploadedByEmail ?? null,
    createdAt: new Date(f.createdAt).toISOString(),
    completedAt: f.completedAt ? new Date(f.completedAt).toISOString() : null,
  };
}

const notFound = () => new AppError({ code: 'NOT_FOUND', appCode: 'NOT_FOUND', message: 'No such file' });

const MB = 1000 ** 2;
const GB = 1000 ** 3;

/** Sizes as people read them (decimal units, as the plan limits are quoted). */
export function formatBytes(bytes: number): string {
  if (bytes >= GB) return `${(bytes / GB).toFixed(1)} GB`;
  if (bytes >= MB) return `${(bytes / MB).toFixed(1)} MB`;
  if (bytes >= 1000) return `${(bytes / 1000).toFixed(1)} kB`;
  return `${bytes} bytes`;
}

/** Plan limits are in binary GiB; show them as the catalogue does ("10 GB"). */
function formatLimit(bytes: number): string {
  const gib = bytes / 1024 ** 3;
  return Number.isInteger(gib) ? `${gib} GB` : formatBytes(bytes);
}

const MAX_SAFE_NAME = 120;

/**
 * The last part of a key: the name without any path, control characters or characters that need escaping in
 * URLs, at most 120 characters with its extension kept. The original name is kept in the row.
 */
export function safeFileName(name: string): string {
  const base = name.split(/[/\\]/).pop() ?? '';
  const clean = (part: string) =>
    part
      .normalize('NFKD')
      .replace(/[\u0300-\u036f]/g, '') // accents, after NFKD
      .replace(/[^A-Za-z0-9._-]+/g, '_')
      .replace(/_+/g, '_');
  const dot = base.lastIndexOf('.');
  // An extension follows a name that is more than dots (`..hidden` has none).
  const rawExt = dot > 0 && /[^.]/.test(base.slice(0, dot)) ? clean(base.slice(dot)) : '';
  const ext = /^\.[A-Za-z0-9]{1,15}$/.test(rawExt) ? rawExt : '';
  const stem = clean(ext ? base.slice(0, dot) : base)
    .replace(/^[._]+/, '') // no hidden files, no `..`
    .slice(0, MAX_SAFE_NAME - ext.length)
    .replace(/[._]+$/, '');
  return `${stem || 'file'}${ext}`;
}

/** `Content-Disposition` for a download: an ASCII fallback and the exact name in RFC 5987 `filename*`. */
export function contentDisposition(name: string): string {
  const fallback = name.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
  const encoded = encodeURIComponent(name).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `attachment; filename="${fallback}"; filename*=UTF-8''${encoded}`;
}

/** The tenant migration that creates `files`: a tenant schema before it has no table to sweep. */
const FILES_SCHEMA_VERSION = tenantMigrations.findIndex((m) => m.name === 'Migration20261123224500_files') + 1;

export async function createUpload(
  em: EntityManager,
  tenant: Pick<Tenant, 'id' | 'plan' | 'planOverrides' | 'schemaName'>,
  storage: FileStorage,
  settings: FileSettings,
  input: z.output<typeof CreateUploadInput>,
  audit: AuditContext,
): Promise<PresignedUpload> {
  if (!fileTypeAllowed(input.contentType, settings.types)) {
    throw new AppError({
      code: 'BAD_REQUEST',
      appCode: 'FILE_TYPE_NOT_ALLOWED',
      message: `Files of type ${input.contentType} cannot be uploaded here; allowed: ${settings.types.join(', ')}`,
      details: { contentType: input.contentType, allowed: [...settings.types] },
    });
  }
  if (input.size > settings.maxBytes) {
    throw new AppError({
      code: 'BAD_REQUEST',
      appCode: 'FILE_TOO_LARGE',
      message: `This file (${formatBytes(input.size)}) is larger than the ${formatBytes(settings.maxBytes)} a file may be`,
      details: { size: input.size, maxBytes: settings.maxBytes },
    });
  }
  const id = randomUUID();
  const now = new Date();
  const expiresAt = new Date(now.getTime() + settings.uploadExpiresSeconds * 1000);
  const key = `${tenant.id}/${id}/${safeFileName(input.name)}`;
  const file = await em.transactional(async (tx) => {
    // The tenant row's lock orders concurrent reservations: two uploads cannot both take the last bytes.
    const [row] = await tx.execute<Array<{ storage_bytes: string | number }>>(
      'select storage_bytes from public.tenants where id = ? for update',
      [tenant.id],
    );
    if (!row) throw new AppError({ code: 'NOT_FOUND', appCode: 'NOT_FOUND', message: 'Organisation not found' });
    const limit = tenantPlanOf(tenant).storageBytes;
    if (limit !== null) {
      const [pending] = await tx.execute<Array<{ bytes: string | number }>>(
        `select coalesce(sum(size), 0) as bytes from ${quotedSchema(tenant.schemaName)}."files"
          where status = 'pending' and expires_at > ?`,
        [now],
      );
      const inUse = Number(row.storage_bytes) + Number(pending?.bytes ?? 0);
      if (inUse + input.size > limit) {
        throw new AppError({
          code: 'FORBIDDEN',
          appCode: 'PLAN_LIMIT',
          message: `This file (${formatBytes(input.size)}) would take storage to ${formatBytes(inUse + input.size)} where the plan allows ${formatLimit(limit)}`,
          details: { limit: 'storageBytes', inUse, size: input.size, allowed: limit },
        });
      }
    }
    const created = tx.create(FileSchema, {
      id,
      name: input.name,
      key,
      size: input.size,
      contentType: input.contentType,
      status: 'pending',
      uploadedBy: audit.actorId,
      uploadedByEmail: audit.actorEmail,
      createdAt: now,
      completedAt: null,
      expiresAt,
    });
    await tx.flush();
    return created;
  });
  const post = await createPresignedPost(storage.s3, {
    Bucket: storage.bucket,
    Key: key,
    Conditions: [
      ['content-length-range', input.size, input.size],
      ['eq', '$Content-Type', input.contentType],
    ],
    Fields: { 'Content-Type': input.contentType },
    Expires: settings.uploadExpiresSeconds,
  });
  return {
    file: toFileModel(file),
    url: post.url,
    method: 'POST',
    fields: post.fields,
    expiresAt: expiresAt.toISOString(),
  };
}

async function findFile(em: EntityManager, id: string): Promise<File> {
  const file = await em.findOne(FileSchema, { id });
  if (!file) throw notFound();
  return file;
}

interface ObjectHead {
  size: number;
  contentType: string | undefined;
}

async function headObject(storage: FileStorage, key: string): Promise<ObjectHead | null> {
  try {
    const head = await storage.s3.send(new HeadObjectCommand({ Bucket: storage.bucket, Key: key }));
    return { size: head.ContentLength ?? -1, contentType: head.ContentType };
  } catch (err) {
    const status = (err as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
    if (status === 404 || (err as { name?: string }).name === 'NotFound') return null;
    throw err;
  }
}

async function deleteObject(storage: FileStorage, key: string): Promise<void> {
  await storage.s3.send(new DeleteObjectCommand({ Bucket: storage.bucket, Key: key }));
}

const sameType = (a: string | undefined, b: string) => (a ?? '').split(';')[0]!.trim().toLowerCase() === b;

/**
 * Confirms an upload: the object must be in the bucket with the promised size and type. Then the file is
 * `ready` and counted in the tenant's storage, once: a second call returns the ready file unchanged.
 * A mismatch removes the object and the reservation.
 */
export async function completeUpload(
  em: EntityManager,
  tenantId: string,
  storage: FileStorage,
  id: string,
  audit: AuditContext,
): Promise<File> {
  const file = await findFile(em, id);
  if (file.status === 'ready') return file;
  const head = await headObject(storage, file.key);
  if (!head) {
    const expired = file.expiresAt.getTime() < Date.now();
    throw new AppError({
      code: 'CONFLICT',
      appCode: 'UPLOAD_NOT_FINISHED',
      message: expired
        ? `The upload of ${file.name} was never finished and has expired; upload the file again`
        : `The upload of ${file.name} is not finished: send the file to the upload URL first`,
    });
  }
  const size = Number(file.size);
  if (head.size !== size || !sameType(head.contentType, file.contentType)) {
    await deleteObject(storage, file.key);
    await em.nativeDelete(FileSchema, { id, status: 'pending' });
    const what =
      head.size !== size
        ? `${formatBytes(head.size)} arrived where ${formatBytes(size)} were announced`
        : `it arrived as ${head.contentType ?? 'no type'} where ${file.contentType} was announced`;
    throw new AppError({
      code: 'BAD_REQUEST',
      appCode: 'UPLOAD_MISMATCH',
      message: `The upload of ${file.name} was refused and removed: ${what}`,
      details: {
        expectedSize: size,
        actualSize: head.size,
        expectedType: file.contentType,
        actualType: head.contentType ?? null,
      },
    });
  }
  return em.transactional(async (tx) => {
    const completedAt = new Date();
    // Only the call that moves the row out of `pending` counts it; a concurrent second call finds it ready.
    const changed = await tx.nativeUpdate(FileSchema, { id, status: 'pending' }, { status: 'ready', completedAt });
    if (changed === 1) {
      await tx.execute('update public.tenants set storage_bytes = storage_bytes + ?, updated_at = now() where id = ?', [
        size,
        tenantId,
      ]);
      await recordAudit(tx, audit, {
        action: 'file.uploaded',
        targetType: 'file',
        targetId: id,
        after: { name: file.name, size, contentType: file.contentType },
      });
    }
    const current = await tx.findOne(FileSchema, { id }, { refresh: true });
    if (!current) throw notFound(); // removed by the expiry sweep meanwhile
    return current;
  });
}

interface FileCursor {
  sort: FileSort;
  value: string | number;
  id: string;
}

const CursorShape = z.object({
  sort: z.enum(['newest', 'oldest', 'name', 'largest']),
  value: z.union([z.string(), z.number()]),
  id: z.uuid(),
});

function encodeFileCursor(c: FileCursor): string {
  return Buffer.from(JSON.stringify(c)).toString('base64url');
}

function decodeFileCursor(cursor: string | undefined, sort: FileSort): FileCursor | undefined {
  if (!cursor) return undefined;
  let parsed: FileCursor | undefined;
  try {
    parsed = CursorShape.parse(JSON.parse(Buffer.from(cursor, 'base64url').toString()));
  } catch {
    parsed = undefined;
  }
  if (!parsed || parsed.sort !== sort) {
    throw new AppError({ code: 'BAD_REQUEST', appCode: 'VALIDATION_FAILED', message: 'This page cursor is not valid' });
  }
  return parsed;
}

const SORTS = {
  newest: { field: 'createdAt', dir: 'desc' },
  oldest: { field: 'createdAt', dir: 'asc' },
  name: { field: 'name', dir: 'asc' },
  largest: { field: 'size', dir: 'desc' },
} as const;

function sortValue(f: File, sort: FileSort): string | number {
  const field = SORTS[sort].field;
  if (field === 'createdAt') return new Date(f.createdAt).toISOString();
  if (field === 'size') return Number(f.size);
  return f.name;
}

/** Ready files, filtered by name and type, in one of four orders, a page at a time. */
export async function listFiles(em: EntityManager, raw: FileListInput): Promise<FilePage> {
  const input = FileListInput.parse(raw);
  const { field, dir } = SORTS[input.sort];
  const cursor = decodeFileCursor(input.cursor, input.sort);
  const op = dir === 'desc' ? '$lt' : '$gt';
  const cursorValue = cursor ? (field === 'createdAt' ? new Date(String(cursor.value)) : cursor.value) : undefined;
  const type = input.type?.toLowerCase();
  const rows = await em.find(
    FileSchema,
    {
      status: 'ready',
      ...(input.search ? { name: { $ilike: `%${input.search.replace(/[\\%_]/g, '\\$&')}%` } } : {}),
      ...(type
        ? type.endsWith('/') || type.endsWith('/*')
          ? { contentType: { $like: `${type.replace(/\*$/, '').replace(/[\\%_]/g, '\\$&')}%` } }
          : { contentType: type }
        : {}),
      ...(cursor
        ? {
            $or: [{ [field]: { [op]: cursorValue } }, { [field]: cursorValue, id: { [op]: cursor.id } }],
          }
        : {}),
    },
    { orderBy: { [field]: dir, id: dir }, limit: input.limit + 1 },
  );
  const items = rows.slice(0, input.limit);
  const last = items.at(-1);
  return {
    items: items.map(toFileModel),
    nextCursor:
      rows.length > input.limit && last
        ? encodeFileCursor({ sort: input.sort, value: sortValue(last, input.sort), id: last.id })
        : null,
  };
}

/** A short-lived presigned GET that saves the file under its original name. */
export async function getDownloadUrl(
  em: EntityManager,
  storage: FileStorage,
  settings: Pick<FileSettings, 'downloadExpiresSeconds'>,
  id: string,
): Promise<DownloadUrl> {
  const file = await findFile(em, id);
  if (file.status !== 'ready') throw notFound();
  const url = await getSignedUrl(
    storage.s3,
    new GetObjectCommand({
      Bucket: storage.bucket,
      Key: file.key,
      ResponseContentDisposition: contentDisposition(file.name),
      ResponseContentType: file.contentType,
    }),
    { expiresIn: settings.downloadExpiresSeconds },
  );
  return { url, expiresAt: new Date(Date.now() + settings.downloadExpiresSeconds * 1000).toISOString() };
}

/** How long a logo's URL lives; the SPA reads the branding again well before (see useBranding). */
export const LOGO_URL_EXPIRES_SECONDS = 3600;

/** A presigned GET for showing an object in the page (an <img>), not for saving it. */
export async function presignedInlineUrl(
  storage: FileStorage,
  file: { key: string; contentType: string },
  expiresInSeconds: number,
): Promise<DownloadUrl> {
  const url = await getSignedUrl(
    storage.s3,
    new GetObjectCommand({ Bucket: storage.bucket, Key: file.key, ResponseContentType: file.contentType }),
    { expiresIn: expiresInSeconds },
  );
  return { url, expiresAt: new Date(Date.now() + expiresInSeconds * 1000).toISOString() };
}

/**
 * Removes a file: its object, then its row, and (for a ready file) its bytes from the tenant's storage,
 * never below zero. A pending file (an upload given up) is removed the same way.
 */
export async function deleteFile(
  em: EntityManager,
  tenantId: string,
  storage: FileStorage,
  id: string,
  audit: AuditContext,
): Promise<void> {
  await em.transactional(async (tx) => {
    // Locked, so that a concurrent completeUpload or delete waits and then finds the row gone.
    const file = await tx.findOne(FileSchema, { id }, { lockMode: LockMode.PESSIMISTIC_WRITE });
    if (!file) throw notFound();
    await deleteObject(storage, file.key);
    await tx.nativeDelete(FileSchema, { id });
    if (file.status === 'ready') {
      await tx.execute(
        'update public.tenants set storage_bytes = greatest(storage_bytes - ?, 0), updated_at = now() where id = ?',
        [Number(file.size), tenantId],
      );
    }
    await recordAudit(tx, audit, {
      action: 'file.deleted',
      targetType: 'file',
      targetId: id,
      before: { name: file.name, size: Number(file.size), contentType: file.contentType, status: file.status },
    });
  });
}

export interface ExpirySweep {
  tenants: number;
  removed: number;
}

/**
 * The `files_expire_uploads` job: in every ready tenant, removes the pending uploads whose presigned POST
 * has expired (the object if one arrived, then the row). Each tenant is re-read under a share lock, so a
 * tenant being deleted is left to its purge.
 */
export async function expirePendingUploads(
  orm: Orm,
  storage: FileStorage,
  options: { now?: Date; tenantIds?: string[] } = {},
): Promise<ExpirySweep> {
  const now = options.now ?? new Date();
  if (options.tenantIds?.length === 0) return { tenants: 0, removed: 0 };
  const tenants = await orm.em
    .fork()
    .execute<Array<{ id: string }>>(
      `select id from public.tenants where status = 'ready' and schema_version >= ?${options.tenantIds ? ' and id in (?)' : ''} order by id`,
      options.tenantIds ? [FILES_SCHEMA_VERSION, options.tenantIds] : [FILES_SCHEMA_VERSION],
    );
  let removed = 0;
  let swept = 0;
  for (const { id: tenantId } of tenants) {
    const em = orm.em.fork();
    removed += await em.transactional(async (tx) => {
      const [tenant] = await tx.execute<Array<{ status: string; schema_name: string }>>(
        'select status, schema_name from public.tenants where id = ? for share',
        [tenantId],
      );
      if (!tenant || tenant.status !== 'ready') return 0;
      swept += 1;
      const schema = tenant.schema_name;
      // Locked and skipped when locked: a completeUpload in flight on a row decides it first.
      const expired = await tx.find(
        FileSchema,
        { status: 'pending', expiresAt: { $lt: now } },
        { schema, lockMode: LockMode.PESSIMISTIC_PARTIAL_WRITE, limit: 1000, orderBy: { id: 'asc' } },
      );
      for (const file of expired) await deleteObject(storage, file.key);
      if (expired.length) {
        await tx.nativeDelete(FileSchema, { id: { $in: expired.map((f) => f.id) }, status: 'pending' }, { schema });
      }
      return expired.length;
    });
  }
  return { tenants: swept, removed };
}
