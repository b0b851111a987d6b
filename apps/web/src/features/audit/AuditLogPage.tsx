import { PagedList } from '../../components/PagedList';
import { can, type AuditAction, type AuditEntry, type Role } from '@tenantry/shared';
import { useDeferredValue, useState } from 'react';
import { Badge } from '../../components/Badge';
import { Button } from '../../components/Button';
import { Card } from '../../components/Card';
import { EmptyState } from '../../components/ErrorState';
import { Field } from '../../components/Field';
import { formatDateTime } from '../../lib/time';
import { describeError } from '../../lib/api-errors';
import { appCodeOf, trpc } from '../../lib/trpc';
import { UpgradeHint } from '../plans/UpgradeHint';
import { useFeature } from '../plans/useFeature';
import { RequireTenant } from '../tenants/TenantStates';
import {
  ACTOR_MAX_LENGTH,
  auditListInput,
  dateRangeError,
  hasAuditFilters,
  NO_AUDIT_FILTERS,
  type AuditFilters,
} from './audit-filters';
import {
  actionLabel,
  actorLabel,
  AUDIT_ACTION_LABELS,
  AUDIT_ACTIONS,
  changeRows,
  shortId,
  visibleDaysNotice,
} from './audit-format';

export function AuditLogPage() {
  return (
    <>
      <title>Audit · Tenantry</title>
      <RequireTenant>{(tenant) => <AuditLog tenantName={tenant.name} role={tenant.role} />}</RequireTenant>
    </>
  );
}

function AuditLog({ tenantName, role }: { tenantName: string; role: Role }) {
  return (
    <>
      <div className="page-header">
        <h1 className="page-title">Audit</h1>
        <p className="page-subtitle">Who changed what in {tenantName}, and when.</p>
      </div>
      {can(role, 'audit.read') ? <AuditList /> : <AuditRestricted />}
    </>
  );
}

function AuditRestricted() {
  return (
    <Card title="Audit log">
      <div data-testid="audit-restricted">
        <EmptyState
          title="Only owners and admins can see the audit log"
          message="Ask an owner or an admin of this organisation if you need to know who changed something."
        />
      </div>
    </Card>
  );
}

function AuditList() {
  const [filters, setFilters] = useState<AuditFilters>(NO_AUDIT_FILTERS);
  const deferred = useDeferredValue(filters);
  const rangeError = dateRangeError(filters);
  const filtered = hasAuditFilters(deferred);
  const list = trpc.audit.list.useInfiniteQuery(auditListInput(deferred), {
    getNextPageParam: (page) => page.nextCursor ?? undefined,
  });
  const entries = list.data?.pages.flatMap((page) => page.items) ?? [];
  const notice = visibleDaysNotice(list.data?.pages[0]?.visibleDays);
  const set = (patch: Partial<AuditFilters>) => setFilters((current) => ({ ...current, ...patch }));
  const csvExport = useFeature('audit_log');

  // A role changed since the organisation list was loaded: say so plainly rather than show the API's refusal.
  if (list.isError && appCodeOf(list.error) === 'FORBIDDEN') return <AuditRestricted />;

  return (
    <Card
      title="Audit log"
      description="Changes to this organisation and its projects, newest first."
      actions={csvExport.enabled ? <AuditCsvButton filters={deferred} disabled={Boolean(rangeError)} /> : null}
    >
      {notice ? (
        <p className="notice" role="note" data-testid="audit-visible-days">
          {notice}
        </p>
      ) : null}
      {csvExport.pending || csvExport.enabled ? null : <UpgradeHint feature="audit_log" what="Audit CSV export" />}
      <form className="form" role="search" aria-label="Filter the audit log" onSubmit={(e) => e.preventDefault()}>
        <div className="form__fields">
          <Field id="audit-action" label="Action">
            {(control) => (
              <select
                {...control}
                className="input"
                value={filters.action}
                onChange={(e) => set({ action: e.target.value as AuditAction | '' })}
              >
                <option value="">All actions</option>
                {AUDIT_ACTIONS.map((action) => (
                  <option key={action} value={action}>
                    {AUDIT_ACTION_LABELS[action]}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <Field id="audit-actor" label="Actor">
            {(control) => (
              <input
                {...control}
                className="input"
                type="search"
                placeholder="E-mail or user id"
                maxLength={ACTOR_MAX_LENGTH}
                value={filters.actor}
                onChange={(e) => set({ actor: e.target.value })}
              />
            )}
          </Field>
          <Field id="audit-from" label="From">
            {(control) => (
              <input
                {...control}
                className="input"
                type="date"
                value={filters.from}
                max={filters.to || undefined}
                onChange={(e) => set({ from: e.target.value })}
              />
            )}
          </Field>
          <Field id="audit-to" label="To" error={rangeError}>
            {(control) => (
              <input
                {...control}
                className="input"
                type="date"
                value={filters.to}
                min={filters.from || undefined}
                onChange={(e) => set({ to: e.target.value })}
              />
            )}
          </Field>
        </div>
        {hasAuditFilters(filters) ? (
          <div className="form__actions">
            <Button size="sm" variant="ghost" onClick={() => setFilters(NO_AUDIT_FILTERS)}>
              Clear filters
            </Button>
          </div>
        ) : null}
      </form>
      <PagedList
        query={list}
        count={entries.length}
        loadingLabel="Loading the audit log…"
        errorTitle="The audit log could not be loaded"
        empty={
          <div data-testid="audit-empty">
            {filtered ? (
              <EmptyState title="Nothing matches these filters" message="Widen the dates or clear a filter." />
            ) : (
              <EmptyState
                title="Nothing recorded yet"
                message="Changes to the organisation and its projects will be listed here."
              />
            )}
          </div>
        }
      >
        <table className="table" data-testid="audit-table">
          <thead>
            <tr>
              <th scope="col">Time</th>
              <th scope="col">Actor</th>
              <th scope="col">Action</th>
              <th scope="col">Target</th>
              <th scope="col">
                <span className="visually-hidden">Details</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {entries.map((entry) => (
              <AuditRow key={entry.id} entry={entry} />
            ))}
          </tbody>
        </table>
      </PagedList>
    </Card>
  );
}

/** Saves text as a file through a temporary link (the browser's own download, no server round trip). */
function saveFile(filename: string, text: string, type: string) {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const link = document.createElement('a');
  link.href = url;
  link.download = filename;
  document.body.append(link);
  link.click();
  link.remove();
  window.setTimeout(() => URL.revokeObjectURL(url), 0);
}

/** Downloads the entries matching the filters as CSV (plan feature `audit_log`). */
function AuditCsvButton({ filters, disabled }: { filters: AuditFilters; disabled: boolean }) {
  const utils = trpc.useUtils();
  const [state, setState] = useState<{ pending: boolean; error: unknown; note: string | null }>({
    pending: false,
    error: null,
    note: null,
  });
  const download = async () => {
    setState({ pending: true, error: null, note: null });
    try {
      const { limit: _limit, ...input } = auditListInput(filters);
      const file = await utils.client.audit.export.query(input);
      saveFile(file.filename, file.csv, 'text/csv;charset=utf-8');
      const note = file.truncated ? `Only the newest ${file.rows} entries fit in one file: narrow the dates.` : null;
      setState({ pending: false, error: null, note });
    } catch (error) {
      setState({ pending: false, error, note: null });
    }
  };
  return (
    <div className="audit-export">
      <Button
        size="sm"
        onClick={() => void download()}
        loading={state.pending}
        loadingLabel="Preparing…"
        disabled={disabled}
      >
        Download CSV
      </Button>
      {state.error ? (
        <p className="text-danger" role="alert">
          {describeError(state.error)}
        </p>
      ) : null}
      {state.note ? <p className="muted">{state.note}</p> : null}
    </div>
  );
}

const COLUMNS = 5;

function AuditRow({ entry }: { entry: AuditEntry }) {
  const [open, setOpen] = useState(false);
  const detailsId = `audit-details-${entry.id}`;
  const action = actionLabel(entry.action);
  return (
    <>
      <tr data-testid="audit-row" data-action={entry.action}>
        <td className="table__nowrap">
          <time dateTime={entry.at}>{formatDateTime(new Date(entry.at))}</time>
        </td>
        <td>
          <span title={entry.actorId ?? undefined}>{actorLabel(entry)}</span>
          {entry.actorIsSuperadmin ? (
            <>
              {' '}
              <Badge tone="accent">superadmin</Badge>
            </>
          ) : null}
        </td>
        <td>{action}</td>
        <td>
          {entry.targetType}
          {entry.targetId ? (
            <>
              {' '}
              <code className="mono muted" title={entry.targetId}>
                {shortId(entry.targetId)}
              </code>
            </>
          ) : null}
        </td>
        <td className="table__actions">
          <Button
            size="sm"
            variant="ghost"
            aria-expanded={open}
            aria-controls={open ? detailsId : undefined}
            aria-label={`${open ? 'Hide' : 'Show'} details of ${action.toLowerCase()} at ${formatDateTime(new Date(entry.at))}`}
            onClick={() => setOpen((value) => !value)}
          >
            {open ? 'Hide' : 'Details'}
          </Button>
        </td>
      </tr>
      {open ? (
        <tr className="table__details" id={detailsId} data-testid="audit-details">
          <td colSpan={COLUMNS}>
            <AuditDetails entry={entry} />
          </td>
        </tr>
      ) : null}
    </>
  );
}

function AuditDetails({ entry }: { entry: AuditEntry }) {
  const rows = changeRows(entry.before, entry.after);
  const dash = <span className="muted">—</span>;
  return (
    <div className="audit-details">
      {rows.length ? (
        <dl className="details">
          {rows.map((row) => (
            <div key={row.field} className={`details__row audit-change audit-change--${row.kind}`}>
              <dt>{row.field}</dt>
              <dd>
                {row.before ?? dash}
                <span aria-hidden="true"> → </span>
                <span className="visually-hidden"> changed to </span>
                {row.after ?? dash}
                {row.kind === 'unchanged' ? <span className="muted"> (unchanged)</span> : null}
              </dd>
            </div>
          ))}
        </dl>
      ) : (
        <p className="muted">No field changes were recorded.</p>
      )}
      <dl className="details">
        {[
          ['Request id', entry.requestId],
          ['IP address', entry.ip],
          ['User agent', entry.userAgent],
          ['Target id', entry.targetId],
        ].map(([label, value]) => (
          <div key={label} className="details__row">
            <dt>{label}</dt>
            <dd>{value ? <code className="mono">{value}</code> : dash}</dd>
          </div>
        ))}
      </dl>
    </div>
  );
}
