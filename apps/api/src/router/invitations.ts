import type { FastifyRequest } from 'fastify';
import { AcceptInvitationInput, Invitation, MyInvitation } from '@tenantry/shared';
import { z } from 'zod';
import type { AppServices } from '../services/index.js';
import {
  acceptInvitation,
  declineInvitation,
  listInvitations,
  myInvitations,
  resendInvitation,
  revokeInvitation,
  type InvitationSettings,
} from '../services/invitations.js';
import { authedProcedure, requirePermission, router } from '../trpc.js';

const ById = z.object({ id: z.uuid() });
const Done = z.object({ ok: z.literal(true) });

/** Where a request came from, for the audit row of a procedure that runs outside a tenant context. */
function requestOf(req: FastifyRequest) {
  const userAgent = req.headers['user-agent'];
  return { requestId: req.id, ip: req.ip, userAgent: typeof userAgent === 'string' ? userAgent : null };
}

export function invitationSettings(services: AppServices): InvitationSettings {
  const { env } = services;
  return {
    ttlDays: env.INVITATION_TTL_DAYS,
    appUrl: env.APP_URL ?? `http://${env.HOST === '0.0.0.0' ? '127.0.0.1' : env.HOST}:${env.PORT}`,
    mailer: services.mailer,
  };
}

/** Pending invitations of the tenant (owners and admins), and the invitee's side: theirs, and accepting one. */
export const invitationsRouter = router({
  list: requirePermission('members.manage')
    .output(z.array(Invitation))
    .query(({ ctx }) => listInvitations(ctx.em, ctx.tenant)),

  revoke: requirePermission('members.manage')
    .input(ById)
    .output(Done)
    .mutation(async ({ ctx, input }) => {
      await revokeInvitation(ctx.em, ctx.tenant, ctx.audit, input.id);
      return { ok: true as const };
    }),

  resend: requirePermission('members.manage')
    .input(ById)
    .output(Invitation)
    .mutation(({ ctx, input }) =>
      resendInvitation(ctx.em, ctx.tenant, ctx.audit, input.id, invitationSettings(ctx.services)),
    ),

  /** Invitations waiting for the signed-in user's e-mail. */
  mine: authedProcedure.output(z.array(MyInvitation)).query(({ ctx }) => myInvitations(ctx.em, ctx.user)),

  /** Joins the tenant: by the e-mail's token, or by id from `mine`. */
  accept: authedProcedure
    .input(AcceptInvitationInput)
    .output(z.object({ tenantId: z.uuid() }))
    .mutation(({ ctx, input }) => acceptInvitation(ctx.em, ctx.user, input, requestOf(ctx.req))),

  /** Turns down one of `mine`. */
  decline: authedProcedure
    .input(ById)
    .output(Done)
    .mutation(async ({ ctx, input }) => {
      await declineInvitation(ctx.em, ctx.user, input.id, requestOf(ctx.req));
      return { ok: true as const };
    }),
});
