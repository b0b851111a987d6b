import type { MyInvitation } from '@tenantry/shared';
import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { MyInvitationsCard } from './MyInvitationsCard';

const mocks = vi.hoisted(() => ({
  mine: vi.fn(),
  accept: vi.fn(),
  decline: vi.fn(),
  invalidate: vi.fn(),
}));

vi.mock('../../lib/trpc', () => ({
  trpc: {
    useUtils: () => ({ invitations: { mine: { invalidate: mocks.invalidate } } }),
    invitations: {
      mine: { useQuery: mocks.mine },
      decline: {
        useMutation: () => ({ mutate: mocks.decline, isPending: false, isError: false, error: null }),
      },
    },
  },
  isTrpcClientError: () => false,
}));
vi.mock('./useAcceptInvitation', () => ({
  useAcceptInvitation: () => ({
    accept: mocks.accept,
    isPending: false,
    isDone: false,
    acceptError: null,
    switchError: null,
    tenantId: null,
  }),
}));

const INVITATION: MyInvitation = {
  id: '55555555-5555-4555-8555-555555555555',
  tenantId: '44444444-4444-4444-8444-444444444444',
  tenantName: 'Acme',
  role: 'viewer',
  invitedByEmail: 'olga@example.com',
  expiresAt: new Date(Date.now() + 3 * 86_400_000 + 60_000).toISOString(),
};

const answer = (extra: Record<string, unknown>) =>
  mocks.mine.mockReturnValue({ isPending: false, isError: false, isSuccess: true, refetch: vi.fn(), ...extra });

beforeEach(() => {
  for (const fn of Object.values(mocks)) fn.mockReset();
});
afterEach(cleanup);

describe('MyInvitationsCard', () => {
  it('lists the organisations that invited the user, with role, inviter and expiry', () => {
    answer({ data: [INVITATION] });
    render(<MyInvitationsCard />);
    const item = screen.getByTestId('my-invitation');
    expect(item.textContent).toContain('Acme');
    expect(item.textContent).toContain('As viewer, from olga@example.com');
    expect(item.textContent).toContain('expires in 3 days');
  });

  it('accepts or declines by id', () => {
    answer({ data: [INVITATION] });
    render(<MyInvitationsCard />);
    fireEvent.click(screen.getByRole('button', { name: 'Accept the invitation to Acme' }));
    expect(mocks.accept).toHaveBeenCalledWith({ id: INVITATION.id });
    fireEvent.click(screen.getByRole('button', { name: 'Decline the invitation to Acme' }));
    expect(mocks.decline).toHaveBeenCalledWith({ id: INVITATION.id });
  });

  it('shows nothing while loading or when there is no invitation, and an error when the list fails', () => {
    answer({ data: [] });
    const { container } = render(<MyInvitationsCard />);
    expect(container.textContent).toBe('');
    cleanup();
    answer({ isPending: true, isSuccess: false, data: undefined });
    expect(render(<MyInvitationsCard />).container.textContent).toBe('');
    cleanup();
    answer({ isError: true, isSuccess: false, error: new Error('boom'), data: undefined });
    render(<MyInvitationsCard />);
    expect(screen.getByText('Your invitations could not be loaded')).toBeTruthy();
  });
});
