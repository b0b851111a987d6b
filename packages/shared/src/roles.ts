import { z } from 'zod';

/** A member's role in a tenant, strongest first. */
export const Role = z.enum(['owner', 'admin', 'member', 'viewer']);
export type Role = z.infer<typeof Role>;

const RANK: Record<Role, number> = { owner: 4, admin: 3, member: 2, viewer: 1 };

/** True when `role` can do what `required` can (owner ⊇ admin ⊇ member ⊇ viewer). */
export function roleAtLeast(role: Role, required: Role): boolean {
  return RANK[role] >= RANK[required];
}

/**
 * The one permission matrix: each action and the weakest role allowed to do it. The API's guards
 * (`requirePermission`) enforce it; the SPA reads it only to hide what a role cannot do.
 */
export const PERMISSIONS = {
  'projects.read': 'viewer',
  'projects.write': 'member',
  'projects.delete': 'admin',
  'tenant.update': 'admin',
  'audit.read': 'admin',
  'members.read': 'viewer',
  'members.manage': 'admin',
  'settings.read': 'viewer',
  'settings.update': 'admin',
  'secrets.manage': 'admin',
  'plan.change': 'owner',
  'tenant.delete': 'owner',
  'usage.read': 'admin',
  'files.read': 'viewer',
  'files.write': 'member',
  'files.delete': 'member',
  'tenant.export': 'admin',
  'tenant.health': 'admin',
} as const satisfies Record<string, Role>;
export type Permission = keyof typeof PERMISSIONS;

export function can(role: Role, permission: Permission): boolean {
  return roleAtLeast(role, PERMISSIONS[permission]);
}
