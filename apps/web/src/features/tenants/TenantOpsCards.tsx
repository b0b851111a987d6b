import { can, type TenantExport } from '@tenantry/shared';
import { useState } from 'react';
import { Button } from '../../components/Button';
import { Card } from '../../components/Card';
import { ErrorState } from '../../components/ErrorState';
import { Spinner } from '../../components/Spinner';
import { describeError } from '../../lib/api-errors';
import { formatDateTime } from '../../lib/time';
import { trpc } from '../../lib/trpc';
import { UpgradeHint } from '../plans/UpgradeHint';
import { useFeature } from '../plans/useFeature';
import { HealthDetails } from './HealthDetails';
import { EXPORT_POLL_MS, exportInFlight, exportStatusText } from './tenant-ops';
import './tenant-ops.css';

/** The export and health cards of the home page, for owners and admins of the active organisation. */
export function TenantOpsCards() {
  const current = trpc.tenants.current.useQuery();
  const role = current.data?.role;
  if (!role || !can(role, 'tenant.export')) return null;
  return (
    <>
      <TenantExportCard />
      {can(role, 'tenant.health') ? <TenantHealthCard /> : null}
    </>
  );
}

/** "Export data": one archive of every table and file; progress while it runs, then Download. */
function TenantExportCard() {
  const feature = useFeature('data_export');
  const exports = trpc.tenants.exports.useQuery(undefined, {
    refetchInterval: (query) => (exportInFlight(query.state.data) ? EXPORT_POLL_MS : false),
  });
  const utils = trpc.useUtils();
  const start = trpc.tenants.export.useMutation({ onSuccess: () => utils.tenants.exports.invalidate() });
  const busy = exportInFlight(exports.data);
  return (
    <Card
      title="Data export"
      description="Every table and file of the organisation in one zip archive, with a manifest."
      actions={
        feature.enabled ? (
          <Button
            variant="primary"
            size="sm"
            onClick={() => start.mutate()}
            loading={start.isPending}
            disabled={busy}
            data-testid="export-start"
          >
            Export data
          </Button>
        ) : null
      }
    >
      {!feature.enabled && !feature.pending ? <UpgradeHint feature="data_export" what="Data export" /> : null}
      {start.isError ? (
        <p className="text-danger" role="alert">
          {describeError(start.error)}
        </p>
      ) : null}
      {exports.isPending ? (
        <Spinner label="Loading exports…" />
      ) : exports.isError ? (
        <ErrorState
          title="The exports could not be loaded"
          message={describeError(exports.error)}
          onRetry={() => void exports.refetch()}
          retrying={exports.isFetching}
        />
      ) : exports.data.length === 0 ? (
        <p className="muted">No exports yet.</p>
      ) : (
        <ul className="exports" data-testid="exports">
          {exports.data.slice(0, 5).map((e) => (
            <ExportRow key={e.id} item={e} canDownload={feature.enabled} />
          ))}
        </ul>
      )}
    </Card>
  );
}

function ExportRow({ item, canDownload }: { item: TenantExport; canDownload: boolean }) {
  const utils = trpc.useUtils();
  const [error, setError] = useState<string | null>(null);
  const [opening, setOpening] = useState(false);
  const download = async () => {
    setError(null);
    setOpening(true);
    try {
      const link = await utils.tenants.exportDownloadUrl.fetch({ id: item.id });
      window.location.assign(link.url);
    } catch (err) {
      setError(describeError(err));
    } finally {
      setOpening(false);
    }
  };
  const running = item.status === 'queued' || item.status === 'running';
  return (
    <li className="exports__row" data-testid="export-row" data-status={item.status}>
      <div className="exports__head">
        <span>{formatDateTime(new Date(item.createdAt))}</span>
        {item.status === 'ready' && canDownload ? (
          <Button size="sm" onClick={() => void download()} loading={opening} data-testid="export-download">
            Download
          </Button>
        ) : null}
      </div>
      {running ? (
        <div
          className="exports__bar"
          role="progressbar"
          aria-label="Export progress"
          aria-valuemin={0}
          aria-valuemax={100}
          aria-valuenow={item.progress}
          aria-valuetext={exportStatusText(item)}
        >
          <div className="exports__fill" style={{ width: `${item.progress}%` }} />
        </div>
      ) : null}
      <span className={item.status === 'failed' ? 'text-danger' : 'muted'} data-testid="export-status">
        {exportStatusText(item)}
      </span>
      {error ? (
        <span className="text-danger" role="alert">
          {error}
        </span>
      ) : null}
    </li>
  );
}

/** Schema, version, rows per table, storage against the bucket and job errors of the active organisation. */
function TenantHealthCard() {
  const health = trpc.tenants.health.useQuery();
  return (
    <Card
      title="Health"
      description="Whether the organisation's data is in order."
      actions={
        <Button size="sm" onClick={() => void health.refetch()} loading={health.isFetching && !health.isPending}>
          Check again
        </Button>
      }
    >
      {health.isPending ? (
        <Spinner label="Checking…" showLabel />
      ) : health.isError ? (
        <ErrorState
          title="Health could not be checked"
          message={describeError(health.error)}
          onRetry={() => void health.refetch()}
          retrying={health.isFetching}
        />
      ) : (
        <HealthDetails health={health.data} />
      )}
    </Card>
  );
}
