/**
 * The REST surface (issue "REST endpoints"): the paths of the seed specifications, each forwarding to one
 * procedure of the app router through a caller, so a REST call runs that procedure's middlewares — token
 * check, tenant resolution, role and plan guards, rate limits, usage, audit — exactly as a tRPC call does.
 * Nothing here implements behaviour: a route names its path, reshapes its input at most, and forwards.
 *
 * A path's `{id}` under `/api/v1/tenants/{id}` is explicit tenant context (DESIGN §3): it joins the
 * resolution's hints, so it must agree with an `X-Tenant-ID`/`X-Tenant-Slug` header (403 TENANT_MISMATCH).
 */
import {
  AuditListInput,
  AuditPage,
  AuthTokens,
  Branding,
  ChangePlanInput,
  CodeDelivery,
  ConfigKey,
  ConfirmForgotPasswordInput,
  ConfirmSignUpInput,
  CreateTenantInput,
  CreateUploadInput,
  CurrentTenant,
  Day,
  DownloadUrl,
  EmailOnlyInput,
  FileListInput,
  FileModel,
  FilePage,
  InviteMemberInput,
  Invitation,
  Locale,
  Member,
  MemberListInput,
  MemberPage,
  MyTenant,
  PlanInfo,
  PresignedUpload,
  RefreshInput,
  Role,
  SignInInput,
  SignUpInput,
  Tenant,
  TenantConfig,
  TenantDeleteInput,
  TenantPlan,
  TenantStatusInfo,
  TimeZone,
  UpdateTenantInput,
  UsageSummary,
} from '@tenantry/shared';
import { z } from 'zod';
import { TenantSchema } from '../db/control/index.js';
import { AppError } from '../errors.js';
import { appRouter } from '../router/root.js';
import { explicitTenantHints } from '../services/tenant-resolution.js';
import { createCallerFactory, forwardingProcedure, router, type Context, type Meta } from '../trpc.js';

type Method = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
type Access = NonNullable<Meta['rest']>['access'];

/** The route of a REST procedure: its method and path, a summary, a tag, who may call it, its success status. */
function route(
  method: Method,
  path: `/${string}`,
  summary: string,
  tag: string,
  access: Access,
  successStatus: 200 | 201 | 202 | 204 = 200,
): Meta {
  return {
    openapi: { method, path, summary, tags: [tag], protect: access !== 'public' },
    rest: { access, successStatus },
  };
}

const createAppCaller = createCallerFactory(appRouter);

/** A caller of the app router in this request's context; `pathTenantId` is the path's tenant, if any. */
const app = (ctx: Context, pathTenantId?: string) => createAppCaller({ ...ctx, pathTenantId });

const TenantPath = z.object({ id: z.uuid().describe('The organisation id') });
const Done = z.object({ ok: z.literal(true) });
const NoContent = z.void();

/**
 * For the routes whose procedure takes the tenant id itself (not tenant-scoped): the path still names the
 * tenant explicitly, so a header naming another one is refused the way the resolution refuses it.
 */
async function assertHeadersAgree(ctx: Context, id: string): Promise<void> {
  for (const hint of explicitTenantHints(ctx.req, ctx.services.env.BASE_DOMAIN)) {
    if (hint.source !== 'header-id' && hint.source !== 'header-slug' && hint.source !== 'query') continue;
    const named =
      hint.by === 'id'
        ? hint.value
        : (await ctx.services.orm.em.fork().findOne(TenantSchema, { slug: hint.value }, { fields: ['id'] }))?.id;
    if (named !== id) {
      throw new AppError({
        code: 'FORBIDDEN',
        appCode: 'TENANT_MISMATCH',
        message: 'The path and the request headers name different organisations',
      });
    }
  }
}

const auth = router({
  signUp: forwardingProcedure
    .meta(route('POST', '/auth/signup', 'Create an account (a confirmation code is e-mailed)', 'auth', 'public', 201))
    .input(SignUpInput)
    .output(CodeDelivery)
    .mutation(({ ctx, input }) => app(ctx).auth.signUp(input)),
  signIn: forwardingProcedure
    .meta(route('POST', '/auth/signin', 'Sign in with e-mail and password', 'auth', 'public'))
    .input(SignInInput)
    .output(AuthTokens)
    .mutation(({ ctx, input }) => app(ctx).auth.signIn(input)),
  confirm: forwardingProcedure
    .meta(route('POST', '/auth/confirm', 'Confirm an account with the e-mailed code', 'auth', 'public'))
    .input(ConfirmSignUpInput)
    .output(Done)
    .mutation(({ ctx, input }) => app(ctx).auth.confirmSignUp(input)),
  refresh: forwardingProcedure
    .meta(route('POST', '/auth/refresh', 'Exchange a refresh token for new tokens', 'auth', 'public'))
    .input(RefreshInput)
    .output(AuthTokens)
    .mutation(({ ctx, input }) => app(ctx).auth.refresh(input)),
  forgotPassword: forwardingProcedure
    .meta(route('POST', '/auth/forgot-password', 'E-mail a password reset code', 'auth', 'public'))
    .input(EmailOnlyInput)
    .output(CodeDelivery)
    .mutation(({ ctx, input }) => app(ctx).auth.forgotPassword(input)),
  resetPassword: forwardingProcedure
    .meta(route('POST', '/auth/reset-password', 'Set a new password with the e-mailed code', 'auth', 'public'))
    .input(ConfirmForgotPasswordInput)
    .output(Done)
    .mutation(({ ctx, input }) => app(ctx).auth.confirmForgotPassword(input)),
  createTenant: forwardingProcedure
    .meta(
      route(
        'POST',
        '/auth/tenants',
        'Create an organisation; it is prepared in the background',
        'tenants',
        'user',
        202,
      ),
    )
    .input(CreateTenantInput)
    .output(TenantStatusInfo.extend({ slug: z.string() }))
    .mutation(({ ctx, input }) => app(ctx).tenants.create(input)),
});

const tenants = router({
  status: forwardingProcedure
    .meta(route('GET', '/tenant-status/{id}', "An organisation's preparation status", 'tenants', 'user'))
    .input(TenantPath)
    .output(TenantStatusInfo)
    .query(async ({ ctx, input }) => {
      await assertHeadersAgree(ctx, input.id);
      return app(ctx).tenants.status(input);
    }),
  current: forwardingProcedure
    .meta(
      route('GET', '/api/v1/tenant', 'The current organisation (X-Tenant-ID, or your last one)', 'tenants', 'tenant'),
    )
    .output(CurrentTenant)
    .query(({ ctx }) => app(ctx).tenants.current()),
  userCount: forwardingProcedure
    .meta(
      route(
        'GET',
        '/api/v1/tenant/users/count',
        "The current organisation's members and its plan's maximum",
        'members',
        'tenant',
      ),
    )
    .output(z.object({ count: z.number().int(), maxUsers: z.number().int().nullable() }))
    .query(async ({ ctx }) => {
      const { count, maxUsers } = await app(ctx).members.list({ limit: 1 });
      return { count, maxUsers };
    }),
  mine: forwardingProcedure
    .meta(route('GET', '/api/v1/tenants', 'Your organisations', 'tenants', 'user'))
    .output(z.array(MyTenant))
    .query(({ ctx }) => app(ctx).tenants.mine()),
  get: forwardingProcedure
    .meta(route('GET', '/api/v1/tenants/{id}', 'One of your organisations', 'tenants', 'user'))
    .input(TenantPath)
    .output(CurrentTenant)
    .query(async ({ ctx, input }) => {
      await assertHeadersAgree(ctx, input.id);
      return app(ctx).tenants.get(input);
    }),
  update: forwardingProcedure
    .meta(route('PATCH', '/api/v1/tenants/{id}', "Change an organisation's name, slug or domain", 'tenants', 'tenant'))
    .input(TenantPath.extend(UpdateTenantInput.shape))
    .output(Tenant)
    .mutation(({ ctx, input: { id, ...changes } }) => app(ctx, id).tenants.update(changes)),
  delete: forwardingProcedure
    .meta(
      route(
        'DELETE',
        '/api/v1/tenants/{id}',
        'Delete an organisation (owners): hidden at once, purged after the grace period',
        'tenants',
        'tenant',
        202,
      ),
    )
    .input(TenantPath.extend(TenantDeleteInput.shape))
    .output(TenantStatusInfo)
    .mutation(({ ctx, input: { id, confirmSlug } }) => app(ctx, id).tenants.delete({ confirmSlug })),
  switch: forwardingProcedure
    .meta(route('POST', '/api/v1/tenants/{id}/switch', 'Make an organisation your current one', 'tenants', 'user'))
    .input(TenantPath)
    .output(Tenant)
    .mutation(async ({ ctx, input }) => {
      await assertHeadersAgree(ctx, input.id);
      return app(ctx).tenants.switch(input);
    }),
  usage: forwardingProcedure
    .meta(route('GET', '/api/v1/tenants/{id}/usage', "An organisation's usage over a range of days", 'usage', 'tenant'))
    .input(TenantPath.extend({ from: Day, to: Day }))
    .output(UsageSummary)
    .query(({ ctx, input: { id, ...range } }) => app(ctx, id).usage.summary(range)),
  getConfig: forwardingProcedure
    .meta(
      route('GET', '/api/v1/tenants/{id}/config', "An organisation's settings (secrets masked)", 'config', 'tenant'),
    )
    .input(TenantPath)
    .output(TenantConfig)
    .query(({ ctx, input }) => app(ctx, input.id).config.get()),
  setConfig: forwardingProcedure
    .meta(
      route('PUT', '/api/v1/tenants/{id}/config', 'Set one setting: branding, locale or timezone', 'config', 'tenant'),
    )
    .input(TenantPath.extend({ key: ConfigKey, value: z.union([Branding, Locale, TimeZone]) }))
    .output(TenantConfig)
    .mutation(({ ctx, input: { id, key, value } }) =>
      // The procedure's own input (a union by key) checks that the value fits the key.
      app(ctx, id).config.set({ key, value } as Parameters<ReturnType<typeof app>['config']['set']>[0]),
    ),
  changePlan: forwardingProcedure
    .meta(route('POST', '/api/v1/tenants/{id}/plan', "Change an organisation's plan (owners)", 'plans', 'tenant'))
    .input(TenantPath.extend(ChangePlanInput.shape))
    .output(TenantPlan)
    .mutation(({ ctx, input: { id, plan } }) => app(ctx, id).tenants.changePlan({ plan })),
  audit: forwardingProcedure
    .meta(route('GET', '/api/v1/tenants/{id}/audit', "An organisation's audit log, newest first", 'audit', 'tenant'))
    .input(TenantPath.extend(AuditListInput.shape))
    .output(AuditPage)
    .query(({ ctx, input: { id, ...filters } }) => app(ctx, id).audit.list(filters)),
});

const members = router({
  list: forwardingProcedure
    .meta(route('GET', '/api/v1/tenants/{id}/members', "An organisation's members", 'members', 'tenant'))
    .input(TenantPath.extend(MemberListInput.shape))
    .output(MemberPage)
    .query(({ ctx, input: { id, ...filters } }) => app(ctx, id).members.list(filters)),
  invite: forwardingProcedure
    .meta(route('POST', '/api/v1/tenants/{id}/members', 'Invite someone by e-mail', 'members', 'tenant', 201))
    .input(TenantPath.extend(InviteMemberInput.shape))
    .output(Invitation)
    .mutation(({ ctx, input: { id, ...invite } }) => app(ctx, id).members.invite(invite)),
  updateRole: forwardingProcedure
    .meta(route('PATCH', '/api/v1/tenants/{id}/members/{userId}', "Change a member's role", 'members', 'tenant'))
    .input(TenantPath.extend({ userId: z.uuid(), role: Role }))
    .output(Member)
    .mutation(({ ctx, input: { id, ...change } }) => app(ctx, id).members.updateRole(change)),
  remove: forwardingProcedure
    .meta(route('DELETE', '/api/v1/tenants/{id}/members/{email}', 'Remove a member', 'members', 'tenant', 204))
    .input(TenantPath.extend({ email: z.string().describe('The member’s e-mail address') }))
    .output(NoContent)
    .mutation(async ({ ctx, input: { id, email } }) => {
      await app(ctx, id).members.remove({ email });
    }),
});

const files = router({
  createUpload: forwardingProcedure
    .meta(
      route(
        'POST',
        '/api/v1/tenants/{id}/files/uploads',
        'Start an upload: a presigned POST (send `fields`, then the file as `file`) pinned to the size and type',
        'files',
        'tenant',
        201,
      ),
    )
    .input(TenantPath.extend(CreateUploadInput.shape))
    .output(PresignedUpload)
    .mutation(({ ctx, input: { id, ...upload } }) => app(ctx, id).files.createUpload(upload)),
  completeUpload: forwardingProcedure
    .meta(
      route(
        'POST',
        '/api/v1/tenants/{id}/files/{fileId}/complete',
        'Confirm an upload once the POST succeeded; the file is then counted in storage',
        'files',
        'tenant',
      ),
    )
    .input(TenantPath.extend({ fileId: z.uuid() }))
    .output(FileModel)
    .mutation(({ ctx, input: { id, fileId } }) => app(ctx, id).files.completeUpload({ id: fileId })),
  list: forwardingProcedure
    .meta(route('GET', '/api/v1/tenants/{id}/files', "An organisation's files", 'files', 'tenant'))
    .input(TenantPath.extend(FileListInput.shape))
    .output(FilePage)
    .query(({ ctx, input: { id, ...filters } }) => app(ctx, id).files.list(filters)),
  download: forwardingProcedure
    .meta(
      route(
        'GET',
        '/api/v1/tenants/{id}/files/{fileId}/download',
        'A short-lived download link under the original name',
        'files',
        'tenant',
      ),
    )
    .input(TenantPath.extend({ fileId: z.uuid() }))
    .output(DownloadUrl)
    .query(({ ctx, input: { id, fileId } }) => app(ctx, id).files.getDownloadUrl({ id: fileId })),
  delete: forwardingProcedure
    .meta(
      route('DELETE', '/api/v1/tenants/{id}/files/{fileId}', 'Delete a file and its object', 'files', 'tenant', 204),
    )
    .input(TenantPath.extend({ fileId: z.uuid() }))
    .output(NoContent)
    .mutation(async ({ ctx, input: { id, fileId } }) => {
      await app(ctx, id).files.delete({ id: fileId });
    }),
});

const plans = router({
  list: forwardingProcedure
    .meta(route('GET', '/api/v1/plans', 'The plans and what each includes', 'plans', 'user'))
    .output(z.array(PlanInfo))
    .query(({ ctx }) => app(ctx).plans.list()),
});

export const restRouter = router({ auth, tenants, members, files, plans });
export type RestRouter = typeof restRouter;
