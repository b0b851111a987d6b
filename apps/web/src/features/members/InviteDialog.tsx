import type { Role } from '@tenantry/shared';
import { useState, type FormEvent } from 'react';
import { Button } from '../../components/Button';
import { Dialog } from '../../components/Dialog';
import { Field } from '../../components/Field';
import { describeError } from '../../lib/api-errors';
import { fieldErrorsOf, trpc } from '../../lib/trpc';
import { invitableRoles } from '../invitations/invitation-rules';
import { ROLE_LABELS } from '../tenants/tenant-format';
import { useInvitationsChanged } from './PendingInvitations';

const FORM_ID = 'invite-member-form';

/** Invites someone by e-mail; the API's refusals (already a member, no seat left, …) are shown in the dialog. */
export function InviteDialog({
  open,
  actorRole,
  onClose,
  onInvited,
}: {
  open: boolean;
  actorRole: Role;
  onClose: () => void;
  onInvited: (email: string) => void;
}) {
  const roles = invitableRoles(actorRole);
  const [email, setEmail] = useState('');
  const [role, setRole] = useState<Role>('member');
  const changed = useInvitationsChanged();
  const invite = trpc.members.invite.useMutation({ onSuccess: changed });
  const fieldErrors = invite.isError ? fieldErrorsOf(invite.error) : {};
  const hasFieldErrors = Object.keys(fieldErrors).length > 0;

  const close = () => {
    invite.reset();
    setEmail('');
    setRole('member');
    onClose();
  };
  const submit = (event: FormEvent) => {
    event.preventDefault();
    invite.mutate(
      { email, role },
      {
        onSuccess: (invitation) => {
          onInvited(invitation.email);
          close();
        },
      },
    );
  };

  return (
    <Dialog
      open={open}
      title="Invite someone"
      onClose={close}
      actions={
        <>
          <Button size="sm" variant="ghost" onClick={close}>
            Cancel
          </Button>
          <Button
            size="sm"
            variant="primary"
            type="submit"
            form={FORM_ID}
            loading={invite.isPending}
            loadingLabel="Inviting…"
          >
            Send invitation
          </Button>
        </>
      }
    >
      <form id={FORM_ID} className="form" noValidate onSubmit={submit} aria-label="Invite someone">
        <p className="muted">They get an e-mail with a link to join; it takes a seat until they answer.</p>
        <Field id="invite-email" label="E-mail" error={fieldErrors.email}>
          {(control) => (
            <input
              {...control}
              className="input"
              type="email"
              autoComplete="off"
              value={email}
              onChange={(e) => setEmail(e.target.value)}
              required
            />
          )}
        </Field>
        <Field
          id="invite-role"
          label="Role"
          error={fieldErrors.role}
          hint={actorRole === 'owner' ? undefined : 'Only an owner can invite an owner.'}
        >
          {(control) => (
            <select {...control} className="input" value={role} onChange={(e) => setRole(e.target.value as Role)}>
              {roles.map((r) => (
                <option key={r} value={r}>
                  {ROLE_LABELS[r]}
                </option>
              ))}
            </select>
          )}
        </Field>
        {invite.isError && !hasFieldErrors ? (
          <p className="text-danger" role="alert" data-testid="invite-error">
            {describeError(invite.error)}
          </p>
        ) : null}
      </form>
    </Dialog>
  );
}
