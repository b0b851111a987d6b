import { formatInteger } from '../../lib/region';

const count = { format: formatInteger };

/** "12 / 1,000 users", or "3 / unlimited users" when the plan sets no cap. */
export function seatsLabel(memberCount: number, maxUsers: number | null): string {
  const noun = memberCount === 1 && maxUsers === null ? 'user' : 'users';
  const members = count.format(memberCount);
  return maxUsers === null ? `${members} / unlimited ${noun}` : `${members} / ${count.format(maxUsers)} ${noun}`;
}

/** A short duration for provisioning times: "850 ms", "2.4 s", "1 min 05 s". */
export function formatDuration(ms: number | null): string {
  if (ms === null || !Number.isFinite(ms) || ms < 0) return '—';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const seconds = Math.round(ms / 1000);
  return `${Math.floor(seconds / 60)} min ${String(seconds % 60).padStart(2, '0')} s`;
}

export const ROLE_LABELS = { owner: 'Owner', admin: 'Admin', member: 'Member', viewer: 'Viewer' } as const;

export const STATUS_LABELS = {
  pending: 'Pending',
  preparing: 'Preparing',
  ready: 'Ready',
  failed: 'Failed',
  suspended: 'Suspended',
  deleting: 'Deleting',
  deleted: 'Deleted',
} as const;
