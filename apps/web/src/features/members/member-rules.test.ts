import type { Role } from '@tenantry/shared';
import { describe, expect, it } from 'vitest';
import { assignableRoles, canRemoveMember, hasMemberFilters, memberListInput, seatUsage } from './member-rules';

const ALL: Role[] = ['owner', 'admin', 'member', 'viewer'];

describe('assignableRoles', () => {
  it('lets an owner give any role to anyone, owners included', () => {
    for (const target of ALL) expect(assignableRoles('owner', target)).toEqual(ALL);
  });

  it('lets an admin give every role but owner to non-owners', () => {
    for (const target of ['admin', 'member', 'viewer'] as const) {
      expect(assignableRoles('admin', target)).toEqual(['admin', 'member', 'viewer']);
    }
  });

  it('leaves an owner read-only for an admin', () => {
    expect(assignableRoles('admin', 'owner')).toEqual([]);
  });

  it('leaves every row read-only for members and viewers', () => {
    for (const actor of ['member', 'viewer'] as const) {
      for (const target of ALL) expect(assignableRoles(actor, target)).toEqual([]);
    }
  });
});

describe('canRemoveMember', () => {
  it('follows the same rules', () => {
    expect(canRemoveMember('owner', 'owner')).toBe(true);
    expect(canRemoveMember('admin', 'member')).toBe(true);
    expect(canRemoveMember('admin', 'owner')).toBe(false);
    expect(canRemoveMember('member', 'viewer')).toBe(false);
    expect(canRemoveMember('viewer', 'viewer')).toBe(false);
  });
});

describe('seatUsage', () => {
  it('shows members against the cap, with how full the plan is', () => {
    expect(seatUsage(37, 100)).toEqual({ text: '37 / 100 members', percent: 37, full: false });
  });

  it('says unlimited, with no bar, when the plan has no cap', () => {
    expect(seatUsage(3, null)).toEqual({ text: '3 / unlimited members', percent: null, full: false });
  });

  it('is full at the cap and stays at 100% past it', () => {
    expect(seatUsage(5, 5)).toEqual({ text: '5 / 5 members', percent: 100, full: true });
    expect(seatUsage(7, 5)).toEqual({ text: '7 / 5 members', percent: 100, full: true });
    expect(seatUsage(0, 0)).toEqual({ text: '0 / 0 members', percent: 100, full: true });
  });

  it('counts pending invitations as seats too, as the API does', () => {
    expect(seatUsage(3, 5, 2)).toEqual({ text: '5 / 5 seats', percent: 100, full: true });
    expect(seatUsage(3, 10, 1)).toEqual({ text: '4 / 10 seats', percent: 40, full: false });
    expect(seatUsage(3, null, 2)).toEqual({ text: '5 / unlimited seats', percent: null, full: false });
  });

  it('rounds the share', () => {
    expect(seatUsage(1, 3).percent).toBe(33);
    expect(seatUsage(2, 3).percent).toBe(67);
  });
});

describe('memberListInput', () => {
  it('sends only the filters that are set, the search trimmed', () => {
    expect(memberListInput({ search: '', role: '' })).toEqual({ limit: 50 });
    expect(memberListInput({ search: '  ann ', role: 'admin' })).toEqual({ limit: 50, search: 'ann', role: 'admin' });
    expect(memberListInput({ search: 'x'.repeat(150), role: '' }).search).toHaveLength(100);
  });

  it('knows when a filter is set', () => {
    expect(hasMemberFilters({ search: '  ', role: '' })).toBe(false);
    expect(hasMemberFilters({ search: 'a', role: '' })).toBe(true);
    expect(hasMemberFilters({ search: '', role: 'viewer' })).toBe(true);
  });
});
