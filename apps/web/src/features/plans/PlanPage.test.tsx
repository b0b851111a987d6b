import { PLANS, type PlanInfo, type TenantPlan } from '@tenantry/shared';
import { cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { MemoryRouter } from 'react-router';
import { afterEach, beforeEach, describe, expect, it, vi, type Mock } from 'vitest';
import { PlanPage } from './PlanPage';

interface MutationConfig {
  onSuccess?: (result: { name: string }) => void;
}

interface MutationState {
  isPending: boolean;
  isError: boolean;
  error: unknown;
}

interface Mocks {
  role: string;
  current: TenantPlan | undefined;
  mutation: MutationState;
  mutate: Mock<(input: unknown, config: MutationConfig, options: MutationConfig) => void>;
  invalidate: Mock;
}

const mocks = vi.hoisted((): Mocks => ({
  role: 'owner',
  current: undefined,
  mutation: { isPending: false, isError: false, error: null },
  mutate: vi.fn(),
  invalidate: vi.fn(),
}));

vi.mock('../../lib/trpc', () => ({
  trpc: {
    plans: { list: { useQuery: () => ({ isPending: false, isError: false, data: catalogue() }) } },
    tenants: {
      plan: {
        useQuery: () => ({ isPending: false, isError: false, data: { current: mocks.current, history: [] } }),
      },
      current: {
        useQuery: () => ({ isPending: false, isError: false, data: { role: mocks.role, domain: null, features: [] } }),
      },
      update: { useMutation: () => ({ mutate: vi.fn(), isPending: false, isError: false, error: null }) },
      changePlan: {
        useMutation: (config: MutationConfig) => ({
          ...mocks.mutation,
          reset: vi.fn(),
          mutate: (input: unknown, options: MutationConfig) => mocks.mutate(input, config, options),
        }),
      },
    },
    useUtils: () => ({
      tenants: { invalidate: mocks.invalidate },
      plans: { invalidate: mocks.invalidate },
      usage: { invalidate: mocks.invalidate },
      audit: { invalidate: mocks.invalidate },
    }),
  },
  appCodeOf: () => undefined,
  fieldErrorsOf: () => ({}),
  isTrpcClientError: () => false,
}));

vi.mock('../tenants/TenantStates', () => ({
  RequireTenant: ({ children }: { children: (tenant: object) => unknown }) =>
    children({ state: 'ready', id: 't1', name: 'Acme', role: mocks.role, viaSuperadmin: false }),
}));

function catalogue(): PlanInfo[] {
  return (['basic', 'premium', 'enterprise', 'custom'] as const).map((id) => ({
    id,
    name: PLANS[id].name,
    maxUsers: PLANS[id].maxUsers,
    storageBytes: PLANS[id].storageBytes,
    apiRequestsPerDay: PLANS[id].apiRequestsPerDay,
    features: [...PLANS[id].features],
    superadminOnly: id === 'custom',
  }));
}

const onPlan = (id: 'basic' | 'premium'): TenantPlan => ({
  plan: id,
  name: PLANS[id].name,
  maxUsers: PLANS[id].maxUsers,
  storageBytes: PLANS[id].storageBytes,
  apiRequestsPerDay: PLANS[id].apiRequestsPerDay,
  features: [...PLANS[id].features],
  overrides: null,
});

const renderPage = () =>
  render(
    <MemoryRouter>
      <PlanPage />
    </MemoryRouter>,
  );

const card = (id: string) => screen.getAllByTestId('plan-card').find((el) => el.dataset.plan === id)!;

beforeEach(() => {
  mocks.role = 'owner';
  mocks.current = onPlan('premium');
  mocks.mutation = { isPending: false, isError: false, error: null };
  mocks.mutate.mockReset();
  mocks.invalidate.mockReset();
});
afterEach(cleanup);

describe('PlanPage', () => {
  it('marks the current plan and offers the others to the owner, never custom', () => {
    renderPage();
    expect(within(card('premium')).getByText('Current plan')).toBeTruthy();
    expect(within(card('basic')).getByRole('button', { name: 'Switch to Basic' })).toBeTruthy();
    expect(within(card('enterprise')).getByRole('button', { name: 'Switch to Enterprise' })).toBeTruthy();
    expect(screen.getAllByTestId('plan-card').map((el) => el.dataset.plan)).toEqual(['basic', 'premium', 'enterprise']);
  });

  it('shows the catalogue read-only to non-owners', () => {
    mocks.role = 'admin';
    renderPage();
    expect(screen.queryByRole('button', { name: /Switch to/ })).toBeNull();
    expect(screen.getByText(/Only an owner can change the plan/)).toBeTruthy();
  });

  it('switches after confirmation, then refreshes what the plan gates and says so', () => {
    mocks.mutate.mockImplementation((_input, config, options) => {
      config.onSuccess?.({ name: 'Enterprise' });
      options.onSuccess?.({ name: 'Enterprise' });
    });
    renderPage();
    fireEvent.click(within(card('enterprise')).getByRole('button', { name: 'Switch to Enterprise' }));
    expect(screen.getByText(/Adds: Custom domain, Advanced analytics/)).toBeTruthy();
    const confirm = screen.getAllByRole('button', { name: 'Switch to Enterprise', hidden: true }).at(-1)!;
    fireEvent.click(confirm);
    expect(mocks.mutate).toHaveBeenCalledWith({ plan: 'enterprise' }, expect.anything(), expect.anything());
    expect(mocks.invalidate).toHaveBeenCalled();
    expect(screen.getByTestId('plan-switched').textContent).toBe('Acme is now on Enterprise.');
  });

  it('shows what is over the smaller plan when a downgrade is refused', () => {
    mocks.mutation = {
      isPending: false,
      isError: true,
      error: {
        message: 'Over the plan',
        data: {
          appCode: 'PLAN_LIMIT',
          details: {
            overages: [
              { limit: 'maxUsers', inUse: 12, allowed: 10, over: 2 },
              { limit: 'storageBytes', inUse: 12 * 1024 ** 3, allowed: 10 * 1024 ** 3, over: 2 * 1024 ** 3 },
            ],
          },
        },
      },
    };
    renderPage();
    fireEvent.click(within(card('basic')).getByRole('button', { name: 'Switch to Basic' }));
    expect(screen.getByText(/Removes: Full audit history and CSV export, Data export, Biometric sign-in/)).toBeTruthy();
    const refused = screen.getByTestId('plan-refused');
    expect(refused.textContent).toContain('Basic is too small for what Acme uses now:');
    expect(screen.getAllByTestId('plan-overage').map((li) => li.textContent)).toEqual([
      'You have 12 members; Basic allows 10: remove 2 first.',
      'You use 12 GB of storage; Basic allows 10 GB: free 2 GB first.',
    ]);
  });
});
