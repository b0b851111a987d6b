import type { MyInvitation } from '@tenantry/shared';
import { Button } from '../../components/Button';
import { Card } from '../../components/Card';
import { ErrorState } from '../../components/ErrorState';
import { describeError } from '../../lib/api-errors';
import { formatDateTime, useNow } from '../../lib/time';
import { trpc } from '../../lib/trpc';
import { ROLE_LABELS } from '../tenants/tenant-format';
import { expiryLabel } from './invitation-rules';
import { useAcceptInvitation } from './useAcceptInvitation';

/** The signed-in user's pending invitations, to accept or decline; nothing at all when there are none. */
export function MyInvitationsCard() {
  const mine = trpc.invitations.mine.useQuery();
  const now = useNow(60_000);
  if (mine.isPending || (mine.isSuccess && mine.data.length === 0)) return null;
  return (
    <Card title="Invitations" description="Organisations that invited you to join them.">
      {mine.isError ? (
        <ErrorState
          title="Your invitations could not be loaded"
          message={describeError(mine.error)}
          onRetry={() => void mine.refetch()}
          retrying={mine.isFetching}
        />
      ) : (
        <ul className="invitation-list" data-testid="my-invitations">
          {mine.data.map((invitation) => (
            <MyInvitationItem key={invitation.id} invitation={invitation} now={now} />
          ))}
        </ul>
      )}
    </Card>
  );
}

function MyInvitationItem({ invitation, now }: { invitation: MyInvitation; now: number }) {
  const utils = trpc.useUtils();
  const accepting = useAcceptInvitation();
  const decline = trpc.invitations.decline.useMutation({ onSuccess: () => void utils.invitations.mine.invalidate() });
  const busy = accepting.isPending || decline.isPending;
  const error: unknown = accepting.acceptError ?? (decline.isError ? decline.error : null);
  return (
    <li className="invitation-list__item" data-testid="my-invitation">
      <div>
        <strong>{invitation.tenantName}</strong>
        <div className="muted">
          As {ROLE_LABELS[invitation.role].toLowerCase()}
          {invitation.invitedByEmail ? `, from ${invitation.invitedByEmail}` : ''} ·{' '}
          <time dateTime={invitation.expiresAt} title={formatDateTime(new Date(invitation.expiresAt))}>
            {expiryLabel(invitation.expiresAt, now)}
          </time>
        </div>
        {error ? (
          <p className="text-danger" role="alert">
            {describeError(error)}
          </p>
        ) : null}
      </div>
      <div className="invitation-list__actions">
        <Button
          size="sm"
          variant="primary"
          disabled={busy}
          loading={accepting.isPending}
          loadingLabel="Joining…"
          onClick={() => accepting.accept({ id: invitation.id })}
          aria-label={`Accept the invitation to ${invitation.tenantName}`}
        >
          Accept
        </Button>
        <Button
          size="sm"
          variant="ghost"
          disabled={busy}
          loading={decline.isPending}
          loadingLabel="Declining…"
          onClick={() => decline.mutate({ id: invitation.id })}
          aria-label={`Decline the invitation to ${invitation.tenantName}`}
        >
          Decline
        </Button>
      </div>
    </li>
  );
}
