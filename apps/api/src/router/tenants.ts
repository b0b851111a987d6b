import {
  ChangePlanInput,
  CreateTenantInput,
  PlanChangeEntry,
  TenantPlan,
  CurrentTenant,
  MyTenant,
  Tenant,
  TenantDeleteInput,
  TenantStatusInfo,
  UpdateTenantInput,
  type TenantStatus,
} from '@tenantry/shared';
import { z } from 'zod';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { User } from '../db/control/index.js';
import {
  createTenant,
  findAnyTenant,
  findMemberTenant,
  maxUsersOf,
  memberCount,
  myTenants,
  switchTenant,
  toStatusInfo,
  toTenantModel,
  updateTenant,
} from '../services/tenants.js';
import { forgetPlatformHost } from '../services/tenant-resolution.js';
import { requestDeletion } from '../services/tenant-deletion.js';
import {
  changePlan,
  effectivePlanName,
  featureDisabled,
  hasFeature,
  planFieldsOf,
  planHistory,
  tenantPlanOf,
} from '../services/plans.js';
import { authedProcedure, requirePermission, router, tenantProcedure } from '../trpc.js';
import { exportProcedures } from './exports.js';
import { tenantHealthProcedures } from './health.js';

const ById = z.object({ id: z.uuid() });

/** Statuses after which a status stream has nothing more to say. */
const SETTLED: readonly TenantStatus[] = ['ready', 'failed', 'suspended', 'deleting', 'deleted'];
/** A status stream re-reads at least this often, even without a notification. */
const STATUS_REREAD_MS = 2000;

/** Members see their tenants' status; superadmins see any. Everyone else: NOT_FOUND. */
async function statusFor(em: EntityManager, user: User, isSuperadmin: boolean, id: string) {
  const tenant = isSuperadmin ? await findAnyTenant(em, id) : (await findMemberTenant(em, id, user.id)).tenant;
  return toStatusInfo(tenant);
}

export const tenantsRouter = router({
  // tenants.export, tenants.exports, tenants.exportDownloadUrl (router/exports.ts); tenants.health (router/health.ts)
  ...exportProcedures,
  ...tenantHealthProcedures,

  /** Creates an organisation with the caller as owner; it is `pending` until the worker has prepared it. */
  create: authedProcedure
    .input(CreateTenantInput)
    .output(TenantStatusInfo.extend({ slug: z.string() }))
    .mutation(({ ctx, input }) =>
      createTenant(ctx.em, ctx.user, input, {
        maxInFlightPerUser: ctx.services.env.TENANT_CREATE_MAX_IN_FLIGHT,
        provisionMaxAttempts: ctx.services.env.PROVISION_MAX_ATTEMPTS,
      }),
    ),

  status: authedProcedure
    .input(ById)
    .output(TenantStatusInfo)
    .query(({ ctx, input }) => statusFor(ctx.em, ctx.user, ctx.isSuperadmin, input.id)),

  /** The status now, then at every change, until it settles (SSE through httpSubscriptionLink). */
  onStatus: authedProcedure.input(ById).subscription(async function* ({ ctx, input, signal }) {
    const subscription = await ctx.services.tenantEvents.subscribe(input.id);
    try {
      let last = '';
      while (!signal?.aborted) {
        const status = await statusFor(ctx.services.orm.em.fork(), ctx.user, ctx.isSuperadmin, input.id);
        const key = `${status.status}|${status.step}|${status.attempts}|${status.error}`;
        if (key !== last) {
          last = key;
          yield status;
        }
        if (SETTLED.includes(status.status)) return;
        await subscription.wait(STATUS_REREAD_MS, signal);
      }
    } finally {
      subscription.unsubscribe();
    }
  }),

  /** The caller's organisations, with their role and seat use. */
  mine: authedProcedure.output(z.array(MyTenant)).query(({ ctx }) => myTenants(ctx.em, ctx.user)),

  /** The organisation this request runs in (explicit context, else the caller's current one). */
  current: tenantProcedure.output(CurrentTenant).query(async ({ ctx }) => ({
    ...toTenantModel(ctx.tenant),
    role: ctx.membership.role,
    viaSuperadmin: ctx.membership.viaSuperadmin,
    memberCount: await memberCount(ctx.em, ctx.tenant.id),
    maxUsers: maxUsersOf(ctx.tenant.plan, ctx.tenant.planOverrides),
    storageBytes: Number(ctx.tenant.storageBytes),
    ...planFieldsOf(ctx.tenant),
  })),

  /** Makes an organisation the caller's current one (kept across sessions). */
  switch: authedProcedure
    .input(ById)
    .output(Tenant)
    .mutation(async ({ ctx, input }) => toTenantModel(await switchTenant(ctx.em, ctx.user, input.id))),

  get: authedProcedure
    .input(ById)
    .output(CurrentTenant)
    .query(async ({ ctx, input }) => {
      const { tenant, role } = await findMemberTenant(ctx.em, input.id, ctx.user.id);
      return {
        ...toTenantModel(tenant),
        role,
        viaSuperadmin: false,
        memberCount: await memberCount(ctx.em, tenant.id),
        maxUsers: maxUsersOf(tenant.plan, tenant.planOverrides),
        storageBytes: Number(tenant.storageBytes),
        ...planFieldsOf(tenant),
      };
    }),

  /** Renames the organisation, changes its address or custom domain (owners and admins). */
  update: requirePermission('tenant.update')
    .input(UpdateTenantInput)
    .output(Tenant)
    .mutation(async ({ ctx, input }) => {
      // Removing a domain is always possible; setting one is a plan feature.
      if (input.domain && input.domain !== ctx.tenant.domain && !hasFeature(ctx.tenant, 'custom_domain')) {
        throw featureDisabled('custom_domain', effectivePlanName(ctx.tenant));
      }
      const updated = await updateTenant(ctx.em, ctx.tenant, input, ctx.audit);
      if (updated.domain) forgetPlatformHost(updated.domain);
      return toTenantModel(updated);
    }),

  /**
   * The owner deletes the organisation (typing its address to confirm): gone at once for every member, its
   * data removed after TENANT_DELETE_GRACE unless a superadmin restores it meanwhile.
   */
  delete: requirePermission('tenant.delete')
    .input(TenantDeleteInput)
    .output(TenantStatusInfo)
    .mutation(async ({ ctx, input }) => {
      const tenant = await requestDeletion(ctx.em, ctx.tenant, ctx.user, input, {
        graceMs: ctx.services.env.TENANT_DELETE_GRACE,
        audit: ctx.audit,
      });
      ctx.log.info({ tenantId: tenant.id, purgeAfter: tenant.purgeAfter }, 'tenant deletion requested');
      return toStatusInfo(tenant);
    }),

  /** The plan in force and the organisation's history of plans (any member). */
  plan: tenantProcedure
    .output(z.object({ current: TenantPlan, history: z.array(PlanChangeEntry) }))
    .query(async ({ ctx }) => ({
      current: tenantPlanOf(ctx.tenant),
      history: await planHistory(ctx.em, ctx.tenant.id),
    })),

  /** The owner moves the organisation to another catalogue plan; refused when it uses more than the plan allows. */
  changePlan: requirePermission('plan.change')
    .input(ChangePlanInput)
    .output(TenantPlan)
    .mutation(async ({ ctx, input }) => {
      const updated = await changePlan(ctx.em, ctx.tenant.id, input.plan, undefined, {
        audit: ctx.audit,
        bySuperadmin: ctx.membership.viaSuperadmin,
      });
      ctx.log.info({ plan: input.plan }, 'plan changed');
      return tenantPlanOf(updated);
    }),
});
