/**
 * How a request is built: the context, the error shape, and the procedure builders
 * `publicProcedure → authedProcedure → tenantProcedure` (+ `requireRole`) and `adminProcedure`.
 */
import { initTRPC } from '@trpc/server';
import type { CreateFastifyContextOptions } from '@trpc/server/adapters/fastify';
import { z } from 'zod';
import { AppError, appCodeOf } from './errors.js';
import { Secret } from './secret.js';
import type { AppServices } from './services/index.js';
import { TokenVerificationError } from './services/token-verifier.js';
import { ensureUser } from './services/users.js';
import { recordAudit, type AuditContext } from './services/audit.js';
import { explicitTenantHints, recordSuperadminAccess, resolveTenant } from './services/tenant-resolution.js';
import { effectivePlan, PERMISSIONS, roleAtLeast, type Feature, type Permission, type Role } from '@tenantry/shared';
import type { FastifyReply } from 'fastify';
import type { OpenApiMeta } from 'trpc-to-openapi';
import { effectivePlanName, featureDisabled, hasFeature } from './services/plans.js';
import { RateLimitError, type RateLimitState } from './services/rate-limits.js';

export interface Context {
  req: CreateFastifyContextOptions['req'];
  res: CreateFastifyContextOptions['res'];
  log: CreateFastifyContextOptions['req']['log'];
  services: AppServices;
  /** Sent by clients that cannot set headers (EventSource, for subscriptions): `{ token }`. */
  connectionParams: CreateFastifyContextOptions['info']['connectionParams'];
  /** A REST path's tenant id (`/api/v1/tenants/{id}/…`): explicit tenant context, set by the REST layer. */
  pathTenantId?: string;
}

export function createContextFactory(services: AppServices) {
  return ({ req, res, info }: CreateFastifyContextOptions): Context => ({
    req,
    res,
    log: req.log,
    services,
    connectionParams: info.connectionParams,
  });
}

/** Procedure metadata; `tenantScoped` is set by tenantProcedure (the isolation tests enumerate it). */
export type Meta = {
  tenantScoped?: boolean;
  /** The REST route of a procedure of the REST router (trpc-to-openapi; see rest/routes.ts). */
  openapi?: NonNullable<OpenApiMeta['openapi']>;
  /** REST-only: the status of a success (201, 202, 204), and who may call it (the document's security). */
  rest?: { successStatus?: 200 | 201 | 202 | 204; access: 'public' | 'user' | 'tenant' };
};

const t = initTRPC
  .context<Context>()
  .meta<Meta>()
  .create({
    // Stack traces are added by the formatter below, in development only.
    isDev: false,
    errorFormatter({ shape, error, ctx }) {
      const development = ctx?.services.env.NODE_ENV === 'development';
      const internal = error.code === 'INTERNAL_SERVER_ERROR';
      const fields =
        error.cause instanceof z.ZodError ? error.cause : error instanceof AppError ? error.fieldErrors : undefined;
      const zodError = fields ? z.flattenError(fields) : null;
      return {
        ...shape,
        // Never leak internals to clients outside development; the log has the details under this request id.
        message:
          internal && !development
            ? `Something went wrong on our side (request ${ctx?.req.id ?? 'unknown'}).`
            : zodError
              ? 'Some fields are not valid'
              : shape.message,
        data: {
          code: shape.data.code,
          httpStatus: shape.data.httpStatus,
          path: shape.data.path,
          appCode: appCodeOf(error),
          zodError,
          details: error instanceof AppError ? (error.details ?? null) : null,
          ...(development && error.stack ? { stack: error.stack } : {}),
        },
      };
    },
  });

export const router = t.router;
/**
 * A procedure with no middleware of its own, for the REST router only: each of its procedures forwards to
 * a procedure of the app router through a caller, which runs that procedure's middlewares (auth, tenant,
 * guards, limits, audit) exactly as over tRPC.
 */
export const forwardingProcedure = t.procedure;
export const createCallerFactory = t.createCallerFactory;

/** Every procedure is timed and counted by path and result code (Prometheus; no tenant label). */
const observedProcedure = t.procedure.use(async ({ ctx, path, type, next }) => {
  const began = performance.now();
  const result = await next();
  ctx.services.metrics.observeProcedure({
    path,
    type,
    code: result.ok ? 'OK' : result.error.code,
    seconds: (performance.now() - began) / 1000,
  });
  return result;
});

/**
 * Sets the `X-RateLimit-*` headers from the limit a call was counted against. In a batch every call
 * counts, and the response keeps the figures of the call with the fewest requests left.
 */
function rateLimitHeaders(reply: FastifyReply, state: RateLimitState): void {
  if (state.limit === 0) return; // limits off
  const previous = Number(reply.getHeader('x-ratelimit-remaining') ?? Number.POSITIVE_INFINITY);
  if (state.remaining > previous) return;
  void reply.header('x-ratelimit-limit', String(state.limit));
  void reply.header('x-ratelimit-remaining', String(state.remaining));
  void reply.header('x-ratelimit-reset', String(state.resetAt));
}

/** Counts one call against a limit; a refusal is counted in the metrics and answered with its headers. */
async function countAgainst(ctx: Context, consume: () => Promise<RateLimitState>): Promise<void> {
  try {
    rateLimitHeaders(ctx.res, await consume());
  } catch (err) {
    if (err instanceof RateLimitError) {
      ctx.services.metrics.rateLimited(err.scope);
      rateLimitHeaders(ctx.res, err.state);
    }
    throw err;
  }
}

/** Procedures anyone may call; limited per client IP. */
export const publicProcedure = observedProcedure.use(async ({ ctx, next }) => {
  await countAgainst(ctx, () => ctx.services.rateLimiter.consumeIp(ctx.req.ip));
  return next();
});

function stringClaim(payload: Readonly<Record<string, unknown>>, name: string): string | undefined {
  const value = payload[name];
  return typeof value === 'string' && value ? value : undefined;
}

/** `Authorization: Bearer <JWT>`, the access token in group 1. */
export const BEARER = /^Bearer ([A-Za-z0-9\-_=]+\.[A-Za-z0-9\-_=]+\.[A-Za-z0-9\-_=]*)$/;

/** Verifies the Cognito access token and loads (or creates) the caller's user row. */
const authenticatedProcedure = observedProcedure.use(async ({ ctx, next }) => {
  const fromParams = ctx.connectionParams?.token;
  const header = ctx.req.headers.authorization ?? (fromParams ? `Bearer ${fromParams}` : undefined);
  if (!header) {
    throw new AppError({ code: 'UNAUTHORIZED', appCode: 'UNAUTHENTICATED', message: 'Sign in to continue' });
  }
  const token = BEARER.exec(header)?.[1];
  if (!token) {
    throw new AppError({
      code: 'UNAUTHORIZED',
      appCode: 'TOKEN_INVALID',
      message: 'The Authorization header must be "Bearer <access token>"',
    });
  }
  const { verifier, cognito, orm } = ctx.services;
  let claims;
  try {
    claims = await verifier.verify(token);
  } catch (err) {
    if (err instanceof TokenVerificationError) {
      throw new AppError({
        code: 'UNAUTHORIZED',
        appCode: err.reason === 'expired' ? 'TOKEN_EXPIRED' : 'TOKEN_INVALID',
        message: err.message,
      });
    }
    throw err;
  }
  const em = orm.em.fork();
  const user = await ensureUser(em, claims.sub, () =>
    cognito.profileOf(token).catch((err: unknown) => {
      // First sight of a user Cognito no longer knows (deleted, or signed out everywhere): refuse.
      const name = err instanceof Error ? err.name : '';
      if (name === 'UserNotFoundException' || name === 'NotAuthorizedException') {
        throw new AppError({
          code: 'UNAUTHORIZED',
          appCode: 'TOKEN_INVALID',
          message: 'This session is no longer valid',
        });
      }
      throw err;
    }),
  );
  return next({
    ctx: {
      em,
      user,
      /** The caller's access token, for Cognito calls on their behalf; prints as "[redacted]". */
      accessToken: new Secret(token),
      groups: claims.groups,
      isSuperadmin: claims.groups.includes('superadmin'),
      /** The token's tenant claim (TENANT_CLAIM), when the pool adds one. */
      tenantClaim: stringClaim(claims.payload, ctx.services.env.TENANT_CLAIM),
      log: ctx.log.child({ userId: user.id }),
    },
  });
});

/** Signed-in procedures outside a tenant; limited per user. */
export const authedProcedure = authenticatedProcedure.use(async ({ ctx, next }) => {
  await countAgainst(ctx, () => ctx.services.rateLimiter.consumeUser(ctx.user.id));
  return next();
});

/**
 * Resolves the request's tenant (DESIGN §3) and binds `ctx.em` to its schema: after this, `ctx.tenant`,
 * `ctx.membership` and a schema-qualified `ctx.em` are always there. Each call counts against the
 * tenant's burst limit and daily quota, and in its usage (requests, errors, active users).
 */
const resolvedTenantProcedure = authenticatedProcedure.meta({ tenantScoped: true }).use(async ({ ctx, path, next }) => {
  const { orm, env } = ctx.services;
  const resolved = await resolveTenant({
    em: ctx.em,
    user: ctx.user,
    isSuperadmin: ctx.isSuperadmin,
    hints: explicitTenantHints(ctx.req, env.BASE_DOMAIN, ctx.pathTenantId),
    claim: ctx.tenantClaim,
  });
  const { tenant } = resolved;
  // Control-plane entities name their schema; tenant entities (`schema: '*'`) take this one.
  const em = orm.em.fork({ schema: tenant.schemaName });
  const userAgent = ctx.req.headers['user-agent'];
  const audit: AuditContext = {
    actorId: ctx.user.id,
    actorEmail: ctx.user.email,
    actorIsSuperadmin: resolved.viaSuperadmin,
    requestId: ctx.req.id,
    ip: ctx.req.ip,
    userAgent: typeof userAgent === 'string' ? userAgent : null,
  };
  if (resolved.viaSuperadmin) {
    // Recorded for the platform and in the tenant's own audit, together.
    await em.transactional(async (tx) => {
      await recordSuperadminAccess(tx, {
        user: ctx.user,
        tenantId: tenant.id,
        procedure: path,
        requestId: ctx.req.id,
        ip: ctx.req.ip,
      });
      await recordAudit(tx, audit, {
        action: 'superadmin.accessed',
        targetType: 'tenant',
        targetId: tenant.id,
        after: { procedure: path },
      });
    });
  }
  return next({
    ctx: {
      tenant,
      membership: { role: resolved.role, viaSuperadmin: resolved.viaSuperadmin },
      em,
      /** Who acts, for the audit row every mutation writes in its own transaction. */
      audit,
      log: ctx.log.child({ tenantId: tenant.id }),
    },
  });
});

export const tenantProcedure = resolvedTenantProcedure.use(async ({ ctx, next }) => {
  const { rateLimiter, usage, metering } = ctx.services;
  if (!metering) return next();
  const quota = effectivePlan(ctx.tenant.plan, ctx.tenant.planOverrides).apiRequestsPerDay;
  try {
    await countAgainst(ctx, () => rateLimiter.consumeTenant(ctx.tenant.id, quota));
  } catch (err) {
    usage.record(ctx.tenant.id, ctx.user.id, false);
    throw err;
  }
  const result = await next();
  usage.record(ctx.tenant.id, ctx.user.id, result.ok);
  return result;
});

/** Lets through members whose role is at least `role` (owner ⊇ admin ⊇ member ⊇ viewer). */
export function requireRole(role: Role) {
  return tenantProcedure.use(({ ctx, next }) => {
    if (!roleAtLeast(ctx.membership.role, role)) {
      throw new AppError({
        code: 'FORBIDDEN',
        appCode: 'FORBIDDEN',
        message: `This needs the ${role} role or higher; you are ${ctx.membership.role}`,
      });
    }
    return next();
  });
}

/** Lets through members whose role the permission matrix (packages/shared) allows `permission`. */
export function requirePermission(permission: Permission) {
  return requireRole(PERMISSIONS[permission]);
}

/**
 * Lets through tenants whose plan includes `feature` (after the permission check, when one is given);
 * otherwise FORBIDDEN / FEATURE_DISABLED naming the plans that have it.
 */
export function requireFeature(feature: Feature, permission?: Permission) {
  return (permission ? requirePermission(permission) : tenantProcedure).use(({ ctx, next }) => {
    if (!hasFeature(ctx.tenant, feature)) throw featureDisabled(feature, effectivePlanName(ctx.tenant));
    return next();
  });
}

/** Platform operators only: members of the Cognito group `superadmin`. */
export const adminProcedure = authedProcedure.use(({ ctx, next }) => {
  if (!ctx.isSuperadmin) {
    throw new AppError({ code: 'FORBIDDEN', appCode: 'FORBIDDEN', message: 'Superadmins only' });
  }
  return next();
});
