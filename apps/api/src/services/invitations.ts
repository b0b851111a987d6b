import { createHash, randomBytes } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import type {
  Invitation as InvitationModel,
  InvitationStatus,
  MyInvitation,
  PlanId,
  PlanOverrides,
  Role,
} from '@tenantry/shared';
import { InvitationSchema, MembershipSchema, type Invitation, type Tenant, type User } from '../db/control/index.js';
import { AppError } from '../errors.js';
import { recordAudit, type AuditContext } from './audit.js';
import type { Mailer } from './mailer.js';
import { formatForTenant, tenantSettings } from './tenant-config.js';
import type { MemberActor } from './members.js';
import { maxUsersOf } from './tenants.js';

export interface InvitationSettings {
  ttlDays: number;
  /** The SPA's public URL, for the accept link. */
  appUrl: string;
  mailer: Mailer;
}

const DAY_MS = 24 * 60 * 60 * 1000;
const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');

export function invitationStatus(i: Invitation, now = new Date()): InvitationStatus {
  if (i.acceptedAt) return 'accepted';
  if (i.revokedAt) return 'revoked';
  if (i.expiresAt <= now) return 'expired';
  return 'pending';
}

function toModel(i: Invitation): InvitationModel {
  return {
    id: i.id,
    email: i.email,
    role: i.role,
    status: invitationStatus(i),
    invitedByEmail: i.invitedByEmail ?? null,
    createdAt: i.createdAt.toISOString(),
    expiresAt: i.expiresAt.toISOString(),
  };
}

const conflict = (message: string) => new AppError({ code: 'CONFLICT', appCode: 'CONFLICT', message });
const forbidden = (message: string) => new AppError({ code: 'FORBIDDEN', appCode: 'FORBIDDEN', message });
const notFound = () => new AppError({ code: 'NOT_FOUND', appCode: 'NOT_FOUND', message: 'No such invitation' });

async function sendInvitation(
  em: EntityManager,
  settings: InvitationSettings,
  tenant: Tenant,
  invitation: Invitation,
  token: string,
) {
  const link = `${settings.appUrl.replace(/\/+$/, '')}/invitations/accept?token=${encodeURIComponent(token)}`;
  // Written as the organisation appears to its members: its display name, its locale and time zone.
  const config = await tenantSettings(em, tenant);
  const name = config.branding.displayName;
  await settings.mailer.send({
    to: invitation.email,
    subject: `You are invited to ${name} on Tenantry`,
    text:
      `${invitation.invitedByEmail ?? 'Someone'} invited you to join ${name} as ${invitation.role}.\n\n` +
      `Accept the invitation: ${link}\n\n` +
      `It expires on ${formatForTenant(invitation.expiresAt, config)}. If you have no account yet, sign up with ${invitation.email} first.`,
  });
}

/**
 * Invites an e-mail. Members plus pending invitations may not exceed the plan's seats: the tenant row is
 * locked for the check and the insert, so two invitations racing for the last seat cannot both get it.
 */
export async function inviteMember(
  em: EntityManager,
  tenant: Tenant,
  actor: MemberActor,
  input: { email: string; role: Role },
  settings: InvitationSettings,
): Promise<InvitationModel> {
  if (input.role === 'owner' && actor.role !== 'owner') throw forbidden('Only an owner can invite an owner');
  const token = randomBytes(32).toString('base64url');
  const invitation = await em.transactional(async (tx) => {
    await tx.execute('select id from tenants where id = ? for update', [tenant.id]);
    const [counts] = await tx.execute<{ members: string; pending: string; already: string; invited: string }[]>(
      `select (select count(*) from memberships where tenant_id = ?) as members,
              (select count(*) from invitations where tenant_id = ? and accepted_at is null and revoked_at is null
                  and expires_at > now()) as pending,
              (select count(*) from memberships m join users u on u.id = m.user_id
                where m.tenant_id = ? and u.email = ?) as already,
              (select count(*) from invitations where tenant_id = ? and email = ? and accepted_at is null
                  and revoked_at is null and expires_at > now()) as invited`,
      [tenant.id, tenant.id, tenant.id, input.email, tenant.id, input.email],
    );
    if (Number(counts?.already)) throw conflict(`${input.email} is already a member`);
    if (Number(counts?.invited)) throw conflict(`${input.email} already has a pending invitation; re-send it instead`);
    const maxUsers = maxUsersOf(tenant.plan, tenant.planOverrides);
    const used = Number(counts?.members) + Number(counts?.pending);
    if (maxUsers !== null && used + 1 > maxUsers) {
      throw new AppError({
        code: 'FORBIDDEN',
        appCode: 'PLAN_LIMIT',
        message: `Your plan has ${maxUsers} seats: ${counts?.members} members and ${counts?.pending} pending invitations use ${used}. Upgrade the plan or remove someone first.`,
      });
    }
    const created = tx.create(InvitationSchema, {
      tenant: tenant.id,
      email: input.email,
      role: input.role,
      tokenHash: hashToken(token),
      invitedBy: actor.userId,
      invitedByEmail: actor.audit.actorEmail,
      expiresAt: new Date(Date.now() + settings.ttlDays * DAY_MS),
    });
    await tx.flush();
    await recordAudit(tx, actor.audit, {
      action: 'member.invited',
      targetType: 'invitation',
      targetId: created.id,
      after: { email: input.email, role: input.role },
    });
    return created;
  });
  await sendInvitation(em, settings, tenant, invitation, token);
  return toModel(invitation);
}

export async function listInvitations(em: EntityManager, tenant: Tenant): Promise<InvitationModel[]> {
  const rows = await em.find(
    InvitationSchema,
    { tenant: tenant.id, acceptedAt: null, revokedAt: null },
    { orderBy: { createdAt: 'desc' } },
  );
  return rows.map(toModel);
}

async function pendingInvitation(em: EntityManager, tenant: Tenant, id: string): Promise<Invitation> {
  const invitation = await em.findOne(InvitationSchema, { id, tenant: tenant.id });
  if (!invitation || invitation.acceptedAt || invitation.revokedAt) throw notFound();
  return invitation;
}

export async function revokeInvitation(
  em: EntityManager,
  tenant: Tenant,
  audit: AuditContext,
  id: string,
): Promise<void> {
  await em.transactional(async (tx) => {
    const invitation = await pendingInvitation(tx, tenant, id);
    invitation.revokedAt = new Date();
    await tx.flush();
    await recordAudit(tx, audit, {
      action: 'member.invitation_revoked',
      targetType: 'invitation',
      targetId: id,
      before: { email: invitation.email, role: invitation.role },
    });
  });
}

/** A new token (the old link stops working) and a new expiry, sent again. */
export async function resendInvitation(
  em: EntityManager,
  tenant: Tenant,
  audit: AuditContext,
  id: string,
  settings: InvitationSettings,
): Promise<InvitationModel> {
  const token = randomBytes(32).toString('base64url');
  const invitation = await em.transactional(async (tx) => {
    const found = await pendingInvitation(tx, tenant, id);
    found.tokenHash = hashToken(token);
    found.expiresAt = new Date(Date.now() + settings.ttlDays * DAY_MS);
    found.lastSentAt = new Date();
    await tx.flush();
    await recordAudit(tx, audit, {
      action: 'member.invitation_resent',
      targetType: 'invitation',
      targetId: id,
      after: { email: found.email, role: found.role },
    });
    return found;
  });
  await sendInvitation(em, settings, tenant, invitation, token);
  return toModel(invitation);
}

/** Pending invitations addressed to the signed-in user's e-mail, in tenants that still exist. */
export async function myInvitations(em: EntityManager, user: User): Promise<MyInvitation[]> {
  const rows = await em.find(
    InvitationSchema,
    { email: user.email.toLowerCase(), acceptedAt: null, revokedAt: null, expiresAt: { $gt: new Date() } },
    { populate: ['tenant'], orderBy: { createdAt: 'desc' } },
  );
  return rows
    .filter((i) => i.tenant.status === 'ready')
    .map((i) => ({
      id: i.id,
      tenantId: i.tenant.id,
      tenantName: i.tenant.name,
      role: i.role,
      invitedByEmail: i.invitedByEmail ?? null,
      expiresAt: i.expiresAt.toISOString(),
    }));
}

/**
 * Turns an invitation into a membership for the signed-in user, whose e-mail must be the invited one.
 * By token (the e-mail's link) or by id (their list of pending invitations).
 */
export async function acceptInvitation(
  em: EntityManager,
  user: User,
  by: { token: string } | { id: string },
  context: Omit<AuditContext, 'actorId' | 'actorEmail' | 'actorIsSuperadmin'>,
): Promise<{ tenantId: string }> {
  return em.transactional(async (tx) => {
    const invitation = await tx.findOne(
      InvitationSchema,
      'token' in by ? { tokenHash: hashToken(by.token) } : { id: by.id, email: user.email.toLowerCase() },
      { populate: ['tenant'] },
    );
    if (!invitation) throw notFound();
    const status = invitationStatus(invitation);
    if (status === 'accepted') throw conflict('This invitation has already been used');
    if (status === 'revoked') throw conflict('This invitation was revoked; ask for a new one');
    if (status === 'expired') throw conflict('This invitation has expired; ask for a new one');
    if (invitation.email !== user.email.toLowerCase()) {
      throw forbidden(`This invitation is for ${invitation.email}; sign in with that address to accept it`);
    }
    const tenant = invitation.tenant;
    if (tenant.status !== 'ready') throw notFound();
    // The plan as it is now (it may have shrunk since the invitation was sent), under the row lock.
    const [locked] = await tx.execute<Array<{ plan: PlanId; plan_overrides: PlanOverrides | null; members: string }>>(
      `select t.plan, t.plan_overrides, (select count(*) from memberships m where m.tenant_id = t.id) as members
         from tenants t where t.id = ? for update of t`,
      [tenant.id],
    );
    const existing = await tx.findOne(MembershipSchema, { tenant: tenant.id, user: user.id });
    const maxUsers = locked ? maxUsersOf(locked.plan, locked.plan_overrides) : null;
    if (!existing && maxUsers !== null && Number(locked?.members ?? 0) >= maxUsers) {
      throw new AppError({
        code: 'FORBIDDEN',
        appCode: 'PLAN_LIMIT',
        message: `${tenant.name} has no free seat on its plan (${maxUsers} members). Ask an owner to upgrade the plan, then accept again.`,
        details: { maxUsers },
      });
    }
    if (!existing) tx.create(MembershipSchema, { tenant: tenant.id, user: user.id, role: invitation.role });
    invitation.acceptedAt = new Date();
    invitation.acceptedBy = user.id;
    await tx.flush();
    // The tenant's audit lives in its schema, named here: this transaction is not bound to one.
    await recordAudit(
      tx,
      { ...context, actorId: user.id, actorEmail: user.email, actorIsSuperadmin: false },
      {
        action: 'member.joined',
        targetType: 'member',
        targetId: user.id,
        after: { email: user.email, role: invitation.role },
      },
      tenant.schemaName,
    );
    return { tenantId: tenant.id };
  });
}

/** The invitee turns an invitation down; it then counts as revoked (and frees its seat). */
export async function declineInvitation(
  em: EntityManager,
  user: User,
  id: string,
  context: Omit<AuditContext, 'actorId' | 'actorEmail' | 'actorIsSuperadmin'>,
): Promise<void> {
  await em.transactional(async (tx) => {
    const invitation = await tx.findOne(
      InvitationSchema,
      { id, email: user.email.toLowerCase() },
      { populate: ['tenant'] },
    );
    if (!invitation || invitationStatus(invitation) !== 'pending') throw notFound();
    invitation.revokedAt = new Date();
    await tx.flush();
    await recordAudit(
      tx,
      { ...context, actorId: user.id, actorEmail: user.email, actorIsSuperadmin: false },
      {
        action: 'member.invitation_declined',
        targetType: 'invitation',
        targetId: id,
        before: { email: invitation.email, role: invitation.role },
      },
      invitation.tenant.schemaName,
    );
  });
}
