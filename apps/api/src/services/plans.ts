/**
 * Plans (DESIGN §4): the catalogue, the plan in force for a tenant, and changing it. A change is checked
 * against what the tenant uses now (members, storage) under a lock of the tenant row, takes effect at
 * once, is audited in the tenant's log and kept in the tenant's plan history.
 */
import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import {
  effectivePlan,
  FEATURE_LABELS,
  PLANS,
  plansWithFeature,
  PlanId,
  type Feature,
  type PlanChangeEntry,
  type PlanInfo,
  type PlanOverage,
  type PlanOverrides,
  type TenantPlan,
} from '@tenantry/shared';
import { PlanChangeSchema, TenantSchema, type PlanChange, type Tenant } from '../db/control/index.js';
import { AppError } from '../errors.js';
import { recordAudit, type AuditContext } from './audit.js';

export function listPlans(): PlanInfo[] {
  return PlanId.options.map((id) => {
    const plan = PLANS[id];
    return {
      id,
      name: plan.name,
      maxUsers: plan.maxUsers,
      storageBytes: plan.storageBytes,
      apiRequestsPerDay: plan.apiRequestsPerDay,
      features: [...plan.features],
      superadminOnly: id === 'custom',
    };
  });
}

export function tenantPlanOf(tenant: Pick<Tenant, 'plan' | 'planOverrides'>): TenantPlan {
  const plan = effectivePlan(tenant.plan, tenant.planOverrides);
  return {
    plan: tenant.plan,
    name: plan.name,
    maxUsers: plan.maxUsers,
    storageBytes: plan.storageBytes,
    apiRequestsPerDay: plan.apiRequestsPerDay,
    features: [...plan.features],
    overrides: tenant.plan === 'custom' ? (tenant.planOverrides ?? null) : null,
  };
}

/** The features and limits in force for a tenant (`tenants.current`, what the SPA's `useFeature` reads). */
export function planFieldsOf(tenant: Pick<Tenant, 'plan' | 'planOverrides'>): Pick<TenantPlan, 'features'> & {
  limits: Pick<TenantPlan, 'maxUsers' | 'storageBytes' | 'apiRequestsPerDay'>;
} {
  const { features, maxUsers, storageBytes, apiRequestsPerDay } = tenantPlanOf(tenant);
  return { features, limits: { maxUsers, storageBytes, apiRequestsPerDay } };
}

export function effectivePlanName(tenant: Pick<Tenant, 'plan' | 'planOverrides'>): string {
  return effectivePlan(tenant.plan, tenant.planOverrides).name;
}

export function hasFeature(tenant: Pick<Tenant, 'plan' | 'planOverrides'>, feature: Feature): boolean {
  return effectivePlan(tenant.plan, tenant.planOverrides).features.includes(feature);
}

function toEntry(row: PlanChange): PlanChangeEntry {
  return {
    id: row.id,
    fromPlan: row.fromPlan ?? null,
    toPlan: row.toPlan,
    overrides: row.overrides ?? null,
    changedByEmail: row.changedByEmail ?? null,
    bySuperadmin: row.bySuperadmin,
    changedAt: new Date(row.changedAt).toISOString(),
  };
}

/** The tenant's plans, newest first. */
export async function planHistory(em: EntityManager, tenantId: string, limit = 100): Promise<PlanChangeEntry[]> {
  const rows = await em.find(PlanChangeSchema, { tenantId }, { orderBy: { changedAt: 'desc', id: 'desc' }, limit });
  return rows.map(toEntry);
}

/** The first row of a tenant's plan history, written with the tenant itself. */
export async function recordInitialPlan(
  em: EntityManager,
  tenant: { id: string; plan: PlanId; planOverrides?: PlanOverrides | null },
  by: { id: string; email: string } | null,
): Promise<void> {
  await em.insert(PlanChangeSchema, {
    id: randomUUID(),
    tenantId: tenant.id,
    fromPlan: null,
    toPlan: tenant.plan,
    overrides: tenant.planOverrides ?? null,
    changedBy: by?.id ?? null,
    changedByEmail: by?.email ?? null,
    bySuperadmin: false,
    changedAt: new Date(),
  });
}

/** What the tenant uses now of the limits a plan change is checked against. */
export async function currentUse(
  em: EntityManager,
  tenantId: string,
): Promise<{ members: number; storageBytes: number }> {
  const [row] = await em.execute<Array<{ members: string | number; storage_bytes: string | number }>>(
    `select (select count(*) from memberships m where m.tenant_id = t.id) as members, t.storage_bytes
       from tenants t where t.id = ?`,
    [tenantId],
  );
  return { members: Number(row?.members ?? 0), storageBytes: Number(row?.storage_bytes ?? 0) };
}

/** The limits `target` would break, each with how far over the tenant is. */
export function overagesFor(
  use: { members: number; storageBytes: number },
  target: { maxUsers: number | null; storageBytes: number | null },
): PlanOverage[] {
  const overages: PlanOverage[] = [];
  if (target.maxUsers !== null && use.members > target.maxUsers) {
    overages.push({
      limit: 'maxUsers',
      inUse: use.members,
      allowed: target.maxUsers,
      over: use.members - target.maxUsers,
    });
  }
  if (target.storageBytes !== null && use.storageBytes > target.storageBytes) {
    overages.push({
      limit: 'storageBytes',
      inUse: use.storageBytes,
      allowed: target.storageBytes,
      over: use.storageBytes - target.storageBytes,
    });
  }
  return overages;
}

const GIB = 1024 ** 3;

function describeOverage(o: PlanOverage): string {
  return o.limit === 'maxUsers'
    ? `${o.inUse} members where the plan allows ${o.allowed} (${o.over} over)`
    : `${(o.inUse / GIB).toFixed(2)} GB stored where the plan allows ${(o.allowed / GIB).toFixed(2)} GB (${(o.over / GIB).toFixed(2)} GB over)`;
}

export interface PlanChangeActor {
  audit: AuditContext;
  bySuperadmin: boolean;
}

/**
 * Puts a tenant on `plan` (with `overrides` for custom). Refused with PLAN_LIMIT and the overages when
 * the tenant uses more than the new plan allows. Returns the updated tenant.
 */
export async function changePlan(
  em: EntityManager,
  tenantId: string,
  plan: PlanId,
  overrides: PlanOverrides | undefined,
  actor: PlanChangeActor,
): Promise<Tenant> {
  const nextOverrides = plan === 'custom' ? (overrides ?? null) : null;
  await em.transactional(async (tx) => {
    // The row lock orders this change with invitations and joins, which check seats under the same lock.
    const [locked] = await tx.execute<
      Array<{ plan: PlanId; plan_overrides: PlanOverrides | null; schema_name: string; schema_version: number }>
    >('select plan, plan_overrides, schema_name, schema_version from tenants where id = ? for update', [tenantId]);
    if (!locked) throw new AppError({ code: 'NOT_FOUND', appCode: 'NOT_FOUND', message: 'Organisation not found' });
    const current = { plan: locked.plan, planOverrides: locked.plan_overrides };
    if (current.plan === plan && JSON.stringify(current.planOverrides ?? null) === JSON.stringify(nextOverrides)) {
      return; // nothing changes: no history row, no audit row
    }
    const target = effectivePlan(plan, nextOverrides);
    const overages = overagesFor(await currentUse(tx, tenantId), target);
    if (overages.length) {
      throw new AppError({
        code: 'CONFLICT',
        appCode: 'PLAN_LIMIT',
        message: `The ${target.name} plan is too small for this organisation: ${overages.map(describeOverage).join('; ')}.`,
        details: { plan, overages },
      });
    }
    await tx.nativeUpdate(
      TenantSchema,
      { id: tenantId },
      { plan, planOverrides: nextOverrides, updatedAt: new Date() },
    );
    await tx.insert(PlanChangeSchema, {
      id: randomUUID(),
      tenantId,
      fromPlan: current.plan,
      toPlan: plan,
      overrides: nextOverrides,
      changedBy: actor.audit.actorId,
      changedByEmail: actor.audit.actorEmail,
      bySuperadmin: actor.bySuperadmin,
      changedAt: new Date(),
    });
    // A tenant still being provisioned has no audit table yet: its plan history keeps the change.
    if (locked.schema_version === 0) return;
    await recordAudit(
      tx,
      actor.audit,
      {
        action: 'tenant.plan_changed',
        targetType: 'tenant',
        targetId: tenantId,
        before: { plan: current.plan, overrides: current.planOverrides ?? null },
        after: { plan, overrides: nextOverrides },
      },
      locked.schema_name,
    );
  });
  const updated = await em.findOne(TenantSchema, { id: tenantId }, { refresh: true });
  if (!updated) throw new AppError({ code: 'NOT_FOUND', appCode: 'NOT_FOUND', message: 'Organisation not found' });
  return updated;
}

/** FORBIDDEN / FEATURE_DISABLED naming the plans that include `feature`. */
export function featureDisabled(feature: Feature, planName: string): AppError {
  const plans = plansWithFeature(feature);
  const names = plans.map((id) => PLANS[id].name);
  return new AppError({
    code: 'FORBIDDEN',
    appCode: 'FEATURE_DISABLED',
    message: `${FEATURE_LABELS[feature]} is not included in the ${planName} plan${names.length ? `; it comes with ${names.join(' and ')}` : ''}.`,
    details: { feature, plans },
  });
}
