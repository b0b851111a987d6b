import { can, Role, type MemberListInput } from '@tenantry/shared';

/** Every role, strongest first, as the role select lists them. */
export const ROLES: readonly Role[] = Role.options;

/**
 * The roles `actor` may give the member `target` (their current role included), or none when the row is
 * read-only. Mirrors the API's rules so the page offers only what it would accept; the API stays the judge.
 */
export function assignableRoles(actor: Role, target: Role): readonly Role[] {
  if (!can(actor, 'members.manage')) return [];
  if (actor === 'owner') return ROLES;
  // An admin neither touches an owner nor makes one.
  if (target === 'owner') return [];
  return ROLES.filter((role) => role !== 'owner');
}

/** Whether `actor` may remove a member whose role is `target` (the API still refuses the last owner). */
export function canRemoveMember(actor: Role, target: Role): boolean {
  return assignableRoles(actor, target).length > 0;
}

export interface SeatUsage {
  /** "37 / 100 members", or "3 / unlimited members". */
  text: string;
  /** How full the plan is, 0–100, or null when the plan sets no cap. */
  percent: number | null;
  /** No seat left: the plan's cap is reached (or passed, after a downgrade). */
  full: boolean;
}

/** Seats taken by `count` members and `pending` invitations (the API counts both against the plan). */
export function seatUsage(count: number, maxUsers: number | null, pending = 0): SeatUsage {
  const used = count + pending;
  const unit = pending > 0 ? 'seats' : 'members';
  if (maxUsers === null) return { text: `${used} / unlimited ${unit}`, percent: null, full: false };
  const percent = maxUsers > 0 ? Math.min(100, Math.round((used / maxUsers) * 100)) : 100;
  return { text: `${used} / ${maxUsers} ${unit}`, percent, full: used >= maxUsers };
}

export interface MemberFilters {
  search: string;
  role: Role | '';
}

export const NO_MEMBER_FILTERS: MemberFilters = { search: '', role: '' };

/** The API's longest search. */
export const MEMBER_SEARCH_MAX_LENGTH = 100;

export const hasMemberFilters = (filters: MemberFilters): boolean =>
  filters.search.trim() !== '' || filters.role !== '';

/** The list query's input: only the filters that are set. */
export function memberListInput(filters: MemberFilters): MemberListInput {
  const search = filters.search.trim().slice(0, MEMBER_SEARCH_MAX_LENGTH);
  return { limit: 50, ...(search ? { search } : {}), ...(filters.role ? { role: filters.role } : {}) };
}
