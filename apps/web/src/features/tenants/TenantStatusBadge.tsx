import type { TenantStatus } from '@tenantry/shared';
import { Badge } from '../../components/Badge';
import { STATUS_LABELS } from './tenant-format';

const TONES: Record<TenantStatus, 'neutral' | 'accent' | 'success' | 'danger'> = {
  pending: 'accent',
  preparing: 'accent',
  ready: 'success',
  failed: 'danger',
  suspended: 'danger',
  deleting: 'neutral',
  deleted: 'neutral',
};

export function TenantStatusBadge({ status }: { status: TenantStatus }) {
  return <Badge tone={TONES[status]}>{STATUS_LABELS[status]}</Badge>;
}
