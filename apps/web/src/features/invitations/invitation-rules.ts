import { can, Role } from '@tenantry/shared';

/** The roles `actor` may invite someone as: an admin never makes an owner (the API refuses it too). */
export function invitableRoles(actor: Role): readonly Role[] {
  if (!can(actor, 'members.manage')) return [];
  return actor === 'owner' ? Role.options : Role.options.filter((role) => role !== 'owner');
}

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

/** "3 members · 2 pending invitations": what takes the plan's seats. */
export function seatBreakdown(members: number, pending: number): string {
  const people = plural(members, 'member', 'members');
  return pending > 0 ? `${people} · ${plural(pending, 'pending invitation', 'pending invitations')}` : people;
}

/** Why accepting an invitation failed, from the API's answer, so the page can offer the right way out. */
export type AcceptFailure = 'used' | 'revoked' | 'expired' | 'wrong-account' | 'unknown' | 'other';

export function acceptFailureOf(status: number | undefined, message: string): AcceptFailure {
  if (status === 404) return 'unknown';
  if (status === 403) return 'wrong-account';
  if (status === 409) {
    if (/already been used/i.test(message)) return 'used';
    if (/revoked/i.test(message)) return 'revoked';
    if (/expired/i.test(message)) return 'expired';
  }
  return 'other';
}

export const ACCEPT_FAILURE_TITLES: Record<AcceptFailure, string> = {
  used: 'This invitation has already been used',
  revoked: 'This invitation was revoked',
  expired: 'This invitation has expired',
  'wrong-account': 'This invitation is for another account',
  unknown: 'This invitation link is not valid',
  other: 'The invitation could not be accepted',
};

/** What to do next; null where the API's own sentence says it best (it names the invited address). */
export const ACCEPT_FAILURE_HELP: Record<AcceptFailure, string | null> = {
  used: 'It was accepted already. If that was you, the organisation is in your organisation menu.',
  revoked: 'Ask the person who invited you for a new invitation.',
  expired: 'Ask the person who invited you to send it again.',
  'wrong-account': null,
  unknown: 'Open the whole link from the e-mail, or ask for a new invitation.',
  other: null,
};

/** "expires in 6 days", "expires tomorrow", "expired". */
export function expiryLabel(expiresAt: string, now: number): string {
  const ms = new Date(expiresAt).getTime() - now;
  if (ms <= 0) return 'expired';
  const hours = Math.floor(ms / 3_600_000);
  if (hours < 1) return 'expires within the hour';
  if (hours < 24) return `expires in ${plural(hours, 'hour', 'hours')}`;
  const days = Math.floor(hours / 24);
  return days === 1 ? 'expires tomorrow' : `expires in ${days} days`;
}
