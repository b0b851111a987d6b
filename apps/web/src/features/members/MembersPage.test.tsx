import type { Member, MemberPage } from '@tenantry/shared';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { useState } from 'react';
import { MemoryRouter, Route, Routes } from 'react-router';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { tenantContext } from '../tenants/tenant-context';
import { MembersPage } from './MembersPage';

const ME = '11111111-1111-4111-8111-111111111111';
const OWNER = '22222222-2222-4222-8222-222222222222';
const VIEWER = '33333333-3333-4333-8333-333333333333';
const TENANT = '44444444-4444-4444-8444-444444444444';

const mocks = vi.hoisted(() => ({
  list: vi.fn(),
  updateRole: vi.fn(),
  remove: vi.fn(),
  leave: vi.fn(),
  tenant: { role: 'admin', viaSuperadmin: false },
  invalidate: { list: vi.fn(), mine: vi.fn(), current: vi.fn() },
  setMine: vi.fn(),
}));

vi.mock('../../lib/trpc', () => ({
  trpc: {
    useUtils: () => ({
      members: { list: { invalidate: mocks.invalidate.list } },
      tenants: {
        mine: { invalidate: mocks.invalidate.mine, setData: mocks.setMine },
        current: { invalidate: mocks.invalidate.current },
      },
    }),
    auth: { me: { useQuery: () => ({ data: { id: ME } }) } },
    invitations: { list: { useQuery: () => ({ isPending: false, isError: false, data: [] }) } },
    members: {
      list: { useInfiniteQuery: mocks.list },
      updateRole: { useMutation: mocks.updateRole },
      remove: { useMutation: mocks.remove },
      leave: { useMutation: mocks.leave },
    },
  },
  appCodeOf: () => undefined,
  isTrpcClientError: () => false,
}));

// The invitation parts have their own test (InvitationsUi.test.tsx).
vi.mock('./PendingInvitations', () => ({ PendingInvitations: () => null }));
vi.mock('./InviteDialog', () => ({ InviteDialog: () => null }));

vi.mock('../tenants/TenantStates', () => ({
  RequireTenant: ({ children }: { children: (tenant: object) => unknown }) =>
    children({ state: 'ready', id: TENANT, name: 'Acme', ...mocks.tenant }),
}));

interface MutationOptions {
  onSuccess?: (data: unknown) => void;
  onError?: (error: unknown) => void;
  onSettled?: () => void;
}

/** A stand-in for tRPC's `useMutation` that runs `call` and reports like TanStack Query does. */
function fakeMutation(call: (input: unknown) => Promise<unknown>) {
  return function useFakeMutation(options: MutationOptions = {}) {
    const [state, setState] = useState<{ isPending: boolean; error: unknown; variables: unknown }>({
      isPending: false,
      error: null,
      variables: undefined,
    });
    return {
      ...state,
      isError: state.error !== null,
      reset: () => setState({ isPending: false, error: null, variables: undefined }),
      mutate: (input: unknown, once: MutationOptions = {}) => {
        setState({ isPending: true, error: null, variables: input });
        call(input).then(
          (data) => {
            setState({ isPending: false, error: null, variables: input });
            options.onSuccess?.(data);
            once.onSuccess?.(data);
            options.onSettled?.();
          },
          (error: unknown) => {
            setState({ isPending: false, error, variables: input });
            options.onError?.(error);
            once.onError?.(error);
            options.onSettled?.();
          },
        );
      },
    };
  };
}

const member = (patch: Partial<Member>): Member => ({
  userId: ME,
  email: 'me@example.com',
  name: 'Me Myself',
  role: 'admin',
  joinedAt: '2026-11-20T10:00:00.000Z',
  ...patch,
});

const MEMBERS = [
  member({}),
  member({ userId: OWNER, email: 'olga@example.com', name: 'Olga Owner', role: 'owner' }),
  member({ userId: VIEWER, email: 'vic@example.com', name: null, role: 'viewer' }),
];

function answer(page: Partial<MemberPage> | null, extra: Record<string, unknown> = {}) {
  mocks.list.mockReturnValue({
    isPending: page === null && !extra.isError,
    isError: false,
    error: null,
    isFetching: false,
    hasNextPage: false,
    isFetchingNextPage: false,
    fetchNextPage: vi.fn(),
    refetch: vi.fn(),
    data: page
      ? { pages: [{ items: MEMBERS, nextCursor: null, count: 37, maxUsers: 100, ...page }], pageParams: [undefined] }
      : undefined,
    ...extra,
  });
}

function renderPage() {
  render(
    <QueryClientProvider client={new QueryClient()}>
      <MemoryRouter initialEntries={['/members']}>
        <Routes>
          <Route path="/members" element={<MembersPage />} />
          <Route path="/" element={<p data-testid="overview">Overview</p>} />
        </Routes>
      </MemoryRouter>
    </QueryClientProvider>,
  );
}

const rowOf = (text: string) => screen.getAllByTestId('member-row').find((row) => row.textContent?.includes(text))!;
const optionsOf = (select: HTMLElement) =>
  within(select)
    .getAllByRole('option')
    .map((o) => o.textContent);
const calls = { updateRole: vi.fn(), remove: vi.fn(), leave: vi.fn() };

beforeEach(() => {
  mocks.tenant = { role: 'admin', viaSuperadmin: false };
  mocks.list.mockReset();
  for (const fn of [mocks.invalidate.list, mocks.invalidate.mine, mocks.invalidate.current, mocks.setMine]) {
    fn.mockReset();
  }
  for (const fn of Object.values(calls)) fn.mockReset().mockResolvedValue({ ok: true });
  mocks.updateRole.mockImplementation(fakeMutation(calls.updateRole));
  mocks.remove.mockImplementation(fakeMutation(calls.remove));
  mocks.leave.mockImplementation(fakeMutation(calls.leave));
  tenantContext.setMemberTenant(TENANT);
});
afterEach(cleanup);

describe('MembersPage', () => {
  it('shows seat usage with a bar, the members, and who you are', () => {
    answer({});
    renderPage();
    expect(screen.getByTestId('member-seats').textContent).toContain('37 / 100 members');
    expect(screen.getByRole('meter', { name: 'Seats used' }).getAttribute('aria-valuenow')).toBe('37');
    expect(screen.getAllByTestId('member-row')).toHaveLength(3);
    expect(rowOf('me@example.com').textContent).toContain('(you)');
    expect(rowOf('olga@example.com').textContent).not.toContain('(you)');
  });

  it('says unlimited, without a bar, when the plan has no cap', () => {
    answer({ maxUsers: null, count: 3 });
    renderPage();
    expect(screen.getByTestId('member-seats').textContent).toContain('3 / unlimited members');
    expect(screen.queryByRole('meter')).toBeNull();
  });

  it('lets an admin change non-owners (never to owner) and leaves owners read-only', () => {
    answer({});
    renderPage();
    const viewerRow = rowOf('vic@example.com');
    expect(optionsOf(within(viewerRow).getByRole('combobox'))).toEqual(['Admin', 'Member', 'Viewer']);
    expect(within(viewerRow).getByRole('button', { name: 'Remove vic@example.com' })).toBeTruthy();
    const ownerRow = rowOf('olga@example.com');
    expect(within(ownerRow).queryByRole('combobox')).toBeNull();
    expect(within(ownerRow).getByTestId('member-role').textContent).toBe('Owner');
    expect(within(ownerRow).queryByRole('button', { name: /Remove/ })).toBeNull();
    // One's own membership ends with "Leave organisation".
    expect(within(rowOf('me@example.com')).queryByRole('button', { name: /Remove/ })).toBeNull();
  });

  it('lets an owner make someone an owner', () => {
    mocks.tenant.role = 'owner';
    answer({});
    renderPage();
    const select = within(rowOf('olga@example.com')).getByRole('combobox');
    expect(optionsOf(select)).toEqual(['Owner', 'Admin', 'Member', 'Viewer']);
  });

  it('shows members and viewers the list only', () => {
    for (const role of ['member', 'viewer']) {
      mocks.tenant.role = role;
      answer({});
      renderPage();
      expect(screen.queryAllByRole('combobox', { name: /^Role of/ })).toHaveLength(0);
      expect(screen.queryAllByRole('button', { name: /^Remove/ })).toHaveLength(0);
      expect(screen.getByRole('button', { name: 'Leave organisation' })).toBeTruthy();
      cleanup();
    }
  });

  it('changes a role, then refreshes the list and the member counts', async () => {
    answer({});
    renderPage();
    fireEvent.change(within(rowOf('vic@example.com')).getByRole('combobox'), { target: { value: 'member' } });
    expect(calls.updateRole).toHaveBeenCalledWith({ userId: VIEWER, role: 'member' });
    await vi.waitFor(() => expect(mocks.invalidate.list).toHaveBeenCalled());
    expect(mocks.invalidate.mine).toHaveBeenCalled();
    expect(mocks.invalidate.current).toHaveBeenCalled();
    expect(screen.queryByTestId('member-error')).toBeNull();
  });

  it('shows the API’s refusal next to the row', async () => {
    mocks.tenant.role = 'owner';
    const message =
      'Changing the last owner’s role would leave the organisation without an owner; make someone else an owner first';
    calls.updateRole.mockRejectedValue(new Error(message));
    answer({});
    renderPage();
    fireEvent.change(within(rowOf('olga@example.com')).getByRole('combobox'), { target: { value: 'admin' } });
    const error = await screen.findByTestId('member-error');
    expect(error.textContent).toContain(message);
    expect(rowOf('olga@example.com').nextElementSibling).toBe(error);
    fireEvent.click(within(error).getByRole('button', { name: /Dismiss/ }));
    expect(screen.queryByTestId('member-error')).toBeNull();
  });

  it('removes a member after confirmation, and says why when the API refuses', async () => {
    answer({});
    renderPage();
    fireEvent.click(screen.getByRole('button', { name: 'Remove vic@example.com' }));
    fireEvent.click(await screen.findByRole('button', { name: 'Remove member', hidden: true }));
    expect(calls.remove).toHaveBeenCalledWith({ userId: VIEWER });
    await vi.waitFor(() => expect(mocks.invalidate.list).toHaveBeenCalled());
    expect(screen.queryByRole('button', { name: 'Remove member', hidden: true })).toBeNull();

    calls.remove.mockRejectedValue(new Error('No such member'));
    fireEvent.click(screen.getByRole('button', { name: 'Remove vic@example.com' }));
    fireEvent.click(await screen.findByRole('button', { name: 'Remove member', hidden: true }));
    const error = await screen.findByTestId('member-error');
    expect(error.textContent).toContain('No such member');
    expect(rowOf('vic@example.com').nextElementSibling).toBe(error);
  });

  it('filters by search and role, and says when nothing matches', () => {
    answer({ items: [] });
    renderPage();
    expect(screen.getByText('No members yet')).toBeTruthy();
    fireEvent.change(screen.getByLabelText('Search members'), { target: { value: ' zed ' } });
    fireEvent.change(screen.getByLabelText('Filter by role'), { target: { value: 'viewer' } });
    expect(screen.getByText('No member matches')).toBeTruthy();
    expect(mocks.list).toHaveBeenLastCalledWith(
      { limit: 50, search: 'zed', role: 'viewer' },
      expect.objectContaining({ getNextPageParam: expect.any(Function) as unknown }),
    );
    expect(optionsOf(screen.getByLabelText('Filter by role'))).toEqual(['All', 'Owner', 'Admin', 'Member', 'Viewer']);
  });

  it('shows loading and error states', () => {
    answer(null);
    renderPage();
    expect(screen.getByText('Loading the members…')).toBeTruthy();
    cleanup();
    const refetch = vi.fn();
    answer(null, { isError: true, error: new Error('boom'), refetch });
    renderPage();
    expect(screen.getByText('The members could not be loaded')).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Try again' }));
    expect(refetch).toHaveBeenCalled();
  });

  it('leaves after confirmation: forgets the organisation and goes to the overview', async () => {
    mocks.tenant.role = 'viewer';
    answer({});
    renderPage();
    fireEvent.click(screen.getByRole('button', { name: 'Leave organisation' }));
    fireEvent.click(await screen.findByRole('button', { name: 'Leave Acme', hidden: true }));
    await screen.findByTestId('overview');
    expect(calls.leave).toHaveBeenCalled();
    expect(tenantContext.getState().memberTenantId).toBeNull();
    const update = mocks.setMine.mock.calls[0]?.[1] as (mine: { id: string }[]) => { id: string }[];
    expect(update([{ id: TENANT }, { id: 'other' }])).toEqual([{ id: 'other' }]);
  });

  it('keeps the last owner in, with the API’s reason', async () => {
    mocks.tenant.role = 'owner';
    calls.leave.mockRejectedValue(new Error('Leaving as the last owner would leave the organisation without an owner'));
    answer({});
    renderPage();
    fireEvent.click(screen.getByRole('button', { name: 'Leave organisation' }));
    fireEvent.click(await screen.findByRole('button', { name: 'Leave Acme', hidden: true }));
    expect((await screen.findByTestId('leave-error')).textContent).toContain('Leaving as the last owner');
    expect(screen.queryByTestId('overview')).toBeNull();
    expect(tenantContext.getState().memberTenantId).toBe(TENANT);
  });

  it('offers no leaving to a superadmin, who is not a member', () => {
    mocks.tenant = { role: 'owner', viaSuperadmin: true };
    answer({});
    renderPage();
    expect(screen.queryByRole('button', { name: 'Leave organisation' })).toBeNull();
    expect(screen.getByText(/as superadmin/)).toBeTruthy();
  });
});
