import type { TenantExport, TenantHealth } from '@tenantry/shared';
import { formatBytes } from '../usage/usage-format';

/** Poll `tenants.exports` while an export is queued or running; stop once every one has settled. */
export const EXPORT_POLL_MS = 1000;

export const exportInFlight = (exports: readonly TenantExport[] | undefined): boolean =>
  (exports ?? []).some((e) => e.status === 'queued' || e.status === 'running');

/** One line saying where an export stands. */
export function exportStatusText(e: TenantExport): string {
  switch (e.status) {
    case 'queued':
      return 'Waiting to start…';
    case 'running':
      return `${e.step ?? 'Working'} — ${e.progress}%`;
    case 'ready':
      return `Ready${e.size === null ? '' : ` · ${formatBytes(e.size)}`}`;
    case 'failed':
      return `Failed: ${e.error ?? 'unknown error'}`;
  }
}

/** The storage line of a health report, in words. */
export function storageText(h: TenantHealth): string {
  const s = h.storage;
  const files = `${formatBytes(s.countedBytes)} counted, ${formatBytes(s.objectBytes)} in ${s.objects} object${s.objects === 1 ? '' : 's'}`;
  return s.exportObjects ? `${files}; exports ${formatBytes(s.exportBytes)} (not counted)` : files;
}
