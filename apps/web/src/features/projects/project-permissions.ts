import { can, type Role } from '@tenantry/shared';

export interface ProjectPermissions {
  canCreate: boolean;
  canEdit: boolean;
  canDelete: boolean;
}

/** What a role may do with projects, from the permission matrix the API enforces. */
export function projectPermissions(role: Role): ProjectPermissions {
  return {
    canCreate: can(role, 'projects.write'),
    canEdit: can(role, 'projects.write'),
    canDelete: can(role, 'projects.delete'),
  };
}
