import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { MemoryRouter } from 'react-router';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { confirmsSlug, DeleteTenantCard } from './DeleteTenantCard';
import { tenantContext } from './tenant-context';

const mocks = vi.hoisted(() => ({
  current: { id: 't1', name: 'Acme', slug: 'acme', role: 'owner', viaSuperadmin: false },
  deleteMutate: vi.fn(),
  switchTenant: vi.fn(),
  mine: vi.fn(),
  onDeleted: undefined as undefined | (() => Promise<void>),
}));

vi.mock('../../lib/trpc', () => ({
  trpc: {
    tenants: {
      current: { useQuery: () => ({ data: mocks.current }) },
      delete: {
        useMutation: (options: { onSuccess: () => Promise<void> }) => {
          mocks.onDeleted = options.onSuccess;
          return { mutate: mocks.deleteMutate, isPending: false, error: null, reset: vi.fn() };
        },
      },
      switch: { useMutation: () => ({ mutateAsync: mocks.switchTenant }) },
    },
    useUtils: () => ({ tenants: { mine: { fetch: mocks.mine } } }),
  },
  fieldErrorsOf: () => ({}),
}));

function renderCard() {
  return render(
    <QueryClientProvider client={new QueryClient()}>
      <MemoryRouter>
        <DeleteTenantCard />
      </MemoryRouter>
    </QueryClientProvider>,
  );
}

beforeEach(() => {
  mocks.current = { id: 't1', name: 'Acme', slug: 'acme', role: 'owner', viaSuperadmin: false };
  mocks.deleteMutate.mockReset();
  mocks.switchTenant.mockReset().mockResolvedValue({});
  mocks.mine.mockReset();
});
afterEach(cleanup);

describe('confirmsSlug', () => {
  it('takes the address typed exactly, ignoring case and surrounding spaces', () => {
    expect(confirmsSlug(' ACME ', 'acme')).toBe(true);
    expect(confirmsSlug('acm', 'acme')).toBe(false);
    expect(confirmsSlug('', 'acme')).toBe(false);
  });
});

describe('DeleteTenantCard', () => {
  it('is only for owners, not for other roles nor a superadmin view', () => {
    mocks.current = { ...mocks.current, role: 'admin' };
    const { container, unmount } = renderCard();
    expect(container.textContent).toBe('');
    unmount();
    mocks.current = { ...mocks.current, role: 'owner', viaSuperadmin: true };
    expect(renderCard().container.textContent).toBe('');
  });

  it('deletes only once the address is typed, then moves to another organisation', async () => {
    renderCard();
    fireEvent.click(screen.getByTestId('delete-tenant'));
    const confirm = screen.getByTestId('confirm-delete-tenant');
    expect(confirm).toHaveProperty('disabled', true);
    fireEvent.change(screen.getByLabelText('Address'), { target: { value: 'acm' } });
    expect(confirm).toHaveProperty('disabled', true);
    fireEvent.change(screen.getByLabelText('Address'), { target: { value: 'acme' } });
    expect(confirm).toHaveProperty('disabled', false);
    fireEvent.click(confirm);
    expect(mocks.deleteMutate).toHaveBeenCalledWith({ confirmSlug: 'acme' });

    mocks.mine.mockResolvedValue([{ id: 't2', status: 'ready' }]);
    await mocks.onDeleted?.();
    expect(mocks.switchTenant).toHaveBeenCalledWith({ id: 't2' });
    await waitFor(() => expect(tenantContext.getState().memberTenantId).toBe('t2'));
  });
});
