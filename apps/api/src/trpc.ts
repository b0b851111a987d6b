/**
 * How a request is built: the context, the error shape, and the procedure builders
 * `publicProcedure → authedProcedure` (tenantProcedure and adminProcedure join them as the areas arrive).
 */
import { initTRPC } from '@trpc/server';
import type { CreateFastifyContextOptions } from '@trpc/server/adapters/fastify';
import { z } from 'zod';
import { AppError, appCodeOf } from './errors.js';
import { Secret } from './secret.js';
import type { AppServices } from './services/index.js';
import { TokenVerificationError } from './services/token-verifier.js';
import { ensureUser } from './services/users.js';

export function createContextFactory(services: AppServices) {
  return ({ req, res }: CreateFastifyContextOptions) => ({ req, res, log: req.log, services });
}
export type Context = ReturnType<ReturnType<typeof createContextFactory>>;

const t = initTRPC.context<Context>().create({
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
        ...(development && error.stack ? { stack: error.stack } : {}),
      },
    };
  },
});

export const router = t.router;
export const createCallerFactory = t.createCallerFactory;

export const publicProcedure = t.procedure;

const BEARER = /^Bearer ([A-Za-z0-9\-_=]+\.[A-Za-z0-9\-_=]+\.[A-Za-z0-9\-_=]*)$/;

/** Verifies the Cognito access token and loads (or creates) the caller's user row. */
export const authedProcedure = t.procedure.use(async ({ ctx, next }) => {
  const header = ctx.req.headers.authorization;
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
      log: ctx.log.child({ userId: user.id }),
    },
  });
});
