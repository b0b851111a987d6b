import { Fragment, type ReactNode } from 'react';
import { Link } from 'react-router';
import { Button } from '../../components/Button';
import { Card } from '../../components/Card';
import { ErrorState } from '../../components/ErrorState';
import { Spinner } from '../../components/Spinner';
import { describeError } from '../../lib/api-errors';
import { trpc } from '../../lib/trpc';
import type { ActiveTenant } from './active-tenant';
import { ROLE_LABELS, seatsLabel } from './tenant-format';
import { TenantStatusBadge } from './TenantStatusBadge';
import { CREATE_ORGANISATION_PATH } from './TenantSwitcher';
import { useActiveTenant, useSwitchTenant } from './useActiveTenant';

export const progressPath = (tenantId: string) => `/organisations/${tenantId}/progress`;

/** For a user with no current organisation: create one, or pick one they already belong to. */
export function NoTenantState({ tenants }: { tenants: Extract<ActiveTenant, { state: 'none' }>['tenants'] }) {
  const switcher = useSwitchTenant();
  return (
    <Card title="Organisation" description="Projects, members and files live in an organisation.">
      <div className="state state--empty" data-testid="no-tenant">
        <p className="state__title">
          {tenants.length ? 'Choose an organisation' : 'You are not in an organisation yet'}
        </p>
        <p className="state__message">
          {tenants.length
            ? 'Pick one of your organisations to work in, or create a new one.'
            : 'Create one for your team: it takes a few seconds to prepare.'}
        </p>
        {tenants.length ? (
          <ul className="choice-list">
            {tenants.map((t) => (
              <li key={t.id}>
                <Button
                  size="sm"
                  onClick={() => switcher.mutate({ id: t.id })}
                  disabled={switcher.isPending}
                  aria-label={`Open ${t.name}`}
                >
                  {t.name}
                </Button>{' '}
                <span className="muted">
                  {ROLE_LABELS[t.role]} · {seatsLabel(t.memberCount, t.maxUsers)}
                </span>{' '}
                {t.status !== 'ready' ? <TenantStatusBadge status={t.status} /> : null}
              </li>
            ))}
          </ul>
        ) : null}
        {switcher.isError ? <p className="text-danger">{describeError(switcher.error)}</p> : null}
        <Link className="btn btn--primary btn--md" to={CREATE_ORGANISATION_PATH}>
          Create organisation
        </Link>
      </div>
    </Card>
  );
}

/** The user's organisation exists but is being prepared, failed or is suspended. */
export function TenantUnavailableState({
  tenant,
}: {
  tenant: Extract<ActiveTenant, { state: 'unavailable' }>['tenant'];
}) {
  const following = tenant.status === 'pending' || tenant.status === 'preparing' || tenant.status === 'failed';
  return (
    <Card title={tenant.name} description="This organisation cannot be used right now.">
      <div className="state" data-testid="tenant-unavailable">
        <p className="state__title">
          Status: <TenantStatusBadge status={tenant.status} />
        </p>
        <p className="state__message">
          {tenant.status === 'suspended'
            ? 'It is suspended. Contact support to have it resumed.'
            : tenant.status === 'failed'
              ? 'It could not be prepared.'
              : 'It is being prepared; this usually takes a few seconds.'}
        </p>
        {following ? (
          <Link className="btn btn--secondary btn--sm" to={progressPath(tenant.id)}>
            Follow its preparation
          </Link>
        ) : null}
      </div>
    </Card>
  );
}

/** Renders `children` once the active organisation is usable; otherwise says why not and what to do. */
export function RequireTenant({
  children,
}: {
  children: (tenant: Extract<ActiveTenant, { state: 'ready' }>) => ReactNode;
}) {
  const active = useActiveTenant();
  const mine = trpc.tenants.mine.useQuery();
  switch (active.state) {
    case 'loading':
      return <Spinner label="Loading your organisation…" showLabel />;
    case 'error':
      return (
        <ErrorState
          title="Your organisations could not be loaded"
          message={describeError(active.error)}
          onRetry={() => void mine.refetch()}
          retrying={mine.isFetching}
        />
      );
    case 'none':
      return <NoTenantState tenants={active.tenants} />;
    case 'unavailable':
      return <TenantUnavailableState tenant={active.tenant} />;
    case 'ready':
      // Keyed by tenant: no local state of the previous organisation survives a switch.
      return <Fragment key={active.id}>{children(active)}</Fragment>;
  }
}
