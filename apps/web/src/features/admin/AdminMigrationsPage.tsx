import type { TenantBehind, TenantMigrationStatus } from '@tenantry/shared';
import { Button } from '../../components/Button';
import { Card } from '../../components/Card';
import { EmptyState, ErrorState } from '../../components/ErrorState';
import { Spinner } from '../../components/Spinner';
import { describeError } from '../../lib/api-errors';
import { trpc } from '../../lib/trpc';
import { ConsolePage } from './ConsolePage';

/** While a run is queued or running, the status is read again this often (ms). */
const POLL_MS = 1500;

export function AdminMigrationsPage() {
  return (
    <ConsolePage
      title="Migrations"
      documentTitle="Migrations · Console · Tenantry"
      subtitle="Organisations whose database schema is behind the latest tenant migration, and a run that migrates them all."
    >
      <MigrationStatus />
    </ConsolePage>
  );
}

function MigrationStatus() {
  const utils = trpc.useUtils();
  const status = trpc.admin.migrations.status.useQuery(undefined, {
    refetchInterval: (query) => (query.state.data?.job ? POLL_MS : false),
  });
  const start = trpc.admin.migrations.start.useMutation({
    onSettled: () => void utils.admin.migrations.status.invalidate(),
  });
  if (status.isPending) return <Spinner label="Loading the migration status…" showLabel />;
  if (status.isError) {
    return (
      <ErrorState
        title="The migration status could not be loaded"
        message={describeError(status.error)}
        onRetry={() => void status.refetch()}
        retrying={status.isFetching}
      />
    );
  }
  const data = status.data;
  const running = data.job !== null;
  return (
    <div className="stack">
      <Card
        title="Schema versions"
        description={`The latest tenant schema version is ${data.latestVersion}. Ready and suspended organisations are counted; new ones get the latest version when they are created.`}
        actions={
          <Button
            variant="primary"
            onClick={() => start.mutate()}
            loading={start.isPending}
            loadingLabel="Starting…"
            disabled={running || data.behindCount === 0}
            data-testid="migrate-all"
          >
            Migrate all
          </Button>
        }
      >
        <p role="status" data-testid="migration-run-state">
          {running ? (
            <>
              <Spinner label="Migrating" size="sm" /> A migration run is{' '}
              {data.job === 'queued' ? 'waiting for a worker' : 'running'}: {data.behindCount} organisation
              {data.behindCount === 1 ? '' : 's'} still behind.
            </>
          ) : data.behindCount === 0 ? (
            'Every organisation is at the latest version.'
          ) : (
            `${data.behindCount} organisation${data.behindCount === 1 ? ' is' : 's are'} behind.`
          )}
        </p>
        {start.isError ? <p className="field__error">{describeError(start.error)}</p> : null}
        {start.data && !start.data.queued ? <p className="muted">A run was already queued or running.</p> : null}
        <VersionCounts byVersion={data.byVersion} latest={data.latestVersion} />
      </Card>
      <Card title="Organisations behind" description="The first 200, those whose last attempt failed first.">
        {data.behind.length === 0 ? (
          <div data-testid="migrations-none-behind">
            <EmptyState title="Nothing to migrate" message="Every organisation is at the latest version." />
          </div>
        ) : (
          <BehindTable rows={data.behind} latest={data.latestVersion} />
        )}
      </Card>
    </div>
  );
}

function VersionCounts({ byVersion, latest }: Pick<TenantMigrationStatus, 'byVersion'> & { latest: number }) {
  if (byVersion.length === 0) return null;
  return (
    <ul className="muted" data-testid="migration-versions">
      {byVersion.map((v) => (
        <li key={v.version}>
          Version {v.version}
          {v.version === latest ? ' (latest)' : ''}: {v.tenants} organisation{v.tenants === 1 ? '' : 's'}
        </li>
      ))}
    </ul>
  );
}

function BehindTable({ rows, latest }: { rows: TenantBehind[]; latest: number }) {
  return (
    <div className="table-wrap">
      <table className="table" data-testid="migrations-behind">
        <thead>
          <tr>
            <th scope="col">Organisation</th>
            <th scope="col">Status</th>
            <th scope="col" className="table__num">
              Version
            </th>
            <th scope="col">Last error</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={row.id} data-testid="migrations-behind-row" data-tenant-id={row.id}>
              <td>
                <div className="table__strong">{row.name}</div>
                <code className="mono muted">{row.slug}</code>
              </td>
              <td>{row.status}</td>
              <td className="table__num">
                {row.schemaVersion} / {latest}
              </td>
              <td>
                {row.lastError ? (
                  <span className="field__error" title={row.failedAt ?? undefined}>
                    {row.lastError}
                  </span>
                ) : (
                  <span className="muted">—</span>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
