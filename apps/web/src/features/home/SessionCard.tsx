import { Button } from '../../components/Button';
import { Card } from '../../components/Card';
import { EmptyState, ErrorState } from '../../components/ErrorState';
import { Spinner } from '../../components/Spinner';
import { describeError } from '../../lib/api-errors';
import { formatCountdown, formatDateTime, useNow } from '../../lib/time';
import { trpc } from '../../lib/trpc';
import { useAccessToken, useRenewAccessToken } from '../auth/useAccessToken';

export function SessionCard() {
  const utils = trpc.useUtils();
  const token = useAccessToken();
  // The API sees the new token (and any group change in it) from now on.
  const renew = useRenewAccessToken({ onRenewed: () => utils.auth.me.invalidate() });

  return (
    <Card
      title="Session"
      description="Your sign-in is kept alive with short-lived access tokens."
      actions={
        token.data ? (
          <Button
            size="sm"
            onClick={() => renew.mutate()}
            loading={renew.isPending}
            loadingLabel="Renewing…"
            data-testid="renew-session"
          >
            Renew session
          </Button>
        ) : null
      }
    >
      {token.isPending ? (
        <Spinner label="Reading your session…" showLabel />
      ) : token.isError ? (
        <ErrorState
          title="Your session could not be read"
          message={describeError(token.error)}
          onRetry={() => void token.refetch()}
          retrying={token.isFetching}
        />
      ) : token.data === null ? (
        <EmptyState title="No active session" message="Sign in again to get a new access token." />
      ) : (
        <>
          <TokenExpiry expiresAt={token.data.expiresAt} />
          {renew.isError ? (
            <div className="alert alert--error" role="alert">
              Your session could not be renewed: {describeError(renew.error)}
            </div>
          ) : null}
          {renew.isSuccess && !renew.isPending ? (
            <div className="alert alert--success" role="status" data-testid="session-renewed">
              Session renewed. The new access token is valid until {formatDateTime(renew.data.expiresAt)}.
            </div>
          ) : null}
        </>
      )}
    </Card>
  );
}

function TokenExpiry({ expiresAt }: { expiresAt: Date }) {
  const now = useNow(1000);
  const remaining = expiresAt.getTime() - now;
  return (
    <dl className="details">
      <div className="details__row">
        <dt>Access token expires</dt>
        <dd>
          <time
            dateTime={expiresAt.toISOString()}
            data-testid="session-expires"
            data-expires-at={Math.floor(expiresAt.getTime() / 1000)}
          >
            {formatDateTime(expiresAt)}
          </time>
        </dd>
      </div>
      <div className="details__row">
        <dt>Time left</dt>
        <dd className={remaining <= 0 ? 'text-danger' : undefined}>
          {remaining <= 0 ? 'Expired — it is renewed on your next request' : formatCountdown(remaining)}
        </dd>
      </div>
    </dl>
  );
}
