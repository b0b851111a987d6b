import {
  AuthTokens,
  ChangePasswordInput,
  CodeDelivery,
  ConfirmForgotPasswordInput,
  ConfirmSignUpInput,
  EmailOnlyInput,
  Me,
  RefreshInput,
  SignInInput,
  SignOutInput,
  SignUpInput,
} from '@tenantry/shared';
import { z } from 'zod';

import { authedProcedure, publicProcedure, router } from '../trpc.js';

const Done = z.object({ ok: z.literal(true) });
const done = { ok: true } as const;

/**
 * Sign-up, sign-in and password flows through Cognito's confidential app client (the service does the
 * work; inputs are validated with the shared models first, so password rules come back field by field).
 */
export const authRouter = router({
  /** Who the caller is, as the API sees them. */
  me: authedProcedure.output(Me).query(({ ctx }) => ({
    id: ctx.user.id,
    email: ctx.user.email,
    name: ctx.user.name ?? null,
    isSuperadmin: ctx.isSuperadmin,
    groups: ctx.groups,
    createdAt: ctx.user.createdAt.toISOString(),
  })),

  signUp: publicProcedure
    .input(SignUpInput)
    .output(CodeDelivery)
    .mutation(({ ctx, input }) => ctx.services.auth.signUp(input)),

  confirmSignUp: publicProcedure
    .input(ConfirmSignUpInput)
    .output(Done)
    .mutation(async ({ ctx, input }) => {
      await ctx.services.auth.confirmSignUp(input, { ip: ctx.req.ip, log: ctx.log });
      return done;
    }),

  resendCode: publicProcedure
    .input(EmailOnlyInput)
    .output(CodeDelivery)
    .mutation(({ ctx, input }) => ctx.services.auth.resendCode(input.email)),

  signIn: publicProcedure
    .input(SignInInput)
    .output(AuthTokens)
    .mutation(({ ctx, input }) =>
      ctx.services.auth.signIn(input, { ip: ctx.req.ip, log: ctx.log }, ctx.services.orm.em.fork()),
    ),

  refresh: publicProcedure
    .input(RefreshInput)
    .output(AuthTokens)
    .mutation(({ ctx, input }) => ctx.services.auth.refresh(input)),

  forgotPassword: publicProcedure
    .input(EmailOnlyInput)
    .output(CodeDelivery)
    .mutation(({ ctx, input }) => ctx.services.auth.forgotPassword(input.email, { ip: ctx.req.ip, log: ctx.log })),

  confirmForgotPassword: publicProcedure
    .input(ConfirmForgotPasswordInput)
    .output(Done)
    .mutation(async ({ ctx, input }) => {
      await ctx.services.auth.confirmForgotPassword(input, { ip: ctx.req.ip, log: ctx.log });
      return done;
    }),

  changePassword: authedProcedure
    .input(ChangePasswordInput)
    .output(Done)
    .mutation(async ({ ctx, input }) => {
      await ctx.services.auth.changePassword(ctx.accessToken.reveal(), ctx.user.email, input, {
        ip: ctx.req.ip,
        log: ctx.log,
      });
      return done;
    }),

  /** Revokes the refresh token (and the tokens refreshed from it, for new refreshes). Public: an expired session may sign out. */
  signOut: publicProcedure
    .input(SignOutInput)
    .output(Done)
    .mutation(async ({ ctx, input }) => {
      await ctx.services.auth.signOut(input.refreshToken);
      return done;
    }),
});
