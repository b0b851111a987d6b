import { can, type Role, type UsageSummary } from '@tenantry/shared';
import { lazy, Suspense, useMemo, useState } from 'react';
import { Card } from '../../components/Card';
import { EmptyState, ErrorState } from '../../components/ErrorState';
import { Spinner } from '../../components/Spinner';
import { describeError } from '../../lib/api-errors';
import { appCodeOf, trpc } from '../../lib/trpc';
import { UpgradeHint } from '../plans/UpgradeHint';
import { useFeature } from '../plans/useFeature';
import { RequireTenant } from '../tenants/TenantStates';
import {
  errorRate,
  formatBytes,
  formatCount,
  formatRange,
  needsAdvancedAnalytics,
  quota,
  USAGE_RANGES,
  withExistence,
  withLiveToday,
  type UsageRangeId,
} from './usage-format';
import { QuotaBar } from './QuotaBar';
import './usage.css';

// The chart library is the page's heaviest part: it loads with the page, behind the quota bars.
const UsageCharts = lazy(async () => ({ default: (await import('./UsageCharts')).UsageCharts }));

export function UsagePage() {
  return (
    <>
      <title>Usage · Tenantry</title>
      <RequireTenant>{(tenant) => <Usage tenantName={tenant.name} role={tenant.role} />}</RequireTenant>
    </>
  );
}

function Usage({ tenantName, role }: { tenantName: string; role: Role }) {
  return (
    <>
      <div className="page-header">
        <h1 className="page-title">Usage</h1>
        <p className="page-subtitle">What {tenantName} uses against its plan, and its traffic day by day.</p>
      </div>
      {can(role, 'usage.read') ? <UsageReport /> : <UsageRestricted />}
    </>
  );
}

function UsageRestricted() {
  return (
    <Card title="Usage">
      <div data-testid="usage-restricted">
        <EmptyState
          title="Only owners and admins can see the usage"
          message="Ask an owner or an admin of this organisation how close it is to its plan's limits."
        />
      </div>
    </Card>
  );
}

function UsageReport() {
  // Ranges end on the day the page opened, so each keeps one query key while it stays open.
  const [opened] = useState(() => new Date());
  const ranges = useMemo(() => USAGE_RANGES.map((o) => ({ ...o, ...o.range(opened) })), [opened]);
  const advanced = useFeature('advanced_analytics');
  const [chosenId, setChosenId] = useState<UsageRangeId>('30d');
  const allowed = (r: { from: string; to: string }) => advanced.enabled || !needsAdvancedAnalytics(r);
  // A long range chosen before a downgrade falls back to the default rather than ask for a refusal.
  const shown = ranges.find((r) => r.id === chosenId && allowed(r)) ?? ranges[0]!;
  const range = { from: shown.from, to: shown.to };
  // The previous range's figures stay on screen, dimmed, while another range loads.
  const summary = trpc.usage.summary.useQuery(range, {
    refetchInterval: 60_000,
    placeholderData: (previous) => previous,
  });
  const daily = trpc.usage.daily.useQuery(range, { placeholderData: (previous) => previous });
  // Its creation day: the charts draw no members or storage before it.
  const current = trpc.tenants.current.useQuery();
  const loadingRange = summary.isPlaceholderData || daily.isPlaceholderData;
  const locked = ranges.some((r) => !allowed(r));

  if (appCodeOf(summary.error) === 'FORBIDDEN') return <UsageRestricted />;

  return (
    <div className="stack">
      <Card title="Today against the plan" description="Members, storage and API requests of the current UTC day.">
        {summary.isPending ? (
          <Spinner label="Loading the usage…" showLabel />
        ) : summary.isError ? (
          <ErrorState
            title="The usage could not be loaded"
            message={describeError(summary.error)}
            onRetry={() => void summary.refetch()}
            retrying={summary.isFetching}
          />
        ) : (
          <QuotaBars summary={summary.data} />
        )}
      </Card>
      <Card title={shown.label} description={`${formatRange(range)} (UTC).`}>
        <div className="filters usage-ranges" role="group" aria-label="Range">
          {ranges.map((r) => (
            <button
              key={r.id}
              type="button"
              className="filter"
              aria-pressed={r.id === shown.id}
              disabled={!allowed(r)}
              onClick={() => setChosenId(r.id)}
              data-testid={`usage-range-${r.id}`}
            >
              {r.label}
            </button>
          ))}
        </div>
        {locked && !advanced.pending ? (
          <UpgradeHint feature="advanced_analytics" what="Usage over 90 days or 12 months" />
        ) : null}
        <div className="usage-figures" aria-busy={loadingRange} data-testid="usage-figures" data-range={shown.id}>
          {summary.data ? <Totals summary={summary.data} /> : null}
          {daily.isPending ? (
            <Spinner label="Loading the daily figures…" showLabel />
          ) : daily.isError ? (
            <ErrorState
              title="The daily figures could not be loaded"
              message={describeError(daily.error)}
              onRetry={() => void daily.refetch()}
              retrying={daily.isFetching}
            />
          ) : daily.data.length === 0 ? (
            <div data-testid="usage-empty">
              <EmptyState
                title="Nothing recorded yet"
                message="Usage is counted from the organisation's first request."
              />
            </div>
          ) : (
            <Suspense fallback={<Spinner label="Loading the charts…" showLabel />}>
              <UsageCharts
                days={withExistence(withLiveToday(daily.data, summary.data?.today), current.data?.createdAt)}
              />
            </Suspense>
          )}
        </div>
      </Card>
    </div>
  );
}

function QuotaBars({ summary }: { summary: UsageSummary }) {
  const { today, limits } = summary;
  return (
    <div className="quotas">
      <QuotaBar id="users" label="Members" quota={quota(today.members, limits.maxUsers)} />
      <QuotaBar id="storage" label="Storage" quota={quota(today.storageBytes, limits.storageBytes, formatBytes)} />
      <QuotaBar
        id="requests"
        label="API requests today"
        quota={quota(today.apiRequests, limits.apiRequestsPerDay)}
        overNote="Further requests are refused until midnight UTC."
      />
    </div>
  );
}

function Totals({ summary }: { summary: UsageSummary }) {
  return (
    <dl className="usage-totals" data-testid="usage-totals">
      <div className="usage-totals__item">
        <dt>API requests</dt>
        <dd>{formatCount(summary.apiRequests)}</dd>
      </div>
      <div className="usage-totals__item">
        <dt>Errors</dt>
        <dd>
          {formatCount(summary.apiErrors)}
          {summary.apiRequests > 0 ? (
            <span className="muted"> ({errorRate(summary.apiRequests, summary.apiErrors)})</span>
          ) : null}
        </dd>
      </div>
      <div className="usage-totals__item">
        <dt>Active users</dt>
        <dd>{formatCount(summary.activeUsers)}</dd>
      </div>
    </dl>
  );
}
