import { describe, expect, it } from 'vitest';
import { validateNewProject, validateProjectChanges } from './project-form';
import { projectPermissions } from './project-permissions';

describe('projectPermissions', () => {
  it('lets viewers only read', () => {
    expect(projectPermissions('viewer')).toEqual({ canCreate: false, canEdit: false, canDelete: false });
  });
  it('lets members write but not delete', () => {
    expect(projectPermissions('member')).toEqual({ canCreate: true, canEdit: true, canDelete: false });
  });
  it('lets admins and owners delete', () => {
    expect(projectPermissions('admin').canDelete).toBe(true);
    expect(projectPermissions('owner').canDelete).toBe(true);
  });
});

describe('project forms', () => {
  it('trims and accepts a new project', () => {
    expect(validateNewProject({ name: ' Roadmap ', description: '' })).toEqual({
      data: { name: 'Roadmap', description: '' },
      errors: {},
    });
  });
  it('asks for a name', () => {
    expect(validateNewProject({ name: '  ', description: '' }).errors).toEqual({ name: 'Give the project a name' });
  });
  it('builds an update with the id and status', () => {
    const id = '33333333-3333-4333-8333-333333333333';
    expect(validateProjectChanges(id, { name: 'X', description: 'd', status: 'archived' }).data).toEqual({
      id,
      name: 'X',
      description: 'd',
      status: 'archived',
    });
  });
});
