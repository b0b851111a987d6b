import { describe, expect, it } from 'vitest';
import { acceptFailureOf, expiryLabel, invitableRoles, seatBreakdown } from './invitation-rules';

describe('invitableRoles', () => {
  it('lets an owner invite any role, and an admin any but owner', () => {
    expect(invitableRoles('owner')).toEqual(['owner', 'admin', 'member', 'viewer']);
    expect(invitableRoles('admin')).toEqual(['admin', 'member', 'viewer']);
  });

  it('lets members and viewers invite no one', () => {
    expect(invitableRoles('member')).toEqual([]);
    expect(invitableRoles('viewer')).toEqual([]);
  });
});

describe('seatBreakdown', () => {
  it('names members and pending invitations, in the singular when there is one', () => {
    expect(seatBreakdown(3, 2)).toBe('3 members · 2 pending invitations');
    expect(seatBreakdown(1, 1)).toBe('1 member · 1 pending invitation');
    expect(seatBreakdown(4, 0)).toBe('4 members');
  });
});

describe('acceptFailureOf', () => {
  it('tells the API’s refusals apart', () => {
    expect(acceptFailureOf(409, 'This invitation has already been used')).toBe('used');
    expect(acceptFailureOf(409, 'This invitation was revoked; ask for a new one')).toBe('revoked');
    expect(acceptFailureOf(409, 'This invitation has expired; ask for a new one')).toBe('expired');
    expect(acceptFailureOf(403, 'This invitation is for a@b.c; sign in with that address to accept it')).toBe(
      'wrong-account',
    );
    expect(acceptFailureOf(404, 'No such invitation')).toBe('unknown');
  });

  it('falls back to a general failure', () => {
    expect(acceptFailureOf(409, 'Something else')).toBe('other');
    expect(acceptFailureOf(undefined, 'offline')).toBe('other');
    expect(acceptFailureOf(500, 'boom')).toBe('other');
  });
});

describe('expiryLabel', () => {
  const now = Date.parse('2026-11-20T10:00:00.000Z');
  const at = (ms: number) => new Date(now + ms).toISOString();
  const HOUR = 3_600_000;

  it('counts days, then hours, then the last hour', () => {
    expect(expiryLabel(at(7 * 24 * HOUR), now)).toBe('expires in 7 days');
    expect(expiryLabel(at(30 * HOUR), now)).toBe('expires tomorrow');
    expect(expiryLabel(at(5 * HOUR + 10), now)).toBe('expires in 5 hours');
    expect(expiryLabel(at(1 * HOUR), now)).toBe('expires in 1 hour');
    expect(expiryLabel(at(10 * 60_000), now)).toBe('expires within the hour');
  });

  it('says expired once the time has passed', () => {
    expect(expiryLabel(at(0), now)).toBe('expired');
    expect(expiryLabel(at(-HOUR), now)).toBe('expired');
  });
});
