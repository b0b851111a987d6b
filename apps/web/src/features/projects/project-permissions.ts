import { roleAtLeast, type Role } from '@tenantry/shared';

export interface ProjectPermissions {
  canCreate: boolean;
  canEdit: boolean;
  canDelete: boolean;
}

/** What a role may do with projects, as the API enforces it: viewers read, members write, admins delete. */
export function projectPermissions(role: Role): ProjectPermissions {
  return {
    canCreate: roleAtLeast(role, 'member'),
    canEdit: roleAtLeast(role, 'member'),
    canDelete: roleAtLeast(role, 'admin'),
  };
}
