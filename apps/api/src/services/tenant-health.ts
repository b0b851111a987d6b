/**
 * Tenant health, for the owner's card (`tenants.health`) and the superadmin console (`admin.tenants.health`):
 * is the schema there and at the latest version, how many rows each table has (exact counts: tenants are
 * small), whether `tenants.storage_bytes` matches what is actually under `<tenantId>/` in the bucket, and
 * the last errors of the tenant's jobs. Every problem is a sentence; `healthy` is true when there is none.
 *
 * Storage is compared on file objects only: export archives (`<tenantId>/exports/`) are not files and never
 * count in storage, so they are reported apart (`exportBytes`), and the objects of uploads still pending
 * (not yet confirmed, so not yet counted) are left out of both sides.
 */
import { ListObjectsV2Command, type S3Client } from '@aws-sdk/client-s3';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { TenantHealth } from '@tenantry/shared';
import type { Tenant } from '../db/control/index.js';
import { LATEST_TENANT_SCHEMA_VERSION } from '../db/migrations/tenant/index.js';
import { quotedSchema } from '../db/tenant-schema.js';
import { exportsPrefix, tenantTables } from './tenant-export.js';

export interface HealthStorage {
  s3: S3Client;
  bucket: string;
  /** Keys per ListObjectsV2 page (S3's maximum and default: 1000; tests use fewer to cross pages). */
  pageSize?: number;
}

/** How many of the tenant's latest job errors are shown. */
const JOB_ERRORS = 5;

interface Listing {
  files: { objects: number; bytes: number; keys: Map<string, number> };
  exports: { objects: number; bytes: number };
}

/**
 * Every object under `<tenantId>/`, a page at a time. Pages follow each other with `StartAfter` (the last key
 * seen), not continuation tokens: s3rver builds its tokens with a cipher Node 20's OpenSSL 3 refuses, and
 * StartAfter means the same on every S3 (see the local-stack notes; the test crosses pages with MaxKeys 2).
 */
async function listPrefix(storage: HealthStorage, tenantId: string): Promise<Listing> {
  const listing: Listing = { files: { objects: 0, bytes: 0, keys: new Map() }, exports: { objects: 0, bytes: 0 } };
  const exportPrefix = exportsPrefix(tenantId);
  let startAfter: string | undefined;
  for (;;) {
    const page = await storage.s3.send(
      new ListObjectsV2Command({
        Bucket: storage.bucket,
        Prefix: `${tenantId}/`,
        MaxKeys: storage.pageSize ?? 1000,
        ...(startAfter ? { StartAfter: startAfter } : {}),
      }),
    );
    let last: string | undefined;
    for (const object of page.Contents ?? []) {
      if (!object.Key) continue;
      last = object.Key;
      const size = object.Size ?? 0;
      if (object.Key.startsWith(exportPrefix)) {
        listing.exports.objects += 1;
        listing.exports.bytes += size;
      } else {
        listing.files.keys.set(object.Key, size);
      }
    }
    if (!page.IsTruncated || !last) break;
    startAfter = last;
  }
  return listing;
}

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** The health of one tenant; `em` may be any EntityManager (every query names its schema). */
export async function tenantHealth(em: EntityManager, storage: HealthStorage, tenant: Tenant): Promise<TenantHealth> {
  const problems: string[] = [];
  const [schemaRow] = await em.execute<{ present: boolean }[]>(
    'select exists (select 1 from information_schema.schemata where schema_name = ?) as present',
    [tenant.schemaName],
  );
  const schemaPresent = Boolean(schemaRow?.present);
  const expectSchema = tenant.status !== 'pending' && tenant.status !== 'deleted';
  if (!schemaPresent && expectSchema) problems.push(`The schema ${tenant.schemaName} does not exist.`);

  if (tenant.schemaVersion < LATEST_TENANT_SCHEMA_VERSION) {
    problems.push(
      `The schema is at version ${tenant.schemaVersion}; the latest is ${LATEST_TENANT_SCHEMA_VERSION}. Run the tenant migrations.`,
    );
  } else if (tenant.schemaVersion > LATEST_TENANT_SCHEMA_VERSION) {
    problems.push(
      `The schema is at version ${tenant.schemaVersion}, newer than this server knows (${LATEST_TENANT_SCHEMA_VERSION}).`,
    );
  }

  const tables: TenantHealth['tables'] = [];
  const pendingKeys = new Set<string>();
  if (schemaPresent) {
    const schema = quotedSchema(tenant.schemaName);
    for (const name of await tenantTables(em, tenant.schemaName)) {
      const [row] = await em.execute<{ n: string }[]>(
        `select count(*) as n from ${schema}."${name.replace(/"/g, '""')}"`,
      );
      tables.push({ name, rows: Number(row?.n ?? 0) });
    }
    if (tables.some((t) => t.name === 'files')) {
      const rows = await em.execute<{ key: string }[]>(`select key from ${schema}."files" where status = 'pending'`);
      for (const r of rows) pendingKeys.add(r.key);
    }
  }

  const listing = await listPrefix(storage, tenant.id);
  let objects = 0;
  let objectBytes = 0;
  for (const [key, size] of listing.files.keys) {
    if (pendingKeys.has(key)) continue;
    objects += 1;
    objectBytes += size;
  }
  const countedBytes = Number(tenant.storageBytes);
  if (countedBytes !== objectBytes) {
    problems.push(
      `Storage counts ${countedBytes} bytes but the bucket holds ${objectBytes} bytes in ${plural(objects, 'file object')}.`,
    );
  }

  const jobRows = await em.execute<{ task: string; last_error: string; at: Date | string }[]>(
    `select t.identifier as task, j.last_error, j.updated_at as at
       from graphile_worker._private_jobs j
       join graphile_worker._private_tasks t on t.id = j.task_id
      where j.payload->>'tenantId' = ? and j.last_error is not null
      order by j.updated_at desc
      limit ${JOB_ERRORS}`,
    [tenant.id],
  );
  const recentJobErrors = jobRows.map((r) => ({
    task: r.task,
    error: r.last_error,
    at: new Date(r.at).toISOString(),
  }));
  if (recentJobErrors.length) {
    problems.push(`${plural(recentJobErrors.length, 'job')} of this tenant failed recently (see the job errors).`);
  }

  return {
    tenantId: tenant.id,
    schemaPresent,
    schemaVersion: tenant.schemaVersion,
    latestSchemaVersion: LATEST_TENANT_SCHEMA_VERSION,
    tables,
    storage: {
      countedBytes,
      objectBytes,
      objects,
      exportBytes: listing.exports.bytes,
      exportObjects: listing.exports.objects,
    },
    recentJobErrors,
    healthy: problems.length === 0,
    problems,
    checkedAt: new Date().toISOString(),
  };
}
