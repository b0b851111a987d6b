import { z } from 'zod';
import { Role } from './roles.js';

/** A member of a tenant as the members page shows them. */
export const Member = z.object({
  userId: z.uuid(),
  email: z.string(),
  name: z.string().nullable(),
  role: Role,
  joinedAt: z.iso.datetime(),
});
export type Member = z.infer<typeof Member>;

export const MemberListInput = z.object({
  search: z.string().trim().max(100).optional(),
  role: Role.optional(),
  cursor: z.string().optional(),
  limit: z.number().int().min(1).max(100).default(50),
});
export type MemberListInput = z.input<typeof MemberListInput>;

export const MemberPage = z.object({
  items: z.array(Member),
  nextCursor: z.string().nullable(),
  /** Members of the tenant (all of them, whatever the filters), and the plan's maximum (null: unlimited). */
  count: z.number().int(),
  maxUsers: z.number().int().nullable(),
});
export type MemberPage = z.infer<typeof MemberPage>;

export const UpdateMemberRoleInput = z.object({ userId: z.uuid(), role: Role });
export type UpdateMemberRoleInput = z.infer<typeof UpdateMemberRoleInput>;

/** A member to remove, by user id or by e-mail (exactly one of them). */
export const RemoveMemberInput = z
  .object({
    userId: z.uuid().optional(),
    email: z
      .string()
      .trim()
      .toLowerCase()
      .pipe(z.email({ message: 'Enter a valid email address' }))
      .optional(),
  })
  .refine((v) => (v.userId === undefined) !== (v.email === undefined), {
    message: 'Name the member by userId or by email',
    path: ['userId'],
  });
export type RemoveMemberInput = z.input<typeof RemoveMemberInput>;

export const InviteMemberInput = z.object({
  email: z
    .string()
    .trim()
    .toLowerCase()
    .pipe(z.email({ message: 'Enter a valid email address' })),
  role: Role,
});
export type InviteMemberInput = z.infer<typeof InviteMemberInput>;

export const InvitationStatus = z.enum(['pending', 'accepted', 'revoked', 'expired']);
export type InvitationStatus = z.infer<typeof InvitationStatus>;

/** An invitation as the tenant's owners and admins see it. */
export const Invitation = z.object({
  id: z.uuid(),
  email: z.string(),
  role: Role,
  status: InvitationStatus,
  invitedByEmail: z.string().nullable(),
  createdAt: z.iso.datetime(),
  expiresAt: z.iso.datetime(),
});
export type Invitation = z.infer<typeof Invitation>;

/** An invitation as its invitee sees it (their pending list). */
export const MyInvitation = z.object({
  id: z.uuid(),
  tenantId: z.uuid(),
  tenantName: z.string(),
  role: Role,
  invitedByEmail: z.string().nullable(),
  expiresAt: z.iso.datetime(),
});
export type MyInvitation = z.infer<typeof MyInvitation>;

export const AcceptInvitationInput = z.union([
  z.object({ token: z.string().min(20).max(200) }),
  z.object({ id: z.uuid() }),
]);
export type AcceptInvitationInput = z.infer<typeof AcceptInvitationInput>;
