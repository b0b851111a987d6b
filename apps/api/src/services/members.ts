import type { EntityManager } from '@mikro-orm/postgresql';
import type { Member, MemberListInput, MemberPage, Role } from '@tenantry/shared';
import { UserSchema, type Tenant } from '../db/control/index.js';
import { AppError } from '../errors.js';
import { recordAudit, type AuditContext } from './audit.js';
import { decodeCursor, encodeCursor } from './cursor.js';
import { maxUsersOf } from './tenants.js';

interface MemberRow {
  id: string;
  user_id: string;
  email: string;
  name: string | null;
  role: Role;
  /** Raw SQL through the ORM's connection: timestamps arrive as strings. */
  joined_at: Date | string;
}

const toMember = (r: MemberRow): Member => ({
  userId: r.user_id,
  email: r.email,
  name: r.name,
  role: r.role,
  joinedAt: new Date(r.joined_at).toISOString(),
});

/** Members newest first, searched by e-mail or name and filtered by role; with the seat count. */
export async function listMembers(em: EntityManager, tenant: Tenant, input: MemberListInput): Promise<MemberPage> {
  const limit = input.limit ?? 50;
  const cursor = decodeCursor(input.cursor);
  const where = ['m.tenant_id = ?'];
  const params: unknown[] = [tenant.id];
  if (input.search) {
    where.push(`(u.email ilike ? or u.name ilike ?)`);
    const like = `%${input.search.replace(/[\\%_]/g, '\\$&')}%`;
    params.push(like, like);
  }
  if (input.role) {
    where.push('m.role = ?');
    params.push(input.role);
  }
  if (cursor) {
    where.push('(m.joined_at, m.id) < (?, ?)');
    params.push(cursor.createdAt, cursor.id);
  }
  const [rows, counted] = await Promise.all([
    em.execute<MemberRow[]>(
      `select m.id, m.user_id, u.email, u.name, m.role, m.joined_at
         from memberships m join users u on u.id = m.user_id
        where ${where.join(' and ')}
        order by m.joined_at desc, m.id desc limit ?`,
      [...params, limit + 1],
    ),
    em.execute<{ n: string }[]>('select count(*) as n from memberships where tenant_id = ?', [tenant.id]),
  ]);
  const items = rows.slice(0, limit);
  const last = items.at(-1);
  return {
    items: items.map(toMember),
    nextCursor: rows.length > limit && last ? encodeCursor({ createdAt: new Date(last.joined_at), id: last.id }) : null,
    count: Number(counted[0]?.n ?? 0),
    maxUsers: maxUsersOf(tenant.plan, tenant.planOverrides),
  };
}

/** Who is changing the membership, and with which role in the tenant. */
export interface MemberActor {
  userId: string;
  role: Role;
  viaSuperadmin: boolean;
  audit: AuditContext;
}

const conflict = (message: string) => new AppError({ code: 'CONFLICT', appCode: 'CONFLICT', message });
const forbidden = (message: string) => new AppError({ code: 'FORBIDDEN', appCode: 'FORBIDDEN', message });
const notAMember = () => new AppError({ code: 'NOT_FOUND', appCode: 'NOT_FOUND', message: 'No such member' });

interface LockedMembers {
  target: MemberRow;
  owners: number;
}

/**
 * Locks the tenant's memberships for the rest of the transaction: two changes that would each leave one
 * owner (two admins demoting the last two owners at once) then run one after the other.
 */
/** A member named by user id, or by e-mail (REST's `DELETE …/members/{email}`). */
export type MemberRef = { userId: string } | { email: string };

async function lockMembers(tx: EntityManager, tenantId: string, who: string | MemberRef): Promise<LockedMembers> {
  const rows = await tx.execute<MemberRow[]>(
    `select m.id, m.user_id, u.email, u.name, m.role, m.joined_at
       from memberships m join users u on u.id = m.user_id
      where m.tenant_id = ? order by m.id for update of m`,
    [tenantId],
  );
  const ref: MemberRef = typeof who === 'string' ? { userId: who } : who;
  const target = rows.find((r) => ('userId' in ref ? r.user_id === ref.userId : r.email === ref.email.toLowerCase()));
  if (!target) throw notAMember();
  return { target, owners: rows.filter((r) => r.role === 'owner').length };
}

/** Owners alone grant or take away the owner role; an admin cannot touch an owner. */
function assertMayChange(actor: MemberActor, target: MemberRow, newRole?: Role): void {
  if (actor.role === 'owner') return;
  if (target.role === 'owner') throw forbidden('Only an owner can change or remove another owner');
  if (newRole === 'owner') throw forbidden('Only an owner can make someone an owner');
}

const lastOwner = (what: string) =>
  conflict(`${what} would leave the organisation without an owner; make someone else an owner first`);

export async function updateMemberRole(
  em: EntityManager,
  tenant: Tenant,
  actor: MemberActor,
  userId: string,
  role: Role,
): Promise<Member> {
  return em.transactional(async (tx) => {
    const { target, owners } = await lockMembers(tx, tenant.id, userId);
    assertMayChange(actor, target, role);
    if (target.role === role) return toMember(target);
    if (target.role === 'owner' && owners === 1) throw lastOwner('Changing the last owner’s role');
    await tx.execute('update memberships set role = ? where id = ?', [role, target.id]);
    await recordAudit(tx, actor.audit, {
      action: 'member.role_changed',
      targetType: 'member',
      targetId: userId,
      before: { email: target.email, role: target.role },
      after: { email: target.email, role },
    });
    return toMember({ ...target, role });
  });
}

async function endMembership(
  tx: EntityManager,
  tenant: Tenant,
  target: MemberRow,
  audit: AuditContext,
  action: 'member.removed' | 'member.left',
): Promise<void> {
  await tx.execute('delete from memberships where id = ?', [target.id]);
  // Their next request must not land in a tenant they left.
  await tx.nativeUpdate(UserSchema, { id: target.user_id, currentTenantId: tenant.id }, { currentTenantId: null });
  await recordAudit(tx, audit, {
    action,
    targetType: 'member',
    targetId: target.user_id,
    before: { email: target.email, role: target.role },
  });
}

export async function removeMember(
  em: EntityManager,
  tenant: Tenant,
  actor: MemberActor,
  who: MemberRef,
): Promise<void> {
  await em.transactional(async (tx) => {
    const { target, owners } = await lockMembers(tx, tenant.id, who);
    assertMayChange(actor, target);
    if (target.role === 'owner' && owners === 1) throw lastOwner('Removing the last owner');
    const userId = target.user_id;
    await endMembership(tx, tenant, target, actor.audit, userId === actor.userId ? 'member.left' : 'member.removed');
  });
}

export async function leaveTenant(em: EntityManager, tenant: Tenant, actor: MemberActor): Promise<void> {
  if (actor.viaSuperadmin) throw forbidden('You are not a member of this organisation');
  await em.transactional(async (tx) => {
    const { target, owners } = await lockMembers(tx, tenant.id, actor.userId);
    if (target.role === 'owner' && owners === 1) throw lastOwner('Leaving as the last owner');
    await endMembership(tx, tenant, target, actor.audit, 'member.left');
  });
}
