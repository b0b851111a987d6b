/**
 * Tenant export (plan feature `data_export`): `tenants.export` records a queued export and enqueues
 * `tenant_export`; the job writes ONE zip to `<tenantId>/exports/<exportId>.zip` holding every tenant table as
 * NDJSON (`tables/<name>.ndjson`, one JSON object per row, read in one repeatable-read snapshot), every ready
 * file's object (`files/<fileId>/<safe name>`, streamed from S3) and `manifest.json` (schema version, row
 * counts, sha256 of every entry). The zip is streamed into S3 with lib-storage's Upload (multipart past 5 MB).
 *
 * The `exports` table itself is left out of the archive (it describes archives, and the running export's own
 * row changes while it is written); the manifest lists it under `excluded`. Export objects live under the
 * tenant's prefix but are not files: they never count in `tenants.storage_bytes` (the plan's storage quota),
 * and tenant health reports them apart.
 */
import { createHash, randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { PassThrough, type Readable } from 'node:stream';
import { GetObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { IsolationLevel } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { DownloadUrl, ExportManifest, TenantExport } from '@tenantry/shared';
import { Zip, ZipDeflate } from 'fflate';
import { TenantSchema, type Tenant } from '../db/control/index.js';
import type { Orm } from '../db/orm.js';
import { AuditEntrySchema, ExportSchema, FileSchema, type Export } from '../db/tenant/index.js';
import { quotedSchema } from '../db/tenant-schema.js';
import { AppError } from '../errors.js';
import { enqueue } from '../jobs/queue.js';
import { recordAudit, type AuditContext } from './audit.js';

/** The bucket the exports are written to (the tenant files' bucket). */
export interface ExportStorage {
  s3: S3Client;
  bucket: string;
}

/** Tables of a tenant schema that are not exported, with the reason the manifest gives. */
export const EXPORT_EXCLUDED_TABLES: Readonly<Record<string, string>> = {
  exports: 'describes the export archives themselves; its rows change while an export is written',
};

/** Attempts of one export job (graphile-worker retries with its backoff; each attempt starts over). */
export const EXPORT_MAX_ATTEMPTS = 3;

/** An export still queued or running after this long was interrupted: a new request replaces it. */
export const EXPORT_STALE_MS = 6 * 60 * 60 * 1000;

/** How long a presigned download of an export stays valid. */
export const EXPORT_DOWNLOAD_EXPIRES_SECONDS = 300;

/** Rows read per query while streaming a table. */
const PAGE_ROWS = 500;

export const exportKey = (tenantId: string, exportId: string) => `${tenantId}/exports/${exportId}.zip`;
export const exportsPrefix = (tenantId: string) => `${tenantId}/exports/`;

export function toExportModel(e: Export): TenantExport {
  return {
    id: e.id,
    status: e.status,
    progress: e.progress,
    step: e.step ?? null,
    size: e.size === null || e.size === undefined ? null : Number(e.size),
    error: e.error ?? null,
    requestedBy: e.requestedBy ?? null,
    createdAt: new Date(e.createdAt).toISOString(),
    completedAt: e.completedAt ? new Date(e.completedAt).toISOString() : null,
  };
}

const notFound = () => new AppError({ code: 'NOT_FOUND', appCode: 'NOT_FOUND', message: 'No such export' });

/**
 * Records a queued export and its job in one transaction, with the audit row. At most one export runs at a
 * time per tenant: while one is queued or running, asking again answers that one (unless it is older than
 * EXPORT_STALE_MS: then it is marked failed and a new one starts).
 */
export async function requestExport(em: EntityManager, tenant: Tenant, audit: AuditContext): Promise<TenantExport> {
  return em.transactional(async (tx) => {
    const inFlight = await tx.findOne(
      ExportSchema,
      { status: { $in: ['queued', 'running'] } },
      { orderBy: { createdAt: 'desc', id: 'desc' } },
    );
    if (inFlight && Date.now() - new Date(inFlight.createdAt).getTime() < EXPORT_STALE_MS)
      return toExportModel(inFlight);
    if (inFlight) {
      // A job that died on its last attempt (a killed worker) leaves its row in flight: give it up.
      inFlight.status = 'failed';
      inFlight.step = null;
      inFlight.error = 'The export was interrupted; start a new one';
      inFlight.completedAt = new Date();
    }
    const id = randomUUID();
    const row = tx.create(ExportSchema, {
      id,
      status: 'queued',
      progress: 0,
      step: 'Waiting to start',
      key: exportKey(tenant.id, id),
      size: null,
      error: null,
      requestedBy: audit.actorId,
      createdAt: new Date(),
      completedAt: null,
    });
    await tx.flush();
    await recordAudit(tx, audit, {
      action: 'tenant.export_requested',
      targetType: 'export',
      targetId: id,
      after: { status: 'queued' },
    });
    await enqueue(tx, 'tenant_export', { tenantId: tenant.id, exportId: id }, { maxAttempts: EXPORT_MAX_ATTEMPTS });
    return toExportModel(row);
  });
}

/** The tenant's exports, newest first (a tenant keeps few; the list is capped). */
export async function listExports(em: EntityManager, limit = 50): Promise<TenantExport[]> {
  const rows = await em.find(ExportSchema, {}, { orderBy: { createdAt: 'desc', id: 'desc' }, limit });
  return rows.map(toExportModel);
}

/** A short-lived presigned GET of a ready export, saved as `<slug>-export-<date>.zip`. */
export async function exportDownloadUrl(
  em: EntityManager,
  tenant: Tenant,
  storage: ExportStorage,
  id: string,
): Promise<DownloadUrl> {
  const row = await em.findOne(ExportSchema, { id });
  if (!row) throw notFound();
  if (row.status !== 'ready') {
    throw new AppError({
      code: 'CONFLICT',
      appCode: 'CONFLICT',
      message: row.status === 'failed' ? 'This export failed; start a new one' : 'This export is not ready yet',
    });
  }
  const date = new Date(row.completedAt ?? row.createdAt).toISOString().slice(0, 10);
  const url = await getSignedUrl(
    storage.s3,
    new GetObjectCommand({
      Bucket: storage.bucket,
      Key: row.key,
      ResponseContentDisposition: `attachment; filename="${tenant.slug}-export-${date}.zip"`,
      ResponseContentType: 'application/zip',
    }),
    { expiresIn: EXPORT_DOWNLOAD_EXPIRES_SECONDS },
  );
  return { url, expiresAt: new Date(Date.now() + EXPORT_DOWNLOAD_EXPIRES_SECONDS * 1000).toISOString() };
}

/** The base tables of a tenant schema, by name. */
export async function tenantTables(em: EntityManager, schemaName: string): Promise<string[]> {
  const rows = await em.execute<{ table_name: string }[]>(
    `select table_name from information_schema.tables
      where table_schema = ? and table_type = 'BASE TABLE' order by table_name`,
    [schemaName],
  );
  return rows.map((r) => r.table_name);
}

const quoteIdent = (name: string) => `"${name.replace(/"/g, '""')}"`;

export type ExportOutcome = { outcome: 'ready'; size: number } | { outcome: 'skipped'; reason: string };

export interface ExportJobOptions {
  attempt: number;
  maxAttempts: number;
}

/**
 * The `tenant_export` job. Every attempt starts over and overwrites the same key, so a retry after a
 * crash is safe; a ready export is left alone. Does nothing for a tenant that is being deleted or gone.
 */
export async function runTenantExport(
  orm: Orm,
  storage: ExportStorage,
  payload: { tenantId: string; exportId: string },
  options: ExportJobOptions,
): Promise<ExportOutcome> {
  const tenant = await orm.em.fork().findOne(TenantSchema, { id: payload.tenantId });
  if (!tenant) return { outcome: 'skipped', reason: 'no such tenant' };
  if (tenant.status !== 'ready' && tenant.status !== 'suspended') {
    return { outcome: 'skipped', reason: `the tenant is ${tenant.status}` };
  }
  const em = orm.em.fork({ schema: tenant.schemaName });
  const row = await em.findOne(ExportSchema, { id: payload.exportId });
  if (!row) return { outcome: 'skipped', reason: 'no such export' };
  if (row.status === 'ready') return { outcome: 'skipped', reason: 'already ready' };

  const progress = async (percent: number, step: string) => {
    await em.nativeUpdate(ExportSchema, { id: row.id }, { status: 'running', progress: Math.floor(percent), step });
  };
  try {
    await em.nativeUpdate(
      ExportSchema,
      { id: row.id },
      { status: 'running', progress: 0, step: 'Starting', error: null },
    );
    const size = await writeArchive(orm, tenant, storage, row.key, progress);
    await em.transactional(async (tx) => {
      await tx.nativeUpdate(
        ExportSchema,
        { id: row.id },
        { status: 'ready', progress: 100, step: null, size, error: null, completedAt: new Date() },
      );
      await tx.insert(AuditEntrySchema, {
        id: randomUUID(),
        at: new Date(),
        action: 'tenant.exported',
        actorId: row.requestedBy ?? null,
        actorEmail: null,
        actorIsSuperadmin: false,
        targetType: 'export',
        targetId: row.id,
        before: null,
        after: { status: 'ready', size },
        requestId: null,
        ip: null,
        userAgent: null,
      });
    });
    return { outcome: 'ready', size };
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    const last = options.attempt >= options.maxAttempts;
    await em
      .nativeUpdate(
        ExportSchema,
        { id: row.id },
        last
          ? { status: 'failed', step: null, error: message.slice(0, 2000), completedAt: new Date() }
          : { step: `Retrying after an error: ${message}`.slice(0, 255), error: message.slice(0, 2000) },
      )
      .catch(() => undefined);
    throw err;
  }
}

/** Writes the archive; returns its size in bytes. `progress` is told about each step (0–100). */
async function writeArchive(
  orm: Orm,
  tenant: Tenant,
  storage: ExportStorage,
  key: string,
  progress: (percent: number, step: string) => Promise<void>,
): Promise<number> {
  const out = new PassThrough();
  let size = 0;
  const zip = new Zip((err, chunk, final) => {
    if (err) {
      out.destroy(err);
      return;
    }
    size += chunk.length;
    out.write(chunk);
    if (final) out.end();
  });
  const upload = new Upload({
    client: storage.s3,
    params: { Bucket: storage.bucket, Key: key, Body: out, ContentType: 'application/zip' },
  });
  const uploaded = upload.done();
  // A failed upload must not leave the writer waiting for `drain`; its error ends the export.
  uploaded.catch(() => undefined);
  const drained = async () => {
    if (out.writableNeedDrain) await Promise.race([once(out, 'drain'), uploaded]);
  };

  /** Adds one deflated entry from `source`; returns its sha256 and length. */
  const addEntry = async (
    path: string,
    source: AsyncIterable<Uint8Array | string>,
  ): Promise<{ sha256: string; bytes: number }> => {
    const entry = new ZipDeflate(path, { level: 6 });
    zip.add(entry);
    const hash = createHash('sha256');
    let bytes = 0;
    for await (const chunk of source) {
      const data = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk;
      if (!data.length) continue;
      hash.update(data);
      bytes += data.length;
      entry.push(data);
      await drained();
    }
    entry.push(new Uint8Array(0), true);
    await drained();
    return { sha256: hash.digest('hex'), bytes };
  };

  try {
    const manifest: ExportManifest = {
      format: 'tenantry-export',
      formatVersion: 1,
      schemaVersion: tenant.schemaVersion,
      exportedAt: new Date().toISOString(),
      tenant: { id: tenant.id, slug: tenant.slug, name: tenant.name },
      tables: [],
      files: [],
      excluded: [],
    };
    const schema = quotedSchema(tenant.schemaName);
    // One snapshot for every table and the files list, so the archive is consistent with itself.
    await orm.em.fork({ schema: tenant.schemaName }).transactional(
      async (tx) => {
        const tables = await tenantTables(tx, tenant.schemaName);
        const exported = tables.filter((t) => !(t in EXPORT_EXCLUDED_TABLES));
        for (const name of tables) {
          const reason = EXPORT_EXCLUDED_TABLES[name];
          if (reason) manifest.excluded.push({ name, reason });
        }
        for (const [index, name] of exported.entries()) {
          await progress((index / Math.max(exported.length, 1)) * 40, `Exporting table ${name}`);
          let rows = 0;
          async function* lines(): AsyncGenerator<string> {
            for (let offset = 0; ; offset += PAGE_ROWS) {
              // ctid order is stable inside the snapshot; `::text` keeps bigints and numerics exact.
              const page = await tx.execute<{ row: string }[]>(
                `select to_jsonb(t)::text as row from ${schema}.${quoteIdent(name)} t order by t.ctid limit ? offset ?`,
                [PAGE_ROWS, offset],
              );
              for (const r of page) {
                rows += 1;
                yield `${r.row}\n`;
              }
              if (page.length < PAGE_ROWS) return;
            }
          }
          const path = `tables/${name}.ndjson`;
          const entry = await addEntry(path, lines());
          manifest.tables.push({ name, path, rows, sha256: entry.sha256 });
        }

        const files = tables.includes('files')
          ? await tx.find(FileSchema, { status: 'ready' }, { orderBy: { createdAt: 'asc', id: 'asc' } })
          : [];
        for (const [index, file] of files.entries()) {
          await progress(40 + (index / files.length) * 55, `Adding files (${index + 1} of ${files.length})`);
          const object = await storage.s3
            .send(new GetObjectCommand({ Bucket: storage.bucket, Key: file.key }))
            .catch((err: unknown) => {
              const reason = err instanceof Error ? err.message : String(err);
              throw new Error(`Could not read the object of file "${file.name}" (${file.id}): ${reason}`);
            });
          const body = object.Body as Readable | undefined;
          if (!body) throw new Error(`The object of file ${file.id} has no body`);
          const path = `files/${file.id}/${file.key.split('/').pop() ?? 'file'}`;
          const entry = await addEntry(path, body);
          if (entry.bytes !== Number(file.size)) {
            throw new Error(`The object of file "${file.name}" has ${entry.bytes} bytes, not ${Number(file.size)}`);
          }
          manifest.files.push({
            id: file.id,
            name: file.name,
            key: file.key,
            path,
            size: entry.bytes,
            contentType: file.contentType,
            sha256: entry.sha256,
          });
        }
      },
      { isolationLevel: IsolationLevel.REPEATABLE_READ, readOnly: true },
    );

    await progress(95, 'Uploading');
    async function* manifestJson(): AsyncGenerator<string> {
      yield `${JSON.stringify(manifest, null, 2)}\n`;
    }
    await addEntry('manifest.json', manifestJson());
    zip.end();
    await uploaded;
    return size;
  } catch (err) {
    zip.terminate();
    await upload.abort().catch(() => undefined);
    out.destroy();
    throw err;
  }
}
