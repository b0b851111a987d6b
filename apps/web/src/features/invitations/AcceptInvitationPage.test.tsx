import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { MemoryRouter, Route, Routes } from 'react-router';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { AcceptInvitation } from './useAcceptInvitation';
import { AcceptInvitationPage } from './AcceptInvitationPage';

const TENANT = '44444444-4444-4444-8444-444444444444';

class FakeApiError extends Error {
  constructor(
    message: string,
    readonly data: { httpStatus: number },
  ) {
    super(message);
  }
}

const mocks = vi.hoisted(() => ({
  state: {},
  accept: vi.fn(),
  signOut: vi.fn(),
}));

vi.mock('./useAcceptInvitation', () => ({
  useAcceptInvitation: (): AcceptInvitation => ({
    accept: mocks.accept,
    isPending: false,
    isDone: false,
    acceptError: null,
    switchError: null,
    tenantId: null,
    ...mocks.state,
  }),
}));
vi.mock('../auth/session', () => ({ useSession: () => ({ signOut: mocks.signOut }) }));
vi.mock('../../lib/trpc', () => ({
  trpc: {
    tenants: { mine: { useQuery: () => ({ data: [{ id: TENANT, name: 'Acme', role: 'viewer' }] }) } },
  },
  isTrpcClientError: (error: unknown) => error instanceof FakeApiError,
}));
vi.mock('../../lib/api-errors', () => ({
  describeError: (error: unknown) => (error instanceof Error ? error.message : 'unexpected'),
}));

function renderAt(url: string) {
  render(
    <MemoryRouter initialEntries={[url]}>
      <Routes>
        <Route path="/invitations/accept" element={<AcceptInvitationPage />} />
      </Routes>
    </MemoryRouter>,
  );
}

const TOKEN = 'x'.repeat(32);

beforeEach(() => {
  mocks.state = {};
  mocks.accept.mockReset();
  mocks.signOut.mockReset().mockResolvedValue(undefined);
});
afterEach(cleanup);

describe('AcceptInvitationPage', () => {
  it('accepts the link’s token once, and welcomes the user in the organisation', () => {
    renderAt(`/invitations/accept?token=${TOKEN}`);
    expect(mocks.accept).toHaveBeenCalledTimes(1);
    expect(mocks.accept).toHaveBeenCalledWith({ token: TOKEN });
    expect(screen.getByText('Accepting the invitation…')).toBeTruthy();
    cleanup();
    mocks.state = { isDone: true, tenantId: TENANT };
    renderAt(`/invitations/accept?token=${TOKEN}`);
    expect(screen.getByTestId('joined-tenant').textContent).toBe('Acme');
    expect(screen.getByTestId('joined-role').textContent).toBe('Viewer');
  });

  it('says an incomplete link is not valid, without calling the API', () => {
    renderAt('/invitations/accept?token=short');
    expect(mocks.accept).not.toHaveBeenCalled();
    expect(screen.getByTestId('invitation-failed').textContent).toContain('This invitation link is not valid');
  });

  it('names each refusal', () => {
    for (const [message, title] of [
      ['This invitation was revoked; ask for a new one', 'This invitation was revoked'],
      ['This invitation has expired; ask for a new one', 'This invitation has expired'],
    ]) {
      mocks.state = { acceptError: new FakeApiError(message!, { httpStatus: 409 }) };
      renderAt(`/invitations/accept?token=${TOKEN}`);
      const failed = screen.getByTestId('invitation-failed');
      expect(failed.textContent).toContain(title);
      expect(failed.textContent).toContain('Ask the person who invited you');
      expect(screen.queryByRole('button', { name: 'Sign out and use another account' })).toBeNull();
      cleanup();
    }
  });

  it('says where an accepted organisation is', () => {
    mocks.state = { acceptError: new FakeApiError('This invitation has already been used', { httpStatus: 409 }) };
    renderAt(`/invitations/accept?token=${TOKEN}`);
    expect(screen.getByTestId('invitation-failed').textContent).toContain('in your organisation menu');
  });

  it('offers to sign out when the invitation is for another address', () => {
    const message = 'This invitation is for ann@example.com; sign in with that address to accept it';
    mocks.state = { acceptError: new FakeApiError(message, { httpStatus: 403 }) };
    renderAt(`/invitations/accept?token=${TOKEN}`);
    const failed = screen.getByTestId('invitation-failed');
    expect(failed.textContent).toContain('This invitation is for another account');
    expect(failed.textContent).toContain(message);
    fireEvent.click(screen.getByRole('button', { name: 'Sign out and use another account' }));
    expect(mocks.signOut).toHaveBeenCalled();
  });
});
