import { describe, expect, it } from 'vitest';
import { adminActionFor, canOpenTenant, statusFilters } from './admin-actions';

describe('adminActionFor', () => {
  it('retries failed, suspends ready, resumes suspended, restores deleting', () => {
    expect(adminActionFor('failed')).toBe('retry');
    expect(adminActionFor('ready')).toBe('suspend');
    expect(adminActionFor('suspended')).toBe('resume');
    expect(adminActionFor('preparing')).toBeNull();
    expect(adminActionFor('deleting')).toBe('restore');
    expect(adminActionFor('deleted')).toBeNull();
  });
});

describe('canOpenTenant', () => {
  it('opens tenants whose data can be reached', () => {
    expect(['ready', 'suspended', 'pending', 'failed'].map((s) => canOpenTenant(s as 'ready'))).toEqual([
      true,
      true,
      false,
      false,
    ]);
  });
});

describe('statusFilters', () => {
  it('adds an "all" choice with the total, and zero for statuses without tenants', () => {
    expect(statusFilters({ ready: 3, failed: 1 }, ['ready', 'failed', 'suspended'])).toEqual([
      { value: 'all', count: 4 },
      { value: 'ready', count: 3 },
      { value: 'failed', count: 1 },
      { value: 'suspended', count: 0 },
    ]);
  });
  it('has no counts before they load', () => {
    expect(statusFilters(undefined, ['ready'])).toEqual([
      { value: 'all', count: null },
      { value: 'ready', count: null },
    ]);
  });
});
