import { Badge } from '../../components/Badge';
import { Card } from '../../components/Card';
import { ErrorState } from '../../components/ErrorState';
import { Spinner } from '../../components/Spinner';
import { describeError } from '../../lib/api-errors';
import { formatDate } from '../../lib/time';
import { trpc } from '../../lib/trpc';

export function MeCard() {
  const me = trpc.auth.me.useQuery();
  return (
    <Card title="Who you are" description="Your account as the Tenantry API knows it.">
      {me.isPending ? (
        <Spinner label="Loading your account…" showLabel />
      ) : me.isError ? (
        <ErrorState
          title="Your account could not be loaded"
          message={describeError(me.error)}
          onRetry={() => void me.refetch()}
          retrying={me.isFetching}
        />
      ) : (
        <dl className="details">
          <div className="details__row">
            <dt>Email</dt>
            <dd data-testid="me-email">{me.data.email}</dd>
          </div>
          <div className="details__row">
            <dt>Name</dt>
            <dd>{me.data.name ?? <span className="muted">Not set</span>}</dd>
          </div>
          <div className="details__row">
            <dt>User ID</dt>
            <dd>
              <code className="mono">{me.data.id}</code>
            </dd>
          </div>
          <div className="details__row">
            <dt>Access</dt>
            <dd>{me.data.isSuperadmin ? <Badge tone="accent">Superadmin</Badge> : 'Standard user'}</dd>
          </div>
          <div className="details__row">
            <dt>Groups</dt>
            <dd>
              {me.data.groups.length > 0 ? (
                <ul className="tag-list" aria-label="Groups">
                  {me.data.groups.map((group) => (
                    <li key={group}>
                      <Badge>{group}</Badge>
                    </li>
                  ))}
                </ul>
              ) : (
                <span className="muted">No groups</span>
              )}
            </dd>
          </div>
          <div className="details__row">
            <dt>Member since</dt>
            <dd>
              <time dateTime={me.data.createdAt}>{formatDate(new Date(me.data.createdAt))}</time>
            </dd>
          </div>
        </dl>
      )}
    </Card>
  );
}
