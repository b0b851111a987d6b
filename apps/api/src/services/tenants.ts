import { randomBytes, randomUUID } from 'node:crypto';
import { UniqueConstraintViolationException, type EntityManager } from '@mikro-orm/postgresql';
import {
  effectivePlan,
  Slug,
  slugFromName,
  type CreateTenantInput,
  type MyTenant,
  type PlanId,
  type PlanOverrides,
  type Role,
  type Tenant as TenantModel,
  type TenantStatus,
  type TenantStatusInfo,
  type UpdateTenantInput,
} from '@tenantry/shared';
import { MembershipSchema, TenantSchema, UserSchema, type Tenant, type User } from '../db/control/index.js';
import { tenantSchemaName } from '../db/tenant-schema.js';
import { AppError, fieldError } from '../errors.js';
import { enqueue } from '../jobs/queue.js';
import { recordInitialPlan } from './plans.js';
import { changedFields, recordAudit, type AuditContext } from './audit.js';

export interface TenantSettings {
  maxInFlightPerUser: number;
  provisionMaxAttempts: number;
}

/** Statuses in which a tenant no longer exists for its members. */
export const GONE_STATUSES: readonly TenantStatus[] = ['deleting', 'deleted'];

export const tenantNotFound = () =>
  new AppError({ code: 'NOT_FOUND', appCode: 'NOT_FOUND', message: 'No such organisation' });

export function toTenantModel(t: Tenant): TenantModel {
  return {
    id: t.id,
    slug: t.slug,
    name: t.name,
    domain: t.domain ?? null,
    plan: t.plan,
    status: t.status,
    schemaVersion: t.schemaVersion,
    createdAt: t.createdAt.toISOString(),
    updatedAt: t.updatedAt.toISOString(),
  };
}

export function toStatusInfo(t: Tenant): TenantStatusInfo {
  return {
    id: t.id,
    status: t.status,
    step: t.provisionStep ?? null,
    error: t.preparationError ?? null,
    attempts: t.preparationAttempts,
    createdAt: t.createdAt.toISOString(),
    preparationStartedAt: t.preparationStartedAt?.toISOString() ?? null,
    preparationCompletedAt: t.preparationCompletedAt?.toISOString() ?? null,
    updatedAt: t.updatedAt.toISOString(),
  };
}

export function maxUsersOf(plan: PlanId, overrides: PlanOverrides | null | undefined): number | null {
  return effectivePlan(plan, overrides).maxUsers;
}

async function slugTaken(em: EntityManager, slug: string, exceptId?: string): Promise<boolean> {
  const found = await em.findOne(TenantSchema, { slug }, { fields: ['id'] });
  return Boolean(found && found.id !== exceptId);
}

/** A free slug for a name: the name's own when valid and free, else with a short random suffix. */
async function deriveSlug(em: EntityManager, name: string): Promise<string> {
  let base = slugFromName(name);
  if (!Slug.safeParse(base).success) base = `org-${base}`.replace(/-+$/, '').slice(0, 40);
  if (Slug.safeParse(base).success && !(await slugTaken(em, base))) return base;
  for (let i = 0; i < 5; i++) {
    const candidate = `${base.slice(0, 40)}-${randomBytes(3).toString('hex')}`;
    if (!(await slugTaken(em, candidate))) return candidate;
  }
  throw new AppError({ code: 'CONFLICT', appCode: 'CONFLICT', message: 'Could not find a free address; choose one' });
}

const slugConflict = (slug: string) =>
  new AppError({
    code: 'CONFLICT',
    appCode: 'CONFLICT',
    message: `The address "${slug}" is taken`,
    fieldErrors: fieldError('slug', 'This address is taken'),
  });

/**
 * Writes the tenant as `pending` with the caller as owner and queues its provisioning, in one transaction:
 * the job exists exactly when the tenant does. Returns at once; the worker does the rest.
 */
export async function createTenant(
  em: EntityManager,
  user: User,
  input: CreateTenantInput,
  settings: TenantSettings,
): Promise<TenantStatusInfo & { slug: string }> {
  try {
    return await em.transactional(async (tx) => {
      // One creation at a time per user, so the in-flight count below cannot be raced past.
      await tx.execute('select pg_advisory_xact_lock(hashtext(?))', [`tenant-create:${user.id}`]);
      const inFlight = await tx.count(TenantSchema, { createdBy: user.id, status: { $in: ['pending', 'preparing'] } });
      if (inFlight >= settings.maxInFlightPerUser) {
        throw new AppError({
          code: 'TOO_MANY_REQUESTS',
          appCode: 'RATE_LIMITED',
          message: `You already have ${inFlight} organisations being prepared; wait until one is ready`,
          retryAfterSeconds: 5,
        });
      }
      let slug: string;
      if (input.slug) {
        if (await slugTaken(tx, input.slug)) throw slugConflict(input.slug);
        slug = input.slug;
      } else {
        slug = await deriveSlug(tx, input.name);
      }
      const id = randomUUID();
      const tenant = tx.create(TenantSchema, {
        id,
        slug,
        name: input.name,
        schemaName: tenantSchemaName(id),
        createdBy: user.id,
      });
      tx.create(MembershipSchema, { tenant: id, user: user.id, role: 'owner' });
      await tx.flush();
      await recordInitialPlan(tx, { id, plan: tenant.plan }, user);
      await enqueue(
        tx,
        'provision_tenant',
        { tenantId: id },
        {
          jobKey: `provision_tenant:${id}`,
          maxAttempts: settings.provisionMaxAttempts,
        },
      );
      return { ...toStatusInfo(tenant), slug };
    });
  } catch (err) {
    if (err instanceof UniqueConstraintViolationException) throw slugConflict(input.slug ?? input.name);
    throw err;
  }
}

/** The caller's tenant with their role, or NOT_FOUND: a tenant one does not belong to does not exist for them. */
export async function findMemberTenant(
  em: EntityManager,
  tenantId: string,
  userId: string,
): Promise<{ tenant: Tenant; role: Role }> {
  const membership = await em.findOne(MembershipSchema, { tenant: tenantId, user: userId }, { populate: ['tenant'] });
  if (!membership || GONE_STATUSES.includes(membership.tenant.status)) throw tenantNotFound();
  return { tenant: membership.tenant, role: membership.role };
}

/** A tenant a superadmin asked for (they reach any), or NOT_FOUND. */
export async function findAnyTenant(em: EntityManager, tenantId: string): Promise<Tenant> {
  const tenant = await em.findOne(TenantSchema, { id: tenantId });
  if (!tenant || tenant.status === 'deleted') throw tenantNotFound();
  return tenant;
}

/** The caller's tenants, each with their role and how many members it has. */
export async function myTenants(em: EntityManager, user: User): Promise<MyTenant[]> {
  const rows = await em.execute<
    {
      id: string;
      member_count: string;
      role: Role;
    }[]
  >(
    `select m.tenant_id as id, m.role,
            (select count(*) from memberships c where c.tenant_id = m.tenant_id) as member_count
       from memberships m join tenants t on t.id = m.tenant_id
      where m.user_id = ? and t.status not in ('deleting', 'deleted')`,
    [user.id],
  );
  if (!rows.length) return [];
  const tenants = await em.find(TenantSchema, { id: { $in: rows.map((r) => r.id) } }, { orderBy: { name: 'asc' } });
  const byId = new Map(rows.map((r) => [r.id, r]));
  return tenants.map((t) => {
    const row = byId.get(t.id);
    return {
      ...toTenantModel(t),
      role: row?.role ?? 'viewer',
      memberCount: Number(row?.member_count ?? 0),
      maxUsers: maxUsersOf(t.plan, t.planOverrides),
      current: user.currentTenantId === t.id,
    };
  });
}

export async function memberCount(em: EntityManager, tenantId: string): Promise<number> {
  return em.count(MembershipSchema, { tenant: tenantId });
}

/** Makes a tenant the user's current one; they must be a member of it. */
export async function switchTenant(em: EntityManager, user: User, tenantId: string): Promise<Tenant> {
  const { tenant } = await findMemberTenant(em, tenantId, user.id);
  await em.nativeUpdate(UserSchema, { id: user.id }, { currentTenantId: tenant.id });
  user.currentTenantId = tenant.id;
  return tenant;
}

/** Renames the tenant or changes its address or domain; audited in the same transaction. */
export async function updateTenant(
  em: EntityManager,
  tenant: Tenant,
  input: UpdateTenantInput,
  audit: AuditContext,
): Promise<Tenant> {
  if (input.slug !== undefined && input.slug !== tenant.slug && (await slugTaken(em, input.slug, tenant.id))) {
    throw slugConflict(input.slug);
  }
  if (input.domain) {
    const other = await em.findOne(TenantSchema, { domain: input.domain }, { fields: ['id'] });
    if (other && other.id !== tenant.id) {
      throw new AppError({
        code: 'CONFLICT',
        appCode: 'CONFLICT',
        message: `The domain "${input.domain}" is used by another organisation`,
        fieldErrors: fieldError('domain', 'This domain is used by another organisation'),
      });
    }
  }
  const changes = changedFields(
    { name: tenant.name, slug: tenant.slug, domain: tenant.domain ?? null },
    { name: input.name, slug: input.slug, domain: input.domain },
  );
  if (!changes) return tenant;
  try {
    await em.transactional(async (tx) => {
      await tx.nativeUpdate(TenantSchema, { id: tenant.id }, { ...changes.after, updatedAt: new Date() });
      await recordAudit(tx, audit, { action: 'tenant.updated', targetType: 'tenant', targetId: tenant.id, ...changes });
    });
  } catch (err) {
    if (err instanceof UniqueConstraintViolationException) throw slugConflict(input.slug ?? '');
    throw err;
  }
  const updated = await em.findOne(TenantSchema, { id: tenant.id }, { refresh: true });
  if (!updated) throw tenantNotFound();
  return updated;
}
