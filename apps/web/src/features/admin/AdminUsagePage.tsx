import type { AdminUsageInput, AdminUsageRow } from '@tenantry/shared';
import { PLANS, PlanId } from '@tenantry/shared';
import { useState } from 'react';
import { Card } from '../../components/Card';
import { EmptyState, ErrorState } from '../../components/ErrorState';
import { Spinner } from '../../components/Spinner';
import { describeError } from '../../lib/api-errors';
import { trpc } from '../../lib/trpc';
import { formatBytes, formatCount, formatDay, lastDays } from '../usage/usage-format';
import { ConsolePage } from './ConsolePage';

type RankBy = AdminUsageInput['by'];

const RANKINGS: { by: RankBy; label: string }[] = [
  { by: 'apiRequests', label: 'API requests' },
  { by: 'apiErrors', label: 'Errors' },
  { by: 'storageBytes', label: 'Storage' },
];

const DAYS = 30;
const TOP = 20;

export function AdminUsagePage() {
  return (
    <ConsolePage
      title="Usage"
      documentTitle="Usage · Console · Tenantry"
      subtitle={`The organisations that use the platform most over the last ${DAYS} days.`}
    >
      <TopTenants />
    </ConsolePage>
  );
}

const planName = (plan: string): string => {
  const parsed = PlanId.safeParse(plan);
  return parsed.success ? PLANS[parsed.data].name : plan;
};

function TopTenants() {
  const [by, setBy] = useState<RankBy>('apiRequests');
  const [range] = useState(() => lastDays(DAYS));
  const usage = trpc.admin.usage.useQuery({ ...range, by, limit: TOP }, { placeholderData: (previous) => previous });
  return (
    <Card
      title={`Top ${TOP} organisations`}
      description={`${formatDay(range.from)} to ${formatDay(range.to)} (UTC); storage and members as of the last day.`}
    >
      <div className="filters" role="group" aria-label="Rank by">
        {RANKINGS.map((ranking) => (
          <button
            key={ranking.by}
            type="button"
            className="filter"
            aria-pressed={by === ranking.by}
            onClick={() => setBy(ranking.by)}
            data-testid={`rank-${ranking.by}`}
          >
            {ranking.label}
          </button>
        ))}
      </div>
      {usage.isPending ? (
        <Spinner label="Loading the usage…" showLabel />
      ) : usage.isError ? (
        <ErrorState
          title="The usage could not be loaded"
          message={describeError(usage.error)}
          onRetry={() => void usage.refetch()}
          retrying={usage.isFetching}
        />
      ) : usage.data.length === 0 ? (
        <div data-testid="admin-usage-empty">
          <EmptyState title="No usage recorded" message={`No organisation made requests in the last ${DAYS} days.`} />
        </div>
      ) : (
        <UsageTable rows={usage.data} by={by} />
      )}
    </Card>
  );
}

function UsageTable({ rows, by }: { rows: AdminUsageRow[]; by: RankBy }) {
  const num = (key: RankBy) => `table__num${by === key ? ' table__sorted' : ''}`;
  return (
    <div className="table-wrap">
      <table className="table" data-testid="admin-usage">
        <thead>
          <tr>
            <th scope="col">#</th>
            <th scope="col">Organisation</th>
            <th scope="col">Plan</th>
            <th scope="col" className="table__num" aria-sort={by === 'apiRequests' ? 'descending' : undefined}>
              Requests
            </th>
            <th scope="col" className="table__num" aria-sort={by === 'apiErrors' ? 'descending' : undefined}>
              Errors
            </th>
            <th scope="col" className="table__num" aria-sort={by === 'storageBytes' ? 'descending' : undefined}>
              Storage
            </th>
            <th scope="col" className="table__num">
              Members
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row, index) => (
            <tr key={row.tenantId} data-testid="admin-usage-row" data-tenant-id={row.tenantId}>
              <td className="muted">{index + 1}</td>
              <td>
                <div className="table__strong">{row.name}</div>
                <code className="mono muted">{row.slug}</code>
              </td>
              <td>{planName(row.plan)}</td>
              <td className={num('apiRequests')}>{formatCount(row.apiRequests)}</td>
              <td className={num('apiErrors')}>{formatCount(row.apiErrors)}</td>
              <td className={num('storageBytes')}>{formatBytes(row.storageBytes)}</td>
              <td className="table__num">{formatCount(row.members)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
