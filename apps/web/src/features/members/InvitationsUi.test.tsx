import type { Invitation } from '@tenantry/shared';
import { cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { useState } from 'react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { InviteDialog } from './InviteDialog';
import { PendingInvitations } from './PendingInvitations';

const mocks = vi.hoisted(() => ({
  list: vi.fn(),
  invite: vi.fn(),
  resend: vi.fn(),
  revoke: vi.fn(),
  invalidate: { invitations: vi.fn(), members: vi.fn() },
  fieldErrors: {},
}));

vi.mock('../../lib/trpc', () => ({
  trpc: {
    useUtils: () => ({
      invitations: { list: { invalidate: mocks.invalidate.invitations } },
      members: { list: { invalidate: mocks.invalidate.members } },
    }),
    invitations: {
      list: { useQuery: mocks.list },
      resend: { useMutation: fakeMutation(mocks.resend) },
      revoke: { useMutation: fakeMutation(mocks.revoke) },
    },
    members: { invite: { useMutation: fakeMutation(mocks.invite) } },
  },
  fieldErrorsOf: () => mocks.fieldErrors,
  isTrpcClientError: () => false,
}));

interface MutationOptions {
  onSuccess?: (data: unknown) => void;
  onSettled?: () => void;
}

/** A stand-in for tRPC's `useMutation` that runs `call` and reports like TanStack Query does. */
function fakeMutation(call: (input: unknown) => Promise<unknown>) {
  return function useFakeMutation(options: MutationOptions = {}) {
    const [state, setState] = useState<{ isPending: boolean; error: unknown }>({ isPending: false, error: null });
    return {
      ...state,
      isError: state.error !== null,
      reset: () => setState({ isPending: false, error: null }),
      mutate: (input: unknown, once: MutationOptions = {}) => {
        setState({ isPending: true, error: null });
        call(input).then(
          (data) => {
            setState({ isPending: false, error: null });
            options.onSuccess?.(data);
            once.onSuccess?.(data);
            options.onSettled?.();
          },
          (error: unknown) => {
            setState({ isPending: false, error });
            options.onSettled?.();
          },
        );
      },
    };
  };
}

const NOW = Date.now();
const invitation = (patch: Partial<Invitation>): Invitation => ({
  id: '55555555-5555-4555-8555-555555555555',
  email: 'new@example.com',
  role: 'member',
  status: 'pending',
  invitedByEmail: 'olga@example.com',
  createdAt: new Date(NOW).toISOString(),
  expiresAt: new Date(NOW + 7 * 86_400_000 - 60_000).toISOString(),
  ...patch,
});

const optionsOf = (select: HTMLElement) =>
  within(select)
    .getAllByRole('option', { hidden: true })
    .map((o) => o.textContent);

beforeEach(() => {
  mocks.fieldErrors = {};
  for (const fn of [mocks.invite, mocks.resend, mocks.revoke, mocks.invalidate.invitations, mocks.invalidate.members]) {
    fn.mockReset().mockResolvedValue({ ok: true });
  }
  mocks.list.mockReset();
});
afterEach(cleanup);

describe('InviteDialog', () => {
  const renderDialog = (actorRole: 'owner' | 'admin') => {
    const onInvited = vi.fn();
    const onClose = vi.fn();
    render(<InviteDialog open actorRole={actorRole} onClose={onClose} onInvited={onInvited} />);
    return { onInvited, onClose };
  };

  it('offers an admin every role but owner, and an owner all of them', () => {
    renderDialog('admin');
    expect(optionsOf(screen.getByLabelText('Role'))).toEqual(['Admin', 'Member', 'Viewer']);
    cleanup();
    renderDialog('owner');
    expect(optionsOf(screen.getByLabelText('Role'))).toEqual(['Owner', 'Admin', 'Member', 'Viewer']);
  });

  it('sends the e-mail and role, then reports who was invited and closes', async () => {
    mocks.invite.mockResolvedValue(invitation({ email: 'ann@example.com', role: 'viewer' }));
    const { onInvited, onClose } = renderDialog('admin');
    fireEvent.change(screen.getByLabelText('E-mail'), { target: { value: 'ann@example.com' } });
    fireEvent.change(screen.getByLabelText('Role'), { target: { value: 'viewer' } });
    fireEvent.click(screen.getByRole('button', { name: 'Send invitation', hidden: true }));
    expect(mocks.invite).toHaveBeenCalledWith({ email: 'ann@example.com', role: 'viewer' });
    await vi.waitFor(() => expect(onInvited).toHaveBeenCalledWith('ann@example.com'));
    expect(onClose).toHaveBeenCalled();
    expect(mocks.invalidate.invitations).toHaveBeenCalled();
    expect(mocks.invalidate.members).toHaveBeenCalled();
  });

  it('shows the API’s refusal, such as the plan limit, in the dialog', async () => {
    const message = 'Your plan has 5 seats: 3 members and 2 pending invitations use 5.';
    mocks.invite.mockRejectedValue(new Error(message));
    const { onClose } = renderDialog('owner');
    fireEvent.change(screen.getByLabelText('E-mail'), { target: { value: 'ann@example.com' } });
    fireEvent.click(screen.getByRole('button', { name: 'Send invitation', hidden: true }));
    expect((await screen.findByTestId('invite-error')).textContent).toBe(message);
    expect(onClose).not.toHaveBeenCalled();
  });

  it('shows a field error by its field instead', async () => {
    mocks.fieldErrors = { email: 'Enter a valid email address' };
    mocks.invite.mockRejectedValue(new Error('Bad input'));
    renderDialog('owner');
    fireEvent.click(screen.getByRole('button', { name: 'Send invitation', hidden: true }));
    await vi.waitFor(() => expect(screen.getByLabelText('E-mail').getAttribute('aria-invalid')).toBe('true'));
    expect(screen.getByText('Enter a valid email address')).toBeTruthy();
    expect(screen.queryByTestId('invite-error')).toBeNull();
  });
});

describe('PendingInvitations', () => {
  const answer = (extra: Record<string, unknown>) =>
    mocks.list.mockReturnValue({ isPending: false, isError: false, isFetching: false, refetch: vi.fn(), ...extra });

  it('lists each invitation with its role, inviter and expiry', () => {
    answer({
      data: [
        invitation({}),
        invitation({ id: '66666666-6666-4666-8666-666666666666', email: 'v@x.io', role: 'viewer' }),
      ],
    });
    render(<PendingInvitations notice={null} />);
    const rows = screen.getAllByTestId('invitation-row');
    expect(rows).toHaveLength(2);
    expect(rows[0]?.textContent).toContain('new@example.com');
    expect(rows[0]?.textContent).toContain('Member');
    expect(rows[0]?.textContent).toContain('olga@example.com');
    expect(rows[0]?.textContent).toContain('expires in 6 days');
    expect(rows[1]?.textContent).toContain('Viewer');
  });

  it('re-sends, then says so and refreshes', async () => {
    answer({ data: [invitation({})] });
    render(<PendingInvitations notice={null} />);
    fireEvent.click(screen.getByRole('button', { name: 'Resend the invitation to new@example.com' }));
    expect(mocks.resend).toHaveBeenCalledWith({ id: invitation({}).id });
    expect((await screen.findByTestId('invitation-notice')).textContent).toContain('A new link was sent');
    expect(mocks.invalidate.invitations).toHaveBeenCalled();
  });

  it('revokes only after confirmation, freeing the seat', async () => {
    answer({ data: [invitation({})] });
    render(<PendingInvitations notice={null} />);
    fireEvent.click(screen.getByRole('button', { name: 'Revoke the invitation to new@example.com' }));
    expect(mocks.revoke).not.toHaveBeenCalled();
    fireEvent.click(await screen.findByRole('button', { name: 'Revoke invitation', hidden: true }));
    expect(mocks.revoke).toHaveBeenCalledWith({ id: invitation({}).id });
    expect((await screen.findByTestId('invitation-notice')).textContent).toContain('was revoked');
    expect(mocks.invalidate.members).toHaveBeenCalled();
  });

  it('has empty, loading and error states', () => {
    answer({ data: [] });
    render(<PendingInvitations notice="An invitation was sent to a@b.c." />);
    expect(screen.getByText('No pending invitations')).toBeTruthy();
    expect(screen.getByTestId('invitation-notice').textContent).toContain('a@b.c');
    cleanup();
    answer({ isPending: true, data: undefined });
    render(<PendingInvitations notice={null} />);
    expect(screen.getByText('Loading the invitations…')).toBeTruthy();
    cleanup();
    const refetch = vi.fn();
    answer({ isError: true, error: new Error('boom'), data: undefined, refetch });
    render(<PendingInvitations notice={null} />);
    expect(screen.getByText('The invitations could not be loaded')).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Try again' }));
    expect(refetch).toHaveBeenCalled();
  });
});
