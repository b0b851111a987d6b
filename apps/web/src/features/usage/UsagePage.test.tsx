import type { UsageSummary } from '@tenantry/shared';
import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { MemoryRouter } from 'react-router';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { UsagePage } from './UsagePage';

const GB = 1024 ** 3;

const mocks = vi.hoisted(() => ({
  role: 'owner',
  features: [] as string[],
  currentPending: false,
  summary: vi.fn(),
  daily: vi.fn(),
}));

vi.mock('../../lib/trpc', () => ({
  trpc: {
    usage: { summary: { useQuery: mocks.summary }, daily: { useQuery: mocks.daily } },
    tenants: {
      current: {
        useQuery: () =>
          mocks.currentPending
            ? { isPending: true, data: undefined }
            : { isPending: false, data: { role: mocks.role, features: mocks.features } },
      },
    },
  },
  appCodeOf: (error: unknown) => (error as { data?: { appCode?: string } } | null)?.data?.appCode,
  isTrpcClientError: () => false,
}));

vi.mock('../tenants/TenantStates', () => ({
  RequireTenant: ({ children }: { children: (tenant: object) => unknown }) =>
    children({ state: 'ready', id: 't1', name: 'Acme', role: mocks.role, viaSuperadmin: false }),
}));

// The charts are a lazy chunk of their own; their drawing is checked in the browser (e2e).
vi.mock('./UsageCharts', () => ({ UsageCharts: () => <div data-testid="charts" /> }));

const summary = (
  patch: Partial<UsageSummary['today']>,
  limits: Partial<UsageSummary['limits']> = {},
): UsageSummary => ({
  from: '2026-10-25',
  to: '2026-11-23',
  apiRequests: 1200,
  apiErrors: 6,
  activeUsers: 4,
  today: { day: '2026-11-23', apiRequests: 850, members: 100, storageBytes: 2 * GB, ...patch },
  limits: { maxUsers: 100, storageBytes: 10 * GB, apiRequestsPerDay: 1000, ...limits },
});

const ok = (data: unknown) => ({
  isPending: false,
  isError: false,
  error: null,
  isFetching: false,
  isPlaceholderData: false,
  data,
  refetch: vi.fn(),
});

const DAY_MS = 86_400_000;

/** Days spanned by the range the last call of a query asked for, both ends included. */
function lastRangeDays(query: typeof mocks.summary): number {
  const range = query.mock.lastCall?.[0] as { from: string; to: string };
  return (Date.parse(range.to) - Date.parse(range.from)) / DAY_MS + 1;
}

const renderPage = () =>
  render(
    <MemoryRouter>
      <UsagePage />
    </MemoryRouter>,
  );

beforeEach(() => {
  mocks.role = 'owner';
  mocks.features = [];
  mocks.currentPending = false;
  mocks.summary.mockReset();
  mocks.daily.mockReset();
  mocks.summary.mockReturnValue(ok(summary({})));
  mocks.daily.mockReturnValue(ok([]));
});
afterEach(cleanup);

describe('UsagePage', () => {
  it('draws each quota against the plan: red at the limit, amber from 80 %, plain below', () => {
    renderPage();
    const users = screen.getByTestId('quota-users');
    expect(users.dataset.level).toBe('over');
    expect(users.textContent).toContain('100 / 100');
    expect(users.textContent).toContain('At the limit of the plan.');
    expect(screen.getByTestId('quota-requests').dataset.level).toBe('warn');
    expect(screen.getByTestId('quota-requests').textContent).toContain('850 / 1,000 · 85 %');
    expect(screen.getByTestId('quota-storage').dataset.level).toBe('ok');
    expect(screen.getByTestId('quota-storage').textContent).toContain('2 GB / 10 GB · 20 %');
    expect(screen.getByRole('meter', { name: 'Storage' }).getAttribute('aria-valuenow')).toBe('20');
    expect(screen.getByTestId('usage-totals').textContent).toContain('1,200');
    expect(screen.getByTestId('usage-totals').textContent).toContain('(0.5 %)');
  });

  it('says Unlimited, with no meter, when the plan sets no limit', () => {
    mocks.summary.mockReturnValue(ok(summary({}, { apiRequestsPerDay: null })));
    renderPage();
    expect(screen.getByTestId('quota-requests').textContent).toContain('850 · Unlimited');
    expect(screen.queryByRole('meter', { name: 'API requests today' })).toBeNull();
  });

  it('asks for the last 30 UTC days and shows the empty state without days', () => {
    renderPage();
    const range = mocks.summary.mock.calls[0]?.[0] as { from: string; to: string };
    expect((Date.parse(range.to) - Date.parse(range.from)) / 86_400_000).toBe(29);
    expect(mocks.daily.mock.calls[0]?.[0]).toEqual(range);
    expect(screen.getByTestId('usage-empty')).toBeTruthy();
  });

  it('keeps members and viewers out without asking the API', () => {
    mocks.role = 'member';
    renderPage();
    expect(screen.getByTestId('usage-restricted')).toBeTruthy();
    expect(mocks.summary).not.toHaveBeenCalled();
  });

  it('shows an error with a retry when the usage cannot be loaded', () => {
    mocks.summary.mockReturnValue({ ...ok(undefined), isError: true, error: new Error('Down') });
    renderPage();
    expect(screen.getByText('The usage could not be loaded')).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Try again' })).toBeTruthy();
  });
});

describe('UsagePage range picker', () => {
  const rangeButton = (name: string) => screen.getByRole<HTMLButtonElement>('button', { name });

  it('offers only the last 30 days without advanced analytics, and tells the owner where the rest is', () => {
    renderPage();
    expect(rangeButton('Last 30 days').getAttribute('aria-pressed')).toBe('true');
    expect(rangeButton('Last 30 days').disabled).toBe(false);
    expect(rangeButton('Last 90 days').disabled).toBe(true);
    expect(rangeButton('Last 12 months').disabled).toBe(true);
    const hint = screen.getByTestId('upgrade-hint-advanced_analytics');
    expect(hint.textContent).toContain('Usage over 90 days or 12 months is included in Enterprise');
    expect(screen.getByRole('link', { name: 'Change plan' }).getAttribute('href')).toBe('/plan');

    fireEvent.click(rangeButton('Last 90 days'));
    expect(lastRangeDays(mocks.summary)).toBe(30);
    expect(lastRangeDays(mocks.daily)).toBe(30);
    expect(screen.getByRole('heading', { name: 'Last 30 days' })).toBeTruthy();
  });

  it('sends an admin to an owner instead of the plan page', () => {
    mocks.role = 'admin';
    renderPage();
    expect(screen.getByTestId('upgrade-hint-advanced_analytics').textContent).toContain('ask an owner');
    expect(screen.queryByRole('link', { name: 'Change plan' })).toBeNull();
  });

  it('neither offers nor hints at the long ranges while the plan is loading', () => {
    mocks.currentPending = true;
    renderPage();
    expect(rangeButton('Last 90 days').disabled).toBe(true);
    expect(screen.queryByTestId('upgrade-hint-advanced_analytics')).toBeNull();
  });

  it('with advanced analytics, asks for the chosen range and titles the figures after it', () => {
    mocks.features = ['advanced_analytics'];
    renderPage();
    expect(screen.queryByTestId('upgrade-hint-advanced_analytics')).toBeNull();

    fireEvent.click(rangeButton('Last 90 days'));
    expect(lastRangeDays(mocks.summary)).toBe(90);
    expect(mocks.daily.mock.lastCall?.[0]).toEqual(mocks.summary.mock.lastCall?.[0]);
    expect(screen.getByRole('heading', { name: 'Last 90 days' })).toBeTruthy();
    expect(rangeButton('Last 90 days').getAttribute('aria-pressed')).toBe('true');
    expect(rangeButton('Last 30 days').getAttribute('aria-pressed')).toBe('false');

    fireEvent.click(rangeButton('Last 12 months'));
    const days = lastRangeDays(mocks.daily);
    expect(days === 365 || days === 366).toBe(true);
    const range = mocks.daily.mock.lastCall?.[0] as { from: string; to: string };
    expect(screen.getByRole('heading', { name: 'Last 12 months' })).toBeTruthy();
    expect(screen.getByText(/, \d{4} to .+, \d{4} \(UTC\)\.$/).textContent).toContain(range.to.slice(0, 4));
  });

  it('dims the previous figures while another range loads', () => {
    mocks.features = ['advanced_analytics'];
    renderPage();
    expect(screen.getByTestId('usage-figures').getAttribute('aria-busy')).toBe('false');
    mocks.daily.mockReturnValue({ ...ok([]), isPlaceholderData: true });
    fireEvent.click(rangeButton('Last 90 days'));
    expect(screen.getByTestId('usage-figures').getAttribute('aria-busy')).toBe('true');
  });

  it('falls back to the last 30 days when the plan loses advanced analytics', () => {
    mocks.features = ['advanced_analytics'];
    const { rerender } = renderPage();
    fireEvent.click(rangeButton('Last 90 days'));
    expect(lastRangeDays(mocks.summary)).toBe(90);
    mocks.features = [];
    rerender(
      <MemoryRouter>
        <UsagePage />
      </MemoryRouter>,
    );
    expect(lastRangeDays(mocks.summary)).toBe(30);
    expect(screen.getByRole('heading', { name: 'Last 30 days' })).toBeTruthy();
  });
});
