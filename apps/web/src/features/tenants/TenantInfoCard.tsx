import { PLANS } from '@tenantry/shared';
import { Badge } from '../../components/Badge';
import { Card } from '../../components/Card';
import { ErrorState } from '../../components/ErrorState';
import { Spinner } from '../../components/Spinner';
import { describeError } from '../../lib/api-errors';
import { formatDate } from '../../lib/time';
import { appCodeOf, trpc } from '../../lib/trpc';
import { ROLE_LABELS, seatsLabel } from './tenant-format';
import { TenantStatusBadge } from './TenantStatusBadge';
import { RequireTenant, TenantUnavailableState } from './TenantStates';

/** The home page's organisation card: what the active organisation is and who you are in it. */
export function TenantOverview() {
  return <RequireTenant>{(active) => <TenantInfoCard key={active.id} fallbackName={active.name} />}</RequireTenant>;
}

function TenantInfoCard({ fallbackName }: { fallbackName: string }) {
  const current = trpc.tenants.current.useQuery();
  if (current.isPending) {
    return (
      <Card title="Organisation">
        <Spinner label="Loading your organisation…" showLabel />
      </Card>
    );
  }
  if (current.isError) {
    const details = (
      current.error.data as { details?: { tenantStatus?: unknown; tenantId?: unknown } | null } | undefined
    )?.details;
    if (appCodeOf(current.error) === 'TENANT_NOT_READY' && typeof details?.tenantId === 'string') {
      const status = details.tenantStatus === 'failed' ? 'failed' : 'preparing';
      return <TenantUnavailableState tenant={{ id: details.tenantId, name: fallbackName, status }} />;
    }
    return (
      <Card title="Organisation">
        <ErrorState
          title="Your organisation could not be loaded"
          message={describeError(current.error)}
          onRetry={() => void current.refetch()}
          retrying={current.isFetching}
        />
      </Card>
    );
  }
  const t = current.data;
  return (
    <Card title="Organisation" description="The organisation you are working in.">
      <dl className="details">
        <div className="details__row">
          <dt>Name</dt>
          <dd data-testid="tenant-name">{t.name}</dd>
        </div>
        <div className="details__row">
          <dt>Address</dt>
          <dd>
            <code className="mono" data-testid="tenant-slug">
              {t.slug}
            </code>
          </dd>
        </div>
        <div className="details__row">
          <dt>Plan</dt>
          <dd data-testid="tenant-plan">{PLANS[t.plan].name}</dd>
        </div>
        <div className="details__row">
          <dt>Status</dt>
          <dd data-testid="tenant-status">
            <TenantStatusBadge status={t.status} />
          </dd>
        </div>
        <div className="details__row">
          <dt>Members</dt>
          <dd>{seatsLabel(t.memberCount, t.maxUsers)}</dd>
        </div>
        <div className="details__row">
          <dt>Created</dt>
          <dd>
            <time dateTime={t.createdAt}>{formatDate(new Date(t.createdAt))}</time>
          </dd>
        </div>
        <div className="details__row">
          <dt>Your role</dt>
          <dd data-testid="tenant-role">
            {ROLE_LABELS[t.role]}
            {t.viaSuperadmin ? (
              <>
                {' '}
                <Badge tone="accent">as superadmin</Badge>
              </>
            ) : null}
          </dd>
        </div>
      </dl>
    </Card>
  );
}
