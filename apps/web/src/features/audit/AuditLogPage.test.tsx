import type { AuditEntry, AuditPage } from '@tenantry/shared';
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { MemoryRouter } from 'react-router';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { AuditLogPage } from './AuditLogPage';

const mocks = vi.hoisted(() => ({
  useInfiniteQuery: vi.fn(),
  role: 'admin',
  features: ['audit_log'] as string[],
  exportQuery: vi.fn(),
}));

vi.mock('../../lib/trpc', () => ({
  trpc: {
    audit: { list: { useInfiniteQuery: mocks.useInfiniteQuery } },
    tenants: {
      current: {
        useQuery: () => ({ isPending: false, data: { role: mocks.role, features: mocks.features } }),
      },
    },
    useUtils: () => ({ client: { audit: { export: { query: mocks.exportQuery } } } }),
  },
  appCodeOf: (error: unknown) => (error as { data?: { appCode?: string } } | null)?.data?.appCode,
  isTrpcClientError: () => false,
}));

vi.mock('../tenants/TenantStates', () => ({
  RequireTenant: ({ children }: { children: (tenant: object) => unknown }) =>
    children({ state: 'ready', id: 't1', name: 'Acme', role: mocks.role, viaSuperadmin: false }),
}));

const entry = (patch: Partial<AuditEntry> = {}): AuditEntry => ({
  id: '11111111-1111-4111-8111-111111111111',
  action: 'project.updated',
  actorId: '22222222-2222-4222-8222-222222222222',
  actorEmail: 'ann@example.com',
  actorIsSuperadmin: false,
  targetType: 'project',
  targetId: '3f2a9c1e-7b4d-4c2a-9e1f-0a1b2c3d4e5f',
  before: { name: 'Old' },
  after: { name: 'New' },
  requestId: 'req-42',
  ip: '203.0.113.7',
  userAgent: 'Firefox',
  at: '2026-11-20T10:00:00.000Z',
  ...patch,
});

function answer(page: Partial<AuditPage> | null, extra: Record<string, unknown> = {}) {
  mocks.useInfiniteQuery.mockReturnValue({
    isPending: page === null && !extra.isError,
    isError: false,
    error: null,
    isFetching: false,
    hasNextPage: false,
    isFetchingNextPage: false,
    fetchNextPage: vi.fn(),
    refetch: vi.fn(),
    data: page
      ? { pages: [{ items: [], nextCursor: null, visibleDays: null, ...page }], pageParams: [undefined] }
      : undefined,
    ...extra,
  });
}

beforeEach(() => {
  mocks.role = 'admin';
  mocks.features = ['audit_log'];
  mocks.useInfiniteQuery.mockReset();
  mocks.exportQuery.mockReset();
});
afterEach(cleanup);

describe('AuditLogPage', () => {
  it('tells members and viewers the log is for owners and admins, without asking the API', () => {
    for (const role of ['member', 'viewer'] as const) {
      mocks.role = role;
      render(<AuditLogPage />);
      expect(screen.getByText('Only owners and admins can see the audit log')).toBeTruthy();
      cleanup();
    }
    expect(mocks.useInfiniteQuery).not.toHaveBeenCalled();
  });

  it('shows the same state when the API refuses', () => {
    answer(null, { isError: true, error: { data: { appCode: 'FORBIDDEN' } } });
    render(<AuditLogPage />);
    expect(screen.getByTestId('audit-restricted')).toBeTruthy();
  });

  it('lists entries with labels, a superadmin badge and expandable details', () => {
    answer({ items: [entry(), entry({ id: '33333333-3333-4333-8333-333333333333', actorIsSuperadmin: true })] });
    render(<AuditLogPage />);
    const rows = screen.getAllByTestId('audit-row');
    expect(rows).toHaveLength(2);
    expect(within(rows[0]!).getByText('Project updated')).toBeTruthy();
    expect(within(rows[0]!).getByText('3f2a9c1e…')).toBeTruthy();
    expect(within(rows[0]!).queryByText('superadmin')).toBeNull();
    expect(within(rows[1]!).getByText('superadmin')).toBeTruthy();

    fireEvent.click(within(rows[0]!).getByRole('button', { expanded: false }));
    const details = screen.getByTestId('audit-details');
    expect(details.textContent).toMatch(/Old → +changed to +New/);
    expect(details.textContent).toContain('req-42');
    expect(details.textContent).toContain('203.0.113.7');
    expect(details.textContent).toContain('Firefox');
  });

  it('shows the plan notice when only recent days are visible', () => {
    answer({ items: [entry()], visibleDays: 7 });
    render(<AuditLogPage />);
    expect(screen.getByTestId('audit-visible-days').textContent).toBe(
      'Your plan shows the last 7 days; upgrade to Premium for the full history.',
    );
  });

  it('says nothing was recorded, or that nothing matches the filters', () => {
    answer({ items: [] });
    render(<AuditLogPage />);
    expect(screen.getByText('Nothing recorded yet')).toBeTruthy();
    fireEvent.change(screen.getByLabelText('Action'), { target: { value: 'project.deleted' } });
    expect(screen.getByText('Nothing matches these filters')).toBeTruthy();
    expect(mocks.useInfiniteQuery).toHaveBeenLastCalledWith(
      { limit: 50, action: 'project.deleted' },
      expect.objectContaining({ getNextPageParam: expect.any(Function) as unknown }),
    );
  });

  it('offers more entries with the cursor', () => {
    const fetchNextPage = vi.fn();
    answer({ items: [entry()], nextCursor: 'c2' }, { hasNextPage: true, fetchNextPage });
    render(<AuditLogPage />);
    fireEvent.click(screen.getByRole('button', { name: 'Load more' }));
    expect(fetchNextPage).toHaveBeenCalled();
    const options = mocks.useInfiniteQuery.mock.calls[0]?.[1] as { getNextPageParam: (page: AuditPage) => unknown };
    expect(options.getNextPageParam({ items: [], nextCursor: 'c2', visibleDays: null })).toBe('c2');
    expect(options.getNextPageParam({ items: [], nextCursor: null, visibleDays: null })).toBeUndefined();
  });

  it('downloads the filtered entries as CSV when the plan has the audit log feature', async () => {
    answer({ items: [entry()] });
    mocks.exportQuery.mockResolvedValue({ filename: 'audit.csv', csv: 'at,action\n', rows: 1, truncated: false });
    const createObjectURL = vi.fn(() => 'blob:audit');
    Object.assign(URL, { createObjectURL, revokeObjectURL: vi.fn() });
    const click = vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(() => undefined);
    render(<AuditLogPage />);
    expect(screen.queryByTestId('upgrade-hint-audit_log')).toBeNull();
    fireEvent.change(screen.getByLabelText('Action'), { target: { value: 'tenant.plan_changed' } });
    fireEvent.click(screen.getByRole('button', { name: 'Download CSV' }));
    await waitFor(() => expect(click).toHaveBeenCalled());
    expect(mocks.exportQuery).toHaveBeenCalledWith({ action: 'tenant.plan_changed' });
    expect(createObjectURL).toHaveBeenCalled();
    click.mockRestore();
  });

  it('shows the upgrade hint instead of the download without the feature, with a link for owners only', () => {
    answer({ items: [entry()], visibleDays: 7 });
    mocks.features = [];
    mocks.role = 'owner';
    render(
      <MemoryRouter>
        <AuditLogPage />
      </MemoryRouter>,
    );
    expect(screen.queryByRole('button', { name: 'Download CSV' })).toBeNull();
    const hint = screen.getByTestId('upgrade-hint-audit_log');
    expect(hint.textContent).toContain('Audit CSV export is included in Premium and Enterprise');
    expect(within(hint).getByRole('link', { name: 'Change plan' }).getAttribute('href')).toBe('/plan');
    cleanup();

    mocks.role = 'admin';
    render(<AuditLogPage />);
    const adminHint = screen.getByTestId('upgrade-hint-audit_log');
    expect(within(adminHint).queryByRole('link')).toBeNull();
    expect(adminHint.textContent).toContain('ask an owner');
  });
});
