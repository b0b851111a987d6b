import { DeleteObjectsCommand, ListObjectsV2Command, type S3Client } from '@aws-sdk/client-s3';
import type { EntityManager } from '@mikro-orm/postgresql';
import type {
  AuditAction,
  PurgePlan,
  PurgeResult,
  TenantDeleteInput,
  TenantDeletionSummary,
  TenantStatus,
} from '@tenantry/shared';
import { TenantSchema, type Tenant, type User } from '../db/control/index.js';
import { quotedSchema } from '../db/tenant-schema.js';
import { AppError, fieldError } from '../errors.js';
import { enqueue } from '../jobs/queue.js';
import { recordAudit, type AuditContext } from './audit.js';
import { recordPlatformAction, superadminOf, type SuperadminActor } from './platform-audit.js';
import { TENANT_STATUS_CHANNEL } from './provisioning.js';
import { findAnyTenant } from './tenants.js';

/** Where a tenant's objects live: every key under `<tenantId>/` in this bucket. */
export interface TenantStorage {
  s3: S3Client;
  bucket: string;
  /** Keys per ListObjectsV2 page (S3's maximum and default: 1000; tests use fewer to cross pages). */
  pageSize?: number;
}

export const purgeJobKey = (tenantId: string) => `tenant_purge:${tenantId}`;

const conflict = (message: string) => new AppError({ code: 'CONFLICT', appCode: 'CONFLICT', message });

/**
 * The owner deletes the organisation: it becomes `deleting` at once (no member reaches it, it leaves every
 * list and every current-tenant pointer), and a purge job is queued for the end of the grace period, all in
 * one transaction. A superadmin can restore it until the purge runs.
 */
export async function requestDeletion(
  em: EntityManager,
  tenant: Tenant,
  user: User,
  input: TenantDeleteInput,
  options: { graceMs: number; audit: AuditContext },
): Promise<Tenant> {
  if (input.confirmSlug.toLowerCase() !== tenant.slug) {
    throw new AppError({
      code: 'BAD_REQUEST',
      appCode: 'VALIDATION_FAILED',
      message: `Type "${tenant.slug}" to confirm the deletion`,
      fieldErrors: fieldError('confirmSlug', `Type "${tenant.slug}" to confirm`),
    });
  }
  await em.transactional(async (tx) => {
    const rows = await tx.execute<{ id: string; purge_after: Date }[]>(
      `with changed as (
         update tenants set status = 'deleting', deletion_requested_at = now(), deletion_requested_by = ?,
                purge_after = now() + ? * interval '1 millisecond', updated_at = now()
          where id = ? and status in ('ready', 'suspended') returning id, purge_after
       ) select pg_notify('${TENANT_STATUS_CHANNEL}', id::text), id, purge_after from changed`,
      [user.id, options.graceMs, tenant.id],
    );
    const changed = rows[0];
    if (!changed) throw conflict(`${tenant.name} cannot be deleted now; it is ${tenant.status}`);
    await tx.execute('update users set current_tenant_id = null where current_tenant_id = ?', [tenant.id]);
    await recordAudit(
      tx,
      options.audit,
      {
        action: 'tenant.deletion_requested',
        targetType: 'tenant',
        targetId: tenant.id,
        before: { status: tenant.status },
        after: { status: 'deleting', purgeAfter: new Date(changed.purge_after).toISOString() },
      },
      tenant.schemaName,
    );
    await enqueue(
      tx,
      'tenant_purge',
      { tenantId: tenant.id },
      { jobKey: purgeJobKey(tenant.id), runAt: new Date(changed.purge_after) },
    );
  });
  if (user.currentTenantId === tenant.id) user.currentTenantId = null;
  return findAnyTenant(em.fork(), tenant.id);
}

/** Restores a tenant during its grace period: ready again, its purge job removed (and a no-op if it already runs). */
export async function restoreTenant(em: EntityManager, id: string, audit: AuditContext): Promise<Tenant> {
  const tenant = await findAnyTenant(em, id);
  await em.transactional(async (tx) => {
    // The purge locks the row too: either it finished first (and the tenant is `deleted`) or it will skip.
    const rows = await tx.execute<{ id: string }[]>(
      `with changed as (
         update tenants set status = 'ready', deletion_requested_at = null, deletion_requested_by = null,
                purge_after = null, updated_at = now()
          where id = ? and status = 'deleting' returning id
       ) select pg_notify('${TENANT_STATUS_CHANNEL}', id::text), id from changed`,
      [id],
    );
    if (!rows.length)
      throw conflict(`Only an organisation being deleted can be restored; ${tenant.name} is ${tenant.status}`);
    // A job that is running is locked and stays; it re-reads the status and does nothing.
    await tx.execute('select graphile_worker.remove_job(?)', [purgeJobKey(id)]);
    await recordAudit(
      tx,
      audit,
      {
        action: 'tenant.restored',
        targetType: 'tenant',
        targetId: id,
        before: { status: 'deleting', purgeAfter: tenant.purgeAfter?.toISOString() ?? null },
        after: { status: 'ready' },
      },
      tenant.schemaName,
    );
    await recordPlatformAction(tx, {
      superadmin: superadminOf(audit),
      tenantId: id,
      procedure: 'admin.tenants.restore',
    });
  });
  return findAnyTenant(em.fork(), id);
}

const TABLE_NAME = /^[a-z_][a-z0-9_]*$/;

/** Rows per table of a tenant schema (empty when the schema is gone). */
async function rowCounts(em: EntityManager, schemaName: string): Promise<Record<string, number>> {
  const schema = quotedSchema(schemaName);
  const tables = await em.execute<{ table_name: string }[]>(
    `select table_name from information_schema.tables
      where table_schema = ? and table_type = 'BASE TABLE' order by table_name`,
    [schemaName],
  );
  const counts: Record<string, number> = {};
  for (const { table_name: table } of tables) {
    if (!TABLE_NAME.test(table)) throw new Error(`Unexpected table name in ${schemaName}: ${JSON.stringify(table)}`);
    const [row] = await em.execute<{ n: string }[]>(`select count(*) as n from ${schema}."${table}"`);
    counts[table] = Number(row?.n ?? 0);
  }
  return counts;
}

interface ObjectTally {
  objects: number;
  bytes: number;
}

/**
 * Walks every object under `<tenantId>/`, a page at a time, handing each page to `onPage`. The next page
 * starts after the last key seen (`StartAfter`), which stays right while the walk deletes what it has seen
 * and is the same on every S3. s3rver still encrypts a continuation token into every truncated answer with
 * single DES, which Node 20's OpenSSL 3 lacks; the local stack's shim (local-stack/s3.ts) covers that.
 */
async function forEachObjectPage(
  storage: TenantStorage,
  tenantId: string,
  onPage: (keys: string[]) => Promise<void>,
): Promise<ObjectTally> {
  const tally: ObjectTally = { objects: 0, bytes: 0 };
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
    const keys: string[] = [];
    for (const object of page.Contents ?? []) {
      if (!object.Key) continue;
      keys.push(object.Key);
      tally.objects += 1;
      tally.bytes += object.Size ?? 0;
    }
    if (keys.length) await onPage(keys);
    if (!page.IsTruncated || !keys.length) return tally;
    startAfter = keys[keys.length - 1];
  }
}

/** Deletes one page of keys (at most 1000, DeleteObjects' limit); any key S3 could not delete fails the purge. */
async function deleteKeys(storage: TenantStorage, keys: string[]): Promise<void> {
  const result = await storage.s3.send(
    new DeleteObjectsCommand({
      Bucket: storage.bucket,
      Delete: { Objects: keys.map((Key) => ({ Key })), Quiet: true },
    }),
  );
  const failed = result.Errors ?? [];
  if (failed.length) {
    const first = failed[0];
    throw new Error(
      `S3 refused to delete ${failed.length} object(s), e.g. ${first?.Key}: ${first?.Code} ${first?.Message}`,
    );
  }
}

async function controlCounts(
  em: EntityManager,
  tenantId: string,
): Promise<{ memberships: number; invitations: number }> {
  const [row] = await em.execute<{ memberships: string; invitations: string }[]>(
    `select (select count(*) from memberships where tenant_id = ?) as memberships,
            (select count(*) from invitations where tenant_id = ?) as invitations`,
    [tenantId, tenantId],
  );
  return { memberships: Number(row?.memberships ?? 0), invitations: Number(row?.invitations ?? 0) };
}

export type PurgeOutcome =
  { outcome: 'purged'; summary: TenantDeletionSummary } | { outcome: 'skipped'; reason: string };

/**
 * Removes a deleted tenant's data for good: its schema, every object under its prefix, its memberships and
 * invitations. The tenant's row stays as the record (`deleted`, when, who asked, what was removed). Runs under
 * the row's lock and only for a tenant still `deleting` whose grace period is over, so a restored tenant, a
 * purge that already ran or a second concurrent run does nothing. A failure rolls the database back; the
 * objects already removed stay removed and the next attempt carries on. Each purge is recorded in the
 * platform audit, in its transaction, as the superadmin's (`by`) or the job's (null).
 */
export async function purgeTenant(
  em: EntityManager,
  storage: TenantStorage,
  tenantId: string,
  by: SuperadminActor | null,
): Promise<PurgeOutcome> {
  return em.fork().transactional(async (tx) => {
    const [row] = await tx.execute<{ status: TenantStatus; slug: string; schema_name: string; due: boolean }[]>(
      `select status, slug, schema_name, purge_after is not null and purge_after <= now() as due
         from tenants where id = ? for update`,
      [tenantId],
    );
    if (!row) return { outcome: 'skipped', reason: 'no such tenant' };
    if (row.status !== 'deleting') return { outcome: 'skipped', reason: `tenant is ${row.status}` };
    if (!row.due) return { outcome: 'skipped', reason: 'grace period not over' };

    const tables = await rowCounts(tx, row.schema_name);
    const { objects, bytes } = await forEachObjectPage(storage, tenantId, (keys) => deleteKeys(storage, keys));
    await tx.execute(`drop schema if exists ${quotedSchema(row.schema_name)} cascade`);
    const memberships = await tx.execute<{ id: string }[]>(
      'delete from memberships where tenant_id = ? returning tenant_id as id',
      [tenantId],
    );
    const invitations = await tx.execute<{ id: string }[]>('delete from invitations where tenant_id = ? returning id', [
      tenantId,
    ]);
    const summary: TenantDeletionSummary = {
      schema: row.schema_name,
      tables,
      objects,
      objectBytes: bytes,
      memberships: memberships.length,
      invitations: invitations.length,
    };
    await tx.execute(
      `with changed as (
         update tenants set status = 'deleted', deleted_at = now(), deletion_summary = ?::jsonb, domain = null,
                storage_bytes = 0, updated_at = now()
          where id = ? returning id
       ) select pg_notify('${TENANT_STATUS_CHANNEL}', id::text) from changed`,
      [JSON.stringify(summary), tenantId],
    );
    await recordPlatformAction(tx, {
      superadmin: by,
      tenantId,
      procedure: by ? 'admin.tenants.purge' : ('tenant.purged' satisfies AuditAction),
      details: { slug: row.slug, summary },
    });
    return { outcome: 'purged', summary };
  });
}

/** Tenants whose grace period is over, oldest first. */
async function dueTenants(em: EntityManager, limit: number): Promise<{ rows: Tenant[]; total: number }> {
  const where = { status: 'deleting' as const, purgeAfter: { $lte: new Date() } };
  const [rows, total] = await Promise.all([
    em.find(TenantSchema, where, { orderBy: { purgeAfter: 'asc', id: 'asc' }, limit }),
    em.count(TenantSchema, where),
  ]);
  return { rows, total };
}

/** A dry run of the next purge: the tenants it would take (at most `max`) and what each would lose. */
export async function purgePlan(em: EntityManager, storage: TenantStorage, max: number): Promise<PurgePlan> {
  const { rows, total } = await dueTenants(em, max);
  const items = [];
  for (const t of rows) {
    const [tables, tally, control] = await Promise.all([
      rowCounts(em.fork(), t.schemaName),
      forEachObjectPage(storage, t.id, async () => {}),
      controlCounts(em.fork(), t.id),
    ]);
    items.push({
      id: t.id,
      slug: t.slug,
      name: t.name,
      deletionRequestedAt: t.deletionRequestedAt?.toISOString() ?? null,
      deletionRequestedBy: t.deletionRequestedBy ?? null,
      purgeAfter: (t.purgeAfter ?? new Date()).toISOString(),
      would: {
        schema: t.schemaName,
        tables,
        objects: tally.objects,
        objectBytes: tally.bytes,
        ...control,
      },
    });
  }
  return { max, remaining: Math.max(0, total - rows.length), items };
}

/** A superadmin's purge run now: at most `max` tenants past their grace period, each recorded as theirs. */
export async function purgeDue(
  em: EntityManager,
  storage: TenantStorage,
  max: number,
  audit: AuditContext,
): Promise<PurgeResult> {
  const { rows } = await dueTenants(em, max);
  const purged: PurgeResult['purged'] = [];
  for (const t of rows) {
    const result = await purgeTenant(em, storage, t.id, superadminOf(audit));
    if (result.outcome !== 'purged') continue;
    purged.push({ id: t.id, slug: t.slug, summary: result.summary });
  }
  const remaining = await em.fork().count(TenantSchema, { status: 'deleting', purgeAfter: { $lte: new Date() } });
  return { purged, remaining };
}
