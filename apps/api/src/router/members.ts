import {
  Invitation,
  InviteMemberInput,
  Member,
  MemberListInput,
  MemberPage,
  RemoveMemberInput,
  UpdateMemberRoleInput,
} from '@tenantry/shared';
import { z } from 'zod';
import { leaveTenant, listMembers, removeMember, updateMemberRole, type MemberActor } from '../services/members.js';
import { inviteMember } from '../services/invitations.js';
import { requirePermission, router, tenantProcedure } from '../trpc.js';
import { invitationSettings } from './invitations.js';

const Done = z.object({ ok: z.literal(true) });

const actorOf = (ctx: {
  user: { id: string };
  membership: { role: MemberActor['role']; viaSuperadmin: boolean };
  audit: MemberActor['audit'];
}): MemberActor => ({
  userId: ctx.user.id,
  role: ctx.membership.role,
  viaSuperadmin: ctx.membership.viaSuperadmin,
  audit: ctx.audit,
});

/** The tenant's members: everyone reads the list; owners and admins change it; anyone may leave. */
export const membersRouter = router({
  list: requirePermission('members.read')
    .input(MemberListInput)
    .output(MemberPage)
    .query(({ ctx, input }) => listMembers(ctx.em, ctx.tenant, input)),

  /** Invites an e-mail with a role; counts against the plan's seats until accepted, revoked or expired. */
  invite: requirePermission('members.manage')
    .input(InviteMemberInput)
    .output(Invitation)
    .mutation(({ ctx, input }) =>
      inviteMember(ctx.em, ctx.tenant, actorOf(ctx), input, invitationSettings(ctx.services)),
    ),

  updateRole: requirePermission('members.manage')
    .input(UpdateMemberRoleInput)
    .output(Member)
    .mutation(({ ctx, input }) => updateMemberRole(ctx.em, ctx.tenant, actorOf(ctx), input.userId, input.role)),

  remove: requirePermission('members.manage')
    .input(RemoveMemberInput)
    .output(Done)
    .mutation(async ({ ctx, input }) => {
      await removeMember(
        ctx.em,
        ctx.tenant,
        actorOf(ctx),
        input.userId ? { userId: input.userId } : { email: input.email ?? '' },
      );
      return { ok: true as const };
    }),

  /** The caller leaves the organisation (refused for its last owner). */
  leave: tenantProcedure.output(Done).mutation(async ({ ctx }) => {
    await leaveTenant(ctx.em, ctx.tenant, actorOf(ctx));
    return { ok: true as const };
  }),
});
