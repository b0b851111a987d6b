import type { EntityManager } from '@mikro-orm/postgresql';
import type { AdminTenant, AdminTenantListInput, TenantStatus } from '@tenantry/shared';
import { TenantSchema, type Tenant } from '../db/control/index.js';
import { AppError } from '../errors.js';
import { enqueue } from '../jobs/queue.js';
import { TENANT_STATUS_CHANNEL } from './provisioning.js';
import { recordAudit, type AuditContext } from './audit.js';
import { afterCursor, decodeCursor, pageOf, type Page } from './cursor.js';
import { findAnyTenant, toTenantModel } from './tenants.js';

/** A provisioning run that has not moved for this long is taken as dead (its worker was killed). */
export const STUCK_AFTER_MS = 5 * 60 * 1000;

export function toAdminTenant(t: Tenant, memberCount: number): AdminTenant {
  return {
    ...toTenantModel(t),
    memberCount,
    step: t.provisionStep ?? null,
    error: t.preparationError ?? null,
    attempts: t.preparationAttempts,
    preparationStartedAt: t.preparationStartedAt?.toISOString() ?? null,
    preparationCompletedAt: t.preparationCompletedAt?.toISOString() ?? null,
    provisioningMs:
      t.preparationStartedAt && t.preparationCompletedAt
        ? t.preparationCompletedAt.getTime() - t.preparationStartedAt.getTime()
        : null,
    deletionRequestedAt: t.deletionRequestedAt?.toISOString() ?? null,
    purgeAfter: t.purgeAfter?.toISOString() ?? null,
    deletedAt: t.deletedAt?.toISOString() ?? null,
  };
}

async function memberCounts(em: EntityManager, ids: string[]): Promise<Map<string, number>> {
  if (!ids.length) return new Map();
  const rows = await em.execute<{ tenant_id: string; n: string }[]>(
    'select tenant_id, count(*) as n from memberships where tenant_id in (?) group by tenant_id',
    [ids],
  );
  return new Map(rows.map((r) => [r.tenant_id, Number(r.n)]));
}

export async function listAllTenants(em: EntityManager, input: AdminTenantListInput): Promise<Page<AdminTenant>> {
  const limit = input.limit ?? 50;
  const search = input.search?.replace(/[\\%_]/g, '\\$&');
  const rows = await em.find(
    TenantSchema,
    {
      ...(input.status ? { status: input.status } : { status: { $ne: 'deleted' } }),
      ...(search ? { $or: [{ name: { $ilike: `%${search}%` } }, { slug: { $ilike: `%${search}%` } }] } : {}),
      ...afterCursor(decodeCursor(input.cursor)),
    },
    { orderBy: { createdAt: 'desc', id: 'desc' }, limit: limit + 1 },
  );
  const counts = await memberCounts(
    em,
    rows.map((r) => r.id),
  );
  return pageOf(rows, limit, (t) => toAdminTenant(t, counts.get(t.id) ?? 0));
}

export async function tenantStatusCounts(em: EntityManager): Promise<Partial<Record<TenantStatus, number>>> {
  const rows = await em.execute<{ status: TenantStatus; n: string }[]>(
    'select status, count(*) as n from tenants group by status',
  );
  return Object.fromEntries(rows.map((r) => [r.status, Number(r.n)]));
}

const conflict = (message: string) => new AppError({ code: 'CONFLICT', appCode: 'CONFLICT', message });

async function transition(em: EntityManager, id: string, assignments: string, from: string[]): Promise<boolean> {
  const rows = await em.execute<{ id: string }[]>(
    `with changed as (
       update tenants set ${assignments}, updated_at = now() where id = ? and status in (?) returning id
     ) select pg_notify('${TENANT_STATUS_CHANNEL}', id::text), id from changed`,
    // MikroORM expands an array parameter into a list: `in (?)`, not `any(?)`.
    [id, from],
  );
  return rows.length > 0;
}

/** Starts provisioning again for a failed tenant (or one whose run died), from where it stopped. */
export async function retryProvisioning(em: EntityManager, id: string, maxAttempts: number): Promise<Tenant> {
  const tenant = await findAnyTenant(em, id);
  const stuck =
    (tenant.status === 'preparing' || tenant.status === 'pending') &&
    Date.now() - tenant.updatedAt.getTime() > STUCK_AFTER_MS;
  if (tenant.status !== 'failed' && !stuck) {
    throw conflict(`Only a failed organisation can be retried; ${tenant.name} is ${tenant.status}`);
  }
  await em.transactional(async (tx) => {
    await transition(tx, id, `status = 'pending', preparation_error = null, preparation_attempts = 0`, [tenant.status]);
    await enqueue(tx, 'provision_tenant', { tenantId: id }, { jobKey: `provision_tenant:${id}`, maxAttempts });
  });
  return findAnyTenant(em.fork(), id);
}

/** Suspends or resumes a tenant, with the superadmin's row in the tenant's own audit, in one transaction. */
async function setSuspended(em: EntityManager, id: string, suspend: boolean, audit: AuditContext): Promise<Tenant> {
  const tenant = await findAnyTenant(em, id);
  await em.transactional(async (tx) => {
    const changed = await transition(tx, id, `status = '${suspend ? 'suspended' : 'ready'}'`, [
      suspend ? 'ready' : 'suspended',
    ]);
    if (!changed) {
      throw conflict(
        suspend
          ? `Only a ready organisation can be suspended; ${tenant.name} is ${tenant.status}`
          : `Only a suspended organisation can be resumed; ${tenant.name} is ${tenant.status}`,
      );
    }
    await recordAudit(
      tx,
      audit,
      {
        action: suspend ? 'tenant.suspended' : 'tenant.resumed',
        targetType: 'tenant',
        targetId: id,
        before: { status: tenant.status },
        after: { status: suspend ? 'suspended' : 'ready' },
      },
      tenant.schemaName,
    );
  });
  return findAnyTenant(em.fork(), id);
}

export const suspendTenant = (em: EntityManager, id: string, audit: AuditContext) => setSuspended(em, id, true, audit);
export const resumeTenant = (em: EntityManager, id: string, audit: AuditContext) => setSuspended(em, id, false, audit);
