import type { Invitation } from '@tenantry/shared';
import { useState } from 'react';
import { Button } from '../../components/Button';
import { Card } from '../../components/Card';
import { ConfirmDialog } from '../../components/Dialog';
import { EmptyState, ErrorState } from '../../components/ErrorState';
import { Spinner } from '../../components/Spinner';
import { describeError } from '../../lib/api-errors';
import { formatDateTime, useNow } from '../../lib/time';
import { trpc } from '../../lib/trpc';
import { expiryLabel } from '../invitations/invitation-rules';
import { ROLE_LABELS } from '../tenants/tenant-format';

/** After an invitation changes: the pending list and the member list's seat count. */
export function useInvitationsChanged(): () => void {
  const utils = trpc.useUtils();
  return () => {
    void utils.invitations.list.invalidate();
    void utils.members.list.invalidate();
  };
}

/** The tenant's invitations nobody has answered yet, with re-send and revoke (owners and admins). */
export function PendingInvitations({ notice }: { notice: string | null }) {
  const list = trpc.invitations.list.useQuery();
  const [revoking, setRevoking] = useState<Invitation | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  const now = useNow(60_000);
  const shown = message ?? notice;

  return (
    <Card title="Pending invitations" description="Each one holds a seat until it is accepted, declined or revoked.">
      {shown ? (
        <p className="alert alert--success" role="status" data-testid="invitation-notice">
          {shown}
        </p>
      ) : null}
      {list.isPending ? (
        <Spinner label="Loading the invitations…" showLabel />
      ) : list.isError ? (
        <ErrorState
          title="The invitations could not be loaded"
          message={describeError(list.error)}
          onRetry={() => void list.refetch()}
          retrying={list.isFetching}
        />
      ) : list.data.length === 0 ? (
        <div data-testid="invitations-empty">
          <EmptyState title="No pending invitations" message="Invite someone to give them access." />
        </div>
      ) : (
        <div className="table-wrap">
          <table className="table" data-testid="invitations-table">
            <thead>
              <tr>
                <th scope="col">E-mail</th>
                <th scope="col">Role</th>
                <th scope="col">Invited by</th>
                <th scope="col">Expires</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {list.data.map((invitation) => (
                <InvitationRow
                  key={invitation.id}
                  invitation={invitation}
                  now={now}
                  onResent={() => setMessage(`A new link was sent to ${invitation.email}.`)}
                  onRevoke={() => setRevoking(invitation)}
                />
              ))}
            </tbody>
          </table>
        </div>
      )}
      <RevokeDialog
        invitation={revoking}
        onClose={() => setRevoking(null)}
        onRevoked={(email) => setMessage(`The invitation for ${email} was revoked.`)}
      />
    </Card>
  );
}

function InvitationRow({
  invitation,
  now,
  onResent,
  onRevoke,
}: {
  invitation: Invitation;
  now: number;
  onResent: () => void;
  onRevoke: () => void;
}) {
  const changed = useInvitationsChanged();
  const resend = trpc.invitations.resend.useMutation({ onSuccess: onResent, onSettled: changed });
  return (
    <>
      <tr data-testid="invitation-row">
        <td className="table__strong">{invitation.email}</td>
        <td>{ROLE_LABELS[invitation.role]}</td>
        <td>{invitation.invitedByEmail ?? <span className="muted">—</span>}</td>
        <td className="table__nowrap">
          <time dateTime={invitation.expiresAt} title={formatDateTime(new Date(invitation.expiresAt))}>
            {expiryLabel(invitation.expiresAt, now)}
          </time>
        </td>
        <td className="table__actions">
          <Button
            size="sm"
            variant="ghost"
            onClick={() => resend.mutate({ id: invitation.id })}
            loading={resend.isPending}
            loadingLabel="Sending…"
            aria-label={`Resend the invitation to ${invitation.email}`}
          >
            Resend
          </Button>
          <Button
            size="sm"
            variant="ghost"
            onClick={onRevoke}
            aria-label={`Revoke the invitation to ${invitation.email}`}
          >
            Revoke
          </Button>
        </td>
      </tr>
      {resend.isError ? (
        <tr className="table__row-error">
          <td colSpan={5}>
            <p className="text-danger" role="alert">
              {describeError(resend.error)}
            </p>
          </td>
        </tr>
      ) : null}
    </>
  );
}

function RevokeDialog({
  invitation,
  onClose,
  onRevoked,
}: {
  invitation: Invitation | null;
  onClose: () => void;
  onRevoked: (email: string) => void;
}) {
  const changed = useInvitationsChanged();
  const revoke = trpc.invitations.revoke.useMutation({ onSettled: changed });
  const close = () => {
    revoke.reset();
    onClose();
  };
  return (
    <ConfirmDialog
      open={invitation !== null}
      title="Revoke this invitation?"
      onClose={close}
      confirmLabel={'Revoke invitation'}
      pendingLabel="Revoking…"
      pending={revoke.isPending}
      onConfirm={() =>
        invitation &&
        revoke.mutate(
          { id: invitation.id },
          {
            onSuccess: () => {
              onRevoked(invitation.email);
              close();
            },
          },
        )
      }
    >
      <p>The link sent to {invitation?.email} will stop working, and its seat is freed.</p>
      {revoke.isError ? (
        <p className="text-danger" role="alert">
          {describeError(revoke.error)}
        </p>
      ) : null}
    </ConfirmDialog>
  );
}
