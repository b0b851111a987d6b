import { PLANS, type AdminTenant, type TenantStatus } from '@tenantry/shared';
import { useDeferredValue, useState } from 'react';
import { useNavigate } from 'react-router';
import { Button } from '../../components/Button';
import { Card } from '../../components/Card';
import { EmptyState } from '../../components/ErrorState';
import { describeError } from '../../lib/api-errors';
import { formatDate, formatDateTime } from '../../lib/time';
import { trpc } from '../../lib/trpc';
import { formatDuration, STATUS_LABELS } from '../tenants/tenant-format';
import { TenantStatusBadge } from '../tenants/TenantStatusBadge';
import { useSuperadminView } from '../tenants/useActiveTenant';
import { adminActionFor, canOpenTenant, statusFilters, type AdminAction } from './admin-actions';
import { SearchInput } from '../../components/SearchInput';
import { PagedList } from '../../components/PagedList';
import { AdminHealthDialog } from './AdminHealthDialog';
import { AdminPlanDialog } from './AdminPlanDialog';
import { PurgePlanDialog } from './PurgePlanDialog';
import { ConsolePage } from './ConsolePage';

const FILTER_ORDER: readonly TenantStatus[] = [
  'ready',
  'pending',
  'preparing',
  'failed',
  'suspended',
  'deleting',
  'deleted',
];
const ACTION_LABELS: Record<AdminAction, string> = {
  retry: 'Retry',
  suspend: 'Suspend',
  resume: 'Resume',
  restore: 'Restore',
};

export function AdminTenantsPage() {
  return (
    <ConsolePage
      title="Organisations"
      documentTitle="Console · Tenantry"
      subtitle="Every organisation on the platform: status, size, provisioning and errors."
    >
      <TenantConsole />
    </ConsolePage>
  );
}

function TenantConsole() {
  const [status, setStatus] = useState<TenantStatus | 'all'>('all');
  const [search, setSearch] = useState('');
  const deferredSearch = useDeferredValue(search.trim());
  const counts = trpc.admin.tenants.counts.useQuery(undefined, { staleTime: 5_000 });
  const list = trpc.admin.tenants.list.useInfiniteQuery(
    {
      limit: 50,
      ...(status === 'all' ? {} : { status }),
      ...(deferredSearch ? { search: deferredSearch } : {}),
    },
    { getNextPageParam: (page) => page.nextCursor ?? undefined, staleTime: 5_000 },
  );
  const tenants = list.data?.pages.flatMap((page) => page.items) ?? [];
  // One dialog outside the table, so it takes none of the cells' alignment.
  const [planFor, setPlanFor] = useState<AdminTenant | null>(null);
  const [purgeOpen, setPurgeOpen] = useState(false);
  const [healthFor, setHealthFor] = useState<AdminTenant | null>(null);

  return (
    <Card
      title="All organisations"
      actions={
        <>
          <SearchInput
            label="Search organisations"
            placeholder="Search by name or address"
            value={search}
            onChange={setSearch}
          />
          <Button size="sm" variant="ghost" onClick={() => setPurgeOpen(true)} data-testid="open-purge-plan">
            Purge plan…
          </Button>
        </>
      }
    >
      <div className="filters" role="group" aria-label="Filter by status">
        {statusFilters(counts.data, FILTER_ORDER).map((filter) => (
          <button
            key={filter.value}
            type="button"
            className="filter"
            aria-pressed={status === filter.value}
            onClick={() => setStatus(filter.value)}
            data-testid={`filter-${filter.value}`}
          >
            {filter.value === 'all' ? 'All' : STATUS_LABELS[filter.value]}
            {filter.count !== null ? <span className="filter__count">{filter.count}</span> : null}
          </button>
        ))}
      </div>
      <PagedList
        query={list}
        count={tenants.length}
        loadingLabel="Loading organisations…"
        errorTitle="The organisations could not be loaded"
        empty={
          <EmptyState
            title="No organisation here"
            message={
              deferredSearch || status !== 'all' ? 'Nothing matches this filter.' : 'No one has created one yet.'
            }
          />
        }
      >
        <table className="table" data-testid="admin-tenants">
          <thead>
            <tr>
              <th scope="col">Organisation</th>
              <th scope="col">Status</th>
              <th scope="col">Plan</th>
              <th scope="col">Members</th>
              <th scope="col">Created</th>
              <th scope="col">Provisioning</th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {tenants.map((tenant) => (
              <TenantRow
                key={tenant.id}
                tenant={tenant}
                onPlan={() => setPlanFor(tenant)}
                onHealth={() => setHealthFor(tenant)}
              />
            ))}
          </tbody>
        </table>
      </PagedList>
      {planFor ? <AdminPlanDialog tenant={planFor} open onClose={() => setPlanFor(null)} /> : null}
      <PurgePlanDialog open={purgeOpen} onClose={() => setPurgeOpen(false)} />
      <AdminHealthDialog tenant={healthFor} onClose={() => setHealthFor(null)} />
    </Card>
  );
}

function TenantRow({ tenant, onPlan, onHealth }: { tenant: AdminTenant; onPlan: () => void; onHealth: () => void }) {
  const utils = trpc.useUtils();
  const navigate = useNavigate();
  const view = useSuperadminView();
  const onSettled = () => utils.admin.tenants.invalidate();
  const retry = trpc.admin.tenants.retry.useMutation({ onSettled });
  const suspend = trpc.admin.tenants.suspend.useMutation({ onSettled });
  const resume = trpc.admin.tenants.resume.useMutation({ onSettled });
  const restore = trpc.admin.tenants.restore.useMutation({ onSettled });
  const action = adminActionFor(tenant.status);
  const mutation = { retry, suspend, resume, restore }[action ?? 'resume'];
  const failure = retry.error ?? suspend.error ?? resume.error ?? restore.error;

  return (
    <tr data-testid="admin-tenant-row" data-tenant-id={tenant.id}>
      <td>
        <div className="table__strong">{tenant.name}</div>
        <code className="mono muted">{tenant.slug}</code>
      </td>
      <td>
        <TenantStatusBadge status={tenant.status} />
        {tenant.status === 'deleting' && tenant.purgeAfter ? (
          <div className="muted" data-testid="purge-after">
            Purged after <time dateTime={tenant.purgeAfter}>{formatDateTime(new Date(tenant.purgeAfter))}</time>
          </div>
        ) : null}
        {tenant.status === 'deleted' && tenant.deletedAt ? (
          <div className="muted">
            Data removed <time dateTime={tenant.deletedAt}>{formatDateTime(new Date(tenant.deletedAt))}</time>
          </div>
        ) : null}
        {tenant.error ? (
          <div className="table__error" title={tenant.error}>
            {tenant.error}
          </div>
        ) : null}
      </td>
      <td>{PLANS[tenant.plan].name}</td>
      <td>{tenant.memberCount}</td>
      <td>
        <time dateTime={tenant.createdAt}>{formatDate(new Date(tenant.createdAt))}</time>
      </td>
      <td>
        {formatDuration(tenant.provisioningMs)}
        {tenant.attempts > 1 ? <div className="muted">{tenant.attempts} attempts</div> : null}
      </td>
      <td className="table__actions">
        {action ? (
          <Button
            size="sm"
            variant={action === 'suspend' ? 'ghost' : 'secondary'}
            data-testid={`admin-${action}`}
            loading={mutation.isPending}
            onClick={() => mutation.mutate({ id: tenant.id })}
            aria-label={`${ACTION_LABELS[action]} ${tenant.name}`}
          >
            {ACTION_LABELS[action]}
          </Button>
        ) : null}
        {tenant.status === 'deleting' || tenant.status === 'deleted' ? null : (
          <Button size="sm" variant="ghost" onClick={onPlan} aria-label={`Plan of ${tenant.name}`}>
            Plan…
          </Button>
        )}
        {tenant.status === 'deleted' ? null : (
          <Button size="sm" variant="ghost" onClick={onHealth} aria-label={`Health of ${tenant.name}`}>
            Health…
          </Button>
        )}
        {canOpenTenant(tenant.status) ? (
          <Button
            size="sm"
            onClick={() => {
              view.open({ id: tenant.id, name: tenant.name });
              void navigate('/');
            }}
            aria-label={`Open ${tenant.name}`}
          >
            Open
          </Button>
        ) : null}
        {failure ? (
          <div className="text-danger" role="alert">
            {describeError(failure)}
          </div>
        ) : null}
      </td>
    </tr>
  );
}
