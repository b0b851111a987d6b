import {
  BrandingView,
  DeleteSecretInput,
  SecretSummary,
  SetConfigInput,
  SetSecretInput,
  TenantConfig,
} from '@tenantry/shared';
import { z } from 'zod';
import {
  deleteTenantSecret,
  getBranding,
  getTenantConfig,
  setTenantSecret,
  setTenantSetting,
} from '../services/tenant-config.js';
import { requirePermission, router } from '../trpc.js';

/** The tenant's settings (any member reads them) and its write-only secrets (owners and admins). */
export const configRouter = router({
  get: requirePermission('settings.read')
    .output(TenantConfig)
    .query(({ ctx }) => getTenantConfig(ctx.em, ctx.services.keyring, ctx.tenant, ctx.membership.role, ctx.log)),

  branding: requirePermission('settings.read')
    .output(BrandingView)
    .query(({ ctx }) =>
      getBranding(ctx.em, { s3: ctx.services.s3, bucket: ctx.services.env.S3_BUCKET }, ctx.tenant, ctx.log),
    ),

  set: requirePermission('settings.update')
    .input(SetConfigInput)
    .output(TenantConfig)
    .mutation(async ({ ctx, input }) => {
      await setTenantSetting(ctx.em, ctx.tenant.id, input, ctx.audit);
      return getTenantConfig(ctx.em, ctx.services.keyring, ctx.tenant, ctx.membership.role, ctx.log);
    }),

  setSecret: requirePermission('secrets.manage')
    .input(SetSecretInput)
    .output(SecretSummary)
    .mutation(({ ctx, input }) => setTenantSecret(ctx.em, ctx.services.keyring, ctx.tenant.id, input, ctx.audit)),

  deleteSecret: requirePermission('secrets.manage')
    .input(DeleteSecretInput)
    .output(z.object({ name: z.string() }))
    .mutation(async ({ ctx, input }) => {
      await deleteTenantSecret(ctx.em, ctx.tenant.id, input, ctx.audit);
      return { name: input.name };
    }),
});
